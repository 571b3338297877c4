//! Message delivery as configured: the outbox worker with the gateway (or the local log sink), counted in
//! `/metrics`. `gongzhi serve` runs one in-process; `gongzhi worker` runs one alone.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use gongzhi_domain::notify::{Backoff, BreakerPolicy};
use gongzhi_infra::Store;
use gongzhi_infra::outbox::{DeliveryObserver, LogSink, Settled, Transport, Worker, WorkerSettings};
use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry};
use tokio::sync::watch;

use crate::config::OutboxSettings;

pub fn worker_settings(settings: &OutboxSettings, name: String) -> WorkerSettings {
    WorkerSettings {
        name,
        batch: settings.batch.max(1),
        concurrency: settings.concurrency.max(1),
        lease: chrono::Duration::seconds(settings.lease_seconds.max(1) as i64),
        idle: Duration::from_millis(settings.idle_ms),
        per_second: settings.per_second.max(1),
        timeout: Duration::from_millis(settings.timeout_ms),
        backoff: Backoff {
            base: chrono::Duration::milliseconds(settings.backoff_base_ms as i64),
            cap: chrono::Duration::milliseconds(settings.backoff_cap_ms as i64),
            max_attempts: settings.max_attempts.max(1),
        },
        breaker: BreakerPolicy {
            failures_to_open: settings.breaker_failures.max(1),
            cool_down: chrono::Duration::seconds(settings.breaker_cool_down_seconds as i64),
        },
        endpoint_breaker: BreakerPolicy {
            failures_to_open: settings.endpoint_breaker_failures.max(1),
            cool_down: chrono::Duration::seconds(settings.endpoint_cool_down_seconds as i64),
        },
        templates: settings.templates.clone().into_iter().collect(),
    }
}

pub fn transport(settings: &OutboxSettings) -> Transport {
    match (&settings.gateway_url, &settings.gateway_secret) {
        (Some(url), Some(secret)) => Transport::Gateway { url: url.clone(), secret: secret.clone() },
        _ => Transport::Log(LogSink::new(&settings.log_path)),
    }
}

/// A worker name that tells operators which process holds a lease.
pub fn worker_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "local".into());
    format!("{host}-{}-{}", std::process::id(), &uuid::Uuid::new_v4().simple().to_string()[..8])
}

pub fn build_worker(store: Store, settings: &OutboxSettings, metrics: Arc<DeliveryMetrics>) -> anyhow::Result<Worker> {
    let worker = Worker::new(store, worker_settings(settings, worker_name()), transport(settings))
        .context("cannot build the delivery worker's HTTP client")?;
    Ok(worker.observed_by(metrics))
}

/// Runs the worker until the returned sender is dropped or set to true.
pub fn spawn(worker: Worker) -> watch::Sender<bool> {
    let (stop, stopped) = watch::channel(false);
    tokio::spawn(gongzhi_infra::background::in_background(async move { worker.run(stopped).await }));
    stop
}

/// Runs the worker in the foreground until SIGINT or SIGTERM, then lets the round in hand finish.
pub fn spawn_until_signal(worker: Worker) -> tokio::task::JoinHandle<()> {
    let (stop, stopped) = watch::channel(false);
    tokio::spawn(async move {
        let signal = async {
            let interrupt = tokio::signal::ctrl_c();
            #[cfg(unix)]
            {
                let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                    Ok(term) => term,
                    Err(_) => return interrupt.await.unwrap_or(()),
                };
                tokio::select! {
                    _ = interrupt => {}
                    _ = term.recv() => {}
                }
            }
            #[cfg(not(unix))]
            interrupt.await.unwrap_or(());
        };
        tokio::join!(worker.run(stopped), async {
            signal.await;
            let _ = stop.send(true);
        });
    })
}

/// Counters of settled messages and the delay from queueing to acceptance.
pub struct DeliveryMetrics {
    pub settled: IntCounterVec,
    pub latency: HistogramVec,
    /// Messages sent so far, for whoever waits on deliveries (a test) to be woken rather than poll.
    sent_so_far: watch::Sender<u64>,
}

impl DeliveryMetrics {
    pub fn new(registry: &Registry) -> Result<Self, prometheus::Error> {
        let settled = IntCounterVec::new(
            Opts::new(
                "outbox_messages_settled_total",
                "Delivery rounds by channel and result (sent, retried, dead, skipped, lease_lost)",
            ),
            &["channel", "result"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new("outbox_delivery_latency_seconds", "From queueing to acceptance by the gateway")
                .buckets(vec![0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 1800.0]),
            &["channel"],
        )?;
        registry.register(Box::new(settled.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        Ok(Self { settled, latency, sent_so_far: watch::Sender::new(0) })
    }

    /// How many messages the worker sent so far, and each one after.
    pub fn watch_sent(&self) -> watch::Receiver<u64> {
        self.sent_so_far.subscribe()
    }
}

impl DeliveryObserver for DeliveryMetrics {
    fn settled(&self, channel: &str, how: Settled, latency: Option<Duration>) {
        self.settled.with_label_values(&[channel, how.as_str()]).inc();
        if let Some(latency) = latency {
            self.latency.with_label_values(&[channel]).observe(latency.as_secs_f64());
        }
        if matches!(how, Settled::Sent) {
            self.sent_so_far.send_modify(|n| *n += 1);
        }
    }
}
