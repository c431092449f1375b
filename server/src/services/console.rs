//! The console's backend.
use crate::billing::BillingEngine;
use crate::config::Config;
use app::console::port::ConsolePort;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// Implements [`ConsolePort`].
#[derive(Clone)]
pub struct ConsoleService {
    pub(crate) db: DatabaseConnection,
    pub(crate) config: Arc<Config>,
    pub(crate) engine: BillingEngine,
}

impl ConsoleService {
    /// A console backend over `db`.
    pub fn new(db: DatabaseConnection, config: Arc<Config>, engine: BillingEngine) -> Self {
        Self { db, config, engine }
    }
}

#[async_trait::async_trait]
impl ConsolePort for ConsoleService {}
