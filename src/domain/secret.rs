//! `Secret`: a plaintext credential (an AuthToken or an API key's secret), kept out of `Debug`
//! output and logs. Stored only as argon2id hashes; the plaintext is shown once, when minted.
use rand::distributions::{Alphanumeric, DistString};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};

#[derive(Clone)]
pub struct Secret(SecretString);

/// An account's AuthToken.
pub type AuthToken = Secret;

impl Secret {
    /// Secrets an operator supplies: printable ASCII without spaces, 1..=128 bytes.
    pub fn parse(raw: &str) -> Option<Self> {
        let ok = !raw.is_empty() && raw.len() <= 128 && raw.bytes().all(|b| b.is_ascii_graphic());
        ok.then(|| Self(SecretString::from(raw.to_owned())))
    }

    /// An AuthToken: 32 lowercase hex characters from the OS random source, like Twilio's.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(SecretString::from(hex::encode(bytes)))
    }

    /// An API key's secret: 32 characters of `[A-Za-z0-9]` from the OS random source.
    pub fn generate_key_secret() -> Self {
        Self(SecretString::from(Alphanumeric.sample_string(&mut rand::rngs::OsRng, 32)))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret([REDACTED])")
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn generated_tokens_are_32_lowercase_hex() {
        let token = Secret::generate();
        assert_eq!(token.expose().len(), 32);
        assert!(token.expose().bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        assert_eq!(format!("{token:?}"), "Secret([REDACTED])");
    }

    #[test]
    fn generated_key_secrets_are_32_alphanumerics_and_differ() {
        let secret = Secret::generate_key_secret();
        assert_eq!(secret.expose().len(), 32);
        assert!(secret.expose().bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(secret.expose(), Secret::generate_key_secret().expose());
    }
}
