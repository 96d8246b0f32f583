//! The tenant's control plane, `/_emulator/v1/` (CONTROL.md): reset, snapshots, the request
//! journal and faults. JSON only; the caller is the tenant's main account (its AuthToken or a Main
//! key), and the tenant acted on is always the caller's own.
pub mod faults;
pub mod requests;
pub mod reset;
pub mod snapshots;

use super::call::Call;
use super::paths::{ApiPath, Segment};
use crate::auth::policy::Family;
use crate::domain::{AccountKind, FaultId, SnapshotName};
use crate::error::ApiError;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

/// A control-plane path without parameters: `/reset`, `/snapshots`, `/requests`, `/faults`.
pub struct ControlPath;

impl ApiPath for ControlPath {
    const FAMILY: Family = Family::Control;

    fn parse(_: &HttpRequest) -> Result<Self, ApiError> {
        Ok(Self)
    }

    fn account(&self) -> Option<&Segment<AccountKind>> {
        None
    }
}

/// `/snapshots/{Name}` and `/snapshots/{Name}/restore`: a name that cannot be one names nothing.
pub struct SnapshotPath {
    pub name: Option<SnapshotName>,
}

impl ApiPath for SnapshotPath {
    const FAMILY: Family = Family::Control;

    fn parse(req: &HttpRequest) -> Result<Self, ApiError> {
        Ok(Self { name: req.match_info().get("Name").and_then(SnapshotName::parse) })
    }

    fn account(&self) -> Option<&Segment<AccountKind>> {
        None
    }
}

/// `/faults/{Id}`.
pub struct FaultPath {
    pub id: Option<FaultId>,
}

impl ApiPath for FaultPath {
    const FAMILY: Family = Family::Control;

    fn parse(req: &HttpRequest) -> Result<Self, ApiError> {
        Ok(Self { id: req.match_info().get("Id").and_then(FaultId::parse) })
    }

    fn account(&self) -> Option<&Segment<AccountKind>> {
        None
    }
}

/// Any other path under `/_emulator/`: the credentials first (401, 403), then 404.
pub struct UnknownControlPath;

impl ApiPath for UnknownControlPath {
    const FAMILY: Family = Family::Control;

    fn parse(_: &HttpRequest) -> Result<Self, ApiError> {
        Err(ApiError::NotFound)
    }

    fn account(&self) -> Option<&Segment<AccountKind>> {
        None
    }
}

pub async fn unknown(call: Call<UnknownControlPath>) -> Result<HttpResponse, ApiError> {
    drop(call);
    Err(ApiError::NotFound)
}

/// A JSON answer of the control plane.
fn json<T: Serialize>(status: StatusCode, body: &T) -> HttpResponse {
    HttpResponse::build(status).json(body)
}
