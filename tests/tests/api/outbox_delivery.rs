//! Delivering messages through a fake gateway on loopback: nothing is lost to an outage, a worker that
//! dies or a gateway that takes a message without answering, and no message is taken twice.

use std::sync::Arc;
use std::time::Duration;

use gongzhi_domain::notify::{BreakerPolicy, MessageStatus};
use gongzhi_infra::outbox::WorkerSettings;
use gongzhi_tests::fake_gateway::{FakeGateway, MESSAGES, Mode};
use gongzhi_tests::{Backend, on_both};

use crate::outbox_support::{SECRET, World, ids, quick, sorted, world};

/// `count` consenting residents raise a topic together and `rc_staff` accepts it: `count` messages.
async fn accepted_topic_for(w: &World, count: usize) {
    let people = w.consenting_residents("o-resident", count).await;
    let topic = w.raise(&people[0], &people[1..]).await;
    w.accept(topic).await;
    assert_eq!(w.messages().await.len(), count, "one message per resident");
}

on_both!(every_request_is_signed_and_carries_the_message_id_as_its_idempotency_key, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    accepted_topic_for(&w, 3).await;

    let claimed = w.worker(&gateway, quick()).run_once().await.expect("round");

    assert_eq!(claimed, 3);
    assert_eq!(gateway.bad_signatures(), 0, "the gateway verified every signature");
    let messages = w.messages().await;
    assert!(messages.iter().all(|m| m.status == MessageStatus::Sent), "{:?}", w.statuses().await);
    assert_eq!(sorted(gateway.taken()), ids(&messages));
    for arrival in gateway.arrivals() {
        assert!(arrival.signed);
        assert_eq!(arrival.body["id"], arrival.key.as_str(), "the key is the message id");
        assert_eq!(arrival.body["channel"], "wechat_subscribe");
        assert_eq!(arrival.body["template"], "topic_accepted");
        assert!(arrival.body["to"].as_str().is_some_and(|to| to.starts_with("o-resident-")));
        assert!(arrival.body["data"].is_object(), "WeChat's template data: {}", arrival.body);
    }
});

on_both!(a_wrong_secret_is_refused_by_the_gateway_and_dead_letters_the_message_with_the_reason, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    accepted_topic_for(&w, 2).await;

    w.worker_with_secret(&gateway, quick(), "not-the-secret").run_once().await.expect("round");

    assert_eq!(gateway.bad_signatures(), 2);
    assert!(gateway.taken().is_empty());
    for message in w.messages().await {
        assert_eq!(message.status, MessageStatus::Dead, "a refusal is permanent: {message:?}");
        let reason = message.last_error.clone().unwrap_or_default();
        assert!(reason.contains("401") && reason.contains("invalid signature"), "reason: {reason}");
        let (_, attempts) = w.message(message.id).await;
        assert_eq!(attempts.len(), 1);
        assert_eq!(attempts[0].outcome, "refused");
        assert_eq!(attempts[0].http_status, Some(401));
    }
});

on_both!(an_outage_delays_delivery_and_loses_nothing, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    accepted_topic_for(&w, 3).await;
    let worker = w.worker(&gateway, quick());
    gateway.set_mode(Mode::Fail);

    // Several seconds of outage on the store's clock: three rounds, each after the longest backoff.
    for _ in 0..3 {
        assert_eq!(worker.run_once().await.expect("round"), 3, "every message is due again");
        w.advance(2);
    }
    let during = w.messages().await;
    gateway.set_mode(Mode::Accept);
    worker.run_once().await.expect("round");

    for message in &during {
        assert_eq!(message.status, MessageStatus::Queued, "still waiting: {message:?}");
        assert_eq!(message.attempts, 3);
        assert!(message.last_error.as_deref().is_some_and(|e| e.contains("503")), "{message:?}");
    }
    let after = w.messages().await;
    assert!(after.iter().all(|m| m.status == MessageStatus::Sent), "{:?}", w.statuses().await);
    assert_eq!(sorted(gateway.taken()), ids(&after), "each message taken exactly once");
    assert_eq!(gateway.duplicates(), 0);
    assert_eq!(gateway.received(MESSAGES).len(), 12, "three failed tries and one success each");
    let (_, attempts) = w.message(after[0].id).await;
    let outcomes: Vec<_> = attempts.iter().map(|a| (a.outcome.as_str(), a.http_status)).collect();
    assert_eq!(
        outcomes,
        [("failed", Some(503)), ("failed", Some(503)), ("failed", Some(503)), ("accepted", Some(202))],
        "every attempt is recorded"
    );
});

on_both!(a_worker_stopped_mid_batch_is_taken_over_after_its_lease_and_nothing_is_taken_twice, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    accepted_topic_for(&w, 4).await;
    // A timeout longer than the test: the worker is stopped while its requests are still out.
    let settings = || WorkerSettings { timeout: Duration::from_secs(20), ..quick() };
    let first = Arc::new(w.worker(&gateway, settings()));
    gateway.set_mode(Mode::Hang);
    let round = tokio::spawn({
        let first = first.clone();
        async move { first.run_once().await }
    });
    let all_out = gateway.wait_until(Duration::from_secs(5), |g| g.received(MESSAGES).len() == 4).await;
    assert!(all_out, "the four requests reached the gateway: {:?}", gateway.received(MESSAGES));

    round.abort();
    let _ = round.await;
    gateway.set_mode(Mode::Accept);
    assert!(gateway.wait_until(Duration::from_secs(5), |g| g.in_flight() == 0).await, "the hung requests ended");
    let successor = w.worker(&gateway, quick());
    let within_lease = successor.run_once().await.expect("round");
    w.advance(31);
    let after_lease = successor.run_once().await.expect("round");

    assert_eq!(within_lease, 0, "a message under lease is not taken over");
    assert_eq!(after_lease, 4, "every message is taken over once the lease runs out");
    let messages = w.messages().await;
    assert!(messages.iter().all(|m| m.status == MessageStatus::Sent), "{:?}", w.statuses().await);
    assert_eq!(sorted(gateway.taken()), ids(&messages), "each message taken exactly once");
    let received = gateway.received(MESSAGES);
    assert_eq!(sorted(received[..4].to_vec()), sorted(received[4..].to_vec()), "the resend carries the same keys");
    assert_eq!(gateway.max_in_flight_per_key(), 1);
    let (_, attempts) = w.message(messages[0].id).await;
    assert_eq!(attempts.len(), 1, "the stopped worker recorded nothing: {attempts:?}");
    assert_eq!(attempts[0].worker, successor.name());
});

on_both!(a_message_the_gateway_took_without_answering_is_resent_with_its_key_and_taken_once, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    accepted_topic_for(&w, 2).await;
    let worker = w.worker(&gateway, quick());
    gateway.set_mode(Mode::TakeThenHang);

    worker.run_once().await.expect("round");
    let timed_out = w.messages().await;
    gateway.set_mode(Mode::Accept);
    assert!(gateway.wait_until(Duration::from_secs(5), |g| g.in_flight() == 0).await);
    w.advance(2);
    worker.run_once().await.expect("round");

    for message in &timed_out {
        assert_eq!(message.status, MessageStatus::Queued, "{message:?}");
        assert_eq!(message.last_error.as_deref(), Some("no answer in time"));
    }
    let messages = w.messages().await;
    assert!(messages.iter().all(|m| m.status == MessageStatus::Sent), "{:?}", w.statuses().await);
    assert_eq!(sorted(gateway.taken()), ids(&messages), "taken once each");
    assert_eq!(gateway.duplicates(), 2, "the resends were recognised by their keys");
});

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_on_postgres_send_every_message_once_and_never_the_same_one_at_once() {
    let Some(w) = world(Backend::Postgres).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    accepted_topic_for(&w, 20).await;
    // Small batches, so the two workers' claims interleave many times.
    let settings = || WorkerSettings { batch: 3, concurrency: 3, ..quick() };
    let workers = [Arc::new(w.worker(&gateway, settings())), Arc::new(w.worker(&gateway, settings()))];
    let (stop, stopped) = tokio::sync::watch::channel(false);

    let running: Vec<_> = workers
        .iter()
        .map(|worker| {
            let (worker, stopped) = (worker.clone(), stopped.clone());
            tokio::spawn(async move { worker.run(stopped).await })
        })
        .collect();
    let done = gateway.wait_until(Duration::from_secs(15), |g| g.taken().len() == 20).await;
    stop.send(true).expect("stop");
    for run in running {
        run.await.expect("worker ran");
    }

    assert!(done, "all twenty were taken: {}", gateway.taken().len());
    assert_eq!(gateway.max_in_flight_per_key(), 1, "no message was out twice at once");
    assert_eq!(gateway.received(MESSAGES).len(), 20, "and none was sent twice at all");
    assert_eq!(gateway.duplicates(), 0);
    let messages = w.messages().await;
    assert!(messages.iter().all(|m| m.status == MessageStatus::Sent), "{:?}", w.statuses().await);
    assert_eq!(sorted(gateway.taken()), ids(&messages));
    let mut by_worker = std::collections::HashMap::<String, usize>::new();
    for message in &messages {
        for attempt in w.message(message.id).await.1 {
            *by_worker.entry(attempt.worker).or_default() += 1;
        }
    }
    assert_eq!(by_worker.values().sum::<usize>(), 20, "one attempt per message: {by_worker:?}");
}

on_both!(a_failing_gateway_is_left_alone_for_the_cool_down_then_probed_with_one_message, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    accepted_topic_for(&w, 5).await;
    let breaker = BreakerPolicy { failures_to_open: 3, cool_down: chrono::Duration::seconds(10) };
    let worker = w.worker(&gateway, WorkerSettings { breaker, ..quick() });
    gateway.set_mode(Mode::Fail);

    let outage = worker.run_once().await.expect("round");
    w.advance(2);
    let cooling_down = worker.run_once().await.expect("round");
    gateway.set_mode(Mode::Accept);
    w.advance(10);
    let probe = worker.run_once().await.expect("round");
    let back_up = worker.run_once().await.expect("round");

    assert_eq!(outage, 5, "the round claimed every message");
    assert_eq!(cooling_down, 0, "the messages are due, but the gateway is left alone");
    assert_eq!(probe, 1, "one message tries whether the gateway is back");
    assert_eq!(back_up, 4, "then everything else");
    let messages = w.messages().await;
    assert!(messages.iter().all(|m| m.status == MessageStatus::Sent), "{:?}", w.statuses().await);
    assert_eq!(sorted(gateway.taken()), ids(&messages));
    assert_eq!(gateway.received(MESSAGES).len(), 8, "three failures opened it, then the probe and the other four");
});

/// A worker checks before each send that its lease outlasts the send's timeout: a batch that outlived its
/// lease (a hanging gateway with the defaults is enough) must not send what another worker took over.
mod a_worker_whose_lease_ran_out_mid_batch_sends_nothing_more_of_it {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        lease_runs_out_mid_batch(Backend::Sqlite).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        lease_runs_out_mid_batch(Backend::Postgres).await
    }
}

async fn lease_runs_out_mid_batch(backend: Backend) {
    let Some(w) = world(backend).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    accepted_topic_for(&w, 3).await;
    // A first, failed round: the messages' consent is taken, so a retry goes straight to sending.
    gateway.set_mode(Mode::Fail);
    w.worker(&gateway, quick()).run_once().await.expect("failed round");
    w.advance(2);
    gateway.set_mode(Mode::Accept);
    // One at a time, the answer held, so the batch outlives its lease (30 s on the store's clock).
    gateway.hold();
    let patient = || WorkerSettings { timeout: Duration::from_secs(5), ..quick() };
    let slow = Arc::new(w.worker(&gateway, WorkerSettings { concurrency: 1, ..patient() }));
    let round = tokio::spawn({
        let slow = slow.clone();
        async move { slow.run_once().await }
    });
    assert!(gateway.wait_until(Duration::from_secs(5), |g| g.arrivals().len() > 3).await, "the first is out");

    w.advance(31);
    let successor = Arc::new(w.worker(&gateway, patient()));
    let taking_over = tokio::spawn(async move { successor.run_once().await });
    // Opened once the successor has claimed the batch and is sending: the first answer comes too late.
    assert!(gateway.wait_until(Duration::from_secs(5), |g| g.arrivals().len() > 4).await, "the successor sends");
    gateway.release();
    let taken_over = taking_over.await.expect("joined").expect("round");
    round.await.expect("joined").expect("round");

    assert_eq!(taken_over, 3, "every lease ran out, so the successor took the whole batch over");
    // The request out when the lease ran out may be repeated; none after it.
    let received = gateway.received(MESSAGES).split_off(3);
    let out_at_expiry = received[0].clone();
    for key in received.iter().filter(|k| **k != out_at_expiry) {
        let sends = received.iter().filter(|k| *k == key).count();
        assert_eq!(sends, 1, "{key} was sent again by the worker that had lost it: {received:?}");
    }
    let messages = w.messages().await;
    assert!(messages.iter().all(|m| m.status == MessageStatus::Sent), "{:?}", w.statuses().await);
    assert_eq!(sorted(gateway.taken()), ids(&messages));
}
