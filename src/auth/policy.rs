//! Who reaches what (BEHAVIOUR.md for AuthTokens, KEYS.md for keys), as one pure function.
use crate::domain::KeyType;
use crate::error::ApiError;
use crate::storage::{Credential, CredentialKind};

/// The kinds of resource a path belongs to; a credential may reach some and not others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `/Accounts{ext}` and `/Accounts/{AccountSid}{ext}`.
    Accounts,
    /// `/Accounts/{AccountSid}/Keys{ext}` and `/Keys/{KeySid}{ext}`.
    Keys,
    /// `/Accounts/{AccountSid}/Balance{ext}`.
    Balance,
    /// A path that names no resource: every authenticated caller is told so.
    Unknown,
    /// The tenant's control plane, `/_emulator/v1/`: its main account's AuthToken or Main keys.
    Control,
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

/// Whether `credential` may reach `relation` within `family`. A refusal never tells whether a
/// SID out of reach exists: a main account's AuthToken (and its Main keys where they act as it)
/// gets 404 for all of them, everyone else 401.
pub fn reach(credential: &Credential, family: Family, relation: Relation) -> Result<(), ApiError> {
    use Relation::{NoAccount, OutOfReach, Own, Subaccount};
    let acts_as_main = matches!(credential.kind, CredentialKind::AuthToken | CredentialKind::Key(KeyType::Main));
    let allowed = match (credential.kind, family) {
        (_, Family::Unknown) => true,
        // Valid credentials that are not the main account's own are told they may not, not that
        // they are unknown: a subaccount or a Standard key gets 403.
        (_, Family::Control) if acts_as_main && credential.is_main() => true,
        (_, Family::Control) => return Err(ApiError::Forbidden),
        // An AuthToken reaches its account and, for a main account, its subaccounts.
        (CredentialKind::AuthToken, _) => matches!(relation, NoAccount | Own | Subaccount),
        // A Main key acts as its account's AuthToken on the Accounts resource, and reaches its own
        // account's Keys and Balance only.
        (CredentialKind::Key(KeyType::Main), Family::Accounts) => matches!(relation, NoAccount | Own | Subaccount),
        (CredentialKind::Key(KeyType::Main), Family::Keys | Family::Balance) => relation == Own,
        // A Standard key reads its own account's Balance and nothing else.
        (CredentialKind::Key(KeyType::Standard), Family::Balance) => relation == Own,
        (CredentialKind::Key(KeyType::Standard), _) => false,
    };
    let acts_as_main_token = matches!(
        (credential.kind, family),
        (CredentialKind::AuthToken, _) | (CredentialKind::Key(KeyType::Main), Family::Accounts)
    );
    match (allowed, relation) {
        (true, _) => Ok(()),
        (false, OutOfReach) if acts_as_main_token && credential.is_main() => Err(ApiError::NotFound),
        (false, _) => Err(ApiError::Unauthenticated),
    }
}

#[cfg(test)]
mod tests {
    use super::{reach, Family, Relation};
    use crate::domain::{AccountSid, AccountStatus, KeyType, Principal};
    use crate::error::ApiError;
    use crate::storage::{Credential, CredentialKind};

    fn credential(kind: CredentialKind, main: bool) -> Credential {
        let account = AccountSid::generate();
        let tenant = if main { account.clone() } else { AccountSid::generate() };
        Credential {
            principal: Principal::Account(account.clone()),
            kind,
            account,
            tenant,
            account_status: AccountStatus::Active,
            tenant_status: AccountStatus::Active,
            secret_hash: String::new(),
        }
    }

    /// The answer for each relation, in the order NoAccount, Own, Subaccount, OutOfReach.
    fn answers(kind: CredentialKind, main: bool, family: Family) -> Vec<&'static str> {
        [Relation::NoAccount, Relation::Own, Relation::Subaccount, Relation::OutOfReach]
            .map(|relation| match reach(&credential(kind, main), family, relation) {
                Ok(()) => "ok",
                Err(ApiError::NotFound) => "404",
                Err(ApiError::Unauthenticated) => "401",
                Err(other) => panic!("{other:?}"),
            })
            .to_vec()
    }

    #[test]
    fn the_table_of_keys_md() {
        use CredentialKind::{AuthToken, Key};
        use Family::{Accounts, Balance, Keys};
        let (main_key, standard) = (Key(KeyType::Main), Key(KeyType::Standard));
        let cases = [
            (AuthToken, true, Accounts, ["ok", "ok", "ok", "404"]),
            (AuthToken, true, Keys, ["ok", "ok", "ok", "404"]),
            (AuthToken, true, Balance, ["ok", "ok", "ok", "404"]),
            (AuthToken, false, Accounts, ["ok", "ok", "ok", "401"]),
            (AuthToken, false, Balance, ["ok", "ok", "ok", "401"]),
            (main_key, true, Accounts, ["ok", "ok", "ok", "404"]),
            (main_key, true, Keys, ["401", "ok", "401", "401"]),
            (main_key, true, Balance, ["401", "ok", "401", "401"]),
            (main_key, false, Accounts, ["ok", "ok", "ok", "401"]),
            (main_key, false, Keys, ["401", "ok", "401", "401"]),
            (standard, true, Accounts, ["401", "401", "401", "401"]),
            (standard, true, Keys, ["401", "401", "401", "401"]),
            (standard, true, Balance, ["401", "ok", "401", "401"]),
            (standard, false, Balance, ["401", "ok", "401", "401"]),
        ];
        for (kind, main, family, expected) in cases {
            assert_eq!(answers(kind, main, family), expected, "{kind:?} main={main} {family:?}");
        }
        for kind in [AuthToken, main_key, standard] {
            assert_eq!(answers(kind, false, Family::Unknown), ["ok"; 4], "{kind:?}");
        }
        let control = |kind, main| reach(&credential(kind, main), Family::Control, Relation::NoAccount);
        assert!(control(AuthToken, true).is_ok() && control(main_key, true).is_ok());
        for (kind, main) in [(AuthToken, false), (main_key, false), (standard, true), (standard, false)] {
            assert!(matches!(control(kind, main), Err(ApiError::Forbidden)), "{kind:?} main={main}");
        }
    }
}
