//! The catalog: staff make prices, archive and restore them, and delete one only while no
//! subscription uses it; viewers read, anonymous callers and other organizations get nothing.
use domain::{CustomerId, SubscriptionId};
use dunwell::entity::{audit_event, customer, organization, plan, subscription};
use dunwell::testing::{TestApp, TestDb};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::support::shop::{Shop, call, shop};

async fn status(app: &TestApp, cookie: Option<&str>, fun: &str, form: &[(&str, &str)]) -> u16 {
    call(app, cookie, fun, form).await.status().as_u16()
}

const PRO: [(&str, &str); 6] = [
    ("name", "Pro quarterly"),
    ("amount", "79,90"),
    ("currency", "EUR"),
    ("interval", "month"),
    ("interval_count", "3"),
    ("trial_days", "14"),
];

async fn prices(app: &TestApp) -> Vec<plan::Model> {
    plan::Entity::find().all(&app.state.db).await.unwrap()
}

/// Makes "Pro quarterly" as the admin; returns its id.
async fn pro(s: &Shop) -> String {
    assert_eq!(
        status(&s.app, Some(&s.admin), "create_price", &PRO).await,
        200
    );
    prices(&s.app).await.pop().unwrap().public_id
}

/// A customer of `acme` subscribed to the price `plan_id`.
async fn subscribe(app: &TestApp, plan_id: &str) {
    let db = &app.state.db;
    let price = plan::Entity::find()
        .filter(plan::Column::PublicId.eq(plan_id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let now = chrono::Utc::now();
    let c = customer::ActiveModel {
        public_id: Set(CustomerId::from_random(dunwell::secret::random_bytes()).to_string()),
        organization_id: Set(price.organization_id),
        email: Set("marco@example.com".into()),
        name: Set("Marco".into()),
        locale: Set("it".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    subscription::ActiveModel {
        public_id: Set(SubscriptionId::from_random(dunwell::secret::random_bytes()).to_string()),
        organization_id: Set(price.organization_id),
        customer_id: Set(c.id),
        plan_id: Set(price.id),
        status: Set("active".into()),
        current_period_start: Set(now),
        current_period_end: Set(now + chrono::TimeDelta::days(90)),
        cancel_at_period_end: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
}

async fn an_admin_makes_a_price_and_it_is_audited(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;

    // Act
    let answer = status(&s.app, Some(&s.admin), "create_price", &PRO).await;

    // Assert
    assert_eq!(answer, 200);
    let p = prices(&s.app).await.pop().expect("one price");
    let acme = organization::Entity::find()
        .filter(organization::Column::Slug.eq("acme"))
        .one(&s.app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(p.organization_id, acme.id);
    assert_eq!(
        (p.name.as_str(), p.amount_minor, p.currency.as_str()),
        ("Pro quarterly", 7990, "EUR")
    );
    assert_eq!((p.interval.as_str(), p.interval_count), ("month", 3));
    assert_eq!(p.trial_days, 14);
    assert_eq!(p.archived_at, None);
    let audit = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("catalog.price_created"))
        .one(&s.app.state.db)
        .await
        .unwrap()
        .expect("audited");
    assert!(audit.details.contains("every 3 month"), "{}", audit.details);
}

async fn a_viewer_reads_the_catalog(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    pro(&s).await;

    // Act
    let res = s
        .app
        .call("/api/console/prices", &[], Some(&s.viewer))
        .await;

    // Assert
    assert_eq!(res.status(), 200);
    let list: serde_json::Value = res.json().await.unwrap();
    assert_eq!(list["can_change"], false);
    assert_eq!(list["prices"][0]["name"], "Pro quarterly");
    assert_eq!(list["prices"][0]["interval_count"], 3);
    assert_eq!(list["prices"][0]["subscriptions"], 0);
}

async fn bad_prices_name_each_field_and_write_nothing(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let cases: &[(&str, &str, &str)] = &[
        ("name", "  ", "name.empty"),
        ("name", "<b>Pro</b>", "name.invalid"),
        ("amount", "0", "amount.invalid"),
        ("amount", "12.345", "amount.invalid"),
        ("currency", "XYZ", "currency.invalid"),
        ("interval", "fortnight", "interval.invalid"),
        ("interval_count", "13", "interval_count.invalid"),
        ("trial_days", "731", "trial_days.invalid"),
    ];

    for (field, value, code) in cases {
        // Act
        let form: Vec<(&str, &str)> = PRO
            .iter()
            .map(|(k, v)| if k == field { (*k, *value) } else { (*k, *v) })
            .collect();
        let res = s
            .app
            .call("/api/console/create_price", &form, Some(&s.admin))
            .await;

        // Assert
        assert_eq!(res.status(), 422, "{field}={value:?}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["Validation"][0]["field"], *field, "{body}");
        assert_eq!(body["Validation"][0]["code"], *code, "{body}");
    }
    assert!(prices(&s.app).await.is_empty(), "nothing written");
}

async fn a_price_with_subscriptions_is_archived_not_deleted(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let id = pro(&s).await;
    subscribe(&s.app, &id).await;

    // Act
    let delete = status(&s.app, Some(&s.admin), "delete_price", &[("id", &id)]).await;
    let archive = status(
        &s.app,
        Some(&s.admin),
        "set_price_archived",
        &[("id", &id), ("archived", "on")],
    )
    .await;

    // Assert
    assert_eq!(delete, 409);
    assert_eq!(archive, 200);
    let p = prices(&s.app).await.pop().expect("still there");
    assert!(p.archived_at.is_some());
}

async fn an_archived_price_is_restored(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let id = pro(&s).await;
    status(
        &s.app,
        Some(&s.admin),
        "set_price_archived",
        &[("id", &id), ("archived", "on")],
    )
    .await;

    // Act
    let answer = status(&s.app, Some(&s.admin), "set_price_archived", &[("id", &id)]).await;

    // Assert
    assert_eq!(answer, 200);
    assert_eq!(prices(&s.app).await.pop().unwrap().archived_at, None);
    let actions: Vec<String> = audit_event::Entity::find()
        .all(&s.app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.contains(&"catalog.price_archived".to_owned()));
    assert!(actions.contains(&"catalog.price_restored".to_owned()));
}

async fn an_unused_price_is_deleted(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let id = pro(&s).await;

    // Act
    let answer = status(&s.app, Some(&s.admin), "delete_price", &[("id", &id)]).await;

    // Assert
    assert_eq!(answer, 200);
    assert!(prices(&s.app).await.is_empty());
}

async fn anonymous_viewer_and_other_organization_are_refused(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let id = pro(&s).await;
    let by_id = [("id", id.as_str())];
    let archive = [("id", id.as_str()), ("archived", "on")];
    let writes: [(&str, &[(&str, &str)]); 3] = [
        ("create_price", &PRO),
        ("set_price_archived", &archive),
        ("delete_price", &by_id),
    ];

    for (fun, form) in writes {
        // Act
        let anonymous = status(&s.app, None, fun, form).await;
        let viewer = status(&s.app, Some(&s.viewer), fun, form).await;

        // Assert
        assert_eq!(anonymous, 401, "anonymous {fun}");
        assert_eq!(viewer, 403, "viewer {fun}");
    }
    assert_eq!(status(&s.app, None, "prices", &[]).await, 401);
    assert_eq!(
        status(&s.app, Some(&s.other), "set_price_archived", &archive).await,
        404
    );
    assert_eq!(
        status(&s.app, Some(&s.other), "delete_price", &by_id).await,
        404
    );
    assert_eq!(
        status(
            &s.app,
            Some(&s.admin),
            "delete_price",
            &[("id", "plan_nope")]
        )
        .await,
        404
    );
    let p = prices(&s.app).await;
    assert_eq!(p.len(), 1, "the other organization changed nothing");
    assert_eq!(p[0].archived_at, None);
    let other: serde_json::Value = s
        .app
        .call("/api/console/prices", &[], Some(&s.other))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        other["prices"],
        serde_json::json!([]),
        "not listed elsewhere"
    );
}

on_each_database!(
    an_admin_makes_a_price_and_it_is_audited,
    a_viewer_reads_the_catalog,
    bad_prices_name_each_field_and_write_nothing,
    a_price_with_subscriptions_is_archived_not_deleted,
    an_archived_price_is_restored,
    an_unused_price_is_deleted,
    anonymous_viewer_and_other_organization_are_refused,
);
