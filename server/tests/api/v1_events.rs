//! `/v1/events`: each change made through the API writes one event in its own transaction,
//! with the object as it stood right after; a refused change writes none; events list newest
//! first, filter by type, and another organization's are 404.
use crate::api_keys::make_key;
use crate::support::api::api_error as error;
use crate::support::shop::shop;
use dunwell::entity::event;
use dunwell::testing::{TestApp, TestDb, client};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

struct Api {
    app: TestApp,
    key: String,
    other_key: String,
}

impl Api {
    async fn post(&self, path: &str, body: &Value) -> Value {
        let res = client()
            .post(format!("{}/v1{path}", self.app.address))
            .bearer_auth(&self.key)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = res.status();
        let body: Value = res.json().await.unwrap();
        assert_eq!(status, 200, "{path}: {body}");
        body
    }

    async fn get(&self, key: &str, path: &str) -> reqwest::Response {
        client()
            .get(format!("{}/v1{path}", self.app.address))
            .bearer_auth(key)
            .send()
            .await
            .unwrap()
    }

    async fn events(&self) -> u64 {
        event::Entity::find()
            .count(&self.app.state.db)
            .await
            .unwrap()
    }
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

fn types(list: &Value) -> Vec<String> {
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect()
}

async fn every_change_writes_one_event_with_the_object_after_it(tdb: &TestDb) {
    // Arrange
    let a = api(tdb).await;
    let later = (chrono::Utc::now() + chrono::TimeDelta::days(10))
        .format("%Y-%m-%d")
        .to_string();

    // Act
    let marco = a
        .post(
            "/customers",
            &json!({"email": "marco@example.com", "name": "Marco Rossi"}),
        )
        .await;
    let cus = marco["id"].as_str().unwrap().to_owned();
    a.post(&format!("/customers/{cus}"), &json!({"name": "Marco R."}))
        .await;
    let price = a
        .post(
            "/prices",
            &json!({"name": "Pro", "unit_amount": 2900, "currency": "EUR", "recurring": {"interval": "month"}}),
        )
        .await;
    let sub = a
        .post(
            "/subscriptions",
            &json!({"customer": cus, "price": price["id"], "start": later}),
        )
        .await;
    let sub_id = sub["id"].as_str().unwrap().to_owned();
    a.post(&format!("/subscriptions/{sub_id}"), &json!({"quantity": 2}))
        .await;
    a.post(
        &format!("/subscriptions/{sub_id}/cancel"),
        &json!({"at_period_end": true}),
    )
    .await;
    a.post(&format!("/subscriptions/{sub_id}/resume"), &json!({}))
        .await;
    a.post(&format!("/subscriptions/{sub_id}/cancel"), &json!({}))
        .await;
    let before_refusal = a.events().await;
    let taken = client()
        .post(format!("{}/v1/customers", a.app.address))
        .bearer_auth(&a.key)
        .json(&json!({"email": "marco@example.com", "name": "Again"}))
        .send()
        .await
        .unwrap();
    let after_refusal = a.events().await;
    let all = a.get(&a.key, "/events?limit=100").await;
    let all: Value = all.json().await.unwrap();
    let canceled = a.get(&a.key, "/events?type=subscription.canceled").await;
    let canceled: Value = canceled.json().await.unwrap();
    let newest = all["data"][0]["id"].as_str().unwrap().to_owned();
    let one = a.get(&a.key, &format!("/events/{newest}")).await;
    let one: Value = one.json().await.unwrap();

    // Assert
    assert_eq!(
        types(&all),
        [
            "subscription.canceled",
            "subscription.resumed",
            "subscription.updated",
            "subscription.updated",
            "subscription.created",
            "customer.updated",
            "customer.created",
        ],
        "newest first, one per change"
    );
    assert_eq!(taken.status(), 422);
    assert_eq!(
        before_refusal, after_refusal,
        "a refused change writes no event"
    );
    assert_eq!(types(&canceled), ["subscription.canceled"]);
    let data = &all["data"];
    assert_eq!(data[6]["data"]["object"]["name"], "Marco Rossi");
    assert_eq!(
        data[5]["data"]["object"]["name"], "Marco R.",
        "the object after"
    );
    assert_eq!(data[3]["data"]["object"]["quantity"], 2);
    assert_eq!(data[2]["data"]["object"]["cancel_at_period_end"], true);
    assert_eq!(data[0]["data"]["object"]["status"], "canceled");
    assert_eq!(data[0]["data"]["object"]["id"], sub_id.as_str());
    assert_eq!(one["id"], newest.as_str());
    assert_eq!(one["object"], "event");
    assert!(one["created"].is_i64());
}

async fn events_are_the_organizations_own_and_bad_queries_are_refused(tdb: &TestDb) {
    // Arrange
    let a = api(tdb).await;
    a.post(
        "/customers",
        &json!({"email": "marco@example.com", "name": "Marco Rossi"}),
    )
    .await;
    let mine = a.get(&a.key, "/events").await;
    let mine: Value = mine.json().await.unwrap();
    let id = mine["data"][0]["id"].as_str().unwrap().to_owned();

    // Act
    let theirs = a.get(&a.other_key, "/events").await;
    let foreign = a.get(&a.other_key, &format!("/events/{id}")).await;
    let bad_type = a.get(&a.key, "/events?type=customer.exploded").await;
    let malformed = a.get(&a.key, "/events/evt_nope").await;
    let paged = a
        .get(&a.other_key, &format!("/events?starting_after={id}"))
        .await;

    // Assert
    let theirs: Value = theirs.json().await.unwrap();
    assert_eq!(theirs["data"], json!([]));
    assert_eq!(error(foreign, 404).await["code"], "resource_missing");
    assert_eq!(error(bad_type, 400).await["param"], "type");
    assert_eq!(error(malformed, 404).await["code"], "resource_missing");
    assert_eq!(error(paged, 404).await["code"], "resource_missing");
}

on_each_database!(
    every_change_writes_one_event_with_the_object_after_it,
    events_are_the_organizations_own_and_bad_queries_are_refused,
);
