//! `Call`: an authenticated request on a path, ready for its handler. Extracting it does, once and
//! in Twilio's order, what every handler needs: authentication (401, and the tenant's rate, 429),
//! then the path (404, or 401 where the caller may not even learn that). The body is read first,
//! so the journal has it whatever the answer, but its errors (413, 400) are answered only when the
//! handler asks for it with `form`, after everything else.
use super::paths::ApiPath;
use super::AppState;
use crate::auth::policy::{self, Family, Relation};
use crate::auth::Authenticated;
use crate::domain::Account;
use crate::domain::FaultId;
use crate::error::ApiError;
use crate::form::Params;
use crate::representation::{self, Format, Representation, API_PREFIX};
use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, HttpResponse};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;

/// Twilio's limit on a request body.
pub const BODY_LIMIT: usize = 64 * 1024;

pub struct Call<P: ApiPath> {
    pub caller: Authenticated,
    pub path: P,
    pub format: Format,
    pub state: web::Data<AppState>,
    request: HttpRequest,
    /// The form body, or why it cannot be used.
    body: Result<Params, ApiError>,
}

impl<P: ApiPath> FromRequest for Call<P> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let request = req.clone();
        let payload = payload.take();
        Box::pin(async move {
            let body = read_form(&request, payload).await;
            if let Ok(params) = &body {
                request.extensions_mut().insert(FormBody(params.clone()));
            }
            let state = request.app_data::<web::Data<AppState>>().cloned().ok_or(ApiError::Internal)?;
            let path = P::parse(&request);
            let target = path.as_ref().ok().and_then(|path| path.account()).and_then(|segment| segment.sid());
            let authentication = state.auth.authenticate(request.headers().get(header::AUTHORIZATION), target).await;
            if let Some(identity) = authentication.identity {
                request.extensions_mut().insert(identity);
            }
            let caller = authentication.outcome?;
            if caller.tenant.faults_armed && request.path().starts_with(API_PREFIX) {
                injected_fault(&request, &state, &caller).await?;
            }
            // The control plane tells a credential that may not use it so before anything else.
            if P::FAMILY == Family::Control {
                policy::reach(&caller.credential, Family::Control, Relation::NoAccount)?;
            }
            let path = path?;
            let relation = match (path.account(), &caller.target) {
                (None, _) => Relation::NoAccount,
                (Some(_), Some(target)) if target.sid == caller.credential.account => Relation::Own,
                (Some(_), Some(_)) => Relation::Subaccount,
                (Some(_), None) => Relation::OutOfReach,
            };
            policy::reach(&caller.credential, P::FAMILY, relation)?;
            Ok(Self { caller, path, format: Format::of_path(request.path()), state, request, body })
        })
    }
}

impl<P: ApiPath> Call<P> {
    /// The account the path names; present once the path was found reachable.
    pub fn target(&self) -> Result<&Account, ApiError> {
        self.caller.target.as_ref().ok_or(ApiError::Internal)
    }

    /// The query string's parameters.
    pub fn query(&self) -> Result<Params, ApiError> {
        Params::parse(self.request.query_string().as_bytes())
    }

    /// The form-encoded body (at most 64 KiB; an empty body has no parameters), or its error.
    pub fn form(&self) -> Result<Params, ApiError> {
        self.body.clone()
    }

    /// An answer with `body` already rendered in this call's format.
    pub fn respond(&self, status: StatusCode, body: Vec<u8>) -> HttpResponse {
        HttpResponse::build(status).content_type(self.format.content_type()).body(body)
    }

    /// One resource as the answer.
    pub fn reply<R: Representation>(&self, status: StatusCode, item: &R) -> HttpResponse {
        self.respond(status, representation::render(item, self.format))
    }
}

/// A request's form body, kept for the journal.
pub struct FormBody(pub Params);

/// The fault that answered a request, kept for the journal.
pub struct AnsweredBy(pub FaultId);

/// The oldest armed fault matching the request takes it: its delay first, then its error (and
/// nothing written), or the request is served as usual. Asked only when the tenant's access row
/// said a fault is armed, so a tenant without faults pays nothing for them.
async fn injected_fault(request: &HttpRequest, state: &AppState, caller: &Authenticated) -> Result<(), ApiError> {
    let taken = state.store.take_fault(&caller.credential.tenant, request.method().as_str(), request.path()).await?;
    let Some(fault) = taken else { return Ok(()) };
    if fault.delay_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(u64::from(fault.delay_ms))).await;
    }
    match (fault.status, fault.code) {
        (Some(status), Some(code)) => {
            request.extensions_mut().insert(AnsweredBy(fault.id.clone()));
            Err(ApiError::Injected { id: fault.id, status, code })
        }
        _ => Ok(()),
    }
}

/// Decodes a form-encoded body strictly; a body of another type is 400.
async fn read_form(req: &HttpRequest, payload: Payload) -> Result<Params, ApiError> {
    let body = read_body(req, payload).await?;
    if body.is_empty() {
        return Ok(Params::default());
    }
    let form_encoded = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_none_or(|mime| mime.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"));
    if !form_encoded {
        return Err(ApiError::InvalidParameter(
            "The request body must be application/x-www-form-urlencoded".to_owned(),
        ));
    }
    Params::parse(&body)
}

async fn read_body(req: &HttpRequest, mut payload: Payload) -> Result<web::Bytes, ApiError> {
    let too_large = ApiError::PayloadTooLarge { limit: BODY_LIMIT };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > BODY_LIMIT as u64) {
        return Err(too_large);
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| ApiError::InvalidParameter("The request body could not be read".to_owned()))?;
        if body.len() + chunk.len() > BODY_LIMIT {
            return Err(too_large);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}
