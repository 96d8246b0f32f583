//! Who a Basic-auth user is: the stored credential, its tenant's figures, and the path's account.
use super::StoreError;
use crate::domain::{Account, AccountSid, AccountStatus, Currency, KeyType, Money, Principal};
use async_trait::async_trait;

/// What a credential may do follows from its kind (see `auth::policy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialKind {
    /// An account's AuthToken.
    AuthToken,
    /// An API key of the account, by its secret.
    Key(KeyType),
}

#[derive(Debug, Clone)]
pub struct Credential {
    pub principal: Principal,
    pub kind: CredentialKind,
    /// The account the credential acts as.
    pub account: AccountSid,
    /// That account's main account: the tenant.
    pub tenant: AccountSid,
    pub account_status: AccountStatus,
    pub tenant_status: AccountStatus,
    /// argon2id PHC string; never the plaintext.
    pub secret_hash: String,
}

impl Credential {
    /// Usable only while its account and that account's main account are active.
    pub fn is_active(&self) -> bool {
        self.account_status == AccountStatus::Active && self.tenant_status == AccountStatus::Active
    }

    /// Whether the credential acts as a main account.
    pub fn is_main(&self) -> bool {
        self.account == self.tenant
    }
}

/// Figures of the credential's tenant, read in the same statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenantFigures {
    /// The main account's balance, which its subaccounts draw on too.
    pub balance: Money,
    pub currency: Currency,
    /// Whether a fault is armed: only then does a request pay for looking at faults.
    pub faults_armed: bool,
}

#[derive(Debug, Clone)]
pub struct Access {
    pub credential: Credential,
    pub tenant: TenantFigures,
    /// The account the path names, when it is the credential's account or one of its subaccounts.
    pub target: Option<Account>,
}

#[async_trait]
pub trait CredentialStore: Send + Sync {
    /// One round trip: the principal's credential, its tenant's figures, and `target` if it is
    /// within the reach of the credential's account. `None` when the principal is unknown.
    async fn access(&self, principal: &Principal, target: Option<&AccountSid>) -> Result<Option<Access>, StoreError>;
}
