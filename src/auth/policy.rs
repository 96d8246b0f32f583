//! Who reaches what: BEHAVIOUR.md's rules for AuthTokens, as one pure function.
use crate::error::ApiError;
use crate::storage::{Credential, CredentialKind};

/// The kinds of resource a path belongs to; a credential may reach some and not others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `/Accounts{ext}` and `/Accounts/{AccountSid}{ext}`.
    Accounts,
    /// A path that names no resource: every authenticated caller is told so.
    Unknown,
}

/// How the account a path names relates to the credential's account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// The path names no account (a list, an unknown path).
    NoAccount,
    /// The credential's own account.
    Own,
    /// A subaccount of the credential's (main) account.
    Subaccount,
    /// Anything else: another tenant's SID, an unknown SID, or not a SID at all.
    OutOfReach,
}

/// Whether `credential` may reach `relation` within `family`: the refusal says nothing about
/// whether a SID out of reach exists.
pub fn reach(credential: &Credential, family: Family, relation: Relation) -> Result<(), ApiError> {
    match (credential.kind, family, relation) {
        (_, Family::Unknown, _) => Ok(()),
        (CredentialKind::AuthToken, Family::Accounts, Relation::NoAccount | Relation::Own | Relation::Subaccount) => {
            Ok(())
        }
        // A main account learns only that it cannot see the SID; a subaccount is not told even that.
        (CredentialKind::AuthToken, _, Relation::OutOfReach) if credential.is_main() => Err(ApiError::NotFound),
        _ => Err(ApiError::Unauthenticated),
    }
}

#[cfg(test)]
mod tests {
    use super::{reach, Family, Relation};
    use crate::domain::{AccountSid, AccountStatus, Principal};
    use crate::error::ApiError;
    use crate::storage::{Credential, CredentialKind};

    fn token(main: bool) -> Credential {
        let account = AccountSid::generate();
        let tenant = if main { account.clone() } else { AccountSid::generate() };
        Credential {
            principal: Principal::Account(account.clone()),
            kind: CredentialKind::AuthToken,
            account,
            tenant,
            account_status: AccountStatus::Active,
            tenant_status: AccountStatus::Active,
            secret_hash: String::new(),
        }
    }

    #[test]
    fn auth_tokens_reach_their_account_and_a_main_its_subaccounts() {
        for main in [true, false] {
            for relation in [Relation::NoAccount, Relation::Own, Relation::Subaccount] {
                assert!(reach(&token(main), Family::Accounts, relation).is_ok(), "{main} {relation:?}");
            }
        }
        assert!(matches!(reach(&token(true), Family::Accounts, Relation::OutOfReach), Err(ApiError::NotFound)));
        assert!(matches!(reach(&token(false), Family::Accounts, Relation::OutOfReach), Err(ApiError::Unauthenticated)));
    }
}
