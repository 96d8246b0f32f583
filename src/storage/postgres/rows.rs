//! Rows as Postgres returns them, and their decoding into domain values.
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
    date_created: Timestamp,
    date_updated: Timestamp,
}

impl AccountRow {
    pub(super) fn decode(self) -> Result<Account, StoreError> {
        decode_account(
            &self.sid,
            &self.owner_sid,
            &self.friendly_name,
            &self.account_type,
            &self.status,
            self.date_created,
            self.date_updated,
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
    #[sqlx(flatten)]
    pub(super) target: OptionalAccountRow,
}

#[derive(sqlx::FromRow)]
pub(super) struct OptionalAccountRow {
    sid: Option<String>,
    owner_sid: Option<String>,
    friendly_name: Option<String>,
    #[sqlx(rename = "type")]
    account_type: Option<String>,
    status: Option<String>,
    date_created: Option<Timestamp>,
    date_updated: Option<Timestamp>,
}

impl OptionalAccountRow {
    pub(super) fn decode(self) -> Result<Option<Account>, StoreError> {
        match (self.sid, self.owner_sid, self.friendly_name, self.account_type, self.status) {
            (Some(sid), Some(owner), Some(name), Some(kind), Some(status)) => Ok(Some(decode_account(
                &sid,
                &owner,
                &name,
                &kind,
                &status,
                self.date_created.unwrap_or_default(),
                self.date_updated.unwrap_or_default(),
            )?)),
            _ => Ok(None),
        }
    }
}
