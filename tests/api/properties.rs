//! Property-based tests of every parser at the edge.
//!
//! 1. Pure properties of `Params::parse`, `AccountSid::parse`, `PageCursor::parse`,
//!    `PageRequest::parse_number`/`parse_page_size` and `FriendlyName::parse`, each against an
//!    independent oracle written from BEHAVIOUR.md.
//! 2. Black-box HTTP properties, one running server (SQLite) per property: arbitrary bytes in the
//!    Authorization header, in the list's query string, in POST bodies to the list and to an
//!    instance, and arbitrary path segments after `/2010-04-01/Accounts/`. Every answer must be a
//!    Twilio-shaped success or error with a status in {200, 201, 400, 401, 403, 404, 405, 413},
//!    whose JSON or XML parses, that shows no SID the caller may not see, and that agrees with a
//!    small model of what the request should get.
//! 3. SQL-injection-looking strings in every parameter and in the path, on both backends.
//!
//! Every property prints how many cases it generated; see them with
//! `cargo test --test api properties -- --nocapture`. `PROPTEST_CASES=N` overrides the number of
//! cases of every property here and in isolation_model.rs.
use crate::backend_tests;
use crate::helpers::{form, Backend, Creds, Reply, TestApp};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestCaseResult, TestRunner};
use regex::Regex;
use reqwest::Method;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::sync::LazyLock;
use std::time::Instant;
use twilio_emulator::domain::{AccountSid, FriendlyName, PageCursor, PageRequest};
use twilio_emulator::form::Params;

// ---------------------------------------------------------------------------------------------
// Running properties and counting their cases
// ---------------------------------------------------------------------------------------------

/// The number of cases of a property: `PROPTEST_CASES` if set, else `default`.
pub(crate) fn case_count(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

/// Runs `test` on `cases` values of `strategy` (shrinking any failure), and prints how many
/// values were generated and how long it took. No regression file is written: the failure
/// message carries the minimal input.
fn check_property<S: Strategy>(name: &str, default_cases: u32, strategy: S, test: impl Fn(S::Value) -> TestCaseResult) {
    let mut config = Config::with_cases(case_count(default_cases));
    config.failure_persistence = None;
    let cases = config.cases;
    let mut runner = TestRunner::new(config);
    let runs = Cell::new(0u64);
    TALLY.with(|tally| tally.borrow_mut().clear());
    let started = Instant::now();
    let outcome = runner.run(&strategy, |value| {
        runs.set(runs.get() + 1);
        test(value)
    });
    eprintln!(
        "property {name}: {} cases generated and run ({cases} required) in {:.2?}",
        runs.get(),
        started.elapsed()
    );
    let answers: Vec<String> = TALLY.with(|tally| {
        tally
            .borrow()
            .iter()
            .map(|((status, code), n)| match code {
                0 => format!("{status}: {n}"),
                _ => format!("{status}/{code}: {n}"),
            })
            .collect()
    });
    if !answers.is_empty() {
        eprintln!("property {name}: answers {}", answers.join(", "));
    }
    if let Err(error) = outcome {
        panic!("property {name} failed: {error}");
    }
}

thread_local! {
    /// How often each (status, Twilio code) came back in the property running on this thread.
    static TALLY: RefCell<BTreeMap<(u16, u64), u32>> = RefCell::default();
}

/// Counts an answer towards the summary `check_property` prints.
fn tally(answer: &Answer, status: u16) {
    let (_, code) = answer.status_and_code();
    TALLY.with(|tally| *tally.borrow_mut().entry((status, code)).or_default() += 1);
}

fn fail(message: impl Into<String>) -> TestCaseError {
    TestCaseError::fail(message.into())
}

// ---------------------------------------------------------------------------------------------
// Oracles written from BEHAVIOUR.md, independent of src/
// ---------------------------------------------------------------------------------------------

/// Strict form decoding of one name or value: `+` is a space, `%` must be followed by two hex
/// digits, and the result must be UTF-8.
fn reference_decode(raw: &[u8]) -> Option<String> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hex = raw.get(i + 1..i + 3)?;
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
                i += 3;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Strict form decoding of a whole body or query: pairs split on `&` (empty pieces skipped),
/// then on the first `=`.
fn reference_pairs(raw: &[u8]) -> Option<Vec<(String, String)>> {
    raw.split(|b| *b == b'&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (name, value) = match piece.iter().position(|b| *b == b'=') {
                Some(at) => (&piece[..at], &piece[at + 1..]),
                None => (piece, &b""[..]),
            };
            Some((reference_decode(name)?, reference_decode(value)?))
        })
        .collect()
}

/// Whether some `%` is not followed by two hex digits.
fn has_bad_escape(raw: &[u8]) -> bool {
    raw.iter()
        .enumerate()
        .any(|(i, b)| *b == b'%' && !raw.get(i + 1..i + 3).is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)))
}

/// The value of `name` if given exactly once; `Err` if repeated.
fn reference_single<'a>(pairs: &'a [(String, String)], name: &str) -> Result<Option<&'a str>, ()> {
    let mut values = pairs.iter().filter(|(key, _)| key == name);
    match (values.next(), values.next()) {
        (Some(_), Some(_)) => Err(()),
        (first, _) => Ok(first.map(|(_, value)| value.as_str())),
    }
}

/// `AC` followed by 32 hex digits, either case.
fn is_sid(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    bytes.len() == 34 && bytes.starts_with(b"AC") && bytes[2..].iter().all(u8::is_ascii_hexdigit)
}

/// A non-negative decimal integer in digits only that fits in 32 bits.
fn reference_number(raw: &str) -> Option<u32> {
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let significant = raw.trim_start_matches('0');
    if significant.len() > 10 {
        return None;
    }
    let value: u64 = if significant.is_empty() { 0 } else { significant.parse().ok()? };
    u32::try_from(value).ok()
}

/// 1..64 characters, none that XML 1.0 cannot carry: U+0000-U+001F, U+007F (as BEHAVIOUR.md
/// says), U+FFFE and U+FFFF (refused the same way since the property tests found them).
fn reference_friendly_name(raw: &str) -> bool {
    let count = raw.chars().count();
    (1..=64).contains(&count) && !raw.chars().any(|c| c <= '\u{1f}' || matches!(c, '\u{7f}' | '\u{fffe}' | '\u{ffff}'))
}

fn reference_status(raw: &str) -> bool {
    matches!(raw, "active" | "suspended" | "closed")
}

fn reference_page_size(raw: &str) -> Option<u32> {
    reference_number(raw).filter(|n| (1..=1000).contains(n))
}

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

/// Bytes biased towards what form decoding cares about: separators, escapes, hex digits and
/// pieces of multi-byte UTF-8, mixed with any byte at all.
fn form_bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            4 => any::<u8>(),
            4 => prop::sample::select(b"%&=+".to_vec()),
            3 => prop::sample::select(b"0123456789abcdefABCDEFgGzZ".to_vec()),
            1 => prop::sample::select(vec![0xc3u8, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0xff, 0x80]),
        ],
        0..max,
    )
}

/// `AC` + 32 hex digits with one character replaced by anything.
fn near_sid() -> impl Strategy<Value = String> {
    ("AC[0-9a-f]{32}", 0..34usize, any::<char>()).prop_map(|(sid, at, c)| {
        let mut chars: Vec<char> = sid.chars().collect();
        chars[at] = c;
        chars.into_iter().collect()
    })
}

fn sid_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "AC[0-9a-fA-F]{32}",
        "[ACac]{2}[0-9a-fA-FgG]{30,34}",
        near_sid(),
        "AC[0-9a-f]{32}[\\PC]{1,3}",
    ]
}

/// One of the encodings a client may use for a form: `+` (twilio-python), `%20` (twilio-node).
fn encode_pairs(pairs: &[(String, String)], percent_style: bool) -> String {
    if percent_style {
        use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
        pairs
            .iter()
            .map(|(name, value)| {
                format!(
                    "{}={}",
                    utf8_percent_encode(name, NON_ALPHANUMERIC),
                    utf8_percent_encode(value, NON_ALPHANUMERIC)
                )
            })
            .collect::<Vec<_>>()
            .join("&")
    } else {
        form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
    }
}

// ---------------------------------------------------------------------------------------------
// (a) Pure properties of the parsers
// ---------------------------------------------------------------------------------------------

#[test]
fn params_parse_never_panics_and_agrees_with_strict_decoding() {
    check_property(
        "Params::parse(arbitrary bytes)",
        2048,
        prop_oneof![form_bytes(64), prop::collection::vec(any::<u8>(), 0..256)],
        |raw| {
            let parsed = Params::parse(&raw);
            let expected = reference_pairs(&raw);
            prop_assert_eq!(parsed.is_ok(), expected.is_some(), "input {:?}", raw);
            if has_bad_escape(&raw) {
                prop_assert!(parsed.is_err(), "a bad % escape was accepted: {:?}", raw);
            }
            if let (Ok(params), Some(pairs)) = (parsed, expected) {
                for (name, _) in &pairs {
                    match reference_single(&pairs, name) {
                        Ok(value) => prop_assert_eq!(params.single(name).ok(), Some(value)),
                        Err(()) => prop_assert!(params.single(name).is_err()),
                    }
                }
                prop_assert_eq!(params.single("\u{1}absent").ok(), Some(None));
            }
            Ok(())
        },
    );
}

#[test]
fn params_parse_refuses_every_percent_without_two_hex_digits() {
    // prefix + `%` + (nothing | one hex digit at the end | a non-hex byte within two) + suffix
    let tail = prop_oneof![
        Just(Vec::new()),
        prop::sample::select(b"0123456789abcdefABCDEF".to_vec()).prop_map(|h| vec![h]),
        (
            any::<u8>().prop_filter("not hex", |b| !b.is_ascii_hexdigit()),
            any::<bool>(),
            prop::sample::select(b"0123456789abcdef".to_vec()),
        )
            .prop_map(|(bad, second, hex)| if second { vec![hex, bad] } else { vec![bad] }),
    ];
    check_property(
        "Params::parse(bad % escape)",
        1024,
        (form_bytes(24), tail, form_bytes(24), any::<bool>()),
        |(prefix, tail, suffix, at_end)| {
            let mut raw = prefix;
            raw.push(b'%');
            let ends_here = tail.len() < 2 && at_end;
            raw.extend(&tail);
            if !ends_here && tail.len() == 2 {
                raw.extend(&suffix);
            } else if !ends_here {
                // `%` then at most one hex digit, then something that is not a hex digit.
                raw.push(b'&');
                raw.extend(&suffix);
            }
            prop_assert!(has_bad_escape(&raw));
            prop_assert!(Params::parse(&raw).is_err(), "accepted {:?}", raw);
            Ok(())
        },
    );
}

#[test]
fn params_round_trip_through_both_client_encodings() {
    check_property(
        "Params round trip",
        1024,
        prop::collection::btree_map(any::<String>(), any::<String>(), 0..6),
        |map| {
            let pairs: Vec<(String, String)> = map.into_iter().collect();
            let plus = Params::parse(encode_pairs(&pairs, false).as_bytes())
                .map_err(|e| fail(format!("+ encoding refused: {e}")))?;
            let percent = Params::parse(encode_pairs(&pairs, true).as_bytes())
                .map_err(|e| fail(format!("%20 encoding refused: {e}")))?;
            prop_assert_eq!(&plus, &percent);
            for (name, value) in &pairs {
                prop_assert_eq!(plus.single(name).ok(), Some(Some(value.as_str())));
            }
            Ok(())
        },
    );
}

#[test]
fn account_sid_parse_accepts_exactly_ac_and_32_hex_digits() {
    check_property("AccountSid::parse", 2048, sid_like(), |raw| {
        let parsed = AccountSid::parse(&raw);
        prop_assert_eq!(parsed.is_some(), is_sid(&raw), "input {:?}", raw);
        if let Some(sid) = parsed {
            prop_assert_eq!(sid.as_str(), raw.as_str());
            prop_assert_eq!(sid.to_string(), raw);
        }
        Ok(())
    });
}

#[test]
fn page_cursor_parse_round_trips_its_token() {
    let tokens = prop_oneof![
        ("P[AB]", "AC[0-9a-fA-F]{32}").prop_map(|(kind, sid)| format!("{kind}{sid}")),
        ("[PpABC]{0,3}", sid_like()).prop_map(|(kind, sid)| format!("{kind}{sid}")),
        any::<String>(),
    ];
    check_property("PageCursor::parse", 2048, tokens, |raw| {
        let parsed = PageCursor::parse(&raw);
        let bytes = raw.as_bytes();
        let expected = bytes.len() == 36 && (bytes.starts_with(b"PA") || bytes.starts_with(b"PB")) && is_sid(&raw[2..]);
        prop_assert_eq!(parsed.is_ok(), expected, "input {:?}", raw);
        if let Ok(cursor) = parsed {
            prop_assert_eq!(cursor.token(), raw.clone());
            prop_assert_eq!(cursor.sid().as_str(), &raw[2..]);
            let after = matches!(cursor, PageCursor::After(_));
            prop_assert_eq!(after, raw.starts_with("PA"));
            prop_assert_eq!(PageCursor::parse(&cursor.token()), Ok(cursor));
        }
        Ok(())
    });
}

#[test]
fn page_numbers_are_plain_digits_that_fit() {
    let numbers = prop_oneof![
        any::<u32>().prop_map(|n| n.to_string()),
        (any::<u32>(), 0..4usize).prop_map(|(n, zeros)| format!("{}{n}", "0".repeat(zeros))),
        (0..=1001u32).prop_map(|n| n.to_string()),
        "[0-9]{0,25}",
        "[-+ 0-9.eE_x]{0,12}",
        any::<String>(),
    ];
    check_property("PageRequest::parse_number", 2048, numbers, |raw| {
        prop_assert_eq!(PageRequest::parse_number(&raw), reference_number(&raw), "input {:?}", raw);
        prop_assert_eq!(PageRequest::parse_page_size(&raw), reference_page_size(&raw), "input {:?}", raw);
        Ok(())
    });
}

#[test]
fn friendly_name_parse_counts_characters_and_refuses_controls() {
    let edge_chars = prop::collection::vec(
        prop::sample::select(vec!['a', ' ', 'é', '\u{1f}', '\u{7f}', '\u{80}', '\u{fffd}', '\u{fffe}', '\u{ffff}']),
        0..5,
    )
    .prop_map(|chars| chars.into_iter().collect::<String>());
    let names = prop_oneof![
        any::<String>(),
        ".{0,70}",
        "[\\x00-\\x7f]{0,4}",
        "[^\\x00-\\x1f]{60,68}",
        "\\PC{63,66}",
        edge_chars
    ];
    check_property("FriendlyName::parse", 2048, names, |raw| {
        let parsed = FriendlyName::parse(&raw);
        prop_assert_eq!(parsed.is_ok(), reference_friendly_name(&raw), "input {:?}", raw);
        if let Ok(name) = parsed {
            prop_assert_eq!(name.as_str(), raw.as_str());
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------
// Checking answers: Twilio's shape, well-formed XML, no leaked SID
// ---------------------------------------------------------------------------------------------

const ALLOWED_STATUSES: [u16; 8] = [200, 201, 400, 401, 403, 404, 405, 413];
const XML_DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

static SID_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"AC[0-9a-fA-F]{32}").unwrap());

/// Every SID-shaped string in a text.
pub(crate) fn sids_in(text: &str) -> Vec<String> {
    SID_IN_TEXT.find_iter(text).map(|m| m.as_str().to_owned()).collect()
}

/// The Twilio error codes each error status may carry.
fn codes_for(status: u16) -> &'static [u64] {
    match status {
        400 => &[20001, 21101, 21475, 21477, 21479, 21480, 21481],
        401 => &[20003],
        403 => &[20403],
        404 => &[20404],
        405 => &[20004],
        413 => &[20001],
        _ => &[],
    }
}

/// XML 1.0's `Char` production.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// A well-formed XML document: the paths of its elements, and its texts and attributes
/// as `(element path, text)` and `(path@attribute, value)`.
#[derive(Debug, Default)]
pub(crate) struct Xml {
    pub elements: Vec<String>,
    pub entries: Vec<(String, String)>,
}

impl Xml {
    /// The first text or attribute at this path.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.entries.iter().find(|(key, _)| key == path).map(|(_, value)| value.as_str())
    }

    /// Every text or attribute at this path, in document order.
    pub fn all(&self, path: &str) -> Vec<&str> {
        self.entries.iter().filter(|(key, _)| key == path).map(|(_, value)| value.as_str()).collect()
    }

    /// How many elements at this path.
    pub fn count(&self, path: &str) -> usize {
        self.elements.iter().filter(|key| *key == path).count()
    }
}

/// Parses an XML body strictly: declaration first, only XML 1.0 characters, one root,
/// matching end tags, valid entities and attributes.
pub(crate) fn parse_xml(body: &str) -> Result<Xml, String> {
    use quick_xml::events::{BytesStart, Event};
    fn open(start: &BytesStart, stack: &mut Vec<String>, xml: &mut Xml) -> Result<(), String> {
        let name =
            String::from_utf8(start.name().as_ref().to_vec()).map_err(|_| "element name is not UTF-8".to_owned())?;
        if stack.is_empty() && !xml.elements.is_empty() {
            return Err("more than one root element".into());
        }
        stack.push(name);
        let path = stack.join("/");
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|e| format!("bad attribute: {e}"))?;
            let key = String::from_utf8(attribute.key.as_ref().to_vec())
                .map_err(|_| "attribute name is not UTF-8".to_owned())?;
            let value = attribute.unescape_value().map_err(|e| format!("bad attribute value: {e}"))?;
            xml.entries.push((format!("{path}@{key}"), value.into_owned()));
        }
        xml.elements.push(path);
        Ok(())
    }
    if !body.starts_with(XML_DECLARATION) {
        return Err("no XML declaration first".into());
    }
    if let Some(c) = body.chars().find(|c| !is_xml_char(*c)) {
        return Err(format!("U+{:04X} is not a character XML 1.0 may carry", c as u32));
    }
    let mut reader = quick_xml::Reader::from_str(body);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<String> = Vec::new();
    let mut xml = Xml::default();
    loop {
        match reader.read_event().map_err(|e| format!("not well-formed: {e}"))? {
            Event::Start(start) => open(&start, &mut stack, &mut xml)?,
            Event::Empty(start) => {
                open(&start, &mut stack, &mut xml)?;
                stack.pop();
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Text(text) => {
                let text = text.unescape().map_err(|e| format!("bad text: {e}"))?;
                if stack.is_empty() {
                    if !text.trim().is_empty() {
                        return Err("text outside the root element".into());
                    }
                } else {
                    xml.entries.push((stack.join("/"), text.into_owned()));
                }
            }
            Event::Decl(_) => {}
            Event::Eof => break,
            other => return Err(format!("unexpected XML event {other:?}")),
        }
    }
    if xml.elements.is_empty() || !stack.is_empty() {
        return Err(format!("no root element or {} unclosed elements", stack.len()));
    }
    Ok(xml)
}

/// One account as an answer shows it (JSON or XML).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AccountView {
    pub sid: String,
    pub friendly_name: String,
    pub status: String,
    pub auth_token: String,
    /// JSON only.
    pub owner: Option<String>,
}

/// A reply whose shape was checked.
#[derive(Debug)]
pub(crate) enum Answer {
    Account(AccountView),
    List { accounts: Vec<AccountView>, total: u64 },
    Error { status: u16, code: u64, message: String },
}

impl Answer {
    pub fn status_and_code(&self) -> (u16, u64) {
        match self {
            Self::Account(_) | Self::List { .. } => (200, 0),
            Self::Error { status, code, .. } => (*status, *code),
        }
    }
}

const ACCOUNT_KEYS: [&str; 10] = [
    "auth_token",
    "date_created",
    "date_updated",
    "friendly_name",
    "owner_account_sid",
    "sid",
    "status",
    "subresource_uris",
    "type",
    "uri",
];
const LIST_KEYS: [&str; 12] = [
    "accounts",
    "end",
    "first_page_uri",
    "last_page_uri",
    "next_page_uri",
    "num_pages",
    "page",
    "page_size",
    "previous_page_uri",
    "start",
    "total",
    "uri",
];

fn keys(value: &serde_json::Value) -> Vec<&str> {
    let mut keys: Vec<&str> =
        value.as_object().map(|object| object.keys().map(String::as_str).collect()).unwrap_or_default();
    keys.sort_unstable();
    keys
}

fn json_account(value: &serde_json::Value) -> Result<AccountView, TestCaseError> {
    prop_assert_eq!(keys(value), ACCOUNT_KEYS.to_vec(), "account {}", value);
    let text = |key: &str| {
        value[key].as_str().map(str::to_owned).ok_or_else(|| fail(format!("{key} is not a string in {value}")))
    };
    Ok(AccountView {
        sid: text("sid")?,
        friendly_name: text("friendly_name")?,
        status: text("status")?,
        auth_token: text("auth_token")?,
        owner: Some(text("owner_account_sid")?),
    })
}

fn xml_accounts(xml: &Xml, at: &str) -> Result<Vec<AccountView>, TestCaseError> {
    let field = |name: &str| xml.all(&format!("{at}/{name}"));
    let (sids, names, statuses, tokens) = (field("Sid"), field("FriendlyName"), field("Status"), field("AuthToken"));
    let count = xml.count(at);
    for list in [&sids, &names, &statuses, &tokens] {
        prop_assert_eq!(list.len(), count, "{} fields in {:?}", at, xml);
    }
    Ok((0..count)
        .map(|i| AccountView {
            sid: sids[i].to_owned(),
            friendly_name: names[i].to_owned(),
            status: statuses[i].to_owned(),
            auth_token: tokens[i].to_owned(),
            owner: None,
        })
        .collect())
}

/// Checks that a reply is a Twilio-shaped answer in the format its path asks for, with an
/// allowed status, a body that parses, the headers its status needs and tokens shown only at
/// creation; returns what it says.
pub(crate) fn check_answer(reply: &Reply, path: &str) -> Result<Answer, TestCaseError> {
    let status = reply.status.as_u16();
    prop_assert!(ALLOWED_STATUSES.contains(&status), "status {} for {}: {}", status, path, reply.body);
    let json = path.ends_with(".json");
    let content_type = reply.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    prop_assert_eq!(
        content_type,
        if json { "application/json" } else { "application/xml" },
        "content type for {}",
        path
    );
    if status == 401 {
        prop_assert_eq!(reply.header("www-authenticate"), "Basic realm=\"Twilio API\"");
    }
    if status == 405 {
        prop_assert!(
            ["GET, POST", "GET, POST, PUT"].contains(&reply.header("allow")),
            "Allow: {}",
            reply.header("allow")
        );
    }
    let answer = if json {
        let value: serde_json::Value =
            serde_json::from_str(&reply.body).map_err(|e| fail(format!("not JSON ({e}): {}", reply.body)))?;
        if status >= 400 {
            prop_assert_eq!(keys(&value), vec!["code", "message", "more_info", "status"], "error body {}", reply.body);
            let code = value["code"].as_u64().ok_or_else(|| fail(format!("code: {}", reply.body)))?;
            prop_assert_eq!(value["status"].as_u64(), Some(u64::from(status)));
            let more_info = format!("https://www.twilio.com/docs/errors/{code}");
            prop_assert_eq!(value["more_info"].as_str(), Some(more_info.as_str()));
            let message = value["message"].as_str().ok_or_else(|| fail(format!("message: {}", reply.body)))?;
            Answer::Error { status, code, message: message.to_owned() }
        } else if value.get("accounts").is_some() {
            prop_assert_eq!(keys(&value), LIST_KEYS.to_vec(), "list body {}", reply.body);
            let accounts = value["accounts"]
                .as_array()
                .ok_or_else(|| fail("accounts is not an array"))?
                .iter()
                .map(json_account)
                .collect::<Result<Vec<_>, _>>()?;
            let total = value["total"].as_u64().ok_or_else(|| fail("total is not a number"))?;
            Answer::List { accounts, total }
        } else {
            Answer::Account(json_account(&value)?)
        }
    } else {
        let xml = parse_xml(&reply.body).map_err(|e| fail(format!("bad XML for {path} ({e}): {:?}", reply.body)))?;
        prop_assert_eq!(xml.elements.first().map(String::as_str), Some("TwilioResponse"));
        if status >= 400 {
            let text = |name: &str| {
                xml.get(&format!("TwilioResponse/RestException/{name}"))
                    .map(str::to_owned)
                    .ok_or_else(|| fail(format!("no {name} in {}", reply.body)))
            };
            let code: u64 = text("Code")?.parse().map_err(|_| fail(format!("Code: {}", reply.body)))?;
            prop_assert_eq!(text("Status")?, status.to_string());
            prop_assert_eq!(text("MoreInfo")?, format!("https://www.twilio.com/docs/errors/{code}"));
            Answer::Error { status, code, message: text("Message")? }
        } else if xml.count("TwilioResponse/Accounts") == 1 {
            let accounts = xml_accounts(&xml, "TwilioResponse/Accounts/Account")?;
            let total = xml
                .get("TwilioResponse/Accounts@total")
                .and_then(|t| t.parse().ok())
                .ok_or_else(|| fail(format!("total: {}", reply.body)))?;
            Answer::List { accounts, total }
        } else {
            let mut accounts = xml_accounts(&xml, "TwilioResponse/Account")?;
            prop_assert_eq!(accounts.len(), 1, "one account in {}", reply.body);
            Answer::Account(accounts.remove(0))
        }
    };
    match &answer {
        Answer::Error { code, .. } => {
            prop_assert!(codes_for(status).contains(code), "code {} with status {}", code, status);
        }
        Answer::Account(account) => {
            prop_assert!(matches!(status, 200 | 201), "status {}", status);
            if status == 201 {
                prop_assert!(
                    account.auth_token.len() == 32
                        && account.auth_token.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
                    "minted token {:?}",
                    account.auth_token
                );
            } else {
                prop_assert_eq!(account.auth_token.as_str(), "redacted");
            }
        }
        Answer::List { accounts, .. } => {
            prop_assert_eq!(status, 200);
            for account in accounts {
                prop_assert_eq!(account.auth_token.as_str(), "redacted");
            }
        }
    }
    Ok(answer)
}

/// Every SID in the body is one the caller may see, one the request itself named, or (in a 201)
/// the new account's, which must be none of the known ones.
fn check_no_leak(reply: &Reply, visible: &[&str], known: &[&str], request: &str) -> TestCaseResult {
    for sid in sids_in(&reply.body) {
        let fine = visible.contains(&sid.as_str())
            || request.contains(&sid)
            || (reply.status.as_u16() == 201 && !known.contains(&sid.as_str()));
        prop_assert!(fine, "leaked {} to a caller who may not see it: {}", sid, reply.body);
    }
    Ok(())
}

fn expect_error(answer: &Answer, status: u16, code: u64, what: &str) -> TestCaseResult {
    prop_assert_eq!(answer.status_and_code(), (status, code), "{}: {:?}", what, answer);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// (b) Black-box HTTP properties, one server per property
// ---------------------------------------------------------------------------------------------

/// Who sends a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Anonymous,
    /// The main account's SID with a wrong token.
    WrongToken,
    Main,
    Sub,
    /// The main account of another tenant.
    Other,
}

/// Every caller, authenticated ones more often.
const CALLERS: [Caller; 8] = [
    Caller::Anonymous,
    Caller::WrongToken,
    Caller::Main,
    Caller::Main,
    Caller::Sub,
    Caller::Sub,
    Caller::Other,
    Caller::Other,
];

/// One running server on SQLite with two tenants: `main` with `sub`, `other` with `other_sub`.
struct Server {
    app: Option<TestApp>,
    main: Creds,
    sub: Creds,
    other: Creds,
    other_sub: Creds,
    runtime: tokio::runtime::Runtime,
}

impl Server {
    fn start() -> Self {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("tokio runtime");
        let (app, main, sub, other, other_sub) = runtime.block_on(async {
            let app = TestApp::spawn(Backend::Sqlite).await;
            let main = app.tenant("Main").await;
            let sub = app.subaccount(&main, "Sub").await;
            let other = app.tenant("Other").await;
            let other_sub = app.subaccount(&other, "Other sub").await;
            (app, main, sub, other, other_sub)
        });
        Self { app: Some(app), main, sub, other, other_sub, runtime }
    }

    fn app(&self) -> &TestApp {
        self.app.as_ref().expect("the app runs until the server drops")
    }

    fn creds(&self, caller: Caller) -> Option<Creds> {
        match caller {
            Caller::Anonymous => None,
            Caller::WrongToken => {
                Some(Creds { sid: self.main.sid.clone(), token: "0123456789abcdef0123456789abcdef".into() })
            }
            Caller::Main => Some(self.main.clone()),
            Caller::Sub => Some(self.sub.clone()),
            Caller::Other => Some(self.other.clone()),
        }
    }

    fn known(&self) -> [&str; 4] {
        [&self.main.sid, &self.sub.sid, &self.other.sid, &self.other_sub.sid]
    }

    /// The SIDs a caller may see in an answer (a subaccount sees its owner's SID).
    fn visible(&self, caller: Caller) -> Vec<&str> {
        match caller {
            Caller::Anonymous | Caller::WrongToken => vec![],
            Caller::Main | Caller::Sub => vec![&self.main.sid, &self.sub.sid],
            Caller::Other => vec![&self.other.sid, &self.other_sub.sid],
        }
    }

    /// The SIDs a caller may read or change.
    fn reachable(&self, caller: Caller) -> Vec<&str> {
        match caller {
            Caller::Anonymous | Caller::WrongToken => vec![],
            Caller::Main => vec![&self.main.sid, &self.sub.sid],
            Caller::Sub => vec![&self.sub.sid],
            Caller::Other => vec![&self.other.sid, &self.other_sub.sid],
        }
    }

    /// The URL reqwest will send for a path (and query), as the server will see it.
    fn url(&self, path: &str) -> Result<reqwest::Url, TestCaseError> {
        reqwest::Url::parse(&format!("{}{path}", self.app().address))
            .map_err(|e| fail(format!("not a URL ({e}): {path:?}")))
    }

    fn request(&self, method: Method, path: &str, caller: Caller) -> reqwest::RequestBuilder {
        let mut request = self.app().raw(method, path);
        if let Some(creds) = self.creds(caller) {
            request = request.basic_auth(&creds.sid, Some(&creds.token));
        }
        request
    }

    fn execute(&self, request: reqwest::RequestBuilder) -> Reply {
        self.runtime.block_on(self.app().execute(request))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _context = self.runtime.enter();
        drop(self.app.take());
    }
}

/// Bytes a URL may carry as they are (including `%`, so malformed escapes reach the server);
/// everything else is sent percent-encoded.
fn encode_url_bytes(bytes: &[u8], extra_safe: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~!$'()*+,;=:@%".contains(&b) || extra_safe.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn encode_query(bytes: &[u8]) -> String {
    encode_url_bytes(bytes, b"&/?")
}

fn encode_path_segment(bytes: &[u8]) -> String {
    encode_url_bytes(bytes, b"")
}

/// Header values reqwest can send: visible ASCII, space, tab and obs-text.
fn header_bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            4 => 0x20u8..0x7f,
            1 => Just(b'\t'),
            1 => 0x80u8..=0xff,
            2 => prop::sample::select(b"Basic :=".to_vec()),
        ],
        0..max,
    )
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn any_authorization_header_but_the_right_one_is_401() {
    let server = Server::start();
    let valid = format!("{}:{}", server.main.sid, server.main.token).into_bytes();
    let sids = vec![
        server.main.sid.clone(),
        server.sub.sid.clone(),
        server.other.sid.clone(),
        "AC00000000000000000000000000000000".to_owned(),
        server.main.sid.to_uppercase().replacen("AC", "ac", 1),
    ];
    let header = prop_oneof![
        header_bytes(160),
        prop::collection::vec(any::<u8>(), 0..96).prop_map(|raw| format!("Basic {}", base64(&raw)).into_bytes()),
        (
            prop::sample::select(vec!["Basic", "basic", "BASIC", "Bearer", "Digest", ""]),
            prop::sample::select(vec![" ", "  ", "\t", ""]),
            prop::sample::select(sids),
            prop::sample::select(vec![":", "", "::", ": "]),
            any::<String>(),
        )
            .prop_map(|(scheme, gap, sid, colon, password)| {
                format!("{scheme}{gap}{}", base64(format!("{sid}{colon}{password}").as_bytes())).into_bytes()
            }),
        // The right credentials with one byte changed (never only a letter's case).
        (0..valid.len(), 1u8..=255).prop_filter("not a case change", |(_, flip)| *flip != 0x20).prop_map(
            move |(at, flip)| {
                let mut raw = valid.clone();
                raw[at] ^= flip;
                format!("Basic {}", base64(&raw)).into_bytes()
            }
        ),
    ];
    let paths = vec![
        "/2010-04-01/Accounts.json".to_owned(),
        "/2010-04-01/Accounts".to_owned(),
        "/2010-04-01/Accounts.xml".to_owned(),
        format!("/2010-04-01/Accounts/{}.json", server.main.sid),
        format!("/2010-04-01/Accounts/{}", server.sub.sid),
        format!("/2010-04-01/Accounts/{}.json", server.other.sid),
        "/2010-04-01/Accounts/not-a-sid.xml".to_owned(),
        "/2010-04-01/Calls.json".to_owned(),
    ];
    // The 401 of each path without any header: every other failure must look exactly the same.
    let anonymous: BTreeMap<String, String> = paths
        .iter()
        .map(|path| {
            let reply = server.execute(server.app().raw(Method::GET, path));
            assert_eq!(reply.status.as_u16(), 401, "{path}: {}", reply.body);
            (path.clone(), reply.body)
        })
        .collect();
    let methods = vec![Method::GET, Method::POST, Method::PUT, Method::DELETE];
    check_property(
        "HTTP Authorization header",
        512,
        (header, prop::sample::select(paths), prop::sample::select(methods)),
        |(header, path, method)| {
            let value = reqwest::header::HeaderValue::from_bytes(&header)
                .map_err(|e| fail(format!("strategy made an unsendable header ({e})")))?;
            let reply = server.execute(
                server
                    .app()
                    .raw(method.clone(), &path)
                    .header("authorization", value)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body("FriendlyName=x"),
            );
            let answer = check_answer(&reply, &path)?;
            tally(&answer, reply.status.as_u16());
            expect_error(&answer, 401, 20003, &format!("{method} {path}"))?;
            prop_assert_eq!(&reply.body, &anonymous[&path], "a 401 that differs");
            Ok(())
        },
    );
}

/// A parameter name and value for a list query or a POST body.
fn param_pairs(
    names: Vec<&'static str>,
    values: BoxedStrategy<String>,
) -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec(
        (
            prop_oneof![
                6 => prop::sample::select(names).prop_map(str::to_owned),
                1 => any::<String>(),
            ],
            values,
        ),
        0..5,
    )
}

/// How a client writes the pairs: `+`, `%20`, or raw (percent signs and all, which may be
/// malformed), or plain arbitrary bytes.
#[derive(Debug, Clone)]
enum Encoded {
    Pairs(Vec<(String, String)>, u8),
    Bytes(Vec<u8>),
}

impl Encoded {
    fn bytes(&self) -> Vec<u8> {
        match self {
            Self::Pairs(pairs, 0) => encode_pairs(pairs, false).into_bytes(),
            Self::Pairs(pairs, 1) => encode_pairs(pairs, true).into_bytes(),
            Self::Pairs(pairs, _) => {
                pairs.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("&").into_bytes()
            }
            Self::Bytes(bytes) => bytes.clone(),
        }
    }
}

fn encoded(names: Vec<&'static str>, values: BoxedStrategy<String>) -> impl Strategy<Value = Encoded> {
    prop_oneof![
        6 => (param_pairs(names, values), prop_oneof![2 => 0..2u8, 1 => Just(2u8)])
            .prop_map(|(pairs, style)| Encoded::Pairs(pairs, style)),
        1 => form_bytes(64).prop_map(Encoded::Bytes),
    ]
}

/// What a list as `caller` must answer for this (decoded) query, from BEHAVIOUR.md, on a server
/// whose accounts never change: `Ok(sids, total)` or `Err((status, code))`.
fn expected_list(server: &Server, caller: Caller, query: &[u8]) -> Result<(Vec<String>, u64), (u16, u64)> {
    let bad = (400, 20001);
    let Some(pairs) = reference_pairs(query) else {
        return Err(bad);
    };
    let single = |name| reference_single(&pairs, name).map_err(|()| bad);
    let name = single("FriendlyName")?;
    let status = single("Status")?;
    let page = single("Page")?;
    let page_size = single("PageSize")?;
    let token = single("PageToken")?;
    if name.is_some_and(|n| !reference_friendly_name(n))
        || status.is_some_and(|s| !reference_status(s))
        || page.is_some_and(|p| reference_number(p).is_none())
        || page_size.is_some_and(|s| reference_page_size(s).is_none())
    {
        return Err(bad);
    }
    let page = u64::from(page.and_then(reference_number).unwrap_or(0));
    let size = page_size.and_then(reference_page_size).unwrap_or(50) as usize;
    // (sid, name, status) in list order: DateCreated, then Sid.
    let scope: Vec<(&str, &str, &str)> = match caller {
        Caller::Main => vec![(&server.main.sid, "Main", "active"), (&server.sub.sid, "Sub", "active")],
        Caller::Sub => vec![(&server.sub.sid, "Sub", "active")],
        _ => unreachable!("lists are sent by the main account or its subaccount"),
    };
    let matches = |row: &(&str, &str, &str)| name.is_none_or(|n| n == row.1) && status.is_none_or(|s| s == row.2);
    let filtered: Vec<(usize, &str)> =
        scope.iter().enumerate().filter(|(_, row)| matches(row)).map(|(at, row)| (at, row.0)).collect();
    let total = filtered.len() as u64;
    let page_rows: Vec<&str> = match token {
        None => {
            let start = page.saturating_mul(size as u64);
            filtered.iter().skip(usize::try_from(start).unwrap_or(usize::MAX)).take(size).map(|(_, sid)| *sid).collect()
        }
        Some(token) => {
            let bytes = token.as_bytes();
            let kind = bytes.get(..2);
            let position =
                token.get(2..).filter(|sid| is_sid(sid)).and_then(|sid| scope.iter().position(|row| row.0 == sid));
            match (kind, position) {
                (Some(b"PA"), Some(at)) => {
                    filtered.iter().filter(|(i, _)| *i > at).take(size).map(|(_, sid)| *sid).collect()
                }
                (Some(b"PB"), Some(at)) => {
                    let before: Vec<&str> = filtered.iter().filter(|(i, _)| *i < at).map(|(_, sid)| *sid).collect();
                    before[before.len().saturating_sub(size)..].to_vec()
                }
                _ => return Err((400, 21481)),
            }
        }
    };
    Ok((page_rows.into_iter().map(str::to_owned).collect(), total))
}

#[test]
fn any_list_query_gets_a_twilio_answer() {
    let server = Server::start();
    let token_sids = vec![
        server.main.sid.clone(),
        server.sub.sid.clone(),
        server.other.sid.clone(),
        server.other_sub.sid.clone(),
        "AC0123456789abcdef0123456789abcdef".to_owned(),
    ];
    let values = prop_oneof![
        2 => any::<String>(),
        2 => prop::sample::select(vec!["Main", "Sub", "main", "", "Other", "active", "suspended", "closed", "Active", "0", "1", "2", "-1", "1000", "1001", "4294967296", "1e3", " 1"]).prop_map(str::to_owned),
        2 => "[0-9]{1,4}",
        2 => ("P[ABC]", prop::sample::select(token_sids)).prop_map(|(kind, sid)| format!("{kind}{sid}")),
        1 => ".{0,70}",
    ]
    .boxed();
    let queries =
        encoded(vec!["FriendlyName", "Status", "Page", "PageSize", "PageToken", "friendlyname", "pagesize"], values);
    let paths = vec!["/2010-04-01/Accounts.json", "/2010-04-01/Accounts.xml", "/2010-04-01/Accounts"];
    check_property(
        "HTTP list query string",
        512,
        (queries, prop::sample::select(paths), prop::sample::select(vec![Caller::Main, Caller::Main, Caller::Sub])),
        |(query, path, caller)| {
            let full = format!("{path}?{}", encode_query(&query.bytes()));
            let url = server.url(&full)?;
            let sent = url.query().unwrap_or("").to_owned();
            let reply = server.execute(server.request(Method::GET, &full, caller));
            let answer = check_answer(&reply, url.path())?;
            tally(&answer, reply.status.as_u16());
            check_no_leak(&reply, &server.visible(caller), &server.known(), &sent)?;
            match (expected_list(&server, caller, sent.as_bytes()), &answer) {
                (Ok((sids, total)), Answer::List { accounts, total: got }) => {
                    let got_sids: Vec<&str> = accounts.iter().map(|a| a.sid.as_str()).collect();
                    prop_assert_eq!(got_sids, sids, "page for ?{}", sent);
                    prop_assert_eq!(*got, total, "total for ?{}", sent);
                }
                (Err((status, code)), answer) => {
                    expect_error(answer, status, code, &format!("?{sent}"))?;
                }
                (Ok(_), answer) => return Err(fail(format!("?{sent}: expected a list, got {answer:?}"))),
            }
            Ok(())
        },
    );
}

const BODY_LIMIT: usize = 64 * 1024;

/// Content types a client may send with a body (`None`: no header, read as a form).
const CONTENT_TYPES: [Option<&str>; 9] = [
    None,
    Some("application/x-www-form-urlencoded"),
    Some("application/x-www-form-urlencoded; charset=UTF-8"),
    Some("Application/X-WWW-Form-Urlencoded"),
    Some("application/json"),
    Some("text/plain"),
    Some("multipart/form-data; boundary=x"),
    Some("application/x-www-form-urlencodedx"),
    Some("application/xml"),
];

/// Mostly form-encoded (as the helper libraries send), sometimes anything else.
fn content_types() -> impl Strategy<Value = Option<&'static str>> {
    prop_oneof![
        4 => prop::sample::select(CONTENT_TYPES[..3].to_vec()),
        1 => prop::sample::select(CONTENT_TYPES.to_vec()),
    ]
}

fn is_form(content_type: Option<&str>) -> bool {
    content_type.is_none_or(|value| {
        value.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/x-www-form-urlencoded")
    })
}

/// A POST body: form-ish bytes, or (rarely) one just over the 64 KiB limit.
#[derive(Debug, Clone)]
enum PostBody {
    Form(Encoded),
    Oversized(usize),
}

impl PostBody {
    fn bytes(&self) -> Vec<u8> {
        match self {
            Self::Form(encoded) => encoded.bytes(),
            Self::Oversized(extra) => {
                let mut body = b"FriendlyName=".to_vec();
                body.resize(BODY_LIMIT + extra, b'a');
                body
            }
        }
    }
}

fn post_bodies(values: BoxedStrategy<String>) -> impl Strategy<Value = PostBody> {
    prop_oneof![
        30 => encoded(vec!["FriendlyName", "Status", "friendlyname", "AuthToken", "Sid"], values)
            .prop_map(PostBody::Form),
        1 => (1..64usize).prop_map(PostBody::Oversized),
    ]
}

/// Values of FriendlyName and Status worth trying, and anything at all.
fn body_values() -> BoxedStrategy<String> {
    prop_oneof![
        3 => any::<String>(),
        2 => prop::sample::select(vec!["", "active", "suspended", "closed", "Active", "x", " ", "a+b", "%", "<&>"]).prop_map(str::to_owned),
        1 => ".{60,68}",
        2 => "[a-zA-Z0-9 ]{1,12}",
    ]
    .boxed()
}

/// The decoded parameters of a body as the server must read it, or the error it must answer.
fn expected_params(content_type: Option<&str>, body: &[u8]) -> Result<Vec<(String, String)>, (u16, u64)> {
    if body.len() > BODY_LIMIT {
        return Err((413, 20001));
    }
    if body.is_empty() {
        return Ok(Vec::new());
    }
    if !is_form(content_type) {
        return Err((400, 20001));
    }
    reference_pairs(body).ok_or((400, 20001))
}

fn send_body(
    server: &Server,
    method: Method,
    path: &str,
    creds: Option<&Creds>,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> Reply {
    let mut request = server.app().raw(method, path).body(body);
    if let Some(creds) = creds {
        request = request.basic_auth(&creds.sid, Some(&creds.token));
    }
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    server.execute(request)
}

static DEFAULT_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^SubAccount Created at \d{4}-\d\d-\d\d \d\d:\d\d [ap]m$").unwrap());

#[test]
fn any_create_body_gets_a_twilio_answer() {
    let server = Server::start();
    let paths = vec!["/2010-04-01/Accounts.json", "/2010-04-01/Accounts.xml", "/2010-04-01/Accounts"];
    check_property(
        "HTTP create body",
        512,
        (
            post_bodies(body_values()),
            content_types(),
            prop::sample::select(paths),
            prop::sample::select(vec![Caller::Main, Caller::Main, Caller::Main, Caller::Sub, Caller::Anonymous]),
        ),
        |(body, content_type, path, caller)| {
            let bytes = body.bytes();
            let expected = if caller == Caller::Anonymous {
                Err((401, 20003))
            } else {
                expected_params(content_type, &bytes).and_then(|pairs| {
                    if caller == Caller::Sub {
                        return Err((400, 21101));
                    }
                    match reference_single(&pairs, "FriendlyName") {
                        Err(()) => Err((400, 20001)),
                        Ok(Some(name)) if !reference_friendly_name(name) => Err((400, 20001)),
                        Ok(name) => Ok(name.map(str::to_owned)),
                    }
                })
            };
            let request_text = String::from_utf8_lossy(&bytes).into_owned();
            let creds = server.creds(caller);
            let reply = send_body(&server, Method::POST, path, creds.as_ref(), content_type, bytes);
            let answer = check_answer(&reply, path)?;
            tally(&answer, reply.status.as_u16());
            check_no_leak(&reply, &server.visible(caller), &server.known(), &request_text)?;
            match (expected, answer) {
                (Ok(name), Answer::Account(account)) => {
                    prop_assert_eq!(reply.status.as_u16(), 201);
                    match name {
                        Some(name) => prop_assert_eq!(&account.friendly_name, &name),
                        None => prop_assert!(
                            DEFAULT_NAME.is_match(&account.friendly_name),
                            "default name {:?}",
                            account.friendly_name
                        ),
                    }
                    prop_assert_eq!(account.status.as_str(), "active");
                    prop_assert!(is_sid(&account.sid));
                    if let Some(owner) = &account.owner {
                        prop_assert_eq!(owner, &server.main.sid);
                    }
                }
                (Err((status, code)), answer) => {
                    expect_error(&answer, status, code, &format!("{content_type:?} {body:?}"))?;
                }
                (Ok(_), answer) => return Err(fail(format!("expected a 201, got {answer:?}"))),
            }
            Ok(())
        },
    );
}

/// What the update property knows of the accounts it changes.
#[derive(Debug)]
struct UpdateModel {
    main_name: String,
    /// The subaccount being updated; replaced by a fresh one some time after it is closed.
    sub: Creds,
    sub_name: String,
    sub_status: String,
    closed_for: u32,
}

#[test]
fn any_update_body_gets_a_twilio_answer() {
    let server = Server::start();
    let model = RefCell::new(UpdateModel {
        main_name: "Main".into(),
        sub: server.sub.clone(),
        sub_name: "Sub".into(),
        sub_status: "active".into(),
        closed_for: 0,
    });
    let values = prop_oneof![
        3 => body_values(),
        3 => prop::sample::select(vec!["active", "suspended", "closed"]).prop_map(str::to_owned),
    ]
    .boxed();
    // (caller, target is the main account)
    let who = prop::sample::select(vec![
        (Caller::Main, false),
        (Caller::Main, false),
        (Caller::Main, true),
        (Caller::Sub, false),
    ]);
    let server_ref = &server;
    let strategy = (
        post_bodies(values),
        content_types(),
        prop::sample::select(vec!["", ".json", ".xml"]),
        prop::sample::select(vec![Method::POST, Method::PUT]),
        who,
    );
    check_property("HTTP update body", 512, strategy, |(body, content_type, ext, method, (caller, to_main))| {
        let mut model = model.borrow_mut();
        if model.sub_status == "closed" {
            model.closed_for += 1;
            if model.closed_for > 12 {
                let fresh = server_ref.runtime.block_on(server_ref.app().subaccount(&server_ref.main, "Sub"));
                model.sub = fresh;
                model.sub_name = "Sub".into();
                model.sub_status = "active".into();
                model.closed_for = 0;
            }
        }
        let target = if to_main { server_ref.main.sid.clone() } else { model.sub.sid.clone() };
        let path = format!("/2010-04-01/Accounts/{target}{ext}");
        let bytes = body.bytes();
        let expected = if caller == Caller::Sub && model.sub_status != "active" {
            Err((401, 20003))
        } else {
            expected_params(content_type, &bytes).and_then(|pairs| {
                let status = reference_single(&pairs, "Status").map_err(|()| (400, 20001))?;
                let name = reference_single(&pairs, "FriendlyName").map_err(|()| (400, 20001))?;
                if let Some(status) = status {
                    if caller == Caller::Sub {
                        return Err((403, 20403));
                    }
                    if to_main {
                        return Err((400, 21477));
                    }
                    if model.sub_status == "closed" {
                        return Err((400, 21479));
                    }
                    if !reference_status(status) {
                        return Err((400, 21475));
                    }
                }
                if name.is_some_and(|n| !reference_friendly_name(n)) {
                    return Err((400, 20001));
                }
                Ok((name.map(str::to_owned), status.map(str::to_owned)))
            })
        };
        let request_text = String::from_utf8_lossy(&bytes).into_owned();
        let creds = match caller {
            Caller::Sub => model.sub.clone(),
            _ => server_ref.main.clone(),
        };
        let reply = send_body(server_ref, method, &path, Some(&creds), content_type, bytes);
        let answer = check_answer(&reply, &path)?;
        tally(&answer, reply.status.as_u16());
        let visible = [server_ref.main.sid.as_str(), model.sub.sid.as_str()];
        check_no_leak(&reply, &visible, &server_ref.known(), &request_text)?;
        match (expected, answer) {
            (Ok((name, status)), Answer::Account(account)) => {
                prop_assert_eq!(reply.status.as_u16(), 200);
                prop_assert_eq!(&account.sid, &target);
                if to_main {
                    if let Some(name) = name {
                        model.main_name = name;
                    }
                    prop_assert_eq!(&account.friendly_name, &model.main_name);
                    prop_assert_eq!(account.status.as_str(), "active");
                } else {
                    if let Some(name) = name {
                        model.sub_name = name;
                    }
                    if let Some(status) = status {
                        model.sub_status = status;
                    }
                    prop_assert_eq!(&account.friendly_name, &model.sub_name);
                    prop_assert_eq!(&account.status, &model.sub_status);
                }
            }
            (Err((status, code)), answer) => {
                expect_error(&answer, status, code, &format!("{caller:?} {path} {content_type:?} {body:?}"))?;
            }
            (Ok(_), answer) => return Err(fail(format!("expected a 200, got {answer:?}"))),
        }
        Ok(())
    });
}

static INSTANCE_PATH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^/2010-04-01/Accounts/(AC[0-9a-f]{32})(\.json|\.xml)?$").unwrap());

#[test]
fn any_path_after_accounts_gets_a_twilio_answer() {
    let server = Server::start();
    let sids = vec![
        server.main.sid.clone(),
        server.sub.sid.clone(),
        server.other.sid.clone(),
        server.other_sub.sid.clone(),
        "AC0123456789abcdef0123456789abcdef".to_owned(),
        server.main.sid.to_uppercase(),
    ];
    let suffixes = prop_oneof![
        4 => prop::sample::select(vec!["", ".json", ".xml"]),
        1 => prop::sample::select(vec![
            ".csv", ".JSON", ".json.xml", "/Calls.json", "/", ".json/", "%2Ejson", "%00", "%3Fx=1",
        ]),
    ];
    let segment = prop_oneof![
        6 => (prop::sample::select(sids), suffixes).prop_map(|(sid, suffix)| format!("{sid}{suffix}")),
        2 => any::<String>().prop_map(|s| encode_path_segment(s.as_bytes())),
        2 => form_bytes(20).prop_map(|b| encode_path_segment(&b)),
        1 => near_sid().prop_map(|s| encode_path_segment(s.as_bytes())),
        1 => prop::sample::select(vec![".", "..", "", "%2e%2e", "%2F", "%41C", "Accounts", "Accounts.json", "%", "%zz", "%C3%28"]).prop_map(str::to_owned),
    ];
    let segments = prop_oneof![
        3 => segment.clone().prop_map(|s| vec![s]),
        1 => prop::collection::vec(segment, 2..4),
    ];
    let paths = segments.prop_map(|segments| format!("/2010-04-01/Accounts/{}", segments.join("/")));
    let methods = vec![Method::GET, Method::POST, Method::PUT, Method::DELETE, Method::PATCH];
    check_property(
        "HTTP path segments",
        512,
        (paths, prop::sample::select(methods), prop::sample::select(CALLERS.to_vec())),
        |(path, method, caller)| {
            let url = server.url(&path)?;
            let sent = url.path().to_owned();
            let request = server
                .request(method.clone(), &path, caller)
                .header("content-type", "application/x-www-form-urlencoded");
            let reply = server.execute(request);
            let answer = check_answer(&reply, &sent)?;
            tally(&answer, reply.status.as_u16());
            check_no_leak(&reply, &server.visible(caller), &server.known(), &sent)?;
            let (status, code) = answer.status_and_code();
            let authenticated = !matches!(caller, Caller::Anonymous | Caller::WrongToken);
            if !authenticated {
                prop_assert!(
                    status == 401 || (status == 404 && !sent.starts_with("/2010-04-01/")),
                    "{} {} as {:?}: {:?}",
                    method,
                    sent,
                    caller,
                    answer
                );
            } else if caller != Caller::Sub {
                prop_assert_ne!(status, 401, "{} {} as {:?}", method, sent, caller);
            }
            if let Some(found) = INSTANCE_PATH.captures(&sent) {
                let sid = &found[1];
                let expected = if !authenticated {
                    (401, 20003)
                } else if server.reachable(caller).contains(&sid) {
                    match method {
                        Method::GET | Method::POST | Method::PUT => (200, 0),
                        _ => (405, 20004),
                    }
                } else if caller == Caller::Sub {
                    (401, 20003)
                } else {
                    (404, 20404)
                };
                prop_assert_eq!((status, code), expected, "{} {} as {:?}: {:?}", method, sent, caller, answer);
                if let Answer::Account(account) = &answer {
                    prop_assert_eq!(account.sid.as_str(), sid);
                }
            }
            if let Answer::Error { status: 404, message, .. } = &answer {
                prop_assert_eq!(message, &format!("The requested resource {sent} was not found"));
            }
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------------------------
// Hostile strings: SQL injection and friends are inert everywhere, on both backends
// ---------------------------------------------------------------------------------------------

backend_tests!(sql_injection_strings_are_inert);

const HOSTILE: [&str; 24] = [
    "' OR 1=1 --",
    "' OR '1'='1",
    "\"; DROP TABLE accounts; --",
    "%' OR '1'='1",
    "'; DELETE FROM accounts WHERE '1'='1",
    "Robert'); DROP TABLE accounts;--",
    "' UNION SELECT sid, auth_token_hash, 1, 1, 1, 1, 1 FROM accounts --",
    "1; SELECT pg_sleep(5); --",
    "') OR ('a'='a",
    "\\'; --",
    "%",
    "_",
    "%%",
    "*",
    "\0",
    "a\0' OR 1=1 --",
    "$1",
    "?",
    "NULL",
    "<Account><Sid>AC00000000000000000000000000000000</Sid></Account>",
    "]]><!-- &amp; &lt; &#0; &#x1F;",
    "{\"sid\": \"AC00000000000000000000000000000000\"}",
    "' OR sid LIKE 'AC%",
    "'||(SELECT friendly_name FROM accounts LIMIT 1)||'",
];

fn percent(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn sids_of(reply: &Reply) -> Vec<String> {
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.body);
    reply.json()["accounts"].as_array().unwrap().iter().map(|a| a["sid"].as_str().unwrap().to_owned()).collect()
}

/// Every account of a tenant as `(sid, friendly_name, status)`.
async fn accounts_of(app: &TestApp, caller: &Creds) -> Vec<(String, String, String)> {
    let list = app.get("/2010-04-01/Accounts.json?PageSize=1000", Some(caller)).await.json();
    list["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let field = |key: &str| a[key].as_str().unwrap().to_owned();
            (field("sid"), field("friendly_name"), field("status"))
        })
        .collect()
}

fn xml_friendly_name(reply: &Reply) -> String {
    let xml = parse_xml(&reply.body).unwrap_or_else(|e| panic!("{e}: {}", reply.body));
    xml.get("TwilioResponse/Account/FriendlyName")
        .unwrap_or_else(|| panic!("no FriendlyName: {}", reply.body))
        .to_owned()
}

async fn sql_injection_strings_are_inert(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let renamed = app.subaccount(&main, "Renamed").await;
    let other = app.tenant("Other").await;
    let other_sub = app.subaccount(&other, "Other sub").await;
    let other_before = accounts_of(&app, &other).await;
    let mut created: Vec<(String, String)> = Vec::new(); // (sid, name)

    for hostile in HOSTILE {
        let valid_name = reference_friendly_name(hostile);
        let body = form(&[("FriendlyName", hostile)]);

        // Create, in JSON and in XML: stored and returned verbatim, or 20001.
        let json = app.post("/2010-04-01/Accounts.json", Some(&main), &body).await;
        let xml = app.post("/2010-04-01/Accounts.xml", Some(&main), &body).await;
        if valid_name {
            assert_eq!(json.status.as_u16(), 201, "{hostile:?}: {}", json.body);
            assert_eq!(json.json()["friendly_name"], hostile);
            assert_eq!(xml.status.as_u16(), 201, "{hostile:?}: {}", xml.body);
            assert_eq!(xml_friendly_name(&xml), hostile);
            for sid in [json.json()["sid"].as_str().unwrap().to_owned()]
                .into_iter()
                .chain(sids_in(&xml.body).into_iter().take(1))
            {
                let fetched = app.get(&format!("/2010-04-01/Accounts/{sid}.json"), Some(&main)).await;
                assert_eq!(fetched.json()["friendly_name"], hostile, "{}", fetched.body);
                let fetched_xml = app.get(&format!("/2010-04-01/Accounts/{sid}"), Some(&main)).await;
                assert_eq!(xml_friendly_name(&fetched_xml), hostile);
                created.push((sid, hostile.to_owned()));
            }
        } else {
            json.assert_error(400, 20001);
            xml.assert_error(400, 20001);
        }

        // List filter: exact and case-sensitive, so `%`, `_` and `' OR 1=1` match only themselves.
        let query = form(&[("FriendlyName", hostile), ("PageSize", "1000")]);
        let listed = app.get(&format!("/2010-04-01/Accounts.json?{query}"), Some(&main)).await;
        let listed_xml = app.get(&format!("/2010-04-01/Accounts?{query}"), Some(&main)).await;
        if valid_name {
            let expected: Vec<String> =
                created.iter().filter(|(_, name)| name == hostile).map(|(sid, _)| sid.clone()).collect();
            assert_eq!(sids_of(&listed), expected, "filter {hostile:?}");
            let xml = parse_xml(&listed_xml.body).unwrap_or_else(|e| panic!("{e}: {}", listed_xml.body));
            assert_eq!(xml.all("TwilioResponse/Accounts/Account/Sid"), expected, "XML filter {hostile:?}");
        } else {
            listed.assert_error(400, 20001);
            listed_xml.assert_error(400, 20001);
        }

        // Update FriendlyName: verbatim or 20001, and the other accounts keep theirs.
        let path = format!("/2010-04-01/Accounts/{}.json", renamed.sid);
        let updated = app.post(&path, Some(&main), &body).await;
        if valid_name {
            assert_eq!(updated.status.as_u16(), 200, "{}", updated.body);
            assert_eq!(updated.json()["friendly_name"], hostile);
            assert_eq!(app.get(&path, Some(&main)).await.json()["friendly_name"], hostile);
        } else {
            updated.assert_error(400, 20001);
        }

        // Status, paging and PageToken: every one of these is a parameter error.
        let status = form(&[("Status", hostile)]);
        app.post(&path, Some(&main), &status).await.assert_error(400, 21475);
        for name in ["Status", "Page", "PageSize"] {
            let query = form(&[(name, hostile)]);
            app.get(&format!("/2010-04-01/Accounts.json?{query}"), Some(&main)).await.assert_error(400, 20001);
        }
        for token in [hostile.to_owned(), format!("PA{}{hostile}", main.sid)] {
            let query = form(&[("PageToken", &token)]);
            app.get(&format!("/2010-04-01/Accounts.json?{query}"), Some(&main)).await.assert_error(400, 21481);
        }

        // The path SID, alone or after a real SID: as unreachable as any other.
        for segment in [percent(hostile), format!("{}{}", main.sid, percent(hostile))] {
            for ext in [".json", ""] {
                let path = format!("/2010-04-01/Accounts/{segment}{ext}");
                let reply = app.get(&path, Some(&main)).await;
                if segment == main.sid {
                    continue;
                }
                reply.assert_error(404, 20404);
                app.post(&path, Some(&main), &body).await.assert_error(404, 20404);
                app.get(&path, Some(&renamed)).await.assert_error(401, 20003);
            }
        }

        // And in the credentials.
        for (user, password) in [(hostile, hostile), (main.sid.as_str(), hostile)] {
            let creds = Creds { sid: user.to_owned(), token: password.to_owned() };
            app.get("/2010-04-01/Accounts.json", Some(&creds)).await.assert_error(401, 20003);
        }
    }

    // The table is intact: every account is still there with what it was given.
    let mine = accounts_of(&app, &main).await;
    assert_eq!(mine.len(), 2 + created.len(), "{mine:?}");
    assert_eq!(mine[0], (main.sid.clone(), "Main".into(), "active".into()));
    for (sid, name) in &created {
        assert!(mine.contains(&(sid.clone(), name.clone(), "active".into())), "{sid} {name:?} in {mine:?}");
    }
    assert_eq!(accounts_of(&app, &other).await, other_before, "the other tenant is untouched");
    for (caller, sid) in [(&renamed, &renamed.sid), (&other_sub, &other_sub.sid)] {
        let path = format!("/2010-04-01/Accounts/{sid}.json");
        assert_eq!(app.get(&path, Some(caller)).await.status.as_u16(), 200);
    }
}

/// BEHAVIOUR.md refuses control characters in a FriendlyName because XML cannot carry them; the
/// noncharacters U+FFFE and U+FFFF cannot be carried either (XML 1.0 `Char` excludes them). They
/// were once accepted and written raw into XML answers; now they must be refused, or at least
/// never make an answer that is not well-formed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xml_answers_stay_well_formed_whatever_the_friendly_name() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let main = app.tenant("Main").await;
    for name in ["\u{FFFE}", "a\u{FFFF}b"] {
        let reply = app.post("/2010-04-01/Accounts.xml", Some(&main), &form(&[("FriendlyName", name)])).await;
        if reply.status.as_u16() == 400 {
            reply.assert_error(400, 20001);
        } else {
            assert_eq!(reply.status.as_u16(), 201, "{}", reply.body);
            if let Err(problem) = parse_xml(&reply.body) {
                panic!("FriendlyName {name:?} gives XML that is not well-formed ({problem}): {:?}", reply.body);
            }
        }
    }
}
