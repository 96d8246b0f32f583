//! The operator command: tenants, migrations, and one clear line for every failure.
use crate::backend_tests;
use crate::helpers::{Backend, Creds, TestApp, TestDatabase};
use crate::process::{run_cli, TestConfig};

backend_tests!(
    accounts_create_prints_one_json_object_whose_token_works,
    accounts_create_with_fixed_credentials_is_idempotent
);

async fn accounts_create_prints_one_json_object_whose_token_works(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let config = TestConfig::new("");
    let out = run_cli(
        &config,
        &database.url,
        &["accounts", "create", "--friendly-name", "Team Blue", "--type", "Trial", "--json"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "exactly one line: {stdout}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!((json["friendly_name"].as_str(), json["type"].as_str()), (Some("Team Blue"), Some("Trial")));
    assert_eq!(json["owner_account_sid"], json["sid"]);
    let creds = Creds { sid: json["sid"].as_str().unwrap().into(), token: json["auth_token"].as_str().unwrap().into() };
    assert_eq!(creds.token.len(), 32);

    let app = TestApp::spawn_on(database, |_| {}).await;
    let fetched = app.get(&format!("/2010-04-01/Accounts/{}.json", creds.sid), Some(&creds)).await;
    assert_eq!(fetched.status, 200, "{}", fetched.body);
    let mut expected = json.clone();
    expected["auth_token"] = "redacted".into();
    assert_eq!(fetched.json(), expected, "the CLI prints the .json representation");
}

async fn accounts_create_with_fixed_credentials_is_idempotent(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let config = TestConfig::new("");
    let sid = "AC0123456789abcdef0123456789abcdef";
    let args =
        ["accounts", "create", "--friendly-name", "Fixed", "--sid", sid, "--auth-token", "s3cret-token", "--json"];
    let first = run_cli(&config, &database.url, &args);
    let second = run_cli(&config, &database.url, &args);
    assert!(first.status.success() && second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
    let parse = |out: &[u8]| serde_json::from_slice::<serde_json::Value>(out).unwrap();
    assert_eq!(parse(&first.stdout), parse(&second.stdout), "no change on the second run");

    let mut different = args;
    different[7] = "another-token";
    let refused = run_cli(&config, &database.url, &different);
    assert!(!refused.status.success());
    let stderr = String::from_utf8(refused.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(sid) && !stderr.contains("another-token"), "{stderr}");

    let app = TestApp::spawn_on(database, |_| {}).await;
    let creds = Creds { sid: sid.into(), token: "s3cret-token".into() };
    let list = app.get("/2010-04-01/Accounts.json", Some(&creds)).await.json();
    assert_eq!(list["total"], 1);
}

#[test]
fn failures_exit_non_zero_with_one_clear_line() {
    let config = TestConfig::new("");
    let bad_config = TestConfig::new("max_subaccounts = \"many\"");
    let unknown_key = TestConfig::new("colour = \"blue\"");
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}", dir.path().join("x.db").display());
    let cases: Vec<(&TestConfig, String, Vec<&str>)> = vec![
        (&config, "postgres://nobody@127.0.0.1:1/none".into(), vec!["migrate"]),
        (&config, "mysql://localhost/x".into(), vec!["migrate"]),
        (&bad_config, sqlite.clone(), vec!["migrate"]),
        (&unknown_key, sqlite.clone(), vec!["migrate"]),
        (&config, sqlite.clone(), vec!["serve", "--bind", "not-an-address"]),
        (&config, sqlite.clone(), vec!["accounts", "create", "--friendly-name", ""]),
        (
            &config,
            sqlite.clone(),
            vec!["accounts", "create", "--friendly-name", "x", "--sid", "AC1", "--auth-token", "t"],
        ),
        (&config, sqlite.clone(), vec!["accounts", "create", "--friendly-name", "x", "--type", "Gold"]),
    ];
    for (config, url, args) in cases {
        let out = run_cli(config, &url, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("error:") || stderr.starts_with("error: "), "{args:?}: {stderr}");
    }
    let out = run_cli(&config, &sqlite, &["serve", "--no-such-flag"]);
    assert!(!out.status.success());
}
