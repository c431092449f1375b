//! Plan changes from the portal over HTTP: the merchant lists the prices customers may
//! switch between and a quantity range; an upgrade is prorated to the day, invoiced and
//! charged at once, exactly once; a downgrade waits for the period's end (and can be undone
//! until then), when the renewal bills the new price. Signed out is 401, the permission off
//! 403, another customer's subscription 404, a price or quantity not allowed 422, a stale
//! form 409, and no refusal writes anything.
use super::portal_pause::{Marco, marco};
use dunwell::entity::{audit_event, invoice_line, payment_method, plan};
use dunwell::testing::TestDb;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

/// The demo's plan named `name`.
async fn plan_named(m: &Marco, name: &str) -> plan::Model {
    plan::Entity::find()
        .filter(plan::Column::Name.eq(name))
        .one(&m.app.state.db)
        .await
        .unwrap()
        .unwrap()
}

/// Lets customers change plan between `prices` (public ids), 1 to 5 units, with the
/// permissions `marco` set.
async fn allow_changes(m: &Marco, prices: Vec<String>) {
    let console = &m.app.state.console;
    let actor = super::portal_security::owner(&m.app).await;
    let view = console.portal_settings(&actor).await.unwrap();
    let perms = domain::PortalPermissions::default_set()
        .with(domain::PortalPermission::PauseSubscription)
        .with(domain::PortalPermission::CancelSubscription)
        .with(domain::PortalPermission::ChangePlan);
    let rules = dunwell::console::PortalRules {
        switch_prices: Some(prices),
        quantity_range: Some(domain::QuantityRange::new(1, 5).ok()),
        ..Default::default()
    };
    console
        .save_permissions(&actor, perms, rules, view.version)
        .await
        .unwrap();
}

/// Marco (on Team, 29 €) may move between Starter, Team and Business.
async fn marco_may_change(tdb: &TestDb) -> (Marco, plan::Model, plan::Model, plan::Model) {
    let m = marco(tdb).await;
    let (starter, team, business) = (
        plan_named(&m, "Starter").await,
        plan_named(&m, "Team").await,
        plan_named(&m, "Business").await,
    );
    assert_eq!(m.sub.plan_id, team.id, "the demo's Marco is on Team");
    let ids = [&starter, &team, &business]
        .iter()
        .map(|p| p.public_id.clone())
        .collect();
    allow_changes(&m, ids).await;
    (m, starter, team, business)
}

impl Marco {
    /// "Confirm change" without JavaScript, as its preview shows it.
    async fn change_to(&self, price: &str, quantity: &str) -> reqwest::Response {
        let preview = self.preview(price, quantity).await;
        let from_quantity = preview["from_quantity"].to_string();
        let from_price = preview["from_price"].as_str().unwrap().to_owned();
        let due_now = preview["due_now"]["amount_minor"].to_string();
        self.submit(
            "change_plan",
            &[
                ("subscription", &self.sub.public_id),
                ("price", price),
                ("quantity", quantity),
                ("from_price", &from_price),
                ("from_quantity", &from_quantity),
                ("due_now", &due_now),
            ],
        )
        .await
    }

    /// The plan page's preview of `price` × `quantity`, as its server function answers.
    async fn preview(&self, price: &str, quantity: &str) -> serde_json::Value {
        let res = self
            .call(
                "plan_view",
                &[
                    ("subscription", &self.sub.public_id),
                    ("price", price),
                    ("quantity", quantity),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let body: serde_json::Value = res.json().await.unwrap();
        body["subscriptions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["subscription"]["id"] == self.sub.public_id.as_str())
            .expect("Marco's subscription is on the plan page")["preview"]
            .clone()
    }

    async fn audit_rows(&self, action: &str) -> u64 {
        audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq(action))
            .count(&self.app.state.db)
            .await
            .unwrap()
    }
}

async fn an_upgrade_is_prorated_invoiced_and_charged_at_once(tdb: &TestDb) {
    // Arrange
    let (m, _, team, business) = marco_may_change(tdb).await;
    let invoices_before = m.invoices().await.len();
    let now = m.org_now().await;
    let expected = domain::prorate(
        m.sub.current_period_start,
        m.sub.current_period_end,
        now,
        domain::Money::new(team.amount_minor, domain::Currency::Eur),
        domain::Money::new(business.amount_minor * 2, domain::Currency::Eur),
    )
    .unwrap();
    assert!(expected.due.is_positive());

    // Act
    let preview = m.preview(&business.public_id, "2").await;
    let changed = m.change_to(&business.public_id, "2").await;
    let after = m.sub_now().await;
    let invoices = m.invoices().await;
    // The same form again (a double click): its terms are no longer the subscription's.
    let again = m
        .call(
            "change_plan",
            &[
                ("subscription", &m.sub.public_id),
                ("price", &business.public_id),
                ("quantity", "2"),
                ("from_price", &team.public_id),
                ("from_quantity", "1"),
                ("due_now", &expected.due.amount_minor.to_string()),
            ],
        )
        .await;
    let invoices_after_again = m.invoices().await.len();

    // Assert
    assert_eq!(preview["outcome"], "ready", "{preview}");
    assert_eq!(preview["timing"], "now");
    assert_eq!(
        preview["due_now"]["amount_minor"], expected.due.amount_minor,
        "{preview}"
    );
    assert_eq!(
        preview["credit"]["amount_minor"],
        expected.credit.amount_minor
    );
    assert!(changed.status().is_redirection(), "{}", changed.status());
    let to = changed.headers()["location"].to_str().unwrap().to_owned();
    assert!(to.ends_with("/plan?notice=changed"), "{to}");
    assert_eq!(after.plan_id, business.id, "it takes effect at once");
    assert_eq!(after.quantity, 2);
    assert_eq!(after.current_period_end, m.sub.current_period_end);
    assert_eq!(
        after.current_period_start, m.sub.current_period_start,
        "paying the change leaves the period as it is"
    );
    assert_eq!(invoices.len(), invoices_before + 1, "one invoice");
    let inv = invoices.last().unwrap();
    assert_eq!(inv.total_minor, expected.due.amount_minor);
    assert_eq!(inv.status, "paid", "charged on the default card at once");
    assert_eq!(inv.period_end, m.sub.current_period_end);
    let lines = invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.eq(inv.id))
        .order_by_asc(invoice_line::Column::Id)
        .all(&m.app.state.db)
        .await
        .unwrap();
    let amounts: Vec<i64> = lines.iter().map(|l| l.amount_minor).collect();
    assert_eq!(
        amounts,
        [expected.charge.amount_minor, -expected.credit.amount_minor]
    );
    assert!(lines[0].description.contains("Business"), "{lines:?}");
    assert!(lines[1].description.contains("Team"), "{lines:?}");
    assert_eq!(again.status(), 409, "a stale form is refused");
    assert_eq!(invoices_after_again, invoices_before + 1, "charged once");
    assert_eq!(m.emails("plan_changed").await, 1);
    assert_eq!(m.audit_rows("subscription.plan_changed").await, 1);
    let update = m
        .latest_event("subscription.updated")
        .await
        .expect("a plan change is an update");
    assert!(update.data.contains(&business.public_id), "{}", update.data);
}

async fn a_downgrade_waits_for_the_period_end_and_can_be_undone(tdb: &TestDb) {
    // Arrange
    let (m, starter, team, _) = marco_may_change(tdb).await;
    let invoices_before = m.invoices().await.len();
    let end = m.sub.current_period_end;

    // Act
    let preview = m.preview(&starter.public_id, "1").await;
    let scheduled = m.change_to(&starter.public_id, "1").await;
    let waiting = m.sub_now().await;
    let update = m
        .latest_event("subscription.updated")
        .await
        .expect("a scheduled change is an update");
    let page = m
        .app
        .page(&format!("/portal/{}/plan", m.key), Some(&m.cookie))
        .await
        .text()
        .await
        .unwrap();
    let undone = m
        .submit("undo_plan_change", &[("subscription", &m.sub.public_id)])
        .await;
    let after_undo = m.sub_now().await;
    let undo_again = m
        .call("undo_plan_change", &[("subscription", &m.sub.public_id)])
        .await;
    let rescheduled = m.change_to(&starter.public_id, "3").await;
    m.run_past(end).await;
    let renewed = m.sub_now().await;
    let invoices = m.invoices().await;

    // Assert
    assert_eq!(preview["timing"], "at_period_end", "{preview}");
    assert_eq!(preview["due_now"]["amount_minor"], 0);
    assert!(
        scheduled.status().is_redirection(),
        "{}",
        scheduled.status()
    );
    assert_eq!(
        waiting.plan_id, team.id,
        "nothing changes before the period end"
    );
    assert_eq!(waiting.scheduled_plan_id, Some(starter.id));
    assert_eq!(waiting.scheduled_quantity, Some(1));
    let shown = format!("\"scheduled_price\":\"{}\"", starter.public_id);
    assert!(update.data.contains(&shown), "{}", update.data);
    assert!(page.contains("Undo change"), "the page shows it scheduled");
    assert!(undone.status().is_redirection(), "{}", undone.status());
    assert_eq!(after_undo.scheduled_plan_id, None);
    assert_eq!(after_undo.plan_id, team.id);
    assert_eq!(undo_again.status(), 409, "nothing left to undo");
    assert!(rescheduled.status().is_redirection());
    assert_eq!(m.emails("plan_change_scheduled").await, 2);
    assert_eq!(m.audit_rows("subscription.plan_change_undone").await, 1);
    assert_eq!(
        renewed.plan_id, starter.id,
        "the new plan from the period end"
    );
    assert_eq!(renewed.quantity, 3);
    assert_eq!(renewed.scheduled_plan_id, None);
    let renewal = &invoices[invoices_before];
    assert_eq!(renewal.period_start, end, "the next period's invoice");
    assert_eq!(renewal.total_minor, starter.amount_minor * 3);
    assert_eq!(renewal.status, "paid");
}

async fn plan_changes_refuse_bad_requests_and_write_nothing(tdb: &TestDb) {
    // Arrange
    let (m, starter, team, business) = marco_may_change(tdb).await;
    // A price of the organization the merchant does not list.
    allow_changes(&m, vec![team.public_id.clone(), business.public_id.clone()]).await;
    let other = m.someone_elses_subscription().await;
    let invoices_before = m.invoices().await.len();
    let form = |sub: &str, price: &str, quantity: &str, from: &str| {
        vec![
            ("subscription", sub.to_owned()),
            ("price", price.to_owned()),
            ("quantity", quantity.to_owned()),
            ("from_price", from.to_owned()),
            ("from_quantity", "1".to_owned()),
            ("due_now", "1".to_owned()),
        ]
    };
    let call = |pairs: Vec<(&'static str, String)>, cookie: Option<String>| {
        let m = &m;
        async move {
            let mut all: Vec<(&str, &str)> = vec![("key", m.key.as_str())];
            all.extend(pairs.iter().map(|(k, v)| (*k, v.as_str())));
            m.app
                .call("/api/portal/change_plan", &all, cookie.as_deref())
                .await
        }
    };
    let mine = m.sub.public_id.clone();
    let cookie = Some(m.cookie.clone());

    // Act
    let signed_out = call(form(&mine, &business.public_id, "1", &team.public_id), None).await;
    let theirs = call(
        form(&other.public_id, &business.public_id, "1", &team.public_id),
        cookie.clone(),
    )
    .await;
    let unlisted = call(
        form(&mine, &starter.public_id, "1", &team.public_id),
        cookie.clone(),
    )
    .await;
    let too_many = call(
        form(&mine, &business.public_id, "6", &team.public_id),
        cookie.clone(),
    )
    .await;
    let unchanged = call(
        form(&mine, &team.public_id, "1", &team.public_id),
        cookie.clone(),
    )
    .await;
    let stale = call(
        form(&mine, &business.public_id, "1", &starter.public_id),
        cookie.clone(),
    )
    .await;
    // The right terms, but not the amount the preview showed (a day later, say).
    let other_amount = call(
        form(&mine, &business.public_id, "1", &team.public_id),
        cookie.clone(),
    )
    .await;
    let refused_preview = m.preview(&starter.public_id, "1").await;
    // Without a default payment method, nothing would pay the upgrade's invoice.
    let due = m.preview(&business.public_id, "1").await["due_now"]["amount_minor"].to_string();
    payment_method::Entity::update_many()
        .col_expr(payment_method::Column::IsDefault, Expr::value(false))
        .filter(payment_method::Column::CustomerId.eq(m.customer.id))
        .exec(&m.app.state.db)
        .await
        .unwrap();
    let mut no_method = form(&mine, &business.public_id, "1", &team.public_id);
    no_method.retain(|(k, _)| *k != "due_now");
    no_method.push(("due_now", due));
    let without_method = call(no_method, cookie.clone()).await;
    let without = domain::PortalPermissions::all().without(domain::PortalPermission::ChangePlan);
    super::portal_security::save_permissions(&m.app, without).await;
    let forbidden = call(
        form(&mine, &business.public_id, "1", &team.public_id),
        cookie,
    )
    .await;
    let forbidden_page = m.call("plan_view", &[]).await;

    // Assert
    assert_eq!(signed_out.status(), 401);
    assert_eq!(theirs.status(), 404, "another customer's subscription");
    assert_eq!(unlisted.status(), 422);
    assert!(unlisted.text().await.unwrap().contains("price.not_allowed"));
    assert_eq!(too_many.status(), 422);
    assert!(
        too_many
            .text()
            .await
            .unwrap()
            .contains("quantity.not_allowed")
    );
    assert_eq!(unchanged.status(), 422);
    assert!(unchanged.text().await.unwrap().contains("price.unchanged"));
    assert_eq!(
        stale.status(),
        409,
        "the form's terms are not the subscription's"
    );
    assert_eq!(
        other_amount.status(),
        409,
        "another amount than the preview's"
    );
    assert_eq!(without_method.status(), 422);
    assert!(
        without_method
            .text()
            .await
            .unwrap()
            .contains("method.required")
    );
    assert_eq!(refused_preview["outcome"], "refused", "{refused_preview}");
    assert_eq!(refused_preview["code"], "price.not_allowed");
    assert_eq!(forbidden.status(), 403, "the permission is off");
    assert_eq!(forbidden_page.status(), 403);
    let now = m.sub_now().await;
    assert_eq!((now.plan_id, now.quantity), (team.id, 1), "nothing written");
    assert_eq!(now.scheduled_plan_id, None);
    assert_eq!(m.invoices().await.len(), invoices_before, "nothing charged");
    assert_eq!(m.audit_rows("subscription.plan_changed").await, 0);
    assert_eq!(m.audit_rows("subscription.plan_change_scheduled").await, 0);
}

async fn the_console_refuses_a_price_it_does_not_have(tdb: &TestDb) {
    // Arrange
    let m = marco(tdb).await;
    let console = &m.app.state.console;
    let actor = super::portal_security::owner(&m.app).await;
    let view = console.portal_settings(&actor).await.unwrap();
    let perms = domain::PortalPermissions::default_set();
    let unknown = dunwell::console::PortalRules {
        switch_prices: Some(vec!["price_doesnotexist0000".to_owned()]),
        ..Default::default()
    };

    // Act
    let refused = console
        .save_permissions(&actor, perms, unknown, view.version)
        .await;
    let after = console.portal_settings(&actor).await.unwrap();

    // Assert
    let err = wire::error::AppError::from(refused.unwrap_err());
    assert!(
        format!("{err:?}").contains("PriceUnknown"),
        "422 naming the price: {err:?}"
    );
    assert_eq!(after.version, view.version, "nothing written");
    assert_eq!(after.switch_prices, view.switch_prices);
}

async fn the_plan_page_and_undo_refuse_signed_out_forbidden_and_others(tdb: &TestDb) {
    // Arrange
    let (m, starter, _, _) = marco_may_change(tdb).await;
    m.change_to(&starter.public_id, "1").await;
    let other = m.someone_elses_subscription().await;
    let key = [("key", m.key.as_str())];
    let undo = |sub: String, cookie: Option<String>| {
        let m = &m;
        async move {
            let pairs = [("key", m.key.as_str()), ("subscription", sub.as_str())];
            m.app
                .call("/api/portal/undo_plan_change", &pairs, cookie.as_deref())
                .await
        }
    };

    // Act
    let page_signed_out = m.app.call("/api/portal/plan_view", &key, None).await;
    let undo_signed_out = undo(m.sub.public_id.clone(), None).await;
    let undo_theirs = undo(other.public_id.clone(), Some(m.cookie.clone())).await;
    let without = domain::PortalPermissions::all().without(domain::PortalPermission::ChangePlan);
    super::portal_security::save_permissions(&m.app, without).await;
    let undo_forbidden = undo(m.sub.public_id.clone(), Some(m.cookie.clone())).await;

    // Assert
    assert_eq!(page_signed_out.status(), 401);
    assert_eq!(undo_signed_out.status(), 401);
    assert_eq!(undo_theirs.status(), 404, "another customer's subscription");
    assert_eq!(undo_forbidden.status(), 403, "the permission is off");
    assert_eq!(
        m.sub_now().await.scheduled_plan_id,
        Some(starter.id),
        "the scheduled change stays"
    );
    assert_eq!(m.audit_rows("subscription.plan_change_undone").await, 0);
}

on_each_database!(
    an_upgrade_is_prorated_invoiced_and_charged_at_once,
    a_downgrade_waits_for_the_period_end_and_can_be_undone,
    plan_changes_refuse_bad_requests_and_write_nothing,
    the_plan_page_and_undo_refuse_signed_out_forbidden_and_others,
    the_console_refuses_a_price_it_does_not_have,
);
