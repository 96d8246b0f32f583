//! `tenant`: the control plane's reset and snapshots, for the operator (CONTROL.md). With `--json`
//! each prints the API's answer body.
use crate::domain::{AccountSid, SnapshotName};
use crate::representation::control::{Reset, Restored, Snapshot, Snapshots};
use crate::storage::{SharedStore, StoreError};
use clap::Subcommand;
use serde::Serialize;

#[derive(Subcommand)]
pub enum TenantCommand {
    /// Delete every subaccount, every key but the main account's Main keys, and every fault.
    Reset {
        sid: String,
        #[arg(long)]
        json: bool,
    },
    /// Save, restore, delete or list the tenant's snapshots.
    Snapshot {
        #[command(subcommand)]
        action: SnapshotCommand,
    },
}

#[derive(Subcommand)]
pub enum SnapshotCommand {
    /// Save the tenant as NAME (replacing a snapshot of that name).
    Save {
        sid: String,
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Make the tenant exactly the snapshot NAME.
    Restore {
        sid: String,
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Delete the snapshot NAME.
    Delete {
        sid: String,
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// The tenant's snapshots, newest first.
    List {
        sid: String,
        #[arg(long)]
        json: bool,
    },
}

fn tenant(raw: &str) -> anyhow::Result<AccountSid> {
    AccountSid::parse(raw).ok_or_else(|| anyhow::anyhow!("SID must be AC followed by 32 hex digits"))
}

fn name(raw: &str) -> anyhow::Result<SnapshotName> {
    SnapshotName::parse(raw)
        .ok_or_else(|| anyhow::anyhow!("NAME must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'"))
}

/// What a store error means to the operator; expected ones in words, others as they are.
fn explain(sid: &AccountSid, what: &str, error: StoreError) -> anyhow::Error {
    match error {
        StoreError::NotFound => anyhow::anyhow!("no main account {sid}, or no {what}"),
        StoreError::SnapshotLimit(limit) => anyhow::anyhow!("tenant {sid} already has {limit} snapshots"),
        other => other.into(),
    }
}

fn print(json: bool, body: &impl Serialize, text: impl FnOnce() -> String) -> anyhow::Result<()> {
    match json {
        true => println!("{}", serde_json::to_string(body)?),
        false => println!("{}", text()),
    }
    Ok(())
}

pub async fn run(store: SharedStore, max_snapshots: u32, command: TenantCommand) -> anyhow::Result<()> {
    match command {
        TenantCommand::Reset { sid, json } => {
            let sid = tenant(&sid)?;
            let report = store.reset(&sid).await.map_err(|e| explain(&sid, "such tenant", e))?;
            print(json, &Reset::new(&sid, report), || {
                format!(
                    "tenant {sid} reset: {} subaccounts, {} keys deleted, {} faults disarmed",
                    report.subaccounts_deleted, report.keys_deleted, report.faults_disarmed
                )
            })
        }
        TenantCommand::Snapshot { action } => snapshot(store, max_snapshots, action).await,
    }
}

async fn snapshot(store: SharedStore, max_snapshots: u32, action: SnapshotCommand) -> anyhow::Result<()> {
    let now = chrono::Utc::now();
    match action {
        SnapshotCommand::Save { sid, name: raw, json } => {
            let (sid, name) = (tenant(&sid)?, name(&raw)?);
            let (info, replaced) = store
                .save_snapshot(&sid, &name, now, max_snapshots)
                .await
                .map_err(|e| explain(&sid, "such tenant", e))?;
            print(json, &Snapshot::new(&info), || {
                let verb = if replaced { "replaced" } else { "saved" };
                format!("snapshot {name} of {sid} {verb}: {} subaccounts, {} keys", info.subaccounts, info.keys)
            })
        }
        SnapshotCommand::Restore { sid, name: raw, json } => {
            let (sid, name) = (tenant(&sid)?, name(&raw)?);
            let what = format!("snapshot {name}");
            let info = store.restore_snapshot(&sid, &name, now).await.map_err(|e| explain(&sid, &what, e))?;
            print(json, &Restored::new(&info), || {
                format!("tenant {sid} restored to {name}: {} subaccounts, {} keys", info.subaccounts, info.keys)
            })
        }
        SnapshotCommand::Delete { sid, name: raw, json } => {
            let (sid, name) = (tenant(&sid)?, name(&raw)?);
            let what = format!("snapshot {name}");
            store.delete_snapshot(&sid, &name).await.map_err(|e| explain(&sid, &what, e))?;
            print(json, &serde_json::json!({ "deleted": name.as_str() }), || {
                format!("snapshot {name} of {sid} deleted")
            })
        }
        SnapshotCommand::List { sid, json } => {
            let sid = tenant(&sid)?;
            let snapshots = store.snapshots(&sid).await?;
            let body = Snapshots { snapshots: snapshots.iter().map(Snapshot::new).collect() };
            print(json, &body, || {
                snapshots
                    .iter()
                    .map(|s| format!("{}  {}  {} subaccounts, {} keys", s.name, s.date_created, s.subaccounts, s.keys))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
    }
}
