//! GET /2010-04-01/Accounts/{AccountSid}/Keys/{KeySid}{ext}
use crate::error::ApiError;
use crate::representation::key::KeyView;
use crate::routes::call::Call;
use crate::routes::paths::KeyPath;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

#[tracing::instrument(name = "fetch key", level = "debug", skip_all)]
pub async fn handle(call: Call<KeyPath>) -> Result<HttpResponse, ApiError> {
    let key = call.state.store.key(&call.target()?.sid, call.path.key()?).await?.ok_or(ApiError::NotFound)?;
    Ok(call.reply(StatusCode::OK, &KeyView::new(&key)))
}
