//! Parsed values of every resource: once built, they are valid.
mod account;
mod account_status;
mod account_type;
mod fault;
mod friendly_name;
mod journal;
mod key;
mod money;
mod paging;
mod principal;
mod secret;
mod sid;
mod snapshot;

pub use account::{Account, Timestamp};
pub use account_status::AccountStatus;
pub use account_type::AccountType;
pub use fault::{Fault, FaultMethod, FaultSpec, TakenFault, FAULT_STATUSES, MAX_FAULT_COUNT, MAX_FAULT_DELAY_MS};
pub use friendly_name::{FriendlyName, FriendlyNameError};
pub use journal::{JournalCursor, JournalEntry, JournalFilter, StatusFilter};
pub use key::{Key, KeyType};
pub use money::{Currency, Money};
pub use paging::{Page, PageCursor, PageRequest, PageTokenError, Window, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
pub use principal::Principal;
pub use secret::{AuthToken, Secret};
pub use sid::{AccountKind, AccountSid, FaultId, FaultKind, KeyKind, KeySid, Sid, SidKind};
pub use snapshot::SnapshotName;
