//! The request journal's writer. Entries leave the request path through a bounded queue and one
//! task writes them in batches; when the queue is full or the database refuses a batch, entries
//! are dropped and counted (`/metrics`), never waited for: the journal never delays or fails a
//! request.
use crate::domain::{AccountSid, JournalEntry};
use crate::form::Params;
use crate::storage::SharedStore;
use prometheus_client::metrics::counter::Counter;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Entries written in one transaction at most.
const BATCH: usize = 1000;

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct JournalSettings {
    /// Off: nothing is recorded and nothing is written.
    pub enabled: bool,
    /// The newest entries each tenant keeps; older ones are pruned as new ones are written.
    pub max_entries_per_tenant: u32,
    /// How long an entry may wait in memory before its batch is written (it is readable after).
    pub flush_interval_ms: u64,
    /// Entries waiting to be written, across tenants; past it new ones are dropped and counted.
    pub queue_capacity: usize,
}

/// Counters of the journal, shared with `/metrics`.
#[derive(Clone, Default)]
pub struct JournalCounters {
    pub written: Counter,
    pub dropped: Counter,
}

pub struct Journal {
    queue: Option<mpsc::Sender<JournalEntry>>,
    counters: JournalCounters,
    keep: u32,
}

impl Journal {
    /// The writer task, when the journal is on; it ends once every `Journal` is dropped, after
    /// writing what it still holds.
    pub fn start(
        store: SharedStore,
        settings: &JournalSettings,
        counters: JournalCounters,
    ) -> (Self, Option<JoinHandle<()>>) {
        let keep = settings.max_entries_per_tenant;
        if !settings.enabled {
            return (Self { queue: None, counters, keep }, None);
        }
        let (queue, entries) = mpsc::channel(settings.queue_capacity.max(1));
        let writer = tokio::spawn(write(store, entries, settings.clone(), counters.clone()));
        (Self { queue: Some(queue), counters, keep }, Some(writer))
    }

    /// The newest entries a tenant keeps (and is shown).
    pub fn keep(&self) -> u32 {
        self.keep
    }

    pub fn is_enabled(&self) -> bool {
        self.queue.is_some()
    }

    /// Queues an entry without waiting; a full queue drops it.
    pub fn record(&self, entry: JournalEntry) {
        if let Some(queue) = &self.queue {
            if queue.try_send(entry).is_err() {
                self.counters.dropped.inc();
            }
        }
    }
}

async fn write(
    store: SharedStore,
    mut entries: mpsc::Receiver<JournalEntry>,
    settings: JournalSettings,
    counters: JournalCounters,
) {
    let interval = Duration::from_millis(settings.flush_interval_ms);
    // An upper bound of each tenant's journal size, as far as this process knows.
    let mut sizes: HashMap<AccountSid, u64> = HashMap::new();
    while let Some(first) = entries.recv().await {
        // Sleep through the interval, then take what arrived: waiting on each entry instead would
        // wake this task once per request, which cost a busy server a tenth of its throughput.
        tokio::time::sleep(interval).await;
        let mut batch = vec![first];
        loop {
            while batch.len() < BATCH {
                match entries.try_recv() {
                    Ok(entry) => batch.push(entry),
                    Err(_) => break,
                }
            }
            let full = batch.len() == BATCH;
            write_batch(&store, &batch, &mut sizes, &settings, &counters).await;
            if !full {
                break;
            }
            batch.clear();
        }
    }
}

async fn write_batch(
    store: &SharedStore,
    batch: &[JournalEntry],
    sizes: &mut HashMap<AccountSid, u64>,
    settings: &JournalSettings,
    counters: &JournalCounters,
) {
    if batch.is_empty() {
        return;
    }
    match store.append(batch).await {
        Ok(()) => {
            counters.written.inc_by(batch.len() as u64);
            prune(store, batch, sizes, settings.max_entries_per_tenant).await;
        }
        Err(error) => {
            tracing::warn!(%error, entries = batch.len(), "journal batch dropped");
            counters.dropped.inc_by(batch.len() as u64);
        }
    }
}

/// Prunes a tenant once its journal may hold a tenth more than it keeps: pruning reads the
/// newest `keep` entries' index, so doing it in steps spares the database most of that work.
/// Until then the extra entries are stored but never shown.
async fn prune(store: &SharedStore, batch: &[JournalEntry], sizes: &mut HashMap<AccountSid, u64>, keep: u32) {
    let margin = u64::from(keep / 10).max(1);
    for entry in batch {
        // What this process does not know of a tenant may already be full.
        let size = sizes.entry(entry.tenant.clone()).or_insert(u64::from(keep) + margin);
        *size += 1;
    }
    for (tenant, size) in sizes.iter_mut().filter(|(_, size)| **size > u64::from(keep) + margin) {
        match store.prune(tenant, keep).await {
            Ok(()) => *size = u64::from(keep),
            Err(error) => tracing::warn!(%error, "journal not pruned; trying again with the next batch"),
        }
    }
}

/// A form body as the journal keeps it: `{name: [values]}`, with every value of a parameter whose
/// name contains `token`, `secret` or `password` (in any case) replaced by `"redacted"`.
pub fn params_json(params: Option<&Params>) -> String {
    if params.is_none_or(|params| params.pairs().next().is_none()) {
        return "{}".to_owned();
    }
    let mut object: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, value) in params.into_iter().flat_map(Params::pairs) {
        let lower = name.to_ascii_lowercase();
        let secret = ["token", "secret", "password"].iter().any(|word| lower.contains(word));
        object.entry(name).or_default().push(if secret { "redacted" } else { value });
    }
    serde_json::to_string(&object).expect("strings serialize")
}

#[cfg(test)]
mod tests {
    use super::params_json;
    use crate::form::Params;

    #[test]
    fn params_keep_repeats_and_redact_anything_secret() {
        let params =
            Params::parse(b"FriendlyName=Blue&MyAuthToken=abc&Status=a&Status=b&api_SECRET=x&Password=p").unwrap();
        assert_eq!(
            params_json(Some(&params)),
            r#"{"FriendlyName":["Blue"],"MyAuthToken":["redacted"],"Password":["redacted"],"Status":["a","b"],"api_SECRET":["redacted"]}"#
        );
        assert_eq!(params_json(None), "{}");
    }
}
