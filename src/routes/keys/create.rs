//! POST /2010-04-01/Accounts/{AccountSid}/Keys{ext}: a new Standard key, its secret shown once.
use crate::domain::{KeySid, KeyType, Secret};
use crate::error::ApiError;
use crate::representation::key::KeyView;
use crate::routes::call::Call;
use crate::routes::paths::KeysPath;
use crate::storage::{NewKey, StoreError};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

/// A fresh SID colliding with a stored one is a 2^-128 event; retrying a few times is plenty.
const SID_ATTEMPTS: usize = 3;

#[tracing::instrument(name = "create key", level = "debug", skip_all)]
pub async fn handle(call: Call<KeysPath>) -> Result<HttpResponse, ApiError> {
    let params = call.form()?;
    let friendly_name = super::friendly_name(&params)?;
    let account = call.target()?.sid.clone();
    let secret = Secret::generate_key_secret();
    let secret_hash = call.state.auth.hashing().hash(secret.expose()).await.map_err(|error| {
        tracing::error!(%error, "hashing a new key secret failed");
        ApiError::Internal
    })?;
    for _ in 0..SID_ATTEMPTS {
        let new = NewKey {
            sid: KeySid::generate(),
            account: account.clone(),
            key_type: KeyType::Standard,
            friendly_name: friendly_name.clone(),
            secret_hash: secret_hash.clone(),
            created_at: chrono::Utc::now(),
        };
        match call.state.store.insert_key(&new, call.state.max_keys_per_account).await {
            Ok(key) => return Ok(call.reply(StatusCode::CREATED, &KeyView { key: &key, secret: Some(&secret) })),
            Err(StoreError::Conflict) => continue,
            Err(other) => return Err(other.into()),
        }
    }
    Err(ApiError::Internal)
}
