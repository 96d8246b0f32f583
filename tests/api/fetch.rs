//! GET on an instance: the exact bodies, in XML and JSON.
use crate::helpers::{normalize, Backend, TestApp};
use crate::{assert_body, backend_tests};

backend_tests!(
    fetch_main_in_xml_json_and_dot_xml,
    fetch_subaccount_as_main_and_as_itself
);

async fn fetch_main_in_xml_json_and_dot_xml(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Do you like my friendly name?").await;
    let path = format!("/2010-04-01/Accounts/{}", main.sid);

    let xml = app.get(&path, Some(&main)).await;
    assert_eq!(xml.status, 200);
    assert_eq!(xml.header("content-type"), "application/xml");
    assert_body!("fetch_main.xml", normalize(&xml.body, &[(&main, "MAIN")]));

    let dot_xml = app.get(&format!("{path}.xml"), Some(&main)).await;
    assert_eq!(
        dot_xml.body, xml.body,
        "no URI in an XML body carries a suffix"
    );

    let json = app.get(&format!("{path}.json"), Some(&main)).await;
    assert_eq!(json.status, 200);
    assert_eq!(json.header("content-type"), "application/json");
    assert_body!("fetch_main.json", normalize(&json.body, &[(&main, "MAIN")]));
}

async fn fetch_subaccount_as_main_and_as_itself(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Chieftain").await;
    let sub = app.subaccount(&main, "Chieftain Subaccount").await;
    let path = format!("/2010-04-01/Accounts/{}.json", sub.sid);

    let as_main = app.get(&path, Some(&main)).await;
    let as_sub = app.get(&path, Some(&sub)).await;
    assert_eq!(as_main.status, 200);
    assert_eq!(as_main.body, as_sub.body);
    let json = as_main.json();
    assert_eq!(json["owner_account_sid"], main.sid.as_str());
    assert_eq!(
        json["auth_token"], "redacted",
        "the token shows only in the 201 that minted it"
    );
    assert_body!(
        "fetch_subaccount.json",
        normalize(&as_main.body, &[(&main, "MAIN"), (&sub, "SUB")])
    );
}
