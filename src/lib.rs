//! Twilio REST API emulator: the Accounts resource of API version 2010-04-01.
pub mod auth;
pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod form;
pub mod journal;
pub mod limits;
pub mod metrics;
pub mod middleware;
pub mod representation;
pub mod routes;
pub mod startup;
pub mod storage;
pub mod telemetry;
pub mod tenants;
