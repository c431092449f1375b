//! The migrations run up, down and up again on SQLite and on PostgreSQL, and the schema's
//! constraints (unique keys, foreign keys and their ON DELETE policies) actually hold.
//!
//! PostgreSQL runs only when `TEST_POSTGRES_URL` names a server, e.g.
//! `postgres://postgres@127.0.0.1:5432/postgres`; each run creates and drops its own database.

use migration::{Migrator, MigratorTrait, SchemaManager};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbErr, SqlErr, Statement};

/// Every table the migrations create, in creation order.
const TABLES: [&str; 22] = [
    "organizations",
    "staff_users",
    "staff_sessions",
    "brand_assets",
    "portal_settings",
    "email_templates",
    "customers",
    "plans",
    "subscriptions",
    "payment_methods",
    "invoices",
    "invoice_lines",
    "payment_attempts",
    "magic_links",
    "customer_sessions",
    "outbound_emails",
    "audit_events",
    "sandbox_gateway_tokens",
    "sandbox_gateway_charges",
    "payment_method_declines",
    "setup_tokens",
    "cancellations",
];

const NOW: &str = "'2026-11-25T12:00:00Z'";

async fn sqlite() -> DatabaseConnection {
    let db = Database::connect("sqlite::memory:")
        .await
        .expect("open in-memory SQLite");
    // sqlx turns foreign keys on by default; the tests below rely on it, so say it out loud.
    db.execute_unprepared("PRAGMA foreign_keys = ON")
        .await
        .expect("enable foreign keys");
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "PRAGMA foreign_keys",
        ))
        .await
        .expect("read PRAGMA foreign_keys")
        .expect("PRAGMA foreign_keys returns a row");
    let on: i32 = row.try_get_by_index(0).expect("foreign_keys is an integer");
    assert_eq!(on, 1, "SQLite foreign keys must be enforced");
    db
}

/// A fresh, uniquely named PostgreSQL database, dropped again by [`PgDatabase::drop_now`].
struct PgDatabase {
    server: DatabaseConnection,
    name: String,
    db: DatabaseConnection,
}

impl PgDatabase {
    /// `None` (after saying so) when `TEST_POSTGRES_URL` is unset; a panic instead when
    /// `DUNWELL_REQUIRE_POSTGRES=1` (CI), so a missing database fails the run.
    async fn create(test: &str) -> Option<Self> {
        let Ok(server_url) = std::env::var("TEST_POSTGRES_URL") else {
            assert!(
                std::env::var("DUNWELL_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "{test}: DUNWELL_REQUIRE_POSTGRES=1 but TEST_POSTGRES_URL is not set"
            );
            eprintln!("{test}: TEST_POSTGRES_URL is not set, skipping PostgreSQL");
            return None;
        };
        let server = Database::connect(server_url.as_str())
            .await
            .expect("connect to TEST_POSTGRES_URL");
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock after 1970")
            .as_nanos();
        let name = format!("dunwell_migration_{}_{nanos}", std::process::id());
        server
            .execute_unprepared(&format!(r#"CREATE DATABASE "{name}""#))
            .await
            .expect("create test database");
        let db = Database::connect(database_url(&server_url, &name).as_str())
            .await
            .expect("connect to test database");
        Some(Self { server, name, db })
    }

    async fn drop_now(self) {
        self.db.close().await.expect("close test database");
        self.server
            .execute_unprepared(&format!(r#"DROP DATABASE "{}" WITH (FORCE)"#, self.name))
            .await
            .expect("drop test database");
    }
}

/// `server_url` with its database name replaced by `name`, keeping any `?options`.
fn database_url(server_url: &str, name: &str) -> String {
    let (base, query) = match server_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (server_url, None),
    };
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let root = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{root}/{name}?{query}"),
        None => format!("{root}/{name}"),
    }
}

async fn assert_all_tables_present(db: &DatabaseConnection) {
    let manager = SchemaManager::new(db);
    for table in TABLES {
        assert!(
            manager.has_table(table).await.expect("has_table"),
            "table {table} is missing"
        );
        db.query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!(r#"SELECT * FROM "{table}""#),
        ))
        .await
        .unwrap_or_else(|e| panic!("query on {table} failed: {e}"));
    }
    assert!(
        Migrator::get_pending_migrations(db)
            .await
            .expect("migration status")
            .is_empty(),
        "every migration is applied"
    );
}

async fn assert_no_tables_left(db: &DatabaseConnection) {
    let manager = SchemaManager::new(db);
    for table in TABLES {
        assert!(
            !manager.has_table(table).await.expect("has_table"),
            "table {table} survived the down migration"
        );
    }
    assert!(
        Migrator::get_applied_migrations(db)
            .await
            .expect("migration status")
            .is_empty(),
        "no migration is recorded as applied"
    );
}

async fn up_down_up(db: &DatabaseConnection) {
    Migrator::up(db, None).await.expect("first up");
    assert_all_tables_present(db).await;
    Migrator::down(db, None).await.expect("down");
    assert_no_tables_left(db).await;
    Migrator::up(db, None).await.expect("second up");
    assert_all_tables_present(db).await;
}

#[tokio::test]
async fn up_down_up_sqlite() {
    let db = sqlite().await;
    up_down_up(&db).await;
    // The schema must also work after the round trip, not merely exist.
    assert_unique_constraints_bite(&db).await;
    assert_foreign_keys_hold(&db).await;
}

#[tokio::test]
async fn up_down_up_postgres() {
    let Some(pg) = PgDatabase::create("up_down_up_postgres").await else {
        return;
    };
    up_down_up(&pg.db).await;
    assert_unique_constraints_bite(&pg.db).await;
    assert_foreign_keys_hold(&pg.db).await;
    pg.drop_now().await;
}

#[tokio::test]
async fn unique_constraints_bite_sqlite() {
    let db = sqlite().await;
    Migrator::up(&db, None).await.expect("up");
    assert_unique_constraints_bite(&db).await;
}

#[tokio::test]
async fn foreign_keys_hold_sqlite() {
    let db = sqlite().await;
    Migrator::up(&db, None).await.expect("up");
    assert_foreign_keys_hold(&db).await;
}

async fn exec(db: &DatabaseConnection, sql: &str) -> Result<(), DbErr> {
    db.execute_unprepared(sql).await.map(|_| ())
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .expect("COUNT returns a row");
    row.try_get_by_index(0).expect("COUNT is an integer")
}

fn assert_unique_violation(result: Result<(), DbErr>, what: &str) {
    let err = result.expect_err(what);
    assert!(
        matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))),
        "{what}: expected a unique violation, got {err}"
    );
}

fn assert_fk_violation(result: Result<(), DbErr>, what: &str) {
    let err = result.expect_err(what);
    assert!(
        matches!(
            err.sql_err(),
            Some(SqlErr::ForeignKeyConstraintViolation(_))
        ),
        "{what}: expected a foreign-key violation, got {err}"
    );
}

async fn insert_org(db: &DatabaseConnection, slug: &str) {
    let public_id = pid("org", slug);
    exec(
        db,
        &format!(
            "INSERT INTO organizations (public_id, slug, name, payments_active, \
             dunning_retry_days, dunning_final_action, created_at) \
             VALUES ('{public_id}', '{slug}', 'Org {slug}', TRUE, '3,5,7', 'mark_unpaid', {NOW})"
        ),
    )
    .await
    .expect("insert organization");
}

/// The public id the seed gives a row of kind `prefix` in organization `slug`.
fn pid(prefix: &str, slug: &str) -> String {
    format!("{prefix}_{slug:a<16}")
}

/// A sub-select for the key of the row with public id `pid(prefix, slug)` in `table`.
fn key(table: &str, prefix: &str, slug: &str) -> String {
    format!(
        "(SELECT id FROM {table} WHERE public_id = '{}')",
        pid(prefix, slug)
    )
}

fn org(slug: &str) -> String {
    format!("(SELECT id FROM organizations WHERE slug = '{slug}')")
}

fn customer_sql(public_id: &str, org_slug: &str, email: &str) -> String {
    format!(
        "INSERT INTO customers (public_id, organization_id, email, name, locale, created_at) \
         VALUES ('{public_id}', {org}, '{email}', 'Ada', 'en', {NOW})",
        org = org(org_slug)
    )
}

/// An organization `slug` with one customer, plan, subscription, card, invoice (with a
/// line) and one payment attempt keyed `attempt_key`.
async fn seed_billing(db: &DatabaseConnection, slug: &str, attempt_key: &str) {
    insert_org(db, slug).await;
    let org = org(slug);
    let customer = key("customers", "cus", slug);
    let plan = key("plans", "plan", slug);
    let subscription = key("subscriptions", "sub", slug);
    let payment_method = key("payment_methods", "pm", slug);
    let invoice = key("invoices", "inv", slug);
    let (plan_id, subscription_id, payment_method_id, invoice_id, attempt_id) = (
        pid("plan", slug),
        pid("sub", slug),
        pid("pm", slug),
        pid("inv", slug),
        pid("pay", slug),
    );
    let statements = [
        customer_sql(&pid("cus", slug), slug, "ada@example.com"),
        format!(
            "INSERT INTO plans (public_id, organization_id, name, amount_minor, currency, \
             \"interval\", created_at) \
             VALUES ('{plan_id}', {org}, 'Pro', 1900, 'EUR', 'month', {NOW})"
        ),
        format!(
            "INSERT INTO subscriptions (public_id, organization_id, customer_id, plan_id, status, \
             current_period_start, current_period_end, created_at, updated_at) \
             VALUES ('{subscription_id}', {org}, \
             {customer}, \
             {plan}, \
             'active', {NOW}, {NOW}, {NOW}, {NOW})"
        ),
        format!(
            "INSERT INTO payment_methods (public_id, organization_id, customer_id, kind, brand, \
             last4, exp_month, exp_year, gateway_token, is_default, created_at) \
             VALUES ('{payment_method_id}', {org}, \
             {customer}, \
             'card', 'visa', '4242', 12, 2030, 'tok_{slug}', TRUE, {NOW})"
        ),
        format!(
            "INSERT INTO invoices (public_id, organization_id, customer_id, subscription_id, \
             number, status, currency, subtotal_minor, total_minor, period_start, period_end, \
             created_at, updated_at) \
             VALUES ('{invoice_id}', {org}, \
             {customer}, \
             {subscription}, \
             'INV-0001', 'open', 'EUR', 1900, 1900, {NOW}, {NOW}, {NOW}, {NOW})"
        ),
        format!(
            "INSERT INTO invoice_lines (invoice_id, description, quantity, unit_amount_minor, \
             amount_minor) \
             VALUES ({invoice}, \
             'Pro (monthly)', 1, 1900, 1900)"
        ),
        format!(
            "INSERT INTO payment_attempts (public_id, organization_id, invoice_id, \
             payment_method_id, amount_minor, currency, outcome, idempotency_key, \"trigger\", \
             created_at) \
             VALUES ('{attempt_id}', {org}, \
             {invoice}, \
             {payment_method}, \
             1900, 'EUR', 'succeeded', '{attempt_key}', 'renewal', {NOW})"
        ),
        format!(
            "INSERT INTO customer_sessions (organization_id, customer_id, token_hash, created_at, \
             last_seen_at, expires_at) \
             VALUES ({org}, {customer}, \
             'hash_{slug}', {NOW}, {NOW}, {NOW})"
        ),
        format!(
            "INSERT INTO audit_events (organization_id, actor, action, details, created_at) \
             VALUES ({org}, 'system', 'seeded', '{{}}', {NOW})"
        ),
    ];
    for sql in statements {
        exec(db, &sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

async fn assert_unique_constraints_bite(db: &DatabaseConnection) {
    seed_billing(db, "uniq", "idem-uniq-1").await;

    assert_unique_violation(
        exec(
            db,
            &customer_sql("cus_second000000000", "uniq", "ada@example.com"),
        )
        .await,
        "a second customer with the same email in one organization",
    );

    // The same email in another organization is a different customer.
    insert_org(db, "uniqother").await;
    exec(
        db,
        &customer_sql("cus_other000000000", "uniqother", "ada@example.com"),
    )
    .await
    .expect("same email, other organization");

    assert_unique_violation(
        exec(
            db,
            &format!(
                "INSERT INTO payment_attempts (public_id, organization_id, invoice_id, \
                 amount_minor, currency, outcome, idempotency_key, \"trigger\", created_at) \
                 VALUES ('pay_again0000000000', {org}, \
                 {invoice}, \
                 1900, 'EUR', 'failed', 'idem-uniq-1', 'scheduled_retry', {NOW})",
                org = org("uniq"),
                invoice = key("invoices", "inv", "uniq"),
            ),
        )
        .await,
        "the same idempotency key twice",
    );

    assert_unique_violation(
        exec(
            db,
            &format!(
                "INSERT INTO sandbox_gateway_charges (idempotency_key, token, amount_minor, \
                 currency, outcome, reference, created_at) \
                 VALUES ('k1', 't', 1, 'EUR', 'succeeded', 'r1', {NOW}), \
                 ('k1', 't', 1, 'EUR', 'succeeded', 'r2', {NOW})"
            ),
        )
        .await,
        "the same sandbox charge idempotency key twice",
    );

    assert_unique_violation(
        exec(
            db,
            &format!(
                "INSERT INTO invoices (public_id, organization_id, customer_id, number, status, \
                 currency, subtotal_minor, total_minor, period_start, period_end, created_at, \
                 updated_at) \
                 VALUES ('inv_dup0000000000000', {org}, \
                 {customer}, \
                 'INV-0001', 'open', 'EUR', 1, 1, {NOW}, {NOW}, {NOW}, {NOW})",
                org = org("uniq"),
                customer = key("customers", "cus", "uniq"),
            ),
        )
        .await,
        "an invoice number twice in one organization",
    );

    // Staff emails are unique across all organizations.
    let staff = |slug: &str| {
        format!(
            "INSERT INTO staff_users (organization_id, email, password_hash, role, created_at) \
             VALUES ({org}, 'owner@example.com', 'x', 'owner', {NOW})",
            org = org(slug)
        )
    };
    exec(db, &staff("uniq")).await.expect("first staff user");
    assert_unique_violation(
        exec(db, &staff("uniqother")).await,
        "a staff email in two organizations",
    );

    // Portal keys are unique once issued, and any number of portals may have none yet.
    let portal = |slug: &str, key: &str| {
        format!(
            "INSERT INTO portal_settings (organization_id, enabled, portal_key, company_name, \
             primary_color, perm_update_payment_methods, perm_view_payment_history, \
             perm_download_invoices, perm_cancel_subscription, updated_at) \
             VALUES ({org}, FALSE, {key}, 'Co', '#112233', TRUE, TRUE, TRUE, FALSE, {NOW})",
            org = org(slug)
        )
    };
    exec(db, &portal("uniq", "NULL"))
        .await
        .expect("portal without key");
    exec(db, &portal("uniqother", "NULL"))
        .await
        .expect("a second portal without key");
    assert_unique_violation(
        exec(db, &portal("uniq", "'k'")).await,
        "two settings rows for one organization",
    );
    exec(
        db,
        "UPDATE portal_settings SET portal_key = 'same-key' WHERE organization_id = \
         (SELECT id FROM organizations WHERE slug = 'uniq')",
    )
    .await
    .expect("issue a key");
    assert_unique_violation(
        exec(
            db,
            "UPDATE portal_settings SET portal_key = 'same-key' WHERE organization_id = \
             (SELECT id FROM organizations WHERE slug = 'uniqother')",
        )
        .await,
        "the same portal key twice",
    );
}

async fn assert_foreign_keys_hold(db: &DatabaseConnection) {
    seed_billing(db, "fk", "idem-fk-1").await;
    let customer = key("customers", "cus", "fk");

    assert_fk_violation(
        exec(
            db,
            "INSERT INTO staff_sessions (staff_user_id, token_hash, created_at, last_seen_at, \
             expires_at) VALUES (999999, 'h', '2026-11-25T12:00:00Z', '2026-11-25T12:00:00Z', \
             '2026-11-25T12:00:00Z')",
        )
        .await,
        "a session for a staff user that does not exist",
    );

    // Billing history stays: a customer with invoices cannot be deleted.
    assert_fk_violation(
        exec(db, &format!("DELETE FROM customers WHERE id = {customer}")).await,
        "deleting a customer that has invoices",
    );

    // Removing a payment method keeps its attempts, unlinked.
    exec(
        db,
        &format!(
            "DELETE FROM payment_methods WHERE public_id = '{}'",
            pid("pm", "fk")
        ),
    )
    .await
    .expect("delete a payment method");
    assert_eq!(
        count(
            db,
            &format!(
                "SELECT COUNT(*) FROM payment_attempts \
                 WHERE public_id = '{}' AND payment_method_id IS NULL",
                pid("pay", "fk")
            ),
        )
        .await,
        1
    );

    // Deleting an organization takes everything of it along, through every path at once
    // (organization -> customer and organization -> invoice -> customer).
    exec(db, "DELETE FROM organizations WHERE slug = 'fk'")
        .await
        .expect("delete an organization");
    for table in [
        "customers",
        "subscriptions",
        "invoices",
        "invoice_lines",
        "payment_attempts",
        "customer_sessions",
        "audit_events",
    ] {
        let left = count(
            db,
            &format!(
                "SELECT COUNT(*) FROM {table} WHERE {} IS NULL",
                if table == "invoice_lines" {
                    "(SELECT 1 FROM invoices WHERE invoices.id = invoice_lines.invoice_id)"
                } else {
                    "(SELECT 1 FROM organizations WHERE organizations.id = organization_id)"
                }
            ),
        )
        .await;
        assert_eq!(left, 0, "orphaned rows left in {table}");
    }
}
