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
);

fn header_cases(main: &Creds) -> Vec<(&'static str, Option<String>)> {
    use base64::Engine as _;
    let b64 = |raw: &[u8]| base64::engine::general_purpose::STANDARD.encode(raw);
    vec![
        ("missing", None),
        ("empty", Some(String::new())),
        ("not basic", Some(format!("Bearer {}", main.token))),
        ("bad base64", Some("Basic !!!not-base64!!!".into())),
        (
            "missing colon",
            Some(format!("Basic {}", b64(main.sid.as_bytes()))),
        ),
        (
            "empty token",
            Some(format!(
                "Basic {}",
                b64(format!("{}:", main.sid).as_bytes())
            )),
        ),
        (
            "not utf-8",
            Some(format!("Basic {}", b64(b"AC\xff\xfe:token"))),
        ),
        (
            "malformed sid",
            Some(format!(
                "Basic {}",
                b64(format!("AC123:{}", main.token).as_bytes())
            )),
        ),
        (
            "lowercase prefix",
            Some(format!(
                "Basic {}",
                b64(format!("ac{}:{}", &main.sid[2..], main.token).as_bytes())
            )),
        ),
        (
            "wrong token",
            Some(format!(
                "Basic {}",
                b64(format!("{}:{}x", main.sid, main.token).as_bytes())
            )),
        ),
        (
            "unknown sid",
            Some(format!(
                "Basic {}",
                b64(format!("AC{}:{}", "0".repeat(32), main.token).as_bytes())
            )),
        ),
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
            assert_eq!(
                reply.header("www-authenticate"),
                "Basic realm=\"Twilio API\"",
                "{case}"
            );
            bodies.push(reply.body);
        }
        bodies.dedup();
        assert_eq!(bodies.len(), 1, "one body for every failure");
        assert_body!(
            format!("error_401{}", if ext.is_empty() { ".xml" } else { ext }),
            &bodies[0]
        );
    }
    let reply = app
        .get(
            &format!("/2010-04-01/Accounts/{}.json", main.sid),
            Some(&main),
        )
        .await;
    assert_eq!(reply.status, 200, "the right credentials still work");
}

async fn unknown_sid_and_wrong_token_are_indistinguishable(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let unknown = Creds {
        sid: AccountSid::generate().to_string(),
        token: main.token.clone(),
    };
    let wrong = Creds {
        sid: main.sid.clone(),
        token: "0".repeat(32),
    };
    for path in [
        "/2010-04-01/Accounts.json".to_owned(),
        format!("/2010-04-01/Accounts/{}", main.sid),
    ] {
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
    assert_eq!(
        app.get(&sub_path, Some(&sub)).await.status,
        200,
        "warm the credential cache"
    );

    app.post(&sub_path, Some(&main), &form(&[("Status", "suspended")]))
        .await;
    app.get(&sub_path, Some(&sub))
        .await
        .assert_error(401, 20003);
    app.post(&sub_path, Some(&main), &form(&[("Status", "active")]))
        .await;
    assert_eq!(
        app.get(&sub_path, Some(&sub)).await.status,
        200,
        "reactivated"
    );

    // A suspended main account takes its subaccounts with it (an operator action).
    let main_sid = AccountSid::parse(&main.sid).unwrap();
    let suspend = AccountChange {
        status: Some(AccountStatus::Suspended),
        ..Default::default()
    };
    app.store
        .update(&main_sid, &suspend, chrono::Utc::now())
        .await
        .unwrap();
    app.get(&sub_path, Some(&sub))
        .await
        .assert_error(401, 20003);
    app.get(&sub_path, Some(&main))
        .await
        .assert_error(401, 20003);
    let activate = AccountChange {
        status: Some(AccountStatus::Active),
        ..Default::default()
    };
    app.store
        .update(&main_sid, &activate, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(app.get(&sub_path, Some(&sub)).await.status, 200);

    app.post(&sub_path, Some(&main), &form(&[("Status", "closed")]))
        .await;
    app.get(&sub_path, Some(&sub))
        .await
        .assert_error(401, 20003);
    let fetched = app.get(&sub_path, Some(&main)).await;
    assert_eq!(
        fetched.json()["status"],
        "closed",
        "the main account still sees a closed subaccount"
    );
}

async fn a_changed_token_is_refused_on_the_next_request(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let path = format!("/2010-04-01/Accounts/{}.json", main.sid);
    assert_eq!(app.get(&path, Some(&main)).await.status, 200);
    let hash = TestApp::hashing().hash("new-token").await.unwrap();
    let sid = AccountSid::parse(&main.sid).unwrap();
    app.store
        .set_token_hash(&sid, &hash, chrono::Utc::now())
        .await
        .unwrap();
    app.get(&path, Some(&main)).await.assert_error(401, 20003);
    let rotated = Creds {
        sid: main.sid.clone(),
        token: "new-token".into(),
    };
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
            app.post(&path, Some(&sub), &form(&[("FriendlyName", "x")]))
                .await
                .assert_error(401, 20003);
        }
    }
    let own = app
        .get(
            &format!("/2010-04-01/Accounts/{}.json", sub.sid),
            Some(&sub),
        )
        .await;
    assert_eq!(own.status, 200);
}

async fn a_main_account_gets_404_for_what_it_cannot_reach(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let stranger = app.tenant("Stranger").await;
    let strangers_sub = app.subaccount(&stranger, "Theirs").await;
    for sid in [
        stranger.sid.as_str(),
        strangers_sub.sid.as_str(),
        "ACffffffffffffffffffffffffffffffff",
        "nonsense",
    ] {
        let path = format!("/2010-04-01/Accounts/{sid}.json");
        let reply = app.get(&path, Some(&main)).await;
        reply.assert_error(404, 20404);
        assert_eq!(
            reply.json()["message"],
            format!("The requested resource {path} was not found")
        );
        app.post(&path, Some(&main), &form(&[("FriendlyName", "mine now")]))
            .await
            .assert_error(404, 20404);
    }
    let theirs = app
        .get(
            &format!("/2010-04-01/Accounts/{}.json", strangers_sub.sid),
            Some(&stranger),
        )
        .await;
    assert_eq!(
        theirs.json()["friendly_name"],
        "Theirs",
        "nothing was written"
    );
}
