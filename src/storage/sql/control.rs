//! The control plane's statements: reset, snapshots and faults, each action one transaction that
//! first locks the tenant's main row, so concurrent actions (and subaccount creates, which lock
//! the same row) see the tenant before or after, never a mix.
use super::rows::count;
use super::{Driver, Row, Sql, SqlStore, Tx};
use crate::domain::{AccountSid, Fault, FaultId, FaultMethod, FaultSpec, SnapshotName, TakenFault, Timestamp};
use crate::storage::{ControlStore, ResetReport, SnapshotInfo, StoreError};
use async_trait::async_trait;

/// The keys a reset removes and a snapshot holds: all of the tenant's but the main account's Main keys.
const TENANT_KEYS: &str = "tenant_sid = $1 AND NOT (account_sid = $1 AND type = 'main')";

impl<B: Driver> SqlStore<B> {
    /// Opens a control-plane action: the transaction, holding the tenant's main row.
    async fn lock_tenant(&self, tenant: &AccountSid) -> Result<(Tx<'_, B>, Row<B>), StoreError> {
        let mut tx = self.begin().await?;
        let lock = Sql::new(
            "UPDATE accounts SET subaccount_count = subaccount_count WHERE sid = $1 AND owner_sid = sid \
             RETURNING friendly_name, balance_cents, date_updated",
            [tenant.as_str().into()],
        );
        let main = tx.fetch_optional(&lock).await?.ok_or(StoreError::NotFound)?;
        Ok((tx, main))
    }
}

/// Sets the tenant's "a fault is armed" flag from its faults, in a transaction that holds its row.
async fn refresh_faults_flag<B: Driver>(tx: &mut Tx<'_, B>, tenant: &AccountSid) -> Result<(), StoreError> {
    let sql = Sql::new(
        "UPDATE accounts SET faults_armed = EXISTS (SELECT 1 FROM faults f WHERE f.tenant_sid = $1 AND f.remaining > 0) \
         WHERE sid = $1",
        [tenant.as_str().into()],
    );
    tx.execute(&sql).await.map(drop)
}

/// Removes what a reset and a restore both remove; how many keys and armed faults went.
async fn clear_tenant<B: Driver>(tx: &mut Tx<'_, B>, tenant: &AccountSid) -> Result<(u64, u64, u64), StoreError> {
    let sid = || [tenant.as_str().into()];
    let keys = tx.execute(&Sql::new(format!("DELETE FROM keys WHERE {TENANT_KEYS}"), sid())).await?;
    let subaccounts = tx.execute(&Sql::new("DELETE FROM accounts WHERE owner_sid = $1 AND sid <> $1", sid())).await?;
    let faults = tx.execute(&Sql::new("DELETE FROM faults WHERE tenant_sid = $1 AND remaining > 0", sid())).await?;
    tx.execute(&Sql::new("DELETE FROM faults WHERE tenant_sid = $1", sid())).await?;
    refresh_faults_flag(tx, tenant).await?;
    Ok((subaccounts, keys, faults))
}

/// The counters kept on account rows, recounted after rows came and went in bulk.
async fn recount<B: Driver>(tx: &mut Tx<'_, B>, tenant: &AccountSid) -> Result<(), StoreError> {
    let sid = || [tenant.as_str().into()];
    let subaccounts = "UPDATE accounts SET subaccount_count = \
                           (SELECT count(*) FROM accounts s WHERE s.owner_sid = $1 AND s.sid <> $1) WHERE sid = $1";
    tx.execute(&Sql::new(subaccounts, sid())).await?;
    let keys = "UPDATE accounts SET key_count = (SELECT count(*) FROM keys k WHERE k.account_sid = accounts.sid) \
                WHERE owner_sid = $1";
    tx.execute(&Sql::new(keys, sid())).await?;
    Ok(())
}

fn snapshot_info<B: Driver>(row: &Row<B>) -> Result<SnapshotInfo, StoreError> {
    let name = row.text("name")?;
    Ok(SnapshotInfo {
        name: SnapshotName::parse(&name).ok_or_else(|| StoreError::corrupt(format!("snapshot name {name:?}")))?,
        date_created: row.time("date_created")?,
        subaccounts: count(row.int("subaccounts")?, "subaccounts")?,
        keys: count(row.int("keys")?, "keys")?,
    })
}

const FAULT_COLUMNS: &str = "id, status, code, count, remaining, method, path, delay_ms, date_created";

fn small(value: Option<i64>, what: &str) -> Result<Option<u32>, StoreError> {
    value.map(|v| u32::try_from(v).map_err(|_| StoreError::corrupt(format!("{what} {v}")))).transpose()
}

fn fault<B: Driver>(row: &Row<B>) -> Result<Fault, StoreError> {
    let method = row.opt_text("method")?;
    let number = |column: &str| small(Some(row.int(column)?), column).map(|n| n.unwrap_or_default());
    Ok(Fault {
        id: row.sid("id")?,
        spec: FaultSpec {
            status: small(row.opt_int("status")?, "status")?.map(|s| s as u16),
            code: small(row.opt_int("code")?, "code")?,
            count: number("count")?,
            method: method
                .map(|m| FaultMethod::parse(&m).ok_or_else(|| StoreError::corrupt(format!("method {m:?}"))))
                .transpose()?,
            path: row.opt_text("path")?,
            delay_ms: number("delay_ms")?,
        },
        remaining: number("remaining")?,
        date_created: row.time("date_created")?,
    })
}

#[async_trait]
impl<B: Driver> ControlStore for SqlStore<B> {
    async fn reset(&self, tenant: &AccountSid) -> Result<ResetReport, StoreError> {
        let (mut tx, _) = self.lock_tenant(tenant).await?;
        // Keys go before their subaccounts, so the count holds the subaccounts' keys too.
        let (subaccounts_deleted, keys_deleted, faults_disarmed) = clear_tenant(&mut tx, tenant).await?;
        recount(&mut tx, tenant).await?;
        tx.commit().await?;
        Ok(ResetReport { subaccounts_deleted, keys_deleted, faults_disarmed })
    }

    async fn save_snapshot(
        &self,
        tenant: &AccountSid,
        name: &SnapshotName,
        now: Timestamp,
        limit: u32,
    ) -> Result<(SnapshotInfo, bool), StoreError> {
        let (mut tx, main) = self.lock_tenant(tenant).await?;
        let key = || [tenant.as_str().into(), name.as_str().into()];
        let delete = Sql::new("DELETE FROM snapshots WHERE tenant_sid = $1 AND name = $2", key());
        let replaced = tx.execute(&delete).await? > 0;
        if !replaced {
            let held = Sql::new("SELECT count(*) AS n FROM snapshots WHERE tenant_sid = $1", [tenant.as_str().into()]);
            if tx.fetch_optional(&held).await?.ok_or(StoreError::NotFound)?.int("n")? >= i64::from(limit) {
                return Err(StoreError::SnapshotLimit(limit));
            }
        }
        let header = Sql::new(
            "INSERT INTO snapshots (tenant_sid, name, date_created, friendly_name, balance_cents, subaccounts, keys) \
             VALUES ($1, $2, $3, $4, $5, 0, 0)",
            [
                tenant.as_str().into(),
                name.as_str().into(),
                now.into(),
                main.text("friendly_name")?.into(),
                main.int("balance_cents")?.into(),
            ],
        );
        tx.execute(&header).await?;
        let accounts = Sql::new(
            "INSERT INTO snapshot_accounts (tenant_sid, snapshot, sid, friendly_name, type, status, auth_token_hash, \
                                            date_created, date_updated) \
             SELECT $1, $2, sid, friendly_name, type, status, auth_token_hash, date_created, date_updated \
             FROM accounts WHERE owner_sid = $1 AND sid <> $1",
            key(),
        );
        let subaccounts = tx.execute(&accounts).await?;
        let keys = Sql::new(
            format!(
                "INSERT INTO snapshot_keys (tenant_sid, snapshot, sid, account_sid, type, friendly_name, secret_hash, \
                                            date_created, date_updated) \
                 SELECT $1, $2, sid, account_sid, type, friendly_name, secret_hash, date_created, date_updated \
                 FROM keys WHERE {TENANT_KEYS}"
            ),
            key(),
        );
        let keys = tx.execute(&keys).await?;
        let counts = Sql::new(
            "UPDATE snapshots SET subaccounts = $3, keys = $4 WHERE tenant_sid = $1 AND name = $2",
            [tenant.as_str().into(), name.as_str().into(), (subaccounts as i64).into(), (keys as i64).into()],
        );
        tx.execute(&counts).await?;
        tx.commit().await?;
        Ok((SnapshotInfo { name: name.clone(), date_created: now, subaccounts, keys }, replaced))
    }

    async fn snapshots(&self, tenant: &AccountSid) -> Result<Vec<SnapshotInfo>, StoreError> {
        let sql = Sql::new(
            "SELECT name, date_created, subaccounts, keys FROM snapshots WHERE tenant_sid = $1 \
             ORDER BY date_created DESC, name",
            [tenant.as_str().into()],
        );
        self.fetch_all(&sql).await?.iter().map(snapshot_info).collect()
    }

    async fn restore_snapshot(
        &self,
        tenant: &AccountSid,
        name: &SnapshotName,
        now: Timestamp,
    ) -> Result<SnapshotInfo, StoreError> {
        let (mut tx, _) = self.lock_tenant(tenant).await?;
        let key = || [tenant.as_str().into(), name.as_str().into()];
        let header = Sql::new(
            "SELECT name, date_created, subaccounts, keys, friendly_name, balance_cents FROM snapshots \
             WHERE tenant_sid = $1 AND name = $2",
            key(),
        );
        let header = tx.fetch_optional(&header).await?.ok_or(StoreError::NotFound)?;
        clear_tenant(&mut tx, tenant).await?;
        let accounts = Sql::new(
            "INSERT INTO accounts (sid, owner_sid, friendly_name, type, status, auth_token_hash, date_created, \
                                   date_updated) \
             SELECT sid, $1, friendly_name, type, status, auth_token_hash, date_created, date_updated \
             FROM snapshot_accounts WHERE tenant_sid = $1 AND snapshot = $2",
            key(),
        );
        tx.execute(&accounts).await?;
        let keys = Sql::new(
            "INSERT INTO keys (sid, account_sid, tenant_sid, type, friendly_name, secret_hash, date_created, \
                               date_updated) \
             SELECT sid, account_sid, $1, type, friendly_name, secret_hash, date_created, date_updated \
             FROM snapshot_keys WHERE tenant_sid = $1 AND snapshot = $2",
            key(),
        );
        tx.execute(&keys).await?;
        // The main account takes the snapshot's name and balance; DateUpdated moves with the name only.
        let main = Sql::new(
            "UPDATE accounts SET balance_cents = $3, friendly_name = $2, date_updated = CASE \
                 WHEN friendly_name = $2 THEN date_updated WHEN date_updated > $4 THEN date_updated ELSE $4 END \
             WHERE sid = $1",
            [
                tenant.as_str().into(),
                header.text("friendly_name")?.into(),
                header.int("balance_cents")?.into(),
                now.into(),
            ],
        );
        tx.execute(&main).await?;
        recount(&mut tx, tenant).await?;
        tx.commit().await?;
        snapshot_info(&header)
    }

    async fn delete_snapshot(&self, tenant: &AccountSid, name: &SnapshotName) -> Result<(), StoreError> {
        let sql = Sql::new(
            "DELETE FROM snapshots WHERE tenant_sid = $1 AND name = $2",
            [tenant.as_str().into(), name.as_str().into()],
        );
        match self.write_execute(&sql).await? {
            0 => Err(StoreError::NotFound),
            _ => Ok(()),
        }
    }

    async fn arm_fault(&self, tenant: &AccountSid, fault: &Fault, limit: u32) -> Result<Fault, StoreError> {
        let (mut tx, _) = self.lock_tenant(tenant).await?;
        let sid = || [tenant.as_str().into()];
        tx.execute(&Sql::new("DELETE FROM faults WHERE tenant_sid = $1 AND remaining = 0", sid())).await?;
        let armed = Sql::new("SELECT count(*) AS n FROM faults WHERE tenant_sid = $1", sid());
        if tx.fetch_optional(&armed).await?.ok_or(StoreError::NotFound)?.int("n")? >= i64::from(limit) {
            return Err(StoreError::FaultLimit(limit));
        }
        let spec = &fault.spec;
        let insert = Sql::new(
            format!(
                "INSERT INTO faults (tenant_sid, id, status, code, count, remaining, method, path, delay_ms, \
                                     date_created) VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9) \
                 RETURNING {FAULT_COLUMNS}"
            ),
            [
                tenant.as_str().into(),
                fault.id.as_str().into(),
                spec.status.map(i64::from).into(),
                spec.code.map(i64::from).into(),
                i64::from(spec.count).into(),
                spec.method.map(FaultMethod::as_str).into(),
                spec.path.as_deref().into(),
                i64::from(spec.delay_ms).into(),
                fault.date_created.into(),
            ],
        );
        let armed = fault_of(tx.fetch_optional(&insert).await?)?;
        refresh_faults_flag(&mut tx, tenant).await?;
        tx.commit().await?;
        Ok(armed)
    }

    async fn faults(&self, tenant: &AccountSid) -> Result<Vec<Fault>, StoreError> {
        let sql = Sql::new(
            format!(
                "SELECT {FAULT_COLUMNS} FROM faults WHERE tenant_sid = $1 AND remaining > 0 ORDER BY date_created, id"
            ),
            [tenant.as_str().into()],
        );
        self.fetch_all(&sql).await?.iter().map(fault).collect()
    }

    async fn disarm_faults(&self, tenant: &AccountSid, id: Option<&FaultId>) -> Result<u64, StoreError> {
        let (mut tx, _) = self.lock_tenant(tenant).await?;
        let sql = Sql::new(
            "DELETE FROM faults WHERE tenant_sid = $1 AND ($2 IS NULL OR id = $2) AND remaining > 0",
            [tenant.as_str().into(), id.map(FaultId::as_str).into()],
        );
        let disarmed = tx.execute(&sql).await?;
        if disarmed == 0 && id.is_some() {
            return Err(StoreError::NotFound);
        }
        refresh_faults_flag(&mut tx, tenant).await?;
        tx.commit().await?;
        Ok(disarmed)
    }

    async fn take_fault(
        &self,
        tenant: &AccountSid,
        method: &str,
        path: &str,
    ) -> Result<Option<TakenFault>, StoreError> {
        let matching = "SELECT f.id FROM faults f WHERE f.tenant_sid = $1 AND f.remaining > 0 \
                            AND (f.method IS NULL OR f.method = $2) \
                            AND (f.path IS NULL OR substr($3, 1, length(f.path)) = f.path) \
                        ORDER BY f.date_created, f.id LIMIT 1";
        let take = Sql::new(
            format!(
                "UPDATE faults SET remaining = remaining - 1 \
                 WHERE tenant_sid = $1 AND remaining > 0 AND id = ({matching}) RETURNING id, status, code, delay_ms"
            ),
            [tenant.as_str().into(), method.into(), path.into()],
        );
        // The tenant's row first, as every fault statement: concurrent requests take faults one
        // at a time, exactly `count` of them, and the flag is exact when this commits.
        let (mut tx, _) = self.lock_tenant(tenant).await?;
        let taken = tx.fetch_optional(&take).await?;
        refresh_faults_flag(&mut tx, tenant).await?;
        tx.commit().await?;
        taken
            .map(|row| {
                Ok(TakenFault {
                    id: row.sid("id")?,
                    status: small(row.opt_int("status")?, "status")?.map(|s| s as u16),
                    code: small(row.opt_int("code")?, "code")?,
                    delay_ms: small(Some(row.int("delay_ms")?), "delay_ms")?.unwrap_or_default(),
                })
            })
            .transpose()
    }
}

fn fault_of<B: Driver>(row: Option<Row<B>>) -> Result<Fault, StoreError> {
    fault(&row.ok_or(StoreError::NotFound)?)
}
