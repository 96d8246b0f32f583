//! The control plane's JSON answers (CONTROL.md): keys in the documented order, dates as RFC 3339
//! in UTC with milliseconds.
use crate::domain::{AccountSid, Fault, JournalEntry, Timestamp};
use crate::storage::{ResetReport, SnapshotInfo};
use chrono::SecondsFormat;
use serde::Serialize;

/// `2026-12-03T14:05:09.123Z`.
pub fn rfc3339(at: &Timestamp) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

#[derive(Serialize)]
pub struct Reset<'a> {
    account_sid: &'a str,
    subaccounts_deleted: u64,
    keys_deleted: u64,
    faults_disarmed: u64,
}

impl<'a> Reset<'a> {
    pub fn new(tenant: &'a AccountSid, report: ResetReport) -> Self {
        Self {
            account_sid: tenant.as_str(),
            subaccounts_deleted: report.subaccounts_deleted,
            keys_deleted: report.keys_deleted,
            faults_disarmed: report.faults_disarmed,
        }
    }
}

#[derive(Serialize)]
pub struct Snapshot<'a> {
    name: &'a str,
    date_created: String,
    subaccounts: u64,
    keys: u64,
}

impl<'a> Snapshot<'a> {
    pub fn new(info: &'a SnapshotInfo) -> Self {
        Self {
            name: info.name.as_str(),
            date_created: rfc3339(&info.date_created),
            subaccounts: info.subaccounts,
            keys: info.keys,
        }
    }
}

#[derive(Serialize)]
pub struct Snapshots<'a> {
    pub snapshots: Vec<Snapshot<'a>>,
}

/// What a restore answers: the snapshot's name and what it brought back.
#[derive(Serialize)]
pub struct Restored<'a> {
    name: &'a str,
    subaccounts: u64,
    keys: u64,
}

impl<'a> Restored<'a> {
    pub fn new(info: &'a SnapshotInfo) -> Self {
        Self { name: info.name.as_str(), subaccounts: info.subaccounts, keys: info.keys }
    }
}

#[derive(Serialize)]
pub struct FaultView<'a> {
    id: &'a str,
    status: Option<u16>,
    code: Option<u32>,
    count: u32,
    remaining: u32,
    method: Option<&'a str>,
    path: Option<&'a str>,
    delay_ms: u32,
    date_created: String,
}

impl<'a> FaultView<'a> {
    pub fn new(fault: &'a Fault) -> Self {
        let spec = &fault.spec;
        Self {
            id: fault.id.as_str(),
            status: spec.status,
            code: spec.code,
            count: spec.count,
            remaining: fault.remaining,
            method: spec.method.map(|method| method.as_str()),
            path: spec.path.as_deref(),
            delay_ms: spec.delay_ms,
            date_created: rfc3339(&fault.date_created),
        }
    }
}

#[derive(Serialize)]
pub struct Faults<'a> {
    pub faults: Vec<FaultView<'a>>,
}

#[derive(Serialize)]
pub struct Request<'a> {
    request_id: &'a str,
    date: String,
    method: &'a str,
    path: &'a str,
    query: Option<&'a str>,
    params: serde_json::Value,
    status: u16,
    code: Option<u32>,
    latency_ms: f64,
    credential: &'a str,
    fault: Option<&'a str>,
}

impl<'a> Request<'a> {
    pub fn new(entry: &'a JournalEntry) -> Self {
        Self {
            request_id: &entry.request_id,
            date: rfc3339(&entry.date),
            method: &entry.method,
            path: &entry.path,
            query: entry.query.as_deref(),
            // Written by the journal as a JSON object; anything else shows as an empty one.
            params: serde_json::from_str(&entry.params).unwrap_or_else(|_| serde_json::json!({})),
            status: entry.status,
            code: entry.code,
            latency_ms: entry.latency_us as f64 / 1000.0,
            credential: &entry.credential,
            fault: entry.fault.as_ref().map(|id| id.as_str()),
        }
    }
}

#[derive(Serialize)]
pub struct Requests<'a> {
    pub requests: Vec<Request<'a>>,
    pub next_page_uri: Option<String>,
}
