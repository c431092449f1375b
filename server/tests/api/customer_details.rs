//! Customers made and edited by staff: unique email, language, billing address, VAT
//! number, archiving; refusals name the field and write nothing; other organizations and
//! viewers are refused.
use dunwell::entity::{audit_event, customer};
use dunwell::testing::{TestApp, TestDb};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::support::shop::{Shop, call, shop};

const MARCO: [(&str, &str); 5] = [
    ("email", "Marco@Example.com"),
    ("name", "Marco Bianchi"),
    ("locale", "it"),
    ("billing_address", "Via Roma 1\r\n20100 Milano"),
    ("tax_id", "IT 123 456 789 03"),
];

async fn all(app: &TestApp) -> Vec<customer::Model> {
    customer::Entity::find().all(&app.state.db).await.unwrap()
}

async fn marco(s: &Shop) -> String {
    let res = call(&s.app, Some(&s.admin), "create_customer", &MARCO).await;
    assert_eq!(res.status(), 200);
    all(&s.app).await.pop().unwrap().public_id
}

fn with<'a>(field: &str, value: &'a str) -> Vec<(&'a str, &'a str)> {
    MARCO
        .iter()
        .map(|(k, v)| if *k == field { (*k, value) } else { (*k, *v) })
        .collect()
}

async fn an_admin_adds_a_customer_with_their_details(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;

    // Act
    let res = call(&s.app, Some(&s.admin), "create_customer", &MARCO).await;

    // Assert
    assert_eq!(res.status(), 200);
    let c = all(&s.app).await.pop().expect("one customer");
    assert_eq!(c.email, "marco@example.com");
    assert_eq!(
        (c.name.as_str(), c.locale.as_str()),
        ("Marco Bianchi", "it")
    );
    assert_eq!(c.billing_address, "Via Roma 1\n20100 Milano");
    assert_eq!(c.tax_id.as_deref(), Some("IT12345678903"));
    let audited = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("customer.created"))
        .count(&s.app.state.db)
        .await
        .unwrap();
    assert_eq!(audited, 1);
    let page: serde_json::Value =
        call(&s.app, Some(&s.viewer), "customer", &[("id", &c.public_id)])
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(page["tax_id"], "IT12345678903");
    assert_eq!(page["locale"], "it");
}

async fn a_taken_email_is_refused_and_nothing_is_written(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    marco(&s).await;

    // Act
    let res = call(
        &s.app,
        Some(&s.admin),
        "create_customer",
        &with("email", "MARCO@example.com"),
    )
    .await;

    // Assert
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["Validation"][0]["field"], "email");
    assert_eq!(body["Validation"][0]["code"], "email.taken");
    assert_eq!(all(&s.app).await.len(), 1);
}

async fn bad_details_name_each_field_and_write_nothing(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let long_address = "line\n".repeat(7);
    let cases: [(&str, &str, &str); 6] = [
        ("email", "not-an-email", "email.invalid"),
        ("name", " ", "name.empty"),
        ("locale", "fr", "locale.invalid"),
        ("billing_address", &long_address, "address.invalid"),
        ("tax_id", "IT12345678901", "tax_id.invalid"),
        ("tax_id", "12345", "tax_id.invalid"),
    ];

    for (field, value, code) in cases {
        // Act
        let res = call(
            &s.app,
            Some(&s.admin),
            "create_customer",
            &with(field, value),
        )
        .await;

        // Assert
        assert_eq!(res.status(), 422, "{field}={value:?}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["Validation"][0]["field"], field, "{body}");
        assert_eq!(body["Validation"][0]["code"], code, "{body}");
    }
    assert!(all(&s.app).await.is_empty(), "nothing written");
}

async fn details_are_edited_and_the_customer_archived_and_restored(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let id = marco(&s).await;
    let edit = [
        ("id", id.as_str()),
        ("name", "Marco Bianchi S.r.l."),
        ("locale", "en"),
        ("billing_address", ""),
        ("tax_id", ""),
    ];

    // Act
    let saved = call(&s.app, Some(&s.admin), "update_customer_details", &edit).await;
    let archived = call(
        &s.app,
        Some(&s.admin),
        "set_customer_archived",
        &[("id", &id), ("archived", "on")],
    )
    .await;
    let archived_row = all(&s.app).await.pop().unwrap();
    let restored = call(
        &s.app,
        Some(&s.admin),
        "set_customer_archived",
        &[("id", &id)],
    )
    .await;

    // Assert
    assert_eq!(saved.status(), 200);
    assert_eq!(archived.status(), 200);
    assert_eq!(restored.status(), 200);
    assert!(archived_row.archived_at.is_some());
    let c = all(&s.app).await.pop().unwrap();
    assert_eq!(
        (c.name.as_str(), c.locale.as_str()),
        ("Marco Bianchi S.r.l.", "en")
    );
    assert_eq!((c.billing_address.as_str(), c.tax_id), ("", None));
    assert_eq!(c.email, "marco@example.com", "the email is not touched");
    assert_eq!(c.archived_at, None);
}

async fn anonymous_viewer_and_other_organization_are_refused(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let id = marco(&s).await;
    let edit = [("id", id.as_str()), ("name", "Changed"), ("locale", "en")];
    let archive = [("id", id.as_str()), ("archived", "on")];
    let writes: [(&str, &[(&str, &str)]); 3] = [
        ("create_customer", &MARCO),
        ("update_customer_details", &edit),
        ("set_customer_archived", &archive),
    ];

    for (fun, form) in writes {
        // Act
        let anonymous = call(&s.app, None, fun, form).await.status();
        let viewer = call(&s.app, Some(&s.viewer), fun, form).await.status();

        // Assert
        assert_eq!(anonymous, 401, "anonymous {fun}");
        assert_eq!(viewer, 403, "viewer {fun}");
    }
    for (fun, form) in [
        ("update_customer_details", &edit[..]),
        ("set_customer_archived", &archive[..]),
    ] {
        let other = call(&s.app, Some(&s.other), fun, form).await.status();
        assert_eq!(other, 404, "other organization {fun}");
    }
    let c = all(&s.app).await;
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].name, "Marco Bianchi", "unchanged");
    assert_eq!(c[0].archived_at, None);
}

on_each_database!(
    an_admin_adds_a_customer_with_their_details,
    a_taken_email_is_refused_and_nothing_is_written,
    bad_details_name_each_field_and_write_nothing,
    details_are_edited_and_the_customer_archived_and_restored,
    anonymous_viewer_and_other_organization_are_refused,
);
