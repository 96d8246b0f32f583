//! The paging envelope of a list: figures, links that keep the filters, and both renderings.
use super::account::{write_xml, JsonAccount, TokenView};
use super::xml::XmlDoc;
use super::{Format, API_PREFIX};
use crate::domain::{Account, PageCursor, PageRequest};
use serde::Serialize;

/// One page of accounts as the store found it.
pub struct PageSlice {
    pub accounts: Vec<Account>,
    /// Accounts matching the filters, on every page.
    pub total: u64,
    /// Whether accounts follow this page's last one.
    pub has_next: bool,
}

/// Figures and links of one page, as Twilio names them.
#[derive(Debug, PartialEq, Eq)]
pub struct Envelope {
    pub page: u32,
    pub num_pages: u64,
    pub page_size: u32,
    pub total: u64,
    pub start: u64,
    pub end: u64,
    pub uri: String,
    pub first_page_uri: Option<String>,
    pub previous_page_uri: Option<String>,
    pub next_page_uri: Option<String>,
    pub last_page_uri: Option<String>,
}

impl Envelope {
    pub fn new(request: &PageRequest, slice: &PageSlice, format: Format) -> Self {
        let size = u64::from(request.page_size);
        let num_pages = slice.total.div_ceil(size);
        let start = request.offset();
        let count = slice.accounts.len() as u64;
        let link = |page: u64, cursor: Option<PageCursor>| {
            Some(list_uri(request, format, Some(page), Some(request.page_size), cursor.as_ref()))
        };
        let uri = list_uri(
            request,
            format,
            request.page_given.then_some(u64::from(request.page)),
            request.page_size_given.then_some(request.page_size),
            request.cursor.as_ref(),
        );
        let (first, last) = match num_pages {
            0 => (None, None),
            n => (link(0, None), link(n - 1, None)),
        };
        let (previous, next) = match (slice.accounts.first(), slice.accounts.last()) {
            (Some(first_row), Some(last_row)) => (
                (request.page > 0)
                    .then(|| link(u64::from(request.page) - 1, Some(PageCursor::Before(first_row.sid.clone()))))
                    .flatten(),
                slice
                    .has_next
                    .then(|| link(u64::from(request.page) + 1, Some(PageCursor::After(last_row.sid.clone()))))
                    .flatten(),
            ),
            // An empty page past the end points back at the last page (nothing at all for an empty list).
            _ => (last.clone(), None),
        };
        Self {
            page: request.page,
            num_pages,
            page_size: request.page_size,
            total: slice.total,
            start,
            end: if count == 0 { start } else { start + count - 1 },
            uri,
            first_page_uri: first,
            previous_page_uri: previous,
            next_page_uri: next,
            last_page_uri: last,
        }
    }
}

/// `/2010-04-01/Accounts{ext}?FriendlyName&Status&Page&PageSize&PageToken`, each only when given.
fn list_uri(
    request: &PageRequest,
    format: Format,
    page: Option<u64>,
    page_size: Option<u32>,
    cursor: Option<&PageCursor>,
) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if let Some(name) = &request.friendly_name {
        query.append_pair("FriendlyName", name.as_str());
    }
    if let Some(status) = request.status {
        query.append_pair("Status", status.as_str());
    }
    if let Some(page) = page {
        query.append_pair("Page", &page.to_string());
    }
    if let Some(size) = page_size {
        query.append_pair("PageSize", &size.to_string());
    }
    if let Some(cursor) = cursor {
        query.append_pair("PageToken", &cursor.token());
    }
    let query = query.finish();
    let path = format!("{API_PREFIX}/Accounts{}", format.uri_suffix());
    if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    }
}

#[derive(Serialize)]
struct JsonPage<'a> {
    accounts: Vec<JsonAccount<'a>>,
    page: u32,
    num_pages: u64,
    page_size: u32,
    total: u64,
    start: u64,
    end: u64,
    uri: &'a str,
    first_page_uri: Option<&'a str>,
    previous_page_uri: Option<&'a str>,
    next_page_uri: Option<&'a str>,
    last_page_uri: Option<&'a str>,
}

pub fn render(envelope: &Envelope, accounts: &[Account], format: Format) -> Vec<u8> {
    match format {
        Format::Json => serde_json::to_vec(&JsonPage {
            accounts: accounts.iter().map(|account| JsonAccount::new(account, TokenView::Redacted)).collect(),
            page: envelope.page,
            num_pages: envelope.num_pages,
            page_size: envelope.page_size,
            total: envelope.total,
            start: envelope.start,
            end: envelope.end,
            uri: &envelope.uri,
            first_page_uri: envelope.first_page_uri.as_deref(),
            previous_page_uri: envelope.previous_page_uri.as_deref(),
            next_page_uri: envelope.next_page_uri.as_deref(),
            last_page_uri: envelope.last_page_uri.as_deref(),
        })
        .expect("serialize page"),
        Format::Xml => {
            let figures = [
                envelope.page.to_string(),
                envelope.num_pages.to_string(),
                envelope.page_size.to_string(),
                envelope.total.to_string(),
                envelope.start.to_string(),
                envelope.end.to_string(),
            ];
            let text = |link: &Option<String>| link.clone().unwrap_or_default();
            let links = [
                envelope.uri.clone(),
                text(&envelope.first_page_uri),
                text(&envelope.previous_page_uri),
                text(&envelope.next_page_uri),
                text(&envelope.last_page_uri),
            ];
            let names = [
                "page",
                "numpages",
                "pagesize",
                "total",
                "start",
                "end",
                "uri",
                "firstpageuri",
                "previouspageuri",
                "nextpageuri",
                "lastpageuri",
            ];
            let values = figures.iter().chain(links.iter()).map(String::as_str);
            let attributes: Vec<(&str, &str)> = names.into_iter().zip(values).collect();
            let mut doc = XmlDoc::new();
            doc.open_with("Accounts", &attributes);
            for account in accounts {
                write_xml(&mut doc, account, TokenView::Redacted);
            }
            doc.close("Accounts");
            doc.finish()
        }
    }
}
