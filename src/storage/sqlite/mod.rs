//! The SQLite backend: the zero-setup default, one file, WAL mode, one writer at a time.
use super::{
    decode_account, Access, AccountChange, AccountStore, Credential, Guard, ListQuery, NewAccount, PoolSettings,
    StoreError,
};
use crate::domain::{Account, AccountSid, AccountType, Timestamp};
use crate::representation::list::PageSlice;
use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqliteSynchronous};
use std::str::FromStr;

mod busy;
mod list;
mod rows;

pub(crate) use busy::is_busy;
use busy::retry_busy;
use rows::{from_micros, AccessRow, AccountRow};
use std::time::Duration;

const ACCOUNT_COLUMNS: &str = "sid, owner_sid, friendly_name, type, status, date_created, date_updated";
/// How long a connection waits for another process's write lock before SQLite says busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
const BUSY_RETRIES: u32 = 5;

pub struct SqliteStore {
    pool: SqlitePool,
    description: String,
    /// SQLite takes one writer at a time: this process's writers queue here rather than sleep in
    /// SQLite's busy handler (which cost hundreds of milliseconds at the 99th percentile).
    /// Other processes are still held off by the file lock and the busy timeout.
    writer: tokio::sync::Mutex<()>,
}

impl SqliteStore {
    pub async fn connect(url: &str, settings: &PoolSettings) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let file = options.get_filename().to_path_buf();
        if let Some(dir) = file.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| anyhow::anyhow!("cannot create data directory {}: {e}", dir.display()))?;
        }
        let description = format!("sqlite (file {})", file.display());
        let pool = super::pool_options(settings)
            .connect_with(options)
            .await
            .map_err(|e| anyhow::anyhow!("cannot open {description}: {e}"))?;
        Ok(Self { pool, description, writer: tokio::sync::Mutex::new(()) })
    }

    async fn try_insert_subaccount(
        &self,
        owner: &AccountSid,
        account: &NewAccount,
        limit: u32,
        guard: Option<&Guard>,
    ) -> Result<Account, StoreError> {
        // BEGIN IMMEDIATE takes the write lock first, so the cap check and the insert see one state.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let owner_type: Option<(String,)> = sqlx::query_as(
            "UPDATE accounts SET subaccount_count = subaccount_count + 1 \
             WHERE sid = ?1 AND owner_sid = sid AND subaccount_count < ?2 \
               AND (?3 IS NULL OR (auth_token_hash = ?3 AND status = 'active')) RETURNING type",
        )
        .bind(owner.as_str())
        .bind(i64::from(limit))
        .bind(guard.map(|g| g.token_hash.as_ref()))
        .fetch_optional(&mut *tx)
        .await?;
        let Some((owner_type,)) = owner_type else {
            return Err(if guard.is_some() { StoreError::Denied } else { StoreError::LimitReached });
        };
        let created = account.created_at.timestamp_micros();
        let row: AccountRow = sqlx::query_as(&format!(
            "INSERT INTO accounts (sid, owner_sid, friendly_name, type, status, auth_token_hash, date_created, \
             date_updated) VALUES (?1, ?2, ?3, ?4, 'active', ?5, ?6, ?6) RETURNING {ACCOUNT_COLUMNS}"
        ))
        .bind(account.sid.as_str())
        .bind(owner.as_str())
        .bind(account.friendly_name.as_str())
        .bind(owner_type)
        .bind(&account.token_hash)
        .bind(created)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        row.decode()
    }

    async fn try_update(
        &self,
        sid: &AccountSid,
        change: &AccountChange,
        now: Timestamp,
        guard: Option<&Guard>,
    ) -> Result<Account, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let guard_sql = crate::storage::sql::SQLITE.guard(5, 6);
        let row: Option<AccountRow> = sqlx::query_as(&format!(
            "UPDATE accounts SET \
                 friendly_name = coalesce(?2, friendly_name), \
                 status = coalesce(?3, status), \
                 date_updated = CASE \
                     WHEN friendly_name IS NOT coalesce(?2, friendly_name) OR status IS NOT coalesce(?3, status) \
                     THEN max(date_updated, ?4) ELSE date_updated END \
             WHERE sid = ?1 AND (?3 IS NULL OR status <> 'closed') \
               AND (?5 IS NULL OR ((sid = ?5 OR owner_sid = ?5) AND {guard_sql})) \
             RETURNING {ACCOUNT_COLUMNS}"
        ))
        .bind(sid.as_str())
        .bind(change.friendly_name.as_ref().map(|name| name.as_str()))
        .bind(change.status.map(|status| status.as_str()))
        .bind(now.timestamp_micros())
        .bind(guard.map(|g| g.caller.as_str()))
        .bind(guard.map(|g| g.token_hash.as_ref()))
        .fetch_optional(&mut *tx)
        .await?;
        let result = match (row, guard) {
            (Some(row), _) => row.decode(),
            (None, Some(_)) => Err(StoreError::Denied),
            (None, None) => {
                let exists: Option<(String,)> = sqlx::query_as("SELECT sid FROM accounts WHERE sid = ?1")
                    .bind(sid.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
                Err(if exists.is_some() { StoreError::Closed } else { StoreError::NotFound })
            }
        };
        tx.commit().await?;
        result
    }
}

#[async_trait]
impl AccountStore for SqliteStore {
    async fn access(&self, caller: &AccountSid, target: Option<&AccountSid>) -> Result<Option<Access>, StoreError> {
        let row: Option<AccessRow> = sqlx::query_as(
            "SELECT c.sid AS c_sid, c.owner_sid AS c_owner, c.status AS c_status, m.status AS m_status, \
                    c.auth_token_hash AS c_hash, t.sid, t.owner_sid, t.friendly_name, t.type, t.status, \
                    t.date_created, t.date_updated \
             FROM accounts c \
             JOIN accounts m ON m.sid = c.owner_sid \
             LEFT JOIN accounts t ON t.sid = ?2 AND (t.sid = c.sid OR t.owner_sid = c.sid) \
             WHERE c.sid = ?1",
        )
        .bind(caller.as_str())
        .bind(target.map(AccountSid::as_str))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let caller = Credential::decode(&row.c_sid, &row.c_owner, &row.c_status, &row.m_status, row.c_hash)?;
        let target = match (row.sid, row.owner_sid, row.friendly_name, row.account_type, row.status) {
            (Some(sid), Some(owner), Some(name), Some(kind), Some(status)) => Some(decode_account(
                &sid,
                &owner,
                &name,
                &kind,
                &status,
                from_micros(row.date_created.unwrap_or_default())?,
                from_micros(row.date_updated.unwrap_or_default())?,
            )?),
            _ => None,
        };
        Ok(Some(Access { caller, target }))
    }

    async fn insert_main(&self, account: &NewAccount, account_type: AccountType) -> Result<Account, StoreError> {
        let _writer = self.writer.lock().await;
        retry_busy(|| async {
            let row: AccountRow = sqlx::query_as(&format!(
                "INSERT INTO accounts (sid, owner_sid, friendly_name, type, status, auth_token_hash, date_created, \
                 date_updated) VALUES (?1, ?1, ?2, ?3, 'active', ?4, ?5, ?5) RETURNING {ACCOUNT_COLUMNS}"
            ))
            .bind(account.sid.as_str())
            .bind(account.friendly_name.as_str())
            .bind(account_type.as_str())
            .bind(&account.token_hash)
            .bind(account.created_at.timestamp_micros())
            .fetch_one(&self.pool)
            .await?;
            row.decode()
        })
        .await
    }

    async fn insert_subaccount(
        &self,
        owner: &AccountSid,
        account: &NewAccount,
        limit: u32,
        guard: Option<&Guard>,
    ) -> Result<Account, StoreError> {
        let _writer = self.writer.lock().await;
        retry_busy(|| self.try_insert_subaccount(owner, account, limit, guard)).await
    }

    async fn update(
        &self,
        sid: &AccountSid,
        change: &AccountChange,
        now: Timestamp,
        guard: Option<&Guard>,
    ) -> Result<Account, StoreError> {
        let _writer = self.writer.lock().await;
        retry_busy(|| self.try_update(sid, change, now, guard)).await
    }

    async fn list(&self, query: &ListQuery, guard: Option<&Guard>) -> Result<PageSlice, StoreError> {
        self.page(query, guard).await
    }

    async fn main_accounts(&self) -> Result<Vec<Account>, StoreError> {
        let rows: Vec<AccountRow> = sqlx::query_as(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE sid = owner_sid ORDER BY date_created, sid"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(AccountRow::decode).collect()
    }

    async fn set_token_hash(&self, sid: &AccountSid, token_hash: &str, now: Timestamp) -> Result<(), StoreError> {
        let _writer = self.writer.lock().await;
        retry_busy(|| async {
            let done = sqlx::query(
                "UPDATE accounts SET auth_token_hash = ?2, date_updated = max(date_updated, ?3) WHERE sid = ?1",
            )
            .bind(sid.as_str())
            .bind(token_hash)
            .bind(now.timestamp_micros())
            .execute(&self.pool)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            Ok(())
        })
        .await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn migrate(&self) -> anyhow::Result<()> {
        // SQLite has no advisory lock: when two processes start on a new file together, one
        // applies a migration while the other's copy of it fails and rolls back. Running the
        // migrator again then finds it applied.
        let migrator = sqlx::migrate!("./migrations/sqlite");
        let mut attempt = 0;
        loop {
            match migrator.run(&self.pool).await {
                Ok(()) => return Ok(()),
                Err(error) if attempt < BUSY_RETRIES => {
                    attempt += 1;
                    tracing::debug!(%error, attempt, "migration raced another process; retrying");
                    tokio::time::sleep(Duration::from_millis(50 * u64::from(attempt))).await;
                }
                Err(error) => return Err(error.into()),
            }
        }
    }

    fn pool_usage(&self) -> (u32, usize) {
        (self.pool.size(), self.pool.num_idle())
    }

    fn describe(&self) -> String {
        self.description.clone()
    }
}
