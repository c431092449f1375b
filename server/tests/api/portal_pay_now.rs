//! "Pay now" over HTTP: a customer pays their own open invoice once, with a saved method;
//! a decline is shown from the attempt, rests the method, and does not use up the
//! merchant's retries; signed out is 401, the permission off is 403, another customer's
//! invoice or method is 404, and nothing is charged by any refusal.
use dunwell::entity::{
    audit_event, customer, invoice, outbound_email, payment_attempt, payment_method, subscription,
};
use dunwell::testing::{TestApp, TestDb, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

const GOOD: &str = "4242424242424242";

struct Giulia {
    app: TestApp,
    key: String,
    cookie: String,
    customer: customer::Model,
    /// Her past-due invoice (her default card declines every charge).
    invoice: invoice::Model,
}

async fn giulia(tdb: &TestDb) -> Giulia {
    past_due(tdb, "giulia@example.com").await
}

/// A past-due customer of the demo signed in to its portal: Giulia (her card expired) or
/// Oliver (his card declines every charge, `card_declined`).
async fn past_due(tdb: &TestDb, email: &str) -> Giulia {
    let app = spawn_app(&tdb.db).await;
    let key = app.load_demo().await;
    let customer = customer::Entity::find()
        .filter(customer::Column::Email.eq(email))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let invoice = invoice::Entity::find()
        .filter(invoice::Column::CustomerId.eq(customer.id))
        .filter(invoice::Column::Status.eq("open"))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("the demo customer owes an invoice");
    let cookie = app.portal_sign_in(&key, email).await;
    Giulia {
        app,
        key,
        cookie,
        customer,
        invoice,
    }
}

impl Giulia {
    async fn call(&self, fun: &str, pairs: &[(&str, &str)]) -> reqwest::Response {
        let mut all = vec![("key", self.key.as_str())];
        all.extend_from_slice(pairs);
        self.app
            .call(&format!("/api/portal/{fun}"), &all, Some(&self.cookie))
            .await
    }

    /// "Pay now" called as a script would: the status and JSON body tell the outcome.
    async fn pay(&self, method: Option<&str>) -> reqwest::Response {
        self.pay_as(method, false).await
    }

    /// "Pay now" submitted by a browser without JavaScript: answered with a redirect.
    async fn pay_form(&self, method: Option<&str>) -> reqwest::Response {
        self.pay_as(method, true).await
    }

    async fn pay_as(&self, method: Option<&str>, form: bool) -> reqwest::Response {
        let mut pairs = vec![
            ("key", self.key.as_str()),
            ("invoice", self.invoice.public_id.as_str()),
        ];
        if let Some(m) = method {
            pairs.push(("method", m));
        }
        let (path, cookie) = ("/api/portal/pay_invoice", Some(self.cookie.as_str()));
        if form {
            self.app.submit(path, &pairs, cookie).await
        } else {
            self.app.call(path, &pairs, cookie).await
        }
    }

    /// Saves a good card that is not made the default.
    async fn good_card_not_default(&self) -> payment_method::Model {
        self.card_not_default(GOOD).await
    }

    /// Saves card `number` without making it the default.
    async fn card_not_default(&self, number: &str) -> payment_method::Model {
        let res = self
            .app
            .submit(
                "/api/portal/add_card",
                &[
                    ("key", self.key.as_str()),
                    ("number", number),
                    ("expiry", "12/35"),
                    ("cvc", "123"),
                    ("holder", "Giulia Rossi"),
                ],
                Some(&self.cookie),
            )
            .await;
        let status = res.status();
        assert!(
            status.is_redirection(),
            "{status}: {}",
            res.text().await.unwrap()
        );
        payment_method::Entity::find()
            .filter(payment_method::Column::CustomerId.eq(self.customer.id))
            .filter(payment_method::Column::Last4.eq(&number[12..]))
            .filter(payment_method::Column::IsDefault.eq(false))
            .one(&self.app.state.db)
            .await
            .unwrap()
            .unwrap()
    }

    async fn invoice_now(&self) -> invoice::Model {
        invoice::Entity::find_by_id(self.invoice.id)
            .one(&self.app.state.db)
            .await
            .unwrap()
            .unwrap()
    }

    async fn attempts(&self) -> Vec<payment_attempt::Model> {
        payment_attempt::Entity::find()
            .filter(payment_attempt::Column::InvoiceId.eq(self.invoice.id))
            .order_by_asc(payment_attempt::Column::Id)
            .all(&self.app.state.db)
            .await
            .unwrap()
    }

    async fn page(&self, location: &str) -> String {
        self.app
            .page(location, Some(&self.cookie))
            .await
            .text()
            .await
            .unwrap()
    }
}

async fn pay_now_with_a_chosen_good_card_pays_once_and_the_page_reads_it_back(tdb: &TestDb) {
    // Arrange
    let g = giulia(tdb).await;
    let card = g.good_card_not_default().await;
    let before = g.attempts().await.len();

    // Act
    let first = g.pay_form(Some(&card.public_id)).await;
    let again = g.pay(Some(&card.public_id)).await;

    // Assert
    let status = first.status();
    let location = first
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned());
    assert!(
        status.is_redirection(),
        "{status}: {}",
        first.text().await.unwrap_or_default()
    );
    let location = location.unwrap();
    assert!(
        location.starts_with(&format!(
            "/portal/{}/pay/{}?since=",
            g.key, g.invoice.public_id
        )),
        "{location}"
    );
    let inv = g.invoice_now().await;
    assert_eq!(inv.status, "paid");
    let attempts = g.attempts().await;
    let charged: Vec<_> = attempts.iter().skip(before).collect();
    assert_eq!(charged.len(), 1, "one charge");
    assert_eq!(charged[0].outcome, "succeeded");
    assert_eq!(
        charged[0].payment_method_id,
        Some(card.id),
        "on the chosen card"
    );
    assert_eq!(again.status(), 409, "a second press finds nothing to pay");
    let body = again.text().await.unwrap();
    assert!(
        body.contains(r#"{"Conflict":"invoice_not_open"}"#),
        "{body}"
    );
    assert_eq!(g.attempts().await.len(), before + 1, "still one charge");
    let default = payment_method::Entity::find_by_id(card.id)
        .one(&g.app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(default.is_default, "the card paid with is the default now");
    let audited = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("invoice.pay_now"))
        .all(&g.app.state.db)
        .await
        .unwrap();
    assert_eq!(audited.len(), 1, "the charge is in the audit log");
    assert!(
        audited[0].details.contains("\"result\":\"paid\""),
        "{}",
        audited[0].details
    );
    assert_eq!(
        audited[0].actor,
        format!("customer:{}", g.customer.public_id)
    );
    let page = g.page(&location).await;
    assert!(
        page.contains("outcome outcome-ok"),
        "the payment shows: {page}"
    );
    assert!(
        !page.contains("name=\"method\""),
        "no form for a paid invoice"
    );
}

async fn a_declined_pay_now_rests_the_card_and_keeps_the_merchants_schedule(tdb: &TestDb) {
    // Arrange
    let g = past_due(tdb, "oliver.smith@example.com").await;
    // Past the rest after the demo's own last retry.
    g.app.clock.advance(chrono::TimeDelta::minutes(6));
    let before = g.invoice_now().await;
    let sub_before = subscription::Entity::find_by_id(before.subscription_id.unwrap())
        .one(&g.app.state.db)
        .await
        .unwrap()
        .unwrap();
    let attempts_before = g.attempts().await.len();

    // Act
    let declined = g.pay_form(None).await;
    let too_soon = g.pay(None).await;
    // The same refusal from a browser without JavaScript: back with the error in the query.
    let too_soon_form = g.pay_form(None).await;
    g.app.clock.advance(chrono::TimeDelta::minutes(6));
    let later = g.pay(None).await;

    // Assert
    let status = declined.status();
    let location = declined
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned());
    assert!(
        status.is_redirection(),
        "{status}: {}",
        declined.text().await.unwrap_or_default()
    );
    let location = location.unwrap();
    let page = g.page(&location).await;
    assert!(
        page.contains("outcome outcome-bad"),
        "the decline shows: {page}"
    );
    assert_eq!(too_soon.status(), 422, "a second press minutes later");
    assert!(
        too_soon_form.status().is_redirection(),
        "{}",
        too_soon_form.status()
    );
    let back = too_soon_form.headers()["location"]
        .to_str()
        .unwrap()
        .to_owned();
    let query = back.split_once('?').map(|(_, q)| q).unwrap_or_default();
    assert!(query.contains("__err="), "{back}");
    let pay_page = format!("/portal/{}/pay/{}?{query}", g.key, g.invoice.public_id);
    let shown = g.page(&pay_page).await;
    assert!(
        shown.contains("declined a few minutes ago"),
        "the refusal shows beside the form: {shown}"
    );
    assert!(
        too_soon
            .text()
            .await
            .unwrap()
            .contains("method.just_declined")
    );
    assert_eq!(later.status(), 200, "after the rest it may charge again");
    let attempts = g.attempts().await;
    assert_eq!(
        attempts.len(),
        attempts_before + 2,
        "two charges, not three"
    );
    assert!(
        attempts
            .iter()
            .skip(attempts_before)
            .all(|a| a.trigger == "pay_now" && a.outcome == "failed")
    );
    let after = g.invoice_now().await;
    assert_eq!(after.status, "open");
    assert_eq!(
        after.next_attempt_at, before.next_attempt_at,
        "the merchant's next retry is where it was"
    );
    assert_eq!(after.first_failure_at, before.first_failure_at);
    let sub_after = subscription::Entity::find_by_id(sub_before.id)
        .one(&g.app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        sub_after.status, sub_before.status,
        "no final action brought forward"
    );
}

async fn pay_now_refuses_signed_out_forbidden_and_other_customers_with_nothing_charged(
    tdb: &TestDb,
) {
    // Arrange
    let g = giulia(tdb).await;
    let marco = customer::Entity::find()
        .filter(customer::Column::Email.eq("marco.bianchi@example.com"))
        .one(&g.app.state.db)
        .await
        .unwrap()
        .unwrap();
    let marcos_method = payment_method::Entity::find()
        .filter(payment_method::Column::CustomerId.eq(marco.id))
        .one(&g.app.state.db)
        .await
        .unwrap()
        .unwrap();
    let marcos_invoice = invoice::Entity::find()
        .filter(invoice::Column::CustomerId.eq(marco.id))
        .one(&g.app.state.db)
        .await
        .unwrap()
        .unwrap();
    let attempts_before = payment_attempt::Entity::find()
        .count(&g.app.state.db)
        .await
        .unwrap();
    let inv = g.invoice.public_id.as_str();
    let her_default = payment_method::Entity::find()
        .filter(payment_method::Column::CustomerId.eq(g.customer.id))
        .filter(payment_method::Column::IsDefault.eq(true))
        .one(&g.app.state.db)
        .await
        .unwrap()
        .unwrap();

    // Act
    let signed_out = g
        .app
        .call(
            "/api/portal/pay_invoice",
            &[("key", &g.key), ("invoice", inv)],
            None,
        )
        .await;
    let theirs = g
        .call("pay_invoice", &[("invoice", &marcos_invoice.public_id)])
        .await;
    let their_method = g.pay(Some(&marcos_method.public_id)).await;
    let not_an_id = g.call("pay_invoice", &[("invoice", "inv_<script>")]).await;
    // Her default card expired: its renewal was declined for good on this invoice.
    let expired = g.pay(Some(&her_default.public_id)).await;
    let their_page = g
        .call("pay_view", &[("invoice", &marcos_invoice.public_id)])
        .await;
    super::portal_security::set_permissions(&g.app, false).await;
    let forbidden = g.pay(None).await;
    let forbidden_page = g.call("pay_view", &[("invoice", inv)]).await;

    // Assert
    assert_eq!(signed_out.status(), 401);
    assert_eq!(theirs.status(), 404, "another customer's invoice");
    assert_eq!(their_method.status(), 404, "another customer's method");
    assert_eq!(not_an_id.status(), 404);
    assert_eq!(
        expired.status(),
        422,
        "a card declined for good is not charged again"
    );
    assert!(
        expired
            .text()
            .await
            .unwrap()
            .contains("method.declined_for_good")
    );
    assert_eq!(their_page.status(), 404);
    assert_eq!(forbidden.status(), 403, "the permission is off");
    assert_eq!(forbidden_page.status(), 403);
    let attempts_after = payment_attempt::Entity::find()
        .count(&g.app.state.db)
        .await
        .unwrap();
    assert_eq!(attempts_after, attempts_before, "nothing was charged");
}

/// Alternating two declining cards lifts neither one's rest: each is charged at most once
/// per rest, every charge is a "Pay now", and the merchant's schedule, the subscription's
/// status and the emails stay as they were.
async fn alternating_cards_charges_each_once_per_rest_and_keeps_the_schedule(tdb: &TestDb) {
    // Arrange
    let g = past_due(tdb, "oliver.smith@example.com").await;
    g.app.clock.advance(chrono::TimeDelta::minutes(6));
    let first = payment_method::Entity::find()
        .filter(payment_method::Column::CustomerId.eq(g.customer.id))
        .filter(payment_method::Column::IsDefault.eq(true))
        .one(&g.app.state.db)
        .await
        .unwrap()
        .unwrap();
    let second = g.card_not_default("4000000000000341").await;
    let before = g.invoice_now().await;
    let status_before = subscription::Entity::find_by_id(before.subscription_id.unwrap())
        .one(&g.app.state.db)
        .await
        .unwrap()
        .unwrap()
        .status;
    let attempts_before = g.attempts().await.len();
    let emails_before = outbound_email::Entity::find()
        .count(&g.app.state.db)
        .await
        .unwrap();

    // Act
    let with_second = g.pay(Some(&second.public_id)).await;
    let with_first = g.pay(Some(&first.public_id)).await;
    let second_again = g.pay(Some(&second.public_id)).await;
    let first_again = g.pay(Some(&first.public_id)).await;

    // Assert
    assert_eq!(
        with_second.status(),
        200,
        "{}",
        with_second.text().await.unwrap()
    );
    assert_eq!(
        with_first.status(),
        200,
        "the first card rested long enough"
    );
    assert_eq!(second_again.status(), 422, "the second card rests");
    assert_eq!(first_again.status(), 422, "so does the first");
    let made: Vec<_> = g
        .attempts()
        .await
        .into_iter()
        .skip(attempts_before)
        .collect();
    assert_eq!(made.len(), 2, "two charges for four presses");
    assert!(
        made.iter()
            .all(|a| a.trigger == "pay_now" && a.outcome == "failed")
    );
    let after = g.invoice_now().await;
    assert_eq!(
        after.next_attempt_at, before.next_attempt_at,
        "the schedule stays"
    );
    assert_eq!(after.first_failure_at, before.first_failure_at);
    let sub = subscription::Entity::find_by_id(after.subscription_id.unwrap())
        .one(&g.app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sub.status, status_before, "no final action, no change");
    let emails_after = outbound_email::Entity::find()
        .count(&g.app.state.db)
        .await
        .unwrap();
    assert_eq!(
        emails_after, emails_before,
        "no payment-failed email for a press"
    );
}

/// Where customers may not change their payment methods, "Pay now" offers the default alone
/// and refuses another method (403) without charging it or making it the default.
async fn without_update_payment_methods_only_the_default_pays(tdb: &TestDb) {
    // Arrange
    let g = giulia(tdb).await;
    let card = g.good_card_not_default().await;
    let mut only_pay = domain::PortalPermissions::empty();
    only_pay.insert(domain::PortalPermission::PayInvoices);
    only_pay.insert(domain::PortalPermission::DownloadInvoices);
    super::portal_security::save_permissions(&g.app, only_pay).await;
    let attempts_before = g.attempts().await.len();

    // Act
    let other = g.pay(Some(&card.public_id)).await;
    let page = g
        .page(&format!("/portal/{}/pay/{}", g.key, g.invoice.public_id))
        .await;

    // Assert
    assert_eq!(other.status(), 403);
    assert_eq!(g.attempts().await.len(), attempts_before, "nothing charged");
    let card = payment_method::Entity::find_by_id(card.id)
        .one(&g.app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!card.is_default, "the default did not change");
    assert!(
        !page.contains(&card.public_id),
        "only the default is offered"
    );
    assert!(page.contains("name=\"method\""));
}

async fn open_invoices_offer_pay_now_in_the_list_and_on_the_overview(tdb: &TestDb) {
    // Arrange
    let g = giulia(tdb).await;
    let link = format!("/portal/{}/pay/{}", g.key, g.invoice.public_id);

    // Act
    let invoices = g.page(&format!("/portal/{}/invoices", g.key)).await;
    let overview = g.page(&format!("/portal/{}", g.key)).await;
    let pay_page = g.page(&link).await;

    // Assert
    assert_eq!(
        invoices.matches("class=\"pay-now\"").count(),
        1,
        "only the open one"
    );
    assert!(invoices.contains(&link));
    assert!(overview.contains(&link), "the overview links to it");
    assert!(pay_page.contains("name=\"method\""), "the form: {pay_page}");
    assert!(pay_page.contains("checked"), "the default is chosen");
}

on_each_database!(
    pay_now_with_a_chosen_good_card_pays_once_and_the_page_reads_it_back,
    a_declined_pay_now_rests_the_card_and_keeps_the_merchants_schedule,
    pay_now_refuses_signed_out_forbidden_and_other_customers_with_nothing_charged,
    open_invoices_offer_pay_now_in_the_list_and_on_the_overview,
    alternating_cards_charges_each_once_per_rest_and_keeps_the_schedule,
    without_update_payment_methods_only_the_default_pays,
);
