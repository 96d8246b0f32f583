//! Logging: one span per request (request id, method, route template, status, latency), never a credential.
use crate::config::LogFormat;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::HttpMessage;
use std::time::Instant;
use tracing::Span;
use tracing_actix_web::RootSpanBuilder;
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber; the level comes from RUST_LOG (default `info`).
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let result = match format {
        LogFormat::Pretty => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(true).try_init(),
    };
    // A second init (tests, embedded use) keeps the first subscriber.
    let _ = result;
}

/// Set on every request before anything else runs: its id and when it arrived.
#[derive(Clone)]
pub struct RequestContext {
    /// The caller's `X-Request-Id`, or else the Twilio-style id.
    pub id: String,
    /// `RQ` and 32 hex digits, as Twilio's `Twilio-Request-Id`.
    pub twilio_id: String,
    pub started: Instant,
}

impl RequestContext {
    /// The caller's `X-Request-Id` when it is a sane token, else a new Twilio-style id.
    pub fn from_request(request: &ServiceRequest) -> Self {
        let given = request
            .headers()
            .get("x-request-id")
            .and_then(|value| value.to_str().ok())
            .filter(|id| !id.is_empty() && id.len() <= 128 && id.bytes().all(|b| b.is_ascii_graphic()));
        // A thread-local generator: no system call per request.
        let twilio_id = format!("RQ{:032x}", rand::random::<u128>());
        let id = given.map_or_else(|| twilio_id.clone(), str::to_owned);
        Self { id, twilio_id, started: Instant::now() }
    }
}

/// The request span. Its fields are the method, the route template (never the raw path of an
/// unmatched request), the request id, then the status and latency; the Authorization header never.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        tracing::info_span!(
            "request",
            // Field values are only computed when the span is enabled.
            request_id = %request.extensions().get::<RequestContext>().map(|c| c.id.clone()).unwrap_or_default(),
            method = %request.method(),
            route = request.match_pattern().as_deref().unwrap_or("unmatched"),
            status = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, actix_web::Error>) {
        let (status, started) = match outcome {
            Ok(response) => {
                (response.status().as_u16(), response.request().extensions().get::<RequestContext>().map(|c| c.started))
            }
            Err(error) => (error.as_response_error().status_code().as_u16(), None),
        };
        let latency_ms = started.map_or(0.0, |at| at.elapsed().as_secs_f64() * 1000.0);
        span.record("status", status);
        span.record("latency_ms", latency_ms);
        span.in_scope(|| tracing::info!(status, latency_ms, "request completed"));
    }
}
