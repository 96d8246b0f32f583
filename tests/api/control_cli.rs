//! The operator's control-plane commands (CONTROL.md, "Operator commands"), through the real binary,
//! on the same tables a running server reads.
use crate::backend_tests;
use crate::helpers::{json_keys, Backend, TestApp, TestDatabase};
use crate::process::{run_cli, TestConfig};
use serde_json::Value;

backend_tests!(the_operator_resets_and_snapshots_a_tenant);

fn one_json_line(out: &std::process::Output) -> (String, Value) {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    assert_eq!(stdout.lines().count(), 1, "exactly one line: {stdout}");
    let json = serde_json::from_str(&stdout).unwrap();
    (stdout, json)
}

async fn the_operator_resets_and_snapshots_a_tenant(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let url = database.url.clone();
    let app = TestApp::spawn_on(database, |_| {}).await;
    let main = app.tenant("Main").await;
    let sub = app.subaccount(&main, "Sub").await;
    app.key(&main, &sub.sid, "Sub's key").await;
    let config = TestConfig::new("");
    let cli = |args: &[&str]| run_cli(&config, &url, args);
    let sub_path = format!("/2010-04-01/Accounts/{}.json", sub.sid);

    let (text, saved) = one_json_line(&cli(&["tenant", "snapshot", "save", &main.sid, "fixture", "--json"]));
    assert_eq!(json_keys(&text), ["name", "date_created", "subaccounts", "keys"], "the API's answer body");
    assert_eq!((&saved["name"], &saved["subaccounts"], &saved["keys"]), (&"fixture".into(), &1.into(), &1.into()));
    let listed = app.get("/_emulator/v1/snapshots", Some(&main)).await.json();
    assert_eq!(listed["snapshots"][0], saved, "the server sees what the operator saved");
    let (_, list) = one_json_line(&cli(&["tenant", "snapshot", "list", &main.sid, "--json"]));
    assert_eq!(list, listed);

    let (text, reset) = one_json_line(&cli(&["tenant", "reset", &main.sid, "--json"]));
    assert_eq!(json_keys(&text), ["account_sid", "subaccounts_deleted", "keys_deleted", "faults_disarmed"]);
    assert_eq!((&reset["subaccounts_deleted"], &reset["keys_deleted"]), (&1.into(), &1.into()));
    app.get(&sub_path, Some(&sub)).await.assert_error(401, 20003);

    let (text, restored) = one_json_line(&cli(&["tenant", "snapshot", "restore", &main.sid, "fixture", "--json"]));
    assert_eq!(json_keys(&text), ["name", "subaccounts", "keys"]);
    assert_eq!(restored, serde_json::json!({"name": "fixture", "subaccounts": 1, "keys": 1}));
    assert_eq!(app.get(&sub_path, Some(&sub)).await.status, 200, "works on the server's next request");

    let (_, deleted) = one_json_line(&cli(&["tenant", "snapshot", "delete", &main.sid, "fixture", "--json"]));
    assert_eq!(deleted, serde_json::json!({"deleted": "fixture"}));
    assert_eq!(app.get("/_emulator/v1/snapshots", Some(&main)).await.json(), serde_json::json!({"snapshots": []}));
    let plain = cli(&["tenant", "snapshot", "save", &main.sid, "again"]);
    assert!(plain.status.success() && String::from_utf8_lossy(&plain.stdout).contains("again"));

    // Refusals: exit 1 and one line, nothing changed.
    let unknown = format!("AC{}", "3".repeat(32));
    for args in [
        vec!["tenant", "reset", unknown.as_str()],
        vec!["tenant", "reset", sub.sid.as_str()],
        vec!["tenant", "reset", "nope"],
        vec!["tenant", "snapshot", "restore", main.sid.as_str(), "missing"],
        vec!["tenant", "snapshot", "delete", main.sid.as_str(), "missing"],
        vec!["tenant", "snapshot", "save", main.sid.as_str(), "bad name"],
        vec!["tenant", "snapshot", "save", unknown.as_str(), "x"],
    ] {
        let out = cli(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1, "{args:?}");
    }
    assert_eq!(app.get(&sub_path, Some(&sub)).await.status, 200);
}
