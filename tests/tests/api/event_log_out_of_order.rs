//! The log's order when a transaction that began first commits last (decision 87): its event is numbered
//! after those committed meanwhile, so a consumer that has already read past them still reads it — it is
//! never skipped, and nothing is numbered twice.
//!
//! PostgreSQL only: there writers append side by side and the sequencer numbers what has committed. On
//! SQLite one writer at a time holds the database, so the second transaction cannot commit while the first
//! is open; its order is the same test as `event_log_order`.

use gongzhi_tests::Backend;
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};

use crate::event_log_support::{Recorder, drain, effects, effects_table, events_after};
use crate::outbox_support::world;

/// The statement a step's flush runs on PostgreSQL: the event goes in with no seq.
const APPEND: &str = "INSERT INTO event_log (id, kind, schema_version, at, place_path, audience, payload) \
                      VALUES ($1, 'topic.co_signed', 1, now(), '/', 'public', '{}')";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consumer_never_skips_an_event_committed_after_a_later_one() {
    let Some(w) = world(Backend::Postgres).await else { return };
    effects_table(&w.store).await;
    let author = w.wechat_resident("o-late-writer").await;
    let consumer = Recorder::new("late");
    drain(&w.store, &consumer).await;
    let start = w.store.log_head().await.expect("head");

    // The first transaction appends its event and stays open.
    let first = w.store.connection().begin().await.expect("begins");
    let late = uuid::Uuid::new_v4();
    first
        .execute_raw(Statement::from_sql_and_values(DbBackend::Postgres, APPEND, [late.into()]))
        .await
        .expect("the first appends");
    // The second begins after it, appends after it, and commits first.
    w.raise(&author, &[]).await;
    assert_eq!(drain(&w.store, &consumer).await, 1, "the second's event is read at once: no writer waits");
    assert_eq!(w.store.log_head().await.expect("head"), start + 1, "only what committed is numbered");

    first.commit().await.expect("the first commits, last");
    assert_eq!(drain(&w.store, &consumer).await, 1, "the consumer, already past the second, reads the first's");

    let logged = events_after(&w.store, start).await;
    let seqs: Vec<i64> = logged.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, [start + 1, start + 2], "numbered in the order they committed, without a hole");
    assert_eq!(logged[1].id, late, "the event committed last is numbered last");
    let seen: Vec<i64> = consumer.seen().into_iter().filter(|s| *s > start).collect();
    assert_eq!(seen, seqs, "each read once, in order");
    let effected: Vec<i64> = effects(&w.store, "late").await.into_iter().filter(|s| *s > start).collect();
    assert_eq!(effected, seqs);
}
