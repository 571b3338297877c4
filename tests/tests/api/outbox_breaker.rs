//! The breaker counts failures across a round's concurrent sends: a gateway that fails every request
//! receives no more of them than the breaker's threshold before sending stops, and the messages it never
//! received go back to the queue uncounted; once the gateway answers again, a round is sent at the
//! worker's full concurrency.

use std::sync::Arc;
use std::time::Duration;

use gongzhi_domain::notify::{BreakerPolicy, MessageStatus};
use gongzhi_infra::outbox::{Worker, WorkerSettings};
use gongzhi_tests::fake_gateway::{FakeGateway, MESSAGES, Mode};
use gongzhi_tests::on_both;

use crate::outbox_support::{SECRET, World, ids, quick, sorted, world};

/// `count` consenting residents raise a topic together and `rc_staff` accepts it: `count` messages.
async fn accepted_topic_for(w: &World, count: usize) {
    let people = w.consenting_residents("o-resident", count).await;
    let topic = w.raise(&people[0], &people[1..]).await;
    w.accept(topic).await;
}

on_both!(
    a_failing_gateway_receives_no_more_sends_than_the_threshold_and_a_recovered_one_the_full_concurrency,
    |backend| async move {
        let Some(w) = world(backend).await else { return };
        let gateway = FakeGateway::start(SECRET).await;
        accepted_topic_for(&w, 20).await;
        let breaker = BreakerPolicy { failures_to_open: 5, cool_down: chrono::Duration::seconds(10) };
        let worker = w.worker(&gateway, WorkerSettings { concurrency: 16, breaker, ..quick() });
        gateway.set_mode(Mode::Fail);

        let claimed = worker.run_once().await.expect("round");
        let reached_in_the_outage = gateway.received(MESSAGES).len();
        let after_the_outage = w.messages().await;
        w.advance(2);
        let cooling_down = worker.run_once().await.expect("round");
        gateway.set_mode(Mode::Accept);
        // Answers held until every send of a round is out, so the most in flight at once is the round's.
        gateway.hold();
        w.advance(10);
        let worker = Arc::new(worker);
        let round = |worker: Arc<Worker>| tokio::spawn(async move { worker.run_once().await });
        let probing = round(worker.clone());
        assert!(gateway.wait_until(Duration::from_secs(5), |g| g.in_flight() == 1).await, "the probe is out");
        gateway.release();
        let probe = probing.await.expect("joined").expect("round");
        let in_flight_before_recovery = gateway.max_in_flight();
        gateway.hold();
        let recovering = round(worker.clone());
        let all_out = gateway.wait_until(Duration::from_secs(5), |g| g.in_flight() == 16).await;
        gateway.release();
        let recovered = recovering.await.expect("joined").expect("round");
        assert!(all_out, "the whole concurrency was out at once: {}", gateway.in_flight());

        assert_eq!(claimed, 20, "the round claimed its batch");
        assert_eq!(reached_in_the_outage, 5, "sending stopped at the breaker's threshold, not at the round's end");
        let tried = after_the_outage.iter().filter(|m| m.attempts == 1).count();
        let untried = after_the_outage.iter().filter(|m| m.attempts == 0).count();
        assert!(after_the_outage.iter().all(|m| m.status == MessageStatus::Queued), "{after_the_outage:?}");
        assert_eq!((tried, untried), (5, 15), "the messages never sent are back in the queue, uncounted");
        assert_eq!(cooling_down, 0, "the gateway is left alone for the cool-down");
        assert_eq!(probe, 1, "then one message probes it");
        assert!(in_flight_before_recovery <= 5, "at most the threshold out at once: {in_flight_before_recovery}");
        assert_eq!(recovered, 19);
        assert_eq!(gateway.max_in_flight(), 16, "a gateway that answers gets the worker's whole concurrency");
        let messages = w.messages().await;
        assert!(messages.iter().all(|m| m.status == MessageStatus::Sent), "{:?}", w.statuses().await);
        assert_eq!(sorted(gateway.taken()), ids(&messages));
        assert_eq!(gateway.received(MESSAGES).len(), 25, "five failed sends, the probe, and the other nineteen");
    }
);
