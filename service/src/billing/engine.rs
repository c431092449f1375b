//! The billing engine: one `run_once(now)` pass per organization (renewals, dunning
//! retries, card-expiry reminders) and the customer-facing intents that move money
//! (`set_default_payment_method`, `add_card`, `add_sepa`).
//!
//! Exactly-once charging rests on two things: an invoice attempt is *claimed* with a
//! conditional UPDATE on `attempt_count` before the gateway is called, and the idempotency
//! key sent to the gateway is derived from the invoice and that attempt number. A second
//! caller loses the claim; a caller resuming after a crash re-sends the same key and gets
//! the gateway's first answer instead of a second charge.

mod collect;
mod dunning;
mod pauses;
mod pay_now;
mod plan_changes;
mod record;
mod recovery;
mod reminders;
mod renewal;
mod report;
mod start;

pub(crate) use collect::attempt_recorded;
pub(crate) use pauses::resumed_vars;
pub(crate) use recovery::owed;
pub use recovery::{AddedPaymentMethod, RecoveryOutcome, RecoveryResult};
pub(crate) use renewal::{discount_on, take_invoice_numbers};
pub use report::{ClockReport, RunReport, advance_clock};
pub(crate) use start::Starting;

use super::clock::{Clock, org_time};
use super::error::BillingError;
use super::gateway::{GatewayError, PaymentGateway};
use crate::entity::{customer, organization, outbound_email, payment_method};
use chrono::{DateTime, Utc};
use domain::{DunningPolicy, FinalAction};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use std::sync::Arc;
use tracing::instrument;

/// Rows handled per query, so memory does not grow with the number of subscriptions.
pub(crate) const BATCH: u64 = 500;

/// The billing engine. Cheap to clone; share one per process.
#[derive(Clone)]
pub struct BillingEngine {
    db: DatabaseConnection,
    gateway: Arc<dyn PaymentGateway>,
    clock: Arc<dyn Clock>,
    public_url: String,
}

/// A new invoice's copy of whom it is made out to: the customer's name, billing address and
/// tax ID now, which a later change of theirs does not rewrite.
pub(crate) fn billed_to(c: &customer::Model) -> crate::entity::invoice::ActiveModel {
    use sea_orm::Set;
    crate::entity::invoice::ActiveModel {
        billed_name: Set(Some(c.name.clone())),
        billed_address: Set(Some(c.billing_address.clone())),
        billed_tax_id: Set(c.tax_id.clone()),
        ..Default::default()
    }
}

/// An organization as the engine works on it: its row, its time, its dunning policy.
pub(crate) struct OrgCtx {
    pub org: organization::Model,
    /// The organization's now (the clock plus its test-clock offset).
    pub now: DateTime<Utc>,
    pub policy: DunningPolicy,
}

impl OrgCtx {
    fn new(org: organization::Model, base_now: DateTime<Utc>) -> Result<OrgCtx, BillingError> {
        let final_action = FinalAction::parse(&org.dunning_final_action)
            .map_err(|e| BillingError::corrupt("organizations", e))?;
        let policy = DunningPolicy::parse(&org.dunning_retry_days)
            .map_err(|e| BillingError::corrupt("organizations", e))?
            .with_final_action(final_action);
        let now = org_time(base_now, org.clock_offset_seconds);
        Ok(OrgCtx { org, now, policy })
    }
}

impl BillingEngine {
    /// Tests the payment gateway's connection (moves no money).
    pub async fn check_gateway(&self) -> Result<(), GatewayError> {
        self.gateway.check().await
    }

    /// The dunning policy the next run applies to an organization (read from its settings).
    pub async fn policy_of(&self, org_id: i64) -> Result<DunningPolicy, BillingError> {
        Ok(self.org_ctx(org_id).await?.policy)
    }
}

impl BillingEngine {
    /// An engine charging through `gateway`, telling time with `clock`, and building
    /// links in emails from `public_url` (e.g. `https://billing.example.com`).
    pub fn new(
        db: DatabaseConnection,
        gateway: Arc<dyn PaymentGateway>,
        clock: Arc<dyn Clock>,
        public_url: impl Into<String>,
    ) -> BillingEngine {
        let public_url = public_url.into().trim_end_matches('/').to_owned();
        BillingEngine {
            db,
            gateway,
            clock,
            public_url,
        }
    }

    /// The database connection.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The engine's clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// One pass over every organization at `now` (each shifted by its own test-clock offset).
    /// Item failures are logged and counted in [`RunReport::errors`]; the pass goes on.
    #[instrument(skip(self))]
    pub async fn run_once(&self, now: DateTime<Utc>) -> Result<RunReport, BillingError> {
        let mut total = RunReport::default();
        let mut after = 0i64;
        loop {
            let orgs = organization::Entity::find()
                .filter(organization::Column::Id.gt(after))
                .order_by_asc(organization::Column::Id)
                .limit(BATCH)
                .all(&self.db)
                .await?;
            let Some(last) = orgs.last() else { break };
            after = last.id;
            for org in orgs {
                let slug = org.slug.clone();
                match self.run_org(org, now).await {
                    Ok(report) => total += report,
                    Err(err) => {
                        tracing::error!(org = %slug, error = %err, "billing run failed for organization");
                        total.errors += 1;
                    }
                }
            }
        }
        Ok(total)
    }

    /// One pass over one organization.
    pub(crate) async fn run_org(
        &self,
        org: organization::Model,
        now: DateTime<Utc>,
    ) -> Result<RunReport, BillingError> {
        let ctx = OrgCtx::new(org, now)?;
        let emails_before = self.count_emails(ctx.org.id).await?;
        let mut report = RunReport::default();
        self.end_pauses(&ctx, &mut report).await?;
        self.apply_scheduled_changes(&ctx).await?;
        self.run_renewals(&ctx, &mut report).await?;
        self.run_dunning(&ctx, &mut report).await?;
        self.run_reminders(&ctx, &mut report).await?;
        report.emails_queued = self
            .count_emails(ctx.org.id)
            .await?
            .saturating_sub(emails_before);
        Ok(report)
    }

    async fn count_emails(&self, org_id: i64) -> Result<u64, BillingError> {
        Ok(outbound_email::Entity::find()
            .filter(outbound_email::Column::OrganizationId.eq(org_id))
            .count(&self.db)
            .await?)
    }

    async fn org_ctx(&self, org_id: i64) -> Result<OrgCtx, BillingError> {
        let org = organization::Entity::find_by_id(org_id)
            .one(&self.db)
            .await?
            .ok_or(BillingError::UnknownOrganization)?;
        OrgCtx::new(org, self.clock.now())
    }
}

/// The customer's current default payment method, if any.
pub(crate) async fn default_method(
    db: &impl ConnectionTrait,
    customer_id: i64,
) -> Result<Option<payment_method::Model>, BillingError> {
    Ok(payment_method::Entity::find()
        .filter(payment_method::Column::CustomerId.eq(customer_id))
        .filter(payment_method::Column::IsDefault.eq(true))
        .filter(payment_method::Column::RemovedAt.is_null())
        .order_by_desc(payment_method::Column::Id)
        .one(db)
        .await?)
}

pub(crate) async fn load_customer(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<customer::Model, BillingError> {
    customer::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(BillingError::UnknownCustomer)
}
