//! Basic auth: every failure is the same 401, and who reaches what.
use crate::helpers::{form, Backend, Creds, TestApp};
use crate::{assert_body, backend_tests};
use reqwest::Method;
use twilio_emulator::domain::{AccountSid, AccountStatus};
use twilio_emulator::storage::AccountChange;

backend_tests!(
    every_bad_credential_gets_the_same_401,
    unknown_sid_and_wrong_token_are_indistinguishable,
    accounts_that_are_not_active_cannot_authenticate,
    a_changed_token_is_refused_on_the_next_request,
    a_subaccount_reaches_only_itself,
    a_main_account_gets_404_for_what_it_cannot_reach,
    cached_credentials_never_outlive_a_status_or_token_change,
    the_credential_cache_spares_argon2_after_the_first_request,
    unknown_sid_and_wrong_token_take_the_same_time,
);

fn header_cases(main: &Creds) -> Vec<(&'static str, Option<String>)> {
    use base64::Engine as _;
    let b64 = |raw: &[u8]| base64::engine::general_purpose::STANDARD.encode(raw);
    vec![
        ("missing", None),
        ("empty", Some(String::new())),
        ("not basic", Some(format!("Bearer {}", main.token))),
        ("bad base64", Some("Basic !!!not-base64!!!".into())),
        ("missing colon", Some(format!("Basic {}", b64(main.sid.as_bytes())))),
        ("empty token", Some(format!("Basic {}", b64(format!("{}:", main.sid).as_bytes())))),
        ("not utf-8", Some(format!("Basic {}", b64(b"AC\xff\xfe:token")))),
        ("malformed sid", Some(format!("Basic {}", b64(format!("AC123:{}", main.token).as_bytes())))),
        ("lowercase prefix", Some(format!("Basic {}", b64(format!("ac{}:{}", &main.sid[2..], main.token).as_bytes())))),
        ("wrong token", Some(format!("Basic {}", b64(format!("{}:{}x", main.sid, main.token).as_bytes())))),
        ("unknown sid", Some(format!("Basic {}", b64(format!("AC{}:{}", "0".repeat(32), main.token).as_bytes())))),
    ]
}

async fn every_bad_credential_gets_the_same_401(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    for ext in ["", ".json"] {
        let path = format!("/2010-04-01/Accounts/{}{ext}", main.sid);
        let mut bodies = Vec::new();
        for (case, header) in header_cases(&main) {
            let mut request = app.raw(Method::GET, &path);
            if let Some(value) = header {
                request = request.header("authorization", value);
            }
            let reply = app.execute(request).await;
            assert_eq!(reply.status, 401, "{case}: {}", reply.body);
            reply.assert_error(401, 20003);
            assert_eq!(reply.header("www-authenticate"), "Basic realm=\"Twilio API\"", "{case}");
            bodies.push(reply.body);
        }
        bodies.dedup();
        assert_eq!(bodies.len(), 1, "one body for every failure");
        assert_body!(format!("error_401{}", if ext.is_empty() { ".xml" } else { ext }), &bodies[0]);
    }
    let reply = app.get(&format!("/2010-04-01/Accounts/{}.json", main.sid), Some(&main)).await;
    assert_eq!(reply.status, 200, "the right credentials still work");
}

async fn unknown_sid_and_wrong_token_are_indistinguishable(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let unknown = Creds { sid: AccountSid::generate().to_string(), token: main.token.clone() };
    let wrong = Creds { sid: main.sid.clone(), token: "0".repeat(32) };
    for path in ["/2010-04-01/Accounts.json".to_owned(), format!("/2010-04-01/Accounts/{}", main.sid)] {
        let a = app.get(&path, Some(&unknown)).await;
        let b = app.get(&path, Some(&wrong)).await;
        assert_eq!(
            (a.status, &a.body, a.header("www-authenticate")),
            (b.status, &b.body, b.header("www-authenticate"))
        );
        let mut a_headers: Vec<_> = a.headers.keys().filter(|k| *k != "date").collect();
        let mut b_headers: Vec<_> = b.headers.keys().filter(|k| *k != "date").collect();
        a_headers.sort_by_key(|k| k.as_str().to_owned());
        b_headers.sort_by_key(|k| k.as_str().to_owned());
        assert_eq!(a_headers, b_headers);
    }
}

async fn accounts_that_are_not_active_cannot_authenticate(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let sub = app.subaccount(&main, "Sub").await;
    let sub_path = format!("/2010-04-01/Accounts/{}.json", sub.sid);
    assert_eq!(app.get(&sub_path, Some(&sub)).await.status, 200, "warm the credential cache");

    app.post(&sub_path, Some(&main), &form(&[("Status", "suspended")])).await;
    app.get(&sub_path, Some(&sub)).await.assert_error(401, 20003);
    app.post(&sub_path, Some(&main), &form(&[("Status", "active")])).await;
    assert_eq!(app.get(&sub_path, Some(&sub)).await.status, 200, "reactivated");

    // A suspended main account takes its subaccounts with it (an operator action).
    let main_sid = AccountSid::parse(&main.sid).unwrap();
    let suspend = AccountChange { status: Some(AccountStatus::Suspended), ..Default::default() };
    app.store.update(&main_sid, &suspend, chrono::Utc::now()).await.unwrap();
    app.get(&sub_path, Some(&sub)).await.assert_error(401, 20003);
    app.get(&sub_path, Some(&main)).await.assert_error(401, 20003);
    let activate = AccountChange { status: Some(AccountStatus::Active), ..Default::default() };
    app.store.update(&main_sid, &activate, chrono::Utc::now()).await.unwrap();
    assert_eq!(app.get(&sub_path, Some(&sub)).await.status, 200);

    app.post(&sub_path, Some(&main), &form(&[("Status", "closed")])).await;
    app.get(&sub_path, Some(&sub)).await.assert_error(401, 20003);
    let fetched = app.get(&sub_path, Some(&main)).await;
    assert_eq!(fetched.json()["status"], "closed", "the main account still sees a closed subaccount");
}

async fn a_changed_token_is_refused_on_the_next_request(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let path = format!("/2010-04-01/Accounts/{}.json", main.sid);
    assert_eq!(app.get(&path, Some(&main)).await.status, 200);
    let hash = TestApp::hashing().hash("new-token").await.unwrap();
    let sid = AccountSid::parse(&main.sid).unwrap();
    app.store.set_token_hash(&sid, &hash, chrono::Utc::now()).await.unwrap();
    app.get(&path, Some(&main)).await.assert_error(401, 20003);
    let rotated = Creds { sid: main.sid.clone(), token: "new-token".into() };
    assert_eq!(app.get(&path, Some(&rotated)).await.status, 200);
    for _ in 0..3 {
        app.get(&path, Some(&main)).await.assert_error(401, 20003);
    }
}

async fn a_subaccount_reaches_only_itself(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let sub = app.subaccount(&main, "Sub").await;
    let sibling = app.subaccount(&main, "Sibling").await;
    let stranger = app.tenant("Stranger").await;
    let unreachable = [
        main.sid.clone(),
        sibling.sid.clone(),
        stranger.sid.clone(),
        AccountSid::generate().to_string(),
        "not-a-sid".to_owned(),
        "AC123".to_owned(),
    ];
    for sid in &unreachable {
        for ext in ["", ".json"] {
            let path = format!("/2010-04-01/Accounts/{sid}{ext}");
            app.get(&path, Some(&sub)).await.assert_error(401, 20003);
            app.post(&path, Some(&sub), &form(&[("FriendlyName", "x")])).await.assert_error(401, 20003);
        }
    }
    let own = app.get(&format!("/2010-04-01/Accounts/{}.json", sub.sid), Some(&sub)).await;
    assert_eq!(own.status, 200);
}

async fn a_main_account_gets_404_for_what_it_cannot_reach(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let stranger = app.tenant("Stranger").await;
    let strangers_sub = app.subaccount(&stranger, "Theirs").await;
    for sid in [stranger.sid.as_str(), strangers_sub.sid.as_str(), "ACffffffffffffffffffffffffffffffff", "nonsense"] {
        let path = format!("/2010-04-01/Accounts/{sid}.json");
        let reply = app.get(&path, Some(&main)).await;
        reply.assert_error(404, 20404);
        assert_eq!(reply.json()["message"], format!("The requested resource {path} was not found"));
        app.post(&path, Some(&main), &form(&[("FriendlyName", "mine now")])).await.assert_error(404, 20404);
    }
    let theirs = app.get(&format!("/2010-04-01/Accounts/{}.json", strangers_sub.sid), Some(&stranger)).await;
    assert_eq!(theirs.json()["friendly_name"], "Theirs", "nothing was written");
}

/// Every kind of request, with credentials the server has verified (and cached) before.
async fn every_request_is_refused(app: &TestApp, caller: &Creds, why: &str) {
    let own = format!("/2010-04-01/Accounts/{}.json", caller.sid);
    app.get(&own, Some(caller)).await.assert_error(401, 20003);
    app.post(&own, Some(caller), "FriendlyName=renamed").await.assert_error(401, 20003);
    app.get("/2010-04-01/Accounts.json", Some(caller)).await.assert_error(401, 20003);
    let create = app.post("/2010-04-01/Accounts.json", Some(caller), "FriendlyName=new").await;
    assert_eq!(create.status, 401, "{why}: {}", create.body);
}

async fn warm(app: &TestApp, caller: &Creds) {
    let own = format!("/2010-04-01/Accounts/{}.json", caller.sid);
    assert_eq!(app.get(&own, Some(caller)).await.status, 200);
    assert_eq!(app.post(&own, Some(caller), "FriendlyName=warm").await.status, 200);
    assert_eq!(app.get("/2010-04-01/Accounts.json", Some(caller)).await.status, 200);
}

async fn cached_credentials_never_outlive_a_status_or_token_change(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let status_of = |status| AccountChange { status: Some(status), ..Default::default() };
    let now = chrono::Utc::now;

    // A suspended subaccount, then a closed one.
    for status in [AccountStatus::Suspended, AccountStatus::Closed] {
        let sub = app.subaccount(&main, "Sub").await;
        warm(&app, &sub).await;
        let sid = AccountSid::parse(&sub.sid).unwrap();
        app.store.update(&sid, &status_of(status), now()).await.unwrap();
        every_request_is_refused(&app, &sub, status.as_str()).await;
    }

    // The subaccounts of a suspended main account, and the main account itself.
    let sub = app.subaccount(&main, "Sub of suspended").await;
    warm(&app, &sub).await;
    warm(&app, &main).await;
    let main_sid = AccountSid::parse(&main.sid).unwrap();
    app.store.update(&main_sid, &status_of(AccountStatus::Suspended), now()).await.unwrap();
    every_request_is_refused(&app, &sub, "main suspended").await;
    every_request_is_refused(&app, &main, "main suspended").await;
    app.store.update(&main_sid, &status_of(AccountStatus::Active), now()).await.unwrap();
    warm(&app, &sub).await;

    // A changed token.
    let hash = TestApp::hashing().hash("rotated").await.unwrap();
    app.store.set_token_hash(&main_sid, &hash, now()).await.unwrap();
    every_request_is_refused(&app, &main, "token changed").await;
    let rotated = Creds { sid: main.sid.clone(), token: "rotated".into() };
    warm(&app, &rotated).await;
    // A main account's cached credential never reaches a foreign tenant.
    let stranger = app.tenant("Stranger").await;
    let theirs = format!("/2010-04-01/Accounts/{}.json", stranger.sid);
    app.post(&theirs, Some(&rotated), "FriendlyName=mine").await.assert_error(404, 20404);
    app.post(&theirs, Some(&rotated), "Status=closed").await.assert_error(404, 20404);
}

async fn the_credential_cache_spares_argon2_after_the_first_request(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let wrong = Creds { sid: main.sid.clone(), token: "wrong".into() };
    let unknown = Creds { sid: AccountSid::generate().to_string(), token: "x".into() };
    let metric = |text: &str, name: &str| -> u64 {
        let line = text.lines().find(|l| l.starts_with(name)).unwrap_or_else(|| panic!("{name} in {text}"));
        line.rsplit(' ').next().unwrap().parse().unwrap()
    };
    let own = format!("/2010-04-01/Accounts/{}.json", main.sid);
    for _ in 0..2 {
        app.get(&own, Some(&main)).await;
        app.get(&own, Some(&wrong)).await;
        app.get(&own, Some(&unknown)).await;
    }
    let before = app.get("/metrics", None).await.body;
    let verified = metric(&before, "twilio_emulator_argon2_verifications_total");
    assert_eq!(verified, 3, "one verification per distinct credential");
    for _ in 0..20 {
        assert_eq!(app.get(&own, Some(&main)).await.status, 200);
        app.get(&own, Some(&wrong)).await.assert_error(401, 20003);
        app.get(&own, Some(&unknown)).await.assert_error(401, 20003);
        assert_eq!(app.post(&own, Some(&main), "FriendlyName=again").await.status, 200);
        assert_eq!(app.get("/2010-04-01/Accounts.json", Some(&main)).await.status, 200);
    }
    let after = app.get("/metrics", None).await.body;
    assert_eq!(metric(&after, "twilio_emulator_argon2_verifications_total"), verified, "no argon2 after warm-up");
    assert!(metric(&after, "twilio_emulator_credential_cache_hits_total") >= 100);
}

/// Quartiles of a sample of durations, in microseconds.
fn quartiles(mut sample: Vec<u128>) -> (u128, u128, u128) {
    sample.sort_unstable();
    let at = |q: usize| sample[(sample.len() - 1) * q / 4];
    (at(1), at(2), at(3))
}

async fn unknown_sid_and_wrong_token_take_the_same_time(backend: Backend) {
    // A realistic argon2 cost, so that a skipped verification would stand out.
    let argon2 = twilio_emulator::auth::Argon2Settings { memory_kib: 4096, iterations: 2, parallelism: 1 };
    let app = TestApp::spawn_with(backend, |s| s.argon2 = argon2).await;
    // The stored hash carries its own cost: make it with the server's, as a real tenant is.
    let token = AccountSid::generate().to_string();
    let request = twilio_emulator::tenants::MainAccountRequest {
        friendly_name: twilio_emulator::domain::FriendlyName::parse("Main").unwrap(),
        account_type: twilio_emulator::domain::AccountType::Full,
        opening: crate::helpers::test_settings("sqlite://unused").opening_balance().unwrap(),
        credentials: Some((AccountSid::generate(), twilio_emulator::domain::AuthToken::parse(&token).unwrap())),
    };
    let hashing = twilio_emulator::auth::PasswordHashing::new(argon2).unwrap();
    let created = twilio_emulator::tenants::ensure_main(app.store.as_ref(), &hashing, request).await.unwrap();
    let main = Creds { sid: created.account.sid.to_string(), token };
    let path = "/2010-04-01/Accounts.json";
    let (mut unknown, mut wrong) = (Vec::new(), Vec::new());
    for round in 0..40 {
        // Fresh tokens every time: the cache of failures must not make either side cheap.
        let token = AccountSid::generate().to_string();
        let cases = [
            (Creds { sid: AccountSid::generate().to_string(), token: token.clone() }, &mut unknown),
            (Creds { sid: main.sid.clone(), token }, &mut wrong),
        ];
        let ordered: Vec<_> =
            if round % 2 == 0 { cases.into_iter().collect() } else { cases.into_iter().rev().collect() };
        for (creds, sample) in ordered {
            let started = std::time::Instant::now();
            app.get(path, Some(&creds)).await.assert_error(401, 20003);
            sample.push(started.elapsed().as_micros());
        }
    }
    let (u1, u2, u3) = quartiles(unknown);
    let (w1, w2, w3) = quartiles(wrong);
    eprintln!("401 timing (µs) unknown SID q1/median/q3 = {u1}/{u2}/{u3}; wrong token = {w1}/{w2}/{w3}");
    assert!(u1 <= w3 && w1 <= u3, "the middle halves overlap");
    let ratio = u2 as f64 / w2 as f64;
    assert!((0.5..2.0).contains(&ratio), "medians within a factor of two (a skipped argon2 run is ~5x): {ratio:.2}");
}
