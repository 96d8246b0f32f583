//! `SqlStore`: every store trait implemented once, for Postgres and for SQLite alike.
mod accounts;
mod control;
mod credentials;
pub(crate) mod dialect;
mod driver;
mod journal;
mod keys;
mod paging;
mod rows;
mod statement;
mod time;

use super::StoreError;
use crate::domain::AccountSid;
pub use dialect::Dialect;
pub use driver::{Driver, Value};
pub use statement::Sql;
use std::time::Duration;

/// How often a SQLite write is tried again when another process holds the lock past the timeout.
const BUSY_RETRIES: u32 = 5;
/// A pooled connection idle this long is pinged before it serves a query.
const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(1);

#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub max_connections: u32,
    pub acquire_timeout: Duration,
}

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

/// A row of any backend, read by column name. A NULL where the schema forbids one is `Corrupt`.
pub struct Row<B: Driver>(B::Row);

impl<B: Driver> Row<B> {
    pub fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError> {
        Ok(B::text(&self.0, column)?)
    }

    pub fn text(&self, column: &str) -> Result<String, StoreError> {
        self.opt_text(column)?.ok_or_else(|| missing(column))
    }

    pub fn opt_int(&self, column: &str) -> Result<Option<i64>, StoreError> {
        Ok(B::int(&self.0, column)?)
    }

    pub fn int(&self, column: &str) -> Result<i64, StoreError> {
        self.opt_int(column)?.ok_or_else(|| missing(column))
    }

    pub fn time(&self, column: &str) -> Result<crate::domain::Timestamp, StoreError> {
        B::time(&self.0, column)?.ok_or_else(|| missing(column))
    }

    pub fn boolean(&self, column: &str) -> Result<bool, StoreError> {
        B::boolean(&self.0, column)?.ok_or_else(|| missing(column))
    }
}

fn missing(column: &str) -> StoreError {
    StoreError::corrupt(format!("column {column} is NULL"))
}

/// The connection pool of one backend, and the write discipline it needs.
pub struct SqlStore<B: Driver> {
    pool: sqlx::Pool<B>,
    description: String,
    writer: tokio::sync::Mutex<()>,
    /// What a principal (AC or SK SID) was found to be: its account, and whether that is a main
    /// account. Neither ever changes, so later requests read fewer rows (see `credentials.rs`).
    principals: moka::sync::Cache<String, PrincipalHint>,
}

#[derive(Debug, Clone)]
pub(crate) struct PrincipalHint {
    pub account: AccountSid,
    pub main: bool,
}

/// Principals remembered; beyond it the least used go (and cost a join again).
const PRINCIPAL_HINTS: u64 = 100_000;

impl<B: Driver> SqlStore<B> {
    pub async fn connect(url: &str, settings: &PoolSettings) -> anyhow::Result<Self> {
        let (options, description) = B::options(url)?;
        // Two processes opening a new SQLite file at once race to switch it to WAL; the loser is
        // told "busy" at once, whatever the busy timeout, and simply opens it again.
        let mut attempt = 0;
        let pool = loop {
            match pool_options(settings).connect_with(options.clone()).await.map_err(StoreError::from) {
                Err(error) if error.is_busy() && attempt < BUSY_RETRIES => attempt = backoff(attempt).await,
                result => break result.map_err(|e| anyhow::anyhow!("cannot open {description}: {e}"))?,
            }
        };
        Ok(Self {
            pool,
            description,
            writer: tokio::sync::Mutex::new(()),
            principals: moka::sync::Cache::new(PRINCIPAL_HINTS),
        })
    }

    pub(crate) async fn fetch_all(&self, sql: &Sql<'_>) -> Result<Vec<Row<B>>, StoreError> {
        let mut connection = self.pool.acquire().await?;
        let rows = B::fetch_all(&mut connection, sql.query::<B>()).await?;
        Ok(rows.into_iter().map(Row).collect())
    }

    pub(crate) async fn fetch_optional(&self, sql: &Sql<'_>) -> Result<Option<Row<B>>, StoreError> {
        let mut connection = self.pool.acquire().await?;
        Ok(B::fetch_optional(&mut connection, sql.query::<B>()).await?.map(Row))
    }

    pub(crate) async fn fetch_one(&self, sql: &Sql<'_>) -> Result<Row<B>, StoreError> {
        self.fetch_optional(sql).await?.ok_or(StoreError::NotFound)
    }

    /// One write statement, atomic on its own; on SQLite it queues behind this process's other
    /// writers and is tried again while another process holds the lock.
    pub(crate) async fn write_optional(&self, sql: &Sql<'_>) -> Result<Option<Row<B>>, StoreError> {
        let _writer = self.writer().await;
        let mut attempt = 0;
        loop {
            match self.fetch_optional(sql).await {
                Err(error) if error.is_busy() && attempt < BUSY_RETRIES => attempt = backoff(attempt).await,
                result => return result,
            }
        }
    }

    pub(crate) async fn write_execute(&self, sql: &Sql<'_>) -> Result<u64, StoreError> {
        let _writer = self.writer().await;
        let mut attempt = 0;
        loop {
            let mut connection = self.pool.acquire().await?;
            match B::execute(&mut connection, sql.query::<B>()).await.map_err(StoreError::from) {
                Err(error) if error.is_busy() && attempt < BUSY_RETRIES => attempt = backoff(attempt).await,
                result => return result,
            }
        }
    }

    /// Several statements as one transaction: a concurrent reader sees all of them or none. It
    /// commits with `Tx::commit`; dropped before that, it rolls back. On SQLite the write lock is
    /// taken at BEGIN, so only BEGIN can find another process writing.
    pub(crate) async fn begin(&self) -> Result<Tx<'_, B>, StoreError> {
        let writer = self.writer().await;
        let mut attempt = 0;
        loop {
            match self.pool.begin_with(B::BEGIN_WRITE).await.map_err(StoreError::from) {
                Err(error) if error.is_busy() && attempt < BUSY_RETRIES => attempt = backoff(attempt).await,
                result => return result.map(|tx| Tx { tx, _writer: writer }),
            }
        }
    }

    /// This process's turn to write, where the backend takes one writer at a time.
    async fn writer(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match B::SERIAL_WRITES {
            true => Some(self.writer.lock().await),
            false => None,
        }
    }
}

/// Sleeps a little longer after each busy answer; returns the next attempt's number.
async fn backoff(attempt: u32) -> u32 {
    tokio::time::sleep(Duration::from_millis(20 * u64::from(attempt + 1))).await;
    attempt + 1
}

/// The statements of one transaction, holding this process's write turn until it ends.
pub struct Tx<'s, B: Driver> {
    tx: sqlx::Transaction<'static, B>,
    _writer: Option<tokio::sync::MutexGuard<'s, ()>>,
}

impl<B: Driver> Tx<'_, B> {
    pub(crate) async fn fetch_optional(&mut self, sql: &Sql<'_>) -> Result<Option<Row<B>>, StoreError> {
        Ok(B::fetch_optional(&mut self.tx, sql.query::<B>()).await?.map(Row))
    }

    pub(crate) async fn execute(&mut self, sql: &Sql<'_>) -> Result<u64, StoreError> {
        Ok(B::execute(&mut self.tx, sql.query::<B>()).await?)
    }

    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        Ok(self.tx.commit().await?)
    }
}
