//! GET on an instance: the exact bodies, in XML and JSON.
use crate::helpers::{normalize, Backend, TestApp};
use crate::{assert_body, backend_tests};

backend_tests!(
    fetch_main_in_xml_json_and_dot_xml,
    fetch_subaccount_as_main_and_as_itself,
    xml_has_the_structure_of_the_original_examples,
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
    assert_eq!(dot_xml.body, xml.body, "no URI in an XML body carries a suffix");

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
    assert_eq!(json["auth_token"], "redacted", "the token shows only in the 201 that minted it");
    assert_body!("fetch_subaccount.json", normalize(&as_main.body, &[(&main, "MAIN"), (&sub, "SUB")]));
}

/// The GET example of the original documentation (twilio-accounts-api-2010-04-01.txt), whitespace aside.
const ORIGINAL_GET: &str = r#"<TwilioResponse><Account><Sid>ACba8bc05eacf94afdae398e642c9cc32d</Sid><FriendlyName>Do you like my friendly name?</FriendlyName><Type>Full</Type><Status>active</Status><DateCreated>Wed, 04 Aug 2010 21:37:41 +0000</DateCreated><DateUpdated>Fri, 06 Aug 2010 01:15:02 +0000</DateUpdated><AuthToken>redacted</AuthToken><Uri>/2010-04-01/Accounts/ACba8bc05eacf94afdae398e642c9cc32d</Uri><SubresourceUris><AvailablePhoneNumbers>/2010-04-01/Accounts/ACba8bc05eacf94afdae398e642c9cc32d/AvailablePhoneNumbers</AvailablePhoneNumbers><Calls>/2010-04-01/Accounts/ACba8bc05eacf94afdae398e642c9cc32d/Calls</Calls><Conferences>/2010-04-01/Accounts/ACba8bc05eacf94afdae398e642c9cc32d/Conferences</Conferences><IncomingPhoneNumbers>/2010-04-01/Accounts/ACba8bc05eacf94afdae398e642c9cc32d/IncomingPhoneNumbers</IncomingPhoneNumbers><Notifications>/2010-04-01/Accounts/ACba8bc05eacf94afdae398e642c9cc32d/Notifications</Notifications><OutgoingCallerIds>/2010-04-01/Accounts/ACba8bc05eacf94afdae398e642c9cc32d/OutgoingCallerIds</OutgoingCallerIds><Recordings>/2010-04-01/Accounts/ACba8bc05eacf94afdae398e642c9cc32d/Recordings</Recordings><Sandbox>/2010-04-01/Accounts/ACba8bc05eacf94afdae398e642c9cc32d/Sandbox</Sandbox><SMSMessages>/2010-04-01/Accounts/ACba8bc05eacf94afdae398e642c9cc32d/SMS/Messages</SMSMessages><Transcriptions>/2010-04-01/Accounts/ACba8bc05eacf94afdae398e642c9cc32d/Transcriptions</Transcriptions></SubresourceUris></Account></TwilioResponse>"#;

/// The list example's `<Accounts>` attributes, in the original's order.
const ORIGINAL_LIST_ATTRIBUTES: [&str; 11] = [
    "page",
    "numpages",
    "pagesize",
    "total",
    "start",
    "end",
    "uri",
    "firstpageuri",
    "previouspageuri",
    "nextpageuri",
    "lastpageuri",
];

/// Element paths in document order, with each leaf's text where `texts` is set.
fn outline(xml: &str, texts: bool) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut path, mut out) = (Vec::<String>::new(), Vec::new());
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(start) => {
                path.push(String::from_utf8(start.name().as_ref().to_vec()).unwrap());
                out.push(path.join("/"));
            }
            Event::End(_) => {
                path.pop();
            }
            Event::Text(text) if texts => out.push(format!("{}={}", path.join("/"), text.unescape().unwrap())),
            Event::Eof => return out,
            _ => {}
        }
    }
}

async fn xml_has_the_structure_of_the_original_examples(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Do you like my friendly name?").await;
    let ours = app.get(&format!("/2010-04-01/Accounts/{}", main.sid), Some(&main)).await.body;
    assert!(ours.starts_with(r#"<?xml version="1.0" encoding="UTF-8"?>"#));
    assert_eq!(outline(&ours, false), outline(ORIGINAL_GET, false), "same elements in the same order");
    // Same text too, once the SID and the dates are the example's.
    let dates = regex::Regex::new(r"<Date(Created|Updated)>[^<]*</Date(Created|Updated)>").unwrap();
    let ours = ours.replace(&main.sid, "ACba8bc05eacf94afdae398e642c9cc32d");
    let ours = dates.replace_all(&ours, "<Date$1>-</Date$2>");
    let original = dates.replace_all(ORIGINAL_GET, "<Date$1>-</Date$2>");
    assert_eq!(outline(&ours, true), outline(&original, true));

    let list = app.get("/2010-04-01/Accounts", Some(&main)).await.body;
    let start = list.find("<Accounts ").unwrap();
    let head = &list[start..start + list[start..].find('>').unwrap()];
    let attribute = regex::Regex::new(r#" ([a-z]+)=""#).unwrap();
    let names: Vec<&str> = attribute.captures_iter(head).map(|c| c.get(1).unwrap().as_str()).collect();
    assert_eq!(names, ORIGINAL_LIST_ATTRIBUTES);
    let mut list_outline = outline(&list, false);
    list_outline.retain(|p| p.starts_with("TwilioResponse/Accounts/Account"));
    let account_outline: Vec<String> = outline(ORIGINAL_GET, false)
        .into_iter()
        .filter(|p| p.starts_with("TwilioResponse/Account"))
        .map(|p| p.replacen("TwilioResponse/Account", "TwilioResponse/Accounts/Account", 1))
        .collect();
    assert_eq!(list_outline, account_outline, "list entries are the same <Account> elements");
}
