//! A circuit breaker for the gateway: after a run of failures the worker stops sending for a cool-down,
//! then lets one message through as a probe. Messages wait in the outbox meanwhile; nothing is lost, and a
//! gateway coming back up is not met by every queued message at once.
//!
//! The breaker also decides how many sends may be out at once. A round sends many messages concurrently,
//! and every one of them starts before the first failure is known; counting failures only as they come
//! back would let a whole round's concurrency reach a gateway that is down. So until the gateway has
//! answered (and again after any failure) only as many sends are let out as failures remain before the
//! circuit opens: if every one of them fails, the circuit opens having let through no more than its
//! threshold. Once the gateway answers, sending is as concurrent as the worker is configured to be.

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
    /// The gateway answered the last send it was given.
    Healthy,
    /// No answer yet, or `failures` failures in a row since the last one.
    Doubtful {
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

/// How much the worker may claim for a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowance {
    /// As much as the rate allows.
    Full,
    /// One message, to see whether the gateway is back.
    Probe,
    Nothing,
}

/// Whether one claimed message may be sent now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Send it; the send counts as out until `Breaker::release`.
    Send,
    /// As many sends are out as the breaker allows while it doubts the gateway: wait for one to come back.
    Wait,
    /// The circuit is open: put the message back.
    Stop,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Breaker {
    policy: BreakerPolicy,
    state: State,
    /// Sends admitted and not yet released.
    out: u32,
}

impl Breaker {
    pub const fn new(policy: BreakerPolicy) -> Self {
        Breaker { policy, state: State::Doubtful { failures: 0 }, out: 0 }
    }

    /// What may be claimed now; a `Probe` answer counts the probe as out.
    pub fn allowance(&mut self, now: DateTime<Utc>) -> Allowance {
        match self.state {
            State::Healthy | State::Doubtful { .. } => Allowance::Full,
            State::Open { until } if now < until => Allowance::Nothing,
            State::Open { .. } | State::HalfOpen { probe_out: false } => {
                self.state = State::HalfOpen { probe_out: true };
                Allowance::Probe
            }
            State::HalfOpen { probe_out: true } => Allowance::Nothing,
        }
    }

    /// Whether a claimed message may be sent now. Every `Send` must be followed by `release` once its
    /// answer has been recorded (or it was not sent after all).
    pub fn admit(&mut self) -> Admission {
        let admitted = match self.state {
            State::Healthy => true,
            State::Doubtful { failures } => self.out < self.policy.failures_to_open.saturating_sub(failures),
            State::Open { .. } => return Admission::Stop,
            State::HalfOpen { .. } => self.out == 0,
        };
        if !admitted {
            return Admission::Wait;
        }
        self.out += 1;
        Admission::Send
    }

    /// A send admitted by `admit` is over.
    pub fn release(&mut self) {
        self.out = self.out.saturating_sub(1);
    }

    /// The probe found nothing to send: the next round may probe again.
    pub fn return_probe(&mut self) {
        if self.state == (State::HalfOpen { probe_out: true }) {
            self.state = State::HalfOpen { probe_out: false };
        }
    }

    /// The gateway answered (accepted, refused or asked to wait): it is up.
    pub fn record_success(&mut self) {
        self.state = State::Healthy;
    }

    /// A 5xx, timeout or connection failure.
    pub fn record_failure(&mut self, now: DateTime<Utc>) {
        let failures = match self.state {
            State::Healthy => 1,
            State::Doubtful { failures } => failures + 1,
            State::HalfOpen { .. } => self.policy.failures_to_open,
            // Answers of messages sent before the circuit opened keep it open; they do not extend it.
            State::Open { .. } => return,
        };
        self.state = if failures < self.policy.failures_to_open {
            State::Doubtful { failures }
        } else {
            State::Open { until: now + self.policy.cool_down }
        };
    }

    pub const fn is_open(&self) -> bool {
        matches!(self.state, State::Open { .. } | State::HalfOpen { .. })
    }
}
