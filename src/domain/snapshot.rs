//! `SnapshotName`: 1 to 64 characters of `[A-Za-z0-9._-]`, what a tenant calls a saved state.
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SnapshotName(String);

impl SnapshotName {
    pub fn parse(raw: &str) -> Option<Self> {
        let valid = (1..=64).contains(&raw.len())
            && raw.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        valid.then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SnapshotName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::SnapshotName;

    #[test]
    fn names_are_1_to_64_safe_characters() {
        for raw in ["a", "fixture-v1.2_final", &"x".repeat(64)] {
            assert!(SnapshotName::parse(raw).is_some(), "{raw}");
        }
        for raw in ["", &"x".repeat(65), "with space", "slash/", "é", "semi;colon", "..%2F"] {
            assert!(SnapshotName::parse(raw).is_none(), "{raw}");
        }
    }
}
