//! The request journal's store: appended in batches off the request path, read newest first.
use super::StoreError;
use crate::domain::{AccountSid, JournalCursor, JournalEntry, JournalFilter};
use async_trait::async_trait;

/// One page of the journal, and where the next one starts.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalPage {
    pub entries: Vec<JournalEntry>,
    pub next: Option<JournalCursor>,
}

#[async_trait]
pub trait JournalStore: Send + Sync {
    /// Writes a batch in one transaction.
    async fn append(&self, entries: &[JournalEntry]) -> Result<(), StoreError>;

    /// Deletes all but the tenant's newest `keep` entries.
    async fn prune(&self, tenant: &AccountSid, keep: u32) -> Result<(), StoreError>;

    /// A tenant's entries, newest first, `limit` at most, after `cursor`, among its newest `keep`
    /// (pruning runs in steps, so older ones may still be stored; they are never shown).
    async fn requests(
        &self,
        tenant: &AccountSid,
        filter: &JournalFilter,
        cursor: Option<JournalCursor>,
        limit: u32,
        keep: u32,
    ) -> Result<JournalPage, StoreError>;

    /// Empties the tenant's journal.
    async fn clear_requests(&self, tenant: &AccountSid) -> Result<(), StoreError>;
}
