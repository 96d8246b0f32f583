//! What runs around every request: its id, its span and log line, the URL-length limit, metrics.
use crate::error::{ApiError, Rejection};
use crate::representation::Format;
use crate::routes::AppState;
use crate::telemetry::RequestContext;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, ResponseError};
use tracing::field::Empty;
use tracing::Instrument;

pub async fn edge(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let context = RequestContext::from_request(&req);
    let method = req.method().to_string();
    // The route template, never the raw path: no SID in a log field or a metric label.
    let route = crate::routes::route_template(req.path());
    let span = tracing::info_span!(
        "request",
        request_id = %context.id,
        method = %method,
        route = %route,
        status = Empty,
        latency_ms = Empty,
    );
    let state = req.app_data::<web::Data<AppState>>().cloned();
    req.extensions_mut().insert(context.clone());
    let url_bytes = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    let limit = state.as_ref().map_or(usize::MAX, |state| state.max_url_bytes);
    let mut response = if url_bytes > limit {
        let rejection = Rejection { error: ApiError::UriTooLong { limit }, format: Format::of_path(req.path()) };
        req.into_response(rejection.error_response()).map_into_right_body()
    } else {
        next.call(req).instrument(span.clone()).await?.map_into_left_body()
    };
    let status = response.status().as_u16();
    let elapsed = context.started.elapsed();
    let latency_ms = elapsed.as_secs_f64() * 1000.0;
    span.record("status", status);
    span.record("latency_ms", latency_ms);
    span.in_scope(|| tracing::info!(status, latency_ms, "request completed"));
    if let Some(state) = state {
        state.metrics.observe(&method, route, status, elapsed.as_secs_f64());
    }
    let headers = response.headers_mut();
    if let Ok(id) = HeaderValue::from_str(&context.id) {
        headers.insert(HeaderName::from_static("x-request-id"), id);
    }
    // Twilio's own request id header: RQ and 32 hex digits.
    if let Ok(id) = HeaderValue::from_str(&context.twilio_id) {
        headers.insert(HeaderName::from_static("twilio-request-id"), id);
    }
    Ok(response)
}
