//! Paths, suffixes and methods: 404 and 405 in Twilio's shape, and the order of the checks.
use crate::helpers::{form, normalize, Backend, Creds, TestApp};
use crate::{assert_body, backend_tests};
use reqwest::Method;

backend_tests!(
    unknown_paths_and_suffixes_are_404_in_the_paths_format,
    unsupported_methods_are_405_with_allow,
    put_updates_like_post,
    checks_run_in_order_auth_path_method_body,
    health_and_readiness_need_no_auth,
    every_answer_carries_request_ids,
);

async fn unknown_paths_and_suffixes_are_404_in_the_paths_format(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let sub = app.subaccount(&main, "Sub").await;
    let cases = [
        format!("/2010-04-01/Accounts/{}.csv", main.sid),
        format!("/2010-04-01/Accounts/{}/Calls", main.sid),
        format!("/2010-04-01/Accounts/{}/Calls.json", main.sid),
        format!("/2010-04-01/Accounts/{}.json/", main.sid),
        "/2010-04-01/Accounts.csv".to_owned(),
        "/2010-04-01/Accounts/".to_owned(),
        "/2010-04-01/Foo.json".to_owned(),
        "/2010-04-01".to_owned(),
    ];
    for path in &cases {
        for caller in [&main, &sub] {
            let reply = app.get(path, Some(caller)).await;
            reply.assert_error(404, 20404);
            let wants_json = path.ends_with(".json");
            assert_eq!(reply.header("content-type"), if wants_json { "application/json" } else { "application/xml" });
            let message = format!("The requested resource {path} was not found");
            assert!(reply.body.contains(&message), "{path}: {}", reply.body);
        }
    }
    let xml = app.get(&format!("/2010-04-01/Accounts/{}/Calls", main.sid), Some(&main)).await;
    assert_body!("error_404.xml", normalize(&xml.body, &[(&main, "MAIN")]));
    let json = app.get(&format!("/2010-04-01/Accounts/{}/Calls.json", main.sid), Some(&main)).await;
    assert_body!("error_404.json", normalize(&json.body, &[(&main, "MAIN")]));
}

async fn unsupported_methods_are_405_with_allow(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    for ext in ["", ".json", ".xml"] {
        let list = format!("/2010-04-01/Accounts{ext}");
        let instance = format!("/2010-04-01/Accounts/{}{ext}", main.sid);
        for method in [Method::PUT, Method::DELETE, Method::PATCH] {
            let reply = app.send(method.clone(), &list, Some(&main), None).await;
            reply.assert_error(405, 20004);
            assert_eq!(reply.header("allow"), "GET, POST");
        }
        for method in [Method::DELETE, Method::PATCH] {
            let reply = app.send(method, &instance, Some(&main), None).await;
            reply.assert_error(405, 20004);
            assert_eq!(reply.header("allow"), "GET, POST, PUT");
        }
    }
    let json = app.send(Method::DELETE, &format!("/2010-04-01/Accounts/{}.json", main.sid), Some(&main), None).await;
    assert_body!("error_405.json", json.body);
    let xml = app.send(Method::DELETE, "/2010-04-01/Accounts", Some(&main), None).await;
    assert_body!("error_405.xml", xml.body);
}

async fn put_updates_like_post(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let body = form(&[("FriendlyName", "Renamed by PUT")]);
    let path = format!("/2010-04-01/Accounts/{}.json", main.sid);
    let reply =
        app.send(Method::PUT, &path, Some(&main), Some((body.into_bytes(), "application/x-www-form-urlencoded"))).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["friendly_name"], "Renamed by PUT");
}

async fn checks_run_in_order_auth_path_method_body(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let sub = app.subaccount(&main, "Sub").await;
    let other = app.subaccount(&main, "Other").await;
    let wrong = Creds { sid: main.sid.clone(), token: "wrong".into() };
    let huge = Some((vec![b'a'; 70_000], "application/x-www-form-urlencoded"));
    let own = format!("/2010-04-01/Accounts/{}.json", main.sid);
    let foreign = "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef.json";
    // 401 before anything else, even on unknown paths and unsupported methods.
    app.send(Method::DELETE, "/2010-04-01/Nothing.json", Some(&wrong), None).await.assert_error(401, 20003);
    app.send(Method::DELETE, &own, None, None).await.assert_error(401, 20003);
    // The path before the method: 404 for a main account, 401 for a subaccount.
    app.send(Method::DELETE, foreign, Some(&main), None).await.assert_error(404, 20404);
    let other_path = format!("/2010-04-01/Accounts/{}.json", other.sid);
    app.send(Method::DELETE, &other_path, Some(&sub), None).await.assert_error(401, 20003);
    // The method before the body.
    app.send(Method::DELETE, &own, Some(&main), huge.clone()).await.assert_error(405, 20004);
    // Then the body: 413 for more than 64 KiB.
    app.send(Method::POST, &own, Some(&main), huge.clone()).await.assert_error(413, 20001);
    app.send(Method::POST, "/2010-04-01/Accounts.json", Some(&main), huge).await.assert_error(413, 20001);
}

async fn every_answer_carries_request_ids(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let path = format!("/2010-04-01/Accounts/{}.json", main.sid);
    let plain = app.get(&path, Some(&main)).await;
    let twilio_id = plain.header("twilio-request-id").to_owned();
    assert!(regex::Regex::new("^RQ[0-9a-f]{32}$").unwrap().is_match(&twilio_id), "{twilio_id}");
    assert_eq!(plain.header("x-request-id"), twilio_id);
    let given = app.execute(app.raw(Method::GET, &path).header("x-request-id", "ci-run-42/step-7")).await;
    assert_eq!(given.header("x-request-id"), "ci-run-42/step-7");
    let error = app.get("/2010-04-01/Nope.json", None).await;
    assert!(error.header("twilio-request-id").starts_with("RQ"));
}

async fn health_and_readiness_need_no_auth(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let health = app.get("/healthz", None).await;
    assert_eq!((health.status.as_u16(), health.json()["status"].as_str()), (200, Some("ok")));
    let ready = app.get("/readyz", None).await;
    assert_eq!((ready.status.as_u16(), ready.json()["status"].as_str()), (200, Some("ready")));
}
