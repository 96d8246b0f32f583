//! Hostile strings: SQL injection and friends are inert everywhere, on both backends; XML answers stay well-formed.
use super::answers::sids_in;
use super::oracles::reference_friendly_name;
use super::strategies::percent;
use super::xml::{parse_xml, Xml};
use crate::backend_tests;
use crate::helpers::{form, Backend, Creds, Reply, TestApp};

backend_tests!(sql_injection_strings_are_inert);

const HOSTILE: [&str; 24] = [
    "' OR 1=1 --",
    "' OR '1'='1",
    "\"; DROP TABLE accounts; --",
    "%' OR '1'='1",
    "'; DELETE FROM accounts WHERE '1'='1",
    "Robert'); DROP TABLE accounts;--",
    "' UNION SELECT sid, auth_token_hash, 1, 1, 1, 1, 1 FROM accounts --",
    "1; SELECT pg_sleep(5); --",
    "') OR ('a'='a",
    "\\'; --",
    "%",
    "_",
    "%%",
    "*",
    "\0",
    "a\0' OR 1=1 --",
    "$1",
    "?",
    "NULL",
    "<Account><Sid>AC00000000000000000000000000000000</Sid></Account>",
    "]]><!-- &amp; &lt; &#0; &#x1F;",
    "{\"sid\": \"AC00000000000000000000000000000000\"}",
    "' OR sid LIKE 'AC%",
    "'||(SELECT friendly_name FROM accounts LIMIT 1)||'",
];

fn sids_of(reply: &Reply) -> Vec<String> {
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.body);
    reply.json()["accounts"].as_array().unwrap().iter().map(|a| a["sid"].as_str().unwrap().to_owned()).collect()
}

/// Every account of a tenant as `(sid, friendly_name, status)`.
async fn accounts_of(app: &TestApp, caller: &Creds) -> Vec<(String, String, String)> {
    let list = app.get("/2010-04-01/Accounts.json?PageSize=1000", Some(caller)).await.json();
    list["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let field = |key: &str| a[key].as_str().unwrap().to_owned();
            (field("sid"), field("friendly_name"), field("status"))
        })
        .collect()
}

/// A reply's XML body, which must be well-formed.
fn xml_of(reply: &Reply) -> Xml {
    parse_xml(&reply.body).unwrap_or_else(|e| panic!("{e}: {}", reply.body))
}

fn xml_friendly_name(reply: &Reply) -> String {
    xml_of(reply)
        .get("TwilioResponse/Account/FriendlyName")
        .unwrap_or_else(|| panic!("no FriendlyName: {}", reply.body))
        .to_owned()
}

async fn sql_injection_strings_are_inert(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let main = app.tenant("Main").await;
    let renamed = app.subaccount(&main, "Renamed").await;
    let other = app.tenant("Other").await;
    let other_sub = app.subaccount(&other, "Other sub").await;
    let other_before = accounts_of(&app, &other).await;
    let mut created: Vec<(String, String)> = Vec::new(); // (sid, name)

    for hostile in HOSTILE {
        let valid_name = reference_friendly_name(hostile);
        let body = form(&[("FriendlyName", hostile)]);

        // Create, in JSON and in XML: stored and returned verbatim, or 20001.
        let json = app.post("/2010-04-01/Accounts.json", Some(&main), &body).await;
        let xml = app.post("/2010-04-01/Accounts.xml", Some(&main), &body).await;
        if valid_name {
            assert_eq!(json.status.as_u16(), 201, "{hostile:?}: {}", json.body);
            assert_eq!(json.json()["friendly_name"], hostile);
            assert_eq!(xml.status.as_u16(), 201, "{hostile:?}: {}", xml.body);
            assert_eq!(xml_friendly_name(&xml), hostile);
            for sid in [json.json()["sid"].as_str().unwrap().to_owned()]
                .into_iter()
                .chain(sids_in(&xml.body).into_iter().take(1))
            {
                let fetched = app.get(&format!("/2010-04-01/Accounts/{sid}.json"), Some(&main)).await;
                assert_eq!(fetched.json()["friendly_name"], hostile, "{}", fetched.body);
                let fetched_xml = app.get(&format!("/2010-04-01/Accounts/{sid}"), Some(&main)).await;
                assert_eq!(xml_friendly_name(&fetched_xml), hostile);
                created.push((sid, hostile.to_owned()));
            }
        } else {
            json.assert_error(400, 20001);
            xml.assert_error(400, 20001);
        }

        // List filter: exact and case-sensitive, so `%`, `_` and `' OR 1=1` match only themselves.
        let query = form(&[("FriendlyName", hostile), ("PageSize", "1000")]);
        let listed = app.get(&format!("/2010-04-01/Accounts.json?{query}"), Some(&main)).await;
        let listed_xml = app.get(&format!("/2010-04-01/Accounts?{query}"), Some(&main)).await;
        if valid_name {
            let expected: Vec<String> =
                created.iter().filter(|(_, name)| name == hostile).map(|(sid, _)| sid.clone()).collect();
            assert_eq!(sids_of(&listed), expected, "filter {hostile:?}");
            assert_eq!(
                xml_of(&listed_xml).all("TwilioResponse/Accounts/Account/Sid"),
                expected,
                "XML filter {hostile:?}"
            );
        } else {
            listed.assert_error(400, 20001);
            listed_xml.assert_error(400, 20001);
        }

        // Update FriendlyName: verbatim or 20001, and the other accounts keep theirs.
        let path = format!("/2010-04-01/Accounts/{}.json", renamed.sid);
        let updated = app.post(&path, Some(&main), &body).await;
        if valid_name {
            assert_eq!(updated.status.as_u16(), 200, "{}", updated.body);
            assert_eq!(updated.json()["friendly_name"], hostile);
            assert_eq!(app.get(&path, Some(&main)).await.json()["friendly_name"], hostile);
        } else {
            updated.assert_error(400, 20001);
        }

        // Status, paging and PageToken: every one of these is a parameter error.
        let status = form(&[("Status", hostile)]);
        app.post(&path, Some(&main), &status).await.assert_error(400, 21475);
        for name in ["Status", "Page", "PageSize"] {
            let query = form(&[(name, hostile)]);
            app.get(&format!("/2010-04-01/Accounts.json?{query}"), Some(&main)).await.assert_error(400, 20001);
        }
        for token in [hostile.to_owned(), format!("PA{}{hostile}", main.sid)] {
            let query = form(&[("PageToken", &token)]);
            app.get(&format!("/2010-04-01/Accounts.json?{query}"), Some(&main)).await.assert_error(400, 21481);
        }

        // The path SID, alone or after a real SID: as unreachable as any other.
        for segment in [percent(hostile), format!("{}{}", main.sid, percent(hostile))] {
            for ext in [".json", ""] {
                let path = format!("/2010-04-01/Accounts/{segment}{ext}");
                let reply = app.get(&path, Some(&main)).await;
                if segment == main.sid {
                    continue;
                }
                reply.assert_error(404, 20404);
                app.post(&path, Some(&main), &body).await.assert_error(404, 20404);
                app.get(&path, Some(&renamed)).await.assert_error(401, 20003);
            }
        }

        // And in the credentials.
        for (user, password) in [(hostile, hostile), (main.sid.as_str(), hostile)] {
            let creds = Creds { sid: user.to_owned(), token: password.to_owned() };
            app.get("/2010-04-01/Accounts.json", Some(&creds)).await.assert_error(401, 20003);
        }
    }

    // The table is intact: every account is still there with what it was given.
    let mine = accounts_of(&app, &main).await;
    assert_eq!(mine.len(), 2 + created.len(), "{mine:?}");
    assert_eq!(mine[0], (main.sid.clone(), "Main".into(), "active".into()));
    for (sid, name) in &created {
        assert!(mine.contains(&(sid.clone(), name.clone(), "active".into())), "{sid} {name:?} in {mine:?}");
    }
    assert_eq!(accounts_of(&app, &other).await, other_before, "the other tenant is untouched");
    for (caller, sid) in [(&renamed, &renamed.sid), (&other_sub, &other_sub.sid)] {
        let path = format!("/2010-04-01/Accounts/{sid}.json");
        assert_eq!(app.get(&path, Some(caller)).await.status.as_u16(), 200);
    }
}

/// BEHAVIOUR.md refuses control characters in a FriendlyName because XML cannot carry them; the
/// noncharacters U+FFFE and U+FFFF cannot be carried either (XML 1.0 `Char` excludes them). They
/// were once accepted and written raw into XML answers; now they must be refused, or at least
/// never make an answer that is not well-formed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xml_answers_stay_well_formed_whatever_the_friendly_name() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let main = app.tenant("Main").await;
    for name in ["\u{FFFE}", "a\u{FFFF}b"] {
        let reply = app.post("/2010-04-01/Accounts.xml", Some(&main), &form(&[("FriendlyName", name)])).await;
        if reply.status.as_u16() == 400 {
            reply.assert_error(400, 20001);
        } else {
            assert_eq!(reply.status.as_u16(), 201, "{}", reply.body);
            if let Err(problem) = parse_xml(&reply.body) {
                panic!("FriendlyName {name:?} gives XML that is not well-formed ({problem}): {:?}", reply.body);
            }
        }
    }
}
