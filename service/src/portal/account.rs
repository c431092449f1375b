//! The customer's payment history and invoices, and cancelling or resuming a subscription.
//! Every query is filtered by the witness's organization and customer.
use super::{PortalError, PortalService};
use crate::billing::outbox;
use crate::billing::templates::format_date;
use crate::billing::{BillingError, EmailKind, TemplateVars, stored_money};
use crate::entity::{
    customer, invoice, organization, payment_attempt, payment_method, plan, subscription,
};
use crate::portal::{Cancellation, PortalCustomer};
use domain::{
    AttemptOutcome, BillingInterval, CancelChoice, DeclineCode, InvoiceStatus, Locale,
    PortalPermission, SubscriptionStatus, cancel_choice,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use wire::portal::{
    AttemptView, CancelView, CancelableView, DiscountView, HistoryView, InvoiceView, InvoicesView,
    PAGE_SIZE, SubscriptionView,
};

/// `(offset, limit + 1)` of a 1-based page, so one extra row says whether another page exists.
fn window(page: u32) -> (u64, u64) {
    let page = u64::from(page.max(1));
    ((page - 1) * u64::from(PAGE_SIZE), u64::from(PAGE_SIZE) + 1)
}

/// `Visa •••• 4242` / `SEPA •••• 3000`.
pub fn method_label(pm: &payment_method::Model) -> String {
    let name = if pm.kind == "sepa_debit" {
        "SEPA".to_owned()
    } else {
        pm.brand
            .as_deref()
            .map(|b| {
                domain::CardBrand::parse(b)
                    .map(|b| b.label().to_owned())
                    .unwrap_or_else(|_| b.to_owned())
            })
            .unwrap_or_else(|| "Card".to_owned())
    };
    format!("{name} •••• {}", pm.last4)
}

/// The statuses in which a subscription still bills (`domain`'s rule), for SQL filters.
fn billing_statuses() -> Vec<&'static str> {
    SubscriptionStatus::billing()
        .map(SubscriptionStatus::as_str)
        .collect()
}

/// A subscription as the cancel and pause pages show it (`None` for stored values that do
/// not parse: the row is left out).
pub(super) fn subscription_view(
    s: &subscription::Model,
    p: &plan::Model,
) -> Option<SubscriptionView> {
    Some(SubscriptionView {
        id: s.public_id.clone(),
        plan: p.name.clone(),
        price: stored_money(p.amount_minor, &p.currency).ok()?,
        interval: BillingInterval::parse(&p.interval).ok()?,
        interval_count: u16::try_from(p.interval_count).unwrap_or(1),
        status: SubscriptionStatus::parse(&s.status).ok()?,
        period_end: s.current_period_end.date_naive().to_string(),
        cancel_at_period_end: s.cancel_at_period_end,
        pause_resumes: s.pause_resumes_at.map(|at| at.date_naive().to_string()),
        discount: discount_view(s.discount_percent, s.discount_ends_at, s.current_period_end),
    })
}

/// A discount as the portal shows it, while the next period (starting at `next_period`)
/// still gets it.
pub(super) fn discount_view(
    percent: Option<i32>,
    ends_at: Option<chrono::DateTime<chrono::Utc>>,
    next_period: chrono::DateTime<chrono::Utc>,
) -> Option<DiscountView> {
    let (percent, ends_at) = percent.zip(ends_at)?;
    let percent = u8::try_from(percent).ok()?;
    domain::Discount { percent, ends_at }.on(next_period)?;
    Some(DiscountView {
        percent,
        until: ends_at.date_naive().to_string(),
    })
}

/// The customer's own subscription (any status).
pub(super) async fn own_subscription(
    db: &impl sea_orm::ConnectionTrait,
    who: &PortalCustomer,
    public_id: &str,
) -> Result<subscription::Model, PortalError> {
    subscription::Entity::find()
        .filter(subscription::Column::PublicId.eq(public_id))
        .filter(subscription::Column::OrganizationId.eq(who.org_id()))
        .filter(subscription::Column::CustomerId.eq(who.customer_id()))
        .one(db)
        .await?
        .ok_or(PortalError::NotFound)
}

/// The customer's own invoice with this public id (drafts are nobody's yet).
pub(super) async fn own_invoice(
    db: &impl sea_orm::ConnectionTrait,
    who: &PortalCustomer,
    public_id: &str,
) -> Result<invoice::Model, PortalError> {
    invoice::Entity::find()
        .filter(invoice::Column::PublicId.eq(public_id))
        .filter(invoice::Column::OrganizationId.eq(who.org_id()))
        .filter(invoice::Column::CustomerId.eq(who.customer_id()))
        .filter(invoice::Column::Status.ne("draft"))
        .one(db)
        .await?
        .ok_or(PortalError::NotFound)
}

impl PortalService {
    /// One page of the customer's payment attempts, newest first.
    pub async fn payment_history(
        &self,
        who: &PortalCustomer,
        page: u32,
    ) -> Result<HistoryView, PortalError> {
        who.require(PortalPermission::ViewPaymentHistory)?;
        let (offset, limit) = window(page);
        let rows = payment_attempt::Entity::find()
            .filter(payment_attempt::Column::OrganizationId.eq(who.org_id()))
            .filter(invoice::Column::OrganizationId.eq(who.org_id()))
            .filter(invoice::Column::CustomerId.eq(who.customer_id()))
            .order_by_desc(payment_attempt::Column::CreatedAt)
            .order_by_desc(payment_attempt::Column::Id)
            .find_also_related(invoice::Entity)
            .offset(offset)
            .limit(limit)
            .all(&self.db)
            .await?;
        let has_next = rows.len() as u64 > u64::from(PAGE_SIZE);
        let method_ids: Vec<i64> = rows
            .iter()
            .filter_map(|(a, _)| a.payment_method_id)
            .collect();
        let methods: HashMap<i64, payment_method::Model> = payment_method::Entity::find()
            .filter(payment_method::Column::Id.is_in(method_ids))
            .filter(payment_method::Column::CustomerId.eq(who.customer_id()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect();
        let attempts = rows
            .into_iter()
            .take(PAGE_SIZE as usize)
            .map(|(a, inv)| {
                let outcome = AttemptOutcome::parse(&a.outcome)
                    .map_err(|e| BillingError::corrupt("payment_attempts.outcome", e))?;
                let decline_code = a
                    .decline_code
                    .as_deref()
                    .map(DeclineCode::parse)
                    .transpose()
                    .map_err(|e| BillingError::corrupt("payment_attempts.decline_code", e))?;
                Ok(AttemptView {
                    id: a.public_id,
                    date: a.created_at.date_naive().to_string(),
                    amount: stored_money(a.amount_minor, &a.currency)?,
                    method: a
                        .payment_method_id
                        .and_then(|id| methods.get(&id))
                        .map(method_label)
                        .unwrap_or_default(),
                    outcome,
                    decline_code,
                    invoice_number: inv.map(|i| i.number).unwrap_or_default(),
                })
            })
            .collect::<Result<Vec<_>, PortalError>>()?;
        Ok(HistoryView {
            attempts,
            page: page.max(1),
            has_next,
        })
    }

    /// One page of the customer's invoices (drafts excluded), newest first.
    pub async fn invoices(
        &self,
        who: &PortalCustomer,
        page: u32,
    ) -> Result<InvoicesView, PortalError> {
        who.require(PortalPermission::DownloadInvoices)?;
        let can_pay = who.permissions().contains(PortalPermission::PayInvoices);
        let (offset, limit) = window(page);
        let rows = invoice::Entity::find()
            .filter(invoice::Column::OrganizationId.eq(who.org_id()))
            .filter(invoice::Column::CustomerId.eq(who.customer_id()))
            .filter(invoice::Column::Status.ne("draft"))
            .order_by_desc(invoice::Column::CreatedAt)
            .order_by_desc(invoice::Column::Id)
            .offset(offset)
            .limit(limit)
            .all(&self.db)
            .await?;
        let has_next = rows.len() as u64 > u64::from(PAGE_SIZE);
        let invoices = rows
            .into_iter()
            .take(PAGE_SIZE as usize)
            .map(|inv| {
                let status = InvoiceStatus::parse(&inv.status)
                    .map_err(|e| BillingError::corrupt("invoices.status", e))?;
                Ok(InvoiceView {
                    total: stored_money(inv.total_minor, &inv.currency)?,
                    payable: can_pay && status == InvoiceStatus::Open,
                    status,
                    id: inv.public_id,
                    number: inv.number,
                    date: inv.created_at.date_naive().to_string(),
                })
            })
            .collect::<Result<Vec<_>, BillingError>>()?;
        Ok(InvoicesView {
            invoices,
            page: page.max(1),
            has_next,
        })
    }

    /// The customer's own invoice with this public id (for the PDF).
    pub(crate) async fn own_invoice(
        &self,
        who: &PortalCustomer,
        public_id: &str,
    ) -> Result<invoice::Model, PortalError> {
        who.require(PortalPermission::DownloadInvoices)?;
        own_invoice(&self.db, who, public_id).await
    }

    /// Subscriptions that still bill (active or past due), newest first.
    pub async fn cancel_view(&self, who: &PortalCustomer) -> Result<CancelView, PortalError> {
        who.require(PortalPermission::CancelSubscription)?;
        let subs = subscription::Entity::find()
            .filter(subscription::Column::OrganizationId.eq(who.org_id()))
            .filter(subscription::Column::CustomerId.eq(who.customer_id()))
            .filter(subscription::Column::Status.is_in(billing_statuses()))
            .order_by_desc(subscription::Column::CreatedAt)
            .find_also_related(plan::Entity)
            .all(&self.db)
            .await?;
        let now = self.org_now(who.org_id()).await?;
        let offer = super::retention::merchant_offer(&self.db, who.org_id()).await?;
        // Only what can be cancelled or resumed now (`domain::cancel_choice`) is offered.
        let subscriptions = subs
            .into_iter()
            .filter_map(|(s, p)| {
                let p = p?;
                let status = SubscriptionStatus::parse(&s.status).ok()?;
                let choice =
                    cancel_choice(status, s.cancel_at_period_end, s.current_period_end, now);
                match choice {
                    CancelChoice::Cancel | CancelChoice::Resume => Some(CancelableView {
                        offer: domain::offer_for(
                            offer,
                            status,
                            s.cancel_at_period_end,
                            s.retention_offered_at.is_some(),
                        ),
                        subscription: subscription_view(&s, &p)?,
                    }),
                    CancelChoice::Neither => None,
                }
            })
            .collect();
        Ok(CancelView { subscriptions })
    }

    /// `CancelAtPeriodEnd`: the subscription keeps running until its period ends, then the
    /// renewal worker cancels it. The cancellation email goes out now, in the same transaction.
    pub async fn cancel_subscription(
        &self,
        who: &PortalCustomer,
        public_id: &str,
        cancellation: Cancellation,
    ) -> Result<(), PortalError> {
        let Cancellation { reason, comment } = cancellation;
        who.require(PortalPermission::CancelSubscription)?;
        let now = self.org_now(who.org_id()).await?;
        let txn = crate::db::begin_write(&self.db).await?;
        let sub = own_subscription(&txn, who, public_id).await?;
        let why = crate::subscriptions::Why {
            reason: Some(reason.as_str()),
            comment: comment.map(domain::CancelComment::into_inner),
        };
        if !crate::subscriptions::cancel_at_period_end(&txn, &sub, why, now, self.now()).await? {
            return Err(PortalError::NotCancelable);
        }
        // Cancelling with the retention offer on the page passes it over: it is offered once.
        super::retention::pass_over(&txn, &sub, now).await?;
        let org = organization::Entity::find_by_id(who.org_id())
            .one(&txn)
            .await?
            .ok_or(PortalError::NotFound)?;
        let customer = customer::Entity::find_by_id(who.customer_id())
            .one(&txn)
            .await?
            .ok_or(PortalError::NotFound)?;
        let locale = Locale::parse(&customer.locale).unwrap_or_default();
        let mut vars = TemplateVars::new();
        vars.insert(
            "period_end".into(),
            format_date(sub.current_period_end.date_naive(), locale),
        );
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
        crate::events::subscription_changed(
            &txn,
            domain::EventKind::SubscriptionUpdated,
            sub.id,
            self.now(),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Undoes `CancelAtPeriodEnd` while the period has not ended.
    pub async fn resume_subscription(
        &self,
        who: &PortalCustomer,
        public_id: &str,
    ) -> Result<(), PortalError> {
        who.require(PortalPermission::CancelSubscription)?;
        let now = self.org_now(who.org_id()).await?;
        let txn = crate::db::begin_write(&self.db).await?;
        let sub = own_subscription(&txn, who, public_id).await?;
        if !crate::subscriptions::resume(&txn, sub.id, now, self.now()).await? {
            return Err(PortalError::NotCancelable);
        }
        crate::events::subscription_changed(
            &txn,
            domain::EventKind::SubscriptionResumed,
            sub.id,
            self.now(),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}
