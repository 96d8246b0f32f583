//! Liveness, readiness and metrics, outside the Twilio paths and without auth (as probes and Prometheus expect).
use super::AppState;
use actix_web::{web, HttpResponse};
use serde_json::json;

pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

/// Ready when the database answers (migrations ran before the server started listening).
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    match state.store.ping().await {
        Ok(()) => HttpResponse::Ok().json(json!({"status": "ready", "database": "reachable"})),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            HttpResponse::ServiceUnavailable().json(json!({"status": "unavailable", "database": "unreachable"}))
        }
    }
}

/// Prometheus scrape endpoint (OpenMetrics text).
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let (open, idle) = state.store.pool_usage();
    state.metrics.pool_connections.set(i64::from(open));
    state.metrics.pool_idle.set(i64::try_from(idle).unwrap_or(i64::MAX));
    HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body(state.metrics.render())
}
