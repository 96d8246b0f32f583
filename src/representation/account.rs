//! One account as `<Account>` or as a JSON object.
use super::xml::XmlDoc;
use super::{Representation, API_PREFIX};
use crate::domain::{Account, AuthToken, Timestamp};
use chrono::format::{Item, StrftimeItems};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::sync::LazyLock;

/// The ten subresources every account lists: XML element name, JSON key, path segment.
const SUBRESOURCES: [(&str, &str, &str); 10] = [
    ("AvailablePhoneNumbers", "available_phone_numbers", "AvailablePhoneNumbers"),
    ("Calls", "calls", "Calls"),
    ("Conferences", "conferences", "Conferences"),
    ("IncomingPhoneNumbers", "incoming_phone_numbers", "IncomingPhoneNumbers"),
    ("Notifications", "notifications", "Notifications"),
    ("OutgoingCallerIds", "outgoing_caller_ids", "OutgoingCallerIds"),
    ("Recordings", "recordings", "Recordings"),
    ("Sandbox", "sandbox", "Sandbox"),
    ("SMSMessages", "sms_messages", "SMS/Messages"),
    ("Transcriptions", "transcriptions", "Transcriptions"),
];

/// The token is shown once, in the answer that minted it; every other answer says `redacted`.
#[derive(Clone, Copy)]
pub enum TokenView<'a> {
    Redacted,
    Plain(&'a AuthToken),
}

impl<'a> TokenView<'a> {
    fn as_str(self) -> &'a str {
        match self {
            Self::Redacted => "redacted",
            Self::Plain(token) => token.expose(),
        }
    }
}

/// RFC 2822 in GMT, as Twilio writes every date: `Wed, 04 Aug 2010 21:37:41 +0000`.
pub fn rfc2822(at: &Timestamp) -> String {
    // Parsed once: every account in every answer has two dates.
    static FORMAT: LazyLock<Vec<Item<'static>>> =
        LazyLock::new(|| StrftimeItems::new("%a, %d %b %Y %H:%M:%S +0000").parse_to_owned().expect("a valid format"));
    at.format_with_items(FORMAT.iter()).to_string()
}

pub fn instance_path(sid: &str) -> String {
    format!("{API_PREFIX}/Accounts/{sid}")
}

/// An account as one answer shows it: its token in plaintext only in the answer that minted it.
#[derive(Clone, Copy)]
pub struct AccountView<'a> {
    pub account: &'a Account,
    pub token: TokenView<'a>,
}

impl<'a> AccountView<'a> {
    pub fn redacted(account: &'a Account) -> Self {
        Self { account, token: TokenView::Redacted }
    }
}

impl Representation for AccountView<'_> {
    type Json<'j>
        = JsonAccount<'j>
    where
        Self: 'j;

    fn write_xml(&self, doc: &mut XmlDoc) {
        let (account, token) = (self.account, self.token);
        let base = instance_path(account.sid.as_str());
        doc.open("Account");
        doc.element("Sid", account.sid.as_str());
        doc.element("FriendlyName", account.friendly_name.as_str());
        doc.element("Type", account.account_type.as_str());
        doc.element("Status", account.status.as_str());
        doc.element("DateCreated", &rfc2822(&account.date_created));
        doc.element("DateUpdated", &rfc2822(&account.date_updated));
        doc.element("AuthToken", token.as_str());
        doc.element("Uri", &base);
        doc.open("SubresourceUris");
        for (element, _, segment) in SUBRESOURCES {
            doc.element(element, &format!("{base}/{segment}"));
        }
        doc.close("SubresourceUris");
        doc.close("Account");
    }

    fn to_json(&self) -> JsonAccount<'_> {
        JsonAccount::new(self.account, self.token)
    }
}

#[derive(Serialize)]
pub struct JsonAccount<'a> {
    sid: &'a str,
    friendly_name: &'a str,
    #[serde(rename = "type")]
    account_type: &'a str,
    status: &'a str,
    date_created: String,
    date_updated: String,
    auth_token: &'a str,
    uri: String,
    subresource_uris: JsonSubresources,
    owner_account_sid: &'a str,
}

impl<'a> JsonAccount<'a> {
    fn new(account: &'a Account, token: TokenView<'a>) -> Self {
        let base = instance_path(account.sid.as_str());
        Self {
            sid: account.sid.as_str(),
            friendly_name: account.friendly_name.as_str(),
            account_type: account.account_type.as_str(),
            status: account.status.as_str(),
            date_created: rfc2822(&account.date_created),
            date_updated: rfc2822(&account.date_updated),
            auth_token: token.as_str(),
            uri: format!("{base}.json"),
            subresource_uris: JsonSubresources(base),
            owner_account_sid: account.owner.as_str(),
        }
    }
}

/// Serialized as a map so the keys keep Twilio's order.
pub struct JsonSubresources(String);

impl Serialize for JsonSubresources {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(SUBRESOURCES.len()))?;
        for (_, key, segment) in SUBRESOURCES {
            map.serialize_entry(key, &format!("{}/{segment}.json", self.0))?;
        }
        map.end()
    }
}
