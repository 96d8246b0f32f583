//! GET /2010-04-01/Accounts/{AccountSid}{ext}
use super::InstanceRequest;
use crate::error::Rejection;
use crate::representation::account::{self, TokenView};
use crate::routes::{respond, AppState};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

#[tracing::instrument(name = "fetch account", level = "debug", skip_all)]
pub async fn handle(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, Rejection> {
    let request = InstanceRequest::authorize(&req, &state).await?;
    let body = account::render(request.target(), TokenView::Redacted, request.format);
    Ok(respond(StatusCode::OK, request.format, body))
}
