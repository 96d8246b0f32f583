//! `keys` and `accounts set-balance`: what the operator does with API keys and balances.
use crate::auth::PasswordHashing;
use crate::domain::{AccountSid, FriendlyName, Key, KeySid, KeyType, Money, Secret};
use crate::representation::key::{JsonKey, KeyView};
use crate::storage::{NewKey, SharedStore, StoreError};
use clap::Subcommand;
use serde::Serialize;

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Make a key of an account and print it with its secret (shown this once).
    Create {
        #[arg(long)]
        account: String,
        /// A Main key (acts as the account's AuthToken); without it, a Standard key.
        #[arg(long)]
        main: bool,
        #[arg(long)]
        friendly_name: Option<String>,
        /// Print exactly one JSON object: the key's .json representation, its secret and its type.
        #[arg(long)]
        json: bool,
    },
    /// List an account's keys (never a secret).
    List {
        #[arg(long)]
        account: String,
        #[arg(long)]
        json: bool,
    },
    /// Delete a key: it authenticates nothing from the next request on.
    Delete { key_sid: String },
}

fn account_sid(raw: &str) -> anyhow::Result<AccountSid> {
    AccountSid::parse(raw).ok_or_else(|| anyhow::anyhow!("SID must be AC followed by 32 hex digits"))
}

/// The key's `.json` representation, in its order, with its secret (when just made) and `type` after.
#[derive(Serialize)]
struct OperatorKey<'a> {
    #[serde(flatten)]
    key: JsonKey<'a>,
    #[serde(rename = "type")]
    key_type: &'static str,
}

fn json<'a>(key: &'a Key, secret: Option<&'a Secret>) -> OperatorKey<'a> {
    OperatorKey { key: KeyView { key, secret }.json(), key_type: key.key_type.as_str() }
}

pub async fn run(
    store: SharedStore,
    hashing: &PasswordHashing,
    limit: u32,
    command: KeysCommand,
) -> anyhow::Result<()> {
    match command {
        KeysCommand::Create { account, main, friendly_name, json: as_json } => {
            let account = account_sid(&account)?;
            let friendly_name = friendly_name
                .map(|raw| FriendlyName::parse(&raw).map_err(|why| anyhow::anyhow!("--friendly-name {why}")))
                .transpose()?;
            let secret = Secret::generate_key_secret();
            let new = NewKey {
                sid: KeySid::generate(),
                account: account.clone(),
                key_type: if main { KeyType::Main } else { KeyType::Standard },
                friendly_name,
                secret_hash: hashing.hash(secret.expose()).await?,
                created_at: chrono::Utc::now(),
            };
            let key = match store.insert_key(&new, limit).await {
                Ok(key) => key,
                Err(StoreError::NotFound) => anyhow::bail!("no account {account}"),
                Err(StoreError::KeyLimit(limit)) => anyhow::bail!("account {account} already has {limit} keys"),
                Err(other) => return Err(other.into()),
            };
            if as_json {
                println!("{}", serde_json::to_string(&json(&key, Some(&secret)))?);
            } else {
                println!("{} key {} of {}", key.key_type.as_str(), key.sid, key.account);
                println!("  Secret:       {}", secret.expose());
            }
        }
        KeysCommand::List { account, json: as_json } => {
            let account = account_sid(&account)?;
            let keys = store.keys_of(&account).await?;
            if as_json {
                let keys: Vec<OperatorKey<'_>> = keys.iter().map(|key| json(key, None)).collect();
                println!("{}", serde_json::to_string(&keys)?);
            } else {
                for key in &keys {
                    let name = key.friendly_name.as_ref().map_or("", |name| name.as_str());
                    println!("{}  {:<8}  {}", key.sid, key.key_type.as_str(), name);
                }
            }
        }
        KeysCommand::Delete { key_sid } => {
            let sid = KeySid::parse(&key_sid)
                .ok_or_else(|| anyhow::anyhow!("KEYSID must be SK followed by 32 hex digits"))?;
            match store.delete_key(None, &sid).await {
                Ok(key) => println!("key {} of {} deleted", key.sid, key.account),
                Err(StoreError::NotFound) => anyhow::bail!("no key {sid}"),
                Err(other) => return Err(other.into()),
            }
        }
    }
    Ok(())
}

/// `accounts set-balance SID AMOUNT`: a main account's balance, exact to the cent.
pub async fn set_balance(store: SharedStore, sid: &str, amount: &str) -> anyhow::Result<()> {
    let sid = account_sid(sid)?;
    let balance = Money::parse(amount)
        .ok_or_else(|| anyhow::anyhow!("AMOUNT must be a decimal with at most two places, e.g. 12, 12.3 or -5.25"))?;
    match store.set_balance(&sid, balance).await {
        Ok(()) => println!("balance of {sid}: {balance}"),
        Err(StoreError::NotFound) => {
            anyhow::bail!("no main account {sid} (a subaccount draws on its main account's balance)")
        }
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
