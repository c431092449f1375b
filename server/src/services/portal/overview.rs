//! The overview: the customer's subscriptions and what is past due.
use super::{PortalError, PortalService};
use crate::entity::{plan, subscription};
use app::portal::dto::{MoneyDto, OverviewView, SubscriptionView};
use app::portal::port::PortalCustomer;
use domain::{Currency, Money};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// Subscriptions (newest first) with their plans, and the past-due total.
pub async fn overview(
    svc: &PortalService,
    who: &PortalCustomer,
) -> Result<OverviewView, PortalError> {
    let subs = subscription::Entity::find()
        .filter(subscription::Column::OrganizationId.eq(who.org_id()))
        .filter(subscription::Column::CustomerId.eq(who.customer_id()))
        .order_by_desc(subscription::Column::CreatedAt)
        .find_also_related(plan::Entity)
        .all(&svc.db)
        .await?;
    let subscriptions = subs
        .into_iter()
        .filter_map(|(s, p)| {
            let p = p?;
            let currency = Currency::parse(&p.currency).ok()?;
            Some(SubscriptionView {
                id: s.public_id,
                plan: p.name,
                price: MoneyDto::from_money(Money::new(p.amount_minor, currency)),
                interval: p.interval,
                status: s.status,
                period_end: s.current_period_end.date_naive().to_string(),
                cancel_at_period_end: s.cancel_at_period_end,
            })
        })
        .collect();
    Ok(OverviewView {
        subscriptions,
        past_due: super::methods::past_due(&svc.db, who).await?,
    })
}
