//! What the use cases run their SQL on: the pool, or one request-wide transaction (a unit of work) when
//! a mutation must be all-or-nothing together with its idempotency record. Use cases call `begin()` on
//! either; inside a unit of work that opens a savepoint, so they need not know which they have.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use sea_orm::{
    AccessMode, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExecResult, IsolationLevel,
    QueryResult, Statement, TransactionError, TransactionOptions, TransactionTrait,
};
use tokio::sync::Mutex;

use crate::pool_waits::PoolWaits;

#[derive(Clone)]
pub(crate) enum Db {
    /// Each call on the pool is timed for its wait (`pool_waits`).
    Pool(DatabaseConnection, PoolWaits),
    /// The transaction is `None` once the unit of work has been committed or rolled back.
    Work(DbBackend, Arc<Mutex<Option<DatabaseTransaction>>>),
}

fn closed() -> DbErr {
    DbErr::Custom("the unit of work has already ended".into())
}

macro_rules! on_either {
    ($self:ident, $db:ident => $call:expr) => {
        match $self {
            Db::Pool($db, waits) => waits.time(async { $call }).await,
            Db::Work(_, work) => {
                let guard = work.lock().await;
                let $db = guard.as_ref().ok_or_else(closed)?;
                $call
            }
        }
    };
}

impl Db {
    pub(crate) fn work(txn: DatabaseTransaction) -> Self {
        Db::Work(txn.get_database_backend(), Arc::new(Mutex::new(Some(txn))))
    }

    /// Ends a unit of work; a no-op on the pool.
    pub(crate) async fn finish(&self, commit: bool) -> Result<(), DbErr> {
        let Db::Work(_, work) = self else { return Ok(()) };
        let txn = work.lock().await.take().ok_or_else(closed)?;
        if commit { txn.commit().await } else { txn.rollback().await }
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for Db {
    fn get_database_backend(&self) -> DbBackend {
        match self {
            Db::Pool(db, _) => db.get_database_backend(),
            Db::Work(backend, _) => *backend,
        }
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        on_either!(self, db => db.execute_raw(stmt).await)
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        on_either!(self, db => db.execute_unprepared(sql).await)
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        on_either!(self, db => db.query_one_raw(stmt).await)
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        on_either!(self, db => db.query_all_raw(stmt).await)
    }
}

#[async_trait::async_trait]
impl TransactionTrait for Db {
    type Transaction = DatabaseTransaction;

    async fn begin(&self) -> Result<DatabaseTransaction, DbErr> {
        on_either!(self, db => db.begin().await)
    }

    async fn begin_with_config(
        &self,
        isolation_level: Option<IsolationLevel>,
        access_mode: Option<AccessMode>,
    ) -> Result<DatabaseTransaction, DbErr> {
        on_either!(self, db => db.begin_with_config(isolation_level, access_mode).await)
    }

    async fn begin_with_options(&self, options: TransactionOptions) -> Result<DatabaseTransaction, DbErr> {
        on_either!(self, db => db.begin_with_options(options).await)
    }

    async fn transaction<F, T, E>(&self, callback: F) -> Result<T, TransactionError<E>>
    where
        F: for<'c> FnOnce(&'c DatabaseTransaction) -> Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'c>> + Send,
        T: Send,
        E: std::fmt::Display + std::fmt::Debug + Send,
    {
        let txn = self.begin().await.map_err(TransactionError::Connection)?;
        match callback(&txn).await {
            Ok(value) => {
                txn.commit().await.map_err(TransactionError::Connection)?;
                Ok(value)
            }
            Err(err) => {
                txn.rollback().await.map_err(TransactionError::Connection)?;
                Err(TransactionError::Transaction(err))
            }
        }
    }

    async fn transaction_with_config<F, T, E>(
        &self,
        callback: F,
        isolation_level: Option<IsolationLevel>,
        access_mode: Option<AccessMode>,
    ) -> Result<T, TransactionError<E>>
    where
        F: for<'c> FnOnce(&'c DatabaseTransaction) -> Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'c>> + Send,
        T: Send,
        E: std::fmt::Display + std::fmt::Debug + Send,
    {
        let txn = self.begin_with_config(isolation_level, access_mode).await.map_err(TransactionError::Connection)?;
        match callback(&txn).await {
            Ok(value) => {
                txn.commit().await.map_err(TransactionError::Connection)?;
                Ok(value)
            }
            Err(err) => {
                txn.rollback().await.map_err(TransactionError::Connection)?;
                Err(TransactionError::Transaction(err))
            }
        }
    }
}
