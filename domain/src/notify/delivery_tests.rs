//! Reading gateway answers and scheduling retries.

use chrono::{Duration, TimeZone, Utc};

use super::{Backoff, Outcome, Step, WECHAT_USER_REFUSED, next_step};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).single().unwrap_or_default()
}

#[test]
fn answers_are_read_by_status_class() {
    assert_eq!(Outcome::from_response(202, None, None, None, now()), Outcome::Accepted);
    assert!(matches!(Outcome::from_response(503, None, None, None, now()), Outcome::Failed { .. }));
    assert!(matches!(
        Outcome::from_response(400, None, Some(47003), Some("argument invalid"), now()),
        Outcome::Refused { consent_refused: false, .. }
    ));
}

#[test]
fn errcode_43101_is_a_refused_consent() {
    let outcome = Outcome::from_response(403, None, Some(WECHAT_USER_REFUSED), Some("user refuse to accept"), now());

    let Outcome::Refused { reason, consent_refused } = outcome else { panic!("expected a refusal") };
    assert!(consent_refused);
    assert!(reason.contains("43101"), "{reason}");
}

#[test]
fn retry_after_is_read_in_seconds_or_as_a_date_and_never_below_a_second() {
    let seconds = Outcome::from_response(429, Some("7"), None, None, now());
    let date = Outcome::from_response(429, Some("Sun, 22 Nov 2026 08:01:00 GMT"), None, None, now());
    let zero = Outcome::from_response(429, Some("0"), None, None, now());
    let junk = Outcome::from_response(429, Some("soon"), None, None, now());

    assert_eq!(seconds, Outcome::RateLimited { retry_after: Duration::seconds(7) });
    assert_eq!(date, Outcome::RateLimited { retry_after: Duration::seconds(60) });
    assert_eq!(zero, Outcome::RateLimited { retry_after: Duration::seconds(1) });
    assert_eq!(junk, Outcome::RateLimited { retry_after: Duration::seconds(1) });
}

#[test]
fn backoff_doubles_from_the_base_up_to_the_cap() {
    let policy = Backoff::default();

    assert_eq!(policy.ceiling(1), Duration::seconds(1));
    assert_eq!(policy.ceiling(2), Duration::seconds(2));
    assert_eq!(policy.ceiling(5), Duration::seconds(16));
    assert_eq!(policy.ceiling(11), Duration::minutes(10));
    assert_eq!(policy.ceiling(400), Duration::minutes(10));
}

#[test]
fn a_failure_waits_a_jittered_share_of_the_ceiling() {
    let policy = Backoff::default();
    let failed = Outcome::Failed { reason: "HTTP 502".into() };

    let low = next_step(&failed, 4, &policy, 0.0, now());
    let half = next_step(&failed, 4, &policy, 0.5, now());
    let high = next_step(&failed, 4, &policy, 0.999, now());

    assert!(matches!(low, Step::Retry { at, counted: true, .. } if at == now()));
    assert!(matches!(half, Step::Retry { at, .. } if at == now() + Duration::seconds(4)));
    assert!(matches!(high, Step::Retry { at, .. } if at < now() + Duration::seconds(8)));
}

#[test]
fn the_last_allowed_failure_dead_letters_the_message_with_its_reason() {
    let policy = Backoff { max_attempts: 3, ..Backoff::default() };
    let failed = Outcome::Failed { reason: "connection refused".into() };

    let step = next_step(&failed, 3, &policy, 0.5, now());

    let Step::Dead { reason } = step else { panic!("expected a dead letter, got {step:?}") };
    assert!(reason.contains("3 attempts") && reason.contains("connection refused"), "{reason}");
}

#[test]
fn a_rate_limit_waits_as_asked_without_counting_against_the_message() {
    let policy = Backoff { max_attempts: 1, ..Backoff::default() };
    let limited = Outcome::RateLimited { retry_after: Duration::seconds(30) };

    let step = next_step(&limited, 5, &policy, 0.9, now());

    assert!(matches!(step, Step::Retry { at, counted: false, .. } if at == now() + Duration::seconds(30)));
}

#[test]
fn a_permanent_refusal_is_dead_at_once() {
    let refused = Outcome::Refused { reason: "HTTP 400".into(), consent_refused: false };

    assert_eq!(next_step(&refused, 1, &Backoff::default(), 0.5, now()), Step::Dead { reason: "HTTP 400".into() });
}
