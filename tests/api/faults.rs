//! Faults: a database outage, SIGTERM, kill -9, and what reaches the log.
use crate::backend_tests;
use crate::helpers::{form, Backend, Creds, TestApp, TestDatabase};
use crate::process::{run_cli, ServerProcess, TestConfig};
use crate::proxy::Proxy;
use futures_util::future::join_all;
use std::time::{Duration, Instant};

backend_tests!(
    sigterm_lets_in_flight_requests_finish,
    kill_9_in_a_stream_of_writes_loses_nothing_acknowledged,
    no_credential_ever_reaches_the_log,
);

fn tenant(config: &TestConfig, url: &str) -> Creds {
    let out = run_cli(config, url, &["accounts", "create", "--friendly-name", "Main", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    Creds { sid: json["sid"].as_str().unwrap().into(), token: json["auth_token"].as_str().unwrap().into() }
}

async fn send(
    client: &reqwest::Client,
    base: &str,
    creds: &Creds,
    path: &str,
    body: Option<String>,
) -> Option<(u16, serde_json::Value)> {
    let url = format!("{base}{path}");
    let request = match body {
        Some(body) => client.post(url).header("content-type", "application/x-www-form-urlencoded").body(body),
        None => client.get(url),
    };
    let response = request.basic_auth(&creds.sid, Some(&creds.token)).send().await.ok()?;
    let status = response.status().as_u16();
    let json = serde_json::from_str(&response.text().await.ok()?).ok()?;
    Some((status, json))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(postgres_tests), ignore = "TEST_DATABASE_URL is not set: Postgres not tested")]
async fn postgres_outage_answers_503_quickly_and_recovers_by_itself() {
    let database = TestDatabase::create(Backend::Postgres).await;
    let mut url = url::Url::parse(&database.url).unwrap();
    let upstream = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap_or(5432));
    let proxy = Proxy::start(upstream).await;
    url.set_port(Some(proxy.port)).unwrap();
    let proxied = database.reached_at(url.to_string());
    let app = TestApp::spawn_on(proxied, |_| {}).await;
    let main = app.tenant("Main").await;
    let path = format!("/2010-04-01/Accounts/{}.json", main.sid);
    assert_eq!(app.get(&path, Some(&main)).await.status, 200);

    proxy.cut();
    let started = Instant::now();
    let (app_ref, path_ref, main_ref) = (&app, &path, &main);
    let requests = (0..20).map(|n| async move {
        let began = Instant::now();
        let reply = if n % 2 == 0 {
            app_ref.get(path_ref, Some(main_ref)).await
        } else {
            let body = form(&[("FriendlyName", "During outage")]);
            app_ref.post("/2010-04-01/Accounts.json", Some(main_ref), &body).await
        };
        (reply, began.elapsed())
    });
    let outcomes = join_all(requests).await;
    for (reply, took) in &outcomes {
        reply.assert_error(503, 20500);
        assert!(*took < Duration::from_secs(5), "answered in {took:?}");
    }
    assert_eq!(app.get("/readyz", None).await.status, 503);
    let slowest = outcomes.iter().map(|(_, took)| *took).max().unwrap();
    eprintln!(
        "outage: {} requests, all 503/20500, slowest {slowest:?}, all within {:?}",
        outcomes.len(),
        started.elapsed()
    );

    proxy.restore();
    let back = Instant::now();
    loop {
        if app.get(&path, Some(&main)).await.status == 200 {
            break;
        }
        assert!(back.elapsed() < Duration::from_secs(10), "no recovery within 10 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eprintln!("outage: service back {:?} after the database returned", back.elapsed());
    let list = app.get("/2010-04-01/Accounts.json", Some(&main)).await.json();
    assert_eq!(list["total"], 1, "nothing was half-written during the outage");
}

async fn sigterm_lets_in_flight_requests_finish(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    // Real argon2 cost, so that creates are still running when the signal arrives.
    let config = TestConfig::new_with_argon2("", 19456, 2);
    let main = tenant(&config, &database.url);
    let server = ServerProcess::start(&config, &database.url);
    let client = reqwest::Client::new();
    let base = server.address.clone();
    let creates = (0..8).map(|n| {
        let (client, base, main) = (client.clone(), base.clone(), main.clone());
        tokio::spawn(async move {
            send(
                &client,
                &base,
                &main,
                "/2010-04-01/Accounts.json",
                Some(form(&[("FriendlyName", &format!("In flight {n}"))])),
            )
            .await
        })
    });
    let creates: Vec<_> = creates.collect();
    // Long enough for every request to be accepted under a loaded test run; far shorter than the
    // sixteen argon2 runs they need at this cost, so all are still in flight.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let status = tokio::task::spawn_blocking(move || server.terminate(Duration::from_secs(15))).await.unwrap();
    assert!(status.success(), "exit status {status:?}");
    let mut created = Vec::new();
    for create in creates {
        let (code, json) = create.await.unwrap().expect("every in-flight request got a whole answer");
        assert_eq!(code, 201, "{json}");
        created.push(json["sid"].as_str().unwrap().to_owned());
    }
    assert!(reqwest::get(format!("{base}/healthz")).await.is_err(), "no longer accepting");
    let restarted = ServerProcess::start(&config, &database.url);
    let list = send(&client, &restarted.address, &main, "/2010-04-01/Accounts.json", None).await.unwrap().1;
    assert_eq!(list["total"], created.len() + 1);
}

async fn kill_9_in_a_stream_of_writes_loses_nothing_acknowledged(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let config = TestConfig::new("");
    let main = tenant(&config, &database.url);
    let server = ServerProcess::start(&config, &database.url);
    let client = reqwest::Client::new();
    let base = server.address.clone();
    // Writers: two create accounts, two rename their own subaccount v1, v2, ... in order.
    let mut targets = Vec::new();
    for n in 0..2 {
        let body = Some(form(&[("FriendlyName", &format!("Renamed {n}"))]));
        let (_, json) = send(&client, &base, &main, "/2010-04-01/Accounts.json", body).await.unwrap();
        targets.push(json["sid"].as_str().unwrap().to_owned());
    }
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut creators = Vec::new();
    for w in 0..2 {
        let (client, base, main, stop) = (client.clone(), base.clone(), main.clone(), stop.clone());
        creators.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            for n in 0..10_000 {
                if stop.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                let body = Some(form(&[("FriendlyName", &format!("w{w} n{n}"))]));
                match send(&client, &base, &main, "/2010-04-01/Accounts.json", body).await {
                    Some((201, json)) => acknowledged.push(json["sid"].as_str().unwrap().to_owned()),
                    _ => break,
                }
            }
            acknowledged
        }));
    }
    let mut renamers = Vec::new();
    for sid in targets.clone() {
        let (client, base, main, stop) = (client.clone(), base.clone(), main.clone(), stop.clone());
        renamers.push(tokio::spawn(async move {
            let mut last = 0;
            for n in 1..10_000 {
                if stop.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                let body = Some(form(&[("FriendlyName", &format!("v{n}"))]));
                match send(&client, &base, &main, &format!("/2010-04-01/Accounts/{sid}.json"), body).await {
                    Some((200, _)) => last = n,
                    _ => break,
                }
            }
            last
        }));
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    server.kill_hard();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut acknowledged = Vec::new();
    for creator in creators {
        acknowledged.extend(creator.await.unwrap());
    }
    let mut last_renames = Vec::new();
    for renamer in renamers {
        last_renames.push(renamer.await.unwrap());
    }

    let restarted = ServerProcess::start(&config, &database.url);
    let list =
        send(&client, &restarted.address, &main, "/2010-04-01/Accounts.json?PageSize=1000", None).await.unwrap().1;
    let stored: std::collections::HashSet<String> =
        list["accounts"].as_array().unwrap().iter().map(|a| a["sid"].as_str().unwrap().to_owned()).collect();
    for sid in &acknowledged {
        assert!(stored.contains(sid), "acknowledged create {sid} lost");
    }
    assert!(stored.len() <= acknowledged.len() + targets.len() + 1 + 2, "at most one unacknowledged create per writer");
    for (sid, last) in targets.iter().zip(&last_renames) {
        let (_, account) =
            send(&client, &restarted.address, &main, &format!("/2010-04-01/Accounts/{sid}.json"), None).await.unwrap();
        let version: u64 = account["friendly_name"].as_str().unwrap().trim_start_matches('v').parse().unwrap_or(0);
        assert!(version >= *last && version <= last + 1, "acknowledged v{last}, stored {}", account["friendly_name"]);
    }
    eprintln!(
        "crash ({backend:?}): {} creates and {:?} renames acknowledged before kill -9; all found after restart",
        acknowledged.len(),
        last_renames
    );
}

async fn no_credential_ever_reaches_the_log(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let config = TestConfig::new("");
    let main = tenant(&config, &database.url);
    let log = tempfile::NamedTempFile::new().unwrap();
    let server = ServerProcess::start_logging(&config, &database.url, "trace", log.reopen().unwrap());
    let client = reqwest::Client::new();
    let base = server.address.clone();
    let wrong = Creds { sid: main.sid.clone(), token: "Wr0ngT0kenValue-do-not-log".into() };
    let (_, sub) =
        send(&client, &base, &main, "/2010-04-01/Accounts.json", Some("FriendlyName=Sub".into())).await.unwrap();
    let sub = Creds { sid: sub["sid"].as_str().unwrap().into(), token: sub["auth_token"].as_str().unwrap().into() };
    for creds in [&main, &wrong, &sub] {
        send(&client, &base, creds, &format!("/2010-04-01/Accounts/{}.json", creds.sid), None).await;
        send(&client, &base, creds, "/2010-04-01/Accounts.json?PageSize=1", None).await;
        send(&client, &base, creds, &format!("/2010-04-01/Accounts/{}", creds.sid), Some("FriendlyName=x".into()))
            .await;
    }
    server.kill_hard();
    let text = std::fs::read_to_string(log.path()).unwrap();
    assert!(text.contains("request completed"), "the log was captured");
    use base64::Engine as _;
    for creds in [&main, &wrong, &sub] {
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", creds.sid, creds.token));
        for secret in [creds.token.as_str(), basic.as_str()] {
            assert!(!text.contains(secret), "a credential reached the log");
        }
    }
    assert!(!text.contains("$argon2id$"), "a token hash reached the log");
    assert!(!text.to_lowercase().contains("authorization: basic"), "a header reached the log");
}
