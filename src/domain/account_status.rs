//! `AccountStatus`: active, suspended or closed (closed is final).
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountStatus {
    Active,
    Suspended,
    Closed,
}

impl AccountStatus {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "active" => Some(Self::Active),
            "suspended" => Some(Self::Suspended),
            "closed" => Some(Self::Closed),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
            Self::Closed => "closed",
        }
    }
}

impl fmt::Display for AccountStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::AccountStatus;

    #[test]
    fn parses_exactly_the_three_lowercase_values() {
        for s in [AccountStatus::Active, AccountStatus::Suspended, AccountStatus::Closed] {
            assert_eq!(AccountStatus::parse(s.as_str()), Some(s));
        }
        for raw in ["", "Active", "ACTIVE", "open", " active", "active "] {
            assert_eq!(AccountStatus::parse(raw), None, "{raw}");
        }
    }
}
