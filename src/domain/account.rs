//! `Account`: one stored account, as every representation sees it.
use super::{AccountSid, AccountStatus, AccountType, FriendlyName};
use chrono::{DateTime, Utc};

/// Stored instants keep microseconds so list order is stable across pages.
pub type Timestamp = DateTime<Utc>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub sid: AccountSid,
    pub owner: AccountSid,
    pub friendly_name: FriendlyName,
    pub account_type: AccountType,
    pub status: AccountStatus,
    pub date_created: Timestamp,
    pub date_updated: Timestamp,
}

impl Account {
    /// A main account owns itself.
    pub fn is_main(&self) -> bool {
        self.sid == self.owner
    }
}
