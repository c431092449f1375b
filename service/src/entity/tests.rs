//! The entities match the migrated schema: a fully populated row of every table goes in
//! through its `ActiveModel` and comes back equal, on SQLite and (when `TEST_POSTGRES_URL`
//! is set) on PostgreSQL, where column types are checked strictly.

use chrono::{TimeZone, Utc};
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ConnectionTrait, Database, DatabaseConnection,
    EntityTrait, IntoActiveModel, ModelTrait,
};

use super::prelude::*;
use super::*;

/// Inserts `$model` (its `id` ignored), asserts the stored row reads back equal, returns it.
macro_rules! round_trip {
    ($db:expr, $module:ident, $model:expr) => {{
        let expected: $module::Model = $model;
        let mut active = expected.clone().into_active_model();
        active.id = NotSet;
        let inserted = active
            .insert($db)
            .await
            .unwrap_or_else(|e| panic!("insert into {}: {e}", stringify!($module)));
        assert_eq!(
            inserted,
            $module::Model {
                id: inserted.id,
                ..expected
            }
        );
        let found = $module::Entity::find_by_id(inserted.id)
            .one($db)
            .await
            .expect("select by id")
            .expect("row exists");
        assert_eq!(found, inserted);
        inserted
    }};
}

async fn every_entity_round_trips(db: &DatabaseConnection) {
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 12, 30, 45).unwrap();
    let later = Utc.with_ymd_and_hms(2026, 12, 25, 12, 30, 45).unwrap();

    let org = round_trip!(
        db,
        organization,
        organization::Model {
            id: 0,
            public_id: "org_abcdefghijklmnop".into(),
            slug: "acme".into(),
            name: "Acme".into(),
            payments_active: true,
            dunning_retry_days: "3,5,7".into(),
            dunning_final_action: "mark_unpaid".into(),
            clock_offset_seconds: 86_400 * 365 * 10,
            next_invoice_seq: 1,
            default_currency: "CHF".into(),
            country: "CH".into(),
            gateway: Some("sandbox".into()),
            legal_name: Some("Acme S.A.".into()),
            business_address: "Rue du Rhône 1\n1204 Genève".into(),
            vat_number: Some("CHE123456789".into()),
            invoice_footer: "IBAN CH93 0076 2011 6238 5295 7".into(),
            invoice_prefix: Some("ACME24".into()),
            expiry_reminders: false,
            created_at: now,
        }
    );
    let staff = round_trip!(
        db,
        staff_user,
        staff_user::Model {
            id: 0,
            organization_id: org.id,
            email: "owner@example.com".into(),
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            role: "owner".into(),
            failed_logins: 2,
            locked_until: Some(later),
            created_at: now,
        }
    );
    round_trip!(
        db,
        staff_session,
        staff_session::Model {
            id: 0,
            staff_user_id: staff.id,
            token_hash: "a".repeat(64),
            created_at: now,
            last_seen_at: now,
            expires_at: later,
        }
    );
    let logo = round_trip!(
        db,
        brand_asset,
        brand_asset::Model {
            id: 0,
            organization_id: org.id,
            content_hash: "b".repeat(64),
            content_type: "image/png".into(),
            bytes: vec![0x89, b'P', b'N', b'G', 0, 255],
            width: 120,
            height: 40,
            created_at: now,
        }
    );
    round_trip!(
        db,
        portal_settings,
        portal_settings::Model {
            id: 0,
            organization_id: org.id,
            enabled: true,
            portal_key: Some("k".repeat(32)),
            company_name: "Acme S.r.l.".into(),
            primary_color: "#1a2b3c".into(),
            logo_asset_id: Some(logo.id),
            perm_update_payment_methods: true,
            perm_view_payment_history: true,
            perm_download_invoices: false,
            perm_cancel_subscription: true,
            perm_pay_invoices: true,
            perm_update_billing_details: true,
            perm_pause_subscription: true,
            pause_max_days: 45,
            retention_percent: Some(20),
            retention_months: Some(3),
            perm_change_plan: true,
            switch_prices: Some("price_a price_b".into()),
            quantity_min: Some(1),
            quantity_max: Some(10),
            version: 1,
            updated_at: now,
        }
    );
    round_trip!(
        db,
        email_template,
        email_template::Model {
            id: 0,
            organization_id: org.id,
            kind: "payment_failed".into(),
            locale: "it".into(),
            subject: "Pagamento non riuscito".into(),
            body: "Ciao {{name}},\n…".into(),
            updated_at: now,
        }
    );
    let customer = round_trip!(
        db,
        customer,
        customer::Model {
            id: 0,
            public_id: "cus_abcdefghijklmnop".into(),
            organization_id: org.id,
            email: "ada@example.com".into(),
            name: "Ada Lovelace".into(),
            locale: "en".into(),
            billing_address: "12 Byron Street\nLondon".into(),
            tax_id: Some("GB123456789".into()),
            archived_at: None,
            created_at: now,
            external_id: Some("crm-42".into()),
        }
    );
    let plan = round_trip!(
        db,
        plan,
        plan::Model {
            id: 0,
            public_id: "plan_abcdefghijklmnop".into(),
            organization_id: org.id,
            name: "Pro".into(),
            amount_minor: 1900,
            currency: "EUR".into(),
            interval: "week".into(),
            interval_count: 2,
            trial_days: 14,
            archived_at: Some(now),
            created_at: now,
        }
    );
    let subscription = round_trip!(
        db,
        subscription,
        subscription::Model {
            id: 0,
            public_id: "sub_abcdefghijklmnop".into(),
            organization_id: org.id,
            customer_id: customer.id,
            plan_id: plan.id,
            status: "past_due".into(),
            current_period_start: now,
            current_period_end: later,
            cancel_at_period_end: true,
            cancel_reason: Some("too_expensive".into()),
            cancel_comment: Some("Back next year.".into()),
            canceled_at: Some(now),
            created_at: now,
            updated_at: now,
            quantity: 3,
            trial_end: Some(later),
            external_id: Some("crm-sub-42".into()),
            pause_resumes_at: Some(later),
            retention_offered_at: Some(now),
            discount_percent: Some(20),
            discount_ends_at: Some(later),
            scheduled_plan_id: Some(7),
            scheduled_quantity: Some(2),
        }
    );
    round_trip!(
        db,
        import,
        import::Model {
            id: 0,
            public_id: "imp_abcdefghijklmnop".into(),
            organization_id: org.id,
            kind: "customers".into(),
            file_name: "customers.csv".into(),
            content: b"external_id,email,name\n".to_vec(),
            status: "ready".into(),
            rows: 3,
            new_rows: 2,
            existing_rows: 1,
            done_rows: 0,
            problems: "[]".into(),
            more_problems: 0,
            created_at: now,
            updated_at: now,
        }
    );
    round_trip!(
        db,
        api_key,
        api_key::Model {
            id: 0,
            public_id: "key_abcdefghijklmnop".into(),
            organization_id: org.id,
            name: "Production app".into(),
            secret_hash: "c".repeat(64),
            secret_hint: "x9Qz".into(),
            created_by: Some(staff.id),
            created_at: now,
            last_used_at: Some(now),
            revoked_at: Some(now),
        }
    );
    round_trip!(
        db,
        idempotency_key,
        idempotency_key::Model {
            id: 0,
            organization_id: org.id,
            key: "5f0c9a1e-8d2b-4c1e-9a7f-1b2c3d4e5f60".into(),
            fingerprint: "d".repeat(64),
            response_status: Some(200),
            response_body: Some("{\"id\":\"cus_abcdefghijklmnop\"}".into()),
            created_at: now,
        }
    );
    round_trip!(
        db,
        event,
        event::Model {
            id: 0,
            public_id: "evt_abcdefghijklmnop".into(),
            organization_id: org.id,
            kind: "customer.created".into(),
            object_id: "cus_abcdefghijklmnop".into(),
            data: "{\"id\":\"cus_abcdefghijklmnop\"}".into(),
            created_at: now,
        }
    );
    let endpoint = round_trip!(
        db,
        webhook_endpoint,
        webhook_endpoint::Model {
            id: 0,
            public_id: "we_abcdefghijklmnop".into(),
            organization_id: org.id,
            url: "https://hooks.example.com/dunwell".into(),
            description: "Production app".into(),
            event_filter: "customer.created,subscription.recovered".into(),
            secret_sealed: "v1.bm9uY2U.c2VhbGVk".into(),
            enabled: false,
            disabled_reason: Some("failing".into()),
            failing_since: Some(now),
            last_event_id: 7,
            created_at: now,
        }
    );
    let stored_event = Event::find()
        .one(db)
        .await
        .expect("events")
        .expect("an event");
    let delivery = round_trip!(
        db,
        webhook_delivery,
        webhook_delivery::Model {
            id: 0,
            public_id: "whd_abcdefghijklmnop".into(),
            organization_id: org.id,
            endpoint_id: endpoint.id,
            event_id: stored_event.id,
            status: "failed".into(),
            tries: 13,
            next_attempt_at: Some(now),
            last_attempt_at: Some(now),
            last_status_code: Some(500),
            last_error: Some("the receiver answered 500".into()),
            created_at: now,
        }
    );
    round_trip!(
        db,
        webhook_attempt,
        webhook_attempt::Model {
            id: 0,
            delivery_id: delivery.id,
            endpoint_id: endpoint.id,
            attempted_at: now,
            status_code: None,
            duration_ms: 10_000,
            error: Some("timed out".into()),
            response_body: Some("x".repeat(70_000)),
        }
    );
    let card = round_trip!(
        db,
        payment_method,
        payment_method::Model {
            id: 0,
            public_id: "pm_abcdefghijklmnop".into(),
            organization_id: org.id,
            customer_id: customer.id,
            kind: "card".into(),
            brand: Some("visa".into()),
            last4: "4242".into(),
            exp_month: Some(12),
            exp_year: Some(2030),
            holder_name: Some("Ada Lovelace".into()),
            gateway_token: "tok_sandbox_1".into(),
            is_default: true,
            expiry_reminder_30_sent_at: Some(now),
            expiry_reminder_7_sent_at: Some(later),
            removed_at: None,
            created_at: now,
        }
    );
    let invoice = round_trip!(
        db,
        invoice,
        invoice::Model {
            id: 0,
            public_id: "inv_abcdefghijklmnop".into(),
            organization_id: org.id,
            customer_id: customer.id,
            subscription_id: Some(subscription.id),
            number: "ACME-0001".into(),
            status: "open".into(),
            currency: "EUR".into(),
            subtotal_minor: 1900,
            total_minor: 1900,
            amount_paid_minor: 0,
            attempt_count: 1,
            first_failure_at: Some(now),
            next_attempt_at: Some(later),
            period_start: now,
            period_end: later,
            paid_at: None,
            created_at: now,
            updated_at: now,
            billed_name: Some("Marco Bianchi".into()),
            billed_address: Some("Via Roma 1\n20100 Milano".into()),
            billed_tax_id: None,
        }
    );
    round_trip!(
        db,
        invoice_line,
        invoice_line::Model {
            id: 0,
            invoice_id: invoice.id,
            description: "Pro (monthly)".into(),
            quantity: 1,
            unit_amount_minor: 1900,
            amount_minor: 1900,
        }
    );
    round_trip!(
        db,
        payment_attempt,
        payment_attempt::Model {
            id: 0,
            public_id: "pay_abcdefghijklmnop".into(),
            organization_id: org.id,
            invoice_id: invoice.id,
            payment_method_id: Some(card.id),
            amount_minor: 1900,
            currency: "EUR".into(),
            outcome: "failed".into(),
            decline_code: Some("insufficient_funds".into()),
            idempotency_key: "inv_abcdefghijklmnop:1".into(),
            trigger: "renewal".into(),
            gateway_reference: Some("ch_sandbox_1".into()),
            created_at: now,
        }
    );
    round_trip!(
        db,
        magic_link,
        magic_link::Model {
            id: 0,
            organization_id: org.id,
            customer_id: customer.id,
            token_hash: "c".repeat(64),
            return_to: Some("/portal/invoices".into()),
            created_at: now,
            expires_at: later,
            used_at: Some(now),
            from_api: true,
            app_return_url: Some("https://app.example.com/account".into()),
            locale: Some("it".into()),
        }
    );
    round_trip!(
        db,
        customer_session,
        customer_session::Model {
            id: 0,
            organization_id: org.id,
            customer_id: customer.id,
            token_hash: "d".repeat(64),
            created_at: now,
            last_seen_at: now,
            expires_at: later,
            app_return_url: Some("https://app.example.com/account".into()),
        }
    );
    round_trip!(
        db,
        outbound_email,
        outbound_email::Model {
            id: 0,
            public_id: "em_abcdefghijklmnop".into(),
            organization_id: Some(org.id),
            customer_id: Some(customer.id),
            to_address: "ada@example.com".into(),
            kind: "magic_link".into(),
            locale: "en".into(),
            subject: "Sign in".into(),
            text_body: "https://example.com/l/secret".into(),
            html_body: "<a href=\"https://example.com/l/secret\">Sign in</a>".into(),
            status: "failed".into(),
            attempts: 3,
            next_attempt_at: later,
            last_error: Some("550 mailbox unavailable".into()),
            sent_at: None,
            created_at: now,
            magic_link_id: Some(1),
        }
    );
    round_trip!(
        db,
        payment_method_decline,
        payment_method_decline::Model {
            id: 0,
            organization_id: org.id,
            customer_id: customer.id,
            client_ip: Some("2001:db8::1".into()),
            decline_code: "card_declined".into(),
            created_at: now,
        }
    );
    round_trip!(
        db,
        audit_event,
        audit_event::Model {
            id: 0,
            organization_id: org.id,
            actor: "staff:owner@example.com".into(),
            action: "portal_settings.updated".into(),
            details: r#"{"version":2}"#.into(),
            created_at: now,
        }
    );
    round_trip!(
        db,
        sandbox_gateway_token,
        sandbox_gateway_token::Model {
            id: 0,
            token: "tok_sandbox_1".into(),
            kind: "card".into(),
            brand: Some("visa".into()),
            last4: "0341".into(),
            exp_month: Some(1),
            exp_year: Some(2031),
            behavior: "always_decline".into(),
            created_at: now,
        }
    );
    round_trip!(
        db,
        sandbox_gateway_charge,
        sandbox_gateway_charge::Model {
            id: 0,
            idempotency_key: "inv_abcdefghijklmnop:1".into(),
            token: "tok_sandbox_1".into(),
            amount_minor: 1900,
            currency: "EUR".into(),
            outcome: "failed".into(),
            decline_code: Some("card_declined".into()),
            reference: "ch_sandbox_1".into(),
            created_at: now,
        }
    );

    // The relations resolve to real joins.
    let invoices = customer
        .find_related(Invoice)
        .all(db)
        .await
        .expect("customer -> invoices");
    assert_eq!(invoices, vec![invoice.clone()]);
    let lines = invoice
        .find_related(InvoiceLine)
        .all(db)
        .await
        .expect("invoice -> lines");
    assert_eq!(lines.len(), 1);
    let with_customers = Organization::find()
        .find_with_related(Customer)
        .all(db)
        .await
        .expect("organizations with customers");
    assert_eq!(with_customers, vec![(org.clone(), vec![customer.clone()])]);
    let settings = org
        .find_related(PortalSettings)
        .one(db)
        .await
        .expect("organization -> portal settings")
        .expect("settings exist");
    let logo_of_settings = settings
        .find_related(BrandAsset)
        .one(db)
        .await
        .expect("settings -> logo");
    assert_eq!(logo_of_settings, Some(logo));
    let attempts = card
        .find_related(PaymentAttempt)
        .all(db)
        .await
        .expect("payment method -> attempts");
    assert_eq!(attempts.len(), 1);
}

#[tokio::test]
async fn every_entity_round_trips_on_sqlite() {
    let db = Database::connect("sqlite::memory:")
        .await
        .expect("open in-memory SQLite");
    db.execute_unprepared("PRAGMA foreign_keys = ON")
        .await
        .expect("enable foreign keys");
    Migrator::up(&db, None).await.expect("migrate");
    every_entity_round_trips(&db).await;
}

#[tokio::test]
async fn every_entity_round_trips_on_postgres() {
    let Ok(server_url) = std::env::var("TEST_POSTGRES_URL") else {
        eprintln!("TEST_POSTGRES_URL is not set, skipping PostgreSQL");
        return;
    };
    let server = Database::connect(server_url.as_str())
        .await
        .expect("connect to TEST_POSTGRES_URL");
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_nanos();
    let name = format!("dunwell_entity_{}_{nanos}", std::process::id());
    server
        .execute_unprepared(&format!(r#"CREATE DATABASE "{name}""#))
        .await
        .expect("create test database");
    let base = server_url.split('?').next().unwrap_or(&server_url);
    let root = base.rsplit_once('/').map_or(base, |(root, _)| root);
    let db = Database::connect(format!("{root}/{name}").as_str())
        .await
        .expect("connect to test database");

    Migrator::up(&db, None).await.expect("migrate");
    every_entity_round_trips(&db).await;

    db.close().await.expect("close test database");
    server
        .execute_unprepared(&format!(r#"DROP DATABASE "{name}" WITH (FORCE)"#))
        .await
        .expect("drop test database");
}

#[test]
fn debug_output_hides_secrets_and_emails() {
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
    let staff = staff_user::Model {
        id: 1,
        organization_id: 1,
        email: "owner@example.com".into(),
        password_hash: "$argon2id$secret-hash".into(),
        role: "owner".into(),
        failed_logins: 0,
        locked_until: None,
        created_at: now,
    };
    let shown = format!("{staff:?}");
    assert!(shown.contains("o***@example.com"), "{shown}");
    assert!(!shown.contains("owner@"), "{shown}");
    assert!(!shown.contains("secret-hash"), "{shown}");

    let session = customer_session::Model {
        id: 1,
        organization_id: 1,
        customer_id: 1,
        token_hash: "token-hash-value".into(),
        created_at: now,
        last_seen_at: now,
        expires_at: now,
        app_return_url: None,
    };
    assert!(!format!("{session:?}").contains("token-hash-value"));
}
