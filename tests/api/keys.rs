//! The Keys resource (KEYS.md): create with its secret once, fetch, rename, delete, the list, the cap.
use crate::helpers::{form, json_keys, normalize, Backend, Creds, TestApp};
use crate::{assert_body, backend_tests};
use regex::Regex;
use reqwest::Method;
use serde_json::Value;

backend_tests!(
    a_key_is_created_with_its_secret_once_then_fetched_renamed_and_deleted,
    a_key_made_without_a_name_has_none,
    key_parameters_are_checked_and_refusals_write_nothing,
    the_key_cap_counts_every_key_of_the_account,
    keys_of_other_accounts_and_malformed_sids_are_not_found,
    key_lists_page_by_token_without_totals,
    key_methods_not_allowed_are_405_with_allow,
    main_keys_are_listed_fetched_renamed_and_deleted_like_any_other,
    secrets_are_stored_only_as_argon2id_hashes,
);

fn keys_path(account: &str, ext: &str) -> String {
    format!("/2010-04-01/Accounts/{account}/Keys{ext}")
}

fn key_path(account: &str, key: &str, ext: &str) -> String {
    format!("/2010-04-01/Accounts/{account}/Keys/{key}{ext}")
}

async fn a_key_is_created_with_its_secret_once_then_fetched_renamed_and_deleted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let created = app.post(&keys_path(&main.sid, ".json"), Some(&main), "FriendlyName=CI+key").await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.header("content-type"), "application/json");
    let json = created.json();
    let key = Creds { sid: json["sid"].as_str().unwrap().into(), token: json["secret"].as_str().unwrap().into() };
    assert!(Regex::new("^SK[0-9a-f]{32}$").unwrap().is_match(&key.sid), "{}", key.sid);
    assert!(Regex::new("^[A-Za-z0-9]{32}$").unwrap().is_match(&key.token), "{}", key.token);
    assert_eq!(json_keys(&created.body), ["sid", "friendly_name", "date_created", "date_updated", "secret"]);
    assert_body!("key_create.json", normalize(&created.body, &[(&main, "MAIN"), (&key, "KEY")]));
    let xml = app.post(&keys_path(&main.sid, ""), Some(&main), "FriendlyName=XML+key").await;
    assert_eq!((xml.status.as_u16(), xml.header("content-type")), (201, "application/xml"));
    assert_body!("key_create.xml", normalize(&xml.body, &[(&main, "MAIN")]));

    // Fetch: no secret, in either format; `.xml` answers like no suffix.
    let path = key_path(&main.sid, &key.sid, "");
    let fetched = app.get(&format!("{path}.json"), Some(&main)).await;
    assert_eq!(fetched.status, 200, "{}", fetched.body);
    assert_body!("key_fetch.json", normalize(&fetched.body, &[(&main, "MAIN"), (&key, "KEY")]));
    let fetched_xml = app.get(&path, Some(&main)).await;
    assert_body!("key_fetch.xml", normalize(&fetched_xml.body, &[(&main, "MAIN"), (&key, "KEY")]));
    assert_eq!(app.get(&format!("{path}.xml"), Some(&main)).await.body, fetched_xml.body);
    assert!(!fetched.body.contains(&key.token) && !fetched_xml.body.contains(&key.token));

    // Rename: DateUpdated moves with the value; nothing recognised, or the same name, changes nothing.
    let before = fetched.json();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let renamed = app.post(&format!("{path}.json"), Some(&main), "FriendlyName=Renamed&Ignored=1").await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    assert_body!("key_update.json", normalize(&renamed.body, &[(&main, "MAIN"), (&key, "KEY")]));
    let renamed = renamed.json();
    assert_eq!(renamed["friendly_name"], "Renamed");
    assert_eq!(renamed["date_created"], before["date_created"]);
    assert_ne!(renamed["date_updated"], before["date_updated"], "DateUpdated moves when a value changes");
    let unchanged = app.post(&format!("{path}.json"), Some(&main), "Unknown=x").await.json();
    assert_eq!(unchanged, renamed, "an update with nothing recognised returns the key unchanged");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let same = app.post(&format!("{path}.json"), Some(&main), "FriendlyName=Renamed").await.json();
    assert_eq!(same, renamed, "the same name is no change");
    let xml = app.post(&path, Some(&main), "FriendlyName=Renamed+again").await;
    assert_body!("key_update.xml", normalize(&xml.body, &[(&main, "MAIN"), (&key, "KEY")]));

    // The key authenticates until it is deleted, and not a request longer.
    let balance = format!("/2010-04-01/Accounts/{}/Balance.json", main.sid);
    assert_eq!(app.get(&balance, Some(&key)).await.status, 200);
    let deleted = app.delete(&format!("{path}.json"), Some(&main)).await;
    assert_eq!((deleted.status.as_u16(), deleted.body.as_str()), (204, ""));
    app.get(&balance, Some(&key)).await.assert_error(401, 20003);
    app.get(&format!("{path}.json"), Some(&main)).await.assert_error(404, 20404);
    app.delete(&format!("{path}.json"), Some(&main)).await.assert_error(404, 20404);
    let remaining = app.get(&keys_path(&main.sid, ".json"), Some(&main)).await.json();
    assert_eq!(remaining["keys"].as_array().unwrap().len(), 1, "nothing else changes: the XML key is still there");
}

async fn a_key_made_without_a_name_has_none(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let json = app.post(&keys_path(&main.sid, ".json"), Some(&main), "").await;
    assert_eq!(json.status, 201, "{}", json.body);
    assert_eq!(json.json()["friendly_name"], Value::Null);
    assert_body!("key_create_unnamed.json", normalize(&json.body, &[(&main, "MAIN")]));
    let xml = app.post(&keys_path(&main.sid, ".xml"), Some(&main), "").await;
    assert_body!("key_create_unnamed.xml", normalize(&xml.body, &[(&main, "MAIN")]));
}

async fn key_parameters_are_checked_and_refusals_write_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let key = app.key(&main, &main.sid, "Kept").await;
    let list = keys_path(&main.sid, ".json");
    let instance = key_path(&main.sid, &key.sid, ".json");
    let bodies = [
        "FriendlyName=".to_owned(),
        format!("FriendlyName={}", "n".repeat(65)),
        "FriendlyName=tab%09here".to_owned(),
        "FriendlyName=%7F".to_owned(),
        "FriendlyName=%EF%BF%BF".to_owned(),
        "FriendlyName=a&FriendlyName=b".to_owned(),
        "FriendlyName=%zz".to_owned(),
        "FriendlyName=%C3%28".to_owned(),
    ];
    for body in &bodies {
        app.post(&list, Some(&main), body).await.assert_error(400, 20001);
        app.post(&instance, Some(&main), body).await.assert_error(400, 20001);
    }
    let wrong_type = app.send(Method::POST, &list, Some(&main), Some((b"{}".to_vec(), "application/json"))).await;
    wrong_type.assert_error(400, 20001);
    let too_large = "FriendlyName=".to_owned() + &"x".repeat(70 * 1024);
    app.post(&list, Some(&main), &too_large).await.assert_error(413, 20001);
    let reply = app.post(&list, Some(&main), "FriendlyName=").await;
    assert_body!("error_20001_key_friendly_name.json", reply.body);
    let keys = app.get(&list, Some(&main)).await.json();
    assert_eq!(keys["keys"].as_array().unwrap().len(), 1, "no refused create wrote a key");
    assert_eq!(keys["keys"][0]["friendly_name"], "Kept", "no refused update changed the key");
    let exactly_64 = "é".repeat(64);
    let created = app.post(&list, Some(&main), &form(&[("FriendlyName", &exactly_64)])).await;
    assert_eq!((created.status.as_u16(), created.json()["friendly_name"].as_str()), (201, Some(exactly_64.as_str())));
}

async fn the_key_cap_counts_every_key_of_the_account(backend: Backend) {
    let app = TestApp::spawn_with(backend, |settings| settings.max_keys_per_account = 3).await;
    let main = app.tenant("Main").await;
    let sub = app.subaccount(&main, "Sub").await;
    app.main_key(&main.sid).await;
    app.key(&main, &main.sid, "One").await;
    let last = app.key(&main, &main.sid, "Two").await;
    let full = app.post(&keys_path(&main.sid, ".json"), Some(&main), "FriendlyName=Three").await;
    full.assert_error(400, 20001);
    assert_body!("error_20001_key_limit.json", full.body);
    let xml = app.post(&keys_path(&main.sid, ""), Some(&main), "").await;
    xml.assert_error(400, 20001);
    // Another account of the tenant has its own cap; a delete frees a place.
    app.key(&main, &sub.sid, "Sub's").await;
    assert_eq!(app.delete(&key_path(&main.sid, &last.sid, ".json"), Some(&main)).await.status, 204);
    app.key(&main, &main.sid, "Three").await;
    // Parallel creates never pass the cap.
    let other = app.tenant("Other").await;
    let path = keys_path(&other.sid, ".json");
    let bodies: Vec<String> = (0..8).map(|n| format!("FriendlyName=k{n}")).collect();
    let creates = bodies.iter().map(|body| app.post(&path, Some(&other), body));
    let replies = futures_util::future::join_all(creates).await;
    assert_eq!(replies.iter().filter(|r| r.status == 201).count(), 3);
    assert!(replies.iter().filter(|r| r.status != 201).all(|r| r.status == 400 && r.json()["code"] == 20001));
}

async fn keys_of_other_accounts_and_malformed_sids_are_not_found(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let sub = app.subaccount(&main, "Sub").await;
    let subs_key = app.key(&main, &sub.sid, "Sub's").await;
    let unknown = format!("SK{}", "0".repeat(32));
    for key in [subs_key.sid.as_str(), unknown.as_str(), "SK12", "garbage", main.sid.as_str()] {
        let path = key_path(&main.sid, key, ".json");
        app.get(&path, Some(&main)).await.assert_error(404, 20404);
        app.post(&path, Some(&main), "FriendlyName=x").await.assert_error(404, 20404);
        app.delete(&path, Some(&main)).await.assert_error(404, 20404);
    }
    let csv = app.get(&key_path(&sub.sid, &subs_key.sid, ".csv"), Some(&main)).await;
    csv.assert_error(404, 20404);
    assert_eq!(csv.header("content-type"), "application/xml");
    let found = app.get(&key_path(&sub.sid, &subs_key.sid, ".json"), Some(&main)).await;
    assert_eq!(found.status, 200, "the main account reaches its subaccount's keys");
}

async fn key_lists_page_by_token_without_totals(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let empty = app.get(&keys_path(&main.sid, ".json"), Some(&main)).await;
    assert_eq!(empty.status, 200, "{}", empty.body);
    assert_body!("key_list_empty.json", normalize(&empty.body, &[(&main, "MAIN")]));
    let empty_xml = app.get(&keys_path(&main.sid, ""), Some(&main)).await;
    assert_body!("key_list_empty.xml", normalize(&empty_xml.body, &[(&main, "MAIN")]));

    let mut keys = Vec::new();
    for n in 1..=5 {
        keys.push(app.key(&main, &main.sid, &format!("Key {n}")).await);
    }
    let names: Vec<(&Creds, &str)> =
        std::iter::once((&main, "MAIN")).chain(keys.iter().zip(["K1", "K2", "K3", "K4", "K5"])).collect();
    let first = app.get(&keys_path(&main.sid, ".json?PageSize=2"), Some(&main)).await;
    assert_body!("key_list_page_0.json", normalize(&first.body, &names));
    let xml = app.get(&keys_path(&main.sid, "?PageSize=2"), Some(&main)).await;
    assert_body!("key_list_page_0.xml", normalize(&xml.body, &names));
    assert_eq!(
        json_keys(&first.body),
        ["keys", "page", "page_size", "start", "end", "uri", "first_page_uri", "previous_page_uri", "next_page_uri"],
        "no totals: modern lists carry none"
    );

    // Following next_page_uri visits every key once, in creation order; the last page has no next.
    let mut seen = Vec::new();
    let mut uri = Some(keys_path(&main.sid, ".json?PageSize=2"));
    let (mut pages, mut last_body) = (Vec::new(), String::new());
    while let Some(next) = uri.take() {
        last_body = app.get(&next, Some(&main)).await.body;
        let page: Value = serde_json::from_str(&last_body).unwrap();
        seen.extend(page["keys"].as_array().unwrap().iter().map(|k| k["sid"].as_str().unwrap().to_owned()));
        uri = page["next_page_uri"].as_str().map(str::to_owned);
        pages.push(page);
        assert!(pages.len() <= 3, "paging must end");
    }
    assert_eq!(seen, keys.iter().map(|k| k.sid.clone()).collect::<Vec<_>>());
    assert_body!("key_list_page_2.json", normalize(&last_body, &names));
    assert!(pages[1]["previous_page_uri"].is_string() && pages[0]["previous_page_uri"].is_null());
    let previous = app.get(pages[1]["previous_page_uri"].as_str().unwrap(), Some(&main)).await.json();
    assert_eq!(previous["keys"], pages[0]["keys"], "previous_page_uri leads back");
    let past = app.get(&keys_path(&main.sid, ".json?PageSize=2&Page=7"), Some(&main)).await;
    assert_body!("key_list_past_the_end.json", normalize(&past.body, &names));
    let all = app.get(&keys_path(&main.sid, ".json?PageSize=2000"), Some(&main)).await.json();
    assert_eq!((all["page_size"].as_u64(), all["keys"].as_array().unwrap().len()), (Some(1000), 5));
    assert_eq!(all["uri"], keys_path(&main.sid, ".json?PageSize=2000"));

    let other = app.tenant("Other").await;
    let others_key = app.key(&other, &other.sid, "Other's").await;
    for token in [
        "garbage".to_owned(),
        format!("PA{}", main.sid),
        format!("PA{}", others_key.sid),
        "PA".to_owned(),
        String::new(),
    ] {
        let reply = app.get(&keys_path(&main.sid, &format!(".json?PageToken={token}")), Some(&main)).await;
        reply.assert_error(400, 21481);
    }
    for query in ["PageSize=0", "PageSize=x", "Page=-1", "Page=", "PageSize=1&PageSize=2"] {
        app.get(&keys_path(&main.sid, &format!(".json?{query}")), Some(&main)).await.assert_error(400, 20001);
    }
}

async fn key_methods_not_allowed_are_405_with_allow(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let key = app.key(&main, &main.sid, "K").await;
    for ext in ["", ".json", ".xml"] {
        for method in [Method::PUT, Method::DELETE, Method::PATCH] {
            let reply = app.send(method, &keys_path(&main.sid, ext), Some(&main), None).await;
            reply.assert_error(405, 20004);
            assert_eq!(reply.header("allow"), "GET, POST");
        }
        for method in [Method::PUT, Method::PATCH] {
            let reply = app.send(method, &key_path(&main.sid, &key.sid, ext), Some(&main), None).await;
            reply.assert_error(405, 20004);
            assert_eq!(reply.header("allow"), "GET, POST, DELETE");
        }
        for method in [Method::POST, Method::PUT, Method::DELETE] {
            let reply =
                app.send(method, &format!("/2010-04-01/Accounts/{}/Balance{ext}", main.sid), Some(&main), None).await;
            reply.assert_error(405, 20004);
            assert_eq!(reply.header("allow"), "GET");
        }
    }
    // The path comes before the method: an unknown key is 404 whatever the method.
    let unknown = key_path(&main.sid, &format!("SK{}", "0".repeat(32)), ".json");
    app.send(Method::PUT, &unknown, Some(&main), None).await.assert_error(404, 20404);
    // Authentication comes first of all.
    app.send(Method::PUT, &key_path(&main.sid, &key.sid, ".json"), None, None).await.assert_error(401, 20003);
}

async fn main_keys_are_listed_fetched_renamed_and_deleted_like_any_other(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let main_key = app.main_key(&main.sid).await;
    let standard = app.key(&main, &main.sid, "Standard").await;
    let list = app.get(&keys_path(&main.sid, ".json"), Some(&main)).await.json();
    let sids: Vec<&str> = list["keys"].as_array().unwrap().iter().map(|k| k["sid"].as_str().unwrap()).collect();
    assert_eq!(sids, [main_key.sid.as_str(), standard.sid.as_str()]);
    let shapes: Vec<Vec<&String>> =
        list["keys"].as_array().unwrap().iter().map(|k| k.as_object().unwrap().keys().collect()).collect();
    assert_eq!(shapes[0], shapes[1], "the answer does not show a key's type");
    let path = key_path(&main.sid, &main_key.sid, ".json");
    assert_eq!(app.get(&path, Some(&main_key)).await.status, 200, "a Main key reads its own account's keys");
    assert_eq!(app.post(&path, Some(&main), "FriendlyName=Console").await.json()["friendly_name"], "Console");
    // A team may revoke its own Main key, with that key itself.
    assert_eq!(app.delete(&path, Some(&main_key)).await.status, 204);
    app.get(&keys_path(&main.sid, ".json"), Some(&main_key)).await.assert_error(401, 20003);
}

async fn secrets_are_stored_only_as_argon2id_hashes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let key = app.key(&main, &main.sid, "Hashed").await;
    let stored = app.store.keys_of(&twilio_emulator::domain::AccountSid::parse(&main.sid).unwrap()).await.unwrap();
    assert_eq!(stored.len(), 1);
    let access =
        app.store.access(&twilio_emulator::domain::Principal::parse(&key.sid).unwrap(), None).await.unwrap().unwrap();
    assert!(access.credential.secret_hash.starts_with("$argon2id$"), "{}", access.credential.secret_hash);
    assert!(!access.credential.secret_hash.contains(&key.token));
}
