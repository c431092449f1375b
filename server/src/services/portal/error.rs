//! The portal service's errors, and their user-safe wire form.
use crate::billing::BillingError;
use app::error::AppError;
use sea_orm::DbErr;

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
    /// Too many sign-in requests.
    #[error("rate limited")]
    RateLimited,
    /// The billing engine failed.
    #[error("billing: {0}")]
    Billing(#[from] BillingError),
    /// The database failed.
    #[error("database: {0}")]
    Db(#[from] DbErr),
}

impl PortalError {
    /// The wire error; internal causes are logged here, once, and never sent.
    pub fn into_app(self) -> AppError {
        match self {
            PortalError::UnknownPortal | PortalError::NotFound => AppError::NotFound,
            PortalError::Disabled => AppError::Conflict("disabled".into()),
            PortalError::Unauthenticated => AppError::Unauthenticated,
            PortalError::Forbidden => AppError::Forbidden,
            PortalError::LinkRefused => AppError::Conflict("link_refused".into()),
            PortalError::DefaultInUse => AppError::Conflict("default_in_use".into()),
            PortalError::RateLimited => AppError::RateLimited,
            PortalError::Billing(
                BillingError::UnknownPaymentMethod | BillingError::NotYourPaymentMethod,
            ) => AppError::NotFound,
            PortalError::Billing(BillingError::Gateway(err)) => {
                tracing::warn!(error = %err, "portal: gateway refused a payment method");
                AppError::field("number", "card.refused")
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
