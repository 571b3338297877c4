//! The gateway circuit breaker.

use chrono::{Duration, TimeZone, Utc};

use super::{Allowance, Breaker, BreakerPolicy};

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
