//! GET on the list: scope, filters, paging figures and links, page tokens.
use crate::helpers::{form, normalize, Backend, Creds, TestApp};
use crate::{assert_body, backend_tests};
use serde_json::Value;

backend_tests!(
    pages_first_middle_last_and_past_the_end,
    following_next_page_uri_visits_every_account_once_in_order,
    filters_are_exact_and_kept_in_every_link,
    an_empty_list_links_to_page_zero,
    page_sizes_above_1000_are_served_as_1000,
    a_subaccount_lists_only_itself,
    bad_list_parameters_are_refused,
    page_tokens_mark_positions_and_stay_in_scope,
);

/// A main account and four subaccounts, created one after the other.
async fn five_accounts(app: &TestApp) -> (Creds, Vec<Creds>) {
    let main = app.tenant("Chieftain").await;
    let mut subs = Vec::new();
    for name in ["Sub 1", "Sub 2", "Sub 3", "Sub 4"] {
        subs.push(app.subaccount(&main, name).await);
    }
    (main, subs)
}

fn names<'a>(main: &'a Creds, subs: &'a [Creds]) -> Vec<(&'a Creds, &'a str)> {
    let mut names = vec![(main, "MAIN")];
    names.extend(subs.iter().zip(["SUB1", "SUB2", "SUB3", "SUB4"]));
    names
}

async fn pages_first_middle_last_and_past_the_end(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (main, subs) = five_accounts(&app).await;
    let names = names(&main, &subs);
    for page in 0..=3 {
        let xml = app.get(&format!("/2010-04-01/Accounts?Page={page}&PageSize=2"), Some(&main)).await;
        assert_eq!(xml.status, 200, "{}", xml.body);
        assert_body!(format!("list_page_{page}.xml"), normalize(&xml.body, &names));
    }
    let json = app.get("/2010-04-01/Accounts.json?PageSize=2&Page=1", Some(&main)).await;
    assert_body!("list_page_1.json", normalize(&json.body, &names));
    let bare = app.get("/2010-04-01/Accounts.json", Some(&main)).await.json();
    assert_eq!(
        (&bare["page"], &bare["page_size"], &bare["total"], &bare["num_pages"], &bare["start"], &bare["end"]),
        (&Value::from(0), &Value::from(50), &Value::from(5), &Value::from(1), &Value::from(0), &Value::from(4))
    );
    assert_eq!(bare["uri"], "/2010-04-01/Accounts.json", "a bare request has a bare uri");
    assert_eq!(bare["next_page_uri"], Value::Null);
    assert_eq!(bare["previous_page_uri"], Value::Null);
    let keys: Vec<&str> = bare.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected = vec![
        "accounts",
        "end",
        "first_page_uri",
        "last_page_uri",
        "next_page_uri",
        "num_pages",
        "page",
        "page_size",
        "previous_page_uri",
        "start",
        "total",
        "uri",
    ];
    expected.sort_unstable();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, expected, "no other key may appear");
}

async fn following_next_page_uri_visits_every_account_once_in_order(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (main, subs) = five_accounts(&app).await;
    let mut expected = vec![main.sid.clone()];
    expected.extend(subs.iter().map(|s| s.sid.clone()));
    for page_size in 1..=6 {
        let mut seen = Vec::new();
        let mut uri = Some(format!("/2010-04-01/Accounts.json?PageSize={page_size}"));
        let mut pages = Vec::new();
        while let Some(next) = uri.take() {
            let page = app.get(&next, Some(&main)).await.json();
            seen.extend(page["accounts"].as_array().unwrap().iter().map(|a| a["sid"].as_str().unwrap().to_owned()));
            uri = page["next_page_uri"].as_str().map(str::to_owned);
            pages.push(page);
            assert!(pages.len() <= 6, "paging must end");
        }
        assert_eq!(seen, expected, "page size {page_size}");
        assert_eq!(pages.len() as u64, pages[0]["num_pages"].as_u64().unwrap());
        // And back again along previous_page_uri.
        let mut back = Vec::new();
        let mut uri = pages.last().unwrap()["previous_page_uri"].as_str().map(str::to_owned);
        while let Some(previous) = uri.take() {
            let page = app.get(&previous, Some(&main)).await.json();
            let sids: Vec<String> =
                page["accounts"].as_array().unwrap().iter().map(|a| a["sid"].as_str().unwrap().to_owned()).collect();
            back.splice(0..0, sids);
            uri = page["previous_page_uri"].as_str().map(str::to_owned);
            assert!(back.len() <= expected.len());
        }
        let last_page_len = pages.last().unwrap()["accounts"].as_array().unwrap().len();
        assert_eq!(back, expected[..expected.len() - last_page_len], "page size {page_size}");
    }
}

async fn filters_are_exact_and_kept_in_every_link(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let mut same = Vec::new();
    for _ in 0..3 {
        same.push(app.subaccount(&main, "Team A & B+C").await);
    }
    app.subaccount(&main, "team a & b+c").await;
    app.post(&format!("/2010-04-01/Accounts/{}", same[1].sid), Some(&main), "Status=suspended").await;

    let query = form(&[("FriendlyName", "Team A & B+C"), ("PageSize", "1")]);
    let page = app.get(&format!("/2010-04-01/Accounts.json?{query}"), Some(&main)).await;
    let json = page.json();
    assert_eq!(json["total"], 3, "exact and case-sensitive");
    let named: Vec<_> = same.iter().enumerate().map(|(i, c)| (c, ["A1", "A2", "A3"][i])).collect();
    assert_body!("list_filtered_by_name.json", normalize(&page.body, &named));

    let suspended =
        app.get("/2010-04-01/Accounts?Status=suspended&FriendlyName=Team%20A%20%26%20B%2BC", Some(&main)).await;
    assert_body!("list_filtered_by_status_and_name.xml", normalize(&suspended.body, &named));
    let active = app.get("/2010-04-01/Accounts.json?Status=active", Some(&main)).await.json();
    assert_eq!(active["total"], 4);
    assert_eq!(app.get("/2010-04-01/Accounts.json?Status=closed", Some(&main)).await.json()["total"], 0);
    // Parameter names are case-sensitive: these are unknown, not filters.
    let unfiltered = app.get("/2010-04-01/Accounts.json?friendlyname=nobody&status=closed", Some(&main)).await.json();
    assert_eq!(unfiltered["total"], 5);
}

/// Twilio's OpenAPI spec types `first_page_uri` as a string, and its empty-list example carries it.
async fn an_empty_list_links_to_page_zero(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let xml = app.get("/2010-04-01/Accounts?FriendlyName=Nobody", Some(&main)).await;
    assert_body!("list_empty.xml", xml.body);
    let json = app.get("/2010-04-01/Accounts.json?FriendlyName=Nobody&Page=0&PageSize=10", Some(&main)).await;
    assert_body!("list_empty.json", json.body);
}

/// Both helper libraries send `PageSize=limit` for `list(limit=N)`: 2000 must work.
async fn page_sizes_above_1000_are_served_as_1000(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (main, subs) = five_accounts(&app).await;
    let names = names(&main, &subs);
    let json = app.get("/2010-04-01/Accounts.json?PageSize=2000", Some(&main)).await;
    assert_eq!(json.status, 200, "{}", json.body);
    assert_body!("list_page_size_2000.json", normalize(&json.body, &names));
    let page = json.json();
    assert_eq!((&page["page_size"], &page["total"], &page["num_pages"]), (&1000.into(), &5.into(), &1.into()));
    assert_eq!(page["uri"], "/2010-04-01/Accounts.json?PageSize=2000", "uri repeats the request");
    assert_eq!(page["first_page_uri"], "/2010-04-01/Accounts.json?Page=0&PageSize=1000");
    let xml = app.get("/2010-04-01/Accounts?Page=1&PageSize=99999999999999999999", Some(&main)).await;
    assert_eq!(xml.status, 200, "{}", xml.body);
    assert_body!("list_page_size_huge_past_the_end.xml", normalize(&xml.body, &names));
}

async fn a_subaccount_lists_only_itself(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (main, subs) = five_accounts(&app).await;
    let list = app.get("/2010-04-01/Accounts.json", Some(&subs[2])).await;
    let json = list.json();
    assert_eq!(json["total"], 1);
    assert_eq!(json["accounts"][0]["sid"], subs[2].sid.as_str());
    let by_main_name = app.get("/2010-04-01/Accounts.json?FriendlyName=Chieftain", Some(&subs[2])).await.json();
    assert_eq!(by_main_name["total"], 0);
    let as_main = app.get("/2010-04-01/Accounts.json", Some(&main)).await.json();
    assert_eq!(as_main["total"], 5);
}

async fn bad_list_parameters_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (main, subs) = five_accounts(&app).await;
    let stranger = app.tenant("Stranger").await;
    let too_long = "n".repeat(65);
    let cases: Vec<(String, u32)> = vec![
        ("Page=".into(), 20001),
        ("Page=-1".into(), 20001),
        ("Page=1.5".into(), 20001),
        ("Page=abc".into(), 20001),
        ("Page=99999999999999".into(), 20001),
        ("Page=0&Page=1".into(), 20001),
        ("PageSize=".into(), 20001),
        ("PageSize=0".into(), 20001),
        ("PageSize=ten".into(), 20001),
        ("PageSize=10&PageSize=10".into(), 20001),
        ("Status=".into(), 20001),
        ("Status=open".into(), 20001),
        ("Status=Active".into(), 20001),
        ("Status=active&Status=active".into(), 20001),
        ("FriendlyName=".into(), 20001),
        (format!("FriendlyName={too_long}"), 20001),
        ("FriendlyName=%zz".into(), 20001),
        ("FriendlyName=%C3%28".into(), 20001),
        ("FriendlyName=a&FriendlyName=a".into(), 20001),
        ("PageToken=".into(), 21481),
        ("PageToken=garbage".into(), 21481),
        ("PageToken=PA".into(), 21481),
        ("PageToken=PX".to_owned() + &subs[0].sid, 21481),
        (format!("PageToken=PA{}", stranger.sid), 21481),
        (format!("PageToken=PB{}", "AC".to_owned() + &"0".repeat(32)), 21481),
    ];
    for (query, code) in &cases {
        let reply = app.get(&format!("/2010-04-01/Accounts.json?{query}"), Some(&main)).await;
        reply.assert_error(400, *code);
    }
    let page_size = app.get("/2010-04-01/Accounts.json?PageSize=0", Some(&main)).await;
    assert_body!("error_20001_page_size.json", page_size.body);
    let token = app.get("/2010-04-01/Accounts?PageToken=garbage", Some(&main)).await;
    assert_body!("error_21481.xml", token.body);
    // A subaccount's token may only name itself.
    let sibling_token = format!("/2010-04-01/Accounts.json?PageToken=PA{}", subs[0].sid);
    app.get(&sibling_token, Some(&subs[1])).await.assert_error(400, 21481);
    let ok = app.get("/2010-04-01/Accounts.json?PageSize=1000&Page=0", Some(&main)).await;
    assert_eq!(ok.status, 200);
}

async fn page_tokens_mark_positions_and_stay_in_scope(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (main, subs) = five_accounts(&app).await;
    let first = app.get("/2010-04-01/Accounts.json?PageSize=2", Some(&main)).await.json();
    let next = first["next_page_uri"].as_str().unwrap().to_owned();
    assert!(next.ends_with(&format!("PageToken=PA{}", subs[0].sid)), "{next}");
    // The token names a position: renaming or suspending that account changes nothing.
    let sub0 = format!("/2010-04-01/Accounts/{}", subs[0].sid);
    app.post(&sub0, Some(&main), "FriendlyName=Renamed&Status=suspended").await;
    let second = app.get(&next, Some(&main)).await.json();
    let sids: Vec<&str> = second["accounts"].as_array().unwrap().iter().map(|a| a["sid"].as_str().unwrap()).collect();
    assert_eq!(sids, [subs[1].sid.as_str(), subs[2].sid.as_str()]);
    assert_eq!(
        (second["page"].as_u64(), second["start"].as_u64(), second["end"].as_u64()),
        (Some(1), Some(2), Some(3))
    );
    // After the last account by a token: an empty page pointing back at the last page.
    let after_last = app
        .get(&format!("/2010-04-01/Accounts.json?PageSize=2&Page=3&PageToken=PA{}", subs[3].sid), Some(&main))
        .await
        .json();
    assert_eq!(after_last["accounts"].as_array().unwrap().len(), 0);
    assert_eq!(after_last["next_page_uri"], Value::Null);
    assert_eq!(after_last["previous_page_uri"], after_last["last_page_uri"]);
    assert_eq!(after_last["last_page_uri"], "/2010-04-01/Accounts.json?Page=2&PageSize=2");
}
