//! The operator's key commands (KEYS.md, "Operator commands"), through the real binary.
use crate::backend_tests;
use crate::helpers::{json_keys, Backend, Creds, TestApp, TestDatabase};
use crate::process::{run_cli, TestConfig};
use serde_json::Value;

backend_tests!(keys_create_list_and_delete_for_the_operator);

fn json_line(out: &std::process::Output) -> Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    assert_eq!(stdout.lines().count(), 1, "exactly one line: {stdout}");
    serde_json::from_str(&stdout).unwrap()
}

async fn keys_create_list_and_delete_for_the_operator(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let url = database.url.clone();
    let app = TestApp::spawn_on(database, |_| {}).await;
    let main = app.tenant("Main").await;
    let sub = app.subaccount(&main, "Sub").await;
    let config = TestConfig::new("");

    // A Main key: the key's .json representation plus its secret and type, once.
    let out = run_cli(
        &config,
        &url,
        &["keys", "create", "--account", &main.sid, "--main", "--friendly-name", "Console key", "--json"],
    );
    let made = json_line(&out);
    let order = ["sid", "friendly_name", "date_created", "date_updated", "secret", "type"];
    assert_eq!(json_keys(&String::from_utf8(out.stdout).unwrap()), order, "the .json order, then secret and type");
    assert_eq!((made["type"].as_str(), made["friendly_name"].as_str()), (Some("main"), Some("Console key")));
    let main_key = Creds { sid: made["sid"].as_str().unwrap().into(), token: made["secret"].as_str().unwrap().into() };
    let fetched = app.get(&format!("/2010-04-01/Accounts/{}/Keys/{}.json", main.sid, main_key.sid), Some(&main)).await;
    let mut expected = made.clone();
    expected.as_object_mut().unwrap().remove("secret");
    expected.as_object_mut().unwrap().remove("type");
    assert_eq!(fetched.json(), expected, "the CLI prints the key's .json representation");
    // The Main key acts as the main account: it lists the tenant and makes a subaccount.
    assert_eq!(app.get("/2010-04-01/Accounts.json", Some(&main_key)).await.json()["total"], 2);
    assert_eq!(app.post("/2010-04-01/Accounts.json", Some(&main_key), "").await.status, 201);

    // A Standard key of the subaccount, without a name.
    let standard = json_line(&run_cli(&config, &url, &["keys", "create", "--account", &sub.sid, "--json"]));
    assert_eq!((standard["type"].as_str(), &standard["friendly_name"]), (Some("standard"), &Value::Null));
    let standard =
        Creds { sid: standard["sid"].as_str().unwrap().into(), token: standard["secret"].as_str().unwrap().into() };
    let balance = format!("/2010-04-01/Accounts/{}/Balance.json", sub.sid);
    assert_eq!(app.get(&balance, Some(&standard)).await.status, 200);

    // The list: one JSON array, each key with its type, never a secret.
    app.key(&main, &main.sid, "API key").await;
    let listed = json_line(&run_cli(&config, &url, &["keys", "list", "--account", &main.sid, "--json"]));
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed.iter().map(|k| k["type"].as_str().unwrap()).collect::<Vec<_>>(), ["main", "standard"]);
    assert!(listed.iter().all(|k| k.get("secret").is_none()));
    let plain = run_cli(&config, &url, &["keys", "list", "--account", &main.sid]);
    assert!(String::from_utf8_lossy(&plain.stdout).contains(&main_key.sid));
    assert!(!String::from_utf8_lossy(&plain.stdout).contains(&main_key.token), "no secret in any listing");

    // Delete: the key authenticates nothing from the next request on.
    let out = run_cli(&config, &url, &["keys", "delete", &standard.sid]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    app.get(&balance, Some(&standard)).await.assert_error(401, 20003);
    let again = run_cli(&config, &url, &["keys", "delete", &standard.sid]);
    assert_eq!(again.status.code(), Some(1), "deleting it twice is an error");

    // Refusals: one line, exit 1, nothing made.
    let unknown = format!("AC{}", "0".repeat(32));
    let long_name = "x".repeat(65);
    for args in [
        vec!["keys", "create", "--account", unknown.as_str()],
        vec!["keys", "create", "--account", "ACnope"],
        vec!["keys", "create", "--account", main.sid.as_str(), "--friendly-name", ""],
        vec!["keys", "create", "--account", main.sid.as_str(), "--friendly-name", long_name.as_str()],
        vec!["keys", "delete", "SKnope"],
    ] {
        let out = run_cli(&config, &url, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1, "{args:?}");
    }
    let listed = json_line(&run_cli(&config, &url, &["keys", "list", "--account", &main.sid, "--json"]));
    assert_eq!(listed.as_array().unwrap().len(), 2, "no refused command made a key");
}
