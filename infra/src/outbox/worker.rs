//! The delivery worker: claims due messages, sends them at the configured rate through the gateway (or
//! the local log sink, or a partner's endpoint), and records each answer. Delivery is at least once; the
//! message id travels as the idempotency key, so the receiver sees a resend as the same message.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::StreamExt;
use gongzhi_domain::notify::{
    Admission, Allowance, Backoff, Breaker, BreakerPolicy, Channel, Circuit, Outcome, Step, next_step,
};
use sea_orm::TransactionTrait;
use sea_orm::prelude::*;
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::watch;
use tracing::{info, warn};

use super::claim::{AttemptRecord, Scope, SettleStep, claim, mark_consent_used, settle, settle_sent};
use super::endpoints::{store_circuit, stored_circuit};
use super::gateway::{Attempt, HttpSender, WebhookSender};
use super::ledger;
use super::log_sink::LogSink;
use super::pace::{Pace, PaceWait};
use super::signature::webhook_key;
use crate::entities::{outbox_message, webhook_endpoint};
use crate::{Result, Store};

/// Where personal messages go.
pub enum Transport {
    /// `POST {url}/v1/messages`, signed with the shared secret.
    Gateway { url: String, secret: SecretString },
    /// The embedded default: a local file of JSON lines.
    Log(LogSink),
}

#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// Names the worker in leases and the attempts log.
    pub name: String,
    pub batch: u32,
    pub concurrency: usize,
    /// How long a claim holds its messages. The worker holds them at least `MIN_LEASE_OVER_TIMEOUT`
    /// longer than `timeout`, whatever this says: a lease that runs out before a send could be answered
    /// holds every message back, round after round.
    pub lease: chrono::Duration,
    /// How long to wait when there was nothing to send.
    pub idle: Duration,
    pub per_second: u32,
    pub timeout: Duration,
    pub backoff: Backoff,
    pub breaker: BreakerPolicy,
    /// Each partner endpoint's own circuit (decision 160); the gateway's `breaker` never sees webhooks.
    pub endpoint_breaker: BreakerPolicy,
    /// WeChat template id per notification kind code; a kind not listed is sent under its code.
    pub templates: HashMap<String, String>,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            name: format!("worker-{}", uuid::Uuid::new_v4().simple()),
            batch: 100,
            concurrency: 16,
            lease: chrono::Duration::seconds(60),
            idle: Duration::from_millis(500),
            per_second: 50,
            timeout: Duration::from_secs(10),
            backoff: Backoff::default(),
            breaker: BreakerPolicy::default(),
            endpoint_breaker: BreakerPolicy { failures_to_open: 5, cool_down: chrono::Duration::minutes(1) },
            templates: HashMap::new(),
        }
    }
}

/// How a message ended its round, for metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    Sent,
    Retried,
    Dead,
    Skipped,
    /// The lease ran out before the answer was recorded; another worker owns the message.
    LeaseLost,
}

impl Settled {
    pub const fn as_str(self) -> &'static str {
        match self {
            Settled::Sent => "sent",
            Settled::Retried => "retried",
            Settled::Dead => "dead",
            Settled::Skipped => "skipped",
            Settled::LeaseLost => "lease_lost",
        }
    }
}

/// What became of one message in a round: settled on its own, or accepted and recorded with the round's
/// other accepted messages.
enum Delivered {
    Settled(Settled, Option<Duration>),
    Accepted(Box<(outbox_message::Model, Attempt)>),
}

/// Told of every settled message; the API counts them for `/metrics`.
pub trait DeliveryObserver: Send + Sync {
    /// `latency` is from queueing to acceptance, for sent messages.
    fn settled(&self, channel: &str, how: Settled, latency: Option<Duration>);
}

struct Unobserved;

impl DeliveryObserver for Unobserved {
    fn settled(&self, _: &str, _: Settled, _: Option<Duration>) {}
}

/// How much longer than the gateway's timeout a claim holds its messages at least: time for a send to
/// wait for its turn (the rate, the breaker) and for its answer to be recorded.
pub const MIN_LEASE_OVER_TIMEOUT: chrono::Duration = chrono::Duration::seconds(5);

pub struct Worker {
    store: Store,
    settings: WorkerSettings,
    /// The lease claims take: `settings.lease`, lengthened to outlast a send.
    lease: chrono::Duration,
    transport: Transport,
    http: HttpSender,
    /// Partners' endpoints, through the address rule (decision 71).
    webhooks: WebhookSender,
    pace: Pace,
    breaker: Mutex<Breaker>,
    /// Bumped whenever a send the breaker admitted is over, waking the sends waiting for their turn.
    turns: watch::Sender<u64>,
    /// Set by a 429: nothing is sent before this.
    paused_until: Mutex<Option<DateTime<Utc>>>,
    observer: Arc<dyn DeliveryObserver>,
}

impl Worker {
    pub fn new(
        store: Store,
        settings: WorkerSettings,
        transport: Transport,
    ) -> std::result::Result<Self, reqwest::Error> {
        let timeout = chrono::Duration::from_std(settings.timeout).unwrap_or(chrono::Duration::MAX);
        let lease = settings.lease.max(timeout.checked_add(&MIN_LEASE_OVER_TIMEOUT).unwrap_or(chrono::Duration::MAX));
        if lease > settings.lease {
            warn!(
                configured_s = settings.lease.num_seconds(),
                timeout_ms = timeout.num_milliseconds(),
                lease_s = lease.num_seconds(),
                "the outbox lease is too short to outlast a send; claims hold their messages longer"
            );
        }
        Ok(Worker {
            http: HttpSender::new(settings.timeout)?,
            webhooks: WebhookSender::new(settings.timeout, store.webhook_targets().clone())?,
            pace: Pace::new(settings.per_second, store.clock().clone()),
            breaker: Mutex::new(Breaker::new(settings.breaker)),
            turns: watch::Sender::new(0),
            lease,
            paused_until: Mutex::new(None),
            observer: Arc::new(Unobserved),
            store,
            settings,
            transport,
        })
    }

    pub fn observed_by(mut self, observer: Arc<dyn DeliveryObserver>) -> Self {
        self.observer = observer;
        self
    }

    /// Waits for the send rate's slots with `wait` instead of sleeping (tests move their clock).
    pub fn paced_by(mut self, wait: Arc<dyn PaceWait>) -> Self {
        self.pace = self.pace.waiting_with(wait);
        self
    }

    pub fn name(&self) -> &str {
        &self.settings.name
    }

    /// Delivers until `stop` turns true, then finishes the round in hand.
    pub async fn run(&self, mut stop: watch::Receiver<bool>) {
        info!(worker = %self.settings.name, "outbox worker started");
        while !*stop.borrow() {
            let handled = match self.run_once().await {
                Ok(handled) => handled,
                Err(err) => {
                    warn!(error = %err, "an outbox round failed; the next one retries");
                    0
                }
            };
            if handled == 0 {
                tokio::select! {
                    _ = tokio::time::sleep(self.settings.idle) => {}
                    _ = stop.changed() => {}
                }
            }
        }
        info!(worker = %self.settings.name, "outbox worker stopped");
    }

    /// One round: claims what is due (as much as the breaker allows) and settles each message. Returns
    /// how many messages were claimed.
    pub async fn run_once(&self) -> Result<usize> {
        let now = self.store.clock.now();
        if self.paused_until.lock().map(|p| p.is_some_and(|until| now < until)).unwrap_or(false) {
            return Ok(0);
        }
        let allowance = self.breaker.lock().map(|mut b| b.allowance(now)).unwrap_or(Allowance::Full);
        let (db, name, batch) = (&self.store.db, self.settings.name.as_str(), self.settings.batch);
        // The gateway's breaker holds back people's messages only; partners' endpoints have their own
        // circuits, which the claim reads (decision 160).
        let claimed = match allowance {
            Allowance::Full => claim(db, name, now, self.lease, batch, Scope::All).await?,
            Allowance::Probe => {
                let mut claimed = claim(db, name, now, self.lease, 1, Scope::People).await?;
                if claimed.is_empty()
                    && let Ok(mut breaker) = self.breaker.lock()
                {
                    breaker.return_probe();
                }
                claimed.extend(claim(db, name, now, self.lease, batch.saturating_sub(1), Scope::Webhooks).await?);
                claimed
            }
            Allowance::Nothing => claim(db, name, now, self.lease, batch, Scope::Webhooks).await?,
        };
        let count = claimed.len();
        let results: Vec<_> = futures::stream::iter(claimed)
            .map(|message| async move {
                let channel = message.channel.clone();
                (channel, self.deliver(message).await)
            })
            .buffer_unordered(self.settings.concurrency.max(1))
            .collect()
            .await;
        let mut accepted = Vec::new();
        for (channel, result) in results {
            match result {
                Ok(Delivered::Settled(how, latency)) => self.observer.settled(&channel, how, latency),
                Ok(Delivered::Accepted(sent)) => accepted.push(*sent),
                Err(err) => {
                    warn!(error = %err, "a message could not be settled; its lease will run out and it is retried")
                }
            }
        }
        if !accepted.is_empty() {
            self.settle_accepted(accepted).await?;
        }
        Ok(count)
    }

    /// Records the round's accepted messages in one transaction. Should it fail, their leases run out and
    /// they are sent again under the same idempotency keys, which the gateway recognises.
    async fn settle_accepted(&self, accepted: Vec<(outbox_message::Model, Attempt)>) -> Result<()> {
        let now = self.store.clock.now();
        let records = accepted
            .iter()
            .map(|(message, attempt)| {
                let record = AttemptRecord {
                    outcome: outcome_code(&attempt.outcome),
                    http_status: attempt.http_status,
                    detail: detail(attempt),
                    took_ms: attempt.took.as_millis() as i64,
                };
                (message.id, record)
            })
            .collect();
        let txn = self.store.db.begin().await?;
        let held = settle_sent(&txn, &self.settings.name, records, now).await?;
        txn.commit().await?;
        for (message, _) in &accepted {
            if held.contains(&message.id) {
                self.observer.settled(&message.channel, Settled::Sent, (now - message.created_at).to_std().ok());
            } else {
                self.observer.settled(&message.channel, Settled::LeaseLost, None);
            }
        }
        Ok(())
    }

    fn template_of(&self, message: &outbox_message::Model) -> String {
        self.settings.templates.get(&message.template).cloned().unwrap_or_else(|| message.template.clone())
    }

    async fn deliver(&self, message: outbox_message::Model) -> Result<Delivered> {
        if u32::try_from(message.attempts).unwrap_or(0) > self.settings.backoff.max_attempts {
            return self.give_up(&message).await;
        }
        let channel = Channel::parse(&message.channel).unwrap_or(Channel::AppPush);
        let template = self.template_of(&message);
        if channel == Channel::WechatSubscribe
            && !message.consent_used
            && let Some(skipped) = self.take_consent(&message, &template).await?
        {
            return Ok(Delivered::Settled(skipped, None));
        }
        if channel == Channel::Webhook {
            return self.deliver_webhook(message).await;
        }
        let Some(turn) = self.admitted().await else {
            let reason = "the gateway's circuit opened before this message was sent";
            return Ok(Delivered::Settled(self.put_back(&message, reason).await?, None));
        };
        self.pace.ready().await;
        if let Some(held) = self.hold_back(&message).await? {
            return Ok(Delivered::Settled(held, None));
        }
        let attempt = self.send(&message, channel, &template).await?;
        let now = self.store.clock.now();
        self.observe_gateway(&attempt.outcome, now);
        drop(turn);
        let step =
            next_step(&attempt.outcome, message.attempts.max(1) as u32, &self.settings.backoff, rand::random(), now);
        self.record(message, attempt, step, None).await
    }

    /// A partner's webhook, under its endpoint's circuit rather than the gateway's breaker (decision 160):
    /// an open circuit puts the message back for the cool-down uncounted; a failure that opens it (or a
    /// failed probe) holds the message for the next cool-down, uncounted; any answer closes it.
    async fn deliver_webhook(&self, message: outbox_message::Model) -> Result<Delivered> {
        let endpoint = match message.endpoint_id {
            Some(id) => webhook_endpoint::Entity::find_by_id(id).one(&self.store.db).await?,
            None => None,
        };
        let Some(endpoint) = endpoint.filter(|e| e.disabled_at.is_none()) else {
            let reason = "the webhook endpoint was removed or disabled".to_owned();
            let attempt = Attempt {
                outcome: Outcome::Refused { reason, consent_refused: false },
                http_status: None,
                took: Duration::ZERO,
            };
            let step = Step::Dead { reason: detail(&attempt) };
            return self.record(message, attempt, step, None).await;
        };
        let circuit = stored_circuit(&endpoint);
        let now = self.store.clock.now();
        if let (Circuit::Open, Some(until)) = (circuit.state(now), circuit.open_until) {
            // Claimed just before another worker opened the circuit: back to wait with the rest.
            let step = Step::Retry { at: until, reason: "the endpoint's circuit is open".into(), counted: false };
            let held =
                settle(&self.store.db, &self.settings.name, &message, &SettleStep::Delivery(step), None, now).await?;
            return Ok(Delivered::Settled(if held { Settled::Retried } else { Settled::LeaseLost }, None));
        }
        self.pace.ready().await;
        if let Some(held) = self.hold_back(&message).await? {
            return Ok(Delivered::Settled(held, None));
        }
        let body = message.data.clone().into_bytes();
        let id = message.webhook_id.clone().unwrap_or_else(|| format!("msg_{}", message.id.simple()));
        let key = webhook_key(&endpoint.secret);
        let attempt = self.webhooks.post(&endpoint.url, &key, &id, body, now).await;
        let now = self.store.clock.now();
        let (after, hold_until) = match &attempt.outcome {
            Outcome::Failed { .. } => {
                let after = circuit.failed(&self.settings.endpoint_breaker, now);
                (after.circuit, after.hold_until)
            }
            _ => (circuit.answered(), None),
        };
        if after.open_until.is_some() && circuit.open_until != after.open_until {
            warn!(endpoint = %endpoint.id, until = ?after.open_until, "a webhook endpoint's circuit opened");
        } else if circuit.open_until.is_some() && after.open_until.is_none() {
            info!(endpoint = %endpoint.id, "a webhook endpoint's circuit closed");
        }
        let step = match hold_until {
            Some(at) => Step::Retry {
                at,
                reason: format!("{}; the endpoint's circuit is open", detail(&attempt)),
                counted: false,
            },
            None => {
                next_step(&attempt.outcome, message.attempts.max(1) as u32, &self.settings.backoff, rand::random(), now)
            }
        };
        let changed = (after != circuit).then_some((endpoint.id, after));
        self.record(message, attempt, step, changed).await
    }

    /// Records an attempt's step: an accepted message joins the round's batch; any other is settled now,
    /// with the endpoint's circuit when it changed, in one transaction.
    async fn record(
        &self,
        message: outbox_message::Model,
        attempt: Attempt,
        step: Step,
        circuit: Option<(Uuid, gongzhi_domain::notify::EndpointCircuit)>,
    ) -> Result<Delivered> {
        let worker = self.settings.name.as_str();
        let now = self.store.clock.now();
        let template = self.template_of(&message);
        if step == Step::Sent {
            if let Some((endpoint, circuit)) = circuit {
                store_circuit(&self.store.db, endpoint, circuit).await?;
            }
            return Ok(Delivered::Accepted(Box::new((message, attempt))));
        }
        let txn = self.store.db.begin().await?;
        if let Some((endpoint, circuit)) = circuit {
            store_circuit(&txn, endpoint, circuit).await?;
        }
        if let (Outcome::Refused { consent_refused: true, .. }, Some(person)) = (&attempt.outcome, message.person_id) {
            ledger::clear(&txn, person, &template, now).await?;
        }
        let record = AttemptRecord {
            outcome: outcome_code(&attempt.outcome),
            http_status: attempt.http_status,
            detail: detail(&attempt),
            took_ms: attempt.took.as_millis() as i64,
        };
        let held = settle(&txn, worker, &message, &SettleStep::Delivery(step.clone()), Some(record), now).await?;
        txn.commit().await?;
        if !held {
            return Ok(Delivered::Settled(Settled::LeaseLost, None));
        }
        Ok(match step {
            Step::Sent => Delivered::Settled(Settled::Sent, (now - message.created_at).to_std().ok()),
            Step::Retry { .. } => Delivered::Settled(Settled::Retried, None),
            Step::Dead { reason } => {
                warn!(message = %message.id, %reason, "message dead-lettered");
                Delivered::Settled(Settled::Dead, None)
            }
        })
    }

    /// Whether the message must not go out now, though claimed: a 429 paused the worker after the batch was
    /// claimed (the message waits, uncounted), or the lease would run out before an answer could come back
    /// (another worker may take it over, and two must never send it at once). Either way a message this
    /// worker still holds goes back to the queue uncounted, rather than waiting for its lease to run out and
    /// being claimed again with an attempt it never had.
    async fn hold_back(&self, message: &outbox_message::Model) -> Result<Option<Settled>> {
        let now = self.store.clock.now();
        let lease_margin = chrono::Duration::from_std(self.settings.timeout).unwrap_or(chrono::Duration::MAX);
        if message.lease_until.is_none_or(|until| now + lease_margin >= until) {
            return self.put_back(message, "its lease ran short before it could be sent").await.map(Some);
        }
        let paused = self.paused_until.lock().ok().and_then(|p| *p).filter(|until| now < *until);
        let Some(until) = paused else { return Ok(None) };
        let step = Step::Retry { at: until, reason: "the gateway asked to wait".into(), counted: false };
        let held = settle(&self.store.db, &self.settings.name, message, &SettleStep::Delivery(step), None, now).await?;
        Ok(Some(if held { Settled::Retried } else { Settled::LeaseLost }))
    }

    /// Returns a claimed message to the queue, due now and uncounted: it was not sent.
    async fn put_back(&self, message: &outbox_message::Model, reason: &str) -> Result<Settled> {
        let now = self.store.clock.now();
        let step = Step::Retry { at: now, reason: reason.to_owned(), counted: false };
        let held = settle(&self.store.db, &self.settings.name, message, &SettleStep::Delivery(step), None, now).await?;
        Ok(if held { Settled::Retried } else { Settled::LeaseLost })
    }

    /// Dead-letters a message claimed more often than its attempts allow: each earlier claim ended without
    /// an answer recorded (the worker stopped, or the database failed it), and sending it once more would
    /// go past the limit the operator set. It shows among the dead letters, to be replayed.
    async fn give_up(&self, message: &outbox_message::Model) -> Result<Delivered> {
        let now = self.store.clock.now();
        let claims = message.attempts;
        let reason = format!(
            "gave up: claimed {claims} times, more than the {} attempts allowed, with no answer recorded for the \
             last; last error: {}",
            self.settings.backoff.max_attempts,
            message.last_error.as_deref().unwrap_or("none")
        );
        warn!(message = %message.id, claims, "message dead-lettered: claimed more often than its attempts allow");
        let step = SettleStep::GiveUp { reason };
        let held = settle(&self.store.db, &self.settings.name, message, &step, None, now).await?;
        Ok(Delivered::Settled(if held { Settled::Dead } else { Settled::LeaseLost }, None))
    }

    /// Waits until the breaker lets this send out; `None` when the circuit opened meanwhile. The returned
    /// turn is given back when dropped, however the send ends.
    async fn admitted(&self) -> Option<Turn<'_>> {
        loop {
            // Subscribed before asking, so a turn given back in between still wakes this one.
            let mut given_back = self.turns.subscribe();
            let admission = self.breaker.lock().map(|mut b| b.admit()).unwrap_or(Admission::Send);
            match admission {
                Admission::Send => return Some(Turn { worker: self }),
                Admission::Stop => return None,
                Admission::Wait => given_back.changed().await.ok()?,
            }
        }
    }

    /// Takes a WeChat consent for the message; `Some(Skipped)` when the person has given none.
    async fn take_consent(&self, message: &outbox_message::Model, template: &str) -> Result<Option<Settled>> {
        let worker = self.settings.name.as_str();
        let person = message.person_id.unwrap_or_default();
        // A long-term grant is not spent: one read, and no write, so no transaction to commit per message.
        if ledger::long_term(&self.store.db, person, template).await? {
            return Ok(None);
        }
        let now = self.store.clock.now();
        let txn = self.store.db.begin().await?;
        let settled = if ledger::consume(&txn, person, template).await? {
            if mark_consent_used(&txn, worker, message.id).await? { None } else { Some(Settled::LeaseLost) }
        } else {
            let reason = format!("no WeChat consent for template {template}");
            let held = settle(&txn, worker, message, &SettleStep::Skipped { reason }, None, now).await?;
            Some(if held { Settled::Skipped } else { Settled::LeaseLost })
        };
        txn.commit().await?;
        Ok(settled)
    }

    async fn send(&self, message: &outbox_message::Model, channel: Channel, template: &str) -> Result<Attempt> {
        let now = self.store.clock.now();
        let data: serde_json::Value = serde_json::from_str(&message.data).unwrap_or(serde_json::Value::Null);
        let payload = serde_json::json!({
            "id": message.id,
            "channel": channel.code(),
            "to": message.address,
            "template": template,
            "data": data,
            "page": message.page,
        });
        Ok(match &self.transport {
            Transport::Gateway { url, secret } => {
                let url = format!("{}/v1/messages", url.trim_end_matches('/'));
                let body = payload.to_string().into_bytes();
                self.http.post(&url, secret.expose_secret().as_bytes(), message.id, body, now).await
            }
            Transport::Log(sink) => {
                let mut line = payload;
                line["deliveredAt"] = serde_json::json!(now);
                line["kind"] = serde_json::json!(message.kind);
                sink.write(&line).await
            }
        })
    }

    fn observe_gateway(&self, outcome: &Outcome, now: DateTime<Utc>) {
        if let Ok(mut breaker) = self.breaker.lock() {
            match outcome {
                Outcome::Failed { .. } => breaker.record_failure(now),
                _ => breaker.record_success(),
            }
        }
        if let Outcome::RateLimited { retry_after } = outcome
            && let Ok(mut paused) = self.paused_until.lock()
        {
            let until = now + *retry_after;
            *paused = Some(paused.map_or(until, |p| p.max(until)));
        }
    }
}

/// A send the breaker admitted, out until dropped.
struct Turn<'a> {
    worker: &'a Worker,
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        if let Ok(mut breaker) = self.worker.breaker.lock() {
            breaker.release();
        }
        self.worker.turns.send_modify(|n| *n = n.wrapping_add(1));
    }
}

fn outcome_code(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Accepted => "accepted",
        Outcome::RateLimited { .. } => "rate_limited",
        Outcome::Refused { .. } => "refused",
        Outcome::Failed { .. } => "failed",
    }
}

fn detail(attempt: &Attempt) -> String {
    match &attempt.outcome {
        Outcome::Accepted => "accepted".into(),
        Outcome::RateLimited { retry_after } => format!("asked to wait {} s", retry_after.num_seconds()),
        Outcome::Refused { reason, .. } | Outcome::Failed { reason } => reason.clone(),
    }
}
