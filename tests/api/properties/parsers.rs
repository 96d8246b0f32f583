//! Pure properties of the edge parsers against their oracles: form parameters, SIDs, page cursors, numbers, names.
use super::oracles::{
    has_bad_escape, is_sid, reference_friendly_name, reference_number, reference_page_size, reference_pairs,
    reference_single,
};
use super::strategies::{encode_pairs, form_bytes, near_sid};
use super::{check_property, fail};
use proptest::prelude::*;
use twilio_emulator::domain::{AccountKind, AccountSid, FriendlyName};

type PageCursor = twilio_emulator::domain::PageCursor<AccountKind>;
type PageRequest = twilio_emulator::domain::PageRequest<AccountKind>;
use twilio_emulator::form::Params;

/// SID-shaped strings, valid or nearly, and anything at all.
fn sid_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "AC[0-9a-fA-F]{32}",
        "[ACac]{2}[0-9a-fA-FgG]{30,34}",
        near_sid(),
        "AC[0-9a-f]{32}[\\PC]{1,3}",
    ]
}

#[test]
fn params_parse_never_panics_and_agrees_with_strict_decoding() {
    check_property(
        "Params::parse(arbitrary bytes)",
        2048,
        prop_oneof![form_bytes(64), prop::collection::vec(any::<u8>(), 0..256)],
        |raw| {
            let parsed = Params::parse(&raw);
            let expected = reference_pairs(&raw);
            prop_assert_eq!(parsed.is_ok(), expected.is_some(), "input {:?}", raw);
            if has_bad_escape(&raw) {
                prop_assert!(parsed.is_err(), "a bad % escape was accepted: {:?}", raw);
            }
            if let (Ok(params), Some(pairs)) = (parsed, expected) {
                for (name, _) in &pairs {
                    match reference_single(&pairs, name) {
                        Ok(value) => prop_assert_eq!(params.single(name).ok(), Some(value)),
                        Err(()) => prop_assert!(params.single(name).is_err()),
                    }
                }
                prop_assert_eq!(params.single("\u{1}absent").ok(), Some(None));
            }
            Ok(())
        },
    );
}

#[test]
fn params_parse_refuses_every_percent_without_two_hex_digits() {
    // prefix + `%` + (nothing | one hex digit at the end | a non-hex byte within two) + suffix
    let tail = prop_oneof![
        Just(Vec::new()),
        prop::sample::select(b"0123456789abcdefABCDEF".to_vec()).prop_map(|h| vec![h]),
        (
            any::<u8>().prop_filter("not hex", |b| !b.is_ascii_hexdigit()),
            any::<bool>(),
            prop::sample::select(b"0123456789abcdef".to_vec()),
        )
            .prop_map(|(bad, second, hex)| if second { vec![hex, bad] } else { vec![bad] }),
    ];
    check_property(
        "Params::parse(bad % escape)",
        1024,
        (form_bytes(24), tail, form_bytes(24), any::<bool>()),
        |(prefix, tail, suffix, at_end)| {
            let mut raw = prefix;
            raw.push(b'%');
            let ends_here = tail.len() < 2 && at_end;
            raw.extend(&tail);
            if !ends_here && tail.len() == 2 {
                raw.extend(&suffix);
            } else if !ends_here {
                // `%` then at most one hex digit, then something that is not a hex digit.
                raw.push(b'&');
                raw.extend(&suffix);
            }
            prop_assert!(has_bad_escape(&raw));
            prop_assert!(Params::parse(&raw).is_err(), "accepted {:?}", raw);
            Ok(())
        },
    );
}

#[test]
fn params_round_trip_through_both_client_encodings() {
    check_property(
        "Params round trip",
        1024,
        prop::collection::btree_map(any::<String>(), any::<String>(), 0..6),
        |map| {
            let pairs: Vec<(String, String)> = map.into_iter().collect();
            let plus = Params::parse(encode_pairs(&pairs, false).as_bytes())
                .map_err(|e| fail(format!("+ encoding refused: {e}")))?;
            let percent = Params::parse(encode_pairs(&pairs, true).as_bytes())
                .map_err(|e| fail(format!("%20 encoding refused: {e}")))?;
            prop_assert_eq!(&plus, &percent);
            for (name, value) in &pairs {
                prop_assert_eq!(plus.single(name).ok(), Some(Some(value.as_str())));
            }
            Ok(())
        },
    );
}

#[test]
fn account_sid_parse_accepts_exactly_ac_and_32_hex_digits() {
    check_property("AccountSid::parse", 2048, sid_like(), |raw| {
        let parsed = AccountSid::parse(&raw);
        prop_assert_eq!(parsed.is_some(), is_sid(&raw), "input {:?}", raw);
        if let Some(sid) = parsed {
            prop_assert_eq!(sid.as_str(), raw.as_str());
            prop_assert_eq!(sid.to_string(), raw);
        }
        Ok(())
    });
}

#[test]
fn page_cursor_parse_round_trips_its_token() {
    let tokens = prop_oneof![
        ("P[AB]", "AC[0-9a-fA-F]{32}").prop_map(|(kind, sid)| format!("{kind}{sid}")),
        ("[PpABC]{0,3}", sid_like()).prop_map(|(kind, sid)| format!("{kind}{sid}")),
        any::<String>(),
    ];
    check_property("PageCursor::parse", 2048, tokens, |raw| {
        let parsed = PageCursor::parse(&raw);
        let bytes = raw.as_bytes();
        let expected = bytes.len() == 36 && (bytes.starts_with(b"PA") || bytes.starts_with(b"PB")) && is_sid(&raw[2..]);
        prop_assert_eq!(parsed.is_ok(), expected, "input {:?}", raw);
        if let Ok(cursor) = parsed {
            prop_assert_eq!(cursor.token(), raw.clone());
            prop_assert_eq!(cursor.sid().as_str(), &raw[2..]);
            let after = matches!(cursor, PageCursor::After(_));
            prop_assert_eq!(after, raw.starts_with("PA"));
            prop_assert_eq!(PageCursor::parse(&cursor.token()), Ok(cursor));
        }
        Ok(())
    });
}

#[test]
fn page_numbers_are_plain_digits_that_fit() {
    let numbers = prop_oneof![
        any::<u32>().prop_map(|n| n.to_string()),
        (any::<u32>(), 0..4usize).prop_map(|(n, zeros)| format!("{}{n}", "0".repeat(zeros))),
        (0..=1001u32).prop_map(|n| n.to_string()),
        "[0-9]{0,25}",
        "[-+ 0-9.eE_x]{0,12}",
        any::<String>(),
    ];
    check_property("PageRequest::parse_number", 2048, numbers, |raw| {
        prop_assert_eq!(PageRequest::parse_number(&raw), reference_number(&raw), "input {:?}", raw);
        prop_assert_eq!(PageRequest::parse_page_size(&raw), reference_page_size(&raw), "input {:?}", raw);
        Ok(())
    });
}

#[test]
fn friendly_name_parse_counts_characters_and_refuses_controls() {
    let edge_chars = prop::collection::vec(
        prop::sample::select(vec!['a', ' ', 'é', '\u{1f}', '\u{7f}', '\u{80}', '\u{fffd}', '\u{fffe}', '\u{ffff}']),
        0..5,
    )
    .prop_map(|chars| chars.into_iter().collect::<String>());
    let names = prop_oneof![
        any::<String>(),
        ".{0,70}",
        "[\\x00-\\x7f]{0,4}",
        "[^\\x00-\\x1f]{60,68}",
        "\\PC{63,66}",
        edge_chars
    ];
    check_property("FriendlyName::parse", 2048, names, |raw| {
        let parsed = FriendlyName::parse(&raw);
        prop_assert_eq!(parsed.is_ok(), reference_friendly_name(&raw), "input {:?}", raw);
        if let Ok(name) = parsed {
            prop_assert_eq!(name.as_str(), raw.as_str());
        }
        Ok(())
    });
}
