//! Rows as SQLite returns them (instants as microseconds), and their decoding into domain values.
use crate::domain::{Account, Timestamp};
use crate::storage::{decode_account, StoreError};

#[derive(sqlx::FromRow)]
pub(super) struct AccountRow {
    sid: String,
    owner_sid: String,
    friendly_name: String,
    #[sqlx(rename = "type")]
    account_type: String,
    status: String,
    date_created: i64,
    date_updated: i64,
}

impl AccountRow {
    pub(super) fn decode(self) -> Result<Account, StoreError> {
        decode_account(
            &self.sid,
            &self.owner_sid,
            &self.friendly_name,
            &self.account_type,
            &self.status,
            from_micros(self.date_created)?,
            from_micros(self.date_updated)?,
        )
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct AccessRow {
    pub(super) c_sid: String,
    pub(super) c_owner: String,
    pub(super) c_status: String,
    pub(super) m_status: String,
    pub(super) c_hash: String,
    pub(super) sid: Option<String>,
    pub(super) owner_sid: Option<String>,
    pub(super) friendly_name: Option<String>,
    #[sqlx(rename = "type")]
    pub(super) account_type: Option<String>,
    pub(super) status: Option<String>,
    pub(super) date_created: Option<i64>,
    pub(super) date_updated: Option<i64>,
}

pub(super) fn from_micros(micros: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_timestamp_micros(micros)
        .ok_or_else(|| StoreError::Other(sqlx::Error::Decode("stored instant out of range".into())))
}
