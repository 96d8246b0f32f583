//! Rows into domain values, for every backend. A row that breaks the schema's rules is `Corrupt`.
use super::{Driver, Row};
use crate::domain::{Account, AccountStatus, AccountType, FriendlyName, Key, KeyType, Sid, SidKind};
use crate::storage::StoreError;

const ACCOUNT_COLUMNS: [&str; 7] =
    ["sid", "owner_sid", "friendly_name", "type", "status", "date_created", "date_updated"];

/// The columns `account(prefix)` reads, in a select list over the table aliased `prefix`.
pub(super) fn account_columns(prefix: &str) -> String {
    account_columns_of(prefix, prefix)
}

/// The same, read from the table aliased `table` (when the account is one the statement has already).
pub(super) fn account_columns_of(table: &str, prefix: &str) -> String {
    ACCOUNT_COLUMNS.map(|column| format!("{table}.{column} AS {prefix}_{column}")).join(", ")
}

/// The same columns in a RETURNING clause, which SQLite lets name columns only unqualified.
pub(super) fn account_returning(prefix: &str) -> String {
    ACCOUNT_COLUMNS.map(|column| format!("{column} AS {prefix}_{column}")).join(", ")
}

const KEY_COLUMNS: [&str; 6] = ["sid", "account_sid", "type", "friendly_name", "date_created", "date_updated"];

/// The columns `key(prefix)` reads, in a select list over the table aliased `prefix`.
pub(super) fn key_columns(prefix: &str) -> String {
    KEY_COLUMNS.map(|column| format!("{prefix}.{column} AS {prefix}_{column}")).join(", ")
}

/// The same columns in a RETURNING clause.
pub(super) fn key_returning(prefix: &str) -> String {
    KEY_COLUMNS.map(|column| format!("{column} AS {prefix}_{column}")).join(", ")
}

impl<B: Driver> Row<B> {
    pub(super) fn sid<K: SidKind>(&self, column: &str) -> Result<Sid<K>, StoreError> {
        let raw = self.text(column)?;
        Sid::parse(&raw).ok_or_else(|| StoreError::corrupt(format!("{column} {raw:?} is not a SID")))
    }

    pub(super) fn account_status(&self, column: &str) -> Result<AccountStatus, StoreError> {
        let raw = self.text(column)?;
        AccountStatus::parse(&raw).ok_or_else(|| StoreError::corrupt(format!("{column} {raw:?} is not a status")))
    }

    /// The account whose columns `account_columns(prefix)` selected.
    pub(super) fn account(&self, prefix: &str) -> Result<Account, StoreError> {
        let column = |name: &str| format!("{prefix}_{name}");
        let friendly_name = self.text(&column("friendly_name"))?;
        let account_type = self.text(&column("type"))?;
        Ok(Account {
            sid: self.sid(&column("sid"))?,
            owner: self.sid(&column("owner_sid"))?,
            friendly_name: FriendlyName::parse(&friendly_name)
                .map_err(|why| StoreError::corrupt(format!("friendly_name {friendly_name:?} {why}")))?,
            account_type: AccountType::parse(&account_type)
                .ok_or_else(|| StoreError::corrupt(format!("type {account_type:?} is not an account type")))?,
            status: self.account_status(&column("status"))?,
            date_created: self.time(&column("date_created"))?,
            date_updated: self.time(&column("date_updated"))?,
        })
    }

    /// The key whose columns `key_columns(prefix)` selected.
    pub(super) fn key(&self, prefix: &str) -> Result<Key, StoreError> {
        let column = |name: &str| format!("{prefix}_{name}");
        let key_type = self.text(&column("type"))?;
        let friendly_name = self
            .opt_text(&column("friendly_name"))?
            .map(|name| {
                FriendlyName::parse(&name).map_err(|why| StoreError::corrupt(format!("friendly_name {name:?} {why}")))
            })
            .transpose()?;
        Ok(Key {
            sid: self.sid(&column("sid"))?,
            account: self.sid(&column("account_sid"))?,
            key_type: KeyType::parse(&key_type).ok_or_else(|| StoreError::corrupt(format!("key type {key_type:?}")))?,
            friendly_name,
            date_created: self.time(&column("date_created"))?,
            date_updated: self.time(&column("date_updated"))?,
        })
    }

    /// The account of a LEFT JOIN: none when its SID is NULL; every other column must then be set.
    pub(super) fn optional_account(&self, prefix: &str) -> Result<Option<Account>, StoreError> {
        match self.opt_text(&format!("{prefix}_sid"))? {
            Some(_) => self.account(prefix).map(Some),
            None => Ok(None),
        }
    }
}

/// A stored count that must fit the domain's integers.
pub(super) fn count(value: i64, what: &str) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError::corrupt(format!("{what} {value} is negative")))
}
