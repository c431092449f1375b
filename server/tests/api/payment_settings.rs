//! Settings → Payments: connecting the sandbox makes Payments active (so the Customer Portal
//! can be enabled), disconnecting stops them, and the engine's policy is edited here.
use dunwell::entity::{audit_event, organization};
use dunwell::testing::{TestApp, TestDb, set_cookie, spawn_app};
use sea_orm::EntityTrait;

/// A first organization made through the setup page, its owner signed in.
async fn new_merchant(tdb: &TestDb) -> (TestApp, String) {
    let app = spawn_app(&tdb.db).await;
    let token = app.state.console.open_setup().await.unwrap().unwrap();
    let form = [
        ("token", token.as_str()),
        ("org_name", "Rossi Software"),
        ("slug", "rossi"),
        ("currency", "EUR"),
        ("country", "IT"),
        ("owner_email", "anna@rossi.example"),
        ("password", "correct-horse-battery"),
    ];
    let res = app.call("/api/console/complete_setup", &form, None).await;
    let cookie = set_cookie(&res, "dw_staff").expect("signed in");
    (app, cookie)
}

async fn call(app: &TestApp, cookie: &str, fun: &str, form: &[(&str, &str)]) -> reqwest::Response {
    app.call(&format!("/api/console/{fun}"), form, Some(cookie))
        .await
}

async fn org(app: &TestApp) -> organization::Model {
    organization::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

async fn enable_portal(app: &TestApp, cookie: &str) -> reqwest::Response {
    let settings: serde_json::Value = call(app, cookie, "portal_settings", &[])
        .await
        .json()
        .await
        .unwrap();
    let version = settings["version"].to_string();
    call(
        app,
        cookie,
        "set_portal_enabled",
        &[("enabled", "on"), ("version", &version)],
    )
    .await
}

async fn a_new_organization_cannot_enable_the_portal_before_payments(tdb: &TestDb) {
    // Arrange
    let (app, cookie) = new_merchant(tdb).await;

    // Act
    let res = enable_portal(&app, &cookie).await;

    // Assert
    assert_eq!(res.status(), 409);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["Conflict"],
        "payments_inactive"
    );
}

async fn connecting_the_sandbox_makes_payments_active_and_the_portal_can_be_enabled(tdb: &TestDb) {
    // Arrange
    let (app, cookie) = new_merchant(tdb).await;

    // Act
    let connect = call(&app, &cookie, "connect_sandbox", &[]).await;
    let enable = enable_portal(&app, &cookie).await;

    // Assert
    assert_eq!(connect.status(), 200);
    let org = org(&app).await;
    assert!(org.payments_active);
    assert_eq!(org.gateway.as_deref(), Some("sandbox"));
    assert_eq!(enable.status(), 200, "the portal's prerequisite is met");
    let view: serde_json::Value = call(&app, &cookie, "payment_settings", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["gateway"], "sandbox");
    assert_eq!(view["payments_active"], true);
    let audit = audit_event::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(audit.iter().any(|e| e.action == "payments.connected"));
}

async fn disconnecting_stops_payments_and_the_portal_cannot_be_enabled_again(tdb: &TestDb) {
    // Arrange
    let (app, cookie) = new_merchant(tdb).await;
    call(&app, &cookie, "connect_sandbox", &[]).await;

    // Act
    let res = call(&app, &cookie, "disconnect_gateway", &[]).await;
    let enable = enable_portal(&app, &cookie).await;

    // Assert
    assert_eq!(res.status(), 200);
    let org = org(&app).await;
    assert!(!org.payments_active);
    assert_eq!(org.gateway, None);
    assert_eq!(enable.status(), 409);
    let audit = audit_event::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(audit.iter().any(|e| e.action == "payments.disconnected"));
}

async fn the_payment_policy_is_saved_for_the_engine_and_audited(tdb: &TestDb) {
    // Arrange
    let (app, cookie) = new_merchant(tdb).await;
    let form = [
        ("default_currency", "chf"),
        ("retry_days", "2, 4, 9"),
        ("final_action", "cancel"),
    ];

    // Act
    let res = call(&app, &cookie, "save_payment_policy", &form).await;

    // Assert
    assert_eq!(res.status(), 200);
    let org = org(&app).await;
    assert_eq!(org.default_currency, "CHF");
    assert_eq!(org.dunning_retry_days, "2,4,9");
    assert_eq!(org.dunning_final_action, "cancel");
    let policy = app.state.engine.policy_of(org.id).await.unwrap();
    assert_eq!(policy.retry_days(), &[2, 4, 9], "the engine reads it");
    let audit = audit_event::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "payments.policy" && e.details.contains("3,5,7 → 2,4,9")),
        "{audit:?}"
    );
}

async fn a_bad_payment_policy_names_each_field_and_changes_nothing(tdb: &TestDb) {
    // Arrange
    let (app, cookie) = new_merchant(tdb).await;
    let form = [
        ("default_currency", "XYZ"),
        ("retry_days", "9,3"),
        ("final_action", "refund"),
    ];

    // Act
    let res = call(&app, &cookie, "save_payment_policy", &form).await;

    // Assert
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    for code in ["currency.invalid", "retry_days.invalid", "field.invalid"] {
        assert!(body.contains(code), "{code}: {body}");
    }
    let org = org(&app).await;
    assert_eq!(
        (
            org.default_currency.as_str(),
            org.dunning_retry_days.as_str()
        ),
        ("EUR", "3,5,7")
    );
}

async fn expiry_reminders_are_turned_off_with_the_policy(tdb: &TestDb) {
    // Arrange
    let (app, cookie) = new_merchant(tdb).await;
    let before = org(&app).await.expiry_reminders;
    let form = [
        ("default_currency", "EUR"),
        ("retry_days", "3,5,7"),
        ("final_action", "mark_unpaid"),
    ];

    // Act
    let off = call(&app, &cookie, "save_payment_policy", &form).await;
    let after_off = org(&app).await.expiry_reminders;
    let mut on = form.to_vec();
    on.push(("expiry_reminders", "on"));
    call(&app, &cookie, "save_payment_policy", &on).await;

    // Assert
    assert!(before, "on by default");
    assert_eq!(off.status(), 200);
    assert!(!after_off, "an unticked box turns them off");
    assert!(org(&app).await.expiry_reminders);
}

async fn business_details_and_the_invoice_prefix_are_saved_and_audited(tdb: &TestDb) {
    // Arrange
    let (app, cookie) = new_merchant(tdb).await;
    let form = [
        ("legal_name", "Rossi Software S.r.l."),
        ("business_address", " Via Roma 1 \r\n\r\n20100 Milano "),
        ("vat_number", "it 123 456 789 03"),
        ("invoice_footer", "IBAN IT60X0542811101000000123456"),
        ("invoice_prefix", "rs26"),
    ];

    // Act
    let res = call(&app, &cookie, "save_business_details", &form).await;

    // Assert
    assert_eq!(res.status(), 200);
    let org = org(&app).await;
    assert_eq!(org.legal_name.as_deref(), Some("Rossi Software S.r.l."));
    assert_eq!(org.business_address, "Via Roma 1\n20100 Milano");
    assert_eq!(org.vat_number.as_deref(), Some("IT12345678903"));
    assert_eq!(org.invoice_footer, "IBAN IT60X0542811101000000123456");
    assert_eq!(org.invoice_prefix.as_deref(), Some("RS26"));
    let view: serde_json::Value = call(&app, &cookie, "payment_settings", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["invoice_prefix"], "RS26");
    assert_eq!(view["default_invoice_prefix"], "ROSSI");
    let audit = audit_event::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "payments.business_details" && e.details.contains("RS26"))
    );
}

async fn bad_business_details_name_each_field_and_change_nothing(tdb: &TestDb) {
    // Arrange
    let (app, cookie) = new_merchant(tdb).await;
    let long = "line\n".repeat(7);
    let form = [
        ("legal_name", "<script>"),
        ("business_address", long.as_str()),
        ("vat_number", "IT12345678901"),
        ("invoice_footer", "ok"),
        ("invoice_prefix", "RS-26"),
    ];

    // Act
    let res = call(&app, &cookie, "save_business_details", &form).await;

    // Assert
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    let fields: Vec<(&str, &str)> = body["Validation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            ("legal_name", "name.invalid"),
            ("business_address", "address.invalid"),
            ("vat_number", "tax_id.invalid"),
            ("invoice_prefix", "invoice_prefix.invalid"),
        ]
    );
    let org = org(&app).await;
    assert_eq!(
        (org.legal_name, org.vat_number, org.invoice_prefix),
        (None, None, None)
    );
}

async fn a_viewer_cannot_change_business_details_and_anonymous_is_refused(tdb: &TestDb) {
    // Arrange
    let (app, owner) = new_merchant(tdb).await;
    let address = domain::EmailAddress::parse("viewer@rossi.example").unwrap();
    dunwell::staff::create_staff(
        &app.state.db,
        "rossi",
        &address,
        "correct-horse-battery",
        domain::StaffRole::Viewer,
    )
    .await
    .unwrap();
    let signed = app
        .call(
            "/api/console/sign_in",
            &[
                ("email", "viewer@rossi.example"),
                ("password", "correct-horse-battery"),
            ],
            None,
        )
        .await;
    let viewer = set_cookie(&signed, "dw_staff").unwrap();
    let form = [
        ("legal_name", "X"),
        ("business_address", ""),
        ("vat_number", ""),
        ("invoice_footer", ""),
        ("invoice_prefix", ""),
    ];

    // Act
    let as_viewer = call(&app, &viewer, "save_business_details", &form).await;
    let anonymous = app
        .call("/api/console/save_business_details", &form, None)
        .await;

    // Assert
    assert_eq!(as_viewer.status(), 403);
    assert_eq!(anonymous.status(), 401);
    assert_eq!(org(&app).await.legal_name, None);
    let _ = owner;
}

on_each_database!(
    expiry_reminders_are_turned_off_with_the_policy,
    business_details_and_the_invoice_prefix_are_saved_and_audited,
    bad_business_details_name_each_field_and_change_nothing,
    a_viewer_cannot_change_business_details_and_anonymous_is_refused,
    a_new_organization_cannot_enable_the_portal_before_payments,
    connecting_the_sandbox_makes_payments_active_and_the_portal_can_be_enabled,
    disconnecting_stops_payments_and_the_portal_cannot_be_enabled_again,
    the_payment_policy_is_saved_for_the_engine_and_audited,
    a_bad_payment_policy_names_each_field_and_changes_nothing,
);
