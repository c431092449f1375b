//! The console service's errors, and their user-safe wire form.
use crate::billing::BillingError;
use sea_orm::DbErr;
use wire::error::{AppError, Conflict, FieldCode, FieldErrors};

/// Why a console request failed.
#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    /// No valid session, or wrong credentials (the same answer for both).
    #[error("not signed in")]
    Unauthenticated,
    /// The role does not allow this.
    #[error("forbidden")]
    Forbidden,
    /// No such row in the actor's organization.
    #[error("not found")]
    NotFound,
    /// The request conflicts with the current state (`stale`, `payments_inactive`, …).
    #[error("conflict: {0:?}")]
    Conflict(Conflict),
    /// Too many attempts.
    #[error("rate limited")]
    RateLimited,
    /// Input that did not parse.
    #[error("invalid input")]
    Fields(FieldErrors),
    /// The billing engine failed.
    #[error("billing: {0}")]
    Billing(#[from] BillingError),
    /// The database failed.
    #[error("database: {0}")]
    Db(#[from] DbErr),
    /// The invoice PDF could not be rendered (logged where it happened).
    #[error("invoice PDF failed")]
    Pdf,
    /// Anything else internal.
    #[error("internal: {0}")]
    Internal(String),
}

impl ConsoleError {
    /// One field's error.
    pub fn field(field: &str, code: FieldCode) -> Self {
        let mut errors = FieldErrors::default();
        errors.push(field, code);
        ConsoleError::Fields(errors)
    }
}

/// Logs an internal cause once, and sends only its category.
impl From<ConsoleError> for AppError {
    fn from(error: ConsoleError) -> Self {
        match error {
            ConsoleError::Unauthenticated => AppError::Unauthenticated,
            ConsoleError::Forbidden => AppError::Forbidden,
            ConsoleError::NotFound => AppError::NotFound,
            ConsoleError::Conflict(code) => AppError::Conflict(code),
            ConsoleError::RateLimited => AppError::RateLimited,
            ConsoleError::Fields(errors) => AppError::Validation(errors),
            ConsoleError::Pdf => AppError::Internal,
            ConsoleError::Billing(BillingError::UnknownOrganization) => AppError::NotFound,
            ConsoleError::Billing(err) => {
                tracing::error!(error = %err, "console: billing failed");
                AppError::Internal
            }
            ConsoleError::Db(err) => {
                tracing::error!(error = %err, "console: database failed");
                AppError::Internal
            }
            ConsoleError::Internal(err) => {
                tracing::error!(error = %err, "console: internal error");
                AppError::Internal
            }
        }
    }
}
