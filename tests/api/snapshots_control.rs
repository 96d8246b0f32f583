//! Snapshots (CONTROL.md): save, list, restore and delete a tenant's state, exactly.
use crate::helpers::{normalize, Backend, Creds, TestApp, TestDatabase};
use crate::{assert_body, backend_tests};
use serde_json::Value;

backend_tests!(
    a_restore_brings_back_exactly_the_saved_tenant,
    snapshot_names_the_limit_replacing_and_deleting,
    a_restore_through_one_instance_holds_on_the_other_at_once,
);

async fn account(app: &TestApp, caller: &Creds, sid: &str) -> crate::helpers::Reply {
    app.get(&format!("/2010-04-01/Accounts/{sid}.json"), Some(caller)).await
}

async fn a_restore_brings_back_exactly_the_saved_tenant(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let main_key = app.main_key(&main.sid).await;
    let kept = app.subaccount(&main, "Kept").await;
    let closed = app.subaccount(&main, "Closed later").await;
    let suspended = app.subaccount(&main, "Suspended").await;
    assert_eq!(
        app.post(&format!("/2010-04-01/Accounts/{}.json", suspended.sid), Some(&main), "Status=suspended").await.status,
        200
    );
    let standard = app.key(&main, &main.sid, "Main's standard").await;
    let subs_key = app.key(&main, &kept.sid, "Kept's key").await;
    let subs_main_key = app.main_key(&kept.sid).await;
    let list_before = app.get("/2010-04-01/Accounts.json", Some(&main)).await.body;
    let keys_before = app.get(&format!("/2010-04-01/Accounts/{}/Keys.json", main.sid), Some(&main)).await.body;
    let subs_keys_before = app.get(&format!("/2010-04-01/Accounts/{}/Keys.json", kept.sid), Some(&main)).await.body;

    let saved = app.post("/_emulator/v1/snapshots", Some(&main), "Name=fixture").await;
    assert_eq!((saved.status.as_u16(), saved.header("content-type")), (201, "application/json"));
    assert_body!("control_snapshot_save.json", normalize(&saved.body, &[]));
    assert_eq!(
        (&saved.json()["subaccounts"], &saved.json()["keys"]),
        (&3.into(), &3.into()),
        "all but the main account's Main keys"
    );

    // Everything changes after the save...
    assert_eq!(
        app.post(&format!("/2010-04-01/Accounts/{}.json", closed.sid), Some(&main), "Status=closed").await.status,
        200
    );
    assert_eq!(
        app.post(&format!("/2010-04-01/Accounts/{}.json", main.sid), Some(&main), "FriendlyName=Renamed+main")
            .await
            .status,
        200
    );
    assert_eq!(
        app.delete(&format!("/2010-04-01/Accounts/{}/Keys/{}.json", kept.sid, subs_key.sid), Some(&main)).await.status,
        204
    );
    let later = app.subaccount(&main, "Made later").await;
    let later_key = app.key(&main, &main.sid, "Made later").await;
    app.store
        .set_balance(
            &twilio_emulator::domain::AccountSid::parse(&main.sid).unwrap(),
            twilio_emulator::domain::Money::parse("1.50").unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        app.post("/_emulator/v1/faults", Some(&main), "Status=500&Path=/2010-04-01/Accounts/AC0").await.status,
        201
    );

    // ...and the restore brings back exactly what was saved.
    let restored = app.post("/_emulator/v1/snapshots/fixture/restore", Some(&main), "").await;
    assert_eq!(restored.status, 200, "{}", restored.body);
    assert_body!("control_snapshot_restore.json", normalize(&restored.body, &[]));
    // The subaccounts: the same SIDs, values and dates (the main account's DateUpdated moved with its name).
    let subaccounts =
        |body: &str| serde_json::from_str::<Value>(body).unwrap()["accounts"].as_array().unwrap()[1..].to_vec();
    let list_after = app.get("/2010-04-01/Accounts.json", Some(&main)).await.body;
    assert_eq!(subaccounts(&list_after), subaccounts(&list_before), "same SIDs, values and dates");
    assert_eq!(app.get(&format!("/2010-04-01/Accounts/{}/Keys.json", main.sid), Some(&main)).await.body, keys_before);
    assert_eq!(
        app.get(&format!("/2010-04-01/Accounts/{}/Keys.json", kept.sid), Some(&main)).await.body,
        subs_keys_before
    );
    // Restored tokens and secrets work again; what was made since is gone.
    assert_eq!(account(&app, &closed, &closed.sid).await.status, 200, "closed since the save, active again");
    assert_eq!(app.get(&format!("/2010-04-01/Accounts/{}/Balance.json", kept.sid), Some(&subs_key)).await.status, 200);
    assert_eq!(
        app.get(&format!("/2010-04-01/Accounts/{}/Balance.json", kept.sid), Some(&subs_main_key)).await.status,
        200
    );
    assert_eq!(app.get(&format!("/2010-04-01/Accounts/{}/Balance.json", main.sid), Some(&standard)).await.status, 200);
    account(&app, &later, &later.sid).await.assert_error(401, 20003);
    app.get(&format!("/2010-04-01/Accounts/{}/Balance.json", main.sid), Some(&later_key))
        .await
        .assert_error(401, 20003);
    account(&app, &suspended, &suspended.sid).await.assert_error(401, 20003);
    assert_eq!(
        app.get("/_emulator/v1/faults", Some(&main)).await.json()["faults"],
        serde_json::json!([]),
        "faults disarmed"
    );
    // The main account: the snapshot's name and balance; its SID, token, status and Main keys untouched.
    let balance = app.get(&format!("/2010-04-01/Accounts/{}/Balance.json", main.sid), Some(&main_key)).await.json();
    assert_eq!(balance["balance"], "20.00");
    assert_eq!(account(&app, &main, &main.sid).await.json()["friendly_name"], "Main");
    // A second restore is the same state again, and the cap counts the restored subaccounts.
    let again = app.post("/_emulator/v1/snapshots/fixture/restore", Some(&main_key), "").await;
    assert_eq!(again.body, restored.body);
    assert_eq!(app.get("/2010-04-01/Accounts.json", Some(&main)).await.json()["total"], 4);
}

async fn snapshot_names_the_limit_replacing_and_deleting(backend: Backend) {
    let app = TestApp::spawn_with(backend, |settings| settings.control.max_snapshots_per_tenant = 3).await;
    let main = app.tenant("Main").await;
    for body in [
        "",
        "Name=",
        "Name=has+space",
        "Name=slash%2F",
        "Name=%C3%A9",
        "Name=a&Name=b",
        &format!("Name={}", "x".repeat(65)),
    ] {
        app.post("/_emulator/v1/snapshots", Some(&main), body).await.assert_error(400, 20001);
    }
    let missing = app.post("/_emulator/v1/snapshots", Some(&main), "").await;
    assert_body!("control_error_400_name.json", missing.body);
    let long = "v1.2_final-".to_owned() + &"x".repeat(53);
    for name in ["a", "b", long.as_str()] {
        assert_eq!(app.post("/_emulator/v1/snapshots", Some(&main), &format!("Name={name}")).await.status, 201);
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let full = app.post("/_emulator/v1/snapshots", Some(&main), "Name=d").await;
    full.assert_error(400, 20001);
    // Replacing is no new name: 200, with the replacement's date.
    let first = app.get("/_emulator/v1/snapshots", Some(&main)).await.json();
    let replaced = app.post("/_emulator/v1/snapshots", Some(&main), "Name=a").await;
    assert_eq!(replaced.status, 200);
    let list = app.get("/_emulator/v1/snapshots", Some(&main)).await;
    assert_body!("control_snapshot_list.json", normalize(&list.body, &[]));
    let names: Vec<Value> = list.json()["snapshots"].as_array().unwrap().iter().map(|s| s["name"].clone()).collect();
    assert_eq!(names, [Value::from("a"), Value::from(long.as_str()), Value::from("b")], "newest first");
    let old_a = first["snapshots"].as_array().unwrap().iter().find(|s| s["name"] == "a").unwrap();
    assert!(replaced.json()["date_created"].as_str() > old_a["date_created"].as_str());
    // Unknown names are 404 for restore and delete; delete is 204 with no body, then 404.
    for name in ["unknown", "bad%20name"] {
        app.post(&format!("/_emulator/v1/snapshots/{name}/restore"), Some(&main), "").await.assert_error(404, 20404);
        app.delete(&format!("/_emulator/v1/snapshots/{name}"), Some(&main)).await.assert_error(404, 20404);
    }
    let deleted = app.delete("/_emulator/v1/snapshots/b", Some(&main)).await;
    assert_eq!((deleted.status.as_u16(), deleted.body.as_str()), (204, ""));
    app.delete("/_emulator/v1/snapshots/b", Some(&main)).await.assert_error(404, 20404);
    assert_eq!(app.post("/_emulator/v1/snapshots", Some(&main), "Name=d").await.status, 201, "a place is free");
    // Snapshots are the tenant's own: another tenant sees none of them, and may use the same names.
    let other = app.tenant("Other").await;
    assert_eq!(app.get("/_emulator/v1/snapshots", Some(&other)).await.json(), serde_json::json!({"snapshots": []}));
    app.post("/_emulator/v1/snapshots/a/restore", Some(&other), "").await.assert_error(404, 20404);
    assert_eq!(app.post("/_emulator/v1/snapshots", Some(&other), "Name=a").await.status, 201);
}

async fn a_restore_through_one_instance_holds_on_the_other_at_once(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let twin = database.twin();
    let a = TestApp::spawn_on(database, |_| {}).await;
    let b = TestApp::spawn_on(twin, |_| {}).await;
    let main = a.tenant("Main").await;
    let saved_sub = a.subaccount(&main, "Saved").await;
    let saved_key = a.key(&main, &main.sid, "Saved").await;
    assert_eq!(a.post("/_emulator/v1/snapshots", Some(&main), "Name=fixture").await.status, 201);
    let later_sub = a.subaccount(&main, "Later").await;
    let later_key = a.key(&main, &main.sid, "Later").await;
    // Both instances know every credential before; the reset forgets the saved ones.
    for app in [&a, &b] {
        assert_eq!(account(app, &later_sub, &later_sub.sid).await.status, 200);
        assert_eq!(
            app.get(&format!("/2010-04-01/Accounts/{}/Balance.json", main.sid), Some(&later_key)).await.status,
            200
        );
    }
    assert_eq!(a.post("/_emulator/v1/reset", Some(&main), "").await.status, 200);
    for app in [&a, &b] {
        account(app, &saved_sub, &saved_sub.sid).await.assert_error(401, 20003);
    }
    // A restore through A: B answers the restored credentials at once and refuses the others.
    assert_eq!(a.post("/_emulator/v1/snapshots/fixture/restore", Some(&main), "").await.status, 200);
    assert_eq!(account(&b, &saved_sub, &saved_sub.sid).await.status, 200);
    assert_eq!(b.get(&format!("/2010-04-01/Accounts/{}/Balance.json", main.sid), Some(&saved_key)).await.status, 200);
    account(&b, &later_sub, &later_sub.sid).await.assert_error(401, 20003);
    b.get(&format!("/2010-04-01/Accounts/{}/Balance.json", main.sid), Some(&later_key)).await.assert_error(401, 20003);
    assert_eq!(b.get("/_emulator/v1/snapshots", Some(&main)).await.json()["snapshots"][0]["name"], "fixture");
}
