//! The log's order under concurrent writers: a consumer running meanwhile sees every committed event
//! exactly once, in strictly increasing seqs without holes — none committed after a later-numbered one.

use std::sync::Arc;

use gongzhi_tests::on_both;

use crate::event_log_support::{Recorder, drain, effects, effects_table, events_after};
use crate::outbox_support::world;

const WRITERS: usize = 8;
const STEPS: usize = 25;

on_both!(concurrent_steps_reach_a_running_consumer_once_each_in_gap_free_order, |backend| async move {
    let Some(w) = world(backend).await else { return };
    effects_table(&w.store).await;
    let consumer = Arc::new(Recorder::new("order"));
    drain(&w.store, &*consumer).await;
    let mut authors = Vec::new();
    for n in 0..WRITERS {
        authors.push(w.wechat_resident(&format!("o-writer-{n}")).await);
    }
    let start = w.store.log_head().await.expect("head");
    let w = Arc::new(w);
    let writing = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let reader = {
        let (store, consumer, writing) = (w.store.clone(), consumer.clone(), writing.clone());
        tokio::spawn(async move {
            while writing.load(std::sync::atomic::Ordering::SeqCst) {
                store.consume_once(&*consumer, 7).await.expect("consumed");
                tokio::task::yield_now().await;
            }
        })
    };
    let mut writers = Vec::new();
    for author in authors {
        let w = w.clone();
        writers.push(tokio::spawn(async move {
            for _ in 0..STEPS {
                w.raise(&author, &[]).await;
            }
        }));
    }
    for writer in writers {
        writer.await.expect("writer");
    }
    writing.store(false, std::sync::atomic::Ordering::SeqCst);
    reader.await.expect("reader");
    drain(&w.store, &*consumer).await;

    let total = i64::try_from(WRITERS * STEPS).expect("small");
    assert_eq!(w.store.log_head().await.expect("head"), start + total, "one seq per step");
    let logged: Vec<i64> = events_after(&w.store, start).await.iter().map(|e| e.seq).collect();
    assert_eq!(logged, (start + 1..=start + total).collect::<Vec<_>>(), "gap-free");
    let seen: Vec<i64> = consumer.seen().into_iter().filter(|s| *s > start).collect();
    assert_eq!(seen, logged, "the consumer saw each, once, in order, while they were being written");
    let effected: Vec<i64> = effects(&w.store, "order").await.into_iter().filter(|s| *s > start).collect();
    assert_eq!(effected, logged);
});
