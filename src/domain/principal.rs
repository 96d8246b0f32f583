//! `Principal`: whom a Basic-auth user names, an account (by its AuthToken) or an API key.
use super::AccountSid;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Principal {
    Account(AccountSid),
}

impl Principal {
    /// The Basic user as sent; anything but a well-formed SID names nobody.
    pub fn parse(user: &str) -> Option<Self> {
        AccountSid::parse(user).map(Self::Account)
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Account(sid) => sid.as_str(),
        }
    }
}

impl std::fmt::Display for Principal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
