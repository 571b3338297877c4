//! Gongzhi's storage and outside services. Every use case that reads or writes runs here, inside one
//! transaction, asking `gongzhi_domain::policy` before it changes anything.

pub mod auth;
pub mod claims;
pub mod companies;
pub mod db;
pub mod demo;
mod entities;
pub mod error;
pub mod grids;
pub mod import;
pub mod people;
pub mod places;
pub mod redis_health;
pub mod roles;
mod rows;
pub mod wechat;

use std::sync::Arc;

use gongzhi_domain::clock::Clock;
use sea_orm::DatabaseConnection;

pub use error::{Error, Result};

/// The storage handle every use case hangs off: a connection pool and the clock.
#[derive(Clone)]
pub struct Store {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
}

impl Store {
    pub fn new(db: DatabaseConnection, clock: Arc<dyn Clock>) -> Self {
        Self { db, clock }
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// Open and idle connections in the pool, for metrics.
    pub fn pool_stats(&self) -> (u32, usize) {
        match self.db.get_database_backend() {
            sea_orm::DbBackend::Postgres => {
                let pool = self.db.get_postgres_connection_pool();
                (pool.size(), pool.num_idle())
            }
            _ => {
                let pool = self.db.get_sqlite_connection_pool();
                (pool.size(), pool.num_idle())
            }
        }
    }

    /// Whether the database answers, for `/readyz`.
    pub async fn ping(&self) -> Result<()> {
        self.db.ping().await.map_err(Error::from)
    }
}

/// A fresh id. UUIDv7 so that ids sort by creation time, which Relay cursors rely on.
pub(crate) fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}
