//! Consumers and their cursors (decision 67). A consumer reads the log after commit, in seq order, from
//! its own durable cursor: at least once, and exactly once for what it writes through the transaction that
//! advances the cursor. One step (`Store::consume_once`) leases the consumer's row for a moment (so one
//! instance at a time runs it), reads the batch after the cursor, hands it to the consumer and advances
//! the cursor in the consumer's own transaction. A failure keeps the cursor, counts, and puts the next
//! attempt off on the store's clock (`retry_at`), without touching any other consumer's row.

use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{PersonId, PlaceId, TopicId, VoteId};
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{Condition, ConnectionTrait, DatabaseTransaction, DbBackend, QueryOrder, QuerySelect, TransactionTrait};

use super::record::{Audience, EventText, LoggedEvent};
use crate::entities::{event_consumer, event_log, event_text, place};
use crate::rows::corrupt;
use crate::{Result, Store, new_id};

#[async_trait::async_trait]
pub trait Consumer: Send + Sync + 'static {
    /// Stable: the cursor's key and the `/metrics` label.
    fn name(&self) -> &'static str;
    /// Events in seq order, at least once. Database effects go through `txn`, the same transaction that
    /// advances the cursor, so they happen exactly once; effects outside the database must be idempotent
    /// (keyed by the event's id or seq). Never use the store's pool from here: on SQLite its one
    /// connection is `txn`'s.
    async fn handle(&self, txn: &DatabaseTransaction, events: &[LoggedEvent]) -> crate::Result<()>;
    /// Where a consumer that has no cursor yet starts: from the first event (the default), or from the
    /// log's head (one that only cares about what happens from now on, like live updates).
    fn starts_at_head(&self) -> bool {
        false
    }
}

/// How long a step may hold a consumer before another instance may take it over (a crashed instance's
/// lease runs out), and how retries back off.
#[derive(Debug, Clone, Copy)]
pub struct ConsumeSettings {
    pub lease: chrono::Duration,
    pub backoff_base: chrono::Duration,
    pub backoff_cap: chrono::Duration,
}

impl Default for ConsumeSettings {
    fn default() -> Self {
        ConsumeSettings {
            lease: chrono::Duration::seconds(60),
            backoff_base: chrono::Duration::seconds(1),
            backoff_cap: chrono::Duration::minutes(5),
        }
    }
}

impl ConsumeSettings {
    /// Doubling from the base at each failure in a row, up to the cap.
    pub fn backoff(&self, failures: i32) -> chrono::Duration {
        let doublings = u32::try_from(failures.saturating_sub(1).clamp(0, 20)).unwrap_or(0);
        self.backoff_base.checked_mul(1 << doublings).map_or(self.backoff_cap, |d| d.min(self.backoff_cap))
    }
}

/// A consumer's cursor, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub name: String,
    pub position: i64,
    pub failures: i32,
    pub last_error: Option<String>,
    pub retry_at: Option<DateTime<Utc>>,
}

/// Which events `Store::events_after` reads.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub topic: Option<TopicId>,
    pub vote: Option<VoteId>,
    /// Events in this place or anywhere below it (a prefix of `place_path`, indexed).
    pub within: Option<PlaceId>,
    /// Wire codes; empty means every kind.
    pub kinds: Vec<String>,
    /// Audiences; empty means every audience.
    pub audiences: Vec<Audience>,
}

impl Store {
    /// One step of one consumer: lease, read after the cursor, handle, advance, release. The number of
    /// events handled; 0 when there were none, or another instance holds the consumer, or it is backing
    /// off after a failure. A failed handle is returned as the error, after its failure is recorded.
    pub async fn consume_once(&self, consumer: &dyn Consumer, batch: usize) -> Result<usize> {
        self.consume_once_with(consumer, batch, &ConsumeSettings::default()).await
    }

    pub async fn consume_once_with(
        &self,
        consumer: &dyn Consumer,
        batch: usize,
        settings: &ConsumeSettings,
    ) -> Result<usize> {
        let name = consumer.name();
        let token = new_id();
        let now = self.clock().now();
        self.sequence_log().await?;
        if !self.lease(consumer, token, now, settings).await? {
            return Ok(0);
        }
        let txn = self.connection().begin().await?;
        let outcome = self.step(&txn, consumer, token, batch).await;
        match outcome {
            Ok(handled) => {
                txn.commit().await?;
                Ok(handled)
            }
            Err(err) => {
                txn.rollback().await?;
                let failures = event_consumer::Entity::find_by_id(name.to_owned())
                    .one(self.connection())
                    .await?
                    .map_or(1, |row| row.failures.saturating_add(1));
                let mut message = err.to_string();
                message.truncate(500);
                tracing::warn!(consumer = name, failures, error = %err, "an event consumer failed; it will retry");
                event_consumer::Entity::update_many()
                    .col_expr(event_consumer::Column::Failures, Expr::value(failures))
                    .col_expr(event_consumer::Column::LastError, Expr::value(Some(message)))
                    .col_expr(event_consumer::Column::RetryAt, Expr::value(Some(now + settings.backoff(failures))))
                    .col_expr(event_consumer::Column::LeasedBy, Expr::value(Option::<Uuid>::None))
                    .col_expr(event_consumer::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
                    .col_expr(event_consumer::Column::UpdatedAt, Expr::value(now))
                    .filter(event_consumer::Column::Name.eq(name))
                    .filter(event_consumer::Column::LeasedBy.eq(token))
                    .exec(self.connection())
                    .await?;
                Err(err)
            }
        }
    }

    /// Takes the consumer's row for this step if nobody holds it and it is not backing off; creates the
    /// row (the cursor at the start, or at the head) the first time.
    async fn lease(
        &self,
        consumer: &dyn Consumer,
        token: Uuid,
        now: DateTime<Utc>,
        settings: &ConsumeSettings,
    ) -> Result<bool> {
        for _ in 0..2 {
            let taken = event_consumer::Entity::update_many()
                .col_expr(event_consumer::Column::LeasedBy, Expr::value(Some(token)))
                .col_expr(event_consumer::Column::LeaseUntil, Expr::value(Some(now + settings.lease)))
                .filter(event_consumer::Column::Name.eq(consumer.name()))
                .filter(
                    Condition::any()
                        .add(event_consumer::Column::LeasedBy.is_null())
                        .add(event_consumer::Column::LeaseUntil.is_null())
                        .add(event_consumer::Column::LeaseUntil.lt(now)),
                )
                .filter(
                    Condition::any()
                        .add(event_consumer::Column::RetryAt.is_null())
                        .add(event_consumer::Column::RetryAt.lte(now)),
                )
                .exec(self.connection())
                .await?;
            if taken.rows_affected == 1 {
                return Ok(true);
            }
            let exists = event_consumer::Entity::find_by_id(consumer.name().to_owned()).one(self.connection()).await?;
            if exists.is_some() {
                return Ok(false);
            }
            let position = if consumer.starts_at_head() { self.log_head().await? } else { 0 };
            event_consumer::Entity::insert(event_consumer::ActiveModel {
                name: Set(consumer.name().to_owned()),
                position: Set(position),
                leased_by: Set(None),
                lease_until: Set(None),
                failures: Set(0),
                last_error: Set(None),
                retry_at: Set(None),
                updated_at: Set(now),
            })
            .on_conflict_do_nothing_on([event_consumer::Column::Name])
            .exec(self.connection())
            .await?;
        }
        Ok(false)
    }

    /// Inside the consumer's transaction: the batch after its cursor, handled, and the cursor moved past
    /// it with the lease released — only if this step still holds the lease.
    async fn step(
        &self,
        txn: &DatabaseTransaction,
        consumer: &dyn Consumer,
        token: Uuid,
        batch: usize,
    ) -> Result<usize> {
        let name = consumer.name();
        let row = event_consumer::Entity::find_by_id(name.to_owned())
            .one(txn)
            .await?
            .ok_or(crate::Error::NotFound("event consumer"))?;
        let events = read_after(txn, row.position, batch, &EventFilter::default()).await?;
        if !events.is_empty() {
            consumer.handle(txn, &events).await?;
        }
        let position = events.last().map_or(row.position, |e| e.seq);
        let moved = event_consumer::Entity::update_many()
            .col_expr(event_consumer::Column::Position, Expr::value(position))
            .col_expr(event_consumer::Column::LeasedBy, Expr::value(Option::<Uuid>::None))
            .col_expr(event_consumer::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(event_consumer::Column::Failures, Expr::value(0))
            .col_expr(event_consumer::Column::LastError, Expr::value(Option::<String>::None))
            .col_expr(event_consumer::Column::RetryAt, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(event_consumer::Column::UpdatedAt, Expr::value(self.clock().now()))
            .filter(event_consumer::Column::Name.eq(name))
            .filter(event_consumer::Column::LeasedBy.eq(token))
            .exec(txn)
            .await?;
        if moved.rows_affected != 1 {
            return Err(super::fault("the consumer's lease ran out before its batch was done"));
        }
        Ok(events.len())
    }

    /// The last seq handed out (0 for an empty log), once every committed event is numbered.
    pub async fn log_head(&self) -> Result<i64> {
        self.sequence_log().await?;
        let backend = self.connection().get_database_backend();
        let sql = "SELECT last FROM event_sequence WHERE name = 'log'";
        let row = self.connection().query_one_raw(sea_orm::Statement::from_string(backend, sql)).await?;
        Ok(row.map(|r| r.try_get::<i64>("", "last")).transpose()?.unwrap_or(0))
    }

    /// Each consumer's cursor.
    pub async fn consumer_cursors(&self) -> Result<Vec<Cursor>> {
        let rows =
            event_consumer::Entity::find().order_by_asc(event_consumer::Column::Name).all(self.connection()).await?;
        Ok(rows
            .into_iter()
            .map(|r| Cursor {
                name: r.name,
                position: r.position,
                failures: r.failures,
                last_error: r.last_error,
                retry_at: r.retry_at,
            })
            .collect())
    }

    /// How far each consumer is behind the log's head, in events (for `/metrics`).
    pub async fn consumer_lags(&self) -> Result<Vec<(String, i64)>> {
        let head = self.log_head().await?;
        Ok(self.consumer_cursors().await?.into_iter().map(|c| (c.name, (head - c.position).max(0))).collect())
    }

    /// Up to `limit` events after `seq` that `filter` selects, in seq order (replay and catch-up).
    pub async fn events_after(&self, seq: i64, limit: usize, filter: &EventFilter) -> Result<Vec<LoggedEvent>> {
        self.sequence_log().await?;
        read_after(self.connection(), seq, limit, filter).await
    }

    /// The free texts of these events (redacted ones with no body).
    pub async fn event_texts(&self, events: &[Uuid]) -> Result<Vec<EventText>> {
        texts(self.connection(), events).await
    }
}

/// The log after `seq`, as a consumer reads it inside its transaction.
pub async fn read_after(
    db: &impl ConnectionTrait,
    seq: i64,
    limit: usize,
    filter: &EventFilter,
) -> Result<Vec<LoggedEvent>> {
    let mut query = event_log::Entity::find().filter(event_log::Column::Seq.gt(seq));
    if let Some(topic) = filter.topic {
        query = query.filter(event_log::Column::TopicId.eq(topic.as_uuid()));
    }
    if let Some(vote) = filter.vote {
        query = query.filter(event_log::Column::VoteId.eq(vote.as_uuid()));
    }
    if let Some(place) = filter.within {
        // A subtree is a prefix of the path, which the `event_log_place_path` index serves: `LIKE 'p%'`
        // over PostgreSQL's pattern index, `GLOB 'p*'` over SQLite's binary one (its LIKE ignores case and
        // no index). A place's path never changes, and a uuid holds none of either's wildcards.
        let Some(row) = place::Entity::find_by_id(place.as_uuid()).one(db).await? else { return Ok(Vec::new()) };
        let prefix = super::append::path_of(&row);
        query = query.filter(match db.get_database_backend() {
            DbBackend::Postgres => event_log::Column::PlacePath.like(format!("{prefix}%")),
            _ => Expr::cust_with_values("place_path GLOB ?", [format!("{prefix}*")]),
        });
    }
    if !filter.kinds.is_empty() {
        query = query.filter(event_log::Column::Kind.is_in(filter.kinds.clone()));
    }
    if !filter.audiences.is_empty() {
        query = query.filter(event_log::Column::Audience.is_in(filter.audiences.iter().map(|a| a.as_str())));
    }
    let limit = u64::try_from(limit.clamp(1, 10_000)).unwrap_or(10_000);
    let rows = query.order_by_asc(event_log::Column::Seq).limit(limit).all(db).await?;
    rows.into_iter().map(logged).collect()
}

/// The free texts of these events, inside a consumer's transaction.
pub async fn texts(db: &impl ConnectionTrait, events: &[Uuid]) -> Result<Vec<EventText>> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let rows =
        event_text::Entity::find().filter(event_text::Column::EventId.is_in(events.iter().copied())).all(db).await?;
    rows.into_iter()
        .map(|r| {
            Ok(EventText {
                event: r.event_id,
                audience: Audience::parse(&r.audience).ok_or_else(|| corrupt("event text", r.event_id))?,
                field: r.field,
                body: r.body,
            })
        })
        .collect()
}

fn logged(row: event_log::Model) -> Result<LoggedEvent> {
    let payload = serde_json::from_str(&row.payload).map_err(|_| corrupt("logged event", row.id))?;
    let audience = Audience::parse(&row.audience).ok_or_else(|| corrupt("logged event", row.id))?;
    let place_path = row
        .place_path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<Uuid>().map_err(|_| crate::Error::from(corrupt("logged event", row.id))))
        .collect::<Result<Vec<_>>>()?;
    Ok(LoggedEvent {
        seq: row.seq.ok_or_else(|| corrupt("logged event", row.id))?,
        id: row.id,
        kind: row.kind,
        schema_version: row.schema_version,
        at: row.at,
        actor: row.actor_id.map(PersonId::from_uuid),
        topic: row.topic_id.map(TopicId::from_uuid),
        vote: row.vote_id.map(VoteId::from_uuid),
        place: row.place_id.map(PlaceId::from_uuid),
        place_path,
        audience,
        payload,
    })
}
