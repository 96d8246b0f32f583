//! Black-box HTTP tests: each test runs once on SQLite and once on Postgres (when TEST_DATABASE_URL is set).
mod helpers;

mod auth;
mod bad_input;
mod balance;
mod cli;
mod concurrency;
mod create;
mod dashboard;
mod faults;
mod fetch;
mod instances;
mod isolation;
mod isolation_model;
mod key_auth;
mod key_cli;
mod keys;
mod limits;
mod list;
mod paths;
mod persistence;
mod process;
mod properties;
mod proxy;
mod storage_story;
mod update;
