//! The journal's statements: batched appends that prune each tenant to its newest entries, and
//! pages read newest first.
use super::{Driver, Sql, SqlStore};
use crate::domain::{AccountSid, JournalCursor, JournalEntry, JournalFilter, Timestamp};
use crate::storage::{JournalPage, JournalStore, StoreError};
use async_trait::async_trait;
use serde::Serialize;

/// The oldest of a tenant's newest `$2` entries (`$1` the tenant): what is kept and shown.
const OLDEST_KEPT: &str = "SELECT k.date, k.id FROM (SELECT date, id FROM journal WHERE tenant_sid = $1 \
                            ORDER BY date DESC, id DESC LIMIT $2) k ORDER BY k.date, k.id LIMIT 1";

/// One entry as the batch's JSON carries it (see `Dialect::JOURNAL_INSERT`).
#[derive(Serialize)]
struct Row<'a> {
    tenant_sid: &'a str,
    request_id: &'a str,
    date_us: i64,
    method: &'a str,
    path: &'a str,
    query: Option<&'a str>,
    params: &'a str,
    status: u16,
    code: Option<u32>,
    latency_us: u64,
    credential: &'a str,
    fault: Option<&'a str>,
}

impl<'a> Row<'a> {
    fn of(entry: &'a JournalEntry) -> Self {
        Self {
            tenant_sid: entry.tenant.as_str(),
            request_id: &entry.request_id,
            date_us: entry.date.timestamp_micros(),
            method: &entry.method,
            path: &entry.path,
            query: entry.query.as_deref(),
            params: &entry.params,
            status: entry.status,
            code: entry.code,
            latency_us: entry.latency_us,
            credential: &entry.credential,
            fault: entry.fault.as_ref().map(|id| id.as_str()),
        }
    }
}

const COLUMNS: &str =
    "tenant_sid, request_id, date, method, path, query, params, status, code, latency_us, credential, fault";

fn entry<B: Driver>(row: &super::Row<B>) -> Result<(JournalEntry, JournalCursor), StoreError> {
    let number = |column: &str, value: i64| {
        u64::try_from(value).map_err(|_| StoreError::corrupt(format!("journal {column} {value}")))
    };
    let date = row.time("date")?;
    let status = number("status", row.int("status")?)?;
    let entry = JournalEntry {
        tenant: row.sid("tenant_sid")?,
        request_id: row.text("request_id")?,
        date,
        method: row.text("method")?,
        path: row.text("path")?,
        query: row.opt_text("query")?,
        params: row.text("params")?,
        status: u16::try_from(status).map_err(|_| StoreError::corrupt(format!("journal status {status}")))?,
        code: row.opt_int("code")?.map(|code| number("code", code)).transpose()?.map(|code| code as u32),
        latency_us: number("latency_us", row.int("latency_us")?)?,
        credential: row.text("credential")?,
        fault: row
            .opt_text("fault")?
            .map(|id| crate::domain::FaultId::parse(&id).ok_or_else(|| StoreError::corrupt(format!("fault {id:?}"))))
            .transpose()?,
    };
    Ok((entry, JournalCursor { date_micros: date.timestamp_micros(), id: row.int("id")? }))
}

#[async_trait]
impl<B: Driver> JournalStore for SqlStore<B> {
    async fn append(&self, entries: &[JournalEntry]) -> Result<(), StoreError> {
        let rows: Vec<Row<'_>> = entries.iter().map(Row::of).collect();
        let batch = serde_json::to_string(&rows).map_err(|e| StoreError::corrupt(format!("journal batch: {e}")))?;
        self.write_execute(&Sql::new(B::JOURNAL_INSERT, [batch.into()])).await.map(drop)
    }

    async fn prune(&self, tenant: &AccountSid, keep: u32) -> Result<(), StoreError> {
        let sql = Sql::new(
            format!("DELETE FROM journal WHERE tenant_sid = $1 AND (date, id) < ({OLDEST_KEPT})"),
            [tenant.as_str().into(), i64::from(keep).into()],
        );
        self.write_execute(&sql).await.map(drop)
    }

    async fn requests(
        &self,
        tenant: &AccountSid,
        filter: &JournalFilter,
        cursor: Option<JournalCursor>,
        limit: u32,
        keep: u32,
    ) -> Result<JournalPage, StoreError> {
        let mut sql = Sql::new(
            format!("SELECT id, {COLUMNS} FROM journal WHERE tenant_sid = $1 AND (date, id) >= ({OLDEST_KEPT})"),
            [tenant.as_str().into(), i64::from(keep).into()],
        );
        if let Some(status) = filter.status {
            let (low, high) = status.range();
            sql.push(" AND status BETWEEN ").bind(i64::from(low)).push(" AND ").bind(i64::from(high));
        }
        if let Some(method) = &filter.method {
            sql.push(" AND method = ").bind(method.as_str());
        }
        if let Some(credential) = &filter.credential {
            sql.push(" AND credential = ").bind(credential.as_str());
        }
        if let Some(cursor) = cursor {
            let date = Timestamp::from_timestamp_micros(cursor.date_micros).ok_or(StoreError::UnknownCursor)?;
            sql.push(" AND (date, id) < (").bind(date).push(", ").bind(cursor.id).push(")");
        }
        sql.push(" ORDER BY date DESC, id DESC LIMIT ").bind(i64::from(limit) + 1);
        let mut rows = self.fetch_all(&sql).await?.iter().map(entry).collect::<Result<Vec<_>, _>>()?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let next = if more { rows.last().map(|(_, cursor)| *cursor) } else { None };
        Ok(JournalPage { entries: rows.into_iter().map(|(entry, _)| entry).collect(), next })
    }

    async fn clear_requests(&self, tenant: &AccountSid) -> Result<(), StoreError> {
        self.write_execute(&Sql::new("DELETE FROM journal WHERE tenant_sid = $1", [tenant.as_str().into()]))
            .await
            .map(drop)
    }
}
