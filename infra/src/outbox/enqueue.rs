//! Writing messages to the outbox, inside the transaction of the change they report.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use gongzhi_domain::ids::TopicId;
use gongzhi_domain::notify::{Channel, NotificationKind, Rendered, TemplateData};
use sea_orm::prelude::*;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query};
use sea_orm::{ConnectionTrait, QuerySelect};

use super::queued::{QueuedMessage, Recipient, queue};
use super::recipients::{PERSON, Recipients};
use crate::entities::{identity, notification_preference, person};
use crate::people::WECHAT;
use crate::{Result, new_id};

/// Recipients read and written per round trip: large enough that a fan-out to a whole compound is a few
/// dozen statements, small enough that its memory does not grow with the compound.
pub(crate) const BATCH: u64 = 2_000;

/// What to tell, before it is addressed.
#[derive(Debug, Clone)]
pub(crate) struct Notice {
    pub kind: NotificationKind,
    pub topic: Option<TopicId>,
    pub data: TemplateData,
}

impl Notice {
    /// The mini-program page the message opens.
    fn page(&self) -> Option<String> {
        self.topic.map(|topic| format!("pages/topic/detail?id={}", topic.as_uuid()))
    }
}

/// WeChat's shape for template data: `{"thing1": {"value": "…"}, …}`.
fn data_json(kind: NotificationKind, data: &TemplateData) -> String {
    let rendered = Rendered::new(kind, data);
    let map: serde_json::Map<String, serde_json::Value> =
        rendered.fields.into_iter().map(|field| (field.key, serde_json::json!({ "value": field.value }))).collect();
    serde_json::Value::Object(map).to_string()
}

/// Addresses the notice to everyone `recipients` yields, on each channel they have an address for and have
/// not switched off, and queues the messages. Returns how many were queued.
pub(crate) async fn notify(
    db: &impl ConnectionTrait,
    notice: &Notice,
    recipients: &Recipients,
    now: DateTime<Utc>,
) -> Result<u64> {
    let source = recipients.query(db).await?;
    let data = data_json(notice.kind, &notice.data);
    let backend = db.get_database_backend();
    let mut after: Option<Uuid> = None;
    let mut queued = 0;
    loop {
        let mut page = Query::select();
        page.distinct().column(Alias::new(PERSON)).from_subquery(source.clone(), Alias::new("recipients"));
        if let Some(last) = after {
            page.and_where(Expr::col(Alias::new(PERSON)).gt(last));
        }
        page.order_by(Alias::new(PERSON), Order::Asc).limit(BATCH);
        let rows = db.query_all_raw(backend.build(&page)).await?;
        let people =
            rows.iter().map(|row| row.try_get::<Uuid>("", PERSON)).collect::<std::result::Result<Vec<_>, _>>()?;
        let Some(last) = people.last().copied() else { break };
        queued += address_batch(db, notice, &data, &people, now).await?;
        if (people.len() as u64) < BATCH {
            break;
        }
        after = Some(last);
    }
    Ok(queued)
}

async fn address_batch(
    db: &impl ConnectionTrait,
    notice: &Notice,
    data: &str,
    people: &[Uuid],
    now: DateTime<Utc>,
) -> Result<u64> {
    let openids: HashMap<Uuid, String> = identity::Entity::find()
        .select_only()
        .column(identity::Column::PersonId)
        .column(identity::Column::Subject)
        .filter(identity::Column::Provider.eq(WECHAT))
        .filter(identity::Column::PersonId.is_in(people.iter().copied()))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let phones: HashMap<Uuid, String> = person::Entity::find()
        .select_only()
        .column(person::Column::Id)
        .column(person::Column::Phone)
        .filter(person::Column::Id.is_in(people.iter().copied()))
        .filter(person::Column::Phone.is_not_null())
        .into_tuple::<(Uuid, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(id, phone)| phone.map(|phone| (id, phone)))
        .collect();
    let choices: HashMap<(Uuid, String), bool> = notification_preference::Entity::find()
        .filter(notification_preference::Column::PersonId.is_in(people.iter().copied()))
        .filter(notification_preference::Column::Kind.eq(notice.kind.code()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| ((row.person_id, row.channel), row.enabled))
        .collect();
    let page = notice.page();
    let mut messages = Vec::new();
    for person in people {
        for channel in Channel::PERSONAL {
            let wanted = choices
                .get(&(*person, channel.code().to_owned()))
                .copied()
                .unwrap_or_else(|| notice.kind.on_by_default(channel));
            let address = match channel {
                Channel::WechatSubscribe => openids.get(person).cloned(),
                Channel::Sms => phones.get(person).cloned(),
                // A partner's app knows its users by their Gongzhi id.
                Channel::AppPush => Some(person.to_string()),
                Channel::Webhook => None,
            };
            let Some(address) = address.filter(|_| wanted) else { continue };
            messages.push(QueuedMessage {
                id: new_id(),
                kind: notice.kind.code().to_owned(),
                to: Recipient::Person { person: *person, channel },
                address,
                data: data.to_owned(),
                page: page.clone(),
                topic: notice.topic.map(|t| t.as_uuid()),
                at: now,
                webhook: None,
            });
        }
    }
    queue(db, messages).await
}
