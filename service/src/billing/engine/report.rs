//! What a billing run did, and the test clock that runs day by day.

use super::BillingEngine;
use crate::billing::clock::org_time;
use crate::billing::error::BillingError;
use crate::entity::organization;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::fmt;
use std::ops::AddAssign;

/// Counts of what one or more runs did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RunReport {
    /// Renewal invoices charged.
    pub renewals: u32,
    /// Charges that succeeded (renewals and retries).
    pub payments_succeeded: u32,
    /// Attempts that failed (declines, no method, skipped retries).
    pub payments_failed: u32,
    /// Scheduled retries charged.
    pub retries: u32,
    /// Scheduled retries skipped without charging (hard decline, same method).
    pub retries_skipped: u32,
    /// Invoices whose retries ran out (final action applied).
    pub gave_up: u32,
    /// Subscriptions canceled at their period end.
    pub canceled: u32,
    /// Card-expiry reminders sent.
    pub reminders: u32,
    /// Pauses that began at a period end.
    pub paused: u32,
    /// Pauses that ended on their day.
    pub unpaused: u32,
    /// Emails put in the outbox.
    pub emails_queued: u64,
    /// Items that failed with an error (logged).
    pub errors: u32,
}

impl AddAssign for RunReport {
    fn add_assign(&mut self, o: RunReport) {
        self.renewals += o.renewals;
        self.payments_succeeded += o.payments_succeeded;
        self.payments_failed += o.payments_failed;
        self.retries += o.retries;
        self.retries_skipped += o.retries_skipped;
        self.gave_up += o.gave_up;
        self.canceled += o.canceled;
        self.reminders += o.reminders;
        self.paused += o.paused;
        self.unpaused += o.unpaused;
        self.emails_queued += o.emails_queued;
        self.errors += o.errors;
    }
}

impl fmt::Display for RunReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "renewals {}, payments ok {}, payments failed {}, retries {} (skipped {}), gave up {}, canceled {}, reminders {}, paused {}, resumed {}, emails queued {}",
            self.renewals,
            self.payments_succeeded,
            self.payments_failed,
            self.retries,
            self.retries_skipped,
            self.gave_up,
            self.canceled,
            self.reminders,
            self.paused,
            self.unpaused,
            self.emails_queued
        )?;
        if self.errors > 0 {
            write!(f, ", ERRORS {}", self.errors)?;
        }
        Ok(())
    }
}

/// What advancing an organization's test clock did, day by day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockReport {
    /// The organization's slug.
    pub org_slug: String,
    /// Its time before.
    pub from: DateTime<Utc>,
    /// Its time after.
    pub to: DateTime<Utc>,
    /// Each day's run.
    pub days: Vec<(NaiveDate, RunReport)>,
    /// The sum.
    pub total: RunReport,
}

impl fmt::Display for ClockReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: clock moved from {} to {}",
            self.org_slug,
            self.from.format("%Y-%m-%d %H:%M UTC"),
            self.to.format("%Y-%m-%d %H:%M UTC")
        )?;
        for (day, report) in &self.days {
            if *report != RunReport::default() {
                writeln!(f, "  {day}: {report}")?;
            }
        }
        write!(f, "total: {}", self.total)
    }
}

impl BillingEngine {
    /// The test clock: moves the organization's time forward `days` days, one day at a time,
    /// running the organization's billing pass after each step so everything due in
    /// between happens in order.
    pub async fn advance_clock(
        &self,
        org_slug: &str,
        days: u32,
    ) -> Result<ClockReport, BillingError> {
        let find = || {
            organization::Entity::find()
                .filter(organization::Column::Slug.eq(org_slug))
                .one(&self.db)
        };
        let org = find().await?.ok_or(BillingError::UnknownOrganization)?;
        let from = org_time(self.clock.now(), org.clock_offset_seconds);
        let mut report = ClockReport {
            org_slug: org_slug.to_owned(),
            from,
            to: from,
            days: Vec::new(),
            total: RunReport::default(),
        };
        for _ in 0..days {
            organization::Entity::update_many()
                .col_expr(
                    organization::Column::ClockOffsetSeconds,
                    Expr::col(organization::Column::ClockOffsetSeconds).add(86_400i64),
                )
                .filter(organization::Column::Id.eq(org.id))
                .exec(&crate::db::writer(&self.db))
                .await?;
            let org = organization::Entity::find_by_id(org.id)
                .one(&self.db)
                .await?
                .ok_or(BillingError::UnknownOrganization)?;
            let now = self.clock.now();
            let day = org_time(now, org.clock_offset_seconds);
            let run = self.run_org(org, now).await?;
            report.days.push((day.date_naive(), run));
            report.total += run;
            report.to = day;
        }
        Ok(report)
    }
}

/// Same as [`BillingEngine::advance_clock`], for callers holding the pieces separately.
pub async fn advance_clock(
    engine: &BillingEngine,
    org_slug: &str,
    days: u32,
) -> Result<ClockReport, BillingError> {
    engine.advance_clock(org_slug, days).await
}
