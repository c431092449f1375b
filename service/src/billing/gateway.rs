//! The payment processor port. The sandbox implements it; a real processor plugs in here.

use async_trait::async_trait;
use chrono::NaiveDate;
use domain::{CardNumber, DeclineCode, ExpiryDate, Iban, Money, PaymentMethodKind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// What the gateway returns for a saved method: a reusable token and the displayable facts.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenizedMethod {
    /// The gateway's token; the only way to charge the method later.
    pub token: String,
    /// Card or SEPA debit.
    pub kind: PaymentMethodKind,
    /// The card brand (`visa`…); `None` for SEPA.
    pub brand: Option<String>,
    /// The last 4 digits of the card number or IBAN.
    pub last4: String,
    /// Card expiry month; `None` for SEPA.
    pub exp_month: Option<u32>,
    /// Card expiry year; `None` for SEPA.
    pub exp_year: Option<i32>,
}

impl std::fmt::Debug for TokenizedMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token charges the customer: keep it out of logs.
        f.debug_struct("TokenizedMethod")
            .field("kind", &self.kind)
            .field("brand", &self.brand)
            .field("last4", &self.last4)
            .field("exp_month", &self.exp_month)
            .field("exp_year", &self.exp_year)
            .finish_non_exhaustive()
    }
}

/// How a charge ended at the gateway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChargeOutcome {
    /// The money was collected.
    Succeeded {
        /// The gateway's reference for the charge.
        reference: String,
    },
    /// The charge was refused.
    Declined {
        /// Why.
        code: DeclineCode,
        /// The gateway's reference for the refused charge.
        reference: String,
    },
}

/// One charge of a batch (see [`PaymentGateway::charge_many`]).
#[derive(Clone, Copy)]
pub struct ChargeRequest<'a> {
    /// The gateway's token of the method to charge.
    pub token: &'a str,
    /// How much.
    pub amount: Money,
    /// The same key always gets the first answer, and moves money at most once.
    pub idempotency_key: &'a str,
    /// The merchant's date (the test clock), used to decide card expiry.
    pub today: NaiveDate,
}

impl std::fmt::Debug for ChargeRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token charges the customer: keep it out of logs.
        f.debug_struct("ChargeRequest")
            .field("amount", &self.amount)
            .field("idempotency_key", &self.idempotency_key)
            .field("today", &self.today)
            .finish_non_exhaustive()
    }
}

/// Why the gateway did not return a charge outcome.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    /// Zero or negative amount.
    #[error("the amount must be positive")]
    InvalidAmount,
    /// The idempotency key was used before with a different amount or token.
    #[error("idempotency key reused with different parameters")]
    IdempotencyConflict,
    /// The token is not known to the gateway.
    #[error("unknown payment method token")]
    UnknownToken,
    /// The method was refused when it was saved (tokenization).
    #[error("the payment method was declined ({0})")]
    Declined(DeclineCode),
    /// The gateway could not be reached or failed; the same idempotency key may be retried.
    #[error("gateway unavailable: {0}")]
    Unavailable(String),
}

/// A payment processor. Implementations must honour idempotency keys: a repeated key
/// returns the first result and moves no money.
#[async_trait]
pub trait PaymentGateway: Send + Sync {
    /// Whether the processor answers with these credentials (the console's "test the
    /// connection"); moves no money and saves nothing.
    async fn check(&self) -> Result<(), GatewayError>;

    /// Saves a card with the processor and returns its token.
    async fn tokenize_card(
        &self,
        card: &CardNumber,
        expiry: ExpiryDate,
        holder: &str,
    ) -> Result<TokenizedMethod, GatewayError>;

    /// Creates a SEPA direct-debit mandate on an IBAN and returns its token.
    async fn tokenize_sepa(
        &self,
        iban: &Iban,
        holder: &str,
    ) -> Result<TokenizedMethod, GatewayError>;

    /// Charges `amount` to `token`. `today` is the merchant's date (the test clock), used to
    /// decide card expiry.
    async fn charge(
        &self,
        token: &str,
        amount: Money,
        idempotency_key: &str,
        today: NaiveDate,
    ) -> Result<ChargeOutcome, GatewayError>;

    /// Charges a batch: one result per request, in the same order, with the idempotency
    /// rules of [`PaymentGateway::charge`] for each. The default charges one by one; a
    /// gateway with a batch API (or the sandbox, with one round trip to its storage)
    /// does better.
    async fn charge_many(
        &self,
        requests: &[ChargeRequest<'_>],
    ) -> Vec<Result<ChargeOutcome, GatewayError>> {
        let mut results = Vec::with_capacity(requests.len());
        for r in requests {
            results.push(
                self.charge(r.token, r.amount, r.idempotency_key, r.today)
                    .await,
            );
        }
        results
    }
}

/// Wraps a gateway and counts calls and successful outcomes it returned, for tests.
///
/// A replayed idempotency key counts as a returned success again, so to count money
/// actually moved use [`crate::billing::SandboxGateway::successful_charge_count`].
pub struct CountingGateway {
    inner: Arc<dyn PaymentGateway>,
    charges: AtomicU64,
    successes: AtomicU64,
}

impl CountingGateway {
    /// Wraps `inner`.
    pub fn new(inner: Arc<dyn PaymentGateway>) -> CountingGateway {
        CountingGateway {
            inner,
            charges: AtomicU64::new(0),
            successes: AtomicU64::new(0),
        }
    }

    /// How many times `charge` was called.
    pub fn charge_calls(&self) -> u64 {
        self.charges.load(Ordering::SeqCst)
    }

    /// How many `charge` calls returned [`ChargeOutcome::Succeeded`].
    pub fn successes_returned(&self) -> u64 {
        self.successes.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl PaymentGateway for CountingGateway {
    async fn check(&self) -> Result<(), GatewayError> {
        self.inner.check().await
    }

    async fn tokenize_card(
        &self,
        card: &CardNumber,
        expiry: ExpiryDate,
        holder: &str,
    ) -> Result<TokenizedMethod, GatewayError> {
        self.inner.tokenize_card(card, expiry, holder).await
    }

    async fn tokenize_sepa(
        &self,
        iban: &Iban,
        holder: &str,
    ) -> Result<TokenizedMethod, GatewayError> {
        self.inner.tokenize_sepa(iban, holder).await
    }

    async fn charge(
        &self,
        token: &str,
        amount: Money,
        idempotency_key: &str,
        today: NaiveDate,
    ) -> Result<ChargeOutcome, GatewayError> {
        self.charges.fetch_add(1, Ordering::SeqCst);
        let outcome = self
            .inner
            .charge(token, amount, idempotency_key, today)
            .await;
        if matches!(outcome, Ok(ChargeOutcome::Succeeded { .. })) {
            self.successes.fetch_add(1, Ordering::SeqCst);
        }
        outcome
    }

    async fn charge_many(
        &self,
        requests: &[ChargeRequest<'_>],
    ) -> Vec<Result<ChargeOutcome, GatewayError>> {
        self.charges
            .fetch_add(requests.len() as u64, Ordering::SeqCst);
        let outcomes = self.inner.charge_many(requests).await;
        let successes = outcomes
            .iter()
            .filter(|o| matches!(o, Ok(ChargeOutcome::Succeeded { .. })))
            .count();
        self.successes.fetch_add(successes as u64, Ordering::SeqCst);
        outcomes
    }
}
