//! `/v1/invoices` (retrieve with lines, list by customer and status, the PDF) and
//! `/v1/payment_methods` on the demo's customers: only the organization's own, never a card
//! number or a gateway token, another organization's ids 404.
use crate::support::api::{DemoApi, api_error as error, demo_api as demo};
use dunwell::entity::{customer, invoice, payment_method};
use dunwell::testing::{TestDb, client};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

impl DemoApi {
    async fn json(&self, path: &str) -> Value {
        let res = self.get(&self.key, path).await;
        assert_eq!(res.status(), 200, "{path}");
        res.json().await.unwrap()
    }

    async fn giulia(&self) -> customer::Model {
        self.customer("giulia@example.com").await
    }
}

async fn invoices_list_by_customer_and_status_and_come_with_lines_and_a_pdf(tdb: &TestDb) {
    // Arrange
    let d = demo(tdb).await;
    let giulia = d.giulia().await;
    let hers = invoice::Entity::find()
        .filter(invoice::Column::CustomerId.eq(giulia.id))
        .count(&d.app.state.db)
        .await
        .unwrap();
    let cus = &giulia.public_id;

    // Act
    let all = d.json(&format!("/invoices?customer={cus}&limit=100")).await;
    let open = d
        .json(&format!("/invoices?customer={cus}&status=open"))
        .await;
    let first = all["data"][0]["id"].as_str().unwrap().to_owned();
    let one = d.json(&format!("/invoices/{first}")).await;
    let pdf = d.get(&d.key, &format!("/invoices/{first}/pdf")).await;
    let pdf_type = pdf.headers()["content-type"].to_str().unwrap().to_owned();
    let pdf_bytes = pdf.bytes().await.unwrap();
    let paged = d.json("/invoices?limit=2").await;
    let next = d
        .json(&format!(
            "/invoices?limit=2&starting_after={}",
            paged["data"][1]["id"].as_str().unwrap()
        ))
        .await;

    // Assert
    let data = all["data"].as_array().unwrap();
    assert_eq!(data.len() as u64, hers);
    assert!(data.iter().all(|i| i["customer"] == cus.as_str()));
    assert!(data.iter().all(|i| i["object"] == "invoice"));
    let open = open["data"].as_array().unwrap();
    assert!(!open.is_empty(), "Giulia is past due");
    assert!(
        open.iter()
            .all(|i| i["status"] == "open" && i["amount_due"].as_i64() > Some(0))
    );
    assert_eq!(one["id"], first.as_str());
    assert!(!one["lines"].as_array().unwrap().is_empty());
    assert_eq!(one["invoice_pdf"], format!("/v1/invoices/{first}/pdf"));
    assert!(one["number"].as_str().is_some_and(|n| !n.is_empty()));
    assert_eq!(pdf_type, "application/pdf");
    assert!(pdf_bytes.starts_with(b"%PDF"));
    assert_eq!(paged["has_more"], true);
    assert_ne!(next["data"][0]["id"], paged["data"][0]["id"]);
    assert_ne!(next["data"][0]["id"], paged["data"][1]["id"]);
}

async fn payment_methods_show_no_more_of_a_card_than_its_brand_last4_and_expiry(tdb: &TestDb) {
    // Arrange
    let d = demo(tdb).await;
    let giulia = d.giulia().await;
    let saved = payment_method::Entity::find()
        .filter(payment_method::Column::CustomerId.eq(giulia.id))
        .filter(payment_method::Column::RemovedAt.is_null())
        .all(&d.app.state.db)
        .await
        .unwrap();

    // Act
    let res = d
        .get(
            &d.key,
            &format!("/payment_methods?customer={}", giulia.public_id),
        )
        .await;
    let text = res.text().await.unwrap();
    let list: Value = serde_json::from_str(&text).unwrap();

    // Assert
    let data = list["data"].as_array().unwrap();
    assert_eq!(data.len(), saved.len());
    assert!(!data.is_empty());
    for method in data {
        assert_eq!(method["object"], "payment_method");
        assert_eq!(method["customer"], giulia.public_id.as_str());
        if method["type"] == "card" {
            assert_eq!(method["card"]["last4"].as_str().map(str::len), Some(4));
        }
    }
    assert_eq!(
        data.iter().filter(|m| m["default"] == true).count(),
        saved.iter().filter(|m| m.is_default).count()
    );
    for m in &saved {
        assert!(!text.contains(&m.gateway_token), "no gateway token leaves");
    }
}

async fn bad_queries_and_another_organizations_ids_are_refused(tdb: &TestDb) {
    // Arrange
    let d = demo(tdb).await;
    let giulia = d.giulia().await;
    let cus = &giulia.public_id;
    let inv = invoice::Entity::find()
        .filter(invoice::Column::CustomerId.eq(giulia.id))
        .one(&d.app.state.db)
        .await
        .unwrap()
        .unwrap()
        .public_id;

    // Act
    let foreign_invoice = d.get(&d.other_key, &format!("/invoices/{inv}")).await;
    let foreign_pdf = d.get(&d.other_key, &format!("/invoices/{inv}/pdf")).await;
    let foreign_list = d
        .get(&d.other_key, &format!("/invoices?customer={cus}"))
        .await;
    let foreign_methods = d
        .get(&d.other_key, &format!("/payment_methods?customer={cus}"))
        .await;
    let other_all = d.get(&d.other_key, "/invoices").await;
    let bad_status = d.get(&d.key, "/invoices?status=lost").await;
    let unknown = d.get(&d.key, "/invoices?colour=red").await;
    let malformed = d.get(&d.key, "/invoices/inv_nope").await;
    let no_customer = d.get(&d.key, "/payment_methods").await;
    let no_key = client()
        .get(format!("{}/v1/invoices", d.app.address))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(
        error(foreign_invoice, 404).await["code"],
        "resource_missing"
    );
    assert_eq!(error(foreign_pdf, 404).await["code"], "resource_missing");
    assert_eq!(error(foreign_list, 404).await["code"], "resource_missing");
    assert_eq!(
        error(foreign_methods, 404).await["code"],
        "resource_missing"
    );
    let other_all: Value = other_all.json().await.unwrap();
    assert_eq!(other_all["data"], Value::Array(vec![]), "none of Acme's");
    assert_eq!(error(bad_status, 400).await["param"], "status");
    assert_eq!(error(unknown, 400).await["param"], "colour");
    assert_eq!(error(malformed, 404).await["code"], "resource_missing");
    assert_eq!(error(no_customer, 400).await["param"], "customer");
    assert_eq!(error(no_key, 401).await["code"], "api_key_missing");
}

on_each_database!(
    invoices_list_by_customer_and_status_and_come_with_lines_and_a_pdf,
    payment_methods_show_no_more_of_a_card_than_its_brand_last4_and_expiry,
    bad_queries_and_another_organizations_ids_are_refused,
);
