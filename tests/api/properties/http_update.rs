//! HTTP property: any POST or PUT body to an account gets a Twilio answer that agrees with a model of it.
use super::answers::{expect_error, Answer};
use super::bodies::{body_values, content_types, expected_params, post_bodies};
use super::oracles::{reference_friendly_name, reference_single, reference_status};
use super::server::{Caller, Server};
use super::{check_property, fail};
use crate::helpers::Creds;
use proptest::prelude::*;
use reqwest::Method;
use std::cell::RefCell;

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
        let reply = server_ref.send_body(method, &path, Some(&creds), content_type, bytes);
        let visible = [server_ref.main.sid.as_str(), model.sub.sid.as_str()];
        let answer = server_ref.check(&reply, &path, &visible, &request_text)?;
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
