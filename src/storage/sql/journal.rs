//! The journal's statements: batched appends that prune each tenant to its newest entries, and
//! pages read newest first.
use super::{Driver, Row, Sql, SqlStore};
use crate::domain::{AccountSid, JournalCursor, JournalEntry, JournalFilter, Timestamp};
use crate::storage::{JournalPage, JournalStore, StoreError};
use async_trait::async_trait;

/// The oldest of a tenant's newest `$2` entries (`$1` the tenant): what is kept and shown.
const OLDEST_KEPT: &str = "SELECT k.date, k.id FROM (SELECT date, id FROM journal WHERE tenant_sid = $1 \
                            ORDER BY date DESC, id DESC LIMIT $2) k ORDER BY k.date, k.id LIMIT 1";

fn insert(entries: &[JournalEntry]) -> Sql<'_> {
    let mut sql = Sql::new(format!("INSERT INTO journal ({COLUMNS}) VALUES "), []);
    for (n, entry) in entries.iter().enumerate() {
        sql.push(if n == 0 { "(" } else { ", (" });
        sql.bind(entry.tenant.as_str()).push(", ").bind(entry.request_id.as_str()).push(", ").bind(entry.date);
        sql.push(", ").bind(entry.method.as_str()).push(", ").bind(entry.path.as_str());
        sql.push(", ").bind(entry.query.as_deref()).push(", ").bind(entry.params.as_str());
        sql.push(", ").bind(i64::from(entry.status)).push(", ").bind(entry.code.map(i64::from));
        sql.push(", ").bind(i64::try_from(entry.latency_us).unwrap_or(i64::MAX));
        sql.push(", ").bind(entry.credential.as_str()).push(", ").bind(entry.fault.as_ref().map(|id| id.as_str()));
        sql.push(")");
    }
    sql
}

const COLUMNS: &str =
    "tenant_sid, request_id, date, method, path, query, params, status, code, latency_us, credential, fault";

fn entry<B: Driver>(row: &Row<B>) -> Result<(JournalEntry, JournalCursor), StoreError> {
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
    /// A batch goes as statements of `JOURNAL_ROWS_PER_INSERT`, then halving numbers of rows, in one
    /// transaction: each connection prepares a handful of texts once and keeps them.
    async fn append(&self, entries: &[JournalEntry]) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let mut rest = entries;
        while !rest.is_empty() {
            let size = if rest.len() >= B::JOURNAL_ROWS_PER_INSERT {
                B::JOURNAL_ROWS_PER_INSERT
            } else {
                1 << rest.len().ilog2()
            };
            let (chunk, next) = rest.split_at(size);
            tx.execute(&insert(chunk)).await?;
            rest = next;
        }
        tx.commit().await
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
