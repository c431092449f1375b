//! The overview: the customer's subscriptions and what is past due.
use super::{PortalError, PortalService};
use crate::entity::{invoice, plan, subscription};
use crate::portal::PortalCustomer;
use domain::{BillingInterval, Currency, Money, SubscriptionStatus};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement, UnionType};
use sea_orm::{DbErr, FromQueryResult, prelude::DateTimeUtc};
use wire::portal::{DueInvoiceView, OverviewView, SubscriptionView};

/// One row of the overview's query: a subscription with its plan, or a past-due invoice
/// (`kind` tells which; the other kind's columns are NULL).
#[derive(Debug, FromQueryResult)]
struct Row {
    kind: String,
    public_id: Option<String>,
    status: Option<String>,
    period_end: Option<DateTimeUtc>,
    cancel_at_period_end: Option<bool>,
    pause_resumes_at: Option<DateTimeUtc>,
    discount_percent: Option<i32>,
    discount_ends_at: Option<DateTimeUtc>,
    created_at: Option<DateTimeUtc>,
    plan: Option<String>,
    amount_minor: Option<i64>,
    currency: Option<String>,
    interval: Option<String>,
    interval_count: Option<i32>,
}

const SUBSCRIPTION: &str = "subscription";
const PAST_DUE: &str = "past_due";

/// A subscription row as the page shows it; `None` (left out) for a plan in an unknown
/// currency.
fn subscription_view(r: Row) -> Result<Option<SubscriptionView>, DbErr> {
    let missing = |what: &str| DbErr::Custom(format!("overview row without {what}"));
    let currency = r.currency.ok_or_else(|| missing("currency"))?;
    let Ok(currency) = Currency::parse(&currency) else {
        return Ok(None);
    };
    let period_end = r.period_end.ok_or_else(|| missing("period_end"))?;
    Ok(Some(SubscriptionView {
        id: r.public_id.ok_or_else(|| missing("public_id"))?,
        plan: r.plan.ok_or_else(|| missing("plan"))?,
        price: Money::new(r.amount_minor.ok_or_else(|| missing("amount"))?, currency),
        interval: BillingInterval::parse(&r.interval.ok_or_else(|| missing("interval"))?)
            .map_err(|e| DbErr::Custom(e.to_string()))?,
        interval_count: r
            .interval_count
            .and_then(|c| u16::try_from(c).ok())
            .unwrap_or(1),
        status: SubscriptionStatus::parse(&r.status.ok_or_else(|| missing("status"))?)
            .map_err(|e| DbErr::Custom(e.to_string()))?,
        period_end: period_end.date_naive().to_string(),
        cancel_at_period_end: r.cancel_at_period_end.unwrap_or(false),
        pause_resumes: r.pause_resumes_at.map(|at| at.date_naive().to_string()),
        discount: super::account::discount_view(r.discount_percent, r.discount_ends_at, period_end),
    }))
}

/// The customer's subscriptions with their plans, then their failed, still-open invoices
/// (what `methods::past_due` sums), in the columns of [`Row`].
fn rows_query(org_id: i64, customer_id: i64) -> SelectStatement {
    // An untyped NULL: PostgreSQL gives it the other branch's column type.
    let null = || Expr::cust("NULL");
    let s = |c: subscription::Column| Expr::col((subscription::Entity, c));
    let p = |c: plan::Column| Expr::col((plan::Entity, c));
    let i = |c: invoice::Column| Expr::col((invoice::Entity, c));
    let mut subscriptions = Query::select();
    subscriptions
        .expr_as(Expr::val(SUBSCRIPTION), Alias::new("kind"))
        .expr_as(s(subscription::Column::PublicId), Alias::new("public_id"))
        .expr_as(s(subscription::Column::Status), Alias::new("status"))
        .expr_as(
            s(subscription::Column::CurrentPeriodEnd),
            Alias::new("period_end"),
        )
        .expr_as(
            s(subscription::Column::CancelAtPeriodEnd),
            Alias::new("cancel_at_period_end"),
        )
        .expr_as(
            s(subscription::Column::PauseResumesAt),
            Alias::new("pause_resumes_at"),
        )
        .expr_as(
            s(subscription::Column::DiscountPercent),
            Alias::new("discount_percent"),
        )
        .expr_as(
            s(subscription::Column::DiscountEndsAt),
            Alias::new("discount_ends_at"),
        )
        .expr_as(s(subscription::Column::CreatedAt), Alias::new("created_at"))
        .expr_as(p(plan::Column::Name), Alias::new("plan"))
        // What a period costs: the plan's price times the subscription's quantity.
        .expr_as(
            p(plan::Column::AmountMinor).mul(s(subscription::Column::Quantity)),
            Alias::new("amount_minor"),
        )
        .expr_as(p(plan::Column::Currency), Alias::new("currency"))
        .expr_as(p(plan::Column::Interval), Alias::new("interval"))
        .expr_as(p(plan::Column::IntervalCount), Alias::new("interval_count"))
        .from(subscription::Entity)
        .inner_join(
            plan::Entity,
            p(plan::Column::Id).equals((subscription::Entity, subscription::Column::PlanId)),
        )
        .and_where(s(subscription::Column::OrganizationId).eq(org_id))
        .and_where(s(subscription::Column::CustomerId).eq(customer_id));
    let mut past_due = Query::select();
    past_due
        .expr_as(Expr::val(PAST_DUE), Alias::new("kind"))
        .expr_as(i(invoice::Column::PublicId), Alias::new("public_id"))
        .expr_as(null(), Alias::new("status"))
        .expr_as(null(), Alias::new("period_end"))
        .expr_as(null(), Alias::new("cancel_at_period_end"))
        .expr_as(null(), Alias::new("pause_resumes_at"))
        .expr_as(null(), Alias::new("discount_percent"))
        .expr_as(null(), Alias::new("discount_ends_at"))
        .expr_as(i(invoice::Column::CreatedAt), Alias::new("created_at"))
        // The invoice's number, in the plan's column.
        .expr_as(i(invoice::Column::Number), Alias::new("plan"))
        .expr_as(
            i(invoice::Column::TotalMinor).sub(i(invoice::Column::AmountPaidMinor)),
            Alias::new("amount_minor"),
        )
        .expr_as(i(invoice::Column::Currency), Alias::new("currency"))
        .expr_as(null(), Alias::new("interval"))
        .expr_as(null(), Alias::new("interval_count"))
        .from(invoice::Entity)
        .and_where(i(invoice::Column::OrganizationId).eq(org_id))
        .and_where(i(invoice::Column::CustomerId).eq(customer_id))
        // What the customer owes, as the payment-methods page and recovery count it.
        .cond_where(crate::billing::engine::owed());
    subscriptions.union(UnionType::All, past_due);
    subscriptions
}

impl PortalService {
    /// Subscriptions (newest first) with their plans, and the past-due total. One statement
    /// (a `UNION ALL` of both kinds of rows), so the page waits for one round trip to the
    /// database, not two: it is the portal's most visited page.
    pub async fn overview(&self, who: &PortalCustomer) -> Result<OverviewView, PortalError> {
        let statement = self
            .db
            .get_database_backend()
            .build(&rows_query(who.org_id(), who.customer_id()));
        let mut rows = Row::find_by_statement(statement).all(&self.db).await?;
        rows.sort_by_key(|r| std::cmp::Reverse(r.created_at));
        let past_due = crate::billing::stored_totals(
            rows.iter()
                .filter(|r| r.kind == PAST_DUE)
                .filter_map(|r| Some((r.amount_minor?, r.currency.as_deref()?))),
        )?;
        // Oldest first, as they fell due.
        let payable = if who
            .permissions()
            .contains(domain::PortalPermission::PayInvoices)
        {
            rows.iter()
                .rev()
                .filter(|r| r.kind == PAST_DUE)
                .filter_map(|r| {
                    let currency = Currency::parse(r.currency.as_deref()?).ok()?;
                    Some(DueInvoiceView {
                        id: r.public_id.clone()?,
                        number: r.plan.clone()?,
                        amount: Money::new(r.amount_minor?, currency),
                    })
                })
                .collect()
        } else {
            Vec::new()
        };
        let subscriptions = rows
            .into_iter()
            .filter(|r| r.kind == SUBSCRIPTION)
            .map(subscription_view)
            .collect::<Result<Vec<_>, DbErr>>()?
            .into_iter()
            .flatten()
            .collect();
        Ok(OverviewView {
            subscriptions,
            past_due,
            payable,
        })
    }
}
