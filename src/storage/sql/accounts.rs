//! The Accounts resource's statements, written once for both backends.
use super::paging::Listing;
use super::rows::{account_columns, account_returning, count};
use super::{Driver, Sql, SqlStore};
use crate::domain::{Account, AccountKind, AccountSid, AccountType, Page, Timestamp, Window};
use crate::storage::{AccountChange, AccountFilters, AccountScope, AccountStore, NewAccount, Opening, StoreError};
use async_trait::async_trait;

/// Which accounts a list covers.
fn push_scope<'a>(sql: &mut Sql<'a>, scope: &'a AccountScope) {
    match scope {
        AccountScope::Tenant(main) => sql.push("a.owner_sid = ").bind(main.as_str()),
        AccountScope::Single(sub) => sql.push("a.sid = ").bind(sub.as_str()),
    };
}

/// The filters given, each narrowing the list.
fn push_filters<'a>(sql: &mut Sql<'a>, filters: &'a AccountFilters) {
    if let Some(name) = &filters.friendly_name {
        sql.push(" AND a.friendly_name = ").bind(name.as_str());
    }
    if let Some(status) = filters.status {
        sql.push(" AND a.status = ").bind(status.as_str());
    }
}

/// How many accounts a list has. The unfiltered total of a tenant is the main account and its
/// counted subaccounts: one row read, not the tenant's index.
fn push_total<'a>(sql: &mut Sql<'a>, scope: &'a AccountScope, filters: &'a AccountFilters) {
    match (scope, filters.is_empty()) {
        (AccountScope::Tenant(main), true) => {
            sql.push("SELECT m.subaccount_count + 1 FROM accounts m WHERE m.sid = ").bind(main.as_str());
        }
        _ => {
            sql.push("SELECT count(*) FROM accounts a WHERE ");
            push_scope(sql, scope);
            push_filters(sql, filters);
        }
    }
}

/// A new active account owned by `owner` (itself, for a main account).
fn insert<'a>(account: &'a NewAccount, owner: &'a AccountSid, account_type: &'a str) -> Sql<'a> {
    Sql::new(
        format!(
            "INSERT INTO accounts (sid, owner_sid, friendly_name, type, status, auth_token_hash, date_created, \
             date_updated) VALUES ($1, $2, $3, $4, 'active', $5, $6, $6) RETURNING {}",
            account_returning("a")
        ),
        [
            account.sid.as_str().into(),
            owner.as_str().into(),
            account.friendly_name.as_str().into(),
            account_type.into(),
            account.token_hash.as_str().into(),
            account.created_at.into(),
        ],
    )
}

fn select(columns: &str) -> String {
    format!("SELECT {columns} FROM accounts a WHERE ")
}

#[async_trait]
impl<B: Driver> AccountStore for SqlStore<B> {
    async fn insert_main(
        &self,
        account: &NewAccount,
        account_type: AccountType,
        opening: Opening,
    ) -> Result<Account, StoreError> {
        let mut tx = self.begin().await?;
        let insert = insert(account, &account.sid, account_type.as_str());
        let created = tx.fetch_optional(&insert).await?.ok_or(StoreError::NotFound)?.account("a")?;
        let open = Sql::new(
            "UPDATE accounts SET balance_cents = $2, currency = $3 WHERE sid = $1",
            [account.sid.as_str().into(), opening.balance.cents().into(), opening.currency.as_str().into()],
        );
        tx.execute(&open).await?;
        tx.commit().await?;
        Ok(created)
    }

    async fn insert_subaccount(
        &self,
        owner: &AccountSid,
        account: &NewAccount,
        limit: u32,
    ) -> Result<Account, StoreError> {
        // The counter's update locks the main account's row, so concurrent creates queue on it
        // and re-check the cap: never more than `limit`.
        let claim = Sql::new(
            "UPDATE accounts SET subaccount_count = subaccount_count + 1 \
             WHERE sid = $1 AND owner_sid = sid AND subaccount_count < $2 RETURNING type",
            [owner.as_str().into(), i64::from(limit).into()],
        );
        let mut tx = self.begin().await?;
        let Some(claimed) = tx.fetch_optional(&claim).await? else {
            return Err(StoreError::SubaccountLimit(limit));
        };
        let owner_type = claimed.text("type")?;
        let insert = insert(account, owner, &owner_type);
        let created = tx.fetch_optional(&insert).await?.ok_or(StoreError::NotFound)?.account("a")?;
        tx.commit().await?;
        Ok(created)
    }

    async fn update(&self, sid: &AccountSid, change: &AccountChange, now: Timestamp) -> Result<Account, StoreError> {
        let sql = Sql::new(
            format!(
                "UPDATE accounts SET \
                     friendly_name = COALESCE($2, friendly_name), \
                     status = COALESCE($3, status), \
                     date_updated = CASE \
                         WHEN friendly_name <> COALESCE($2, friendly_name) OR status <> COALESCE($3, status) \
                         THEN CASE WHEN date_updated > $4 THEN date_updated ELSE $4 END \
                         ELSE date_updated END \
                 WHERE sid = $1 AND ($3 IS NULL OR status <> 'closed') RETURNING {}",
                account_returning("a")
            ),
            [
                sid.as_str().into(),
                change.friendly_name.as_ref().map(|name| name.as_str()).into(),
                change.status.map(|status| status.as_str()).into(),
                now.into(),
            ],
        );
        if let Some(row) = self.write_optional(&sql).await? {
            return row.account("a");
        }
        let exists = Sql::new("SELECT sid FROM accounts WHERE sid = $1", [sid.as_str().into()]);
        Err(match self.fetch_optional(&exists).await? {
            Some(_) => StoreError::Closed,
            None => StoreError::NotFound,
        })
    }

    async fn list_accounts(
        &self,
        scope: &AccountScope,
        filters: &AccountFilters,
        window: &Window<AccountKind>,
    ) -> Result<(Page<Account>, u64), StoreError> {
        let columns = account_columns("a");
        let listing = Listing {
            table: "accounts",
            columns: &columns,
            scope: &|sql| push_scope(sql, scope),
            filters: &|sql| push_filters(sql, filters),
            total: Some(&|sql| push_total(sql, scope, filters)),
        };
        let counted = self.page(&listing, window, |row| row.account("a")).await?;
        let total = match counted.total {
            Some(total) => total,
            None => {
                let mut sql = Sql::new("SELECT (", []);
                push_total(&mut sql, scope, filters);
                sql.push(") AS total");
                self.fetch_one(&sql).await?.int("total")?
            }
        };
        Ok((counted.page, count(total, "total")?))
    }

    async fn main_accounts(&self) -> Result<Vec<Account>, StoreError> {
        let sql = Sql::new(
            format!("{} a.sid = a.owner_sid ORDER BY a.date_created, a.sid", select(&account_columns("a"))),
            [],
        );
        self.fetch_all(&sql).await?.iter().map(|row| row.account("a")).collect()
    }

    async fn set_token_hash(&self, sid: &AccountSid, token_hash: &str, now: Timestamp) -> Result<(), StoreError> {
        let sql = Sql::new(
            "UPDATE accounts SET auth_token_hash = $2, \
                 date_updated = CASE WHEN date_updated > $3 THEN date_updated ELSE $3 END \
             WHERE sid = $1",
            [sid.as_str().into(), token_hash.into(), now.into()],
        );
        match self.write_execute(&sql).await? {
            0 => Err(StoreError::NotFound),
            _ => Ok(()),
        }
    }
}
