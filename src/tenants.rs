//! Main accounts (tenants): made by the operator command or seeded from the config, never over HTTP.
use crate::auth::PasswordHashing;
use crate::config::SeedAccount;
use crate::domain::{Account, AccountSid, AccountType, AuthToken, FriendlyName, Principal};
use crate::storage::{NewAccount, Opening, Store, StoreError};
use secrecy::ExposeSecret;

pub struct MainAccountRequest {
    pub friendly_name: FriendlyName,
    pub account_type: AccountType,
    /// The balance and currency it starts with.
    pub opening: Opening,
    /// Fixed credentials make the command idempotent; without them both are minted.
    pub credentials: Option<(AccountSid, AuthToken)>,
}

pub enum Outcome {
    Created,
    /// The SID existed with the same token, name and type: nothing changed.
    Unchanged,
}

pub struct MainAccount {
    pub account: Account,
    pub token: AuthToken,
    pub outcome: Outcome,
}

#[derive(Debug, thiserror::Error)]
pub enum TenantError {
    #[error("account {0} already exists with a different auth token, friendly name or type")]
    Differs(AccountSid),
    #[error("{0} is a subaccount, not a main account")]
    NotMain(AccountSid),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub async fn ensure_main(
    store: &dyn Store,
    hashing: &PasswordHashing,
    request: MainAccountRequest,
) -> Result<MainAccount, TenantError> {
    let (sid, token) = request.credentials.unwrap_or_else(|| (AccountSid::generate(), AuthToken::generate()));
    loop {
        if let Some(existing) = store.access(&Principal::Account(sid.clone()), Some(&sid)).await? {
            let account = existing.target.ok_or_else(|| TenantError::NotMain(sid.clone()))?;
            if !account.is_main() {
                return Err(TenantError::NotMain(sid));
            }
            let same = account.friendly_name == request.friendly_name
                && account.account_type == request.account_type
                && hashing.verify(token.expose(), &existing.credential.secret_hash).await?;
            return if same {
                Ok(MainAccount { account, token, outcome: Outcome::Unchanged })
            } else {
                Err(TenantError::Differs(sid))
            };
        }
        let new = NewAccount {
            sid: sid.clone(),
            friendly_name: request.friendly_name.clone(),
            token_hash: hashing.hash(token.expose()).await?,
            created_at: chrono::Utc::now(),
        };
        match store.insert_main(&new, request.account_type, request.opening).await {
            Ok(account) => return Ok(MainAccount { account, token, outcome: Outcome::Created }),
            // Another process created it between our read and our insert: compare with theirs.
            Err(StoreError::Conflict) => continue,
            Err(other) => return Err(other.into()),
        }
    }
}

/// Creates each seed account that is missing; an existing one is left as it is, even if it differs.
pub async fn seed(
    store: &dyn Store,
    hashing: &PasswordHashing,
    seeds: &[SeedAccount],
    opening: Opening,
) -> anyhow::Result<()> {
    for seed in seeds {
        let sid = AccountSid::parse(&seed.sid)
            .ok_or_else(|| anyhow::anyhow!("seed sid {:?} is not AC + 32 hex digits", seed.sid))?;
        let token = AuthToken::parse(seed.auth_token.expose_secret())
            .ok_or_else(|| anyhow::anyhow!("seed account {sid}: auth_token must be 1-128 printable characters"))?;
        let friendly_name = FriendlyName::parse(&seed.friendly_name)
            .map_err(|why| anyhow::anyhow!("seed account {sid}: friendly_name {why}"))?;
        let request = MainAccountRequest {
            friendly_name,
            account_type: seed.account_type,
            opening,
            credentials: Some((sid.clone(), token)),
        };
        match ensure_main(store, hashing, request).await {
            Ok(MainAccount { outcome: Outcome::Created, .. }) => tracing::info!(%sid, "seeded tenant created"),
            Ok(_) => tracing::info!(%sid, "seeded tenant present"),
            Err(TenantError::Differs(_)) => {
                tracing::warn!(%sid, "seeded tenant exists with other values; left as it is")
            }
            Err(other) => return Err(other.into()),
        }
    }
    Ok(())
}
