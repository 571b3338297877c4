//! A person's in-app notifications, as live updates show them: the messages queued for them (in the
//! step's transaction, decision 18), one per notice whatever the channels it goes out on.

use chrono::{DateTime, Utc};
use gongzhi_domain::ids::PersonId;
use sea_orm::prelude::*;
use sea_orm::{QueryOrder, QuerySelect};

use crate::entities::outbox_message;
use crate::{Result, Store};

/// One notice to the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The first of its messages; later notices have larger ids (they are minted in time order).
    pub id: Uuid,
    /// The notification kind's code, e.g. `topic_accepted`.
    pub kind: String,
    pub topic: Option<Uuid>,
    pub at: DateTime<Utc>,
}

impl Store {
    /// The person's notices queued after `after` (a notice id; all when `None`), oldest first, at most
    /// `limit` messages read.
    pub async fn notices_for(&self, person: PersonId, after: Option<Uuid>, limit: u64) -> Result<Vec<Notice>> {
        let mut query = outbox_message::Entity::find().filter(outbox_message::Column::PersonId.eq(person.as_uuid()));
        if let Some(after) = after {
            query = query.filter(outbox_message::Column::Id.gt(after));
        }
        let rows = query.order_by_asc(outbox_message::Column::Id).limit(limit).all(&self.db).await?;
        let mut notices: Vec<Notice> = Vec::new();
        for row in rows {
            // The same notice on another channel: one notification.
            let same = |notice: &Notice| {
                notice.kind == row.kind && notice.topic == row.topic_id && notice.at == row.created_at
            };
            if !notices.iter().any(same) {
                notices.push(Notice { id: row.id, kind: row.kind, topic: row.topic_id, at: row.created_at });
            }
        }
        Ok(notices)
    }

    /// The newest of the person's notices' ids: where a new subscriber's notifications start.
    pub async fn last_notice(&self, person: PersonId) -> Result<Option<Uuid>> {
        let last = outbox_message::Entity::find()
            .select_only()
            .column(outbox_message::Column::Id)
            .filter(outbox_message::Column::PersonId.eq(person.as_uuid()))
            .order_by_desc(outbox_message::Column::Id)
            .into_tuple::<Uuid>()
            .one(&self.db)
            .await?;
        Ok(last)
    }
}
