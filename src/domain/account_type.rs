//! `AccountType`: Trial or Full.
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountType {
    Trial,
    Full,
}

impl AccountType {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "Trial" => Some(Self::Trial),
            "Full" => Some(Self::Full),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Trial => "Trial",
            Self::Full => "Full",
        }
    }
}

impl fmt::Display for AccountType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for AccountType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s).ok_or_else(|| format!("account type must be Trial or Full, not {s:?}"))
    }
}
