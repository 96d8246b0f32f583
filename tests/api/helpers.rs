//! Test support: a real server on port 0 with a fresh database per test, on SQLite and on Postgres.
use regex::Regex;
use reqwest::{Method, StatusCode};
use std::collections::HashMap;
use std::sync::LazyLock;
use twilio_emulator::auth::PasswordHashing;
use twilio_emulator::config::{Overrides, Settings};
use twilio_emulator::domain::{AccountSid, AccountType, AuthToken, FriendlyName, KeySid, KeyType, Secret};
use twilio_emulator::startup::Application;
use twilio_emulator::storage::{NewKey, Opening, SharedStore};
use twilio_emulator::tenants::{self, MainAccountRequest};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each named `async fn name(backend: Backend)` once per backend, as `sqlite::name` and `postgres::name`.
/// The `postgres::` ones are built as ignored when `TEST_DATABASE_URL` was not set (`build.rs`), so a run
/// without Postgres reports them as `ignored`, never as passed. A test outside this macro that needs
/// Postgres carries the same `cfg_attr` line.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::helpers::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[cfg_attr(not(postgres_tests), ignore = "TEST_DATABASE_URL is not set: Postgres not tested")]
                async fn $name() {
                    super::$name($crate::helpers::Backend::Postgres).await
                }
            )*
        }
    };
}

/// The `postgres::` tests are built to run exactly when `TEST_DATABASE_URL` is set (a test binary run by
/// hand with another environment than it was built with would skip or fail them), and
/// `TEST_REQUIRE_POSTGRES=1` fails here when it is not, as ignored tests cannot fail.
#[test]
fn postgres_tests_are_built_for_the_environment_they_run_in() {
    assert_eq!(
        cfg!(postgres_tests),
        postgres_server().is_some(),
        "TEST_DATABASE_URL differs from the build's: run the tests with cargo test"
    );
}

/// Compares a body with its snapshot in tests/api/snapshots, one file for both backends.
#[macro_export]
macro_rules! assert_body {
    ($name:expr, $body:expr) => {
        let body = $body;
        insta::with_settings!({snapshot_path => "snapshots", prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!($name, body)
        })
    };
}

/// The Postgres server for tests (`TEST_DATABASE_URL`), or `None` to run SQLite alone.
/// With `TEST_REQUIRE_POSTGRES=1` (as `.ci/run` sets) a missing URL fails the test instead.
pub fn postgres_server() -> Option<String> {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("TEST_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") => {
            panic!("TEST_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
        }
        _ => None,
    }
}

/// A database nobody else uses: a UUID-named Postgres database or a SQLite file in a temp dir.
/// Both are removed when the owner is dropped, also when its test fails.
pub struct TestDatabase {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    /// The Postgres server's admin URL and the database's name, when this value owns one.
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    pub async fn create(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("emulator.db").display());
                Self { url, _dir: Some(dir), postgres: None }
            }
            Backend::Postgres => {
                let server = postgres_server().expect("TEST_DATABASE_URL");
                let name = format!("twemu_test_{}", uuid::Uuid::new_v4().simple());
                let mut admin = url::Url::parse(&server).expect("TEST_DATABASE_URL is a URL");
                let pool = sqlx::PgPool::connect(admin.as_str()).await.expect("connect to TEST_DATABASE_URL");
                sqlx::query(&format!("CREATE DATABASE {name}")).execute(&pool).await.expect("create database");
                pool.close().await;
                let owner = Some((server, name.clone()));
                admin.set_path(&name);
                Self { url: admin.to_string(), _dir: None, postgres: owner }
            }
        }
    }

    /// The same database for a second server; the original still owns it.
    pub fn twin(&self) -> Self {
        Self { url: self.url.clone(), _dir: None, postgres: None }
    }

    /// The same database reached through another URL (a proxy); ownership moves along.
    pub fn reached_at(mut self, url: String) -> Self {
        Self { url, _dir: self._dir.take(), postgres: self.postgres.take() }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((server, name)) = self.postgres.take() else { return };
        // Its own thread and runtime: drop runs inside the test's runtime, which cannot block on
        // itself. FORCE ends the connections the test's servers still hold.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            runtime.block_on(async {
                let pool = sqlx::PgPool::connect(&server).await?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&pool).await?;
                pool.close().await;
                Ok::<_, sqlx::Error>(())
            })
        })
        .join();
        if let Ok(Err(error)) = dropped {
            eprintln!("test database not dropped: {error}");
        }
    }
}

pub struct TestApp {
    pub address: String,
    pub store: SharedStore,
    /// What the server's settings give a new main account.
    pub opening: Opening,
    /// Held so a SQLite temp dir lives as long as the server.
    _database: TestDatabase,
    client: reqwest::Client,
}

#[derive(Debug, Clone)]
pub struct Creds {
    pub sid: String,
    pub token: String,
}

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", |v| v.to_str().unwrap())
    }

    /// Asserts a Twilio error: status, code, and the body shape of the format.
    pub fn assert_error(&self, status: u16, code: u32) {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.body);
        if self.header("content-type") == "application/json" {
            let json = self.json();
            assert_eq!(json["code"], code, "body: {}", self.body);
            assert_eq!(json["status"], status);
            assert_eq!(json["more_info"], format!("https://www.twilio.com/docs/errors/{code}"));
        } else {
            assert_eq!(self.header("content-type"), "application/xml");
            assert!(self.body.contains(&format!("<RestException><Code>{code}</Code>")), "body: {}", self.body);
            assert!(self.body.contains(&format!("<Status>{status}</Status></RestException>")));
        }
    }
}

pub fn test_settings(database_url: &str) -> Settings {
    let overrides =
        Overrides { bind: Some("127.0.0.1:0".into()), database_url: Some(database_url.into()), ..Overrides::default() };
    let mut settings = Settings::load(None, &overrides).expect("settings");
    // argon2 at its cheapest: tests check behaviour, the bench measures cost.
    settings.argon2.memory_kib = 64;
    settings.argon2.iterations = 1;
    settings.seed.accounts.clear();
    settings
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, |_| {}).await
    }

    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> Self {
        let database = TestDatabase::create(backend).await;
        Self::spawn_on(database, adjust).await
    }

    /// A server on an existing database (for restarts and for two servers on one database).
    pub async fn spawn_on(database: TestDatabase, adjust: impl FnOnce(&mut Settings)) -> Self {
        let mut settings = test_settings(&database.url);
        adjust(&mut settings);
        let app = Application::build(&settings).await.expect("application builds");
        let opening = settings.opening_balance().expect("valid opening balance");
        let port = app.port();
        let store = app.store();
        tokio::spawn(app.run_until_stopped());
        Self {
            address: format!("http://127.0.0.1:{port}"),
            store,
            opening,
            _database: database,
            client: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
        }
    }

    pub fn database_url(&self) -> &str {
        &self._database.url
    }

    pub fn hashing() -> PasswordHashing {
        PasswordHashing::new(test_settings("sqlite://unused").argon2).unwrap()
    }

    /// A new main account (tenant) made the operator's way.
    pub async fn tenant(&self, name: &str) -> Creds {
        self.tenant_of_type(name, AccountType::Full).await
    }

    pub async fn tenant_of_type(&self, name: &str, account_type: AccountType) -> Creds {
        let request = MainAccountRequest {
            friendly_name: FriendlyName::parse(name).unwrap(),
            account_type,
            opening: self.opening,
            credentials: Some((AccountSid::generate(), AuthToken::generate())),
        };
        let main = tenants::ensure_main(self.store.as_ref(), &Self::hashing(), request).await.unwrap();
        Creds { sid: main.account.sid.to_string(), token: main.token.expose().to_owned() }
    }

    /// A subaccount created over the API; its token comes from the 201 answer.
    pub async fn subaccount(&self, main: &Creds, name: &str) -> Creds {
        let reply = self.post("/2010-04-01/Accounts.json", Some(main), &form(&[("FriendlyName", name)])).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        let json = reply.json();
        Creds { sid: json["sid"].as_str().unwrap().into(), token: json["auth_token"].as_str().unwrap().into() }
    }

    /// A Standard key of `account` made over the API by `caller`; its secret comes from the 201.
    pub async fn key(&self, caller: &Creds, account: &str, name: &str) -> Creds {
        let path = format!("/2010-04-01/Accounts/{account}/Keys.json");
        let reply = self.post(&path, Some(caller), &form(&[("FriendlyName", name)])).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        let json = reply.json();
        Creds { sid: json["sid"].as_str().unwrap().into(), token: json["secret"].as_str().unwrap().into() }
    }

    /// A Main key of `account`, made the operator's way (the API makes only Standard keys).
    pub async fn main_key(&self, account: &str) -> Creds {
        let secret = Secret::generate_key_secret();
        let new = NewKey {
            sid: KeySid::generate(),
            account: AccountSid::parse(account).unwrap(),
            key_type: KeyType::Main,
            friendly_name: None,
            secret_hash: Self::hashing().hash(secret.expose()).await.unwrap(),
            created_at: chrono::Utc::now(),
        };
        let key = self.store.insert_key(&new, 1000).await.unwrap();
        Creds { sid: key.sid.to_string(), token: secret.expose().to_owned() }
    }

    /// A journal entry is written off the request path: waits (1 s at most, as CONTROL.md allows)
    /// until the tenant's journal holds `count` entries, and returns them, newest first.
    pub async fn journal(&self, main: &Creds, count: usize) -> Vec<serde_json::Value> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(1);
        loop {
            let page = self.get("/_emulator/v1/requests?PageSize=1000", Some(main)).await.json();
            let entries = page["requests"].as_array().cloned().unwrap_or_default();
            if entries.len() >= count || std::time::Instant::now() > deadline {
                return entries;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    pub async fn delete(&self, path: &str, auth: Option<&Creds>) -> Reply {
        self.send(Method::DELETE, path, auth, None).await
    }

    pub async fn get(&self, path: &str, auth: Option<&Creds>) -> Reply {
        self.send(Method::GET, path, auth, None).await
    }

    pub async fn post(&self, path: &str, auth: Option<&Creds>, body: &str) -> Reply {
        self.send(Method::POST, path, auth, Some((body.as_bytes().to_vec(), "application/x-www-form-urlencoded"))).await
    }

    pub async fn send(&self, method: Method, path: &str, auth: Option<&Creds>, body: Option<(Vec<u8>, &str)>) -> Reply {
        let mut request = self.client.request(method, format!("{}{path}", self.address));
        if let Some(creds) = auth {
            request = request.basic_auth(&creds.sid, Some(&creds.token));
        }
        if let Some((bytes, content_type)) = body {
            request = request.header("content-type", content_type).body(bytes);
        }
        self.execute(request).await
    }

    pub async fn execute(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("request reaches the server");
        Reply { status: response.status(), headers: response.headers().clone(), body: response.text().await.unwrap() }
    }

    pub fn raw(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, format!("{}{path}", self.address))
    }
}

/// `application/x-www-form-urlencoded` as twilio-python sends it (`+` for spaces).
pub fn form(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d \+0000").unwrap()
});
static SID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"AC[0-9a-f]{32}").unwrap());
static KEY_SID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"SK[0-9a-f]{32}").unwrap());
static RFC3339: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z").unwrap());
static FAULT_ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"FI[0-9a-f]{32}").unwrap());
static REQUEST_ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"RQ[0-9a-f]{32}").unwrap());
static LATENCY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#""latency_ms":[0-9.e-]+"#).unwrap());
static JOURNAL_TOKEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"RJ\d+-\d+").unwrap());
static SECRET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"("secret":"|<Secret>)[A-Za-z0-9]{32}("|</Secret>)"#).unwrap());
static TOKEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"("auth_token":"|<AuthToken>)[0-9a-f]{32}("|</AuthToken>)"#).unwrap());
static DEFAULT_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"SubAccount Created at \d{4}-\d\d-\d\d \d\d:\d\d [ap]m").unwrap());

/// Makes a body comparable across runs: named SIDs get their names, other SIDs a number in order
/// of first appearance (accounts and keys apart); RFC 2822 dates, minted tokens and secrets and
/// default names are replaced by their shape.
pub fn normalize(body: &str, names: &[(&Creds, &str)]) -> String {
    let mut text = body.to_owned();
    for (creds, name) in names {
        text = text.replace(&creds.sid, &format!("{}[{name}]", &creds.sid[..2]));
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    text = SID
        .replace_all(&text, |caps: &regex::Captures| {
            let next = seen.len() + 1;
            format!("AC[SID{}]", seen.entry(caps[0].to_owned()).or_insert(next))
        })
        .into_owned();
    let mut keys: HashMap<String, usize> = HashMap::new();
    text = KEY_SID
        .replace_all(&text, |caps: &regex::Captures| {
            let next = keys.len() + 1;
            format!("SK[KEY{}]", keys.entry(caps[0].to_owned()).or_insert(next))
        })
        .into_owned();
    text = SECRET.replace_all(&text, "${1}[SECRET]${2}").into_owned();
    let mut faults: HashMap<String, usize> = HashMap::new();
    text = FAULT_ID
        .replace_all(&text, |caps: &regex::Captures| {
            let next = faults.len() + 1;
            format!("FI[FAULT{}]", faults.entry(caps[0].to_owned()).or_insert(next))
        })
        .into_owned();
    text = RFC3339.replace_all(&text, "[RFC3339]").into_owned();
    text = REQUEST_ID.replace_all(&text, "RQ[ID]").into_owned();
    text = LATENCY.replace_all(&text, r#""latency_ms":[MS]"#).into_owned();
    text = JOURNAL_TOKEN.replace_all(&text, "RJ[TOKEN]").into_owned();
    text = DATE.replace_all(&text, "[RFC2822]").into_owned();
    text = TOKEN.replace_all(&text, "${1}[TOKEN]${2}").into_owned();
    DEFAULT_NAME.replace_all(&text, "SubAccount Created at [YYYY-MM-DD HH:MM am|pm]").into_owned()
}

/// The keys of a JSON object body in the order they were sent (serde_json's map sorts them).
pub fn json_keys(body: &str) -> Vec<String> {
    struct Keys(Vec<String>);
    impl<'de> serde::Deserialize<'de> for Keys {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Visitor;
            impl<'de> serde::de::Visitor<'de> for Visitor {
                type Value = Keys;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<Keys, M::Error> {
                    let mut keys = Vec::new();
                    while let Some((key, _)) = map.next_entry::<String, serde::de::IgnoredAny>()? {
                        keys.push(key);
                    }
                    Ok(Keys(keys))
                }
            }
            deserializer.deserialize_map(Visitor)
        }
    }
    serde_json::from_str::<Keys>(body).unwrap_or_else(|e| panic!("not a JSON object ({e}): {body}")).0
}
