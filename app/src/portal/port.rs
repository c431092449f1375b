//! What the portal's server functions need from the backend. Implemented in `server`.
use crate::error::AppError;
use crate::portal::dto::{
    CancelReason, CancelView, HistoryView, InvoicesView, LinkState, MethodChange, OverviewView,
    PaymentMethodsView, PortalBrand, SignedIn,
};
use domain::{
    CardNumber, EmailAddress, ExpiryDate, Iban, PaymentMethodId, PortalPermission,
    PortalPermissions,
};

/// Proof that the request carries a valid customer session of this portal: only
/// [`PortalPort::authenticate`] makes one, and every customer-data method demands it.
#[derive(Clone, PartialEq, Eq)]
pub struct PortalCustomer {
    org_id: i64,
    customer_id: i64,
    permissions: PortalPermissions,
    name: String,
    email: String,
}

/// Without the name and email: a witness may end up in a log line.
impl std::fmt::Debug for PortalCustomer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalCustomer")
            .field("org_id", &self.org_id)
            .field("customer_id", &self.customer_id)
            .field("permissions", &self.permissions)
            .finish_non_exhaustive()
    }
}

impl PortalCustomer {
    /// For [`PortalPort`] implementations only, after checking a session.
    #[doc(hidden)]
    pub fn authenticated_by_port(
        org_id: i64,
        customer_id: i64,
        permissions: PortalPermissions,
        name: String,
        email: String,
    ) -> Self {
        Self {
            org_id,
            customer_id,
            permissions,
            name,
            email,
        }
    }

    /// The customer's name and email as the session was checked, for the header.
    pub fn who(&self) -> (&str, &str) {
        (&self.name, &self.email)
    }

    /// The organization (database key; never sent to the browser).
    pub fn org_id(&self) -> i64 {
        self.org_id
    }

    /// The customer (database key; never sent to the browser).
    pub fn customer_id(&self) -> i64 {
        self.customer_id
    }

    /// What the organization lets its customers do, as of this request.
    pub fn permissions(&self) -> PortalPermissions {
        self.permissions
    }

    /// `Forbidden` unless the organization grants `permission`.
    pub fn require(&self, permission: PortalPermission) -> Result<(), AppError> {
        if self.permissions.contains(permission) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// A card as the customer typed it, parsed. The number and CVC live only for this request.
pub struct NewCard {
    /// The parsed number (Luhn-checked).
    pub number: CardNumber,
    /// Month and year.
    pub expiry: ExpiryDate,
    /// The name on the card.
    pub holder: String,
    /// Whether to make it the default (and retry past-due invoices on it).
    pub make_default: bool,
}

/// The portal's backend.
#[async_trait::async_trait]
pub trait PortalPort: Send + Sync + 'static {
    /// The branding of an enabled portal; `NotFound` for an unknown key, `Conflict("disabled")`
    /// for a disabled one.
    async fn brand(&self, key: &str) -> Result<PortalBrand, AppError>;
    /// Queues a sign-in link when `email` is a customer of this portal's organization;
    /// answers the same either way. `RateLimited` past the per-email or per-IP limit.
    async fn request_link(
        &self,
        key: &str,
        email: &EmailAddress,
        return_to: Option<&str>,
        ip: Option<std::net::IpAddr>,
    ) -> Result<(), AppError>;
    /// What a sign-in link is, without using it (the "Continue" page).
    async fn link_state(&self, key: &str, token: &str) -> Result<LinkState, AppError>;
    /// Uses a sign-in link once and opens a new session (any previous one is deleted).
    async fn sign_in(
        &self,
        key: &str,
        token: &str,
        previous_session: Option<&str>,
    ) -> Result<SignedIn, AppError>;
    /// Checks a session token of this portal and refreshes its idle expiry.
    async fn authenticate(
        &self,
        key: &str,
        session_token: &str,
    ) -> Result<PortalCustomer, AppError>;
    /// Ends a session.
    async fn sign_out(&self, key: &str, session_token: &str) -> Result<(), AppError>;
    /// Subscriptions and the past-due total.
    async fn overview(&self, customer: &PortalCustomer) -> Result<OverviewView, AppError>;
    /// Saved payment methods (permission: update payment methods).
    async fn payment_methods(
        &self,
        customer: &PortalCustomer,
    ) -> Result<PaymentMethodsView, AppError>;
    /// Saves a card; when default, past-due invoices are retried once on it.
    async fn add_card(
        &self,
        customer: &PortalCustomer,
        card: NewCard,
        client_ip: Option<std::net::IpAddr>,
    ) -> Result<MethodChange, AppError>;
    /// Saves a SEPA debit mandate.
    async fn add_sepa(
        &self,
        customer: &PortalCustomer,
        iban: &Iban,
        holder: &str,
        make_default: bool,
        client_ip: Option<std::net::IpAddr>,
    ) -> Result<MethodChange, AppError>;
    /// Makes a saved method the default and retries past-due invoices on it.
    async fn set_default(
        &self,
        customer: &PortalCustomer,
        method: &PaymentMethodId,
    ) -> Result<MethodChange, AppError>;
    /// Removes a saved method; `Conflict("default_in_use")` for the default while a subscription is active.
    async fn remove_method(
        &self,
        customer: &PortalCustomer,
        method: &PaymentMethodId,
    ) -> Result<(), AppError>;
    /// One page of payment attempts, newest first (permission: view payment history).
    async fn payment_history(
        &self,
        customer: &PortalCustomer,
        page: u32,
    ) -> Result<HistoryView, AppError>;
    /// One page of invoices, newest first (permission: download invoices).
    async fn invoices(
        &self,
        customer: &PortalCustomer,
        page: u32,
    ) -> Result<InvoicesView, AppError>;
    /// The subscriptions that can be canceled or resumed (permission: cancel subscription).
    async fn cancel_view(&self, customer: &PortalCustomer) -> Result<CancelView, AppError>;
    /// Cancels at the period end and queues the cancellation email.
    async fn cancel_subscription(
        &self,
        customer: &PortalCustomer,
        subscription: &str,
        reason: CancelReason,
        comment: Option<String>,
    ) -> Result<(), AppError>;
    /// Undoes a cancellation while the period has not ended.
    async fn resume_subscription(
        &self,
        customer: &PortalCustomer,
        subscription: &str,
    ) -> Result<(), AppError>;
    /// The customer's own invoice as a PDF: `(invoice number, bytes)`
    /// (permission: download invoices; `NotFound` for anyone else's).
    async fn invoice_pdf(
        &self,
        customer: &PortalCustomer,
        key: &str,
        invoice: &str,
    ) -> Result<(String, Vec<u8>), AppError>;
}
