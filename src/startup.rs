//! `Application`: connects the store, migrates, seeds, binds the listener and serves.
use crate::auth::{Authenticator, PasswordHashing};
use crate::config::Settings;
use crate::journal::{Journal, JournalCounters};
use crate::limits::TenantLimiter;
use crate::metrics::{AuthCounters, Metrics};
use crate::middleware;
use crate::routes::{self, AppState};
use crate::storage::{self, SharedStore};
use crate::tenants;
use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use std::net::TcpListener;
use std::time::Duration;
use tokio::task::JoinHandle;

/// How often counters are logged and idle rate-limit buckets dropped.
const HOUSEKEEPING_INTERVAL: Duration = Duration::from_secs(60);

pub struct Application {
    port: u16,
    server: Server,
    store: SharedStore,
    /// Writes the journal's last entries once the server has stopped.
    journal_writer: Option<JoinHandle<()>>,
}

/// How long a stopping server waits for the journal's last batch.
const JOURNAL_FLUSH_TIMEOUT: Duration = Duration::from_secs(5);

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let url = settings.database_url();
        let store = storage::connect(&url, &settings.pool()).await?;
        store.migrate().await?;
        let hashing = PasswordHashing::new(settings.argon2)?;
        tenants::seed(store.as_ref(), &hashing, &settings.seed.accounts, settings.opening_balance()?).await?;
        let counters = AuthCounters::default();
        let limiter = TenantLimiter::new(&settings.limits);
        let capacity = settings.credential_cache_capacity;
        let auth = Authenticator::new(store.clone(), hashing, capacity, counters.clone(), limiter).await?;
        let journal_counters = JournalCounters::default();
        let (journal, journal_writer) = Journal::start(store.clone(), &settings.journal, journal_counters.clone());
        let state = web::Data::new(AppState {
            store: store.clone(),
            auth,
            max_subaccounts: settings.max_subaccounts,
            max_keys_per_account: settings.max_keys_per_account,
            max_url_bytes: settings.limits.max_url_bytes,
            max_snapshots_per_tenant: settings.control.max_snapshots_per_tenant,
            metrics: Metrics::new(counters.clone(), journal_counters),
            journal,
        });
        let listener = TcpListener::bind(&settings.bind)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let app_state = state.clone();
        let limits = &settings.limits;
        let server = HttpServer::new(move || {
            App::new()
                // Request id, span, limits and metrics for every request.
                .wrap(from_fn(middleware::edge))
                .app_data(app_state.clone())
                .configure(routes::configure)
        })
        .max_connections(limits.max_connections_per_worker)
        .client_request_timeout(Duration::from_millis(limits.client_request_timeout_ms))
        .keep_alive(Duration::from_secs(limits.keep_alive_secs))
        .shutdown_timeout(10)
        .listen(listener)?
        .run();
        tokio::spawn(housekeeping(state.into_inner(), counters));
        Ok(Self { port, server, store, journal_writer })
    }

    /// The port actually bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn store(&self) -> SharedStore {
        self.store.clone()
    }

    /// Serves until SIGINT/SIGTERM; actix then stops accepting and lets in-flight requests finish
    /// (10 s at most) before the pool closes.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        if let Some(writer) = self.journal_writer {
            if tokio::time::timeout(JOURNAL_FLUSH_TIMEOUT, writer).await.is_err() {
                tracing::warn!("the journal's last entries were not written in time");
            }
        }
        served
    }
}

/// Every minute: the argon2 and cache counters to the log (when they changed), and the
/// rate-limit buckets of quiet tenants dropped. Ends with the server's state.
async fn housekeeping(state: std::sync::Arc<AppState>, counters: AuthCounters) {
    let state = std::sync::Arc::downgrade(&state);
    let mut last = (0, 0, 0);
    let mut ticks = tokio::time::interval(HOUSEKEEPING_INTERVAL);
    loop {
        ticks.tick().await;
        let Some(state) = state.upgrade() else { return };
        state.auth.housekeeping();
        let now = (counters.argon2_verifications.get(), counters.cache_hits.get(), counters.cache_misses.get());
        if now != last {
            tracing::info!(argon2_verifications = now.0, cache_hits = now.1, cache_misses = now.2, "credential cache");
            last = now;
        }
    }
}
