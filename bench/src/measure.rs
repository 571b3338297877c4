//! The measured part, run in a fresh process on the seeded database: the residents' committee opens a
//! household vote (the whole compound is its roll), which queues one WeChat message per household in the
//! vote's own transaction; then the real `Worker` delivers the queue to the fake gateway until it is empty.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use gongzhi_domain::ids::TopicId;
use gongzhi_domain::notify::MessageStatus;
use gongzhi_domain::vote::VoteKind;
use gongzhi_infra::Store;
use gongzhi_infra::demo::cast_id;
use gongzhi_infra::outbox::{DeliveryObserver, Settled, Transport, Worker, WorkerSettings};
use gongzhi_infra::votes::NewVote;
use secrecy::SecretString;

use crate::fake_gateway::FakeGateway;
use crate::memory::{self, Resident};

/// How the worker is set up for the run.
#[derive(Debug, Clone, Copy)]
pub struct Tuning {
    pub batch: u32,
    pub concurrency: usize,
    pub per_second: u32,
}

pub struct Figures {
    pub queued: i64,
    pub enqueue: Duration,
    pub sent: u64,
    pub other: u64,
    pub received: u64,
    pub delivery: Duration,
    pub rounds: usize,
    /// Before the vote opens; then at the end of each phase, the peak being that phase's own when
    /// `peak_reset` (the kernel let the peak be reset at each phase's start).
    pub before: Resident,
    pub after_enqueue: Resident,
    pub after_delivery: Resident,
    pub peak_reset: bool,
}

impl Figures {
    pub fn per_second(&self) -> f64 {
        self.sent as f64 / self.delivery.as_secs_f64().max(f64::EPSILON)
    }
}

#[derive(Default)]
struct Tally {
    sent: AtomicU64,
    other: AtomicU64,
}

impl DeliveryObserver for Tally {
    fn settled(&self, _channel: &str, how: Settled, _latency: Option<Duration>) {
        let counter = if how == Settled::Sent { &self.sent } else { &self.other };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

pub async fn measure(store: &Store, topic: TopicId, tuning: Tuning) -> anyhow::Result<Figures> {
    let gateway = FakeGateway::start()?;
    let tally = Arc::new(Tally::default());
    let settings = WorkerSettings {
        name: "bench".into(),
        batch: tuning.batch,
        concurrency: tuning.concurrency,
        per_second: tuning.per_second,
        idle: Duration::from_millis(10),
        ..WorkerSettings::default()
    };
    let transport = Transport::Gateway { url: gateway.url.clone(), secret: SecretString::from("bench-secret") };
    let worker = Worker::new(store.clone(), settings, transport)?.observed_by(tally.clone());
    // Whatever seeding queued (the topic's acceptance, told to its author) goes first, and warms the
    // connections to the gateway and the database.
    drain(&worker).await?;
    tally.sent.store(0, Ordering::Relaxed);
    tally.other.store(0, Ordering::Relaxed);
    let warm_received = gateway.received();

    let staff = store.actor(cast_id("rc_staff").context("no rc_staff")?).await?;
    let now = store.clock().now();
    let vote = NewVote {
        topic,
        kind: VoteKind::Household,
        title: "外墙维修方案表决".into(),
        opens_at: now,
        closes_at: now + chrono::Duration::days(7),
        hide_results: false,
        invitees: Vec::new(),
    };
    let peak_reset = memory::reset_peak();
    let before = memory::resident();
    let started = Instant::now();
    store.open_vote(&staff, vote).await.context("opening the vote")?;
    let enqueue = started.elapsed();
    let after_enqueue = memory::resident();
    let queued = count(store, MessageStatus::Queued).await?;

    memory::reset_peak();
    let started = Instant::now();
    let rounds = drain(&worker).await?;
    let delivery = started.elapsed();
    let after_delivery = memory::resident();
    let left = count(store, MessageStatus::Queued).await? + count(store, MessageStatus::Sending).await?;
    if left != 0 {
        bail!("{left} messages left in the queue");
    }
    let figures = Figures {
        queued,
        enqueue,
        sent: tally.sent.load(Ordering::Relaxed),
        other: tally.other.load(Ordering::Relaxed),
        received: gateway.received() - warm_received,
        delivery,
        rounds,
        before,
        after_enqueue,
        after_delivery,
        peak_reset,
    };
    gateway.stop().await;
    Ok(figures)
}

/// Rounds until one claims nothing. Returns how many rounds claimed something.
async fn drain(worker: &Worker) -> anyhow::Result<usize> {
    let mut rounds = 0;
    while worker.run_once().await? > 0 {
        rounds += 1;
    }
    Ok(rounds)
}

async fn count(store: &Store, status: MessageStatus) -> anyhow::Result<i64> {
    Ok(store.outbox_counts().await?.into_iter().find(|(s, _)| *s == status).map_or(0, |(_, n)| n))
}
