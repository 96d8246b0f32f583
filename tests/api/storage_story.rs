//! The storage story: one scenario straight against the store, no HTTP, on both backends. Every
//! statement the resources use is exercised, and both backends must tell the story alike.
use crate::backend_tests;
use crate::helpers::{test_settings, Backend, TestDatabase};
use chrono::{Duration, SubsecRound, Utc};
use twilio_emulator::domain::{
    AccountKind, AccountSid, AccountStatus, AccountType, Currency, FriendlyName, Money, Page, Principal, Timestamp,
    Window,
};
use twilio_emulator::storage::{
    self, AccountChange, AccountFilters, AccountScope, CredentialKind, NewAccount, Opening, SharedStore, StoreError,
};

backend_tests!(the_accounts_story, the_list_story);

async fn store(backend: Backend) -> (SharedStore, TestDatabase) {
    let database = TestDatabase::create(backend).await;
    let settings = test_settings(&database.url);
    let store = storage::connect(&database.url, &settings.pool()).await.expect("connect");
    store.migrate().await.expect("migrate");
    store.migrate().await.expect("migrating twice changes nothing");
    (store, database)
}

fn new_account(name: &str, hash: &str, created_at: Timestamp) -> NewAccount {
    NewAccount {
        sid: AccountSid::generate(),
        friendly_name: FriendlyName::parse(name).unwrap(),
        token_hash: hash.to_owned(),
        created_at,
    }
}

fn opening() -> Opening {
    Opening { balance: Money::parse("20.00").unwrap(), currency: Currency::parse("USD").unwrap() }
}

fn name(raw: &str) -> Option<FriendlyName> {
    Some(FriendlyName::parse(raw).unwrap())
}

async fn the_accounts_story(backend: Backend) {
    let (store, _database) = store(backend).await;
    // Instants are stored to the microsecond.
    let start = Utc::now().trunc_subsecs(6);
    let main =
        store.insert_main(&new_account("Main", "$argon2id$main", start), AccountType::Trial, opening()).await.unwrap();
    assert_eq!(
        (main.owner.clone(), main.status, main.account_type),
        (main.sid.clone(), AccountStatus::Active, AccountType::Trial)
    );
    assert_eq!(main.date_created, main.date_updated);
    assert!(matches!(
        store
            .insert_main(
                &NewAccount { sid: main.sid.clone(), ..new_account("Again", "$argon2id$x", start) },
                AccountType::Full,
                opening()
            )
            .await,
        Err(StoreError::Conflict)
    ));

    // Subaccounts inherit the main's type, up to the cap.
    let first = store.insert_subaccount(&main.sid, &new_account("One", "$argon2id$one", start), 2).await.unwrap();
    let second = store.insert_subaccount(&main.sid, &new_account("Two", "$argon2id$two", start), 2).await.unwrap();
    assert_eq!((first.owner.clone(), first.account_type), (main.sid.clone(), AccountType::Trial));
    assert!(matches!(
        store.insert_subaccount(&main.sid, &new_account("Three", "$argon2id$3", start), 2).await,
        Err(StoreError::SubaccountLimit(2))
    ));

    // One read tells who a credential is, its tenant's figures, and the target within its reach.
    let principal = Principal::Account(main.sid.clone());
    let access = store.access(&principal, Some(&second.sid)).await.unwrap().unwrap();
    assert_eq!(access.credential.kind, CredentialKind::AuthToken);
    assert_eq!(
        (access.credential.account.clone(), access.credential.tenant.clone()),
        (main.sid.clone(), main.sid.clone())
    );
    assert_eq!(access.credential.secret_hash, "$argon2id$main");
    assert_eq!(access.target.as_ref(), Some(&second));
    let as_sub = store.access(&Principal::Account(first.sid.clone()), Some(&second.sid)).await.unwrap().unwrap();
    assert_eq!(as_sub.target, None, "a sibling is out of a subaccount's reach");
    assert_eq!(as_sub.credential.tenant, main.sid);
    assert!(store.access(&Principal::Account(AccountSid::generate()), None).await.unwrap().is_none());

    // Updates: DateUpdated moves only when a value changes, never backwards; closed is final.
    let later = start + Duration::seconds(5);
    let change = AccountChange { friendly_name: name("One renamed"), status: None };
    let renamed = store.update(&first.sid, &change, later).await.unwrap();
    assert_eq!((renamed.friendly_name.as_str(), renamed.date_updated), ("One renamed", later));
    let same = store.update(&first.sid, &change, later + Duration::seconds(1)).await.unwrap();
    assert_eq!(same.date_updated, later, "nothing changed");
    let earlier =
        store.update(&first.sid, &AccountChange { friendly_name: name("Back"), status: None }, start).await.unwrap();
    assert_eq!(earlier.date_updated, later, "DateUpdated never goes back");
    let closing = AccountChange { friendly_name: None, status: Some(AccountStatus::Closed) };
    assert_eq!(store.update(&first.sid, &closing, later).await.unwrap().status, AccountStatus::Closed);
    let reopen = AccountChange { friendly_name: None, status: Some(AccountStatus::Active) };
    assert!(matches!(store.update(&first.sid, &reopen, later).await, Err(StoreError::Closed)));
    assert!(matches!(store.update(&AccountSid::generate(), &reopen, later).await, Err(StoreError::NotFound)));
    let access = store.access(&Principal::Account(first.sid.clone()), None).await.unwrap().unwrap();
    assert!(!access.credential.is_active());

    // Tokens are replaced whole; the operator's view lists main accounts only.
    store.set_token_hash(&second.sid, "$argon2id$rotated", later).await.unwrap();
    let access = store.access(&Principal::Account(second.sid.clone()), None).await.unwrap().unwrap();
    assert_eq!(access.credential.secret_hash, "$argon2id$rotated");
    assert!(matches!(
        store.set_token_hash(&AccountSid::generate(), "$argon2id$x", later).await,
        Err(StoreError::NotFound)
    ));
    let mains = store.main_accounts().await.unwrap();
    assert_eq!(mains.iter().map(|a| a.sid.clone()).collect::<Vec<_>>(), vec![main.sid.clone()]);
}

async fn the_list_story(backend: Backend) {
    let (store, _database) = store(backend).await;
    let start = Utc::now();
    let main =
        store.insert_main(&new_account("Main", "$argon2id$m", start), AccountType::Full, opening()).await.unwrap();
    let mut sids = vec![main.sid.clone()];
    for n in 1..=6 {
        // Microseconds apart: the order keeps sub-second precision on both backends.
        let at = start + Duration::microseconds(n);
        let name = if n % 2 == 0 { "Even" } else { "Odd" };
        sids.push(store.insert_subaccount(&main.sid, &new_account(name, "$argon2id$s", at), 10).await.unwrap().sid);
    }
    let tenant = AccountScope::Tenant(main.sid.clone());
    let all = AccountFilters::default();
    let list = |window: Window<AccountKind>, filters: AccountFilters| {
        let (store, tenant) = (store.clone(), tenant.clone());
        async move { store.list_accounts(&tenant, &filters, &window).await.map(|(page, _)| page) }
    };
    let sids_of =
        |page: &Page<twilio_emulator::domain::Account>| page.items.iter().map(|a| a.sid.clone()).collect::<Vec<_>>();

    let first = list(Window::Offset { offset: 0, limit: 3 }, all.clone()).await.unwrap();
    assert_eq!((sids_of(&first), first.has_next), (sids[0..3].to_vec(), true));
    let direct = list(Window::Offset { offset: 3, limit: 3 }, all.clone()).await.unwrap();
    assert_eq!((sids_of(&direct), direct.has_next), (sids[3..6].to_vec(), true));
    let last = list(Window::Offset { offset: 6, limit: 3 }, all.clone()).await.unwrap();
    assert_eq!((sids_of(&last), last.has_next), (sids[6..].to_vec(), false));
    let past = list(Window::Offset { offset: 30, limit: 3 }, all.clone()).await.unwrap();
    assert_eq!((past.items.len(), past.has_next), (0, false));

    let after = list(Window::After { sid: sids[2].clone(), limit: 3 }, all.clone()).await.unwrap();
    assert_eq!(sids_of(&after), sids[3..6].to_vec());
    let before = list(Window::Before { sid: sids[5].clone(), limit: 3 }, all.clone()).await.unwrap();
    assert_eq!((sids_of(&before), before.has_next), (sids[2..5].to_vec(), true));
    let after_last = list(Window::After { sid: sids[6].clone(), limit: 3 }, all.clone()).await.unwrap();
    assert!(after_last.items.is_empty());
    let stranger = AccountSid::generate();
    assert!(matches!(
        list(Window::After { sid: stranger, limit: 3 }, all.clone()).await,
        Err(StoreError::UnknownCursor)
    ));

    let even = AccountFilters { friendly_name: name("Even"), status: None };
    let evens = list(Window::Offset { offset: 1, limit: 5 }, even.clone()).await.unwrap();
    assert_eq!(sids_of(&evens), vec![sids[4].clone(), sids[6].clone()]);
    // The total comes with the page, and with an empty one too.
    let total = |filters: AccountFilters, offset: u64| {
        let (store, tenant) = (store.clone(), tenant.clone());
        async move { store.list_accounts(&tenant, &filters, &Window::Offset { offset, limit: 2 }).await.unwrap().1 }
    };
    assert_eq!((total(even.clone(), 0).await, total(even.clone(), 9).await), (3, 3));
    assert_eq!((total(all.clone(), 0).await, total(all.clone(), 99).await), (7, 7));
    let suspended = AccountFilters { friendly_name: None, status: Some(AccountStatus::Suspended) };
    assert_eq!(total(suspended, 0).await, 0);

    // A subaccount's list is itself alone; a token naming its sibling is no position in it.
    let single = AccountScope::Single(sids[1].clone());
    let (alone, total) = store.list_accounts(&single, &all, &Window::Offset { offset: 0, limit: 50 }).await.unwrap();
    assert_eq!((sids_of(&alone), total), (vec![sids[1].clone()], 1));
    let sibling = Window::After { sid: sids[2].clone(), limit: 50 };
    assert!(matches!(store.list_accounts(&single, &all, &sibling).await, Err(StoreError::UnknownCursor)));
}
