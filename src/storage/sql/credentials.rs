//! The one statement every authenticated request starts with.
use super::rows::{account_columns, count};
use super::{Driver, Sql, SqlStore};
use crate::domain::{AccountSid, Principal};
use crate::storage::{Access, Credential, CredentialKind, CredentialStore, Health, StoreError, TenantFigures};
use async_trait::async_trait;

#[async_trait]
impl<B: Driver> CredentialStore for SqlStore<B> {
    async fn access(&self, principal: &Principal, target: Option<&AccountSid>) -> Result<Option<Access>, StoreError> {
        let Principal::Account(sid) = principal;
        // c: the credential's account, m: its main account, t: the path's account if within c's reach.
        let sql = Sql::new(
            format!(
                "SELECT c.owner_sid AS c_owner, c.status AS c_status, c.auth_token_hash AS c_hash, \
                        m.status AS m_status, m.subaccount_count AS m_subaccounts, {} \
                 FROM accounts c \
                 JOIN accounts m ON m.sid = c.owner_sid \
                 LEFT JOIN accounts t ON t.sid = $2 AND (t.sid = c.sid OR t.owner_sid = c.sid) \
                 WHERE c.sid = $1",
                account_columns("t")
            ),
            [sid.as_str().into(), target.map(AccountSid::as_str).into()],
        );
        let Some(row) = self.fetch_optional(&sql).await? else { return Ok(None) };
        let credential = Credential {
            principal: principal.clone(),
            kind: CredentialKind::AuthToken,
            account: sid.clone(),
            tenant: row.sid("c_owner")?,
            account_status: row.account_status("c_status")?,
            tenant_status: row.account_status("m_status")?,
            secret_hash: row.text("c_hash")?,
        };
        let tenant = TenantFigures { subaccounts: count(row.int("m_subaccounts")?, "subaccount_count")? };
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
