//! Reset (CONTROL.md): the tenant back to its main account and Main keys, its cap free again.
use crate::helpers::{normalize, Backend, Creds, TestApp};
use crate::{assert_body, backend_tests};
use twilio_emulator::domain::AccountSid;

backend_tests!(
    a_reset_keeps_the_main_account_and_frees_the_cap,
    a_reset_never_touches_another_tenant,
    observers_see_the_tenant_before_or_after_a_reset_never_a_mix,
);

async fn a_reset_keeps_the_main_account_and_frees_the_cap(backend: Backend) {
    let app = TestApp::spawn_with(backend, |settings| settings.max_subaccounts = 2).await;
    let main = app.tenant("Main").await;
    let before = app.get(&format!("/2010-04-01/Accounts/{}.json", main.sid), Some(&main)).await.body;
    let main_key = app.main_key(&main.sid).await;
    let standard = app.key(&main, &main.sid, "Standard").await;
    let (one, two) = (app.subaccount(&main, "One").await, app.subaccount(&main, "Two").await);
    let subs_key = app.key(&main, &one.sid, "Sub's").await;
    for sub in [&one, &two] {
        let closed = app.post(&format!("/2010-04-01/Accounts/{}.json", sub.sid), Some(&main), "Status=closed").await;
        assert_eq!(closed.status, 200);
    }
    app.post("/2010-04-01/Accounts.json", Some(&main), "").await.assert_error(400, 21480);
    assert_eq!(
        app.post("/_emulator/v1/faults", Some(&main), "Status=503&Path=/2010-04-01/Accounts/AC&Count=5").await.status,
        201
    );
    assert_eq!(app.post("/_emulator/v1/snapshots", Some(&main), "Name=kept").await.status, 201);

    let reset = app.post("/_emulator/v1/reset", Some(&main_key), "").await;
    assert_eq!((reset.status.as_u16(), reset.header("content-type")), (200, "application/json"));
    assert_body!("control_reset.json", normalize(&reset.body, &[(&main, "MAIN")]));
    let report = reset.json();
    // The journal stays, and records the reset (after the ten requests before it).
    let journal = app.journal(&main, 11).await;
    assert_eq!(journal.len(), 11);
    assert_eq!(
        (journal[0]["path"].as_str(), journal[0]["credential"].as_str()),
        (Some("/_emulator/v1/reset"), Some(main_key.sid.as_str()))
    );
    assert_eq!(
        (&report["subaccounts_deleted"], &report["keys_deleted"], &report["faults_disarmed"]),
        (&2.into(), &2.into(), &1.into())
    );

    // Gone: the subaccounts, their keys and the main account's Standard keys, on the very next request.
    for gone in [&one, &two, &standard, &subs_key] {
        app.get(&format!("/2010-04-01/Accounts/{}/Balance.json", one.sid), Some(gone)).await.assert_error(401, 20003);
    }
    app.get(&format!("/2010-04-01/Accounts/{}.json", one.sid), Some(&main)).await.assert_error(404, 20404);
    // Kept: the main account as it was, its Main key, its snapshots, its journal (which has the reset).
    assert_eq!(app.get(&format!("/2010-04-01/Accounts/{}.json", main.sid), Some(&main_key)).await.body, before);
    assert_eq!(app.get("/_emulator/v1/snapshots", Some(&main)).await.json()["snapshots"][0]["name"], "kept");
    assert_eq!(app.get("/_emulator/v1/faults", Some(&main)).await.json()["faults"], serde_json::json!([]));
    let keys = app.get(&format!("/2010-04-01/Accounts/{}/Keys.json", main.sid), Some(&main)).await.json();
    assert_eq!(keys["keys"].as_array().unwrap().len(), 1);
    assert_eq!(keys["keys"][0]["sid"], main_key.sid.as_str());

    // The cap is free again; the deleted SIDs are not minted again.
    let (three, four) = (app.subaccount(&main, "Three").await, app.subaccount(&main, "Four").await);
    assert!(![&one.sid, &two.sid].contains(&&three.sid) && ![&one.sid, &two.sid].contains(&&four.sid));
    app.post("/2010-04-01/Accounts.json", Some(&main), "").await.assert_error(400, 21480);
    let list = app.get("/2010-04-01/Accounts.json", Some(&main)).await.json();
    assert_eq!(list["total"], 3);
    // A reset of an empty tenant is a reset all the same.
    let again = app.post("/_emulator/v1/reset", Some(&main), "").await.json();
    assert_eq!(again["subaccounts_deleted"], 2);
    let empty = app.post("/_emulator/v1/reset", Some(&main), "").await.json();
    assert_eq!(
        empty,
        serde_json::json!({"account_sid": main.sid, "subaccounts_deleted": 0, "keys_deleted": 0, "faults_disarmed": 0})
    );
}

async fn a_reset_never_touches_another_tenant(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (ours, theirs) = (app.tenant("Ours").await, app.tenant("Theirs").await);
    let their_sub: Creds = app.subaccount(&theirs, "Their sub").await;
    let their_key = app.key(&theirs, &theirs.sid, "Their key").await;
    assert_eq!(app.post("/_emulator/v1/faults", Some(&theirs), "DelayMs=1&Count=3").await.status, 201);
    app.subaccount(&ours, "Our sub").await;
    assert_eq!(app.post("/_emulator/v1/reset", Some(&ours), "").await.json()["subaccounts_deleted"], 1);
    assert_eq!(app.get(&format!("/2010-04-01/Accounts/{}.json", their_sub.sid), Some(&their_sub)).await.status, 200);
    assert_eq!(
        app.get(&format!("/2010-04-01/Accounts/{}/Balance.json", theirs.sid), Some(&their_key)).await.status,
        200
    );
    let faults = app.get("/_emulator/v1/faults", Some(&theirs)).await.json();
    assert_eq!(faults["faults"].as_array().unwrap().len(), 1, "their fault stays armed");
    let sid = AccountSid::parse(&theirs.sid).unwrap();
    assert_eq!(app.store.keys_of(&sid).await.unwrap().len(), 1);
}

async fn observers_see_the_tenant_before_or_after_a_reset_never_a_mix(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    for n in 0..30 {
        app.subaccount(&main, &format!("Sub {n}")).await;
    }
    let lists = (0..40).map(|_| app.get("/2010-04-01/Accounts.json?PageSize=1000", Some(&main)));
    let (replies, reset) =
        tokio::join!(futures_util::future::join_all(lists), app.post("/_emulator/v1/reset", Some(&main), ""));
    assert_eq!(reset.status, 200);
    for reply in replies {
        let page = reply.json();
        let listed = page["accounts"].as_array().unwrap().len() as u64;
        assert!(listed == 31 || listed == 1, "{listed} accounts: a mix");
        assert_eq!(page["total"].as_u64(), Some(listed), "the total agrees with the page");
    }
}
