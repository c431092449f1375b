//! Billing details over HTTP: a customer changes their own name, language, billing address
//! and tax ID (a partita IVA, a codice fiscale or an EU VAT number, checked by `domain`),
//! with its `customer.updated` event and an audit row; a new invoice keeps the details it
//! was made out to. Bad input is named field by field with nothing written; signed out is
//! 401, the permission off is 403, and another organization's portal reaches nothing.
use crate::portal_security::{other_org, owner, save_permissions};
use crate::support::pdf_text::pdf_text;
use dunwell::console::{NewSubscription, SubscriptionForm};
use dunwell::entity::{audit_event, customer, event, invoice, plan};
use dunwell::testing::{TestApp, TestDb, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

struct Signed {
    app: TestApp,
    key: String,
    cookie: String,
    customer: customer::Model,
}

/// Giulia, a customer of the demo, signed in to its portal.
async fn giulia(tdb: &TestDb) -> Signed {
    let app = spawn_app(&tdb.db).await;
    let key = app.load_demo().await;
    let customer = find_customer(&app, "giulia@example.com").await;
    let cookie = app.portal_sign_in(&key, "giulia@example.com").await;
    Signed {
        app,
        key,
        cookie,
        customer,
    }
}

async fn find_customer(app: &TestApp, email: &str) -> customer::Model {
    customer::Entity::find()
        .filter(customer::Column::Email.eq(email))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

impl Signed {
    /// Saves the form as a browser without JavaScript posts it.
    async fn save(&self, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut pairs = vec![("key", self.key.as_str())];
        pairs.extend_from_slice(fields);
        self.app
            .submit(
                "/api/portal/update_billing_details",
                &pairs,
                Some(&self.cookie),
            )
            .await
    }

    /// The same as a script calls it: the status and JSON body tell the outcome.
    async fn save_json(&self, fields: &[(&str, &str)], cookie: Option<&str>) -> reqwest::Response {
        let mut pairs = vec![("key", self.key.as_str())];
        pairs.extend_from_slice(fields);
        self.app
            .call("/api/portal/update_billing_details", &pairs, cookie)
            .await
    }

    async fn row(&self) -> customer::Model {
        customer::Entity::find_by_id(self.customer.id)
            .one(&self.app.state.db)
            .await
            .unwrap()
            .unwrap()
    }

    async fn events(&self) -> Vec<event::Model> {
        event::Entity::find()
            .filter(event::Column::ObjectId.eq(&self.customer.public_id))
            .filter(event::Column::Kind.eq("customer.updated"))
            .order_by_asc(event::Column::Id)
            .all(&self.app.state.db)
            .await
            .unwrap()
    }

    async fn page(&self) -> reqwest::Response {
        self.app
            .page(&format!("/portal/{}/billing", self.key), Some(&self.cookie))
            .await
    }
}

const MARIO: [(&str, &str); 4] = [
    ("name", "  Mario Rossi  "),
    ("locale", "it"),
    (
        "billing_address",
        "Via Nazionale 10\r\n00184 Roma\r\nItalia",
    ),
    ("tax_id", "rss mra 85t10 a562s"),
];

async fn a_customer_saves_their_details_and_a_new_invoice_keeps_them(tdb: &TestDb) {
    // Arrange
    let g = giulia(tdb).await;
    let events_before = g.events().await.len();

    // Act
    let saved = g.save(&MARIO).await;
    let page = g.page().await.text().await.unwrap();

    // Assert: the row, its event, the audit row, the page.
    assert!(saved.status().is_redirection(), "{}", saved.status());
    assert_eq!(
        saved.headers()["location"],
        format!("/portal/{}/billing?notice=saved", g.key).as_str()
    );
    let row = g.row().await;
    assert_eq!(row.name, "Mario Rossi");
    assert_eq!(row.locale, "it");
    assert_eq!(row.billing_address, "Via Nazionale 10\n00184 Roma\nItalia");
    assert_eq!(row.tax_id.as_deref(), Some("RSSMRA85T10A562S"));
    assert_eq!(row.email, g.customer.email, "the email is not the form's");
    let events = g.events().await;
    assert_eq!(events.len(), events_before + 1, "one customer.updated");
    let shown: serde_json::Value = serde_json::from_str(&events.last().unwrap().data).unwrap();
    assert_eq!(shown["name"], "Mario Rossi");
    let audit = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("customer.billing_details"))
        .all(&g.app.state.db)
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].actor, format!("customer:{}", g.customer.public_id));
    assert!(audit[0].details.contains("tax_id"), "{}", audit[0].details);
    assert!(
        !audit[0].details.contains("RSSMRA"),
        "the audit names fields, not values"
    );
    assert!(
        page.contains("RSSMRA85T10A562S"),
        "the form shows the saved values"
    );
    assert!(page.contains("Via Nazionale 10"));

    // Act: a new invoice, then another change of details.
    let actor = owner(&g.app).await;
    let price = plan::Entity::find()
        .filter(plan::Column::OrganizationId.eq(g.customer.organization_id))
        .one(&g.app.state.db)
        .await
        .unwrap()
        .unwrap();
    let new = NewSubscription::try_from(SubscriptionForm {
        price: &price.public_id,
        quantity: "",
        start: "",
        trial_days: "0",
    })
    .unwrap();
    let customer_id = domain::CustomerId::parse(&g.customer.public_id).unwrap();
    g.app
        .state
        .console
        .create_subscription(&actor, &customer_id, new)
        .await
        .unwrap();
    let again = g
        .save(&[
            ("name", "Rossi Srl"),
            ("locale", "it"),
            ("billing_address", "Corso Italia 1\n20122 Milano"),
            ("tax_id", "IT 123.456.789 03"),
        ])
        .await;
    assert!(again.status().is_redirection());

    // Assert: the invoice keeps the details it was made out to, in its row and its PDF.
    let newest = invoice::Entity::find()
        .filter(invoice::Column::CustomerId.eq(g.customer.id))
        .order_by_desc(invoice::Column::Id)
        .one(&g.app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(newest.billed_name.as_deref(), Some("Mario Rossi"));
    assert_eq!(newest.billed_tax_id.as_deref(), Some("RSSMRA85T10A562S"));
    let pdf = g
        .app
        .page(
            &format!("/portal/{}/invoices/{}.pdf", g.key, newest.public_id),
            Some(&g.cookie),
        )
        .await;
    assert_eq!(pdf.status(), 200);
    let text = pdf_text(&pdf.bytes().await.unwrap()).expect("pdftotext reads the PDF");
    assert!(text.contains("Mario Rossi"), "{text}");
    assert!(text.contains("RSSMRA85T10A562S"), "{text}");
    assert!(!text.contains("Rossi Srl"), "{text}");
    assert_eq!(g.row().await.name, "Rossi Srl", "the customer did change");
}

async fn bad_details_are_named_field_by_field_and_nothing_is_written(tdb: &TestDb) {
    // Arrange
    let g = giulia(tdb).await;
    let before = g.row().await;
    let events_before = g.events().await.len();

    // Act
    let bad_tax = g
        .save_json(
            &[
                ("name", "Giulia Rossi"),
                ("locale", "it"),
                ("billing_address", ""),
                // A partita IVA with a wrong check digit.
                ("tax_id", "IT12345678901"),
            ],
            Some(&g.cookie),
        )
        .await;
    let bad_status = bad_tax.status();
    let bad_body = bad_tax.text().await.unwrap();
    let all_bad = g
        .save_json(
            &[
                ("name", "   "),
                ("locale", "de"),
                ("billing_address", &"line\n".repeat(7)),
                ("tax_id", "RSSMRA85T10A562T"),
            ],
            Some(&g.cookie),
        )
        .await;
    let all_status = all_bad.status();
    let all_body = all_bad.text().await.unwrap();
    let form = g
        .save(&[
            ("name", "Giulia Rossi"),
            ("locale", "it"),
            ("billing_address", ""),
            ("tax_id", "DE12345678"),
        ])
        .await;

    // Assert
    assert_eq!(bad_status, 422, "{bad_body}");
    assert!(bad_body.contains("tax_id"), "{bad_body}");
    assert_eq!(all_status, 422, "{all_body}");
    for field in ["name", "locale", "billing_address", "tax_id"] {
        assert!(
            all_body.contains(&format!("\"{field}\"")),
            "{field}: {all_body}"
        );
    }
    // Without JavaScript the form comes back with the error to show.
    assert!(form.status().is_redirection());
    assert!(
        form.headers()["location"]
            .to_str()
            .unwrap()
            .contains("__err"),
        "{:?}",
        form.headers()["location"]
    );
    assert_eq!(g.row().await, before, "nothing written");
    assert_eq!(g.events().await.len(), events_before, "no event");
}

async fn signed_out_forbidden_and_another_organizations_portal_reach_nothing(tdb: &TestDb) {
    // Arrange
    let g = giulia(tdb).await;
    let before = g.row().await;
    let (other_key, _) = other_org(&g.app).await;

    // Act
    let signed_out = g.save_json(&MARIO, None).await;
    let elsewhere = g
        .app
        .call(
            "/api/portal/update_billing_details",
            &[
                ("key", other_key.as_str()),
                ("name", "Mario Rossi"),
                ("locale", "it"),
                ("billing_address", ""),
                ("tax_id", ""),
            ],
            Some(&g.cookie),
        )
        .await;
    let nav_on = g
        .app
        .page(&format!("/portal/{}", g.key), Some(&g.cookie))
        .await
        .text()
        .await
        .unwrap();
    save_permissions(
        &g.app,
        domain::PortalPermissions::default_set()
            .without(domain::PortalPermission::UpdateBillingDetails),
    )
    .await;
    let forbidden = g.save_json(&MARIO, Some(&g.cookie)).await;
    let view = g
        .app
        .call(
            "/api/portal/billing_details",
            &[("key", g.key.as_str())],
            Some(&g.cookie),
        )
        .await;
    let page = g.page().await;
    let page_status = page.status();
    let page_text = page.text().await.unwrap();
    let nav_off = g
        .app
        .page(&format!("/portal/{}", g.key), Some(&g.cookie))
        .await
        .text()
        .await
        .unwrap();

    // Assert
    assert_eq!(signed_out.status(), 401);
    assert_eq!(
        elsewhere.status(),
        401,
        "Giulia's session is not the other portal's"
    );
    assert_eq!(forbidden.status(), 403);
    assert_eq!(view.status(), 403);
    assert_eq!(page_status, 403, "{page_text}");
    let link = format!("href=\"/portal/{}/billing\"", g.key);
    assert!(nav_on.contains(&link), "the navigation links to it");
    assert!(!nav_off.contains(&link), "and not once it is off");
    assert_eq!(g.row().await, before, "nothing written");
    let other_customer = customer::Entity::find()
        .filter(customer::Column::PublicId.eq("cus_otherorggiulia000000000000"))
        .one(&g.app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(other_customer.name, "Mario Rossi");
    let audits = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("customer.billing_details"))
        .count(&g.app.state.db)
        .await
        .unwrap();
    assert_eq!(audits, 0);
}

on_each_database!(
    a_customer_saves_their_details_and_a_new_invoice_keeps_them,
    bad_details_are_named_field_by_field_and_nothing_is_written,
    signed_out_forbidden_and_another_organizations_portal_reach_nothing,
);
