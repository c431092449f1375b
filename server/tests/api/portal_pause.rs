//! Pausing from the portal over HTTP: a pause asked for begins at the period end (no
//! invoice while paused) and ends on its day with a new period, invoiced and charged;
//! "Resume now" does the same at once, exactly once; a pause withdrawn in time renews as
//! usual; signed out is 401, the permission off is 403, another customer's subscription
//! is 404, a day outside the merchant's limit is 422, and no refusal writes anything.
use chrono::{DateTime, TimeDelta, Utc};
use dunwell::billing::Clock;
use dunwell::entity::{
    audit_event, customer, event, invoice, organization, outbound_email, payment_attempt,
    subscription,
};
use dunwell::testing::{TestApp, TestDb, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

/// Marco, a paid-up customer of the demo with a good default card, signed in, in a portal
/// that lets customers pause (at most 30 days).
pub(super) struct Marco {
    pub(super) app: TestApp,
    pub(super) key: String,
    pub(super) cookie: String,
    pub(super) customer: customer::Model,
    pub(super) sub: subscription::Model,
}

pub(super) async fn marco(tdb: &TestDb) -> Marco {
    let app = spawn_app(&tdb.db).await;
    let key = app.load_demo().await;
    let perms = domain::PortalPermissions::default_set()
        .with(domain::PortalPermission::PauseSubscription)
        .with(domain::PortalPermission::CancelSubscription);
    let console = &app.state.console;
    let actor = super::portal_security::owner(&app).await;
    let version = console.portal_settings(&actor).await.unwrap().version;
    let rules = dunwell::console::PortalRules {
        pause_limit: domain::PauseLimit::new(30).ok(),
        ..Default::default()
    };
    console
        .save_permissions(&actor, perms, rules, version)
        .await
        .unwrap();
    let customer = customer::Entity::find()
        .filter(customer::Column::Email.eq("marco.bianchi@example.com"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let sub = subscription::Entity::find()
        .filter(subscription::Column::CustomerId.eq(customer.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sub.status, "active", "the demo's Marco is paid up");
    let cookie = app.portal_sign_in(&key, &customer.email).await;
    Marco {
        app,
        key,
        cookie,
        customer,
        sub,
    }
}

impl Marco {
    /// A portal form submitted without JavaScript.
    pub(super) async fn submit(&self, fun: &str, pairs: &[(&str, &str)]) -> reqwest::Response {
        let mut all = vec![("key", self.key.as_str())];
        all.extend_from_slice(pairs);
        let path = format!("/api/portal/{fun}");
        self.app.submit(&path, &all, Some(&self.cookie)).await
    }

    /// A portal server function called as a script would.
    pub(super) async fn call(&self, fun: &str, pairs: &[(&str, &str)]) -> reqwest::Response {
        let mut all = vec![("key", self.key.as_str())];
        all.extend_from_slice(pairs);
        let path = format!("/api/portal/{fun}");
        self.app.call(&path, &all, Some(&self.cookie)).await
    }

    async fn pause_until(&self, day: &str) -> reqwest::Response {
        self.submit(
            "pause",
            &[("subscription", &self.sub.public_id), ("resumes_on", day)],
        )
        .await
    }

    pub(super) async fn sub_now(&self) -> subscription::Model {
        subscription::Entity::find_by_id(self.sub.id)
            .one(&self.app.state.db)
            .await
            .unwrap()
            .unwrap()
    }

    pub(super) async fn invoices(&self) -> Vec<invoice::Model> {
        invoice::Entity::find()
            .filter(invoice::Column::SubscriptionId.eq(self.sub.id))
            .order_by_asc(invoice::Column::Id)
            .all(&self.app.state.db)
            .await
            .unwrap()
    }

    pub(super) async fn emails(&self, kind: &str) -> u64 {
        outbound_email::Entity::find()
            .filter(outbound_email::Column::CustomerId.eq(self.customer.id))
            .filter(outbound_email::Column::Kind.eq(kind))
            .count(&self.app.state.db)
            .await
            .unwrap()
    }

    /// The newest event of `kind` about this subscription.
    pub(super) async fn latest_event(&self, kind: &str) -> Option<event::Model> {
        event::Entity::find()
            .filter(event::Column::Kind.eq(kind))
            .filter(event::Column::ObjectId.eq(&self.sub.public_id))
            .order_by_desc(event::Column::Id)
            .one(&self.app.state.db)
            .await
            .unwrap()
    }

    pub(super) async fn events(&self, kind: &str) -> u64 {
        event::Entity::find()
            .filter(event::Column::Kind.eq(kind))
            .filter(event::Column::ObjectId.eq(&self.sub.public_id))
            .count(&self.app.state.db)
            .await
            .unwrap()
    }

    /// An active subscription of another customer of the demo.
    pub(super) async fn someone_elses_subscription(&self) -> subscription::Model {
        subscription::Entity::find()
            .filter(subscription::Column::OrganizationId.eq(self.sub.organization_id))
            .filter(subscription::Column::CustomerId.ne(self.customer.id))
            .filter(subscription::Column::Status.eq("active"))
            .one(&self.app.state.db)
            .await
            .unwrap()
            .unwrap()
    }

    /// The demo organization's now.
    pub(super) async fn org_now(&self) -> DateTime<Utc> {
        let org = organization::Entity::find()
            .filter(organization::Column::Slug.eq(dunwell::demo::DEMO_ORG_SLUG))
            .one(&self.app.state.db)
            .await
            .unwrap()
            .unwrap();
        self.app.clock.now() + TimeDelta::seconds(org.clock_offset_seconds)
    }

    /// Moves the demo's clock a day at a time, running billing each day, until `at` has
    /// passed.
    pub(super) async fn run_past(&self, at: DateTime<Utc>) {
        let days = (at - self.org_now().await).num_days() + 1;
        let days = u32::try_from(days.max(1)).unwrap();
        self.app
            .state
            .engine
            .advance_clock(dunwell::demo::DEMO_ORG_SLUG, days)
            .await
            .unwrap();
    }
}

fn day(at: DateTime<Utc>, plus: i64) -> String {
    (at.date_naive() + TimeDelta::days(plus)).to_string()
}

async fn a_pause_begins_at_the_period_end_and_ends_on_its_day_with_a_new_invoice(tdb: &TestDb) {
    // Arrange
    let m = marco(tdb).await;
    let end = m.sub.current_period_end;
    let invoices_before = m.invoices().await.len();
    let page = m
        .app
        .page(&format!("/portal/{}/pause", m.key), Some(&m.cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("name=\"resumes_on\""), "the form: {page}");

    // Act
    let asked = m.pause_until(&day(end, 10)).await;
    let asked_sub = m.sub_now().await;
    m.run_past(end).await;
    let paused = m.sub_now().await;
    let invoices_while_paused = m.invoices().await.len();
    let overview = m
        .app
        .page(&format!("/portal/{}", m.key), Some(&m.cookie))
        .await
        .text()
        .await
        .unwrap();
    let resumes_at = asked_sub.pause_resumes_at.unwrap();
    m.run_past(resumes_at).await;
    let resumed = m.sub_now().await;
    let invoices = m.invoices().await;

    // Assert
    assert!(asked.status().is_redirection(), "{}", asked.status());
    assert_eq!(asked_sub.status, "active", "it runs until the period ends");
    assert_eq!(resumes_at.date_naive().to_string(), day(end, 10));
    assert_eq!(
        resumes_at.time(),
        end.time(),
        "whole days from the period end"
    );
    assert_eq!(m.emails("subscription_paused").await, 1);
    let updated = m
        .latest_event("subscription.updated")
        .await
        .expect("the pause asked for is an update");
    let shown = format!("\"pause_resumes_at\":{}", resumes_at.timestamp());
    assert!(updated.data.contains(&shown), "{}", updated.data);
    assert_eq!(paused.status, "paused");
    assert_eq!(
        invoices_while_paused, invoices_before,
        "no invoice while paused"
    );
    assert!(overview.contains("status-paused"), "the overview says so");
    assert_eq!(m.events("subscription.paused").await, 1);
    assert_eq!(resumed.status, "active");
    assert_eq!(resumed.pause_resumes_at, None);
    assert_eq!(
        resumed.current_period_start, resumes_at,
        "the new period starts that day"
    );
    assert_eq!(
        invoices.len(),
        invoices_before + 1,
        "one invoice for the new period"
    );
    let new = invoices.last().unwrap();
    assert_eq!(new.period_start, resumes_at);
    assert_eq!(new.status, "paid");
    assert_eq!(m.events("subscription.resumed").await, 1);
    assert_eq!(m.emails("subscription_resumed").await, 1);
    let audited = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("subscription.pause"))
        .count(&m.app.state.db)
        .await
        .unwrap();
    assert_eq!(audited, 1);
}

async fn resume_now_starts_a_new_period_and_charges_it_once(tdb: &TestDb) {
    // Arrange
    let m = marco(tdb).await;
    let end = m.sub.current_period_end;
    m.pause_until(&day(end, 30)).await;
    m.run_past(end).await;
    assert_eq!(m.sub_now().await.status, "paused");
    let invoices_before = m.invoices().await.len();
    let now = m.org_now().await;

    // Act
    let first = m
        .submit("unpause", &[("subscription", &m.sub.public_id)])
        .await;
    let again = m
        .call("unpause", &[("subscription", &m.sub.public_id)])
        .await;

    // Assert
    assert!(first.status().is_redirection(), "{}", first.status());
    assert_eq!(again.status(), 409, "no longer paused");
    let sub = m.sub_now().await;
    assert_eq!(sub.status, "active");
    assert_eq!(sub.pause_resumes_at, None);
    let invoices = m.invoices().await;
    assert_eq!(invoices.len(), invoices_before + 1, "one new invoice, once");
    let new = invoices.last().unwrap();
    assert_eq!(new.status, "paid");
    // (PostgreSQL keeps microseconds.)
    let at_now = |t: DateTime<Utc>| (t - now).abs() < TimeDelta::milliseconds(1);
    assert!(at_now(new.period_start), "the new period starts now");
    assert_eq!(sub.current_period_start, new.period_start);
    assert!(sub.current_period_end > now);
    let attempts = payment_attempt::Entity::find()
        .filter(payment_attempt::Column::InvoiceId.eq(new.id))
        .count(&m.app.state.db)
        .await
        .unwrap();
    assert_eq!(attempts, 1, "charged exactly once");
    assert_eq!(m.events("subscription.resumed").await, 1);
}

async fn a_pause_withdrawn_before_it_begins_renews_as_usual(tdb: &TestDb) {
    // Arrange
    let m = marco(tdb).await;
    let end = m.sub.current_period_end;
    m.pause_until(&day(end, 5)).await;
    let invoices_before = m.invoices().await.len();

    // Act
    let withdrawn = m
        .submit("withdraw_pause", &[("subscription", &m.sub.public_id)])
        .await;
    let again = m
        .call("withdraw_pause", &[("subscription", &m.sub.public_id)])
        .await;
    m.run_past(end).await;

    // Assert
    assert!(
        withdrawn.status().is_redirection(),
        "{}",
        withdrawn.status()
    );
    assert_eq!(again.status(), 409, "nothing left to withdraw");
    let sub = m.sub_now().await;
    assert_eq!(sub.status, "active");
    assert_eq!(sub.pause_resumes_at, None);
    let invoices = m.invoices().await;
    assert_eq!(invoices.len(), invoices_before + 1, "it renewed");
    assert_eq!(invoices.last().unwrap().period_start, end);
    assert_eq!(m.events("subscription.paused").await, 0);
}

async fn pause_refuses_signed_out_forbidden_others_and_bad_days_with_nothing_written(tdb: &TestDb) {
    // Arrange
    let m = marco(tdb).await;
    let end = m.sub.current_period_end;
    let giulia = customer::Entity::find()
        .filter(customer::Column::Email.eq("giulia@example.com"))
        .one(&m.app.state.db)
        .await
        .unwrap()
        .unwrap();
    let hers = subscription::Entity::find()
        .filter(subscription::Column::CustomerId.eq(giulia.id))
        .one(&m.app.state.db)
        .await
        .unwrap()
        .unwrap();
    let giulias_cookie = m.app.portal_sign_in(&m.key, &giulia.email).await;
    let ok_day = day(end, 10);
    let pause = |sub: &str, resumes_on: &str| {
        vec![
            ("key", m.key.clone()),
            ("subscription", sub.to_owned()),
            ("resumes_on", resumes_on.to_owned()),
        ]
    };
    let call = |pairs: Vec<(&'static str, String)>, cookie: Option<String>| {
        let app = &m.app;
        async move {
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call("/api/portal/pause", &pairs, cookie.as_deref())
                .await
        }
    };
    let mine = Some(m.cookie.clone());

    // Act
    let signed_out = call(pause(&m.sub.public_id, &ok_day), None).await;
    let mut signed_out_others = Vec::new();
    for fun in ["pause_view", "withdraw_pause", "unpause"] {
        let mut pairs = vec![("key", m.key.as_str())];
        if fun != "pause_view" {
            pairs.push(("subscription", m.sub.public_id.as_str()));
        }
        let res = m
            .app
            .call(&format!("/api/portal/{fun}"), &pairs, None)
            .await;
        signed_out_others.push((fun, res.status()));
    }
    let theirs = call(pause(&hers.public_id, &ok_day), mine.clone()).await;
    let past_due = call(pause(&hers.public_id, &ok_day), Some(giulias_cookie)).await;
    let too_long = call(pause(&m.sub.public_id, &day(end, 31)), mine.clone()).await;
    let too_soon = call(pause(&m.sub.public_id, &day(end, 0)), mine.clone()).await;
    let not_a_day = call(pause(&m.sub.public_id, "someday"), mine.clone()).await;
    let resume_active = m
        .call("unpause", &[("subscription", &m.sub.public_id)])
        .await;
    let theirs_withdrawn = m
        .call("withdraw_pause", &[("subscription", &hers.public_id)])
        .await;
    let theirs_resumed = m
        .call("unpause", &[("subscription", &hers.public_id)])
        .await;
    // Every other section stays on: only this permission is off.
    let without_pause =
        domain::PortalPermissions::all().without(domain::PortalPermission::PauseSubscription);
    super::portal_security::save_permissions(&m.app, without_pause).await;
    let forbidden = call(pause(&m.sub.public_id, &ok_day), mine.clone()).await;
    let forbidden_page = m.call("pause_view", &[]).await;
    let forbidden_withdraw = m
        .call("withdraw_pause", &[("subscription", &m.sub.public_id)])
        .await;
    let forbidden_resume = m
        .call("unpause", &[("subscription", &m.sub.public_id)])
        .await;
    let cancel_page = m.call("cancel_view", &[]).await;

    // Assert
    assert_eq!(signed_out.status(), 401);
    for (fun, status) in signed_out_others {
        assert_eq!(status, 401, "{fun} signed out");
    }
    assert_eq!(theirs.status(), 404, "another customer's subscription");
    assert_eq!(
        past_due.status(),
        409,
        "a past-due subscription does not pause"
    );
    for (res, code) in [
        (too_long, "resumes_on.too_long"),
        (too_soon, "resumes_on.too_soon"),
        (not_a_day, "resumes_on.invalid"),
    ] {
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains(code), "{code}");
    }
    assert_eq!(
        resume_active.status(),
        409,
        "an active subscription is not paused"
    );
    assert_eq!(theirs_withdrawn.status(), 404);
    assert_eq!(theirs_resumed.status(), 404);
    assert_eq!(forbidden.status(), 403, "the permission is off");
    assert_eq!(forbidden_page.status(), 403);
    assert_eq!(forbidden_withdraw.status(), 403);
    assert_eq!(forbidden_resume.status(), 403);
    assert_eq!(cancel_page.status(), 200, "another section is still on");
    let asked = subscription::Entity::find()
        .filter(subscription::Column::PauseResumesAt.is_not_null())
        .count(&m.app.state.db)
        .await
        .unwrap();
    assert_eq!(asked, 0, "no pause was written");
    let emails = outbound_email::Entity::find()
        .filter(outbound_email::Column::Kind.eq("subscription_paused"))
        .count(&m.app.state.db)
        .await
        .unwrap();
    assert_eq!(emails, 0, "no email");
}

async fn cancelling_replaces_a_pause_asked_for(tdb: &TestDb) {
    // Arrange
    let m = marco(tdb).await;
    let end = m.sub.current_period_end;
    m.pause_until(&day(end, 10)).await;
    assert!(m.sub_now().await.pause_resumes_at.is_some());

    // Act
    let canceled = m
        .call(
            "cancel",
            &[("subscription", &m.sub.public_id), ("reason", "unused")],
        )
        .await;
    let after_cancel = m.sub_now().await;
    let resumed = m
        .call("resume", &[("subscription", &m.sub.public_id)])
        .await;
    let after_resume = m.sub_now().await;

    // Assert
    assert_eq!(canceled.status(), 200);
    assert!(after_cancel.cancel_at_period_end);
    assert_eq!(
        after_cancel.pause_resumes_at, None,
        "the end replaces the pause"
    );
    assert_eq!(resumed.status(), 200);
    assert_eq!(
        after_resume.pause_resumes_at, None,
        "undoing it brings no pause back"
    );
}

/// A pause whose day is not after the period it would follow (written while that period
/// was being renewed) is dropped by the run: the subscription renews and is not paused.
async fn a_pause_ending_before_its_period_does_is_dropped_and_the_period_renews(tdb: &TestDb) {
    // Arrange
    let m = marco(tdb).await;
    let end = m.sub.current_period_end;
    let db = &m.app.state.db;
    let mut row: subscription::ActiveModel = m.sub_now().await.into();
    row.pause_resumes_at = sea_orm::Set(Some(end - TimeDelta::days(1)));
    sea_orm::ActiveModelTrait::update(row, db).await.unwrap();
    let invoices_before = m.invoices().await.len();

    // Act
    m.run_past(end).await;

    // Assert
    let sub = m.sub_now().await;
    assert_eq!(sub.status, "active");
    assert_eq!(sub.pause_resumes_at, None);
    let invoices = m.invoices().await;
    assert_eq!(invoices.len(), invoices_before + 1, "it renewed");
    assert_eq!(invoices.last().unwrap().period_start, end);
    assert_eq!(m.events("subscription.paused").await, 0);
}

on_each_database!(
    cancelling_replaces_a_pause_asked_for,
    a_pause_ending_before_its_period_does_is_dropped_and_the_period_renews,
    a_pause_begins_at_the_period_end_and_ends_on_its_day_with_a_new_invoice,
    resume_now_starts_a_new_period_and_charges_it_once,
    a_pause_withdrawn_before_it_begins_renews_as_usual,
    pause_refuses_signed_out_forbidden_others_and_bad_days_with_nothing_written,
);
