//! POST or PUT /2010-04-01/Accounts/{AccountSid}{ext}: FriendlyName and Status.
use crate::domain::{Account, AccountStatus, FriendlyName};
use crate::error::ApiError;
use crate::form::Params;
use crate::representation::account::AccountView;
use crate::routes::call::Call;
use crate::routes::paths::AccountPath;
use crate::storage::AccountChange;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

#[tracing::instrument(name = "update account", level = "debug", skip_all)]
pub async fn handle(call: Call<AccountPath>) -> Result<HttpResponse, ApiError> {
    let params = call.form()?;
    let target = call.target()?;
    let change = parse_change(call.caller.credential.is_main(), target, &params)?;
    let updated;
    let account = match change.is_empty() {
        // Nothing recognised: the account as it is.
        true => target,
        false => {
            updated = call.state.store.update(&target.sid, &change, chrono::Utc::now()).await?;
            &updated
        }
    };
    Ok(call.reply(StatusCode::OK, &AccountView::redacted(account)))
}

/// Checks in Twilio's order: 20403, 21477, 21479, 21475, then the FriendlyName (20001).
fn parse_change(caller_is_main: bool, target: &Account, params: &Params) -> Result<AccountChange, ApiError> {
    let status = params.single("Status")?;
    let friendly_name = params.single("FriendlyName")?;
    let status = match status {
        None => None,
        Some(_) if !caller_is_main => return Err(ApiError::SubaccountCannotChangeStatus),
        Some(_) if target.is_main() => return Err(ApiError::MainAccountStatus),
        Some(_) if target.status == AccountStatus::Closed => return Err(ApiError::AccountClosed),
        Some(raw) => Some(AccountStatus::parse(raw).ok_or(ApiError::InvalidStatus)?),
    };
    let friendly_name =
        friendly_name.map(FriendlyName::parse).transpose().map_err(|why| ApiError::invalid("FriendlyName", why))?;
    Ok(AccountChange { friendly_name, status })
}
