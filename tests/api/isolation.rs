//! Tenant isolation: no read, list, update or create of one tenant touches or reveals another's accounts.
use crate::backend_tests;
use crate::helpers::{form, Backend, Creds, TestApp};
use std::collections::BTreeSet;

backend_tests!(two_tenants_never_see_or_touch_each_other);

async fn sids(app: &TestApp, caller: &Creds) -> BTreeSet<String> {
    let list = app.get("/2010-04-01/Accounts.json?PageSize=1000", Some(caller)).await.json();
    list["accounts"].as_array().unwrap().iter().map(|a| a["sid"].as_str().unwrap().to_owned()).collect()
}

async fn two_tenants_never_see_or_touch_each_other(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let a = app.tenant("Tenant A").await;
    let b = app.tenant("Tenant B").await;
    let a_subs = [app.subaccount(&a, "A one").await, app.subaccount(&a, "A two").await];
    let b_subs = [app.subaccount(&b, "B one").await, app.subaccount(&b, "B two").await];
    let a_all: BTreeSet<String> = [&a].into_iter().chain(&a_subs).map(|c| c.sid.clone()).collect();
    let b_all: BTreeSet<String> = [&b].into_iter().chain(&b_subs).map(|c| c.sid.clone()).collect();
    assert_eq!(sids(&app, &a).await, a_all);
    assert_eq!(sids(&app, &b).await, b_all);

    for (caller, theirs) in [(&a, &b_all), (&b, &a_all)] {
        for sid in theirs {
            let path = format!("/2010-04-01/Accounts/{sid}.json");
            app.get(&path, Some(caller)).await.assert_error(404, 20404);
            app.post(&path, Some(caller), &form(&[("FriendlyName", "stolen")])).await.assert_error(404, 20404);
            app.post(&path, Some(caller), "Status=closed").await.assert_error(404, 20404);
            let by_token = app.get(&format!("/2010-04-01/Accounts.json?PageToken=PA{sid}"), Some(caller)).await;
            by_token.assert_error(400, 21481);
        }
    }
    for (sub, theirs) in a_subs.iter().map(|s| (s, &b_all)).chain(b_subs.iter().map(|s| (s, &a_all))) {
        for sid in theirs {
            app.get(&format!("/2010-04-01/Accounts/{sid}"), Some(sub)).await.assert_error(401, 20003);
        }
        assert_eq!(sids(&app, sub).await, BTreeSet::from([sub.sid.clone()]));
    }
    // A's create lands under A only.
    let new = app.subaccount(&a, "A three").await;
    assert!(sids(&app, &a).await.contains(&new.sid));
    assert_eq!(sids(&app, &b).await, b_all, "B unchanged");
    let b_names: Vec<String> = {
        let list = app.get("/2010-04-01/Accounts.json", Some(&b)).await.json();
        list["accounts"].as_array().unwrap().iter().map(|a| a["friendly_name"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(b_names, ["Tenant B", "B one", "B two"], "nothing of B was renamed");
}
