//! Data survives restarts and crashes, and two processes share one SQLite file.
use crate::backend_tests;
use crate::helpers::{form, Backend, Creds, TestDatabase};
use crate::process::{run_cli, ServerProcess, TestConfig};

backend_tests!(a_restart_after_kill_keeps_every_acknowledged_account, two_servers_and_the_cli_share_one_database,);

fn client() -> reqwest::Client {
    reqwest::Client::new()
}

fn tenant(config: &TestConfig, url: &str, name: &str) -> Creds {
    let out = run_cli(config, url, &["accounts", "create", "--friendly-name", name, "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    Creds { sid: json["sid"].as_str().unwrap().into(), token: json["auth_token"].as_str().unwrap().into() }
}

async fn list_sids(server: &ServerProcess, creds: &Creds) -> Vec<String> {
    let response = client()
        .get(format!("{}/2010-04-01/Accounts.json?PageSize=1000", server.address))
        .basic_auth(&creds.sid, Some(&creds.token))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    body["accounts"].as_array().unwrap().iter().map(|a| a["sid"].as_str().unwrap().to_owned()).collect()
}

async fn create(server: &ServerProcess, creds: &Creds, name: &str) -> Option<String> {
    let response = client()
        .post(format!("{}/2010-04-01/Accounts.json", server.address))
        .basic_auth(&creds.sid, Some(&creds.token))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[("FriendlyName", name)]))
        .send()
        .await
        .ok()?;
    if response.status() != 201 {
        return None;
    }
    let json: serde_json::Value = serde_json::from_str(&response.text().await.ok()?).ok()?;
    json["sid"].as_str().map(str::to_owned)
}

async fn a_restart_after_kill_keeps_every_acknowledged_account(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let config = TestConfig::new("");
    let main = tenant(&config, &database.url, "Main");
    let server = ServerProcess::start(&config, &database.url);
    let mut acknowledged = vec![main.sid.clone()];
    for n in 0..10 {
        acknowledged.push(create(&server, &main, &format!("Sub {n}")).await.expect("201"));
    }
    server.kill_hard();
    let restarted = ServerProcess::start(&config, &database.url);
    assert_eq!(list_sids(&restarted, &main).await, acknowledged);
}

async fn two_servers_and_the_cli_share_one_database(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let config = TestConfig::new("");
    let first = ServerProcess::start(&config, &database.url);
    let second = ServerProcess::start(&config, &database.url);
    // The CLI writes while both servers run.
    let main = tenant(&config, &database.url, "Shared");
    let mut created = vec![main.sid.clone()];
    for n in 0..6 {
        let server = if n % 2 == 0 { &first } else { &second };
        created.push(create(server, &main, &format!("Sub {n}")).await.expect("201"));
    }
    // Writes from both at once, then each sees the other's.
    let (a, b) = tokio::join!(create(&first, &main, "From first"), create(&second, &main, "From second"));
    created.push(a.expect("201 from first"));
    created.push(b.expect("201 from second"));
    let seen_by_first = list_sids(&first, &main).await;
    let seen_by_second = list_sids(&second, &main).await;
    assert_eq!(seen_by_first, seen_by_second);
    let mut expected = created.clone();
    expected.sort();
    let mut seen = seen_by_first.clone();
    seen.sort();
    assert_eq!(seen, expected);
    let integrity = run_cli(&config, &database.url, &["accounts", "list"]);
    assert!(integrity.status.success());
    assert!(String::from_utf8(integrity.stdout).unwrap().contains(&main.sid));
}
