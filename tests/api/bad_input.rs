//! A table of bad inputs for every parameter and header: each gets its Twilio error and writes nothing.
use crate::backend_tests;
use crate::helpers::{Backend, Creds, TestApp};
use reqwest::Method;

backend_tests!(bad_inputs_get_their_error_and_write_nothing);

struct Case {
    what: &'static str,
    method: Method,
    /// `{main}`/`{sub}` stand for the SIDs.
    path: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
    status: u16,
    code: u32,
}

fn case(what: &'static str, method: Method, path: &'static str, body: &[u8], status: u16, code: u32) -> Case {
    Case { what, method, path, content_type: "application/x-www-form-urlencoded", body: body.to_vec(), status, code }
}

fn cases() -> Vec<Case> {
    let sub = "/2010-04-01/Accounts/{sub}.json";
    let list = "/2010-04-01/Accounts.json";
    let long = format!("FriendlyName={}", "x".repeat(65));
    let mut oversized = b"FriendlyName=".to_vec();
    oversized.resize(64 * 1024 + 1, b'a');
    let mut cases = Vec::new();
    for (path, post) in [(sub, "update"), (list, "create")] {
        let _ = post;
        cases.extend([
            case("FriendlyName empty", Method::POST, path, b"FriendlyName=", 400, 20001),
            case("FriendlyName too long", Method::POST, path, long.as_bytes(), 400, 20001),
            case("FriendlyName control char", Method::POST, path, b"FriendlyName=a%07b", 400, 20001),
            case("FriendlyName repeated", Method::POST, path, b"FriendlyName=a&FriendlyName=b", 400, 20001),
            case("bad percent escape", Method::POST, path, b"FriendlyName=%G1", 400, 20001),
            case("truncated escape", Method::POST, path, b"FriendlyName=ab%2", 400, 20001),
            case("raw non-UTF-8", Method::POST, path, b"FriendlyName=\xc3\x28", 400, 20001),
            case("escaped non-UTF-8", Method::POST, path, b"FriendlyName=%80abc", 400, 20001),
            case("non-UTF-8 name", Method::POST, path, b"%ff=1", 400, 20001),
            case("oversized body", Method::POST, path, &oversized, 413, 20001),
        ]);
        let mut json = case("JSON body", Method::POST, path, br#"{"FriendlyName":"x"}"#, 400, 20001);
        json.content_type = "application/json";
        let mut multipart = case("multipart body", Method::POST, path, b"--x\r\n\r\n--x--", 400, 20001);
        multipart.content_type = "multipart/form-data; boundary=x";
        cases.extend([json, multipart]);
    }
    cases.extend([
        case("Status wrong value", Method::POST, sub, b"Status=deleted&FriendlyName=ok", 400, 21475),
        case("Status wrong case", Method::POST, sub, b"Status=Suspended", 400, 21475),
        case("Status empty", Method::POST, sub, b"Status=", 400, 21475),
        case("Status repeated", Method::POST, sub, b"Status=active&Status=suspended", 400, 20001),
        case("Status on the main", Method::POST, "/2010-04-01/Accounts/{main}.json", b"Status=suspended", 400, 21477),
        case("DELETE instance", Method::DELETE, sub, b"", 405, 20004),
        case("PUT list", Method::PUT, list, b"FriendlyName=x", 405, 20004),
        case("PATCH instance", Method::PATCH, sub, b"FriendlyName=x", 405, 20004),
    ]);
    cases
}

async fn snapshot(app: &TestApp, main: &Creds) -> String {
    app.get("/2010-04-01/Accounts.json?PageSize=1000", Some(main)).await.body
}

async fn bad_inputs_get_their_error_and_write_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let sub = app.subaccount(&main, "Sub").await;
    let before = snapshot(&app, &main).await;
    for case in cases() {
        let path = case.path.replace("{main}", &main.sid).replace("{sub}", &sub.sid);
        let reply =
            app.send(case.method.clone(), &path, Some(&main), Some((case.body.clone(), case.content_type))).await;
        assert_eq!(reply.status.as_u16(), case.status, "{}: {}", case.what, reply.body);
        reply.assert_error(case.status, case.code);
        assert_eq!(snapshot(&app, &main).await, before, "{} wrote something", case.what);
    }
}
