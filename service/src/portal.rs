//! The customer portal's backend: branding, magic-link sign-in and sessions, and the
//! customer's own billing data. Every customer-data method takes the [`PortalCustomer`]
//! witness and filters by its organization and customer, so one customer never reaches
//! another's rows.
mod account;
mod actor;
mod audit;
mod auth;
mod details;
mod error;
mod fresh_map;
mod invoice_pdf;
mod methods;
mod overview;
mod pause;
mod pay;
mod plans;
mod rate_limit;
mod retention;
mod session_cache;
mod settings;

use crate::billing::BillingEngine;
use crate::config::Config;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

pub use actor::{CancelForm, Cancellation, CardForm, NewCard, NewSepa, PortalCustomer, SepaForm};
pub use error::PortalError;
pub use methods::ChangeQuery;
pub use plans::{PlanAsk, PlanChangeForm};
pub use rate_limit::RateLimiter;
pub use settings::PortalDirectory;
pub(crate) use settings::permissions_of;

/// The portal's operations (one method each, in the submodules): server functions and
/// HTTP routes call them with the [`PortalCustomer`] their session check returned.
#[derive(Clone)]
pub struct PortalService {
    pub(crate) db: DatabaseConnection,
    pub(crate) config: Arc<Config>,
    pub(crate) engine: BillingEngine,
    pub(crate) limiter: RateLimiter,
    pub(crate) directory: PortalDirectory,
    pub(crate) sessions: session_cache::SessionCache,
    pub(crate) background: crate::background::Background,
}

impl PortalService {
    /// A portal backend over `db`, sharing `directory` with the console; sign-in links
    /// are created on `background`.
    pub fn new(
        db: DatabaseConnection,
        config: Arc<Config>,
        engine: BillingEngine,
        directory: PortalDirectory,
        background: crate::background::Background,
    ) -> Self {
        Self {
            db,
            config,
            engine,
            limiter: RateLimiter::default(),
            directory,
            sessions: session_cache::SessionCache::new(session_cache::SESSION_FRESH_FOR),
            background,
        }
    }

    /// Real time (sessions and links); the engine's clock so tests can move it.
    pub(crate) fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.engine.clock().now()
    }
}
