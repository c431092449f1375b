//! The customer portal's backend.
use crate::billing::BillingEngine;
use crate::config::Config;
use app::portal::port::PortalPort;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// Implements [`PortalPort`].
#[derive(Clone)]
pub struct PortalService {
    pub(crate) db: DatabaseConnection,
    pub(crate) config: Arc<Config>,
    pub(crate) engine: BillingEngine,
}

impl PortalService {
    /// A portal backend over `db`.
    pub fn new(db: DatabaseConnection, config: Arc<Config>, engine: BillingEngine) -> Self {
        Self { db, config, engine }
    }
}

#[async_trait::async_trait]
impl PortalPort for PortalService {}
