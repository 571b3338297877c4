use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::state::SharedState;

/// Liveness: the process answers. Touches nothing else.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// Readiness: the database is required; Redis, when configured, only degrades the service.
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

pub async fn metrics(state: web::Data<SharedState>) -> HttpResponse {
    let (size, idle) = state.store.pool_stats();
    let statements = &state.metrics.statements;
    statements.inc_by(state.store.statements_run().saturating_sub(statements.get()));
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
    match state.metrics.render() {
        Ok(text) => HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(text),
        Err(err) => {
            tracing::error!(error = %err, "metrics rendering failed");
            HttpResponse::InternalServerError().finish()
        }
    }
}
