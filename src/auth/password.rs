//! argon2id hashing and verification of AuthTokens on a few dedicated threads.
//!
//! Each thread keeps its argon2 working memory (19 MiB at the default cost) and reuses it, so the
//! process does not grow an allocator arena per blocking thread; and the async executor never runs
//! argon2 itself. At most one computation per thread runs at a time; callers wait asynchronously.
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::rngs::OsRng;
use serde::Deserialize;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use subtle::ConstantTimeEq;
use tokio::sync::{oneshot, Semaphore};

/// argon2id cost settings; the defaults are the argon2 crate's (OWASP's minimum for argon2id).
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Argon2Settings {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for Argon2Settings {
    fn default() -> Self {
        Self {
            memory_kib: Params::DEFAULT_M_COST,
            iterations: Params::DEFAULT_T_COST,
            parallelism: Params::DEFAULT_P_COST,
        }
    }
}

type Job = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

#[derive(Clone)]
pub struct PasswordHashing {
    params: Params,
    jobs: Sender<Job>,
    /// One permit per worker thread: the queue never holds more than the workers can take.
    permits: Arc<Semaphore>,
}

impl PasswordHashing {
    pub fn new(settings: Argon2Settings) -> anyhow::Result<Self> {
        let params = Params::new(settings.memory_kib, settings.iterations, settings.parallelism, None)
            .map_err(|e| anyhow::anyhow!("invalid argon2 settings: {e}"))?;
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
        let (jobs, queue) = channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..workers {
            let queue = queue.clone();
            std::thread::Builder::new().name(format!("argon2-{n}")).spawn(move || work(&queue))?;
        }
        Ok(Self { params, jobs, permits: Arc::new(Semaphore::new(workers)) })
    }

    /// A PHC string for `token` at the configured cost.
    pub async fn hash(&self, token: &str) -> anyhow::Result<String> {
        let (token, params) = (token.to_owned(), self.params.clone());
        self.run(move |memory| hash(&token, params, memory)).await?
    }

    /// Whether `token` matches `phc` (at the cost the hash was made with); a hash that does not
    /// parse never matches. The comparison of the outputs is constant-time.
    pub async fn verify(&self, token: &str, phc: &str) -> anyhow::Result<bool> {
        let (token, phc) = (token.to_owned(), phc.to_owned());
        self.run(move |memory| verify(&token, &phc, memory).unwrap_or(false)).await
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let _permit = self.permits.acquire().await?;
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |memory| {
            let _ = answer.send(work(memory));
        });
        self.jobs.send(job).map_err(|_| anyhow::anyhow!("the argon2 threads have stopped"))?;
        Ok(answered.await?)
    }
}

/// A worker: takes jobs until every sender is gone, reusing one block buffer.
fn work(queue: &Mutex<Receiver<Job>>) {
    let mut memory = Vec::new();
    loop {
        let job = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => job(&mut memory),
            Err(_) => return,
        }
    }
}

fn blocks(memory: &mut Vec<Block>, params: &Params) -> usize {
    if memory.len() < params.block_count() {
        memory.resize(params.block_count(), Block::default());
    }
    params.block_count()
}

fn hash(token: &str, params: Params, memory: &mut Vec<Block>) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes).map_err(anyhow::Error::msg)?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    let count = blocks(memory, &params);
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    argon2
        .hash_password_into_with_memory(token.as_bytes(), salt_bytes, &mut out, &mut memory[..count])
        .map_err(anyhow::Error::msg)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(anyhow::Error::msg)?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(anyhow::Error::msg)?),
    };
    Ok(phc.to_string())
}

fn verify(token: &str, phc: &str, memory: &mut Vec<Block>) -> Option<bool> {
    let parsed = PasswordHash::new(phc).ok()?;
    let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
    let version = parsed.version.map(Version::try_from).transpose().ok()?.unwrap_or_default();
    let params = Params::try_from(&parsed).ok()?;
    let expected = parsed.hash?;
    let mut salt = [0u8; 64];
    let salt = parsed.salt?.decode_b64(&mut salt).ok()?;
    let mut out = vec![0u8; expected.len()];
    let count = blocks(memory, &params);
    let argon2 = Argon2::new(algorithm, version, params);
    argon2.hash_password_into_with_memory(token.as_bytes(), salt, &mut out, &mut memory[..count]).ok()?;
    Some(out.ct_eq(expected.as_bytes()).into())
}

#[cfg(test)]
mod tests {
    use super::{Argon2Settings, PasswordHashing};
    use argon2::password_hash::{PasswordHash, PasswordVerifier};

    fn cheap() -> PasswordHashing {
        PasswordHashing::new(Argon2Settings { memory_kib: 64, iterations: 1, parallelism: 1 }).unwrap()
    }

    #[tokio::test]
    async fn hashes_verify_and_wrong_tokens_do_not() {
        let hashing = cheap();
        let phc = hashing.hash("s3cret").await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{phc}");
        assert!(hashing.verify("s3cret", &phc).await.unwrap());
        assert!(!hashing.verify("s3cret ", &phc).await.unwrap());
        assert!(!hashing.verify("s3cret", "not a phc string").await.unwrap());
    }

    #[tokio::test]
    async fn agrees_with_the_argon2_crate_both_ways() {
        let hashing = cheap();
        let ours = hashing.hash("token").await.unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(argon2::Argon2::default().verify_password(b"token", &parsed).is_ok());
        // A hash made elsewhere, at another cost, verifies at its own cost.
        let theirs = PasswordHashing::new(Argon2Settings { memory_kib: 256, iterations: 2, parallelism: 1 })
            .unwrap()
            .hash("token")
            .await
            .unwrap();
        assert!(hashing.verify("token", &theirs).await.unwrap());
    }
}
