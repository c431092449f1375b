//! Shared set-up for the billing service tests: an organization "acme" with its portal
//! enabled, a monthly €29 plan, and Giulia (Italian) with an active subscription whose
//! period ends at [`t0`].

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use domain::{CardNumber, ExpiryDate};
use dunwell::billing::{BillingEngine, FixedClock, PaymentGateway, SandboxGateway};
use dunwell::entity::{
    customer, invoice, organization, outbound_email, payment_attempt, payment_method, plan,
    portal_settings, subscription,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use std::sync::Arc;

pub const PUBLIC_URL: &str = "https://billing.test";
pub const PORTAL_KEY: &str = "pk_test_0123456789";

/// When Giulia's renewal is due.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
}

pub fn days(n: i64) -> TimeDelta {
    TimeDelta::days(n)
}

pub struct Fixture {
    pub db: DatabaseConnection,
    pub engine: BillingEngine,
    pub gateway: Arc<SandboxGateway>,
    pub clock: Arc<FixedClock>,
    pub org: organization::Model,
    pub plan: plan::Model,
    pub customer: customer::Model,
    pub sub: subscription::Model,
}

pub fn engine_on(
    db: &DatabaseConnection,
    clock: Arc<FixedClock>,
) -> (BillingEngine, Arc<SandboxGateway>) {
    let gateway = Arc::new(SandboxGateway::new(db.clone()));
    let engine = BillingEngine::new(
        db.clone(),
        gateway.clone() as Arc<dyn PaymentGateway>,
        clock,
        PUBLIC_URL,
    );
    (engine, gateway)
}

pub async fn setup(db: &DatabaseConnection) -> Fixture {
    let clock = Arc::new(FixedClock::new(t0()));
    let org = dunwell::orgs::create(db, "acme", "Acme", true, t0() - days(90))
        .await
        .unwrap();
    let settings = portal_settings::Entity::find()
        .filter(portal_settings::Column::OrganizationId.eq(org.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut settings: portal_settings::ActiveModel = settings.into();
    settings.enabled = Set(true);
    settings.portal_key = Set(Some(PORTAL_KEY.to_owned()));
    settings.company_name = Set("Acme S.r.l.".to_owned());
    settings.update(db).await.unwrap();
    let plan = plan::ActiveModel {
        public_id: Set("plan_aaaaaaaaaaaaaaaa".into()),
        organization_id: Set(org.id),
        name: Set("Pro".into()),
        amount_minor: Set(2900),
        currency: Set("EUR".into()),
        interval: Set("month".into()),
        created_at: Set(t0() - days(90)),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let customer = add_customer(db, &org, "giulia@example.com", "Giulia Rossi", "it").await;
    let sub = add_subscription(db, &org, &plan, &customer, t0()).await;
    let (engine, gateway) = engine_on(db, clock.clone());
    Fixture {
        db: db.clone(),
        engine,
        gateway,
        clock,
        org,
        plan,
        customer,
        sub,
    }
}

pub async fn add_customer(
    db: &DatabaseConnection,
    org: &organization::Model,
    email: &str,
    name: &str,
    locale: &str,
) -> customer::Model {
    customer::ActiveModel {
        public_id: Set(
            domain::CustomerId::from_random(dunwell::secret::random_bytes()).to_string(),
        ),
        organization_id: Set(org.id),
        email: Set(email.into()),
        name: Set(name.into()),
        locale: Set(locale.into()),
        created_at: Set(t0() - days(60)),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
}

pub async fn add_subscription(
    db: &DatabaseConnection,
    org: &organization::Model,
    plan: &plan::Model,
    customer: &customer::Model,
    period_end: DateTime<Utc>,
) -> subscription::Model {
    subscription::ActiveModel {
        public_id: Set(
            domain::SubscriptionId::from_random(dunwell::secret::random_bytes()).to_string(),
        ),
        organization_id: Set(org.id),
        customer_id: Set(customer.id),
        plan_id: Set(plan.id),
        status: Set("active".into()),
        current_period_start: Set(period_end - days(28)),
        current_period_end: Set(period_end),
        cancel_at_period_end: Set(false),
        cancel_reason: Set(None),
        cancel_comment: Set(None),
        canceled_at: Set(None),
        created_at: Set(t0() - days(60)),
        updated_at: Set(t0() - days(60)),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
}

impl Fixture {
    /// Saves a card for Giulia (or `customer`) as her default; `exp` like "02/26".
    pub async fn card(&self, customer: &customer::Model, number: &str, exp: &str) -> String {
        self.add_card(customer, number, exp, true)
            .await
            .payment_method_id
    }

    /// Saves a card for `customer` through the engine, as the portal does: as the
    /// default (running its instant recovery) or not.
    pub async fn add_card(
        &self,
        customer: &customer::Model,
        number: &str,
        exp: &str,
        make_default: bool,
    ) -> dunwell::billing::AddedPaymentMethod {
        self.engine
            .add_card(
                self.org.id,
                customer.id,
                &CardNumber::parse(number).unwrap(),
                ExpiryDate::parse(exp).unwrap(),
                &domain::CardholderName::parse("Giulia Rossi").unwrap(),
                make_default,
            )
            .await
            .unwrap()
    }

    pub async fn sub(&self) -> subscription::Model {
        subscription::Entity::find_by_id(self.sub.id)
            .one(&self.db)
            .await
            .unwrap()
            .unwrap()
    }

    pub async fn invoices(&self) -> Vec<invoice::Model> {
        invoice::Entity::find()
            .order_by_asc(invoice::Column::Id)
            .all(&self.db)
            .await
            .unwrap()
    }

    pub async fn invoice(&self) -> invoice::Model {
        let all = self.invoices().await;
        assert_eq!(all.len(), 1, "exactly one invoice");
        all.into_iter().next().unwrap()
    }

    pub async fn attempts(&self) -> Vec<payment_attempt::Model> {
        payment_attempt::Entity::find()
            .order_by_asc(payment_attempt::Column::Id)
            .all(&self.db)
            .await
            .unwrap()
    }

    pub async fn emails(&self) -> Vec<outbound_email::Model> {
        outbound_email::Entity::find()
            .order_by_asc(outbound_email::Column::Id)
            .all(&self.db)
            .await
            .unwrap()
    }

    pub async fn email_kinds(&self) -> Vec<String> {
        self.emails().await.into_iter().map(|e| e.kind).collect()
    }

    pub async fn methods(&self) -> Vec<payment_method::Model> {
        payment_method::Entity::find()
            .order_by_asc(payment_method::Column::Id)
            .all(&self.db)
            .await
            .unwrap()
    }

    /// Runs the engine at `at` (the clock is moved there first).
    pub async fn run_at(&self, at: DateTime<Utc>) -> dunwell::billing::RunReport {
        self.clock.set(at);
        self.engine.run_once(at).await.unwrap()
    }

    /// Changes how the sandbox treats a saved method from now on (e.g. the customer topped
    /// up their account): `succeed`, `always_decline`, `decline:<code>`.
    pub async fn set_behavior(&self, pm_public_id: &str, behavior: &str) {
        let pm = payment_method::Entity::find()
            .filter(payment_method::Column::PublicId.eq(pm_public_id))
            .one(&self.db)
            .await
            .unwrap()
            .unwrap();
        dunwell::entity::sandbox_gateway_token::Entity::update_many()
            .col_expr(
                dunwell::entity::sandbox_gateway_token::Column::Behavior,
                Expr::value(behavior),
            )
            .filter(dunwell::entity::sandbox_gateway_token::Column::Token.eq(pm.gateway_token))
            .exec(&self.db)
            .await
            .unwrap();
    }

    pub async fn set_final_action(&self, action: &str) {
        organization::Entity::update_many()
            .col_expr(
                organization::Column::DunningFinalAction,
                Expr::value(action),
            )
            .filter(organization::Column::Id.eq(self.org.id))
            .exec(&self.db)
            .await
            .unwrap();
    }

    pub async fn money_moved(&self) -> u64 {
        self.gateway.successful_charge_count().await.unwrap()
    }
}
