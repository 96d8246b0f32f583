//! A statement's text with its parameters, numbered `$1`, `$2`, ... as they are bound (sqlx takes
//! `$N` on Postgres and on SQLite alike, so the text is the same for both).
use super::driver::{Driver, Query, Value};
use std::borrow::Cow;
use std::fmt::Write;

#[derive(Debug, Clone)]
pub struct Sql<'a> {
    /// Borrowed while nothing is appended (a fixed statement allocates nothing for its text).
    text: Cow<'a, str>,
    params: Vec<Value<'a>>,
}

impl<'a> Sql<'a> {
    /// A statement whose text already names its parameters `$1`..`$N`, given in that order.
    pub fn new(text: impl Into<Cow<'a, str>>, params: impl IntoIterator<Item = Value<'a>>) -> Self {
        Self { text: text.into(), params: params.into_iter().collect() }
    }

    /// Appends text.
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.to_mut().push_str(text);
        self
    }

    /// Appends the next parameter's placeholder and binds `value` to it.
    pub fn bind(&mut self, value: impl Into<Value<'a>>) -> &mut Self {
        self.params.push(value.into());
        write!(self.text.to_mut(), "${}", self.params.len()).expect("writing to a String cannot fail");
        self
    }

    /// Appends another statement (a subquery), renumbering its parameters after this one's.
    pub fn append(&mut self, other: Sql<'a>) -> &mut Self {
        let offset = self.params.len();
        let mut text = String::with_capacity(other.text.len());
        let mut rest: &str = &other.text;
        while let Some(at) = rest.find('$') {
            text.push_str(&rest[..at]);
            let digits = rest[at + 1..].bytes().take_while(u8::is_ascii_digit).count();
            match rest[at + 1..at + 1 + digits].parse::<usize>() {
                Ok(n) => write!(text, "${}", n + offset).expect("writing to a String cannot fail"),
                Err(_) => text.push('$'),
            }
            rest = &rest[at + 1 + digits..];
        }
        text.push_str(rest);
        self.text.to_mut().push_str(&text);
        self.params.extend(other.params);
        self
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub(super) fn query<B: Driver>(&self) -> Query<'_, B> {
        self.params.iter().fold(sqlx::query(&self.text), |query, value| B::bind(query, value))
    }
}

#[cfg(test)]
mod tests {
    use super::Sql;

    #[test]
    fn binds_number_their_placeholders_in_order() {
        let mut sql = Sql::new("SELECT 1 WHERE a = $1", ["x".into()]);
        sql.push(" AND b = ").bind(2i64).push(" AND c = ").bind(Some("z"));
        assert_eq!(sql.text(), "SELECT 1 WHERE a = $1 AND b = $2 AND c = $3");
        let mut sub = Sql::new("SELECT x FROM t WHERE y = ", []);
        sub.bind("y").push(" AND z = ").bind("z");
        sql.push(" AND d IN (").append(sub).push(")");
        assert_eq!(
            sql.text(),
            "SELECT 1 WHERE a = $1 AND b = $2 AND c = $3 AND d IN (SELECT x FROM t WHERE y = $4 AND z = $5)"
        );
    }
}
