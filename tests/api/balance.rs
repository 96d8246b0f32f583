//! Balance (KEYS.md): the main account's figure, in XML and JSON, which a subaccount reports as its own.
use crate::helpers::TestDatabase;
use crate::helpers::{json_keys, normalize, Backend, TestApp};
use crate::process::{run_cli, TestConfig};
use crate::{assert_body, backend_tests};

backend_tests!(balance_is_the_main_accounts_in_both_formats, the_operator_sets_a_balance_exactly);

async fn balance_is_the_main_accounts_in_both_formats(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let sub = app.subaccount(&main, "Sub").await;
    let json = app.get(&format!("/2010-04-01/Accounts/{}/Balance.json", main.sid), Some(&main)).await;
    assert_eq!((json.status.as_u16(), json.header("content-type")), (200, "application/json"));
    assert_eq!(json_keys(&json.body), ["account_sid", "balance", "currency"]);
    assert_body!("balance.json", normalize(&json.body, &[(&main, "MAIN")]));
    let xml = app.get(&format!("/2010-04-01/Accounts/{}/Balance", main.sid), Some(&main)).await;
    assert_eq!((xml.status.as_u16(), xml.header("content-type")), (200, "application/xml"));
    assert_body!("balance.xml", normalize(&xml.body, &[(&main, "MAIN")]));
    let dot_xml = app.get(&format!("/2010-04-01/Accounts/{}/Balance.xml", main.sid), Some(&main)).await;
    assert_eq!(dot_xml.body, xml.body);
    // A subaccount draws on its main account: the main's figure under the subaccount's own SID.
    for caller in [&main, &sub] {
        let reply = app.get(&format!("/2010-04-01/Accounts/{}/Balance.json", sub.sid), Some(caller)).await.json();
        assert_eq!(reply, serde_json::json!({"account_sid": sub.sid, "balance": "20.00", "currency": "USD"}));
    }
    // A configured opening balance is what new tenants start with.
    let custom = TestApp::spawn_with(backend, |settings| {
        settings.balance.default = "-0.5".into();
        settings.balance.currency = "EUR".into();
    })
    .await;
    let main = custom.tenant("Custom").await;
    let reply = custom.get(&format!("/2010-04-01/Accounts/{}/Balance.json", main.sid), Some(&main)).await.json();
    assert_eq!((reply["balance"].as_str(), reply["currency"].as_str()), (Some("-0.50"), Some("EUR")));
}

async fn the_operator_sets_a_balance_exactly(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let url = database.url.clone();
    let app = TestApp::spawn_on(database, |_| {}).await;
    let main = app.tenant("Main").await;
    let sub = app.subaccount(&main, "Sub").await;
    let config = TestConfig::new("");
    let path = format!("/2010-04-01/Accounts/{}/Balance.json", sub.sid);
    let balance = || app.get(&path, Some(&main));
    for (amount, shown) in [
        ("12", "12.00"),
        ("12.3", "12.30"),
        ("-5.25", "-5.25"),
        ("0.07", "0.07"),
        ("999999999999.99", "999999999999.99"),
    ] {
        let out = run_cli(&config, &url, &["accounts", "set-balance", &main.sid, amount]);
        assert!(out.status.success(), "{amount}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(balance().await.json()["balance"], shown, "{amount}");
    }
    for amount in ["1.234", "1e3", "abc", "", "12,5", "--1", "1.", ".5", "+5", "NaN", "1000000000000"] {
        let out = run_cli(&config, &url, &["accounts", "set-balance", &main.sid, amount]);
        assert_eq!(out.status.code(), Some(1), "{amount:?} must be refused");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert_eq!(balance().await.json()["balance"], "999999999999.99", "{amount:?} changed nothing");
    }
    let out = run_cli(&config, &url, &["accounts", "set-balance", &sub.sid, "1"]);
    assert_eq!(out.status.code(), Some(1), "a subaccount has no balance of its own");
    let out = run_cli(&config, &url, &["accounts", "set-balance", "ACnope", "1"]);
    assert_eq!(out.status.code(), Some(1));
}
