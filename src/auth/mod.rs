//! Basic-auth credentials: argon2id verification behind a cache, and who may reach what.
mod cache;
mod password;
pub mod policy;

pub use cache::CredentialCache;
pub use password::{Argon2Settings, PasswordHashing};

use crate::domain::{Account, AccountSid, AuthToken, Principal};
use crate::error::ApiError;
use crate::limits::TenantLimiter;
use crate::metrics::AuthCounters;
use crate::storage::{Access, Credential, SharedStore, TenantFigures};
use actix_web::http::header::HeaderValue;
use actix_web_httpauth::headers::authorization::{Basic, Scheme};
use cache::Cached;

/// Whom a request's credential names, when the store knows the principal: enough to file the
/// request under its tenant (the journal), whatever the outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub tenant: AccountSid,
    pub principal: Principal,
}

/// The outcome of authenticating a request, and whom it named.
pub struct Authentication {
    pub identity: Option<Identity>,
    pub outcome: Result<Authenticated, ApiError>,
}

/// A verified caller, its tenant's figures, and the path's account when within its account's reach.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub credential: Credential,
    pub tenant: TenantFigures,
    pub target: Option<Account>,
}

pub struct Authenticator {
    store: SharedStore,
    hashing: PasswordHashing,
    cache: CredentialCache,
    /// Verified against when the principal is unknown, so that costs what a wrong secret costs.
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

    /// Checks the `Authorization` header, reading the store once (the path's account with it),
    /// and charges the tenant's request rate. Every failure is the same 401: missing, malformed,
    /// unknown principal, wrong secret, not active.
    pub async fn authenticate(&self, header: Option<&HeaderValue>, target: Option<&AccountSid>) -> Authentication {
        let basic = header.and_then(|value| Basic::parse(value).ok());
        let parsed = basic.as_ref().and_then(|basic| Some((Principal::parse(basic.user_id())?, basic.password()?)));
        let Some((principal, secret)) = parsed else {
            return Authentication { identity: None, outcome: Err(ApiError::Unauthenticated) };
        };
        let access = match self.store.access(&principal, target).await {
            Ok(access) => access,
            Err(error) => return Authentication { identity: None, outcome: Err(error.into()) },
        };
        let identity = access
            .as_ref()
            .map(|access| Identity { tenant: access.credential.tenant.clone(), principal: principal.clone() });
        let outcome = self.check(&principal, secret, access).await;
        Authentication { identity, outcome }
    }

    async fn check(
        &self,
        principal: &Principal,
        secret: &str,
        access: Option<Access>,
    ) -> Result<Authenticated, ApiError> {
        let stored_hash = access.as_ref().map_or(self.dummy_hash.as_str(), |a| a.credential.secret_hash.as_str());
        let valid = self.verify(principal.as_str(), secret, stored_hash, access.is_some()).await?;
        match access {
            Some(access) if valid && access.credential.is_active() => {
                if !self.limiter.allows(access.credential.tenant.as_str()) {
                    return Err(ApiError::TooManyRequests);
                }
                Ok(Authenticated { credential: access.credential, tenant: access.tenant, target: access.target })
            }
            _ => Err(ApiError::Unauthenticated),
        }
    }

    /// Whether `secret` matches `stored_hash`: argon2 once per (principal, secret, hash), then
    /// the cache's keyed digest. An unknown principal is verified against the dummy hash.
    async fn verify(&self, principal: &str, secret: &str, stored_hash: &str, known: bool) -> Result<bool, ApiError> {
        let digest = self.cache.digest(secret);
        match self.cache.lookup(principal, &digest, stored_hash) {
            Cached::Accepted => {
                self.counters.cache_hits.inc();
                Ok(true)
            }
            Cached::Rejected => {
                self.counters.cache_hits.inc();
                Ok(false)
            }
            Cached::Unknown => {
                self.counters.cache_misses.inc();
                let count = self.counters.argon2_verifications.inc() + 1;
                tracing::debug!(argon2_verifications = count, "verifying a credential with argon2id");
                let valid = self.hashing.verify(secret, stored_hash).await.map_err(|error| {
                    tracing::error!(%error, "argon2 verification did not run");
                    ApiError::Internal
                })?;
                if valid && known {
                    self.cache.accept(principal, digest, stored_hash);
                } else {
                    self.cache.reject(principal, digest, stored_hash);
                }
                Ok(valid)
            }
        }
    }

    /// Periodic housekeeping: drops rate-limit buckets of quiet tenants.
    pub fn housekeeping(&self) {
        self.limiter.shrink();
    }
}
