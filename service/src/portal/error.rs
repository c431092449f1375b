//! The portal service's errors, and their user-safe wire form.
use crate::billing::BillingError;
use crate::billing::gateway::GatewayError;
use sea_orm::DbErr;
use wire::error::{AppError, Conflict, FieldCode};

/// Why a portal request failed.
#[derive(Debug, thiserror::Error)]
pub enum PortalError {
    /// No portal with this key.
    #[error("unknown portal")]
    UnknownPortal,
    /// The portal exists but is switched off.
    #[error("portal disabled")]
    Disabled,
    /// No valid session.
    #[error("not signed in")]
    Unauthenticated,
    /// The organization does not grant this section.
    #[error("permission missing")]
    Forbidden,
    /// No such row for this customer.
    #[error("not found")]
    NotFound,
    /// The sign-in link is unknown, used or expired.
    #[error("sign-in link refused")]
    LinkRefused,
    /// The default method cannot go while a subscription is active.
    #[error("the default payment method is in use")]
    DefaultInUse,
    /// The subscription is not in a state this change applies to (already canceled, period over).
    #[error("the subscription cannot be changed")]
    NotCancelable,
    /// The invoice PDF could not be rendered (logged where it happened).
    #[error("invoice PDF failed")]
    Pdf,
    /// Too many sign-in requests.
    #[error("rate limited")]
    RateLimited,
    /// The card-testing limits refuse another payment method now; `field` is the form's
    /// field the message shows beside.
    #[error("payment method limit: {refusal}")]
    PaymentMethodLimit {
        refusal: domain::PaymentMethodRefusal,
        field: &'static str,
    },
    /// The resume day of a pause is refused.
    #[error("pause: {0}")]
    Pause(domain::PauseError),
    /// The subscription changed since the form was shown.
    #[error("stale form")]
    Stale,
    /// A plan change the merchant's rules refuse.
    #[error("plan change: {0}")]
    PlanChange(domain::PlanChangeError),
    /// The billing engine failed.
    #[error("billing: {0}")]
    Billing(#[from] BillingError),
    /// The database failed.
    #[error("database: {0}")]
    Db(#[from] DbErr),
}

/// Logs an internal cause once, and sends only its category.
impl From<PortalError> for AppError {
    fn from(error: PortalError) -> Self {
        match error {
            PortalError::UnknownPortal | PortalError::NotFound => AppError::NotFound,
            PortalError::Disabled => AppError::Conflict(Conflict::PortalDisabled),
            PortalError::Unauthenticated => AppError::Unauthenticated,
            PortalError::Forbidden => AppError::Forbidden,
            PortalError::LinkRefused => AppError::Conflict(Conflict::LinkRefused),
            PortalError::DefaultInUse => AppError::Conflict(Conflict::DefaultInUse),
            PortalError::RateLimited => AppError::RateLimited,
            PortalError::PaymentMethodLimit { refusal, field } => AppError::field(
                field,
                match refusal {
                    domain::PaymentMethodRefusal::CoolingDown => FieldCode::CardCooldown,
                    domain::PaymentMethodRefusal::TooManySaved => FieldCode::CardLimit,
                },
            ),
            PortalError::Pdf => AppError::Internal,
            PortalError::Pause(e) => AppError::field("resumes_on", e.into()),
            PortalError::NotCancelable => AppError::Conflict(Conflict::NotCancelable),
            PortalError::Stale => AppError::Conflict(Conflict::Stale),
            PortalError::PlanChange(e) => AppError::field(e.field(), e.into()),
            PortalError::Billing(
                BillingError::UnknownPaymentMethod
                | BillingError::NotYourPaymentMethod
                | BillingError::UnknownInvoice,
            ) => AppError::NotFound,
            PortalError::Billing(BillingError::DefaultLocked) => AppError::Forbidden,
            PortalError::Billing(BillingError::InvoiceNotOpen) => {
                AppError::Conflict(Conflict::InvoiceNotOpen)
            }
            PortalError::Billing(BillingError::NoPaymentMethod) => {
                AppError::field("method", FieldCode::MethodRequired)
            }
            PortalError::Billing(BillingError::PayNowRefused(refusal)) => AppError::field(
                "method",
                match refusal {
                    domain::PayNowRefusal::DeclinedForGood(_) => FieldCode::MethodDeclinedForGood,
                    domain::PayNowRefusal::JustDeclined { .. } => FieldCode::MethodJustDeclined,
                },
            ),
            // Refused when saved (e.g. the sandbox's 4000 0000 0000 0002): the customer
            // sees the bank's reason beside the number; nothing was stored.
            PortalError::Billing(BillingError::Gateway(GatewayError::Declined(code))) => {
                tracing::info!(
                    decline = code.as_str(),
                    "portal: card refused at tokenization"
                );
                AppError::field("number", FieldCode::Declined(code))
            }
            PortalError::Billing(BillingError::Gateway(err)) => {
                tracing::warn!(error = %err, "portal: gateway refused a payment method");
                AppError::field("number", FieldCode::CardRefused)
            }
            PortalError::Billing(err) => {
                tracing::error!(error = %err, "portal: billing failed");
                AppError::Internal
            }
            PortalError::Db(err) => {
                tracing::error!(error = %err, "portal: database failed");
                AppError::Internal
            }
        }
    }
}
