//! A circuit breaker for Redis: after a few failures in a row it stays open for a cool-down, during which
//! nobody waits on Redis; then one request tries again (half-open) and closes it on success. The cool-down
//! is read on the injected clock, as every other wait is (decision 84), so a test moves past it instead of
//! sleeping through it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use gongzhi_domain::clock::Clock;

/// Failures in a row that open the breaker.
const FAILURES_TO_OPEN: u32 = 3;

pub struct Breaker {
    state: Mutex<State>,
    cool_down: chrono::Duration,
    clock: Arc<dyn Clock>,
}

#[derive(Default)]
struct State {
    failures: u32,
    open_until: Option<DateTime<Utc>>,
    /// A trial call is under way while half-open; others keep away until it reports.
    probing: bool,
}

impl Breaker {
    pub fn new(cool_down: Duration, clock: Arc<dyn Clock>) -> Self {
        let cool_down = chrono::Duration::from_std(cool_down).unwrap_or(chrono::Duration::MAX);
        Self { state: Mutex::new(State::default()), cool_down, clock }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding this lock leaves plain counters behind, still usable.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether a call may go to Redis now.
    pub fn allow(&self) -> bool {
        let mut state = self.state();
        match state.open_until {
            None => true,
            Some(until) if self.clock.now() >= until && !state.probing => {
                state.probing = true;
                true
            }
            Some(_) => false,
        }
    }

    pub fn succeeded(&self) {
        let mut state = self.state();
        if state.open_until.is_some() {
            tracing::info!("Redis answers again; the cache and rate limits use it again");
        }
        *state = State::default();
    }

    pub fn failed(&self) {
        let mut state = self.state();
        state.failures = state.failures.saturating_add(1);
        state.probing = false;
        if state.failures >= FAILURES_TO_OPEN || state.open_until.is_some() {
            if state.open_until.is_none() {
                tracing::warn!(cool_down = ?self.cool_down, "Redis is failing; serving without it for a while");
            }
            state.open_until = Some(self.clock.now() + self.cool_down);
        }
    }

    pub fn is_open(&self) -> bool {
        self.state().open_until.is_some()
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use gongzhi_domain::clock::MockClock;

    use super::*;

    fn clock() -> Arc<MockClock> {
        Arc::new(MockClock::new(Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).single().unwrap_or_default()))
    }

    #[test]
    fn opens_after_failures_in_a_row_and_lets_one_trial_through_after_the_cool_down() {
        let clock = clock();
        let breaker = Breaker::new(Duration::from_secs(2), clock.clone());
        for _ in 0..FAILURES_TO_OPEN {
            assert!(breaker.allow());
            breaker.failed();
        }
        assert!(breaker.is_open());
        assert!(!breaker.allow());
        clock.advance(chrono::Duration::milliseconds(1_999));
        assert!(!breaker.allow(), "still cooling down");
        clock.advance(chrono::Duration::milliseconds(1));
        assert!(breaker.allow(), "one trial after the cool-down");
        assert!(!breaker.allow(), "only one at a time");
        breaker.succeeded();
        assert!(!breaker.is_open());
        assert!(breaker.allow());
    }

    #[test]
    fn a_failed_trial_opens_it_again() {
        let clock = clock();
        let breaker = Breaker::new(Duration::from_secs(2), clock.clone());
        for _ in 0..FAILURES_TO_OPEN {
            breaker.failed();
        }
        clock.advance(chrono::Duration::seconds(2));
        assert!(breaker.allow());
        breaker.failed();
        assert!(!breaker.allow());
    }

    #[test]
    fn a_success_resets_the_count() {
        let breaker = Breaker::new(Duration::from_secs(60), clock());
        breaker.failed();
        breaker.failed();
        breaker.succeeded();
        breaker.failed();
        assert!(breaker.allow());
    }
}
