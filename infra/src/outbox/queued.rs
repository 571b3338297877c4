//! Messages entering the queue: whom each is for and what it says. Everything about delivery starts the
//! same for every message — queued, due at once, no attempt, no lease, no consent used — so it is set
//! here, once.

use chrono::{DateTime, Utc};
use gongzhi_domain::notify::{Channel, MessageStatus};
use sea_orm::ActiveValue::Set;
use sea_orm::ConnectionTrait;
use sea_orm::prelude::*;

use crate::Result;
use crate::entities::outbox_message;

/// Rows per INSERT, under SQLite's limit of bound parameters per statement.
const ROWS_PER_INSERT: usize = 400;

/// Who a message goes to: a person on one of their channels, or a partner's webhook endpoint.
pub(crate) enum Recipient {
    Person { person: Uuid, channel: Channel },
    Endpoint(Uuid),
}

pub(crate) struct QueuedMessage {
    pub id: Uuid,
    /// The notification kind's code (a webhook: the event's); also the template, which the worker maps
    /// to WeChat's template id when sending (docs/decisions.md, 20).
    pub kind: String,
    pub to: Recipient,
    pub address: String,
    pub data: String,
    /// The mini-program page the message opens.
    pub page: Option<String>,
    pub topic: Option<Uuid>,
    /// When it was written, and so first due.
    pub at: DateTime<Utc>,
    /// A webhook's event: its log sequence (the order the endpoint receives it in) and `webhook-id`.
    pub webhook: Option<WebhookEvent>,
}

/// What a webhook message carries besides its body (decision 72).
pub(crate) struct WebhookEvent {
    pub seq: Option<i64>,
    pub id: String,
}

impl From<QueuedMessage> for outbox_message::ActiveModel {
    fn from(message: QueuedMessage) -> Self {
        let (person, endpoint, channel) = match message.to {
            Recipient::Person { person, channel } => (Some(person), None, channel),
            Recipient::Endpoint(endpoint) => (None, Some(endpoint), Channel::Webhook),
        };
        outbox_message::ActiveModel {
            id: Set(message.id),
            template: Set(message.kind.clone()),
            kind: Set(message.kind),
            channel: Set(channel.code().to_owned()),
            person_id: Set(person),
            endpoint_id: Set(endpoint),
            address: Set(message.address),
            data: Set(message.data),
            page: Set(message.page),
            topic_id: Set(message.topic),
            status: Set(MessageStatus::Queued.code().to_owned()),
            attempts: Set(0),
            next_attempt_at: Set(message.at),
            lease_until: Set(None),
            leased_by: Set(None),
            consent_used: Set(false),
            last_error: Set(None),
            created_at: Set(message.at),
            sent_at: Set(None),
            finished_at: Set(None),
            event_seq: Set(message.webhook.as_ref().and_then(|w| w.seq)),
            webhook_id: Set(message.webhook.map(|w| w.id)),
        }
    }
}

/// Writes the messages, a few hundred rows a statement. Returns how many were queued.
pub(crate) async fn queue(db: &impl ConnectionTrait, messages: Vec<QueuedMessage>) -> Result<u64> {
    let count = messages.len() as u64;
    let mut rows = messages.into_iter().map(outbox_message::ActiveModel::from).peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(ROWS_PER_INSERT).collect();
        outbox_message::Entity::insert_many(chunk).exec_without_returning(db).await?;
    }
    Ok(count)
}
