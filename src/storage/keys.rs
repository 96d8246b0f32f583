//! The Keys resource's store, and the Balance every main account keeps.
use super::StoreError;
use crate::domain::{AccountSid, FriendlyName, Key, KeyKind, KeySid, KeyType, Money, Page, Timestamp, Window};
use async_trait::async_trait;

#[derive(Debug, Clone)]
pub struct NewKey {
    pub sid: KeySid,
    pub account: AccountSid,
    pub key_type: KeyType,
    pub friendly_name: Option<FriendlyName>,
    pub secret_hash: String,
    pub created_at: Timestamp,
}

#[async_trait]
pub trait KeyStore: Send + Sync {
    /// A new key of its account, unless that account already has `limit` (`KeyLimit`); an
    /// unknown account is `NotFound`.
    async fn insert_key(&self, key: &NewKey, limit: u32) -> Result<Key, StoreError>;

    /// The key `sid` if it is one of `account`'s keys.
    async fn key(&self, account: &AccountSid, sid: &KeySid) -> Result<Option<Key>, StoreError>;

    /// Renames one of `account`'s keys; DateUpdated moves only when the name changes.
    async fn rename_key(
        &self,
        account: &AccountSid,
        sid: &KeySid,
        friendly_name: &FriendlyName,
        now: Timestamp,
    ) -> Result<Key, StoreError>;

    /// Deletes a key (one of `account`'s, when given); `NotFound` if there is none.
    async fn delete_key(&self, account: Option<&AccountSid>, sid: &KeySid) -> Result<Key, StoreError>;

    /// One page of `account`'s keys; a page token naming no key of it is `UnknownCursor`.
    async fn list_keys(&self, account: &AccountSid, window: &Window<KeyKind>) -> Result<Page<Key>, StoreError>;

    /// Every key of `account`, oldest first (operator use).
    async fn keys_of(&self, account: &AccountSid) -> Result<Vec<Key>, StoreError>;

    /// Sets a main account's balance; `NotFound` for a subaccount or an unknown SID.
    async fn set_balance(&self, main: &AccountSid, balance: Money) -> Result<(), StoreError>;
}
