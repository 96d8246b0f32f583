//! Baseline: Basic auth, one primary-key query, a SHA-256 comparison, the emulator's fetch XML.
use actix_web::{get, http::header, web, App, HttpRequest, HttpResponse, HttpServer};
use base64::{engine::general_purpose::STANDARD, Engine};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::{postgres::PgPoolOptions, PgPool};

type Row = (String, String, String, String, DateTime<Utc>, DateTime<Utc>, String);
const SUBRESOURCES: [(&str, &str); 10] = [
    ("AvailablePhoneNumbers", "AvailablePhoneNumbers"), ("Calls", "Calls"), ("Conferences", "Conferences"),
    ("IncomingPhoneNumbers", "IncomingPhoneNumbers"), ("Notifications", "Notifications"),
    ("OutgoingCallerIds", "OutgoingCallerIds"), ("Recordings", "Recordings"), ("Sandbox", "Sandbox"),
    ("SMSMessages", "SMS/Messages"), ("Transcriptions", "Transcriptions"),
];

fn unauthorized() -> HttpResponse {
    HttpResponse::Unauthorized().insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"Twilio API\"")).finish()
}

#[get("/2010-04-01/Accounts/{sid}")]
async fn fetch(req: HttpRequest, sid: web::Path<String>, pool: web::Data<PgPool>) -> HttpResponse {
    let basic = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Basic "));
    let decoded = basic.and_then(|b| STANDARD.decode(b).ok()).and_then(|b| String::from_utf8(b).ok()).unwrap_or_default();
    let Some((user, token)) = decoded.split_once(':').filter(|(user, _)| *user == sid.as_str()) else { return unauthorized() };
    let row: Option<Row> = match sqlx::query_as("SELECT sid, friendly_name, type, status, date_created, date_updated, \
                                                 auth_token_hash FROM baseline_accounts WHERE sid = $1")
        .bind(user).fetch_optional(pool.get_ref()).await {
        Ok(row) => row,
        Err(_) => return HttpResponse::ServiceUnavailable().finish(),
    };
    let Some((sid, name, kind, status, created, updated, hash)) = row else { return unauthorized() };
    if format!("{:x}", Sha256::digest(token.as_bytes())) != hash { return unauthorized() }
    let date = |at: DateTime<Utc>| at.format("%a, %d %b %Y %H:%M:%S +0000").to_string();
    let name = name.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let base = format!("/2010-04-01/Accounts/{sid}");
    let mut xml = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><TwilioResponse><Account><Sid>{sid}</Sid>\
        <FriendlyName>{name}</FriendlyName><Type>{kind}</Type><Status>{status}</Status><DateCreated>{}</DateCreated>\
        <DateUpdated>{}</DateUpdated><AuthToken>redacted</AuthToken><Uri>{base}</Uri><SubresourceUris>",
        date(created), date(updated));
    for (element, segment) in SUBRESOURCES { xml += &format!("<{element}>{base}/{segment}</{element}>") }
    xml += "</SubresourceUris></Account></TwilioResponse>";
    HttpResponse::Ok().content_type("application/xml").body(xml)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let bind = std::env::var("BASELINE_BIND").unwrap_or_else(|_| "127.0.0.1:18081".into());
    // The emulator's default pool size.
    let pool = PgPoolOptions::new().max_connections(16).connect(&url).await.expect("connect");
    let pool = web::Data::new(pool);
    HttpServer::new(move || App::new().app_data(pool.clone()).service(fetch)).bind(bind)?.run().await
}
