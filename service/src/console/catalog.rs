//! The catalog: the prices subscriptions pay. Staff make a price (name, amount, currency,
//! every `count` weeks/months/years, trial days), archive it (no new subscriptions; the
//! existing ones bill on) or restore it, and delete it only while nothing uses it. A price is
//! never repriced in place: its amount, currency and recurrence are fixed once made.
use super::{AdminActor, ConsoleError, ConsoleService, audit};
use crate::entity::{organization, plan, subscription};
use crate::secret;
use domain::Money;
use domain::{
    BillingInterval, Currency, DisplayName, PlanId, Recurrence, TrialDays, parse_price_amount,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use wire::console::{PriceList, PriceRow};
use wire::error::{Conflict, FieldCode, FieldErrors};

/// The new-price form as posted: raw strings.
#[derive(Debug, Clone, Copy)]
pub struct PriceForm<'a> {
    /// "Pro monthly".
    pub name: &'a str,
    /// Major units, `29` or `29,90`.
    pub amount: &'a str,
    /// ISO 4217 code.
    pub currency: &'a str,
    /// `week`, `month` or `year`.
    pub interval: &'a str,
    /// Intervals per period, `1` when empty.
    pub interval_count: &'a str,
    /// Free days, none when empty.
    pub trial_days: &'a str,
}

/// A price to make, parsed with `domain`'s rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPrice {
    /// Its name.
    pub name: DisplayName,
    /// Per period, in its currency.
    pub amount: Money,
    /// How often it bills.
    pub recurrence: Recurrence,
    /// Free days before the first charge.
    pub trial_days: TrialDays,
}

/// Parses the form, naming each field that fails.
impl TryFrom<PriceForm<'_>> for NewPrice {
    type Error = FieldErrors;

    fn try_from(form: PriceForm<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = DisplayName::parse(form.name)
            .map_err(|e| errors.push("name", e.into()))
            .ok();
        let currency = Currency::parse(form.currency)
            .map_err(|_| errors.push("currency", FieldCode::CurrencyInvalid))
            .ok();
        let amount = currency.and_then(|c| {
            parse_price_amount(form.amount, c)
                .map_err(|_| errors.push("amount", FieldCode::AmountInvalid))
                .ok()
        });
        let interval = BillingInterval::parse(form.interval)
            .map_err(|_| errors.push("interval", FieldCode::IntervalInvalid))
            .ok();
        let count = if form.interval_count.trim().is_empty() {
            "1"
        } else {
            form.interval_count
        };
        let recurrence = interval.and_then(|i| {
            Recurrence::parse(i, count)
                .map_err(|_| errors.push("interval_count", FieldCode::IntervalCountInvalid))
                .ok()
        });
        let trial_days = TrialDays::parse(form.trial_days);
        if trial_days.is_none() {
            errors.push("trial_days", FieldCode::TrialDaysInvalid);
        }
        match (name, amount, recurrence, trial_days) {
            (Some(name), Some(amount), Some(recurrence), Some(trial_days)) => Ok(NewPrice {
                name,
                amount,
                recurrence,
                trial_days,
            }),
            _ => Err(errors),
        }
    }
}

/// The actor's organization's price with this id, or `NotFound` (another organization's
/// included).
pub(super) async fn find(
    db: &impl ConnectionTrait,
    actor: &AdminActor,
    id: &PlanId,
) -> Result<plan::Model, ConsoleError> {
    plan::Entity::find()
        .filter(plan::Column::OrganizationId.eq(actor.org_id()))
        .filter(plan::Column::PublicId.eq(id.as_str()))
        .one(db)
        .await?
        .ok_or(ConsoleError::NotFound)
}

fn row(p: plan::Model, subscriptions: u64) -> Option<PriceRow> {
    Some(PriceRow {
        amount: Money::new(p.amount_minor, Currency::parse(&p.currency).ok()?),
        interval: BillingInterval::parse(&p.interval).ok()?,
        interval_count: u16::try_from(p.interval_count).ok()?,
        trial_days: u16::try_from(p.trial_days).ok()?,
        archived: p.archived_at.is_some(),
        subscriptions,
        id: p.public_id,
        name: p.name,
    })
}

impl ConsoleService {
    /// The catalog, newest first; any role may read it.
    pub async fn prices(&self, actor: &AdminActor) -> Result<PriceList, ConsoleError> {
        let org = organization::Entity::find_by_id(actor.org_id())
            .one(&self.db)
            .await?
            .ok_or(ConsoleError::NotFound)?;
        let plans = plan::Entity::find()
            .filter(plan::Column::OrganizationId.eq(actor.org_id()))
            .order_by_desc(plan::Column::CreatedAt)
            .order_by_desc(plan::Column::Id)
            .all(&self.db)
            .await?;
        let counts: Vec<(i64, i64)> = subscription::Entity::find()
            .select_only()
            .column(subscription::Column::PlanId)
            .column_as(subscription::Column::Id.count(), "n")
            .filter(subscription::Column::OrganizationId.eq(actor.org_id()))
            .group_by(subscription::Column::PlanId)
            .into_tuple()
            .all(&self.db)
            .await?;
        let prices = plans
            .into_iter()
            .filter_map(|p| {
                let n = counts
                    .iter()
                    .find(|(id, _)| *id == p.id)
                    .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or(0));
                row(p, n)
            })
            .collect();
        Ok(PriceList {
            prices,
            default_currency: Currency::parse(&org.default_currency).unwrap_or(Currency::Eur),
            can_change: actor.require_change().is_ok(),
        })
    }

    /// Makes a price; returns its id.
    pub async fn create_price(
        &self,
        actor: &AdminActor,
        price: NewPrice,
    ) -> Result<PlanId, ConsoleError> {
        actor.require_change()?;
        let now = self.now();
        let id = PlanId::from_random(secret::random_bytes());
        let txn = crate::db::begin_write(&self.db).await?;
        plan::ActiveModel {
            public_id: Set(id.as_str().to_owned()),
            organization_id: Set(actor.org_id()),
            name: Set(price.name.as_str().to_owned()),
            amount_minor: Set(price.amount.amount_minor),
            currency: Set(price.amount.currency.code().to_owned()),
            interval: Set(price.recurrence.interval().as_str().to_owned()),
            interval_count: Set(i32::from(price.recurrence.count())),
            trial_days: Set(i32::from(price.trial_days.get())),
            archived_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let details = format!(
            "{} {:?}: {} every {} {}, {} trial days",
            id.as_str(),
            price.name.as_str(),
            price.amount.format(domain::Locale::En),
            price.recurrence.count(),
            price.recurrence.interval(),
            price.trial_days.get()
        );
        audit::commit(txn, actor, "catalog.price_created", details, now).await?;
        Ok(id)
    }

    /// Archives a price (`archived`) or restores it. Archived prices take no new
    /// subscriptions; the ones they have bill on unchanged.
    pub async fn set_price_archived(
        &self,
        actor: &AdminActor,
        id: &PlanId,
        archived: bool,
    ) -> Result<(), ConsoleError> {
        actor.require_change()?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let price = find(&txn, actor, id).await?;
        if price.archived_at.is_some() == archived {
            return Ok(());
        }
        let mut active = price.into_active_model();
        active.archived_at = Set(archived.then_some(now));
        active.update(&txn).await?;
        let action = if archived {
            "catalog.price_archived"
        } else {
            "catalog.price_restored"
        };
        audit::commit(txn, actor, action, id.as_str().to_owned(), now).await
    }

    /// Deletes a price nothing uses; one with subscriptions (in any status) is refused
    /// with [`Conflict::PriceInUse`]: archive it instead.
    pub async fn delete_price(&self, actor: &AdminActor, id: &PlanId) -> Result<(), ConsoleError> {
        actor.require_change()?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let price = find(&txn, actor, id).await?;
        let used = subscription::Entity::find()
            .filter(subscription::Column::PlanId.eq(price.id))
            .count(&txn)
            .await?;
        if used > 0 {
            return Err(ConsoleError::Conflict(Conflict::PriceInUse));
        }
        let details = format!("{} {:?}", id.as_str(), price.name);
        plan::Entity::delete_by_id(price.id).exec(&txn).await?;
        audit::commit(txn, actor, "catalog.price_deleted", details, now).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form<'a>(amount: &'a str, interval: &'a str, count: &'a str) -> PriceForm<'a> {
        PriceForm {
            name: "Pro",
            amount,
            currency: "EUR",
            interval,
            interval_count: count,
            trial_days: "",
        }
    }

    #[test]
    fn the_form_parses_with_defaults() {
        let price = NewPrice::try_from(form("29,90", "month", "")).unwrap();
        assert_eq!(price.amount, Money::new(2990, Currency::Eur));
        assert_eq!(price.recurrence.count(), 1);
        assert_eq!(price.trial_days.get(), 0);
    }

    #[test]
    fn the_form_names_each_bad_field() {
        let bad = NewPrice::try_from(PriceForm {
            name: " ",
            amount: "0",
            currency: "EUR",
            interval: "fortnight",
            interval_count: "2",
            trial_days: "1000",
        })
        .unwrap_err();
        assert_eq!(bad.get("name"), Some(&FieldCode::NameEmpty));
        assert_eq!(bad.get("amount"), Some(&FieldCode::AmountInvalid));
        assert_eq!(bad.get("interval"), Some(&FieldCode::IntervalInvalid));
        assert_eq!(bad.get("trial_days"), Some(&FieldCode::TrialDaysInvalid));
        let count = NewPrice::try_from(form("10", "year", "2")).unwrap_err();
        assert_eq!(
            count.get("interval_count"),
            Some(&FieldCode::IntervalCountInvalid)
        );
        let currency = NewPrice::try_from(PriceForm {
            currency: "XYZ",
            ..form("10", "month", "1")
        })
        .unwrap_err();
        assert_eq!(currency.get("currency"), Some(&FieldCode::CurrencyInvalid));
    }
}
