use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use secrecy::ExposeSecret;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::state::SharedState;

/// Liveness: the process answers. Touches nothing else.
#[utoipa::path(get, path = "/healthz", operation_id = "healthz", tag = "operations",
    responses((status = 200, description = "The process is up (it checks nothing else)", content_type = "text/plain")))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// Readiness: the database is required; Redis, when configured, only degrades the service.
#[utoipa::path(get, path = "/readyz", operation_id = "readyz", tag = "operations", responses(
    (status = 200, description = "The database (and Redis, when configured) answer"),
    (status = 503, description = "A dependency does not answer; the body says which")))]
pub async fn readyz(state: web::Data<SharedState>) -> HttpResponse {
    let database = state.store.ping().await.is_ok();
    let redis = match &state.redis {
        None => "not_configured",
        Some(redis) if redis.ping().await => "ok",
        Some(_) => "unavailable",
    };
    let status = match (database, redis) {
        (false, _) => "unavailable",
        (true, "unavailable") => "degraded",
        (true, _) => "ok",
    };
    let body = json!({
        "status": status,
        "database": if database { "ok" } else { "unavailable" },
        "redis": redis,
    });
    if database { HttpResponse::Ok().json(body) } else { HttpResponse::ServiceUnavailable().json(body) }
}

/// Why a scrape may not read the metrics: `/metrics` is not served here (production without a token), or
/// the token sent is not the configured one.
fn scrape_refused(state: &SharedState, request: &HttpRequest) -> Option<HttpResponse> {
    let Some(token) = &state.settings.metrics.token else {
        return (!state.settings.is_demo()).then(|| HttpResponse::NotFound().finish());
    };
    let sent = request.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let sent = sent.strip_prefix("Bearer ").unwrap_or_default();
    // Compared as digests, so the time taken says nothing about how much of the token was right.
    if Sha256::digest(sent.as_bytes()) == Sha256::digest(token.expose_secret().as_bytes()) {
        return None;
    }
    tracing::info!("metrics scrape refused: missing or wrong token");
    Some(HttpResponse::Unauthorized().insert_header((header::WWW_AUTHENTICATE, "Bearer")).finish())
}

#[utoipa::path(get, path = "/metrics", operation_id = "metrics", tag = "operations", responses(
    (status = 200, description = "Prometheus text exposition", content_type = "text/plain"),
    (status = 403, description = "Not from an address allowed to scrape")))]
pub async fn metrics(state: web::Data<SharedState>, request: HttpRequest) -> HttpResponse {
    if let Some(refusal) = scrape_refused(&state, &request) {
        return refusal;
    }
    let (size, idle) = state.store.pool_stats();
    state.metrics.catch_up(&state.store);
    state.metrics.pool_size.set(i64::from(size));
    state.metrics.pool_idle.set(i64::try_from(idle).unwrap_or(i64::MAX));
    // A scrape still answers when the count fails; the gauges keep their last values.
    match state.store.outbox_counts().await {
        Ok(counts) => {
            for (status, count) in counts {
                state.metrics.outbox.with_label_values(&[status.code()]).set(count);
            }
        }
        Err(err) => tracing::warn!(error = %err, "counting the outbox for metrics failed"),
    }
    match state.store.webhook_circuits().await {
        Ok(circuits) => {
            for (circuit, count) in circuits {
                state.metrics.webhook_circuits.with_label_values(&[circuit.code()]).set(count);
            }
        }
        Err(err) => tracing::warn!(error = %err, "counting the webhook circuits for metrics failed"),
    }
    match state.store.consumer_lags().await {
        Ok(lags) => {
            for (consumer, lag) in lags {
                state.metrics.consumer_lag.with_label_values(&[consumer.as_str()]).set(lag);
            }
        }
        Err(err) => tracing::warn!(error = %err, "reading the event consumers' lag for metrics failed"),
    }
    match state.metrics.render() {
        Ok(text) => HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(text),
        Err(err) => {
            tracing::error!(error = %err, "metrics rendering failed");
            HttpResponse::InternalServerError().finish()
        }
    }
}
