//! Dunwell's server: the binary's config and CLI, the axum router, sessions, security
//! headers, workers and assets. The service layer it serves is the `service` crate; its
//! modules are re-exported here so the binary, the benches and the tests name one crate.
#![forbid(unsafe_code)]

pub use service::{
    background, billing, config, console, db, demo, entity, invoice_pdf, orgs, portal, seal,
    secret, staff, webhooks,
};

pub mod bundles;
pub mod cli;
pub mod http;
pub mod leptos_config;
pub mod state;
pub mod telemetry;
#[cfg(feature = "testing")]
pub mod testing;
pub mod workers;
