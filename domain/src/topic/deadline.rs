//! The pipeline's deadlines, configurable and computed from times stored in the topic's state; `now` is
//! always a parameter.
//!
//! Decisions:
//! - deadlines are calendar days of 24 hours from the moment that starts them. Working days would need
//!   the State Council's yearly holiday and make-up-day (调休) calendar, which no rule here depends on yet;
//! - a missed deadline never blocks the step it is for: an overdue topic must still be triaged. Being
//!   overdue is information for reminders and the on-time rate. Two deadlines do enable a step instead:
//!   the scheduler confirms a service by default once the confirmation window is over, and closes a
//!   rating once it has run its time;
//! - escalating a topic to the street starts the street's own triage deadline.

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

use crate::topic::{Phase, ServiceStatus, Topic, TopicError, TopicState};

/// Deadlines in whole days, as configuration states them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct DeadlineDays {
    /// From submission (or escalation) to a triage decision.
    pub triage: u16,
    /// From completion to publication of the outcome.
    pub publication: u16,
    /// From the property company reporting a service done to the submitter's confirmation.
    pub service_confirmation: u16,
    /// How long residents may rate a published outcome.
    pub rating: u16,
}

impl Default for DeadlineDays {
    fn default() -> Self {
        Self { triage: 5, publication: 7, service_confirmation: 7, rating: 14 }
    }
}

/// Checked deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    triage: Duration,
    publication: Duration,
    service_confirmation: Duration,
    rating: Duration,
}

impl Deadlines {
    /// A year is the longest any of them may be: longer is a typo, and a deadline nobody meets.
    pub const MAX_DAYS: u16 = 365;

    pub fn new(days: DeadlineDays) -> Result<Self, TopicError> {
        let checked = |field, value: u16| {
            if (1..=Self::MAX_DAYS).contains(&value) {
                Ok(Duration::days(i64::from(value)))
            } else {
                Err(TopicError::DeadlineDays { field, max: Self::MAX_DAYS })
            }
        };
        Ok(Self {
            triage: checked("triage", days.triage)?,
            publication: checked("publication", days.publication)?,
            service_confirmation: checked("service_confirmation", days.service_confirmation)?,
            rating: checked("rating", days.rating)?,
        })
    }

    pub const fn triage(&self) -> Duration {
        self.triage
    }

    pub const fn publication(&self) -> Duration {
        self.publication
    }

    pub const fn service_confirmation(&self) -> Duration {
        self.service_confirmation
    }

    pub const fn rating(&self) -> Duration {
        self.rating
    }
}

impl Default for Deadlines {
    /// Five days to triage, seven to publish, seven to confirm a service, fourteen to rate.
    fn default() -> Self {
        Self {
            triage: Duration::days(5),
            publication: Duration::days(7),
            service_confirmation: Duration::days(7),
            rating: Duration::days(14),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeadlineKind {
    /// The triager must decide by then; overdue afterwards.
    Triage,
    /// Staff must publish the outcome by then; overdue afterwards.
    Publication,
    /// The submitter may confirm or dispute until then; the scheduler confirms by default afterwards.
    ServiceConfirmation,
    /// Ratings are taken until then; the scheduler closes the topic afterwards.
    RatingClose,
}

impl DeadlineKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            DeadlineKind::Triage => "triage",
            DeadlineKind::Publication => "publication",
            DeadlineKind::ServiceConfirmation => "service_confirmation",
            DeadlineKind::RatingClose => "rating_close",
        }
    }
}

/// The next thing a topic waits for, and by when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Deadline {
    pub kind: DeadlineKind,
    pub due_at: DateTime<Utc>,
}

impl Deadline {
    /// Overdue strictly after the due time: a decision at the very instant is on time.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        now > self.due_at
    }
}

impl Topic {
    /// The deadline the topic now runs against, if any. Storage may keep `due_at` in a column for the
    /// scheduler's queries, recomputed after every transition.
    pub fn deadline(&self, deadlines: &Deadlines) -> Option<Deadline> {
        let (kind, due_at) = match &self.state {
            TopicState::AwaitingTriage { since } => (DeadlineKind::Triage, *since + deadlines.triage),
            TopicState::Routed(request) => match request.status {
                ServiceStatus::Done { at } => (DeadlineKind::ServiceConfirmation, at + deadlines.service_confirmation),
                _ => return None,
            },
            TopicState::Accepted(deliberation) => match deliberation.phase {
                Phase::Completed { at } => (DeadlineKind::Publication, at + deadlines.publication),
                Phase::RatingOpen { closes_at } => (DeadlineKind::RatingClose, closes_at),
                _ => return None,
            },
            _ => return None,
        };
        Some(Deadline { kind, due_at })
    }

    /// Still awaiting triage, and `now` is past the triage deadline.
    pub fn is_triage_overdue(&self, deadlines: &Deadlines, now: DateTime<Utc>) -> bool {
        self.deadline(deadlines).is_some_and(|d| d.kind == DeadlineKind::Triage && d.is_overdue(now))
    }

    /// Completed, and `now` is past the publication deadline.
    pub fn is_publication_overdue(&self, deadlines: &Deadlines, now: DateTime<Utc>) -> bool {
        self.deadline(deadlines).is_some_and(|d| d.kind == DeadlineKind::Publication && d.is_overdue(now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_deadlines_are_five_seven_seven_and_fourteen_days() {
        assert_eq!(Deadlines::new(DeadlineDays::default()), Ok(Deadlines::default()));
        assert_eq!(Deadlines::default().triage(), Duration::days(5));
        assert_eq!(Deadlines::default().publication(), Duration::days(7));
    }

    #[test]
    fn a_deadline_of_zero_days_or_over_a_year_is_refused() {
        let zero = DeadlineDays { triage: 0, ..DeadlineDays::default() };
        assert_eq!(Deadlines::new(zero), Err(TopicError::DeadlineDays { field: "triage", max: 365 }));
        let long = DeadlineDays { rating: 366, ..DeadlineDays::default() };
        assert_eq!(Deadlines::new(long), Err(TopicError::DeadlineDays { field: "rating", max: 365 }));
        let custom = DeadlineDays { triage: 3, ..DeadlineDays::default() };
        assert_eq!(Deadlines::new(custom).map(|d| d.triage()), Ok(Duration::days(3)));
    }
}
