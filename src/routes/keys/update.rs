//! POST /2010-04-01/Accounts/{AccountSid}/Keys/{KeySid}{ext}: FriendlyName.
use crate::error::ApiError;
use crate::representation::key::KeyView;
use crate::routes::call::Call;
use crate::routes::paths::KeyPath;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

#[tracing::instrument(name = "update key", level = "debug", skip_all)]
pub async fn handle(call: Call<KeyPath>) -> Result<HttpResponse, ApiError> {
    let (account, sid) = (&call.target()?.sid, call.path.key()?);
    let store = &call.state.store;
    // The key first: a key that is not there is 404 whatever the body says.
    let key = store.key(account, sid).await?.ok_or(ApiError::NotFound)?;
    let params = call.form()?;
    let key = match super::friendly_name(&params)? {
        Some(name) => store.rename_key(account, sid, &name, chrono::Utc::now()).await?,
        // Nothing recognised: the key as it is.
        None => key,
    };
    Ok(call.reply(StatusCode::OK, &KeyView::new(&key)))
}
