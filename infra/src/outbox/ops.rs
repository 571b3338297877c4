//! Operating delivery (city administrators): messages and their attempts, dead letters and their
//! replay, partners' webhook endpoints, and the counts `/metrics` reports.

use chrono::{DateTime, Utc};
use gongzhi_domain::Conflict;
use gongzhi_domain::ids::{PersonId, PlaceId, TopicId};
use gongzhi_domain::notify::{Channel, Circuit, MessageStatus};
use gongzhi_domain::person::bounded_text;
use gongzhi_domain::policy::{Actor, authorize_delivery_operations, authorize_webhook_replay};
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{QueryOrder, QuerySelect, TransactionTrait};
use tracing::instrument;

use super::endpoints::{Endpoint, stored_circuit, wire_kind, with_kinds};
use super::queued::queue;
use super::signature::new_webhook_secret;
use super::webhook_feed;
use crate::entities::{outbox_attempt, outbox_message, place, webhook_endpoint, webhook_endpoint_kind};
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, EventFilter, NewEvent, read_after};
use crate::rows::corrupt;
use crate::{Error, Result, Store, new_id};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub id: Uuid,
    pub kind: String,
    pub channel: Channel,
    pub person: Option<PersonId>,
    pub endpoint: Option<Uuid>,
    /// The address with a phone number's middle digits hidden.
    pub address: String,
    pub topic: Option<TopicId>,
    pub status: MessageStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryAttempt {
    pub at: DateTime<Utc>,
    pub worker: String,
    pub outcome: String,
    pub http_status: Option<i32>,
    pub detail: String,
    pub duration_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEndpoint {
    pub id: Uuid,
    pub name: String,
    pub url: String,
    pub kinds: Vec<String>,
    pub place: Option<PlaceId>,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
    /// Its circuit now (decision 160), and while open the end of the cool-down (when half-open, the end
    /// of the last one: the next message is the probe).
    pub circuit: Circuit,
    pub open_until: Option<DateTime<Utc>>,
}

/// What a replay queued: how many events, through which sequence, and whether the log holds more of the
/// endpoint's events past it (call again from `through + 1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookReplay {
    pub queued: usize,
    pub through: Option<i64>,
    pub more: bool,
}

/// Events one replay call queues at most, and reads per statement.
pub const MAX_REPLAY: usize = 5_000;
const REPLAY_PAGE: usize = 500;

/// A listing filter; all `None` lists everything, newest first.
#[derive(Debug, Clone, Default)]
pub struct OutboxFilter {
    pub status: Option<MessageStatus>,
    pub person: Option<PersonId>,
    pub topic: Option<TopicId>,
}

fn mask(channel: &str, address: &str) -> String {
    if channel == Channel::Sms.code() && address.len() == 11 {
        format!("{}****{}", &address[..3], &address[7..])
    } else {
        address.to_owned()
    }
}

fn message_of(row: outbox_message::Model) -> Result<OutboxMessage> {
    let bad = || corrupt("outbox message", row.id);
    Ok(OutboxMessage {
        id: row.id,
        channel: Channel::parse(&row.channel).map_err(|_| bad())?,
        status: MessageStatus::parse(&row.status).map_err(|_| bad())?,
        address: mask(&row.channel, &row.address),
        kind: row.kind,
        person: row.person_id.map(PersonId::from_uuid),
        endpoint: row.endpoint_id,
        topic: row.topic_id.map(TopicId::from_uuid),
        attempts: row.attempts,
        next_attempt_at: row.next_attempt_at,
        last_error: row.last_error,
        created_at: row.created_at,
        sent_at: row.sent_at,
        finished_at: row.finished_at,
    })
}

fn endpoint_of(Endpoint { row, kinds }: Endpoint, now: DateTime<Utc>) -> WebhookEndpoint {
    WebhookEndpoint {
        circuit: stored_circuit(&row).state(now),
        open_until: row.circuit_open_until,
        id: row.id,
        name: row.name,
        url: row.url,
        kinds,
        place: row.place_id.map(PlaceId::from_uuid),
        created_at: row.created_at,
        disabled_at: row.disabled_at,
    }
}

/// The log's last sequence, read in the registration's transaction: the new endpoint follows what is
/// logged after it.
async fn log_head(db: &impl sea_orm::ConnectionTrait) -> Result<i64> {
    let backend = db.get_database_backend();
    let sql = "SELECT last FROM event_sequence WHERE name = 'log'";
    let row = db.query_one_raw(sea_orm::Statement::from_string(backend, sql)).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "last")).transpose()?.unwrap_or(0))
}

impl Store {
    /// Messages newest first, `limit` of them after the cursor (a message id; ids sort by time).
    pub async fn outbox_messages(
        &self,
        actor: &Actor,
        filter: &OutboxFilter,
        after: Option<Uuid>,
        limit: u64,
    ) -> Result<Vec<OutboxMessage>> {
        authorize_delivery_operations(actor)?;
        let mut query = outbox_message::Entity::find();
        if let Some(status) = filter.status {
            query = query.filter(outbox_message::Column::Status.eq(status.code()));
        }
        if let Some(person) = filter.person {
            query = query.filter(outbox_message::Column::PersonId.eq(person.as_uuid()));
        }
        if let Some(topic) = filter.topic {
            query = query.filter(outbox_message::Column::TopicId.eq(topic.as_uuid()));
        }
        if let Some(after) = after {
            query = query.filter(outbox_message::Column::Id.lt(after));
        }
        let rows = query.order_by_desc(outbox_message::Column::Id).limit(limit).all(&self.db).await?;
        rows.into_iter().map(message_of).collect()
    }

    pub async fn outbox_message(&self, actor: &Actor, id: Uuid) -> Result<(OutboxMessage, Vec<DeliveryAttempt>)> {
        authorize_delivery_operations(actor)?;
        let row = outbox_message::Entity::find_by_id(id).one(&self.db).await?.ok_or(Error::NotFound("message"))?;
        let attempts = outbox_attempt::Entity::find()
            .filter(outbox_attempt::Column::MessageId.eq(id))
            .order_by_asc(outbox_attempt::Column::At)
            .order_by_asc(outbox_attempt::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|a| DeliveryAttempt {
                at: a.at,
                worker: a.worker,
                outcome: a.outcome,
                http_status: a.http_status,
                detail: a.detail,
                duration_ms: a.duration_ms,
            })
            .collect();
        Ok((message_of(row)?, attempts))
    }

    /// Puts a dead letter back in the queue with a fresh count of attempts. A WeChat message needs
    /// consent again: the refusal may be why it died.
    #[instrument(skip_all)]
    pub async fn replay_dead_letter(&self, actor: &Actor, id: Uuid) -> Result<OutboxMessage> {
        authorize_delivery_operations(actor)?;
        let txn = self.db.begin().await?;
        let row = outbox_message::Entity::find_by_id(id).one(&txn).await?.ok_or(Error::NotFound("message"))?;
        let status = MessageStatus::parse(&row.status).map_err(|_| corrupt("outbox message", row.id))?;
        if status != MessageStatus::Dead {
            return Err(Conflict::NotDeadLetter { status: status.code() }.into());
        }
        let now = self.clock.now();
        outbox_message::Entity::update_many()
            .col_expr(outbox_message::Column::Status, Expr::value(MessageStatus::Queued.code()))
            .col_expr(outbox_message::Column::Attempts, Expr::value(0))
            .col_expr(outbox_message::Column::NextAttemptAt, Expr::value(now))
            .col_expr(outbox_message::Column::ConsentUsed, Expr::value(false))
            .col_expr(outbox_message::Column::FinishedAt, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(
                outbox_message::Column::LastError,
                Expr::value(format!(
                    "replayed by {} after: {}",
                    actor.person.as_uuid(),
                    row.last_error.unwrap_or_default()
                )),
            )
            .filter(outbox_message::Column::Id.eq(id))
            .filter(outbox_message::Column::Status.eq(MessageStatus::Dead.code()))
            .exec(&txn)
            .await?;
        let row = outbox_message::Entity::find_by_id(id).one(&txn).await?.ok_or(Error::NotFound("message"))?;
        txn.commit().await?;
        message_of(row)
    }

    /// Messages per status, for `/metrics`. Not behind the policy: it carries no personal data.
    pub async fn outbox_counts(&self) -> Result<Vec<(MessageStatus, i64)>> {
        let rows: Vec<(String, i64)> = outbox_message::Entity::find()
            .select_only()
            .column(outbox_message::Column::Status)
            .column_as(Expr::col(outbox_message::Column::Id).count(), "n")
            .group_by(outbox_message::Column::Status)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(MessageStatus::ALL
            .into_iter()
            .map(|status| (status, rows.iter().find(|(s, _)| s == status.code()).map_or(0, |(_, n)| *n)))
            .collect())
    }

    /// How many live endpoints' circuits stand closed, open and half-open now, for `/metrics`: one
    /// gauge per state rather than one per endpoint, though endpoints are few.
    pub async fn webhook_circuits(&self) -> Result<Vec<(Circuit, i64)>> {
        let now = self.clock.now();
        let rows: Vec<Option<DateTime<Utc>>> = webhook_endpoint::Entity::find()
            .select_only()
            .column(webhook_endpoint::Column::CircuitOpenUntil)
            .filter(webhook_endpoint::Column::DisabledAt.is_null())
            .into_tuple()
            .all(&self.db)
            .await?;
        let state = |until: &Option<DateTime<Utc>>| {
            gongzhi_domain::notify::EndpointCircuit { failures: 0, open_until: *until }.state(now)
        };
        Ok(Circuit::ALL.into_iter().map(|c| (c, rows.iter().filter(|u| state(u) == c).count() as i64)).collect())
    }

    /// Registers a partner's endpoint for the public events of topics at or below `place` (everywhere
    /// when `None`), of the given kinds (every kind when empty). Returns the signing secret (`whsec_…`),
    /// shown once. The URL must not reach the server's own network (decision 71).
    #[instrument(skip_all)]
    pub async fn register_webhook(
        &self,
        actor: &Actor,
        name: &str,
        url: &str,
        kinds: &[String],
        place: Option<PlaceId>,
    ) -> Result<(WebhookEndpoint, String)> {
        authorize_delivery_operations(actor)?;
        let name = bounded_text("name", name, 60)?;
        let mut chosen: Vec<String> = Vec::with_capacity(kinds.len());
        for given in kinds {
            let Some(kind) = wire_kind(given.trim()) else {
                let given = given.chars().take(60).collect();
                return Err(gongzhi_domain::Invalid::UnknownValue { field: "kind", given }.into());
            };
            if !chosen.contains(&kind) {
                chosen.push(kind);
            }
        }
        let url = self.webhook_targets.check_registration(url).await.inspect_err(|refused| {
            tracing::info!(%refused, "a webhook endpoint was refused at registration");
        })?;
        // What committed before the registration is numbered now, so the head read below covers it.
        self.sequence_log().await?;
        let txn = self.write().await?;
        if let Some(place) = place {
            place::Entity::find_by_id(place.as_uuid()).one(&txn).await?.ok_or(Error::NotFound("place"))?;
        }
        let secret = new_webhook_secret(&mut rand::rng());
        let row = webhook_endpoint::ActiveModel {
            id: Set(new_id()),
            name: Set(name),
            url: Set(url),
            secret: Set(secret.clone()),
            place_id: Set(place.map(|p| p.as_uuid())),
            created_by: Set(actor.person.as_uuid()),
            created_at: Set(self.clock.now()),
            disabled_at: Set(None),
            last_sequence: Set(None),
            since_sequence: Set(log_head(&txn).await?),
            circuit_failures: Set(0),
            circuit_open_until: Set(None),
        }
        .insert(&txn)
        .await?;
        if !chosen.is_empty() {
            let rows = chosen
                .iter()
                .map(|kind| webhook_endpoint_kind::ActiveModel { endpoint_id: Set(row.id), kind: Set(kind.clone()) });
            webhook_endpoint_kind::Entity::insert_many(rows).exec_without_returning(&txn).await?;
        }
        chosen.sort();
        let event = WireEvent::WebhookRegistered {
            endpoint: row.id,
            kinds: chosen.clone(),
            since_sequence: row.since_sequence,
        };
        let mut fact = NewEvent::new(event, row.created_at, Audience::Staff).actor(Some(actor.person)).text(
            "name",
            Audience::Staff,
            &row.name,
        );
        if let Some(place) = place {
            fact = fact.place(place);
        }
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok((endpoint_of(Endpoint { row, kinds: chosen }, self.clock.now()), secret))
    }

    pub async fn webhooks(&self, actor: &Actor) -> Result<Vec<WebhookEndpoint>> {
        authorize_delivery_operations(actor)?;
        let rows =
            webhook_endpoint::Entity::find().order_by_asc(webhook_endpoint::Column::CreatedAt).all(&self.db).await?;
        let now = self.clock.now();
        Ok(with_kinds(&self.db, rows).await?.into_iter().map(|e| endpoint_of(e, now)).collect())
    }

    /// Queues again, in order, the public events of an endpoint's scope and kinds from `from_sequence` on
    /// (decision 74), for a partner that was down or saw a gap in `previousSequence`. Each carries its
    /// original `webhook-id`, so a receiver that had it already drops it. At most `MAX_REPLAY` events a
    /// call: the answer says where it stopped, and the administrator calls again from there.
    #[instrument(skip_all)]
    pub async fn replay_webhooks(&self, actor: &Actor, endpoint: Uuid, from_sequence: i64) -> Result<WebhookReplay> {
        authorize_webhook_replay(actor)?;
        self.sequence_log().await?;
        let txn = self.write().await?;
        let row = webhook_endpoint::Entity::find_by_id(endpoint).one(&txn).await?.ok_or(Error::NotFound("webhook"))?;
        let endpoint = with_kinds(&txn, vec![row]).await?.pop().ok_or(Error::NotFound("webhook"))?;
        let filter = EventFilter {
            within: endpoint.row.place_id.map(PlaceId::from_uuid),
            kinds: endpoint.kinds.clone(),
            audiences: vec![Audience::Public],
            ..EventFilter::default()
        };
        let mut after = Ord::max(from_sequence, 1) - 1;
        let mut previous = None;
        let mut queued = 0;
        let mut more = false;
        while queued < MAX_REPLAY {
            let wanted = REPLAY_PAGE.min(MAX_REPLAY - queued);
            let page = read_after(&txn, after, wanted, &filter).await?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            more = page.len() == wanted;
            let messages: Vec<_> = page
                .iter()
                .filter(|event| endpoint.wants(&event.kind, &event.place_path))
                .map(|event| {
                    let message = webhook_feed::message(&endpoint, event, previous);
                    previous = Some(event.seq);
                    message
                })
                .collect();
            queued += page.len();
            queue(&txn, messages).await?;
            if !more {
                break;
            }
        }
        let event = WireEvent::WebhookReplayed { endpoint: endpoint.row.id, from_sequence, queued };
        let mut fact = NewEvent::new(event, self.clock.now(), Audience::Staff).actor(Some(actor.person));
        if let Some(place) = endpoint.row.place_id {
            fact = fact.place(PlaceId::from_uuid(place));
        }
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(WebhookReplay { queued, through: previous, more })
    }

    /// Stops sending to an endpoint; messages still queued for it are dead-lettered when their turn comes.
    #[instrument(skip_all)]
    pub async fn disable_webhook(&self, actor: &Actor, id: Uuid) -> Result<WebhookEndpoint> {
        authorize_delivery_operations(actor)?;
        let txn = self.write().await?;
        let row = webhook_endpoint::Entity::find_by_id(id).one(&txn).await?.ok_or(Error::NotFound("webhook"))?;
        let row = if row.disabled_at.is_some() {
            row
        } else {
            let mut active: webhook_endpoint::ActiveModel = row.into();
            active.disabled_at = Set(Some(self.clock.now()));
            let row = active.update(&txn).await?;
            let mut fact =
                NewEvent::new(WireEvent::WebhookDisabled { endpoint: row.id }, self.clock.now(), Audience::Staff)
                    .actor(Some(actor.person));
            if let Some(place) = row.place_id {
                fact = fact.place(PlaceId::from_uuid(place));
            }
            crate::event_log::record(&txn, fact).await?;
            row
        };
        let endpoint = with_kinds(&txn, vec![row]).await?.pop().ok_or(Error::NotFound("webhook"))?;
        txn.commit().await?;
        Ok(endpoint_of(endpoint, self.clock.now()))
    }
}
