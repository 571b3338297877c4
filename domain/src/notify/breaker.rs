//! A circuit breaker for the gateway: after a run of failures the worker stops sending for a cool-down,
//! then lets one message through as a probe. Messages wait in the outbox meanwhile; nothing is lost, and a
//! gateway coming back up is not met by every queued message at once.

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakerPolicy {
    /// Consecutive transient failures that open the circuit.
    pub failures_to_open: u32,
    pub cool_down: Duration,
}

impl Default for BreakerPolicy {
    fn default() -> Self {
        BreakerPolicy { failures_to_open: 5, cool_down: Duration::seconds(30) }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Closed {
        failures: u32,
    },
    Open {
        until: DateTime<Utc>,
    },
    /// The cool-down is over; one probe is out (or may go).
    HalfOpen {
        probe_out: bool,
    },
}

/// How much the worker may send now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowance {
    /// As much as the rate allows.
    Full,
    /// One message, to see whether the gateway is back.
    Probe,
    Nothing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Breaker {
    policy: BreakerPolicy,
    state: State,
}

impl Breaker {
    pub const fn new(policy: BreakerPolicy) -> Self {
        Breaker { policy, state: State::Closed { failures: 0 } }
    }

    /// What may be sent now; a `Probe` answer counts the probe as out.
    pub fn allowance(&mut self, now: DateTime<Utc>) -> Allowance {
        match self.state {
            State::Closed { .. } => Allowance::Full,
            State::Open { until } if now < until => Allowance::Nothing,
            State::Open { .. } | State::HalfOpen { probe_out: false } => {
                self.state = State::HalfOpen { probe_out: true };
                Allowance::Probe
            }
            State::HalfOpen { probe_out: true } => Allowance::Nothing,
        }
    }

    /// The probe found nothing to send: the next round may probe again.
    pub fn return_probe(&mut self) {
        if self.state == (State::HalfOpen { probe_out: true }) {
            self.state = State::HalfOpen { probe_out: false };
        }
    }

    /// The gateway answered (accepted, refused or asked to wait): it is up.
    pub fn record_success(&mut self) {
        self.state = State::Closed { failures: 0 };
    }

    /// A 5xx, timeout or connection failure.
    pub fn record_failure(&mut self, now: DateTime<Utc>) {
        self.state = match self.state {
            State::Closed { failures } if failures + 1 < self.policy.failures_to_open => {
                State::Closed { failures: failures + 1 }
            }
            State::Closed { .. } | State::HalfOpen { .. } => State::Open { until: now + self.policy.cool_down },
            // Answers of messages sent before the circuit opened keep it open; they do not extend it.
            open @ State::Open { .. } => open,
        };
    }

    pub const fn is_open(&self) -> bool {
        matches!(self.state, State::Open { .. } | State::HalfOpen { .. })
    }
}
