//! The one route table, and what every handler shares.
pub mod accounts;
pub mod health;

use crate::auth::Authenticator;
use crate::error::{ApiError, Rejection};
use crate::metrics::Metrics;
use crate::representation::Format;
use crate::storage::SharedStore;
use actix_web::{web, HttpRequest, HttpResponse};

/// Everything a handler needs, shared by all workers of one server.
pub struct AppState {
    pub store: SharedStore,
    pub auth: Authenticator,
    pub max_subaccounts: u32,
    pub max_url_bytes: usize,
    pub metrics: Metrics,
}

/// Twilio's limit on a request body.
pub const BODY_LIMIT: usize = 64 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .route("/metrics", web::get().to(health::metrics))
        .service(
            web::scope("/2010-04-01")
                .service(
                    web::resource(["/Accounts", "/Accounts.json", "/Accounts.xml"])
                        .route(web::get().to(accounts::list::handle))
                        .route(web::post().to(accounts::create::handle))
                        .default_service(web::to(accounts::list_method_not_allowed)),
                )
                .service(
                    web::resource("/Accounts/{sid}")
                        .route(web::get().to(accounts::fetch::handle))
                        .route(web::post().to(accounts::update::handle))
                        .route(web::put().to(accounts::update::handle))
                        .default_service(web::to(accounts::instance_method_not_allowed)),
                )
                .default_service(web::to(unknown_api_path)),
        )
        .default_service(web::to(unknown_path));
}

/// The template of the route table entry a path falls to, for logs and metric labels. A plain
/// string match: asking the router again would run its regexes a second time per request.
pub fn route_template(path: &str) -> &'static str {
    const LIST: [&str; 3] = ["/2010-04-01/Accounts", "/2010-04-01/Accounts.json", "/2010-04-01/Accounts.xml"];
    match path {
        "/healthz" => "/healthz",
        "/readyz" => "/readyz",
        "/metrics" => "/metrics",
        _ if LIST.contains(&path) => "/2010-04-01/Accounts",
        _ => match path.strip_prefix("/2010-04-01/Accounts/") {
            Some(sid) if !sid.is_empty() && !sid.contains('/') => "/2010-04-01/Accounts/{sid}",
            _ => "unmatched",
        },
    }
}

/// Any other path under /2010-04-01/: authenticate first, then 404.
async fn unknown_api_path(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, Rejection> {
    let format = Format::of_path(req.path());
    state.auth.authenticate(req.headers().get("authorization"), None).await.map_err(|e| e.at(format))?;
    Err(not_found(&req).at(format))
}

async fn unknown_path(req: HttpRequest) -> Result<HttpResponse, Rejection> {
    Err(not_found(&req).at(Format::of_path(req.path())))
}

pub fn not_found(req: &HttpRequest) -> ApiError {
    ApiError::NotFound { path: req.path().to_owned() }
}

pub fn respond(status: actix_web::http::StatusCode, format: Format, body: Vec<u8>) -> HttpResponse {
    HttpResponse::build(status).content_type(format.content_type()).body(body)
}

#[cfg(test)]
mod tests {
    use super::route_template;

    #[test]
    fn route_templates_follow_the_route_table() {
        let cases = [
            ("/healthz", "/healthz"),
            ("/metrics", "/metrics"),
            ("/2010-04-01/Accounts.json", "/2010-04-01/Accounts"),
            ("/2010-04-01/Accounts", "/2010-04-01/Accounts"),
            ("/2010-04-01/Accounts/ACx.json", "/2010-04-01/Accounts/{sid}"),
            ("/2010-04-01/Accounts/", "unmatched"),
            ("/2010-04-01/Accounts/AC1/Calls", "unmatched"),
            ("/2010-04-01/Accounts.csv", "unmatched"),
            ("/anything", "unmatched"),
        ];
        for (path, template) in cases {
            assert_eq!(route_template(path), template, "{path}");
        }
    }
}
