//! Prometheus metrics at `/metrics`: GraphQL requests and latency by operation (its kind and first root
//! field, `http::operation_labels`), errors by code, and the database pool.

use prometheus::{
    Counter, Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};

pub struct Metrics {
    registry: Registry,
    pub requests: IntCounterVec,
    pub latency: HistogramVec,
    pub errors: IntCounterVec,
    /// Responses served again whole (`http::responses`), without executing.
    pub responses_reused: IntCounter,
    pub pool_size: IntGauge,
    pub pool_idle: IntGauge,
    /// SQL statements run, brought up to the store's count at each scrape.
    pub statements: IntCounter,
    /// Seconds spent in those statements, brought up at each scrape like `statements`.
    pub statement_seconds: Counter,
    /// Calls on the pool, and seconds they waited for a connection (`gongzhi_infra::pool_waits`), brought
    /// up at each scrape like `statements`.
    pub pool_calls: IntCounter,
    pub pool_wait_seconds: Counter,
    /// Reads through the read cache by the layer that answered (`near`, `shared`, `database`).
    pub cache_reads: IntCounterVec,
    /// Messages in the outbox by status, read from the database at each scrape.
    pub outbox: IntGaugeVec,
    /// Live webhook endpoints by circuit state (decision 160), read at each scrape.
    pub webhook_circuits: IntGaugeVec,
    /// How many events each event-log consumer is behind the log's head, read at each scrape.
    pub consumer_lag: IntGaugeVec,
    pub delivery: std::sync::Arc<crate::delivery::DeliveryMetrics>,
}

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new_custom(Some("gongzhi".into()), None)?;
        let requests =
            IntCounterVec::new(Opts::new("graphql_requests_total", "GraphQL requests by operation"), &["operation"])?;
        let latency = HistogramVec::new(
            HistogramOpts::new("graphql_request_duration_seconds", "GraphQL request latency by operation")
                .buckets(vec![0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0]),
            &["operation"],
        )?;
        let errors = IntCounterVec::new(Opts::new("graphql_errors_total", "GraphQL errors by code"), &["code"])?;
        let responses_reused =
            IntCounter::new("graphql_responses_reused_total", "Feed responses served again whole, without executing")?;
        registry.register(Box::new(responses_reused.clone()))?;
        let pool_size = IntGauge::new("db_pool_connections", "Open database connections")?;
        let pool_idle = IntGauge::new("db_pool_idle_connections", "Idle database connections")?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(errors.clone()))?;
        registry.register(Box::new(pool_size.clone()))?;
        let statements = IntCounter::new("db_statements_total", "SQL statements run")?;
        registry.register(Box::new(pool_idle.clone()))?;
        registry.register(Box::new(statements.clone()))?;
        let statement_seconds = Counter::new("db_statement_seconds_total", "Time spent in SQL statements")?;
        registry.register(Box::new(statement_seconds.clone()))?;
        let pool_calls = IntCounter::new("db_pool_calls_total", "Calls on the database pool (statements and BEGINs)")?;
        registry.register(Box::new(pool_calls.clone()))?;
        let pool_wait_seconds = Counter::new(
            "db_pool_wait_seconds_total",
            "Time calls on the pool spent beyond their SQL: waiting for a connection",
        )?;
        registry.register(Box::new(pool_wait_seconds.clone()))?;
        let cache_reads = IntCounterVec::new(
            Opts::new("cache_reads_total", "Reads through the read cache by the layer that answered"),
            &["layer"],
        )?;
        registry.register(Box::new(cache_reads.clone()))?;
        let outbox = IntGaugeVec::new(Opts::new("outbox_messages", "Messages in the outbox by status"), &["status"])?;
        registry.register(Box::new(outbox.clone()))?;
        let webhook_circuits = IntGaugeVec::new(
            Opts::new("webhook_endpoint_circuits", "Live webhook endpoints by circuit state"),
            &["state"],
        )?;
        registry.register(Box::new(webhook_circuits.clone()))?;
        let consumer_lag = IntGaugeVec::new(
            Opts::new("event_consumer_lag", "Events each event-log consumer is behind the log's head"),
            &["consumer"],
        )?;
        registry.register(Box::new(consumer_lag.clone()))?;
        let delivery = std::sync::Arc::new(crate::delivery::DeliveryMetrics::new(&registry)?);
        Ok(Self {
            registry,
            requests,
            latency,
            errors,
            responses_reused,
            pool_size,
            pool_idle,
            statements,
            statement_seconds,
            pool_calls,
            pool_wait_seconds,
            cache_reads,
            outbox,
            webhook_circuits,
            consumer_lag,
            delivery,
        })
    }

    /// Brings the counters kept by the store up to its totals (they are counted there, on every
    /// statement and read, and only copied here when someone looks).
    pub fn catch_up(&self, store: &gongzhi_infra::Store) {
        let statements = &self.statements;
        // Requests' statements and background work's together: the database's load (decision 163).
        let run = store.statements_run() + store.background_statements_run();
        statements.inc_by(run.saturating_sub(statements.get()));
        let seconds = store.statement_time().as_secs_f64() - self.statement_seconds.get();
        if seconds > 0.0 {
            self.statement_seconds.inc_by(seconds);
        }
        let (calls, waited) = store.pool_waits();
        self.pool_calls.inc_by(calls.saturating_sub(self.pool_calls.get()));
        let waited = waited.as_secs_f64() - self.pool_wait_seconds.get();
        if waited > 0.0 {
            self.pool_wait_seconds.inc_by(waited);
        }
        let reads = store.cache_reads();
        for (layer, total) in [("near", reads.near), ("shared", reads.shared), ("database", reads.filled)] {
            let counter = self.cache_reads.with_label_values(&[layer]);
            counter.inc_by(total.saturating_sub(counter.get()));
        }
    }

    pub fn render(&self) -> Result<String, prometheus::Error> {
        let mut buffer = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut buffer)?;
        Ok(String::from_utf8_lossy(&buffer).into_owned())
    }
}
