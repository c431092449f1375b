//! The console's backend: staff sign-in and sessions, the Customer Portal settings,
//! notification templates, customers, the overview, the audit log and the demo tools.
//! Every method takes the [`AdminActor`] witness and filters by its organization;
//! mutations check the role first.
mod actor;
mod api_keys;
mod audit;
mod auth;
mod catalog;
mod customer_details;
mod customer_objects;
mod customers;
mod demo;
mod error;
mod event_objects;
mod idempotency;
mod import;
mod invitations;
mod invoice_objects;
mod invoices;
mod logo;
mod overview;
mod paging;
mod payments;
mod portal_sessions;
mod price_objects;
mod settings;
mod setup;
mod subscription_changes;
mod subscription_objects;
mod subscriptions;
mod team;
mod templates;
mod webhooks;

use crate::billing::BillingEngine;
use crate::config::Config;
use crate::portal::{PortalDirectory, RateLimiter};
use sea_orm::DatabaseConnection;
use std::sync::Arc;

pub use actor::{AdminActor, BrandingChange, BrandingForm, Principal};
pub use auth::{LOCKOUT, MAX_FAILED_LOGINS};
pub use catalog::{NewPrice, PriceForm};
pub(crate) use customer_details::set_details as set_customer_details;
pub use customer_details::{CustomerDetails, CustomerDetailsForm, NewCustomer};
pub use customer_objects::CustomerPatch;
pub(crate) use customer_objects::object as customer_object_of;
pub use error::ConsoleError;
pub(crate) use event_objects::object as event_object_of;
pub use idempotency::{IdempotencyTicket, Idempotent, purge_idempotency_keys, request_fingerprint};
pub use import::{BATCH as IMPORT_BATCH, ImportCheck, ImportSource, Progress as ImportProgress};
pub(crate) use invitations::staff_locale;
pub(crate) use invoice_objects::invoices as invoice_objects_of;
pub(crate) use invoice_objects::invoices_with as invoice_objects_with;
pub(crate) use invoice_objects::payment_methods as payment_method_objects_of;
pub use logo::{MAX_LOGO_BYTES, check as check_logo};
pub use payments::{BusinessDetails, BusinessDetailsForm, PaymentPolicy, PaymentPolicyForm};
pub use portal_sessions::NewPortalSession;
pub use price_objects::PriceInput;
pub use settings::{PortalRules, stored_offer, stored_range, stored_switch_prices};
pub use setup::{FirstOrganization, SetupAuthority, SetupForm};
pub use subscription_changes::SubscriptionChange;
pub(crate) use subscription_objects::objects as subscription_objects_of;
pub use subscriptions::{
    CancelWhen, CreatedSubscription, FirstInvoice, NewSubscription, SubscriptionForm,
};
pub use webhooks::{NewWebhookEndpoint, WebhookEndpointForm};

/// The console's operations (one method each, in the submodules): server functions and
/// HTTP routes call them with the [`AdminActor`] their session check returned.
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
    /// Work a request starts and does not wait for (an import's run).
    pub(crate) background: crate::background::Background,
    /// Each API key's request bucket, on this instance.
    pub(crate) api_buckets: Arc<std::sync::Mutex<std::collections::HashMap<i64, domain::Bucket>>>,
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
            background: crate::background::Background::default(),
            api_buckets: Arc::default(),
        }
    }

    /// Runs background work (an import) on `background`, which shutdown waits for.
    pub fn with_background(mut self, background: crate::background::Background) -> Self {
        self.background = background;
        self
    }

    /// Makes the portal forget what it cached when the returned guard drops: at the end of a
    /// change to what the portal shows, success or not, and also when the request is dropped
    /// mid-way (its commit may still have landed).
    pub(crate) fn portal_changing(&self) -> PortalChange<'_> {
        PortalChange(&self.directory)
    }

    /// The engine's clock, so tests can move it.
    pub(crate) fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.engine.clock().now()
    }
}

/// See [`ConsoleService::portal_changing`].
pub(crate) struct PortalChange<'a>(&'a PortalDirectory);

impl Drop for PortalChange<'_> {
    fn drop(&mut self) {
        self.0.forget_all();
    }
}
