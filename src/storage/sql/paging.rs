//! One page of any list ordered by (date_created, sid). A direct `Page=N` seeks from the position
//! of row N x PageSize, read from the index alone; a page token seeks from its item's position.
//! Either way a page reads only its own rows, plus one to see whether more follow.
use super::{Driver, Row, Sql, SqlStore};
use crate::domain::{Page, SidKind, Window};
use crate::storage::StoreError;

/// What a list is made of. Columns and conditions refer to the table as `a`.
pub(super) struct Listing<'a> {
    pub table: &'static str,
    pub columns: &'a str,
    /// The rows a page token may name: the scope without filters, pushed as a condition.
    pub scope: &'a (dyn Fn(&mut Sql<'a>) + Sync),
    /// The list's filters, each pushed as ` AND ...`.
    pub filters: &'a (dyn Fn(&mut Sql<'a>) + Sync),
    /// For a counted list, pushes a scalar subquery giving the total, read with the rows in one
    /// statement so the two always agree.
    pub total: Option<&'a (dyn Fn(&mut Sql<'a>) + Sync)>,
}

/// A page, and the list's total when the list counts and the page has rows (an empty page reads
/// no row to carry it).
pub(super) struct Counted<T> {
    pub page: Page<T>,
    pub total: Option<i64>,
}

impl<'a> Listing<'a> {
    fn select(&self, columns: &str, filtered: bool) -> Sql<'a> {
        let mut sql = Sql::new(format!("SELECT {columns} FROM {} a WHERE ", self.table), []);
        (self.scope)(&mut sql);
        if filtered {
            (self.filters)(&mut sql);
        }
        sql
    }

    /// The item a page token names, if the list's scope holds it (the inner `a` shadows the outer).
    fn cursor(&self, sid: &'a str, columns: &str) -> Sql<'a> {
        let mut sql = self.select(columns, false);
        sql.push(" AND a.sid = ").bind(sid);
        sql
    }
}

impl<B: Driver> SqlStore<B> {
    pub(super) async fn page<'a, K: SidKind, T>(
        &self,
        listing: &Listing<'a>,
        window: &'a Window<K>,
        decode: impl Fn(&Row<B>) -> Result<T, StoreError>,
    ) -> Result<Counted<T>, StoreError> {
        let mut sql = Sql::new(format!("SELECT {}", listing.columns), []);
        if let Some(total) = listing.total {
            sql.push(", (");
            total(&mut sql);
            sql.push(") AS total");
        }
        sql.push(&format!(" FROM {} a WHERE ", listing.table));
        (listing.scope)(&mut sql);
        (listing.filters)(&mut sql);
        let mut descending = false;
        match window {
            Window::Offset { offset: 0, .. } => {}
            Window::Offset { offset, .. } => {
                let mut position = listing.select("a.date_created, a.sid", true);
                position
                    .push(" ORDER BY a.date_created, a.sid LIMIT 1 OFFSET ")
                    .bind(i64::try_from(*offset).unwrap_or(i64::MAX));
                let Some(row) = self.fetch_optional(&position).await? else {
                    return Ok(Counted { page: Page { items: Vec::new(), has_next: false }, total: None });
                };
                sql.push(" AND (a.date_created, a.sid) >= (").bind(row.time("date_created")?);
                sql.push(", ").bind(row.text("sid")?).push(")");
            }
            Window::After { sid, .. } | Window::Before { sid, .. } => {
                descending = matches!(window, Window::Before { .. });
                // Each side of the comparison is a plain value, so the index serves it as a range.
                let position = listing.cursor(sid.as_str(), "a.date_created");
                sql.push(if descending {
                    " AND (a.date_created, a.sid) < (("
                } else {
                    " AND (a.date_created, a.sid) > (("
                });
                sql.append(position).push("), ").bind(sid.as_str()).push(")");
            }
        }
        let order = if descending { "DESC" } else { "ASC" };
        sql.push(&format!(" ORDER BY a.date_created {order}, a.sid {order} LIMIT "));
        sql.bind(i64::from(window.limit()) + 1);
        let rows = self.fetch_all(&sql).await?;
        if rows.is_empty() {
            if let Window::After { sid, .. } | Window::Before { sid, .. } = window {
                if self.fetch_optional(&listing.cursor(sid.as_str(), "a.sid")).await?.is_none() {
                    return Err(StoreError::UnknownCursor);
                }
            }
        }
        let total = match (listing.total, rows.first()) {
            (Some(_), Some(row)) => Some(row.int("total")?),
            _ => None,
        };
        let items = rows.iter().map(decode).collect::<Result<Vec<_>, _>>()?;
        Ok(Counted { page: Page::from_rows(items, window), total })
    }
}
