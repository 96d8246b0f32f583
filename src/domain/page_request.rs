//! `PageRequest`: the filters and paging parameters of a list, parsed once at the edge.
use super::{AccountSid, AccountStatus, FriendlyName};

pub const DEFAULT_PAGE_SIZE: u32 = 50;
pub const MAX_PAGE_SIZE: u32 = 1000;

/// A position in the list order: `PA<sid>` is the page after that account, `PB<sid>` the page before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageCursor {
    After(AccountSid),
    Before(AccountSid),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("PageToken is not valid")]
pub struct PageTokenError;

impl PageCursor {
    pub fn parse(raw: &str) -> Result<Self, PageTokenError> {
        let (kind, sid) = (raw.get(..2), raw.get(2..));
        let sid = sid.and_then(AccountSid::parse).ok_or(PageTokenError)?;
        match kind {
            Some("PA") => Ok(Self::After(sid)),
            Some("PB") => Ok(Self::Before(sid)),
            _ => Err(PageTokenError),
        }
    }

    pub fn sid(&self) -> &AccountSid {
        match self {
            Self::After(sid) | Self::Before(sid) => sid,
        }
    }

    pub fn token(&self) -> String {
        match self {
            Self::After(sid) => format!("PA{sid}"),
            Self::Before(sid) => format!("PB{sid}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub friendly_name: Option<FriendlyName>,
    pub status: Option<AccountStatus>,
    pub page: u32,
    pub page_size: u32,
    pub cursor: Option<PageCursor>,
    /// Which of Page and PageSize the request named, so its own `uri` can repeat exactly those.
    pub page_given: bool,
    pub page_size_given: bool,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            friendly_name: None,
            status: None,
            page: 0,
            page_size: DEFAULT_PAGE_SIZE,
            cursor: None,
            page_given: false,
            page_size_given: false,
        }
    }
}

impl PageRequest {
    /// Rows to skip for a direct `Page=N` jump.
    pub fn offset(&self) -> u64 {
        u64::from(self.page) * u64::from(self.page_size)
    }

    /// Parses a non-negative decimal integer written with digits only (no sign, no spaces).
    pub fn parse_number(raw: &str) -> Option<u32> {
        if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        raw.parse().ok()
    }

    pub fn parse_page_size(raw: &str) -> Option<u32> {
        Self::parse_number(raw).filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
    }
}

#[cfg(test)]
mod tests {
    use super::{PageCursor, PageRequest};

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let sid = "ACba8bc05eacf94afdae398e642c9cc32d";
        let after = PageCursor::parse(&format!("PA{sid}")).unwrap();
        assert_eq!(after.token(), format!("PA{sid}"));
        assert!(matches!(PageCursor::parse(&format!("PB{sid}")), Ok(PageCursor::Before(_))));
        for raw in ["", "PA", "PC".to_owned().as_str(), "PAAC12", "pa", "PÄ"] {
            assert!(PageCursor::parse(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn numbers_are_plain_digits() {
        assert_eq!(PageRequest::parse_number("0"), Some(0));
        assert_eq!(PageRequest::parse_number("007"), Some(7));
        for raw in ["", "-1", "+1", "1.0", " 1", "1e3", "99999999999"] {
            assert_eq!(PageRequest::parse_number(raw), None, "{raw}");
        }
        assert_eq!(PageRequest::parse_page_size("1000"), Some(1000));
        assert_eq!(PageRequest::parse_page_size("1001"), None);
        assert_eq!(PageRequest::parse_page_size("0"), None);
    }
}
