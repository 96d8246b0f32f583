//! `Principal`: whom a Basic-auth user names, an account (by its AuthToken) or an API key.
use super::{AccountSid, KeySid};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Principal {
    Account(AccountSid),
    Key(KeySid),
}

impl Principal {
    /// The Basic user as sent; anything but a well-formed `AC` or `SK` SID names nobody.
    pub fn parse(user: &str) -> Option<Self> {
        AccountSid::parse(user).map(Self::Account).or_else(|| KeySid::parse(user).map(Self::Key))
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Account(sid) => sid.as_str(),
            Self::Key(sid) => sid.as_str(),
        }
    }
}

impl std::fmt::Display for Principal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Principal;

    #[test]
    fn accounts_and_keys_are_principals_and_nothing_else() {
        let account = "ACba8bc05eacf94afdae398e642c9cc32d";
        let key = "SKba8bc05eacf94afdae398e642c9cc32d";
        assert!(matches!(Principal::parse(account), Some(Principal::Account(_))));
        assert!(matches!(Principal::parse(key), Some(Principal::Key(_))));
        for raw in ["", "FIba8bc05eacf94afdae398e642c9cc32d", "skba8bc05eacf94afdae398e642c9cc32d", "SK12"] {
            assert_eq!(Principal::parse(raw), None, "{raw}");
        }
        assert_eq!(Principal::parse(key).unwrap().as_str(), key);
    }
}
