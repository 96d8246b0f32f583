//! POST /2010-04-01/Accounts{ext}: a new subaccount of the calling main account.
use super::{parse_form, read_body};
use crate::domain::{Account, AccountSid, AuthToken, FriendlyName};
use crate::error::{ApiError, Rejection};
use crate::form::Params;
use crate::representation::account::{self, TokenView};
use crate::representation::Format;
use crate::routes::{respond, AppState};
use crate::storage::{Guard, NewAccount, StoreError};
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};

/// A fresh SID colliding with a stored one is a 2^-128 event; retrying a few times is plenty.
const SID_ATTEMPTS: usize = 3;

/// A minted token and its argon2id hash: computed once per request, whichever path inserts.
struct Minted {
    token: AuthToken,
    hash: String,
}

#[tracing::instrument(name = "create subaccount", level = "debug", skip_all)]
pub async fn handle(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Rejection> {
    let format = Format::of_path(req.path());
    let body = read_body(&req, payload).await;
    let params = parse_form(&req, &body);
    let now = chrono::Utc::now();
    let mut minted = None;
    if let Some(guard) = state.auth.guard(req.headers().get(header::AUTHORIZATION)).filter(|g| g.is_main) {
        if let Some(friendly_name) = params.as_ref().ok().and_then(|p| friendly_name(p, now).ok()) {
            let fresh = mint(&state).await.map_err(|e| e.at(format))?;
            match insert(&state, &guard.caller, &friendly_name, &fresh.hash, now, Some(&guard)).await {
                Ok(created) => return Ok(render(&created, &fresh.token, format)),
                Err(StoreError::Denied | StoreError::Conflict) => minted = Some(fresh),
                Err(other) => return Err(ApiError::from_store(other).at(format)),
            }
        }
    }
    let auth =
        state.auth.authenticate(req.headers().get(header::AUTHORIZATION), None).await.map_err(|e| e.at(format))?;
    let params = params.map_err(|e| e.at(format))?;
    if !auth.caller.is_main() {
        return Err(ApiError::SubaccountCannotCreate.at(format));
    }
    let friendly_name = friendly_name(&params, now).map_err(|e| e.at(format))?;
    let minted = match minted {
        Some(minted) => minted,
        None => mint(&state).await.map_err(|e| e.at(format))?,
    };
    for _ in 0..SID_ATTEMPTS {
        match insert(&state, &auth.caller.sid, &friendly_name, &minted.hash, now, None).await {
            Ok(created) => return Ok(render(&created, &minted.token, format)),
            Err(StoreError::Conflict) => continue,
            Err(StoreError::LimitReached) => {
                return Err(ApiError::SubaccountLimit { limit: state.max_subaccounts }.at(format))
            }
            Err(other) => return Err(ApiError::from_store(other).at(format)),
        }
    }
    Err(ApiError::Internal.at(format))
}

fn friendly_name(params: &Params, now: chrono::DateTime<chrono::Utc>) -> Result<FriendlyName, ApiError> {
    match params.single("FriendlyName")? {
        Some(raw) => FriendlyName::parse(raw).map_err(|why| ApiError::invalid("FriendlyName", why)),
        None => Ok(FriendlyName::default_for_subaccount(now)),
    }
}

async fn mint(state: &AppState) -> Result<Minted, ApiError> {
    let token = AuthToken::generate();
    let hash = state.auth.hashing().hash(token.expose()).await.map_err(|error| {
        tracing::error!(%error, "hashing a new token failed");
        ApiError::Internal
    })?;
    Ok(Minted { token, hash })
}

async fn insert(
    state: &AppState,
    owner: &AccountSid,
    friendly_name: &FriendlyName,
    token_hash: &str,
    now: chrono::DateTime<chrono::Utc>,
    guard: Option<&Guard>,
) -> Result<Account, StoreError> {
    let new = NewAccount {
        sid: AccountSid::generate(),
        friendly_name: friendly_name.clone(),
        token_hash: token_hash.to_owned(),
        created_at: now,
    };
    state.store.insert_subaccount(owner, &new, state.max_subaccounts, guard).await
}

fn render(created: &Account, token: &AuthToken, format: Format) -> HttpResponse {
    respond(StatusCode::CREATED, format, account::render(created, TokenView::Plain(token), format))
}
