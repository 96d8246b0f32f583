//! POST /_emulator/v1/reset: the tenant as its main account alone, with its Main keys.
use super::{json, ControlPath};
use crate::error::ApiError;
use crate::representation::control::Reset;
use crate::routes::call::Call;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

#[tracing::instrument(name = "reset tenant", level = "debug", skip_all)]
pub async fn handle(call: Call<ControlPath>) -> Result<HttpResponse, ApiError> {
    call.form()?;
    let tenant = &call.caller.credential.tenant;
    let report = call.state.store.reset(tenant).await?;
    Ok(json(StatusCode::OK, &Reset::new(tenant, report)))
}
