//! Prometheus metrics at `/metrics`: GraphQL requests and latency by operation (its kind and first root
//! field, `http::operation_labels`), errors by code, and the database pool.

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry, TextEncoder,
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
    /// Messages in the outbox by status, read from the database at each scrape.
    pub outbox: IntGaugeVec,
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
        let outbox = IntGaugeVec::new(Opts::new("outbox_messages", "Messages in the outbox by status"), &["status"])?;
        registry.register(Box::new(outbox.clone()))?;
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
            outbox,
            delivery,
        })
    }

    pub fn render(&self) -> Result<String, prometheus::Error> {
        let mut buffer = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut buffer)?;
        Ok(String::from_utf8_lossy(&buffer).into_owned())
    }
}
