//! The RestException body of every error.
use super::xml::XmlDoc;
use super::Format;
use crate::error::ApiError;
use serde::Serialize;

#[derive(Serialize)]
struct JsonError<'a> {
    code: u32,
    message: &'a str,
    more_info: &'a str,
    status: u16,
}

pub fn render(error: &ApiError, format: Format) -> Vec<u8> {
    let code = error.code();
    let message = error.to_string();
    let more_info = format!("https://www.twilio.com/docs/errors/{code}");
    let status = error.status().as_u16();
    match format {
        Format::Json => serde_json::to_vec(&JsonError { code, message: &message, more_info: &more_info, status })
            .expect("serialize error"),
        Format::Xml => {
            let mut doc = XmlDoc::new();
            doc.open("RestException");
            doc.element("Code", &code.to_string());
            doc.element("Message", &message);
            doc.element("MoreInfo", &more_info);
            doc.element("Status", &status.to_string());
            doc.close("RestException");
            doc.finish()
        }
    }
}
