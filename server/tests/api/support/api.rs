//! The merchant API's test helpers: the demo with an API key of Acme and one of another
//! organization, and the error object of a refused request.
use crate::api_keys::make_key;
use crate::support::shop::staff;
use domain::StaffRole;
use dunwell::entity::customer;
use dunwell::testing::{TestApp, TestDb, client, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

/// The demo (Acme's portal, customers, invoices) and two API keys.
pub struct DemoApi {
    pub app: TestApp,
    /// Acme's.
    pub key: String,
    /// The demo portal's key.
    pub portal: String,
    /// Another organization's.
    pub other_key: String,
}

/// A fresh app with the demo loaded and a key for Acme and for another organization.
pub async fn demo_api(tdb: &TestDb) -> DemoApi {
    let app = spawn_app(&tdb.db).await;
    let portal = app.load_demo().await;
    let admin = staff(&app, "acme", "admin@acme.test", StaffRole::Admin).await;
    let other = staff(&app, "other", "owner@other.test", StaffRole::Owner).await;
    let (_, key) = make_key(&app, &admin, "Acme app").await;
    let (_, other_key) = make_key(&app, &other, "Other app").await;
    DemoApi {
        app,
        key,
        portal,
        other_key,
    }
}

impl DemoApi {
    /// `GET /v1{path}` with `key`.
    pub async fn get(&self, key: &str, path: &str) -> reqwest::Response {
        client()
            .get(format!("{}/v1{path}", self.app.address))
            .bearer_auth(key)
            .send()
            .await
            .unwrap()
    }

    /// `POST /v1{path}` with `key` and a JSON `body`.
    pub async fn post(&self, key: &str, path: &str, body: &Value) -> reqwest::Response {
        client()
            .post(format!("{}/v1{path}", self.app.address))
            .bearer_auth(key)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// The demo customer with this email.
    pub async fn customer(&self, email: &str) -> customer::Model {
        customer::Entity::find()
            .filter(customer::Column::Email.eq(email))
            .one(&self.app.state.db)
            .await
            .unwrap()
            .unwrap()
    }
}

/// The error object of a refused request, after checking its status.
pub async fn api_error(res: reqwest::Response, status: u16) -> Value {
    assert_eq!(res.status(), status);
    let body: Value = res.json().await.unwrap();
    body["error"].clone()
}
