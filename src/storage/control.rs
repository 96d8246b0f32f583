//! The tenant's control plane: reset, snapshots and faults, each one atomic.
use super::StoreError;
use crate::domain::{AccountSid, Fault, FaultId, SnapshotName, TakenFault, Timestamp};
use async_trait::async_trait;

/// What a reset removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResetReport {
    pub subaccounts_deleted: u64,
    pub keys_deleted: u64,
    pub faults_disarmed: u64,
}

/// A saved state of a tenant, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotInfo {
    pub name: SnapshotName,
    pub date_created: Timestamp,
    pub subaccounts: u64,
    pub keys: u64,
}

#[async_trait]
pub trait ControlStore: Send + Sync {
    /// Deletes every subaccount (their keys with them) and every Standard key of the main account,
    /// and disarms every fault; the main account, its Main keys, snapshots and journal stay.
    async fn reset(&self, tenant: &AccountSid) -> Result<ResetReport, StoreError>;

    /// Saves the tenant as `name`, replacing a snapshot of that name (then `true`). A new name past
    /// `limit` snapshots is `SnapshotLimit`.
    async fn save_snapshot(
        &self,
        tenant: &AccountSid,
        name: &SnapshotName,
        now: Timestamp,
        limit: u32,
    ) -> Result<(SnapshotInfo, bool), StoreError>;

    /// The tenant's snapshots, newest first.
    async fn snapshots(&self, tenant: &AccountSid) -> Result<Vec<SnapshotInfo>, StoreError>;

    /// Makes the tenant exactly the snapshot (its main account's SID, token, status and Main keys
    /// aside) and disarms every fault. `NotFound` for an unknown name.
    async fn restore_snapshot(
        &self,
        tenant: &AccountSid,
        name: &SnapshotName,
        now: Timestamp,
    ) -> Result<SnapshotInfo, StoreError>;

    async fn delete_snapshot(&self, tenant: &AccountSid, name: &SnapshotName) -> Result<(), StoreError>;

    /// Arms a fault, unless `limit` are armed already (`FaultLimit`).
    async fn arm_fault(&self, tenant: &AccountSid, fault: &Fault, limit: u32) -> Result<Fault, StoreError>;

    /// The armed faults (remaining above 0), oldest first.
    async fn faults(&self, tenant: &AccountSid) -> Result<Vec<Fault>, StoreError>;

    /// Disarms one fault (`NotFound` if it is not armed) or all; how many were armed.
    async fn disarm_faults(&self, tenant: &AccountSid, id: Option<&FaultId>) -> Result<u64, StoreError>;

    /// The oldest armed fault matching the request takes it and counts one down; exactly `count`
    /// requests are taken in all, across instances.
    async fn take_fault(&self, tenant: &AccountSid, method: &str, path: &str)
        -> Result<Option<TakenFault>, StoreError>;
}
