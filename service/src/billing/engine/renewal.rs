//! Renewals: an active subscription whose period has ended gets an invoice and a charge.
//!
//! They run in batches of [`BATCH`], each in three steps:
//! 1. one write transaction claims the batch's due subscriptions (`FOR UPDATE SKIP LOCKED`
//!    on PostgreSQL, so a second engine takes the next batch instead of waiting; SQLite has
//!    a single writer), takes their invoice numbers with one update of the organization's
//!    counter, and writes the invoices (each already claiming its attempt 1), their lines,
//!    the "invoice created" emails and the cancellations at period end;
//! 2. the gateway charges the batch, each with the key of its invoice's attempt 1;
//! 3. one write transaction records every result ([`outcomes`]).
//!
//! A run that stops between 1 and 3 leaves invoices whose attempt 1 has no result. The
//! next run finds them and resumes them one by one through `collect` once the claim's
//! lease has run out, with the same key, so the gateway replays its first answer.

mod outcomes;

use super::collect::{Step, idempotency_key};
use super::dunning::count;
use super::{BATCH, BillingEngine, OrgCtx, billed_to};
use crate::billing::error::BillingError;
use crate::billing::outbox::{Mailroom, NewEmail, queue_emails};
use crate::billing::templates::{EmailKind, format_date};
use crate::entity::{
    customer, invoice, invoice_line, organization, payment_method, plan, subscription,
};
use crate::secret::random_bytes;
use chrono::{DateTime, Utc};
use domain::{
    BillingInterval, Currency, Discount, InvoiceId, InvoiceLine, InvoiceNumber, InvoiceStatus,
    InvoiceTotals, Locale, Money, PaymentTrigger, SubscriptionStatus, discount_line,
    invoice_prefix_from_slug,
};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::{HashMap, HashSet};

use super::report::RunReport;

/// A renewal invoice written in step 1, to be charged.
pub(super) struct Renewing {
    pub(super) inv: invoice::Model,
    pub(super) customer: customer::Model,
    /// The default method when the batch was claimed; `None` fails without a charge.
    pub(super) method: Option<payment_method::Model>,
    pub(super) amount: Money,
}

/// What step 1 opened.
#[derive(Default)]
struct Opened {
    /// The last subscription looked at (the next batch starts after it); `None` when
    /// nothing was due any more.
    last: Option<(DateTime<Utc>, i64)>,
    renewing: Vec<Renewing>,
    /// Invoices a stopped run created but did not charge.
    resume: Vec<i64>,
}

/// A renewal computed from its subscription, plan and customer, not yet written.
pub(super) struct Draft {
    pub(super) sub_id: i64,
    pub(super) customer: customer::Model,
    pub(super) public_id: String,
    /// The plan's line, then a discount's (a negative amount) while one applies.
    pub(super) lines: Vec<InvoiceLine>,
    pub(super) totals: InvoiceTotals,
    pub(super) period_start: DateTime<Utc>,
    pub(super) period_end: DateTime<Utc>,
}

impl BillingEngine {
    /// Every active subscription due at the organization's now, oldest period end first,
    /// each renewed at most once per run.
    pub(crate) async fn run_renewals(
        &self,
        ctx: &OrgCtx,
        report: &mut RunReport,
    ) -> Result<(), BillingError> {
        let mail = Mailroom::load(&self.db, &self.public_url, &ctx.org).await?;
        let mut plans = HashMap::new();
        // Paid subscriptions whose new period is already over: due again, but not this run.
        let mut renewed = HashSet::new();
        let mut cursor = None;
        loop {
            let opened = self
                .open_renewals(ctx, &mail, &mut plans, cursor, &renewed, report)
                .await?;
            let Some(last) = opened.last else { break };
            cursor = Some(last);
            report.renewals += u32::try_from(opened.renewing.len()).unwrap_or(u32::MAX);
            if !opened.renewing.is_empty() {
                self.charge_renewals(ctx, &mail, opened.renewing, &mut renewed, report)
                    .await?;
            }
            for invoice_id in opened.resume {
                report.renewals += 1;
                match self
                    .collect(ctx, invoice_id, PaymentTrigger::Renewal, Step::Charge)
                    .await
                {
                    Ok(collected) => count(report, collected),
                    Err(err) => {
                        tracing::error!(invoice_id, error = %err, "renewal failed");
                        report.errors += 1;
                    }
                }
            }
        }
        Ok(())
    }

    /// Step 1 for the batch after `cursor`.
    async fn open_renewals(
        &self,
        ctx: &OrgCtx,
        mail: &Mailroom,
        plans: &mut HashMap<i64, plan::Model>,
        cursor: Option<(DateTime<Utc>, i64)>,
        renewed: &HashSet<i64>,
        report: &mut RunReport,
    ) -> Result<Opened, BillingError> {
        let txn = crate::db::begin_write(&self.db).await?;
        let due = due_batch(&txn, ctx, cursor).await?;
        let Some(last) = due.last().map(|s| (s.current_period_end, s.id)) else {
            txn.commit().await?;
            return Ok(Opened::default());
        };
        let due: Vec<_> = due
            .into_iter()
            .filter(|s| !renewed.contains(&s.id))
            .collect();
        let (leaving, due): (Vec<_>, Vec<_>) =
            due.into_iter().partition(|s| s.cancel_at_period_end);
        // A pause the customer asked for begins instead of the renewal (only an active
        // subscription asks; an incomplete one's first invoice is not a renewal).
        // A pause whose day is not after this period's end (asked for while the period was
        // already being renewed) is dropped: the subscription renews.
        let (pausing, due): (Vec<_>, Vec<_>) = due.into_iter().partition(|s| {
            s.pause_resumes_at
                .is_some_and(|at| at > s.current_period_end)
                && s.status == SubscriptionStatus::Active.as_str()
        });
        let stale: Vec<i64> = due
            .iter()
            .filter(|s| s.pause_resumes_at.is_some())
            .map(|s| s.id)
            .collect();
        // Only renewals need their customer (those leaving get no email at the period end).
        let customers = load_customers(&txn, due.iter().map(|s| s.customer_id).collect()).await?;
        let mut emails = Vec::new();
        let mut local = RunReport::default();
        cancel_at_period_end(&txn, ctx, &leaving, &mut local).await?;
        super::pauses::begin_pauses(&txn, ctx, &pausing, stale, &mut local).await?;
        let existing = existing_invoices(&txn, &due).await?;
        let plan_ids = due.iter().map(|s| s.plan_id).collect();
        load_plans(&txn, plans, plan_ids).await?;
        let mut resume = Vec::new();
        let mut drafts = Vec::with_capacity(due.len());
        for sub in &due {
            // An incomplete subscription's first invoice waits for a payment method; only
            // an attempt on it that was claimed and never recorded is this run's to resume.
            let incomplete = sub.status == SubscriptionStatus::Incomplete.as_str();
            if let Some(inv) = existing.get(&sub.id) {
                // Created by a run that stopped before charging: charge it now. Anything
                // else (already paid or failed) is handled by the success/dunning paths.
                if inv.status == InvoiceStatus::Open.as_str()
                    && inv.first_failure_at.is_none()
                    && (!incomplete || inv.attempt_count > 0)
                {
                    resume.push(inv.id);
                }
                continue;
            }
            if incomplete {
                continue;
            }
            match draft(
                sub,
                customers.get(&sub.customer_id),
                plans.get(&sub.plan_id),
            ) {
                Ok(draft) => drafts.push(draft),
                Err(err) => {
                    tracing::error!(subscription = %sub.public_id, error = %err, "renewal failed");
                    local.errors += 1;
                }
            }
        }
        let renewing = self
            .write_invoices(&txn, ctx, mail, drafts, &mut emails)
            .await?;
        let methods = default_methods(&txn, renewing.iter().map(|r| r.1.id).collect()).await?;
        queue_emails(&txn, emails, ctx.now).await?;
        txn.commit().await?;
        *report += local;
        let renewing = renewing
            .into_iter()
            .map(|(inv, customer, amount)| Renewing {
                method: methods.get(&customer.id).cloned(),
                inv,
                customer,
                amount,
            })
            .collect();
        Ok(Opened {
            last: Some(last),
            renewing,
            resume,
        })
    }

    /// Writes the drafts' invoices (attempt 1 claimed), lines and "invoice created" emails.
    async fn write_invoices(
        &self,
        txn: &DatabaseTransaction,
        ctx: &OrgCtx,
        mail: &Mailroom,
        drafts: Vec<Draft>,
        emails: &mut Vec<NewEmail>,
    ) -> Result<Vec<(invoice::Model, customer::Model, Money)>, BillingError> {
        if drafts.is_empty() {
            return Ok(Vec::new());
        }
        // Marks the claimed subscriptions as touched by this run.
        subscription::Entity::update_many()
            .col_expr(subscription::Column::UpdatedAt, Expr::value(ctx.now))
            .filter(subscription::Column::Id.is_in(drafts.iter().map(|d| d.sub_id)))
            .exec(txn)
            .await?;
        let numbers = take_invoice_numbers(txn, &ctx.org, drafts.len()).await?;
        let rows: Vec<_> = drafts
            .iter()
            .zip(numbers)
            .map(|(d, number)| invoice::ActiveModel {
                public_id: Set(d.public_id.clone()),
                organization_id: Set(ctx.org.id),
                customer_id: Set(d.customer.id),
                subscription_id: Set(Some(d.sub_id)),
                number: Set(number),
                status: Set(InvoiceStatus::Open.as_str().to_owned()),
                currency: Set(d.totals.total.currency.code().to_owned()),
                subtotal_minor: Set(d.totals.subtotal.amount_minor),
                total_minor: Set(d.totals.total.amount_minor),
                amount_paid_minor: Set(0),
                // Attempt 1 is claimed with the invoice: no other caller charges it while
                // this run holds the claim's lease.
                attempt_count: Set(1),
                first_failure_at: Set(None),
                next_attempt_at: Set(None),
                period_start: Set(d.period_start),
                period_end: Set(d.period_end),
                paid_at: Set(None),
                created_at: Set(ctx.now),
                updated_at: Set(ctx.now),
                ..billed_to(&d.customer)
            })
            .collect();
        let mut inserted: HashMap<String, invoice::Model> =
            crate::db::insert_chunked_returning(txn, rows)
                .await?
                .into_iter()
                .map(|inv| (inv.public_id.clone(), inv))
                .collect();
        let mut lines = Vec::with_capacity(drafts.len());
        let mut renewing = Vec::with_capacity(drafts.len());
        for d in drafts {
            let inv = inserted
                .remove(&d.public_id)
                .ok_or_else(|| BillingError::Db(sea_orm::DbErr::RecordNotInserted))?;
            for line in &d.lines {
                let mut row = line_row(inv.id, line)?.into_active_model();
                row.id = sea_orm::ActiveValue::NotSet;
                lines.push(row);
            }
            let vars = super::collect::invoice_vars(&inv, d.totals.total, &d.customer.locale);
            emails.push(mail.email(&d.customer, EmailKind::InvoiceCreated, vars)?);
            tracing::debug!(invoice = %inv.public_id, number = %inv.number, "renewal invoice created");
            renewing.push((inv, d.customer, d.totals.total));
        }
        crate::db::insert_chunked(txn, lines).await?;
        let created = renewing.iter().map(|(inv, _, _)| inv.clone()).collect();
        crate::events::invoices_created(txn, created, ctx.now).await?;
        Ok(renewing)
    }
}

/// The next batch of due subscriptions after `cursor`, locked for this transaction (active
/// ones, and incomplete ones whose first charge may need resuming).
async fn due_batch(
    txn: &DatabaseTransaction,
    ctx: &OrgCtx,
    cursor: Option<(DateTime<Utc>, i64)>,
) -> Result<Vec<subscription::Model>, BillingError> {
    let mut query = subscription::Entity::find()
        .filter(subscription::Column::OrganizationId.eq(ctx.org.id))
        .filter(subscription::Column::Status.is_in([
            SubscriptionStatus::Active.as_str(),
            SubscriptionStatus::Incomplete.as_str(),
        ]))
        .filter(subscription::Column::CurrentPeriodEnd.lte(ctx.now));
    if let Some((end, id)) = cursor {
        query = query.filter(
            Condition::any()
                .add(subscription::Column::CurrentPeriodEnd.gt(end))
                .add(
                    Condition::all()
                        .add(subscription::Column::CurrentPeriodEnd.eq(end))
                        .add(subscription::Column::Id.gt(id)),
                ),
        );
    }
    query = query
        .order_by_asc(subscription::Column::CurrentPeriodEnd)
        .order_by_asc(subscription::Column::Id)
        .limit(BATCH);
    if txn.get_database_backend() == DbBackend::Postgres {
        // Rows another engine is renewing are left to it; they are not due once it is done.
        query = query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    Ok(query.all(txn).await?)
}

/// Cancels the subscriptions that asked to end at this period's end. No email: the
/// customer was sent the cancellation, with this date, when they asked for it.
async fn cancel_at_period_end(
    txn: &DatabaseTransaction,
    ctx: &OrgCtx,
    leaving: &[subscription::Model],
    report: &mut RunReport,
) -> Result<(), BillingError> {
    if leaving.is_empty() {
        return Ok(());
    }
    // The rows are locked by this transaction, so each one still matches.
    let canceled = subscription::Entity::update_many()
        .col_expr(
            subscription::Column::Status,
            Expr::value(SubscriptionStatus::Canceled.as_str()),
        )
        .col_expr(subscription::Column::CanceledAt, Expr::value(Some(ctx.now)))
        .col_expr(subscription::Column::UpdatedAt, Expr::value(ctx.now))
        .filter(subscription::Column::Id.is_in(leaving.iter().map(|s| s.id)))
        .filter(subscription::Column::Status.eq(SubscriptionStatus::Active.as_str()))
        .filter(subscription::Column::CancelAtPeriodEnd.eq(true))
        .exec(txn)
        .await?;
    report.canceled += u32::try_from(canceled.rows_affected).unwrap_or(u32::MAX);
    // The ones this update ended (all of them, the rows being locked; checked all the same).
    let ended: Vec<i64> = subscription::Entity::find()
        .select_only()
        .column(subscription::Column::Id)
        .filter(subscription::Column::Id.is_in(leaving.iter().map(|s| s.id)))
        .filter(subscription::Column::Status.eq(SubscriptionStatus::Canceled.as_str()))
        .filter(subscription::Column::CanceledAt.eq(ctx.now))
        .into_tuple()
        .all(txn)
        .await?;
    crate::events::subscriptions_changed(
        txn,
        domain::EventKind::SubscriptionCanceled,
        ended,
        ctx.now,
    )
    .await?;
    Ok(())
}

/// The newest invoice of each subscription for its next period, if a run created it.
async fn existing_invoices(
    txn: &DatabaseTransaction,
    due: &[subscription::Model],
) -> Result<HashMap<i64, invoice::Model>, BillingError> {
    let Some(earliest) = due.iter().map(|s| s.current_period_end).min() else {
        return Ok(HashMap::new());
    };
    let ends: HashMap<i64, DateTime<Utc>> =
        due.iter().map(|s| (s.id, s.current_period_end)).collect();
    let mut found: HashMap<i64, invoice::Model> = HashMap::new();
    let candidates = invoice::Entity::find()
        .filter(invoice::Column::SubscriptionId.is_in(due.iter().map(|s| s.id)))
        .filter(invoice::Column::PeriodStart.gte(earliest))
        .all(txn)
        .await?;
    for inv in candidates {
        let Some(sub_id) = inv.subscription_id else {
            continue;
        };
        if ends.get(&sub_id).is_none_or(|end| inv.period_start < *end) {
            continue;
        }
        if found.get(&sub_id).is_none_or(|seen| seen.id < inv.id) {
            found.insert(sub_id, inv);
        }
    }
    Ok(found)
}

async fn load_customers(
    txn: &DatabaseTransaction,
    ids: HashSet<i64>,
) -> Result<HashMap<i64, customer::Model>, BillingError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(customer::Entity::find()
        .filter(customer::Column::Id.is_in(ids))
        .all(txn)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect())
}

/// Loads the plans not in the run's cache yet.
async fn load_plans(
    txn: &DatabaseTransaction,
    plans: &mut HashMap<i64, plan::Model>,
    ids: HashSet<i64>,
) -> Result<(), BillingError> {
    let missing: HashSet<i64> = ids
        .into_iter()
        .filter(|id| !plans.contains_key(id))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    for plan in plan::Entity::find()
        .filter(plan::Column::Id.is_in(missing))
        .all(txn)
        .await?
    {
        plans.insert(plan.id, plan);
    }
    Ok(())
}

/// Each customer's current default method (the newest, as `default_method` picks).
async fn default_methods(
    txn: &DatabaseTransaction,
    ids: HashSet<i64>,
) -> Result<HashMap<i64, payment_method::Model>, BillingError> {
    let mut found: HashMap<i64, payment_method::Model> = HashMap::new();
    if ids.is_empty() {
        return Ok(found);
    }
    // Only by customer: a filter on `is_default` tempts the planner into that index.
    let methods = payment_method::Entity::find()
        .filter(payment_method::Column::CustomerId.is_in(ids))
        .all(txn)
        .await?;
    for pm in methods
        .into_iter()
        .filter(|pm| pm.is_default && pm.removed_at.is_none())
    {
        if found
            .get(&pm.customer_id)
            .is_none_or(|seen| seen.id < pm.id)
        {
            found.insert(pm.customer_id, pm);
        }
    }
    Ok(found)
}

/// The invoice of `sub`'s next period: one line for the plan times the subscription's
/// quantity, in the customer's language.
pub(super) fn draft(
    sub: &subscription::Model,
    customer: Option<&customer::Model>,
    plan: Option<&plan::Model>,
) -> Result<Draft, BillingError> {
    let customer = customer.cloned().ok_or(BillingError::UnknownCustomer)?;
    let plan = plan.ok_or(BillingError::InvalidAmount)?;
    let currency =
        Currency::parse(&plan.currency).map_err(|e| BillingError::corrupt("plans", e))?;
    let interval =
        BillingInterval::parse(&plan.interval).map_err(|e| BillingError::corrupt("plans", e))?;
    let period_start = sub.current_period_end;
    let count = u32::try_from(plan.interval_count).map_or(1, |c| Ord::max(c, 1));
    let period_end = interval.advance_periods(period_start, count);
    let locale = Locale::parse(&customer.locale).unwrap_or_default();
    let line = InvoiceLine {
        description: format!(
            "{} ({} – {})",
            plan.name,
            format_date(period_start.date_naive(), locale),
            format_date(period_end.date_naive(), locale)
        ),
        quantity: u32::try_from(sub.quantity).map_or(1, |q| Ord::max(q, 1)),
        unit: Money::new(plan.amount_minor, currency),
    };
    let discount = discount_on(sub, period_start);
    let subtotal = line.amount()?;
    let mut lines = vec![line];
    if let Some(percent) = discount {
        lines.extend(discount_line(
            subtotal,
            percent,
            discount_description(percent, locale),
        ));
    }
    let totals = InvoiceTotals::compute(&lines)?;
    if !totals.total.is_positive() {
        return Err(BillingError::InvalidAmount);
    }
    Ok(Draft {
        sub_id: sub.id,
        customer,
        public_id: new_invoice_id(),
        lines,
        totals,
        period_start,
        period_end,
    })
}

/// The percent off `sub`'s retention discount gives a period starting at `period_start`.
pub(crate) fn discount_on(sub: &subscription::Model, period_start: DateTime<Utc>) -> Option<u8> {
    let (percent, ends_at) = sub.discount_percent.zip(sub.discount_ends_at)?;
    let percent = u8::try_from(percent).ok()?;
    Discount { percent, ends_at }.on(period_start)
}

/// A new invoice's public id.
pub(super) fn new_invoice_id() -> String {
    InvoiceId::from_random(random_bytes()).to_string()
}

/// An invoice line's row (its id is the database's to choose).
pub(super) fn line_row(
    invoice_id: i64,
    line: &InvoiceLine,
) -> Result<invoice_line::Model, BillingError> {
    Ok(invoice_line::Model {
        id: 0,
        invoice_id,
        description: line.description.clone(),
        quantity: i32::try_from(line.quantity).map_err(|_| BillingError::InvalidAmount)?,
        unit_amount_minor: line.unit.amount_minor,
        amount_minor: line.amount()?.amount_minor,
    })
}

/// A retention discount's line, in the customer's language.
fn discount_description(percent: u8, locale: Locale) -> String {
    match locale {
        Locale::En => format!("Loyalty discount: {percent}% off"),
        Locale::It => format!("Sconto fedeltà: {percent}%"),
    }
}

/// Takes the organization's next `n` invoice numbers with one UPDATE inside the invoices'
/// transaction, so numbers are gapless (a rolled back batch gives its numbers back) and
/// never shared: the UPDATE holds the organization's row until the transaction ends.
pub(crate) async fn take_invoice_numbers(
    txn: &DatabaseTransaction,
    org: &organization::Model,
    n: usize,
) -> Result<Vec<String>, BillingError> {
    let n = i64::try_from(n).map_err(|_| BillingError::InvalidAmount)?;
    // One statement (`RETURNING`): the transaction holds the write lock meanwhile.
    let next = organization::Entity::update_many()
        .col_expr(
            organization::Column::NextInvoiceSeq,
            Expr::col(organization::Column::NextInvoiceSeq).add(n),
        )
        .filter(organization::Column::Id.eq(org.id))
        .exec_with_returning(txn)
        .await?
        .pop()
        .ok_or(BillingError::UnknownOrganization)?
        .next_invoice_seq;
    invoice_numbers(org, next - n, n)
}

/// The `n` invoice numbers of `org` from sequence `first` on (its prefix, or one from its
/// slug).
pub(super) fn invoice_numbers(
    org: &organization::Model,
    first: i64,
    n: i64,
) -> Result<Vec<String>, BillingError> {
    let prefix = org
        .invoice_prefix
        .clone()
        .unwrap_or_else(|| invoice_prefix_from_slug(&org.slug));
    (first..first + n)
        .map(|seq| {
            u64::try_from(seq)
                .map(|seq| InvoiceNumber::format(&prefix, seq))
                .map_err(|_| BillingError::corrupt("organizations", "negative invoice sequence"))
        })
        .collect()
}

/// The key of a renewal invoice's first attempt.
pub(super) fn first_attempt_key(inv: &invoice::Model) -> String {
    idempotency_key(&inv.public_id, 1)
}
