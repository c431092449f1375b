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
