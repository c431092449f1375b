//! Subscriptions staff make for a customer: with no payment method the first invoice
//! waits and the customer is asked for one, which pays it at once; with one it is paid at
//! once; a trial or a later start invoices later. Cancel now, at the period end, resume.
//! Bad input names the field and writes nothing; viewers and other organizations are refused.
use domain::{CardNumber, CardholderName, ExpiryDate};
use dunwell::billing::Clock;
use dunwell::entity::{
    audit_event, customer, invoice, outbound_email, payment_attempt, plan, portal_settings,
    subscription,
};
use dunwell::testing::{TestApp, TestDb};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use crate::support::shop::{Shop, call, shop};

/// Makes a price as the admin (`trial` days); returns its id.
async fn price(s: &Shop, name: &str, currency: &str, trial: &str) -> String {
    let form = [
        ("name", name),
        ("amount", "29"),
        ("currency", currency),
        ("interval", "month"),
        ("interval_count", "1"),
        ("trial_days", trial),
    ];
    assert_eq!(
        call(&s.app, Some(&s.admin), "create_price", &form)
            .await
            .status(),
        200
    );
    plan::Entity::find()
        .filter(plan::Column::Name.eq(name))
        .one(&s.app.state.db)
        .await
        .unwrap()
        .unwrap()
        .public_id
}

/// Makes a customer as the admin; returns their row.
async fn customer(s: &Shop, email: &str, name: &str, locale: &str) -> customer::Model {
    let form = [("email", email), ("name", name), ("locale", locale)];
    assert_eq!(
        call(&s.app, Some(&s.admin), "create_customer", &form)
            .await
            .status(),
        200
    );
    customer::Entity::find()
        .filter(customer::Column::Email.eq(email))
        .one(&s.app.state.db)
        .await
        .unwrap()
        .unwrap()
}

/// Marco, who reads Italian.
async fn marco(s: &Shop) -> customer::Model {
    customer(s, "marco@example.com", "Marco Bianchi", "it").await
}

async fn card(app: &TestApp, c: &customer::Model, number: &str) {
    app.state
        .engine
        .add_card(
            c.organization_id,
            c.id,
            &CardNumber::parse(number).unwrap(),
            ExpiryDate::parse("12/34").unwrap(),
            &CardholderName::parse("Marco Bianchi").unwrap(),
            false,
        )
        .await
        .unwrap();
}

async fn subscribe(s: &Shop, c: &customer::Model, extra: &[(&str, &str)]) -> reqwest::Response {
    let mut form = vec![("customer", c.public_id.as_str())];
    form.extend_from_slice(extra);
    call(&s.app, Some(&s.admin), "create_subscription", &form).await
}

async fn subs(app: &TestApp) -> Vec<subscription::Model> {
    subscription::Entity::find()
        .order_by_asc(subscription::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
}

async fn invoices(app: &TestApp) -> Vec<invoice::Model> {
    invoice::Entity::find()
        .order_by_asc(invoice::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
}

async fn email_kinds(app: &TestApp, c: &customer::Model) -> Vec<String> {
    outbound_email::Entity::find()
        .filter(outbound_email::Column::CustomerId.eq(c.id))
        .order_by_asc(outbound_email::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect()
}

async fn without_a_method_the_first_invoice_waits_and_the_first_card_pays_it(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let pro = price(&s, "Pro", "EUR", "0").await;
    let c = marco(&s).await;
    // The organization's portal has its key (the links in emails point into it).
    let settings = portal_settings::Entity::find()
        .filter(portal_settings::Column::OrganizationId.eq(c.organization_id))
        .one(&s.app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut settings: portal_settings::ActiveModel = settings.into();
    settings.portal_key = Set(Some("pk_acmetest0000000000".into()));
    settings.update(&s.app.state.db).await.unwrap();

    // Act
    let res = subscribe(&s, &c, &[("price", &pro), ("quantity", "2")]).await;

    // Assert: incomplete, one open invoice for 2 × €29 never attempted, one email asking
    // for a method with the deep link to the payment-methods page.
    assert_eq!(res.status(), 200);
    let sub = subs(&s.app).await.pop().expect("a subscription");
    assert_eq!((sub.status.as_str(), sub.quantity), ("incomplete", 2));
    let inv = invoices(&s.app).await.pop().expect("its first invoice");
    assert_eq!(
        (inv.status.as_str(), inv.total_minor, inv.attempt_count),
        ("open", 5800, 0)
    );
    assert_eq!(inv.subscription_id, Some(sub.id));
    assert_eq!(email_kinds(&s.app, &c).await, ["add_payment_method"]);
    let email = outbound_email::Entity::find()
        .filter(outbound_email::Column::Kind.eq("add_payment_method"))
        .one(&s.app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        email
            .text_body
            .contains("/portal/pk_acmetest0000000000/login?return_to=/portal/pk_acmetest0000000000/payment-methods"),
        "{}",
        email.text_body
    );
    assert!(
        email.subject.contains("metodo di pagamento"),
        "Italian: {}",
        email.subject
    );
    let audited = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("subscription.created"))
        .count(&s.app.state.db)
        .await
        .unwrap();
    assert_eq!(audited, 1);
    // The dunning run leaves it alone: nothing to retry without a method.
    s.app
        .state
        .engine
        .run_once(s.app.clock.now())
        .await
        .unwrap();
    assert_eq!(invoices(&s.app).await.pop().unwrap().attempt_count, 0);

    // Act: the customer's first card (not even ticked as default) pays it at once.
    card(&s.app, &c, "4242424242424242").await;

    // Assert
    let inv = invoices(&s.app).await.pop().unwrap();
    assert_eq!(inv.status, "paid");
    let sub = subs(&s.app).await.pop().unwrap();
    assert_eq!(sub.status, "active");
    assert_eq!(
        (sub.current_period_start, sub.current_period_end),
        (inv.period_start, inv.period_end)
    );
    let attempts = payment_attempt::Entity::find()
        .all(&s.app.state.db)
        .await
        .unwrap();
    assert_eq!(attempts.len(), 1, "charged exactly once");
    assert_eq!(attempts[0].trigger, "payment_method_update");
    assert_eq!(
        email_kinds(&s.app, &c).await,
        ["add_payment_method", "payment_succeeded"]
    );
}

async fn with_a_card_on_file_the_first_invoice_is_paid_at_once(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let pro = price(&s, "Pro", "EUR", "0").await;
    let c = marco(&s).await;
    card(&s.app, &c, "4242424242424242").await;

    // Act
    let res = subscribe(&s, &c, &[("price", &pro)]).await;

    // Assert
    assert_eq!(res.status(), 200);
    let sub = subs(&s.app).await.pop().unwrap();
    assert_eq!((sub.status.as_str(), sub.quantity), ("active", 1));
    let inv = invoices(&s.app).await.pop().unwrap();
    assert_eq!((inv.status.as_str(), inv.total_minor), ("paid", 2900));
    assert_eq!(sub.current_period_end, inv.period_end);
    assert_eq!(
        email_kinds(&s.app, &c).await,
        ["invoice_created", "payment_succeeded"]
    );

    // Act: a card that declines makes a second subscription past due, with dunning.
    let c2 = customer(&s, "anna@example.com", "Anna", "en").await;
    card(&s.app, &c2, "4000000000000341").await;
    assert_eq!(subscribe(&s, &c2, &[("price", &pro)]).await.status(), 200);

    // Assert
    let sub = subs(&s.app).await.pop().unwrap();
    assert_eq!(sub.status, "past_due");
    let inv = invoices(&s.app).await.pop().unwrap();
    assert_eq!(inv.status, "open");
    assert!(inv.next_attempt_at.is_some(), "a retry is scheduled");
    assert_eq!(
        email_kinds(&s.app, &c2).await,
        ["invoice_created", "payment_failed"]
    );
}

async fn a_trial_or_a_later_start_invoices_later(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let trial = price(&s, "Trial", "EUR", "14").await;
    let c = marco(&s).await;
    let now = s.app.clock.now();
    let later = (now + chrono::TimeDelta::days(10)).date_naive().to_string();

    // Act: the price's 14 days, then a start in 10 days with no trial.
    assert_eq!(subscribe(&s, &c, &[("price", &trial)]).await.status(), 200);
    let res = subscribe(
        &s,
        &c,
        &[("price", &trial), ("start", &later), ("trial_days", "0")],
    )
    .await;

    // Assert: both active with no invoice yet; the customer was asked for a method twice.
    assert_eq!(res.status(), 200);
    let all = subs(&s.app).await;
    assert_eq!(all.len(), 2);
    assert!(all.iter().all(|s| s.status == "active"));
    assert_eq!(all[0].trial_end, Some(all[0].current_period_end));
    assert_eq!(
        (all[0].current_period_end - all[0].current_period_start).num_days(),
        14
    );
    assert_eq!(all[1].trial_end, None);
    assert_eq!(all[1].current_period_start.date_naive().to_string(), later);
    assert!(invoices(&s.app).await.is_empty());
    assert_eq!(
        email_kinds(&s.app, &c).await,
        ["add_payment_method", "add_payment_method"]
    );
}

/// A form's fields.
type Form<'a> = &'a [(&'a str, &'a str)];

async fn bad_input_names_the_field_and_writes_nothing(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let eur = price(&s, "Pro", "EUR", "0").await;
    let usd = price(&s, "Pro US", "USD", "0").await;
    let old = price(&s, "Old", "EUR", "0").await;
    let archive = [("id", old.as_str()), ("archived", "on")];
    assert_eq!(
        call(&s.app, Some(&s.admin), "set_price_archived", &archive)
            .await
            .status(),
        200
    );
    let c = marco(&s).await;
    let past = (s.app.clock.now() - chrono::TimeDelta::days(3))
        .date_naive()
        .to_string();
    let cases: [(Form, &str, &str); 8] = [
        (
            &[("price", &eur), ("quantity", "0")],
            "quantity",
            "quantity.invalid",
        ),
        (
            &[("price", &eur), ("quantity", "abc")],
            "quantity",
            "quantity.invalid",
        ),
        (
            &[("price", "plan_nothere0000000")],
            "price",
            "price.unknown",
        ),
        (&[("price", "garbage")], "price", "price.unknown"),
        (&[("price", &old)], "price", "price.archived"),
        (
            &[("price", &eur), ("start", &past)],
            "start",
            "start.invalid",
        ),
        (
            &[("price", &eur), ("start", "31/12/2026")],
            "start",
            "start.invalid",
        ),
        (
            &[("price", &eur), ("trial_days", "999")],
            "trial_days",
            "trial_days.invalid",
        ),
    ];

    for (form, field, code) in cases {
        // Act
        let res = subscribe(&s, &c, form).await;

        // Assert
        assert_eq!(res.status(), 422, "{form:?}");
        let body: serde_json::Value = res.json().await.unwrap();
        let errors = body["Validation"].as_array().expect("field errors");
        assert!(
            errors
                .iter()
                .any(|e| e["field"] == field && e["code"] == code),
            "{form:?}: {body}"
        );
    }
    assert!(subs(&s.app).await.is_empty(), "nothing written");

    // A customer paying in euros cannot take a dollar price.
    assert_eq!(subscribe(&s, &c, &[("price", &eur)]).await.status(), 200);
    let res = subscribe(&s, &c, &[("price", &usd)]).await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        body["Validation"][0]["code"], "price.currency_mismatch",
        "{body}"
    );
    // An archived customer takes none.
    let form = [("id", c.public_id.as_str()), ("archived", "on")];
    assert_eq!(
        call(&s.app, Some(&s.admin), "set_customer_archived", &form)
            .await
            .status(),
        200
    );
    let res = subscribe(&s, &c, &[("price", &eur)]).await;
    assert_eq!(res.status(), 409);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["Conflict"], "customer_archived", "{body}");
    assert_eq!(subs(&s.app).await.len(), 1);
    assert_eq!(invoices(&s.app).await.len(), 1);
}

async fn anonymous_viewer_and_other_organization_are_refused(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let pro = price(&s, "Pro", "EUR", "0").await;
    let c = marco(&s).await;
    card(&s.app, &c, "4242424242424242").await;
    assert_eq!(subscribe(&s, &c, &[("price", &pro)]).await.status(), 200);
    let sub = subs(&s.app).await.pop().unwrap();
    let create = [("customer", c.public_id.as_str()), ("price", pro.as_str())];
    let cancel = [
        ("customer", c.public_id.as_str()),
        ("id", sub.public_id.as_str()),
        ("when", "now"),
    ];
    let resume = [
        ("customer", c.public_id.as_str()),
        ("id", sub.public_id.as_str()),
    ];
    let calls: [(&str, &[(&str, &str)]); 3] = [
        ("create_subscription", &create),
        ("cancel_subscription", &cancel),
        ("resume_subscription", &resume),
    ];

    for (fun, form) in calls {
        // Act / Assert
        assert_eq!(call(&s.app, None, fun, form).await.status(), 401, "{fun}");
        assert_eq!(
            call(&s.app, Some(&s.viewer), fun, form).await.status(),
            403,
            "{fun}"
        );
        assert_eq!(
            call(&s.app, Some(&s.other), fun, form).await.status(),
            404,
            "{fun}"
        );
    }
    assert_eq!(subs(&s.app).await.len(), 1);
    assert_eq!(subs(&s.app).await[0].status, "active", "untouched");
}

async fn staff_cancel_at_period_end_resume_and_cancel_now(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let pro = price(&s, "Pro", "EUR", "0").await;
    let c = marco(&s).await;
    card(&s.app, &c, "4242424242424242").await;
    assert_eq!(subscribe(&s, &c, &[("price", &pro)]).await.status(), 200);
    let id = subs(&s.app).await.pop().unwrap().public_id;
    let post = |when: &'static str| cancel(&s, &c.public_id, &id, when);

    // Act / Assert: at the period end, once.
    assert_eq!(post("period_end").await, 200);
    assert!(subs(&s.app).await[0].cancel_at_period_end);
    assert_eq!(post("period_end").await, 409);
    // Resume.
    let resume = [("customer", c.public_id.as_str()), ("id", id.as_str())];
    assert_eq!(
        call(&s.app, Some(&s.admin), "resume_subscription", &resume)
            .await
            .status(),
        200
    );
    assert!(!subs(&s.app).await[0].cancel_at_period_end);
    assert_eq!(
        call(&s.app, Some(&s.admin), "resume_subscription", &resume)
            .await
            .status(),
        409
    );
    // Now, once; a bad `when` is a field error.
    assert_eq!(post("sometime").await, 422);
    assert_eq!(post("now").await, 200);
    let sub = subs(&s.app).await.pop().unwrap();
    assert_eq!(sub.status, "canceled");
    assert!(sub.canceled_at.is_some());
    assert_eq!(post("now").await, 409);
    let kinds = email_kinds(&s.app, &c).await;
    assert_eq!(
        kinds
            .iter()
            .filter(|k| *k == "subscription_canceled")
            .count(),
        2,
        "{kinds:?}"
    );
    let actions: Vec<String> = audit_event::Entity::find()
        .filter(audit_event::Column::Action.starts_with("subscription."))
        .order_by_asc(audit_event::Column::Id)
        .all(&s.app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "subscription.created",
            "subscription.cancel_scheduled",
            "subscription.resumed",
            "subscription.canceled"
        ]
    );
}

async fn an_interrupted_first_charge_is_resumed_and_cancel_now_waits_for_it(tdb: &TestDb) {
    // Arrange: an incomplete subscription whose first charge was claimed (attempt 1) and
    // never recorded, as when the process stops mid-charge.
    let s = shop(tdb).await;
    let pro = price(&s, "Pro", "EUR", "0").await;
    let c = marco(&s).await;
    assert_eq!(subscribe(&s, &c, &[("price", &pro)]).await.status(), 200);
    let sub = subs(&s.app).await.pop().unwrap();
    let inv = invoices(&s.app).await.pop().unwrap();
    let mut claimed: invoice::ActiveModel = inv.clone().into();
    claimed.attempt_count = Set(1);
    claimed.update(&s.app.state.db).await.unwrap();

    // Act / Assert: staff cannot void it while the charge may have gone through.
    assert_eq!(cancel(&s, &c.public_id, &sub.public_id, "now").await, 409);
    assert_eq!(subs(&s.app).await[0].status, "incomplete");

    // Act: a card arrives (the claimed invoice is not waiting any more, so no new attempt),
    // then the next run after the claim's lease resumes attempt 1 with its key.
    card(&s.app, &c, "4242424242424242").await;
    assert_eq!(invoices(&s.app).await[0].status, "open");
    let later = s.app.clock.now() + chrono::TimeDelta::minutes(5);
    s.app.clock.set(later);
    s.app.state.engine.run_once(later).await.unwrap();

    // Assert
    let inv = invoices(&s.app).await.pop().unwrap();
    assert_eq!((inv.status.as_str(), inv.attempt_count), ("paid", 1));
    assert_eq!(subs(&s.app).await[0].status, "active");
    assert_eq!(invoices(&s.app).await.len(), 1, "no second invoice");
}

async fn cancel(s: &Shop, customer: &str, id: &str, when: &str) -> u16 {
    let form = [("customer", customer), ("id", id), ("when", when)];
    call(&s.app, Some(&s.admin), "cancel_subscription", &form)
        .await
        .status()
        .as_u16()
}

on_each_database!(
    without_a_method_the_first_invoice_waits_and_the_first_card_pays_it,
    with_a_card_on_file_the_first_invoice_is_paid_at_once,
    a_trial_or_a_later_start_invoices_later,
    bad_input_names_the_field_and_writes_nothing,
    anonymous_viewer_and_other_organization_are_refused,
    staff_cancel_at_period_end_resume_and_cancel_now,
    an_interrupted_first_charge_is_resumed_and_cancel_now_waits_for_it,
);
