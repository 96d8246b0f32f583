//! HTTP property: any Authorization header but the right one gets the same 401 as no header at all.
use super::answers::{check_answer, expect_error};
use super::server::Server;
use super::{check_property, fail, tally};
use proptest::prelude::*;
use reqwest::Method;
use std::collections::BTreeMap;

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
