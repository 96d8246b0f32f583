//! Limits: request rate per tenant, URL length, body size, slow clients.
use crate::backend_tests;
use crate::helpers::{Backend, TestApp};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

backend_tests!(
    a_tenant_over_its_rate_gets_429_and_others_do_not,
    no_rate_limit_by_default,
    overlong_urls_get_414,
    slow_clients_are_cut_off,
);

async fn a_tenant_over_its_rate_gets_429_and_others_do_not(backend: Backend) {
    let app = TestApp::spawn_with(backend, |s| {
        s.limits.requests_per_second_per_tenant = 1;
        s.limits.burst_per_tenant = 5;
    })
    .await;
    let busy = app.tenant("Busy").await;
    let quiet = app.tenant("Quiet").await;
    let path = format!("/2010-04-01/Accounts/{}.json", busy.sid);
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(app.get(&path, Some(&busy)).await.status.as_u16());
    }
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 5, "{statuses:?}");
    let limited = app.get(&path, Some(&busy)).await;
    limited.assert_error(429, 20429);
    assert_eq!(app.get("/2010-04-01/Accounts", Some(&busy)).await.status, 429, "XML too, every route");
    let other = app.get(&format!("/2010-04-01/Accounts/{}.json", quiet.sid), Some(&quiet)).await;
    assert_eq!(other.status, 200, "another tenant keeps its own budget");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(app.get(&path, Some(&busy)).await.status, 200, "the bucket refills");
}

async fn no_rate_limit_by_default(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let path = format!("/2010-04-01/Accounts/{}.json", main.sid);
    for _ in 0..200 {
        assert_eq!(app.get(&path, Some(&main)).await.status, 200);
    }
}

async fn overlong_urls_get_414(backend: Backend) {
    let app = TestApp::spawn_with(backend, |s| s.limits.max_url_bytes = 200).await;
    let main = app.tenant("Main").await;
    let long = format!("/2010-04-01/Accounts.json?FriendlyName={}", "a".repeat(200));
    app.get(&long, Some(&main)).await.assert_error(414, 20001);
    let ok = format!("/2010-04-01/Accounts.json?FriendlyName={}", "a".repeat(20));
    assert_eq!(app.get(&ok, Some(&main)).await.status, 200);
}

async fn slow_clients_are_cut_off(backend: Backend) {
    let app = TestApp::spawn_with(backend, |s| s.limits.client_request_timeout_ms = 300).await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    stream.write_all(b"GET /2010-04-01/Accounts.json HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let mut buffer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut buffer)).await;
    assert!(read.is_ok(), "the server closed the connection of a client that never finished its head");
    let head = String::from_utf8_lossy(&buffer);
    assert!(buffer.is_empty() || head.starts_with("HTTP/1.1 408"), "{head}");
}
