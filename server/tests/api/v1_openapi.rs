//! `/v1/openapi.json`: public, OpenAPI 3.1, describing each operation of the API (the list
//! below is the API as the README gives it: one missing from the document fails), each of
//! them served, and valid by an independent validator (`openapi-spec-validator`, PyPI).
use crate::api_keys::make_key;
use crate::support::TempDir;
use crate::support::shop::{call, shop};
use dunwell::testing::{TestDb, client};
use serde_json::Value;
use std::collections::BTreeSet;
use std::process::Command;

/// Every operation of `/v1`.
const OPERATIONS: &[(&str, &str)] = &[
    ("get", "/v1/customers"),
    ("post", "/v1/customers"),
    ("get", "/v1/customers/{id}"),
    ("post", "/v1/customers/{id}"),
    ("post", "/v1/customers/{id}/archive"),
    ("get", "/v1/prices"),
    ("post", "/v1/prices"),
    ("get", "/v1/prices/{id}"),
    ("post", "/v1/prices/{id}/archive"),
    ("get", "/v1/subscriptions"),
    ("post", "/v1/subscriptions"),
    ("get", "/v1/subscriptions/{id}"),
    ("post", "/v1/subscriptions/{id}"),
    ("post", "/v1/subscriptions/{id}/cancel"),
    ("post", "/v1/subscriptions/{id}/resume"),
    ("get", "/v1/invoices"),
    ("get", "/v1/invoices/{id}"),
    ("get", "/v1/invoices/{id}/pdf"),
    ("get", "/v1/payment_methods"),
    ("post", "/v1/portal_sessions"),
    ("get", "/v1/events"),
    ("get", "/v1/events/{id}"),
];

async fn document(address: &str) -> Value {
    let res = client()
        .get(format!("{address}/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "served without a key");
    let content_type = res.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    res.json().await.unwrap()
}

fn operations(doc: &Value) -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("a path item").keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                found.insert((method.clone(), path.clone()));
            }
        }
    }
    found
}

#[tokio::test]
async fn the_document_describes_every_operation_and_each_is_served() {
    // Arrange
    let tdb = TestDb::sqlite().await;
    let s = shop(&tdb).await;
    let (_, key) = make_key(&s.app, &s.admin, "Acme app").await;

    // Act
    let doc = document(&s.app.address).await;

    // Assert: the version, and exactly the API's operations.
    assert_eq!(doc["openapi"], "3.1.0");
    let expected: BTreeSet<(String, String)> = OPERATIONS
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    let found = operations(&doc);
    let missing: Vec<_> = expected.difference(&found).collect();
    let unknown: Vec<_> = found.difference(&expected).collect();
    assert!(missing.is_empty(), "not in /v1/openapi.json: {missing:?}");
    assert!(
        unknown.is_empty(),
        "described but not in the list: {unknown:?}"
    );
    assert_eq!(doc["security"][0]["api_key"], serde_json::json!([]));
    assert_eq!(
        doc["components"]["securitySchemes"]["api_key"]["scheme"],
        "bearer"
    );
    for (method, path) in &found {
        let op = &doc["paths"][path][method];
        let ok = &op["responses"]["200"];
        assert!(ok["content"].is_object(), "{method} {path}: no 200 body");
        assert_eq!(
            op["responses"]["401"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ErrorBody",
            "{method} {path}"
        );
        assert!(ok["headers"]["X-Request-Id"].is_object(), "{method} {path}");
        let idempotency = op["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["name"] == "Idempotency-Key"));
        assert_eq!(idempotency, method == "post", "{method} {path}");
    }
    let customer = &doc["components"]["schemas"]["Customer"]["properties"];
    for field in ["id", "object", "email", "name", "created"] {
        assert!(customer[field].is_object(), "Customer.{field}");
    }

    // Assert: each described operation is routed (a JSON answer of the API, never its
    // "unknown route" nor a 405), with an id that names nothing.
    for (method, path) in &found {
        let url = format!("{}{}", s.app.address, path.replace("{id}", "x_nothing"));
        let req = if method == "post" {
            client().post(url).json(&serde_json::json!({}))
        } else {
            client().get(url)
        };
        let res = req.bearer_auth(&key).send().await.unwrap();
        let status = res.status().as_u16();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        assert_ne!(status, 405, "{method} {path}");
        assert_ne!(
            body["error"]["code"], "route_unknown",
            "{method} {path} is described but not served"
        );
    }
    tdb.finish().await;
}

/// Runs `openapi-spec-validator` (tools/venv, from `scripts/setup.sh`) on `doc`: its exit
/// status and what it printed.
fn validate(doc: &Value) -> (bool, String) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let python = root.join("tools/venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run `bash scripts/setup.sh` (it installs openapi-spec-validator)",
        python.display()
    );
    let dir = TempDir::new("openapi");
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, serde_json::to_vec_pretty(doc).unwrap()).unwrap();
    let out = Command::new(python)
        .args(["-m", "openapi_spec_validator"])
        .arg(&file)
        .output()
        .expect("the validator runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[tokio::test]
async fn the_document_passes_an_independent_validator() {
    // Arrange
    let tdb = TestDb::sqlite().await;
    let app = dunwell::testing::spawn_app(&tdb.db).await;
    let doc = document(&app.address).await;
    let mut broken = doc.clone();
    broken["paths"]["/v1/customers"]["get"]["responses"]["200"] = serde_json::json!({"content": 1});

    // Act
    let (valid, report) = validate(&doc);
    let (broken_valid, broken_report) = validate(&broken);

    // Assert
    assert!(
        valid,
        "openapi-spec-validator refused the document:\n{report}"
    );
    assert!(report.contains("OK"), "{report}");
    assert!(
        !broken_valid,
        "the validator must refuse a broken document:\n{broken_report}"
    );
    tdb.finish().await;
}

#[tokio::test]
async fn the_console_reference_is_for_signed_in_staff_only() {
    // Arrange
    let tdb = TestDb::sqlite().await;
    let s = shop(&tdb).await;

    // Act
    let anonymous = call(&s.app, None, "api_reference", &[]).await;
    let viewer = call(&s.app, Some(&s.viewer), "api_reference", &[]).await;

    // Assert
    assert_eq!(anonymous.status(), 401);
    assert_eq!(viewer.status(), 200);
    let reference: Value = viewer.json().await.unwrap();
    assert_eq!(reference["groups"][0]["tag"], "customers");
    tdb.finish().await;
}
