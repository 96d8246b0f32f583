//! POST on the list: a subaccount, its token shown once, the cap, and who may create.
use crate::helpers::{form, normalize, Backend, Creds, TestApp};
use crate::{assert_body, backend_tests};
use regex::Regex;
use twilio_emulator::domain::AccountType;

backend_tests!(
    create_answers_201_with_the_token_once,
    default_friendly_name_and_inherited_type,
    only_a_main_account_creates,
    the_subaccount_cap_is_enforced,
    create_parameters_are_checked,
);

async fn create_answers_201_with_the_token_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let xml = app.post("/2010-04-01/Accounts", Some(&main), "FriendlyName=My+first+sub").await;
    assert_eq!(xml.status, 201);
    assert_eq!(xml.header("content-type"), "application/xml");
    assert_body!("create_subaccount.xml", normalize(&xml.body, &[(&main, "MAIN")]));

    let json = app.post("/2010-04-01/Accounts.json", Some(&main), "FriendlyName=My%20second%20sub").await;
    assert_eq!(json.status, 201);
    assert_body!("create_subaccount.json", normalize(&json.body, &[(&main, "MAIN")]));
    let created = json.json();
    let token = created["auth_token"].as_str().unwrap();
    assert!(Regex::new("^[0-9a-f]{32}$").unwrap().is_match(token), "{token}");
    assert!(Regex::new("^AC[0-9a-f]{32}$").unwrap().is_match(created["sid"].as_str().unwrap()));
    let sub = Creds { sid: created["sid"].as_str().unwrap().into(), token: token.into() };
    let fetched = app.get(&format!("/2010-04-01/Accounts/{}.json", sub.sid), Some(&sub)).await;
    assert_eq!(fetched.status, 200, "the returned token authenticates");
    assert_eq!(fetched.json()["auth_token"], "redacted");
    assert_eq!(fetched.json()["date_created"], created["date_created"]);
}

async fn default_friendly_name_and_inherited_type(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let trial = app.tenant_of_type("Trial main", AccountType::Trial).await;
    let before = chrono::Utc::now();
    let reply = app.post("/2010-04-01/Accounts.json", Some(&trial), "").await;
    let after = chrono::Utc::now();
    assert_eq!(reply.status, 201, "{}", reply.body);
    let json = reply.json();
    assert_eq!(json["type"], "Trial");
    assert_eq!(json["status"], "active");
    let expected: Vec<String> =
        [before, after].iter().map(|at| at.format("SubAccount Created at %Y-%m-%d %H:%M %P").to_string()).collect();
    assert!(expected.contains(&json["friendly_name"].as_str().unwrap().to_owned()), "{}", json["friendly_name"]);
    let unknown_only = app.post("/2010-04-01/Accounts.json", Some(&trial), "Unknown=1&friendlyname=x").await;
    assert!(unknown_only.json()["friendly_name"].as_str().unwrap().starts_with("SubAccount Created at "));
}

async fn only_a_main_account_creates(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let sub = app.subaccount(&main, "Sub").await;
    let reply = app.post("/2010-04-01/Accounts.json", Some(&sub), &form(&[("FriendlyName", "Grandchild")])).await;
    reply.assert_error(400, 21101);
    assert_body!("error_21101.json", reply.body);
    let list = app.get("/2010-04-01/Accounts.json", Some(&main)).await.json();
    assert_eq!(list["total"], 2, "nothing was created");
}

async fn the_subaccount_cap_is_enforced(backend: Backend) {
    let app = TestApp::spawn_with(backend, |settings| settings.max_subaccounts = 2).await;
    let main = app.tenant("Main").await;
    app.subaccount(&main, "One").await;
    app.subaccount(&main, "Two").await;
    let reply = app.post("/2010-04-01/Accounts.json", Some(&main), "FriendlyName=Three").await;
    reply.assert_error(400, 21480);
    assert_body!("error_21480.json", reply.body);
    let other = app.tenant("Other tenant").await;
    app.subaccount(&other, "The cap is per main account").await;
    assert_eq!(app.get("/2010-04-01/Accounts.json", Some(&main)).await.json()["total"], 3);
}

async fn create_parameters_are_checked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let too_long = "x".repeat(65);
    for body in [
        form(&[("FriendlyName", "")]),
        form(&[("FriendlyName", &too_long)]),
        form(&[("FriendlyName", "line\nbreak")]),
        form(&[("FriendlyName", "a"), ("FriendlyName", "a")]),
        "FriendlyName=%".to_owned(),
        "FriendlyName=%ff".to_owned(),
    ] {
        app.post("/2010-04-01/Accounts.json", Some(&main), &body).await.assert_error(400, 20001);
    }
    let json_body = Some((br#"{"FriendlyName":"x"}"#.to_vec(), "application/json"));
    let reply = app.send(reqwest::Method::POST, "/2010-04-01/Accounts.json", Some(&main), json_body).await;
    reply.assert_error(400, 20001);
    assert_eq!(app.get("/2010-04-01/Accounts.json", Some(&main)).await.json()["total"], 1, "nothing was created");
}
