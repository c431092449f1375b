//! Subscriptions staff make for a customer (a price, a quantity, a start today or on a
//! later day, an optional trial), cancel (now, or at the period end) and resume.
//!
//! A subscription that starts today without a trial gets its first invoice at once: paid on
//! the customer's default method, or, with none on file, left open while the subscription
//! is `incomplete` and the customer is emailed "add a payment method"; adding one pays it
//! through the recovery path. A later start or a trial invoices when its period ends, as
//! every renewal does.
use super::subscription_objects::{subscription_event, subscription_event_of};
use super::{AdminActor, ConsoleError, ConsoleService, audit};
use crate::billing::RecoveryResult;
use crate::billing::clock::org_time;
use crate::billing::engine::{Starting, attempt_recorded};
use crate::billing::outbox;
use crate::billing::templates::{EmailKind, TemplateVars, format_date};
use crate::db::Batch;
use crate::entity::payment_method;
use crate::entity::{customer, invoice, organization, plan, subscription};
use crate::secret::random_bytes;
use chrono::{DateTime, NaiveTime, TimeDelta, Utc};
use domain::{
    CustomerId, EventKind, InvoiceStatus, Locale, PlanId, Quantity, SubscriptionId,
    SubscriptionStart, SubscriptionStatus, TrialDays,
};
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, JoinType, LockType, Query};
use sea_orm::{
    ColumnTrait, EntityTrait, FromQueryResult, IdenStatic, IntoActiveModel, Iterable, QueryFilter,
};
use wire::api::Subscription;
use wire::error::{Conflict, FieldCode, FieldErrors};

/// The new-subscription form as posted: raw strings.
#[derive(Debug, Clone, Copy)]
pub struct SubscriptionForm<'a> {
    /// The price's id (`plan_…`).
    pub price: &'a str,
    /// Units; empty means one.
    pub quantity: &'a str,
    /// `YYYY-MM-DD`; empty means today.
    pub start: &'a str,
    /// Trial days; empty means the price's own.
    pub trial_days: &'a str,
}

/// A subscription to make, parsed (the start is checked against the organization's
/// today by the service).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubscription {
    /// The price.
    pub price: PlanId,
    /// How many units.
    pub quantity: Quantity,
    /// The start as typed.
    pub start: String,
    /// The trial; `None` takes the price's.
    pub trial_days: Option<TrialDays>,
}

impl TryFrom<SubscriptionForm<'_>> for NewSubscription {
    type Error = FieldErrors;

    fn try_from(form: SubscriptionForm<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let price = PlanId::parse(form.price.trim())
            .map_err(|_| errors.push("price", FieldCode::PriceUnknown))
            .ok();
        let quantity = Quantity::parse(form.quantity);
        if quantity.is_none() {
            errors.push("quantity", FieldCode::QuantityInvalid);
        }
        let trial_days = if form.trial_days.trim().is_empty() {
            Some(None)
        } else {
            TrialDays::parse(form.trial_days).map(Some)
        };
        if trial_days.is_none() {
            errors.push("trial_days", FieldCode::TrialDaysInvalid);
        }
        match (price, quantity, trial_days) {
            (Some(price), Some(quantity), Some(trial_days)) if errors.is_empty() => {
                Ok(NewSubscription {
                    price,
                    quantity,
                    start: form.start.to_owned(),
                    trial_days,
                })
            }
            _ => Err(errors),
        }
    }
}

/// How a new subscription's first invoice stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstInvoice {
    /// Paid on the default method.
    Paid,
    /// Declined; dunning retries it.
    Declined,
    /// The charge is still being made (or the gateway is unreachable and it resumes).
    Pending,
    /// Waiting for the customer to add a payment method (they were emailed).
    AwaitingMethod,
    /// Comes at the end of the trial or on the start date.
    Later,
}

/// What creating a subscription did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedSubscription {
    /// `sub_…`.
    pub id: SubscriptionId,
    /// Its first invoice.
    pub first_invoice: FirstInvoice,
    /// It as the API shows it, when no charge followed its creation (else read it again).
    pub object: Option<Subscription>,
}

/// When staff end a subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelWhen {
    /// At once: nothing more is charged, its open invoices are voided.
    Now,
    /// With its current period.
    PeriodEnd,
}

impl ConsoleService {
    /// Makes a subscription for customer `id`.
    pub async fn create_subscription(
        &self,
        actor: &AdminActor,
        id: &CustomerId,
        new: NewSubscription,
    ) -> Result<CreatedSubscription, ConsoleError> {
        actor.require_change()?;
        let (org, now) = self.org_and_now(actor).await?;
        let start = SubscriptionStart::parse(&new.start, now.date_naive())
            .ok_or_else(|| ConsoleError::field("start", FieldCode::StartInvalid))?;
        let mail = self.engine.mailroom(&self.db, &org).await?;
        let written = crate::db::on_writer_thread(&self.db, {
            let (this, actor, id, org) = (self.clone(), actor.clone(), id.clone(), org.clone());
            async move {
                let order = Order {
                    new,
                    start,
                    org: &org,
                    mail: &mail,
                    now,
                };
                this.write_subscription(&actor, &id, order).await
            }
        });
        let Written {
            public_id,
            first,
            has_method,
            shown,
        } = written.await?;
        let first_invoice = match first {
            None => FirstInvoice::Later,
            Some(_) if !has_method => FirstInvoice::AwaitingMethod,
            Some(invoice) => match self.engine.charge_first_invoice(org.id, &invoice).await {
                Ok(RecoveryResult::Paid) => FirstInvoice::Paid,
                Ok(RecoveryResult::Declined(_)) => FirstInvoice::Declined,
                Ok(RecoveryResult::Pending) => FirstInvoice::Pending,
                Err(err) => {
                    // The subscription and its invoice are written; the renewal run resumes
                    // the charge. Staff see it pending.
                    tracing::error!(subscription = %public_id, error = %err, "first charge failed");
                    FirstInvoice::Pending
                }
            },
        };
        // Nothing after the commit changed it unless a charge ran.
        let object = matches!(
            first_invoice,
            FirstInvoice::Later | FirstInvoice::AwaitingMethod
        )
        .then_some(shown);
        Ok(CreatedSubscription {
            id: public_id,
            first_invoice,
            object,
        })
    }

    /// [`Self::create_subscription`]'s transaction: its checks, then its rows in one batch.
    async fn write_subscription(
        &self,
        actor: &AdminActor,
        id: &CustomerId,
        order: Order<'_>,
    ) -> Result<Written, ConsoleError> {
        let Order {
            new,
            start,
            org,
            mail,
            now,
        } = order;
        let mut txn = crate::db::Txn::begin(&self.db).await?;
        let Subscriber {
            customer,
            price,
            next_invoice_seq,
            has_method,
            pays_in_another_currency,
        } = subscriber(&mut txn, actor, id, &new.price).await?;
        if customer.archived_at.is_some() {
            return Err(ConsoleError::Conflict(Conflict::CustomerArchived));
        }
        let plan = price.ok_or_else(|| ConsoleError::field("price", FieldCode::PriceUnknown))?;
        if plan.archived_at.is_some() {
            return Err(ConsoleError::field("price", FieldCode::PriceArchived));
        }
        if pays_in_another_currency {
            return Err(ConsoleError::field("price", FieldCode::CurrencyMismatch));
        }
        let trial = new.trial_days.map_or_else(
            || u16::try_from(plan.trial_days).unwrap_or(0),
            TrialDays::get,
        );
        let starts_at = match start {
            SubscriptionStart::Now => now,
            SubscriptionStart::On(day) => day.and_time(NaiveTime::MIN).and_utc(),
        };
        // The period before the first invoice: empty, or the trial. The first invoice is
        // made when it ends, for the price's period from then.
        let trial_end = (trial > 0).then(|| starts_at + TimeDelta::days(i64::from(trial)));
        let first_period_end = trial_end.unwrap_or(starts_at);
        let invoice_now = start == SubscriptionStart::Now && trial_end.is_none();
        let status = if invoice_now && !has_method {
            SubscriptionStatus::Incomplete
        } else {
            SubscriptionStatus::Active
        };
        let public_id = SubscriptionId::from_random(random_bytes());
        let quantity = i32::try_from(new.quantity.get())
            .map_err(|_| ConsoleError::field("quantity", FieldCode::QuantityInvalid))?;
        // Its row, its first invoice and every other row go in one batch with the commit:
        // nothing here reads a row id the database chooses (0 stands for them).
        let sub = subscription::Model {
            id: 0,
            public_id: public_id.to_string(),
            organization_id: org.id,
            customer_id: customer.id,
            plan_id: plan.id,
            status: status.as_str().to_owned(),
            current_period_start: starts_at,
            current_period_end: first_period_end,
            cancel_at_period_end: false,
            cancel_reason: None,
            cancel_comment: None,
            canceled_at: None,
            created_at: self.now(),
            updated_at: self.now(),
            quantity,
            trial_end,
            external_id: None,
            pause_resumes_at: None,
            retention_offered_at: None,
            discount_percent: None,
            discount_ends_at: None,
            scheduled_plan_id: None,
            scheduled_quantity: None,
        };
        let mut batch = Batch::default();
        batch.insert(sub.clone().into_active_model());
        // Before its first invoice's `invoice.created`: a reader in order knows it first.
        let kind = EventKind::SubscriptionCreated;
        let shown = subscription_event_of(&mut batch, kind, &sub, &customer, &plan, self.now())?;
        let starting = Starting {
            org,
            sub: &sub,
            customer: &customer,
            plan: &plan,
            mail,
            has_method,
            now,
        };
        let first = if invoice_now {
            let number = self
                .engine
                .take_invoice_number(&mut batch, org, next_invoice_seq)?;
            Some(
                self.engine
                    .open_first_invoice(&mut batch, &starting, number)?,
            )
        } else {
            if !has_method {
                self.engine.ask_for_method(&mut batch, &starting)?;
            }
            None
        };
        let details = format!(
            "{} {} × {} for {}",
            sub.public_id, quantity, plan.public_id, customer.public_id
        );
        let audited = "subscription.created";
        audit::commit_with(txn, batch, actor, audited, details, self.now()).await?;
        Ok(Written {
            public_id,
            first,
            has_method,
            shown,
        })
    }

    /// Ends subscription `id` now or at its period end.
    pub async fn cancel_subscription(
        &self,
        actor: &AdminActor,
        id: &SubscriptionId,
        when: CancelWhen,
    ) -> Result<(), ConsoleError> {
        actor.require_change()?;
        let (org, now) = self.org_and_now(actor).await?;
        let txn = crate::db::begin_write(&self.db).await?;
        let sub = find(&txn, actor, id).await?;
        let ends = match when {
            CancelWhen::PeriodEnd => {
                let why = crate::subscriptions::Why::default();
                if !crate::subscriptions::cancel_at_period_end(&txn, &sub, why, now, self.now())
                    .await?
                {
                    return Err(ConsoleError::Conflict(Conflict::NotCancelable));
                }
                sub.current_period_end
            }
            CancelWhen::Now => {
                let ended = subscription::Entity::update_many()
                    .col_expr(
                        subscription::Column::Status,
                        Expr::value(SubscriptionStatus::Canceled.as_str()),
                    )
                    .col_expr(subscription::Column::CanceledAt, Expr::value(Some(now)))
                    .col_expr(
                        subscription::Column::PauseResumesAt,
                        Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
                    )
                    // Staff ended it: a reason a customer gave before (and took back) is
                    // not why it ended. Their cancellation rows keep it.
                    .col_expr(
                        subscription::Column::CancelReason,
                        Expr::value(Option::<String>::None),
                    )
                    .col_expr(
                        subscription::Column::CancelComment,
                        Expr::value(Option::<String>::None),
                    )
                    .col_expr(subscription::Column::UpdatedAt, Expr::value(self.now()))
                    .filter(subscription::Column::Id.eq(sub.id))
                    .filter(subscription::Column::Status.ne(SubscriptionStatus::Canceled.as_str()))
                    .exec(&txn)
                    .await?;
                if ended.rows_affected != 1 {
                    return Err(ConsoleError::Conflict(Conflict::NotCancelable));
                }
                // A charge claimed but not yet recorded may have gone through: voiding its
                // invoice now would lose it. Staff try again once it is recorded.
                let open = invoice::Entity::find()
                    .filter(invoice::Column::SubscriptionId.eq(sub.id))
                    .filter(invoice::Column::Status.eq(InvoiceStatus::Open.as_str()))
                    .all(&txn)
                    .await?;
                for inv in &open {
                    if inv.attempt_count > 0
                        && !attempt_recorded(&txn, inv, inv.attempt_count).await?
                    {
                        return Err(ConsoleError::Conflict(Conflict::PaymentInProgress));
                    }
                }
                // Nothing more is collected for it.
                invoice::Entity::update_many()
                    .col_expr(
                        invoice::Column::Status,
                        Expr::value(InvoiceStatus::Void.as_str()),
                    )
                    .col_expr(
                        invoice::Column::NextAttemptAt,
                        Expr::value(Option::<DateTime<Utc>>::None),
                    )
                    .col_expr(invoice::Column::UpdatedAt, Expr::value(now))
                    .filter(invoice::Column::SubscriptionId.eq(sub.id))
                    .filter(invoice::Column::Status.eq(InvoiceStatus::Open.as_str()))
                    .exec(&txn)
                    .await?;
                now
            }
        };
        let customer = customer::Entity::find_by_id(sub.customer_id)
            .one(&txn)
            .await?
            .ok_or(ConsoleError::NotFound)?;
        let locale = Locale::parse(&customer.locale).unwrap_or_default();
        let mut vars = TemplateVars::new();
        vars.insert("period_end".into(), format_date(ends.date_naive(), locale));
        outbox::queue_customer_email(
            &txn,
            self.config.public_url.as_str(),
            &org,
            &customer,
            EmailKind::SubscriptionCanceled,
            vars,
            now,
        )
        .await?;
        let (action, kind) = match when {
            CancelWhen::Now => ("subscription.canceled", EventKind::SubscriptionCanceled),
            CancelWhen::PeriodEnd => (
                "subscription.cancel_scheduled",
                EventKind::SubscriptionUpdated,
            ),
        };
        subscription_event(&txn, kind, sub.id, self.now()).await?;
        audit::commit(txn, actor, action, sub.public_id, self.now()).await
    }

    /// Undoes a cancellation at the period end while the period runs.
    pub async fn resume_subscription(
        &self,
        actor: &AdminActor,
        id: &SubscriptionId,
    ) -> Result<(), ConsoleError> {
        actor.require_change()?;
        let (_, now) = self.org_and_now(actor).await?;
        let txn = crate::db::begin_write(&self.db).await?;
        let sub = find(&txn, actor, id).await?;
        if !crate::subscriptions::resume(&txn, sub.id, now, self.now()).await? {
            return Err(ConsoleError::Conflict(Conflict::NotCancelable));
        }
        subscription_event(&txn, EventKind::SubscriptionResumed, sub.id, self.now()).await?;
        audit::commit(
            txn,
            actor,
            "subscription.resumed",
            sub.public_id,
            self.now(),
        )
        .await
    }

    pub(super) async fn org_and_now(
        &self,
        actor: &AdminActor,
    ) -> Result<(organization::Model, DateTime<Utc>), ConsoleError> {
        let org = organization::Entity::find_by_id(actor.org_id())
            .one(&self.db)
            .await?
            .ok_or(ConsoleError::NotFound)?;
        let now = org_time(self.now(), org.clock_offset_seconds);
        Ok((org, now))
    }
}

/// The actor's organization's subscription with this id, or `NotFound`.
pub(super) async fn find(
    db: &impl sea_orm::ConnectionTrait,
    actor: &AdminActor,
    id: &SubscriptionId,
) -> Result<subscription::Model, ConsoleError> {
    subscription::Entity::find()
        .filter(subscription::Column::OrganizationId.eq(actor.org_id()))
        .filter(subscription::Column::PublicId.eq(id.as_str()))
        .one(db)
        .await?
        .ok_or(ConsoleError::NotFound)
}

/// The customer a new subscription is for, read inside the writing transaction together
/// with its price and what decides how it starts.
struct Subscriber {
    customer: customer::Model,
    /// The organization's price with the id asked for, if there is one.
    price: Option<plan::Model>,
    /// The organization's next invoice number (its sequence), which the transaction
    /// takes for the first invoice: the organization's row is locked on PostgreSQL, and
    /// SQLite's write lock is the transaction's.
    next_invoice_seq: i64,
    /// They have a default payment method.
    has_method: bool,
    /// They have a subscription that has not ended in another currency than the price's:
    /// one customer pays in one currency.
    pays_in_another_currency: bool,
}

/// The actor's organization's customer `id` as a [`Subscriber`] to `price`, in one query
/// (the transaction holds the write lock; each statement is a round trip), or `NotFound`.
async fn subscriber(
    txn: &mut crate::db::Txn,
    actor: &AdminActor,
    id: &CustomerId,
    price: &PlanId,
) -> Result<Subscriber, ConsoleError> {
    let asked = Alias::new("price");
    let of_customer = (customer::Entity, customer::Column::Id);
    let method = Query::select()
        .expr(Expr::val(1))
        .from(payment_method::Entity)
        .and_where(
            Expr::col((payment_method::Entity, payment_method::Column::CustomerId))
                .equals(of_customer),
        )
        .and_where(Expr::col((payment_method::Entity, payment_method::Column::IsDefault)).eq(true))
        .and_where(Expr::col((payment_method::Entity, payment_method::Column::RemovedAt)).is_null())
        .to_owned();
    let other_currency = Query::select()
        .expr(Expr::val(1))
        .from(subscription::Entity)
        .inner_join(
            plan::Entity,
            Expr::col((plan::Entity, plan::Column::Id))
                .equals((subscription::Entity, subscription::Column::PlanId)),
        )
        .and_where(
            Expr::col((subscription::Entity, subscription::Column::CustomerId)).equals(of_customer),
        )
        .and_where(
            Expr::col((subscription::Entity, subscription::Column::Status))
                .ne(SubscriptionStatus::Canceled.as_str()),
        )
        .and_where(
            Expr::col((plan::Entity, plan::Column::Currency))
                .not_equals((asked.clone(), plan::Column::Currency)),
        )
        .to_owned();
    let mut query = Query::select();
    query
        .columns(customer::Column::iter().map(|c| (customer::Entity, c)))
        .from(customer::Entity)
        .inner_join(
            organization::Entity,
            Expr::col((organization::Entity, organization::Column::Id))
                .equals((customer::Entity, customer::Column::OrganizationId)),
        )
        .join_as(
            JoinType::LeftJoin,
            plan::Entity,
            asked.clone(),
            Condition::all()
                .add(
                    Expr::col((asked.clone(), plan::Column::OrganizationId))
                        .equals((customer::Entity, customer::Column::OrganizationId)),
                )
                .add(Expr::col((asked.clone(), plan::Column::PublicId)).eq(price.as_str())),
        )
        .and_where(Expr::col((customer::Entity, customer::Column::OrganizationId)).eq(actor.org_id()))
        .and_where(Expr::col((customer::Entity, customer::Column::PublicId)).eq(id.as_str()))
        .expr_as(
            Expr::col((organization::Entity, organization::Column::NextInvoiceSeq)),
            "next_invoice_seq",
        )
        .expr_as(Expr::exists(method), "has_method")
        .expr_as(Expr::exists(other_currency), "pays_in_another_currency")
        // PostgreSQL: two new subscriptions of one organization take invoice numbers in
        // turn. `NO KEY UPDATE`, the lock the number's own UPDATE takes: it does not
        // block rows that merely refer to the organization (its customers, events, audit
        // rows). SQLite has no row locks (the builder leaves this out); its transaction
        // holds the file's write lock.
        .lock_with_tables(LockType::NoKeyUpdate, [organization::Entity]);
    for c in plan::Column::iter() {
        query.expr_as(
            Expr::col((asked.clone(), c)),
            Alias::new(format!("{PRICE}{}", c.as_str())),
        );
    }
    let row = txn.query_one(&query).await?.ok_or(ConsoleError::NotFound)?;
    // The left join's columns are all NULL when no price has that id.
    let found: Option<i64> = row.try_get(PRICE, plan::Column::Id.as_str())?;
    let price = found
        .map(|_| plan::Model::from_query_result(&row, PRICE))
        .transpose()?;
    Ok(Subscriber {
        customer: customer::Model::from_query_result(&row, "")?,
        price,
        next_invoice_seq: row.try_get("", "next_invoice_seq")?,
        has_method: row.try_get("", "has_method")?,
        pays_in_another_currency: row.try_get("", "pays_in_another_currency")?,
    })
}

/// What [`ConsoleService::create_subscription`] asks its transaction for.
struct Order<'a> {
    new: NewSubscription,
    start: SubscriptionStart,
    org: &'a organization::Model,
    mail: &'a crate::billing::outbox::Mailroom,
    now: DateTime<Utc>,
}

/// What that transaction wrote.
struct Written {
    public_id: SubscriptionId,
    /// The first invoice's public id, when it is due now.
    first: Option<String>,
    has_method: bool,
    /// The subscription as the API shows it.
    shown: Subscription,
}

/// The prefix of the price's columns in [`subscriber`]'s row.
const PRICE: &str = "price_";
