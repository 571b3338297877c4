//! Time comes in from outside so deadlines, token expiry and escalations are tested without sleeping.

use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The wall clock; the one place allowed to read it.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)]
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that only moves when told to.
#[derive(Debug)]
pub struct MockClock {
    now: Mutex<DateTime<Utc>>,
}

impl MockClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        Self { now: Mutex::new(start) }
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *now += by;
    }

    pub fn set(&self, to: DateTime<Utc>) {
        *self.now.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = to;
    }
}

impl Clock for MockClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Another clock moved forward by an offset that only grows: the demo profile's clock, which an
/// administrator moves on so trainers can show deadlines pass (letters, escalation, a vote's close, the
/// rating's close) without waiting days. Everything that reads the store's clock — deadlines, the
/// scheduler, the delivery worker, token expiry — sees the moved time.
pub struct OffsetClock {
    inner: std::sync::Arc<dyn Clock>,
    offset: Mutex<Duration>,
}

/// Asked to move a clock backwards, or not at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotForward;

impl OffsetClock {
    pub fn new(inner: std::sync::Arc<dyn Clock>) -> Self {
        Self { inner, offset: Mutex::new(Duration::zero()) }
    }

    /// Moves the clock forward by `by`, and answers the new time. Time never runs back: a deadline
    /// that has passed stays passed, and what the scheduler did cannot be undone.
    pub fn advance(&self, by: Duration) -> Result<DateTime<Utc>, NotForward> {
        if by <= Duration::zero() {
            return Err(NotForward);
        }
        let mut offset = self.offset.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *offset += by;
        Ok(self.inner.now() + *offset)
    }

    /// Runs at least `offset` ahead: an offset another instance stored (decision 83). Never back, as
    /// `advance`.
    pub fn catch_up(&self, offset: Duration) {
        let mut current = self.offset.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if offset > *current {
            *current = offset;
        }
    }

    /// How far ahead of the clock it wraps this one runs.
    pub fn offset(&self) -> Duration {
        *self.offset.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> DateTime<Utc> {
        self.inner.now() + self.offset()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::TimeZone;

    use super::*;

    #[test]
    fn an_offset_clock_moves_forward_on_top_of_the_clock_it_wraps() {
        // Arrange
        let start = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).single().unwrap_or_default();
        let inner = Arc::new(MockClock::new(start));
        let clock = OffsetClock::new(inner.clone());

        // Act
        let moved = clock.advance(Duration::days(3));
        inner.advance(Duration::minutes(5));

        // Assert
        assert_eq!(moved, Ok(start + Duration::days(3)));
        assert_eq!(clock.now(), start + Duration::days(3) + Duration::minutes(5));
        assert_eq!(clock.offset(), Duration::days(3));
    }

    #[test]
    fn an_offset_clock_catches_up_with_a_larger_offset_and_ignores_a_smaller_one() {
        // Arrange
        let start = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).single().unwrap_or_default();
        let clock = OffsetClock::new(Arc::new(MockClock::new(start)));
        let _ = clock.advance(Duration::hours(2));

        // Act
        clock.catch_up(Duration::hours(5));
        clock.catch_up(Duration::hours(1));

        // Assert
        assert_eq!(clock.now(), start + Duration::hours(5));
    }

    #[test]
    fn an_offset_clock_never_runs_back_or_stands_still() {
        // Arrange
        let start = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).single().unwrap_or_default();
        let clock = OffsetClock::new(Arc::new(MockClock::new(start)));
        let _ = clock.advance(Duration::hours(2));

        // Act
        let back = clock.advance(Duration::hours(-1));
        let still = clock.advance(Duration::zero());

        // Assert
        assert_eq!((back, still), (Err(NotForward), Err(NotForward)));
        assert_eq!(clock.now(), start + Duration::hours(2));
    }
}
