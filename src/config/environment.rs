//! Settings from the environment: `TWILIO_EMULATOR_`, then the key in upper case with `__` between levels.
use config::{Config, Environment, Source, ValueKind};

/// A setting's variable is this prefix, `_`, and its key in upper case with `__` between levels:
/// `TWILIO_EMULATOR_BIND`, `TWILIO_EMULATOR_DATABASE__MAX_CONNECTIONS`.
const PREFIX: &str = "TWILIO_EMULATOR";
const LEVEL_SEPARATOR: &str = "__";

/// The `config` source of the given variables; an empty one counts as unset.
pub(super) fn source(variables: config::Map<String, String>) -> Environment {
    Environment::with_prefix(PREFIX)
        .prefix_separator("_")
        .separator(LEVEL_SEPARATOR)
        .ignore_empty(true)
        .source(Some(variables))
}

/// The process's variables that set settings.
pub(super) fn variables() -> anyhow::Result<config::Map<String, String>> {
    let mut variables = config::Map::new();
    for (name, value) in std::env::vars_os() {
        let Some(name) = name.to_str().filter(|name| sets_a_setting(name)).map(str::to_owned) else { continue };
        let value = value.into_string().map_err(|_| anyhow::anyhow!("{name} is not valid UTF-8"))?;
        variables.insert(name, value);
    }
    Ok(variables)
}

/// Every `TWILIO_EMULATOR_*` variable sets a setting, except the config file's path (read by the command
/// line) and those Kubernetes sets for a Service named `twilio-emulator` (`..._PORT`, `..._PORT_8080_TCP...`,
/// `..._SERVICE_HOST`, `..._SERVICE_PORT...`), which would otherwise stop the server as unknown settings.
fn sets_a_setting(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let Some(rest) = upper.strip_prefix(PREFIX).and_then(|rest| rest.strip_prefix('_')) else { return false };
    let service_link = rest == "PORT" || rest.starts_with("PORT_") || rest == "SERVICE_HOST";
    !(rest == "CONFIG" || service_link || rest == "SERVICE_PORT" || rest.starts_with("SERVICE_PORT_"))
}

/// Refuses a variable that names no setting, by its name: serde would only name the key.
pub(super) fn check(defaults: &Config, environment: &Environment) -> anyhow::Result<()> {
    for key in environment.collect()?.keys() {
        let variable = format!("{PREFIX}_{}", key.to_uppercase().replace('.', LEVEL_SEPARATOR));
        match defaults.get::<config::Value>(key).map(|value| value.kind) {
            Ok(ValueKind::Table(_)) => {
                anyhow::bail!("{variable} names a group of settings; set one of its keys ({variable}__KEY)")
            }
            Ok(ValueKind::Array(_)) => {
                anyhow::bail!("{variable}: {key} is a list and can only be set in a config file")
            }
            Ok(_) => {}
            Err(_) => anyhow::bail!(
                "{variable} names no setting: a setting's variable is {PREFIX}_ and its key in \
                 config/default.toml in upper case, __ between levels ({PREFIX}_DATABASE__MAX_CONNECTIONS)"
            ),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::sets_a_setting;
    use crate::config::{LogFormat, Overrides, Settings};
    use std::path::Path;

    fn env(pairs: &[(&str, &str)]) -> config::Map<String, String> {
        pairs.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect()
    }

    fn load_error(pairs: &[(&str, &str)]) -> String {
        let error = Settings::load_with(None, env(pairs), &Overrides::default()).unwrap_err();
        format!("{error:#}")
    }

    #[test]
    fn every_setting_can_come_from_the_environment_over_the_file() {
        let variables = env(&[
            ("TWILIO_EMULATOR_BIND", "0.0.0.0:9000"),
            ("TWILIO_EMULATOR_DATA_DIR", "/var/lib/x"),
            ("TWILIO_EMULATOR_MAX_SUBACCOUNTS", "7"),
            ("TWILIO_EMULATOR_LOG_FORMAT", "json"),
            ("TWILIO_EMULATOR_CREDENTIAL_CACHE_CAPACITY", "10"),
            ("TWILIO_EMULATOR_DATABASE__MAX_CONNECTIONS", "8"),
            ("TWILIO_EMULATOR_LIMITS__MAX_URL_BYTES", "4096"),
            ("TWILIO_EMULATOR_ARGON2__MEMORY_KIB", "1024"),
            ("TWILIO_EMULATOR_DATABASE_URL", "postgres://db/x"),
        ]);
        let staging = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/staging.toml");
        let settings = Settings::load_with(Some(&staging), variables, &Overrides::default()).unwrap();
        assert_eq!(settings.bind, "0.0.0.0:9000");
        assert_eq!(settings.data_dir, Path::new("/var/lib/x"));
        assert_eq!(settings.max_subaccounts, 7);
        assert_eq!(settings.log_format, LogFormat::Json);
        assert_eq!(settings.credential_cache_capacity, 10);
        assert_eq!(settings.database.max_connections, 8, "the environment wins over the file's 32");
        assert_eq!(settings.limits.max_url_bytes, 4096);
        assert_eq!(settings.argon2.memory_kib, 1024);
        assert_eq!(settings.database_url(), "postgres://db/x");
        assert_eq!(settings.database.acquire_timeout_ms, 2000, "unset keys keep their defaults");
    }

    #[test]
    fn flags_win_over_the_environment_and_empty_variables_are_unset() {
        let variables = env(&[
            ("TWILIO_EMULATOR_BIND", "0.0.0.0:9000"),
            ("TWILIO_EMULATOR_MAX_SUBACCOUNTS", "7"),
            ("TWILIO_EMULATOR_DATA_DIR", ""),
        ]);
        let overrides = Overrides { bind: Some("127.0.0.1:0".into()), ..Overrides::default() };
        let settings = Settings::load_with(None, variables, &overrides).unwrap();
        assert_eq!((settings.bind.as_str(), settings.max_subaccounts), ("127.0.0.1:0", 7));
        assert_eq!(settings.data_dir, Path::new("data"));
    }

    #[test]
    fn a_variable_that_names_no_setting_is_refused_by_its_name() {
        let unknown = load_error(&[("TWILIO_EMULATOR_COLOUR", "blue")]);
        assert!(unknown.starts_with("TWILIO_EMULATOR_COLOUR names no setting"), "{unknown}");
        let one_underscore = load_error(&[("TWILIO_EMULATOR_DATABASE_MAX_CONNECTIONS", "8")]);
        assert!(one_underscore.starts_with("TWILIO_EMULATOR_DATABASE_MAX_CONNECTIONS names no setting"));
        let table = load_error(&[("TWILIO_EMULATOR_DATABASE", "8")]);
        assert!(table.starts_with("TWILIO_EMULATOR_DATABASE names a group of settings"), "{table}");
        let list = load_error(&[("TWILIO_EMULATOR_SEED__ACCOUNTS", "[]")]);
        assert!(list.contains("seed.accounts is a list and can only be set in a config file"), "{list}");
        let bad_value = load_error(&[("TWILIO_EMULATOR_LIMITS__MAX_URL_BYTES", "big")]);
        assert!(bad_value.contains("limits.max_url_bytes") && bad_value.contains("environment"), "{bad_value}");
    }

    #[test]
    fn the_config_path_and_kubernetes_service_links_are_not_settings() {
        for name in ["TWILIO_EMULATOR_BIND", "TWILIO_EMULATOR_DATABASE__MAX_CONNECTIONS", "twilio_emulator_colour"] {
            assert!(sets_a_setting(name), "{name}");
        }
        let others = [
            "TWILIO_EMULATOR_CONFIG",
            "TWILIO_EMULATOR_PORT",
            "TWILIO_EMULATOR_PORT_8080_TCP_ADDR",
            "TWILIO_EMULATOR_SERVICE_HOST",
            "TWILIO_EMULATOR_SERVICE_PORT",
            "TWILIO_EMULATOR_SERVICE_PORT_HTTP",
            "TWILIO_EMULATORS_BIND",
            "DATABASE_URL",
        ];
        for name in others {
            assert!(!sets_a_setting(name), "{name}");
        }
    }
}
