//! The topic itself: what was raised, where, by whom, who leads it now, and where it stands. Its steps
//! are methods in the files named for the pipeline's stages (`collect.rs`, `triage.rs`, …); each one
//! consumes the topic and returns a [`Transition`], or refuses with a [`TopicError`].

use chrono::{DateTime, Utc};

use crate::ids::{CategoryId, PersonId, PlaceId, RoundId, TopicId};
use crate::place::{Ancestry, PlaceKind};
use crate::topic::{
    EscalationLevel, EventKind, Location, Note, Photos, Stage, TimelineEvent, TopicDescription, TopicError, TopicState,
    TopicTitle,
};

/// Fields are public so storage can rebuild a topic from its row, as with
/// [`HouseholdClaim`](crate::claim::HouseholdClaim); storage changes `state` and `level` only through the
/// transitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub id: TopicId,
    pub submitter: PersonId,
    /// The compound or building the topic is about, with its ancestors (its community, its street).
    pub place: Ancestry,
    pub category: CategoryId,
    pub round: Option<RoundId>,
    pub title: TopicTitle,
    pub description: TopicDescription,
    pub location: Option<Location>,
    pub photos: Photos,
    pub submitted_at: DateTime<Utc>,
    /// Who leads the topic now; see [`EscalationLevel`].
    pub level: EscalationLevel,
    pub state: TopicState,
}

/// The outcome of a step: the topic in its new state and the event to append to its timeline. Storage
/// writes both in one transaction, guarding the write with the state code it loaded so that two people
/// deciding at once cannot both win.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct Transition {
    pub topic: Topic,
    pub event: TimelineEvent,
}

impl Topic {
    pub const fn stage(&self) -> Stage {
        self.state.stage()
    }

    /// The community the topic lies in, whose catalogue and residents' committee it belongs to.
    pub fn community(&self) -> Option<PlaceId> {
        self.place.at(PlaceKind::Community)
    }

    /// The place whose staff or officers lead the topic at its current level: its community, or its
    /// street or district once escalated. Storage asks the policy about this place for triage and
    /// supervision.
    pub fn jurisdiction(&self) -> Option<PlaceId> {
        self.place.at(self.level.place_kind())
    }

    pub fn is_submitter(&self, person: PersonId) -> bool {
        self.submitter == person
    }

    /// A staff-only working note, allowed at any stage. It changes nothing but the timeline.
    pub fn add_note(&self, by: PersonId, text: Note, now: DateTime<Utc>) -> TimelineEvent {
        self.event(Some(by), now, None, EventKind::StaffNote { text })
    }

    pub(super) fn event(
        &self,
        actor: Option<PersonId>,
        at: DateTime<Utc>,
        note: Option<Note>,
        kind: EventKind,
    ) -> TimelineEvent {
        TimelineEvent { topic: self.id, actor, at, note, kind }
    }

    /// Wraps the topic, already in its new state, with the event that records the step.
    pub(super) fn record(
        self,
        actor: Option<PersonId>,
        at: DateTime<Utc>,
        note: Option<Note>,
        kind: EventKind,
    ) -> Transition {
        let event = self.event(actor, at, note, kind);
        Transition { topic: self, event }
    }
}

pub(super) fn wrong_stage(action: &'static str, state: &TopicState) -> TopicError {
    TopicError::WrongStage { action, state: state.code() }
}
