//! Inputs shared by several properties: form-ish bytes, near-SIDs, parameter pairs and the ways clients encode them.
use crate::helpers::form;
use proptest::prelude::*;

/// Bytes biased towards what form decoding cares about: separators, escapes, hex digits and
/// pieces of multi-byte UTF-8, mixed with any byte at all.
pub(super) fn form_bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
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
pub(super) fn near_sid() -> impl Strategy<Value = String> {
    ("AC[0-9a-f]{32}", 0..34usize, any::<char>()).prop_map(|(sid, at, c)| {
        let mut chars: Vec<char> = sid.chars().collect();
        chars[at] = c;
        chars.into_iter().collect()
    })
}

/// Every byte but ASCII letters and digits as `%XX` (twilio-node's way).
pub(super) fn percent(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// One of the encodings a client may use for a form: `+` (twilio-python), `%20` (twilio-node).
pub(super) fn encode_pairs(pairs: &[(String, String)], percent_style: bool) -> String {
    if percent_style {
        pairs.iter().map(|(name, value)| format!("{}={}", percent(name), percent(value))).collect::<Vec<_>>().join("&")
    } else {
        form(&pairs.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect::<Vec<_>>())
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

pub(super) fn encode_query(bytes: &[u8]) -> String {
    encode_url_bytes(bytes, b"&/?")
}

pub(super) fn encode_path_segment(bytes: &[u8]) -> String {
    encode_url_bytes(bytes, b"")
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
pub(super) enum Encoded {
    Pairs(Vec<(String, String)>, u8),
    Bytes(Vec<u8>),
}

impl Encoded {
    pub(super) fn bytes(&self) -> Vec<u8> {
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

pub(super) fn encoded(names: Vec<&'static str>, values: BoxedStrategy<String>) -> impl Strategy<Value = Encoded> {
    prop_oneof![
        6 => (param_pairs(names, values), prop_oneof![2 => 0..2u8, 1 => Just(2u8)])
            .prop_map(|(pairs, style)| Encoded::Pairs(pairs, style)),
        1 => form_bytes(64).prop_map(Encoded::Bytes),
    ]
}
