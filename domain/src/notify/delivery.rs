//! What a gateway's answer means for a message, and when a failed one is tried again.

use chrono::{DateTime, Duration, Utc};

/// WeChat's errcode when the user has not (or no longer) agreed to the template.
pub const WECHAT_USER_REFUSED: i64 = 43101;

/// A delivery attempt's result, read from the gateway's (or a partner's) answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx: the gateway has the message and answers for it from here on.
    Accepted,
    /// 429: the gateway wants no more for a while. Not the message's fault, so not counted against it.
    RateLimited { retry_after: Duration },
    /// Another 4xx: this message will never go through as it is.
    Refused { reason: String, consent_refused: bool },
    /// 5xx, a timeout or no connection: may go through later.
    Failed { reason: String },
}

impl Outcome {
    /// Reads an HTTP answer. `errcode` and `errmsg` come from a JSON body of the gateway's, when it has one;
    /// `retry_after` is the header, in seconds or as an HTTP date.
    pub fn from_response(
        status: u16,
        retry_after: Option<&str>,
        errcode: Option<i64>,
        errmsg: Option<&str>,
        now: DateTime<Utc>,
    ) -> Outcome {
        let detail = || match (errcode, errmsg) {
            (Some(code), Some(msg)) => format!("HTTP {status}, errcode {code}: {msg}"),
            (Some(code), None) => format!("HTTP {status}, errcode {code}"),
            (None, Some(msg)) => format!("HTTP {status}: {msg}"),
            (None, None) => format!("HTTP {status}"),
        };
        match status {
            200..=299 => Outcome::Accepted,
            429 => Outcome::RateLimited { retry_after: parse_retry_after(retry_after, now) },
            400..=499 => {
                let consent_refused = errcode == Some(WECHAT_USER_REFUSED);
                let reason =
                    if consent_refused { format!("user refused the template ({})", detail()) } else { detail() };
                Outcome::Refused { reason, consent_refused }
            }
            _ => Outcome::Failed { reason: detail() },
        }
    }
}

/// Seconds or an HTTP date; anything else (or nothing) means one second. Never less than a second, so a
/// `Retry-After: 0` cannot turn into a tight loop.
fn parse_retry_after(value: Option<&str>, now: DateTime<Utc>) -> Duration {
    let Some(value) = value.map(str::trim) else { return Duration::seconds(1) };
    let wait = match value.parse::<i64>() {
        Ok(seconds) => Duration::seconds(seconds),
        Err(_) => match DateTime::parse_from_rfc2822(value) {
            Ok(date) => date.with_timezone(&Utc) - now,
            Err(_) => Duration::seconds(1),
        },
    };
    wait.max(Duration::seconds(1))
}

/// Retry policy: exponential backoff with full jitter (the wait before attempt n+1 is uniform in
/// `0..min(cap, base·2ⁿ⁻¹)`), so many messages failing together do not come back together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
    /// Failed attempts (not counting 429s) before a message is dead-lettered.
    pub max_attempts: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff { base: Duration::seconds(1), cap: Duration::minutes(10), max_attempts: 12 }
    }
}

impl Backoff {
    /// The longest wait after the `failures`-th failure (1-based).
    pub fn ceiling(&self, failures: u32) -> Duration {
        let exponent = failures.saturating_sub(1).min(30);
        let millis = self.base.num_milliseconds().saturating_mul(1_i64 << exponent);
        Duration::milliseconds(millis).min(self.cap)
    }
}

/// What to do with a message after an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Sent,
    /// Back to the queue until `at`. `counted` is false for a 429, which is no fault of the message.
    Retry {
        at: DateTime<Utc>,
        reason: String,
        counted: bool,
    },
    Dead {
        reason: String,
    },
}

/// Decides the step after an attempt. `failures` counts this attempt if it failed; `jitter` is a fraction
/// in `0.0..1.0` from the caller's random source (kept out of here so the rule is testable).
pub fn next_step(outcome: &Outcome, failures: u32, policy: &Backoff, jitter: f64, now: DateTime<Utc>) -> Step {
    match outcome {
        Outcome::Accepted => Step::Sent,
        Outcome::RateLimited { retry_after } => Step::Retry {
            at: now + (*retry_after).min(policy.cap),
            reason: format!("gateway asked to wait {} s", retry_after.num_seconds()),
            counted: false,
        },
        Outcome::Refused { reason, .. } => Step::Dead { reason: reason.clone() },
        Outcome::Failed { reason } if failures >= policy.max_attempts => {
            Step::Dead { reason: format!("gave up after {failures} attempts; last: {reason}") }
        }
        Outcome::Failed { reason } => {
            let ceiling = policy.ceiling(failures).num_milliseconds() as f64;
            let wait = Duration::milliseconds((ceiling * jitter.clamp(0.0, 1.0)) as i64);
            Step::Retry { at: now + wait, reason: reason.clone(), counted: true }
        }
    }
}
