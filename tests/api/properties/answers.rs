//! Checking answers: Twilio's shape in JSON and XML, allowed statuses and codes, no leaked SID.
use super::fail;
use super::xml::{parse_xml, Xml};
use crate::helpers::Reply;
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestCaseResult};
use regex::Regex;
use std::sync::LazyLock;

const ALLOWED_STATUSES: [u16; 8] = [200, 201, 400, 401, 403, 404, 405, 413];

static SID_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"AC[0-9a-fA-F]{32}").unwrap());

/// Every SID-shaped string in a text.
pub(crate) fn sids_in(text: &str) -> Vec<String> {
    SID_IN_TEXT.find_iter(text).map(|m| m.as_str().to_owned()).collect()
}

/// The Twilio error codes each error status may carry.
fn codes_for(status: u16) -> &'static [u64] {
    match status {
        400 => &[20001, 21101, 21475, 21477, 21479, 21480, 21481],
        401 => &[20003],
        403 => &[20403],
        404 => &[20404],
        405 => &[20004],
        413 => &[20001],
        _ => &[],
    }
}

/// One account as an answer shows it (JSON or XML).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AccountView {
    pub sid: String,
    pub friendly_name: String,
    pub status: String,
    pub auth_token: String,
    /// JSON only.
    pub owner: Option<String>,
}

/// A reply whose shape was checked.
#[derive(Debug)]
pub(crate) enum Answer {
    Account(AccountView),
    List { accounts: Vec<AccountView>, total: u64 },
    Error { status: u16, code: u64, message: String },
}

impl Answer {
    pub fn status_and_code(&self) -> (u16, u64) {
        match self {
            Self::Account(_) | Self::List { .. } => (200, 0),
            Self::Error { status, code, .. } => (*status, *code),
        }
    }
}

const ACCOUNT_KEYS: [&str; 10] = [
    "auth_token",
    "date_created",
    "date_updated",
    "friendly_name",
    "owner_account_sid",
    "sid",
    "status",
    "subresource_uris",
    "type",
    "uri",
];
const LIST_KEYS: [&str; 12] = [
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

fn keys(value: &serde_json::Value) -> Vec<&str> {
    let mut keys: Vec<&str> =
        value.as_object().map(|object| object.keys().map(String::as_str).collect()).unwrap_or_default();
    keys.sort_unstable();
    keys
}

fn json_account(value: &serde_json::Value) -> Result<AccountView, TestCaseError> {
    prop_assert_eq!(keys(value), ACCOUNT_KEYS.to_vec(), "account {}", value);
    let text = |key: &str| {
        value[key].as_str().map(str::to_owned).ok_or_else(|| fail(format!("{key} is not a string in {value}")))
    };
    Ok(AccountView {
        sid: text("sid")?,
        friendly_name: text("friendly_name")?,
        status: text("status")?,
        auth_token: text("auth_token")?,
        owner: Some(text("owner_account_sid")?),
    })
}

fn xml_accounts(xml: &Xml, at: &str) -> Result<Vec<AccountView>, TestCaseError> {
    let field = |name: &str| xml.all(&format!("{at}/{name}"));
    let (sids, names, statuses, tokens) = (field("Sid"), field("FriendlyName"), field("Status"), field("AuthToken"));
    let count = xml.count(at);
    for list in [&sids, &names, &statuses, &tokens] {
        prop_assert_eq!(list.len(), count, "{} fields in {:?}", at, xml);
    }
    Ok((0..count)
        .map(|i| AccountView {
            sid: sids[i].to_owned(),
            friendly_name: names[i].to_owned(),
            status: statuses[i].to_owned(),
            auth_token: tokens[i].to_owned(),
            owner: None,
        })
        .collect())
}

/// Checks that a reply is a Twilio-shaped answer in the format its path asks for, with an
/// allowed status, a body that parses, the headers its status needs and tokens shown only at
/// creation; returns what it says.
pub(crate) fn check_answer(reply: &Reply, path: &str) -> Result<Answer, TestCaseError> {
    let status = reply.status.as_u16();
    prop_assert!(ALLOWED_STATUSES.contains(&status), "status {} for {}: {}", status, path, reply.body);
    let json = path.ends_with(".json");
    prop_assert_eq!(
        reply.header("content-type"),
        if json { "application/json" } else { "application/xml" },
        "content type for {}",
        path
    );
    if status == 401 {
        prop_assert_eq!(reply.header("www-authenticate"), "Basic realm=\"Twilio API\"");
    }
    if status == 405 {
        prop_assert!(
            ["GET, POST", "GET, POST, PUT"].contains(&reply.header("allow")),
            "Allow: {}",
            reply.header("allow")
        );
    }
    let answer = if json {
        let value: serde_json::Value =
            serde_json::from_str(&reply.body).map_err(|e| fail(format!("not JSON ({e}): {}", reply.body)))?;
        if status >= 400 {
            prop_assert_eq!(keys(&value), vec!["code", "message", "more_info", "status"], "error body {}", reply.body);
            let code = value["code"].as_u64().ok_or_else(|| fail(format!("code: {}", reply.body)))?;
            prop_assert_eq!(value["status"].as_u64(), Some(u64::from(status)));
            let more_info = format!("https://www.twilio.com/docs/errors/{code}");
            prop_assert_eq!(value["more_info"].as_str(), Some(more_info.as_str()));
            let message = value["message"].as_str().ok_or_else(|| fail(format!("message: {}", reply.body)))?;
            Answer::Error { status, code, message: message.to_owned() }
        } else if value.get("accounts").is_some() {
            prop_assert_eq!(keys(&value), LIST_KEYS.to_vec(), "list body {}", reply.body);
            let accounts = value["accounts"]
                .as_array()
                .ok_or_else(|| fail("accounts is not an array"))?
                .iter()
                .map(json_account)
                .collect::<Result<Vec<_>, _>>()?;
            let total = value["total"].as_u64().ok_or_else(|| fail("total is not a number"))?;
            Answer::List { accounts, total }
        } else {
            Answer::Account(json_account(&value)?)
        }
    } else {
        let xml = parse_xml(&reply.body).map_err(|e| fail(format!("bad XML for {path} ({e}): {:?}", reply.body)))?;
        prop_assert_eq!(xml.elements.first().map(String::as_str), Some("TwilioResponse"));
        if status >= 400 {
            let text = |name: &str| {
                xml.get(&format!("TwilioResponse/RestException/{name}"))
                    .map(str::to_owned)
                    .ok_or_else(|| fail(format!("no {name} in {}", reply.body)))
            };
            let code: u64 = text("Code")?.parse().map_err(|_| fail(format!("Code: {}", reply.body)))?;
            prop_assert_eq!(text("Status")?, status.to_string());
            prop_assert_eq!(text("MoreInfo")?, format!("https://www.twilio.com/docs/errors/{code}"));
            Answer::Error { status, code, message: text("Message")? }
        } else if xml.count("TwilioResponse/Accounts") == 1 {
            let accounts = xml_accounts(&xml, "TwilioResponse/Accounts/Account")?;
            let total = xml
                .get("TwilioResponse/Accounts@total")
                .and_then(|t| t.parse().ok())
                .ok_or_else(|| fail(format!("total: {}", reply.body)))?;
            Answer::List { accounts, total }
        } else {
            let mut accounts = xml_accounts(&xml, "TwilioResponse/Account")?;
            prop_assert_eq!(accounts.len(), 1, "one account in {}", reply.body);
            Answer::Account(accounts.remove(0))
        }
    };
    match &answer {
        Answer::Error { code, .. } => {
            prop_assert!(codes_for(status).contains(code), "code {} with status {}", code, status);
        }
        Answer::Account(account) => {
            prop_assert!(matches!(status, 200 | 201), "status {}", status);
            if status == 201 {
                prop_assert!(
                    account.auth_token.len() == 32
                        && account.auth_token.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
                    "minted token {:?}",
                    account.auth_token
                );
            } else {
                prop_assert_eq!(account.auth_token.as_str(), "redacted");
            }
        }
        Answer::List { accounts, .. } => {
            prop_assert_eq!(status, 200);
            for account in accounts {
                prop_assert_eq!(account.auth_token.as_str(), "redacted");
            }
        }
    }
    Ok(answer)
}

/// Every SID in the body is one the caller may see, one the request itself named, or (in a 201)
/// the new account's, which must be none of the known ones.
pub(super) fn check_no_leak(reply: &Reply, visible: &[&str], known: &[&str], request: &str) -> TestCaseResult {
    for sid in sids_in(&reply.body) {
        let fine = visible.contains(&sid.as_str())
            || request.contains(&sid)
            || (reply.status.as_u16() == 201 && !known.contains(&sid.as_str()));
        prop_assert!(fine, "leaked {} to a caller who may not see it: {}", sid, reply.body);
    }
    Ok(())
}

pub(super) fn expect_error(answer: &Answer, status: u16, code: u64, what: &str) -> TestCaseResult {
    prop_assert_eq!(answer.status_and_code(), (status, code), "{}: {:?}", what, answer);
    Ok(())
}
