//! The control plane's common rules (CONTROL.md): who may use it, the order of the checks, JSON only.
use crate::helpers::{Backend, Creds, TestApp};
use crate::{assert_body, backend_tests};
use reqwest::Method;

backend_tests!(
    only_the_main_accounts_own_credentials_use_the_control_plane,
    checks_run_in_order_credentials_path_method_parameters,
);

/// Every endpoint of the control plane, with a harmless request.
fn endpoints() -> Vec<(Method, &'static str, &'static str)> {
    vec![
        (Method::POST, "/_emulator/v1/reset", ""),
        (Method::GET, "/_emulator/v1/snapshots", ""),
        (Method::POST, "/_emulator/v1/snapshots", "Name=probe"),
        (Method::POST, "/_emulator/v1/snapshots/probe/restore", ""),
        (Method::DELETE, "/_emulator/v1/snapshots/probe", ""),
        (Method::GET, "/_emulator/v1/requests", ""),
        (Method::DELETE, "/_emulator/v1/requests", ""),
        (Method::GET, "/_emulator/v1/faults", ""),
        (Method::POST, "/_emulator/v1/faults", "DelayMs=1"),
        (Method::DELETE, "/_emulator/v1/faults", ""),
        (Method::DELETE, "/_emulator/v1/faults/FI00000000000000000000000000000000", ""),
        (Method::GET, "/_emulator/v1/unknown", ""),
    ]
}

async fn send(
    app: &TestApp,
    caller: Option<&Creds>,
    (method, path, body): &(Method, &str, &str),
) -> crate::helpers::Reply {
    let body = (!body.is_empty()).then(|| (body.as_bytes().to_vec(), "application/x-www-form-urlencoded"));
    app.send(method.clone(), path, caller, body).await
}

async fn only_the_main_accounts_own_credentials_use_the_control_plane(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let sub = app.subaccount(&main, "Sub").await;
    let main_key = app.main_key(&main.sid).await;
    let standard = app.key(&main, &main.sid, "Standard").await;
    let subs_main_key = app.main_key(&sub.sid).await;
    let wrong = Creds { sid: main.sid.clone(), token: "0".repeat(32) };
    let unknown = Creds { sid: format!("AC{}", "1".repeat(32)), token: main.token.clone() };
    for endpoint in endpoints() {
        for caller in [None, Some(&wrong), Some(&unknown)] {
            let reply = send(&app, caller, &endpoint).await;
            reply.assert_error(401, 20003);
            assert_eq!(reply.header("content-type"), "application/json", "{endpoint:?}: JSON only");
            assert_eq!(reply.header("www-authenticate"), "Basic realm=\"Twilio API\"");
        }
        for caller in [&sub, &standard, &subs_main_key] {
            send(&app, Some(caller), &endpoint).await.assert_error(403, 20403);
        }
    }
    let forbidden = app.get("/_emulator/v1/faults", Some(&sub)).await;
    assert_body!("control_error_403.json", forbidden.body);
    let unauthenticated = app.get("/_emulator/v1/faults", None).await;
    assert_body!("control_error_401.json", unauthenticated.body);
    // The main account's own credentials pass (the reset, which removes the others, comes last).
    for endpoint in endpoints().into_iter().rev() {
        for caller in [&main, &main_key] {
            let status = send(&app, Some(caller), &endpoint).await.status.as_u16();
            assert!(![401, 403].contains(&status), "{endpoint:?} refused the main account's credential: {status}");
        }
    }
}

async fn checks_run_in_order_credentials_path_method_parameters(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let sub = app.subaccount(&main, "Sub").await;
    // Credentials before the path: an unknown path is 401 without them and 403 for a subaccount.
    app.get("/_emulator/v1/nothing-here", None).await.assert_error(401, 20003);
    app.get("/_emulator/v1/nothing-here", Some(&sub)).await.assert_error(403, 20403);
    let unknown = app.get("/_emulator/v1/nothing-here", Some(&main)).await;
    unknown.assert_error(404, 20404);
    assert_body!("control_error_404.json", unknown.body);
    app.get("/_emulator/v2/reset", Some(&main)).await.assert_error(404, 20404);
    // The path before the method; the method before the parameters.
    let cases = [
        (Method::GET, "/_emulator/v1/reset", "POST"),
        (Method::PUT, "/_emulator/v1/snapshots", "GET, POST"),
        (Method::GET, "/_emulator/v1/snapshots/fixture", "DELETE"),
        (Method::GET, "/_emulator/v1/snapshots/fixture/restore", "POST"),
        (Method::POST, "/_emulator/v1/requests", "GET, DELETE"),
        (Method::PUT, "/_emulator/v1/faults", "GET, POST, DELETE"),
        (Method::GET, "/_emulator/v1/faults/FI00000000000000000000000000000000", "DELETE"),
    ];
    for (method, path, allow) in cases {
        let reply = app
            .send(method.clone(), path, Some(&main), Some((b"Name=%zz".to_vec(), "application/x-www-form-urlencoded")))
            .await;
        reply.assert_error(405, 20004);
        assert_eq!(reply.header("allow"), allow, "{method} {path}");
        assert_eq!(reply.header("content-type"), "application/json");
    }
    let not_allowed = app.get("/_emulator/v1/snapshots/fixture", Some(&main)).await;
    assert_body!("control_error_405.json", not_allowed.body);
    let bad = app.post("/_emulator/v1/snapshots", Some(&main), "Name=%zz").await;
    bad.assert_error(400, 20001);
    app.send(Method::POST, "/_emulator/v1/reset", Some(&main), Some((b"{}".to_vec(), "application/json")))
        .await
        .assert_error(400, 20001);
    // A suffix means nothing here: the control plane is JSON only, and `.json` is no path of it.
    app.get("/_emulator/v1/faults.json", Some(&main)).await.assert_error(404, 20404);
}
