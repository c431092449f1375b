//! The scenario over HTTP: Giulia's renewal failed (demo data); she asks for a sign-in
//! link, uses it once, adds a card as default and the past-due invoice is paid at once.
//! Plus the sign-in security checks: same answer for unknown emails, single use, expiry,
//! cross-organization tokens, session fixation, return_to, cross-site POSTs, and no card
//! number or CVC stored anywhere.
use dunwell::entity::{
    customer, invoice, magic_link, outbound_email, portal_settings, subscription,
};
use dunwell::testing::{TestApp, TestDb, client, form, set_cookie, spawn_app};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Statement};

async fn post(
    app: &TestApp,
    path: &str,
    pairs: &[(&str, &str)],
    cookie: Option<&str>,
) -> reqwest::Response {
    app.submit(path, pairs, cookie).await
}

/// The token of the last sign-in link, as the customer receives it: the link exists only
/// in the sent email, never in the database.
async fn latest_link_token(app: &TestApp) -> String {
    let token = app
        .sign_in_token("giulia@example.com")
        .await
        .expect("a sign-in email was sent");
    let stored = outbound_email::Entity::find()
        .filter(outbound_email::Column::Kind.eq("magic_link"))
        .order_by_desc(outbound_email::Column::Id)
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("the sign-in email is in the outbox");
    for body in [&stored.text_body, &stored.html_body] {
        assert!(
            !body.contains(&token),
            "the stored email holds no usable link"
        );
        assert!(body.contains("token=token-minted-at-delivery"));
    }
    token
}

/// The overview's data, as its server function answers the browser (JSON).
async fn overview(app: &TestApp, key: &str, cookie: &str) -> serde_json::Value {
    let res = client()
        .post(format!("{}/api/portal/overview", app.address))
        .header("origin", &app.address)
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[("key", key)]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn giulia_signs_in_by_magic_link_and_recovers_with_a_new_card(tdb: &TestDb) {
    let app = spawn_app(&tdb.db).await;
    let key = app.load_demo().await;
    let base = format!("/portal/{key}");

    // Branded sign-in page; unknown keys are a neutral 404.
    let res = client()
        .get(format!("{}{base}/login", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("Acme Cloud") && body.contains("--brand:#0f766e"),
        "branded"
    );
    let res = client()
        .get(format!(
            "{}/portal/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/login",
            app.address
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert!(!res.text().await.unwrap().contains("Acme"), "leaks nothing");

    // The same answer for a known and an unknown address; only the known one gets mail.
    let return_to = format!("{base}/payment-methods");
    let known = post(
        &app,
        "/api/portal/request_link",
        &[
            ("key", &key),
            ("email", "GIULIA@example.com"),
            ("return_to", &return_to),
        ],
        None,
    )
    .await;
    let unknown = post(
        &app,
        "/api/portal/request_link",
        &[
            ("key", &key),
            ("email", "nobody@example.com"),
            ("return_to", &return_to),
        ],
        None,
    )
    .await;
    assert_eq!(known.status(), unknown.status());
    let loc = |r: &reqwest::Response| {
        r.headers()["location"]
            .to_str()
            .unwrap()
            .split("&email")
            .next()
            .unwrap()
            .to_owned()
    };
    assert_eq!(loc(&known), loc(&unknown));
    let token = latest_link_token(&app).await;
    let stored = magic_link::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(stored.len(), 1, "one link, for the known address");
    assert!(
        !stored[0].token_hash.contains(&token),
        "only the hash is stored"
    );

    // Opening the link does not use it (mail scanners); Continue (POST) does, once.
    let res = client()
        .get(format!("{}{base}/login/verify?token={token}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.text().await.unwrap().contains("Continue"),
        "the link page shows Continue"
    );
    let fixed = "dw_customer=attacker-chosen";
    let res = post(
        &app,
        "/api/portal/sign_in",
        &[("key", &key), ("token", &token)],
        Some(fixed),
    )
    .await;
    assert_eq!(res.status(), 302);
    assert_eq!(
        res.headers()["location"],
        return_to.as_str(),
        "the deep link survives sign-in"
    );
    let cookie = set_cookie(&res, "dw_customer").expect("a session cookie");
    assert_ne!(cookie, fixed, "a fresh session id at sign-in");
    let again = post(
        &app,
        "/api/portal/sign_in",
        &[("key", &key), ("token", &token)],
        None,
    )
    .await;
    assert!(
        again.headers()["location"]
            .to_str()
            .unwrap()
            .contains("__err"),
        "a used link is refused"
    );
    let res = client()
        .get(format!("{}{base}/login/verify?token={token}", app.address))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    let page = res.text().await.unwrap();
    assert!(
        page.contains("already been used") && page.contains("name=\"email\""),
        "a used link offers a new one"
    );
    assert!(
        !page.contains("giulia@example.com"),
        "the used link's page names no address"
    );

    // The payment-methods page, then a new default card: the invoice is paid at once.
    let res = client()
        .get(format!("{}{return_to}", app.address))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    // Before: past due, with the amount of the failed renewal.
    let before = overview(&app, &key, &cookie).await;
    let subs = before["subscriptions"].as_array().unwrap();
    assert_eq!(subs.len(), 1, "{before}");
    assert_eq!(subs[0]["status"], "past_due", "{before}");
    assert!(subs[0]["plan"].as_str().is_some_and(|p| !p.is_empty()));
    assert_eq!(
        before["past_due"].as_array().map(Vec::len),
        Some(1),
        "one currency past due: {before}"
    );
    let due = &before["past_due"][0];
    assert!(
        due["amount_minor"].as_i64().is_some_and(|m| m > 0),
        "{before}"
    );
    assert_eq!(due["currency"], subs[0]["price"]["currency"], "{before}");
    // The page is rendered on the server; only its forms hydrate, as islands, so the
    // page carries none of its data for the browser.
    let body = res.text().await.unwrap();
    for island in ["AddCardForm_", "AddSepaForm_", "MethodList_"] {
        assert!(
            body.contains(&format!("<leptos-island data-component=\"{island}")),
            "{island} is an island"
        );
    }
    assert!(
        body.contains("__RESOLVED_RESOURCES=[];") && !body.contains("__RESOLVED_RESOURCES["),
        "no resource data for hydration"
    );
    assert!(
        body.contains("window.dunwellVisit = async"),
        "forms land without a reload"
    );
    let company = portal_settings::Entity::find()
        .one(&tdb.db)
        .await
        .unwrap()
        .expect("the demo portal")
        .company_name;
    assert!(
        body.contains(&format!("<title>Payment methods · {company}</title>")),
        "the page names itself in the title"
    );
    let res = post(
        &app,
        "/api/portal/add_card",
        &[
            ("key", &key),
            ("number", "4242 4242 4242 4242"),
            ("expiry", "12/34"),
            ("cvc", "123"),
            ("holder", "Giulia Rossi"),
            ("make_default", "on"),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(res.status(), 302);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.contains("notice=card_added&since=") && !location.contains("outcome"),
        "the outcome is read from the database, not carried in the URL: {location}"
    );
    let giulia = customer::Entity::find()
        .filter(customer::Column::Email.eq("giulia@example.com"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let sub = subscription::Entity::find()
        .filter(subscription::Column::CustomerId.eq(giulia.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sub.status, "active");
    let open = invoice::Entity::find()
        .filter(invoice::Column::CustomerId.eq(giulia.id))
        .filter(invoice::Column::Status.eq("open"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(open.is_empty(), "the past-due invoice is paid");
    let after = overview(&app, &key, &cookie).await;
    assert_eq!(after["subscriptions"][0]["status"], "active", "{after}");
    assert_eq!(
        after["past_due"].as_array().map(Vec::len),
        Some(0),
        "nothing past due: {after}"
    );
    let page = client()
        .get(format!("{}{location}", app.address))
        .header("cookie", &cookie)
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    let page = page.text().await.unwrap();
    assert!(
        page.contains("succeeded: your subscription is active again") || page.contains("riuscito"),
        "the outcome shows"
    );

    // No card number or CVC anywhere in the database or the page.
    assert!(!page.contains("4242 4242 4242 4242") && !page.contains("4242424242424242"));
    for table in [
        "payment_methods",
        "outbound_emails",
        "payment_attempts",
        "audit_events",
        "sandbox_gateway_tokens",
        "customer_sessions",
        "magic_links",
    ] {
        let rows = app
            .state
            .db
            .query_all_raw(Statement::from_string(
                app.state.db.get_database_backend(),
                format!("SELECT * FROM {table}"),
            ))
            .await
            .unwrap_or_default();
        let dump = format!("{rows:?}");
        assert!(
            !dump.contains("4242424242424242") && !dump.contains("4242 4242 4242 4242"),
            "card number in {table}"
        );
    }

    // Cross-site POSTs are refused.
    let res = client()
        .post(format!("{}/api/portal/add_card", app.address))
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[("key", key.as_str())]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn links_expire_and_are_bound_to_their_organization_and_return_to_stays_inside() {
    let tdb = TestDb::sqlite().await;
    let app = spawn_app(&tdb.db).await;
    let key = app.load_demo().await;
    post(
        &app,
        "/api/portal/request_link",
        &[
            ("key", &key),
            ("email", "giulia@example.com"),
            ("return_to", "https://evil.example/"),
        ],
        None,
    )
    .await;
    let token = latest_link_token(&app).await;
    let link = magic_link::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(link.return_to, None, "an outside return_to is dropped");
    // Another portal key (unknown): refused without touching the link.
    let res = post(
        &app,
        "/api/portal/sign_in",
        &[
            ("key", "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"),
            ("token", &token),
        ],
        None,
    )
    .await;
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .contains("__err")
    );
    // 15 minutes later: expired.
    app.clock.advance(chrono::TimeDelta::minutes(16));
    let res = post(
        &app,
        "/api/portal/sign_in",
        &[("key", &key), ("token", &token)],
        None,
    )
    .await;
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .contains("__err"),
        "expired"
    );
    tdb.finish().await;
}

#[tokio::test]
async fn signed_out_requests_and_direct_calls_get_401() {
    let tdb = TestDb::sqlite().await;
    let app = spawn_app(&tdb.db).await;
    let key = app.load_demo().await;
    let res = client()
        .post(format!("{}/api/portal/payment_methods", app.address))
        .header("origin", &app.address)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[("key", key.as_str())]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let res = client()
        .get(format!("{}/portal/{key}/payment-methods", app.address))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302, "pages redirect to sign-in");
    tdb.finish().await;
}

on_each_database!(giulia_signs_in_by_magic_link_and_recovers_with_a_new_card,);
