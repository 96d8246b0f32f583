//! `FriendlyName`: 1 to 64 characters, none of them a control character.
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FriendlyName(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FriendlyNameError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most 64 characters long")]
    TooLong,
    #[error("must not contain control characters")]
    ControlCharacter,
}

impl FriendlyName {
    pub const MAX_CHARS: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, FriendlyNameError> {
        if raw.is_empty() {
            return Err(FriendlyNameError::Empty);
        }
        if raw.chars().count() > Self::MAX_CHARS {
            return Err(FriendlyNameError::TooLong);
        }
        // XML 1.0 cannot carry C0 controls, U+FFFE or U+FFFF, so no answer could show them back.
        if raw.chars().any(|c| c <= '\u{1f}' || c == '\u{7f}' || c == '\u{fffe}' || c == '\u{ffff}') {
            return Err(FriendlyNameError::ControlCharacter);
        }
        Ok(Self(raw.to_owned()))
    }

    /// The name Twilio gives a subaccount created without one (UTC, 24-hour clock, lowercase meridian).
    pub fn default_for_subaccount(now: chrono::DateTime<chrono::Utc>) -> Self {
        Self(now.format("SubAccount Created at %Y-%m-%d %H:%M %P").to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FriendlyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::{FriendlyName, FriendlyNameError};
    use chrono::TimeZone;

    #[test]
    fn counts_characters_not_bytes() {
        assert!(FriendlyName::parse(&"é".repeat(64)).is_ok());
        assert!(FriendlyName::parse(&"😀".repeat(64)).is_ok());
        assert_eq!(FriendlyName::parse(&"a".repeat(65)), Err(FriendlyNameError::TooLong));
    }

    #[test]
    fn rejects_empty_and_control_characters() {
        assert_eq!(FriendlyName::parse(""), Err(FriendlyNameError::Empty));
        for raw in ["a\u{0}b", "tab\there", "new\nline", "del\u{7f}", "non\u{fffe}char", "\u{ffff}"] {
            assert_eq!(FriendlyName::parse(raw), Err(FriendlyNameError::ControlCharacter));
        }
        assert!(FriendlyName::parse(" spaces & <xml> + emoji 🎉 ").is_ok());
    }

    #[test]
    fn default_name_uses_24_hour_clock_and_lowercase_meridian() {
        let at = chrono::Utc.with_ymd_and_hms(2026, 11, 27, 16, 19, 59).unwrap();
        assert_eq!(FriendlyName::default_for_subaccount(at).as_str(), "SubAccount Created at 2026-11-27 16:19 pm");
        let morning = chrono::Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        assert_eq!(FriendlyName::default_for_subaccount(morning).as_str(), "SubAccount Created at 2026-01-02 03:04 am");
    }
}
