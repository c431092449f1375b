//! Plan changes from the portal (permission: change plan). The merchant lists the prices
//! customers may switch between and, optionally, a quantity range (Settings → Customer
//! Portal). The customer picks a price and quantity, sees a preview of what is due now, and
//! confirms. The rules are `domain::plan_change`: an upgrade takes effect now, the rest of
//! the period is invoiced at the new price less what was paid for it (`domain::prorate`)
//! and charged at once on the default method; anything else waits for the period's end
//! (`subscriptions.scheduled_plan_id`, applied by the engine before that renewal) and can
//! be undone until then.
use super::account::{own_subscription, subscription_view};
use super::{PortalError, PortalService};
use crate::billing::outbox;
use crate::billing::templates::format_date;
use crate::billing::{EmailKind, RecoveryResult, TemplateVars, stored_money};
use crate::entity::{plan, portal_settings, subscription};
use crate::portal::PortalCustomer;
use chrono::{DateTime, Utc};
use domain::{
    BillingInterval, ChangeTiming, EventKind, InvoiceLine, Locale, Money, PlanChange,
    PlanChangeError, PlanChoice, PortalPermission, PriceTerms, QuantityRange, SubscriptionStatus,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use wire::portal::{
    ChangeableView, PlanChangeOutcome, PlanChangePreview, PlanChangeView, PreviewOutcome,
    PriceOption, ScheduledChangeView,
};

/// What the merchant allows: the listed prices (active ones of the organization, as
/// stored) and the quantity range.
struct Rules {
    listed: Vec<plan::Model>,
    range: Option<QuantityRange>,
}

async fn rules(db: &impl ConnectionTrait, org_id: i64) -> Result<Rules, PortalError> {
    let settings = portal_settings::Entity::find()
        .filter(portal_settings::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(PortalError::NotFound)?;
    let ids = crate::console::stored_switch_prices(&settings);
    let listed = if ids.is_empty() {
        Vec::new()
    } else {
        plan::Entity::find()
            .filter(plan::Column::OrganizationId.eq(org_id))
            .filter(plan::Column::PublicId.is_in(ids))
            .filter(plan::Column::ArchivedAt.is_null())
            .order_by_asc(plan::Column::AmountMinor)
            .order_by_asc(plan::Column::Id)
            .all(db)
            .await?
    };
    let range = crate::console::stored_range(&settings);
    Ok(Rules { listed, range })
}

/// A plan's terms (`None`: a stored value that does not parse).
fn terms(p: &plan::Model) -> Option<PriceTerms> {
    Some(PriceTerms {
        unit: stored_money(p.amount_minor, &p.currency).ok()?,
        interval: BillingInterval::parse(&p.interval).ok()?,
        interval_count: u16::try_from(p.interval_count).ok()?,
    })
}

/// Whether `sub` may change plan at `now`: active, not ending, within its period.
fn changeable(sub: &subscription::Model, now: DateTime<Utc>) -> bool {
    sub.status == SubscriptionStatus::Active.as_str()
        && !sub.cancel_at_period_end
        && sub.current_period_end > now
}

fn billed(sub: &subscription::Model) -> bool {
    domain::period_billed(
        sub.current_period_start,
        sub.current_period_end,
        sub.trial_end,
    )
}

/// A quantity as typed: empty keeps the current one.
fn quantity_of(raw: Option<&str>, current: u32) -> Result<u32, PlanChangeError> {
    match raw.map(str::trim).filter(|q| !q.is_empty()) {
        None => Ok(current),
        Some(q) => q
            .parse::<u32>()
            .map_err(|_| PlanChangeError::QuantityNotAllowed),
    }
}

/// A checked change of `sub` (on `current`) to `price` and `quantity`: the target plan,
/// the quantity and the rules' verdict.
fn check(
    rules: &Rules,
    sub: &subscription::Model,
    current: &plan::Model,
    price: &str,
    quantity: Option<&str>,
) -> Result<(plan::Model, u32, PlanChange), PlanChangeError> {
    let current_quantity = u32::try_from(sub.quantity).unwrap_or(1);
    let target = if price.trim() == current.public_id {
        current.clone()
    } else {
        rules
            .listed
            .iter()
            .find(|p| p.public_id == price.trim())
            .cloned()
            .ok_or(PlanChangeError::PriceNotAllowed)?
    };
    let quantity = quantity_of(quantity, current_quantity)?;
    let (Some(current_terms), Some(target_terms)) = (terms(current), terms(&target)) else {
        return Err(PlanChangeError::PriceNotAllowed);
    };
    let change = domain::plan_change(
        PlanChoice {
            current: current_terms,
            current_quantity,
            target: target_terms,
            same_price: target.id == current.id,
            listed: true,
            quantity,
            billed: billed(sub),
        },
        rules.range,
    )?;
    Ok((target, quantity, change))
}

/// What is due now for `change` of `sub` at `now`: the proration of a paid period, or
/// nothing (a trial, or a change at the period's end). A retention discount on the current
/// period applies to both sides: the credit is of what was paid, the charge at the same
/// discount.
fn due_now(
    sub: &subscription::Model,
    change: &PlanChange,
    now: DateTime<Utc>,
) -> Result<(Money, Money, Money), PortalError> {
    let zero = Money::zero(change.new_full.currency);
    if change.timing == ChangeTiming::AtPeriodEnd || !billed(sub) {
        return Ok((zero, zero, zero));
    }
    let discount = crate::billing::engine::discount_on(sub, sub.current_period_start);
    let paid = |full: Money| match discount {
        Some(percent) => Money::new(
            full.amount_minor - domain::percent_off(full, percent).amount_minor,
            full.currency,
        ),
        None => full,
    };
    let p = domain::prorate(
        sub.current_period_start,
        sub.current_period_end,
        now,
        paid(change.old_full),
        paid(change.new_full),
    )
    .map_err(|_| PortalError::NotCancelable)?;
    // An upgrade's charge is at least its credit; rounding never makes it owe the customer.
    let due = if p.due.is_positive() { p.due } else { zero };
    Ok((due, p.credit, p.charge))
}

fn preview(
    sub: &subscription::Model,
    current: &plan::Model,
    target: &plan::Model,
    quantity: u32,
    change: &PlanChange,
    now: DateTime<Utc>,
) -> Result<PlanChangePreview, PortalError> {
    let (due, credit, charge) = due_now(sub, change, now)?;
    let effective = match change.timing {
        ChangeTiming::Now => now,
        ChangeTiming::AtPeriodEnd => sub.current_period_end,
    };
    Ok(PlanChangePreview {
        price: target.public_id.clone(),
        plan: target.name.clone(),
        quantity,
        new_full: change.new_full,
        timing: change.timing,
        due_now: due,
        credit,
        charge,
        effective: effective.date_naive().to_string(),
        from_price: current.public_id.clone(),
        from_quantity: u32::try_from(sub.quantity).unwrap_or(1),
    })
}

/// The invoice lines of an upgrade on `day`: the unused days of the plan left, credited,
/// and the same days of the new one, in the customer's language.
fn change_lines(
    locale: Locale,
    (old, old_quantity): (&plan::Model, i32),
    (new, new_quantity): (&plan::Model, u32),
    credit: Money,
    charge: Money,
    day: chrono::NaiveDate,
) -> Vec<InvoiceLine> {
    let date = format_date(day, locale);
    let (unused, remaining) = match locale {
        Locale::En => (
            format!("Unused time on {} × {old_quantity} (from {date})", old.name),
            format!(
                "Remaining time on {} × {new_quantity} (from {date})",
                new.name
            ),
        ),
        Locale::It => (
            format!(
                "Tempo non utilizzato di {} × {old_quantity} (dal {date})",
                old.name
            ),
            format!(
                "Tempo residuo di {} × {new_quantity} (dal {date})",
                new.name
            ),
        ),
    };
    let mut lines = vec![InvoiceLine {
        description: remaining,
        quantity: 1,
        unit: charge,
    }];
    if credit.is_positive() {
        lines.push(InvoiceLine {
            description: unused,
            quantity: 1,
            unit: Money::new(-credit.amount_minor, credit.currency),
        });
    }
    lines
}

/// A change as the form sends it.
#[derive(Debug, Clone, Default)]
pub struct PlanChangeForm {
    /// `sub_…`.
    pub subscription: String,
    /// `price_…`: the price asked for.
    pub price: String,
    /// Units asked for (empty: as now).
    pub quantity: Option<String>,
    /// The price the preview was made from.
    pub from_price: String,
    /// The quantity the preview was made from.
    pub from_quantity: String,
    /// What the preview said is due now, in minor units.
    pub due_now: String,
}

/// A preview asked for on the plan page.
#[derive(Debug, Clone, Default)]
pub struct PlanAsk {
    /// `sub_…`.
    pub subscription: String,
    /// `price_…`.
    pub price: String,
    /// Units (empty: as now).
    pub quantity: Option<String>,
}

impl PortalService {
    /// The plan page: each active subscription with the prices it may move to, the
    /// quantity range, a change waiting for the period's end, and the preview `ask`ed for.
    pub async fn plan_change_view(
        &self,
        who: &PortalCustomer,
        ask: Option<PlanAsk>,
    ) -> Result<PlanChangeView, PortalError> {
        who.require(PortalPermission::ChangePlan)?;
        let now = self.org_now(who.org_id()).await?;
        let rules = rules(&self.db, who.org_id()).await?;
        let subs = subscription::Entity::find()
            .filter(subscription::Column::OrganizationId.eq(who.org_id()))
            .filter(subscription::Column::CustomerId.eq(who.customer_id()))
            .filter(subscription::Column::Status.eq(SubscriptionStatus::Active.as_str()))
            .order_by_desc(subscription::Column::CreatedAt)
            .find_also_related(plan::Entity)
            .all(&self.db)
            .await?;
        let mut subscriptions = Vec::new();
        for (sub, current) in subs {
            let Some(current) = current else { continue };
            if !changeable(&sub, now) {
                continue;
            }
            let (Some(view), Some(current_terms)) =
                (subscription_view(&sub, &current), terms(&current))
            else {
                continue;
            };
            let mut options = vec![PriceOption {
                id: current.public_id.clone(),
                name: current.name.clone(),
                unit: current_terms.unit,
                current: true,
            }];
            options.extend(rules.listed.iter().filter_map(|p| {
                let t = terms(p)?;
                (p.id != current.id && current_terms.switchable_with(&t)).then(|| PriceOption {
                    id: p.public_id.clone(),
                    name: p.name.clone(),
                    unit: t.unit,
                    current: false,
                })
            }));
            let scheduled =
                match sub.scheduled_plan_id {
                    Some(id) => plan::Entity::find_by_id(id).one(&self.db).await?.map(|p| {
                        ScheduledChangeView {
                            plan: p.name,
                            quantity: sub
                                .scheduled_quantity
                                .and_then(|q| u32::try_from(q).ok())
                                .unwrap_or(1),
                            on: sub.current_period_end.date_naive().to_string(),
                        }
                    }),
                    None => None,
                };
            let preview = match &ask {
                Some(a) if a.subscription == sub.public_id => Some(
                    match check(&rules, &sub, &current, &a.price, a.quantity.as_deref()) {
                        Ok((target, quantity, change)) => PreviewOutcome::Ready(preview(
                            &sub, &current, &target, quantity, &change, now,
                        )?),
                        Err(e) => PreviewOutcome::Refused {
                            field: e.field().to_owned(),
                            code: e.into(),
                        },
                    },
                ),
                _ => None,
            };
            subscriptions.push(ChangeableView {
                subscription: view,
                quantity: u32::try_from(sub.quantity).unwrap_or(1),
                options,
                quantity_range: rules.range,
                scheduled,
                preview,
            });
        }
        Ok(PlanChangeView { subscriptions })
    }

    /// Confirms a change previewed on the plan page. Refused: 403 without the permission,
    /// 404 for another customer's subscription, 409 when it is not active (or is ending)
    /// or its price or quantity changed since the preview, 422 for a price or quantity the
    /// merchant does not allow. An upgrade without a default payment method is refused
    /// (`method.required`): nothing would pay its invoice.
    pub async fn change_plan(
        &self,
        who: &PortalCustomer,
        form: &PlanChangeForm,
    ) -> Result<PlanChangeOutcome, PortalError> {
        who.require(PortalPermission::ChangePlan)?;
        let txn = crate::db::begin_write(&self.db).await?;
        let rules = rules(&txn, who.org_id()).await?;
        let now = self.org_now_on(&txn, who.org_id()).await?;
        let sub = own_subscription(&txn, who, &form.subscription).await?;
        if !changeable(&sub, now) {
            return Err(PortalError::NotCancelable);
        }
        let (org, customer, current) = self.parties(&txn, who, &sub).await?;
        if current.public_id != form.from_price.trim()
            || sub.quantity.to_string() != form.from_quantity.trim()
        {
            return Err(PortalError::Stale);
        }
        let (target, quantity, change) = check(
            &rules,
            &sub,
            &current,
            &form.price,
            form.quantity.as_deref(),
        )
        .map_err(PortalError::PlanChange)?;
        let (due, credit, charge) = due_now(&sub, &change, now)?;
        // What the preview said is due now: a day gone by or a period renewed since
        // changes it, and the customer confirms the amount they saw, not another.
        if form.due_now.trim() != due.amount_minor.to_string() {
            return Err(PortalError::Stale);
        }
        let locale = Locale::parse(&customer.locale).unwrap_or_default();
        let mut vars = TemplateVars::new();
        vars.insert("plan_name".into(), target.name.clone());
        vars.insert("previous_plan".into(), current.name.clone());
        let quantity_i32 = i32::try_from(quantity).map_err(|_| PortalError::NotCancelable)?;
        let old_quantity = sub.quantity;
        let details = serde_json::json!({
            "subscription": sub.public_id,
            "from": { "price": current.public_id, "quantity": sub.quantity },
            "to": { "price": target.public_id, "quantity": quantity },
        });
        let public_url = self.config.public_url.as_str();
        if change.timing == ChangeTiming::AtPeriodEnd {
            let to = (target.id, quantity_i32);
            if !crate::subscriptions::schedule_plan_change(&txn, &sub, to, self.now()).await? {
                return Err(PortalError::Stale);
            }
            vars.insert(
                "change_date".into(),
                format_date(sub.current_period_end.date_naive(), locale),
            );
            let kind = EmailKind::PlanChangeScheduled;
            outbox::queue_customer_email(&txn, public_url, &org, &customer, kind, vars, now)
                .await?;
            let event = EventKind::SubscriptionUpdated;
            crate::events::subscription_changed(&txn, event, sub.id, self.now()).await?;
            let action = "subscription.plan_change_scheduled";
            let (org_id, at) = (who.org_id(), self.now());
            super::audit::record(&txn, org_id, &customer.public_id, action, details, at).await?;
            txn.commit().await?;
            return Ok(PlanChangeOutcome::Scheduled);
        }
        if due.is_positive()
            && crate::billing::engine::default_method(&txn, who.customer_id())
                .await?
                .is_none()
        {
            return Err(PortalError::Billing(
                crate::billing::BillingError::NoPaymentMethod,
            ));
        }
        // Conditional on the terms as read: a concurrent change finds nothing to update.
        let to = (target.id, quantity_i32);
        if !crate::subscriptions::change_plan_now(&txn, &sub, to, self.now()).await? {
            return Err(PortalError::Stale);
        }
        let sub = subscription::Entity::find_by_id(sub.id)
            .one(&txn)
            .await?
            .ok_or(PortalError::NotFound)?;
        let invoice = if due.is_positive() {
            let lines = change_lines(
                locale,
                (&current, old_quantity),
                (&target, quantity),
                credit,
                charge,
                now.date_naive(),
            );
            // The current period (the subscription keeps it when the invoice is paid).
            let period = (sub.current_period_start, sub.current_period_end);
            let parties = (&org, &customer, &target);
            let opened = self
                .open_invoice(&txn, parties, &sub, now, |engine, batch, s, number| {
                    engine.open_change_invoice(batch, s, number, lines, period)
                })
                .await?;
            Some(opened)
        } else {
            None
        };
        vars.insert("amount_due".into(), due.format(locale));
        vars.insert(
            "period_end".into(),
            format_date(sub.current_period_end.date_naive(), locale),
        );
        let kind = EmailKind::PlanChanged;
        outbox::queue_customer_email(&txn, public_url, &org, &customer, kind, vars, now).await?;
        let event = EventKind::SubscriptionUpdated;
        crate::events::subscription_changed(&txn, event, sub.id, self.now()).await?;
        let mut details = details;
        details["invoice"] = serde_json::json!(invoice);
        details["due_now_minor"] = serde_json::json!(due.amount_minor);
        let (org_id, at) = (who.org_id(), self.now());
        let action = "subscription.plan_changed";
        super::audit::record(&txn, org_id, &customer.public_id, action, details, at).await?;
        txn.commit().await?;
        let Some(invoice) = invoice else {
            return Ok(PlanChangeOutcome::Changed);
        };
        match self.engine.charge_first_invoice(org.id, &invoice).await {
            Ok(RecoveryResult::Paid) => Ok(PlanChangeOutcome::Changed),
            Ok(RecoveryResult::Declined(_)) => Ok(PlanChangeOutcome::ChangedUnpaid),
            Ok(RecoveryResult::Pending) => Ok(PlanChangeOutcome::ChangedPending),
            // Changed and invoiced: the invoice is open, and its retry time (set with it)
            // has the billing run resume the charge with the same key.
            Err(err) => {
                tracing::error!(subscription = %sub.public_id, error = %err, "plan change charge failed");
                Ok(PlanChangeOutcome::ChangedPending)
            }
        }
    }

    /// Undoes a change waiting for the period's end: the subscription renews as it is.
    /// 409 when none is waiting.
    pub async fn undo_plan_change(
        &self,
        who: &PortalCustomer,
        public_id: &str,
    ) -> Result<(), PortalError> {
        who.require(PortalPermission::ChangePlan)?;
        let txn = crate::db::begin_write(&self.db).await?;
        let sub = own_subscription(&txn, who, public_id).await?;
        if !crate::subscriptions::undo_plan_change(&txn, sub.id, self.now()).await? {
            return Err(PortalError::NotCancelable);
        }
        let event = EventKind::SubscriptionUpdated;
        crate::events::subscription_changed(&txn, event, sub.id, self.now()).await?;
        let (_, customer, _) = self.parties(&txn, who, &sub).await?;
        let details = serde_json::json!({ "subscription": sub.public_id });
        let (org_id, at) = (who.org_id(), self.now());
        let action = "subscription.plan_change_undone";
        super::audit::record(&txn, org_id, &customer.public_id, action, details, at).await?;
        txn.commit().await?;
        Ok(())
    }
}
