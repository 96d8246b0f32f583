//! What the operator commands do: announce the server, migrate, and manage main accounts, keys and
//! the tenants' control plane.
mod control;
mod keys;

pub use control::TenantCommand;
pub use keys::KeysCommand;

use crate::auth::PasswordHashing;
use crate::config::{LogFormat, SeedAccount, Settings};
use crate::domain::{Account, AccountSid, AccountStatus, AccountType, AuthToken, FriendlyName};
use crate::representation;
use crate::representation::account::{AccountView, TokenView};
use crate::representation::Format;
use crate::startup::Application;
use crate::storage::{self, AccountChange, SharedStore, StoreError};
use crate::telemetry::BANNER;
use crate::tenants::{self, MainAccountRequest, Outcome};
use anyhow::Context;
use clap::Subcommand;
use secrecy::ExposeSecret;
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum AccountsCommand {
    /// Create a main account (a tenant); with --sid and a token, idempotent.
    Create {
        #[arg(long)]
        friendly_name: String,
        #[arg(long = "type", default_value = "Full")]
        account_type: AccountType,
        /// A chosen SID; needs --auth-token or --auth-token-file.
        #[arg(long, requires = "token")]
        sid: Option<String>,
        /// The AuthToken (visible to other local users in the process list: prefer --auth-token-file).
        #[arg(long, group = "token", requires = "sid")]
        auth_token: Option<String>,
        /// Read the AuthToken from PATH, or from stdin when PATH is `-` (a trailing newline is dropped).
        #[arg(long, value_name = "PATH", group = "token", requires = "sid")]
        auth_token_file: Option<PathBuf>,
        /// Print exactly one JSON object: the account's .json representation, auth_token in plaintext.
        #[arg(long)]
        json: bool,
    },
    /// List the main accounts.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Set the status of any account (an operator may suspend or close a main account).
    SetStatus { sid: String, status: String },
    /// Give an account a new AuthToken and print it (once).
    RotateToken { sid: String },
    /// Set a main account's balance (a decimal with at most two places; negative allowed).
    SetBalance {
        sid: String,
        #[arg(allow_hyphen_values = true)]
        amount: String,
    },
}

/// The start banner: address, backend (no password) and seeded tenants. For people it is text on stdout;
/// with JSON logs it is log events, so that a log collector gets nothing but JSON lines.
pub fn announce(settings: &Settings, app: &Application) {
    let host = settings.bind.rsplit_once(':').map_or("127.0.0.1", |(host, _)| host);
    let address = format!("http://{host}:{}", app.port());
    let storage = app.store().describe();
    match settings.log_format {
        LogFormat::Pretty => print_banner(&address, &storage, &settings.seed.accounts),
        LogFormat::Json => {
            let version = env!("CARGO_PKG_VERSION");
            tracing::info!(target: BANNER, %address, %storage, version, "listening");
            for seed in &settings.seed.accounts {
                tracing::info!(target: BANNER, sid = %seed.sid, sandbox = seed.is_sandbox(), "seeded tenant");
            }
        }
    }
}

fn print_banner(address: &str, storage: &str, seeds: &[SeedAccount]) {
    println!("twilio-emulator listening on {address}");
    println!("storage: {storage}");
    for seed in seeds {
        // Only the documented sandbox token is printed: it is public already.
        if seed.is_sandbox() {
            println!("tenant {} (sandbox), AuthToken {}", seed.sid, seed.auth_token.expose_secret());
            println!(
                "  try: curl -u {}:{} {address}/2010-04-01/Accounts/{}.json",
                seed.sid,
                seed.auth_token.expose_secret(),
                seed.sid
            );
        } else {
            println!("tenant {} (seeded)", seed.sid);
        }
    }
}

async fn open(settings: &Settings) -> anyhow::Result<SharedStore> {
    let store = storage::connect(&settings.database_url(), &settings.pool()).await?;
    store.migrate().await?;
    Ok(store)
}

pub async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let store = open(settings).await?;
    println!("migrations applied to {}", store.describe());
    Ok(())
}

pub async fn accounts(settings: &Settings, command: AccountsCommand) -> anyhow::Result<()> {
    let store = open(settings).await?;
    let hashing = PasswordHashing::new(settings.argon2)?;
    match command {
        AccountsCommand::Create { friendly_name, account_type, sid, auth_token, auth_token_file, json } => {
            let friendly_name =
                FriendlyName::parse(&friendly_name).map_err(|why| anyhow::anyhow!("--friendly-name {why}"))?;
            let token = match (auth_token, auth_token_file) {
                (Some(token), _) => Some(("--auth-token", token)),
                (None, Some(path)) => Some(("the token of --auth-token-file", read_token(&path)?)),
                (None, None) => None,
            };
            let credentials = match (sid, token) {
                (Some(sid), Some((source, token))) => Some((
                    AccountSid::parse(&sid)
                        .ok_or_else(|| anyhow::anyhow!("--sid must be AC followed by 32 hex digits"))?,
                    AuthToken::parse(&token)
                        .ok_or_else(|| anyhow::anyhow!("{source} must be 1-128 printable characters without spaces"))?,
                )),
                _ => None,
            };
            let opening = settings.opening_balance()?;
            let request = MainAccountRequest { friendly_name, account_type, opening, credentials };
            let main = tenants::ensure_main(store.as_ref(), &hashing, request).await?;
            if json {
                println!(
                    "{}",
                    String::from_utf8(representation::render(
                        &AccountView { account: &main.account, token: TokenView::Plain(&main.token) },
                        Format::Json
                    ))?
                );
            } else {
                let verb = match main.outcome {
                    Outcome::Created => "created",
                    Outcome::Unchanged => "already exists, unchanged",
                };
                print_account(&main.account, verb);
                println!("  AuthToken:    {}", main.token.expose());
            }
        }
        AccountsCommand::List { json } => {
            let mains = store.main_accounts().await?;
            for main in &mains {
                if json {
                    println!(
                        "{}",
                        String::from_utf8(representation::render(&AccountView::redacted(main), Format::Json))?
                    );
                } else {
                    println!("{}  {:<9}  {:<5}  {}", main.sid, main.status, main.account_type, main.friendly_name);
                }
            }
        }
        AccountsCommand::SetStatus { sid, status } => {
            let sid =
                AccountSid::parse(&sid).ok_or_else(|| anyhow::anyhow!("SID must be AC followed by 32 hex digits"))?;
            let status = AccountStatus::parse(&status)
                .ok_or_else(|| anyhow::anyhow!("STATUS must be active, suspended or closed"))?;
            let change = AccountChange { friendly_name: None, status: Some(status) };
            match store.update(&sid, &change, chrono::Utc::now()).await {
                Ok(account) => print_account(&account, "updated"),
                Err(StoreError::Closed) => {
                    anyhow::bail!("account {sid} is closed; closed is final")
                }
                Err(StoreError::NotFound) => anyhow::bail!("no account {sid}"),
                Err(other) => return Err(other.into()),
            }
        }
        AccountsCommand::RotateToken { sid } => {
            let sid =
                AccountSid::parse(&sid).ok_or_else(|| anyhow::anyhow!("SID must be AC followed by 32 hex digits"))?;
            let token = AuthToken::generate();
            let hash = hashing.hash(token.expose()).await?;
            match store.set_token_hash(&sid, &hash, chrono::Utc::now()).await {
                Ok(()) => println!("{}", token.expose()),
                Err(StoreError::NotFound) => anyhow::bail!("no account {sid}"),
                Err(other) => return Err(other.into()),
            }
        }
        AccountsCommand::SetBalance { sid, amount } => keys::set_balance(store, &sid, &amount).await?,
    }
    Ok(())
}

pub async fn tenant(settings: &Settings, command: TenantCommand) -> anyhow::Result<()> {
    let store = open(settings).await?;
    control::run(store, settings.control.max_snapshots_per_tenant, command).await
}

pub async fn keys(settings: &Settings, command: KeysCommand) -> anyhow::Result<()> {
    let store = open(settings).await?;
    let hashing = PasswordHashing::new(settings.argon2)?;
    keys::run(store, &hashing, settings.max_keys_per_account, command).await
}

/// The token in a file, or on stdin for `-`, without the newline that `echo` or an editor leaves.
fn read_token(path: &Path) -> anyhow::Result<String> {
    let mut token = String::new();
    if path == Path::new("-") {
        std::io::stdin().read_to_string(&mut token).context("--auth-token-file -: cannot read stdin")?;
    } else {
        token = std::fs::read_to_string(path)
            .with_context(|| format!("--auth-token-file: cannot read {}", path.display()))?;
    }
    if token.ends_with('\n') {
        token.pop();
        if token.ends_with('\r') {
            token.pop();
        }
    }
    Ok(token)
}

fn print_account(account: &Account, verb: &str) {
    println!("main account {} {verb}", account.sid);
    println!("  FriendlyName: {}", account.friendly_name);
    println!("  Type:         {}", account.account_type);
    println!("  Status:       {}", account.status);
}
