//! Card-expiry reminders: 30 and 7 days before a default card's last valid day, one email
//! each, never twice (the `expiry_reminder_*_sent_at` columns are claimed first).

use super::report::RunReport;
use super::{BATCH, BillingEngine, OrgCtx, load_customer};
use crate::billing::error::BillingError;
use crate::billing::outbox::queue_customer_email;
use crate::billing::templates::{EmailKind, TemplateVars};
use crate::entity::payment_method;
use chrono::{Datelike, TimeDelta};
use domain::{ExpiryDate, PaymentMethodKind};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// Days before expiry of the first and the second reminder.
const FIRST: i64 = 30;
const SECOND: i64 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reminder {
    ThirtyDays,
    SevenDays,
}

/// Which reminder is due for a card with `days_left` until its last valid day.
fn due_reminder(days_left: i64, sent_30: bool, sent_7: bool) -> Option<Reminder> {
    match days_left {
        d if d < 0 => None,
        d if d <= SECOND && !sent_7 => Some(Reminder::SevenDays),
        d if d <= FIRST && d > SECOND && !sent_30 => Some(Reminder::ThirtyDays),
        _ => None,
    }
}

impl BillingEngine {
    pub(crate) async fn run_reminders(
        &self,
        ctx: &OrgCtx,
        report: &mut RunReport,
    ) -> Result<(), BillingError> {
        if !ctx.org.expiry_reminders {
            return Ok(());
        }
        let today = ctx.now.date_naive();
        let horizon = today + TimeDelta::days(FIRST);
        let mut after = 0i64;
        loop {
            let batch = payment_method::Entity::find()
                .filter(payment_method::Column::OrganizationId.eq(ctx.org.id))
                .filter(payment_method::Column::IsDefault.eq(true))
                .filter(payment_method::Column::Kind.eq(PaymentMethodKind::Card.as_str()))
                .filter(payment_method::Column::RemovedAt.is_null())
                .filter(payment_method::Column::ExpYear.lte(horizon.year()))
                .filter(
                    Condition::any()
                        .add(payment_method::Column::ExpiryReminder30SentAt.is_null())
                        .add(payment_method::Column::ExpiryReminder7SentAt.is_null()),
                )
                .filter(payment_method::Column::Id.gt(after))
                .order_by_asc(payment_method::Column::Id)
                .limit(BATCH)
                .all(&self.db)
                .await?;
            let Some(last) = batch.last() else { break };
            after = last.id;
            for pm in batch {
                let id = pm.public_id.clone();
                if let Err(err) = self.remind(ctx, pm, report).await {
                    tracing::error!(payment_method = %id, error = %err, "card expiry reminder failed");
                    report.errors += 1;
                }
            }
        }
        Ok(())
    }

    async fn remind(
        &self,
        ctx: &OrgCtx,
        pm: payment_method::Model,
        report: &mut RunReport,
    ) -> Result<(), BillingError> {
        let (Some(month), Some(year)) = (pm.exp_month, pm.exp_year) else {
            return Ok(());
        };
        let Some(expiry) = u32::try_from(month)
            .ok()
            .and_then(|m| ExpiryDate::from_parts(m, year).ok())
        else {
            return Err(BillingError::corrupt(
                "payment_methods",
                "expiry out of range",
            ));
        };
        let days_left = (expiry.last_valid_day() - ctx.now.date_naive()).num_days();
        let Some(reminder) = due_reminder(
            days_left,
            pm.expiry_reminder_30_sent_at.is_some(),
            pm.expiry_reminder_7_sent_at.is_some(),
        ) else {
            return Ok(());
        };
        let column = match reminder {
            Reminder::ThirtyDays => payment_method::Column::ExpiryReminder30SentAt,
            Reminder::SevenDays => payment_method::Column::ExpiryReminder7SentAt,
        };
        let txn = crate::db::begin_write(&self.db).await?;
        // The claim: only the caller that flips the column from NULL sends the email.
        let claimed = payment_method::Entity::update_many()
            .col_expr(column, Expr::value(Some(ctx.now)))
            .filter(payment_method::Column::Id.eq(pm.id))
            .filter(column.is_null())
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            return Ok(());
        }
        if reminder == Reminder::SevenDays {
            // A late 30-day reminder after the 7-day one would only confuse.
            payment_method::Entity::update_many()
                .col_expr(
                    payment_method::Column::ExpiryReminder30SentAt,
                    Expr::value(Some(ctx.now)),
                )
                .filter(payment_method::Column::Id.eq(pm.id))
                .filter(payment_method::Column::ExpiryReminder30SentAt.is_null())
                .exec(&txn)
                .await?;
        }
        let customer = load_customer(&txn, pm.customer_id).await?;
        let mut vars = TemplateVars::new();
        vars.insert("card_last4".into(), pm.last4.clone());
        vars.insert("card_expiry".into(), expiry.to_string());
        queue_customer_email(
            &txn,
            &self.public_url,
            &ctx.org,
            &customer,
            EmailKind::CardExpiring,
            vars,
            ctx.now,
        )
        .await?;
        txn.commit().await?;
        report.reminders += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminders_by_days_left() {
        let cases: &[(i64, bool, bool, Option<Reminder>)] = &[
            (31, false, false, None),
            (30, false, false, Some(Reminder::ThirtyDays)),
            (8, false, false, Some(Reminder::ThirtyDays)),
            (8, true, false, None),
            (7, true, false, Some(Reminder::SevenDays)),
            (7, false, false, Some(Reminder::SevenDays)),
            (0, true, false, Some(Reminder::SevenDays)),
            (3, true, true, None),
            (-1, false, false, None),
        ];
        for (days, s30, s7, expected) in cases {
            assert_eq!(
                due_reminder(*days, *s30, *s7),
                *expected,
                "{days} {s30} {s7}"
            );
        }
    }
}
