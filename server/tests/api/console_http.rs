//! Black-box HTTP tests of the console's server functions and routes: sign-in, roles,
//! organizations, parsing, concurrency, uploads, templates, invoice PDFs and the audit log.
use crate::support::pdf_text;

use domain::{EmailAddress, StaffRole};
use dunwell::entity::{
    audit_event, customer, invoice, invoice_line, outbound_email, portal_settings,
};
use dunwell::testing::{TestApp, TestDb, client, spawn_app};
use dunwell::{orgs, staff};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};

const PW: &str = "correct-horse-battery";

struct Ctx {
    app: TestApp,
    owner: String,
    admin: String,
    viewer: String,
    other: String,
    customer_id: String,
}

async fn org(db: &DatabaseConnection, slug: &str, payments: bool) -> i64 {
    orgs::create(db, slug, slug, payments, chrono::Utc::now())
        .await
        .unwrap()
        .id
}

async fn staff_user(db: &DatabaseConnection, slug: &str, email: &str, role: StaffRole) {
    staff::create_staff(db, slug, &EmailAddress::parse(email).unwrap(), PW, role)
        .await
        .unwrap();
}

async fn add_customer(db: &DatabaseConnection, org_id: i64, email: &str, name: &str) -> String {
    let id = domain::CustomerId::from_random(dunwell::secret::random_bytes()).to_string();
    customer::ActiveModel {
        public_id: Set(id.clone()),
        organization_id: Set(org_id),
        email: Set(email.into()),
        name: Set(name.into()),
        locale: Set("en".into()),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    id
}

async fn post(
    app: &TestApp,
    endpoint: &str,
    form: &[(&str, &str)],
    cookie: Option<&str>,
) -> reqwest::Response {
    app.call(&format!("/api/console/{endpoint}"), form, cookie)
        .await
}

async fn sign_in(app: &TestApp, email: &str) -> String {
    sign_in_with(app, email, PW).await
}

async fn sign_in_with(app: &TestApp, email: &str, password: &str) -> String {
    let res = post(
        app,
        "sign_in",
        &[("email", email), ("password", password)],
        None,
    )
    .await;
    assert_eq!(res.status(), 200, "sign in {email}");
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .next()
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    cookie.split(';').next().unwrap().to_owned()
}

async fn setup(db: &DatabaseConnection) -> Ctx {
    let app = spawn_app(db).await;
    let acme = org(db, "acme", true).await;
    let _ = org(db, "other", true).await;
    staff_user(db, "acme", "owner@acme.test", StaffRole::Owner).await;
    staff_user(db, "acme", "admin@acme.test", StaffRole::Admin).await;
    staff_user(db, "acme", "viewer@acme.test", StaffRole::Viewer).await;
    staff_user(db, "other", "admin@other.test", StaffRole::Admin).await;
    let customer_id = add_customer(db, acme, "giulia@example.com", "Giulia Rossi").await;
    add_customer(db, acme, "mario@example.com", "Mario Bianchi").await;
    let owner = sign_in(&app, "owner@acme.test").await;
    let admin = sign_in(&app, "admin@acme.test").await;
    let viewer = sign_in(&app, "viewer@acme.test").await;
    let other = sign_in(&app, "admin@other.test").await;
    Ctx {
        app,
        owner,
        admin,
        viewer,
        other,
        customer_id,
    }
}

async fn version(db: &DatabaseConnection, slug: &str) -> i32 {
    let org = orgs::find_by_slug(db, slug).await.unwrap().unwrap();
    portal_settings::Entity::find()
        .filter(portal_settings::Column::OrganizationId.eq(org.id))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .version
}

async fn field_code(res: reqwest::Response, field: &str) -> String {
    let status = res.status();
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(status, 422, "{body}");
    body["Validation"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == field)
        .unwrap_or_else(|| panic!("{body}"))["code"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// An organization with its owner, and the app, before anyone signs in.
async fn owner_only(db: &DatabaseConnection) -> TestApp {
    let app = spawn_app(db).await;
    org(db, "acme", true).await;
    staff_user(db, "acme", "owner@acme.test", StaffRole::Owner).await;
    app
}

async fn sign_in_as_owner(app: &TestApp, password: &str, next: Option<&str>) -> reqwest::Response {
    let mut form = vec![("email", "owner@acme.test"), ("password", password)];
    if let Some(next) = next {
        form.push(("next", next));
    }
    post(app, "sign_in", &form, None).await
}

fn session_cookie(res: &reqwest::Response) -> String {
    res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

async fn signing_in_sets_strict_cookies_and_stores_only_the_hash(tdb: &TestDb) {
    // Arrange
    let app = owner_only(&tdb.db).await;

    // Act
    let res = sign_in_as_owner(&app, PW, Some("/admin/customers")).await;

    // Assert
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["location"], "/admin/customers");
    let cookies: Vec<String> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(
        cookies
            .iter()
            .all(|c| c.contains("HttpOnly") && c.contains("SameSite=Lax")),
        "{cookies:?}"
    );
    assert!(
        cookies.iter().any(|c| c.contains("Path=/admin"))
            && cookies.iter().any(|c| c.contains("Path=/api/console"))
    );
    let token = session_cookie(&res).split_once('=').unwrap().1.to_owned();
    let stored = dunwell::entity::staff_session::Entity::find()
        .all(&tdb.db)
        .await
        .unwrap();
    assert!(
        stored.iter().all(|s| s.token_hash != token),
        "only the hash is stored"
    );
}

async fn sign_in_refuses_an_open_redirect(tdb: &TestDb) {
    // Arrange
    let app = owner_only(&tdb.db).await;

    // Act
    let res = sign_in_as_owner(&app, PW, Some("//evil.example")).await;

    // Assert
    assert_eq!(res.headers()["location"], "/admin");
}

async fn an_unknown_email_and_a_wrong_password_get_the_same_answer(tdb: &TestDb) {
    // Arrange
    let app = owner_only(&tdb.db).await;
    let unknown = [("email", "nobody@acme.test"), ("password", PW)];

    // Act
    let unknown = post(&app, "sign_in", &unknown, None).await;
    let wrong = sign_in_as_owner(&app, "wrong-password", None).await;

    // Assert
    assert_eq!(unknown.status(), 401);
    assert_eq!(wrong.status(), 401);
    assert_eq!(
        unknown.text().await.unwrap(),
        wrong.text().await.unwrap(),
        "same answer"
    );
}

async fn five_wrong_passwords_lock_the_account_for_fifteen_minutes(tdb: &TestDb) {
    // Arrange
    let app = owner_only(&tdb.db).await;
    for _ in 0..5 {
        sign_in_as_owner(&app, "wrong-password", None).await;
    }

    // Act
    let locked = sign_in_as_owner(&app, PW, None).await;
    app.clock.advance(chrono::TimeDelta::minutes(16));
    let later = sign_in_as_owner(&app, PW, None).await;

    // Assert
    assert_eq!(locked.status(), 401, "locked after 5 failures");
    assert_eq!(later.status(), 200, "unlocked after 15 minutes");
}

async fn a_staff_session_expires_when_idle(tdb: &TestDb) {
    // Arrange
    let app = owner_only(&tdb.db).await;
    let cookie = session_cookie(&sign_in_as_owner(&app, PW, None).await);
    assert_eq!(post(&app, "me", &[], Some(&cookie)).await.status(), 200);

    // Act
    app.clock.advance(chrono::TimeDelta::hours(3));
    let me = post(&app, "me", &[], Some(&cookie)).await;

    // Assert
    assert_eq!(me.status(), 401, "idle expiry");
}

async fn signing_out_ends_the_session(tdb: &TestDb) {
    // Arrange
    let app = owner_only(&tdb.db).await;
    let cookie = session_cookie(&sign_in_as_owner(&app, PW, None).await);

    // Act
    let out = post(&app, "sign_out", &[], Some(&cookie)).await;

    // Assert
    assert_eq!(out.status(), 200);
    assert_eq!(
        post(&app, "me", &[], Some(&cookie)).await.status(),
        401,
        "signed out"
    );
}

#[tokio::test]
async fn per_ip_rate_limit() {
    let tdb = TestDb::sqlite().await;
    let app = spawn_app(&tdb.db).await;
    let mut last = 0;
    for _ in 0..21 {
        last = post(
            &app,
            "sign_in",
            &[("email", "x@acme.test"), ("password", "nope-nope")],
            None,
        )
        .await
        .status()
        .as_u16();
    }
    assert_eq!(last, 429);
}

#[tokio::test]
async fn every_server_function_refuses_anonymous_and_viewers() {
    let tdb = TestDb::sqlite().await;
    let c = setup(&tdb.db).await;
    let cus = c.customer_id.as_str();
    let reads: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("me", vec![]),
        ("portal_settings", vec![]),
        (
            "template",
            vec![("kind", "payment_failed"), ("locale", "en")],
        ),
        (
            "preview_template",
            vec![
                ("kind", "payment_failed"),
                ("locale", "en"),
                ("subject", "s"),
                ("body", "b"),
            ],
        ),
        ("overview", vec![]),
        ("customers", vec![("q", ""), ("status", ""), ("page", "1")]),
        ("customer", vec![("id", cus)]),
        ("audit_log", vec![("page", "1")]),
        ("outbox", vec![]),
        ("payment_settings", vec![]),
        ("team", vec![]),
        ("prices", vec![]),
    ];
    let writes: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "set_portal_enabled",
            vec![("enabled", "on"), ("version", "1")],
        ),
        (
            "rotate_portal_key",
            vec![("confirm", "on"), ("version", "1")],
        ),
        (
            "save_branding",
            vec![
                ("company_name", "Acme"),
                ("primary_color", "#112233"),
                ("version", "1"),
            ],
        ),
        (
            "save_permissions",
            vec![("update_payment_methods", "on"), ("version", "1")],
        ),
        ("remove_logo", vec![("version", "1")]),
        (
            "save_template",
            vec![
                ("kind", "payment_failed"),
                ("locale", "en"),
                ("subject", "s"),
                ("body", "{{ customer_portal_link }}"),
            ],
        ),
        (
            "reset_template",
            vec![("kind", "payment_failed"), ("locale", "en")],
        ),
        (
            "send_test_email",
            vec![("kind", "payment_failed"), ("locale", "en")],
        ),
        (
            "update_customer_email",
            vec![("id", cus), ("email", "new@example.com")],
        ),
        ("send_sign_in_link", vec![("id", cus)]),
        ("advance_clock", vec![("days", "1")]),
        ("connect_sandbox", vec![]),
        (
            "set_member_role",
            vec![("email", "viewer@acme.test"), ("role", "owner")],
        ),
        ("remove_member", vec![("email", "admin@acme.test")]),
        ("disconnect_gateway", vec![]),
        (
            "create_price",
            vec![
                ("name", "Pro"),
                ("amount", "29"),
                ("currency", "EUR"),
                ("interval", "month"),
            ],
        ),
        (
            "save_payment_policy",
            vec![
                ("default_currency", "EUR"),
                ("retry_days", "3,5,7"),
                ("final_action", "cancel"),
            ],
        ),
    ];
    for (endpoint, form) in reads.iter().chain(writes.iter()) {
        assert_eq!(
            post(&c.app, endpoint, form, None).await.status(),
            401,
            "anonymous {endpoint}"
        );
    }
    for (endpoint, form) in &reads {
        assert_eq!(
            post(&c.app, endpoint, form, Some(&c.viewer)).await.status(),
            200,
            "viewer reads {endpoint}"
        );
    }
    for (endpoint, form) in &writes {
        assert_eq!(
            post(&c.app, endpoint, form, Some(&c.viewer)).await.status(),
            403,
            "viewer changes {endpoint}"
        );
    }
    assert_eq!(
        post(
            &c.app,
            "rotate_portal_key",
            &[("confirm", "on"), ("version", "1")],
            Some(&c.admin)
        )
        .await
        .status(),
        403,
        "admins cannot rotate"
    );
    // Nothing changed.
    assert_eq!(version(&tdb.db, "acme").await, 1);
    assert_eq!(audit_event::Entity::find().count(&tdb.db).await.unwrap(), 0);
    // Another organization's customer does not exist for them.
    for (endpoint, form) in [
        ("customer", vec![("id", cus)]),
        (
            "update_customer_email",
            vec![("id", cus), ("email", "x@example.com")],
        ),
        ("send_sign_in_link", vec![("id", cus)]),
    ] {
        assert_eq!(
            post(&c.app, endpoint, &form, Some(&c.other)).await.status(),
            404,
            "other org {endpoint}"
        );
    }
    // And the uploads route.
    let res = upload_as(&c, &c.viewer, png(200, 50, 0), "l.png", false).await;
    assert_eq!(res.status(), 403);
    // Cross-site POSTs are refused whatever the cookie.
    let res = client()
        .post(format!("{}/api/console/save_branding", c.app.address))
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .header("cookie", &c.admin)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(urlencode(&[
            ("company_name", "Evil"),
            ("primary_color", "#000000"),
            ("version", "1"),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(version(&tdb.db, "acme").await, 1);
}

/// The portal settings as the console reads them.
async fn settings(c: &Ctx) -> serde_json::Value {
    post(&c.app, "portal_settings", &[], Some(&c.admin))
        .await
        .json()
        .await
        .unwrap()
}

async fn save_branding(c: &Ctx, name: &str, color: &str, version: &str) -> reqwest::Response {
    let form = [
        ("company_name", name),
        ("primary_color", color),
        ("version", version),
    ];
    post(&c.app, "save_branding", &form, Some(&c.admin)).await
}

async fn a_bad_branding_field_is_named_and_nothing_is_written(tdb: &TestDb) {
    // Arrange
    let c = setup(&tdb.db).await;
    let long = "x".repeat(500);
    let cases = [
        ("Acme", "#12345g", "primary_color", "color.invalid"),
        ("", "#112233", "company_name", "company_name.empty"),
        (&long, "#112233", "company_name", "company_name.too_long"),
        (
            "<script>alert(1)</script>",
            "#112233",
            "company_name",
            "company_name.markup",
        ),
    ];
    for (name, color, field, code) in cases {
        // Act
        let res = save_branding(&c, name, color, "1").await;

        // Assert
        assert_eq!(field_code(res, field).await, code, "{name} {color}");
    }
    assert_eq!(
        version(&tdb.db, "acme").await,
        1,
        "bad input changes nothing"
    );
}

async fn a_branding_save_is_stored_normalised_and_audited(tdb: &TestDb) {
    // Arrange
    let c = setup(&tdb.db).await;

    // Act
    let res = save_branding(&c, "Acme Cloud", "#0F766E", "1").await;

    // Assert
    assert_eq!(res.status(), 200);
    let s = settings(&c).await;
    assert_eq!(s["primary_color"], "#0f766e");
    assert_eq!(s["company_name"], "Acme Cloud");
    assert_eq!(s["version"], 2);
    let audit = audit_event::Entity::find().all(&tdb.db).await.unwrap();
    assert!(
        audit.iter().any(|e| e.action == "portal.branding"
            && e.actor == "admin@acme.test"
            && e.details.contains("#0f766e")),
        "{audit:?}"
    );
}

async fn a_stale_branding_form_does_not_overwrite(tdb: &TestDb) {
    // Arrange
    let c = setup(&tdb.db).await;
    save_branding(&c, "Acme Cloud", "#0f766e", "1").await;

    // Act
    let res = save_branding(&c, "Stale", "#000000", "1").await;

    // Assert
    assert_eq!(res.status(), 409);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["Conflict"],
        "stale"
    );
    assert_eq!(settings(&c).await["company_name"], "Acme Cloud");
}

async fn permissions_are_saved_as_ticked(tdb: &TestDb) {
    // Arrange
    let c = setup(&tdb.db).await;
    let form = [
        ("update_payment_methods", "on"),
        ("download_invoices", "on"),
        ("version", "1"),
    ];

    // Act
    let res = post(&c.app, "save_permissions", &form, Some(&c.admin)).await;

    // Assert
    assert_eq!(res.status(), 200);
    let s = settings(&c).await;
    assert_eq!(
        (
            s["perm_update_payment_methods"].as_bool(),
            s["perm_view_payment_history"].as_bool()
        ),
        (Some(true), Some(false))
    );
}

async fn the_longest_pause_is_saved_and_one_out_of_range_refused(tdb: &TestDb) {
    // Arrange
    let c = setup(&tdb.db).await;
    let form = |days: &'static str, version: &'static str| {
        [
            ("pause_subscription", "on"),
            ("pause_max_days", days),
            ("version", version),
        ]
    };

    // Act
    let refused = post(
        &c.app,
        "save_permissions",
        &form("366", "1"),
        Some(&c.admin),
    )
    .await;
    let after_refusal = settings(&c).await;
    let saved = post(&c.app, "save_permissions", &form("45", "1"), Some(&c.admin)).await;

    // Assert
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("pause_max_days.invalid")
    );
    assert_eq!(
        (
            after_refusal["perm_pause_subscription"].as_bool(),
            after_refusal["pause_max_days"].as_u64()
        ),
        (Some(false), Some(90)),
        "nothing written"
    );
    assert_eq!(saved.status(), 200);
    let s = settings(&c).await;
    assert_eq!(
        (
            s["perm_pause_subscription"].as_bool(),
            s["pause_max_days"].as_u64()
        ),
        (Some(true), Some(45))
    );
}

async fn a_retention_offer_is_saved_cleared_and_a_bad_one_refused(tdb: &TestDb) {
    // Arrange
    let c = setup(&tdb.db).await;
    let form = |percent: &'static str, months: &'static str, version: &'static str| {
        [
            ("cancel_subscription", "on"),
            ("retention_percent", percent),
            ("retention_months", months),
            ("retention_form", "1"),
            ("version", version),
        ]
    };
    let save = |pairs: [(&'static str, &'static str); 5]| {
        let app = &c.app;
        let admin = &c.admin;
        async move { post(app, "save_permissions", &pairs, Some(admin)).await }
    };

    // Act
    let refused = [
        save(form("0", "3", "1")).await,
        save(form("100", "3", "1")).await,
        save(form("20", "25", "1")).await,
        save(form("20", "", "1")).await,
        save(form("ten", "3", "1")).await,
    ];
    let after_refusals = settings(&c).await;
    let saved = save(form("20", "3", "1")).await;
    let after_save = settings(&c).await;
    // A form without the offer's fields (an older page) leaves it as it is.
    let older = [("cancel_subscription", "on"), ("version", "2")];
    let kept = post(&c.app, "save_permissions", &older, Some(&c.admin)).await;
    let after_older = settings(&c).await;
    let cleared = save(form("", "", "3")).await;
    let after_clear = settings(&c).await;

    // Assert
    let mut codes = Vec::new();
    for res in refused {
        assert_eq!(res.status(), 422);
        codes.push(res.text().await.unwrap());
    }
    for (body, code) in codes.iter().zip([
        "retention_percent.invalid",
        "retention_percent.invalid",
        "retention_months.invalid",
        "retention_months.invalid",
        "retention_percent.invalid",
    ]) {
        assert!(body.contains(code), "{code} in {body}");
    }
    assert!(
        after_refusals["retention_offer"].is_null(),
        "nothing written"
    );
    assert_eq!(after_refusals["version"], 1);
    assert_eq!(saved.status(), 200);
    assert_eq!(after_save["retention_offer"]["percent"], 20);
    assert_eq!(after_save["retention_offer"]["months"], 3);
    assert_eq!(kept.status(), 200);
    assert_eq!(
        after_older["retention_offer"],
        after_save["retention_offer"]
    );
    assert_eq!(cleared.status(), 200);
    assert!(
        after_clear["retention_offer"].is_null(),
        "both empty: no offer"
    );
}

async fn a_quantity_range_is_saved_kept_and_a_bad_one_refused(tdb: &TestDb) {
    // Arrange
    let c = setup(&tdb.db).await;
    let form = |min: &'static str, max: &'static str, version: &'static str| {
        vec![
            ("change_plan", "on"),
            ("quantity_min", min),
            ("quantity_max", max),
            ("plans_form", "1"),
            ("version", version),
        ]
    };
    let save = |pairs: Vec<(&'static str, &'static str)>| {
        let app = &c.app;
        let admin = &c.admin;
        async move { post(app, "save_permissions", &pairs, Some(admin)).await }
    };

    // Act
    let refused = [
        save(form("0", "5", "1")).await,
        save(form("5", "2", "1")).await,
        save(form("2", "", "1")).await,
        save(form("1", "10001", "1")).await,
    ];
    let mut unknown_price = form("", "", "1");
    unknown_price.push(("switch_prices[]", "price_doesnotexist0000"));
    let unknown = save(unknown_price).await;
    let after_refusals = settings(&c).await;
    let saved = save(form("2", "8", "1")).await;
    let after_save = settings(&c).await;
    let older = [("change_plan", "on"), ("version", "2")];
    let kept = post(&c.app, "save_permissions", &older, Some(&c.admin)).await;
    let after_older = settings(&c).await;

    // Assert
    let mut bodies = Vec::new();
    for res in refused {
        assert_eq!(res.status(), 422);
        bodies.push(res.text().await.unwrap());
    }
    for (body, code) in bodies.iter().zip([
        "quantity_min.invalid",
        "quantity_max.invalid",
        "quantity_max.invalid",
        "quantity_max.invalid",
    ]) {
        assert!(body.contains(code), "{code} in {body}");
    }
    assert_eq!(unknown.status(), 422);
    assert!(unknown.text().await.unwrap().contains("price.unknown"));
    assert!(
        after_refusals["quantity_range"].is_null(),
        "nothing written"
    );
    assert_eq!(after_refusals["version"], 1);
    assert_eq!(saved.status(), 200);
    assert_eq!(after_save["quantity_range"]["min"], 2);
    assert_eq!(after_save["quantity_range"]["max"], 8);
    assert_eq!(after_save["perm_change_plan"], true);
    assert_eq!(kept.status(), 200);
    assert_eq!(after_older["quantity_range"], after_save["quantity_range"]);
}

async fn enable(c: &Ctx, on: bool, version: &str) -> reqwest::Response {
    let mut form = vec![("version", version)];
    if on {
        form.push(("enabled", "on"));
    }
    post(&c.app, "set_portal_enabled", &form, Some(&c.admin)).await
}

async fn enabling_gives_an_absolute_url_that_survives_off_and_on(tdb: &TestDb) {
    // Arrange
    let c = setup(&tdb.db).await;
    assert!(settings(&c).await["portal_url"].is_null(), "no key yet");

    // Act
    let res = enable(&c, true, "1").await;
    let url = settings(&c).await["portal_url"].clone();
    enable(&c, false, "2").await;
    enable(&c, true, "3").await;

    // Assert
    assert_eq!(res.status(), 200);
    let url = url.as_str().unwrap();
    assert!(
        url.starts_with(&format!("{}/portal/", c.app.address)),
        "{url}"
    );
    assert_eq!(settings(&c).await["portal_url"], url, "the key is kept");
}

async fn an_owner_rotates_the_key_only_when_confirmed_and_it_is_audited(tdb: &TestDb) {
    // Arrange
    let c = setup(&tdb.db).await;
    enable(&c, true, "1").await;
    let url = settings(&c).await["portal_url"].clone();
    let owner = Some(c.owner.as_str());

    // Act
    let unconfirmed = post(&c.app, "rotate_portal_key", &[("version", "2")], owner).await;
    let confirmed = post(
        &c.app,
        "rotate_portal_key",
        &[("confirm", "on"), ("version", "2")],
        owner,
    )
    .await;

    // Assert
    assert_eq!(field_code(unconfirmed, "confirm").await, "confirm.required");
    assert_eq!(confirmed.status(), 200);
    assert_ne!(settings(&c).await["portal_url"], url);
    let audit = audit_event::Entity::find().all(&tdb.db).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "portal.key_rotated" && e.actor == "owner@acme.test")
    );
    let page: serde_json::Value = post(&c.app, "audit_log", &[("page", "1")], Some(&c.admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["rows"].as_array().unwrap().len(), audit.len());
}

#[tokio::test]
async fn enabling_needs_payments() {
    let tdb = TestDb::sqlite().await;
    let app = spawn_app(&tdb.db).await;
    org(&tdb.db, "nopay", false).await;
    staff_user(&tdb.db, "nopay", "admin@nopay.test", StaffRole::Admin).await;
    let cookie = sign_in(&app, "admin@nopay.test").await;
    let res = post(
        &app,
        "set_portal_enabled",
        &[("enabled", "on"), ("version", "1")],
        Some(&cookie),
    )
    .await;
    assert_eq!(res.status(), 409);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["Conflict"],
        "payments_inactive"
    );
}

fn png(w: u32, h: u32, alpha: u8) -> Vec<u8> {
    use image::ImageEncoder;
    let pixels: Vec<u8> = std::iter::repeat_n([15, 118, 110, alpha], (w * h) as usize)
        .flatten()
        .collect();
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new_with_quality(
        &mut out,
        image::codecs::png::CompressionType::Best,
        image::codecs::png::FilterType::NoFilter,
    )
    .write_image(&pixels, w, h, image::ExtendedColorType::Rgba8)
    .unwrap();
    out
}

async fn upload(c: &Ctx, bytes: Vec<u8>, name: &str) -> reqwest::Response {
    upload_as(c, &c.admin, bytes, name, false).await
}

async fn upload_as(
    c: &Ctx,
    cookie: &str,
    bytes: Vec<u8>,
    name: &str,
    html: bool,
) -> reqwest::Response {
    let boundary = "----dunwelltestboundary";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"{name}\"\r\nContent-Type: image/png\r\n\r\n").into_bytes();
    body.extend_from_slice(&bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut req = client()
        .post(format!("{}/admin/brand/logo", c.app.address))
        .header("origin", &c.app.address)
        .header("cookie", cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        );
    if html {
        req = req.header("accept", "text/html");
    }
    req.body(body).send().await.unwrap()
}

fn urlencode(form: &[(&str, &str)]) -> String {
    form.iter()
        .map(|(k, v)| format!("{}={}", app::forms::encode(k), app::forms::encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[tokio::test]
async fn logo_uploads_are_checked_by_content() {
    let tdb = TestDb::sqlite().await;
    let c = setup(&tdb.db).await;
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50"><script>alert(1)</script></svg>"#.to_vec();
    let mut big = png(200, 50, 0);
    big.resize(600 * 1024, 0);
    for (bytes, name, code) in [
        (svg, "logo.svg", "logo.not_png"),
        (b"just some text".to_vec(), "logo.png", "logo.not_png"),
        (png(6000, 6000, 0), "bomb.png", "logo.too_many_pixels"),
        (big, "big.png", "logo.too_large"),
    ] {
        let res = upload(&c, bytes, name).await;
        assert_eq!(field_code(res, "logo").await, code, "{name}");
    }
    assert_eq!(version(&tdb.db, "acme").await, 1);
    let res = upload(&c, png(200, 50, 0), "logo.png").await;
    assert_eq!(res.status(), 200);
    let logo: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        (
            logo["width"].as_u64(),
            logo["height"].as_u64(),
            logo["transparent"].as_bool()
        ),
        (Some(200), Some(50), Some(true))
    );
    let url = logo["url"].as_str().unwrap();
    let res = client()
        .get(format!("{}{url}", c.app.address))
        .header("cookie", &c.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert_eq!(
        client()
            .get(format!("{}{url}", c.app.address))
            .header("cookie", &c.other)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    // A browser form post comes back to the page with the outcome.
    let res = upload_as(&c, &c.admin, b"GIF89a".to_vec(), "x.png", true).await;
    assert_eq!(res.status(), 303);
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .contains("logo_error=logo.not_png")
    );
}

#[tokio::test]
async fn templates_are_checked_previewed_saved_and_tested() {
    let tdb = TestDb::sqlite().await;
    let c = setup(&tdb.db).await;
    let a = Some(c.admin.as_str());
    let base = [
        ("kind", "payment_failed"),
        ("locale", "en"),
        ("subject", "Payment failed"),
    ];
    for (body, code) in [
        ("Hi\n{% include 'secrets' %}", "template.include@2"),
        ("Hi {{ customer_name }\n", "template.syntax@1"),
        (
            "Hi\n\n{{ password }}",
            "template.unknown_variable@3@password",
        ),
        (
            "{% for a in range(10000) %}{% for b in range(10000) %}x{% endfor %}{% endfor %}",
            "template.render@1",
        ),
    ] {
        let form = [base[0], base[1], base[2], ("body", body)];
        let res = post(&c.app, "save_template", &form, a).await;
        assert_eq!(field_code(res, "body").await, code, "{body}");
    }
    let form = [
        base[0],
        base[1],
        base[2],
        ("body", "Hello {{ customer_name }} <b>"),
    ];
    let p: serde_json::Value = post(&c.app, "preview_template", &form, a)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p["missing_portal_link"], true);
    assert!(p["text"].as_str().unwrap().contains("Giulia Rossi"));
    let form = [
        base[0],
        base[1],
        base[2],
        ("body", "Fix it: {{ customer_portal_link }}"),
    ];
    assert_eq!(post(&c.app, "save_template", &form, a).await.status(), 200);
    let t: serde_json::Value = post(&c.app, "template", &[base[0], base[1]], a)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (t["custom"].as_bool(), t["body"].as_str()),
        (Some(true), Some("Fix it: {{ customer_portal_link }}"))
    );
    assert_eq!(
        post(&c.app, "send_test_email", &[base[0], base[1]], a)
            .await
            .status(),
        200
    );
    let mail = outbound_email::Entity::find().all(&tdb.db).await.unwrap();
    assert!(
        mail.iter()
            .any(|m| m.to_address == "admin@acme.test" && m.text_body.contains("Fix it:"))
    );
    assert_eq!(
        post(&c.app, "reset_template", &[base[0], base[1]], a)
            .await
            .status(),
        200
    );
    let t: serde_json::Value = post(&c.app, "template", &[base[0], base[1]], a)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(t["custom"], false);
    assert_eq!(
        post(&c.app, "template", &[("kind", "nope"), ("locale", "en")], a)
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn customers_search_filter_and_email_on_file() {
    let tdb = TestDb::sqlite().await;
    let c = setup(&tdb.db).await;
    let a = Some(c.admin.as_str());
    let list: serde_json::Value = post(
        &c.app,
        "customers",
        &[("q", "GIULIA"), ("status", ""), ("page", "1")],
        a,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(list["total"], 1);
    let list: serde_json::Value = post(
        &c.app,
        "customers",
        &[("q", ""), ("status", "past_due"), ("page", "1")],
        a,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(list["total"], 0);
    let list: serde_json::Value = post(
        &c.app,
        "customers",
        &[("q", ""), ("status", ""), ("page", "9")],
        a,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        (list["total"].as_u64(), list["page"].as_u64()),
        (Some(2), Some(1))
    );
    let id = c.customer_id.as_str();
    for (email, code) in [
        ("not-an-email", "email.invalid"),
        ("<script>@x.com", "email.invalid"),
        ("mario@example.com", "email.taken"),
    ] {
        let res = post(
            &c.app,
            "update_customer_email",
            &[("id", id), ("email", email)],
            a,
        )
        .await;
        assert_eq!(field_code(res, "email").await, code, "{email}");
    }
    assert_eq!(
        post(
            &c.app,
            "update_customer_email",
            &[("id", id), ("email", "Giulia.Rossi@Example.com")],
            a
        )
        .await
        .status(),
        200
    );
    let d: serde_json::Value = post(&c.app, "customer", &[("id", id)], a)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(d["email"], "giulia.rossi@example.com");
    assert_eq!(
        post(&c.app, "customer", &[("id", "cus_doesnotexist0000")], a)
            .await
            .status(),
        404
    );
    // The portal is off: no sign-in link.
    assert_eq!(
        post(&c.app, "send_sign_in_link", &[("id", id)], a)
            .await
            .status(),
        409
    );
}

#[tokio::test]
async fn console_pages_redirect_anonymous_visitors_to_sign_in() {
    let tdb = TestDb::sqlite().await;
    let c = setup(&tdb.db).await;
    let res = client()
        .get(format!("{}/admin/settings/portal", c.app.address))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    assert_eq!(
        res.headers()["location"],
        "/admin/sign-in?next=/admin/settings/portal"
    );
    let res = client()
        .get(format!("{}/admin/sign-in", c.app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    for page in [
        "/admin",
        "/admin/customers",
        "/admin/settings/portal",
        "/admin/settings/notifications",
        "/admin/audit",
        "/admin/outbox",
        "/admin/test-clock",
    ] {
        let res = client()
            .get(format!("{}{page}", c.app.address))
            .header("cookie", &c.viewer)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{page}");
    }
    let res = client()
        .get(format!(
            "{}/admin/customers/{}",
            c.app.address, c.customer_id
        ))
        .header("cookie", &c.viewer)
        .send()
        .await
        .unwrap();
    let body = res.text().await.unwrap();
    assert!(body.contains("giulia@example.com"));
}

/// A paid invoice with one line for customer `customer_id` (`cus_…`); returns `inv_…`.
async fn add_invoice(db: &DatabaseConnection, customer_id: &str, number: &str) -> String {
    let c = customer::Entity::find()
        .filter(customer::Column::PublicId.eq(customer_id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let id = domain::InvoiceId::from_random(dunwell::secret::random_bytes()).to_string();
    let now = chrono::Utc::now();
    let inv = invoice::ActiveModel {
        public_id: Set(id.clone()),
        organization_id: Set(c.organization_id),
        customer_id: Set(c.id),
        subscription_id: Set(None),
        number: Set(number.into()),
        status: Set("paid".into()),
        currency: Set("EUR".into()),
        subtotal_minor: Set(2900),
        total_minor: Set(2900),
        amount_paid_minor: Set(2900),
        attempt_count: Set(1),
        first_failure_at: Set(None),
        next_attempt_at: Set(None),
        period_start: Set(now),
        period_end: Set(now),
        paid_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    invoice_line::ActiveModel {
        invoice_id: Set(inv.id),
        description: Set("Pro plan".into()),
        quantity: Set(1),
        unit_amount_minor: Set(2900),
        amount_minor: Set(2900),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    id
}

async fn get(app: &TestApp, path: &str, cookie: Option<&str>, html: bool) -> reqwest::Response {
    let mut req = client().get(format!("{}{path}", app.address));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    if html {
        req = req.header("accept", "text/html");
    }
    req.send().await.unwrap()
}

async fn staff_download_their_organizations_invoice_pdfs(tdb: &TestDb) {
    let db = &tdb.db;
    let c = setup(db).await;
    let inv = add_invoice(db, &c.customer_id, "ACME-0042").await;
    let path = format!("/admin/customers/{}/invoices/{inv}.pdf", c.customer_id);

    // The customer page links each invoice to its PDF.
    let d: serde_json::Value = post(
        &c.app,
        "customer",
        &[("id", &c.customer_id)],
        Some(&c.viewer),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(d["invoices"][0]["pdf_url"], path.as_str(), "{d}");

    // Signed out: 401, and a browser goes to sign-in and back to the customer.
    assert_eq!(get(&c.app, &path, None, false).await.status(), 401);
    let res = get(&c.app, &path, None, true).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        format!("/admin/sign-in?next=/admin/customers/{}", c.customer_id).as_str()
    );
    // Another organization: 404, the same as an unknown invoice.
    assert_eq!(
        get(&c.app, &path, Some(&c.other), false).await.status(),
        404
    );
    let unknown = format!(
        "/admin/customers/{}/invoices/inv_aaaaaaaaaaaaaaaa.pdf",
        c.customer_id
    );
    assert_eq!(
        get(&c.app, &unknown, Some(&c.admin), false).await.status(),
        404
    );
    // Another customer's path with this invoice: 404.
    let mario: serde_json::Value = post(
        &c.app,
        "customers",
        &[("q", "mario"), ("status", ""), ("page", "1")],
        Some(&c.admin),
    )
    .await
    .json()
    .await
    .unwrap();
    let mario = mario["rows"][0]["id"].as_str().unwrap();
    let wrong = format!("/admin/customers/{mario}/invoices/{inv}.pdf");
    assert_eq!(
        get(&c.app, &wrong, Some(&c.admin), false).await.status(),
        404
    );

    // The seller's and the customer's business details are printed.
    let business = [
        ("legal_name", "Acme Software S.r.l."),
        ("business_address", "Corso Como 5\n20154 Milano"),
        ("vat_number", "IT12345678903"),
        ("invoice_footer", "IBAN IT60X0542811101000000123456"),
        ("invoice_prefix", ""),
    ];
    let saved = post(&c.app, "save_business_details", &business, Some(&c.admin)).await;
    assert_eq!(saved.status(), 200);
    let giulia = [
        ("id", c.customer_id.as_str()),
        ("name", "Giulia Rossi"),
        ("locale", "en"),
        ("billing_address", "Via Po 3, Torino"),
        ("tax_id", "DE123456789"),
    ];
    let saved = post(&c.app, "update_customer_details", &giulia, Some(&c.admin)).await;
    assert_eq!(saved.status(), 200);

    // Any role downloads: the portal's branded PDF, with the invoice's number.
    for cookie in [&c.viewer, &c.owner] {
        let res = get(&c.app, &path, Some(cookie), false).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        assert!(
            res.headers()["cache-control"]
                .to_str()
                .unwrap()
                .contains("no-store")
        );
        let bytes = res.bytes().await.unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let text = pdf_text::pdf_text(&bytes).expect("pdftotext reads the invoice PDF");
        for needle in [
            "ACME-0042",
            "Giulia Rossi",
            "giulia@example.com",
            "Pro plan",
            "Acme Software S.r.l.",
            "20154 Milano",
            "VAT IT12345678903",
            "Via Po 3, Torino",
            "VAT DE123456789",
            "IBAN IT60X0542811101000000123456",
        ] {
            assert!(
                text.contains(needle),
                "the PDF text holds {needle:?}: {text}"
            );
        }
    }
}

async fn the_audit_log_pages_newest_first(tdb: &TestDb) {
    let db = &tdb.db;
    let c = setup(db).await;
    let acme = orgs::find_by_slug(db, "acme").await.unwrap().unwrap().id;
    let other = orgs::find_by_slug(db, "other").await.unwrap().unwrap().id;
    let t0 = chrono::Utc::now() - chrono::Duration::days(1);
    for (org, n) in [(acme, 30), (other, 3)] {
        for i in 0..n {
            audit_event::ActiveModel {
                organization_id: Set(org),
                actor: Set("admin@acme.test".into()),
                action: Set("test.event".into()),
                details: Set(format!("event {i}")),
                created_at: Set(t0 + chrono::Duration::minutes(i)),
                ..Default::default()
            }
            .insert(db)
            .await
            .unwrap();
        }
    }
    let page = |n: &'static str, cookie: String| {
        let app = &c.app;
        async move {
            post(app, "audit_log", &[("page", n)], Some(&cookie))
                .await
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    let details = |log: &serde_json::Value| -> Vec<String> {
        log["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["details"].as_str().unwrap().to_owned())
            .collect()
    };
    let first = page("1", c.viewer.clone()).await;
    assert_eq!(
        (
            first["page"].as_u64(),
            first["pages"].as_u64(),
            first["total"].as_u64()
        ),
        (Some(1), Some(2), Some(30))
    );
    let want: Vec<String> = (5..30).rev().map(|i| format!("event {i}")).collect();
    assert_eq!(details(&first), want, "25 a page, newest first");
    let second = page("2", c.viewer.clone()).await;
    let want: Vec<String> = (0..5).rev().map(|i| format!("event {i}")).collect();
    assert_eq!((second["page"].as_u64(), details(&second)), (Some(2), want));
    // Past the end: the last page; before the start: the first.
    assert_eq!(page("9", c.viewer.clone()).await["page"], 2);
    assert_eq!(page("0", c.viewer.clone()).await["page"], 1);
    // Another organization sees only its own events.
    let theirs = page("1", c.other.clone()).await;
    assert_eq!(
        (theirs["total"].as_u64(), theirs["pages"].as_u64()),
        (Some(3), Some(1))
    );
    // The page links work without JavaScript.
    let html = client()
        .get(format!("{}/admin/audit?page=2", c.app.address))
        .header("cookie", &c.viewer)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .replace("<!>", "");
    assert!(html.contains("Page 2 of 2"), "{html}");
    assert!(html.contains("href=\"/admin/audit?page=1\""));
    assert!(html.contains("event 0") && !html.contains("event 5<"));
}

#[tokio::test]
async fn an_oversize_logo_upload_gets_the_fields_message_not_a_bare_413() {
    let tdb = TestDb::sqlite().await;
    let c = setup(&tdb.db).await;
    // 2 MiB: over the router's general 1 MiB body limit, read by the route itself.
    let mut big = png(200, 50, 0);
    big.resize(2 * 1024 * 1024, 0);
    let res = upload(&c, big.clone(), "big.png").await;
    assert_eq!(field_code(res, "logo").await, "logo.too_large");
    let res = upload_as(&c, &c.admin, big, "big.png", true).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/admin/settings/portal?logo_error=logo.too_large#logo-file"
    );
    // The page it leads to says so beside the field.
    let page = client()
        .get(format!(
            "{}/admin/settings/portal?logo_error=logo.too_large",
            c.app.address
        ))
        .header("cookie", &c.admin)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("The logo is larger than 512 KB."), "{page}");
    // Beyond what the route reads: the same answer.
    let mut huge = png(200, 50, 0);
    huge.resize(dunwell::http::LOGO_READ_LIMIT + 1024 * 1024, 0);
    let res = upload_as(&c, &c.admin, huge, "huge.png", true).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/admin/settings/portal?logo_error=logo.too_large#logo-file"
    );
    // Nothing changed, and other routes keep the general limit.
    assert_eq!(version(&tdb.db, "acme").await, 1);
    let res = client()
        .post(format!("{}/api/console/save_branding", c.app.address))
        .header("origin", &c.app.address)
        .header("cookie", &c.admin)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![b'a'; 2 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
}

#[tokio::test]
async fn the_demo_has_a_viewer_who_sees_everything_and_changes_nothing() {
    let tdb = TestDb::sqlite().await;
    let app = spawn_app(&tdb.db).await;
    let loaded =
        dunwell::demo::load_into_empty(&app.state.db, &app.state.config, &app.state.engine)
            .await
            .unwrap();
    assert_eq!(loaded.viewer_email, dunwell::demo::DEMO_VIEWER_EMAIL);
    let password = loaded
        .viewer_password
        .clone()
        .or_else(|| std::env::var("DUNWELL_VIEWER_PASSWORD").ok())
        .expect("a generated password, or the one from the environment");
    let viewer = sign_in_with(&app, &loaded.viewer_email, &password).await;
    let me: serde_json::Value = post(&app, "me", &[], Some(&viewer))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (me["role"].as_str(), me["can_change"].as_bool()),
        (Some("viewer"), Some(false))
    );
    let res = post(
        &app,
        "save_branding",
        &[
            ("company_name", "Forged"),
            ("primary_color", "#000000"),
            ("version", "1"),
        ],
        Some(&viewer),
    )
    .await;
    assert_eq!(res.status(), 403);
}

/// A client whose connections come from `127.0.{hi}.{lo}` (another client address).
fn client_from(hi: u8, lo: u8) -> reqwest::Client {
    dunwell::webhooks::install_tls_provider();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .local_address(std::net::IpAddr::V4(std::net::Ipv4Addr::new(
            127, 0, hi, lo,
        )))
        .build()
        .unwrap()
}

async fn failed_sign_in(app: &TestApp, from: &reqwest::Client, i: usize) -> u16 {
    from.post(format!("{}/api/console/sign_in", app.address))
        .header("origin", &app.address)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(urlencode(&[
            ("email", &format!("nobody{i}@acme.test")),
            ("password", "wrong-password"),
        ]))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Argon2 runs on the blocking pool: while a storm of failed sign-ins from many addresses
/// is being hashed, the server's only async thread (this test's runtime) keeps answering.
#[tokio::test]
async fn a_sign_in_storm_does_not_stall_other_requests() {
    let tdb = TestDb::sqlite().await;
    let app = spawn_app(&tdb.db).await;
    let _ = org(&tdb.db, "acme", true).await;
    let storm_started = std::time::Instant::now();
    let storm: Vec<_> = (0..12u8)
        .map(|i| {
            let app_address = app.address.clone();
            let from = client_from(1, i + 1);
            tokio::spawn(async move {
                from.post(format!("{app_address}/api/console/sign_in"))
                    .header("origin", &app_address)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(format!(
                        "email=nobody{i}%40acme.test&password=wrong-password"
                    ))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut slowest = std::time::Duration::ZERO;
    while !storm.iter().all(|h| h.is_finished()) {
        let t = std::time::Instant::now();
        let res = client()
            .get(format!("{}/healthz", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        slowest = slowest.max(t.elapsed());
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let storm_took = storm_started.elapsed();
    for h in storm {
        assert_eq!(h.await.unwrap(), 401);
    }
    assert!(
        storm_took > std::time::Duration::from_millis(100),
        "the storm was long enough to measure ({storm_took:?})"
    );
    // Had the hashes run on this (only) runtime thread, a probe would wait for the hashes
    // queued before it: most of the storm.
    assert!(
        slowest * 4 < storm_took,
        "the health check kept answering during the storm (slowest {slowest:?}, storm {storm_took:?})"
    );
    tdb.finish().await;
}

/// Past the global budget of failed sign-ins, new attempts from fresh addresses are refused
/// (429) before any password is hashed, and every attempt answers the same way.
async fn failed_sign_ins_from_many_addresses_hit_a_global_limit(tdb: &TestDb) {
    let app = dunwell::testing::spawn_app_with(&tdb.db, |c| {
        c.limits.failed_sign_ins.per_window = 3;
    })
    .await;
    let _ = org(&tdb.db, "acme", true).await;
    staff_user(&tdb.db, "acme", "owner@acme.test", StaffRole::Owner).await;
    let mut statuses = Vec::new();
    for i in 0..5u8 {
        statuses.push(failed_sign_in(&app, &client_from(2, i + 1), usize::from(i)).await);
    }
    assert_eq!(statuses, [401, 401, 401, 429, 429]);
    // A minute later the budget is back.
    app.clock.advance(chrono::TimeDelta::seconds(61));
    assert_eq!(failed_sign_in(&app, &client_from(2, 9), 9).await, 401);
}

/// Bad arguments to the console's server functions are the client's error (400/422 naming
/// the field), never a 500.
async fn malformed_console_calls_answer_400_or_422_naming_the_field(tdb: &TestDb) {
    let ctx = setup(&tdb.db).await;
    let owner = ctx.owner.as_str();
    let cases: [(&str, &str, Option<&str>); 9] = [
        ("audit_log", "page=-1", Some("page")),
        ("audit_log", "page=abc", Some("page")),
        ("audit_log", "page=1e9", Some("page")),
        ("audit_log", "page=99999999999999999999", Some("page")),
        ("audit_log", "", Some("page")),
        ("remove_logo", "version=abc", Some("version")),
        ("remove_logo", "version=2147483648", Some("version")),
        ("customers", "q=&status=&page=x", Some("page")),
        ("save_permissions", "version=1&version=2", None),
    ];
    for (endpoint, body, field) in cases {
        let res = client()
            .post(format!("{}/api/console/{endpoint}", ctx.app.address))
            .header("origin", &ctx.app.address)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", owner)
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        assert!(
            matches!(status, 400 | 422),
            "{endpoint} {body}: {status} {text}"
        );
        if let Some(field) = field {
            assert_eq!(status, 422, "{endpoint} {body}");
            assert!(
                text.contains(&format!("\"field\":\"{field}\"")),
                "{endpoint} {body}: {text}"
            );
        }
    }
    for (content_type, body) in [
        ("application/json", b"{\"page\":1}".to_vec()),
        (
            "application/x-www-form-urlencoded",
            vec![0xff, 0xfe, b'=', 0x80],
        ),
    ] {
        let res = client()
            .post(format!("{}/api/console/audit_log", ctx.app.address))
            .header("origin", &ctx.app.address)
            .header("content-type", content_type)
            .header("cookie", owner)
            .body(body)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        assert!(matches!(status, 400 | 422), "{content_type}: {status}");
    }
}

/// `/metrics` answers only with the configured bearer token, and shows real counters.
#[tokio::test]
async fn metrics_need_the_bearer_token() {
    let tdb = TestDb::sqlite().await;
    let open = spawn_app(&tdb.db).await;
    let res = client()
        .get(format!("{}/metrics", open.address))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        404,
        "not served without DUNWELL_METRICS_TOKEN"
    );
    // This test's own recorder, the default on this (the test runtime's only) thread, where
    // the server's middleware records.
    let recorder: &'static _ = Box::leak(Box::new(
        metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder(),
    ));
    let _local = metrics::set_default_local_recorder(recorder);
    let app = dunwell::testing::spawn_app_with_metrics(
        &tdb.db,
        |c| {
            c.metrics_token = Some(dunwell::secret::BearerSecret::new(
                "metrics-token-for-tests",
            ))
        },
        Some(recorder.handle()),
    )
    .await;
    let url = format!("{}/metrics", app.address);
    for auth in [
        None,
        Some("Bearer wrong-token-of-some-length"),
        Some("metrics-token-for-tests"),
    ] {
        let mut req = client().get(&url);
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        assert_eq!(req.send().await.unwrap().status(), 401, "{auth:?}");
    }
    // A counted request first, then the scrape shows it.
    client()
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .unwrap();
    let res = client()
        .get(&url)
        .header("authorization", "Bearer metrics-token-for-tests")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    assert!(text.contains("http_requests_total"), "{text}");
    tdb.finish().await;
}

/// A concurrent burst of failed sign-ins cannot slip past the global budget: each attempt
/// takes its place before the password is checked.
#[tokio::test]
async fn a_concurrent_burst_of_failed_sign_ins_stays_within_the_global_budget() {
    let tdb = TestDb::sqlite().await;
    let app = dunwell::testing::spawn_app_with(&tdb.db, |c| {
        c.limits.failed_sign_ins.per_window = 3;
    })
    .await;
    let _ = org(&tdb.db, "acme", true).await;
    let app = std::sync::Arc::new(app);
    let burst: Vec<_> = (0..12u8)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                failed_sign_in(&app, &client_from(3, i + 1), usize::from(i)).await
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for h in burst {
        statuses.push(h.await.unwrap());
    }
    statuses.sort_unstable();
    assert_eq!(
        statuses,
        [401, 401, 401, 429, 429, 429, 429, 429, 429, 429, 429, 429]
    );
    tdb.finish().await;
}

on_each_database!(
    signing_in_sets_strict_cookies_and_stores_only_the_hash,
    sign_in_refuses_an_open_redirect,
    an_unknown_email_and_a_wrong_password_get_the_same_answer,
    five_wrong_passwords_lock_the_account_for_fifteen_minutes,
    a_staff_session_expires_when_idle,
    signing_out_ends_the_session,
    a_bad_branding_field_is_named_and_nothing_is_written,
    a_branding_save_is_stored_normalised_and_audited,
    a_stale_branding_form_does_not_overwrite,
    permissions_are_saved_as_ticked,
    the_longest_pause_is_saved_and_one_out_of_range_refused,
    a_retention_offer_is_saved_cleared_and_a_bad_one_refused,
    a_quantity_range_is_saved_kept_and_a_bad_one_refused,
    enabling_gives_an_absolute_url_that_survives_off_and_on,
    an_owner_rotates_the_key_only_when_confirmed_and_it_is_audited,
    staff_download_their_organizations_invoice_pdfs,
    the_audit_log_pages_newest_first,
    failed_sign_ins_from_many_addresses_hit_a_global_limit,
    malformed_console_calls_answer_400_or_422_naming_the_field,
);
