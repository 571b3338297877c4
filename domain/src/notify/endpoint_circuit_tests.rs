use chrono::{Duration, TimeZone, Utc};

use super::{BreakerPolicy, Circuit, EndpointCircuit};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).single().unwrap_or_default()
}

const POLICY: BreakerPolicy = BreakerPolicy { failures_to_open: 3, cool_down: Duration::seconds(60) };

#[test]
fn failures_below_the_threshold_leave_the_circuit_closed_and_the_message_to_its_backoff() {
    let circuit = EndpointCircuit::default().failed(&POLICY, now()).circuit;

    let second = circuit.failed(&POLICY, now());

    assert_eq!(second.circuit, EndpointCircuit { failures: 2, open_until: None });
    assert_eq!(second.circuit.state(now()), Circuit::Closed);
    assert_eq!(second.hold_until, None, "the message's own backoff applies");
}

#[test]
fn the_failure_that_reaches_the_threshold_opens_the_circuit_and_holds_the_message_uncounted() {
    let two = EndpointCircuit { failures: 2, open_until: None };

    let third = two.failed(&POLICY, now());

    let until = now() + Duration::seconds(60);
    assert_eq!(third.circuit.open_until, Some(until));
    assert_eq!(third.hold_until, Some(until));
    assert_eq!(third.circuit.state(now() + Duration::seconds(59)), Circuit::Open);
    assert_eq!(third.circuit.state(until), Circuit::HalfOpen, "the cool-down is over at `until`");
}

#[test]
fn a_failed_probe_reopens_for_another_cool_down_from_its_own_answer() {
    let half_open = EndpointCircuit { failures: 3, open_until: Some(now()) };
    let later = now() + Duration::seconds(5);

    let after = half_open.failed(&POLICY, later);

    assert_eq!(after.circuit.open_until, Some(later + Duration::seconds(60)));
    assert_eq!(after.hold_until, Some(later + Duration::seconds(60)));
}

#[test]
fn a_late_failure_while_open_neither_extends_nor_counts() {
    let open = EndpointCircuit { failures: 3, open_until: Some(now() + Duration::seconds(30)) };

    let after = open.failed(&POLICY, now());

    assert_eq!(after.circuit, open);
    assert_eq!(after.hold_until, open.open_until);
}

#[test]
fn any_answer_closes_the_circuit_and_forgets_the_failures() {
    let half_open = EndpointCircuit { failures: 3, open_until: Some(now()) };

    let closed = half_open.answered();

    assert_eq!(closed, EndpointCircuit::default());
    assert_eq!(closed.state(now()), Circuit::Closed);
}
