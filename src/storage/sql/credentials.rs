//! The one statement every authenticated request starts with.
use super::rows::account_columns;
use super::{Driver, Sql, SqlStore};
use crate::domain::{AccountSid, Currency, KeyType, Money, Principal};
use crate::storage::{Access, Credential, CredentialKind, CredentialStore, Health, StoreError, TenantFigures};
use async_trait::async_trait;

/// Where a principal's secret is kept: an account's AuthToken, or a key of the account `c`.
fn source(principal: &Principal) -> (&'static str, &'static str, &str) {
    match principal {
        Principal::Account(sid) => {
            ("'token' AS kind, c.auth_token_hash AS secret_hash FROM accounts c", "c.sid", sid.as_str())
        }
        Principal::Key(sid) => (
            "k.type AS kind, k.secret_hash AS secret_hash FROM keys k JOIN accounts c ON c.sid = k.account_sid",
            "k.sid",
            sid.as_str(),
        ),
    }
}

#[async_trait]
impl<B: Driver> CredentialStore for SqlStore<B> {
    async fn access(&self, principal: &Principal, target: Option<&AccountSid>) -> Result<Option<Access>, StoreError> {
        let (secret, key_column, key) = source(principal);
        // c: the credential's account, m: its main account, t: the path's account if within c's reach.
        let sql = Sql::new(
            format!(
                "SELECT c.sid AS c_sid, c.owner_sid AS c_owner, c.status AS c_status, m.status AS m_status, \
                        m.balance_cents AS m_balance, m.currency AS m_currency, \
                        EXISTS (SELECT 1 FROM faults f WHERE f.tenant_sid = m.sid AND f.remaining > 0) AS m_faults, \
                        {}, {secret} \
                 JOIN accounts m ON m.sid = c.owner_sid \
                 LEFT JOIN accounts t ON t.sid = $2 AND (t.sid = c.sid OR t.owner_sid = c.sid) \
                 WHERE {key_column} = $1",
                account_columns("t")
            ),
            [key.into(), target.map(AccountSid::as_str).into()],
        );
        let Some(row) = self.fetch_optional(&sql).await? else { return Ok(None) };
        let kind = match row.text("kind")?.as_str() {
            "token" => CredentialKind::AuthToken,
            other => CredentialKind::Key(
                KeyType::parse(other).ok_or_else(|| StoreError::corrupt(format!("key type {other:?}")))?,
            ),
        };
        let credential = Credential {
            principal: principal.clone(),
            kind,
            account: row.sid("c_sid")?,
            tenant: row.sid("c_owner")?,
            account_status: row.account_status("c_status")?,
            tenant_status: row.account_status("m_status")?,
            secret_hash: row.text("secret_hash")?,
        };
        let balance = row.int("m_balance")?;
        let currency = row.text("m_currency")?;
        let tenant = TenantFigures {
            balance: Money::from_cents(balance).ok_or_else(|| StoreError::corrupt(format!("balance {balance}")))?,
            currency: Currency::parse(&currency)
                .ok_or_else(|| StoreError::corrupt(format!("currency {currency:?}")))?,
            faults_armed: row.boolean("m_faults")?,
        };
        Ok(Some(Access { credential, tenant, target: row.optional_account("t")? }))
    }
}

#[async_trait]
impl<B: Driver> Health for SqlStore<B> {
    async fn ping(&self) -> Result<(), StoreError> {
        self.fetch_one(&Sql::new("SELECT 1 AS one", [])).await.map(drop)
    }

    fn pool_usage(&self) -> (u32, usize) {
        (self.pool.size(), self.pool.num_idle())
    }

    async fn migrate(&self) -> anyhow::Result<()> {
        B::migrate(&self.pool).await
    }

    fn describe(&self) -> String {
        self.description.clone()
    }
}
