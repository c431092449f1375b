//! Prices as the merchant API (`/v1/prices`) sees them. Making and archiving one are the
//! catalog's own operations (`create_price`, `set_price_archived`).
use super::catalog::{NewPrice, find};
use super::{AdminActor, ConsoleError, ConsoleService};
use crate::entity::plan;
use domain::{
    BillingInterval, Currency, DisplayName, PageLimit, PlanId, Recurrence, TrialDays,
    price_amount_from_minor,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use wire::api::{List, ObjectKind, Price, Recurring};
use wire::error::{FieldCode, FieldErrors};

/// A new price as the API sends it: the amount in minor units, numbers as numbers.
#[derive(Debug, Clone, Copy)]
pub struct PriceInput<'a> {
    /// "Pro monthly".
    pub name: &'a str,
    /// Minor units.
    pub unit_amount: i64,
    /// ISO 4217.
    pub currency: &'a str,
    /// `week`, `month` or `year`.
    pub interval: &'a str,
    /// Intervals per period; `None` is one.
    pub interval_count: Option<u16>,
    /// Free days; `None` is none.
    pub trial_days: Option<u16>,
}

/// Parses the API's price with the catalog's rules, naming each parameter that fails.
impl TryFrom<PriceInput<'_>> for NewPrice {
    type Error = FieldErrors;

    fn try_from(input: PriceInput<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = DisplayName::parse(input.name)
            .map_err(|e| errors.push("name", e.into()))
            .ok();
        let currency = Currency::parse(&input.currency.to_uppercase())
            .map_err(|_| errors.push("currency", FieldCode::CurrencyInvalid))
            .ok();
        let amount = currency.and_then(|c| {
            price_amount_from_minor(input.unit_amount, c)
                .map_err(|_| errors.push("unit_amount", FieldCode::AmountInvalid))
                .ok()
        });
        let interval = BillingInterval::parse(input.interval)
            .map_err(|_| errors.push("recurring.interval", FieldCode::IntervalInvalid))
            .ok();
        let recurrence = interval.and_then(|i| {
            Recurrence::new(i, input.interval_count.unwrap_or(1))
                .map_err(|_| {
                    errors.push("recurring.interval_count", FieldCode::IntervalCountInvalid);
                })
                .ok()
        });
        let trial_days = TrialDays::new(input.trial_days.unwrap_or(0));
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

fn object(p: plan::Model) -> Result<Price, ConsoleError> {
    let bad = |what: &str| ConsoleError::Internal(format!("price {}: bad {what}", p.id));
    Ok(Price {
        id: PlanId::parse(&p.public_id).map_err(|_| bad("id"))?,
        object: ObjectKind::Price,
        unit_amount: p.amount_minor,
        currency: p.currency.clone(),
        recurring: Recurring {
            interval: p.interval.clone(),
            interval_count: u16::try_from(p.interval_count).map_err(|_| bad("count"))?,
        },
        trial_days: u16::try_from(p.trial_days).map_err(|_| bad("trial"))?,
        archived: p.archived_at.is_some(),
        created: p.created_at.timestamp(),
        name: p.name,
    })
}

impl ConsoleService {
    /// One price of the actor's organization (`NotFound` for another's).
    pub async fn price_object(
        &self,
        actor: &AdminActor,
        id: &PlanId,
    ) -> Result<Price, ConsoleError> {
        object(find(&self.db, actor, id).await?)
    }

    /// A page of the organization's prices, newest first, after `starting_after`.
    pub async fn price_objects(
        &self,
        actor: &AdminActor,
        limit: PageLimit,
        starting_after: Option<&PlanId>,
    ) -> Result<List<Price>, ConsoleError> {
        let query = plan::Entity::find().filter(plan::Column::OrganizationId.eq(actor.org_id()));
        let after = match starting_after {
            Some(id) => Some(find(&self.db, actor, id).await?.id),
            None => None,
        };
        let (rows, has_more) =
            super::paging::page(&self.db, query, plan::Column::Id, limit, after).await?;
        Ok(List {
            object: ObjectKind::List,
            data: rows.into_iter().map(object).collect::<Result<_, _>>()?,
            has_more,
        })
    }
}
