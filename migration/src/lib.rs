//! Dunwell's migrations.
//!
//! The sea-orm-cli layout: one file per migration, listed in order in [`Migrator`]. A
//! migration never changes once it has landed; a schema change is a new migration. Every
//! migration uses the portable schema builder so the same files run on SQLite and
//! PostgreSQL, and every `down` undoes its `up` completely.
#![forbid(unsafe_code)]

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_organizations_and_staff;
mod m20261125_000002_portal_branding;
mod m20261125_000003_customers_and_subscriptions;
mod m20261125_000004_invoices_and_payments;
mod m20261125_000005_access_and_messaging;
mod m20261125_000006_sandbox_gateway;
mod m20261202_000007_hardening;
mod m20261202_000008_onboarding;
mod m20261202_000009_catalog;
mod m20261202_000010_customer_details;
mod m20261202_000011_business_details;
mod m20261203_000012_subscription_terms;
mod m20261203_000013_staff_invitations;
mod m20261203_000014_imports;
mod m20261203_000015_merchant_api;
mod m20261203_000016_portal_sessions;
mod m20261203_000017_events;
mod m20261203_000018_webhooks;
mod m20261204_000019_pay_now;
mod m20261204_000020_cancellations;
mod m20261204_000021_billing_details;
mod m20261205_000022_pauses;
mod m20261206_000023_retention_offers;
mod m20261207_000024_plan_changes;
mod util;

/// Runs Dunwell's migrations: `Migrator::up(&db, None)` at start-up and in every test database.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_organizations_and_staff::Migration),
            Box::new(m20261125_000002_portal_branding::Migration),
            Box::new(m20261125_000003_customers_and_subscriptions::Migration),
            Box::new(m20261125_000004_invoices_and_payments::Migration),
            Box::new(m20261125_000005_access_and_messaging::Migration),
            Box::new(m20261125_000006_sandbox_gateway::Migration),
            Box::new(m20261202_000007_hardening::Migration),
            Box::new(m20261202_000008_onboarding::Migration),
            Box::new(m20261202_000009_catalog::Migration),
            Box::new(m20261202_000010_customer_details::Migration),
            Box::new(m20261202_000011_business_details::Migration),
            Box::new(m20261203_000012_subscription_terms::Migration),
            Box::new(m20261203_000013_staff_invitations::Migration),
            Box::new(m20261203_000014_imports::Migration),
            Box::new(m20261203_000015_merchant_api::Migration),
            Box::new(m20261203_000016_portal_sessions::Migration),
            Box::new(m20261203_000017_events::Migration),
            Box::new(m20261203_000018_webhooks::Migration),
            Box::new(m20261204_000019_pay_now::Migration),
            Box::new(m20261204_000020_cancellations::Migration),
            Box::new(m20261204_000021_billing_details::Migration),
            Box::new(m20261205_000022_pauses::Migration),
            Box::new(m20261206_000023_retention_offers::Migration),
            Box::new(m20261207_000024_plan_changes::Migration),
        ]
    }
}
