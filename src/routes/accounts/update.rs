//! POST or PUT /2010-04-01/Accounts/{AccountSid}{ext}: FriendlyName and Status.
use super::{read_form, InstanceRequest};
use crate::domain::{Account, AccountStatus, FriendlyName};
use crate::error::{ApiError, Rejection};
use crate::form::Params;
use crate::representation::account::{self, TokenView};
use crate::routes::{respond, store_error, AppState};
use crate::storage::{AccountChange, StoreError};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

#[tracing::instrument(name = "update account", level = "debug", skip_all)]
pub async fn handle(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Rejection> {
    let request = InstanceRequest::authorize(&req, &state).await?;
    let format = request.format;
    let params = read_form(&req, payload).await.map_err(|e| e.at(format))?;
    let change = parse_change(&request, &params).map_err(|e| e.at(format))?;
    let target = request.target();
    let updated = if change.friendly_name.is_none() && change.status.is_none() {
        target.clone()
    } else {
        match state
            .store
            .update(&target.sid, &change, chrono::Utc::now())
            .await
        {
            Ok(account) => account,
            Err(StoreError::Closed) => return Err(ApiError::AccountClosed.at(format)),
            Err(StoreError::NotFound) => return Err(crate::routes::not_found(&req).at(format)),
            Err(other) => return Err(store_error(other).at(format)),
        }
    };
    Ok(respond(
        StatusCode::OK,
        format,
        account::render(&updated, TokenView::Redacted, format),
    ))
}

/// Checks in Twilio's order: 20403, 21477, 21479, 21475, then the FriendlyName (20001).
fn parse_change(request: &InstanceRequest, params: &Params) -> Result<AccountChange, ApiError> {
    let status = params.single("Status")?;
    let friendly_name = params.single("FriendlyName")?;
    let target: &Account = request.target();
    let status = match status {
        None => None,
        Some(_) if !request.auth.caller.is_main() => {
            return Err(ApiError::SubaccountCannotChangeStatus)
        }
        Some(_) if target.is_main() => return Err(ApiError::MainAccountStatus),
        Some(_) if target.status == AccountStatus::Closed => return Err(ApiError::AccountClosed),
        Some(raw) => Some(AccountStatus::parse(raw).ok_or(ApiError::InvalidStatus)?),
    };
    let friendly_name = friendly_name
        .map(FriendlyName::parse)
        .transpose()
        .map_err(|why| ApiError::invalid("FriendlyName", why))?;
    Ok(AccountChange {
        friendly_name,
        status,
    })
}
