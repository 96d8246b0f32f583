//! POST or PUT /2010-04-01/Accounts/{AccountSid}{ext}: FriendlyName and Status.
use super::{parse_form, read_body, target_sid, InstanceRequest};
use crate::domain::{Account, AccountSid, AccountStatus, FriendlyName};
use crate::error::{ApiError, Rejection};
use crate::form::Params;
use crate::representation::account::{self, TokenView};
use crate::representation::Format;
use crate::routes::{respond, AppState};
use crate::storage::{AccountChange, Guard, StoreError};
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};

#[tracing::instrument(name = "update account", level = "debug", skip_all)]
pub async fn handle(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Rejection> {
    let format = Format::of_path(req.path());
    let body = read_body(&req, payload).await;
    let params = parse_form(&req, &body);
    if let Some(guard) = state.auth.guard(req.headers().get(header::AUTHORIZATION)) {
        if let Some(updated) = guarded_update(&req, &state, &guard, &params).await.map_err(|e| e.at(format))? {
            return Ok(render(&updated, format));
        }
    }
    let request = InstanceRequest::authorize(&req, &state).await?;
    let params = params.map_err(|e| e.at(format))?;
    let change = parse_change(&request, &params).map_err(|e| e.at(format))?;
    let target = request.target();
    if change.friendly_name.is_none() && change.status.is_none() {
        return Ok(render(target, format));
    }
    match state.store.update(&target.sid, &change, chrono::Utc::now(), None).await {
        Ok(account) => Ok(render(&account, format)),
        Err(StoreError::Closed) => Err(ApiError::AccountClosed.at(format)),
        Err(StoreError::NotFound) => Err(crate::routes::not_found(&req).at(format)),
        Err(other) => Err(ApiError::from_store(other).at(format)),
    }
}

fn render(account: &Account, format: Format) -> HttpResponse {
    respond(StatusCode::OK, format, account::render(account, TokenView::Redacted, format))
}

/// One guarded statement for the plain case: a credential verified before, valid parameters
/// that need no look at the target first. `None` sends the request the full way, which gives
/// every refusal its exact answer.
async fn guarded_update(
    req: &HttpRequest,
    state: &AppState,
    guard: &Guard,
    params: &Result<Params, ApiError>,
) -> Result<Option<Account>, ApiError> {
    let (Some(target), Ok(params)) = (target_sid(req), params) else {
        return Ok(None);
    };
    let Some(change) = plain_change(guard, &target, params) else {
        return Ok(None);
    };
    match state.store.update(&target, &change, chrono::Utc::now(), Some(guard)).await {
        Ok(account) => Ok(Some(account)),
        Err(StoreError::Denied) => Ok(None),
        Err(other) => Err(ApiError::from_store(other)),
    }
}

fn plain_change(guard: &Guard, target: &AccountSid, params: &Params) -> Option<AccountChange> {
    let status = match params.single("Status").ok()? {
        None => None,
        Some(raw) if guard.is_main && *target != guard.caller => Some(AccountStatus::parse(raw)?),
        Some(_) => return None,
    };
    let friendly_name = params.single("FriendlyName").ok()?.map(FriendlyName::parse).transpose().ok()?;
    (status.is_some() || friendly_name.is_some()).then_some(AccountChange { friendly_name, status })
}

/// Checks in Twilio's order: 20403, 21477, 21479, 21475, then the FriendlyName (20001).
fn parse_change(request: &InstanceRequest, params: &Params) -> Result<AccountChange, ApiError> {
    let status = params.single("Status")?;
    let friendly_name = params.single("FriendlyName")?;
    let target: &Account = request.target();
    let status = match status {
        None => None,
        Some(_) if !request.auth.caller.is_main() => return Err(ApiError::SubaccountCannotChangeStatus),
        Some(_) if target.is_main() => return Err(ApiError::MainAccountStatus),
        Some(_) if target.status == AccountStatus::Closed => return Err(ApiError::AccountClosed),
        Some(raw) => Some(AccountStatus::parse(raw).ok_or(ApiError::InvalidStatus)?),
    };
    let friendly_name =
        friendly_name.map(FriendlyName::parse).transpose().map_err(|why| ApiError::invalid("FriendlyName", why))?;
    Ok(AccountChange { friendly_name, status })
}
