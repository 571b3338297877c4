//! The topic's timeline: append-only, written in the same transaction as the change it records.

use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{PersonId, TimelineEventId, TopicId};
use gongzhi_domain::topic::{EventKind, Note, TimelineEvent, Visibility};
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use sea_orm::{ConnectionTrait, QueryTrait};

use super::write::TopicWrite;
use crate::entities::topic_event;
use crate::rows::corrupt;
use crate::{Result, new_id};

/// One recorded event, as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub id: TimelineEventId,
    pub topic: TopicId,
    pub actor: Option<PersonId>,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
    pub kind: EventKind,
    pub visibility: Visibility,
}

/// Records the event and marks its topic as changed, so cached reads of it are invalidated on commit.
pub(crate) async fn append(db: &TopicWrite, event: &TimelineEvent) -> Result<()> {
    append_as(db, event, crate::event_log::NewEvent::of_timeline(event)).await
}

/// `append`, with the log's fact prepared by the caller (told more than the timeline step says: the
/// category a topic was submitted in, the deadline a step was taken against).
pub(crate) async fn append_as(db: &TopicWrite, event: &TimelineEvent, fact: crate::event_log::NewEvent) -> Result<()> {
    db.touch(event.topic);
    let payload = serde_json::to_string(&event.kind).map_err(|e| DbErr::Custom(e.to_string()))?;
    // Nothing reads the row back inside the step: on PostgreSQL it goes with the log's flush (decision 175).
    let row = topic_event::ActiveModel {
        id: Set(new_id()),
        topic_id: Set(event.topic.as_uuid()),
        actor_id: Set(event.actor.map(|p| p.as_uuid())),
        at: Set(event.at),
        kind: Set(event.kind.kind_code().to_owned()),
        visibility: Set(event.visibility().as_str().to_owned()),
        note: Set(event.note.as_ref().map(|n| n.as_str().to_owned())),
        payload: Set(payload),
    };
    db.insert_at_commit(topic_event::Entity::insert(row).build(db.get_database_backend())).await?;
    db.record(fact);
    crate::outbox::events::on_event(db, event).await
}

/// An event as read back. Who may see it is decided by the reader (`Standing`), on the stored visibility.
pub(crate) fn entry_of(row: topic_event::Model) -> Result<TimelineEntry> {
    let kind: EventKind = serde_json::from_str(&row.payload).map_err(|_| corrupt("timeline event", row.id))?;
    // Visibility is a property of the kind; recomputing it keeps old rows in step with the rules.
    let visibility = kind.visibility();
    Ok(TimelineEntry {
        id: TimelineEventId::from_uuid(row.id),
        topic: TopicId::from_uuid(row.topic_id),
        actor: row.actor_id.map(PersonId::from_uuid),
        at: row.at,
        note: row.note.and_then(|n| Note::parse(&n).ok()).map(|n| n.as_str().to_owned()),
        kind,
        visibility,
    })
}
