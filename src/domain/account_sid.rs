//! `AccountSid`: "AC" followed by 32 hexadecimal digits.
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountSid(String);

impl AccountSid {
    pub const LEN: usize = 34;

    /// Accepts `AC` + 32 hex digits in either case, as Twilio's own SIDs are matched.
    pub fn parse(raw: &str) -> Option<Self> {
        let hex = raw.strip_prefix("AC")?;
        if hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            Some(Self(raw.to_owned()))
        } else {
            None
        }
    }

    /// Mints a new lowercase SID from 128 random bits.
    pub fn generate() -> Self {
        Self(format!("AC{}", uuid::Uuid::new_v4().simple()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountSid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::AccountSid;

    #[test]
    fn accepts_ac_and_32_hex_digits() {
        assert!(AccountSid::parse("ACba8bc05eacf94afdae398e642c9cc32d").is_some());
        assert!(AccountSid::parse("ACBA8BC05EACF94AFDAE398E642C9CC32D").is_some());
    }

    #[test]
    fn rejects_everything_else() {
        for raw in [
            "",
            "AC",
            "ACba8bc05eacf94afdae398e642c9cc32",
            "ACba8bc05eacf94afdae398e642c9cc32d0",
            "PNba8bc05eacf94afdae398e642c9cc32d",
            "acba8bc05eacf94afdae398e642c9cc32d",
            "ACza8bc05eacf94afdae398e642c9cc32d",
            "ACba8bc05eacf94afdae398e642c9cc3é",
        ] {
            assert!(AccountSid::parse(raw).is_none(), "{raw}");
        }
    }

    #[test]
    fn generated_sids_are_lowercase_and_parse() {
        let sid = AccountSid::generate();
        assert_eq!(sid.as_str().len(), AccountSid::LEN);
        assert_eq!(sid.as_str()[2..], sid.as_str()[2..].to_lowercase());
        assert_eq!(AccountSid::parse(sid.as_str()), Some(sid));
    }
}
