//! Snapshots: save (`POST /snapshots`), list, restore (`POST /snapshots/{Name}/restore`), delete.
use super::{json, ControlPath, SnapshotPath};
use crate::domain::SnapshotName;
use crate::error::ApiError;
use crate::representation::control::{Restored, Snapshot, Snapshots};
use crate::routes::call::Call;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

#[tracing::instrument(name = "save snapshot", level = "debug", skip_all)]
pub async fn save(call: Call<ControlPath>) -> Result<HttpResponse, ApiError> {
    let params = call.form()?;
    let name = params.single("Name")?.ok_or_else(|| ApiError::invalid("Name", "is required"))?;
    let name = SnapshotName::parse(name)
        .ok_or_else(|| ApiError::invalid("Name", "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'"))?;
    let (tenant, state) = (&call.caller.credential.tenant, &call.state);
    let (info, replaced) =
        state.store.save_snapshot(tenant, &name, chrono::Utc::now(), state.max_snapshots_per_tenant).await?;
    let status = if replaced { StatusCode::OK } else { StatusCode::CREATED };
    Ok(json(status, &Snapshot::new(&info)))
}

#[tracing::instrument(name = "list snapshots", level = "debug", skip_all)]
pub async fn list(call: Call<ControlPath>) -> Result<HttpResponse, ApiError> {
    let snapshots = call.state.store.snapshots(&call.caller.credential.tenant).await?;
    Ok(json(StatusCode::OK, &Snapshots { snapshots: snapshots.iter().map(Snapshot::new).collect() }))
}

#[tracing::instrument(name = "restore snapshot", level = "debug", skip_all)]
pub async fn restore(call: Call<SnapshotPath>) -> Result<HttpResponse, ApiError> {
    let name = call.path.name.clone().ok_or(ApiError::NotFound)?;
    call.form()?;
    let info = call.state.store.restore_snapshot(&call.caller.credential.tenant, &name, chrono::Utc::now()).await?;
    Ok(json(StatusCode::OK, &Restored::new(&info)))
}

#[tracing::instrument(name = "delete snapshot", level = "debug", skip_all)]
pub async fn delete(call: Call<SnapshotPath>) -> Result<HttpResponse, ApiError> {
    let name = call.path.name.as_ref().ok_or(ApiError::NotFound)?;
    call.state.store.delete_snapshot(&call.caller.credential.tenant, name).await?;
    Ok(HttpResponse::NoContent().finish())
}
