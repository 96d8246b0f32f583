//! Twilio's XML and JSON bodies: handlers hand over domain values, this module writes the bytes.
pub mod account;
pub mod error;
pub mod list;
mod xml;

pub const API_PREFIX: &str = "/2010-04-01";

/// The body format a path asks for: `.json` gives JSON, none or `.xml` gives XML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xml,
    Json,
}

impl Format {
    /// Chooses from the path as requested; anything but a `.json` ending answers in XML.
    pub fn of_path(path: &str) -> Self {
        if path.ends_with(".json") {
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
