//! Twilio's XML and JSON bodies: handlers hand over domain values, this module writes the bytes.
pub mod account;
pub mod balance;
pub mod control;
pub mod error;
pub mod key;
pub mod list;
mod xml;

pub use xml::XmlDoc;

use serde::Serialize;

pub const API_PREFIX: &str = "/2010-04-01";
/// Everything the emulator adds to Twilio's API lives under here (CONTROL.md).
pub const CONTROL_PREFIX: &str = "/_emulator/";
/// The control plane's API (CONTROL.md).
pub const CONTROL_API_PREFIX: &str = "/_emulator/v1/";

/// The body format a path asks for: `.json` gives JSON, none or `.xml` gives XML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xml,
    Json,
}

impl Format {
    /// Chooses from the path as requested: the control plane speaks JSON only; on the Twilio API
    /// anything but a `.json` ending answers in XML.
    pub fn of_path(path: &str) -> Self {
        if path.ends_with(".json") || path.starts_with(CONTROL_PREFIX) {
            Self::Json
        } else {
            Self::Xml
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Xml => "application/xml",
            Self::Json => "application/json",
        }
    }

    /// What URIs inside a body end with: `.json` in JSON, nothing in XML (even for `.xml` requests).
    pub fn uri_suffix(self) -> &'static str {
        match self {
            Self::Xml => "",
            Self::Json => ".json",
        }
    }
}

/// One resource's two renderings: an XML element and a JSON object.
pub trait Representation {
    type Json<'a>: Serialize
    where
        Self: 'a;

    fn write_xml(&self, doc: &mut XmlDoc);
    fn to_json(&self) -> Self::Json<'_>;
}

/// A single resource as a whole body.
pub fn render<R: Representation>(item: &R, format: Format) -> Vec<u8> {
    match format {
        Format::Json => serde_json::to_vec(&item.to_json()).expect("a representation serializes"),
        Format::Xml => {
            let mut doc = XmlDoc::new();
            item.write_xml(&mut doc);
            doc.finish()
        }
    }
}
