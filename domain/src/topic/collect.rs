//! 议题征集: a resident submits a topic, others co-sign it, and the submitter may withdraw it while
//! triage has not yet decided.

use chrono::{DateTime, Utc};

use crate::Invalid;
use crate::ids::{PersonId, TopicId};
use crate::place::{Ancestry, PlaceKind};
use crate::topic::topic::wrong_stage;
use crate::topic::{
    Category, EscalationLevel, EventKind, Location, Note, Photos, SolicitationRound, TimelineEvent, Topic,
    TopicDescription, TopicError, TopicState, TopicTitle, Transition,
};

/// What the resident wrote, each part parsed at the edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicDraft {
    pub title: TopicTitle,
    pub description: TopicDescription,
    pub location: Option<Location>,
    pub photos: Photos,
}

/// Where the topic is filed, as storage loaded it: the place with its ancestors, the chosen catalogue
/// entry, and the solicitation round it answers, if any.
#[derive(Debug, Clone, Copy)]
pub struct Placement<'a> {
    pub place: &'a Ancestry,
    pub category: &'a Category,
    pub round: Option<&'a SolicitationRound>,
}

impl Topic {
    /// A new topic awaiting its community's triage. The place must be a compound or a building; the
    /// category must be an active entry of that community's catalogue; a round, if named, must contain
    /// the place and be open now. Whether the submitter lives there is the policy's question.
    pub fn submit(
        id: TopicId,
        submitter: PersonId,
        draft: TopicDraft,
        placement: Placement<'_>,
        now: DateTime<Utc>,
    ) -> Result<Transition, TopicError> {
        let Placement { place, category, round } = placement;
        if !matches!(place.kind(), PlaceKind::Compound | PlaceKind::Building) {
            return Err(
                Invalid::WrongPlaceKind { expected: "compound or building", given: place.kind().as_str() }.into()
            );
        }
        category.check_usable_at(place)?;
        if let Some(round) = round {
            round.check_accepts(place, now)?;
        }
        let topic = Topic {
            id,
            submitter,
            place: place.clone(),
            category: category.id,
            round: round.map(|r| r.id),
            title: draft.title,
            description: draft.description,
            location: draft.location,
            photos: draft.photos,
            submitted_at: now,
            level: EscalationLevel::Community,
            state: TopicState::AwaitingTriage { since: now },
        };
        Ok(topic.record(Some(submitter), now, None, EventKind::Submitted))
    }

    /// 附议. Decision: co-signing is open while the topic awaits triage (at the community or the street)
    /// and closes with the triage decision, since support is what triage weighs. The topic itself does
    /// not change: storage inserts the co-signature, unique per (topic, person), beside the event.
    pub fn co_sign(&self, by: PersonId, now: DateTime<Utc>) -> Result<TimelineEvent, TopicError> {
        if self.is_submitter(by) {
            return Err(TopicError::OwnTopic);
        }
        match self.state {
            TopicState::AwaitingTriage { .. } => Ok(self.event(Some(by), now, None, EventKind::CoSigned)),
            ref other => Err(wrong_stage("co-sign", other)),
        }
    }

    /// The submitter takes the topic back, only while it awaits triage: once triage has decided, others
    /// (co-signers, the parties) have a stake in it.
    pub fn withdraw(mut self, by: PersonId, note: Option<Note>, now: DateTime<Utc>) -> Result<Transition, TopicError> {
        if !self.is_submitter(by) {
            return Err(TopicError::NotSubmitter);
        }
        match self.state {
            TopicState::AwaitingTriage { .. } => self.state = TopicState::Withdrawn { at: now },
            ref other => return Err(wrong_stage("withdraw", other)),
        }
        Ok(self.record(Some(by), now, note, EventKind::Withdrawn))
    }
}
