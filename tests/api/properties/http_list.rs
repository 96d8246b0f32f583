//! HTTP property: any query string on the list gets a Twilio answer that agrees with a model of filtering and paging.
use super::answers::{expect_error, Answer};
use super::oracles::{
    is_sid, reference_friendly_name, reference_number, reference_page_size, reference_pairs, reference_single,
    reference_status,
};
use super::server::{Caller, Server, LIST_PATHS};
use super::strategies::{encode_query, encoded};
use super::{check_property, fail};
use proptest::prelude::*;
use reqwest::Method;

/// What a list as `caller` must answer for this (decoded) query, from BEHAVIOUR.md, on a server
/// whose accounts never change: `Ok(sids, total)` or `Err((status, code))`.
fn expected_list(server: &Server, caller: Caller, query: &[u8]) -> Result<(Vec<String>, u64), (u16, u64)> {
    let bad = (400, 20001);
    let Some(pairs) = reference_pairs(query) else {
        return Err(bad);
    };
    let single = |name| reference_single(&pairs, name).map_err(|()| bad);
    let name = single("FriendlyName")?;
    let status = single("Status")?;
    let page = single("Page")?;
    let page_size = single("PageSize")?;
    let token = single("PageToken")?;
    if name.is_some_and(|n| !reference_friendly_name(n))
        || status.is_some_and(|s| !reference_status(s))
        || page.is_some_and(|p| reference_number(p).is_none())
        || page_size.is_some_and(|s| reference_page_size(s).is_none())
    {
        return Err(bad);
    }
    let page = u64::from(page.and_then(reference_number).unwrap_or(0));
    let size = page_size.and_then(reference_page_size).unwrap_or(50) as usize;
    // (sid, name, status) in list order: DateCreated, then Sid.
    let scope: Vec<(&str, &str, &str)> = match caller {
        Caller::Main => vec![(&server.main.sid, "Main", "active"), (&server.sub.sid, "Sub", "active")],
        Caller::Sub => vec![(&server.sub.sid, "Sub", "active")],
        _ => unreachable!("lists are sent by the main account or its subaccount"),
    };
    let matches = |row: &(&str, &str, &str)| name.is_none_or(|n| n == row.1) && status.is_none_or(|s| s == row.2);
    let filtered: Vec<(usize, &str)> =
        scope.iter().enumerate().filter(|(_, row)| matches(row)).map(|(at, row)| (at, row.0)).collect();
    let total = filtered.len() as u64;
    let page_rows: Vec<&str> = match token {
        None => {
            let start = page.saturating_mul(size as u64);
            filtered.iter().skip(usize::try_from(start).unwrap_or(usize::MAX)).take(size).map(|(_, sid)| *sid).collect()
        }
        Some(token) => {
            let bytes = token.as_bytes();
            let kind = bytes.get(..2);
            let position =
                token.get(2..).filter(|sid| is_sid(sid)).and_then(|sid| scope.iter().position(|row| row.0 == sid));
            match (kind, position) {
                (Some(b"PA"), Some(at)) => {
                    filtered.iter().filter(|(i, _)| *i > at).take(size).map(|(_, sid)| *sid).collect()
                }
                (Some(b"PB"), Some(at)) => {
                    let before: Vec<&str> = filtered.iter().filter(|(i, _)| *i < at).map(|(_, sid)| *sid).collect();
                    before[before.len().saturating_sub(size)..].to_vec()
                }
                _ => return Err((400, 21481)),
            }
        }
    };
    Ok((page_rows.into_iter().map(str::to_owned).collect(), total))
}

#[test]
fn any_list_query_gets_a_twilio_answer() {
    let server = Server::start();
    let values = prop_oneof![
        2 => any::<String>(),
        2 => prop::sample::select(vec!["Main", "Sub", "main", "", "Other", "active", "suspended", "closed", "Active", "0", "1", "2", "-1", "1000", "1001", "4294967296", "1e3", " 1"]).prop_map(str::to_owned),
        2 => "[0-9]{1,4}",
        2 => ("P[ABC]", prop::sample::select(server.sids())).prop_map(|(kind, sid)| format!("{kind}{sid}")),
        1 => ".{0,70}",
    ]
    .boxed();
    let queries =
        encoded(vec!["FriendlyName", "Status", "Page", "PageSize", "PageToken", "friendlyname", "pagesize"], values);
    check_property(
        "HTTP list query string",
        512,
        (
            queries,
            prop::sample::select(LIST_PATHS.to_vec()),
            prop::sample::select(vec![Caller::Main, Caller::Main, Caller::Sub]),
        ),
        |(query, path, caller)| {
            let full = format!("{path}?{}", encode_query(&query.bytes()));
            let url = server.url(&full)?;
            let sent = url.query().unwrap_or("").to_owned();
            let reply = server.execute(server.request(Method::GET, &full, caller));
            let answer = server.check(&reply, url.path(), &server.visible(caller), &sent)?;
            match (expected_list(&server, caller, sent.as_bytes()), &answer) {
                (Ok((sids, total)), Answer::List { accounts, total: got }) => {
                    let got_sids: Vec<&str> = accounts.iter().map(|a| a.sid.as_str()).collect();
                    prop_assert_eq!(got_sids, sids, "page for ?{}", sent);
                    prop_assert_eq!(*got, total, "total for ?{}", sent);
                }
                (Err((status, code)), answer) => {
                    expect_error(answer, status, code, &format!("?{sent}"))?;
                }
                (Ok(_), answer) => return Err(fail(format!("?{sent}: expected a list, got {answer:?}"))),
            }
            Ok(())
        },
    );
}
