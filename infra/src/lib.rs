//! Gongzhi's storage and outside services. Every use case that reads or writes runs here, inside one
//! transaction, asking `gongzhi_domain::policy` before it changes anything.

pub mod auth;
mod batch;
pub mod claims;
pub mod companies;
pub mod db;
pub mod demo;
mod entities;
pub mod error;
pub mod grids;
mod handle;
pub mod idempotency;
pub mod import;
pub mod outbox;
pub mod people;
mod place_contexts;
pub mod places;
pub mod redis_health;
pub mod roles;
mod rows;
pub mod topics;
pub mod uploads;
mod vote_results;
pub mod votes;
pub mod wechat;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use gongzhi_domain::clock::Clock;
use gongzhi_domain::topic::{DeadlineDays, Deadlines};
use sea_orm::{DatabaseConnection, TransactionTrait};

use crate::handle::Db;

pub use error::{Error, Result};

/// The storage handle every use case hangs off: where SQL runs (the pool, or a unit of work) and the clock.
#[derive(Clone)]
pub struct Store {
    pool: DatabaseConnection,
    db: Db,
    clock: Arc<dyn Clock>,
    deadlines: Deadlines,
    statements: Arc<AtomicU64>,
}

impl Store {
    /// Takes over the connection's metric callback to count the statements it runs (see `statements_run`).
    pub fn new(mut pool: DatabaseConnection, clock: Arc<dyn Clock>) -> Self {
        let deadlines = Deadlines::new(DeadlineDays::default()).unwrap_or_else(|_| unreachable!("defaults are valid"));
        let statements = Arc::new(AtomicU64::new(0));
        let counter = statements.clone();
        pool.set_metric_callback(move |_| {
            counter.fetch_add(1, Ordering::Relaxed);
        });
        Self { db: Db::Pool(pool.clone()), pool, clock, deadlines, statements }
    }

    /// The pipeline's deadlines, from configuration.
    pub fn with_deadlines(mut self, deadlines: Deadlines) -> Self {
        self.deadlines = deadlines;
        self
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.pool
    }

    /// A store whose every use case runs inside one transaction, committed or rolled back by `finish`.
    pub async fn unit_of_work(&self) -> Result<Store> {
        let txn = self.pool.begin().await?;
        Ok(Store {
            pool: self.pool.clone(),
            db: Db::work(txn),
            clock: self.clock.clone(),
            deadlines: self.deadlines,
            statements: self.statements.clone(),
        })
    }

    /// Commits (or rolls back) a unit of work; on a plain store, does nothing.
    pub async fn finish(&self, commit: bool) -> Result<()> {
        self.db.finish(commit).await.map_err(Error::from)
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// SQL statements run on this store's connection since it was opened, as sea-orm reports them to the
    /// connection's metric callback (every clone and unit of work counts into the same total): for the
    /// `/metrics` counter and for tests asserting that a read costs a fixed number of statements.
    pub fn statements_run(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// Open and idle connections in the pool, for metrics.
    pub fn pool_stats(&self) -> (u32, usize) {
        match self.pool.get_database_backend() {
            sea_orm::DbBackend::Postgres => {
                let pool = self.pool.get_postgres_connection_pool();
                (pool.size(), pool.num_idle())
            }
            _ => {
                let pool = self.pool.get_sqlite_connection_pool();
                (pool.size(), pool.num_idle())
            }
        }
    }

    /// Whether the database answers, for `/readyz`.
    pub async fn ping(&self) -> Result<()> {
        self.pool.ping().await.map_err(Error::from)
    }
}

/// A fresh id. UUIDv7 so that ids sort by creation time, which Relay cursors rely on.
pub(crate) fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}
