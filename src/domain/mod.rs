//! Parsed values of the Accounts resource: once built, they are valid.
mod account;
mod account_sid;
mod account_status;
mod account_type;
mod auth_token;
mod friendly_name;
mod page_request;

pub use account::{Account, Timestamp};
pub use account_sid::AccountSid;
pub use account_status::AccountStatus;
pub use account_type::AccountType;
pub use auth_token::AuthToken;
pub use friendly_name::FriendlyName;
pub use page_request::{PageCursor, PageRequest, PageTokenError, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
