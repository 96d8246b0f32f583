//! Oracles written from BEHAVIOUR.md, independent of src/: what each parser at the edge must accept.

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
pub(super) fn reference_pairs(raw: &[u8]) -> Option<Vec<(String, String)>> {
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
pub(super) fn has_bad_escape(raw: &[u8]) -> bool {
    raw.iter()
        .enumerate()
        .any(|(i, b)| *b == b'%' && !raw.get(i + 1..i + 3).is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)))
}

/// The value of `name` if given exactly once; `Err` if repeated.
pub(super) fn reference_single<'a>(pairs: &'a [(String, String)], name: &str) -> Result<Option<&'a str>, ()> {
    let mut values = pairs.iter().filter(|(key, _)| key == name);
    match (values.next(), values.next()) {
        (Some(_), Some(_)) => Err(()),
        (first, _) => Ok(first.map(|(_, value)| value.as_str())),
    }
}

/// `AC` followed by 32 hex digits, either case.
pub(super) fn is_sid(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    bytes.len() == 34 && bytes.starts_with(b"AC") && bytes[2..].iter().all(u8::is_ascii_hexdigit)
}

/// A non-negative decimal integer in digits only that fits in 32 bits.
pub(super) fn reference_number(raw: &str) -> Option<u32> {
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
pub(super) fn reference_friendly_name(raw: &str) -> bool {
    let count = raw.chars().count();
    (1..=64).contains(&count) && !raw.chars().any(|c| c <= '\u{1f}' || matches!(c, '\u{7f}' | '\u{fffe}' | '\u{ffff}'))
}

pub(super) fn reference_status(raw: &str) -> bool {
    matches!(raw, "active" | "suspended" | "closed")
}

/// The page size served: digits only, at least 1, anything above 1000 served as 1000.
pub(super) fn reference_page_size(raw: &str) -> Option<u32> {
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match raw.trim_start_matches('0') {
        "" => None,
        digits if digits.len() > 4 => Some(1000),
        digits => Some(digits.parse::<u32>().expect("at most four digits").min(1000)),
    }
}
