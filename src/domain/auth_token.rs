//! `AuthToken`: a plaintext token, kept out of `Debug` output and logs.
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};

#[derive(Clone)]
pub struct AuthToken(SecretString);

impl AuthToken {
    /// Tokens an operator supplies: printable ASCII without spaces, 1..=128 bytes.
    pub fn parse(raw: &str) -> Option<Self> {
        let ok = !raw.is_empty() && raw.len() <= 128 && raw.bytes().all(|b| b.is_ascii_graphic());
        ok.then(|| Self(SecretString::from(raw.to_owned())))
    }

    /// 32 lowercase hex characters from the OS random source, like Twilio's.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(SecretString::from(hex::encode(bytes)))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl std::fmt::Debug for AuthToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuthToken([REDACTED])")
    }
}

#[cfg(test)]
mod tests {
    use super::AuthToken;

    #[test]
    fn generated_tokens_are_32_lowercase_hex() {
        let token = AuthToken::generate();
        assert_eq!(token.expose().len(), 32);
        assert!(token.expose().bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        assert_eq!(format!("{token:?}"), "AuthToken([REDACTED])");
    }
}
