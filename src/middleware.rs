//! What runs around every request: its id, its span and log line, the URL-length limit, metrics,
//! the body of every error (written once here, in the format the request's path asks for), and
//! its entry in the tenant's request journal.
use crate::auth::Identity;
use crate::domain::JournalEntry;
use crate::error::ApiError;
use crate::journal;
use crate::metrics;
use crate::representation::{self, Format, API_PREFIX, CONTROL_API_PREFIX};
use crate::routes::call::{AnsweredBy, FormBody};
use crate::routes::{AppState, RouteTemplate, UNMATCHED};
use crate::telemetry::RequestContext;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, ResponseError};
use tracing::field::Empty;
use tracing::Instrument;

pub async fn edge(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let context = RequestContext::from_request(&req);
    let span = tracing::info_span!(
        "request",
        request_id = %context.id,
        method = %req.method(),
        route = Empty,
        status = Empty,
        latency_ms = Empty,
    );
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let url_bytes = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    let limit = state.as_ref().map_or(usize::MAX, |state| state.max_url_bytes);
    let response = if url_bytes > limit {
        req.into_response(ApiError::UriTooLong { limit }.error_response())
    } else {
        next.call(req).instrument(span.clone()).await?.map_into_boxed_body()
    };
    let code = response.response().extensions().get::<ApiError>().map(ApiError::code);
    let mut response = with_error_body(response);
    let route = response.request().app_data::<RouteTemplate>().copied().unwrap_or(UNMATCHED).0;
    let method = response.request().method().clone();
    let status = response.status().as_u16();
    let elapsed = context.started.elapsed();
    let latency_ms = elapsed.as_secs_f64() * 1000.0;
    span.record("route", route);
    span.record("status", status);
    span.record("latency_ms", latency_ms);
    span.in_scope(|| tracing::info!(status, latency_ms, "request completed"));
    if let Some(state) = state {
        state.metrics.observe(metrics::method_label(&method), route, status, elapsed.as_secs_f64());
        if state.journal.is_enabled() {
            if let Some(entry) = journal_entry(&response, &context, status, code, elapsed) {
                state.journal.record(entry);
            }
        }
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

/// The journal's entry for an answer, when the request is one a tenant's journal files: every
/// request under `/2010-04-01/` and every one but a GET under `/_emulator/v1/`, whose credential
/// named an account or key of the tenant (whatever the outcome).
fn journal_entry(
    response: &ServiceResponse<BoxBody>,
    context: &RequestContext,
    status: u16,
    code: Option<u32>,
    elapsed: std::time::Duration,
) -> Option<JournalEntry> {
    let request = response.request();
    let path = request.path();
    let api = path.strip_prefix(API_PREFIX).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    let control = path.starts_with(CONTROL_API_PREFIX) && request.method() != Method::GET;
    if !(api || control) {
        return None;
    }
    let extensions = request.extensions();
    let identity = extensions.get::<Identity>()?;
    Some(JournalEntry {
        tenant: identity.tenant.clone(),
        request_id: context.twilio_id.clone(),
        date: chrono::Utc::now(),
        method: request.method().to_string(),
        path: path.to_owned(),
        query: Some(request.query_string()).filter(|query| !query.is_empty()).map(str::to_owned),
        params: journal::params_json(extensions.get::<FormBody>().map(|body| &body.0)),
        status,
        code,
        latency_us: u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
        credential: identity.principal.to_string(),
        fault: extensions.get::<AnsweredBy>().map(|fault| fault.0.clone()),
    })
}

/// An `ApiError` answer gets its Twilio body here: the format follows the path's suffix, and a 404
/// names the path as it was requested.
fn with_error_body(response: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let Some(error) = response.response().extensions().get::<ApiError>().cloned() else {
        return response;
    };
    let path = response.request().path().to_owned();
    let format = Format::of_path(&path);
    let (code, status) = (error.code(), error.status().as_u16());
    let body = representation::error::render(code, &error.message(&path), status, format);
    response.map_body(|head, _| {
        head.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
        BoxBody::new(body)
    })
}
