//! How one viewer stands towards one topic: whether they may see it at all, whether they see what the
//! staff see (staff-only timeline events, triage notes, every request, every name), whether they serve it
//! for the property company, and whether they moderate its opinion thread. The policy decides it on the topic's
//! place, the same way for a topic read alone as for each row of a list; the detail lists
//! (`topics/details.rs`) are read only for a decided standing, so none can be read for a topic nobody
//! was allowed to see.

use gongzhi_domain::ids::{PersonId, TopicId};
use gongzhi_domain::place::PlaceContext;
use gongzhi_domain::policy::{Action, Caller};
use gongzhi_domain::topic::Visibility;

use super::events::TimelineEntry;
use crate::{Error, Result};

/// A viewer's standing towards a topic, made only by [`Standing::of`]. A key of the batch reads of the
/// topic's details: it names the viewer, so a personal answer (their own requests, names shown to them)
/// is never given to anyone else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Standing {
    topic: TopicId,
    viewer: PersonId,
    staff: bool,
    serves: bool,
    moderates: bool,
}

impl Standing {
    /// The actor's standing towards the topic about the place `place` is the context of. A topic they may
    /// not see is not found, as if it did not exist.
    ///
    /// A partner reads as a neighbour who is nobody: its viewer is the nil id, which authors no opinion,
    /// request or step, so it sees the public thread and timeline with residents unnamed, and no requests.
    pub fn of<'a>(caller: impl Into<Caller<'a>>, topic: TopicId, place: &PlaceContext) -> Result<Self> {
        let caller = caller.into();
        caller.authorize(Action::ViewTopics, place).map_err(|_| Error::NotFound("topic"))?;
        let staff = caller.authorize(Action::ViewStaffTimeline, place).is_ok();
        let serves = caller.authorize(Action::HandleServiceRequest, place).is_ok();
        let moderates = caller.authorize(Action::ModerateOpinions, place).is_ok();
        let viewer = caller.person_id().unwrap_or_else(|| PersonId::from_uuid(uuid::Uuid::nil()));
        Ok(Self { topic, viewer, staff, serves, moderates })
    }

    pub fn topic(&self) -> TopicId {
        self.topic
    }

    pub fn viewer(&self) -> PersonId {
        self.viewer
    }

    /// Whether the viewer sees the staff's timeline: staff-only events, triage notes, every request and
    /// every name. The policy gives it to those who may triage the topic.
    pub fn staff(&self) -> bool {
        self.staff
    }

    /// Whether the viewer sees who raised the topic: the resident themself and the staff leading it, not every
    /// neighbour (nor an API partner, whose viewer is nobody).
    pub fn sees_submitter(&self, submitter: PersonId) -> bool {
        self.staff || self.viewer == submitter
    }

    /// Whether the viewer moderates the opinion thread: sees hidden opinions, reports and their counts.
    pub fn moderates(&self) -> bool {
        self.moderates
    }

    /// The entry as the viewer sees it. Neighbours see that a resident took a step of their own (raised,
    /// co-signed, confirmed…), not who: for them such an entry has no actor. The staff and the resident
    /// themselves see the name. A note only the staff read (`EventKind::note_visibility`: a triage note)
    /// is left out for everyone else, but for the property company's staff when it is addressed to them.
    pub(crate) fn shown(&self, mut entry: TimelineEntry) -> TimelineEntry {
        if !self.staff && entry.kind.is_residents_own_step() && entry.actor != Some(self.viewer) {
            entry.actor = None;
        }
        let for_the_company = self.serves && entry.kind.note_addresses_the_company();
        if !self.staff && entry.kind.note_visibility() == Visibility::Staff && !for_the_company {
            entry.note = None;
        }
        entry
    }

    /// Whose requests the viewer sees: everyone's (`None`) for the staff, only their own otherwise.
    pub(crate) fn requests_of(&self) -> Option<PersonId> {
        (!self.staff).then_some(self.viewer)
    }
}
