//! A partner's webhook endpoint's own circuit (decision 160). An endpoint takes its events in log order,
//! one in flight at a time (decision 73), so an endpoint that is down used to hold its queue behind one
//! message retried with backoff until it was dead-lettered — about an hour a message — and then behind
//! the next. Now a run of failures opens the endpoint's circuit: its messages wait, uncounted, until the
//! cool-down is over on the injected clock; then the message at the head of its queue goes once, as the
//! probe (the one-in-flight rule makes it the only one), and its answer closes or reopens the circuit.
//!
//! The state is stored on the endpoint's row, so every worker and instance reads the same circuit and the
//! partner is shown it. Nothing here touches the gateway's breaker or any other endpoint.

use chrono::{DateTime, Utc};

use super::BreakerPolicy;

/// How an endpoint's circuit stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Circuit {
    /// Sent to as usual.
    Closed,
    /// Failed too often: nothing is sent to it before the cool-down is over.
    Open,
    /// The cool-down is over: the next message is the probe.
    HalfOpen,
}

impl Circuit {
    pub const ALL: [Circuit; 3] = [Circuit::Closed, Circuit::Open, Circuit::HalfOpen];

    pub const fn code(self) -> &'static str {
        match self {
            Circuit::Closed => "closed",
            Circuit::Open => "open",
            Circuit::HalfOpen => "half_open",
        }
    }
}

/// What is stored of an endpoint's circuit: transient failures in a row, and the end of the cool-down
/// while it is open (kept once the cool-down is over, until a probe answers: that is half-open).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EndpointCircuit {
    pub failures: u32,
    pub open_until: Option<DateTime<Utc>>,
}

/// The circuit after an attempt, and what becomes of the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AfterAttempt {
    pub circuit: EndpointCircuit,
    /// `Some(until)`: the failure is the endpoint's, not the message's — the message waits until the
    /// circuit lets the next probe out, and the attempt does not count against it. `None`: the message's
    /// own step (backoff, dead letter) applies as for any message.
    pub hold_until: Option<DateTime<Utc>>,
}

impl EndpointCircuit {
    pub fn state(&self, now: DateTime<Utc>) -> Circuit {
        match self.open_until {
            None => Circuit::Closed,
            Some(until) if now < until => Circuit::Open,
            Some(_) => Circuit::HalfOpen,
        }
    }

    /// The endpoint answered (accepted, refused, or asked to wait): it is up.
    pub fn answered(&self) -> EndpointCircuit {
        EndpointCircuit::default()
    }

    /// A 5xx, timeout or connection failure at `now`. Below the threshold the message retries as usual;
    /// the failure that reaches it, a failed probe, and a late answer while open hold the message for the
    /// cool-down without counting: an outage of any length costs a message no attempts beyond the
    /// threshold, and the endpoint's queue survives it in order.
    pub fn failed(&self, policy: &BreakerPolicy, now: DateTime<Utc>) -> AfterAttempt {
        let reopen = |failures| {
            let until = now + policy.cool_down;
            AfterAttempt { circuit: EndpointCircuit { failures, open_until: Some(until) }, hold_until: Some(until) }
        };
        match self.state(now) {
            Circuit::Open => AfterAttempt { circuit: *self, hold_until: self.open_until },
            Circuit::HalfOpen => reopen(self.failures),
            Circuit::Closed => {
                let failures = self.failures.saturating_add(1);
                if failures >= policy.failures_to_open.max(1) {
                    reopen(failures)
                } else {
                    AfterAttempt { circuit: EndpointCircuit { failures, open_until: None }, hold_until: None }
                }
            }
        }
    }
}
