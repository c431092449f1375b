//! The transactional outbox: emails are rows written inside the transaction that caused
//! them, so an email goes out if and only if its cause committed. [`super::DeliveryWorker`]
//! sends them later.

use super::error::BillingError;
use super::templates::{self, EmailKind, RenderedEmail, TemplateVars};
use crate::entity::{customer, email_template, organization, outbound_email, portal_settings};
use crate::secret::random_bytes;
use chrono::{DateTime, Utc};
use domain::{EmailId, Locale};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use tracing::instrument;

/// Status of a queued email not yet sent.
pub const STATUS_QUEUED: &str = "queued";
/// Status of a delivered email.
pub const STATUS_SENT: &str = "sent";
/// Status of an email given up on after too many attempts.
pub const STATUS_FAILED: &str = "failed";

/// One email to put in the outbox.
pub struct NewEmail {
    /// The organization it is sent on behalf of; `None` for platform mail.
    pub organization_id: Option<i64>,
    /// The customer it is about, if any.
    pub customer_id: Option<i64>,
    /// The recipient.
    pub to: String,
    /// What it is.
    pub kind: EmailKind,
    /// The language it was rendered in.
    pub locale: Locale,
    /// Subject and bodies.
    pub rendered: RenderedEmail,
}

/// Writes a queued email with the caller's connection, normally inside the caller's
/// transaction. Returns the email's public id.
#[instrument(skip(txn, email), fields(kind = email.kind.as_str()))]
pub async fn queue_email(
    txn: &impl ConnectionTrait,
    email: NewEmail,
    now: DateTime<Utc>,
) -> Result<String, DbErr> {
    let public_id = EmailId::from_random(random_bytes()).to_string();
    outbound_email::ActiveModel {
        public_id: Set(public_id.clone()),
        organization_id: Set(email.organization_id),
        customer_id: Set(email.customer_id),
        to_address: Set(email.to),
        kind: Set(email.kind.as_str().to_owned()),
        locale: Set(email.locale.as_str().to_owned()),
        subject: Set(email.rendered.subject),
        text_body: Set(email.rendered.text_body),
        html_body: Set(email.rendered.html_body),
        status: Set(STATUS_QUEUED.to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        sent_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    // The body may hold a sign-in link: only the kind and id are logged.
    tracing::debug!(email_id = %public_id, kind = email.kind.as_str(), "email queued");
    Ok(public_id)
}

/// Renders `kind` for `customer` with the organization's template (or the default) and
/// queues it. Adds the common variables (customer and company name, portal links) to `extra`.
#[instrument(skip(txn, public_url, org, customer, extra), fields(kind = kind.as_str(), org = org.id, customer = customer.id))]
pub async fn queue_customer_email(
    txn: &impl ConnectionTrait,
    public_url: &str,
    org: &organization::Model,
    customer: &customer::Model,
    kind: EmailKind,
    mut extra: TemplateVars,
    now: DateTime<Utc>,
) -> Result<String, BillingError> {
    let locale = Locale::parse(&customer.locale).unwrap_or_default();
    let settings = portal_settings::Entity::find()
        .filter(portal_settings::Column::OrganizationId.eq(org.id))
        .one(txn)
        .await?;
    let company_name = settings
        .as_ref()
        .map_or_else(|| org.name.clone(), |s| s.company_name.clone());
    // Without a portal key there is no portal to link to yet: point at the site itself,
    // which is still better than a dead link. Enabling the portal creates the key.
    let (portal_link, update_link) = match settings.as_ref().and_then(|s| s.portal_key.as_deref()) {
        Some(key) => (
            templates::customer_portal_link(public_url, key),
            templates::update_payment_method_link(public_url, key),
        ),
        None => (public_url.to_owned(), public_url.to_owned()),
    };
    extra.insert("customer_name".into(), customer.name.clone());
    extra.insert("company_name".into(), company_name);
    extra.insert("customer_portal_link".into(), portal_link);
    extra.insert("update_payment_method_link".into(), update_link);
    let custom = email_template::Entity::find()
        .filter(email_template::Column::OrganizationId.eq(org.id))
        .filter(email_template::Column::Kind.eq(kind.as_str()))
        .filter(email_template::Column::Locale.eq(locale.as_str()))
        .one(txn)
        .await?;
    let rendered = match custom
        .as_ref()
        .map(|t| (t.subject.as_str(), t.body.as_str()))
    {
        Some(custom) => match templates::render_kind(kind, locale, Some(custom), &extra) {
            Ok(rendered) => rendered,
            Err(err) => {
                // A broken merchant template must not stop billing: fall back to the default.
                tracing::warn!(org = org.id, kind = kind.as_str(), error = %err, "custom email template failed; using the default");
                templates::render_kind(kind, locale, None, &extra)?
            }
        },
        None => templates::render_kind(kind, locale, None, &extra)?,
    };
    let email = NewEmail {
        organization_id: Some(org.id),
        customer_id: Some(customer.id),
        to: customer.email.clone(),
        kind,
        locale,
        rendered,
    };
    Ok(queue_email(txn, email, now).await?)
}

/// Every email in the outbox, oldest first, one JSON object per line with `to`, `subject`,
/// `text`, `kind`, `status` (for `dunwell outbox list`).
pub async fn list_outbox_json(db: &impl ConnectionTrait) -> Result<Vec<String>, DbErr> {
    let mut lines = Vec::new();
    let mut after = 0i64;
    // Batches keep memory flat on a large outbox.
    loop {
        let batch = outbound_email::Entity::find()
            .filter(outbound_email::Column::Id.gt(after))
            .order_by_asc(outbound_email::Column::Id)
            .limit(500)
            .all(db)
            .await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        for email in &batch {
            let line = serde_json::json!({
                "id": email.public_id,
                "to": email.to_address,
                "subject": email.subject,
                "text": email.text_body,
                "kind": email.kind,
                "status": email.status,
            });
            lines.push(line.to_string());
        }
    }
    Ok(lines)
}
