//! What every request handler shares.
use crate::billing::BillingEngine;
use crate::config::Config;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use metrics_exporter_prometheus::PrometheusHandle;
use sea_orm::DatabaseConnection;
use service::{ConsoleService, PortalDirectory, PortalService};
use std::sync::Arc;

/// The server's shared state: cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
    pub metrics: Option<PrometheusHandle>,
    pub engine: BillingEngine,
    pub console: ConsoleService,
    pub portal: PortalService,
    /// Work requests started and did not wait for (sign-in links).
    pub background: crate::background::Background,
}

impl AppState {
    /// Wires the services over one database and engine.
    pub fn new(
        db: DatabaseConnection,
        config: Config,
        leptos_options: LeptosOptions,
        engine: BillingEngine,
        metrics: Option<PrometheusHandle>,
    ) -> Self {
        let config = Arc::new(config);
        let directory = PortalDirectory::default();
        let background = crate::background::Background::default();
        let console = ConsoleService::new(
            db.clone(),
            config.clone(),
            engine.clone(),
            directory.clone(),
        )
        .with_background(background.clone());
        let portal = PortalService::new(
            db.clone(),
            config.clone(),
            engine.clone(),
            directory,
            background.clone(),
        );
        AppState {
            db,
            config,
            leptos_options,
            metrics,
            engine,
            console,
            portal,
            background,
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
