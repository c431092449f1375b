//! Instant recovery: when a customer sets a new default payment method, every past-due
//! invoice is retried once on it, at once. Also saving new cards and SEPA mandates.

use super::collect::{Collected, Step, invoice_amount};
use super::dunning::dunning_state;
use super::{BillingEngine, OrgCtx};
use crate::billing::error::BillingError;
use crate::billing::gateway::TokenizedMethod;
use crate::entity::{customer, invoice, payment_method};
use crate::secret::random_bytes;
use domain::{
    CardNumber, CardholderName, DeclineCode, DunningAction, EventKind, ExpiryDate, Iban,
    InvoiceStatus, Money, PaymentMethodId, PaymentTrigger, next_action,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set,
};
use tracing::instrument;

/// What happened to one past-due invoice when the default payment method changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoveryOutcome {
    /// The invoice's public id (`inv_…`).
    pub invoice_id: String,
    /// The invoice's number (`ACME-000042`).
    pub invoice_number: String,
    /// The amount that was due.
    pub amount: Money,
    /// How the retry ended.
    pub result: RecoveryResult,
}

/// How a recovery retry ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecoveryResult {
    /// Charged: the invoice is paid.
    Paid,
    /// Declined (`None`: there was no method to charge). The retry is rescheduled per policy.
    Declined(Option<DeclineCode>),
    /// Another request is collecting this invoice right now, or the gateway was unreachable
    /// and the attempt will be resumed; look again shortly.
    Pending,
}

/// A saved payment method and the recovery it triggered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedPaymentMethod {
    /// The new method's public id (`pm_…`).
    pub payment_method_id: String,
    /// One entry per past-due invoice retried (empty unless it was made the default).
    pub recovery: Vec<RecoveryOutcome>,
}

impl BillingEngine {
    /// The `SetDefaultPaymentMethod` intent: makes the customer's method the only default,
    /// then retries each open past-due invoice once on it.
    #[instrument(skip(self))]
    pub async fn set_default_payment_method(
        &self,
        org_id: i64,
        customer_id: i64,
        payment_method_public_id: &str,
    ) -> Result<Vec<RecoveryOutcome>, BillingError> {
        let ctx = self.org_ctx(org_id).await?;
        let customer = self.customer_of(&ctx, customer_id).await?;
        let pm = payment_method::Entity::find()
            .filter(payment_method::Column::PublicId.eq(payment_method_public_id))
            .one(&self.db)
            .await?
            .filter(|pm| pm.organization_id == ctx.org.id && pm.removed_at.is_none())
            .ok_or(BillingError::UnknownPaymentMethod)?;
        if pm.customer_id != customer.id {
            return Err(BillingError::NotYourPaymentMethod);
        }
        let txn = crate::db::begin_write(&self.db).await?;
        if pm.is_default {
            make_only_default(&txn, customer.id, pm.id).await?;
        } else {
            make_default_announced(&txn, customer.id, pm.id, ctx.now).await?;
        }
        txn.commit().await?;
        self.recover(&ctx, customer.id).await
    }

    /// Saves a card through the gateway (only brand, last 4, expiry, holder and token are
    /// stored) and, when `make_default`, runs the same recovery as
    /// [`BillingEngine::set_default_payment_method`].
    #[instrument(skip(self, card, holder), fields(last4 = %card.last4()))]
    pub async fn add_card(
        &self,
        org_id: i64,
        customer_id: i64,
        card: &CardNumber,
        expiry: ExpiryDate,
        holder: &CardholderName,
        make_default: bool,
    ) -> Result<AddedPaymentMethod, BillingError> {
        let ctx = self.org_ctx(org_id).await?;
        let customer = self.customer_of(&ctx, customer_id).await?;
        let method = self
            .gateway
            .tokenize_card(card, expiry, holder.as_str())
            .await?;
        self.save_method(&ctx, &customer, method, holder, make_default)
            .await
    }

    /// Saves a SEPA direct-debit mandate (only the IBAN's last 4 and the token are stored);
    /// see [`BillingEngine::add_card`].
    #[instrument(skip(self, iban, holder))]
    pub async fn add_sepa(
        &self,
        org_id: i64,
        customer_id: i64,
        iban: &Iban,
        holder: &CardholderName,
        make_default: bool,
    ) -> Result<AddedPaymentMethod, BillingError> {
        let ctx = self.org_ctx(org_id).await?;
        let customer = self.customer_of(&ctx, customer_id).await?;
        let method = self.gateway.tokenize_sepa(iban, holder.as_str()).await?;
        self.save_method(&ctx, &customer, method, holder, make_default)
            .await
    }

    pub(super) async fn customer_of(
        &self,
        ctx: &OrgCtx,
        customer_id: i64,
    ) -> Result<customer::Model, BillingError> {
        customer::Entity::find_by_id(customer_id)
            .one(&self.db)
            .await?
            .filter(|c| c.organization_id == ctx.org.id)
            .ok_or(BillingError::UnknownCustomer)
    }

    async fn save_method(
        &self,
        ctx: &OrgCtx,
        customer: &customer::Model,
        method: TokenizedMethod,
        holder: &CardholderName,
        make_default: bool,
    ) -> Result<AddedPaymentMethod, BillingError> {
        let txn = crate::db::begin_write(&self.db).await?;
        // A customer's first method is their default, asked or not: it is the one to charge.
        let make_default =
            make_default || super::default_method(&txn, customer.id).await?.is_none();
        let pm = payment_method::ActiveModel {
            public_id: Set(PaymentMethodId::from_random(random_bytes()).to_string()),
            organization_id: Set(ctx.org.id),
            customer_id: Set(customer.id),
            kind: Set(method.kind.as_str().to_owned()),
            brand: Set(method.brand.clone()),
            last4: Set(method.last4.clone()),
            exp_month: Set(method.exp_month.and_then(|m| i32::try_from(m).ok())),
            exp_year: Set(method.exp_year),
            holder_name: Set(Some(holder.as_str().to_owned())),
            gateway_token: Set(method.token.clone()),
            is_default: Set(make_default),
            expiry_reminder_30_sent_at: Set(None),
            expiry_reminder_7_sent_at: Set(None),
            removed_at: Set(None),
            created_at: Set(ctx.now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        crate::events::payment_method_changed(
            &txn,
            EventKind::PaymentMethodAttached,
            pm.id,
            ctx.now,
        )
        .await?;
        if make_default {
            make_default_announced(&txn, customer.id, pm.id, ctx.now).await?;
        }
        txn.commit().await?;
        let recovery = if make_default {
            self.recover(ctx, customer.id).await?
        } else {
            Vec::new()
        };
        Ok(AddedPaymentMethod {
            payment_method_id: pm.public_id,
            recovery,
        })
    }

    /// Retries each open, failed invoice of the customer once on the current default, and
    /// charges a first invoice that waited for a method.
    async fn recover(
        &self,
        ctx: &OrgCtx,
        customer_id: i64,
    ) -> Result<Vec<RecoveryOutcome>, BillingError> {
        let invoices = invoice::Entity::find()
            .filter(invoice::Column::CustomerId.eq(customer_id))
            .filter(owed())
            .order_by_asc(invoice::Column::CreatedAt)
            .order_by_asc(invoice::Column::Id)
            .all(&self.db)
            .await?;
        let mut outcomes = Vec::new();
        for inv in invoices {
            let (state, _) = dunning_state(&self.db, &inv).await?;
            // A first invoice never attempted was waiting for exactly this method (unless
            // its subscription ended meanwhile).
            let awaiting = inv.attempt_count == 0
                && state.subscription_status != domain::SubscriptionStatus::Canceled;
            let retry = awaiting
                || match next_action(&state, &ctx.policy, ctx.now) {
                    DunningAction::RetryNow => true,
                    // The method did not change (the same default set again), the subscription
                    // ended, or the invoice is settled: no retry.
                    DunningAction::Nothing
                    | DunningAction::WaitUntil(_)
                    | DunningAction::SkipRetry
                    | DunningAction::GiveUp(_) => false,
                };
            if !retry {
                continue;
            }
            let collected = self
                .collect(
                    ctx,
                    inv.id,
                    PaymentTrigger::PaymentMethodUpdate,
                    Step::Charge,
                )
                .await;
            let Some(result) = recovery_result(collected)? else {
                continue;
            };
            outcomes.push(RecoveryOutcome {
                invoice_id: inv.public_id.clone(),
                invoice_number: inv.number.clone(),
                amount: invoice_amount(&inv)?,
                result,
            });
        }
        Ok(outcomes)
    }
}

/// Makes `pm_id` the customer's only default. Written as two UPDATEs, the first of which
/// locks the customer's methods, so concurrent calls serialize.
pub(super) async fn make_only_default(
    txn: &impl sea_orm::ConnectionTrait,
    customer_id: i64,
    pm_id: i64,
) -> Result<(), BillingError> {
    payment_method::Entity::update_many()
        .col_expr(payment_method::Column::IsDefault, Expr::value(false))
        .filter(payment_method::Column::CustomerId.eq(customer_id))
        .filter(payment_method::Column::Id.ne(pm_id))
        .filter(payment_method::Column::IsDefault.eq(true))
        .exec(txn)
        .await?;
    payment_method::Entity::update_many()
        .col_expr(payment_method::Column::IsDefault, Expr::value(true))
        .filter(payment_method::Column::Id.eq(pm_id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Makes `pm_id` the customer's only default and writes `payment_method.default_changed`
/// for it, in the caller's transaction.
pub(super) async fn make_default_announced(
    txn: &impl sea_orm::ConnectionTrait,
    customer_id: i64,
    pm_id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), BillingError> {
    make_only_default(txn, customer_id, pm_id).await?;
    crate::events::payment_method_changed(txn, EventKind::PaymentMethodDefaultChanged, pm_id, now)
        .await?;
    Ok(())
}

/// What one charge of a customer's own (a new default, "Pay now", a first invoice) came to:
/// `None` when the invoice was no longer open; a gateway that cannot be reached leaves it
/// pending, as a lease another run holds does.
pub(super) fn recovery_result(
    collected: Result<Collected, BillingError>,
) -> Result<Option<RecoveryResult>, BillingError> {
    match collected {
        Ok(Collected::Paid) => Ok(Some(RecoveryResult::Paid)),
        Ok(Collected::Failed { code, .. }) => Ok(Some(RecoveryResult::Declined(code))),
        Ok(Collected::Busy)
        | Err(BillingError::Gateway(crate::billing::GatewayError::Unavailable(_))) => {
            Ok(Some(RecoveryResult::Pending))
        }
        Ok(Collected::NotOpen) => Ok(None),
        Err(err) => Err(err),
    }
}

/// Open invoices the customer owes now: failed at least once, or a first invoice waiting,
/// never attempted, for a payment method (see `start`).
pub(crate) fn owed() -> Condition {
    Condition::all()
        .add(invoice::Column::Status.eq(InvoiceStatus::Open.as_str()))
        .add(
            Condition::any()
                .add(invoice::Column::FirstFailureAt.is_not_null())
                .add(invoice::Column::AttemptCount.eq(0)),
        )
}
