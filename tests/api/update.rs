//! POST/PUT on an instance: FriendlyName and Status, and Twilio's order of refusals.
use crate::helpers::{form, normalize, Backend, TestApp};
use crate::{assert_body, backend_tests};

backend_tests!(
    friendly_name_update_moves_date_updated,
    an_update_without_recognised_parameters_changes_nothing,
    a_main_account_suspends_reactivates_and_closes_a_subaccount,
    status_refusals_follow_twilios_order,
    friendly_name_values_are_checked,
    a_closed_account_can_still_be_renamed,
);

async fn friendly_name_update_moves_date_updated(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let sub = app.subaccount(&main, "Before").await;
    let path = format!("/2010-04-01/Accounts/{}", sub.sid);
    let before = app.get(&format!("{path}.json"), Some(&main)).await.json();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let reply = app.post(&path, Some(&main), &form(&[("FriendlyName", "After & <more> ünïcode 🎉")])).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_body!("update_subaccount.xml", normalize(&reply.body, &[(&main, "MAIN"), (&sub, "SUB")]));
    let after = app.get(&format!("{path}.json"), Some(&main)).await.json();
    assert_eq!(after["friendly_name"], "After & <more> ünïcode 🎉");
    assert_eq!(after["date_created"], before["date_created"]);
    assert_ne!(after["date_updated"], before["date_updated"]);
}

async fn an_update_without_recognised_parameters_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let path = format!("/2010-04-01/Accounts/{}.json", main.sid);
    let before = app.get(&path, Some(&main)).await.body;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    for body in ["", "friendlyname=lowercase+is+unknown&Foo=bar", "FriendlyName=Main"] {
        let reply = app.post(&path, Some(&main), body).await;
        assert_eq!(reply.status, 200, "{body}: {}", reply.body);
        assert_eq!(reply.body, before, "{body}: same value, same DateUpdated");
    }
}

async fn a_main_account_suspends_reactivates_and_closes_a_subaccount(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let sub = app.subaccount(&main, "MySubaccount").await;
    let path = format!("/2010-04-01/Accounts/{}.json", sub.sid);
    for status in ["suspended", "active", "suspended", "closed"] {
        let reply = app.post(&path, Some(&main), &form(&[("Status", status)])).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.json()["status"], status);
        assert_eq!(app.get(&path, Some(&main)).await.json()["status"], status);
    }
    let reply = app.post(&path, Some(&main), &form(&[("Status", "active")])).await;
    reply.assert_error(400, 21479);
    assert_body!("error_21479.json", reply.body);
    assert_eq!(app.get(&path, Some(&main)).await.json()["status"], "closed");
}

async fn status_refusals_follow_twilios_order(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let sub = app.subaccount(&main, "Sub").await;
    let closed = app.subaccount(&main, "Closed").await;
    let main_path = format!("/2010-04-01/Accounts/{}.json", main.sid);
    let sub_path = format!("/2010-04-01/Accounts/{}.json", sub.sid);
    let closed_path = format!("/2010-04-01/Accounts/{}.json", closed.sid);
    app.post(&closed_path, Some(&main), &form(&[("Status", "closed")])).await;

    // 20403: a subaccount sending Status for itself, whatever the value.
    for value in ["active", "suspended", "closed", "bogus", ""] {
        let reply = app.post(&sub_path, Some(&sub), &form(&[("Status", value), ("FriendlyName", "x")])).await;
        reply.assert_error(403, 20403);
    }
    // 21477: Status on a main account, even its current value or an invalid one.
    for value in ["active", "suspended", "closed", "bogus"] {
        app.post(&main_path, Some(&main), &form(&[("Status", value)])).await.assert_error(400, 21477);
    }
    // 21479: any Status change of a closed account, even to closed, even to an invalid value.
    for value in ["active", "suspended", "closed", "bogus"] {
        app.post(&closed_path, Some(&main), &form(&[("Status", value)])).await.assert_error(400, 21479);
    }
    // 21475: an invalid value otherwise.
    for value in ["bogus", "Active", "ACTIVE", "", " active", "open"] {
        let reply = app.post(&sub_path, Some(&main), &form(&[("Status", value), ("FriendlyName", "new")])).await;
        reply.assert_error(400, 21475);
    }
    let xml = app.post(&format!("/2010-04-01/Accounts/{}", sub.sid), Some(&main), "Status=bogus").await;
    assert_body!("error_21475.xml", xml.body);
    assert_body!("error_20403.json", app.post(&sub_path, Some(&sub), "Status=active").await.body);
    assert_body!("error_21477.json", app.post(&main_path, Some(&main), "Status=active").await.body);
    // Nothing was written by any refused request.
    let stored = app.get(&sub_path, Some(&main)).await.json();
    assert_eq!((stored["status"].as_str(), stored["friendly_name"].as_str()), (Some("active"), Some("Sub")));
}

async fn friendly_name_values_are_checked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let path = format!("/2010-04-01/Accounts/{}.json", main.sid);
    let sixty_four = "é".repeat(64);
    let ok = app.post(&path, Some(&main), &form(&[("FriendlyName", &sixty_four)])).await;
    assert_eq!(ok.json()["friendly_name"], sixty_four.as_str(), "64 characters, 128 bytes, is fine");
    let too_long = "a".repeat(65);
    for body in [
        form(&[("FriendlyName", "")]),
        form(&[("FriendlyName", &too_long)]),
        form(&[("FriendlyName", "tab\there")]),
        form(&[("FriendlyName", "nul\u{0}")]),
        form(&[("FriendlyName", "a"), ("FriendlyName", "b")]),
        "FriendlyName=%zz".to_owned(),
        "FriendlyName=%C3".to_owned(),
    ] {
        let reply = app.post(&path, Some(&main), &body).await;
        reply.assert_error(400, 20001);
        assert!(reply.json()["message"].as_str().unwrap().len() > 10);
    }
    let reply = app.post(&path, Some(&main), &form(&[("FriendlyName", &too_long)])).await;
    assert_body!("error_20001_friendly_name.json", reply.body);
    assert_eq!(app.get(&path, Some(&main)).await.json()["friendly_name"], sixty_four.as_str());
}

async fn a_closed_account_can_still_be_renamed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let sub = app.subaccount(&main, "Sub").await;
    let path = format!("/2010-04-01/Accounts/{}.json", sub.sid);
    app.post(&path, Some(&main), "Status=closed").await;
    let reply = app.post(&path, Some(&main), "FriendlyName=Archived").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        (reply.json()["friendly_name"].as_str(), reply.json()["status"].as_str()),
        (Some("Archived"), Some("closed"))
    );
}
