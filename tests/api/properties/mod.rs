//! Property-based tests of every parser at the edge; this file runs the properties and counts their cases.
//!
//! 1. Pure properties of `Params::parse`, `AccountSid::parse`, `PageCursor::parse`,
//!    `PageRequest::parse_number`/`parse_page_size` and `FriendlyName::parse`, each against an
//!    independent oracle written from BEHAVIOUR.md (parsers.rs, oracles.rs).
//! 2. Black-box HTTP properties, one running server (SQLite) per property: arbitrary bytes in the
//!    Authorization header, in the list's query string, in POST bodies to the list and to an
//!    instance, and arbitrary path segments after `/2010-04-01/Accounts/` (http_*.rs). Every
//!    answer must be a Twilio-shaped success or error with a status in {200, 201, 400, 401, 403,
//!    404, 405, 413}, whose JSON or XML parses, that shows no SID the caller may not see, and that
//!    agrees with a small model of what the request should get (answers.rs, server.rs).
//! 3. SQL-injection-looking strings in every parameter and in the path, on both backends
//!    (injection.rs).
//!
//! Every property prints how many cases it generated; see them with
//! `cargo test --test api properties -- --nocapture`. `PROPTEST_CASES=N` overrides the number of
//! cases of every property here and in isolation_model.rs.
mod answers;
mod bodies;
mod http_auth;
mod http_create;
mod http_list;
mod http_paths;
mod http_update;
mod injection;
mod oracles;
mod parsers;
mod server;
mod strategies;
mod xml;

pub(crate) use answers::{check_answer, sids_in, Answer};

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, TestCaseError, TestCaseResult, TestRunner};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::time::Instant;

/// The number of cases of a property: `PROPTEST_CASES` if set, else `default`.
pub(crate) fn case_count(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

/// Runs `test` on `cases` values of `strategy` (shrinking any failure), and prints how many
/// values were generated and how long it took. No regression file is written: the failure
/// message carries the minimal input.
fn check_property<S: Strategy>(name: &str, default_cases: u32, strategy: S, test: impl Fn(S::Value) -> TestCaseResult) {
    let mut config = Config::with_cases(case_count(default_cases));
    config.failure_persistence = None;
    let cases = config.cases;
    let mut runner = TestRunner::new(config);
    let runs = Cell::new(0u64);
    TALLY.with(|tally| tally.borrow_mut().clear());
    let started = Instant::now();
    let outcome = runner.run(&strategy, |value| {
        runs.set(runs.get() + 1);
        test(value)
    });
    eprintln!(
        "property {name}: {} cases generated and run ({cases} required) in {:.2?}",
        runs.get(),
        started.elapsed()
    );
    let answers: Vec<String> = TALLY.with(|tally| {
        tally
            .borrow()
            .iter()
            .map(|((status, code), n)| match code {
                0 => format!("{status}: {n}"),
                _ => format!("{status}/{code}: {n}"),
            })
            .collect()
    });
    if !answers.is_empty() {
        eprintln!("property {name}: answers {}", answers.join(", "));
    }
    if let Err(error) = outcome {
        panic!("property {name} failed: {error}");
    }
}

thread_local! {
    /// How often each (status, Twilio code) came back in the property running on this thread.
    static TALLY: RefCell<BTreeMap<(u16, u64), u32>> = RefCell::default();
}

/// Counts an answer towards the summary `check_property` prints.
fn tally(answer: &Answer, status: u16) {
    let (_, code) = answer.status_and_code();
    TALLY.with(|tally| *tally.borrow_mut().entry((status, code)).or_default() += 1);
}

fn fail(message: impl Into<String>) -> TestCaseError {
    TestCaseError::fail(message.into())
}
