//! The customer's payment methods: list, add (card, SEPA), set default (with instant
//! recovery), remove. Every query is filtered by the witness's organization and customer.
use super::{PortalError, PortalService};
use crate::billing::clock::org_time;
use crate::billing::gateway::GatewayError;
use crate::billing::{BillingError, RecoveryOutcome, RecoveryResult, stored_money, stored_totals};
use crate::entity::{
    invoice, organization, payment_attempt, payment_method, payment_method_decline, subscription,
};
use crate::portal::{NewCard, NewSepa, PortalCustomer};
use chrono::{DateTime, Utc};
use domain::{
    AttemptOutcome, DeclineCode, ExpiryDate, Money, PaymentMethodActivity, PaymentMethodId,
    PaymentMethodKind, PaymentTrigger, PortalPermission, SubscriptionStatus,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use std::net::IpAddr;
use wire::portal::{MethodChange, MethodView, Notice, PaymentMethodsView, RecoveryView};

/// What the customer owes on failed, still-open invoices, and on a first invoice waiting
/// for a payment method.
pub async fn past_due(
    db: &impl ConnectionTrait,
    who: &PortalCustomer,
) -> Result<Vec<Money>, PortalError> {
    let open = invoice::Entity::find()
        .filter(invoice::Column::OrganizationId.eq(who.org_id()))
        .filter(invoice::Column::CustomerId.eq(who.customer_id()))
        .filter(crate::billing::engine::owed())
        .all(db)
        .await?;
    Ok(stored_totals(open.iter().map(|inv| {
        (
            inv.total_minor - inv.amount_paid_minor,
            inv.currency.as_str(),
        )
    }))?)
}

/// What a change returns: when it began, so the page it redirects to reads the retries it
/// caused from the database, and whether one is still running.
fn change(since: DateTime<Utc>, outcomes: &[RecoveryOutcome]) -> MethodChange {
    MethodChange {
        since_ms: since.timestamp_millis(),
        pending: outcomes
            .iter()
            .any(|o| matches!(o.result, RecoveryResult::Pending)),
    }
}

/// The change a payment-methods page was redirected from, as its query names it: checked
/// against the database before the page says anything about it.
#[derive(Debug, Clone)]
pub struct ChangeQuery {
    /// When the change began (clamped to [`RECOVERY_WINDOW`] back).
    pub since: DateTime<Utc>,
    /// What it claims to have saved.
    pub notice: Option<Notice>,
    /// The method it made the default (for [`Notice::DefaultSet`]).
    pub method: Option<String>,
}

/// Whether the database shows the change `notice` claims, made at or after `since`: a
/// method of that kind created, one removed, or `method` being the default now.
async fn confirmed(
    db: &impl ConnectionTrait,
    who: &PortalCustomer,
    query: &ChangeQuery,
    since: DateTime<Utc>,
) -> Result<Option<Notice>, PortalError> {
    let Some(notice) = query.notice else {
        return Ok(None);
    };
    let mine = payment_method::Entity::find()
        .filter(payment_method::Column::OrganizationId.eq(who.org_id()))
        .filter(payment_method::Column::CustomerId.eq(who.customer_id()));
    let created = |kind: PaymentMethodKind| {
        mine.clone()
            .filter(payment_method::Column::Kind.eq(kind.as_str()))
            .filter(payment_method::Column::CreatedAt.gte(since))
    };
    let evidence = match notice {
        Notice::CardAdded => created(PaymentMethodKind::Card),
        Notice::SepaAdded => created(PaymentMethodKind::SepaDebit),
        Notice::Removed => mine.filter(payment_method::Column::RemovedAt.gte(since)),
        Notice::DefaultSet => {
            let Some(method) = &query.method else {
                return Ok(None);
            };
            mine.filter(payment_method::Column::PublicId.eq(method.as_str()))
                .filter(payment_method::Column::IsDefault.eq(true))
                .filter(payment_method::Column::RemovedAt.is_null())
        }
    };
    Ok((evidence.count(db).await? > 0).then_some(notice))
}

/// How one attempt on `inv` ended, as the page shows it.
pub(super) fn recovery_view(
    inv: &invoice::Model,
    attempt: &payment_attempt::Model,
) -> Result<RecoveryView, PortalError> {
    Ok(RecoveryView {
        invoice_number: inv.number.clone(),
        amount: stored_money(attempt.amount_minor, &attempt.currency)?,
        result: match AttemptOutcome::parse(&attempt.outcome) {
            Ok(AttemptOutcome::Succeeded) => wire::portal::RecoveryResult::Paid,
            Ok(AttemptOutcome::Failed) | Err(_) => wire::portal::RecoveryResult::Declined,
        },
        decline_code: attempt
            .decline_code
            .as_deref()
            .and_then(|c| DeclineCode::parse(c).ok()),
    })
}

/// How far back the payment-methods page looks for retries of a change it was sent to.
pub(super) const RECOVERY_WINDOW: chrono::TimeDelta = chrono::TimeDelta::minutes(15);

/// The retries of this customer's past-due invoices that a payment-method change made
/// since `since` (already clamped to [`RECOVERY_WINDOW`]): the latest attempt of each invoice,
/// oldest invoice first. Read from the attempts themselves, so a forged URL can only
/// select real outcomes of this customer, never invent one.
async fn read_recovery(
    db: &impl ConnectionTrait,
    who: &PortalCustomer,
    since: DateTime<Utc>,
) -> Result<Vec<RecoveryView>, PortalError> {
    let attempts = payment_attempt::Entity::find()
        .find_also_related(invoice::Entity)
        .filter(payment_attempt::Column::OrganizationId.eq(who.org_id()))
        .filter(invoice::Column::CustomerId.eq(who.customer_id()))
        .filter(payment_attempt::Column::Trigger.eq(PaymentTrigger::PaymentMethodUpdate.as_str()))
        .filter(payment_attempt::Column::CreatedAt.gte(since))
        .order_by_asc(payment_attempt::Column::CreatedAt)
        .order_by_asc(payment_attempt::Column::Id)
        .all(db)
        .await?;
    let mut latest: Vec<(i64, RecoveryView)> = Vec::new();
    for (attempt, inv) in attempts {
        let Some(inv) = inv else { continue };
        let view = recovery_view(&inv, &attempt)?;
        match latest.iter_mut().find(|(id, _)| *id == inv.id) {
            Some(entry) => entry.1 = view,
            None => latest.push((inv.id, view)),
        }
    }
    Ok(latest.into_iter().map(|(_, view)| view).collect())
}

/// Runs `save` within the card-testing limits ([`domain::PaymentMethodLimits`]). The
/// attempt is written first (as pending) and only then are attempts counted, so concurrent
/// tries see each other, across processes: a burst is refused, never let through. A refusal
/// by the processor stays counted, with an audit row and a metric; anything else removes it.
async fn limited<T, F>(
    svc: &PortalService,
    who: &PortalCustomer,
    ip: Option<IpAddr>,
    field: &'static str,
    save: impl FnOnce() -> F,
) -> Result<T, PortalError>
where
    F: std::future::Future<Output = Result<T, BillingError>>,
{
    let now = svc.now();
    let limits = svc.config.limits.payment_methods;
    let client_ip = ip.map(|ip| ip.to_string());
    let attempt = payment_method_decline::ActiveModel {
        organization_id: Set(who.org_id()),
        customer_id: Set(who.customer_id()),
        client_ip: Set(client_ip.clone()),
        decline_code: Set(PENDING.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&crate::db::writer(&svc.db))
    .await?;
    let outcome = match activity(svc, who, client_ip.as_deref(), limits.since(now)).await {
        Ok(activity) => match limits.check(activity) {
            Ok(()) => save().await.map_err(PortalError::from),
            Err(refusal) => {
                tracing::warn!(
                    customer = who.customer_id(),
                    ?refusal,
                    "portal: payment method refused by the card-testing limits"
                );
                Err(PortalError::PaymentMethodLimit { refusal, field })
            }
        },
        Err(err) => Err(err),
    };
    match &outcome {
        Err(PortalError::Billing(BillingError::Gateway(GatewayError::Declined(code)))) => {
            record_decline(svc, who, attempt.id, client_ip, *code, now).await?;
        }
        _ => {
            payment_method_decline::Entity::delete_by_id(attempt.id)
                .exec(&crate::db::writer(&svc.db))
                .await?;
        }
    }
    outcome
}

/// What marks an attempt still under way; it counts like a refusal meanwhile.
const PENDING: &str = "pending";

/// The customer's and the address's attempts since `since` (the caller's own excluded) and
/// the customer's saved methods.
async fn activity(
    svc: &PortalService,
    who: &PortalCustomer,
    client_ip: Option<&str>,
    since: chrono::DateTime<chrono::Utc>,
) -> Result<PaymentMethodActivity, PortalError> {
    let recent = || {
        payment_method_decline::Entity::find()
            .filter(payment_method_decline::Column::CreatedAt.gt(since))
    };
    let customer_attempts = recent()
        .filter(payment_method_decline::Column::CustomerId.eq(who.customer_id()))
        .count(&svc.db)
        .await?;
    let client_attempts = match client_ip {
        Some(ip) => {
            recent()
                .filter(payment_method_decline::Column::ClientIp.eq(ip))
                .count(&svc.db)
                .await?
        }
        None => 1,
    };
    let saved = payment_method::Entity::find()
        .filter(payment_method::Column::OrganizationId.eq(who.org_id()))
        .filter(payment_method::Column::CustomerId.eq(who.customer_id()))
        .filter(payment_method::Column::RemovedAt.is_null())
        .count(&svc.db)
        .await?;
    Ok(PaymentMethodActivity {
        customer_declines: customer_attempts.saturating_sub(1),
        client_declines: client_attempts.saturating_sub(1),
        saved,
    })
}

/// Keeps the attempt as a refusal, and tells the merchant: an audit row (the console's
/// audit log) and the `dunwell_payment_method_declines_total` metric.
async fn record_decline(
    svc: &PortalService,
    who: &PortalCustomer,
    attempt_id: i64,
    client_ip: Option<String>,
    code: DeclineCode,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), PortalError> {
    let customer = crate::entity::customer::Entity::find_by_id(who.customer_id())
        .one(&svc.db)
        .await?
        .ok_or(PortalError::NotFound)?;
    let txn = crate::db::begin_write(&svc.db).await?;
    payment_method_decline::Entity::update_many()
        .col_expr(
            payment_method_decline::Column::DeclineCode,
            sea_orm::sea_query::Expr::value(code.as_str()),
        )
        .filter(payment_method_decline::Column::Id.eq(attempt_id))
        .exec(&txn)
        .await?;
    let details = serde_json::json!({
        "customer": customer.public_id,
        "decline_code": code.as_str(),
        "client_ip": client_ip,
    });
    let action = "payment_method.declined";
    super::audit::record(
        &txn,
        who.org_id(),
        &customer.public_id,
        action,
        details,
        now,
    )
    .await?;
    txn.commit().await?;
    metrics::counter!("dunwell_payment_method_declines_total", "decline_code" => code.as_str())
        .increment(1);
    Ok(())
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

/// The customer's saved methods, default first, then newest.
pub(super) async fn saved_methods(
    db: &impl ConnectionTrait,
    who: &PortalCustomer,
    today: chrono::NaiveDate,
) -> Result<Vec<MethodView>, PortalError> {
    let rows = payment_method::Entity::find()
        .filter(payment_method::Column::OrganizationId.eq(who.org_id()))
        .filter(payment_method::Column::CustomerId.eq(who.customer_id()))
        .filter(payment_method::Column::RemovedAt.is_null())
        .order_by_desc(payment_method::Column::IsDefault)
        .order_by_desc(payment_method::Column::CreatedAt)
        .all(db)
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
            Ok(MethodView {
                id: pm.public_id,
                kind: PaymentMethodKind::parse(&pm.kind)
                    .map_err(|e| BillingError::corrupt("payment_methods.kind", e))?,
                brand: pm.brand,
                last4: pm.last4,
                expiry: expiry.map(|e| format!("{:02}/{:02}", e.month(), e.year() % 100)),
                is_default: pm.is_default,
                is_expired: expiry.is_some_and(|e| e.is_expired_on(today)),
            })
        })
        .collect::<Result<Vec<_>, BillingError>>()?;
    Ok(methods)
}

impl PortalService {
    /// The organization's "now" (its test clock included).
    pub(crate) async fn org_now(
        &self,
        org_id: i64,
    ) -> Result<chrono::DateTime<chrono::Utc>, PortalError> {
        self.org_now_on(&self.db, org_id).await
    }

    /// [`Self::org_now`] read on `db` (a write transaction: read once the request may
    /// write, and on its connection, which an in-memory SQLite database has only one of).
    pub(crate) async fn org_now_on(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        org_id: i64,
    ) -> Result<chrono::DateTime<chrono::Utc>, PortalError> {
        let org = organization::Entity::find_by_id(org_id)
            .one(db)
            .await?
            .ok_or(PortalError::NotFound)?;
        Ok(org_time(self.now(), org.clock_offset_seconds))
    }

    /// Saved methods, default first.
    pub async fn payment_methods(
        &self,
        who: &PortalCustomer,
        change: Option<ChangeQuery>,
    ) -> Result<PaymentMethodsView, PortalError> {
        who.require(PortalPermission::UpdatePaymentMethods)?;
        let now = self.org_now(who.org_id()).await?;
        let methods = saved_methods(&self.db, who, now.date_naive()).await?;
        let (notice, recovery) = match change {
            Some(change) => {
                let since = change.since.max(now - RECOVERY_WINDOW);
                (
                    confirmed(&self.db, who, &change, since).await?,
                    read_recovery(&self.db, who, since).await?,
                )
            }
            None => (None, Vec::new()),
        };
        Ok(PaymentMethodsView {
            methods,
            past_due: past_due(&self.db, who).await?,
            notice,
            recovery,
        })
    }

    /// Saves a card through the engine (only brand, last 4, expiry and token are stored),
    /// within the card-testing limits.
    pub async fn add_card(
        &self,
        who: &PortalCustomer,
        card: NewCard,
        ip: Option<IpAddr>,
    ) -> Result<MethodChange, PortalError> {
        who.require(PortalPermission::UpdatePaymentMethods)?;
        let since = self.org_now(who.org_id()).await?;
        let added = limited(self, who, ip, "number", || {
            self.engine.add_card(
                who.org_id(),
                who.customer_id(),
                &card.number,
                card.expiry,
                &card.holder,
                card.make_default,
            )
        })
        .await?;
        Ok(change(since, &added.recovery))
    }

    /// Saves a SEPA mandate, within the same limits as a card.
    pub async fn add_sepa(
        &self,
        who: &PortalCustomer,
        sepa: NewSepa,
        ip: Option<IpAddr>,
    ) -> Result<MethodChange, PortalError> {
        who.require(PortalPermission::UpdatePaymentMethods)?;
        let since = self.org_now(who.org_id()).await?;
        let added = limited(self, who, ip, "iban", || {
            self.engine.add_sepa(
                who.org_id(),
                who.customer_id(),
                &sepa.iban,
                &sepa.holder,
                sepa.make_default,
            )
        })
        .await?;
        Ok(change(since, &added.recovery))
    }

    /// Makes a method the default; the engine retries past-due invoices on it once.
    pub async fn set_default(
        &self,
        who: &PortalCustomer,
        id: &PaymentMethodId,
    ) -> Result<MethodChange, PortalError> {
        who.require(PortalPermission::UpdatePaymentMethods)?;
        let pm = own_method(self, who, id).await?;
        let since = self.org_now(who.org_id()).await?;
        let outcomes = self
            .engine
            .set_default_payment_method(who.org_id(), who.customer_id(), &pm.public_id)
            .await?;
        Ok(change(since, &outcomes))
    }

    /// Removes a method (soft delete). The default stays while a subscription still bills.
    pub async fn remove_method(
        &self,
        who: &PortalCustomer,
        id: &PaymentMethodId,
    ) -> Result<MethodChange, PortalError> {
        who.require(PortalPermission::UpdatePaymentMethods)?;
        let pm = own_method(self, who, id).await?;
        let since = self.org_now(who.org_id()).await?;
        if pm.is_default {
            let billing = subscription::Entity::find()
                .filter(subscription::Column::OrganizationId.eq(who.org_id()))
                .filter(subscription::Column::CustomerId.eq(who.customer_id()))
                .filter(
                    subscription::Column::Status
                        .is_in(SubscriptionStatus::billing().map(SubscriptionStatus::as_str)),
                )
                .one(&self.db)
                .await?;
            if billing.is_some() {
                return Err(PortalError::DefaultInUse);
            }
        }
        // Once: of two removals at the same moment, only the one that removes it says so.
        let txn = crate::db::begin_write(&self.db).await?;
        let removed = payment_method::Entity::update_many()
            .col_expr(payment_method::Column::RemovedAt, Expr::value(Some(since)))
            .col_expr(payment_method::Column::IsDefault, Expr::value(false))
            .filter(payment_method::Column::Id.eq(pm.id))
            .filter(payment_method::Column::RemovedAt.is_null())
            .exec(&txn)
            .await?;
        if removed.rows_affected == 1 {
            crate::events::payment_method_changed(
                &txn,
                domain::EventKind::PaymentMethodDetached,
                pm.id,
                since,
            )
            .await?;
        }
        txn.commit().await?;
        Ok(change(since, &[]))
    }
}
