//! The request journal (CONTROL.md): what is recorded, what an entry holds, reading and clearing it.
use crate::helpers::{form, normalize, Backend, Creds, TestApp, TestDatabase};
use crate::{assert_body, backend_tests};
use reqwest::Method;
use serde_json::Value;

backend_tests!(
    the_journal_records_every_request_of_the_tenant_and_nothing_secret,
    the_journal_reads_newest_first_filtered_and_paged,
    the_journal_keeps_the_newest_entries_and_clears,
    a_burst_is_written_whole_in_one_batch,
    a_journal_entry_is_readable_through_another_instance_within_a_second,
    a_disabled_journal_records_nothing,
    entries_the_database_refuses_are_dropped_and_counted_never_failing_a_request,
    the_body_is_filed_whatever_answered_the_request,
);

async fn the_journal_records_every_request_of_the_tenant_and_nothing_secret(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let sub = app.subaccount(&main, "Sub").await;
    let key = app.key(&main, &main.sid, "Key").await;
    let other = app.tenant("Other").await;
    let wrong = Creds { sid: sub.sid.clone(), token: "f".repeat(32) };
    let unknown = Creds { sid: format!("AC{}", "2".repeat(32)), token: main.token.clone() };
    let path = format!("/2010-04-01/Accounts/{}.json", sub.sid);
    app.post(
        &path,
        Some(&main),
        &form(&[
            ("FriendlyName", "Blue"),
            ("MyAuthToken", "t0k3n"),
            ("ApiSecret", "s"),
            ("password", "p"),
            ("Extra", "1"),
            ("Extra", "2"),
        ]),
    )
    .await;
    app.get(&format!("{path}?PageSize=1"), Some(&wrong)).await.assert_error(401, 20003);
    app.get(&format!("/2010-04-01/Accounts/{}/Balance.json", main.sid), Some(&key)).await;
    app.get(&format!("/2010-04-01/Accounts/{}/Calls", main.sid), Some(&sub)).await.assert_error(404, 20404);
    app.send(Method::DELETE, "/_emulator/v1/faults", Some(&main), None).await;
    // Not this tenant's, or nobody's: another tenant, an unknown SID, no credential, a GET of the control plane.
    app.get("/2010-04-01/Accounts.json", Some(&other)).await;
    app.get("/2010-04-01/Accounts.json", Some(&unknown)).await.assert_error(401, 20003);
    app.get("/2010-04-01/Accounts.json", None).await.assert_error(401, 20003);
    app.get("/_emulator/v1/faults", Some(&main)).await;
    app.get("/_emulator/v1/snapshots", Some(&main)).await;

    // The subaccount and the key made over the API count too (two POSTs before those above).
    let entries = app.journal(&main, 7).await;
    let page = app.get("/_emulator/v1/requests", Some(&main)).await;
    assert_eq!(entries.len(), 7, "{}", page.body);
    assert_body!("control_journal.json", normalize(&page.body, &[(&main, "MAIN"), (&sub, "SUB"), (&key, "KEY")]));
    let rename = &entries[4];
    assert_eq!(
        rename["params"],
        serde_json::json!({"ApiSecret": ["redacted"], "Extra": ["1", "2"], "FriendlyName": ["Blue"], "MyAuthToken": ["redacted"], "password": ["redacted"]})
    );
    assert_eq!(
        (rename["method"].as_str(), rename["status"].as_u64(), &rename["code"]),
        (Some("POST"), Some(200), &Value::Null)
    );
    let refused = &entries[3];
    assert_eq!(
        (refused["status"].as_u64(), refused["code"].as_u64(), refused["query"].as_str()),
        (Some(401), Some(20003), Some("PageSize=1"))
    );
    assert_eq!(refused["credential"], sub.sid.as_str(), "a wrong token for a known SID is the tenant's too");
    assert_eq!(entries[2]["credential"], key.sid.as_str());
    // Each entry names the answer it was: its Twilio-Request-Id.
    let reply = app.get(&format!("/2010-04-01/Accounts/{}.json", main.sid), Some(&main)).await;
    let newest = app.journal(&main, 8).await;
    assert_eq!(newest[0]["request_id"], reply.header("twilio-request-id"));
    for secret in [&main.token, &sub.token, &key.token, &wrong.token, "t0k3n", "Basic "] {
        assert!(!page.body.contains(secret), "the journal holds no secret");
    }
    let theirs = app.get("/_emulator/v1/requests", Some(&other)).await.json();
    assert_eq!(theirs["requests"].as_array().unwrap().len(), 1, "another tenant's journal holds only its own");
}

async fn the_journal_reads_newest_first_filtered_and_paged(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let sub = app.subaccount(&main, "Sub").await;
    for n in 0..5 {
        app.get(&format!("/2010-04-01/Accounts/{}.json?n={n}", main.sid), Some(&main)).await;
    }
    app.post(&format!("/2010-04-01/Accounts/{}.json", main.sid), Some(&main), "Status=active")
        .await
        .assert_error(400, 21477);
    app.get("/2010-04-01/Nope.json", Some(&sub)).await.assert_error(404, 20404);
    let all = app.journal(&main, 8).await;
    assert_eq!(all.len(), 8);
    let dates: Vec<&str> = all.iter().map(|e| e["date"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|pair| pair[0] >= pair[1]), "newest first: {dates:?}");
    let get = |query: &str| {
        let path = format!("/_emulator/v1/requests?{query}");
        let (app, main) = (&app, &main);
        async move { app.get(&path, Some(main)).await.json()["requests"].as_array().unwrap().clone() }
    };
    assert_eq!(get("Status=4xx").await.len(), 2);
    assert_eq!(get("Status=404").await.len(), 1);
    assert_eq!(get("Status=2xx&Method=GET").await.len(), 5);
    assert_eq!(get("Method=POST").await.len(), 2, "the create and the refused update");
    assert_eq!(get(&format!("Credential={}", sub.sid)).await.len(), 1);
    // Pages: the next page link keeps the filters and leads through every entry once.
    let mut uri = Some("/_emulator/v1/requests?Method=GET&PageSize=2".to_owned());
    let mut seen = Vec::new();
    while let Some(next) = uri.take() {
        let page = app.get(&next, Some(&main)).await.json();
        seen.extend(page["requests"].as_array().unwrap().iter().map(|e| e["request_id"].clone()));
        uri = page["next_page_uri"].as_str().map(str::to_owned);
        if let Some(next) = &uri {
            assert!(next.starts_with("/_emulator/v1/requests?Method=GET&PageSize=2&PageToken="), "{next}");
        }
        assert!(seen.len() <= 6, "paging must end");
    }
    let gets: Vec<Value> = all.iter().filter(|e| e["method"] == "GET").map(|e| e["request_id"].clone()).collect();
    assert_eq!(seen, gets);
    let large = app.get("/_emulator/v1/requests?PageSize=5000", Some(&main)).await.json();
    assert_eq!(large["requests"].as_array().unwrap().len(), 8, "above 1000 is served as 1000");
    for query in [
        "PageSize=0",
        "PageSize=x",
        "PageSize=",
        "PageToken=garbage",
        "PageToken=",
        "Status=6xx",
        "Status=20",
        "Method=get",
        "Credential=nobody",
        "Status=200&Status=201",
    ] {
        let reply = app.get(&format!("/_emulator/v1/requests?{query}"), Some(&main)).await;
        reply.assert_error(400, 20001);
    }
}

async fn the_journal_keeps_the_newest_entries_and_clears(backend: Backend) {
    let app = TestApp::spawn_with(backend, |settings| settings.journal.max_entries_per_tenant = 5).await;
    let main = app.tenant("Main").await;
    for n in 0..12 {
        app.get(&format!("/2010-04-01/Accounts/{}.json?n={n}", main.sid), Some(&main)).await;
        // Several batches, so pruning runs on each.
        if n % 4 == 3 {
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        }
    }
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let kept = app.journal(&main, 5).await;
    let queries: Vec<&str> = kept.iter().map(|e| e["query"].as_str().unwrap()).collect();
    assert_eq!(queries, ["n=11", "n=10", "n=9", "n=8", "n=7"], "the newest five");
    let cleared = app.delete("/_emulator/v1/requests", Some(&main)).await;
    assert_eq!((cleared.status.as_u16(), cleared.body.as_str()), (204, ""));
    // The clear itself is recorded (a DELETE of the control plane), after it is answered.
    let after = app.journal(&main, 1).await;
    assert_eq!(after.len(), 1);
    assert_eq!(
        (after[0]["method"].as_str(), after[0]["path"].as_str()),
        (Some("DELETE"), Some("/_emulator/v1/requests"))
    );
}

/// A batch is written as several INSERT statements of different sizes (see `journal.rs` in
/// storage); 301 requests within one flush interval take all of them, and none is lost or doubled.
async fn a_burst_is_written_whole_in_one_batch(backend: Backend) {
    let app = TestApp::spawn_with(backend, |settings| settings.journal.flush_interval_ms = 500).await;
    let main = app.tenant("Main").await;
    let paths: Vec<String> = (0..301).map(|n| format!("/2010-04-01/Accounts/{}.json?n={n}", main.sid)).collect();
    for reply in futures_util::future::join_all(paths.iter().map(|path| app.get(path, Some(&main)))).await {
        assert_eq!(reply.status.as_u16(), 200);
    }
    let entries = app.journal(&main, 301).await;
    let mut queries: Vec<&str> = entries.iter().map(|e| e["query"].as_str().unwrap()).collect();
    queries.sort_by_key(|query| query[2..].parse::<u32>().unwrap());
    let expected: Vec<String> = (0..301).map(|n| format!("n={n}")).collect();
    assert_eq!(queries, expected);
    let mut ids: Vec<&str> = entries.iter().map(|e| e["request_id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 301);
}

async fn a_journal_entry_is_readable_through_another_instance_within_a_second(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let twin = database.twin();
    let a = TestApp::spawn_on(database, |_| {}).await;
    let b = TestApp::spawn_on(twin, |_| {}).await;
    let main = a.tenant("Main").await;
    let reply = a.get(&format!("/2010-04-01/Accounts/{}.json", main.sid), Some(&main)).await;
    let answered = std::time::Instant::now();
    let entries = b.journal(&main, 1).await;
    assert!(answered.elapsed() < std::time::Duration::from_secs(1));
    assert_eq!(entries.len(), 1, "written through A, read through B within 1 s");
    assert_eq!(entries[0]["request_id"], reply.header("twilio-request-id"));
}

async fn a_disabled_journal_records_nothing(backend: Backend) {
    let app = TestApp::spawn_with(backend, |settings| settings.journal.enabled = false).await;
    let main = app.tenant("Main").await;
    app.get(&format!("/2010-04-01/Accounts/{}.json", main.sid), Some(&main)).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        app.get("/_emulator/v1/requests", Some(&main)).await.json(),
        serde_json::json!({"requests": [], "next_page_uri": null})
    );
}

fn metric(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("{name} in {text}"))
}

async fn entries_the_database_refuses_are_dropped_and_counted_never_failing_a_request(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    // The journal table refuses every row from now on, as a database out of space would.
    let refuse: &[&str] = match backend {
        Backend::Sqlite => &["CREATE TRIGGER refuse BEFORE INSERT ON journal BEGIN SELECT RAISE(ABORT, 'full'); END"],
        Backend::Postgres => &[
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'full'; END $$",
            "CREATE TRIGGER refuse BEFORE INSERT ON journal FOR EACH ROW EXECUTE FUNCTION refuse()",
        ],
    };
    let app = TestApp::spawn_on(database, |_| {}).await;
    let main = app.tenant("Main").await;
    let url = app.database_url().to_owned();
    for statement in refuse {
        match backend {
            Backend::Sqlite => {
                let mut db = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url).await.unwrap();
                sqlx::query(statement).execute(&mut db).await.unwrap();
            }
            Backend::Postgres => {
                let mut db = <sqlx::PgConnection as sqlx::Connection>::connect(&url).await.unwrap();
                sqlx::query(statement).execute(&mut db).await.unwrap();
            }
        }
    }
    for _ in 0..5 {
        assert_eq!(app.get(&format!("/2010-04-01/Accounts/{}.json", main.sid), Some(&main)).await.status, 200);
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    loop {
        let dropped = metric(&app.get("/metrics", None).await.body, "twilio_emulator_journal_entries_dropped_total");
        if dropped >= 5 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "dropped {dropped} of 5");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(app.get("/_emulator/v1/requests", Some(&main)).await.json()["requests"], serde_json::json!([]));
}

async fn the_body_is_filed_whatever_answered_the_request(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let wrong = Creds { sid: main.sid.clone(), token: "e".repeat(32) };
    assert_eq!(
        app.post("/_emulator/v1/faults", Some(&main), "Status=503&Method=POST&Path=/2010-04-01/Accounts.json")
            .await
            .status,
        201
    );
    app.post("/2010-04-01/Accounts.json", Some(&main), "FriendlyName=faulted").await.assert_error(503, 20503);
    app.post("/2010-04-01/Accounts.json", Some(&wrong), "FriendlyName=bad+token").await.assert_error(401, 20003);
    let put = Some((b"FriendlyName=put".to_vec(), "application/x-www-form-urlencoded"));
    app.send(Method::PUT, "/2010-04-01/Accounts.json", Some(&main), put).await.assert_error(405, 20004);
    let entries = app.journal(&main, 4).await;
    let params: Vec<&Value> = entries[..3].iter().map(|e| &e["params"]).collect();
    let expected = [
        serde_json::json!({"FriendlyName": ["put"]}),
        serde_json::json!({"FriendlyName": ["bad token"]}),
        serde_json::json!({"FriendlyName": ["faulted"]}),
    ];
    assert_eq!(params, expected.iter().collect::<Vec<_>>());
}
