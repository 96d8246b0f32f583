//! The command line: tenants, migrations, the start banner and the log's format, settings from the
//! environment, and one clear line for every failure.
use crate::backend_tests;
use crate::helpers::{Backend, Creds, TestApp, TestDatabase};
use crate::process::{run_cli, run_cli_with, ServerProcess, Stream, TestConfig};
use std::io::Write;
use std::process::Stdio;
use twilio_emulator::config::{SANDBOX_AUTH_TOKEN, SANDBOX_SID};

backend_tests!(
    accounts_create_prints_one_json_object_whose_token_works,
    accounts_create_with_fixed_credentials_is_idempotent,
    accounts_create_reads_the_token_from_a_file_or_stdin,
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

async fn accounts_create_reads_the_token_from_a_file_or_stdin(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let config = TestConfig::new("");
    let mut file = tempfile::NamedTempFile::new().unwrap();
    writeln!(file, "token-from-a-file").unwrap();
    let path = file.path().to_str().unwrap();
    let by_file = Creds { sid: "AC00000000000000000000000000000f11".into(), token: "token-from-a-file".into() };
    let by_stdin = Creds { sid: "AC000000000000000000000000000005d1".into(), token: "token-from-stdin".into() };
    let create = |creds: &Creds, token_args: [&str; 2], stdin: &[u8]| {
        let args =
            ["accounts", "create", "--friendly-name", "Fixed", "--sid", &creds.sid, token_args[0], token_args[1]];
        let out = run_cli_with(&config, &database.url, &[&args[..], &["--json"]].concat(), &[], stdin);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json["auth_token"], creds.token.as_str(), "the trailing newline is not part of the token");
    };
    create(&by_file, ["--auth-token-file", path], b"");
    create(&by_stdin, ["--auth-token-file", "-"], b"token-from-stdin\r\n");
    // Idempotent: the same token given on the command line changes nothing.
    create(&by_file, ["--auth-token", "token-from-a-file"], b"");

    let mut bad = tempfile::NamedTempFile::new().unwrap();
    writeln!(bad, "two words").unwrap();
    let args = ["accounts", "create", "--friendly-name", "x", "--sid", &by_file.sid, "--auth-token-file"];
    let refused = run_cli(&config, &database.url, &[&args[..], &[bad.path().to_str().unwrap()]].concat());
    let stderr = String::from_utf8(refused.stderr).unwrap();
    assert!(!refused.status.success() && stderr.lines().count() == 1, "{stderr}");
    assert!(!stderr.contains("two words"), "the file's content is not shown: {stderr}");

    let app = TestApp::spawn_on(database, |_| {}).await;
    for creds in [&by_file, &by_stdin] {
        let fetched = app.get(&format!("/2010-04-01/Accounts/{}.json", creds.sid), Some(creds)).await;
        assert_eq!(fetched.status, 200, "{}", fetched.body);
    }
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
        (&config, sqlite.clone(), vec!["accounts", "create", "--friendly-name", "x", "--sid", SANDBOX_SID]),
        (&config, sqlite.clone(), vec!["accounts", "create", "--friendly-name", "x", "--auth-token-file", "-"]),
        (
            &config,
            sqlite.clone(),
            vec![
                "accounts",
                "create",
                "--friendly-name",
                "x",
                "--sid",
                SANDBOX_SID,
                "--auth-token",
                "t",
                "--auth-token-file",
                "-",
            ],
        ),
        (
            &config,
            sqlite.clone(),
            vec![
                "accounts",
                "create",
                "--friendly-name",
                "x",
                "--sid",
                SANDBOX_SID,
                "--auth-token-file",
                "/nonexistent/token",
            ],
        ),
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

#[test]
fn a_variable_that_names_no_setting_stops_every_command_by_its_name() {
    let config = TestConfig::new("");
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}", dir.path().join("x.db").display());
    let typo = [("TWILIO_EMULATOR_DATABASE_MAX_CONNECTIONS", "8")];
    for args in [&["migrate"][..], &["accounts", "list"], &["serve"]] {
        let out = run_cli_with(&config, &sqlite, args, &typo, b"");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: TWILIO_EMULATOR_DATABASE_MAX_CONNECTIONS names no setting"), "{stderr}");
    }
    let nested =
        run_cli_with(&config, &sqlite, &["migrate"], &[("TWILIO_EMULATOR_DATABASE__MAX_CONNECTIONS", "0")], b"");
    let stderr = String::from_utf8_lossy(&nested.stderr);
    assert_eq!(
        stderr.trim_end(),
        "error: database.max_connections must be at least 1",
        "the variable reached the setting"
    );
    // What Kubernetes sets for a Service named twilio-emulator is not a setting, and not refused.
    let service_links = [
        ("TWILIO_EMULATOR_SERVICE_HOST", "10.0.0.7"),
        ("TWILIO_EMULATOR_SERVICE_PORT", "8080"),
        ("TWILIO_EMULATOR_PORT", "tcp://10.0.0.7:8080"),
        ("TWILIO_EMULATOR_PORT_8080_TCP_ADDR", "10.0.0.7"),
    ];
    let migrated = run_cli_with(&config, &sqlite, &["migrate"], &service_links, b"");
    assert!(migrated.status.success(), "{}", String::from_utf8_lossy(&migrated.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_come_from_the_environment_and_flags_win() {
    let config = TestConfig::new("");
    let database = TestDatabase::create(Backend::Sqlite).await;
    // --bind 127.0.0.1:0 (the flag) must win over the variable, which could not be bound.
    let env = [("TWILIO_EMULATOR_LIMITS__MAX_URL_BYTES", "64"), ("TWILIO_EMULATOR_BIND", "not-an-address")];
    let server = ServerProcess::start_with(&config, &database.url, "warn", &env, Some(Stdio::null()));
    let status = |path: String| {
        let url = format!("{}{path}", server.address);
        async move { reqwest::get(url).await.unwrap().status().as_u16() }
    };
    assert_eq!(status("/healthz".into()).await, 200);
    assert_eq!(
        status(format!("/healthz?{}", "a".repeat(64))).await,
        414,
        "limits.max_url_bytes came from the environment"
    );
}

/// A `[seed]` tenant as a TOML inline table.
fn seed(sid: &str, token: &str) -> String {
    format!("{{ sid = \"{sid}\", auth_token = \"{token}\", friendly_name = \"x\", type = \"Full\" }}")
}

#[test]
fn the_banner_shows_a_token_only_for_the_sandbox_tenant() {
    let impostor = "AC00000000000000000000000000000001";
    let fragment = "AC00000000000000000000000000000002";
    let seeds = [seed(SANDBOX_SID, SANDBOX_AUTH_TOKEN), seed(impostor, SANDBOX_AUTH_TOKEN), seed(fragment, "deadbeef")];
    let config = TestConfig::seeding("", &seeds.iter().map(String::as_str).collect::<Vec<_>>());
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&config, &format!("sqlite://{}", dir.path().join("x.db").display()));
    server.wait_for_line(Stream::Stdout, fragment);
    let stdout = server.lines(Stream::Stdout);
    let tenants: Vec<&str> = stdout.iter().map(String::as_str).filter(|line| line.starts_with("tenant ")).collect();
    assert_eq!(
        tenants,
        [
            format!("tenant {SANDBOX_SID} (sandbox), AuthToken {SANDBOX_AUTH_TOKEN}"),
            format!("tenant {impostor} (seeded)"),
            format!("tenant {fragment} (seeded)"),
        ]
    );
    let showing_a_token = stdout.iter().filter(|line| line.contains(SANDBOX_AUTH_TOKEN));
    assert_eq!(showing_a_token.count(), 2, "the sandbox's line and its curl example: {stdout:#?}");
}

/// A log collector gets JSON lines only: no text banner on stdout, no colour codes, the banner as events
/// (logged even when RUST_LOG leaves out their target, as scripts read the port from them).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_are_json_lines_only_and_carry_the_banner() {
    let config = TestConfig::seeding("log_format = \"json\"", &[&seed(SANDBOX_SID, SANDBOX_AUTH_TOKEN)]);
    let database = TestDatabase::create(Backend::Sqlite).await;
    let level = "warn,twilio_emulator::middleware=info";
    let server = ServerProcess::start_with(&config, &database.url, level, &[("NO_COLOR", "")], None);
    assert!(server.address.starts_with("http://127.0.0.1:"), "{}", server.address);
    reqwest::get(format!("{}/healthz", server.address)).await.unwrap();
    server.wait_for_line(Stream::Stderr, "request completed");

    assert_eq!(server.lines(Stream::Stdout), Vec::<String>::new(), "nothing but the log");
    let log = server.lines(Stream::Stderr);
    assert!(log.iter().all(|line| !line.contains('\u{1b}') && !line.contains(SANDBOX_AUTH_TOKEN)), "{log:#?}");
    let events: Vec<serde_json::Value> =
        log.iter().map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}"))).collect();
    let event = |message: &str| events.iter().find(|event| event["message"] == message).cloned().unwrap();
    let listening = event("listening");
    assert_eq!(listening["address"], server.address.as_str());
    assert!(listening["storage"].as_str().unwrap().starts_with("sqlite"), "{listening}");
    assert_eq!((&listening["level"], &listening["target"]), (&"INFO".into(), &"twilio_emulator::banner".into()));
    let tenant = event("seeded tenant");
    assert_eq!((&tenant["sid"], &tenant["sandbox"]), (&SANDBOX_SID.into(), &true.into()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pretty_logs_through_a_pipe_have_no_colour_codes() {
    let config = TestConfig::new("");
    let database = TestDatabase::create(Backend::Sqlite).await;
    let server = ServerProcess::start_with(&config, &database.url, "info", &[("NO_COLOR", "")], None);
    reqwest::get(format!("{}/healthz", server.address)).await.unwrap();
    server.wait_for_line(Stream::Stderr, "request completed");
    let log = server.lines(Stream::Stderr);
    assert!(log.iter().all(|line| !line.contains('\u{1b}')), "{log:#?}");
    assert_eq!(server.lines(Stream::Stdout)[0], format!("twilio-emulator listening on {}", server.address));
}
