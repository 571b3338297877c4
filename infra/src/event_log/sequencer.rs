//! Numbering the log after commit, on PostgreSQL (decision 87). Writers insert their events with no
//! `seq`, so none waits for another; the sequencer, in a transaction of its own, takes the
//! `event_sequence` row's lock and then numbers, in one statement, every row it sees without a seq, in
//! the order they were inserted (`pos`), after the last seq handed out.
//!
//! Why that keeps the promise "a consumer that has read seq N has missed nothing it will ever be shown
//! below N": only committed rows are visible to the numbering statement, and sequencers run one at a
//! time (the row lock), each statement's snapshot taken after the previous sequencer committed. So a
//! transaction that began first and commits last is numbered by a later round, above everything already
//! numbered, and a consumer that has passed the earlier seqs still reads it. Within a round the order is
//! insertion order, which keeps a write's own events in the order it recorded them.
//!
//! Anyone about to read the log by seq runs it first (`Store::sequence_log`: a consumer's step, replay,
//! the head); it costs one indexed probe when there is nothing to number. SQLite numbers at commit and
//! never needs it.

use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};

use crate::{Result, Store};

/// Rows numbered per round: one round's statement stays short however far behind the sequencer is.
const ROUND: i64 = 5_000;

const PENDING: &str = "SELECT 1 AS pending FROM event_log WHERE seq IS NULL LIMIT 1";
const LOCK: &str = "SELECT last FROM event_sequence WHERE name = 'log' FOR UPDATE";
const NUMBER: &str = "WITH ready AS (
        SELECT id, row_number() OVER (ORDER BY pos) AS n FROM event_log WHERE seq IS NULL ORDER BY pos LIMIT $2
    )
    UPDATE event_log SET seq = $1 + ready.n FROM ready WHERE event_log.id = ready.id";
const ADVANCE: &str = "UPDATE event_sequence SET last = $1 WHERE name = 'log'";

impl Store {
    /// Numbers every committed event still without a seq; how many it numbered. Safe to call from any
    /// number of tasks and instances at once (they queue on the sequence row), and a no-op on SQLite.
    pub async fn sequence_log(&self) -> Result<u64> {
        let pool = self.connection();
        if pool.get_database_backend() != DbBackend::Postgres {
            return Ok(0);
        }
        let mut numbered = 0;
        loop {
            if pool.query_one_raw(Statement::from_string(DbBackend::Postgres, PENDING)).await?.is_none() {
                return Ok(numbered);
            }
            let round = number_round(pool).await?;
            numbered += round;
            if round < ROUND.unsigned_abs() {
                return Ok(numbered);
            }
        }
    }
}

/// One round in its own transaction: lock, number, advance the head, commit.
async fn number_round(pool: &sea_orm::DatabaseConnection) -> Result<u64> {
    let txn = pool.begin().await?;
    let last: i64 = txn
        .query_one_raw(Statement::from_string(DbBackend::Postgres, LOCK))
        .await?
        .ok_or_else(|| super::fault("the event sequence row is missing"))?
        .try_get("", "last")?;
    // A statement of its own, after the lock: its snapshot sees what the previous sequencer numbered.
    let numbered = txn
        .execute_raw(Statement::from_sql_and_values(DbBackend::Postgres, NUMBER, [last.into(), ROUND.into()]))
        .await?
        .rows_affected();
    if numbered > 0 {
        let head = last + i64::try_from(numbered).map_err(|_| super::fault("too many events numbered"))?;
        txn.execute_raw(Statement::from_sql_and_values(DbBackend::Postgres, ADVANCE, [head.into()])).await?;
    }
    txn.commit().await?;
    Ok(numbered)
}
