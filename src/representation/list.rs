//! The paging envelope of every list: figures, links that keep the filters, and both renderings.
//! Each list says what it carries (`ListSpec`); its items render themselves (`Representation`).
use super::xml::XmlDoc;
use super::{Format, Representation};
use crate::domain::{Page, PageCursor, PageRequest, SidKind};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// How one list presents itself.
pub struct ListSpec {
    /// The JSON key of the items, e.g. `accounts`.
    pub key: &'static str,
    /// The XML element around the items, e.g. `Accounts`.
    pub xml_root: &'static str,
    /// The list's path without a format suffix, e.g. `/2010-04-01/Accounts`.
    pub path: String,
    /// The filters given, as name and value, in the order links carry them.
    pub filters: Vec<(&'static str, String)>,
    /// Lists of the 2010 API count their items (`total`, `num_pages`, `last_page_uri`); modern
    /// ones do not.
    pub total: Option<u64>,
}

/// The figures a counted list adds.
#[derive(Debug, PartialEq, Eq)]
pub struct Totals {
    pub total: u64,
    pub num_pages: u64,
    pub last_page_uri: String,
}

/// Figures and links of one page, as Twilio names them.
#[derive(Debug, PartialEq, Eq)]
pub struct Envelope {
    pub page: u32,
    pub page_size: u32,
    pub start: u64,
    pub end: u64,
    pub uri: String,
    pub first_page_uri: String,
    pub previous_page_uri: Option<String>,
    pub next_page_uri: Option<String>,
    pub totals: Option<Totals>,
}

impl Envelope {
    /// `sid` names an item for a page token.
    pub fn new<K: SidKind, T>(
        spec: &ListSpec,
        request: &PageRequest<K>,
        page: &Page<T>,
        sid: impl Fn(&T) -> &crate::domain::Sid<K>,
        format: Format,
    ) -> Self {
        let link = |number: u64, cursor: Option<PageCursor<K>>| {
            spec.uri(format, Some(number), Some(&request.page_size.to_string()), cursor.as_ref())
        };
        let uri = spec.uri(
            format,
            request.page_given.map(u64::from),
            request.page_size_given.as_deref(),
            request.cursor.as_ref(),
        );
        let totals = spec.total.map(|total| {
            let num_pages = total.div_ceil(u64::from(request.page_size));
            Totals { total, num_pages, last_page_uri: link(num_pages.saturating_sub(1), None) }
        });
        let number = u64::from(request.page);
        let (previous, next) = match (page.items.first(), page.items.last()) {
            (Some(first), Some(last)) => (
                (number > 0).then(|| link(number - 1, Some(PageCursor::Before(sid(first).clone())))),
                page.has_next.then(|| link(number + 1, Some(PageCursor::After(sid(last).clone())))),
            ),
            // An empty page past the end of a counted list points back at its last page; page 0
            // of an empty list has nowhere to point.
            _ => (totals.as_ref().filter(|t| t.total > 0 || number > 0).map(|t| t.last_page_uri.clone()), None),
        };
        let start = request.offset();
        let count = page.items.len() as u64;
        Self {
            page: request.page,
            page_size: request.page_size,
            start,
            end: if count == 0 { start } else { start + count - 1 },
            uri,
            first_page_uri: link(0, None),
            previous_page_uri: previous,
            next_page_uri: next,
            totals,
        }
    }
}

impl ListSpec {
    /// `{path}{ext}?{filters}&Page&PageSize&PageToken`, each only when given.
    fn uri<K: SidKind>(
        &self,
        format: Format,
        page: Option<u64>,
        page_size: Option<&str>,
        cursor: Option<&PageCursor<K>>,
    ) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in &self.filters {
            query.append_pair(name, value);
        }
        if let Some(page) = page {
            query.append_pair("Page", &page.to_string());
        }
        if let Some(size) = page_size {
            query.append_pair("PageSize", size);
        }
        if let Some(cursor) = cursor {
            query.append_pair("PageToken", &cursor.token());
        }
        let query = query.finish();
        let path = format!("{}{}", self.path, format.uri_suffix());
        if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        }
    }
}

/// A list page as a whole body.
pub fn render<R: Representation>(spec: &ListSpec, envelope: &Envelope, items: &[R], format: Format) -> Vec<u8> {
    match format {
        Format::Json => serde_json::to_vec(&JsonPage { spec, envelope, items }).expect("a page serializes"),
        Format::Xml => {
            let figure = |n: u64| n.to_string();
            let link = |uri: &Option<String>| uri.clone().unwrap_or_default();
            let totals = envelope.totals.as_ref();
            let mut attributes: Vec<(&str, String)> = vec![("page", figure(envelope.page.into()))];
            attributes.extend(totals.map(|t| ("numpages", figure(t.num_pages))));
            attributes.push(("pagesize", figure(envelope.page_size.into())));
            attributes.extend(totals.map(|t| ("total", figure(t.total))));
            attributes.extend([
                ("start", figure(envelope.start)),
                ("end", figure(envelope.end)),
                ("uri", envelope.uri.clone()),
                ("firstpageuri", envelope.first_page_uri.clone()),
                ("previouspageuri", link(&envelope.previous_page_uri)),
                ("nextpageuri", link(&envelope.next_page_uri)),
            ]);
            attributes.extend(totals.map(|t| ("lastpageuri", t.last_page_uri.clone())));
            let attributes: Vec<(&str, &str)> =
                attributes.iter().map(|(name, value)| (*name, value.as_str())).collect();
            let mut doc = XmlDoc::new();
            doc.open_with(spec.xml_root, &attributes);
            for item in items {
                item.write_xml(&mut doc);
            }
            doc.close(spec.xml_root);
            doc.finish()
        }
    }
}

/// Serialized as a map so the keys keep Twilio's order, with a counted list's figures in place.
struct JsonPage<'a, R> {
    spec: &'a ListSpec,
    envelope: &'a Envelope,
    items: &'a [R],
}

impl<R: Representation> Serialize for JsonPage<'_, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (envelope, totals) = (self.envelope, self.envelope.totals.as_ref());
        let mut map = serializer.serialize_map(None)?;
        let items: Vec<_> = self.items.iter().map(Representation::to_json).collect();
        map.serialize_entry(self.spec.key, &items)?;
        map.serialize_entry("page", &envelope.page)?;
        if let Some(totals) = totals {
            map.serialize_entry("num_pages", &totals.num_pages)?;
        }
        map.serialize_entry("page_size", &envelope.page_size)?;
        if let Some(totals) = totals {
            map.serialize_entry("total", &totals.total)?;
        }
        map.serialize_entry("start", &envelope.start)?;
        map.serialize_entry("end", &envelope.end)?;
        map.serialize_entry("uri", &envelope.uri)?;
        map.serialize_entry("first_page_uri", &envelope.first_page_uri)?;
        map.serialize_entry("previous_page_uri", &envelope.previous_page_uri)?;
        map.serialize_entry("next_page_uri", &envelope.next_page_uri)?;
        if let Some(totals) = totals {
            map.serialize_entry("last_page_uri", &totals.last_page_uri)?;
        }
        map.end()
    }
}
