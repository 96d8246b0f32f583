//! The one route table: each endpoint declared once, with its template (for logs and metrics),
//! its methods (for the router and the `Allow` of a 405) and its path type.
pub mod accounts;
pub mod balance;
pub mod call;
pub mod control;
pub mod dashboard;
pub mod health;
pub mod keys;
pub mod paging;
pub mod paths;

use crate::auth::Authenticator;
use crate::error::ApiError;
use crate::journal::Journal;
use crate::metrics::Metrics;
use crate::storage::SharedStore;
use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::http::Method;
use actix_web::{web, Handler, HttpRequest, HttpResponse, Responder};
use call::Call;
use control::{ControlPath, FaultPath, SnapshotPath};
use paths::{AccountPath, AccountsPath, ApiPath, BalancePath, KeyPath, KeysPath, UnknownPath};

/// Everything a handler needs, shared by all workers of one server.
pub struct AppState {
    pub store: SharedStore,
    pub auth: Authenticator,
    pub max_subaccounts: u32,
    pub max_keys_per_account: u32,
    pub max_url_bytes: usize,
    pub max_snapshots_per_tenant: u32,
    pub metrics: Metrics,
    pub journal: Journal,
}

/// The template of the route a request was served by, for log fields and metric labels: never a
/// raw path, so no SID ends up in either.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteTemplate(pub &'static str);

/// What routing falls to when no route matches.
pub const UNMATCHED: RouteTemplate = RouteTemplate("unmatched");

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/healthz").on(Method::GET, health::healthz))
        .service(endpoint("/readyz").on(Method::GET, health::readyz))
        .service(endpoint("/metrics").on(Method::GET, health::metrics))
        // The dashboard's page and assets (CONTROL.md "Dashboard"), each an exact path under /_emulator/.
        .configure(dashboard::configure)
        .service(
            web::scope("/2010-04-01")
                .service(
                    endpoint("/2010-04-01/Accounts{ext}")
                        .on(Method::GET, accounts::list::handle)
                        .on(Method::POST, accounts::create::handle)
                        .otherwise::<AccountsPath>(),
                )
                .service(
                    endpoint("/2010-04-01/Accounts/{AccountSid}")
                        .on(Method::GET, accounts::fetch::handle)
                        .on(Method::POST, accounts::update::handle)
                        .on(Method::PUT, accounts::update::handle)
                        .otherwise::<AccountPath>(),
                )
                .service(
                    endpoint("/2010-04-01/Accounts/{AccountSid}/Keys{ext}")
                        .on(Method::GET, keys::list::handle)
                        .on(Method::POST, keys::create::handle)
                        .otherwise::<KeysPath>(),
                )
                .service(
                    endpoint("/2010-04-01/Accounts/{AccountSid}/Keys/{KeySid}")
                        .on(Method::GET, keys::fetch::handle)
                        .on(Method::POST, keys::update::handle)
                        .on(Method::DELETE, keys::delete::handle)
                        .otherwise::<KeyPath>(),
                )
                .service(
                    endpoint("/2010-04-01/Accounts/{AccountSid}/Balance{ext}")
                        .on(Method::GET, balance::handle)
                        .otherwise::<BalancePath>(),
                )
                .default_service(web::to(unknown_api_path)),
        )
        .service(
            web::scope("/_emulator")
                .service(
                    endpoint("/_emulator/v1/reset").on(Method::POST, control::reset::handle).otherwise::<ControlPath>(),
                )
                .service(
                    endpoint("/_emulator/v1/snapshots")
                        .on(Method::GET, control::snapshots::list)
                        .on(Method::POST, control::snapshots::save)
                        .otherwise::<ControlPath>(),
                )
                .service(
                    endpoint("/_emulator/v1/snapshots/{Name}")
                        .on(Method::DELETE, control::snapshots::delete)
                        .otherwise::<SnapshotPath>(),
                )
                .service(
                    endpoint("/_emulator/v1/snapshots/{Name}/restore")
                        .on(Method::POST, control::snapshots::restore)
                        .otherwise::<SnapshotPath>(),
                )
                .service(
                    endpoint("/_emulator/v1/requests")
                        .on(Method::GET, control::requests::read)
                        .on(Method::DELETE, control::requests::clear)
                        .otherwise::<ControlPath>(),
                )
                .service(
                    endpoint("/_emulator/v1/faults")
                        .on(Method::GET, control::faults::list)
                        .on(Method::POST, control::faults::arm)
                        .on(Method::DELETE, control::faults::disarm_all)
                        .otherwise::<ControlPath>(),
                )
                .service(
                    endpoint("/_emulator/v1/faults/{Id}")
                        .on(Method::DELETE, control::faults::disarm)
                        .otherwise::<FaultPath>(),
                )
                .default_service(web::to(control::unknown)),
        )
        .default_service(web::to(unknown_path));
}

/// The scopes endpoints are registered in: the Twilio API and the emulator's own.
const SCOPES: [&str; 2] = ["/2010-04-01", "/_emulator"];

/// One endpoint of the table. `{ext}` at the end of a template stands for no suffix, `.json` or
/// `.xml`; a SID segment such as `{AccountSid}` takes its suffix along and its path type parses it.
pub struct Endpoint {
    /// One resource per pattern: a static pattern is matched by comparing strings, where one
    /// resource with several patterns would go through a regex set on every request.
    resources: Vec<actix_web::Resource>,
    allow: Vec<String>,
}

pub fn endpoint(template: &'static str) -> Endpoint {
    let label = template.strip_suffix("{ext}").unwrap_or(template);
    // Routes are registered inside their scope, so the scope's prefix is not repeated.
    let relative = |path: &str| {
        let scope = SCOPES.iter().find(|scope| path.starts_with(*scope));
        scope.map_or(path, |scope| &path[scope.len()..]).to_owned()
    };
    let patterns: Vec<String> = match template.strip_suffix("{ext}") {
        Some(bare) => ["", ".json", ".xml"].iter().map(|ext| relative(&format!("{bare}{ext}"))).collect(),
        None => vec![relative(template)],
    };
    let resources = patterns.into_iter().map(|pattern| web::resource(pattern).app_data(RouteTemplate(label))).collect();
    Endpoint { resources, allow: Vec::new() }
}

impl Endpoint {
    /// Serves `method` with `handler`; the method joins the endpoint's `Allow`.
    pub fn on<F, Args>(mut self, method: Method, handler: F) -> Self
    where
        F: Handler<Args> + Clone,
        Args: actix_web::FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.allow.push(method.to_string());
        self.resources = self
            .resources
            .into_iter()
            .map(|resource| resource.route(web::method(method.clone()).to(handler.clone())))
            .collect();
        self
    }

    /// Any other method: 405 with `Allow`, once the caller and the path have passed their checks.
    pub fn otherwise<P: ApiPath>(self) -> Self {
        let allow = self.allow.join(", ");
        let not_allowed = move |call: Call<P>| {
            let allow = allow.clone();
            async move {
                call.path.exists(&call.state.store, call.target().ok()).await?;
                Err::<HttpResponse, _>(ApiError::MethodNotAllowed { allow })
            }
        };
        let resources =
            self.resources.into_iter().map(|resource| resource.default_service(web::to(not_allowed.clone()))).collect();
        Self { resources, ..self }
    }
}

impl HttpServiceFactory for Endpoint {
    fn register(self, config: &mut AppService) {
        for resource in self.resources {
            resource.register(config)
        }
    }
}

/// Any other path under /2010-04-01/: authenticate first, then 404.
async fn unknown_api_path(call: Call<UnknownPath>) -> Result<HttpResponse, ApiError> {
    drop(call);
    Err(ApiError::NotFound)
}

async fn unknown_path(_: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound)
}
