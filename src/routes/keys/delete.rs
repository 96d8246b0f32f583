//! DELETE /2010-04-01/Accounts/{AccountSid}/Keys/{KeySid}{ext}: 204, and the key authenticates
//! nothing from the next request on, on every instance.
use crate::error::ApiError;
use crate::routes::call::Call;
use crate::routes::paths::KeyPath;
use actix_web::HttpResponse;

#[tracing::instrument(name = "delete key", level = "debug", skip_all)]
pub async fn handle(call: Call<KeyPath>) -> Result<HttpResponse, ApiError> {
    call.state.store.delete_key(Some(&call.target()?.sid), call.path.key()?).await?;
    Ok(HttpResponse::NoContent().finish())
}
