//! Paging of every list: the request (Page, PageSize, PageToken) and the page a store returns.
use super::sid::{Sid, SidKind};

pub const DEFAULT_PAGE_SIZE: u32 = 50;
/// Larger page sizes are served as this many (both helper libraries send `PageSize=limit`).
pub const MAX_PAGE_SIZE: u32 = 1000;

/// A position in a list's order: `PA<sid>` is the page after that item, `PB<sid>` the page before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageCursor<K: SidKind> {
    After(Sid<K>),
    Before(Sid<K>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("PageToken is not valid")]
pub struct PageTokenError;

impl<K: SidKind> PageCursor<K> {
    pub fn parse(raw: &str) -> Result<Self, PageTokenError> {
        let (kind, sid) = (raw.get(..2), raw.get(2..));
        let sid = sid.and_then(Sid::parse).ok_or(PageTokenError)?;
        match kind {
            Some("PA") => Ok(Self::After(sid)),
            Some("PB") => Ok(Self::Before(sid)),
            _ => Err(PageTokenError),
        }
    }

    pub fn sid(&self) -> &Sid<K> {
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

/// `Page`, `PageSize` and `PageToken` of a list request, parsed once at the edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest<K: SidKind> {
    pub page: u32,
    /// The size served: the requested one, at most `MAX_PAGE_SIZE`.
    pub page_size: u32,
    pub cursor: Option<PageCursor<K>>,
    /// Page and PageSize as the request named them, so its own `uri` repeats exactly those.
    pub page_given: Option<u32>,
    /// The PageSize's digits without leading zeros, exact however large.
    pub page_size_given: Option<String>,
}

impl<K: SidKind> Default for PageRequest<K> {
    fn default() -> Self {
        Self { page: 0, page_size: DEFAULT_PAGE_SIZE, cursor: None, page_given: None, page_size_given: None }
    }
}

/// Which rows a page covers, in the list's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Window<K: SidKind> {
    /// `limit` rows after skipping `offset` (a direct `Page=N`).
    Offset { offset: u64, limit: u32 },
    /// `limit` rows after the cursor's item.
    After { sid: Sid<K>, limit: u32 },
    /// `limit` rows before the cursor's item.
    Before { sid: Sid<K>, limit: u32 },
}

impl<K: SidKind> Window<K> {
    pub fn limit(&self) -> u32 {
        match self {
            Self::Offset { limit, .. } | Self::After { limit, .. } | Self::Before { limit, .. } => *limit,
        }
    }
}

impl<K: SidKind> PageRequest<K> {
    /// The rows this request asks for.
    pub fn window(&self) -> Window<K> {
        let limit = self.page_size;
        match &self.cursor {
            None => Window::Offset { offset: self.offset(), limit },
            Some(PageCursor::After(sid)) => Window::After { sid: sid.clone(), limit },
            Some(PageCursor::Before(sid)) => Window::Before { sid: sid.clone(), limit },
        }
    }

    /// Rows before this page's first, as `start` counts them.
    pub fn offset(&self) -> u64 {
        u64::from(self.page) * u64::from(self.page_size)
    }

    /// A non-negative decimal integer written with digits only (no sign, no spaces).
    pub fn parse_number(raw: &str) -> Option<u32> {
        digits(raw).then(|| raw.parse().ok()).flatten()
    }

    /// The page size served for a PageSize value: 1 or more, above the maximum served as the maximum.
    pub fn parse_page_size(raw: &str) -> Option<u32> {
        if !digits(raw) {
            return None;
        }
        // Digits too many for a u64 are a number above the maximum all the same.
        let size = raw.parse::<u64>().unwrap_or(u64::MAX);
        (size >= 1).then(|| size.min(u64::from(MAX_PAGE_SIZE)) as u32)
    }
}

fn digits(raw: &str) -> bool {
    !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit())
}

/// One page of a list as a store found it, in list order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Whether items follow this page's last one.
    pub has_next: bool,
}

impl<T> Page<T> {
    /// Shapes the rows a window fetched (one more than its limit, to see whether more follow).
    pub fn from_rows<K: SidKind>(mut items: Vec<T>, window: &Window<K>) -> Self {
        let limit = window.limit() as usize;
        let more = items.len() > limit;
        items.truncate(limit);
        match window {
            // Fetched nearest first; the cursor's own item follows this page.
            Window::Before { .. } => {
                items.reverse();
                Self { items, has_next: true }
            }
            _ => Self { items, has_next: more },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Page, PageCursor, PageRequest, Window};
    use crate::domain::{AccountKind, AccountSid};

    type Request = PageRequest<AccountKind>;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let sid = "ACba8bc05eacf94afdae398e642c9cc32d";
        let after = PageCursor::<AccountKind>::parse(&format!("PA{sid}")).unwrap();
        assert_eq!(after.token(), format!("PA{sid}"));
        assert!(matches!(PageCursor::<AccountKind>::parse(&format!("PB{sid}")), Ok(PageCursor::Before(_))));
        for raw in ["", "PA", "PC", "PAAC12", "pa", "PÄ", "PASKba8bc05eacf94afdae398e642c9cc32d"] {
            assert!(PageCursor::<AccountKind>::parse(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn numbers_are_plain_digits_and_large_page_sizes_are_served_as_1000() {
        assert_eq!(Request::parse_number("0"), Some(0));
        assert_eq!(Request::parse_number("007"), Some(7));
        for raw in ["", "-1", "+1", "1.0", " 1", "1e3", "99999999999"] {
            assert_eq!(Request::parse_number(raw), None, "{raw}");
        }
        assert_eq!(Request::parse_page_size("1000"), Some(1000));
        assert_eq!(Request::parse_page_size("1001"), Some(1000));
        assert_eq!(Request::parse_page_size("99999999999999999999999"), Some(1000));
        assert_eq!(Request::parse_page_size("0"), None);
        assert_eq!(Request::parse_page_size("-5"), None);
    }

    #[test]
    fn pages_look_one_row_ahead() {
        let offset = Window::<AccountKind>::Offset { offset: 0, limit: 2 };
        assert_eq!(Page::from_rows(vec![1, 2, 3], &offset), Page { items: vec![1, 2], has_next: true });
        assert_eq!(Page::from_rows(vec![1, 2], &offset), Page { items: vec![1, 2], has_next: false });
        let before = Window::Before { sid: AccountSid::generate(), limit: 2 };
        assert_eq!(Page::from_rows(vec![3, 2, 1], &before), Page { items: vec![2, 3], has_next: true });
    }
}
