//! What a path names: the SIDs in its segments, parsed once, and whether its format suffix exists.
use crate::auth::policy::Family;
use crate::domain::{Account, AccountKind, KeyKind, KeySid, Sid, SidKind};
use crate::error::ApiError;
use crate::storage::SharedStore;
use actix_web::HttpRequest;
use futures_util::future::LocalBoxFuture;

/// A SID segment of a path: a well-formed SID, or something no caller can reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<K: SidKind> {
    Sid(Sid<K>),
    Unreachable,
}

impl<K: SidKind> Segment<K> {
    /// A segment in the middle of a path: no format suffix allowed.
    pub fn inner(raw: &str) -> Self {
        Sid::parse(raw).map_or(Self::Unreachable, Self::Sid)
    }

    /// The last segment, `{Sid}{ext}`: an unknown suffix is no resource at all (404 for anybody).
    pub fn last(raw: &str) -> Result<Self, ApiError> {
        match raw.strip_suffix(".json").or_else(|| raw.strip_suffix(".xml")) {
            Some(bare) => Ok(Self::inner(bare)),
            None if raw.contains('.') => Err(ApiError::NotFound),
            None => Ok(Self::inner(raw)),
        }
    }

    pub fn sid(&self) -> Option<&Sid<K>> {
        match self {
            Self::Sid(sid) => Some(sid),
            Self::Unreachable => None,
        }
    }
}

/// A route's path, as its handlers see it.
pub trait ApiPath: Sized + 'static {
    /// What kind of resource the path is (what a credential may reach).
    const FAMILY: Family;

    /// Reads the route's segments; an error is answered only after authentication.
    fn parse(req: &HttpRequest) -> Result<Self, ApiError>;

    /// The `{AccountSid}` segment, for paths that have one.
    fn account(&self) -> Option<&Segment<AccountKind>>;

    /// Whether what the path names beyond its account (`target`, when it names one) exists: checked before a 405.
    fn exists<'a>(
        &'a self,
        _store: &'a SharedStore,
        _target: Option<&'a Account>,
    ) -> LocalBoxFuture<'a, Result<(), ApiError>> {
        Box::pin(std::future::ready(Ok(())))
    }
}

fn segment<'r>(req: &'r HttpRequest, name: &str) -> &'r str {
    req.match_info().get(name).unwrap_or_default()
}

/// `/2010-04-01/Accounts{ext}`: the list, no SID.
pub struct AccountsPath;

impl ApiPath for AccountsPath {
    const FAMILY: Family = Family::Accounts;

    fn parse(_: &HttpRequest) -> Result<Self, ApiError> {
        Ok(Self)
    }

    fn account(&self) -> Option<&Segment<AccountKind>> {
        None
    }
}

/// `/2010-04-01/Accounts/{AccountSid}{ext}`.
pub struct AccountPath {
    pub account: Segment<AccountKind>,
}

impl ApiPath for AccountPath {
    const FAMILY: Family = Family::Accounts;

    fn parse(req: &HttpRequest) -> Result<Self, ApiError> {
        Ok(Self { account: Segment::last(segment(req, "AccountSid"))? })
    }

    fn account(&self) -> Option<&Segment<AccountKind>> {
        Some(&self.account)
    }
}

/// Any other path under `/2010-04-01/`: nothing there, for any authenticated caller.
pub struct UnknownPath;

impl ApiPath for UnknownPath {
    const FAMILY: Family = Family::Unknown;

    fn parse(_: &HttpRequest) -> Result<Self, ApiError> {
        Err(ApiError::NotFound)
    }

    fn account(&self) -> Option<&Segment<AccountKind>> {
        None
    }
}

/// `/2010-04-01/Accounts/{AccountSid}/Keys{ext}`.
pub struct KeysPath {
    pub account: Segment<AccountKind>,
}

impl ApiPath for KeysPath {
    const FAMILY: Family = Family::Keys;

    fn parse(req: &HttpRequest) -> Result<Self, ApiError> {
        Ok(Self { account: Segment::inner(segment(req, "AccountSid")) })
    }

    fn account(&self) -> Option<&Segment<AccountKind>> {
        Some(&self.account)
    }
}

/// `/2010-04-01/Accounts/{AccountSid}/Keys/{KeySid}{ext}`.
pub struct KeyPath {
    pub account: Segment<AccountKind>,
    pub key: Segment<KeyKind>,
}

impl ApiPath for KeyPath {
    const FAMILY: Family = Family::Keys;

    fn parse(req: &HttpRequest) -> Result<Self, ApiError> {
        let key = Segment::last(segment(req, "KeySid"))?;
        Ok(Self { account: Segment::inner(segment(req, "AccountSid")), key })
    }

    fn account(&self) -> Option<&Segment<AccountKind>> {
        Some(&self.account)
    }

    fn exists<'a>(
        &'a self,
        store: &'a SharedStore,
        target: Option<&'a Account>,
    ) -> LocalBoxFuture<'a, Result<(), ApiError>> {
        Box::pin(async move {
            let account = target.ok_or(ApiError::Internal)?;
            let found = store.key(&account.sid, self.key()?).await?;
            found.map(drop).ok_or(ApiError::NotFound)
        })
    }
}

impl KeyPath {
    /// The key SID, once the caller may reach the account's keys: anything that is not one is 404.
    pub fn key(&self) -> Result<&KeySid, ApiError> {
        self.key.sid().ok_or(ApiError::NotFound)
    }
}

/// `/2010-04-01/Accounts/{AccountSid}/Balance{ext}`.
pub struct BalancePath {
    pub account: Segment<AccountKind>,
}

impl ApiPath for BalancePath {
    const FAMILY: Family = Family::Balance;

    fn parse(req: &HttpRequest) -> Result<Self, ApiError> {
        Ok(Self { account: Segment::inner(segment(req, "AccountSid")) })
    }

    fn account(&self) -> Option<&Segment<AccountKind>> {
        Some(&self.account)
    }
}
