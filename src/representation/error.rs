//! The RestException body of every error.
use super::xml::XmlDoc;
use super::Format;
use serde::Serialize;

#[derive(Serialize)]
struct JsonError<'a> {
    code: u32,
    message: &'a str,
    more_info: &'a str,
    status: u16,
}

/// `code` is Twilio's error code, `status` the HTTP status.
pub fn render(code: u32, message: &str, status: u16, format: Format) -> Vec<u8> {
    let more_info = format!("https://www.twilio.com/docs/errors/{code}");
    match format {
        Format::Json => {
            serde_json::to_vec(&JsonError { code, message, more_info: &more_info, status }).expect("serialize error")
        }
        Format::Xml => {
            let mut doc = XmlDoc::new();
            doc.open("RestException");
            doc.element("Code", &code.to_string());
            doc.element("Message", message);
            doc.element("MoreInfo", &more_info);
            doc.element("Status", &status.to_string());
            doc.close("RestException");
            doc.finish()
        }
    }
}
