//! A thin layer over quick-xml that writes Twilio's compact XML.
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

pub struct XmlDoc {
    writer: Writer<Vec<u8>>,
}

impl Default for XmlDoc {
    fn default() -> Self {
        Self::new()
    }
}

impl XmlDoc {
    /// Starts a document with the declaration and the `<TwilioResponse>` root.
    pub fn new() -> Self {
        let mut doc = Self { writer: Writer::new(Vec::with_capacity(2048)) };
        doc.write(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        doc.open("TwilioResponse");
        doc
    }

    pub fn open(&mut self, name: &str) {
        self.write(Event::Start(BytesStart::new(name)));
    }

    pub fn open_with(&mut self, name: &str, attributes: &[(&str, &str)]) {
        let start = BytesStart::new(name).with_attributes(attributes.iter().copied());
        self.write(Event::Start(start));
    }

    pub fn close(&mut self, name: &str) {
        self.write(Event::End(BytesEnd::new(name)));
    }

    /// `<name>text</name>`; only `<`, `>` and `&` are escaped in text, as Twilio does.
    pub fn element(&mut self, name: &str, text: &str) {
        self.open(name);
        self.write(Event::Text(BytesText::from_escaped(partial_escape(text))));
        self.close(name);
    }

    pub fn finish(mut self) -> Vec<u8> {
        self.close("TwilioResponse");
        self.writer.into_inner()
    }

    fn write(&mut self, event: Event<'_>) {
        // Writing into a Vec cannot fail.
        self.writer.write_event(event).expect("write to Vec<u8>");
    }
}
