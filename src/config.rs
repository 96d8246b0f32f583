//! Typed settings: built-in defaults, then a file, then environment and flags (the last wins).
use crate::auth::Argon2Settings;
use crate::domain::{AccountType, Currency, Money};
use crate::journal::JournalSettings;
use crate::limits::LimitSettings;
use crate::storage::Opening;
use crate::storage::PoolSettings;
use config::{Config, File, FileFormat};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

mod environment;

/// `config/default.toml`, compiled in so the binary works from any directory. It holds every setting,
/// so its keys are also the list of settings the environment may set.
pub const DEFAULT_CONFIG: &str = include_str!("../config/default.toml");

/// The documented sandbox tenant seeded by `config/default.toml`. Its credentials are public: the start
/// banner shows this token, and no other.
pub const SANDBOX_SID: &str = "ACdeadbeefdeadbeefdeadbeefdeadbeef";
pub const SANDBOX_AUTH_TOKEN: &str = "0123456789abcdef0123456789abcdef";

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

/// Every field has its default in `config/default.toml`; unknown keys, from a file or the environment, are
/// refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub bind: String,
    database_url: SecretString,
    pub data_dir: PathBuf,
    pub max_subaccounts: u32,
    pub max_keys_per_account: u32,
    pub log_format: LogFormat,
    pub credential_cache_capacity: u64,
    pub database: DatabaseSettings,
    pub argon2: Argon2Settings,
    pub limits: LimitSettings,
    pub balance: BalanceSettings,
    pub journal: JournalSettings,
    pub control: ControlSettings,
    pub seed: SeedSettings,
}

/// The tenant's control plane (CONTROL.md).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlSettings {
    /// Snapshots one tenant may keep.
    pub max_snapshots_per_tenant: u32,
}

/// What every new main account starts with.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BalanceSettings {
    /// A decimal with at most two places, e.g. "20.00".
    pub default: String,
    /// An ISO 4217 code, e.g. "USD".
    pub currency: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub max_connections: u32,
    pub acquire_timeout_ms: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSettings {
    pub accounts: Vec<SeedAccount>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedAccount {
    pub sid: String,
    pub auth_token: SecretString,
    pub friendly_name: String,
    #[serde(rename = "type", deserialize_with = "account_type")]
    pub account_type: AccountType,
}

impl SeedAccount {
    /// The documented sandbox tenant: its SID and its token both, as `config/default.toml` seeds it.
    pub fn is_sandbox(&self) -> bool {
        self.sid == SANDBOX_SID && self.auth_token.expose_secret() == SANDBOX_AUTH_TOKEN
    }
}

fn account_type<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<AccountType, D::Error> {
    let raw = String::deserialize(deserializer)?;
    AccountType::parse(&raw).ok_or_else(|| serde::de::Error::custom(format!("type must be Trial or Full, not {raw:?}")))
}

/// Values from the command line (and `DATABASE_URL`); `None` leaves the value of the environment or file.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub bind: Option<String>,
    pub database_url: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub max_subaccounts: Option<u32>,
    pub log_format: Option<LogFormat>,
}

impl Settings {
    pub fn load(file: Option<&Path>, overrides: &Overrides) -> anyhow::Result<Self> {
        Self::load_with(file, environment::variables()?, overrides)
    }

    /// `load` with the given `TWILIO_EMULATOR_*` variables instead of the process's.
    fn load_with(
        file: Option<&Path>,
        variables: config::Map<String, String>,
        overrides: &Overrides,
    ) -> anyhow::Result<Self> {
        let defaults = File::from_str(DEFAULT_CONFIG, FileFormat::Toml);
        let environment = environment::source(variables);
        environment::check(&Config::builder().add_source(defaults.clone()).build()?, &environment)?;
        let mut builder = Config::builder().add_source(defaults);
        if let Some(file) = file {
            if !file.is_file() {
                anyhow::bail!("config file {} does not exist", file.display());
            }
            builder = builder.add_source(File::from(file).format(FileFormat::Toml));
        }
        builder = builder.add_source(environment);
        let overrides = [
            ("bind", overrides.bind.clone()),
            ("database_url", overrides.database_url.clone()),
            ("data_dir", overrides.data_dir.as_ref().map(|dir| dir.display().to_string())),
            ("max_subaccounts", overrides.max_subaccounts.map(|n| n.to_string())),
            ("log_format", overrides.log_format.map(|format| format!("{format:?}").to_lowercase())),
        ];
        for (key, value) in overrides {
            builder = builder.set_override_option(key, value)?;
        }
        let settings: Self = builder.build()?.try_deserialize()?;
        settings.check()?;
        Ok(settings)
    }

    fn check(&self) -> anyhow::Result<()> {
        if self.max_subaccounts == 0 {
            anyhow::bail!("max_subaccounts must be at least 1");
        }
        if self.database.max_connections == 0 {
            anyhow::bail!("database.max_connections must be at least 1");
        }
        if self.control.max_snapshots_per_tenant == 0 || self.journal.max_entries_per_tenant == 0 {
            anyhow::bail!("control.max_snapshots_per_tenant and journal.max_entries_per_tenant must be at least 1");
        }
        if self.max_keys_per_account == 0 {
            anyhow::bail!("max_keys_per_account must be at least 1");
        }
        self.opening_balance()?;
        Ok(())
    }

    /// The balance and currency a new main account starts with.
    pub fn opening_balance(&self) -> anyhow::Result<Opening> {
        let balance = Money::parse(&self.balance.default)
            .ok_or_else(|| anyhow::anyhow!("balance.default must be a decimal with at most two places"))?;
        let currency = Currency::parse(&self.balance.currency)
            .ok_or_else(|| anyhow::anyhow!("balance.currency must be three capital letters (ISO 4217)"))?;
        Ok(Opening { balance, currency })
    }

    /// The configured URL, or a SQLite file in the data directory when none is set.
    pub fn database_url(&self) -> String {
        match self.database_url.expose_secret().trim() {
            "" => format!("sqlite://{}", self.data_dir.join("twilio-emulator.db").display()),
            url => url.to_owned(),
        }
    }

    pub fn pool(&self) -> PoolSettings {
        PoolSettings {
            max_connections: self.database.max_connections,
            acquire_timeout: Duration::from_millis(self.database.acquire_timeout_ms),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Overrides, SeedAccount, Settings, SANDBOX_AUTH_TOKEN, SANDBOX_SID};
    use crate::domain::AccountType;
    use secrecy::ExposeSecret;
    use std::path::Path;

    #[test]
    fn defaults_are_complete_and_seed_the_sandbox() {
        let settings = Settings::load(None, &Overrides::default()).unwrap();
        assert_eq!(settings.bind, "127.0.0.1:8080");
        assert_eq!(settings.max_subaccounts, 1000);
        assert_eq!(settings.database_url(), "sqlite://data/twilio-emulator.db");
        assert_eq!(settings.seed.accounts.len(), 1);
    }

    #[test]
    fn overrides_win_over_files() {
        let overrides =
            Overrides { max_subaccounts: Some(3), database_url: Some("postgres://x/y".into()), ..Default::default() };
        let settings = Settings::load(None, &overrides).unwrap();
        assert_eq!(settings.max_subaccounts, 3);
        assert_eq!(settings.database_url(), "postgres://x/y");
    }

    #[test]
    fn the_staging_file_seeds_nothing() {
        let staging = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/staging.toml");
        let settings = Settings::load(Some(&staging), &Overrides::default()).unwrap();
        assert!(settings.seed.accounts.is_empty());
        assert_eq!(settings.database.max_connections, 32);
        assert_eq!(settings.database.acquire_timeout_ms, 2000, "unset keys keep their defaults");
    }

    #[test]
    fn the_sandbox_constants_are_the_tenant_the_shipped_files_seed() {
        let docker = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/docker.toml");
        for file in [None, Some(docker)] {
            let settings = Settings::load_with(file.as_deref(), config::Map::new(), &Overrides::default()).unwrap();
            let [seed] = settings.seed.accounts.as_slice() else { panic!("{file:?} seeds one tenant") };
            assert_eq!((seed.sid.as_str(), seed.auth_token.expose_secret()), (SANDBOX_SID, SANDBOX_AUTH_TOKEN));
            assert!(seed.is_sandbox());
        }
    }

    #[test]
    fn only_the_sandbox_sid_with_the_sandbox_token_is_the_sandbox() {
        let seed = |sid: &str, token: &str| SeedAccount {
            sid: sid.into(),
            auth_token: token.into(),
            friendly_name: "x".into(),
            account_type: AccountType::Full,
        };
        assert!(seed(SANDBOX_SID, SANDBOX_AUTH_TOKEN).is_sandbox());
        assert!(!seed("AC0123456789abcdef0123456789abcdef", SANDBOX_AUTH_TOKEN).is_sandbox());
        assert!(!seed(SANDBOX_SID, "0123456789abcdef").is_sandbox(), "part of the token");
        assert!(!seed(SANDBOX_SID, "Sandbox").is_sandbox());
    }
}
