//! The customer's payment methods: list, add (card, SEPA), set default (with instant
//! recovery), remove. Every query is filtered by the witness's organization and customer.
use super::{PortalError, PortalService};
use crate::billing::clock::org_time;
use crate::billing::{RecoveryOutcome, RecoveryResult};
use crate::entity::{invoice, organization, payment_method, subscription};
use app::portal::dto::{MethodChange, MethodView, MoneyDto, PaymentMethodsView, RecoveryView};
use app::portal::port::{NewCard, PortalCustomer};
use domain::{
    Currency, ExpiryDate, Iban, InvoiceStatus, Money, PaymentMethodId, PortalPermission,
    SubscriptionStatus,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

fn require(who: &PortalCustomer, p: PortalPermission) -> Result<(), PortalError> {
    if who.permissions().contains(p) {
        Ok(())
    } else {
        Err(PortalError::Forbidden)
    }
}

/// The organization's "now" (its test clock included).
pub async fn org_now(
    svc: &PortalService,
    org_id: i64,
) -> Result<chrono::DateTime<chrono::Utc>, PortalError> {
    let org = organization::Entity::find_by_id(org_id)
        .one(&svc.db)
        .await?
        .ok_or(PortalError::NotFound)?;
    Ok(org_time(svc.now(), org.clock_offset_seconds))
}

/// What the customer owes on failed, still-open invoices.
pub async fn past_due(
    db: &impl ConnectionTrait,
    who: &PortalCustomer,
) -> Result<Option<MoneyDto>, PortalError> {
    let open = invoice::Entity::find()
        .filter(invoice::Column::OrganizationId.eq(who.org_id()))
        .filter(invoice::Column::CustomerId.eq(who.customer_id()))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Open.as_str()))
        .filter(invoice::Column::FirstFailureAt.is_not_null())
        .all(db)
        .await?;
    Ok(total_due(open.iter().map(|inv| {
        (
            inv.total_minor - inv.amount_paid_minor,
            inv.currency.as_str(),
        )
    })))
}

/// The sum of amounts still due `(minor units, currency)`; an amount in another currency
/// than the first is left out, as is one in an unknown currency.
pub fn total_due<'a>(dues: impl IntoIterator<Item = (i64, &'a str)>) -> Option<MoneyDto> {
    let mut total: Option<Money> = None;
    for (minor, currency) in dues {
        let Ok(currency) = Currency::parse(currency) else {
            continue;
        };
        let due = Money::new(minor, currency);
        total = Some(match total {
            None => due,
            Some(t) => t.checked_add(due).unwrap_or(t),
        });
    }
    total.map(MoneyDto::from_money)
}

/// Saved methods, default first.
pub async fn list(
    svc: &PortalService,
    who: &PortalCustomer,
) -> Result<PaymentMethodsView, PortalError> {
    require(who, PortalPermission::UpdatePaymentMethods)?;
    let today = org_now(svc, who.org_id()).await?.date_naive();
    let rows = payment_method::Entity::find()
        .filter(payment_method::Column::OrganizationId.eq(who.org_id()))
        .filter(payment_method::Column::CustomerId.eq(who.customer_id()))
        .filter(payment_method::Column::RemovedAt.is_null())
        .order_by_desc(payment_method::Column::IsDefault)
        .order_by_desc(payment_method::Column::CreatedAt)
        .all(&svc.db)
        .await?;
    let methods = rows
        .into_iter()
        .map(|pm| {
            let expiry = match (pm.exp_month, pm.exp_year) {
                (Some(m), Some(y)) => u32::try_from(m)
                    .ok()
                    .and_then(|m| ExpiryDate::from_parts(m, y).ok()),
                _ => None,
            };
            MethodView {
                id: pm.public_id,
                kind: pm.kind,
                brand: pm.brand,
                last4: pm.last4,
                expiry: expiry.map(|e| format!("{:02}/{:02}", e.month(), e.year() % 100)),
                is_default: pm.is_default,
                is_expired: expiry.is_some_and(|e| e.is_expired_on(today)),
            }
        })
        .collect();
    Ok(PaymentMethodsView {
        methods,
        past_due: past_due(&svc.db, who).await?,
    })
}

fn change(outcomes: Vec<RecoveryOutcome>) -> MethodChange {
    MethodChange {
        recovery: outcomes
            .into_iter()
            .map(|o| {
                let (result, code) = match o.result {
                    RecoveryResult::Paid => ("paid", None),
                    RecoveryResult::Declined(code) => {
                        ("declined", code.map(|c| c.as_str().to_owned()))
                    }
                    RecoveryResult::Pending => ("pending", None),
                };
                RecoveryView {
                    amount: MoneyDto::from_money(o.amount),
                    result: result.into(),
                    decline_code: code,
                }
            })
            .collect(),
    }
}

/// Saves a card through the engine (only brand, last 4, expiry and token are stored).
pub async fn add_card(
    svc: &PortalService,
    who: &PortalCustomer,
    card: NewCard,
) -> Result<MethodChange, PortalError> {
    require(who, PortalPermission::UpdatePaymentMethods)?;
    let added = svc
        .engine
        .add_card(
            who.org_id(),
            who.customer_id(),
            &card.number,
            card.expiry,
            &card.holder,
            card.make_default,
        )
        .await?;
    Ok(change(added.recovery))
}

/// Saves a SEPA mandate.
pub async fn add_sepa(
    svc: &PortalService,
    who: &PortalCustomer,
    iban: &Iban,
    holder: &str,
    make_default: bool,
) -> Result<MethodChange, PortalError> {
    require(who, PortalPermission::UpdatePaymentMethods)?;
    let added = svc
        .engine
        .add_sepa(who.org_id(), who.customer_id(), iban, holder, make_default)
        .await?;
    Ok(change(added.recovery))
}

/// The customer's own live method with this id.
async fn own_method(
    svc: &PortalService,
    who: &PortalCustomer,
    id: &PaymentMethodId,
) -> Result<payment_method::Model, PortalError> {
    payment_method::Entity::find()
        .filter(payment_method::Column::PublicId.eq(id.as_str()))
        .filter(payment_method::Column::OrganizationId.eq(who.org_id()))
        .filter(payment_method::Column::CustomerId.eq(who.customer_id()))
        .filter(payment_method::Column::RemovedAt.is_null())
        .one(&svc.db)
        .await?
        .ok_or(PortalError::NotFound)
}

/// Makes a method the default; the engine retries past-due invoices on it once.
pub async fn set_default(
    svc: &PortalService,
    who: &PortalCustomer,
    id: &PaymentMethodId,
) -> Result<MethodChange, PortalError> {
    require(who, PortalPermission::UpdatePaymentMethods)?;
    let pm = own_method(svc, who, id).await?;
    let outcomes = svc
        .engine
        .set_default_payment_method(who.org_id(), who.customer_id(), &pm.public_id)
        .await?;
    Ok(change(outcomes))
}

/// Removes a method (soft delete). The default stays while a subscription still bills.
pub async fn remove(
    svc: &PortalService,
    who: &PortalCustomer,
    id: &PaymentMethodId,
) -> Result<(), PortalError> {
    require(who, PortalPermission::UpdatePaymentMethods)?;
    let pm = own_method(svc, who, id).await?;
    if pm.is_default {
        let billing = subscription::Entity::find()
            .filter(subscription::Column::OrganizationId.eq(who.org_id()))
            .filter(subscription::Column::CustomerId.eq(who.customer_id()))
            .filter(subscription::Column::Status.is_in([
                SubscriptionStatus::Active.as_str(),
                SubscriptionStatus::PastDue.as_str(),
            ]))
            .one(&svc.db)
            .await?;
        if billing.is_some() {
            return Err(PortalError::DefaultInUse);
        }
    }
    let mut active: payment_method::ActiveModel = pm.into();
    active.removed_at = Set(Some(svc.now()));
    active.is_default = Set(false);
    active.update(&svc.db).await?;
    Ok(())
}
