//! argon2id hashing and verification of AuthTokens, off the async executor and bounded in concurrency.
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::rngs::OsRng;
use serde::Deserialize;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// argon2id cost settings; the defaults are the argon2 crate's (OWASP's minimum for argon2id).
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Argon2Settings {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for Argon2Settings {
    fn default() -> Self {
        Self {
            memory_kib: Params::DEFAULT_M_COST,
            iterations: Params::DEFAULT_T_COST,
            parallelism: Params::DEFAULT_P_COST,
        }
    }
}

#[derive(Clone)]
pub struct PasswordHashing {
    argon2: Argon2<'static>,
    permits: Arc<Semaphore>,
}

impl PasswordHashing {
    pub fn new(settings: Argon2Settings) -> anyhow::Result<Self> {
        let params = Params::new(settings.memory_kib, settings.iterations, settings.parallelism, None)
            .map_err(|e| anyhow::anyhow!("invalid argon2 settings: {e}"))?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(Self {
            argon2: Argon2::new(Algorithm::Argon2id, Version::V0x13, params),
            permits: Arc::new(Semaphore::new(cores)),
        })
    }

    /// A PHC string for `token`, computed on the blocking pool.
    pub async fn hash(&self, token: &str) -> anyhow::Result<String> {
        let token = token.to_owned();
        self.blocking(move |argon2| {
            let salt = SaltString::generate(&mut OsRng);
            argon2
                .hash_password(token.as_bytes(), &salt)
                .map(|hash| hash.to_string())
                .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))
        })
        .await?
    }

    /// Whether `token` matches `phc`; a hash that does not parse never matches.
    pub async fn verify(&self, token: &str, phc: &str) -> anyhow::Result<bool> {
        let (token, phc) = (token.to_owned(), phc.to_owned());
        self.blocking(move |argon2| {
            PasswordHash::new(&phc).is_ok_and(|hash| argon2.verify_password(token.as_bytes(), &hash).is_ok())
        })
        .await
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Argon2<'static>) -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        // At most one argon2 computation per core, so a flood of logins cannot starve the blocking pool.
        let _permit = self.permits.acquire().await?;
        let argon2 = self.argon2.clone();
        Ok(tokio::task::spawn_blocking(move || work(&argon2)).await?)
    }
}
