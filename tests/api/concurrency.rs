//! Races: many simultaneous requests leave the data exactly as the rules say.
use crate::backend_tests;
use crate::helpers::{form, Backend, TestApp};
use futures_util::future::join_all;
use std::collections::HashSet;
use twilio_emulator::domain::{AccountSid, Principal};

backend_tests!(
    parallel_creates_under_a_cap_give_exactly_the_cap,
    racing_close_and_activate_never_reopens,
    racing_renames_keep_one_submitted_value,
);

async fn parallel_creates_under_a_cap_give_exactly_the_cap(backend: Backend) {
    let cap = 7;
    let app = TestApp::spawn_with(backend, |settings| settings.max_subaccounts = cap).await;
    let main = app.tenant("Main").await;
    let bodies: Vec<String> = (0..30).map(|n| form(&[("FriendlyName", &format!("Sub {n}"))])).collect();
    let replies = join_all(bodies.iter().map(|body| app.post("/2010-04-01/Accounts.json", Some(&main), body))).await;
    let created: Vec<_> = replies.iter().filter(|r| r.status == 201).collect();
    assert_eq!(created.len(), cap as usize);
    for refused in replies.iter().filter(|r| r.status != 201) {
        refused.assert_error(400, 21480);
    }
    let sids: HashSet<_> = created.iter().map(|r| r.json()["sid"].as_str().unwrap().to_owned()).collect();
    assert_eq!(sids.len(), cap as usize, "no duplicate SID");
    let list = app.get("/2010-04-01/Accounts.json", Some(&main)).await.json();
    assert_eq!(list["total"], cap + 1);
}

async fn racing_close_and_activate_never_reopens(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    for round in 0..4 {
        let sub = app.subaccount(&main, &format!("Round {round}")).await;
        let path = format!("/2010-04-01/Accounts/{}.json", sub.sid);
        let bodies: Vec<&str> =
            (0..12).map(|n| ["Status=closed", "Status=active", "Status=suspended"][n % 3]).collect();
        let replies = join_all(bodies.iter().map(|body| app.post(&path, Some(&main), body))).await;
        let closed_ok = replies.iter().zip(&bodies).filter(|(r, b)| **b == "Status=closed" && r.status == 200).count();
        assert_eq!(closed_ok, 1, "exactly one close wins; later ones are 21479");
        for reply in replies.iter().filter(|r| r.status != 200) {
            reply.assert_error(400, 21479);
        }
        assert_eq!(app.get(&path, Some(&main)).await.json()["status"], "closed", "never reopened");
    }
}

async fn racing_renames_keep_one_submitted_value(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let sub = app.subaccount(&main, "Start").await;
    let sid = AccountSid::parse(&sub.sid).unwrap();
    let path = format!("/2010-04-01/Accounts/{}.json", sub.sid);
    let before = app.store.access(&Principal::Account(sid.clone()), Some(&sid)).await.unwrap().unwrap().target.unwrap();
    let names: Vec<String> = (0..20).map(|n| format!("Name {n}")).collect();
    let bodies: Vec<String> = names.iter().map(|name| form(&[("FriendlyName", name)])).collect();
    let replies = join_all(bodies.iter().map(|body| app.post(&path, Some(&main), body))).await;
    assert!(replies.iter().all(|r| r.status == 200));
    let after = app.store.access(&Principal::Account(sid.clone()), Some(&sid)).await.unwrap().unwrap().target.unwrap();
    assert!(names.contains(&after.friendly_name.to_string()), "{}", after.friendly_name);
    assert!(after.date_updated >= before.date_updated, "DateUpdated never goes backwards");
    assert_eq!(after.date_created, before.date_created);
}
