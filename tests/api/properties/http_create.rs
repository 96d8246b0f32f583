//! HTTP property: any POST body to the list gets a Twilio answer, a new subaccount exactly when the body is valid.
use super::answers::{expect_error, Answer};
use super::bodies::{body_values, content_types, expected_params, post_bodies};
use super::oracles::{is_sid, reference_friendly_name, reference_single};
use super::server::{Caller, Server, LIST_PATHS};
use super::{check_property, fail};
use proptest::prelude::*;
use regex::Regex;
use reqwest::Method;
use std::sync::LazyLock;

static DEFAULT_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^SubAccount Created at \d{4}-\d\d-\d\d \d\d:\d\d [ap]m$").unwrap());

#[test]
fn any_create_body_gets_a_twilio_answer() {
    let server = Server::start();
    check_property(
        "HTTP create body",
        512,
        (
            post_bodies(body_values()),
            content_types(),
            prop::sample::select(LIST_PATHS.to_vec()),
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
            let reply = server.send_body(Method::POST, path, creds.as_ref(), content_type, bytes);
            let answer = server.check(&reply, path, &server.visible(caller), &request_text)?;
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
