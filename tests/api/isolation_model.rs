//! Tenant isolation as a property: random sequences of operations by three tenants (main
//! accounts) and their subaccounts, many aimed at other tenants' SIDs, each checked against a
//! small in-memory model of who may see and change what (BEHAVIOUR.md, "Authentication and who
//! reaches what"):
//!
//! - a main account reaches itself and its subaccounts (200); any other SID, of another tenant,
//!   unknown or malformed, is 404 / 20404 with nothing that tells them apart;
//! - a subaccount reaches only itself; anything else is 401 / 20003;
//! - a caller that is not active, or whose main account is not active, or gives a wrong token,
//!   is 401 / 20003; closed is final; a main account has at most `CAP` subaccounts;
//! - lists show exactly the caller's scope, filtered and paged as the model says.
//!
//! Any answer that differs from the model, or that shows a SID the caller may not see (other
//! than one the request itself named), fails with the seed and the operations so far.
//! `ISOLATION_MODEL_SEED=N` replays a run; `ISOLATION_MODEL_OPS=N` changes its length.
use crate::backend_tests;
use crate::helpers::{form, Backend, Creds, Reply, TestApp};
use crate::properties::{check_answer, sids_in, Answer};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use std::collections::BTreeMap;
use twilio_emulator::domain::{AccountSid, AccountStatus};
use twilio_emulator::storage::{AccountChange, StoreError};

backend_tests!(random_operations_never_cross_tenants);

/// Subaccounts per main account, low so that the limit is reached.
const CAP: u32 = 4;
/// Operations per run, and runs (each on a fresh server) per backend.
const OPERATIONS: usize = 200;
const RUNS: u64 = 3;

const NAMES: [&str; 5] = ["alpha", "beta", "Alpha", "gamma delta", "' OR 1=1 --"];
const EXTS: [&str; 3] = ["", ".json", ".xml"];

#[derive(Debug, Clone)]
struct Account {
    sid: String,
    token: String,
    /// Index of the main account (itself for a main account).
    owner: usize,
    name: String,
    status: &'static str,
}

#[derive(Debug, Default)]
struct Model {
    /// In creation order, which is list order within a tenant.
    accounts: Vec<Account>,
}

/// What the model says a request must get.
#[derive(Debug, PartialEq, Eq)]
enum Expect {
    Error(u16, u64),
    /// 200 with this account (index) as the model has it after the operation.
    Account(usize),
    /// 201 with a new subaccount of this main account, with this name (`None`: the default).
    Created(usize, Option<String>),
    /// 200 with these accounts (indices), in order, and this total.
    List(Vec<usize>, u64),
}

const UNAUTHENTICATED: Expect = Expect::Error(401, 20003);

impl Model {
    fn is_main(&self, i: usize) -> bool {
        self.accounts[i].owner == i
    }

    fn authenticates(&self, i: usize) -> bool {
        self.accounts[i].status == "active" && self.accounts[self.accounts[i].owner].status == "active"
    }

    /// The accounts a caller reaches and lists, in list order.
    fn scope(&self, i: usize) -> Vec<usize> {
        if self.is_main(i) {
            (0..self.accounts.len()).filter(|j| self.accounts[*j].owner == i).collect()
        } else {
            vec![i]
        }
    }

    fn index_of(&self, sid: &str) -> Option<usize> {
        self.accounts.iter().position(|a| a.sid == sid)
    }

    /// The SIDs a caller may see in an answer: its scope, and a subaccount's owner.
    fn visible(&self, i: usize) -> Vec<&str> {
        let mut sids: Vec<&str> = self.scope(i).into_iter().map(|j| self.accounts[j].sid.as_str()).collect();
        sids.push(&self.accounts[self.accounts[i].owner].sid);
        sids
    }

    /// The target of an instance request, if the caller reaches it; otherwise the error.
    fn reach(&self, caller: usize, target: &str) -> Result<usize, Expect> {
        match self.index_of(target) {
            Some(t) if self.scope(caller).contains(&t) => Ok(t),
            _ if self.is_main(caller) => Err(Expect::Error(404, 20404)),
            _ => Err(UNAUTHENTICATED),
        }
    }

    fn subaccounts(&self, main: usize) -> u32 {
        self.scope(main).len() as u32 - 1
    }
}

/// One request of the run.
#[derive(Debug, Clone)]
enum Operation {
    Fetch {
        caller: usize,
        target: String,
    },
    /// POST or PUT of FriendlyName and/or Status.
    Update {
        caller: usize,
        target: String,
        name: Option<String>,
        status: Option<String>,
        put: bool,
    },
    Create {
        caller: usize,
        name: Option<String>,
    },
    List {
        caller: usize,
        name: Option<String>,
        status: Option<String>,
        page_size: u32,
        /// `Page=N`, or `PageToken=P{A|B}<sid>` (with Page echoed).
        page: u32,
        token: Option<String>,
    },
    /// The operator's command on a main account (straight to the store).
    Operator {
        main: usize,
        status: AccountStatus,
    },
}

struct Run {
    app: TestApp,
    model: Model,
    rng: StdRng,
    seed: u64,
    log: Vec<String>,
    /// How often each (status, code) was expected and got.
    outcomes: BTreeMap<(u16, u64), usize>,
}

impl Run {
    fn fail(&self, what: String) -> ! {
        let from = self.log.len().saturating_sub(25);
        panic!(
            "seed {} (replay with ISOLATION_MODEL_SEED={}), operation {}: {what}\nlast operations:\n{}",
            self.seed,
            self.seed,
            self.log.len(),
            self.log[from..].join("\n")
        );
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.gen_range(0..items.len())]
    }

    fn random_name(&mut self) -> String {
        match self.rng.gen_range(0..20) {
            0 => String::new(),
            1 => "x".repeat(65),
            _ => (*self.pick(&NAMES)).to_owned(),
        }
    }

    fn random_status(&mut self) -> String {
        match self.rng.gen_range(0..12) {
            0 => "Active".into(),
            1 => String::new(),
            2 | 3 => "closed".into(),
            4..=7 => "suspended".into(),
            _ => "active".into(),
        }
    }

    /// A SID to aim at: mostly existing ones of any tenant, sometimes the caller's own, an
    /// unknown SID or something that is not a SID at all.
    fn random_target(&mut self, caller: usize) -> String {
        match self.rng.gen_range(0..20) {
            0 => format!("AC{:032x}", self.rng.gen::<u128>()),
            1 => "ACnot-a-sid".into(),
            2 => format!("{}0", self.model.accounts[caller].sid),
            3..=6 => self.model.accounts[caller].sid.clone(),
            _ => {
                let j = self.rng.gen_range(0..self.model.accounts.len());
                self.model.accounts[j].sid.clone()
            }
        }
    }

    fn random_operation(&mut self) -> Operation {
        // Mostly callers that can authenticate, so that most requests get past the 401.
        let active: Vec<usize> = (0..self.model.accounts.len()).filter(|i| self.model.authenticates(*i)).collect();
        let caller = if !active.is_empty() && self.rng.gen_ratio(4, 5) {
            *self.pick(&active)
        } else {
            self.rng.gen_range(0..self.model.accounts.len())
        };
        match self.rng.gen_range(0..100) {
            0..=24 => Operation::Fetch { caller, target: self.random_target(caller) },
            25..=39 => Operation::Update {
                caller,
                target: self.random_target(caller),
                name: Some(self.random_name()),
                status: None,
                put: self.rng.gen_bool(0.3),
            },
            40..=56 => Operation::Update {
                caller,
                target: self.random_target(caller),
                name: self.rng.gen_bool(0.2).then(|| self.random_name()),
                status: Some(self.random_status()),
                put: self.rng.gen_bool(0.3),
            },
            57..=69 => Operation::Create { caller, name: self.rng.gen_bool(0.8).then(|| self.random_name()) },
            70..=96 => {
                let token = match self.rng.gen_range(0..3) {
                    0 => {
                        let kind = if self.rng.gen_bool(0.5) { "PA" } else { "PB" };
                        Some(format!("{kind}{}", self.random_target(caller)))
                    }
                    _ => None,
                };
                Operation::List {
                    caller,
                    name: self.rng.gen_bool(0.25).then(|| self.random_name()),
                    status: self.rng.gen_bool(0.25).then(|| self.random_status()),
                    page_size: self.rng.gen_range(1..=4),
                    page: self.rng.gen_range(0..3),
                    token,
                }
            }
            _ => {
                let mains: Vec<usize> = (0..self.model.accounts.len()).filter(|i| self.model.is_main(*i)).collect();
                let status = match self.rng.gen_range(0..16) {
                    0 => AccountStatus::Closed,
                    1..=5 => AccountStatus::Suspended,
                    _ => AccountStatus::Active,
                };
                Operation::Operator { main: *self.pick(&mains), status }
            }
        }
    }

    /// The model's answer, without changing the model.
    fn expect(&self, op: &Operation, wrong_token: bool) -> Expect {
        let model = &self.model;
        let caller = match op {
            Operation::Operator { .. } => unreachable!("not a request"),
            Operation::Fetch { caller, .. }
            | Operation::Update { caller, .. }
            | Operation::Create { caller, .. }
            | Operation::List { caller, .. } => *caller,
        };
        if wrong_token || !model.authenticates(caller) {
            return UNAUTHENTICATED;
        }
        let valid_name = |name: &Option<String>| name.as_ref().is_none_or(|n| (1..=64).contains(&n.chars().count()));
        let valid_status = |status: &str| matches!(status, "active" | "suspended" | "closed");
        match op {
            Operation::Fetch { target, .. } => match model.reach(caller, target) {
                Ok(t) => Expect::Account(t),
                Err(error) => error,
            },
            Operation::Update { target, name, status, .. } => {
                let t = match model.reach(caller, target) {
                    Ok(t) => t,
                    Err(error) => return error,
                };
                if let Some(status) = status {
                    if !model.is_main(caller) {
                        return Expect::Error(403, 20403);
                    }
                    if model.is_main(t) {
                        return Expect::Error(400, 21477);
                    }
                    if model.accounts[t].status == "closed" {
                        return Expect::Error(400, 21479);
                    }
                    if !valid_status(status) {
                        return Expect::Error(400, 21475);
                    }
                }
                if !valid_name(name) {
                    return Expect::Error(400, 20001);
                }
                Expect::Account(t)
            }
            Operation::Create { name, .. } => {
                if !model.is_main(caller) {
                    Expect::Error(400, 21101)
                } else if !valid_name(name) {
                    Expect::Error(400, 20001)
                } else if model.subaccounts(caller) >= CAP {
                    Expect::Error(400, 21480)
                } else {
                    Expect::Created(caller, name.clone())
                }
            }
            Operation::List { name, status, page_size, page, token, .. } => {
                if !valid_name(name) || status.as_deref().is_some_and(|s| !valid_status(s)) {
                    return Expect::Error(400, 20001);
                }
                let scope = model.scope(caller);
                let matching: Vec<usize> = scope
                    .iter()
                    .copied()
                    .filter(|j| {
                        let account = &model.accounts[*j];
                        name.as_ref().is_none_or(|n| *n == account.name)
                            && status.as_ref().is_none_or(|s| s == account.status)
                    })
                    .collect();
                let size = *page_size as usize;
                let rows = match token {
                    None => matching.iter().copied().skip(*page as usize * size).take(size).collect(),
                    Some(token) => {
                        let at = token.get(2..).and_then(|sid| model.index_of(sid)).filter(|j| scope.contains(j));
                        let Some(at) = at else {
                            return Expect::Error(400, 21481);
                        };
                        if token.starts_with("PA") {
                            matching.iter().copied().filter(|j| *j > at).take(size).collect()
                        } else {
                            let before: Vec<usize> = matching.iter().copied().filter(|j| *j < at).collect();
                            before[before.len().saturating_sub(size)..].to_vec()
                        }
                    }
                };
                Expect::List(rows, matching.len() as u64)
            }
            Operation::Operator { .. } => unreachable!(),
        }
    }

    fn creds(&self, caller: usize, wrong_token: bool) -> Creds {
        let account = &self.model.accounts[caller];
        Creds { sid: account.sid.clone(), token: if wrong_token { "f".repeat(32) } else { account.token.clone() } }
    }

    /// Sends an operation; returns the path it used and the reply.
    async fn send(&self, op: &Operation, wrong_token: bool, ext: &str) -> (String, Reply) {
        let (caller, method, path, body) = match op {
            Operation::Fetch { caller, target } => {
                (*caller, Method::GET, format!("/2010-04-01/Accounts/{target}{ext}"), None)
            }
            Operation::Update { caller, target, name, status, put } => {
                let mut pairs = Vec::new();
                if let Some(name) = name {
                    pairs.push(("FriendlyName", name.as_str()));
                }
                if let Some(status) = status {
                    pairs.push(("Status", status.as_str()));
                }
                let method = if *put { Method::PUT } else { Method::POST };
                (*caller, method, format!("/2010-04-01/Accounts/{target}{ext}"), Some(form(&pairs)))
            }
            Operation::Create { caller, name } => {
                let pairs: Vec<(&str, &str)> = name.iter().map(|n| ("FriendlyName", n.as_str())).collect();
                (*caller, Method::POST, format!("/2010-04-01/Accounts{ext}"), Some(form(&pairs)))
            }
            Operation::List { caller, name, status, page_size, page, token } => {
                let mut pairs = Vec::new();
                if let Some(name) = name {
                    pairs.push(("FriendlyName", name.clone()));
                }
                if let Some(status) = status {
                    pairs.push(("Status", status.clone()));
                }
                pairs.push(("Page", page.to_string()));
                pairs.push(("PageSize", page_size.to_string()));
                if let Some(token) = token {
                    pairs.push(("PageToken", token.clone()));
                }
                let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
                (*caller, Method::GET, format!("/2010-04-01/Accounts{ext}?{}", form(&borrowed)), None)
            }
            Operation::Operator { .. } => unreachable!("not a request"),
        };
        let creds = self.creds(caller, wrong_token);
        let body = body.map(|b| (b.into_bytes(), "application/x-www-form-urlencoded"));
        let reply = self.app.send(method, &path, Some(&creds), body).await;
        (path, reply)
    }

    /// Checks a reply against the model, then applies what it changed.
    fn check(&mut self, op: &Operation, wrong_token: bool, path: &str, reply: &Reply) {
        let expected = self.expect(op, wrong_token);
        let outcome = match &expected {
            Expect::Error(status, code) => (*status, *code),
            Expect::Created(..) => (201, 0),
            Expect::Account(_) | Expect::List(..) => (200, 0),
        };
        *self.outcomes.entry(outcome).or_default() += 1;
        let bare_path = path.split('?').next().unwrap_or(path);
        let answer = match check_answer(reply, bare_path) {
            Ok(answer) => answer,
            Err(error) => self.fail(format!("{error}")),
        };
        let caller = match op {
            Operation::Fetch { caller, .. }
            | Operation::Update { caller, .. }
            | Operation::Create { caller, .. }
            | Operation::List { caller, .. } => *caller,
            Operation::Operator { .. } => unreachable!(),
        };
        // No SID the caller may not see, unless the request named it (or it is the new account).
        let visible: Vec<String> = if wrong_token || !self.model.authenticates(caller) {
            Vec::new()
        } else {
            self.model.visible(caller).into_iter().map(str::to_owned).collect()
        };
        let created_sid = match (&expected, &answer) {
            (Expect::Created(..), Answer::Account(account)) => Some(account.sid.clone()),
            _ => None,
        };
        for sid in sids_in(&reply.body) {
            if !visible.contains(&sid) && !path.contains(&sid) && created_sid.as_ref() != Some(&sid) {
                self.fail(format!("{op:?} shows {sid}, which the caller may not see: {}", reply.body));
            }
        }
        let mismatch = |run: &Self, what: &str| -> ! {
            run.fail(format!("{op:?} (wrong token: {wrong_token}): expected {expected:?}, {what}: {answer:?}"))
        };
        match (&expected, &answer) {
            (Expect::Error(status, code), Answer::Error { .. }) => {
                if answer.status_and_code() != (*status, *code) {
                    mismatch(self, "got another error");
                }
                if let Answer::Error { message, .. } = &answer {
                    if *status == 404 {
                        let wanted = format!("The requested resource {bare_path} was not found");
                        if *message != wanted {
                            mismatch(self, "a 404 that says more than an unknown SID's");
                        }
                    }
                }
            }
            (Expect::Account(t), Answer::Account(account)) => {
                let (t, account) = (*t, account.clone());
                if reply.status.as_u16() != 200 {
                    mismatch(self, "another status");
                }
                if let Operation::Update { name, status, .. } = op {
                    if let Some(name) = name {
                        self.model.accounts[t].name = name.clone();
                    }
                    if let Some(status) = status {
                        self.model.accounts[t].status = match status.as_str() {
                            "active" => "active",
                            "suspended" => "suspended",
                            _ => "closed",
                        };
                    }
                }
                let model = &self.model.accounts[t];
                let owner = &self.model.accounts[model.owner].sid;
                if account.sid != model.sid
                    || account.friendly_name != model.name
                    || account.status != model.status
                    || account.owner.as_ref().is_some_and(|o| o != owner)
                {
                    mismatch(self, "another account");
                }
            }
            (Expect::Created(main, name), Answer::Account(account)) => {
                if reply.status.as_u16() != 201
                    || account.status != "active"
                    || account.owner.as_ref().is_some_and(|o| *o != self.model.accounts[*main].sid)
                    || name.as_ref().is_some_and(|n| *n != account.friendly_name)
                    || self.model.index_of(&account.sid).is_some()
                {
                    mismatch(self, "another creation");
                }
                self.model.accounts.push(Account {
                    sid: account.sid.clone(),
                    token: account.auth_token.clone(),
                    owner: *main,
                    name: account.friendly_name.clone(),
                    status: "active",
                });
            }
            (Expect::List(rows, total), Answer::List { accounts, total: got }) => {
                let sids: Vec<&str> = accounts.iter().map(|a| a.sid.as_str()).collect();
                let wanted: Vec<&str> = rows.iter().map(|j| self.model.accounts[*j].sid.as_str()).collect();
                if sids != wanted || got != total {
                    mismatch(self, "another page");
                }
                for (account, j) in accounts.iter().zip(rows) {
                    let model = &self.model.accounts[*j];
                    if account.friendly_name != model.name || account.status != model.status {
                        mismatch(self, "an account that differs from the model");
                    }
                }
            }
            _ => mismatch(self, "got"),
        }
    }

    async fn operator(&mut self, main: usize, status: AccountStatus) {
        let sid = AccountSid::parse(&self.model.accounts[main].sid).expect("a minted SID");
        let change = AccountChange { friendly_name: None, status: Some(status) };
        let result = self.app.store.update(&sid, &change, chrono::Utc::now()).await;
        match (self.model.accounts[main].status, result) {
            ("closed", Err(StoreError::Closed)) => {}
            ("closed", other) => self.fail(format!("a closed main account changed: {other:?}")),
            (_, Ok(account)) if account.status == status => {
                self.model.accounts[main].status = status.as_str();
            }
            (_, other) => self.fail(format!("operator set {status}: {other:?}")),
        }
    }
}

async fn one_run(
    backend: Backend,
    seed: u64,
    operations: usize,
    outcomes: &mut BTreeMap<(u16, u64), usize>,
) -> [usize; 3] {
    let app = TestApp::spawn_with(backend, |settings| settings.max_subaccounts = CAP).await;
    let mut model = Model::default();
    for (i, name) in ["Tenant A", "Tenant B", "Tenant C"].into_iter().enumerate() {
        let main = app.tenant(name).await;
        model.accounts.push(Account {
            sid: main.sid,
            token: main.token,
            owner: i,
            name: name.to_owned(),
            status: "active",
        });
    }
    let mut run =
        Run { app, model, rng: StdRng::seed_from_u64(seed), seed, log: Vec::new(), outcomes: BTreeMap::new() };
    // (requests, of which aimed at another tenant's account, operator commands)
    let mut counts = [0usize; 3];
    for _ in 0..operations {
        let op = run.random_operation();
        if let Operation::Operator { main, status } = op {
            run.log.push(format!("operator sets {} to {status}", run.model.accounts[main].sid));
            run.operator(main, status).await;
            counts[2] += 1;
            continue;
        }
        let wrong_token = run.rng.gen_ratio(1, 25);
        let ext = *run.pick(&EXTS);
        if let Operation::Fetch { caller, target } | Operation::Update { caller, target, .. } = &op {
            let owner = run.model.accounts[*caller].owner;
            if run.model.index_of(target).is_some_and(|t| run.model.accounts[t].owner != owner) {
                counts[1] += 1;
            }
        }
        run.log.push(format!("{op:?} ext {ext:?} wrong token {wrong_token}"));
        let (path, reply) = run.send(&op, wrong_token, ext).await;
        run.check(&op, wrong_token, &path, &reply);
        counts[0] += 1;
    }
    for (outcome, n) in run.outcomes {
        *outcomes.entry(outcome).or_default() += n;
    }
    counts
}

async fn random_operations_never_cross_tenants(backend: Backend) {
    let base = std::env::var("ISOLATION_MODEL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::thread_rng().gen::<u64>());
    let operations = std::env::var("ISOLATION_MODEL_OPS").ok().and_then(|s| s.parse().ok()).unwrap_or(OPERATIONS);
    let started = std::time::Instant::now();
    let mut totals = [0usize; 3];
    let mut outcomes = BTreeMap::new();
    for n in 0..RUNS {
        let counts = one_run(backend, base.wrapping_add(n), operations, &mut outcomes).await;
        for (total, count) in totals.iter_mut().zip(counts) {
            *total += count;
        }
    }
    eprintln!(
        "isolation model ({backend:?}, seeds {base}..+{RUNS}): {} requests ({} aimed at another tenant's account) and {} operator commands in {:.2?}",
        totals[0],
        totals[1],
        totals[2],
        started.elapsed()
    );
    let outcomes: Vec<String> = outcomes
        .iter()
        .map(|((status, code), n)| match code {
            0 => format!("{status}: {n}"),
            _ => format!("{status}/{code}: {n}"),
        })
        .collect();
    eprintln!("isolation model ({backend:?}): answers {}", outcomes.join(", "));
}
