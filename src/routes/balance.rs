//! GET /2010-04-01/Accounts/{AccountSid}/Balance{ext}: the main account's balance, which a
//! subaccount reports under its own SID. Read in the request's one authenticating statement.
use crate::error::ApiError;
use crate::representation::balance::BalanceView;
use crate::routes::call::Call;
use crate::routes::paths::BalancePath;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

#[tracing::instrument(name = "fetch balance", level = "debug", skip_all)]
pub async fn handle(call: Call<BalancePath>) -> Result<HttpResponse, ApiError> {
    let tenant = &call.caller.tenant;
    let view = BalanceView { account: &call.target()?.sid, balance: tenant.balance, currency: tenant.currency };
    Ok(call.reply(StatusCode::OK, &view))
}
