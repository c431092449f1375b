//! `POST /v1/portal_sessions`: the one-time URL signs the customer into the portal without
//! email (once, for five minutes), opens the flow's page in the asked language and shows
//! "Back to {company}"; an emailed link does not open that way; every bad request is a typed
//! error that writes nothing, and another organization's ids are 404.
use crate::support::api::{DemoApi as Demo, api_error as error, demo_api as demo};
use dunwell::entity::{audit_event, customer, magic_link, portal_settings, subscription};
use dunwell::testing::{TestDb, client, set_cookie};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::{Value, json};

const GIULIA: &str = "giulia@example.com";

impl Demo {
    async fn create(&self, key: &str, body: &Value) -> reqwest::Response {
        self.post(key, "/portal_sessions", body).await
    }

    /// Opens a session URL as a browser without cookies would.
    async fn open(&self, url: &str) -> reqwest::Response {
        client().get(url).send().await.unwrap()
    }

    async fn api_links(&self) -> u64 {
        magic_link::Entity::find()
            .filter(magic_link::Column::FromApi.eq(true))
            .count(&self.app.state.db)
            .await
            .unwrap()
    }

    async fn set_settings(&self, change: impl FnOnce(&mut portal_settings::ActiveModel)) {
        let row = portal_settings::Entity::find()
            .filter(portal_settings::Column::PortalKey.eq(self.portal.as_str()))
            .one(&self.app.state.db)
            .await
            .unwrap()
            .unwrap();
        let mut active = row.into_active_model();
        change(&mut active);
        active.update(&self.app.state.db).await.unwrap();
    }
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn the_url_signs_the_customer_in_once_on_the_flow_page_with_a_way_back(tdb: &TestDb) {
    // Arrange
    let d = demo(tdb).await;
    let giulia = d.customer(GIULIA).await;

    // Act
    let res = d
        .create(
            &d.key,
            &json!({
                "customer": giulia.public_id,
                "return_url": "https://app.example.com/account",
                "flow": {"type": "payment_method_update"},
                "locale": "it",
            }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let session: Value = res.json().await.unwrap();
    let url = session["url"].as_str().unwrap().to_owned();
    let first = d.open(&url).await;
    let cookie = set_cookie(&first, "dw_customer").expect("a session cookie");
    let language = set_cookie(&first, "i18n_pref_locale");
    let page = d
        .app
        .page(
            &format!("/portal/{}/payment-methods", d.portal),
            Some(&format!("{cookie}; i18n_pref_locale=it")),
        )
        .await;
    let page_status = page.status();
    let html = page.text().await.unwrap();
    let second = d.open(&url).await;

    // Assert
    assert_eq!(session["object"], "portal_session");
    assert_eq!(session["customer"], giulia.public_id.as_str());
    assert_eq!(session["return_url"], "https://app.example.com/account");
    assert_eq!(session["flow"], json!({"type": "payment_method_update"}));
    assert_eq!(session["locale"], "it");
    assert_eq!(
        session["expires_at"].as_i64().unwrap() - session["created"].as_i64().unwrap(),
        300
    );
    let prefix = format!("{}/portal/{}/session?token=", d.app.address, d.portal);
    assert!(url.starts_with(&prefix), "{url}");
    let token = &url[prefix.len()..];
    let stored = magic_link::Entity::find()
        .filter(magic_link::Column::FromApi.eq(true))
        .one(&d.app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(stored.token_hash, token, "only the token's hash is stored");
    assert!(!stored.token_hash.contains(token));

    assert_eq!(first.status(), 303);
    assert_eq!(
        location(&first),
        format!("/portal/{}/payment-methods", d.portal)
    );
    assert_eq!(language.as_deref(), Some("i18n_pref_locale=it"));
    assert_eq!(page_status, 200);
    assert!(
        html.contains(r#"href="https://app.example.com/account""#),
        "the header links back to the app"
    );
    let back = html
        .find("portal-back")
        .map(|at| &html[at..(at + 160).min(html.len())])
        .unwrap_or_default();
    assert!(
        back.replace("<!>", "").contains("Torna a Acme Cloud"),
        "in Italian: {back}"
    );

    assert_eq!(second.status(), 303, "the URL works once");
    assert!(
        location(&second).starts_with(&format!("/portal/{}/login/verify?token=", d.portal)),
        "{}",
        location(&second)
    );
    assert!(set_cookie(&second, "dw_customer").is_none());
    let audit = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("portal_session.created"))
        .one(&d.app.state.db)
        .await
        .unwrap()
        .expect("audited");
    assert!(
        audit.actor.starts_with("API key Acme app"),
        "{}",
        audit.actor
    );
    let recorded = dunwell::entity::event::Entity::find()
        .filter(dunwell::entity::event::Column::Kind.eq("portal_session.created"))
        .one(&d.app.state.db)
        .await
        .unwrap()
        .expect("an event");
    assert_eq!(recorded.object_id, giulia.public_id);
    assert!(
        !recorded.data.contains("session?token=") && !recorded.data.contains(token),
        "the event never holds the sign-in URL: {}",
        recorded.data
    );
    assert!(audit.details.contains(&giulia.public_id));
}

async fn the_url_expires_after_five_minutes(tdb: &TestDb) {
    // Arrange
    let d = demo(tdb).await;
    let giulia = d.customer(GIULIA).await;
    let res = d
        .create(&d.key, &json!({"customer": giulia.public_id}))
        .await;
    let session: Value = res.json().await.unwrap();

    // Act
    d.app.clock.advance(chrono::TimeDelta::minutes(5));
    let late = d.open(session["url"].as_str().unwrap()).await;

    // Assert
    assert_eq!(late.status(), 303);
    assert!(location(&late).contains("/login/verify?token="));
    assert!(set_cookie(&late, "dw_customer").is_none());
    assert_eq!(session["locale"], "it", "the customer's own language");
    assert_eq!(session["flow"], Value::Null);
}

async fn a_cancel_flow_opens_that_subscription_and_no_return_url_shows_no_way_back(tdb: &TestDb) {
    // Arrange
    let d = demo(tdb).await;
    let sub = subscription::Entity::find()
        .filter(subscription::Column::Status.eq("active"))
        .filter(subscription::Column::CancelAtPeriodEnd.eq(false))
        .order_by_asc(subscription::Column::Id)
        .one(&d.app.state.db)
        .await
        .unwrap()
        .expect("an active subscription");
    let holder = customer::Entity::find_by_id(sub.customer_id)
        .one(&d.app.state.db)
        .await
        .unwrap()
        .unwrap();

    // Act
    let res = d
        .create(
            &d.key,
            &json!({
                "customer": holder.public_id,
                "flow": {"type": "subscription_cancel", "subscription": sub.public_id},
                "locale": "en",
            }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let session: Value = res.json().await.unwrap();
    let opened = d.open(session["url"].as_str().unwrap()).await;
    let cookie = set_cookie(&opened, "dw_customer").expect("signed in");
    let page = d.app.page(&location(&opened), Some(&cookie)).await;
    let html = page.text().await.unwrap();

    // Assert
    assert_eq!(
        location(&opened),
        format!("/portal/{}/cancel?subscription={}", d.portal, sub.public_id)
    );
    assert!(
        html.contains(&format!("cancel-{}", sub.public_id)),
        "{}",
        html.find("id=\"main\"")
            .map(|at| &html[at..(at + 3000).min(html.len())])
            .unwrap_or_default()
    );
    assert!(!html.contains("portal-back"), "no return_url, no link back");

    // Canceling and resuming there are events the app hears.
    let form = |fun: &'static str| {
        let cookie = cookie.clone();
        let (key, sub) = (d.portal.clone(), sub.public_id.clone());
        let app = &d.app;
        async move {
            let pairs = [
                ("key", key.as_str()),
                ("subscription", sub.as_str()),
                ("reason", "too_expensive"),
            ];
            let res = app
                .call(&format!("/api/portal/{fun}"), &pairs, Some(&cookie))
                .await;
            assert!(
                res.status().is_success() || res.status().is_redirection(),
                "{fun}: {}",
                res.status()
            );
        }
    };
    form("cancel").await;
    form("resume").await;
    let events: Value = d.get(&d.key, "/events?limit=2").await.json().await.unwrap();
    assert_eq!(events["data"][0]["type"], "subscription.resumed");
    assert_eq!(events["data"][1]["type"], "subscription.updated");
    assert_eq!(
        events["data"][1]["data"]["object"]["cancel_at_period_end"],
        true
    );
}

async fn a_replayed_session_answer_holds_no_sign_in_url(tdb: &TestDb) {
    // Arrange
    let d = demo(tdb).await;
    let giulia = d.customer(GIULIA).await;
    let send = || {
        client()
            .post(format!("{}/v1/portal_sessions", d.app.address))
            .bearer_auth(&d.key)
            .header("idempotency-key", "open-portal-1")
            .json(&json!({"customer": giulia.public_id}))
            .send()
    };

    // Act
    let first: Value = send().await.unwrap().json().await.unwrap();
    let again = send().await.unwrap();
    let replayed = again.headers().get("idempotent-replayed").cloned();
    let again: Value = again.json().await.unwrap();
    let kept = dunwell::entity::idempotency_key::Entity::find()
        .all(&d.app.state.db)
        .await
        .unwrap();

    // Assert
    assert!(
        first["url"]
            .as_str()
            .is_some_and(|u| u.contains("session?token="))
    );
    assert_eq!(replayed.as_ref().map(|v| v.as_bytes()), Some(&b"true"[..]));
    assert_eq!(again["url"], Value::Null);
    assert_eq!(again["customer"], giulia.public_id.as_str());
    assert!(
        kept.iter()
            .all(|k| !k.response_body.as_deref().unwrap_or("").contains("token=")),
        "no sign-in token is kept"
    );
}

async fn an_emailed_link_does_not_open_by_get(tdb: &TestDb) {
    // Arrange
    let d = demo(tdb).await;
    d.app
        .call(
            "/api/portal/request_link",
            &[("key", &d.portal), ("email", GIULIA)],
            None,
        )
        .await;
    let token = d.app.sign_in_token(GIULIA).await.expect("emailed");

    // Act
    let by_get = d
        .open(&format!(
            "{}/portal/{}/session?token={token}",
            d.app.address, d.portal
        ))
        .await;
    let by_post = d
        .app
        .call(
            "/api/portal/sign_in",
            &[("key", &d.portal), ("token", &token)],
            None,
        )
        .await;

    // Assert
    assert_eq!(by_get.status(), 303);
    assert!(location(&by_get).contains("/login/verify?token="));
    assert!(set_cookie(&by_get, "dw_customer").is_none());
    assert!(
        set_cookie(&by_post, "dw_customer").is_some(),
        "the emailed link is still good for its own page"
    );
}

async fn bad_requests_are_typed_errors_and_write_nothing(tdb: &TestDb) {
    // Arrange
    let d = demo(tdb).await;
    let giulia = d.customer(GIULIA).await;
    let cus = giulia.public_id.as_str();
    let someone_else = customer::Entity::find()
        .filter(customer::Column::OrganizationId.eq(giulia.organization_id))
        .filter(customer::Column::Id.ne(giulia.id))
        .one(&d.app.state.db)
        .await
        .unwrap()
        .unwrap();
    let their_sub = subscription::Entity::find()
        .filter(subscription::Column::CustomerId.eq(someone_else.id))
        .one(&d.app.state.db)
        .await
        .unwrap()
        .expect("another customer's subscription");

    // Act
    let script = d
        .create(
            &d.key,
            &json!({"customer": cus, "return_url": "javascript:alert(1)"}),
        )
        .await;
    let relative = d
        .create(&d.key, &json!({"customer": cus, "return_url": "/account"}))
        .await;
    let french = d
        .create(&d.key, &json!({"customer": cus, "locale": "fr"}))
        .await;
    let unknown_flow = d
        .create(
            &d.key,
            &json!({"customer": cus, "flow": {"type": "teleport"}}),
        )
        .await;
    let unknown_field = d
        .create(&d.key, &json!({"customer": cus, "colour": "red"}))
        .await;
    let wrong_type = d.create(&d.key, &json!({"customer": 42})).await;
    let foreign = d.create(&d.other_key, &json!({"customer": cus})).await;
    let malformed = d.create(&d.key, &json!({"customer": "cus_nope"})).await;
    let not_hers = d
        .create(
            &d.key,
            &json!({"customer": cus, "flow": {"type": "subscription_cancel", "subscription": their_sub.public_id}}),
        )
        .await;
    let no_key = client()
        .post(format!("{}/v1/portal_sessions", d.app.address))
        .json(&json!({"customer": cus}))
        .send()
        .await
        .unwrap();
    d.set_settings(|s| s.perm_cancel_subscription = Set(false))
        .await;
    let cancel_off = d
        .create(
            &d.key,
            &json!({"customer": cus, "flow": {"type": "subscription_cancel", "subscription": d.first_sub(giulia.id).await}}),
        )
        .await;
    d.set_settings(|s| s.enabled = Set(false)).await;
    let portal_off = d.create(&d.key, &json!({"customer": cus})).await;

    // Assert
    let e = error(script, 422).await;
    assert_eq!(
        (e["param"].as_str(), e["code"].as_str()),
        (Some("return_url"), Some("field.invalid"))
    );
    assert_eq!(error(relative, 422).await["param"], "return_url");
    assert_eq!(error(french, 422).await["param"], "locale");
    assert_eq!(error(unknown_flow, 400).await["code"], "parameter_invalid");
    assert_eq!(error(unknown_field, 400).await["param"], "colour");
    assert_eq!(error(wrong_type, 400).await["param"], "customer");
    assert_eq!(error(foreign, 404).await["code"], "resource_missing");
    assert_eq!(error(malformed, 404).await["code"], "resource_missing");
    assert_eq!(error(not_hers, 404).await["code"], "resource_missing");
    assert_eq!(error(no_key, 401).await["code"], "api_key_missing");
    assert_eq!(error(cancel_off, 409).await["code"], "flow_disabled");
    assert_eq!(error(portal_off, 409).await["code"], "portal_disabled");
    assert_eq!(d.api_links().await, 0, "nothing written");
}

impl Demo {
    async fn first_sub(&self, customer_id: i64) -> String {
        subscription::Entity::find()
            .filter(subscription::Column::CustomerId.eq(customer_id))
            .one(&self.app.state.db)
            .await
            .unwrap()
            .unwrap()
            .public_id
    }
}

async fn the_app_opens_the_portal_and_hears_that_the_new_card_recovered_the_subscription(
    tdb: &TestDb,
) {
    // Arrange: Giulia is past due (the demo); the app sends her to update her card.
    let d = demo(tdb).await;
    let giulia = d.customer(GIULIA).await;
    let res = d
        .create(
            &d.key,
            &json!({"customer": giulia.public_id, "flow": {"type": "payment_method_update"}}),
        )
        .await;
    let session: Value = res.json().await.unwrap();
    let opened = d.open(session["url"].as_str().unwrap()).await;
    let cookie = set_cookie(&opened, "dw_customer").expect("signed in");

    // Act
    let added = d
        .app
        .submit(
            "/api/portal/add_card",
            &[
                ("key", d.portal.as_str()),
                ("number", "4242 4242 4242 4242"),
                ("expiry", "12/34"),
                ("cvc", "123"),
                ("holder", "Giulia Rossi"),
                ("make_default", "on"),
            ],
            Some(&cookie),
        )
        .await;
    let recovered = d.get(&d.key, "/events?type=subscription.recovered").await;
    let recovered: Value = recovered.json().await.unwrap();
    let all = d.get(&d.key, "/events?limit=20").await;
    let all: Value = all.json().await.unwrap();

    // Assert
    assert_eq!(added.status(), 302);
    let data = recovered["data"].as_array().unwrap();
    assert_eq!(data.len(), 1, "{recovered}");
    let sub = &data[0]["data"]["object"];
    assert_eq!(sub["object"], "subscription");
    assert_eq!(sub["customer"], giulia.public_id.as_str());
    assert_eq!(sub["status"], "active");
    let kinds: Vec<&str> = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    for kind in [
        "payment_method.attached",
        "payment_method.default_changed",
        "invoice.paid",
        "subscription.recovered",
        "portal_session.created",
    ] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    let paid = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "invoice.paid")
        .unwrap();
    assert_eq!(paid["data"]["object"]["status"], "paid");
    assert_eq!(paid["data"]["object"]["amount_due"], 0);
}

on_each_database!(
    the_url_signs_the_customer_in_once_on_the_flow_page_with_a_way_back,
    the_url_expires_after_five_minutes,
    a_cancel_flow_opens_that_subscription_and_no_return_url_shows_no_way_back,
    an_emailed_link_does_not_open_by_get,
    bad_requests_are_typed_errors_and_write_nothing,
    the_app_opens_the_portal_and_hears_that_the_new_card_recovered_the_subscription,
    a_replayed_session_answer_holds_no_sign_in_url,
);
