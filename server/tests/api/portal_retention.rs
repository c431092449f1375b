//! The retention offer: the merchant sets one (a percent off for some months) with the
//! portal's permissions; a customer about to cancel sees it once, and accepting it puts a
//! discount line on the invoices whose period starts within those months. Cancelling
//! passes it over. Signed out is 401, the cancel permission off 403, another customer's
//! subscription 404, no offer (or a second time) 409, with nothing written.
use super::portal_pause::{Marco, marco};
use dunwell::entity::{audit_event, invoice_line, subscription};
use dunwell::testing::TestDb;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

/// Sets the demo portal's offer (the permissions as `marco` left them: cancel and pause on).
async fn set_offer(m: &Marco, offer: Option<domain::RetentionOffer>) {
    let console = &m.app.state.console;
    let actor = super::portal_security::owner(&m.app).await;
    let view = console.portal_settings(&actor).await.unwrap();
    let perms = domain::PortalPermissions::default_set()
        .with(domain::PortalPermission::PauseSubscription)
        .with(domain::PortalPermission::CancelSubscription);
    let rules = dunwell::console::PortalRules {
        retention_offer: Some(offer),
        ..Default::default()
    };
    console
        .save_permissions(&actor, perms, rules, view.version)
        .await
        .unwrap();
}

/// The cancel page's offer for Marco's subscription, as the server function answers it.
async fn offer_shown(m: &Marco) -> serde_json::Value {
    let res = m.call("cancel_view", &[]).await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    let mine = body["subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["subscription"]["id"] == m.sub.public_id.as_str())
        .cloned()
        .expect("Marco's subscription is on the cancel page");
    mine["offer"].clone()
}

async fn lines_of(m: &Marco, invoice_id: i64) -> Vec<invoice_line::Model> {
    invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.eq(invoice_id))
        .order_by_asc(invoice_line::Column::Id)
        .all(&m.app.state.db)
        .await
        .unwrap()
}

async fn accepted_audit_rows(m: &Marco) -> u64 {
    audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("subscription.retention_offer_accepted"))
        .count(&m.app.state.db)
        .await
        .unwrap()
}

async fn accepting_the_offer_discounts_the_invoices_of_its_months(tdb: &TestDb) {
    // Arrange
    let m = marco(tdb).await;
    set_offer(&m, domain::RetentionOffer::new(20, 1).ok()).await;
    let shown = offer_shown(&m).await;
    let end = m.sub.current_period_end;
    let updated_before = m.events("subscription.updated").await;

    // Act
    let accepted = m
        .submit("accept_offer", &[("subscription", &m.sub.public_id)])
        .await;
    let after = m.sub_now().await;
    let update = m
        .latest_event("subscription.updated")
        .await
        .expect("accepting is an update");
    let shown_after = offer_shown(&m).await;
    let again = m
        .call("accept_offer", &[("subscription", &m.sub.public_id)])
        .await;
    m.run_past(end).await;
    let renewed = m.invoices().await.pop().unwrap();
    let renewed_lines = lines_of(&m, renewed.id).await;
    // The period after (a month on) starts when the offer has ended: full price.
    m.run_past(renewed.period_end).await;
    let full = m.invoices().await.pop().unwrap();

    // Assert
    assert_eq!(
        shown["percent"], 20,
        "the offer is on the cancel page: {shown}"
    );
    assert_eq!(shown["months"], 1);
    assert!(accepted.status().is_redirection(), "{}", accepted.status());
    let to = accepted.headers()["location"].to_str().unwrap();
    assert!(to.ends_with("/cancel?notice=offer_accepted"), "{to}");
    assert_eq!(after.status, "active");
    assert!(!after.cancel_at_period_end);
    assert_eq!(after.discount_percent, Some(20));
    assert!(
        after.discount_ends_at.unwrap() > end,
        "covers the next period"
    );
    assert!(after.retention_offered_at.is_some());
    assert!(shown_after.is_null(), "offered once: {shown_after}");
    assert_eq!(again.status(), 409, "a second press");
    assert_eq!(accepted_audit_rows(&m).await, 1);
    assert_eq!(m.events("subscription.updated").await, updated_before + 1);
    assert!(
        update.data.contains("\"discount_percent\":20"),
        "{}",
        update.data
    );
    assert_eq!(renewed.period_start, end);
    assert_eq!(renewed_lines.len(), 2, "the plan and the discount");
    let plan_amount = renewed_lines[0].amount_minor;
    assert_eq!(renewed_lines[1].amount_minor, -(plan_amount * 20 / 100));
    assert!(renewed_lines[1].description.contains("20%"));
    assert_eq!(renewed.total_minor, plan_amount - plan_amount * 20 / 100);
    assert_eq!(renewed.status, "paid", "charged the discounted total");
    assert_eq!(renewed.amount_paid_minor, renewed.total_minor);
    assert_eq!(lines_of(&m, full.id).await.len(), 1, "the offer has ended");
    assert_eq!(full.total_minor, plan_amount);
}

async fn cancelling_passes_the_offer_over_for_good(tdb: &TestDb) {
    // Arrange
    let m = marco(tdb).await;
    set_offer(&m, domain::RetentionOffer::new(30, 3).ok()).await;
    assert!(!offer_shown(&m).await.is_null());
    let sub = [("subscription", m.sub.public_id.as_str())];

    // Act
    let canceled = m
        .call(
            "cancel",
            &[
                ("subscription", &m.sub.public_id),
                ("reason", "too_expensive"),
            ],
        )
        .await;
    let resumed = m.call("resume", &sub).await;
    let shown = offer_shown(&m).await;
    let accepted = m.call("accept_offer", &sub).await;

    // Assert
    assert_eq!(canceled.status(), 200);
    assert_eq!(resumed.status(), 200);
    assert!(shown.is_null(), "not offered again: {shown}");
    assert_eq!(accepted.status(), 409);
    let after = m.sub_now().await;
    assert_eq!(after.discount_percent, None, "nothing written");
    assert_eq!(
        after.cancel_reason.as_deref(),
        Some("too_expensive"),
        "the reason stays"
    );
    assert_eq!(accepted_audit_rows(&m).await, 0);
}

async fn accept_offer_refuses_signed_out_forbidden_others_and_no_offer(tdb: &TestDb) {
    // Arrange
    let m = marco(tdb).await;
    let someone_elses = m.someone_elses_subscription().await;
    let mine = [("subscription", m.sub.public_id.as_str())];

    // Act
    let without_offer = m.call("accept_offer", &mine).await;
    set_offer(&m, domain::RetentionOffer::new(20, 3).ok()).await;
    // The period has ended and waits for the billing run: too late for this one.
    let db = &m.app.state.db;
    let mut ended: subscription::ActiveModel = m.sub_now().await.into();
    ended.current_period_end = sea_orm::Set(m.org_now().await - chrono::TimeDelta::hours(1));
    sea_orm::ActiveModelTrait::update(ended, db).await.unwrap();
    let after_the_period = m.call("accept_offer", &mine).await;
    let mut restored: subscription::ActiveModel = m.sub_now().await.into();
    restored.current_period_end = sea_orm::Set(m.sub.current_period_end);
    sea_orm::ActiveModelTrait::update(restored, db)
        .await
        .unwrap();
    let signed_out = m
        .app
        .call(
            "/api/portal/accept_offer",
            &[
                ("key", m.key.as_str()),
                ("subscription", m.sub.public_id.as_str()),
            ],
            None,
        )
        .await;
    let theirs = m
        .call(
            "accept_offer",
            &[("subscription", &someone_elses.public_id)],
        )
        .await;
    let unknown = m
        .call("accept_offer", &[("subscription", "sub_doesnotexist0000")])
        .await;
    let without_cancel =
        domain::PortalPermissions::all().without(domain::PortalPermission::CancelSubscription);
    super::portal_security::save_permissions(&m.app, without_cancel).await;
    let forbidden = m.call("accept_offer", &mine).await;

    // Assert
    assert_eq!(without_offer.status(), 409, "the merchant has no offer");
    assert_eq!(after_the_period.status(), 409, "its period has ended");
    assert_eq!(signed_out.status(), 401);
    assert_eq!(theirs.status(), 404, "another customer's subscription");
    assert_eq!(unknown.status(), 404);
    assert_eq!(forbidden.status(), 403, "the cancel permission is off");
    let discounted = subscription::Entity::find()
        .filter(subscription::Column::DiscountPercent.is_not_null())
        .count(&m.app.state.db)
        .await
        .unwrap();
    assert_eq!(discounted, 0, "nothing written");
    assert_eq!(accepted_audit_rows(&m).await, 0);
}

on_each_database!(
    accepting_the_offer_discounts_the_invoices_of_its_months,
    cancelling_passes_the_offer_over_for_good,
    accept_offer_refuses_signed_out_forbidden_others_and_no_offer,
);
