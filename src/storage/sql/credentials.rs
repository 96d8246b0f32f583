//! The one statement every authenticated request starts with.
use super::rows::{account_columns, account_columns_of};
use super::{Driver, PrincipalHint, Sql, SqlStore};
use crate::domain::{AccountSid, Currency, KeyType, Money, Principal};
use crate::storage::{Access, Credential, CredentialKind, CredentialStore, Health, StoreError, TenantFigures};
use async_trait::async_trait;
use std::sync::LazyLock;

/// How the statement is shaped: the kind of principal, what the path names, and whether the
/// credential's account is known to be a main account (then it is its own main account m, and
/// the statement reads one account row instead of joining a second).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shape {
    key: bool,
    target: Target,
    main: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// The path names no account.
    None,
    /// The path names the credential's own account: it is c (for a key, guarded by `c.sid = $2`).
    Own,
    /// Another account, read if it is c's own or one of its subaccounts.
    Other,
}

impl Shape {
    const ALL: usize = 12;

    fn index(self) -> usize {
        let target = match self.target {
            Target::None => 0,
            Target::Own => 1,
            Target::Other => 2,
        };
        target * 4 + usize::from(self.key) * 2 + usize::from(self.main)
    }

    fn from_index(index: usize) -> Self {
        let target = [Target::None, Target::Own, Target::Other][index / 4];
        Self { key: index % 4 >= 2, target, main: index % 2 == 1 }
    }

    /// The statement's text, built once per shape: it runs on every authenticated request. c is
    /// the credential's account, m its main account, t the path's account.
    fn text(self) -> &'static str {
        static TEXTS: LazyLock<Vec<String>> =
            LazyLock::new(|| (0..Shape::ALL).map(|i| Shape::from_index(i).build()).collect());
        &TEXTS[self.index()]
    }

    fn build(self) -> String {
        let (secret, from, key_column) = match self.key {
            false => ("'token' AS kind, c.auth_token_hash AS secret_hash", "accounts c", "c.sid"),
            true => (
                "k.type AS kind, k.secret_hash AS secret_hash",
                "keys k JOIN accounts c ON c.sid = k.account_sid",
                "k.sid",
            ),
        };
        let (main, main_join, main_guard) = match self.main {
            true => ("c", "", " AND c.owner_sid = c.sid"),
            false => ("m", " JOIN accounts m ON m.sid = c.owner_sid", ""),
        };
        let (target, target_join) = match self.target {
            Target::None => ("NULL AS t_sid".to_owned(), ""),
            Target::Own => (account_columns_of("c", "t"), ""),
            Target::Other => {
                (account_columns("t"), " LEFT JOIN accounts t ON t.sid = $2 AND (t.sid = c.sid OR t.owner_sid = c.sid)")
            }
        };
        // A key's own account comes from a hint: the statement checks it.
        let own_guard = if self.key && self.target == Target::Own { " AND c.sid = $2" } else { "" };
        format!(
            "SELECT c.sid AS c_sid, c.owner_sid AS c_owner, c.status AS c_status, {main}.status AS m_status, \
                    {main}.balance_cents AS m_balance, {main}.currency AS m_currency, {main}.faults_armed AS m_faults, \
                    {target}, {secret} \
             FROM {from}{main_join}{target_join} WHERE {key_column} = $1{main_guard}{own_guard}"
        )
    }
}

impl<B: Driver> SqlStore<B> {
    async fn access_row(
        &self,
        principal: &Principal,
        target: Option<&AccountSid>,
        hint: Option<&PrincipalHint>,
    ) -> Result<Option<super::Row<B>>, StoreError> {
        let key = matches!(principal, Principal::Key(_));
        let own = match principal {
            Principal::Account(sid) => Some(sid),
            Principal::Key(_) => hint.map(|hint| &hint.account),
        };
        let target_shape = match target {
            None => Target::None,
            Some(target) if Some(target) == own => Target::Own,
            Some(_) => Target::Other,
        };
        let shape = Shape { key, target: target_shape, main: hint.is_some_and(|hint| hint.main) };
        let mut params = vec![principal.as_str().into()];
        if shape.target == Target::Other || (key && shape.target == Target::Own) {
            params.push(target.map(AccountSid::as_str).into());
        }
        self.fetch_optional(&Sql::new(shape.text(), params)).await
    }
}

#[async_trait]
impl<B: Driver> CredentialStore for SqlStore<B> {
    async fn access(&self, principal: &Principal, target: Option<&AccountSid>) -> Result<Option<Access>, StoreError> {
        // What a principal was found to be holds for good (SIDs are never reused, keys never
        // change account), so a hinted statement reads fewer rows. A miss there (the principal
        // is gone) is asked again in full, so a hint can only ever cost a statement.
        let hint = self.principals.get(principal.as_str());
        let mut row = self.access_row(principal, target, hint.as_ref()).await?;
        if row.is_none() && hint.is_some() {
            row = self.access_row(principal, target, None).await?;
        }
        let Some(row) = row else { return Ok(None) };
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
        if hint.is_none() {
            let hint = PrincipalHint { account: credential.account.clone(), main: credential.is_main() };
            self.principals.insert(principal.as_str().to_owned(), hint);
        }
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
