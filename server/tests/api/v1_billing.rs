//! `/v1/prices` and `/v1/subscriptions` through an API key, `Idempotency-Key` on every POST
//! (20 concurrent repeats make one object; another body under the key is 409), and the
//! per-key rate limit (429 with `Retry-After`).
use crate::api_keys::make_key;
use crate::support::api::api_error as error;
use crate::support::shop::{shop, staff};
use domain::{RequestRate, StaffRole};
use dunwell::entity::{customer, outbound_email, plan, subscription};
use dunwell::testing::{TestApp, TestDb, spawn_app_with};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

struct Api {
    app: TestApp,
    key: String,
    other_key: String,
}

async fn api(tdb: &TestDb) -> Api {
    let s = shop(tdb).await;
    let (_, key) = make_key(&s.app, &s.admin, "Acme app").await;
    let (_, other_key) = make_key(&s.app, &s.other, "Other app").await;
    Api {
        app: s.app,
        key,
        other_key,
    }
}

impl Api {
    async fn send(&self, req: reqwest::RequestBuilder) -> reqwest::Response {
        req.send().await.unwrap()
    }

    fn post_req(&self, key: &str, path: &str, body: &Value) -> reqwest::RequestBuilder {
        dunwell::testing::client()
            .post(format!("{}/v1{path}", self.app.address))
            .bearer_auth(key)
            .json(body)
    }

    async fn post(&self, key: &str, path: &str, body: &Value) -> reqwest::Response {
        self.send(self.post_req(key, path, body)).await
    }

    async fn get(&self, key: &str, path: &str) -> reqwest::Response {
        self.send(
            dunwell::testing::client()
                .get(format!("{}/v1{path}", self.app.address))
                .bearer_auth(key),
        )
        .await
    }

    async fn ok(&self, res: reqwest::Response) -> Value {
        let status = res.status();
        let body: Value = res.json().await.unwrap();
        assert_eq!(status, 200, "{body}");
        body
    }

    async fn price(&self) -> Value {
        let body = json!({
            "name": "Pro monthly",
            "unit_amount": 2900,
            "currency": "eur",
            "recurring": {"interval": "month"}
        });
        self.ok(self.post(&self.key, "/prices", &body).await).await
    }

    async fn customer(&self, email: &str) -> Value {
        let body = json!({"email": email, "name": "Marco Rossi", "locale": "it"});
        self.ok(self.post(&self.key, "/customers", &body).await)
            .await
    }
}

async fn prices_are_created_listed_retrieved_and_archived(tdb: &TestDb) {
    // Arrange
    let a = api(tdb).await;

    // Act
    let price = a.price().await;
    let id = price["id"].as_str().unwrap();
    let fetched = a.ok(a.get(&a.key, &format!("/prices/{id}")).await).await;
    let listed = a.ok(a.get(&a.key, "/prices").await).await;
    let archived = a
        .ok(a
            .post(&a.key, &format!("/prices/{id}/archive"), &json!({}))
            .await)
        .await;
    let foreign = a.get(&a.other_key, &format!("/prices/{id}")).await;
    let negative = a
        .post(
            &a.key,
            "/prices",
            &json!({"name": "X", "unit_amount": -5, "currency": "EUR", "recurring": {"interval": "month"}}),
        )
        .await;
    let bad_interval = a
        .post(
            &a.key,
            "/prices",
            &json!({"name": "X", "unit_amount": 500, "currency": "EUR", "recurring": {"interval": "fortnight"}}),
        )
        .await;
    let bad_currency = a
        .post(
            &a.key,
            "/prices",
            &json!({"name": "X", "unit_amount": 500, "currency": "XXX", "recurring": {"interval": "month"}}),
        )
        .await;

    // Assert
    assert!(id.starts_with("plan_"));
    assert_eq!(price["object"], "price");
    assert_eq!(price["unit_amount"], 2900);
    assert_eq!(price["currency"], "EUR");
    assert_eq!(
        price["recurring"],
        json!({"interval": "month", "interval_count": 1})
    );
    assert_eq!(fetched, price);
    assert_eq!(listed["data"][0]["id"], id);
    assert_eq!(archived["archived"], true);
    assert_eq!(error(foreign, 404).await["code"], "resource_missing");
    assert_eq!(error(negative, 422).await["param"], "unit_amount");
    assert_eq!(
        error(bad_interval, 422).await["param"],
        "recurring.interval"
    );
    assert_eq!(error(bad_currency, 422).await["param"], "currency");
    assert_eq!(
        plan::Entity::find().count(&a.app.state.db).await.unwrap(),
        1
    );
}

async fn a_subscription_without_a_card_waits_and_the_customer_is_asked_for_one(tdb: &TestDb) {
    // Arrange
    let a = api(tdb).await;
    let price = a.price().await;
    let marco = a.customer("marco@example.com").await;

    // Act
    let sub = a
        .ok(a
            .post(
                &a.key,
                "/subscriptions",
                &json!({"customer": marco["id"], "price": price["id"], "quantity": 2}),
            )
            .await)
        .await;
    let id = sub["id"].as_str().unwrap();
    let listed = a
        .ok(a
            .get(
                &a.key,
                &format!(
                    "/subscriptions?customer={}&status=incomplete",
                    marco["id"].as_str().unwrap()
                ),
            )
            .await)
        .await;
    let foreign = a.get(&a.other_key, &format!("/subscriptions/{id}")).await;
    let foreign_cancel = a
        .post(
            &a.other_key,
            &format!("/subscriptions/{id}/cancel"),
            &json!({}),
        )
        .await;

    // Assert
    assert!(id.starts_with("sub_"));
    assert_eq!(sub["object"], "subscription");
    assert_eq!(sub["status"], "incomplete");
    assert_eq!(sub["quantity"], 2);
    assert_eq!(sub["customer"], marco["id"]);
    assert_eq!(sub["price"], price["id"]);
    assert_eq!(listed["data"].as_array().unwrap().len(), 1);
    assert_eq!(error(foreign, 404).await["code"], "resource_missing");
    assert_eq!(error(foreign_cancel, 404).await["code"], "resource_missing");
    let asked = outbound_email::Entity::find()
        .all(&a.app.state.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "add_payment_method")
        .count();
    assert_eq!(asked, 1, "the customer is emailed the link to add a card");
}

async fn a_subscription_is_canceled_at_period_end_resumed_then_canceled_now(tdb: &TestDb) {
    // Arrange
    let a = api(tdb).await;
    let price = a.price().await;
    let marco = a.customer("marco@example.com").await;
    let later = (chrono::Utc::now() + chrono::TimeDelta::days(10))
        .format("%Y-%m-%d")
        .to_string();
    let sub = a
        .ok(a
            .post(
                &a.key,
                "/subscriptions",
                &json!({"customer": marco["id"], "price": price["id"], "start": later}),
            )
            .await)
        .await;
    let id = sub["id"].as_str().unwrap();

    // Act
    let ending = a
        .ok(a
            .post(
                &a.key,
                &format!("/subscriptions/{id}/cancel"),
                &json!({"at_period_end": true}),
            )
            .await)
        .await;
    let resumed = a
        .ok(a
            .post(&a.key, &format!("/subscriptions/{id}/resume"), &json!({}))
            .await)
        .await;
    let no_body = dunwell::testing::client()
        .post(format!("{}/v1/subscriptions/{id}/cancel", a.app.address))
        .bearer_auth(&a.key)
        .send()
        .await
        .unwrap();
    let canceled = a.ok(no_body).await;
    let again = a
        .post(&a.key, &format!("/subscriptions/{id}/resume"), &json!({}))
        .await;

    // Assert
    assert_eq!(sub["status"], "active");
    assert_eq!(ending["cancel_at_period_end"], true);
    assert_eq!(resumed["cancel_at_period_end"], false);
    assert_eq!(canceled["status"], "canceled");
    assert!(canceled["canceled_at"].is_i64());
    assert_eq!(error(again, 409).await["code"], "not_cancelable");
}

async fn a_subscription_changes_price_and_quantity_for_the_next_renewal(tdb: &TestDb) {
    // Arrange
    let a = api(tdb).await;
    let price = a.price().await;
    let dearer = a
        .ok(a
            .post(
                &a.key,
                "/prices",
                &json!({"name": "Team monthly", "unit_amount": 4900, "currency": "EUR", "recurring": {"interval": "month"}}),
            )
            .await)
        .await;
    let dollars = a
        .ok(a
            .post(
                &a.key,
                "/prices",
                &json!({"name": "Pro USD", "unit_amount": 3100, "currency": "USD", "recurring": {"interval": "month"}}),
            )
            .await)
        .await;
    let marco = a.customer("marco@example.com").await;
    let later = (chrono::Utc::now() + chrono::TimeDelta::days(10))
        .format("%Y-%m-%d")
        .to_string();
    let sub = a
        .ok(a
            .post(
                &a.key,
                "/subscriptions",
                &json!({"customer": marco["id"], "price": price["id"], "start": later}),
            )
            .await)
        .await;
    let path = format!("/subscriptions/{}", sub["id"].as_str().unwrap());
    let audits = || async {
        dunwell::entity::audit_event::Entity::find()
            .filter(dunwell::entity::audit_event::Column::Action.eq("subscription.updated"))
            .count(&a.app.state.db)
            .await
            .unwrap()
    };

    // Act
    let more = a
        .ok(a.post(&a.key, &path, &json!({"quantity": 3})).await)
        .await;
    let moved = a
        .ok(a.post(&a.key, &path, &json!({"price": dearer["id"]})).await)
        .await;
    let same = a.ok(a.post(&a.key, &path, &json!({})).await).await;
    let after_same = audits().await;
    let currency = a
        .post(&a.key, &path, &json!({"price": dollars["id"]}))
        .await;
    let unknown = a
        .post(&a.key, &path, &json!({"price": "plan_aaaaaaaaaaaaaaaa"}))
        .await;
    let zero = a.post(&a.key, &path, &json!({"quantity": 0})).await;
    let extra = a.post(&a.key, &path, &json!({"interval": "year"})).await;
    let foreign = a.post(&a.other_key, &path, &json!({"quantity": 2})).await;
    a.ok(a.post(&a.key, &format!("{path}/cancel"), &json!({})).await)
        .await;
    let ended = a.post(&a.key, &path, &json!({"quantity": 2})).await;
    let stored = subscription::Entity::find()
        .all(&a.app.state.db)
        .await
        .unwrap();

    // Assert
    assert_eq!(more["quantity"], 3);
    assert_eq!(more["price"], price["id"]);
    assert_eq!(moved["price"], dearer["id"]);
    assert_eq!(moved["quantity"], 3, "the quantity stays");
    assert_eq!(same["price"], dearer["id"]);
    assert_eq!(after_same, 2, "an empty change writes nothing");
    assert_eq!(error(currency, 422).await["param"], "price");
    assert_eq!(error(unknown, 422).await["param"], "price");
    assert_eq!(error(zero, 422).await["param"], "quantity");
    assert_eq!(error(extra, 400).await["param"], "interval");
    assert_eq!(error(foreign, 404).await["code"], "resource_missing");
    assert_eq!(error(ended, 409).await["code"], "subscription_ended");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].quantity, 3, "refused changes wrote nothing");
    assert_eq!(audits().await, 2);
}

async fn bad_subscriptions_are_named_and_write_nothing(tdb: &TestDb) {
    // Arrange
    let a = api(tdb).await;
    let price = a.price().await;
    let marco = a.customer("marco@example.com").await;
    let past = (chrono::Utc::now() - chrono::TimeDelta::days(5))
        .format("%Y-%m-%d")
        .to_string();
    let other_marco = a
        .ok(a
            .post(
                &a.other_key,
                "/customers",
                &json!({"email": "m@other.example", "name": "M"}),
            )
            .await)
        .await;

    // Act
    let zero = a
        .post(
            &a.key,
            "/subscriptions",
            &json!({"customer": marco["id"], "price": price["id"], "quantity": 0}),
        )
        .await;
    let negative = a
        .post(
            &a.key,
            "/subscriptions",
            &json!({"customer": marco["id"], "price": price["id"], "quantity": -1}),
        )
        .await;
    let unknown_price = a
        .post(
            &a.key,
            "/subscriptions",
            &json!({"customer": marco["id"], "price": "plan_aaaaaaaaaaaaaaaa"}),
        )
        .await;
    let in_the_past = a
        .post(
            &a.key,
            "/subscriptions",
            &json!({"customer": marco["id"], "price": price["id"], "start": past}),
        )
        .await;
    let foreign_customer = a
        .post(
            &a.key,
            "/subscriptions",
            &json!({"customer": other_marco["id"], "price": price["id"]}),
        )
        .await;
    let unknown_field = a
        .post(
            &a.key,
            "/subscriptions",
            &json!({"customer": marco["id"], "price": price["id"], "coupon": "X"}),
        )
        .await;

    // Assert
    assert_eq!(error(zero, 422).await["param"], "quantity");
    assert_eq!(error(negative, 400).await["param"], "quantity");
    assert_eq!(error(unknown_price, 422).await["code"], "price.unknown");
    assert_eq!(error(in_the_past, 422).await["param"], "start");
    assert_eq!(
        error(foreign_customer, 404).await["code"],
        "resource_missing"
    );
    assert_eq!(error(unknown_field, 400).await["param"], "coupon");
    assert_eq!(
        subscription::Entity::find()
            .count(&a.app.state.db)
            .await
            .unwrap(),
        0
    );
}

async fn twenty_concurrent_repeats_of_one_idempotency_key_make_one_price(tdb: &TestDb) {
    // Arrange: prices have no natural key, so only the Idempotency-Key can stop a second.
    let a = std::sync::Arc::new(api(tdb).await);
    let body = json!({
        "name": "Once",
        "unit_amount": 1500,
        "currency": "EUR",
        "recurring": {"interval": "month"}
    });

    // Act
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let (a, body) = (a.clone(), body.clone());
        tasks.spawn(async move {
            let res = a
                .send(
                    a.post_req(&a.key, "/prices", &body)
                        .header("Idempotency-Key", "k-1"),
                )
                .await;
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap())
        });
    }
    let mut answers = Vec::new();
    while let Some(done) = tasks.join_next().await {
        answers.push(done.unwrap());
    }
    let replay = a
        .send(
            a.post_req(&a.key, "/prices", &body)
                .header("Idempotency-Key", "k-1"),
        )
        .await;
    let replayed = replay.headers().get("idempotent-replayed").cloned();
    let replay: Value = replay.json().await.unwrap();
    let other_body = a
        .send(
            a.post_req(&a.key, "/prices", &json!({"name": "Twice", "unit_amount": 1500, "currency": "EUR", "recurring": {"interval": "month"}}))
                .header("Idempotency-Key", "k-1"),
        )
        .await;
    let other_path = a
        .send(
            a.post_req(
                &a.key,
                "/customers",
                &json!({"email": "k@example.com", "name": "K"}),
            )
            .header("Idempotency-Key", "k-1"),
        )
        .await;
    let other_org = a
        .send(
            a.post_req(&a.other_key, "/prices", &body)
                .header("Idempotency-Key", "k-1"),
        )
        .await;

    // Assert
    let made: Vec<&Value> = answers
        .iter()
        .filter(|(s, _)| *s == 200)
        .map(|(_, b)| b)
        .collect();
    assert!(!made.is_empty());
    let id = made[0]["id"].clone();
    assert!(
        made.iter().all(|b| b["id"] == id),
        "every 200 is the one price"
    );
    for (status, body) in &answers {
        assert!(
            *status == 200 || (*status == 409 && body["error"]["code"] == "idempotency_key_in_use"),
            "{status} {body}"
        );
    }
    assert_eq!(replay["id"], id);
    assert_eq!(replayed.as_ref().map(|v| v.to_str().unwrap()), Some("true"));
    assert_eq!(
        error(other_body, 409).await["code"],
        "idempotency_key_reused"
    );
    assert_eq!(
        error(other_path, 409).await["code"],
        "idempotency_key_reused"
    );
    assert_eq!(other_org.status(), 200, "keys are per organization");
    let prices = plan::Entity::find().all(&a.app.state.db).await.unwrap();
    let once = prices.iter().filter(|p| p.name == "Once").count();
    assert_eq!(once, 2, "one for acme, one for the other organization");
    assert!(prices.iter().all(|p| p.name != "Twice"));
    assert_eq!(
        customer::Entity::find()
            .count(&a.app.state.db)
            .await
            .unwrap(),
        0
    );
}

async fn a_repeated_subscription_under_one_key_is_made_and_charged_once(tdb: &TestDb) {
    // Arrange
    let a = api(tdb).await;
    let price = a.price().await;
    let marco = a.customer("marco@example.com").await;
    let body = json!({"customer": marco["id"], "price": price["id"]});

    // Act
    let first = a
        .ok(a
            .send(
                a.post_req(&a.key, "/subscriptions", &body)
                    .header("Idempotency-Key", "sub-1"),
            )
            .await)
        .await;
    let second = a
        .ok(a
            .send(
                a.post_req(&a.key, "/subscriptions", &body)
                    .header("Idempotency-Key", "sub-1"),
            )
            .await)
        .await;

    // Assert
    assert_eq!(first, second);
    assert_eq!(
        subscription::Entity::find()
            .count(&a.app.state.db)
            .await
            .unwrap(),
        1
    );
    let asked = outbound_email::Entity::find()
        .all(&a.app.state.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "add_payment_method")
        .count();
    assert_eq!(asked, 1, "one email, not two");
}

async fn a_refused_request_is_kept_for_its_key_too(tdb: &TestDb) {
    // Arrange
    let a = api(tdb).await;
    let bad = json!({"email": "nope", "name": "X"});

    // Act
    let first = a
        .send(
            a.post_req(&a.key, "/customers", &bad)
                .header("Idempotency-Key", "k-bad"),
        )
        .await;
    let second = a
        .send(
            a.post_req(&a.key, "/customers", &bad)
                .header("Idempotency-Key", "k-bad"),
        )
        .await;
    let invalid_key = a
        .send(
            a.post_req(&a.key, "/customers", &bad)
                .header("Idempotency-Key", "with space"),
        )
        .await;

    // Assert
    assert_eq!(first.status(), 422);
    assert_eq!(second.status(), 422);
    assert_eq!(
        second
            .headers()
            .get("idempotent-replayed")
            .map(|v| v.to_str().unwrap()),
        Some("true")
    );
    assert_eq!(
        error(invalid_key, 400).await["code"],
        "idempotency_key_invalid"
    );
}

async fn a_key_past_its_rate_gets_429_with_retry_after(tdb: &TestDb) {
    // Arrange
    let app = spawn_app_with(&tdb.db, |c| {
        c.limits.api_rate = RequestRate {
            per_second: 1,
            burst: 3,
        };
    })
    .await;
    let admin = staff(&app, "acme", "admin@acme.test", StaffRole::Admin).await;
    let (_, key) = make_key(&app, &admin, "Busy app").await;
    let (_, second_key) = make_key(&app, &admin, "Quiet app").await;
    let get = |key: String| {
        let url = format!("{}/v1/customers", app.address);
        async move {
            dunwell::testing::client()
                .get(url)
                .bearer_auth(key)
                .send()
                .await
                .unwrap()
        }
    };

    // Act
    let mut statuses = Vec::new();
    let mut limited = None;
    for _ in 0..6 {
        let res = get(key.clone()).await;
        statuses.push(res.status().as_u16());
        if res.status() == 429 && limited.is_none() {
            limited = Some(res);
        }
    }
    let other = get(second_key).await;

    // Assert
    assert_eq!(&statuses[..3], &[200, 200, 200], "the burst passes");
    let limited = limited.expect("a request past the burst is refused");
    let retry: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry));
    assert_eq!(error(limited, 429).await["type"], "rate_limit_error");
    assert_eq!(other.status(), 200, "each key has its own bucket");
}

async fn first_invoices_take_the_next_numbers_in_turn_and_refer_to_their_subscription(
    tdb: &TestDb,
) {
    // Arrange
    let a = api(tdb).await;
    let price = a.price().await;
    let (anna, bruno, carla) = (
        a.customer("anna@example.com").await,
        a.customer("bruno@example.com").await,
        a.customer("carla@example.com").await,
    );
    let subscribe = |customer: &Value, extra: Value| {
        let mut body = json!({"customer": customer["id"], "price": price["id"]});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };

    // Act: two start now, one with a trial (no invoice yet) between them.
    let first = a
        .ok(a
            .post(&a.key, "/subscriptions", &subscribe(&anna, json!({})))
            .await)
        .await;
    let trial = a
        .ok(a
            .post(
                &a.key,
                "/subscriptions",
                &subscribe(&bruno, json!({"trial_days": 14})),
            )
            .await)
        .await;
    let second = a
        .ok(a
            .post(
                &a.key,
                "/subscriptions",
                &subscribe(&carla, json!({"quantity": 3})),
            )
            .await)
        .await;
    let invoices = a.ok(a.get(&a.key, "/invoices").await).await;

    // Assert
    let invoices = invoices["data"].as_array().unwrap();
    let of = |sub: &Value| {
        invoices
            .iter()
            .find(|i| i["subscription"] == sub["id"])
            .cloned()
    };
    assert!(of(&trial).is_none(), "a trial is invoiced when it ends");
    let (one, two) = (of(&first).unwrap(), of(&second).unwrap());
    let seq = |i: &Value| -> u64 {
        let number = i["number"].as_str().unwrap();
        number.rsplit('-').next().unwrap().parse().unwrap()
    };
    assert_eq!(seq(&two), seq(&one) + 1, "{one} then {two}");
    assert_eq!(one["customer"], anna["id"]);
    assert_eq!(two["customer"], carla["id"]);
    assert_eq!(two["lines"][0]["quantity"], 3);
    assert_eq!(two["lines"][0]["amount"], 3 * 2900);
    assert_eq!(two["total"], 3 * 2900);
}

on_each_database!(
    prices_are_created_listed_retrieved_and_archived,
    a_subscription_without_a_card_waits_and_the_customer_is_asked_for_one,
    a_subscription_is_canceled_at_period_end_resumed_then_canceled_now,
    a_subscription_changes_price_and_quantity_for_the_next_renewal,
    bad_subscriptions_are_named_and_write_nothing,
    twenty_concurrent_repeats_of_one_idempotency_key_make_one_price,
    a_repeated_subscription_under_one_key_is_made_and_charged_once,
    a_refused_request_is_kept_for_its_key_too,
    a_key_past_its_rate_gets_429_with_retry_after,
    first_invoices_take_the_next_numbers_in_turn_and_refer_to_their_subscription,
);
