//! The Accounts list and instance resources: one file per action, shared request plumbing here.
pub mod create;
pub mod fetch;
pub mod list;
pub mod update;

use super::{not_found, AppState, BODY_LIMIT};
use crate::auth::Authenticated;
use crate::domain::{Account, AccountSid};
use crate::error::{ApiError, Rejection};
use crate::form::Params;
use crate::representation::Format;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;

/// The `{sid}{ext}` segment of an instance path.
enum InstancePath {
    /// A SID-shaped segment with no suffix, `.json` or `.xml`.
    Sid(AccountSid),
    /// Something the caller cannot reach whatever it is (not a SID).
    Unreachable,
    /// A suffix other than `.json`/`.xml`: no such resource for anybody.
    UnknownSuffix,
}

impl InstancePath {
    fn parse(segment: &str) -> Self {
        let bare = segment.strip_suffix(".json").or_else(|| segment.strip_suffix(".xml"));
        match bare {
            Some(bare) => AccountSid::parse(bare).map_or(Self::Unreachable, Self::Sid),
            None if segment.contains('.') => Self::UnknownSuffix,
            None => AccountSid::parse(segment).map_or(Self::Unreachable, Self::Sid),
        }
    }
}

/// An authenticated request on an instance whose target the caller may reach.
pub(crate) struct InstanceRequest {
    pub format: Format,
    pub auth: Authenticated,
}

impl InstanceRequest {
    /// Authentication first (401), then the path (404, or 401 for a subaccount).
    async fn authorize(req: &HttpRequest, state: &AppState) -> Result<Self, Rejection> {
        let format = Format::of_path(req.path());
        let segment = req.match_info().get("sid").unwrap_or_default();
        let path = InstancePath::parse(segment);
        let target = match &path {
            InstancePath::Sid(sid) => Some(sid),
            _ => None,
        };
        let header = req.headers().get(header::AUTHORIZATION);
        let auth = state.auth.authenticate(header, target).await.map_err(|e| e.at(format))?;
        if let InstancePath::UnknownSuffix = path {
            return Err(not_found(req).at(format));
        }
        auth.reachable_target(req.path()).map_err(|e| e.at(format))?;
        Ok(Self { format, auth })
    }

    pub fn target(&self) -> &Account {
        self.auth.target.as_ref().expect("authorize() checked the target is reachable")
    }
}

pub async fn instance_method_not_allowed(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Rejection> {
    let request = InstanceRequest::authorize(&req, &state).await?;
    Err(ApiError::MethodNotAllowed { allow: "GET, POST, PUT" }.at(request.format))
}

pub async fn list_method_not_allowed(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, Rejection> {
    let format = Format::of_path(req.path());
    state.auth.authenticate(req.headers().get(header::AUTHORIZATION), None).await.map_err(|e| e.at(format))?;
    Err(ApiError::MethodNotAllowed { allow: "GET, POST" }.at(format))
}

/// The SID an instance path names, when it names one with a known suffix.
pub(crate) fn target_sid(req: &HttpRequest) -> Option<AccountSid> {
    match InstancePath::parse(req.match_info().get("sid").unwrap_or_default()) {
        InstancePath::Sid(sid) => Some(sid),
        _ => None,
    }
}

/// Reads a body of at most 64 KiB. It is read before authentication so that a cached credential
/// can be checked inside the write itself, but its errors are answered only after authentication.
pub(crate) async fn read_body(req: &HttpRequest, mut payload: web::Payload) -> Result<web::Bytes, ApiError> {
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

/// Decodes a form-encoded body strictly; an empty body has no parameters.
pub(crate) fn parse_form(req: &HttpRequest, body: &Result<web::Bytes, ApiError>) -> Result<Params, ApiError> {
    let body = match body {
        Ok(body) => body,
        Err(ApiError::PayloadTooLarge { limit }) => return Err(ApiError::PayloadTooLarge { limit: *limit }),
        Err(_) => return Err(ApiError::InvalidParameter("The request body could not be read".to_owned())),
    };
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
    Params::parse(body)
}
