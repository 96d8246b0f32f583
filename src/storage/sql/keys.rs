//! The Keys resource's statements, and the balance, written once for both backends.
use super::paging::Listing;
use super::rows::{key_columns, key_returning};
use super::{Driver, Sql, SqlStore};
use crate::domain::{AccountSid, FriendlyName, Key, KeyKind, KeySid, Money, Page, Timestamp, Window};
use crate::storage::{KeyStore, NewKey, StoreError};
use async_trait::async_trait;

#[async_trait]
impl<B: Driver> KeyStore for SqlStore<B> {
    async fn insert_key(&self, key: &NewKey, limit: u32) -> Result<Key, StoreError> {
        // The counter's update locks the account's row: concurrent creates re-check the cap.
        let claim = Sql::new(
            "UPDATE accounts SET key_count = key_count + 1 WHERE sid = $1 AND key_count < $2 RETURNING owner_sid",
            [key.account.as_str().into(), i64::from(limit).into()],
        );
        let exists = Sql::new("SELECT sid FROM accounts WHERE sid = $1", [key.account.as_str().into()]);
        let mut tx = self.begin().await?;
        let Some(claimed) = tx.fetch_optional(&claim).await? else {
            return Err(match tx.fetch_optional(&exists).await? {
                Some(_) => StoreError::KeyLimit(limit),
                None => StoreError::NotFound,
            });
        };
        let tenant = claimed.text("owner_sid")?;
        let insert = Sql::new(
            format!(
                "INSERT INTO keys (sid, account_sid, tenant_sid, type, friendly_name, secret_hash, date_created, \
                 date_updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING {}",
                key_returning("k")
            ),
            [
                key.sid.as_str().into(),
                key.account.as_str().into(),
                tenant.as_str().into(),
                key.key_type.as_str().into(),
                key.friendly_name.as_ref().map(FriendlyName::as_str).into(),
                key.secret_hash.as_str().into(),
                key.created_at.into(),
            ],
        );
        let created = tx.fetch_optional(&insert).await?.ok_or(StoreError::NotFound)?.key("k")?;
        tx.commit().await?;
        Ok(created)
    }

    async fn key(&self, account: &AccountSid, sid: &KeySid) -> Result<Option<Key>, StoreError> {
        let sql = Sql::new(
            format!("SELECT {} FROM keys k WHERE k.sid = $1 AND k.account_sid = $2", key_columns("k")),
            [sid.as_str().into(), account.as_str().into()],
        );
        self.fetch_optional(&sql).await?.map(|row| row.key("k")).transpose()
    }

    async fn rename_key(
        &self,
        account: &AccountSid,
        sid: &KeySid,
        friendly_name: &FriendlyName,
        now: Timestamp,
    ) -> Result<Key, StoreError> {
        let sql = Sql::new(
            format!(
                "UPDATE keys SET friendly_name = $3, date_updated = CASE \
                     WHEN friendly_name IS NOT NULL AND friendly_name = $3 THEN date_updated \
                     WHEN date_updated > $4 THEN date_updated ELSE $4 END \
                 WHERE sid = $1 AND account_sid = $2 RETURNING {}",
                key_returning("k")
            ),
            [sid.as_str().into(), account.as_str().into(), friendly_name.as_str().into(), now.into()],
        );
        self.write_optional(&sql).await?.ok_or(StoreError::NotFound)?.key("k")
    }

    async fn delete_key(&self, account: Option<&AccountSid>, sid: &KeySid) -> Result<Key, StoreError> {
        let delete = Sql::new(
            format!(
                "DELETE FROM keys WHERE sid = $1 AND ($2 IS NULL OR account_sid = $2) RETURNING {}",
                key_returning("k")
            ),
            [sid.as_str().into(), account.map(AccountSid::as_str).into()],
        );
        let mut tx = self.begin().await?;
        let deleted = tx.fetch_optional(&delete).await?.ok_or(StoreError::NotFound)?.key("k")?;
        let release = Sql::new(
            "UPDATE accounts SET key_count = key_count - 1 WHERE sid = $1 AND key_count > 0",
            [deleted.account.as_str().into()],
        );
        tx.execute(&release).await?;
        tx.commit().await?;
        Ok(deleted)
    }

    async fn list_keys(&self, account: &AccountSid, window: &Window<KeyKind>) -> Result<Page<Key>, StoreError> {
        let columns = key_columns("a");
        let listing = Listing {
            table: "keys",
            columns: &columns,
            scope: &|sql| {
                sql.push("a.account_sid = ").bind(account.as_str());
            },
            filters: &|_| {},
            total: None,
        };
        Ok(self.page(&listing, window, |row| row.key("a")).await?.page)
    }

    async fn keys_of(&self, account: &AccountSid) -> Result<Vec<Key>, StoreError> {
        let sql = Sql::new(
            format!("SELECT {} FROM keys k WHERE k.account_sid = $1 ORDER BY k.date_created, k.sid", key_columns("k")),
            [account.as_str().into()],
        );
        self.fetch_all(&sql).await?.iter().map(|row| row.key("k")).collect()
    }

    async fn set_balance(&self, main: &AccountSid, balance: Money) -> Result<(), StoreError> {
        let sql = Sql::new(
            "UPDATE accounts SET balance_cents = $2 WHERE sid = $1 AND owner_sid = sid",
            [main.as_str().into(), balance.cents().into()],
        );
        match self.write_execute(&sql).await? {
            0 => Err(StoreError::NotFound),
            _ => Ok(()),
        }
    }
}
