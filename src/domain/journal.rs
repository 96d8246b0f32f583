//! The request journal: what a tenant's callers sent and what they got back (CONTROL.md).
use super::{AccountSid, FaultId, Timestamp};

/// One answered request. Never a secret: parameters that look like one are redacted before this
/// is built, and the credential is only its SID.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalEntry {
    pub tenant: AccountSid,
    /// The answer's `Twilio-Request-Id`.
    pub request_id: String,
    pub date: Timestamp,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// The form body as `{name: [values]}` JSON.
    pub params: String,
    pub status: u16,
    pub code: Option<u32>,
    pub latency_us: u64,
    /// The SID the request authenticated with (`AC...` or `SK...`).
    pub credential: String,
    pub fault: Option<FaultId>,
}

/// `Status` of a journal query: one status, or a class such as `4xx`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Exact(u16),
    Class(u16),
}

impl StatusFilter {
    pub fn parse(raw: &str) -> Option<Self> {
        let bytes = raw.as_bytes();
        match bytes {
            [class @ b'1'..=b'5', b'x' | b'X', b'x' | b'X'] => Some(Self::Class(u16::from(class - b'0'))),
            [b'1'..=b'5', b'0'..=b'9', b'0'..=b'9'] => raw.parse().ok().map(Self::Exact),
            _ => None,
        }
    }

    /// The statuses it covers, as a closed range.
    pub fn range(self) -> (u16, u16) {
        match self {
            Self::Exact(status) => (status, status),
            Self::Class(class) => (class * 100, class * 100 + 99),
        }
    }
}

impl std::fmt::Display for StatusFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Exact(status) => write!(f, "{status}"),
            Self::Class(class) => write!(f, "{class}xx"),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalFilter {
    pub status: Option<StatusFilter>,
    pub method: Option<String>,
    pub credential: Option<String>,
}

/// Where a journal page continues: after the entry with this date and id, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JournalCursor {
    pub date_micros: i64,
    pub id: i64,
}

impl JournalCursor {
    /// `RJ<date in microseconds>-<id>`.
    pub fn parse(raw: &str) -> Option<Self> {
        let (date, id) = raw.strip_prefix("RJ")?.split_once('-')?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        (digits(date) && digits(id)).then_some(())?;
        Some(Self { date_micros: date.parse().ok()?, id: id.parse().ok()? })
    }

    pub fn token(self) -> String {
        format!("RJ{}-{}", self.date_micros, self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::{JournalCursor, StatusFilter};

    #[test]
    fn status_filters_are_a_status_or_a_class() {
        assert_eq!(StatusFilter::parse("200"), Some(StatusFilter::Exact(200)));
        assert_eq!(StatusFilter::parse("4xx"), Some(StatusFilter::Class(4)));
        assert_eq!(StatusFilter::parse("5XX").map(StatusFilter::range), Some((500, 599)));
        for raw in ["", "2", "20", "2000", "6xx", "0xx", "abc", "x00", "-20", "099"] {
            assert_eq!(StatusFilter::parse(raw), None, "{raw}");
        }
    }

    #[test]
    fn cursors_round_trip() {
        let cursor = JournalCursor { date_micros: 1_764_000_000_123_456, id: 42 };
        assert_eq!(JournalCursor::parse(&cursor.token()), Some(cursor));
        for raw in ["", "RJ", "RJ1", "RJ1-", "RJ-1", "RJa-1", "XX1-2", "RJ1-2-3", "RJ99999999999999999999-1"] {
            assert_eq!(JournalCursor::parse(raw), None, "{raw}");
        }
    }
}
