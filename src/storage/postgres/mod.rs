//! The Postgres backend: for shared deployments, several instances on one database.
use super::{Access, AccountChange, AccountStore, Credential, Guard, ListQuery, NewAccount, PoolSettings, StoreError};
use crate::domain::{Account, AccountSid, AccountType, Timestamp};
use crate::representation::list::PageSlice;
use async_trait::async_trait;
use sqlx::postgres::{PgConnectOptions, PgPool};
use std::str::FromStr;

mod list;
mod rows;

use rows::{AccessRow, AccountRow};

const ACCOUNT_COLUMNS: &str = "sid, owner_sid, friendly_name, type, status, date_created, date_updated";

pub struct PostgresStore {
    pool: PgPool,
    description: String,
}

impl PostgresStore {
    pub async fn connect(url: &str, settings: &PoolSettings) -> anyhow::Result<Self> {
        let options = PgConnectOptions::from_str(url)?.application_name("twilio-emulator");
        let description = format!(
            "postgres (host {}, port {}, database {})",
            options.get_host(),
            options.get_port(),
            options.get_database().unwrap_or("default")
        );
        let pool = super::pool_options(settings)
            .connect_with(options)
            .await
            .map_err(|e| anyhow::anyhow!("cannot connect to {description}: {e}"))?;
        Ok(Self { pool, description })
    }
}

#[async_trait]
impl AccountStore for PostgresStore {
    async fn access(&self, caller: &AccountSid, target: Option<&AccountSid>) -> Result<Option<Access>, StoreError> {
        let row: Option<AccessRow> = sqlx::query_as(
            "SELECT c.sid AS c_sid, c.owner_sid AS c_owner, c.status AS c_status, m.status AS m_status, \
                    c.auth_token_hash AS c_hash, t.sid, t.owner_sid, t.friendly_name, t.type, t.status, \
                    t.date_created, t.date_updated \
             FROM accounts c \
             JOIN accounts m ON m.sid = c.owner_sid \
             LEFT JOIN accounts t ON t.sid = $2 AND (t.sid = c.sid OR t.owner_sid = c.sid) \
             WHERE c.sid = $1",
        )
        .bind(caller.as_str())
        .bind(target.map(AccountSid::as_str))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let caller = Credential::decode(&row.c_sid, &row.c_owner, &row.c_status, &row.m_status, row.c_hash)?;
        Ok(Some(Access { caller, target: row.target.decode()? }))
    }

    async fn insert_main(&self, account: &NewAccount, account_type: AccountType) -> Result<Account, StoreError> {
        let row: AccountRow = sqlx::query_as(&format!(
            "INSERT INTO accounts (sid, owner_sid, friendly_name, type, status, auth_token_hash, date_created, \
             date_updated) VALUES ($1, $1, $2, $3, 'active', $4, $5, $5) RETURNING {ACCOUNT_COLUMNS}"
        ))
        .bind(account.sid.as_str())
        .bind(account.friendly_name.as_str())
        .bind(account_type.as_str())
        .bind(&account.token_hash)
        .bind(account.created_at)
        .fetch_one(&self.pool)
        .await?;
        row.decode()
    }

    async fn insert_subaccount(
        &self,
        owner: &AccountSid,
        account: &NewAccount,
        limit: u32,
        guard: Option<&Guard>,
    ) -> Result<Account, StoreError> {
        // The counter update locks the main account's row, so concurrent creates queue on it and
        // re-check the cap: one statement, one round trip, never more than `limit`. A guard is
        // checked on that same row (a main account is its own main account).
        let row: Option<AccountRow> = sqlx::query_as(&format!(
            "WITH owner AS ( \
                 UPDATE accounts SET subaccount_count = subaccount_count + 1 \
                 WHERE sid = $2 AND owner_sid = sid AND subaccount_count < $6 \
                   AND ($7::text IS NULL OR (auth_token_hash = $7 AND status = 'active')) \
                 RETURNING type) \
             INSERT INTO accounts (sid, owner_sid, friendly_name, type, status, auth_token_hash, date_created, \
                                   date_updated) \
             SELECT $1, $2, $3, owner.type, 'active', $4, $5, $5 FROM owner RETURNING {ACCOUNT_COLUMNS}"
        ))
        .bind(account.sid.as_str())
        .bind(owner.as_str())
        .bind(account.friendly_name.as_str())
        .bind(&account.token_hash)
        .bind(account.created_at)
        .bind(i64::from(limit))
        .bind(guard.map(|g| g.token_hash.as_ref()))
        .fetch_optional(&self.pool)
        .await?;
        match (row, guard) {
            (Some(row), _) => row.decode(),
            (None, Some(_)) => Err(StoreError::Denied),
            (None, None) => Err(StoreError::LimitReached),
        }
    }

    async fn update(
        &self,
        sid: &AccountSid,
        change: &AccountChange,
        now: Timestamp,
        guard: Option<&Guard>,
    ) -> Result<Account, StoreError> {
        let guard_sql = crate::storage::sql::POSTGRES.guard(5, 6);
        let row: Option<AccountRow> = sqlx::query_as(&format!(
            "UPDATE accounts SET \
                 friendly_name = COALESCE($2, friendly_name), \
                 status = COALESCE($3, status), \
                 date_updated = CASE \
                     WHEN friendly_name IS DISTINCT FROM COALESCE($2, friendly_name) \
                       OR status IS DISTINCT FROM COALESCE($3, status) \
                     THEN GREATEST(date_updated, $4) ELSE date_updated END \
             WHERE sid = $1 AND ($3::text IS NULL OR status <> 'closed') \
               AND ($5::text IS NULL OR ((sid = $5 OR owner_sid = $5) AND {guard_sql})) \
             RETURNING {ACCOUNT_COLUMNS}"
        ))
        .bind(sid.as_str())
        .bind(change.friendly_name.as_ref().map(|name| name.as_str()))
        .bind(change.status.map(|status| status.as_str()))
        .bind(now)
        .bind(guard.map(|g| g.caller.as_str()))
        .bind(guard.map(|g| g.token_hash.as_ref()))
        .fetch_optional(&self.pool)
        .await?;
        match (row, guard) {
            (Some(row), _) => row.decode(),
            (None, Some(_)) => Err(StoreError::Denied),
            (None, None) => {
                let exists: Option<(String,)> = sqlx::query_as("SELECT sid FROM accounts WHERE sid = $1")
                    .bind(sid.as_str())
                    .fetch_optional(&self.pool)
                    .await?;
                Err(if exists.is_some() { StoreError::Closed } else { StoreError::NotFound })
            }
        }
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
        let done = sqlx::query(
            "UPDATE accounts SET auth_token_hash = $2, date_updated = GREATEST(date_updated, $3) WHERE sid = $1",
        )
        .bind(sid.as_str())
        .bind(token_hash)
        .bind(now)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn migrate(&self) -> anyhow::Result<()> {
        // sqlx holds a Postgres advisory lock while migrating, so instances may start together.
        sqlx::migrate!("./migrations/postgres").run(&self.pool).await?;
        Ok(())
    }

    fn pool_usage(&self) -> (u32, usize) {
        (self.pool.size(), self.pool.num_idle())
    }

    fn describe(&self) -> String {
        self.description.clone()
    }
}
