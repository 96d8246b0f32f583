//! A strict XML parser for answers: well-formed XML 1.0 or an error, read into element paths and texts.

const XML_DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

/// XML 1.0's `Char` production.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// A well-formed XML document: the paths of its elements, and its texts and attributes
/// as `(element path, text)` and `(path@attribute, value)`.
#[derive(Debug, Default)]
pub(super) struct Xml {
    pub elements: Vec<String>,
    pub entries: Vec<(String, String)>,
}

impl Xml {
    /// The first text or attribute at this path.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.entries.iter().find(|(key, _)| key == path).map(|(_, value)| value.as_str())
    }

    /// Every text or attribute at this path, in document order.
    pub fn all(&self, path: &str) -> Vec<&str> {
        self.entries.iter().filter(|(key, _)| key == path).map(|(_, value)| value.as_str()).collect()
    }

    /// How many elements at this path.
    pub fn count(&self, path: &str) -> usize {
        self.elements.iter().filter(|key| *key == path).count()
    }
}

/// Parses an XML body strictly: declaration first, only XML 1.0 characters, one root,
/// matching end tags, valid entities and attributes.
pub(super) fn parse_xml(body: &str) -> Result<Xml, String> {
    use quick_xml::events::{BytesStart, Event};
    fn open(start: &BytesStart, stack: &mut Vec<String>, xml: &mut Xml) -> Result<(), String> {
        let name =
            String::from_utf8(start.name().as_ref().to_vec()).map_err(|_| "element name is not UTF-8".to_owned())?;
        if stack.is_empty() && !xml.elements.is_empty() {
            return Err("more than one root element".into());
        }
        stack.push(name);
        let path = stack.join("/");
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|e| format!("bad attribute: {e}"))?;
            let key = String::from_utf8(attribute.key.as_ref().to_vec())
                .map_err(|_| "attribute name is not UTF-8".to_owned())?;
            let value = attribute.unescape_value().map_err(|e| format!("bad attribute value: {e}"))?;
            xml.entries.push((format!("{path}@{key}"), value.into_owned()));
        }
        xml.elements.push(path);
        Ok(())
    }
    if !body.starts_with(XML_DECLARATION) {
        return Err("no XML declaration first".into());
    }
    if let Some(c) = body.chars().find(|c| !is_xml_char(*c)) {
        return Err(format!("U+{:04X} is not a character XML 1.0 may carry", c as u32));
    }
    let mut reader = quick_xml::Reader::from_str(body);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<String> = Vec::new();
    let mut xml = Xml::default();
    loop {
        match reader.read_event().map_err(|e| format!("not well-formed: {e}"))? {
            Event::Start(start) => open(&start, &mut stack, &mut xml)?,
            Event::Empty(start) => {
                open(&start, &mut stack, &mut xml)?;
                stack.pop();
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Text(text) => {
                let text = text.unescape().map_err(|e| format!("bad text: {e}"))?;
                if stack.is_empty() {
                    if !text.trim().is_empty() {
                        return Err("text outside the root element".into());
                    }
                } else {
                    xml.entries.push((stack.join("/"), text.into_owned()));
                }
            }
            Event::Decl(_) => {}
            Event::Eof => break,
            other => return Err(format!("unexpected XML event {other:?}")),
        }
    }
    if xml.elements.is_empty() || !stack.is_empty() {
        return Err(format!("no root element or {} unclosed elements", stack.len()));
    }
    Ok(xml)
}
