//! `Application`: connects the store, migrates, seeds, binds the listener and serves.
use crate::auth::{Authenticator, PasswordHashing};
use crate::config::Settings;
use crate::routes::{self, AppState};
use crate::storage::{self, SharedStore};
use crate::tenants;
use actix_web::dev::Server;
use actix_web::{web, App, HttpServer};
use std::net::TcpListener;
use tracing_actix_web::TracingLogger;

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
        let auth =
            Authenticator::new(store.clone(), hashing, settings.credential_cache_capacity).await?;
        let state = web::Data::new(AppState {
            store: store.clone(),
            auth,
            max_subaccounts: settings.max_subaccounts,
        });
        let listener = TcpListener::bind(&settings.bind)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let server = HttpServer::new(move || {
            App::new()
                .wrap(TracingLogger::default())
                .app_data(state.clone())
                .configure(routes::configure)
        })
        .listen(listener)?
        .run();
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

    /// Serves until SIGINT/SIGTERM; actix then stops accepting and lets in-flight requests finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
