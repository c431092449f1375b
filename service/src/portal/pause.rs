//! Pausing from the portal (permission: pause subscription): a pause is asked for from the
//! period's end until a day within the merchant's longest pause, withdrawn before it
//! begins, or ended at once, which starts a new period and charges it on the default
//! method as a new subscription's first invoice is charged. The engine begins and ends
//! pauses on their days (`billing::engine::pauses`).
use super::account::{own_subscription, subscription_view};
use super::{PortalError, PortalService};
use crate::billing::outbox;
use crate::billing::templates::format_date;
use crate::billing::{EmailKind, RecoveryResult, TemplateVars};
use crate::entity::{customer, organization, plan, portal_settings, subscription};
use crate::portal::PortalCustomer;
use chrono::{DateTime, Utc};
use domain::{
    EventKind, Locale, PauseChoice, PauseLimit, PortalPermission, SubscriptionStatus, pause_choice,
    period_billed, resume_window,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use wire::portal::{PausableView, PauseOffer, PauseView};

/// The merchant's longest pause (the default when the stored value is out of range).
async fn pause_limit(db: &impl ConnectionTrait, org_id: i64) -> Result<PauseLimit, PortalError> {
    let days = portal_settings::Entity::find()
        .filter(portal_settings::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .map(|s| s.pause_max_days);
    Ok(days
        .and_then(|d| PauseLimit::new(i64::from(d)).ok())
        .unwrap_or(PauseLimit::DEFAULT))
}

/// What `sub` offers at `now` (`None`: a status that does not parse).
fn choice_of(sub: &subscription::Model, now: DateTime<Utc>) -> Option<PauseChoice> {
    Some(pause_choice(
        SubscriptionStatus::parse(&sub.status).ok()?,
        period_billed(
            sub.current_period_start,
            sub.current_period_end,
            sub.trial_end,
        ),
        sub.cancel_at_period_end,
        sub.pause_resumes_at.is_some(),
        sub.current_period_end,
        now,
    ))
}

impl PortalService {
    /// The customer's subscriptions that can be paused, have a pause to withdraw, or are
    /// paused, newest first, each with what it offers.
    pub async fn pause_view(&self, who: &PortalCustomer) -> Result<PauseView, PortalError> {
        who.require(PortalPermission::PauseSubscription)?;
        let now = self.org_now(who.org_id()).await?;
        let limit = pause_limit(&self.db, who.org_id()).await?;
        let subs = subscription::Entity::find()
            .filter(subscription::Column::OrganizationId.eq(who.org_id()))
            .filter(subscription::Column::CustomerId.eq(who.customer_id()))
            .filter(subscription::Column::Status.is_in([
                SubscriptionStatus::Active.as_str(),
                SubscriptionStatus::Paused.as_str(),
            ]))
            .order_by_desc(subscription::Column::CreatedAt)
            .find_also_related(plan::Entity)
            .all(&self.db)
            .await?;
        let subscriptions = subs
            .into_iter()
            .filter_map(|(s, p)| {
                let offer = match choice_of(&s, now)? {
                    PauseChoice::Pause => {
                        let (first, last) = resume_window(s.current_period_end, limit);
                        PauseOffer::Pause {
                            first: first.to_string(),
                            last: last.to_string(),
                            max_days: limit.days(),
                        }
                    }
                    PauseChoice::Withdraw => PauseOffer::Withdraw,
                    PauseChoice::Resume => PauseOffer::Resume,
                    PauseChoice::Neither => return None,
                };
                Some(PausableView {
                    subscription: subscription_view(&s, &p?)?,
                    offer,
                })
            })
            .collect();
        Ok(PauseView { subscriptions })
    }

    /// Asks for a pause of subscription `public_id` from its period's end until
    /// `resumes_on` (`YYYY-MM-DD`, checked by `domain::resume_on` against the merchant's
    /// longest pause). The "paused" email says both dates.
    pub async fn pause_subscription(
        &self,
        who: &PortalCustomer,
        public_id: &str,
        resumes_on: &str,
    ) -> Result<(), PortalError> {
        who.require(PortalPermission::PauseSubscription)?;
        let limit = pause_limit(&self.db, who.org_id()).await?;
        let txn = crate::db::begin_write(&self.db).await?;
        // The time once this request may write: a renewal that got there first has moved
        // the period on, or made it due (then there is nothing left to pause).
        let now = self.org_now_on(&txn, who.org_id()).await?;
        let sub = own_subscription(&txn, who, public_id).await?;
        if choice_of(&sub, now) != Some(PauseChoice::Pause) {
            return Err(PortalError::NotCancelable);
        }
        let resumes_at = domain::resume_on(resumes_on, sub.current_period_end, limit)
            .map_err(PortalError::Pause)?;
        if !crate::subscriptions::ask_pause(&txn, sub.id, resumes_at, now, self.now()).await? {
            return Err(PortalError::NotCancelable);
        }
        let (org, customer, plan) = self.parties(&txn, who, &sub).await?;
        let locale = Locale::parse(&customer.locale).unwrap_or_default();
        let mut vars = TemplateVars::new();
        vars.insert("plan_name".into(), plan.name.clone());
        vars.insert(
            "pause_starts".into(),
            format_date(sub.current_period_end.date_naive(), locale),
        );
        vars.insert(
            "resume_date".into(),
            format_date(resumes_at.date_naive(), locale),
        );
        let public_url = self.config.public_url.as_str();
        let kind = EmailKind::SubscriptionPaused;
        outbox::queue_customer_email(&txn, public_url, &org, &customer, kind, vars, now).await?;
        let event = EventKind::SubscriptionUpdated;
        crate::events::subscription_changed(&txn, event, sub.id, self.now()).await?;
        let details = serde_json::json!({
            "subscription": sub.public_id,
            "pause_starts": sub.current_period_end.date_naive().to_string(),
            "resumes_on": resumes_at.date_naive().to_string(),
        });
        let (org_id, id, at) = (customer.organization_id, &customer.public_id, self.now());
        super::audit::record(&txn, org_id, id, "subscription.pause", details, at).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Withdraws a pause that has not begun: the subscription renews as before.
    pub async fn withdraw_pause(
        &self,
        who: &PortalCustomer,
        public_id: &str,
    ) -> Result<(), PortalError> {
        who.require(PortalPermission::PauseSubscription)?;
        let txn = crate::db::begin_write(&self.db).await?;
        let now = self.org_now_on(&txn, who.org_id()).await?;
        let sub = own_subscription(&txn, who, public_id).await?;
        if !crate::subscriptions::withdraw_pause(&txn, sub.id, now, self.now()).await? {
            return Err(PortalError::NotCancelable);
        }
        let event = EventKind::SubscriptionUpdated;
        crate::events::subscription_changed(&txn, event, sub.id, self.now()).await?;
        let (_, customer, _) = self.parties(&txn, who, &sub).await?;
        let details = serde_json::json!({ "subscription": sub.public_id });
        let (org_id, id, at) = (customer.organization_id, &customer.public_id, self.now());
        super::audit::record(
            &txn,
            org_id,
            id,
            "subscription.pause_withdrawn",
            details,
            at,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Ends the pause of subscription `public_id` now: a new period begins, its invoice is
    /// written with the change and charged on the default method after the commit (as a
    /// new subscription's first invoice). Refused without a default method: nothing would
    /// pay the invoice the resume makes.
    pub async fn resume_paused(
        &self,
        who: &PortalCustomer,
        public_id: &str,
    ) -> Result<RecoveryResult, PortalError> {
        who.require(PortalPermission::PauseSubscription)?;
        let txn = crate::db::begin_write(&self.db).await?;
        let now = self.org_now_on(&txn, who.org_id()).await?;
        let sub = own_subscription(&txn, who, public_id).await?;
        if !crate::subscriptions::end_pause(&txn, sub.id, now, self.now()).await? {
            return Err(PortalError::NotCancelable);
        }
        // Refused (and rolled back with the transaction) when nothing would pay the invoice.
        if crate::billing::engine::default_method(&txn, who.customer_id())
            .await?
            .is_none()
        {
            return Err(PortalError::Billing(
                crate::billing::BillingError::NoPaymentMethod,
            ));
        }
        let sub = subscription::Entity::find_by_id(sub.id)
            .one(&txn)
            .await?
            .ok_or(PortalError::NotFound)?;
        let (org, customer, plan) = self.parties(&txn, who, &sub).await?;
        let parties = (&org, &customer, &plan);
        let invoice = self
            .open_invoice(&txn, parties, &sub, now, |engine, batch, s, number| {
                let invoice = engine.open_first_invoice(batch, s, number)?;
                let vars = crate::billing::engine::resumed_vars(s.plan, s.customer, s.now)?;
                let email = s
                    .mail
                    .email(s.customer, EmailKind::SubscriptionUnpaused, vars)?;
                outbox::queue_emails_in(batch, vec![email], s.now);
                Ok(invoice)
            })
            .await?;
        let event = EventKind::SubscriptionResumed;
        crate::events::subscription_changed(&txn, event, sub.id, self.now()).await?;
        let details = serde_json::json!({ "subscription": sub.public_id, "invoice": invoice });
        let (org_id, id, at) = (customer.organization_id, &customer.public_id, self.now());
        super::audit::record(&txn, org_id, id, "subscription.unpause", details, at).await?;
        txn.commit().await?;
        match self.engine.charge_first_invoice(org.id, &invoice).await {
            Ok(result) => Ok(result),
            // Resumed and invoiced: the renewal run resumes the charge, with the same key.
            Err(err) => {
                tracing::error!(subscription = %sub.public_id, error = %err, "resume charge failed");
                Ok(RecoveryResult::Pending)
            }
        }
    }

    /// Opens an invoice of `sub` (on `plan`, the customer having a default method) in
    /// `txn`, numbered next: `write` puts it and what goes with it into one batch, which runs
    /// before this returns the invoice's public id (charged after the commit).
    pub(super) async fn open_invoice(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        (org, customer, plan): (&organization::Model, &customer::Model, &plan::Model),
        sub: &subscription::Model,
        now: DateTime<Utc>,
        write: impl FnOnce(
            &crate::billing::BillingEngine,
            &mut crate::db::Batch,
            &crate::billing::engine::Starting<'_>,
            String,
        ) -> Result<String, crate::billing::BillingError>,
    ) -> Result<String, PortalError> {
        let mail = self.engine.mailroom(txn, org).await?;
        let number = crate::billing::engine::take_invoice_numbers(txn, org, 1)
            .await?
            .pop()
            .ok_or(PortalError::NotFound)?;
        let starting = crate::billing::engine::Starting {
            org,
            sub,
            customer,
            plan,
            mail: &mail,
            has_method: true,
            now,
        };
        let mut batch = crate::db::Batch::default();
        let invoice = write(&self.engine, &mut batch, &starting, number)?;
        batch.run(txn).await?;
        Ok(invoice)
    }

    /// The organization, the customer and the plan of `sub`.
    pub(super) async fn parties(
        &self,
        db: &impl ConnectionTrait,
        who: &PortalCustomer,
        sub: &subscription::Model,
    ) -> Result<(organization::Model, customer::Model, plan::Model), PortalError> {
        let org = organization::Entity::find_by_id(who.org_id())
            .one(db)
            .await?
            .ok_or(PortalError::NotFound)?;
        let customer = customer::Entity::find_by_id(who.customer_id())
            .one(db)
            .await?
            .ok_or(PortalError::NotFound)?;
        let plan = plan::Entity::find_by_id(sub.plan_id)
            .one(db)
            .await?
            .ok_or(PortalError::NotFound)?;
        Ok((org, customer, plan))
    }
}
