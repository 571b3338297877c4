//! The co-governance pipeline's storage and use cases: the catalogue, solicitation rounds, topics from
//! submission through triage and service requests, their timelines and detail lists (the feeds and their
//! caching are `crate::feed`). Every step loads the topic, asks the policy, lets the domain make the
//! transition, then writes the new state (guarded by the state it loaded) and the timeline event in one
//! transaction.

mod awaiting;
mod catalogue;
mod collect;
mod deliberation;
mod details;
mod events;
mod feedback;
mod implementation;
mod meetings;
mod open311;
mod opinions;
pub(crate) mod plan_topic;
mod progress_reports;
mod rounds;
pub(crate) mod row;
mod service;
mod standing;
mod supervision;
mod threads;
mod triage;
pub(crate) mod write;

pub use catalogue::NewCategory;
pub use collect::{NewLocation, NewTopic};
pub use events::TimelineEntry;
pub use feedback::{RatingSummary, TopicRequest};
pub use implementation::NewTask;
pub use meetings::{MeetingRecord, NewMeeting, Participant};
pub use open311::{Open311Filing, Open311Query, Open311Request, Open311Service};
pub use opinions::{OpinionEntry, OpinionPage, OpinionReport, OpinionThread, StanceCounts};
pub use progress_reports::ProgressReport;
pub use standing::Standing;
pub use supervision::SupervisionReport;

use chrono::{DateTime, Utc};
use gongzhi_domain::Conflict;
use gongzhi_domain::ids::{PersonId, TopicId};
use gongzhi_domain::place::PlaceContext;
use gongzhi_domain::policy::{Action, Actor, Caller, require};
use gongzhi_domain::topic::{Deadlines, EscalationLevel, TimelineEvent, Topic};
use sea_orm::ConnectionTrait;
use sea_orm::prelude::*;

use crate::entities::topic;
use crate::place_contexts::{contexts_of, topic_with_context};
use crate::{Error, Result, Store};

/// A topic as read, with what only storage knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicRecord {
    pub topic: Topic,
    pub co_sign_count: u32,
    pub updated_at: DateTime<Utc>,
}

pub(crate) struct Loaded {
    row: topic::Model,
    topic: Topic,
    ctx: PlaceContext,
}

impl Loaded {
    pub(crate) fn topic(&self) -> &Topic {
        &self.topic
    }

    /// The compound the topic lies in.
    pub(crate) fn compound(&self) -> Option<gongzhi_domain::ids::PlaceId> {
        self.topic.place.at(gongzhi_domain::place::PlaceKind::Compound)
    }

    fn record(self) -> TopicRecord {
        record_of(&self.row, self.topic)
    }
}

pub(crate) fn record_of(row: &topic::Model, topic: Topic) -> TopicRecord {
    TopicRecord { topic, co_sign_count: u32::try_from(row.co_sign_count).unwrap_or(0), updated_at: row.updated_at }
}

/// Loads a topic the caller (a person, or a partner within its scope) may see; one they may not see is
/// not found.
pub(crate) async fn load_visible<'a>(
    db: &impl ConnectionTrait,
    caller: impl Into<Caller<'a>>,
    id: TopicId,
) -> Result<Loaded> {
    let caller = caller.into();
    // The topic with its place and its compound's facts, in one statement.
    let (row, ctx) = topic_with_context(db, id.as_uuid()).await?.ok_or(Error::NotFound("topic"))?;
    caller.authorize(Action::ViewTopics, &ctx).map_err(|_| Error::NotFound("topic"))?;
    let topic = row::topic_of(&row, ctx.ancestry.clone())?;
    Ok(Loaded { row, topic, ctx })
}

pub(crate) use catalogue::category_of;
pub(crate) use events::append as append_event;

/// Who triages (and supervises) the topic at its current level: the community's staff, or once escalated,
/// the officers of the street or district (the community no longer decides it).
pub(crate) fn authorize_lead(actor: &Actor, loaded: &Loaded) -> Result<()> {
    let (action, ctx) = leading(loaded);
    Ok(require(actor, action, ctx)?)
}

/// What leading the topic is, at its current level, and where.
pub(crate) fn leading(loaded: &Loaded) -> (Action, &PlaceContext) {
    let action = match loaded.topic.level {
        EscalationLevel::Community => Action::TriageTopic,
        level => Action::TriageEscalatedTopic(level.place_kind()),
    };
    (action, &loaded.ctx)
}

/// The refusal for someone who may not see a topic yet knows of it through an invitation (a meeting's
/// invitee from outside the compound), asking to do what its leads do: FORBIDDEN naming the roles that
/// lead it, and where (decision 61), read off the topic's place without showing the topic itself.
pub(crate) async fn lead_refusal(db: &impl ConnectionTrait, actor: &Actor, id: TopicId) -> Result<Error> {
    let row = topic::Entity::find_by_id(id.as_uuid()).one(db).await?.ok_or(Error::NotFound("topic"))?;
    let ctx = contexts_of(db, &[row.place_id]).await?.remove(&row.place_id).ok_or(Error::NotFound("place"))?;
    let topic = row::topic_of(&row, ctx.ancestry.clone())?;
    let loaded = Loaded { row, topic, ctx };
    Ok(match authorize_lead(actor, &loaded) {
        Err(refused) => refused,
        Ok(()) => gongzhi_domain::Denied::Forbidden.into(),
    })
}

/// Writes a transition: the new state over the one that was loaded (or a conflict if someone else
/// changed it meanwhile), and the timeline event.
pub(crate) async fn save(
    db: &write::TopicWrite,
    before: &topic::Model,
    after: &Topic,
    event: &TimelineEvent,
    deadlines: &Deadlines,
    now: DateTime<Utc>,
) -> Result<topic::Model> {
    db.placed(after.id, &after.place);
    let mut active: topic::ActiveModel = before.clone().into();
    row::write_state(&mut active, after, deadlines, now)?;
    let updated = topic::Entity::update_many()
        .set(active)
        .filter(topic::Column::Id.eq(before.id))
        .filter(topic::Column::State.eq(before.state.clone()))
        .filter(topic::Column::Level.eq(before.level.clone()))
        .filter(topic::Column::UpdatedAt.eq(before.updated_at))
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        return Err(Conflict::TopicChanged.into());
    }
    // The deadline the topic ran against before this step: the step met it or not (decision 157).
    let mut fact = crate::event_log::NewEvent::of_timeline(event);
    if let (Some(kind), Some(at)) = (&before.due_kind, before.due_at) {
        fact = fact.due(kind, at);
    }
    events::append_as(db, event, fact).await?;
    topic::Entity::find_by_id(before.id).one(db).await?.ok_or(Error::NotFound("topic"))
}

impl Store {
    /// A topic by id, if the caller (a person, or a partner within its scope) may see it.
    /// Served from the read cache when there is one; whether the caller may see it is checked every time.
    pub async fn topic<'a>(&self, caller: impl Into<Caller<'a>>, id: TopicId) -> Result<TopicRecord> {
        let caller = caller.into();
        let Some(cache) = self.read_cache() else { return Ok(load_visible(&self.db, caller, id).await?.record()) };
        let fill = || async {
            let row = topic::Entity::find_by_id(id.as_uuid()).one(&self.db).await?.ok_or(Error::NotFound("topic"))?;
            let (mut rows, _) = self.with_places(vec![row]).await?;
            rows.pop().ok_or(Error::NotFound("topic"))
        };
        let entry = format!("topic:{}", id.as_uuid());
        let cached = cache.fetch(&[crate::cache::topic_version(id.as_uuid())], &entry, fill).await?;
        // The permission rests on facts that change without touching topics (contracts, committee seats):
        // the place's context is read as authority is (`read_contexts`), not from the cached row, which
        // serves only for the ancestry, which never changes.
        let place = cached.row.place_id;
        let ctx = self.read_contexts(&[place]).await?.remove(&place).ok_or(Error::NotFound("topic"))?;
        caller.authorize(Action::ViewTopics, &ctx).map_err(|_| Error::NotFound("topic"))?;
        cached.record()
    }

    /// Whether the person co-signed the topic (personal: never cached across people).
    pub async fn has_co_signed(&self, person: PersonId, topic: TopicId) -> Result<bool> {
        use crate::entities::topic_co_signature as co;
        Ok(co::Entity::find_by_id((topic.as_uuid(), person.as_uuid())).one(&self.db).await?.is_some())
    }

    pub fn deadlines(&self) -> &Deadlines {
        &self.deadlines
    }
}
