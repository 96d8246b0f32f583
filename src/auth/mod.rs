//! Basic-auth credentials: parsing, argon2id verification behind a cache, and who may reach what.
mod cache;
mod password;

pub use cache::CredentialCache;
pub use password::{Argon2Settings, PasswordHashing};

use crate::domain::{Account, AccountSid, AccountStatus, AuthToken};
use crate::error::ApiError;
use crate::limits::TenantLimiter;
use crate::metrics::AuthCounters;
use crate::storage::{Credential, Guard, SharedStore};
use actix_web::http::header::HeaderValue;
use actix_web_httpauth::headers::authorization::{Basic, Scheme};
use cache::Cached;

/// An authenticated caller, with the target account if the caller may reach it.
pub struct Authenticated {
    pub caller: Credential,
    pub target: Option<Account>,
}

pub struct Authenticator {
    store: SharedStore,
    hashing: PasswordHashing,
    cache: CredentialCache,
    /// Verified against when the SID is unknown, so that costs what a wrong token costs.
    dummy_hash: String,
    pub counters: AuthCounters,
    limiter: TenantLimiter,
}

impl Authenticator {
    pub async fn new(
        store: SharedStore,
        hashing: PasswordHashing,
        cache_capacity: u64,
        counters: AuthCounters,
        limiter: TenantLimiter,
    ) -> anyhow::Result<Self> {
        let dummy_hash = hashing.hash(AuthToken::generate().expose()).await?;
        Ok(Self { store, hashing, cache: CredentialCache::new(cache_capacity), dummy_hash, counters, limiter })
    }

    pub fn hashing(&self) -> &PasswordHashing {
        &self.hashing
    }

    /// Checks the `Authorization` header and loads the target in the same round trip.
    /// Every failure is the same 401: missing, malformed, unknown SID, wrong token, not active.
    pub async fn authenticate(
        &self,
        header: Option<&HeaderValue>,
        target: Option<&AccountSid>,
    ) -> Result<Authenticated, ApiError> {
        let basic = basic(header)?;
        let (sid, token) = credentials(&basic)?;
        let access = self.store.access(&sid, target).await.map_err(ApiError::from_store)?;
        let digest = self.cache.digest(token);
        let token_hash = access.as_ref().map_or(self.dummy_hash.as_str(), |a| a.caller.token_hash.as_str());
        let valid = match self.cache.lookup(sid.as_str(), &digest, token_hash) {
            Cached::Accepted => {
                self.counters.cache_hits.inc();
                true
            }
            Cached::Rejected => {
                self.counters.cache_hits.inc();
                false
            }
            Cached::Unknown => {
                self.counters.cache_misses.inc();
                let count = self.counters.argon2_verifications.inc() + 1;
                tracing::debug!(argon2_verifications = count, "verifying a credential with argon2id");
                let valid = self.hashing.verify(token, token_hash).await.map_err(|error| {
                    tracing::error!(%error, "argon2 verification did not run");
                    ApiError::Internal
                })?;
                match &access {
                    Some(access) if valid => {
                        self.cache.accept(sid.as_str(), digest, token_hash, access.caller.owner.as_str())
                    }
                    _ => self.cache.reject(sid.as_str(), digest, token_hash),
                }
                valid
            }
        };
        match access {
            Some(access)
                if valid
                    && access.caller.status == AccountStatus::Active
                    && access.caller.main_status == AccountStatus::Active =>
            {
                if !self.limiter.allows(access.caller.owner.as_str()) {
                    return Err(ApiError::TooManyRequests);
                }
                Ok(Authenticated { caller: access.caller, target: access.target })
            }
            _ => Err(ApiError::Unauthenticated),
        }
    }

    /// A caller whose token this process verified before, as a guard that a single statement
    /// checks against the stored hash and statuses: one round trip for a write, no argon2.
    /// `None` means "take the full path" (no header, unknown token, nothing cached).
    pub fn guard(&self, header: Option<&HeaderValue>) -> Option<Guard> {
        let basic = basic(header).ok()?;
        let (sid, token) = credentials(&basic).ok()?;
        let (token_hash, owner) = self.cache.verified(sid.as_str(), &self.cache.digest(token))?;
        // Over its rate, the tenant takes the full path, which answers 429.
        if !self.limiter.allows(&owner) {
            return None;
        }
        self.counters.cache_hits.inc();
        let is_main = *owner == *sid.as_str();
        Some(Guard { caller: sid, token_hash, is_main })
    }

    /// Forgets a SID's cached credential (after its token changed through this process).
    pub fn forget(&self, sid: &AccountSid) {
        self.cache.forget(sid.as_str());
    }

    /// Periodic housekeeping: drops rate-limit buckets of quiet tenants.
    pub fn housekeeping(&self) {
        self.limiter.shrink();
    }
}

fn basic(header: Option<&HeaderValue>) -> Result<Basic, ApiError> {
    header.and_then(|value| Basic::parse(value).ok()).ok_or(ApiError::Unauthenticated)
}

fn credentials(basic: &Basic) -> Result<(AccountSid, &str), ApiError> {
    let token = basic.password().ok_or(ApiError::Unauthenticated)?;
    let sid = AccountSid::parse(basic.user_id()).ok_or(ApiError::Unauthenticated)?;
    Ok((sid, token))
}

impl Authenticated {
    /// The target if reachable; otherwise 401 for a subaccount and 404 for a main account,
    /// so that nothing reveals whether another tenant's SID exists.
    pub fn reachable_target(&self, requested_path: &str) -> Result<&Account, ApiError> {
        match &self.target {
            Some(target) => Ok(target),
            None if self.caller.is_main() => Err(ApiError::NotFound { path: requested_path.to_owned() }),
            None => Err(ApiError::Unauthenticated),
        }
    }
}
