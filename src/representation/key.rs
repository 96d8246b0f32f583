//! One API key as `<Key>` or as a JSON object; its secret only in the answer that minted it.
use super::account::rfc2822;
use super::xml::XmlDoc;
use super::Representation;
use crate::domain::{Key, Secret};
use serde::Serialize;

#[derive(Clone, Copy)]
pub struct KeyView<'a> {
    pub key: &'a Key,
    /// Shown in the 201 of a create, never again.
    pub secret: Option<&'a Secret>,
}

impl<'a> KeyView<'a> {
    pub fn new(key: &'a Key) -> Self {
        Self { key, secret: None }
    }

    /// The JSON object, borrowing the key rather than this view.
    pub fn json(self) -> JsonKey<'a> {
        JsonKey {
            sid: self.key.sid.as_str(),
            friendly_name: self.key.friendly_name.as_ref().map(|name| name.as_str()),
            date_created: rfc2822(&self.key.date_created),
            date_updated: rfc2822(&self.key.date_updated),
            secret: self.secret.map(Secret::expose),
        }
    }
}

#[derive(Serialize)]
pub struct JsonKey<'a> {
    sid: &'a str,
    friendly_name: Option<&'a str>,
    date_created: String,
    date_updated: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<&'a str>,
}

impl Representation for KeyView<'_> {
    type Json<'j>
        = JsonKey<'j>
    where
        Self: 'j;

    fn write_xml(&self, doc: &mut XmlDoc) {
        let key = self.key;
        doc.open("Key");
        doc.element("Sid", key.sid.as_str());
        doc.element("FriendlyName", key.friendly_name.as_ref().map_or("", |name| name.as_str()));
        doc.element("DateCreated", &rfc2822(&key.date_created));
        doc.element("DateUpdated", &rfc2822(&key.date_updated));
        if let Some(secret) = self.secret {
            doc.element("Secret", secret.expose());
        }
        doc.close("Key");
    }

    fn to_json(&self) -> JsonKey<'_> {
        self.json()
    }
}
