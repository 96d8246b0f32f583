//! The credential cache: argon2 runs once per (SID, token), later requests compare a keyed digest.
use hmac::{Hmac, Mac};
use moka::sync::Cache;
use rand::RngCore;
use sha2::Sha256;
use std::sync::Arc;
use std::time::Duration;
use subtle::ConstantTimeEq;

pub type Digest = [u8; 32];

/// How long a failed verification is remembered: long enough to absorb a flood, short enough to forget.
const REJECTED_TTL: Duration = Duration::from_secs(60);

#[derive(Clone)]
struct Verified {
    digest: Digest,
    token_hash: Arc<str>,
}

/// Tokens never stay in memory: only an HMAC of them, under a key made at start and never stored.
pub struct CredentialCache {
    key: [u8; 32],
    verified: Cache<String, Verified>,
    rejected: Cache<(String, Digest), Arc<str>>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Cached {
    Accepted,
    Rejected,
    Unknown,
}

impl CredentialCache {
    pub fn new(capacity: u64) -> Self {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        Self {
            key,
            verified: Cache::new(capacity),
            // A separate cache, so wrong tokens can never evict good entries.
            rejected: Cache::builder().max_capacity(capacity).time_to_live(REJECTED_TTL).build(),
        }
    }

    pub fn digest(&self, token: &str) -> Digest {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(token.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// What an earlier verification of this token against this stored hash concluded, if anything.
    pub fn lookup(&self, sid: &str, digest: &Digest, token_hash: &str) -> Cached {
        if let Some(entry) = self.verified.get(sid) {
            if bool::from(entry.digest.ct_eq(digest)) && *entry.token_hash == *token_hash {
                return Cached::Accepted;
            }
        }
        match self.rejected.get(&(sid.to_owned(), *digest)) {
            Some(against) if *against == *token_hash => Cached::Rejected,
            _ => Cached::Unknown,
        }
    }

    pub fn accept(&self, sid: &str, digest: Digest, token_hash: &str) {
        self.verified.insert(sid.to_owned(), Verified { digest, token_hash: token_hash.into() });
    }

    pub fn reject(&self, sid: &str, digest: Digest, token_hash: &str) {
        self.rejected.insert((sid.to_owned(), digest), token_hash.into());
    }
}

#[cfg(test)]
mod tests {
    use super::{Cached, CredentialCache};

    #[test]
    fn accepts_only_the_same_token_against_the_same_hash() {
        let cache = CredentialCache::new(100);
        let good = cache.digest("token");
        cache.accept("AC1", good, "$argon2id$h1");
        assert_eq!(cache.lookup("AC1", &good, "$argon2id$h1"), Cached::Accepted);
        assert_eq!(cache.lookup("AC1", &cache.digest("other"), "$argon2id$h1"), Cached::Unknown);
        assert_eq!(cache.lookup("AC1", &good, "$argon2id$h2"), Cached::Unknown, "token changed");
        assert_eq!(cache.lookup("AC2", &good, "$argon2id$h1"), Cached::Unknown);
    }

    #[test]
    fn rejections_do_not_evict_acceptances() {
        let cache = CredentialCache::new(10);
        let good = cache.digest("token");
        cache.accept("AC1", good, "h");
        for n in 0..1000 {
            cache.reject("AC1", cache.digest(&format!("wrong{n}")), "h");
        }
        assert_eq!(cache.lookup("AC1", &good, "h"), Cached::Accepted);
        let bad = cache.digest("wrong");
        cache.reject("AC1", bad, "h");
        assert_eq!(cache.lookup("AC1", &bad, "h"), Cached::Rejected);
        assert_eq!(cache.lookup("AC1", &bad, "new-hash"), Cached::Unknown);
    }

    #[test]
    fn the_digest_is_keyed_per_process() {
        assert_ne!(CredentialCache::new(1).digest("t"), CredentialCache::new(1).digest("t"));
    }
}
