//! `StoreError`: what a store call can end in, mapped from sqlx's errors in one place.
use super::sql::dialect::is_sqlite_busy;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("a row with this key already exists")]
    Conflict,
    #[error("the subaccount limit of {0} is reached")]
    SubaccountLimit(u32),
    #[error("the key limit of {0} is reached")]
    KeyLimit(u32),
    #[error("the snapshot limit of {0} is reached")]
    SnapshotLimit(u32),
    #[error("the limit of {0} armed faults is reached")]
    FaultLimit(u32),
    #[error("the account is closed")]
    Closed,
    #[error("the page token names nothing in this list")]
    UnknownCursor,
    /// A stored row breaks the schema's rules: a 500 whose cause is logged, never a made-up value.
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("database unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    #[error("database error: {0}")]
    Other(#[source] sqlx::Error),
}

impl StoreError {
    pub(crate) fn corrupt(what: impl std::fmt::Display) -> Self {
        Self::Corrupt(what.to_string())
    }

    /// SQLite's "another writer holds the lock" past the busy timeout: worth trying again.
    pub(crate) fn is_busy(&self) -> bool {
        matches!(self, Self::Unavailable(sqlx::Error::Database(db)) if is_sqlite_busy(db.as_ref()))
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => Self::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => Self::Conflict,
            sqlx::Error::Database(db) if is_sqlite_busy(db.as_ref()) => Self::Unavailable(error),
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_)
            | sqlx::Error::WorkerCrashed => Self::Unavailable(error),
            sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => Self::Corrupt(error.to_string()),
            _ => Self::Other(error),
        }
    }
}
