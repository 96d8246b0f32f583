//! The `twilio-emulator` command: the server and the operator's tools.
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use twilio_emulator::config::{LogFormat, Overrides, Settings};
use twilio_emulator::{cli, startup::Application, telemetry};

/// A request allocates many small strings (bodies, SIDs, log and journal fields); mimalloc serves
/// them faster than the system allocator. Built with `no_thp`: with transparent huge pages its
/// arenas stayed about 40 MB more resident for no measurable speed (bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "twilio-emulator",
    version,
    about = "A Twilio REST API emulator (Accounts, API 2010-04-01)",
    after_help = "Every setting of config/default.toml can also be set in the environment: TWILIO_EMULATOR_ and its \
                  key in upper case, __ between levels (TWILIO_EMULATOR_BIND, TWILIO_EMULATOR_DATABASE__MAX_CONNECTIONS). \
                  Flags win over the environment, which wins over the config file."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct Common {
    /// A TOML file overriding the built-in settings.
    #[arg(long, env = "TWILIO_EMULATOR_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// postgres://... or sqlite://PATH (default: a SQLite file in the data directory).
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    database_url: Option<String>,
    /// Where the default SQLite file lives [env: TWILIO_EMULATOR_DATA_DIR].
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API.
    Serve {
        #[command(flatten)]
        common: Common,
        /// ADDR:PORT to listen on [env: TWILIO_EMULATOR_BIND].
        #[arg(long)]
        bind: Option<String>,
        /// Subaccounts per main account [env: TWILIO_EMULATOR_MAX_SUBACCOUNTS].
        #[arg(long)]
        max_subaccounts: Option<u32>,
        /// Log lines for people or for log collectors [env: TWILIO_EMULATOR_LOG_FORMAT].
        #[arg(long, value_enum)]
        log_format: Option<LogFormat>,
    },
    /// Apply the database migrations and exit.
    Migrate {
        #[command(flatten)]
        common: Common,
    },
    /// Manage main accounts (tenants).
    Accounts {
        #[command(flatten)]
        common: Common,
        #[command(subcommand)]
        action: cli::AccountsCommand,
    },
    /// A tenant's control plane: reset and snapshots (as `/_emulator/v1/` offers them).
    Tenant {
        #[command(flatten)]
        common: Common,
        #[command(subcommand)]
        action: cli::TenantCommand,
    },
    /// Manage API keys: Main keys (made only here) and Standard keys.
    Keys {
        #[command(flatten)]
        common: Common,
        #[command(subcommand)]
        action: cli::KeysCommand,
    },
}

impl Common {
    fn settings(&self, mut overrides: Overrides) -> anyhow::Result<Settings> {
        overrides.database_url = self.database_url.clone();
        overrides.data_dir = self.data_dir.clone();
        Settings::load(self.config.as_deref(), &overrides)
    }
}

fn main() -> ExitCode {
    // With no arguments at all, serve: `cargo run --release` is the whole quick start.
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.len() == 1 {
        args.push("serve".into());
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        // A usage error is one line, like every other failure; --help and --version print as usual.
        Err(error) if error.use_stderr() => {
            let rendered = error.render().to_string();
            let mut lines = rendered.lines().map(str::trim).filter(|line| !line.is_empty());
            let first = lines.next().unwrap_or("error: invalid arguments");
            // "required arguments were not provided:" names them on the next line.
            match lines.next().filter(|_| first.ends_with(':')) {
                Some(next) => eprintln!("{first} {next}"),
                None => eprintln!("{first}"),
            }
            return ExitCode::from(2);
        }
        Err(error) => error.exit(),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => return fail(error.into()),
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(error),
    }
}

fn fail(error: anyhow::Error) -> ExitCode {
    eprintln!("error: {error:#}");
    ExitCode::FAILURE
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { common, bind, max_subaccounts, log_format } => {
            let overrides = Overrides { bind, max_subaccounts, log_format, ..Overrides::default() };
            let settings = common.settings(overrides)?;
            telemetry::init(settings.log_format);
            let app = Application::build(&settings).await?;
            cli::announce(&settings, &app);
            app.run_until_stopped().await?;
            Ok(())
        }
        Command::Migrate { common } => {
            let settings = common.settings(Overrides::default())?;
            cli::migrate(&settings).await
        }
        Command::Accounts { common, action } => {
            let settings = common.settings(Overrides::default())?;
            cli::accounts(&settings, action).await
        }
        Command::Tenant { common, action } => {
            let settings = common.settings(Overrides::default())?;
            cli::tenant(&settings, action).await
        }
        Command::Keys { common, action } => {
            let settings = common.settings(Overrides::default())?;
            cli::keys(&settings, action).await
        }
    }
}
