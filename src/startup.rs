//! `Application`: connects the store, migrates, seeds, binds the listener and serves.
use crate::auth::{Authenticator, PasswordHashing};
use crate::config::Settings;
use crate::metrics::{AuthCounters, Metrics};
use crate::routes::{self, AppState};
use crate::storage::{self, SharedStore};
use crate::telemetry::{RequestContext, RequestSpan};
use crate::tenants;
use actix_web::dev::{Server, Service};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{web, App, HttpMessage, HttpServer};
use std::net::TcpListener;
use std::time::Duration;
use tracing_actix_web::TracingLogger;

/// How often the credential-cache counters are logged (when they changed).
const AUTH_LOG_INTERVAL: Duration = Duration::from_secs(60);

pub struct Application {
    port: u16,
    server: Server,
    store: SharedStore,
}

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let url = settings.database_url();
        let store = storage::connect(&url, &settings.pool()).await?;
        store.migrate().await?;
        let hashing = PasswordHashing::new(settings.argon2)?;
        tenants::seed(store.as_ref(), &hashing, &settings.seed.accounts).await?;
        let counters = AuthCounters::default();
        let auth = Authenticator::new(
            store.clone(),
            hashing,
            settings.credential_cache_capacity,
            counters.clone(),
        )
        .await?;
        let state = web::Data::new(AppState {
            store: store.clone(),
            auth,
            max_subaccounts: settings.max_subaccounts,
            metrics: Metrics::new(counters.clone()),
        });
        let listener = TcpListener::bind(&settings.bind)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let app_state = state.clone();
        let server = HttpServer::new(move || {
            let metrics_state = app_state.clone();
            App::new()
                .wrap(TracingLogger::<RequestSpan>::new())
                // Outermost: the request id and start time exist before the span, and every
                // answer carries the id back and is counted.
                .wrap_fn(move |req, service| {
                    let context = RequestContext::from_request(&req);
                    let method = req.method().to_string();
                    let route = req
                        .match_pattern()
                        .unwrap_or_else(|| "unmatched".to_owned());
                    req.extensions_mut().insert(context.clone());
                    let response = service.call(req);
                    let state = metrics_state.clone();
                    async move {
                        let mut response = response.await?;
                        let seconds = context.started.elapsed().as_secs_f64();
                        state
                            .metrics
                            .observe(&method, &route, response.status().as_u16(), seconds);
                        if let Ok(id) = HeaderValue::from_str(&context.id) {
                            response
                                .headers_mut()
                                .insert(HeaderName::from_static("x-request-id"), id);
                        }
                        Ok(response)
                    }
                })
                .app_data(app_state.clone())
                .configure(routes::configure)
        })
        .shutdown_timeout(10)
        .listen(listener)?
        .run();
        tokio::spawn(log_auth_counters(counters));
        Ok(Self {
            port,
            server,
            store,
        })
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
        self.server.await
    }
}

/// Writes the argon2 and cache counters to the log when they changed.
async fn log_auth_counters(counters: AuthCounters) {
    let mut last = (0, 0, 0);
    let mut ticks = tokio::time::interval(AUTH_LOG_INTERVAL);
    loop {
        ticks.tick().await;
        let now = (
            counters.argon2_verifications.get(),
            counters.cache_hits.get(),
            counters.cache_misses.get(),
        );
        if now != last {
            tracing::info!(
                argon2_verifications = now.0,
                cache_hits = now.1,
                cache_misses = now.2,
                "credential cache"
            );
            last = now;
        }
    }
}
