//! `Key`: an API key of one account, and its type.
use super::{AccountSid, FriendlyName, KeySid, Timestamp};

/// Main keys (made only by the operator) act as their account's AuthToken; Standard keys (made
/// through the API) reach only their account's Balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    Main,
    Standard,
}

impl KeyType {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "main" => Some(Self::Main),
            "standard" => Some(Self::Standard),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Main => "main",
            Self::Standard => "standard",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub sid: KeySid,
    /// The account in whose Keys list the key was made.
    pub account: AccountSid,
    pub key_type: KeyType,
    pub friendly_name: Option<FriendlyName>,
    pub date_created: Timestamp,
    pub date_updated: Timestamp,
}
