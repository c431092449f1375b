//! Dunwell's server library: everything behind the binary, so tests can drive it.
#![forbid(unsafe_code)]

pub mod background;
pub mod billing;
pub mod bundles;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod entity;
pub mod http;
pub mod leptos_config;
pub mod orgs;
pub mod secret;
pub mod services;
pub mod staff;
pub mod state;
pub mod telemetry;
pub mod testing;
pub mod workers;
