//! Shared helpers for the event log's tests, at store level: a consumer whose effect is a row per event
//! written in its own transaction (so a duplicate effect breaks a primary key), that can be told to fail
//! or to stop mid-batch.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use gongzhi_infra::event_log::{Consumer, EventFilter, LoggedEvent};
use gongzhi_infra::{Error, Result, Store};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, Statement};

/// Creates the table the recorder writes its effects to: one row per (consumer, seq), never two.
pub async fn effects_table(store: &Store) {
    store
        .connection()
        .execute_unprepared(
            "CREATE TABLE IF NOT EXISTS consumed (consumer TEXT NOT NULL, seq BIGINT NOT NULL, \
             PRIMARY KEY (consumer, seq))",
        )
        .await
        .expect("effects table");
}

/// The seqs a consumer's effects cover, in order.
pub async fn effects(store: &Store, consumer: &str) -> Vec<i64> {
    let backend = store.connection().get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "SELECT seq FROM consumed WHERE consumer = $1 ORDER BY seq",
        _ => "SELECT seq FROM consumed WHERE consumer = ? ORDER BY seq",
    };
    let rows = store
        .connection()
        .query_all_raw(Statement::from_sql_and_values(backend, sql, [consumer.into()]))
        .await
        .expect("effects");
    rows.iter().map(|r| r.try_get::<i64>("", "seq").expect("seq")).collect()
}

/// Writes one row per event it handles, in the consumer's transaction; remembers every batch it saw.
pub struct Recorder {
    pub name: &'static str,
    pub fail: AtomicBool,
    /// When set, the next batch's effects are written and then the handle waits here forever (until its
    /// future is dropped): a consumer stopped mid-way.
    pub hang: AtomicBool,
    /// Told when a handle starts hanging.
    pub hung: tokio::sync::Notify,
    pub seen: Mutex<Vec<i64>>,
}

impl Recorder {
    pub fn new(name: &'static str) -> Self {
        Recorder {
            name,
            fail: AtomicBool::new(false),
            hang: AtomicBool::new(false),
            hung: tokio::sync::Notify::new(),
            seen: Mutex::default(),
        }
    }

    pub fn seen(&self) -> Vec<i64> {
        self.seen.lock().expect("seen").clone()
    }
}

#[async_trait::async_trait]
impl Consumer for Recorder {
    fn name(&self) -> &'static str {
        self.name
    }

    async fn handle(&self, txn: &DatabaseTransaction, events: &[LoggedEvent]) -> Result<()> {
        if self.fail.load(Ordering::SeqCst) {
            return Err(Error::NotFound("the recorder's downstream"));
        }
        let backend = txn.get_database_backend();
        let sql = match backend {
            DbBackend::Postgres => "INSERT INTO consumed (consumer, seq) VALUES ($1, $2)",
            _ => "INSERT INTO consumed (consumer, seq) VALUES (?, ?)",
        };
        for event in events {
            txn.execute_raw(Statement::from_sql_and_values(backend, sql, [self.name.into(), event.seq.into()])).await?;
        }
        self.seen.lock().expect("seen").extend(events.iter().map(|e| e.seq));
        if self.hang.load(Ordering::SeqCst) {
            self.hung.notify_one();
            std::future::pending::<()>().await;
        }
        Ok(())
    }
}

/// Runs the consumer until it has nothing left, returning how many events it handled.
pub async fn drain(store: &Store, consumer: &dyn Consumer) -> usize {
    let mut total = 0;
    loop {
        let handled = store.consume_once(consumer, 50).await.expect("consumed");
        if handled == 0 {
            return total;
        }
        total += handled;
    }
}

/// Every event after `seq`.
pub async fn events_after(store: &Store, seq: i64) -> Vec<LoggedEvent> {
    store.events_after(seq, 10_000, &EventFilter::default()).await.expect("events")
}
