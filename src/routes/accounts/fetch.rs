//! GET /2010-04-01/Accounts/{AccountSid}{ext}
use crate::error::ApiError;
use crate::representation::account::AccountView;
use crate::routes::call::Call;
use crate::routes::paths::AccountPath;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

#[tracing::instrument(name = "fetch account", level = "debug", skip_all)]
pub async fn handle(call: Call<AccountPath>) -> Result<HttpResponse, ApiError> {
    Ok(call.reply(StatusCode::OK, &AccountView::redacted(call.target()?)))
}
