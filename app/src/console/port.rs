//! What the console's server functions need from the backend. Implemented in `server`.
use crate::console::dto::{
    AuditLogPage, CustomerDetail, CustomerList, LogoView, Me, OutboxRow, OverviewView,
    PortalSettingsView, StaffSignedIn, TemplatePreview, TemplateView,
};
use crate::error::AppError;
use domain::{
    CompanyName, CustomerId, EmailAddress, HexColor, InvoiceId, Locale, PortalPermissions,
    StaffRole,
};

/// Proof that the request carries a valid staff session: only [`ConsolePort::authenticate`]
/// makes one, and every console method demands it. Mutations call [`AdminActor::require_change`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminActor {
    staff_id: i64,
    org_id: i64,
    role: StaffRole,
}

impl AdminActor {
    /// For [`ConsolePort`] implementations only, after checking a session.
    #[doc(hidden)]
    pub fn authenticated_by_port(staff_id: i64, org_id: i64, role: StaffRole) -> Self {
        Self {
            staff_id,
            org_id,
            role,
        }
    }

    /// The staff member (database key; never sent to the browser).
    pub fn staff_id(&self) -> i64 {
        self.staff_id
    }

    /// Their organization (database key).
    pub fn org_id(&self) -> i64 {
        self.org_id
    }

    /// Their role.
    pub fn role(&self) -> StaffRole {
        self.role
    }

    /// `Forbidden` for viewers.
    pub fn require_change(&self) -> Result<(), AppError> {
        if self.role.can_change_settings() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// `Forbidden` unless owner.
    pub fn require_rotate(&self) -> Result<(), AppError> {
        if self.role.can_rotate_portal_key() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// A branding change, parsed.
#[derive(Debug, Clone)]
pub struct BrandingChange {
    /// Header and tab title.
    pub company_name: CompanyName,
    /// Buttons and links.
    pub primary_color: HexColor,
}

/// The console's backend.
#[async_trait::async_trait]
pub trait ConsolePort: Send + Sync + 'static {
    /// Checks email and password; the same `Unauthenticated` for an unknown email and a
    /// wrong password; `RateLimited` per client address; locked accounts answer the same.
    async fn sign_in(
        &self,
        email: &str,
        password: &str,
        ip: Option<std::net::IpAddr>,
    ) -> Result<StaffSignedIn, AppError>;
    /// Checks a session token and slides its idle expiry.
    async fn authenticate(&self, token: &str) -> Result<AdminActor, AppError>;
    /// Ends a session.
    async fn sign_out(&self, token: &str) -> Result<(), AppError>;
    /// Who is signed in.
    async fn me(&self, actor: &AdminActor) -> Result<Me, AppError>;

    /// The Customer Portal settings.
    async fn portal_settings(&self, actor: &AdminActor) -> Result<PortalSettingsView, AppError>;
    /// Turns the portal on (generating the key the first time) or off.
    async fn set_portal_enabled(
        &self,
        actor: &AdminActor,
        enabled: bool,
        version: i32,
    ) -> Result<(), AppError>;
    /// Replaces the portal key (owners); old links stop working.
    async fn rotate_portal_key(&self, actor: &AdminActor, version: i32) -> Result<(), AppError>;
    /// Saves company name and colour.
    async fn save_branding(
        &self,
        actor: &AdminActor,
        change: BrandingChange,
        version: i32,
    ) -> Result<(), AppError>;
    /// Saves the four permissions.
    async fn save_permissions(
        &self,
        actor: &AdminActor,
        permissions: PortalPermissions,
        version: i32,
    ) -> Result<(), AppError>;
    /// Checks, re-encodes and stores a PNG logo; field error `logo` on bad input.
    async fn upload_logo(&self, actor: &AdminActor, bytes: Vec<u8>) -> Result<LogoView, AppError>;
    /// Removes the logo.
    async fn remove_logo(&self, actor: &AdminActor, version: i32) -> Result<(), AppError>;
    /// A logo of the actor's organization by content hash.
    async fn logo_bytes(&self, actor: &AdminActor, hash: &str) -> Result<Vec<u8>, AppError>;

    /// A template (the organization's or the default).
    async fn template(
        &self,
        actor: &AdminActor,
        kind: &str,
        locale: Locale,
    ) -> Result<TemplateView, AppError>;
    /// Renders a draft with sample data; field errors `subject`/`body` with the line.
    async fn preview_template(
        &self,
        actor: &AdminActor,
        kind: &str,
        locale: Locale,
        subject: &str,
        body: &str,
    ) -> Result<TemplatePreview, AppError>;
    /// Saves a template after checking it.
    async fn save_template(
        &self,
        actor: &AdminActor,
        kind: &str,
        locale: Locale,
        subject: &str,
        body: &str,
    ) -> Result<(), AppError>;
    /// Deletes the organization's template (the default applies again).
    async fn reset_template(
        &self,
        actor: &AdminActor,
        kind: &str,
        locale: Locale,
    ) -> Result<(), AppError>;
    /// Queues the template with sample data to the signed-in staff member.
    async fn send_test_email(
        &self,
        actor: &AdminActor,
        kind: &str,
        locale: Locale,
    ) -> Result<(), AppError>;

    /// The Overview numbers.
    async fn overview(&self, actor: &AdminActor) -> Result<OverviewView, AppError>;
    /// Customers matching `query` (email or name) and `status`.
    async fn customers(
        &self,
        actor: &AdminActor,
        query: &str,
        status: &str,
        page: u64,
    ) -> Result<CustomerList, AppError>;
    /// One customer of the organization.
    async fn customer(
        &self,
        actor: &AdminActor,
        id: &CustomerId,
    ) -> Result<CustomerDetail, AppError>;
    /// Changes the email on file (unique per organization: `email.taken`).
    async fn update_customer_email(
        &self,
        actor: &AdminActor,
        id: &CustomerId,
        email: &EmailAddress,
    ) -> Result<(), AppError>;
    /// An invoice of one of the organization's customers as a PDF (the portal's branded
    /// PDF): `(invoice number, bytes)`. Any role may download; `NotFound` for another
    /// organization's or another customer's invoice.
    async fn invoice_pdf(
        &self,
        actor: &AdminActor,
        customer: &CustomerId,
        invoice: &InvoiceId,
    ) -> Result<(String, Vec<u8>), AppError>;
    /// A page of the audit log, newest first.
    async fn audit_log(&self, actor: &AdminActor, page: u64) -> Result<AuditLogPage, AppError>;
    /// Queued and sent emails (demo).
    async fn outbox(&self, actor: &AdminActor) -> Result<Vec<OutboxRow>, AppError>;
    /// Advances the organization's test clock (demo); returns the report text.
    async fn advance_clock(&self, actor: &AdminActor, days: u32) -> Result<String, AppError>;
}
