//! Parsed values of every resource: once built, they are valid.
mod account;
mod account_status;
mod account_type;
mod auth_token;
mod friendly_name;
mod paging;
mod principal;
mod sid;

pub use account::{Account, Timestamp};
pub use account_status::AccountStatus;
pub use account_type::AccountType;
pub use auth_token::AuthToken;
pub use friendly_name::{FriendlyName, FriendlyNameError};
pub use paging::{Page, PageCursor, PageRequest, PageTokenError, Window, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
pub use principal::Principal;
pub use sid::{AccountKind, AccountSid, FaultId, FaultKind, KeyKind, KeySid, Sid, SidKind};
