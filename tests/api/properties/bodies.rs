//! POST bodies for the create and update properties: content types, bodies, how the server must read them.
use super::oracles::reference_pairs;
use super::strategies::{encoded, Encoded};
use proptest::prelude::*;

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
pub(super) fn content_types() -> impl Strategy<Value = Option<&'static str>> {
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
pub(super) enum PostBody {
    Form(Encoded),
    Oversized(usize),
}

impl PostBody {
    pub(super) fn bytes(&self) -> Vec<u8> {
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

pub(super) fn post_bodies(values: BoxedStrategy<String>) -> impl Strategy<Value = PostBody> {
    prop_oneof![
        30 => encoded(vec!["FriendlyName", "Status", "friendlyname", "AuthToken", "Sid"], values)
            .prop_map(PostBody::Form),
        1 => (1..64usize).prop_map(PostBody::Oversized),
    ]
}

/// Values of FriendlyName and Status worth trying, and anything at all.
pub(super) fn body_values() -> BoxedStrategy<String> {
    prop_oneof![
        3 => any::<String>(),
        2 => prop::sample::select(vec!["", "active", "suspended", "closed", "Active", "x", " ", "a+b", "%", "<&>"]).prop_map(str::to_owned),
        1 => ".{60,68}",
        2 => "[a-zA-Z0-9 ]{1,12}",
    ]
    .boxed()
}

/// The decoded parameters of a body as the server must read it, or the error it must answer.
pub(super) fn expected_params(content_type: Option<&str>, body: &[u8]) -> Result<Vec<(String, String)>, (u16, u64)> {
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
