//! The few things statements need from sqlx, for any backend, so the statements are written once.
//!
//! sqlx's generic bounds (executors, argument encoding, column decoding) would otherwise be repeated
//! on every generic function; here they are stated once, on a blanket implementation, and the
//! statements see plain methods.
use super::dialect::Dialect;
use super::time::DbTime;
use crate::domain::Timestamp;
use futures_util::future::BoxFuture;
use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Row as _, Type};
use std::borrow::Cow;

pub type Query<'q, DB> = sqlx::query::Query<'q, DB, <DB as Database>::Arguments<'q>>;

/// A value bound to a statement parameter (borrowed where it can be).
#[derive(Debug, Clone)]
pub enum Value<'a> {
    Text(Option<Cow<'a, str>>),
    Int(Option<i64>),
    Time(Option<Timestamp>),
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(text: &'a str) -> Self {
        Self::Text(Some(Cow::Borrowed(text)))
    }
}

impl From<String> for Value<'_> {
    fn from(text: String) -> Self {
        Self::Text(Some(Cow::Owned(text)))
    }
}

impl<'a> From<Option<&'a str>> for Value<'a> {
    fn from(text: Option<&'a str>) -> Self {
        Self::Text(text.map(Cow::Borrowed))
    }
}

impl From<i64> for Value<'_> {
    fn from(number: i64) -> Self {
        Self::Int(Some(number))
    }
}

impl From<Option<i64>> for Value<'_> {
    fn from(number: Option<i64>) -> Self {
        Self::Int(number)
    }
}

impl From<Timestamp> for Value<'_> {
    fn from(at: Timestamp) -> Self {
        Self::Time(Some(at))
    }
}

pub trait Driver: Dialect {
    fn bind<'q>(query: Query<'q, Self>, value: &'q Value<'_>) -> Query<'q, Self>;
    fn fetch_all<'c, 'q: 'c>(
        connection: &'c mut Self::Connection,
        query: Query<'q, Self>,
    ) -> BoxFuture<'c, Result<Vec<Self::Row>, sqlx::Error>>;
    fn fetch_optional<'c, 'q: 'c>(
        connection: &'c mut Self::Connection,
        query: Query<'q, Self>,
    ) -> BoxFuture<'c, Result<Option<Self::Row>, sqlx::Error>>;
    /// Rows affected.
    fn execute<'c, 'q: 'c>(
        connection: &'c mut Self::Connection,
        query: Query<'q, Self>,
    ) -> BoxFuture<'c, Result<u64, sqlx::Error>>;
    fn text(row: &Self::Row, column: &str) -> Result<Option<String>, sqlx::Error>;
    fn int(row: &Self::Row, column: &str) -> Result<Option<i64>, sqlx::Error>;
    fn time(row: &Self::Row, column: &str) -> Result<Option<Timestamp>, sqlx::Error>;
    fn boolean(row: &Self::Row, column: &str) -> Result<Option<bool>, sqlx::Error>;
}

impl<DB> Driver for DB
where
    DB: Dialect,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> Option<&'q str>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<DbTime>: Encode<'q, DB> + Type<DB>,
    for<'r> String: Decode<'r, DB> + Type<DB>,
    for<'r> i64: Decode<'r, DB> + Type<DB>,
    for<'r> DbTime: Decode<'r, DB> + Type<DB>,
    for<'r> bool: Decode<'r, DB> + Type<DB>,
    for<'a> &'a str: ColumnIndex<DB::Row>,
{
    fn bind<'q>(query: Query<'q, Self>, value: &'q Value<'_>) -> Query<'q, Self> {
        match value {
            Value::Text(text) => query.bind(text.as_deref()),
            Value::Int(number) => query.bind(*number),
            Value::Time(at) => query.bind(at.map(DbTime)),
        }
    }

    fn fetch_all<'c, 'q: 'c>(
        connection: &'c mut Self::Connection,
        query: Query<'q, Self>,
    ) -> BoxFuture<'c, Result<Vec<Self::Row>, sqlx::Error>> {
        Box::pin(query.fetch_all(connection))
    }

    fn fetch_optional<'c, 'q: 'c>(
        connection: &'c mut Self::Connection,
        query: Query<'q, Self>,
    ) -> BoxFuture<'c, Result<Option<Self::Row>, sqlx::Error>> {
        Box::pin(query.fetch_optional(connection))
    }

    fn execute<'c, 'q: 'c>(
        connection: &'c mut Self::Connection,
        query: Query<'q, Self>,
    ) -> BoxFuture<'c, Result<u64, sqlx::Error>> {
        Box::pin(async move { query.execute(connection).await.map(|done| DB::rows_affected(&done)) })
    }

    fn text(row: &Self::Row, column: &str) -> Result<Option<String>, sqlx::Error> {
        row.try_get(column)
    }

    fn int(row: &Self::Row, column: &str) -> Result<Option<i64>, sqlx::Error> {
        row.try_get(column)
    }

    fn time(row: &Self::Row, column: &str) -> Result<Option<Timestamp>, sqlx::Error> {
        row.try_get::<Option<DbTime>, _>(column).map(|at| at.map(|DbTime(at)| at))
    }

    fn boolean(row: &Self::Row, column: &str) -> Result<Option<bool>, sqlx::Error> {
        row.try_get(column)
    }
}
