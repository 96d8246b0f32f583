//! What runs around every request: the URL-length limit, the request id, and the metrics.
use crate::error::{ApiError, Rejection};
use crate::representation::Format;
use crate::routes::AppState;
use crate::telemetry::RequestContext;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, ResponseError};

pub async fn edge(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let context = RequestContext::from_request(&req);
    let method = req.method().to_string();
    let route = req.match_pattern().unwrap_or_else(|| "unmatched".to_owned());
    let state = req.app_data::<web::Data<AppState>>().cloned();
    req.extensions_mut().insert(context.clone());
    let url_bytes = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    let limit = state.as_ref().map_or(usize::MAX, |state| state.max_url_bytes);
    let mut response = if url_bytes > limit {
        let rejection = Rejection { error: ApiError::UriTooLong { limit }, format: Format::of_path(req.path()) };
        req.into_response(rejection.error_response()).map_into_right_body()
    } else {
        next.call(req).await?.map_into_left_body()
    };
    if let Some(state) = state {
        let seconds = context.started.elapsed().as_secs_f64();
        state.metrics.observe(&method, &route, response.status().as_u16(), seconds);
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
