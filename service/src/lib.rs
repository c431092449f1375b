//! Dunwell's service layer. Every operation is one function taking the service, an
//! authorized actor (`PortalCustomer`, `AdminActor`) and typed input, and returning typed
//! output or its module's error, which converts into the wire's `AppError`. The app's
//! server functions (under `ssr`), the HTTP routes and the CLI call these functions
//! directly; none of them touches the database.
#![forbid(unsafe_code)]

pub mod background;
pub mod billing;
pub mod config;
pub mod console;
pub mod db;
pub mod demo;
pub mod entity;
pub mod events;
pub mod invoice_pdf;
pub mod orgs;
pub mod portal;
pub mod seal;
pub mod secret;
pub mod staff;
pub mod subscriptions;
pub mod webhooks;

pub use console::ConsoleService;
pub use portal::{PortalDirectory, PortalService};
