//! Storage behind one trait, with a Postgres and a SQLite implementation chosen by URL scheme.
mod postgres;
mod sql;
mod sqlite;

use crate::domain::{Account, AccountSid, AccountStatus, AccountType, FriendlyName, Timestamp};
use crate::representation::list::PageSlice;
use async_trait::async_trait;
use std::sync::Arc;
use std::time::Duration;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

/// What the store knows of a caller: enough to authenticate and authorize one request.
#[derive(Debug, Clone)]
pub struct Credential {
    pub sid: AccountSid,
    pub owner: AccountSid,
    pub status: AccountStatus,
    /// The main account's status (the caller's own for a main account).
    pub main_status: AccountStatus,
    /// argon2id PHC string; never the plaintext.
    pub token_hash: String,
}

impl Credential {
    pub fn is_main(&self) -> bool {
        self.sid == self.owner
    }

    /// Rebuilds a caller's stored values; a row that breaks the schema's rules is a storage error.
    pub(crate) fn decode(
        sid: &str,
        owner: &str,
        status: &str,
        main_status: &str,
        token_hash: String,
    ) -> Result<Self, StoreError> {
        Ok(Self {
            sid: AccountSid::parse(sid).ok_or(StoreError::NotFound)?,
            owner: AccountSid::parse(owner).ok_or(StoreError::NotFound)?,
            status: decode_status(status)?,
            main_status: decode_status(main_status)?,
            token_hash,
        })
    }
}

/// A credential to check inside a statement: the caller's stored hash as this process last
/// verified it. The statement proceeds only if the hash is unchanged and the caller and its main
/// account are active, so a cached credential costs no extra round trip.
#[derive(Debug, Clone)]
pub struct Guard {
    pub caller: AccountSid,
    pub token_hash: Arc<str>,
    pub is_main: bool,
}

/// The caller, and the target account when the caller may reach it.
#[derive(Debug, Clone)]
pub struct Access {
    pub caller: Credential,
    pub target: Option<Account>,
}

#[derive(Debug, Clone)]
pub struct NewAccount {
    pub sid: AccountSid,
    pub friendly_name: FriendlyName,
    pub token_hash: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Default)]
pub struct AccountChange {
    pub friendly_name: Option<FriendlyName>,
    pub status: Option<AccountStatus>,
}

/// Whose accounts a list covers: a main account's whole tenant, or one subaccount alone.
#[derive(Debug, Clone)]
pub enum ListScope {
    Tenant(AccountSid),
    Single(AccountSid),
}

#[derive(Debug, Clone)]
pub enum Window {
    Offset { offset: u64, limit: u32 },
    After { sid: AccountSid, limit: u32 },
    Before { sid: AccountSid, limit: u32 },
}

#[derive(Debug, Clone)]
pub struct ListQuery {
    pub scope: ListScope,
    pub friendly_name: Option<FriendlyName>,
    pub status: Option<AccountStatus>,
    pub window: Window,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("account not found")]
    NotFound,
    #[error("an account with this SID already exists")]
    Conflict,
    #[error("the subaccount limit is reached")]
    LimitReached,
    #[error("the account is closed")]
    Closed,
    #[error("the page token names no reachable account")]
    UnknownCursor,
    #[error("the credential guard did not hold")]
    Denied,
    #[error("database unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    #[error("database error: {0}")]
    Other(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => Self::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => Self::Conflict,
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_)
            | sqlx::Error::WorkerCrashed => Self::Unavailable(error),
            sqlx::Error::Database(db) if sqlite::is_busy(db.as_ref()) => Self::Unavailable(error),
            _ => Self::Other(error),
        }
    }
}

#[async_trait]
pub trait AccountStore: Send + Sync + 'static {
    /// One round trip: the caller's credential and the target, if the caller may reach it.
    async fn access(&self, caller: &AccountSid, target: Option<&AccountSid>) -> Result<Option<Access>, StoreError>;

    /// A new main account (a tenant). `Conflict` if the SID is taken.
    async fn insert_main(&self, account: &NewAccount, account_type: AccountType) -> Result<Account, StoreError>;

    /// A new subaccount of `owner`, inheriting its type, unless `owner` already has `limit`.
    /// With a guard (whose caller is `owner`), `Denied` covers both a failed guard and the limit.
    async fn insert_subaccount(
        &self,
        owner: &AccountSid,
        account: &NewAccount,
        limit: u32,
        guard: Option<&Guard>,
    ) -> Result<Account, StoreError>;

    /// Applies a change atomically; a Status change of a closed account is `Closed`.
    /// With a guard, the target must also be in the caller's reach, and any refusal is `Denied`.
    async fn update(
        &self,
        sid: &AccountSid,
        change: &AccountChange,
        now: Timestamp,
        guard: Option<&Guard>,
    ) -> Result<Account, StoreError>;

    /// The page and the count, in two round trips; with a guard, `Denied` if it does not hold.
    async fn list(&self, query: &ListQuery, guard: Option<&Guard>) -> Result<PageSlice, StoreError>;

    /// Every main account, oldest first (operator use).
    async fn main_accounts(&self) -> Result<Vec<Account>, StoreError>;

    /// Replaces the stored token hash.
    async fn set_token_hash(&self, sid: &AccountSid, token_hash: &str, now: Timestamp) -> Result<(), StoreError>;

    async fn ping(&self) -> Result<(), StoreError>;

    /// Open and idle connections of the pool, for metrics.
    fn pool_usage(&self) -> (u32, usize);

    /// Applies this backend's migrations.
    async fn migrate(&self) -> anyhow::Result<()>;

    /// A human description without any password.
    fn describe(&self) -> String;
}

pub type SharedStore = Arc<dyn AccountStore>;

/// A pooled connection idle this long is pinged before it serves a query.
const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(1);

/// Pool settings both backends share. sqlx pings every connection before lending it, a second
/// round trip per query; here only a connection idle for a while is checked. A broken busy one
/// fails its query, is dropped, and the next acquire opens a new one.
fn pool_options<DB: sqlx::Database>(settings: &PoolSettings) -> sqlx::pool::PoolOptions<DB> {
    sqlx::pool::PoolOptions::new()
        .max_connections(settings.max_connections)
        .acquire_timeout(settings.acquire_timeout)
        .test_before_acquire(false)
        .before_acquire(|connection, meta| {
            Box::pin(async move {
                if meta.idle_for >= PING_WHEN_IDLE_FOR {
                    sqlx::Connection::ping(connection).await?;
                }
                Ok(true)
            })
        })
}

#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub max_connections: u32,
    pub acquire_timeout: Duration,
}

/// Opens the backend the URL names: `postgres://`/`postgresql://` or `sqlite://`.
pub async fn connect(url: &str, pool: &PoolSettings) -> anyhow::Result<SharedStore> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PostgresStore::connect(url, pool).await?))
    } else if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::connect(url, pool).await?))
    } else {
        anyhow::bail!("database URL must start with postgres:// or sqlite:// (got scheme {:?})", scheme(url))
    }
}

/// The URL with any password replaced, fit for logs.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("********"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

fn scheme(url: &str) -> &str {
    url.split(':').next().unwrap_or_default()
}

/// Rebuilds a stored row's values; a row that breaks the schema's rules is a storage error.
pub(crate) fn decode_account(
    sid: &str,
    owner: &str,
    friendly_name: &str,
    account_type: &str,
    status: &str,
    date_created: Timestamp,
    date_updated: Timestamp,
) -> Result<Account, StoreError> {
    let bad = |what: &str| StoreError::Other(sqlx::Error::Decode(format!("stored {what} is not valid").into()));
    Ok(Account {
        sid: AccountSid::parse(sid).ok_or_else(|| bad("sid"))?,
        owner: AccountSid::parse(owner).ok_or_else(|| bad("owner_sid"))?,
        friendly_name: FriendlyName::parse(friendly_name).map_err(|_| bad("friendly_name"))?,
        account_type: AccountType::parse(account_type).ok_or_else(|| bad("type"))?,
        status: AccountStatus::parse(status).ok_or_else(|| bad("status"))?,
        date_created,
        date_updated,
    })
}

pub(crate) fn decode_status(raw: &str) -> Result<AccountStatus, StoreError> {
    AccountStatus::parse(raw).ok_or_else(|| StoreError::Other(sqlx::Error::Decode("stored status is not valid".into())))
}

/// Turns the rows a window fetched (one extra when seeking) into a page in list order.
pub(crate) fn shape_slice(mut accounts: Vec<Account>, total: u64, window: &Window) -> PageSlice {
    let has_next = match window {
        Window::Offset { offset, .. } => offset.saturating_add(accounts.len() as u64) < total,
        Window::After { limit, .. } => {
            let more = accounts.len() > *limit as usize;
            accounts.truncate(*limit as usize);
            more
        }
        Window::Before { limit, .. } => {
            // Fetched newest first; the cursor's own account follows this page.
            accounts.truncate(*limit as usize);
            accounts.reverse();
            true
        }
    };
    PageSlice { accounts, total, has_next }
}
