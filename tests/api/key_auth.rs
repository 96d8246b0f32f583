//! Key authentication (KEYS.md, "Who reaches what"): the table, the same 401 for every failure,
//! and keys that never reach another tenant.
use crate::backend_tests;
use crate::helpers::{Backend, Creds, TestApp};
use reqwest::Method;
use twilio_emulator::domain::{AccountSid, AccountStatus};
use twilio_emulator::storage::AccountChange;

backend_tests!(
    each_credential_reaches_what_the_table_says,
    unknown_keys_wrong_secrets_and_inactive_accounts_get_the_same_401,
    keys_never_reach_another_tenant,
    warm_keys_cost_no_argon2_and_changes_hold_on_the_next_request,
);

/// A tenant M with a subaccount S, and every kind of credential of both.
struct Tenant {
    main: Creds,
    sub: Creds,
    main_key: Creds,
    standard_key: Creds,
    subs_main_key: Creds,
    subs_standard_key: Creds,
}

async fn tenant(app: &TestApp) -> Tenant {
    let main = app.tenant("Main").await;
    let sub = app.subaccount(&main, "Sub").await;
    Tenant {
        main_key: app.main_key(&main.sid).await,
        standard_key: app.key(&main, &main.sid, "Standard of M").await,
        subs_main_key: app.main_key(&sub.sid).await,
        subs_standard_key: app.key(&main, &sub.sid, "Standard of S").await,
        main,
        sub,
    }
}

/// The status each request gets, compared as one table so a mismatch shows the whole row.
async fn statuses(app: &TestApp, caller: &Creds, requests: &[(Method, String, &str)]) -> Vec<u16> {
    let mut answers = Vec::new();
    for (method, path, body) in requests {
        let body = (!body.is_empty()).then(|| (body.as_bytes().to_vec(), "application/x-www-form-urlencoded"));
        answers.push(app.send(method.clone(), path, Some(caller), body).await.status.as_u16());
    }
    answers
}

async fn each_credential_reaches_what_the_table_says(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let t = tenant(&app).await;
    let other = app.tenant("Other").await;
    let (m, s, o) = (&t.main.sid, &t.sub.sid, &other.sid);
    let requests = [
        (Method::GET, format!("/2010-04-01/Accounts/{m}.json"), ""),
        (Method::GET, format!("/2010-04-01/Accounts/{s}.json"), ""),
        (Method::GET, "/2010-04-01/Accounts.json".to_owned(), ""),
        (Method::POST, format!("/2010-04-01/Accounts/{s}.json"), "FriendlyName=Renamed"),
        (Method::GET, format!("/2010-04-01/Accounts/{m}/Keys.json"), ""),
        (Method::GET, format!("/2010-04-01/Accounts/{s}/Keys.json"), ""),
        (Method::GET, format!("/2010-04-01/Accounts/{m}/Balance.json"), ""),
        (Method::GET, format!("/2010-04-01/Accounts/{s}/Balance.json"), ""),
        (Method::GET, format!("/2010-04-01/Accounts/{o}.json"), ""),
        (Method::GET, format!("/2010-04-01/Accounts/{o}/Keys.json"), ""),
        (Method::GET, format!("/2010-04-01/Accounts/{o}/Balance.json"), ""),
        (Method::GET, "/2010-04-01/Accounts/garbage.json".to_owned(), ""),
        (Method::GET, format!("/2010-04-01/Accounts/{m}/Calls.json"), ""),
    ];
    //                  M       S     list  upd S  M/Keys S/Keys M/Bal S/Bal  O     O/Keys O/Bal  bad   unknown
    let table = [
        (&t.main, "AuthToken of M", [200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404, 404, 404]),
        (&t.sub, "AuthToken of S", [401, 200, 200, 200, 401, 200, 401, 200, 401, 401, 401, 401, 404]),
        (&t.main_key, "Main key of M", [200, 200, 200, 200, 200, 401, 200, 401, 404, 401, 401, 404, 404]),
        (&t.subs_main_key, "Main key of S", [401, 200, 200, 200, 401, 200, 401, 200, 401, 401, 401, 401, 404]),
        (&t.standard_key, "Standard key of M", [401, 401, 401, 401, 401, 401, 200, 401, 401, 401, 401, 401, 404]),
        (&t.subs_standard_key, "Standard key of S", [401, 401, 401, 401, 401, 401, 401, 200, 401, 401, 401, 401, 404]),
    ];
    for (caller, who, expected) in table {
        assert_eq!(statuses(&app, caller, &requests).await, expected, "{who}");
    }
    // Creating: a Main key of M as M's token; nobody else but M's token.
    let create = |caller: &Creds| {
        let caller = caller.clone();
        let app = &app;
        async move { app.post("/2010-04-01/Accounts.json", Some(&caller), "FriendlyName=New").await.status.as_u16() }
    };
    assert_eq!(create(&t.main_key).await, 201);
    assert_eq!(create(&t.subs_main_key).await, 400, "a subaccount's Main key is the subaccount: 21101");
    assert_eq!(create(&t.standard_key).await, 401);
    let keys = format!("/2010-04-01/Accounts/{m}/Keys.json");
    assert_eq!(app.post(&keys, Some(&t.main_key), "").await.status, 201, "a Main key makes Standard keys");
    assert_eq!(app.post(&keys, Some(&t.standard_key), "").await.status, 401);
    let balance = app.get(&format!("/2010-04-01/Accounts/{m}/Balance.json"), Some(&t.standard_key)).await.json();
    assert_eq!(balance["account_sid"], m.as_str());
}

async fn unknown_keys_wrong_secrets_and_inactive_accounts_get_the_same_401(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let t = tenant(&app).await;
    let path = format!("/2010-04-01/Accounts/{}/Balance.json", t.main.sid);
    let unknown = Creds { sid: format!("SK{}", "0".repeat(32)), token: t.standard_key.token.clone() };
    let wrong = Creds { sid: t.standard_key.sid.clone(), token: "x".repeat(32) };
    let malformed = Creds { sid: "SKnot-a-sid".into(), token: t.standard_key.token.clone() };
    let first = app.get(&path, Some(&unknown)).await;
    first.assert_error(401, 20003);
    assert_eq!(first.header("www-authenticate"), "Basic realm=\"Twilio API\"");
    for creds in [&wrong, &malformed] {
        let reply = app.get(&path, Some(creds)).await;
        assert_eq!((reply.status, &reply.body), (first.status, &first.body));
        assert_eq!(reply.header("www-authenticate"), first.header("www-authenticate"));
        assert_eq!(reply.header("content-type"), first.header("content-type"));
    }
    // A key is valid only while its account and that account's main account are active.
    let set = |sid: &str, status| {
        let (store, sid) = (app.store.clone(), AccountSid::parse(sid).unwrap());
        async move {
            store
                .update(&sid, &AccountChange { status: Some(status), ..Default::default() }, chrono::Utc::now())
                .await
                .unwrap()
        }
    };
    let subs_path = format!("/2010-04-01/Accounts/{}/Balance.json", t.sub.sid);
    assert_eq!(app.get(&subs_path, Some(&t.subs_standard_key)).await.status, 200);
    set(&t.sub.sid, AccountStatus::Suspended).await;
    assert_eq!(app.get(&subs_path, Some(&t.subs_standard_key)).await.body, first.body, "as an unknown key");
    app.get(&subs_path, Some(&t.subs_main_key)).await.assert_error(401, 20003);
    set(&t.sub.sid, AccountStatus::Active).await;
    set(&t.main.sid, AccountStatus::Suspended).await;
    app.get(&subs_path, Some(&t.subs_standard_key)).await.assert_error(401, 20003);
    app.get(&path, Some(&t.main_key)).await.assert_error(401, 20003);
    set(&t.main.sid, AccountStatus::Active).await;
    assert_eq!(app.get(&subs_path, Some(&t.subs_standard_key)).await.status, 200);
}

async fn keys_never_reach_another_tenant(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let t = tenant(&app).await;
    let other = tenant(&app).await;
    let targets = [&other.main.sid, &other.sub.sid];
    for caller in [&t.main_key, &t.standard_key, &t.subs_main_key, &t.subs_standard_key] {
        for target in targets {
            for suffix in ["Keys.json", "Balance.json"] {
                let reply = app.get(&format!("/2010-04-01/Accounts/{target}/{suffix}"), Some(caller)).await;
                reply.assert_error(401, 20003);
            }
            let key = format!("/2010-04-01/Accounts/{target}/Keys/{}.json", other.standard_key.sid);
            app.get(&key, Some(caller)).await.assert_error(401, 20003);
            app.delete(&key, Some(caller)).await.assert_error(401, 20003);
        }
    }
    // A main account's token learns only "not found" about another tenant's keys, whether or not they exist.
    let key = format!("/2010-04-01/Accounts/{}/Keys/{}.json", other.main.sid, other.standard_key.sid);
    let missing = format!("/2010-04-01/Accounts/{}/Keys/{}.json", other.main.sid, format_args!("SK{}", "0".repeat(32)));
    let (real, fake) = (app.get(&key, Some(&t.main)).await, app.get(&missing, Some(&t.main)).await);
    real.assert_error(404, 20404);
    fake.assert_error(404, 20404);
    // A subaccount cannot reach its main account's keys, nor its Balance path.
    app.get(&format!("/2010-04-01/Accounts/{}/Keys.json", t.main.sid), Some(&t.sub)).await.assert_error(401, 20003);
    // Every one of the other tenant's keys still works: nothing was touched.
    let own = format!("/2010-04-01/Accounts/{}/Balance.json", other.main.sid);
    assert_eq!(app.get(&own, Some(&other.standard_key)).await.status, 200);
}

fn metric(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("{name} in {text}"))
}

async fn warm_keys_cost_no_argon2_and_changes_hold_on_the_next_request(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let t = tenant(&app).await;
    let balance = format!("/2010-04-01/Accounts/{}/Balance.json", t.main.sid);
    let fetch = format!("/2010-04-01/Accounts/{}.json", t.main.sid);
    assert_eq!(app.get(&balance, Some(&t.standard_key)).await.status, 200);
    assert_eq!(app.get(&fetch, Some(&t.main_key)).await.status, 200);
    let before = metric(&app.get("/metrics", None).await.body, "twilio_emulator_argon2_verifications_total");
    for _ in 0..20 {
        assert_eq!(app.get(&balance, Some(&t.standard_key)).await.status, 200);
        assert_eq!(app.get(&fetch, Some(&t.main_key)).await.status, 200);
    }
    let after = metric(&app.get("/metrics", None).await.body, "twilio_emulator_argon2_verifications_total");
    assert_eq!(after, before, "no argon2 work after warm-up");
    // A deleted key fails on the very next request, cache or not.
    let path = format!("/2010-04-01/Accounts/{}/Keys/{}.json", t.main.sid, t.standard_key.sid);
    assert_eq!(app.delete(&path, Some(&t.main)).await.status, 204);
    app.get(&balance, Some(&t.standard_key)).await.assert_error(401, 20003);
}
