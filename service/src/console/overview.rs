//! The Overview numbers: active subscriptions, MRR, past-due invoices, revenue recovered
//! through the portal (succeeded attempts the customer set off: a new default payment
//! method or "Pay now"), and why customers cancel, per month.
use super::{ConsoleError, ConsoleService};
use crate::billing::clock::org_time;
use crate::console::AdminActor;
use crate::entity::{cancellation, invoice, organization, payment_attempt, plan, subscription};
use chrono::{Datelike, Months, NaiveTime, TimeDelta};
use domain::{
    AttemptOutcome, BillingInterval, CancelReason, Currency, InvoiceStatus, Locale, Money,
    PaymentTrigger, SubscriptionStatus, tally_reasons,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use wire::console::{ChartDay, OverviewView, ReasonMonthView};

/// Days in the chart.
pub const CHART_DAYS: i64 = 30;

/// Months in the cancellation-reasons chart.
pub const REASON_MONTHS: u32 = 6;

/// Amounts `(minor units, currency)` totalled per currency (`domain::sum_by_currency`) and
/// written as one text: `€29.00 + $5.00`, or `€0.00` for none.
fn join<'a>(amounts: impl IntoIterator<Item = (i64, &'a str)>) -> Result<String, ConsoleError> {
    let totals = crate::billing::stored_totals(amounts)?;
    if totals.is_empty() {
        return Ok(Money::zero(Currency::Eur).format(Locale::En));
    }
    Ok(wire::portal::format_amounts(&totals, Locale::En))
}

impl ConsoleService {
    /// The organization's overview as of its (test) clock.
    pub async fn overview(&self, actor: &AdminActor) -> Result<OverviewView, ConsoleError> {
        let org = organization::Entity::find_by_id(actor.org_id())
            .one(&self.db)
            .await?
            .ok_or(ConsoleError::NotFound)?;
        let now = org_time(self.now(), org.clock_offset_seconds);
        let plans = plan::Entity::find()
            .filter(plan::Column::OrganizationId.eq(org.id))
            .all(&self.db)
            .await?;
        let active = subscription::Entity::find()
            .filter(subscription::Column::OrganizationId.eq(org.id))
            .filter(subscription::Column::Status.eq(SubscriptionStatus::Active.as_str()))
            .all(&self.db)
            .await?;
        let mut mrr = Vec::new();
        for s in &active {
            if let Some(p) = plans.iter().find(|p| p.id == s.plan_id) {
                let interval =
                    BillingInterval::parse(&p.interval).unwrap_or(BillingInterval::Month);
                let count = u16::try_from(p.interval_count).unwrap_or(1);
                let per_period = p.amount_minor.saturating_mul(i64::from(s.quantity));
                mrr.push((interval.monthly(per_period, count), p.currency.as_str()));
            }
        }
        let past_due: Vec<invoice::Model> = invoice::Entity::find()
            .filter(invoice::Column::OrganizationId.eq(org.id))
            .filter(invoice::Column::Status.eq(InvoiceStatus::Open.as_str()))
            .filter(invoice::Column::AttemptCount.gt(0))
            .all(&self.db)
            .await?;
        let due = past_due
            .iter()
            .map(|i| (i.total_minor - i.amount_paid_minor, i.currency.as_str()));
        let due = join(due)?;
        let since = now - TimeDelta::days(CHART_DAYS);
        let attempts = payment_attempt::Entity::find()
            .filter(payment_attempt::Column::OrganizationId.eq(org.id))
            .filter(payment_attempt::Column::CreatedAt.gt(since))
            .all(&self.db)
            .await?;
        let mut recovered = Vec::new();
        let mut chart: Vec<ChartDay> = (0..CHART_DAYS)
            .map(|d| ChartDay {
                date: (since + TimeDelta::days(d + 1))
                    .format("%Y-%m-%d")
                    .to_string(),
                recovered_minor: 0,
                failed_minor: 0,
            })
            .collect();
        for a in &attempts {
            let date = a.created_at.format("%Y-%m-%d").to_string();
            let slot = chart.iter_mut().find(|d| d.date == date);
            match AttemptOutcome::parse(&a.outcome) {
                Ok(AttemptOutcome::Succeeded)
                    if PaymentTrigger::parse(&a.trigger)
                        .is_ok_and(PaymentTrigger::is_customer_recovery) =>
                {
                    recovered.push((a.amount_minor, a.currency.as_str()));
                    if let Some(d) = slot {
                        d.recovered_minor += a.amount_minor;
                    }
                }
                Ok(AttemptOutcome::Failed) => {
                    if let Some(d) = slot {
                        d.failed_minor += a.amount_minor;
                    }
                }
                Ok(AttemptOutcome::Succeeded) | Err(_) => {}
            }
        }
        let first_month = now
            .date_naive()
            .with_day(1)
            .and_then(|d| d.checked_sub_months(Months::new(REASON_MONTHS - 1)))
            .unwrap_or(now.date_naive());
        let cancellations = cancellation::Entity::find()
            .filter(cancellation::Column::OrganizationId.eq(org.id))
            .filter(
                cancellation::Column::CreatedAt.gte(first_month.and_time(NaiveTime::MIN).and_utc()),
            )
            .all(&self.db)
            .await?;
        let reasons = tally_reasons(
            cancellations.iter().filter_map(|c| {
                Some((
                    c.created_at.date_naive(),
                    CancelReason::parse(&c.reason).ok()?,
                ))
            }),
            now.date_naive(),
            REASON_MONTHS,
        )
        .into_iter()
        .map(|m| ReasonMonthView {
            month: m.month.format("%Y-%m").to_string(),
            counts: m.counts,
        })
        .collect();
        Ok(OverviewView {
            reasons,
            active_subscriptions: active.len() as u64,
            mrr: join(mrr)?,
            past_due_count: past_due.len() as u64,
            past_due_amount: due,
            recovered_30d: join(recovered)?,
            chart,
        })
    }
}
