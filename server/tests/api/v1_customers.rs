//! `/v1/customers` through an API key: create, retrieve, update, list (by email, cursor
//! pages), archive; the one error object for every refusal, nothing written by any; another
//! organization's customers are 404, never 403.
use crate::api_keys::make_key;
use crate::support::api::api_error as error;
use crate::support::shop::{Shop, shop};
use dunwell::entity::{audit_event, customer};
use dunwell::testing::TestDb;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

struct Api {
    s: Shop,
    key: String,
    other_key: String,
}

async fn api(tdb: &TestDb) -> Api {
    let s = shop(tdb).await;
    let (_, key) = make_key(&s.app, &s.admin, "Acme app").await;
    let (_, other_key) = make_key(&s.app, &s.other, "Other app").await;
    Api { s, key, other_key }
}

impl Api {
    fn url(&self, path: &str) -> String {
        format!("{}/v1{path}", self.s.app.address)
    }

    async fn get(&self, key: &str, path: &str) -> reqwest::Response {
        dunwell::testing::client()
            .get(self.url(path))
            .bearer_auth(key)
            .send()
            .await
            .unwrap()
    }

    async fn post(&self, key: &str, path: &str, body: &Value) -> reqwest::Response {
        dunwell::testing::client()
            .post(self.url(path))
            .bearer_auth(key)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    async fn create(&self, email: &str, name: &str) -> Value {
        let res = self
            .post(
                &self.key,
                "/customers",
                &json!({"email": email, "name": name}),
            )
            .await;
        assert_eq!(res.status(), 200);
        res.json().await.unwrap()
    }

    async fn customers(&self) -> u64 {
        customer::Entity::find()
            .count(&self.s.app.state.db)
            .await
            .unwrap()
    }
}

async fn a_customer_is_created_retrieved_and_audited_as_the_key(tdb: &TestDb) {
    // Arrange
    let a = api(tdb).await;

    // Act
    let res = a
        .post(
            &a.key,
            "/customers",
            &json!({
                "email": "Marco@Example.com",
                "name": "Marco Rossi",
                "locale": "it",
                "billing_address": "Via Roma 1\n20100 Milano",
                "tax_id": "IT12345678903"
            }),
        )
        .await;
    let request_id = res.headers().get("x-request-id").cloned();
    let created: Value = res.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    let fetched: Value = a
        .get(&a.key, &format!("/customers/{id}"))
        .await
        .json()
        .await
        .unwrap();

    // Assert
    assert!(request_id.is_some(), "every response carries a request id");
    assert!(id.starts_with("cus_"));
    assert_eq!(created["object"], "customer");
    assert_eq!(created["email"], "marco@example.com");
    assert_eq!(created["locale"], "it");
    assert_eq!(created["tax_id"], "IT12345678903");
    assert_eq!(created["archived"], false);
    assert!(created["created"].as_i64().unwrap() > 1_700_000_000);
    assert_eq!(fetched, created);
    let audit = audit_event::Entity::find()
        .all(&a.s.app.state.db)
        .await
        .unwrap();
    let made = audit
        .iter()
        .find(|e| e.action == "customer.created")
        .expect("audited");
    assert!(
        made.actor.starts_with("API key Acme app (key_"),
        "{}",
        made.actor
    );
}

async fn no_key_a_bad_key_and_a_cookie_are_all_401(tdb: &TestDb) {
    // Arrange
    let a = api(tdb).await;
    let forged = format!("dw_sk_{}", "A".repeat(43));

    // Act
    let none = dunwell::testing::client()
        .get(a.url("/customers"))
        .send()
        .await
        .unwrap();
    let www = none.headers().get("www-authenticate").cloned();
    let cookie = dunwell::testing::client()
        .get(a.url("/customers"))
        .header("cookie", a.s.admin.as_str())
        .send()
        .await
        .unwrap();
    let basic = dunwell::testing::client()
        .get(a.url("/customers"))
        .basic_auth("dw", Some(&a.key))
        .send()
        .await
        .unwrap();
    let unknown = a.get(&forged, "/customers").await;
    let malformed = a.get("sk_live_123", "/customers").await;
    let create = dunwell::testing::client()
        .post(a.url("/customers"))
        .json(&json!({"email": "x@example.com", "name": "X"}))
        .send()
        .await
        .unwrap();

    // Assert
    assert!(www.is_some());
    assert_eq!(error(none, 401).await["code"], "api_key_missing");
    assert_eq!(error(cookie, 401).await["code"], "api_key_missing");
    assert_eq!(error(basic, 401).await["type"], "authentication_error");
    assert_eq!(error(unknown, 401).await["code"], "api_key_invalid");
    assert_eq!(error(malformed, 401).await["code"], "api_key_invalid");
    assert_eq!(error(create, 401).await["code"], "api_key_missing");
    assert_eq!(a.customers().await, 0, "nothing written");
}

async fn another_organizations_customer_is_404_never_403(tdb: &TestDb) {
    // Arrange
    let a = api(tdb).await;
    let mine = a.create("anna@example.com", "Anna").await;
    let id = mine["id"].as_str().unwrap();

    // Act
    let read = a.get(&a.other_key, &format!("/customers/{id}")).await;
    let update = a
        .post(
            &a.other_key,
            &format!("/customers/{id}"),
            &json!({"name": "Hacked"}),
        )
        .await;
    let archive = a
        .post(
            &a.other_key,
            &format!("/customers/{id}/archive"),
            &json!({}),
        )
        .await;
    let listed: Value = a
        .get(&a.other_key, "/customers")
        .await
        .json()
        .await
        .unwrap();
    let not_an_id = a.get(&a.key, "/customers/inv_abcdefghijklmnop").await;
    let unknown_route = a.get(&a.key, "/nothing-here").await;

    // Assert
    for res in [read, update, archive] {
        let e = error(res, 404).await;
        assert_eq!(e["code"], "resource_missing");
        assert_eq!(e["type"], "invalid_request_error");
    }
    assert_eq!(listed["data"].as_array().unwrap().len(), 0);
    assert_eq!(error(not_an_id, 404).await["code"], "resource_missing");
    assert_eq!(error(unknown_route, 404).await["code"], "route_unknown");
    let after: Value = a
        .get(&a.key, &format!("/customers/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after["name"], "Anna");
    assert_eq!(after["archived"], false);
}

async fn bad_bodies_get_typed_errors_and_write_nothing(tdb: &TestDb) {
    // Arrange
    let a = api(tdb).await;
    a.create("taken@example.com", "Taken").await;

    // Act
    let unknown_field = a
        .post(
            &a.key,
            "/customers",
            &json!({"email": "a@example.com", "name": "A", "plan": "x"}),
        )
        .await;
    let wrong_type = a
        .post(
            &a.key,
            "/customers",
            &json!({"email": "a@example.com", "name": 42}),
        )
        .await;
    let missing = a.post(&a.key, "/customers", &json!({"name": "A"})).await;
    let bad_email = a
        .post(&a.key, "/customers", &json!({"email": "nope", "name": "A"}))
        .await;
    let taken = a
        .post(
            &a.key,
            "/customers",
            &json!({"email": "TAKEN@example.com", "name": "B"}),
        )
        .await;
    let bad_vat = a
        .post(
            &a.key,
            "/customers",
            &json!({"email": "v@example.com", "name": "V", "tax_id": "IT1"}),
        )
        .await;
    let not_json = dunwell::testing::client()
        .post(a.url("/customers"))
        .bearer_auth(&a.key)
        .header("content-type", "application/json")
        .body("{\"email\":")
        .send()
        .await
        .unwrap();
    let form = dunwell::testing::client()
        .post(a.url("/customers"))
        .bearer_auth(&a.key)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(dunwell::testing::form(&[
            ("email", "f@example.com"),
            ("name", "F"),
        ]))
        .send()
        .await
        .unwrap();
    let huge = dunwell::testing::client()
        .post(a.url("/customers"))
        .bearer_auth(&a.key)
        .header("content-type", "application/json")
        .body(format!(
            "{{\"email\":\"h@example.com\",\"name\":\"{}\"}}",
            "x".repeat(2 << 20)
        ))
        .send()
        .await
        .unwrap();

    // Assert
    let e = error(unknown_field, 400).await;
    assert_eq!(e["param"], "plan");
    assert_eq!(e["type"], "invalid_request_error");
    let e = error(wrong_type, 400).await;
    assert_eq!(
        (e["param"].as_str(), e["code"].as_str()),
        (Some("name"), Some("parameter_invalid"))
    );
    assert_eq!(error(missing, 400).await["param"], "email");
    let e = error(bad_email, 422).await;
    assert_eq!(
        (e["param"].as_str(), e["code"].as_str()),
        (Some("email"), Some("email.invalid"))
    );
    let e = error(taken, 422).await;
    assert_eq!(
        (e["param"].as_str(), e["code"].as_str()),
        (Some("email"), Some("email.taken"))
    );
    assert_eq!(error(bad_vat, 422).await["param"], "tax_id");
    assert_eq!(error(not_json, 400).await["code"], "body_invalid");
    assert_eq!(error(form, 400).await["code"], "content_type_invalid");
    assert_eq!(error(huge, 413).await["code"], "body_too_large");
    assert_eq!(a.customers().await, 1, "only the first customer exists");
}

async fn an_update_changes_only_the_fields_given(tdb: &TestDb) {
    // Arrange
    let a = api(tdb).await;
    let c = a.create("lucia@example.com", "Lucia").await;
    let id = c["id"].as_str().unwrap();
    let other = a.create("piero@example.com", "Piero").await;

    // Act
    let renamed: Value = a
        .post(
            &a.key,
            &format!("/customers/{id}"),
            &json!({"name": "Lucia Verdi", "locale": "it"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let bad = a
        .post(
            &a.key,
            &format!("/customers/{id}"),
            &json!({"name": "Changed", "tax_id": "IT1", "locale": "fr"}),
        )
        .await;
    let taken = a
        .post(
            &a.key,
            &format!("/customers/{id}"),
            &json!({"email": other["email"]}),
        )
        .await;
    let moved: Value = a
        .post(
            &a.key,
            &format!("/customers/{id}"),
            &json!({"email": "Lucia@New.example"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let archived: Value = a
        .post(&a.key, &format!("/customers/{id}/archive"), &json!({}))
        .await
        .json()
        .await
        .unwrap();

    // Assert
    assert_eq!(renamed["name"], "Lucia Verdi");
    assert_eq!(renamed["locale"], "it");
    assert_eq!(renamed["email"], "lucia@example.com", "kept");
    let e = error(bad, 422).await;
    assert!(e["param"] == "tax_id" || e["param"] == "locale", "{e}");
    assert_eq!(error(taken, 422).await["code"], "email.taken");
    assert_eq!(moved["email"], "lucia@new.example");
    assert_eq!(
        moved["name"], "Lucia Verdi",
        "the refused change wrote nothing"
    );
    assert_eq!(archived["archived"], true);
}

/// A tax ID saved before its country's format was checked (`DE` + 8 digits) does not block
/// an update that leaves it out, and stays as stored; sent again, it is checked.
async fn a_stored_tax_id_is_kept_when_an_update_leaves_it_out(tdb: &TestDb) {
    // Arrange
    let a = api(tdb).await;
    let c = a.create("hans@example.com", "Hans").await;
    let id = c["id"].as_str().unwrap();
    let row = customer::Entity::find()
        .filter(customer::Column::PublicId.eq(id))
        .one(&a.s.app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut old = sea_orm::IntoActiveModel::into_active_model(row);
    old.tax_id = sea_orm::Set(Some("DE12345678".into()));
    sea_orm::ActiveModelTrait::update(old, &a.s.app.state.db)
        .await
        .unwrap();

    // Act
    let renamed = a
        .post(
            &a.key,
            &format!("/customers/{id}"),
            &json!({"name": "Hans Müller"}),
        )
        .await;
    let renamed_status = renamed.status();
    let renamed: Value = renamed.json().await.unwrap();
    let resent = a
        .post(
            &a.key,
            &format!("/customers/{id}"),
            &json!({"tax_id": "DE12345678"}),
        )
        .await;

    // Assert
    assert_eq!(renamed_status, 200, "{renamed}");
    assert_eq!(renamed["name"], "Hans Müller");
    assert_eq!(renamed["tax_id"], "DE12345678", "kept as stored");
    assert_eq!(error(resent, 422).await["param"], "tax_id");
}

async fn lists_page_by_cursor_and_filter_by_email(tdb: &TestDb) {
    // Arrange
    let a = api(tdb).await;
    let mut made = Vec::new();
    for i in 0..5 {
        let c = a
            .create(&format!("c{i}@example.com"), &format!("C{i}"))
            .await;
        made.push(c["id"].as_str().unwrap().to_owned());
    }

    // Act
    let first: Value = a
        .get(&a.key, "/customers?limit=2")
        .await
        .json()
        .await
        .unwrap();
    let after = first["data"][1]["id"].as_str().unwrap().to_owned();
    let second: Value = a
        .get(
            &a.key,
            &format!("/customers?limit=2&starting_after={after}"),
        )
        .await
        .json()
        .await
        .unwrap();
    let last_cursor = second["data"][1]["id"].as_str().unwrap().to_owned();
    let third: Value = a
        .get(
            &a.key,
            &format!("/customers?limit=2&starting_after={last_cursor}"),
        )
        .await
        .json()
        .await
        .unwrap();
    let by_email: Value = a
        .get(&a.key, "/customers?email=C3@EXAMPLE.com")
        .await
        .json()
        .await
        .unwrap();
    let zero = a.get(&a.key, "/customers?limit=0").await;
    let big = a.get(&a.key, "/customers?limit=101").await;
    let unknown = a.get(&a.key, "/customers?colour=red").await;
    let foreign_cursor = a
        .get(
            &a.other_key,
            &format!("/customers?starting_after={}", made[0]),
        )
        .await;

    // Assert
    let ids = |v: &Value| -> Vec<String> {
        v["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(first["object"], "list");
    assert_eq!(
        ids(&first),
        vec![made[4].clone(), made[3].clone()],
        "newest first"
    );
    assert_eq!(first["has_more"], true);
    assert_eq!(ids(&second), vec![made[2].clone(), made[1].clone()]);
    assert_eq!(second["has_more"], true);
    assert_eq!(ids(&third), vec![made[0].clone()]);
    assert_eq!(third["has_more"], false);
    assert_eq!(ids(&by_email), vec![made[3].clone()]);
    assert_eq!(error(zero, 400).await["param"], "limit");
    assert_eq!(error(big, 400).await["param"], "limit");
    assert_eq!(error(unknown, 400).await["param"], "colour");
    assert_eq!(error(foreign_cursor, 404).await["code"], "resource_missing");
}

on_each_database!(
    a_customer_is_created_retrieved_and_audited_as_the_key,
    no_key_a_bad_key_and_a_cookie_are_all_401,
    another_organizations_customer_is_404_never_403,
    bad_bodies_get_typed_errors_and_write_nothing,
    an_update_changes_only_the_fields_given,
    a_stored_tax_id_is_kept_when_an_update_leaves_it_out,
    lists_page_by_cursor_and_filter_by_email,
);
