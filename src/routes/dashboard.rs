//! The dashboard (CONTROL.md "Dashboard"): a few hand-written files under `src/dashboard/`, built
//! into the binary and served under `/_emulator/` without auth. The page is a client of the public
//! endpoints like any other, so nothing here reads the store.
use super::RouteTemplate;
use crate::error::ApiError;
use actix_web::http::header;
use actix_web::middleware::DefaultHeaders;
use actix_web::{web, HttpResponse};

/// Only this origin, and no inline script or style: stored values are shown as text by the page,
/// and Trusted Types make any markup sink throw, so a FriendlyName can never become markup.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; \
     require-trusted-types-for 'script'; trusted-types 'none'";

/// One embedded file and the path it is served at.
struct Asset {
    path: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

macro_rules! asset {
    ($path:literal, $file:literal, $content_type:expr) => {
        Asset { path: $path, content_type: $content_type, body: include_bytes!(concat!("../dashboard/", $file)) }
    };
}

const JS: &str = "text/javascript; charset=utf-8";

static ASSETS: &[Asset] = &[
    asset!("/_emulator/", "index.html", "text/html; charset=utf-8"),
    asset!("/_emulator/assets/app.css", "app.css", "text/css; charset=utf-8"),
    asset!("/_emulator/assets/favicon.svg", "favicon.svg", "image/svg+xml"),
    asset!("/_emulator/assets/app.js", "app.js", JS),
    asset!("/_emulator/assets/api.js", "api.js", JS),
    asset!("/_emulator/assets/dom.js", "dom.js", JS),
    asset!("/_emulator/assets/accounts.js", "accounts.js", JS),
    asset!("/_emulator/assets/keys.js", "keys.js", JS),
    asset!("/_emulator/assets/requests.js", "requests.js", JS),
    asset!("/_emulator/assets/snapshots.js", "snapshots.js", JS),
    asset!("/_emulator/assets/faults.js", "faults.js", JS),
    asset!("/_emulator/assets/reset.js", "reset.js", JS),
];

/// The page and its assets, one resource each (no wildcard: any other path under `/_emulator/`
/// stays the control plane's to answer), plus `/_emulator` sent on to the page.
pub fn configure(cfg: &mut web::ServiceConfig) {
    for asset in ASSETS {
        cfg.service(
            web::resource(asset.path)
                .app_data(RouteTemplate(asset.path))
                .wrap(security_headers())
                .route(web::get().to(move || async move { serve(asset) }))
                .default_service(web::to(only_get)),
        );
    }
    cfg.service(
        web::resource("/_emulator")
            .app_data(RouteTemplate("/_emulator"))
            .wrap(security_headers())
            .route(web::get().to(|| async {
                HttpResponse::PermanentRedirect().insert_header((header::LOCATION, "/_emulator/")).finish()
            }))
            .default_service(web::to(only_get)),
    );
}

fn serve(asset: &'static Asset) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(asset.content_type)
        // Small files that change with the binary: always revalidate, so an upgrade shows at once.
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(asset.body)
}

async fn only_get() -> Result<HttpResponse, ApiError> {
    Err(ApiError::MethodNotAllowed { allow: "GET".to_owned() })
}

/// Added to every answer of these resources, errors included.
fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::HeaderName::from_static("cross-origin-opener-policy"), "same-origin"))
        .add((header::HeaderName::from_static("cross-origin-resource-policy"), "same-origin"))
}
