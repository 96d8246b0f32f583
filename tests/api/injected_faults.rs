//! Faults (CONTROL.md): arm, list and disarm them; they take exactly `count` matching requests,
//! answer in Twilio's shape and the path's format, and write nothing.
use crate::helpers::{normalize, Backend, TestApp, TestDatabase};
use crate::{assert_body, backend_tests};
use futures_util::future::join_all;
use reqwest::Method;
use serde_json::Value;

backend_tests!(
    faults_are_armed_listed_and_disarmed,
    fault_parameters_are_checked,
    a_fault_answers_matching_requests_in_the_paths_format_and_writes_nothing,
    a_delay_without_a_status_serves_the_request_late,
    a_count_is_taken_exactly_across_two_instances_under_concurrency,
);

async fn faults_are_armed_listed_and_disarmed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let armed = app
        .post(
            "/_emulator/v1/faults",
            Some(&main),
            "Status=503&Count=3&Method=GET&Path=/2010-04-01/Accounts/AC0&DelayMs=5",
        )
        .await;
    assert_eq!((armed.status.as_u16(), armed.header("content-type")), (201, "application/json"));
    assert_body!("control_fault_arm.json", normalize(&armed.body, &[]));
    let id = armed.json()["id"].as_str().unwrap().to_owned();
    assert!(regex::Regex::new("^FI[0-9a-f]{32}$").unwrap().is_match(&id));
    let slow = app.post("/_emulator/v1/faults", Some(&main), "DelayMs=1&Path=/2010-04-01/Accounts/AC1").await.json();
    assert_eq!(
        (&slow["status"], &slow["code"], &slow["method"], &slow["count"]),
        (&Value::Null, &Value::Null, &Value::Null, &1.into())
    );
    let list = app.get("/_emulator/v1/faults", Some(&main)).await;
    assert_body!("control_fault_list.json", normalize(&list.body, &[]));
    let listed: Vec<Value> = list.json()["faults"].as_array().unwrap().iter().map(|f| f["id"].clone()).collect();
    assert_eq!(listed, [Value::from(id.as_str()), slow["id"].clone()], "oldest first");
    let one = app.delete(&format!("/_emulator/v1/faults/{id}"), Some(&main)).await;
    assert_eq!((one.status.as_u16(), one.body.as_str()), (204, ""));
    app.delete(&format!("/_emulator/v1/faults/{id}"), Some(&main)).await.assert_error(404, 20404);
    app.delete("/_emulator/v1/faults/not-an-id", Some(&main)).await.assert_error(404, 20404);
    let other = app.tenant("Other").await;
    app.delete(&format!("/_emulator/v1/faults/{}", slow["id"].as_str().unwrap()), Some(&other))
        .await
        .assert_error(404, 20404);
    assert_eq!(app.get("/_emulator/v1/faults", Some(&main)).await.json()["faults"].as_array().unwrap().len(), 1);
    assert_eq!(app.delete("/_emulator/v1/faults", Some(&main)).await.status, 204);
    assert_eq!(app.get("/_emulator/v1/faults", Some(&main)).await.json(), serde_json::json!({"faults": []}));
    // At most 100 armed at once.
    for _ in 0..100 {
        assert_eq!(
            app.post("/_emulator/v1/faults", Some(&main), "DelayMs=1&Path=/2010-04-01/Nothing").await.status,
            201
        );
    }
    let full = app.post("/_emulator/v1/faults", Some(&main), "DelayMs=1").await;
    full.assert_error(400, 20001);
    assert_body!("control_error_400_fault_limit.json", full.body);
}

async fn fault_parameters_are_checked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    for body in [
        "",
        "Count=3",
        "Status=404",
        "Status=abc",
        "Status=",
        "Status=429&Status=429",
        "Status=429&Code=0",
        "Status=429&Code=123456",
        "Code=20429&DelayMs=5",
        "Status=429&Count=0",
        "Status=429&Count=10001",
        "Status=429&Count=1.5",
        "Status=429&Method=DELETE",
        "Status=429&Method=get",
        "Status=429&Path=/Accounts",
        "Status=429&Path=",
        "DelayMs=30001",
        "DelayMs=-5",
        "DelayMs=0",
        "Status=429&DelayMs=x",
        "Status=%zz",
    ] {
        app.post("/_emulator/v1/faults", Some(&main), body).await.assert_error(400, 20001);
    }
    let bad = app.post("/_emulator/v1/faults", Some(&main), "Status=404").await;
    assert_body!("control_error_400_fault_status.json", bad.body);
    assert_eq!(
        app.get("/_emulator/v1/faults", Some(&main)).await.json()["faults"],
        serde_json::json!([]),
        "nothing armed"
    );
    let defaults = [
        ("Status=429", 20429),
        ("Status=500", 20500),
        ("Status=502", 20500),
        ("Status=503", 20503),
        ("Status=504", 20503),
        ("Status=500&Code=31000", 31000),
    ];
    for (body, code) in defaults {
        assert_eq!(app.post("/_emulator/v1/faults", Some(&main), body).await.json()["code"], code, "{body}");
    }
}

async fn a_fault_answers_matching_requests_in_the_paths_format_and_writes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let sub = app.subaccount(&main, "Sub").await;
    let other = app.tenant("Other").await;
    let armed = app
        .post("/_emulator/v1/faults", Some(&main), "Status=429&Count=2&Method=POST&Path=/2010-04-01/Accounts/AC")
        .await
        .json();
    let id = armed["id"].as_str().unwrap();
    // Not matching: another method, another path, another tenant, the control plane itself.
    assert_eq!(app.get(&format!("/2010-04-01/Accounts/{}.json", sub.sid), Some(&main)).await.status, 200);
    assert_eq!(app.post("/2010-04-01/Accounts.json", Some(&main), "").await.status, 201);
    assert_eq!(
        app.post(&format!("/2010-04-01/Accounts/{}.json", other.sid), Some(&other), "FriendlyName=x").await.status,
        200
    );
    assert_eq!(app.post("/_emulator/v1/snapshots", Some(&main), "Name=s").await.status, 201);
    // Matching, in JSON then XML: the error in Twilio's shape, Retry-After for a 429, nothing written.
    let json = app.post(&format!("/2010-04-01/Accounts/{}.json", sub.sid), Some(&main), "FriendlyName=Never").await;
    json.assert_error(429, 20429);
    assert_eq!(json.header("retry-after"), "1");
    assert_body!("control_fault_answer.json", normalize(&json.body, &[]));
    let xml = app.post(&format!("/2010-04-01/Accounts/{}", sub.sid), Some(&sub), "FriendlyName=Never").await;
    xml.assert_error(429, 20429);
    assert_body!("control_fault_answer.xml", normalize(&xml.body, &[]));
    // Spent: the next one is served, and nothing the faulted requests sent was written.
    let served = app.post(&format!("/2010-04-01/Accounts/{}.json", sub.sid), Some(&main), "Unknown=1").await;
    assert_eq!((served.status.as_u16(), served.json()["friendly_name"].as_str()), (200, Some("Sub")));
    assert_eq!(app.get("/_emulator/v1/faults", Some(&main)).await.json()["faults"], serde_json::json!([]));
    // A fault applies after authentication: without a valid credential the answer is 401, and
    // such a request takes nothing.
    app.post("/_emulator/v1/faults", Some(&main), "Status=500").await;
    app.get("/2010-04-01/Accounts.json", None).await.assert_error(401, 20003);
    let faulted = app.get(&format!("/2010-04-01/Accounts/{}/Balance", main.sid), Some(&main)).await;
    faulted.assert_error(500, 20500);
    // The journal names the fault that answered (ten of the tenant's requests above are filed).
    let entries = app.journal(&main, 10).await;
    assert_eq!(entries.len(), 10);
    let answered: Vec<&Value> = entries.iter().filter(|e| !e["fault"].is_null()).collect();
    assert_eq!(answered.len(), 3);
    assert!(answered.iter().any(|e| e["fault"] == id));
}

async fn a_delay_without_a_status_serves_the_request_late(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    app.post("/_emulator/v1/faults", Some(&main), "DelayMs=400&Method=GET").await;
    let path = format!("/2010-04-01/Accounts/{}.json", main.sid);
    let started = std::time::Instant::now();
    assert_eq!(app.get(&path, Some(&main)).await.status, 200);
    assert!(started.elapsed() >= std::time::Duration::from_millis(400), "{:?}", started.elapsed());
    let started = std::time::Instant::now();
    assert_eq!(app.get(&path, Some(&main)).await.status, 200);
    assert!(started.elapsed() < std::time::Duration::from_millis(400), "a count of 1 is spent");
    // A delayed error: the delay first, then the answer.
    app.post("/_emulator/v1/faults", Some(&main), "Status=504&DelayMs=300").await;
    let started = std::time::Instant::now();
    app.send(Method::GET, &path, Some(&main), None).await.assert_error(504, 20503);
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
}

async fn a_count_is_taken_exactly_across_two_instances_under_concurrency(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let twin = database.twin();
    let a = TestApp::spawn_on(database, |_| {}).await;
    let b = TestApp::spawn_on(twin, |_| {}).await;
    let main = a.tenant("Main").await;
    let path = format!("/2010-04-01/Accounts/{}.json", main.sid);
    for app in [&a, &b] {
        assert_eq!(app.get(&path, Some(&main)).await.status, 200, "both warm their caches");
    }
    assert_eq!(a.post("/_emulator/v1/faults", Some(&main), "Status=503&Count=7").await.status, 201);
    let requests = (0..50).map(|n| if n % 2 == 0 { a.get(&path, Some(&main)) } else { b.get(&path, Some(&main)) });
    let replies = join_all(requests).await;
    let faulted = replies.iter().filter(|r| r.status == 503).count();
    let served = replies.iter().filter(|r| r.status == 200).count();
    assert_eq!((faulted, served), (7, 43), "exactly Count=7 faulted answers");
    assert_eq!(b.get("/_emulator/v1/faults", Some(&main)).await.json()["faults"], serde_json::json!([]));
}
