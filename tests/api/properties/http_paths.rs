//! HTTP property: any path after `/2010-04-01/Accounts/`, any method, any caller gets a Twilio answer.
use super::answers::Answer;
use super::check_property;
use super::server::{Caller, Server, CALLERS};
use super::strategies::{encode_path_segment, form_bytes, near_sid};
use proptest::prelude::*;
use regex::Regex;
use reqwest::Method;
use std::sync::LazyLock;

static INSTANCE_PATH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^/2010-04-01/Accounts/(AC[0-9a-f]{32})(\.json|\.xml)?$").unwrap());

#[test]
fn any_path_after_accounts_gets_a_twilio_answer() {
    let server = Server::start();
    let mut sids = server.sids();
    sids.push(server.main.sid.to_uppercase());
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
            let answer = server.check(&reply, &sent, &server.visible(caller), &sent)?;
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
