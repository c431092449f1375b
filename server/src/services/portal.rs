//! The customer portal's backend: branding, magic-link sign-in and sessions, and the
//! customer's own billing data. Every customer-data method takes the [`PortalCustomer`]
//! witness and filters by its organization and customer, so one customer never reaches
//! another's rows.
mod account;
mod auth;
mod error;
mod fresh_map;
mod invoice_pdf;
mod methods;
mod overview;
mod rate_limit;
mod session_cache;
mod settings;

use crate::billing::BillingEngine;
use crate::config::Config;
use app::error::AppError;
use app::portal::dto::{
    CancelReason, CancelView, HistoryView, InvoicesView, LinkState, MethodChange, OverviewView,
    PaymentMethodsView, PortalBrand, SignedIn,
};
use app::portal::port::{NewCard, PortalCustomer, PortalPort};
use domain::{EmailAddress, Iban, PaymentMethodId};
use sea_orm::DatabaseConnection;
use std::sync::Arc;

pub use error::PortalError;
pub use rate_limit::RateLimiter;
pub use settings::PortalDirectory;

/// Implements [`PortalPort`].
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

#[async_trait::async_trait]
impl PortalPort for PortalService {
    async fn brand(&self, key: &str) -> Result<PortalBrand, AppError> {
        settings::brand(self, key)
            .await
            .map_err(PortalError::into_app)
    }
    async fn request_link(
        &self,
        key: &str,
        email: &EmailAddress,
        return_to: Option<&str>,
        ip: Option<std::net::IpAddr>,
    ) -> Result<(), AppError> {
        auth::request_link(self, key, email, return_to, ip)
            .await
            .map_err(PortalError::into_app)
    }
    async fn link_state(&self, key: &str, token: &str) -> Result<LinkState, AppError> {
        auth::link_state(self, key, token)
            .await
            .map_err(PortalError::into_app)
    }
    async fn sign_in(
        &self,
        key: &str,
        token: &str,
        previous_session: Option<&str>,
    ) -> Result<SignedIn, AppError> {
        auth::sign_in(self, key, token, previous_session)
            .await
            .map_err(PortalError::into_app)
    }
    async fn authenticate(
        &self,
        key: &str,
        session_token: &str,
    ) -> Result<PortalCustomer, AppError> {
        auth::authenticate(self, key, session_token)
            .await
            .map_err(PortalError::into_app)
    }
    async fn sign_out(&self, key: &str, session_token: &str) -> Result<(), AppError> {
        auth::sign_out(self, key, session_token)
            .await
            .map_err(PortalError::into_app)
    }
    async fn overview(&self, customer: &PortalCustomer) -> Result<OverviewView, AppError> {
        overview::overview(self, customer)
            .await
            .map_err(PortalError::into_app)
    }
    async fn payment_methods(
        &self,
        customer: &PortalCustomer,
    ) -> Result<PaymentMethodsView, AppError> {
        methods::list(self, customer)
            .await
            .map_err(PortalError::into_app)
    }
    async fn add_card(
        &self,
        customer: &PortalCustomer,
        card: NewCard,
        client_ip: Option<std::net::IpAddr>,
    ) -> Result<MethodChange, AppError> {
        methods::add_card(self, customer, card, client_ip)
            .await
            .map_err(PortalError::into_app)
    }
    async fn add_sepa(
        &self,
        customer: &PortalCustomer,
        iban: &Iban,
        holder: &str,
        make_default: bool,
        client_ip: Option<std::net::IpAddr>,
    ) -> Result<MethodChange, AppError> {
        methods::add_sepa(self, customer, iban, holder, make_default, client_ip)
            .await
            .map_err(PortalError::into_app)
    }
    async fn set_default(
        &self,
        customer: &PortalCustomer,
        method: &PaymentMethodId,
    ) -> Result<MethodChange, AppError> {
        methods::set_default(self, customer, method)
            .await
            .map_err(PortalError::into_app)
    }
    async fn remove_method(
        &self,
        customer: &PortalCustomer,
        method: &PaymentMethodId,
    ) -> Result<(), AppError> {
        methods::remove(self, customer, method)
            .await
            .map_err(PortalError::into_app)
    }
    async fn payment_history(
        &self,
        customer: &PortalCustomer,
        page: u32,
    ) -> Result<HistoryView, AppError> {
        account::history(self, customer, page)
            .await
            .map_err(PortalError::into_app)
    }
    async fn invoices(
        &self,
        customer: &PortalCustomer,
        page: u32,
    ) -> Result<InvoicesView, AppError> {
        account::invoices(self, customer, page)
            .await
            .map_err(PortalError::into_app)
    }
    async fn cancel_view(&self, customer: &PortalCustomer) -> Result<CancelView, AppError> {
        account::cancel_view(self, customer)
            .await
            .map_err(PortalError::into_app)
    }
    async fn cancel_subscription(
        &self,
        customer: &PortalCustomer,
        subscription: &str,
        reason: CancelReason,
        comment: Option<String>,
    ) -> Result<(), AppError> {
        account::cancel(self, customer, subscription, reason, comment)
            .await
            .map_err(PortalError::into_app)
    }
    async fn resume_subscription(
        &self,
        customer: &PortalCustomer,
        subscription: &str,
    ) -> Result<(), AppError> {
        account::resume(self, customer, subscription)
            .await
            .map_err(PortalError::into_app)
    }
    async fn invoice_pdf(
        &self,
        customer: &PortalCustomer,
        key: &str,
        invoice: &str,
    ) -> Result<(String, Vec<u8>), AppError> {
        invoice_pdf::render(self, customer, key, invoice)
            .await
            .map(|pdf| (pdf.number, pdf.bytes))
            .map_err(PortalError::into_app)
    }
}
