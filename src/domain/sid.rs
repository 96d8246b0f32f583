//! SIDs: a two-letter prefix naming the kind of thing, then 32 hexadecimal digits.
use std::fmt;
use std::marker::PhantomData;

/// What a SID names, and the prefix that says so.
pub trait SidKind: 'static {
    const PREFIX: &'static str;
}

/// Accounts: `AC...`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountKind {}
/// API keys: `SK...`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyKind {}
/// Armed faults of the control plane: `FI...`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultKind {}

impl SidKind for AccountKind {
    const PREFIX: &'static str = "AC";
}
impl SidKind for KeyKind {
    const PREFIX: &'static str = "SK";
}
impl SidKind for FaultKind {
    const PREFIX: &'static str = "FI";
}

pub struct Sid<K: SidKind> {
    raw: String,
    kind: PhantomData<K>,
}

pub type AccountSid = Sid<AccountKind>;
pub type KeySid = Sid<KeyKind>;
pub type FaultId = Sid<FaultKind>;

impl<K: SidKind> Sid<K> {
    pub const LEN: usize = 34;

    /// Accepts the prefix and 32 hex digits in either case, as Twilio's own SIDs are matched.
    pub fn parse(raw: &str) -> Option<Self> {
        let hex = raw.strip_prefix(K::PREFIX)?;
        (hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| Self { raw: raw.to_owned(), kind: PhantomData })
    }

    /// Mints a new lowercase SID from 128 random bits.
    pub fn generate() -> Self {
        Self { raw: format!("{}{}", K::PREFIX, uuid::Uuid::new_v4().simple()), kind: PhantomData }
    }

    pub fn as_str(&self) -> &str {
        &self.raw
    }
}

impl<K: SidKind> Clone for Sid<K> {
    fn clone(&self) -> Self {
        Self { raw: self.raw.clone(), kind: PhantomData }
    }
}

impl<K: SidKind> PartialEq for Sid<K> {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}

impl<K: SidKind> Eq for Sid<K> {}

impl<K: SidKind> std::hash::Hash for Sid<K> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.raw.hash(state);
    }
}

impl<K: SidKind> PartialOrd for Sid<K> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<K: SidKind> Ord for Sid<K> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.raw.cmp(&other.raw)
    }
}

impl<K: SidKind> fmt::Debug for Sid<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl<K: SidKind> fmt::Display for Sid<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

#[cfg(test)]
mod tests {
    use super::{AccountSid, FaultId, KeySid};

    #[test]
    fn accepts_the_prefix_and_32_hex_digits() {
        assert!(AccountSid::parse("ACba8bc05eacf94afdae398e642c9cc32d").is_some());
        assert!(AccountSid::parse("ACBA8BC05EACF94AFDAE398E642C9CC32D").is_some());
        assert!(KeySid::parse("SKba8bc05eacf94afdae398e642c9cc32d").is_some());
        assert!(FaultId::parse("FIba8bc05eacf94afdae398e642c9cc32d").is_some());
    }

    #[test]
    fn rejects_everything_else() {
        for raw in [
            "",
            "AC",
            "ACba8bc05eacf94afdae398e642c9cc32",
            "ACba8bc05eacf94afdae398e642c9cc32d0",
            "PNba8bc05eacf94afdae398e642c9cc32d",
            "SKba8bc05eacf94afdae398e642c9cc32d",
            "acba8bc05eacf94afdae398e642c9cc32d",
            "ACza8bc05eacf94afdae398e642c9cc32d",
            "ACba8bc05eacf94afdae398e642c9cc3é",
        ] {
            assert!(AccountSid::parse(raw).is_none(), "{raw}");
        }
        assert!(KeySid::parse("ACba8bc05eacf94afdae398e642c9cc32d").is_none());
    }

    #[test]
    fn generated_sids_are_lowercase_and_parse() {
        let sid = KeySid::generate();
        assert_eq!(sid.as_str().len(), KeySid::LEN);
        assert!(sid.as_str().starts_with("SK"));
        assert_eq!(sid.as_str()[2..], sid.as_str()[2..].to_lowercase());
        assert_eq!(KeySid::parse(sid.as_str()), Some(sid));
    }
}
