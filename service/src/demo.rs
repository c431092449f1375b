//! Demo data: "Acme Cloud" with 25 customers and months of billing history. The history
//! is the billing engine's own output: customers and subscriptions are created in the
//! past (the organization's test clock is set back), then the engine runs forward day by
//! day to today, so invoices, payments, declines and emails come from the real code paths.
mod logo;
pub mod people;

use crate::billing::BillingEngine;
use crate::config::Config;
use crate::entity::{
    brand_asset, customer, organization, plan, portal_settings, staff_user, subscription,
};
use crate::{orgs, secret, staff};
use chrono::{DateTime, Datelike, Duration, Months, Utc};
use domain::{
    CardNumber, CustomerId, EmailAddress, ExpiryDate, Iban, PlanId, PortalKey, StaffRole,
    SubscriptionId,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, Set,
};
use sha2::{Digest, Sha256};

/// The demo organization's slug.
pub const DEMO_ORG_SLUG: &str = "acme";
/// The demo owner's sign-in.
pub const DEMO_OWNER_EMAIL: &str = "owner@acme.test";
/// The demo viewer's sign-in: sees every console page, changes nothing.
pub const DEMO_VIEWER_EMAIL: &str = "viewer@acme.test";
/// The customer of the product's scenario.
pub const GIULIA_EMAIL: &str = "giulia@example.com";
/// How far back the demo history starts.
pub const HISTORY_DAYS: i64 = 200;
/// Acme's brand colour.
pub const ACME_COLOR: &str = "#0f766e";

/// What a successful load tells the person who started it.
#[derive(Debug)]
pub struct DemoLoaded {
    pub owner_email: String,
    /// Present when generated (printed once); absent when taken from `DUNWELL_ADMIN_PASSWORD`.
    pub owner_password: Option<String>,
    pub viewer_email: String,
    /// Present when generated (printed once); absent when taken from `DUNWELL_VIEWER_PASSWORD`.
    pub viewer_password: Option<String>,
    pub portal_url: String,
}

/// Why the demo could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "the database already has data; `dunwell demo` only loads into an empty database (nothing was changed)"
    )]
    NotEmpty,
    #[error("demo data: {0}")]
    Staff(#[from] staff::StaffError),
    #[error("demo data: billing engine failed ({0})")]
    Billing(String),
    #[error("demo data: database error ({0})")]
    Db(#[from] sea_orm::DbErr),
}

/// A demo password from the environment variable `var`, or a generated one (`true`: to
/// print once).
fn password_from_env(var: &str) -> (String, bool) {
    match std::env::var(var) {
        Ok(p) if !p.is_empty() => (p, false),
        _ => (secret::generate_password(), true),
    }
}

/// Whether the database holds no organization and no staff account.
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, sea_orm::DbErr> {
    Ok(organization::Entity::find().count(db).await? == 0
        && staff_user::Entity::find().count(db).await? == 0)
}

/// Loads the demo unless the database has data (`serve` with demo mode on).
pub async fn load_if_empty(
    db: &DatabaseConnection,
    config: &Config,
    engine: &BillingEngine,
) -> Result<Option<DemoLoaded>, DemoError> {
    if !is_empty(db).await? {
        return Ok(None);
    }
    load(db, config, engine).await.map(Some)
}

/// Loads the demo; refuses a database that has data (`dunwell demo`).
pub async fn load_into_empty(
    db: &DatabaseConnection,
    config: &Config,
    engine: &BillingEngine,
) -> Result<DemoLoaded, DemoError> {
    if !is_empty(db).await? {
        return Err(DemoError::NotEmpty);
    }
    load(db, config, engine).await
}

/// The demo, step by step: the staff accounts, Acme's branded portal and plans, the
/// customers with their payment methods and subscriptions, then the engine runs the
/// history forward to today.
async fn load(
    db: &DatabaseConnection,
    config: &Config,
    engine: &BillingEngine,
) -> Result<DemoLoaded, DemoError> {
    let now = Utc::now();
    let time = Timeline {
        now,
        start: now - Duration::days(HISTORY_DAYS),
    };
    let accounts = staff_accounts(db).await?;
    let (org, key, plans) = branded_organization(db, time).await?;
    for (i, person) in people::PEOPLE.iter().enumerate() {
        let plan = &plans[i % plans.len()];
        add_customer(db, engine, &org, plan, i, person, time).await?;
    }
    engine
        .advance_clock(DEMO_ORG_SLUG, HISTORY_DAYS as u32)
        .await
        .map_err(|e| DemoError::Billing(e.to_string()))?;
    Ok(DemoLoaded {
        owner_email: DEMO_OWNER_EMAIL.into(),
        owner_password: accounts.owner_generated.then_some(accounts.owner_password),
        viewer_email: DEMO_VIEWER_EMAIL.into(),
        viewer_password: accounts
            .viewer_generated
            .then_some(accounts.viewer_password),
        portal_url: config.public_url.join(&format!("/portal/{}", key.as_str())),
    })
}

/// Today, and the day the demo history starts.
#[derive(Debug, Clone, Copy)]
struct Timeline {
    now: DateTime<Utc>,
    start: DateTime<Utc>,
}

/// The demo's two staff passwords, and whether each was generated (to print once).
struct StaffAccounts {
    owner_password: String,
    owner_generated: bool,
    viewer_password: String,
    viewer_generated: bool,
}

/// The owner and the viewer of the demo organization (which this creates).
async fn staff_accounts(db: &DatabaseConnection) -> Result<StaffAccounts, DemoError> {
    let (owner_password, owner_generated) = password_from_env("DUNWELL_ADMIN_PASSWORD");
    let owner = EmailAddress::parse(DEMO_OWNER_EMAIL).expect("the demo owner's email is valid");
    staff::create_staff(db, DEMO_ORG_SLUG, &owner, &owner_password, StaffRole::Owner).await?;
    let (viewer_password, viewer_generated) = password_from_env("DUNWELL_VIEWER_PASSWORD");
    let viewer = EmailAddress::parse(DEMO_VIEWER_EMAIL).expect("the demo viewer's email is valid");
    staff::create_staff(
        db,
        DEMO_ORG_SLUG,
        &viewer,
        &viewer_password,
        StaffRole::Viewer,
    )
    .await?;
    Ok(StaffAccounts {
        owner_password,
        owner_generated,
        viewer_password,
        viewer_generated,
    })
}

/// Acme Cloud, taking payments, its clock set back to the start of the history, with its
/// portal enabled and branded (name, colour, logo) and three monthly plans. One transaction.
async fn branded_organization(
    db: &DatabaseConnection,
    time: Timeline,
) -> Result<(organization::Model, PortalKey, Vec<plan::Model>), DemoError> {
    let txn = crate::db::begin_write(db).await?;
    let org = orgs::find_by_slug(&txn, DEMO_ORG_SLUG)
        .await?
        .expect("create_staff created the organization");
    let mut active = org.clone().into_active_model();
    active.name = Set("Acme Cloud".into());
    active.payments_active = Set(true);
    active.gateway = Set(Some("sandbox".into()));
    // Start the organization's clock HISTORY_DAYS ago; the engine brings it to today.
    active.clock_offset_seconds = Set(-HISTORY_DAYS * 86_400);
    let org = active.update(&txn).await?;
    let key = brand_portal(&txn, &org, time.now).await?;
    let mut plans = Vec::new();
    for (name, amount) in [("Starter", 900), ("Team", 2900), ("Business", 7900)] {
        let p = plan::ActiveModel {
            public_id: Set(PlanId::from_random(secret::random_bytes()).to_string()),
            organization_id: Set(org.id),
            name: Set(name.into()),
            amount_minor: Set(amount),
            currency: Set("EUR".into()),
            interval: Set("month".into()),
            created_at: Set(time.start),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        plans.push(p);
    }
    // Customers may move between the three plans, 1 to 10 seats.
    let ids: Vec<&str> = plans.iter().map(|p| p.public_id.as_str()).collect();
    portal_settings::Entity::update_many()
        .col_expr(portal_settings::Column::PermChangePlan, Expr::value(true))
        .col_expr(
            portal_settings::Column::SwitchPrices,
            Expr::value(ids.join(" ")),
        )
        .col_expr(portal_settings::Column::QuantityMin, Expr::value(1))
        .col_expr(portal_settings::Column::QuantityMax, Expr::value(10))
        .filter(portal_settings::Column::OrganizationId.eq(org.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok((org, key, plans))
}

/// Enables the organization's portal under a new key, branded with Acme's name, colour and
/// logo, and lets customers cancel and pause (and change plan, once the plans exist).
async fn brand_portal(
    txn: &impl sea_orm::ConnectionTrait,
    org: &organization::Model,
    now: DateTime<Utc>,
) -> Result<PortalKey, DemoError> {
    let logo = logo::acme_logo_png([0x0f, 0x76, 0x6e]);
    let asset = brand_asset::ActiveModel {
        organization_id: Set(org.id),
        content_hash: Set(Sha256::digest(&logo)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()),
        content_type: Set("image/png".into()),
        bytes: Set(logo),
        width: Set(200),
        height: Set(50),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let key = PortalKey::from_random(secret::random_bytes());
    let settings = portal_settings::Entity::find()
        .filter(portal_settings::Column::OrganizationId.eq(org.id))
        .one(txn)
        .await?
        .expect("organization has portal settings");
    let mut settings = settings.into_active_model();
    settings.enabled = Set(true);
    settings.portal_key = Set(Some(key.as_str().to_owned()));
    settings.company_name = Set("Acme Cloud".into());
    settings.primary_color = Set(ACME_COLOR.into());
    settings.logo_asset_id = Set(Some(asset.id));
    settings.perm_cancel_subscription = Set(true);
    settings.perm_pause_subscription = Set(true);
    settings.updated_at = Set(now);
    settings.update(txn).await?;
    Ok(key)
}

/// Customer number `i`: their payment method, tokenized by the gateway like any other, and
/// their subscription to `plan`.
async fn add_customer(
    db: &DatabaseConnection,
    engine: &BillingEngine,
    org: &organization::Model,
    plan: &plan::Model,
    i: usize,
    person: &people::Person,
    time: Timeline,
) -> Result<(), DemoError> {
    let is_giulia = person.email == GIULIA_EMAIL;
    let c = customer::ActiveModel {
        public_id: Set(CustomerId::from_random(secret::random_bytes()).to_string()),
        organization_id: Set(org.id),
        email: Set(person.email.into()),
        name: Set(person.name.into()),
        locale: Set(person.locale.into()),
        created_at: Set(time.start),
        ..Default::default()
    }
    .insert(db)
    .await?;
    add_payment_method(engine, org.id, c.id, i, person, is_giulia, time.now).await?;
    add_subscription(db, org.id, c.id, plan, i, is_giulia, time).await
}

/// Giulia's card expired before her latest renewal (two days ago); every sixth customer
/// pays by SEPA; customer 7's card saves fine but declines every charge.
async fn add_payment_method(
    engine: &BillingEngine,
    org_id: i64,
    customer_id: i64,
    i: usize,
    person: &people::Person,
    is_giulia: bool,
    now: DateTime<Utc>,
) -> Result<(), DemoError> {
    let holder = domain::CardholderName::parse(person.name).expect("a demo name is a valid holder");
    let added = if is_giulia {
        let renewal = now - Duration::days(2);
        let expired = renewal
            .checked_sub_months(Months::new(1))
            .expect("date in range");
        let expiry = ExpiryDate::from_parts(expired.month(), expired.year()).expect("valid month");
        let card = CardNumber::parse("4242 4242 4242 4242").expect("test card");
        engine
            .add_card(org_id, customer_id, &card, expiry, &holder, true)
            .await
    } else if i % 6 == 5 {
        let iban = Iban::parse("DE89 3704 0044 0532 0130 00").expect("test IBAN");
        engine
            .add_sepa(org_id, customer_id, &iban, &holder, true)
            .await
    } else {
        let number = match i {
            7 => "4000 0000 0000 0341", // saved fine, every charge declines
            _ if i % 3 == 1 => "5555 5555 5555 4444",
            _ => "4242 4242 4242 4242",
        };
        let card = CardNumber::parse(number).expect("test card");
        let exp = ExpiryDate::from_parts(((i % 12) + 1) as u32, now.year() + 2 + (i % 3) as i32)
            .expect("valid month");
        engine
            .add_card(org_id, customer_id, &card, exp, &holder, true)
            .await
    };
    added.map_err(|e| DemoError::Billing(e.to_string()))?;
    Ok(())
}

/// A subscription started on a staggered day before the history begins; Giulia's anchor
/// puts a renewal exactly two days ago, and customer 11 cancels at the end of a period.
async fn add_subscription(
    db: &DatabaseConnection,
    org_id: i64,
    customer_id: i64,
    plan: &plan::Model,
    i: usize,
    is_giulia: bool,
    time: Timeline,
) -> Result<(), DemoError> {
    let Timeline { now, start } = time;
    let anchor: DateTime<Utc> = if is_giulia {
        (now - Duration::days(2))
            .checked_sub_months(Months::new(7))
            .expect("date in range")
    } else {
        start - Duration::days((i as i64 * 5) % 28 + 1)
    };
    let mut period_end = anchor;
    while period_end <= start {
        period_end = period_end
            .checked_add_months(Months::new(1))
            .expect("date in range");
    }
    let period_start = period_end
        .checked_sub_months(Months::new(1))
        .expect("date in range");
    let sub = subscription::ActiveModel {
        public_id: Set(SubscriptionId::from_random(secret::random_bytes()).to_string()),
        organization_id: Set(org_id),
        customer_id: Set(customer_id),
        plan_id: Set(plan.id),
        status: Set("active".into()),
        current_period_start: Set(period_start),
        current_period_end: Set(period_end),
        cancel_at_period_end: Set(i == 11),
        cancel_reason: Set((i == 11).then(|| "too_expensive".into())),
        cancel_comment: Set(None),
        canceled_at: Set(None),
        created_at: Set(anchor.min(start)),
        updated_at: Set(start),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if i == 11 {
        // Its reason, as the portal records one.
        crate::entity::cancellation::ActiveModel {
            organization_id: Set(org_id),
            subscription_id: Set(sub.id),
            reason: Set("too_expensive".into()),
            comment: Set(None),
            created_at: Set(now - Duration::days(3)),
            resumed_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}
