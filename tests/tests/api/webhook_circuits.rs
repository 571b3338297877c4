//! Each partner endpoint has its own circuit (decision 160): an endpoint that keeps failing opens it, its
//! events wait without losing attempts while it is open, one probe goes when the cool-down is over on the
//! injected clock, and an answer closes it — while another endpoint and people's messages are served as
//! usual, round after round.

use chrono::Duration;
use gongzhi_domain::notify::{BreakerPolicy, Channel, Circuit, MessageStatus};
use gongzhi_infra::outbox::{OutboxMessage, WorkerSettings};
use gongzhi_tests::fake_gateway::{FakeGateway, MESSAGES};
use gongzhi_tests::on_both;
use uuid::Uuid;

use crate::outbox_support::{SECRET, World, quick, world};

const COOL_DOWN: i64 = 30;

fn settings() -> WorkerSettings {
    let endpoint_breaker = BreakerPolicy { failures_to_open: 3, cool_down: Duration::seconds(COOL_DOWN) };
    WorkerSettings { endpoint_breaker, ..quick() }
}

async fn webhooks_of(w: &World, endpoint: Uuid) -> Vec<OutboxMessage> {
    w.messages().await.into_iter().filter(|m| m.channel == Channel::Webhook && m.endpoint == Some(endpoint)).collect()
}

async fn circuit_of(w: &World, endpoint: Uuid) -> (Circuit, Option<chrono::DateTime<chrono::Utc>>) {
    let endpoints = w.store.webhooks(&w.admin).await.expect("webhooks");
    let found = endpoints.into_iter().find(|e| e.id == endpoint).expect("registered");
    (found.circuit, found.open_until)
}

on_both!(
    a_failing_endpoint_opens_its_circuit_waits_uncounted_and_closes_on_a_probe_while_others_are_served,
    |backend| async move {
        let Some(w) = world(backend).await else { return };
        // The partner's verifier refuses a timestamp five minutes off its own clock; the test stays within.
        w.clock_to_wall_time();
        let gateway = FakeGateway::start(SECRET).await;
        let (down_endpoint, down_secret) =
            w.store.register_webhook(&w.admin, "down", &gateway.webhook_url("down"), &[], None).await.expect("down");
        let (up_endpoint, up_secret) =
            w.store.register_webhook(&w.admin, "up", &gateway.webhook_url("up"), &[], None).await.expect("up");
        let (down, up) = (down_endpoint.id, up_endpoint.id);
        gateway.add_webhook("down", &down_secret);
        gateway.add_webhook("up", &up_secret);
        let people = w.consenting_residents("o-resident", 2).await;
        let topic = w.raise(&people[0], &people[1..]).await;
        w.accept(topic).await;
        w.feed_webhooks().await;
        gateway.fail_webhook("down");
        let worker = w.worker(&gateway, settings());

        // Three rounds: the third failure in a row opens the circuit.
        for _ in 0..3 {
            worker.run_once().await.expect("round");
            w.advance(2);
        }
        let opened = circuit_of(&w, down).await;
        let head_after_opening = webhooks_of(&w, down).await;
        let served_meanwhile = (gateway.received("/hooks/up").len(), gateway.taken().len());
        let circuits_while_open = w.store.webhook_circuits().await.expect("circuits");
        // The cool-down, round by round: nothing reaches the endpoint.
        for _ in 0..(COOL_DOWN / 2 - 4) {
            worker.run_once().await.expect("round");
            w.advance(2);
        }
        let during_cool_down = gateway.received("/hooks/down").len();
        let before_probe = circuit_of(&w, down).await;
        let until = opened.1.expect("open until");
        w.clock.set(until);
        let half_open = circuit_of(&w, down).await;
        worker.run_once().await.expect("the probe's round");
        let after_failed_probe = circuit_of(&w, down).await;
        let probes = gateway.received("/hooks/down").len();
        gateway.recover_webhook("down");
        w.advance(COOL_DOWN);
        w.deliver(&worker).await;

        assert_eq!(opened.0, Circuit::Open);
        let head = head_after_opening.iter().find(|m| m.status == MessageStatus::Queued && m.attempts > 0);
        let head = head.expect("the head of the endpoint's queue is waiting");
        assert_eq!(head.attempts, 2, "the failure that opened the circuit did not count against the message");
        assert_eq!(head.next_attempt_at, until, "it waits for the cool-down");
        assert!(head.last_error.as_deref().is_some_and(|e| e.contains("circuit is open")), "{head:?}");
        assert_eq!(served_meanwhile.0, 2, "the other endpoint took both its events in the same rounds");
        assert_eq!(served_meanwhile.1, 2 + 2, "and people's messages went out as well");
        assert!(
            circuits_while_open.contains(&(Circuit::Open, 1)) && circuits_while_open.contains(&(Circuit::Closed, 1))
        );
        assert_eq!(during_cool_down, 3, "nothing was sent to an open endpoint during its cool-down");
        assert_eq!(before_probe.0, Circuit::Open);
        assert_eq!(half_open, (Circuit::HalfOpen, Some(until)), "the cool-down is over on the injected clock");
        assert_eq!(probes, 4, "one probe, not the whole queue");
        assert_eq!(after_failed_probe.0, Circuit::Open, "a failed probe opens it again");
        assert!(after_failed_probe.1 > Some(until), "for another cool-down: {after_failed_probe:?}");
        assert_eq!(circuit_of(&w, down).await, (Circuit::Closed, None), "an answer closed it");
        let delivered = webhooks_of(&w, down).await;
        assert!(delivered.iter().all(|m| m.status == MessageStatus::Sent), "{delivered:?}");
        let head_now = delivered.iter().find(|m| m.id == head.id).expect("the head");
        assert_eq!(head_now.attempts, 3, "two counted failures and the success: the outage cost nothing more");
        assert_eq!(webhooks_of(&w, up).await.len(), 2);
        assert_eq!(gateway.received(MESSAGES).len(), 2, "people's messages went once each");
    }
);

on_both!(an_endpoint_failing_below_the_threshold_keeps_its_circuit_closed_and_its_backoff, |backend| async move {
    let Some(w) = world(backend).await else { return };
    w.clock_to_wall_time();
    let gateway = FakeGateway::start(SECRET).await;
    let (registered, secret) =
        w.store.register_webhook(&w.admin, "flaky", &gateway.webhook_url("flaky"), &[], None).await.expect("flaky");
    let endpoint = registered.id;
    gateway.add_webhook("flaky", &secret);
    let author = w.wechat_resident("o-author").await;
    w.raise(&author, &[]).await;
    w.feed_webhooks().await;
    gateway.fail_webhook("flaky");
    let worker = w.worker(&gateway, settings());

    worker.run_once().await.expect("round");
    w.advance(2);
    worker.run_once().await.expect("round");
    let after_two = circuit_of(&w, endpoint).await;
    gateway.recover_webhook("flaky");
    w.advance(2);
    w.deliver(&worker).await;

    assert_eq!(after_two, (Circuit::Closed, None), "two failures are under the threshold of three");
    let message = webhooks_of(&w, endpoint).await.remove(0);
    assert_eq!(message.status, MessageStatus::Sent);
    assert_eq!(message.attempts, 3, "both failures counted: the message's own backoff applied");
    assert_eq!(w.store.webhook_circuits().await.expect("circuits")[0], (Circuit::Closed, 1));
});
