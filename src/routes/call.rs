//! `Call`: an authenticated request on a path, ready for its handler. Extracting it does, once and
//! in Twilio's order, what every handler needs: authentication (401, and the tenant's rate, 429),
//! then the path (404, or 401 where the caller may not even learn that). The body comes after,
//! from `form`, so its errors (413, 400) follow.
use super::paths::ApiPath;
use super::AppState;
use crate::auth::policy::{self, Relation};
use crate::auth::Authenticated;
use crate::domain::Account;
use crate::error::ApiError;
use crate::form::Params;
use crate::representation::{self, Format, Representation};
use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
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
}

impl<P: ApiPath> FromRequest for Call<P> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request = req.clone();
        Box::pin(async move {
            let state = request.app_data::<web::Data<AppState>>().cloned().ok_or(ApiError::Internal)?;
            let path = P::parse(&request);
            let target = path.as_ref().ok().and_then(|path| path.account()).and_then(|segment| segment.sid());
            let caller = state.auth.authenticate(request.headers().get(header::AUTHORIZATION), target).await?;
            let path = path?;
            let relation = match (path.account(), &caller.target) {
                (None, _) => Relation::NoAccount,
                (Some(_), Some(target)) if target.sid == caller.credential.account => Relation::Own,
                (Some(_), Some(_)) => Relation::Subaccount,
                (Some(_), None) => Relation::OutOfReach,
            };
            policy::reach(&caller.credential, P::FAMILY, relation)?;
            Ok(Self { caller, path, format: Format::of_path(request.path()), state, request })
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

    /// The form-encoded body, at most 64 KiB; an empty body has no parameters.
    pub async fn form(&self, payload: web::Payload) -> Result<Params, ApiError> {
        let body = read_body(&self.request, payload).await?;
        if body.is_empty() {
            return Ok(Params::default());
        }
        let form_encoded = self
            .request
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

    /// An answer with `body` already rendered in this call's format.
    pub fn respond(&self, status: StatusCode, body: Vec<u8>) -> HttpResponse {
        HttpResponse::build(status).content_type(self.format.content_type()).body(body)
    }

    /// One resource as the answer.
    pub fn reply<R: Representation>(&self, status: StatusCode, item: &R) -> HttpResponse {
        self.respond(status, representation::render(item, self.format))
    }
}

async fn read_body(req: &HttpRequest, mut payload: web::Payload) -> Result<web::Bytes, ApiError> {
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
