//! The Keys list and instance resources of an account: one file per action.
pub mod create;
pub mod delete;
pub mod fetch;
pub mod list;
pub mod update;

use crate::domain::FriendlyName;
use crate::error::ApiError;
use crate::form::Params;

/// The one parameter a key takes, on create and on update: 1..64 characters, no control characters.
fn friendly_name(params: &Params) -> Result<Option<FriendlyName>, ApiError> {
    params
        .single("FriendlyName")?
        .map(|raw| FriendlyName::parse(raw).map_err(|why| ApiError::invalid("FriendlyName", why)))
        .transpose()
}
