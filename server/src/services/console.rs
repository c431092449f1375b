//! The console's backend: staff sign-in and sessions, the Customer Portal settings,
//! notification templates, customers, the overview, the audit log and the demo tools.
//! Every method takes the [`AdminActor`] witness and filters by its organization;
//! mutations check the role first.
mod audit;
mod auth;
mod customers;
mod demo;
mod error;
mod invoices;
mod logo;
mod overview;
mod settings;
mod templates;

use crate::billing::BillingEngine;
use crate::config::Config;
use crate::services::portal::{PortalDirectory, RateLimiter};
use app::console::dto::{
    AuditLogPage, CustomerDetail, CustomerList, LogoView, Me, OutboxRow, OverviewView,
    PortalSettingsView, StaffSignedIn, TemplatePreview, TemplateView,
};
use app::console::port::{AdminActor, BrandingChange, ConsolePort};
use app::error::AppError;
use domain::{CustomerId, EmailAddress, InvoiceId, Locale, PortalPermissions};
use sea_orm::DatabaseConnection;
use std::sync::Arc;

pub use auth::{LOCKOUT, MAX_FAILED_LOGINS};
pub use error::ConsoleError;
pub use logo::{MAX_LOGO_BYTES, check as check_logo};

/// Implements [`ConsolePort`].
#[derive(Clone)]
pub struct ConsoleService {
    pub(crate) db: DatabaseConnection,
    pub(crate) config: Arc<Config>,
    pub(crate) engine: BillingEngine,
    pub(crate) limiter: RateLimiter,
    /// Password checks, off the async workers and bounded.
    pub(crate) hasher: crate::secret::PasswordHasher,
    /// The portal's cache of settings, forgotten after every change here.
    pub(crate) directory: PortalDirectory,
}

impl ConsoleService {
    /// A console backend over `db`, sharing `directory` with the portal.
    pub fn new(
        db: DatabaseConnection,
        config: Arc<Config>,
        engine: BillingEngine,
        directory: PortalDirectory,
    ) -> Self {
        let hasher = crate::secret::PasswordHasher::new(config.limits.password_hash_concurrency);
        Self {
            db,
            config,
            engine,
            limiter: RateLimiter::default(),
            hasher,
            directory,
        }
    }

    /// Runs a change to what the portal shows, then makes the portal forget what it
    /// cached: success or not, and also when the request is dropped mid-way (its commit
    /// may still have landed).
    async fn changing<T>(
        &self,
        change: impl std::future::Future<Output = Result<T, ConsoleError>>,
    ) -> Result<T, ConsoleError> {
        struct ForgetOnDrop<'a>(&'a PortalDirectory);
        impl Drop for ForgetOnDrop<'_> {
            fn drop(&mut self) {
                self.0.forget_all();
            }
        }
        let _forget = ForgetOnDrop(&self.directory);
        change.await
    }

    /// The engine's clock, so tests can move it.
    pub(crate) fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.engine.clock().now()
    }
}

type R<T> = Result<T, AppError>;

fn app<T>(r: Result<T, ConsoleError>) -> R<T> {
    r.map_err(ConsoleError::into_app)
}

#[async_trait::async_trait]
impl ConsolePort for ConsoleService {
    async fn sign_in(
        &self,
        email: &str,
        password: &str,
        ip: Option<std::net::IpAddr>,
    ) -> R<StaffSignedIn> {
        app(auth::sign_in(self, email, password, ip).await)
    }
    async fn authenticate(&self, token: &str) -> R<AdminActor> {
        app(auth::authenticate(self, token).await)
    }
    async fn sign_out(&self, token: &str) -> R<()> {
        app(auth::sign_out(self, token).await)
    }
    async fn me(&self, actor: &AdminActor) -> R<Me> {
        app(auth::me(self, actor).await)
    }
    async fn portal_settings(&self, actor: &AdminActor) -> R<PortalSettingsView> {
        app(settings::view(self, actor).await)
    }
    async fn set_portal_enabled(&self, actor: &AdminActor, enabled: bool, version: i32) -> R<()> {
        actor.require_change()?;
        app(self
            .changing(settings::set_enabled(self, actor, enabled, version))
            .await)
    }
    async fn rotate_portal_key(&self, actor: &AdminActor, version: i32) -> R<()> {
        actor.require_rotate()?;
        app(self
            .changing(settings::rotate_key(self, actor, version))
            .await)
    }
    async fn save_branding(
        &self,
        actor: &AdminActor,
        change: BrandingChange,
        version: i32,
    ) -> R<()> {
        actor.require_change()?;
        app(self
            .changing(settings::save_branding(self, actor, change, version))
            .await)
    }
    async fn save_permissions(
        &self,
        actor: &AdminActor,
        permissions: PortalPermissions,
        version: i32,
    ) -> R<()> {
        actor.require_change()?;
        app(self
            .changing(settings::save_permissions(
                self,
                actor,
                permissions,
                version,
            ))
            .await)
    }
    async fn upload_logo(&self, actor: &AdminActor, bytes: Vec<u8>) -> R<LogoView> {
        actor.require_change()?;
        app(self.changing(logo::upload(self, actor, bytes)).await)
    }
    async fn remove_logo(&self, actor: &AdminActor, version: i32) -> R<()> {
        actor.require_change()?;
        app(self
            .changing(settings::remove_logo(self, actor, version))
            .await)
    }
    async fn logo_bytes(&self, actor: &AdminActor, hash: &str) -> R<Vec<u8>> {
        app(logo::bytes(self, actor, hash).await)
    }
    async fn template(&self, actor: &AdminActor, kind: &str, locale: Locale) -> R<TemplateView> {
        app(templates::view(self, actor, kind, locale).await)
    }
    async fn preview_template(
        &self,
        _actor: &AdminActor,
        kind: &str,
        locale: Locale,
        subject: &str,
        body: &str,
    ) -> R<TemplatePreview> {
        app(templates::preview(self, kind, locale, subject, body))
    }
    async fn save_template(
        &self,
        actor: &AdminActor,
        kind: &str,
        locale: Locale,
        subject: &str,
        body: &str,
    ) -> R<()> {
        actor.require_change()?;
        app(templates::save(self, actor, kind, locale, subject, body).await)
    }
    async fn reset_template(&self, actor: &AdminActor, kind: &str, locale: Locale) -> R<()> {
        actor.require_change()?;
        app(templates::reset(self, actor, kind, locale).await)
    }
    async fn send_test_email(&self, actor: &AdminActor, kind: &str, locale: Locale) -> R<()> {
        actor.require_change()?;
        app(templates::send_test(self, actor, kind, locale).await)
    }
    async fn overview(&self, actor: &AdminActor) -> R<OverviewView> {
        app(overview::overview(self, actor).await)
    }
    async fn customers(
        &self,
        actor: &AdminActor,
        query: &str,
        status: &str,
        page: u64,
    ) -> R<CustomerList> {
        app(customers::list(self, actor, query, status, page).await)
    }
    async fn customer(&self, actor: &AdminActor, id: &CustomerId) -> R<CustomerDetail> {
        app(customers::detail(self, actor, id).await)
    }
    async fn update_customer_email(
        &self,
        actor: &AdminActor,
        id: &CustomerId,
        email: &EmailAddress,
    ) -> R<()> {
        actor.require_change()?;
        app(customers::update_email(self, actor, id, email).await)
    }
    async fn invoice_pdf(
        &self,
        actor: &AdminActor,
        customer: &CustomerId,
        invoice: &InvoiceId,
    ) -> R<(String, Vec<u8>)> {
        app(invoices::pdf(self, actor, customer, invoice).await).map(|pdf| (pdf.number, pdf.bytes))
    }
    async fn audit_log(&self, actor: &AdminActor, page: u64) -> R<AuditLogPage> {
        app(audit::list(self, actor, page).await)
    }
    async fn outbox(&self, actor: &AdminActor) -> R<Vec<OutboxRow>> {
        app(demo::outbox(self, actor).await)
    }
    async fn advance_clock(&self, actor: &AdminActor, days: u32) -> R<String> {
        actor.require_change()?;
        app(demo::advance_clock(self, actor, days).await)
    }
}
