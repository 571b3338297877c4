//! The gateway circuit breaker.

use chrono::{Duration, TimeZone, Utc};

use super::{Admission, Allowance, Breaker, BreakerPolicy};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).single().unwrap_or_default()
}

fn breaker() -> Breaker {
    Breaker::new(BreakerPolicy { failures_to_open: 3, cool_down: Duration::seconds(10) })
}

#[test]
fn a_run_of_failures_opens_the_circuit_for_the_cool_down() {
    let mut breaker = breaker();

    breaker.record_failure(now());
    breaker.record_failure(now());
    let before = breaker.allowance(now());
    breaker.record_failure(now());

    assert_eq!(before, Allowance::Full);
    assert_eq!(breaker.allowance(now()), Allowance::Nothing);
    assert_eq!(breaker.allowance(now() + Duration::seconds(9)), Allowance::Nothing);
}

#[test]
fn a_success_resets_the_count() {
    let mut breaker = breaker();

    breaker.record_failure(now());
    breaker.record_failure(now());
    breaker.record_success();
    breaker.record_failure(now());
    breaker.record_failure(now());

    assert_eq!(breaker.allowance(now()), Allowance::Full);
}

#[test]
fn after_the_cool_down_one_probe_goes_and_its_answer_decides() {
    let mut opened = breaker();
    for _ in 0..3 {
        opened.record_failure(now());
    }
    let later = now() + Duration::seconds(10);

    let mut recovered = opened;
    let probe = recovered.allowance(later);
    let second = recovered.allowance(later);
    recovered.record_success();

    let mut still_down = opened;
    still_down.allowance(later);
    still_down.record_failure(later);

    assert_eq!(probe, Allowance::Probe);
    assert_eq!(second, Allowance::Nothing);
    assert_eq!(recovered.allowance(later), Allowance::Full);
    assert_eq!(still_down.allowance(later + Duration::seconds(9)), Allowance::Nothing);
    assert_eq!(still_down.allowance(later + Duration::seconds(10)), Allowance::Probe);
}

/// Admits sends until one is refused; returns how many were admitted and the refusal.
fn admit_all(breaker: &mut Breaker) -> (u32, Admission) {
    let mut admitted = 0;
    loop {
        match breaker.admit() {
            Admission::Send => admitted += 1,
            refused => return (admitted, refused),
        }
        assert!(admitted <= 1000, "admits without end");
    }
}

#[test]
fn before_the_gateway_has_answered_no_more_sends_go_out_at_once_than_failures_open_the_circuit() {
    let mut fresh = breaker();

    let (out, then) = admit_all(&mut fresh);
    for _ in 0..out {
        fresh.record_failure(now());
        fresh.release();
    }

    assert_eq!((out, then), (3, Admission::Wait));
    assert_eq!(fresh.admit(), Admission::Stop, "three failures opened it; nothing more goes");
}

#[test]
fn after_a_failure_only_the_remaining_failures_may_be_out_at_once() {
    let mut doubting = breaker();
    doubting.record_success();
    doubting.record_failure(now());

    let (out, then) = admit_all(&mut doubting);
    doubting.release();
    let after_one_came_back = doubting.admit();

    assert_eq!((out, then), (2, Admission::Wait));
    assert_eq!(after_one_came_back, Admission::Send);
}

#[test]
fn a_gateway_that_answered_is_sent_to_without_limit_until_it_fails() {
    let mut healthy = breaker();
    healthy.admit();
    healthy.record_success();
    healthy.release();

    let admitted = (0..100).filter(|_| healthy.admit() == Admission::Send).count();

    assert_eq!(admitted, 100);
}

#[test]
fn the_probe_is_the_only_send_while_half_open() {
    let mut probing = breaker();
    for _ in 0..3 {
        probing.record_failure(now());
    }
    assert_eq!(probing.admit(), Admission::Stop, "open: nothing goes");

    let allowance = probing.allowance(now() + Duration::seconds(10));
    let (out, then) = admit_all(&mut probing);

    assert_eq!(allowance, Allowance::Probe);
    assert_eq!((out, then), (1, Admission::Wait));
}
