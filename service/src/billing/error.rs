//! The billing service's errors.

use super::gateway::GatewayError;
use sea_orm::DbErr;

/// Why a billing intent was refused or failed. Nothing is written when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    /// No payment method with that id exists for the organization, or it was removed.
    #[error("unknown payment method")]
    UnknownPaymentMethod,
    /// The payment method belongs to another customer.
    #[error("this payment method belongs to another customer")]
    NotYourPaymentMethod,
    /// No such customer in the organization.
    #[error("unknown customer")]
    UnknownCustomer,
    /// No such invoice for this customer (drafts included: they are not payable).
    #[error("unknown invoice")]
    UnknownInvoice,
    /// The invoice is paid, void or written off.
    #[error("the invoice is not open")]
    InvoiceNotOpen,
    /// "Pay now" without any saved payment method.
    #[error("no payment method to pay with")]
    NoPaymentMethod,
    /// "Pay now" with a method that is not the default, where the customer may not change
    /// their default (the portal's "update payment methods" is off).
    #[error("the default payment method may not be changed here")]
    DefaultLocked,
    /// "Pay now" refused to charge this method now (`domain::check_pay_now`).
    #[error("pay now refused: {0}")]
    PayNowRefused(#[from] domain::PayNowRefusal),
    /// No such organization.
    #[error("unknown organization")]
    UnknownOrganization,
    /// Amounts in different currencies were combined.
    #[error("currency mismatch")]
    CurrencyMismatch,
    /// An amount was zero, negative, out of range, or a stored amount was malformed.
    #[error("invalid amount")]
    InvalidAmount,
    /// A stored row could not be parsed back into domain types.
    #[error("corrupt {what} row: {detail}")]
    CorruptRow {
        /// Which table.
        what: &'static str,
        /// What failed to parse.
        detail: String,
    },
    /// The payment gateway refused or failed.
    #[error("payment gateway: {0}")]
    Gateway(#[from] GatewayError),
    /// An email could not be rendered.
    #[error("email template: {0}")]
    Template(#[from] super::templates::TemplateError),
    /// The database failed.
    #[error("database: {0}")]
    Db(#[from] DbErr),
}

impl From<domain::MoneyError> for BillingError {
    fn from(err: domain::MoneyError) -> Self {
        match err {
            domain::MoneyError::CurrencyMismatch { .. } => BillingError::CurrencyMismatch,
            domain::MoneyError::Overflow
            | domain::MoneyError::UnknownCurrency
            | domain::MoneyError::InvalidAmount
            | domain::MoneyError::NoLines => BillingError::InvalidAmount,
        }
    }
}

impl BillingError {
    pub(crate) fn corrupt(what: &'static str, detail: impl std::fmt::Display) -> BillingError {
        BillingError::CorruptRow {
            what,
            detail: detail.to_string(),
        }
    }
}
