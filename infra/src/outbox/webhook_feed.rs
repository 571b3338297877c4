//! The `webhooks` consumer of the event log (decision 73): each public event, to each live endpoint whose
//! place scope holds the event's place and whose kinds include it, becomes one outbox message, queued in
//! the consumer's transaction — the one that advances its cursor — so exactly once. The body is the
//! Standard Webhooks envelope around the event's wire payload, with no person in it, and carries the
//! event's log sequence and the sequence of the endpoint's previous event, so a partner sees a gap.

use std::collections::HashMap;

use chrono::SecondsFormat;
use sea_orm::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{ConnectionTrait, DatabaseTransaction};
use serde_json::{Value, json};

use super::endpoints::{self, Endpoint};
use super::queued::{QueuedMessage, Recipient, WebhookEvent, queue};
use crate::entities::webhook_endpoint;
use crate::event_log::{Audience, Consumer, LoggedEvent};
use crate::{Result, new_id};

/// The consumer `serve` registers.
pub struct WebhookFeed;

#[async_trait::async_trait]
impl Consumer for WebhookFeed {
    fn name(&self) -> &'static str {
        "webhooks"
    }

    async fn handle(&self, txn: &DatabaseTransaction, events: &[LoggedEvent]) -> Result<()> {
        let public: Vec<&LoggedEvent> = events.iter().filter(|e| e.audience == Audience::Public).collect();
        if public.is_empty() {
            return Ok(());
        }
        let mut live = endpoints::live(txn).await?;
        let mut last: HashMap<Uuid, i64> = HashMap::new();
        let mut messages = Vec::new();
        for event in public {
            for endpoint in &mut live {
                if !endpoint.follows(event.seq, &event.kind, &event.place_path) {
                    continue;
                }
                let previous = endpoint.row.last_sequence;
                messages.push(message(endpoint, event, previous));
                endpoint.row.last_sequence = Some(event.seq);
                last.insert(endpoint.row.id, event.seq);
            }
        }
        queue(txn, messages).await?;
        for (endpoint, seq) in last {
            remember_last(txn, endpoint, seq).await?;
        }
        Ok(())
    }
}

async fn remember_last(db: &impl ConnectionTrait, endpoint: Uuid, seq: i64) -> Result<()> {
    webhook_endpoint::Entity::update_many()
        .col_expr(webhook_endpoint::Column::LastSequence, Expr::value(seq))
        .filter(webhook_endpoint::Column::Id.eq(endpoint))
        .exec(db)
        .await?;
    Ok(())
}

/// The `webhook-id` of an event: the same for every endpoint that gets it and every replay of it, so a
/// receiver deduplicates (decision 74).
pub(crate) fn webhook_id(event: &LoggedEvent) -> String {
    format!("msg_{}", event.id.simple())
}

/// One event's message to one endpoint. `previous` is the sequence of the event the endpoint was sent
/// before this one (`None` for its first, or the first of a replay).
pub(crate) fn message(endpoint: &Endpoint, event: &LoggedEvent, previous: Option<i64>) -> QueuedMessage {
    let body = json!({
        "type": event.kind,
        "timestamp": event.at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "data": data(event, previous),
    });
    QueuedMessage {
        id: new_id(),
        kind: event.kind.clone(),
        to: Recipient::Endpoint(endpoint.row.id),
        address: endpoint.row.url.clone(),
        data: body.to_string(),
        page: None,
        topic: event.topic.map(|t| t.as_uuid()),
        at: event.at,
        webhook: Some(WebhookEvent { seq: Some(event.seq), id: webhook_id(event) }),
    }
}

/// Fields of the wire payload that name people: a resident is never named to a partner, as on the public
/// timeline (the wire type keeps them for consumers inside the platform, notifications above all). Only
/// topic steps are sent (`Endpoint::wants`); the others' person fields are listed too, should one ever be.
const PERSON_FIELDS: [&str; 5] = ["invitedPeople", "requestedBy", "voter", "person", "actor"];

/// The event as partners read it: its kind's public view (`WireEvent::public_view`, decision 92: no person
/// in it), stripped of person fields again as a second guard, the names of its free texts (read through
/// the API's public timeline; the texts themselves stay where they can be redacted), its ids, and the
/// sequences. A kind or version this build cannot read goes out with its ids and sequences only.
fn data(event: &LoggedEvent, previous: Option<i64>) -> Value {
    let view = event.wire().and_then(|payload| Some((payload.event.public_view()?, payload.texts)));
    let mut data = match view {
        Some((mut view, texts)) => {
            if let Value::Object(fields) = &mut view {
                fields.insert("texts".into(), json!(texts));
            }
            without_people(view)
        }
        None => json!({}),
    };
    if let Value::Object(fields) = &mut data {
        fields.insert("sequence".into(), json!(event.seq));
        fields.insert("previousSequence".into(), json!(previous));
        fields.insert("eventId".into(), json!(event.id));
        fields.insert("schemaVersion".into(), json!(event.schema_version));
        fields.insert("topicId".into(), json!(event.topic.map(|t| t.as_uuid())));
        fields.insert("voteId".into(), json!(event.vote.map(|v| v.as_uuid())));
        fields.insert("placeId".into(), json!(event.place.map(|p| p.as_uuid())));
    }
    data
}

fn without_people(value: Value) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .filter(|(key, _)| !PERSON_FIELDS.contains(&key.as_str()))
                .map(|(key, value)| (key, without_people(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_people).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_person_field_survives_at_any_depth() {
        let payload = json!({
            "kind": "topic.accepted",
            "plan": { "form": "online", "invitees": 2, "invitedPeople": ["a", "b"] },
            "requestedBy": "c",
        });
        let cleaned = without_people(payload);
        assert_eq!(cleaned, json!({ "kind": "topic.accepted", "plan": { "form": "online", "invitees": 2 } }));
    }
}
