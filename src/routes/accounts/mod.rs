//! The Accounts list and instance resources: one file per action.
pub mod create;
pub mod fetch;
pub mod list;
pub mod update;
