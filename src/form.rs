//! Strict `application/x-www-form-urlencoded` decoding for bodies and query strings.
//!
//! `form_urlencoded` alone is lenient: it keeps `%zz` as text and replaces invalid UTF-8. Twilio
//! answers such input with 400 / 20001, so each pair is checked before the crate's rules apply.
use crate::error::ApiError;
use percent_encoding::percent_decode;

/// Decoded parameters in the order they came, repeats kept so that they can be refused.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(raw: &[u8]) -> Result<Self, ApiError> {
        let mut pairs = Vec::new();
        for piece in raw.split(|b| *b == b'&').filter(|piece| !piece.is_empty()) {
            let (name, value) = match piece.iter().position(|b| *b == b'=') {
                Some(at) => (&piece[..at], &piece[at + 1..]),
                None => (piece, &b""[..]),
            };
            pairs.push((decode(name)?, decode(value)?));
        }
        Ok(Self(pairs))
    }

    /// Every (name, value) pair in the order sent, repeats included.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(name, value)| (name.as_str(), value.as_str()))
    }

    /// The value of a parameter given at most once (names are case-sensitive).
    pub fn single(&self, name: &str) -> Result<Option<&str>, ApiError> {
        let mut values = self.0.iter().filter(|(key, _)| key == name);
        match (values.next(), values.next()) {
            (Some(_), Some(_)) => Err(ApiError::repeated(name)),
            (first, None) => Ok(first.map(|(_, value)| value.as_str())),
            (None, Some(_)) => unreachable!("a second value without a first"),
        }
    }
}

fn decode(raw: &[u8]) -> Result<String, ApiError> {
    let malformed = || ApiError::InvalidParameter("The request is not validly form-encoded UTF-8".to_owned());
    let mut spaced = raw.to_vec();
    for (i, byte) in raw.iter().enumerate() {
        match byte {
            b'+' => spaced[i] = b' ',
            b'%' => {
                let hex = raw.get(i + 1..i + 3).ok_or_else(malformed)?;
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return Err(malformed());
                }
            }
            _ => {}
        }
    }
    percent_decode(&spaced).decode_utf8().map(|text| text.into_owned()).map_err(|_| malformed())
}

#[cfg(test)]
mod tests {
    use super::Params;

    #[test]
    fn plus_and_percent_twenty_are_spaces() {
        let params = Params::parse(b"FriendlyName=a+b%20c&Other=%2B%26").unwrap();
        assert_eq!(params.single("FriendlyName").unwrap(), Some("a b c"));
        assert_eq!(params.single("Other").unwrap(), Some("+&"));
        assert_eq!(params.single("friendlyname").unwrap(), None);
    }

    #[test]
    fn names_without_values_are_empty_values() {
        let params = Params::parse(b"Page&&PageSize=").unwrap();
        assert_eq!(params.single("Page").unwrap(), Some(""));
        assert_eq!(params.single("PageSize").unwrap(), Some(""));
    }

    #[test]
    fn refuses_repeats_bad_escapes_and_bad_utf8() {
        assert!(Params::parse(b"Status=active&Status=closed").unwrap().single("Status").is_err());
        for raw in [&b"a=%zz"[..], b"a=%4", b"a=%", b"a=%ff", b"a=\xff", b"%C3=x"] {
            assert!(Params::parse(raw).is_err(), "{raw:?}");
        }
        assert_eq!(Params::parse("a=%C3%A9".as_bytes()).unwrap().single("a").unwrap(), Some("é"));
    }
}
