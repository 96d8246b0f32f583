//! Round trips per request, counted from the statements sqlx logs (target `sqlx::query`): an
//! authenticated fetch is one statement, and a tenant with no armed fault pays none for faults.
use crate::backend_tests;
use crate::helpers::{Backend, Creds, TestDatabase};
use crate::process::{run_cli, ServerProcess, Stream, TestConfig};

backend_tests!(an_authenticated_fetch_is_one_statement_until_a_fault_is_armed);

/// Statements sent so far; SQLite's PRAGMAs, which set up a new pooled connection, are not a request's.
fn statements(server: &ServerProcess) -> usize {
    let lines = server.lines(Stream::Stderr);
    lines
        .iter()
        .filter(|line| line.contains(r#""target":"sqlx::query""#) && !line.contains(r#""summary":"PRAGMA"#))
        .count()
}

async fn settle(server: &ServerProcess) -> usize {
    // Log lines arrive through a pipe: wait until the count stops moving.
    let mut last = statements(server);
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let now = statements(server);
        if now == last {
            return now;
        }
        last = now;
    }
}

async fn an_authenticated_fetch_is_one_statement_until_a_fault_is_armed(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    // The journal's batches are written off the request path; they are left out of this count.
    let config = TestConfig::new("log_format = \"json\"\n[journal]\nenabled = false");
    let out = run_cli(&config, &database.url, &["accounts", "create", "--friendly-name", "Main", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let main = Creds { sid: json["sid"].as_str().unwrap().into(), token: json["auth_token"].as_str().unwrap().into() };
    let server = ServerProcess::start_with(&config, &database.url, "warn,sqlx::query=debug", &[], None);
    let client = reqwest::Client::new();
    let fetch = |path: String| {
        let (client, main) = (&client, &main);
        async move { client.get(path).basic_auth(&main.sid, Some(&main.token)).send().await.unwrap().status().as_u16() }
    };
    let path = format!("{}/2010-04-01/Accounts/{}.json", server.address, main.sid);
    let balance = format!("{}/2010-04-01/Accounts/{}/Balance.json", server.address, main.sid);
    assert_eq!(fetch(path.clone()).await, 200, "warm-up");
    let before = settle(&server).await;
    for _ in 0..10 {
        assert_eq!(fetch(path.clone()).await, 200);
        assert_eq!(fetch(balance.clone()).await, 200);
    }
    let plain = settle(&server).await - before;
    assert_eq!(plain, 20, "one statement per fetch and per Balance, none for faults or the journal");

    // With a fault armed (one that matches nothing here), each request also asks the fault table:
    // the count above would have seen it.
    let armed = client
        .post(format!("{}/_emulator/v1/faults", server.address))
        .basic_auth(&main.sid, Some(&main.token))
        .form(&[("Status", "503"), ("Path", "/2010-04-01/Nothing")])
        .send()
        .await
        .unwrap();
    assert_eq!(armed.status(), 201);
    let before = settle(&server).await;
    for _ in 0..10 {
        assert_eq!(fetch(path.clone()).await, 200);
    }
    assert!(settle(&server).await - before > 10, "an armed fault costs statements, so the count detects them");
}
