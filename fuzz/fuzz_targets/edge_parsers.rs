//! Feeds one input to every parser at the edge of the API, and checks what each promises.
//!
//! - The whole input is a form body or query string for `Params::parse`; every value of the
//!   parameters the API reads then goes to the parser the API gives it.
//! - The input split on `\n` drives the parsers one piece each: piece 0 `AccountSid::parse`,
//!   1 `PageCursor::parse`, 2 `PageRequest::parse_number`/`parse_page_size`,
//!   3 `FriendlyName::parse` (pieces that are not UTF-8 are read lossily).
//!
//! A panic anywhere, or a parsed value that breaks its grammar, is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use twilio_emulator::domain::{AccountKind, AccountSid, FriendlyName};

type PageCursor = twilio_emulator::domain::PageCursor<AccountKind>;
type PageRequest = twilio_emulator::domain::PageRequest<AccountKind>;
use twilio_emulator::form::Params;

fn is_sid(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    bytes.len() == 34 && bytes.starts_with(b"AC") && bytes[2..].iter().all(u8::is_ascii_hexdigit)
}

fn sid(raw: &str) {
    let parsed = AccountSid::parse(raw);
    assert_eq!(parsed.is_some(), is_sid(raw), "AccountSid::parse({raw:?})");
    if let Some(sid) = parsed {
        assert_eq!(sid.as_str(), raw);
    }
}

fn cursor(raw: &str) {
    let parsed = PageCursor::parse(raw);
    let bytes = raw.as_bytes();
    let expected = bytes.len() == 36 && (bytes.starts_with(b"PA") || bytes.starts_with(b"PB")) && is_sid(&raw[2..]);
    assert_eq!(parsed.is_ok(), expected, "PageCursor::parse({raw:?})");
    if let Ok(cursor) = parsed {
        assert_eq!(cursor.token(), raw);
        assert_eq!(PageCursor::parse(&cursor.token()), Ok(cursor));
    }
}

fn number(raw: &str) {
    let parsed = PageRequest::parse_number(raw);
    let digits = !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit());
    let significant = raw.trim_start_matches('0');
    let canonical = if significant.is_empty() { "0" } else { significant };
    let fits = canonical.len() <= 10 && canonical.parse::<u64>().is_ok_and(|v| v <= u64::from(u32::MAX));
    let expected = (digits && fits).then(|| canonical.parse::<u32>().expect("fits"));
    assert_eq!(parsed, expected, "PageRequest::parse_number({raw:?})");
    // Page sizes: at least 1, and anything above 1000 (however many digits) served as 1000.
    let size = PageRequest::parse_page_size(raw);
    let expected = match (digits, significant.len()) {
        (false, _) | (true, 0) => None,
        (true, 1..=4) => Some(significant.parse::<u32>().expect("four digits").min(1000)),
        (true, _) => Some(1000),
    };
    assert_eq!(size, expected, "parse_page_size({raw:?})");
}

fn friendly_name(raw: &str) {
    let parsed = FriendlyName::parse(raw);
    let count = raw.chars().count();
    // Nothing XML 1.0 cannot carry: C0 controls, DEL, U+FFFE, U+FFFF.
    let expected = (1..=64).contains(&count)
        && !raw.chars().any(|c| c <= '\u{1f}' || matches!(c, '\u{7f}' | '\u{fffe}' | '\u{ffff}'));
    assert_eq!(parsed.is_ok(), expected, "FriendlyName::parse({raw:?})");
    if let Ok(name) = parsed {
        assert_eq!(name.as_str(), raw);
    }
}

fn everything(raw: &str) {
    sid(raw);
    cursor(raw);
    number(raw);
    friendly_name(raw);
}

fuzz_target!(|data: &[u8]| {
    if let Ok(params) = Params::parse(data) {
        // A `%` not followed by two hex digits must never have been accepted.
        for (i, byte) in data.iter().enumerate() {
            if *byte == b'%' {
                let hex = data.get(i + 1..i + 3);
                assert!(
                    hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)),
                    "Params::parse accepted a bad escape at {i}: {data:?}"
                );
            }
        }
        for name in ["FriendlyName", "Status", "Page", "PageSize", "PageToken", "Sid"] {
            if let Ok(Some(value)) = params.single(name) {
                everything(value);
            }
        }
    }
    let mut pieces = data.splitn(4, |b| *b == b'\n');
    let mut next = || pieces.next().map(String::from_utf8_lossy);
    if let Some(piece) = next() {
        sid(&piece);
    }
    if let Some(piece) = next() {
        cursor(&piece);
    }
    if let Some(piece) = next() {
        number(&piece);
    }
    if let Some(piece) = next() {
        friendly_name(&piece);
    }
});
