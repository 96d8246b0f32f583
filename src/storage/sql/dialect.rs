//! Where Postgres and SQLite differ: connecting, migrations, taking the write lock, and "busy".
//! (How instants are stored is in `time.rs`.) Everything else is written once for both.
use futures_util::future::BoxFuture;
use sqlx::error::DatabaseError;
use sqlx::postgres::{PgConnectOptions, PgQueryResult};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteQueryResult, SqliteSynchronous};
use sqlx::{Pool, Postgres, Sqlite};
use std::str::FromStr;
use std::time::Duration;

/// How long a SQLite connection waits for another process's write lock before it says busy.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// What a backend's connections are opened with.
pub type ConnectOptions<DB> = <<DB as sqlx::Database>::Connection as sqlx::Connection>::Options;

pub trait Dialect: sqlx::Database + Sized {
    /// Opens the transaction of a multi-statement write; SQLite takes the write lock up front so
    /// that the statements inside see one state.
    const BEGIN_WRITE: &'static str;
    /// SQLite takes one writer at a time: this process's writers queue in-process rather than
    /// sleep in SQLite's busy handler (which cost hundreds of milliseconds at the 99th percentile).
    const SERIAL_WRITES: bool;
    /// Journal entries one INSERT carries. sqlx binds a SQLite parameter by looking up its name,
    /// a scan of all of them, so binding costs the square of their number there: 8 rows (96
    /// parameters) measured cheapest. Postgres binds by position and prefers fewer round trips.
    const JOURNAL_ROWS_PER_INSERT: usize;
    /// How to connect to `url`, and a description of it without any password.
    fn options(url: &str) -> anyhow::Result<(ConnectOptions<Self>, String)>;
    fn migrate(pool: &Pool<Self>) -> BoxFuture<'_, anyhow::Result<()>>;
    fn rows_affected(done: &Self::QueryResult) -> u64;
}

impl Dialect for Postgres {
    const BEGIN_WRITE: &'static str = "BEGIN";
    const SERIAL_WRITES: bool = false;
    const JOURNAL_ROWS_PER_INSERT: usize = 256;
    fn options(url: &str) -> anyhow::Result<(PgConnectOptions, String)> {
        let options = PgConnectOptions::from_str(url)?.application_name("twilio-emulator");
        let description = format!(
            "postgres (host {}, port {}, database {})",
            options.get_host(),
            options.get_port(),
            options.get_database().unwrap_or("default")
        );
        Ok((options, description))
    }

    fn migrate(pool: &Pool<Self>) -> BoxFuture<'_, anyhow::Result<()>> {
        // sqlx holds a Postgres advisory lock while migrating, so instances may start together.
        Box::pin(async move { Ok(sqlx::migrate!("./migrations/postgres").run(pool).await?) })
    }

    fn rows_affected(done: &PgQueryResult) -> u64 {
        done.rows_affected()
    }
}

impl Dialect for Sqlite {
    const BEGIN_WRITE: &'static str = "BEGIN IMMEDIATE";
    const SERIAL_WRITES: bool = true;
    const JOURNAL_ROWS_PER_INSERT: usize = 8;
    fn options(url: &str) -> anyhow::Result<(SqliteConnectOptions, String)> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(SQLITE_BUSY_TIMEOUT);
        let file = options.get_filename().to_path_buf();
        if let Some(dir) = file.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| anyhow::anyhow!("cannot create data directory {}: {e}", dir.display()))?;
        }
        Ok((options, format!("sqlite (file {})", file.display())))
    }

    fn migrate(pool: &Pool<Self>) -> BoxFuture<'_, anyhow::Result<()>> {
        // SQLite has no advisory lock: when two processes start on a new file together, one
        // applies a migration while the other's copy of it fails and rolls back. Running the
        // migrator again then finds it applied.
        Box::pin(async move {
            let migrator = sqlx::migrate!("./migrations/sqlite");
            let mut attempt = 0;
            loop {
                match migrator.run(pool).await {
                    Ok(()) => return Ok(()),
                    Err(error) if attempt < super::BUSY_RETRIES => {
                        attempt += 1;
                        tracing::debug!(%error, attempt, "migration raced another process; retrying");
                        tokio::time::sleep(Duration::from_millis(50 * u64::from(attempt))).await;
                    }
                    Err(error) => return Err(error.into()),
                }
            }
        })
    }

    fn rows_affected(done: &SqliteQueryResult) -> u64 {
        done.rows_affected()
    }
}

/// SQLITE_BUSY and SQLITE_LOCKED, with their extended codes: another writer holds the lock.
pub(crate) fn is_sqlite_busy(error: &dyn DatabaseError) -> bool {
    error.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some()
        && error.code().and_then(|code| code.parse::<i32>().ok()).is_some_and(|code| matches!(code & 0xff, 5 | 6))
}
