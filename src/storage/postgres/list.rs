//! A page of the list on Postgres: count, guard and page token in one statement, rows in another.
use super::rows::AccountRow;
use super::{PostgresStore, ACCOUNT_COLUMNS};
use crate::domain::{AccountSid, Timestamp};
use crate::representation::list::PageSlice;
use crate::storage::sql::POSTGRES;
use crate::storage::{Guard, ListQuery, StoreError, Window};

impl PostgresStore {
    pub(super) async fn page(&self, query: &ListQuery, guard: Option<&Guard>) -> Result<PageSlice, StoreError> {
        let (scope, scope_sid) = POSTGRES.scope(&query.scope);
        let filters = POSTGRES.filters(query);
        let guard_on_1 = POSTGRES.guard(1, 5);
        let name = query.friendly_name.as_ref().map(|name| name.as_str());
        let status = query.status.map(|status| status.as_str());
        let cursor = match &query.window {
            Window::Offset { .. } => None,
            Window::After { sid, .. } | Window::Before { sid, .. } => Some(sid),
        };
        // One round trip for the count, the guard and the page token; one for the rows.
        let (total, allowed, position): (i64, bool, Option<Timestamp>) = sqlx::query_as(&format!(
            "SELECT (SELECT count(*) FROM accounts WHERE {scope} AND {filters}), \
                    ($5::text IS NULL OR {guard_on_1}), \
                    (SELECT date_created FROM accounts WHERE sid = $4 AND {scope})"
        ))
        .bind(scope_sid.as_str())
        .bind(name)
        .bind(status)
        .bind(cursor.map(AccountSid::as_str))
        .bind(guard.map(|g| g.token_hash.as_ref()))
        .fetch_one(&self.pool)
        .await?;
        if !allowed {
            return Err(StoreError::Denied);
        }
        let total = u64::try_from(total).unwrap_or_default();
        let select = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE {scope} AND {filters}");
        let rows: Vec<AccountRow> = match (&query.window, position) {
            (Window::Offset { offset, limit }, _) => {
                sqlx::query_as(&format!("{select} ORDER BY date_created, sid LIMIT $4 OFFSET $5"))
                    .bind(scope_sid.as_str())
                    .bind(name)
                    .bind(status)
                    .bind(i64::from(*limit))
                    .bind(i64::try_from(*offset).unwrap_or(i64::MAX))
                    .fetch_all(&self.pool)
                    .await?
            }
            // The position is bound as values, so the index serves the seek as a range scan.
            (Window::After { sid, limit } | Window::Before { sid, limit }, Some(created)) => {
                let seek = match &query.window {
                    Window::After { .. } => "> ($5, $6) ORDER BY date_created, sid",
                    _ => "< ($5, $6) ORDER BY date_created DESC, sid DESC",
                };
                sqlx::query_as(&format!("{select} AND (date_created, sid) {seek} LIMIT $4 + 1"))
                    .bind(scope_sid.as_str())
                    .bind(name)
                    .bind(status)
                    .bind(i64::from(*limit))
                    .bind(created)
                    .bind(sid.as_str())
                    .fetch_all(&self.pool)
                    .await?
            }
            (_, None) => return Err(StoreError::UnknownCursor),
        };
        let accounts = rows.into_iter().map(AccountRow::decode).collect::<Result<Vec<_>, _>>()?;
        Ok(crate::storage::shape_slice(accounts, total, &query.window))
    }
}
