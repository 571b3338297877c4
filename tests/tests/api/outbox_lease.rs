//! A claim's lease against the gateway's timeout: settings where the lease could not outlast a send are
//! refused at start-up, a worker given such a lease anyway still sends, and a message claimed more often
//! than its attempts allow (each claim ended without an answer) is dead-lettered where the city
//! administrator and `/metrics` see it, not claimed again forever.

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use gongzhi_api::config::Settings;
use gongzhi_api::startup::Application;
use gongzhi_domain::clock::MockClock;
use gongzhi_domain::notify::{Backoff, MessageStatus};
use gongzhi_infra::outbox::{OutboxFilter, WorkerSettings};
use gongzhi_tests::fake_gateway::{FakeGateway, MESSAGES, Mode};
use gongzhi_tests::on_both;

use crate::outbox_support::{SECRET, World, ids, quick, sorted, world};

/// `count` consenting residents raise a topic together and `rc_staff` accepts it: `count` messages.
async fn accepted_topic_for(w: &World, count: usize) {
    let people = w.consenting_residents("o-resident", count).await;
    let topic = w.raise(&people[0], &people[1..]).await;
    w.accept(topic).await;
}

/// Why the server refuses to start with this lease and gateway timeout, if it does.
async fn start_up_refusal(lease_seconds: u64, timeout_ms: u64) -> Option<String> {
    let mut settings = Settings { bind: "127.0.0.1:0".into(), seed_demo: false, ..Settings::default() };
    let dir = std::env::temp_dir().join(format!("gongzhi-lease-{}", uuid::Uuid::new_v4()));
    settings.database_url = Some(format!("sqlite://{}/start.sqlite?mode=rwc", dir.display()));
    settings.outbox.worker_in_serve = false;
    settings.outbox.lease_seconds = lease_seconds;
    settings.outbox.timeout_ms = timeout_ms;
    let clock = Arc::new(MockClock::new(Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).single().expect("time")));
    let refusal = Application::build_with_clock(settings, clock).await.err().map(|err| format!("{err:#}"));
    let _ = std::fs::remove_dir_all(dir);
    refusal
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lease_no_longer_than_the_gateway_timeout_is_refused_at_start_up_naming_both_settings() {
    let shorter = start_up_refusal(5, 10_000).await;
    let equal = start_up_refusal(10, 10_000).await;
    let longer = start_up_refusal(11, 10_000).await;

    for refusal in [&shorter, &equal] {
        let refusal = refusal.as_deref().unwrap_or_else(|| panic!("started with a lease that cannot work"));
        assert!(refusal.contains("GONGZHI_OUTBOX__LEASE_SECONDS"), "{refusal}");
        assert!(refusal.contains("GONGZHI_OUTBOX__TIMEOUT_MS"), "{refusal}");
    }
    assert_eq!(longer, None, "a lease longer than the timeout starts");
}

on_both!(a_worker_given_a_lease_shorter_than_its_gateway_timeout_still_sends_each_message_once, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    accepted_topic_for(&w, 3).await;
    let settings = WorkerSettings { lease: chrono::Duration::seconds(5), timeout: Duration::from_secs(10), ..quick() };
    let worker = w.worker(&gateway, settings);

    let claimed = worker.run_once().await.expect("round");
    w.advance(6);
    let after_the_configured_lease = worker.run_once().await.expect("round");

    assert_eq!(claimed, 3);
    assert_eq!(after_the_configured_lease, 0, "nothing is left to claim again");
    let messages = w.messages().await;
    assert!(messages.iter().all(|m| m.status == MessageStatus::Sent && m.attempts == 1), "{messages:?}");
    assert_eq!(sorted(gateway.taken()), ids(&messages));
    assert_eq!(gateway.received(MESSAGES).len(), 3, "one send each");
});

on_both!(
    a_message_claimed_more_often_than_its_attempts_allow_is_dead_lettered_without_another_send,
    |backend| async move {
        let Some(w) = world(backend).await else { return };
        let gateway = FakeGateway::start(SECRET).await;
        accepted_topic_for(&w, 1).await;
        let backoff = Backoff { max_attempts: 2, ..quick().backoff };
        // A timeout longer than the test: each worker is stopped while its send is still out, so no claim
        // records an answer, as when a worker is killed mid-send again and again.
        let settings = || WorkerSettings { backoff, timeout: Duration::from_secs(20), ..quick() };
        gateway.set_mode(Mode::Hang);
        for sends in 1..=2 {
            let worker = Arc::new(w.worker(&gateway, settings()));
            let round = tokio::spawn(async move { worker.run_once().await });
            let out = gateway.wait_until(Duration::from_secs(5), |g| g.received(MESSAGES).len() == sends).await;
            assert!(out, "send {sends} reached the gateway: {:?}", gateway.received(MESSAGES));
            round.abort();
            let _ = round.await;
            w.advance(31);
        }
        gateway.set_mode(Mode::Accept);

        let claimed = w.worker(&gateway, settings()).run_once().await.expect("round");
        w.advance(31);
        let claimed_later = w.worker(&gateway, settings()).run_once().await.expect("round");

        assert_eq!((claimed, claimed_later), (1, 0), "claimed once more, then never again");
        assert_eq!(gateway.received(MESSAGES).len(), 2, "no send past the two attempts allowed");
        let dead_filter = OutboxFilter { status: Some(MessageStatus::Dead), ..OutboxFilter::default() };
        let dead = w.store.outbox_messages(&w.admin, &dead_filter, None, 10).await.expect("dead letters");
        assert_eq!(dead.len(), 1, "listed among the dead letters: {:?}", w.statuses().await);
        assert_eq!(dead[0].attempts, 2, "the claim that sent nothing is not counted");
        let reason = dead[0].last_error.clone().unwrap_or_default();
        assert!(reason.contains("claimed 3 times"), "reason: {reason}");
        let counts = w.store.outbox_counts().await.expect("counts");
        assert!(counts.contains(&(MessageStatus::Dead, 1)), "what /metrics reports: {counts:?}");
    }
);
