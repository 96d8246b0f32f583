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
    /// Inserts a batch of journal entries given as one JSON array (`$1`) of objects with the
    /// journal's columns, the date as `date_us` (microseconds): one statement text and one
    /// parameter whatever the batch's size, so it is prepared once.
    const JOURNAL_INSERT: &'static str;

    /// How to connect to `url`, and a description of it without any password.
    fn options(url: &str) -> anyhow::Result<(ConnectOptions<Self>, String)>;
    fn migrate(pool: &Pool<Self>) -> BoxFuture<'_, anyhow::Result<()>>;
    fn rows_affected(done: &Self::QueryResult) -> u64;
}

impl Dialect for Postgres {
    const BEGIN_WRITE: &'static str = "BEGIN";
    const SERIAL_WRITES: bool = false;
    const JOURNAL_INSERT: &'static str = "INSERT INTO journal (tenant_sid, request_id, date, method, path, query, \
            params, status, code, latency_us, credential, fault) \
        SELECT r.tenant_sid, r.request_id, timestamptz 'epoch' + r.date_us * interval '1 microsecond', r.method, \
               r.path, r.query, r.params, r.status, r.code, r.latency_us, r.credential, r.fault \
        FROM json_to_recordset($1::json) AS r(tenant_sid text, request_id text, date_us bigint, method text, \
             path text, query text, params text, status bigint, code bigint, latency_us bigint, credential text, \
             fault text)";

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
    const JOURNAL_INSERT: &'static str = "INSERT INTO journal (tenant_sid, request_id, date, method, path, query, \
            params, status, code, latency_us, credential, fault) \
        SELECT value ->> 'tenant_sid', value ->> 'request_id', value ->> 'date_us', value ->> 'method', \
               value ->> 'path', value ->> 'query', value ->> 'params', value ->> 'status', value ->> 'code', \
               value ->> 'latency_us', value ->> 'credential', value ->> 'fault' \
        FROM json_each($1)";

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
