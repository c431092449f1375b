//! Subscriptions staff start: the first invoice of one that starts today is written with
//! the subscription, never attempted (`attempt_count` 0). With a default payment method on
//! file it is charged at once, as attempt 1; without one it waits, the subscription stays
//! `incomplete`, and the customer is asked to add a method. Setting a default method then
//! charges it through the same recovery path as a failed renewal ([`super::recovery`]).

use super::BillingEngine;
use super::collect::{Step, invoice_vars};
use super::recovery::RecoveryResult;
use super::renewal::{draft, invoice_numbers};
use crate::billing::error::BillingError;
use crate::billing::outbox::{Mailroom, queue_emails_in};
use crate::billing::templates::EmailKind;
use crate::db::{Batch, id_of};
use crate::entity::{customer, invoice, invoice_line, organization, plan, subscription};
use chrono::{DateTime, Utc};
use domain::{InvoiceStatus, Locale, Money, PaymentTrigger};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryTrait, Set, TryIntoModel,
};

/// A new subscription as the engine sees it inside the transaction that created it.
pub(crate) struct Starting<'a> {
    pub(crate) org: &'a organization::Model,
    pub(crate) sub: &'a subscription::Model,
    pub(crate) customer: &'a customer::Model,
    pub(crate) plan: &'a plan::Model,
    /// The organization's emails, loaded before the transaction began (two reads fewer
    /// while it holds the write lock).
    pub(crate) mail: &'a Mailroom,
    /// Whether the customer has a default payment method.
    pub(crate) has_method: bool,
    /// The organization's now.
    pub(crate) now: DateTime<Utc>,
}

impl BillingEngine {
    /// The organization's emails, for a [`Starting`].
    pub(crate) async fn mailroom(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        org: &organization::Model,
    ) -> Result<Mailroom, BillingError> {
        Mailroom::load(db, &self.public_url, org).await
    }

    /// Takes the organization's next invoice number, `seq` as the transaction read it
    /// (see [`super::renewal::invoice_numbers`]); the counter's update goes into `batch`.
    pub(crate) fn take_invoice_number(
        &self,
        batch: &mut Batch,
        org: &organization::Model,
        seq: i64,
    ) -> Result<String, BillingError> {
        batch.update(
            organization::Entity::update_many()
                .col_expr(
                    organization::Column::NextInvoiceSeq,
                    Expr::col(organization::Column::NextInvoiceSeq).add(1),
                )
                .filter(organization::Column::Id.eq(org.id))
                .into_query(),
        );
        invoice_numbers(org, seq, 1)?
            .pop()
            .ok_or(BillingError::UnknownOrganization)
    }

    /// Writes into `batch` the first invoice (numbered `number`) of a subscription starting
    /// now (its period begins at the subscription's period end, which equals its start)
    /// with its line, its event and the customer's email: "invoice created" when a method
    /// will be charged, else "add a payment method". Returns the invoice's public id, for
    /// [`Self::charge_first_invoice`] after the commit.
    ///
    /// The subscription is in `batch` before it: the invoice refers to it by its public id
    /// (its row id is the database's to choose), as the line refers to the invoice.
    pub(crate) fn open_first_invoice(
        &self,
        batch: &mut Batch,
        s: &Starting<'_>,
        number: String,
    ) -> Result<String, BillingError> {
        let d = draft(s.sub, Some(s.customer), Some(s.plan))?;
        write_open_invoice(batch, s, number, &d, None)
    }

    /// Writes into `batch`, as [`Self::open_first_invoice`] does, an invoice of `lines`
    /// for the current period (`period`, which its payment leaves as it is) of a
    /// subscription whose plan changed now: the rest of the period at the new price, less
    /// what was paid for those days. Returns the invoice's public id, for
    /// [`Self::charge_first_invoice`] after the commit. Its retry time is set past the
    /// claim's lease: should that charge never record a result (the gateway unavailable,
    /// the process stopped), the billing run resumes it with the same key.
    pub(crate) fn open_change_invoice(
        &self,
        batch: &mut Batch,
        s: &Starting<'_>,
        number: String,
        lines: Vec<domain::InvoiceLine>,
        (period_start, period_end): (DateTime<Utc>, DateTime<Utc>),
    ) -> Result<String, BillingError> {
        let totals = domain::InvoiceTotals::compute(&lines)?;
        if !totals.total.is_positive() {
            return Err(BillingError::InvalidAmount);
        }
        let d = super::renewal::Draft {
            sub_id: s.sub.id,
            customer: s.customer.clone(),
            public_id: super::renewal::new_invoice_id(),
            lines,
            totals,
            period_start,
            period_end,
        };
        let resume_at = s.now + super::collect::CLAIM_LEASE;
        write_open_invoice(batch, s, number, &d, Some(resume_at))
    }

    /// Queues the "add a payment method" email for a subscription whose first invoice
    /// comes later (a trial, or a start date ahead), when the customer has no method.
    /// The email goes into `batch`, sent with the commit.
    pub(crate) fn ask_for_method(
        &self,
        batch: &mut Batch,
        s: &Starting<'_>,
    ) -> Result<(), BillingError> {
        let d = draft(s.sub, Some(s.customer), Some(s.plan))?;
        let email = add_method_email(s.mail, s.customer, s.plan, d.totals.total)?;
        queue_emails_in(batch, vec![email], s.now);
        Ok(())
    }

    /// Charges a first invoice on the customer's default method: its attempt 1.
    pub(crate) async fn charge_first_invoice(
        &self,
        org_id: i64,
        invoice: &str,
    ) -> Result<RecoveryResult, BillingError> {
        let invoice_id = invoice::Entity::find()
            .filter(invoice::Column::OrganizationId.eq(org_id))
            .filter(invoice::Column::PublicId.eq(invoice))
            .one(&self.db)
            .await?
            .ok_or(BillingError::UnknownInvoice)?
            .id;
        let ctx = self.org_ctx(org_id).await?;
        let collected = self
            .collect(&ctx, invoice_id, PaymentTrigger::Renewal, Step::Charge)
            .await;
        match super::recovery::recovery_result(collected)? {
            Some(result) => Ok(result),
            // Settled by someone else meanwhile (paid by a concurrent run, or voided).
            None => {
                let paid = invoice::Entity::find_by_id(invoice_id)
                    .one(&self.db)
                    .await?
                    .is_some_and(|inv| inv.status == InvoiceStatus::Paid.as_str());
                Ok(if paid {
                    RecoveryResult::Paid
                } else {
                    RecoveryResult::Pending
                })
            }
        }
    }
}

/// The open invoice of draft `d`, numbered `number`, with its lines, its event and the
/// customer's email (see [`BillingEngine::open_first_invoice`]); `next_attempt_at` is when
/// the billing run charges it if nothing has by then.
fn write_open_invoice(
    batch: &mut Batch,
    s: &Starting<'_>,
    number: String,
    d: &super::renewal::Draft,
    next_attempt_at: Option<DateTime<Utc>>,
) -> Result<String, BillingError> {
    let row = invoice::ActiveModel {
        id: Set(0),
        public_id: Set(d.public_id.clone()),
        organization_id: Set(s.org.id),
        customer_id: Set(s.customer.id),
        subscription_id: Set(Some(s.sub.id)),
        number: Set(number),
        status: Set(InvoiceStatus::Open.as_str().to_owned()),
        currency: Set(d.totals.total.currency.code().to_owned()),
        subtotal_minor: Set(d.totals.subtotal.amount_minor),
        total_minor: Set(d.totals.total.amount_minor),
        amount_paid_minor: Set(0),
        // Not claimed: the charge after the commit (or the customer's new method) claims it.
        attempt_count: Set(0),
        first_failure_at: Set(None),
        next_attempt_at: Set(next_attempt_at),
        period_start: Set(d.period_start),
        period_end: Set(d.period_end),
        paid_at: Set(None),
        created_at: Set(s.now),
        updated_at: Set(s.now),
        ..super::billed_to(s.customer)
    };
    let inv = row.clone().try_into_model()?;
    let lines = d
        .lines
        .iter()
        .map(|l| super::renewal::line_row(inv.id, l))
        .collect::<Result<Vec<_>, _>>()?;
    let sub_id = id_of::<subscription::Entity>(
        subscription::Column::Id,
        subscription::Column::PublicId,
        &s.sub.public_id,
    );
    batch.insert_with(row, invoice::Column::SubscriptionId, sub_id);
    let inv_id = id_of::<invoice::Entity>(
        invoice::Column::Id,
        invoice::Column::PublicId,
        &inv.public_id,
    );
    for line in &lines {
        let row = line.clone().into_active_model();
        batch.insert_with(row, invoice_line::Column::InvoiceId, inv_id.clone());
    }
    crate::events::invoice_created(batch, &inv, lines, s.customer, s.sub, s.now)?;
    let mail = s.mail;
    let email = if s.has_method {
        let vars = invoice_vars(&inv, d.totals.total, &s.customer.locale);
        mail.email(s.customer, EmailKind::InvoiceCreated, vars)?
    } else {
        add_method_email(mail, s.customer, s.plan, d.totals.total)?
    };
    queue_emails_in(batch, vec![email], s.now);
    Ok(inv.public_id)
}

fn add_method_email(
    mail: &Mailroom,
    customer: &customer::Model,
    plan: &plan::Model,
    amount: Money,
) -> Result<crate::billing::outbox::NewEmail, BillingError> {
    let locale = Locale::parse(&customer.locale).unwrap_or_default();
    let mut vars = crate::billing::templates::TemplateVars::new();
    vars.insert("plan_name".into(), plan.name.clone());
    vars.insert("amount_due".into(), amount.format(locale));
    mail.email(customer, EmailKind::AddPaymentMethod, vars)
}
