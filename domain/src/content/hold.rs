//! A submission held back from publication (decision 130): created when the check flags it or cannot be
//! made, and ended by publication (the check passes on a retry, or a moderator approves), a moderator's
//! rejection with a reason, or lapse (the step it was for no longer accepts it, e.g. the thread closed).
//! It is never dropped: an unavailable check is asked again, later and later, until it answers.

use chrono::{DateTime, Duration, Utc};
use thiserror::Error;

use super::Suggestion;
use crate::ids::{ContentHoldId, PersonId, PlaceId};
use crate::topic::Reason;

/// What was submitted, i.e. which step publishes it once it may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HoldKind {
    /// A new topic: title, description.
    Topic,
    /// An opinion with a stance in a topic's thread.
    Opinion,
    /// A reply to an opinion.
    Reply,
    /// A version of a meeting's minutes (its leads write them; residents read them).
    Minutes,
    /// A rating's comment, with the rating it comes with (the score waits with it).
    Rating,
    /// Staff's answer to a dissatisfied resident's request for an explanation.
    Explanation,
    /// A resident's question (质询) on a line of a disclosure, public once shown.
    DisclosureQuestion,
}

impl HoldKind {
    pub fn as_str(self) -> &'static str {
        match self {
            HoldKind::Topic => "topic",
            HoldKind::Opinion => "opinion",
            HoldKind::Reply => "reply",
            HoldKind::Minutes => "minutes",
            HoldKind::Rating => "rating",
            HoldKind::Explanation => "explanation",
            // The column holds 16 characters.
            HoldKind::DisclosureQuestion => "question",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "topic" => Some(HoldKind::Topic),
            "opinion" => Some(HoldKind::Opinion),
            "reply" => Some(HoldKind::Reply),
            "minutes" => Some(HoldKind::Minutes),
            "rating" => Some(HoldKind::Rating),
            "explanation" => Some(HoldKind::Explanation),
            "question" => Some(HoldKind::DisclosureQuestion),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoldState {
    /// The check could not be made (an error, a timeout); asked again at `next_check_at`.
    AwaitingCheck { attempts: u32, next_check_at: DateTime<Utc> },
    /// The check flagged it (`risky`) or was unsure (`review`): a moderator decides.
    Held { suggestion: Suggestion },
    /// Shown to others: the check passed (`approved_by` none) or a moderator approved it.
    Published { approved_by: Option<PersonId> },
    /// A moderator refused it; the author reads the reason.
    Rejected { by: PersonId, reason: Reason },
    /// Cleared, but the step it was for refused it by then (the topic left deliberation, the author lost
    /// the role): kept so the author learns why it never appeared.
    Lapsed,
}

impl HoldState {
    pub fn code(&self) -> &'static str {
        match self {
            HoldState::AwaitingCheck { .. } => "awaiting_check",
            HoldState::Held { .. } => "held",
            HoldState::Published { .. } => "published",
            HoldState::Rejected { .. } => "rejected",
            HoldState::Lapsed => "lapsed",
        }
    }

    /// Whether others still do not see it and nothing has ended it.
    pub fn is_pending(&self) -> bool {
        matches!(self, HoldState::AwaitingCheck { .. } | HoldState::Held { .. })
    }
}

/// A step on a hold in the wrong state: someone else decided first, or the retry round raced a moderator.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ContentError {
    #[error("the submission is {state}, not held for moderation")]
    NotHeld { state: &'static str },
    #[error("the submission is {state}, not awaiting its check")]
    NotAwaitingCheck { state: &'static str },
}

/// A held submission: who wrote it, where (the place whose community's staff moderate it) and how it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    pub id: ContentHoldId,
    pub kind: HoldKind,
    pub author: PersonId,
    /// The compound or building the content is about.
    pub place: PlaceId,
    pub state: HoldState,
}

/// How long to wait before asking an unavailable checker again after `attempts` failures: one minute,
/// doubling, at most an hour. Never giving up is the point: a submission is not lost to an outage.
pub fn retry_after(attempts: u32) -> Duration {
    let minutes = 1i64 << attempts.saturating_sub(1).min(6);
    Duration::minutes(minutes.min(60))
}

impl Hold {
    /// A submission the check flagged or was unsure about.
    pub fn flagged(
        id: ContentHoldId,
        kind: HoldKind,
        author: PersonId,
        place: PlaceId,
        suggestion: Suggestion,
    ) -> Self {
        Self { id, kind, author, place, state: HoldState::Held { suggestion } }
    }

    /// A submission whose check could not be made at `now`.
    pub fn unchecked(id: ContentHoldId, kind: HoldKind, author: PersonId, place: PlaceId, now: DateTime<Utc>) -> Self {
        let state = HoldState::AwaitingCheck { attempts: 1, next_check_at: now + retry_after(1) };
        Self { id, kind, author, place, state }
    }

    /// The retry's answer: `None` when the check was unavailable again.
    pub fn rechecked(self, answer: Option<Suggestion>, now: DateTime<Utc>) -> Result<Self, ContentError> {
        let HoldState::AwaitingCheck { attempts, .. } = self.state else {
            return Err(ContentError::NotAwaitingCheck { state: self.state.code() });
        };
        let state = match answer {
            None => {
                let attempts = attempts.saturating_add(1);
                HoldState::AwaitingCheck { attempts, next_check_at: now + retry_after(attempts) }
            }
            Some(Suggestion::Pass) => HoldState::Published { approved_by: None },
            Some(suggestion) => HoldState::Held { suggestion },
        };
        Ok(Self { state, ..self })
    }

    /// A moderator lets it be shown.
    pub fn approve(self, by: PersonId) -> Result<Self, ContentError> {
        match self.state {
            HoldState::Held { .. } => Ok(Self { state: HoldState::Published { approved_by: Some(by) }, ..self }),
            other => Err(ContentError::NotHeld { state: other.code() }),
        }
    }

    /// A moderator refuses it, with the reason its author reads.
    pub fn reject(self, by: PersonId, reason: Reason) -> Result<Self, ContentError> {
        match self.state {
            HoldState::Held { .. } => Ok(Self { state: HoldState::Rejected { by, reason }, ..self }),
            other => Err(ContentError::NotHeld { state: other.code() }),
        }
    }

    /// Cleared, but its step refused it.
    pub fn lapse(self) -> Self {
        Self { state: HoldState::Lapsed, ..self }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use uuid::Uuid;

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 8, 0, 0).single().expect("a time")
    }

    fn hold(state: HoldState) -> Hold {
        Hold {
            id: ContentHoldId::from_uuid(Uuid::from_u128(1)),
            kind: HoldKind::Opinion,
            author: PersonId::from_uuid(Uuid::from_u128(2)),
            place: PlaceId::from_uuid(Uuid::from_u128(3)),
            state,
        }
    }

    fn staff() -> PersonId {
        PersonId::from_uuid(Uuid::from_u128(9))
    }

    #[test]
    fn retries_wait_one_minute_then_double_up_to_an_hour() {
        assert_eq!(retry_after(1), Duration::minutes(1));
        assert_eq!(retry_after(2), Duration::minutes(2));
        assert_eq!(retry_after(6), Duration::minutes(32));
        assert_eq!(retry_after(7), Duration::minutes(60));
        assert_eq!(retry_after(u32::MAX), Duration::minutes(60));
    }

    #[test]
    fn an_unavailable_check_is_asked_again_later_and_a_pass_publishes() {
        let unchecked = Hold::unchecked(
            hold(HoldState::Lapsed).id,
            HoldKind::Topic,
            staff(),
            PlaceId::from_uuid(Uuid::from_u128(3)),
            now(),
        );
        assert_eq!(
            unchecked.state,
            HoldState::AwaitingCheck { attempts: 1, next_check_at: now() + Duration::minutes(1) }
        );
        let again = unchecked.rechecked(None, now() + Duration::minutes(1)).expect("awaiting");
        assert_eq!(again.state, HoldState::AwaitingCheck { attempts: 2, next_check_at: now() + Duration::minutes(3) });
        let passed = again.rechecked(Some(Suggestion::Pass), now() + Duration::minutes(3)).expect("awaiting");
        assert_eq!(passed.state, HoldState::Published { approved_by: None });
    }

    #[test]
    fn a_risky_answer_on_retry_holds_it_for_a_moderator() {
        let unchecked = hold(HoldState::AwaitingCheck { attempts: 1, next_check_at: now() });
        let held = unchecked.rechecked(Some(Suggestion::Risky), now()).expect("awaiting");
        assert_eq!(held.state, HoldState::Held { suggestion: Suggestion::Risky });
    }

    #[test]
    fn only_a_held_submission_is_approved_or_rejected() {
        let held = hold(HoldState::Held { suggestion: Suggestion::Review });
        let approved = held.clone().approve(staff()).expect("held");
        assert_eq!(approved.state, HoldState::Published { approved_by: Some(staff()) });
        assert_eq!(approved.approve(staff()), Err(ContentError::NotHeld { state: "published" }));
        let reason = Reason::parse("含有广告").expect("a reason");
        let rejected = held.reject(staff(), reason.clone()).expect("held");
        assert_eq!(rejected.state, HoldState::Rejected { by: staff(), reason: reason.clone() });
        assert_eq!(rejected.reject(staff(), reason), Err(ContentError::NotHeld { state: "rejected" }));
        let awaiting = hold(HoldState::AwaitingCheck { attempts: 1, next_check_at: now() });
        assert_eq!(awaiting.approve(staff()), Err(ContentError::NotHeld { state: "awaiting_check" }));
    }
}
