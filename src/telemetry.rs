//! Logging setup, and the context every request carries (its id and when it arrived).
use crate::config::LogFormat;
use actix_web::dev::ServiceRequest;
use std::io::IsTerminal;
use std::time::Instant;
use tracing_subscriber::EnvFilter;

/// Target of the start banner's events in JSON mode. They are logged whatever RUST_LOG says, as the
/// pretty banner is always printed: scripts read the port from them.
pub const BANNER: &str = "twilio_emulator::banner";

/// Installs the global subscriber; the level comes from RUST_LOG (default `info`). JSON lines never carry
/// colour codes; pretty lines only on a terminal, and not with NO_COLOR set.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"))
        .add_directive(format!("{BANNER}=info").parse().expect("a valid directive"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let result = match format {
        LogFormat::Pretty => builder.with_ansi(colour()).try_init(),
        LogFormat::Json => builder.json().with_ansi(false).flatten_event(true).with_current_span(true).try_init(),
    };
    // A second init (tests, embedded use) keeps the first subscriber.
    let _ = result;
}

/// https://no-color.org: a non-empty NO_COLOR turns colour off.
fn colour() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}

/// Set on every request before anything else runs: its id and when it arrived.
#[derive(Clone)]
pub struct RequestContext {
    /// The caller's `X-Request-Id`, or else the Twilio-style id.
    pub id: String,
    /// `RQ` and 32 hex digits, as Twilio's `Twilio-Request-Id`.
    pub twilio_id: String,
    pub started: Instant,
}

impl RequestContext {
    /// The caller's `X-Request-Id` when it is a sane token, else a new Twilio-style id.
    pub fn from_request(request: &ServiceRequest) -> Self {
        let given = request
            .headers()
            .get("x-request-id")
            .and_then(|value| value.to_str().ok())
            .filter(|id| !id.is_empty() && id.len() <= 128 && id.bytes().all(|b| b.is_ascii_graphic()));
        // A thread-local generator: no system call per request.
        let twilio_id = format!("RQ{:032x}", rand::random::<u128>());
        let id = given.map_or_else(|| twilio_id.clone(), str::to_owned);
        Self { id, twilio_id, started: Instant::now() }
    }
}
