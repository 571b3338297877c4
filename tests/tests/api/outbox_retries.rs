//! Retrying and giving up: a 429 is waited out without counting against the message, the send rate holds
//! at the receiving end, a message that keeps failing is dead-lettered with the reason, and the city
//! administrator (only they) can replay a dead letter, which is then delivered.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use gongzhi_api::error::{ApiError, Code};
use gongzhi_domain::clock::{Clock, MockClock};
use gongzhi_domain::notify::{Backoff, MessageStatus, SEND_WINDOW};
use gongzhi_infra::outbox::{PaceWait, WorkerSettings};
use gongzhi_tests::fake_gateway::{FakeGateway, MESSAGES, Mode};
use gongzhi_tests::{Backend, on_both};

use crate::outbox_support::{SECRET, World, demo_actor, ids, quick, sorted, world};

/// `count` consenting residents raise a topic together and `rc_staff` accepts it: `count` messages.
async fn accepted_topic_for(w: &World, count: usize) {
    let people = w.consenting_residents("o-resident", count).await;
    let topic = w.raise(&people[0], &people[1..]).await;
    w.accept(topic).await;
}

/// The stable code the API would show for a store error.
fn code_of(err: gongzhi_infra::Error) -> Code {
    ApiError::from(err).code()
}

on_both!(a_429_is_retried_after_its_wait_and_not_counted_as_a_failed_attempt, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    accepted_topic_for(&w, 1).await;
    let backoff = Backoff { cap: chrono::Duration::minutes(10), ..quick().backoff };
    let settings = || WorkerSettings { backoff, ..quick() };
    let worker = w.worker(&gateway, settings());
    let asked_at = w.clock_now();
    gateway.set_mode(Mode::RateLimited { seconds: 3 });

    worker.run_once().await.expect("round");
    let asked_to_wait = w.messages().await.remove(0);
    gateway.set_mode(Mode::Accept);
    w.advance(2);
    let before_the_wait = worker.run_once().await.expect("round");
    let fresh_worker_before_the_wait = w.worker(&gateway, settings()).run_once().await.expect("round");
    w.advance(1);
    let after_the_wait = worker.run_once().await.expect("round");

    assert_eq!(asked_to_wait.status, MessageStatus::Queued);
    assert_eq!(asked_to_wait.attempts, 0, "a 429 is the gateway's state, not the message's failure");
    assert_eq!(asked_to_wait.next_attempt_at, asked_at + chrono::Duration::seconds(3), "due when the wait ends");
    assert_eq!((before_the_wait, fresh_worker_before_the_wait), (0, 0), "nothing is sent before Retry-After");
    assert_eq!(after_the_wait, 1);
    let (message, attempts) = w.message(asked_to_wait.id).await;
    assert_eq!(message.status, MessageStatus::Sent);
    assert_eq!(message.attempts, 1, "only the successful attempt counts");
    let outcomes: Vec<_> = attempts.iter().map(|a| (a.outcome.as_str(), a.http_status)).collect();
    assert_eq!(outcomes, [("rate_limited", Some(429)), ("accepted", Some(202))]);
    assert_eq!(gateway.received(MESSAGES).len(), 2);
});

/// Waits for a send's slot by moving the injected clock to it, and keeps the slots granted: the pacing
/// decision, read directly, with nothing timed.
struct MoveTheClock {
    clock: Arc<MockClock>,
    slots: Mutex<Vec<DateTime<Utc>>>,
}

impl PaceWait for MoveTheClock {
    fn until(&self, slot: DateTime<Utc>) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        self.slots.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(slot);
        if slot > self.clock.now() {
            self.clock.set(slot);
        }
        Box::pin(async {})
    }
}

on_both!(no_one_second_window_of_the_clock_holds_more_sends_than_the_rate, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    accepted_topic_for(&w, 20).await;
    let settings = WorkerSettings { per_second: 5, concurrency: 20, ..quick() };
    let start = w.clock_now();
    let pace = Arc::new(MoveTheClock { clock: w.clock.clone(), slots: Mutex::new(Vec::new()) });

    w.worker(&gateway, settings).paced_by(pace.clone()).run_once().await.expect("round");

    assert_eq!(gateway.taken().len(), 20, "{:?}", w.statuses().await);
    let slots = pace.slots.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
    assert_eq!(slots.len(), 20, "every send waited for a slot");
    // No window holds six sends: every send is at least a window after the fifth before it.
    for (i, six) in slots.windows(6).enumerate() {
        assert!(six[5] - six[0] >= SEND_WINDOW, "sends {i} to {} within {:?}", i + 5, six[5] - six[0]);
    }
    assert_eq!(slots[19], start + SEND_WINDOW * 3, "twenty sends at five a window take three windows more");
    assert_eq!(w.clock_now(), slots[19], "the worker waited on the injected clock, to the last slot");
});

on_both!(exhausting_the_attempts_dead_letters_the_message_with_the_reason, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    accepted_topic_for(&w, 1).await;
    let backoff = Backoff { max_attempts: 2, ..quick().backoff };
    let worker = w.worker(&gateway, WorkerSettings { backoff, ..quick() });
    gateway.set_mode(Mode::Fail);

    worker.run_once().await.expect("first round");
    w.advance(2);
    worker.run_once().await.expect("second round");
    w.advance(2);
    let after_giving_up = worker.run_once().await.expect("third round");

    let message = w.messages().await.remove(0);
    assert_eq!(message.status, MessageStatus::Dead);
    assert_eq!(message.attempts, 2);
    let reason = message.last_error.unwrap_or_default();
    assert!(reason.starts_with("gave up after 2 attempts") && reason.contains("503"), "reason: {reason}");
    assert!(message.finished_at.is_some());
    assert_eq!(after_giving_up, 0, "a dead letter is not claimed again");
    assert_eq!(gateway.received(MESSAGES).len(), 2);
});

on_both!(a_dead_letter_replayed_by_the_city_administrator_is_delivered, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    accepted_topic_for(&w, 1).await;
    let backoff = Backoff { max_attempts: 1, ..quick().backoff };
    let worker = w.worker(&gateway, WorkerSettings { backoff, ..quick() });
    gateway.set_mode(Mode::Fail);
    worker.run_once().await.expect("round");
    let dead = w.messages().await.remove(0);
    assert_eq!(dead.status, MessageStatus::Dead);

    let replayed = w.store.replay_dead_letter(&w.admin, dead.id).await.expect("replayed");
    gateway.set_mode(Mode::Accept);
    worker.run_once().await.expect("round");

    assert_eq!(replayed.status, MessageStatus::Queued);
    assert_eq!(replayed.attempts, 0, "a replay starts the count afresh");
    assert!(replayed.finished_at.is_none());
    assert!(replayed.last_error.as_deref().is_some_and(|e| e.contains("replayed by")), "{replayed:?}");
    let (message, attempts) = w.message(dead.id).await;
    assert_eq!(message.status, MessageStatus::Sent);
    assert_eq!(attempts.len(), 2, "the failed attempt is kept beside the successful one");
    assert_eq!(sorted(gateway.taken()), ids(&[message]));
});

on_both!(only_the_city_administrator_may_replay_and_only_a_dead_letter, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    accepted_topic_for(&w, 2).await;
    let backoff = Backoff { max_attempts: 1, ..quick().backoff };
    let worker = w.worker(&gateway, WorkerSettings { backoff, ..quick() });
    gateway.set_mode(Mode::Fail);
    worker.run_once().await.expect("round");
    let dead = w.messages().await.remove(0);
    let staff = demo_actor(&w.store, "rc_staff").await;

    let by_staff = w.store.replay_dead_letter(&staff, dead.id).await;
    let replayed = w.store.replay_dead_letter(&w.admin, dead.id).await.expect("replayed");
    gateway.set_mode(Mode::Accept);
    worker.run_once().await.expect("round");
    let sent_again = w.store.replay_dead_letter(&w.admin, dead.id).await;

    assert_eq!(by_staff.map(|_| ()).map_err(code_of), Err(Code::Forbidden), "community staff do not operate delivery");
    assert_eq!(replayed.status, MessageStatus::Queued);
    assert_eq!(w.message(dead.id).await.0.status, MessageStatus::Sent);
    assert_eq!(sent_again.map(|_| ()).map_err(code_of), Err(Code::Conflict), "a sent message is not replayed");
    let other = w.messages().await.into_iter().find(|m| m.id != dead.id).expect("the other message");
    assert_eq!(other.status, MessageStatus::Dead, "a replay touches only its message");
});

/// A 429's Retry-After holds the rest of the batch in hand too, not only the next round.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_429_nothing_more_is_sent_until_the_wait_is_over() {
    let Some(w) = world(Backend::Sqlite).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    accepted_topic_for(&w, 3).await;
    let worker = w.worker(&gateway, WorkerSettings { concurrency: 1, ..quick() });
    gateway.set_mode(Mode::RateLimited { seconds: 30 });

    worker.run_once().await.expect("round");

    assert_eq!(gateway.received(MESSAGES).len(), 1, "the gateway asked for 30 s of quiet after the first");
    assert!(w.messages().await.iter().all(|m| m.status == MessageStatus::Queued && m.attempts == 0));
}

on_both!(only_the_city_administrator_sees_the_outbox, |backend| async move {
    let Some(w) = world(backend).await else { return };
    accepted_topic_for(&w, 1).await;
    let message = w.messages().await.remove(0);
    let staff = demo_actor(&w.store, "rc_staff").await;
    let filter = gongzhi_infra::outbox::OutboxFilter::default();

    let listed = w.store.outbox_messages(&staff, &filter, None, 10).await;
    let one = w.store.outbox_message(&staff, message.id).await;

    assert_eq!(listed.map(|_| ()).map_err(code_of), Err(Code::Forbidden));
    assert_eq!(one.map(|_| ()).map_err(code_of), Err(Code::Forbidden));
});
