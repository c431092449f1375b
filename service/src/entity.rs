//! sea-orm entities: one module per table, mirroring the `migration` crate's schema.
//!
//! Columns hold raw database values (enums as their snake_case strings, money as minor
//! units plus a currency code); services re-parse rows into `domain` types on load.
//! Queries take `&impl ConnectionTrait` so they compose inside transactions.

pub mod api_key;
pub mod audit_event;
pub mod brand_asset;
pub mod cancellation;
pub mod customer;
pub mod customer_session;
pub mod email_template;
pub mod event;
pub mod idempotency_key;
pub mod import;
pub mod invoice;
pub mod invoice_line;
pub mod magic_link;
pub mod organization;
pub mod outbound_email;
pub mod payment_attempt;
pub mod payment_method;
pub mod payment_method_decline;
pub mod plan;
pub mod portal_settings;
pub mod sandbox_gateway_charge;
pub mod sandbox_gateway_token;
pub mod setup_token;
pub mod staff_invitation;
pub mod staff_session;
pub mod staff_user;
pub mod subscription;
pub mod webhook_attempt;
pub mod webhook_delivery;
pub mod webhook_endpoint;

mod redact;
#[cfg(test)]
mod tests;

/// The entities under their table's singular name: `use crate::entity::prelude::*;`.
pub mod prelude {
    pub use super::api_key::Entity as ApiKey;
    pub use super::audit_event::Entity as AuditEvent;
    pub use super::brand_asset::Entity as BrandAsset;
    pub use super::cancellation::Entity as Cancellation;
    pub use super::customer::Entity as Customer;
    pub use super::customer_session::Entity as CustomerSession;
    pub use super::email_template::Entity as EmailTemplate;
    pub use super::event::Entity as Event;
    pub use super::idempotency_key::Entity as IdempotencyKey;
    pub use super::import::Entity as Import;
    pub use super::invoice::Entity as Invoice;
    pub use super::invoice_line::Entity as InvoiceLine;
    pub use super::magic_link::Entity as MagicLink;
    pub use super::organization::Entity as Organization;
    pub use super::outbound_email::Entity as OutboundEmail;
    pub use super::payment_attempt::Entity as PaymentAttempt;
    pub use super::payment_method::Entity as PaymentMethod;
    pub use super::payment_method_decline::Entity as PaymentMethodDecline;
    pub use super::plan::Entity as Plan;
    pub use super::portal_settings::Entity as PortalSettings;
    pub use super::sandbox_gateway_charge::Entity as SandboxGatewayCharge;
    pub use super::sandbox_gateway_token::Entity as SandboxGatewayToken;
    pub use super::staff_invitation::Entity as StaffInvitation;
    pub use super::staff_session::Entity as StaffSession;
    pub use super::staff_user::Entity as StaffUser;
    pub use super::subscription::Entity as Subscription;
    pub use super::webhook_attempt::Entity as WebhookAttempt;
    pub use super::webhook_delivery::Entity as WebhookDelivery;
    pub use super::webhook_endpoint::Entity as WebhookEndpoint;
}
