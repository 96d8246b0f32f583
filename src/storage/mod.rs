//! Storage: one trait per resource, each implemented once for Postgres and SQLite (`sql/`), the
//! backend chosen by the database URL's scheme.
mod accounts;
mod control;
mod credentials;
mod error;
mod journal;
mod keys;
pub mod sql;

pub use accounts::{AccountChange, AccountFilters, AccountScope, AccountStore, NewAccount, Opening};
pub use control::{ControlStore, ResetReport, SnapshotInfo};
pub use credentials::{Access, Credential, CredentialKind, CredentialStore, TenantFigures};
pub use error::StoreError;
pub use journal::{JournalPage, JournalStore};
pub use keys::{KeyStore, NewKey};
pub use sql::{PoolSettings, SqlStore};

use async_trait::async_trait;
use std::sync::Arc;

/// The store's own health and upkeep.
#[async_trait]
pub trait Health: Send + Sync {
    async fn ping(&self) -> Result<(), StoreError>;
    /// Open and idle connections of the pool, for metrics.
    fn pool_usage(&self) -> (u32, usize);
    /// Applies this backend's migrations.
    async fn migrate(&self) -> anyhow::Result<()>;
    /// A human description without any password.
    fn describe(&self) -> String;
}

/// Every store trait, as one object the server shares.
pub trait Store: AccountStore + CredentialStore + KeyStore + ControlStore + JournalStore + Health {}

impl<T: AccountStore + CredentialStore + KeyStore + ControlStore + JournalStore + Health> Store for T {}

pub type SharedStore = Arc<dyn Store>;

/// Opens the backend the URL names: `postgres://`/`postgresql://` or `sqlite:`.
pub async fn connect(url: &str, pool: &PoolSettings) -> anyhow::Result<SharedStore> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(SqlStore::<sqlx::Postgres>::connect(url, pool).await?))
    } else if url.starts_with("sqlite:") {
        Ok(Arc::new(SqlStore::<sqlx::Sqlite>::connect(url, pool).await?))
    } else {
        let scheme = url.split(':').next().unwrap_or_default();
        anyhow::bail!("database URL must start with postgres:// or sqlite:// (got scheme {scheme:?})")
    }
}
