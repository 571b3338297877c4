//! The worker's hold on messages: a claim marks a batch of due messages as its own for a lease, and every
//! later write is guarded by that claim, so a worker whose lease ran out (it hung or died) cannot
//! overwrite what the worker that took the message over recorded.

use chrono::{DateTime, Duration, Utc};
use gongzhi_domain::notify::{MessageStatus, Step};
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::entities::{outbox_attempt, outbox_message};
use crate::{Result, new_id};

/// A partner's webhooks go out in the order of the log (decision 73): a message waits while an earlier-
/// sequenced one of the same endpoint is unsettled (queued, retrying or being sent), so an endpoint has at
/// most one message in flight and a failing one holds back the rest of its own, not anyone else's.
/// Messages without an endpoint or a sequence (people's) are never held. An endpoint whose circuit is open
/// (decision 160) has none of its messages claimed until the cool-down is over: they wait untouched and
/// uncounted, and then the head of its queue, the only one claimable, is the probe.
///
/// On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets several workers claim at once without waiting on or
/// taking each other's rows. SQLite has one writer at a time, so the same statement without it is safe.
/// `{scope}` narrows the claim to one side of the gateway's breaker (`Scope`).
const CLAIM: &str = "UPDATE outbox_messages SET status = 'sending', leased_by = $1, lease_until = $2, \
     attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM outbox_messages m \
       WHERE ((status = 'queued' AND next_attempt_at <= $3) OR (status = 'sending' AND lease_until < $3)) \
       {scope} \
       AND NOT EXISTS (SELECT 1 FROM outbox_messages earlier WHERE earlier.endpoint_id = m.endpoint_id \
         AND earlier.event_seq < m.event_seq AND earlier.status IN ('queued', 'sending')) \
       AND NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = m.endpoint_id \
         AND e.circuit_open_until > $3) \
       ORDER BY next_attempt_at LIMIT $4 {lock}) \
     RETURNING *";

/// Which messages a round claims: the gateway's breaker (decision 160) governs people's messages only, so
/// a round claims partners' webhooks even while it holds people's back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    All,
    People,
    Webhooks,
}

fn claim_sql(backend: DbBackend, scope: Scope) -> String {
    let scope = match scope {
        Scope::All => "",
        Scope::People => "AND m.channel <> 'webhook'",
        Scope::Webhooks => "AND m.channel = 'webhook'",
    };
    let lock = if backend == DbBackend::Postgres { "FOR UPDATE SKIP LOCKED" } else { "" };
    let sql = CLAIM.replace("{scope}", scope).replace("{lock}", lock);
    if backend == DbBackend::Postgres {
        sql
    } else {
        // SQLite's `?` parameters are positional: each use of `now` is bound again.
        sql.replace("$1", "?").replace("$2", "?").replace("$3", "?").replace("$4", "?")
    }
}

pub(crate) async fn claim(
    db: &impl ConnectionTrait,
    worker: &str,
    now: DateTime<Utc>,
    lease: Duration,
    limit: u32,
    scope: Scope,
) -> Result<Vec<outbox_message::Model>> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let until = now + lease;
    let sql = claim_sql(backend, scope);
    let statement = match backend {
        DbBackend::Postgres => Statement::from_sql_and_values(
            backend,
            sql,
            [worker.into(), until.into(), now.into(), i64::from(limit).into()],
        ),
        _ => Statement::from_sql_and_values(
            backend,
            sql,
            [worker.into(), until.into(), now.into(), now.into(), now.into(), i64::from(limit).into()],
        ),
    };
    Ok(outbox_message::Entity::find().from_raw_sql(statement).all(db).await?)
}

fn held_by(worker: &str, id: Uuid) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(outbox_message::Column::Id.eq(id))
        .add(outbox_message::Column::Status.eq(MessageStatus::Sending.code()))
        .add(outbox_message::Column::LeasedBy.eq(worker))
}

/// Marks that this message's consent was taken, so a resend after a crash does not take another grant.
pub(crate) async fn mark_consent_used(db: &impl ConnectionTrait, worker: &str, id: Uuid) -> Result<bool> {
    let done = outbox_message::Entity::update_many()
        .col_expr(outbox_message::Column::ConsentUsed, Expr::value(true))
        .filter(held_by(worker, id))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// What an attempt left behind, for the attempts log.
pub(crate) struct AttemptRecord<'a> {
    pub outcome: &'a str,
    pub http_status: Option<u16>,
    pub detail: String,
    pub took_ms: i64,
}

/// Records the step decided after an attempt, if the claim still holds. False when the lease was lost:
/// another worker has the message now and will record its own attempt.
pub(crate) async fn settle(
    db: &impl ConnectionTrait,
    worker: &str,
    message: &outbox_message::Model,
    step: &SettleStep,
    attempt: Option<AttemptRecord<'_>>,
    now: DateTime<Utc>,
) -> Result<bool> {
    if let Some(attempt) = attempt {
        outbox_attempt::ActiveModel {
            id: Set(new_id()),
            message_id: Set(message.id),
            at: Set(now),
            worker: Set(worker.to_owned()),
            outcome: Set(attempt.outcome.to_owned()),
            http_status: Set(attempt.http_status.map(i32::from)),
            detail: Set(attempt.detail),
            duration_ms: Set(attempt.took_ms),
        }
        .insert(db)
        .await?;
    }
    let mut update = outbox_message::Entity::update_many()
        .col_expr(outbox_message::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(outbox_message::Column::LeasedBy, Expr::value(Option::<String>::None));
    update = match step {
        SettleStep::Delivery(Step::Sent) => update
            .col_expr(outbox_message::Column::Status, Expr::value(MessageStatus::Sent.code()))
            .col_expr(outbox_message::Column::SentAt, Expr::value(now))
            .col_expr(outbox_message::Column::FinishedAt, Expr::value(now))
            .col_expr(outbox_message::Column::LastError, Expr::value(Option::<String>::None)),
        SettleStep::Delivery(Step::Retry { at, reason, counted }) => {
            let update = update
                .col_expr(outbox_message::Column::Status, Expr::value(MessageStatus::Queued.code()))
                .col_expr(outbox_message::Column::NextAttemptAt, Expr::value(*at))
                .col_expr(outbox_message::Column::LastError, Expr::value(reason.clone()));
            if *counted {
                update
            } else {
                update.col_expr(outbox_message::Column::Attempts, Expr::col(outbox_message::Column::Attempts).sub(1))
            }
        }
        SettleStep::Delivery(Step::Dead { reason }) => update
            .col_expr(outbox_message::Column::Status, Expr::value(MessageStatus::Dead.code()))
            .col_expr(outbox_message::Column::FinishedAt, Expr::value(now))
            .col_expr(outbox_message::Column::LastError, Expr::value(reason.clone())),
        SettleStep::GiveUp { reason } => update
            .col_expr(outbox_message::Column::Status, Expr::value(MessageStatus::Dead.code()))
            .col_expr(outbox_message::Column::FinishedAt, Expr::value(now))
            .col_expr(outbox_message::Column::LastError, Expr::value(reason.clone()))
            // This claim attempted nothing: its count does not stand.
            .col_expr(outbox_message::Column::Attempts, Expr::col(outbox_message::Column::Attempts).sub(1)),
        SettleStep::Skipped { reason } => update
            .col_expr(outbox_message::Column::Status, Expr::value(MessageStatus::Skipped.code()))
            .col_expr(outbox_message::Column::FinishedAt, Expr::value(now))
            .col_expr(outbox_message::Column::LastError, Expr::value(reason.clone()))
            // Nothing was attempted: the claim's count does not stand.
            .col_expr(outbox_message::Column::Attempts, Expr::col(outbox_message::Column::Attempts).sub(1)),
    };
    let done = update.filter(held_by(worker, message.id)).exec(db).await?;
    Ok(done.rows_affected == 1)
}

/// Records a round's accepted messages together: one insert of their attempts and one guarded update per
/// chunk, instead of a transaction per message. Returns the ids whose claim still held; the others were
/// taken over by another worker, which records its own attempt.
pub(crate) async fn settle_sent(
    db: &impl ConnectionTrait,
    worker: &str,
    sent: Vec<(Uuid, AttemptRecord<'_>)>,
    now: DateTime<Utc>,
) -> Result<std::collections::HashSet<Uuid>> {
    let mut held = std::collections::HashSet::with_capacity(sent.len());
    for chunk in sent.chunks(CHUNK) {
        let attempts = chunk.iter().map(|(id, attempt)| outbox_attempt::ActiveModel {
            id: Set(new_id()),
            message_id: Set(*id),
            at: Set(now),
            worker: Set(worker.to_owned()),
            outcome: Set(attempt.outcome.to_owned()),
            http_status: Set(attempt.http_status.map(i32::from)),
            detail: Set(attempt.detail.clone()),
            duration_ms: Set(attempt.took_ms),
        });
        outbox_attempt::Entity::insert_many(attempts).exec_without_returning(db).await?;
        let updated = outbox_message::Entity::update_many()
            .col_expr(outbox_message::Column::Status, Expr::value(MessageStatus::Sent.code()))
            .col_expr(outbox_message::Column::SentAt, Expr::value(now))
            .col_expr(outbox_message::Column::FinishedAt, Expr::value(now))
            .col_expr(outbox_message::Column::LastError, Expr::value(Option::<String>::None))
            .col_expr(outbox_message::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(outbox_message::Column::LeasedBy, Expr::value(Option::<String>::None))
            .filter(outbox_message::Column::Id.is_in(chunk.iter().map(|(id, _)| *id)))
            .filter(outbox_message::Column::Status.eq(MessageStatus::Sending.code()))
            .filter(outbox_message::Column::LeasedBy.eq(worker))
            .exec_with_returning(db)
            .await?;
        held.extend(updated.into_iter().map(|row| row.id));
    }
    Ok(held)
}

/// Messages settled per statement, well under both databases' limits on bound parameters.
const CHUNK: usize = 500;

pub(crate) enum SettleStep {
    Delivery(Step),
    Skipped {
        reason: String,
    },
    /// Dead-lettered when claimed past its attempts, without sending.
    GiveUp {
        reason: String,
    },
}
