//! The billing engine: renewals, dunning, instant recovery when a customer fixes their
//! payment method, card-expiry reminders, and the transactional email outbox.
//!
//! Time and payments are injected ([`Clock`], [`PaymentGateway`]) so every flow runs in
//! tests and demos without a network. Each worker exposes `run_once(now)`.

pub mod clock;
pub mod engine;
pub mod error;
pub mod gateway;
pub mod mailer;
pub mod outbox;
pub mod sandbox;
pub mod templates;

pub use clock::{Clock, FixedClock, SystemClock};
pub use engine::{
    AddedPaymentMethod, BillingEngine, ClockReport, RecoveryOutcome, RecoveryResult, RunReport,
    advance_clock,
};
pub use error::BillingError;
pub use gateway::{
    ChargeOutcome, ChargeRequest, CountingGateway, GatewayError, PaymentGateway, TokenizedMethod,
};
pub use mailer::{DeliveryReport, DeliveryWorker, LogMailer, Mailer, OutgoingEmail, SmtpMailer};
pub use outbox::{NewEmail, list_outbox_json, queue_email, queue_emails};
pub use sandbox::{SANDBOX_FAILING_IBAN, SandboxGateway};
pub use templates::{EmailKind, RenderedEmail, TemplateError, TemplateVars, render_template};

/// An amount read back from a row, its currency re-parsed: an unknown code is corrupt
/// data, never a zero or a guess.
pub(crate) fn stored_money(minor: i64, currency: &str) -> Result<domain::Money, BillingError> {
    let currency =
        domain::Currency::parse(currency).map_err(|e| BillingError::corrupt("currency", e))?;
    Ok(domain::Money::new(minor, currency))
}

/// Stored amounts `(minor units, currency)` totalled per currency
/// (`domain::sum_by_currency`: none dropped, none mixed).
pub(crate) fn stored_totals<'a>(
    amounts: impl IntoIterator<Item = (i64, &'a str)>,
) -> Result<Vec<domain::Money>, BillingError> {
    let amounts = amounts
        .into_iter()
        .map(|(minor, currency)| stored_money(minor, currency))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(domain::sum_by_currency(amounts)?)
}
