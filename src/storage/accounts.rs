//! The Accounts resource's store: main accounts, subaccounts, updates and the list.
use super::StoreError;
use crate::domain::{
    Account, AccountKind, AccountSid, AccountStatus, AccountType, Currency, FriendlyName, Money, Page, Timestamp,
    Window,
};
use async_trait::async_trait;

#[derive(Debug, Clone)]
pub struct NewAccount {
    pub sid: AccountSid,
    pub friendly_name: FriendlyName,
    pub token_hash: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Default)]
pub struct AccountChange {
    pub friendly_name: Option<FriendlyName>,
    pub status: Option<AccountStatus>,
}

impl AccountChange {
    pub fn is_empty(&self) -> bool {
        self.friendly_name.is_none() && self.status.is_none()
    }
}

/// What a new main account opens with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opening {
    pub balance: Money,
    pub currency: Currency,
}

/// Whose accounts a list covers: a main account's whole tenant, or one subaccount alone.
#[derive(Debug, Clone)]
pub enum AccountScope {
    Tenant(AccountSid),
    Single(AccountSid),
}

/// The list's filters; each one given narrows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountFilters {
    pub friendly_name: Option<FriendlyName>,
    pub status: Option<AccountStatus>,
}

impl AccountFilters {
    pub fn is_empty(&self) -> bool {
        self.friendly_name.is_none() && self.status.is_none()
    }
}

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// A new main account (a tenant). `Conflict` if the SID is taken.
    async fn insert_main(
        &self,
        account: &NewAccount,
        account_type: AccountType,
        opening: Opening,
    ) -> Result<Account, StoreError>;

    /// A new subaccount of `owner`, inheriting its type, unless `owner` already has `limit`.
    async fn insert_subaccount(
        &self,
        owner: &AccountSid,
        account: &NewAccount,
        limit: u32,
    ) -> Result<Account, StoreError>;

    /// Applies a change atomically; a Status change of a closed account is `Closed`.
    async fn update(&self, sid: &AccountSid, change: &AccountChange, now: Timestamp) -> Result<Account, StoreError>;

    /// One page of the list and how many accounts the list has in all, read together; a page
    /// token naming nothing in `scope` is `UnknownCursor`.
    async fn list_accounts(
        &self,
        scope: &AccountScope,
        filters: &AccountFilters,
        window: &Window<AccountKind>,
    ) -> Result<(Page<Account>, u64), StoreError>;

    /// Every main account, oldest first (operator use).
    async fn main_accounts(&self) -> Result<Vec<Account>, StoreError>;

    /// Replaces the stored token hash.
    async fn set_token_hash(&self, sid: &AccountSid, token_hash: &str, now: Timestamp) -> Result<(), StoreError>;
}
