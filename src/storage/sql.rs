//! SQL fragments both backends share, each written with its backend's placeholders.
use super::{ListQuery, ListScope};
use crate::domain::AccountSid;

/// How a backend writes the n-th parameter, bare and where it must be typed as text.
pub(crate) struct Dialect {
    at: fn(u8) -> String,
    text: fn(u8) -> String,
}

pub(crate) const POSTGRES: Dialect = Dialect { at: |n| format!("${n}"), text: |n| format!("${n}::text") };
pub(crate) const SQLITE: Dialect = Dialect { at: |n| format!("?{n}"), text: |n| format!("?{n}") };

impl Dialect {
    /// The accounts a list covers, with the caller as parameter 1.
    pub(crate) fn scope<'a>(&self, scope: &'a ListScope) -> (String, &'a AccountSid) {
        match scope {
            ListScope::Tenant(main) => (format!("owner_sid = {}", (self.at)(1)), main),
            ListScope::Single(sub) => (format!("sid = {}", (self.at)(1)), sub),
        }
    }

    /// The filters of a list (parameters 2 and 3), written for the ones given: an absent filter
    /// becomes a condition on the parameter alone, which the planner evaluates once, so
    /// counting stays on the index.
    pub(crate) fn filters(&self, query: &ListQuery) -> String {
        let name = match query.friendly_name {
            Some(_) => format!("friendly_name = {}", (self.at)(2)),
            None => format!("{} IS NULL", (self.text)(2)),
        };
        let status = match query.status {
            Some(_) => format!("status = {}", (self.at)(3)),
            None => format!("{} IS NULL", (self.text)(3)),
        };
        format!("{name} AND {status}")
    }

    /// The guard of a statement: the caller (parameter `caller`) still has the verified hash
    /// (parameter `hash`), and it and its main account are active.
    pub(crate) fn guard(&self, caller: u8, hash: u8) -> String {
        format!(
            "EXISTS (SELECT 1 FROM accounts c JOIN accounts m ON m.sid = c.owner_sid \
             WHERE c.sid = {} AND c.auth_token_hash = {} AND c.status = 'active' AND m.status = 'active')",
            (self.at)(caller),
            (self.at)(hash)
        )
    }
}
