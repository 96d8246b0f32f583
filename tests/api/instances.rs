//! Several instances on one database: no instance-local state changes an answer.
use crate::backend_tests;
use crate::helpers::{Backend, Creds, TestApp, TestDatabase};
use crate::process::{run_cli, TestConfig};

backend_tests!(instances_starting_together_share_one_database_and_agree_at_once);

async fn instances_starting_together_share_one_database_and_agree_at_once(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let url = database.url.clone();
    let twin = database.twin();
    // Both migrate at once (Postgres: sqlx's advisory lock; SQLite: the write lock).
    let (a, b) = tokio::join!(TestApp::spawn_on(database, |_| {}), TestApp::spawn_on(twin, |_| {}));
    let main = a.tenant("Main").await;
    let sub = a.subaccount(&main, "Sub").await;
    let sub_path = format!("/2010-04-01/Accounts/{}.json", sub.sid);
    for app in [&a, &b] {
        assert_eq!(app.get(&sub_path, Some(&sub)).await.status, 200, "both warm their caches");
        assert_eq!(app.post(&sub_path, Some(&sub), "FriendlyName=warm").await.status, 200);
    }
    // A status change through A holds on B's very next request.
    assert_eq!(a.post(&sub_path, Some(&main), "Status=suspended").await.status, 200);
    b.get(&sub_path, Some(&sub)).await.assert_error(401, 20003);
    b.post(&sub_path, Some(&sub), "FriendlyName=again").await.assert_error(401, 20003);
    assert_eq!(b.post(&sub_path, Some(&main), "Status=active").await.status, 200);
    assert_eq!(a.get(&sub_path, Some(&sub)).await.status, 200);

    // A token rotated by the operator holds on both at once.
    let config = TestConfig::new("");
    let out = run_cli(&config, &url, &["accounts", "rotate-token", &sub.sid]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rotated = Creds { sid: sub.sid.clone(), token: String::from_utf8(out.stdout).unwrap().trim().to_owned() };
    for app in [&a, &b] {
        app.get(&sub_path, Some(&sub)).await.assert_error(401, 20003);
        app.post(&sub_path, Some(&sub), "FriendlyName=old").await.assert_error(401, 20003);
        assert_eq!(app.get(&sub_path, Some(&rotated)).await.status, 200);
    }
    // A key deleted through one instance is refused by the other on its very next request.
    let key = a.key(&main, &main.sid, "Shared").await;
    let balance = format!("/2010-04-01/Accounts/{}/Balance.json", main.sid);
    for app in [&a, &b] {
        assert_eq!(app.get(&balance, Some(&key)).await.status, 200, "both warm their caches");
    }
    let key_path = format!("/2010-04-01/Accounts/{}/Keys/{}.json", main.sid, key.sid);
    assert_eq!(a.delete(&key_path, Some(&main)).await.status, 204);
    b.get(&balance, Some(&key)).await.assert_error(401, 20003);
    a.get(&balance, Some(&key)).await.assert_error(401, 20003);

    // An operator closing the main account shuts the whole tenant on both.
    let out = run_cli(&config, &url, &["accounts", "set-status", &main.sid, "suspended"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for app in [&a, &b] {
        app.get("/2010-04-01/Accounts.json", Some(&main)).await.assert_error(401, 20003);
        app.get(&sub_path, Some(&rotated)).await.assert_error(401, 20003);
    }
}
