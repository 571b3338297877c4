//! Consumers of the event log: a consumer stopped mid-batch loses nothing and repeats no effect when a new
//! one resumes from its cursor; a failing consumer keeps its cursor, backs off on the store's clock, and
//! holds up no other consumer.

use std::sync::atomic::Ordering;

use gongzhi_tests::on_both;

use crate::event_log_support::{Recorder, drain, effects, effects_table, events_after};
use crate::outbox_support::world;

on_both!(a_consumer_stopped_mid_batch_is_resumed_from_its_cursor_without_loss_or_duplicate, |backend| async move {
    let Some(w) = world(backend).await else { return };
    effects_table(&w.store).await;
    let author = w.wechat_resident("o-author").await;
    let first = Recorder::new("recorder");
    drain(&w.store, &first).await;
    let start = w.store.log_head().await.expect("head");
    for _ in 0..3 {
        w.raise(&author, &[]).await;
    }

    first.hang.store(true, Ordering::SeqCst);
    tokio::select! {
        stepped = w.store.consume_once(&first, 50) => panic!("the step was to hang, and ended: {stepped:?}"),
        () = first.hung.notified() => {}
    }
    // The step's future is dropped here, mid-batch, its effects written but not committed.
    assert_eq!(&first.seen()[first.seen().len() - 3..], [start + 1, start + 2, start + 3], "it had handled them");

    let second = Recorder::new("recorder");
    assert_eq!(w.store.consume_once(&second, 50).await.expect("step"), 0, "the dropped step still holds the lease");
    w.advance(61);
    assert_eq!(drain(&w.store, &second).await, 3, "the new one resumes where the cursor was");
    let mut expected: Vec<i64> = (1..=start).collect();
    expected.extend([start + 1, start + 2, start + 3]);
    assert_eq!(effects(&w.store, "recorder").await, expected, "every event's effect once: none lost, none twice");
    assert_eq!(drain(&w.store, &second).await, 0);
});

on_both!(a_failing_consumer_keeps_its_cursor_backs_off_and_delays_no_other, |backend| async move {
    let Some(w) = world(backend).await else { return };
    effects_table(&w.store).await;
    let author = w.wechat_resident("o-author").await;
    let failing = Recorder::new("failing");
    let healthy = Recorder::new("healthy");
    drain(&w.store, &failing).await;
    drain(&w.store, &healthy).await;
    let start = w.store.log_head().await.expect("head");
    let before = effects(&w.store, "failing").await;

    failing.fail.store(true, Ordering::SeqCst);
    w.raise(&author, &[]).await;
    assert!(w.store.consume_once(&failing, 50).await.is_err(), "its handle fails");
    assert_eq!(drain(&w.store, &healthy).await, 1, "the other consumer goes on");
    let cursors = w.store.consumer_cursors().await.expect("cursors");
    let cursor = cursors.iter().find(|c| c.name == "failing").expect("cursor");
    assert_eq!(cursor.position, start, "the cursor stays before the event it could not handle");
    assert_eq!(cursor.failures, 1);
    assert!(cursor.last_error.is_some());
    assert_eq!(cursor.retry_at, Some(w.clock_now() + chrono::Duration::seconds(1)), "first backoff: 1 s");

    failing.fail.store(false, Ordering::SeqCst);
    assert_eq!(w.store.consume_once(&failing, 50).await.expect("step"), 0, "not before its backoff ran out");
    failing.fail.store(true, Ordering::SeqCst);
    w.advance(1);
    assert!(w.store.consume_once(&failing, 50).await.is_err(), "retried once the clock passed the backoff");
    let cursors = w.store.consumer_cursors().await.expect("cursors");
    let cursor = cursors.iter().find(|c| c.name == "failing").expect("cursor");
    assert_eq!(cursor.failures, 2);
    assert_eq!(cursor.retry_at, Some(w.clock_now() + chrono::Duration::seconds(2)), "the backoff doubles");
    w.raise(&author, &[]).await;
    assert_eq!(drain(&w.store, &healthy).await, 1, "still nothing holds the healthy one up");

    failing.fail.store(false, Ordering::SeqCst);
    w.advance(2);
    assert_eq!(drain(&w.store, &failing).await, 2, "it recovers with both events, in order");
    assert_eq!(effects(&w.store, "failing").await[before.len()..], [start + 1, start + 2]);
    let cursors = w.store.consumer_cursors().await.expect("cursors");
    let cursor = cursors.iter().find(|c| c.name == "failing").expect("cursor");
    assert_eq!((cursor.position, cursor.failures, cursor.retry_at), (start + 2, 0, None));
    assert_eq!(events_after(&w.store, start).await.len(), 2);
});
