//! SQLite allows one writer at a time: recognising "busy" and trying a write again.
use super::BUSY_RETRIES;
use crate::storage::StoreError;
use sqlx::error::DatabaseError;
use std::future::Future;
use std::time::Duration;

/// SQLITE_BUSY and SQLITE_LOCKED, with their extended codes: another writer holds the lock.
pub(crate) fn is_busy(error: &dyn DatabaseError) -> bool {
    error.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some()
        && error.code().and_then(|code| code.parse::<i32>().ok()).is_some_and(|code| matches!(code & 0xff, 5 | 6))
}

pub(super) fn busy(error: &StoreError) -> bool {
    matches!(error, StoreError::Unavailable(sqlx::Error::Database(db)) if is_busy(db.as_ref()))
}

/// Runs a write again when another process held the lock past the busy timeout.
pub(super) async fn retry_busy<T, F, Fut>(mut write: F) -> Result<T, StoreError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, StoreError>>,
{
    let mut attempt = 0;
    loop {
        match write().await {
            Err(error) if busy(&error) && attempt < BUSY_RETRIES => {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(20 * u64::from(attempt))).await;
            }
            result => return result,
        }
    }
}
