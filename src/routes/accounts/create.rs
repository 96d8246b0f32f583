//! POST /2010-04-01/Accounts{ext}: a new subaccount of the calling main account.
use super::read_form;
use crate::domain::{AccountSid, AuthToken, FriendlyName};
use crate::error::{ApiError, Rejection};
use crate::representation::account::{self, TokenView};
use crate::representation::Format;
use crate::routes::{respond, store_error, AppState};
use crate::storage::{NewAccount, StoreError};
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};

/// A fresh SID colliding with a stored one is a 2^-128 event; retrying a few times is plenty.
const SID_ATTEMPTS: usize = 3;

#[tracing::instrument(name = "create subaccount", level = "debug", skip_all)]
pub async fn handle(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Rejection> {
    let format = Format::of_path(req.path());
    let auth = state
        .auth
        .authenticate(req.headers().get(header::AUTHORIZATION), None)
        .await
        .map_err(|e| e.at(format))?;
    let params = read_form(&req, payload).await.map_err(|e| e.at(format))?;
    if !auth.caller.is_main() {
        return Err(ApiError::SubaccountCannotCreate.at(format));
    }
    let now = chrono::Utc::now();
    let friendly_name = match params.single("FriendlyName").map_err(|e| e.at(format))? {
        Some(raw) => FriendlyName::parse(raw)
            .map_err(|why| ApiError::invalid("FriendlyName", why).at(format))?,
        None => FriendlyName::default_for_subaccount(now),
    };
    let token = AuthToken::generate();
    let token_hash = state
        .auth
        .hashing()
        .hash(token.expose())
        .await
        .map_err(|error| {
            tracing::error!(%error, "hashing a new token failed");
            ApiError::Internal.at(format)
        })?;
    for _ in 0..SID_ATTEMPTS {
        let new = NewAccount {
            sid: AccountSid::generate(),
            friendly_name: friendly_name.clone(),
            token_hash: token_hash.clone(),
            created_at: now,
        };
        match state
            .store
            .insert_subaccount(&auth.caller.sid, &new, state.max_subaccounts)
            .await
        {
            Ok(created) => {
                let body = account::render(&created, TokenView::Plain(&token), format);
                return Ok(respond(StatusCode::CREATED, format, body));
            }
            Err(StoreError::Conflict) => continue,
            Err(StoreError::LimitReached) => {
                return Err(ApiError::SubaccountLimit {
                    limit: state.max_subaccounts,
                }
                .at(format))
            }
            Err(other) => return Err(store_error(other).at(format)),
        }
    }
    Err(ApiError::Internal.at(format))
}
