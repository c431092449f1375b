//! Webhooks: Settings → Webhooks makes an endpoint (secret shown once), events reach it
//! signed as the Standard Webhooks specification says (checked by the independent
//! `standardwebhooks` package in a receiver the test starts), failures are retried on the
//! schedule and logged, a lost record is sent again, a long-failing endpoint is disabled
//! with an email to the owners, and internal addresses are refused.
use crate::support::api::{DemoApi, demo_api};
use crate::support::shop::staff;
use chrono::{TimeDelta, Utc};
use domain::StaffRole;
use dunwell::entity::{
    audit_event, outbound_email, webhook_attempt, webhook_delivery, webhook_endpoint,
};
use dunwell::testing::{TestDb, client, set_cookie, spawn_app_with};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

const GIULIA: &str = "giulia@example.com";

/// The Python receiver (`scripts/webhook_receiver.py`), stopped when dropped.
struct Receiver {
    child: Child,
    base: String,
}

impl Receiver {
    fn start() -> Receiver {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let python = root.join("tools/venv/bin/python");
        assert!(
            python.exists(),
            "{} is missing: run `bash scripts/setup.sh` (it installs standardwebhooks)",
            python.display()
        );
        let mut child = Command::new(python)
            .arg(root.join("scripts/webhook_receiver.py"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the receiver starts");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().expect("stdout"))
            .read_line(&mut line)
            .expect("the receiver prints its port");
        let port = line
            .trim()
            .strip_prefix("listening ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"));
        Receiver {
            child,
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    fn hook_url(&self) -> String {
        format!("{}/hook", self.base)
    }

    async fn configure(&self, secret: &str, fail_first: u32) {
        let res = client()
            .post(format!("{}/configure", self.base))
            .json(&json!({"secret": secret, "fail_first": fail_first}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 204);
    }

    async fn received(&self) -> Vec<Value> {
        let res = client()
            .get(format!("{}/received", self.base))
            .send()
            .await
            .unwrap();
        res.json().await.unwrap()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Makes an endpoint through the console's form; returns its id and the secret the page
/// shows once.
async fn add_endpoint(d: &DemoApi, cookie: &str, url: &str, events: &[&str]) -> (String, String) {
    let mut pairs = vec![("url", url), ("description", "The app")];
    pairs.extend(events.iter().map(|e| ("events[]", *e)));
    let res = d
        .app
        .submit("/api/console/create_webhook_endpoint", &pairs, Some(cookie))
        .await;
    assert_eq!(res.status(), 302, "{:?}", res.text().await);
    let fresh = set_cookie(&res, "dw_new_webhook_secret").expect("the secret is carried");
    let value = fresh.split_once('=').unwrap().1;
    let (id, secret) = value.split_once(':').unwrap();
    let page = d
        .app
        .page(
            "/admin/settings/webhooks",
            Some(&format!("{cookie}; {fresh}")),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(secret), "the page shows the secret once");
    (id.to_owned(), secret.to_owned())
}

/// Giulia (past due in the demo) adds a card that pays her invoice, signed in by email.
async fn giulia_recovers(d: &DemoApi) {
    let cookie = d.app.portal_sign_in(&d.portal, GIULIA).await;
    add_card(d, &cookie).await;
}

/// The merchant's app opens the portal for Giulia (`POST /v1/portal_sessions`); she adds a
/// card there that pays her invoice.
async fn giulia_recovers_from_the_app(d: &DemoApi) {
    let giulia = d.customer(GIULIA).await;
    let session: Value = d
        .post(
            &d.key,
            "/portal_sessions",
            &json!({"customer": giulia.public_id, "return_url": "https://app.example.com/account", "flow": {"type": "payment_method_update"}}),
        )
        .await
        .json()
        .await
        .unwrap();
    let opened = client()
        .get(session["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    let cookie = set_cookie(&opened, "dw_customer").expect("signed in without email");
    add_card(d, &cookie).await;
}

async fn add_card(d: &DemoApi, cookie: &str) {
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
            Some(cookie),
        )
        .await;
    assert_eq!(added.status(), 302);
}

async fn owner(d: &DemoApi) -> String {
    staff(&d.app, "acme", "hooks@acme.test", StaffRole::Owner).await
}

async fn a_signed_recovered_event_reaches_the_app_after_two_failures(tdb: &TestDb) {
    // Arrange: the app's receiver fails its first two deliveries.
    let d = demo_api(tdb).await;
    let cookie = owner(&d).await;
    let receiver = Receiver::start();
    let (endpoint, secret) = add_endpoint(
        &d,
        &cookie,
        &receiver.hook_url(),
        &["subscription.recovered"],
    )
    .await;
    receiver.configure(&secret, 2).await;
    let hooks = d.app.webhooks();
    let t0 = Utc::now();

    // Act: the customer, sent by the app, adds a card that pays; the dispatcher runs on
    // the retry schedule.
    giulia_recovers_from_the_app(&d).await;
    let first = hooks.run_once(t0).await.unwrap();
    let early = hooks.run_once(t0 + TimeDelta::seconds(4)).await.unwrap();
    let second = hooks.run_once(t0 + TimeDelta::seconds(5)).await.unwrap();
    let third = hooks
        .run_once(t0 + TimeDelta::seconds(5) + TimeDelta::minutes(5))
        .await
        .unwrap();
    let after = hooks.run_once(t0 + TimeDelta::hours(1)).await.unwrap();

    // Assert: three tries, the third verified by the independent implementation.
    assert_eq!((first.queued, first.failed), (1, 1), "{first:?}");
    assert_eq!(early.delivered + early.failed, 0, "not due before 5 s");
    assert_eq!(second.failed, 1);
    assert_eq!(third.delivered, 1);
    assert_eq!(after.delivered + after.failed, 0, "delivered once");
    let got = receiver.received().await;
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(
        got.iter()
            .map(|r| r["answered"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        vec![500, 500, 204]
    );
    assert_eq!(got[2]["verified"], true);
    let ids: Vec<&str> = got.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(
        ids.iter().all(|id| *id == ids[0]),
        "one webhook-id for every try"
    );
    let body: Value = serde_json::from_str(got[2]["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["type"], "subscription.recovered");
    assert_eq!(body["id"], ids[0]);
    let shown: Value = d
        .get(&d.key, &format!("/events/{}", ids[0]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body, shown, "delivered exactly as the API shows the event");
    assert_eq!(body["data"]["object"]["status"], "active");
    let log = dunwell::entity::webhook_attempt::Entity::find()
        .order_by_asc(webhook_attempt::Column::Id)
        .all(&d.app.state.db)
        .await
        .unwrap();
    assert_eq!(
        log.iter().map(|a| a.status_code).collect::<Vec<_>>(),
        vec![Some(500), Some(500), Some(204)]
    );
    assert_eq!(log[0].error.as_deref(), Some("the receiver answered 500"));
    assert_eq!(
        log[0].response_body.as_deref(),
        Some(r#"{"error":"not yet"}"#)
    );
    let page = d
        .app
        .page(
            &format!("/admin/settings/webhooks/{endpoint}"),
            Some(&cookie),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("subscription.recovered") && page.contains("500"));
}

async fn a_delivery_whose_outcome_was_lost_is_sent_again(tdb: &TestDb) {
    // Arrange: a delivered event whose record is lost (as if the process died after
    // sending): the row still pending, under the dead worker's lease.
    let d = demo_api(tdb).await;
    let cookie = owner(&d).await;
    let receiver = Receiver::start();
    let (_, secret) = add_endpoint(&d, &cookie, &receiver.hook_url(), &[]).await;
    receiver.configure(&secret, 0).await;
    let hooks = d.app.webhooks();
    let t0 = Utc::now();
    giulia_recovers(&d).await;
    let sent = hooks.run_once(t0).await.unwrap();
    let lease = t0 + dunwell_lease();
    webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::Status, Expr::value("pending"))
        .col_expr(
            webhook_delivery::Column::NextAttemptAt,
            Expr::value(Some(lease)),
        )
        .exec(&d.app.state.db)
        .await
        .unwrap();

    // Act
    let during = hooks.run_once(t0 + TimeDelta::seconds(30)).await.unwrap();
    let after = hooks.run_once(lease).await.unwrap();

    // Assert: nothing while the lease holds, then every event again (at least once).
    assert!(sent.delivered >= 4, "{sent:?}");
    assert_eq!(during.delivered, 0);
    assert_eq!(after.delivered, sent.delivered);
    let got = receiver.received().await;
    assert_eq!(got.len(), 2 * sent.delivered);
    assert!(got.iter().all(|r| r["verified"] == true));
}

fn dunwell_lease() -> TimeDelta {
    dunwell::webhooks::LEASE
}

async fn an_endpoint_failing_for_five_days_is_disabled_and_the_owners_told(tdb: &TestDb) {
    // Arrange: an endpoint whose receiver is gone, failing for five days.
    let d = demo_api(tdb).await;
    let cookie = owner(&d).await;
    let gone = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let (endpoint, _) = add_endpoint(&d, &cookie, &format!("http://{gone}/hook"), &[]).await;
    let hooks = d.app.webhooks();
    let t0 = Utc::now();
    giulia_recovers(&d).await;
    let first = hooks.run_once(t0).await.unwrap();
    let t5 = t0 + TimeDelta::days(5);

    // Act
    let later = hooks.run_once(t5).await.unwrap();
    let after = hooks.run_once(t5 + TimeDelta::days(1)).await.unwrap();

    // Assert
    assert!(first.failed >= 1 && first.delivered == 0, "{first:?}");
    let log = webhook_attempt::Entity::find()
        .one(&d.app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(log.status_code, None);
    assert!(log.error.unwrap().starts_with("could not connect"));
    assert_eq!(later.disabled, 1, "{later:?}");
    assert_eq!(
        after.delivered + after.failed,
        0,
        "a disabled endpoint is sent nothing"
    );
    let row = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::PublicId.eq(&endpoint))
        .one(&d.app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!row.enabled);
    assert_eq!(row.disabled_reason.as_deref(), Some("failing"));
    let emails = outbound_email::Entity::find()
        .filter(outbound_email::Column::Kind.eq("webhook_disabled"))
        .all(&d.app.state.db)
        .await
        .unwrap();
    let mut to: Vec<&str> = emails.iter().map(|e| e.to_address.as_str()).collect();
    to.sort_unstable();
    assert_eq!(
        to,
        vec!["hooks@acme.test", "owner@acme.test"],
        "every owner"
    );
    assert!(emails[0].text_body.contains(&format!("http://{gone}/hook")));
    let audited = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("webhook_endpoint.disabled"))
        .count(&d.app.state.db)
        .await
        .unwrap();
    assert_eq!(audited, 1);
}

async fn replays_send_one_delivery_or_every_failed_one_again(tdb: &TestDb) {
    // Arrange: every try of every delivery fails until the schedule gives up.
    let d = demo_api(tdb).await;
    let cookie = owner(&d).await;
    let receiver = Receiver::start();
    let (endpoint, secret) = add_endpoint(&d, &cookie, &receiver.hook_url(), &[]).await;
    receiver.configure(&secret, 1_000).await;
    let hooks = d.app.webhooks();
    let t0 = Utc::now();
    giulia_recovers(&d).await;
    let mut t = t0;
    for round in 0.. {
        assert!(round < 20, "the schedule never ends");
        hooks.run_once(t).await.unwrap();
        // On to the next due try, as the worker's clock would get there.
        let next = webhook_delivery::Entity::find()
            .filter(webhook_delivery::Column::Status.eq("pending"))
            .order_by_asc(webhook_delivery::Column::NextAttemptAt)
            .one(&d.app.state.db)
            .await
            .unwrap();
        match next.and_then(|n| n.next_attempt_at) {
            Some(due) => t = due,
            None => break,
        }
    }
    let failed = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::Status.eq("failed"))
        .all(&d.app.state.db)
        .await
        .unwrap();
    receiver.configure(&secret, 0).await;

    // Act
    let one = d
        .app
        .submit(
            "/api/console/replay_webhook",
            &[
                ("id", endpoint.as_str()),
                ("delivery", failed[0].public_id.as_str()),
            ],
            Some(&cookie),
        )
        .await;
    let replayed_one = hooks.run_once(t).await.unwrap();
    let all = d
        .app
        .submit(
            "/api/console/replay_failed_webhooks",
            &[
                ("id", endpoint.as_str()),
                ("since", &t0.format("%Y-%m-%d").to_string()),
            ],
            Some(&cookie),
        )
        .await;
    let replayed_all = hooks.run_once(t).await.unwrap();

    // Assert
    assert!(failed.len() >= 4);
    assert!(
        failed.iter().all(|f| f.tries == 13),
        "5 s … 10 h over three days: 13 tries"
    );
    assert_eq!(one.status(), 302);
    assert_eq!(replayed_one.delivered, 1);
    assert_eq!(all.status(), 302);
    assert_eq!(replayed_all.delivered, failed.len() - 1);
}

async fn only_owners_and_admins_manage_endpoints_of_their_own_organization(tdb: &TestDb) {
    // Arrange
    let d = demo_api(tdb).await;
    let cookie = owner(&d).await;
    let viewer = staff(&d.app, "acme", "watcher@acme.test", StaffRole::Viewer).await;
    let other = staff(&d.app, "other", "boss@other.test", StaffRole::Admin).await;
    let (endpoint, _) = add_endpoint(&d, &cookie, "http://127.0.0.1:9/hook", &[]).await;
    let url = [("url", "http://127.0.0.1:9/x")];
    let id = [("id", endpoint.as_str())];

    // Act
    let anonymous = d
        .app
        .call("/api/console/create_webhook_endpoint", &url, None)
        .await;
    let as_viewer = d
        .app
        .call("/api/console/create_webhook_endpoint", &url, Some(&viewer))
        .await;
    let viewer_log = d
        .app
        .call("/api/console/webhook_deliveries", &id, Some(&viewer))
        .await;
    let mut foreign = Vec::new();
    for path in [
        "/api/console/rotate_webhook_secret",
        "/api/console/delete_webhook_endpoint",
        "/api/console/webhook_deliveries",
        "/api/console/set_webhook_enabled",
    ] {
        foreign.push(d.app.call(path, &id, Some(&other)).await.status());
    }
    let unknown_event = d
        .app
        .call(
            "/api/console/create_webhook_endpoint",
            &[
                ("url", "http://127.0.0.1:9/x"),
                ("events[]", "customer.deleted"),
            ],
            Some(&cookie),
        )
        .await;

    // Assert
    assert_eq!(anonymous.status(), 401);
    assert_eq!(as_viewer.status(), 403);
    assert_eq!(viewer_log.status(), 403);
    assert!(foreign.iter().all(|s| *s == 404), "{foreign:?}");
    assert_eq!(unknown_event.status(), 422);
    assert_eq!(
        webhook_endpoint::Entity::find()
            .count(&d.app.state.db)
            .await
            .unwrap(),
        1,
        "nothing written"
    );
}

async fn internal_and_plain_http_addresses_are_refused(tdb: &TestDb) {
    // Arrange: a server as deployed (no DUNWELL_WEBHOOK_ALLOW_INSECURE).
    let app = spawn_app_with(&tdb.db, |c| c.webhook_allow_insecure = false).await;
    app.load_demo().await;
    let cookie = staff(&app, "acme", "hooks@acme.test", StaffRole::Owner).await;
    let create = |url: &'static str| {
        let app = &app;
        let cookie = cookie.clone();
        async move {
            let res = app
                .call(
                    "/api/console/create_webhook_endpoint",
                    &[("url", url)],
                    Some(&cookie),
                )
                .await;
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };

    // Act
    let plain = create("http://hooks.example.com/x").await;
    let loopback = create("https://127.0.0.1/x").await;
    let metadata = create("https://169.254.169.254/latest/meta-data").await;
    let private = create("https://[fd00:ec2::254]/").await;
    let local = create("https://localhost:8443/x").await;
    let script = create("javascript:alert(1)").await;

    // Assert
    assert_eq!(plain.0, 422);
    assert!(plain.1.contains("url.not_https"), "{}", plain.1);
    for (status, body) in [&loopback, &metadata, &private, &local] {
        assert_eq!(*status, 422);
        assert!(body.contains("url.internal"), "{body}");
    }
    assert_eq!(script.0, 422);
    assert_eq!(
        webhook_endpoint::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );
}

async fn a_branding_change_reaches_the_app_as_portal_settings_updated(tdb: &TestDb) {
    // Arrange
    let d = demo_api(tdb).await;
    let cookie = owner(&d).await;
    let receiver = Receiver::start();
    let (_, secret) = add_endpoint(
        &d,
        &cookie,
        &receiver.hook_url(),
        &["portal_settings.updated"],
    )
    .await;
    receiver.configure(&secret, 0).await;
    let version = dunwell::entity::portal_settings::Entity::find()
        .one(&d.app.state.db)
        .await
        .unwrap()
        .unwrap()
        .version
        .to_string();

    // Act
    let saved = d
        .app
        .submit(
            "/api/console/save_branding",
            &[
                ("company_name", "Acme Rebrand"),
                ("primary_color", "#123456"),
                ("version", version.as_str()),
            ],
            Some(&cookie),
        )
        .await;
    giulia_recovers(&d).await;
    let sent = d.app.webhooks().run_once(Utc::now()).await.unwrap();

    // Assert: only the settings event (the endpoint hears nothing else).
    assert_eq!(saved.status(), 302);
    assert_eq!(sent.delivered, 1, "{sent:?}");
    let got = receiver.received().await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["verified"], true);
    let body: Value = serde_json::from_str(got[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["type"], "portal_settings.updated");
    let settings = &body["data"]["object"];
    assert_eq!(settings["object"], "portal_settings");
    assert_eq!(settings["company_name"], "Acme Rebrand");
    assert_eq!(settings["primary_color"], "#123456");
    assert_eq!(settings["enabled"], true);
}

/// The issue's "done when", as a merchant's app does it with only the README and the
/// OpenAPI document: it creates a customer and a subscription through `/v1`, the renewal
/// after the trial finds no card and the subscription goes past due, the app opens the
/// portal for the customer (`POST /v1/portal_sessions`), the customer's new card pays, and
/// the app's receiver gets `subscription.recovered`, its signature checked by the
/// independent `standardwebhooks` package.
async fn the_app_creates_a_customer_who_recovers_and_hears_it_signed(tdb: &TestDb) {
    use dunwell::billing::Clock;
    // Arrange: the app listens for the three changes it grants or revokes access on.
    let d = demo_api(tdb).await;
    let cookie = owner(&d).await;
    let receiver = Receiver::start();
    let (_, secret) = add_endpoint(
        &d,
        &cookie,
        &receiver.hook_url(),
        &[
            "subscription.created",
            "subscription.past_due",
            "subscription.recovered",
        ],
    )
    .await;
    receiver.configure(&secret, 0).await;
    let post = |path: &'static str, body: Value| {
        let d = &d;
        async move {
            let res = d.post(&d.key, path, &body).await;
            assert_eq!(res.status(), 200, "POST {path}");
            res.json::<Value>().await.unwrap()
        }
    };

    // Act
    let price = post(
        "/prices",
        json!({"name": "Team", "unit_amount": 4900, "currency": "EUR",
               "recurring": {"interval": "month"}}),
    )
    .await;
    let customer = post(
        "/customers",
        json!({"email": "marta@app.example", "name": "Marta Galli"}),
    )
    .await;
    let sub = post(
        "/subscriptions",
        json!({"customer": customer["id"], "price": price["id"], "trial_days": 3}),
    )
    .await;
    // Each step's events are delivered before the next (one run sends a batch at once,
    // in no set order).
    let hooks = d.app.webhooks();
    hooks.run_once(Utc::now()).await.unwrap();
    d.app.clock.advance(TimeDelta::days(4));
    d.app
        .state
        .engine
        .run_once(d.app.clock.now())
        .await
        .unwrap();
    hooks.run_once(Utc::now()).await.unwrap();
    let past_due: Value = d
        .get(
            &d.key,
            &format!("/subscriptions/{}", sub["id"].as_str().unwrap()),
        )
        .await
        .json()
        .await
        .unwrap();
    let session = post(
        "/portal_sessions",
        json!({"customer": customer["id"], "return_url": "https://app.example/account",
               "flow": {"type": "payment_method_update"}}),
    )
    .await;
    let opened = client()
        .get(session["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    let portal_cookie = set_cookie(&opened, "dw_customer").expect("signed in without email");
    add_card(&d, &portal_cookie).await;
    hooks.run_once(Utc::now()).await.unwrap();

    // Assert
    assert_eq!(past_due["status"], "past_due", "{past_due}");
    let got: Vec<(String, Value, bool)> = receiver
        .received()
        .await
        .into_iter()
        .map(|r| {
            let body: Value = serde_json::from_str(r["body"].as_str().unwrap()).unwrap();
            (
                body["type"].as_str().unwrap().to_owned(),
                body["data"]["object"].clone(),
                r["verified"] == true,
            )
        })
        .filter(|(_, object, _)| object["id"] == sub["id"])
        .collect();
    assert_eq!(
        got.iter()
            .map(|(kind, _, verified)| (kind.as_str(), *verified))
            .collect::<Vec<_>>(),
        vec![
            ("subscription.created", true),
            ("subscription.past_due", true),
            ("subscription.recovered", true),
        ]
    );
    assert_eq!(got[2].1["status"], "active");
    assert_eq!(got[2].1["customer"], customer["id"]);
}

on_each_database!(
    a_branding_change_reaches_the_app_as_portal_settings_updated,
    a_signed_recovered_event_reaches_the_app_after_two_failures,
    the_app_creates_a_customer_who_recovers_and_hears_it_signed,
    a_delivery_whose_outcome_was_lost_is_sent_again,
    an_endpoint_failing_for_five_days_is_disabled_and_the_owners_told,
    replays_send_one_delivery_or_every_failed_one_again,
    only_owners_and_admins_manage_endpoints_of_their_own_organization,
    internal_and_plain_http_addresses_are_refused,
);
