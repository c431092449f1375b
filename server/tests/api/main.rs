//! Dunwell's integration tests: one binary (one link of the whole server), a module per
//! area. Database tests run on SQLite and, with `TEST_POSTGRES_URL`, on PostgreSQL from one
//! body (`on_each_database!` makes the two tests); CI sets `DUNWELL_REQUIRE_POSTGRES=1` so
//! a missing database fails.
#[macro_use]
mod support;
mod api_keys;
mod billing_concurrency;
mod billing_dunning;
mod billing_mail;
mod billing_sandbox;
mod billing_scenario;
mod billing_sqlite_writers;
mod catalog;
mod console_http;
mod customer_details;
mod http_foundation;
mod imports;
mod invitations;
mod leptos_config;
mod onboarding;
mod payment_settings;
mod portal_billing_details;
mod portal_pause;
mod portal_pay_now;
mod portal_plans;
mod portal_retention;
mod portal_scenario;
mod portal_security;
mod subscriptions;
mod team;
mod v1_billing;
mod v1_customers;
mod v1_events;
mod v1_invoices;
mod v1_openapi;
mod v1_portal_sessions;
mod webhooks;
