//! POST /2010-04-01/Accounts{ext}: a new subaccount of the calling main account.
use crate::domain::{AccountSid, AuthToken, FriendlyName};
use crate::error::ApiError;
use crate::representation::account::{AccountView, TokenView};
use crate::routes::call::Call;
use crate::routes::paths::AccountsPath;
use crate::storage::{NewAccount, StoreError};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

/// A fresh SID colliding with a stored one is a 2^-128 event; retrying a few times is plenty.
const SID_ATTEMPTS: usize = 3;

#[tracing::instrument(name = "create subaccount", level = "debug", skip_all)]
pub async fn handle(call: Call<AccountsPath>) -> Result<HttpResponse, ApiError> {
    let params = call.form()?;
    if !call.caller.credential.is_main() {
        return Err(ApiError::SubaccountCannotCreate);
    }
    let now = chrono::Utc::now();
    let friendly_name = match params.single("FriendlyName")? {
        Some(raw) => FriendlyName::parse(raw).map_err(|why| ApiError::invalid("FriendlyName", why))?,
        None => FriendlyName::default_for_subaccount(now),
    };
    let token = AuthToken::generate();
    let token_hash = call.state.auth.hashing().hash(token.expose()).await.map_err(|error| {
        tracing::error!(%error, "hashing a new token failed");
        ApiError::Internal
    })?;
    let limit = call.state.max_subaccounts;
    for _ in 0..SID_ATTEMPTS {
        let new = NewAccount {
            sid: AccountSid::generate(),
            friendly_name: friendly_name.clone(),
            token_hash: token_hash.clone(),
            created_at: now,
        };
        match call.state.store.insert_subaccount(&call.caller.credential.account, &new, limit).await {
            Ok(created) => {
                let view = AccountView { account: &created, token: TokenView::Plain(&token) };
                return Ok(call.reply(StatusCode::CREATED, &view));
            }
            Err(StoreError::Conflict) => continue,
            Err(other) => return Err(other.into()),
        }
    }
    Err(ApiError::Internal)
}
