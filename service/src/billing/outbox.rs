//! The transactional outbox: emails are rows written inside the transaction that caused
//! them, so an email goes out if and only if its cause committed. [`super::DeliveryWorker`]
//! sends them later.

mod mailroom;

pub(crate) use mailroom::Mailroom;

use super::error::BillingError;
use super::templates::{EmailKind, RenderedEmail, TemplateVars};
use crate::entity::{customer, magic_link, organization, outbound_email};
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

/// What stands for a sign-in link's token in a queued email. The token itself is minted
/// when the email is sent ([`mint_sign_in_token`]) and never stored: reading the database
/// yields no usable link.
pub const SIGN_IN_TOKEN_PLACEHOLDER: &str = "token-minted-at-delivery";

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
    /// For a sign-in email, its magic link: the bodies carry
    /// [`SIGN_IN_TOKEN_PLACEHOLDER`] until delivery.
    pub magic_link_id: Option<i64>,
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
    let kind = email.kind;
    queued_row(public_id.clone(), email, now)
        .insert(txn)
        .await?;
    // The body may hold a sign-in link: only the kind and id are logged.
    tracing::debug!(email_id = %public_id, kind = kind.as_str(), "email queued");
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
    extra: TemplateVars,
    now: DateTime<Utc>,
) -> Result<String, BillingError> {
    let email = Mailroom::load(txn, public_url, org)
        .await?
        .email(customer, kind, extra)?;
    Ok(queue_email(txn, email, now).await?)
}

/// Gives the magic link of a sign-in email about to be sent a fresh token (storing only its
/// hash) and returns the bodies with the token in place of the placeholder. `None` when the
/// link can no longer be used (used, expired, or not the email's customer's): the email is
/// then not sent. Each delivery attempt mints a new token, so only the last one sent works.
pub async fn mint_sign_in_token(
    db: &impl ConnectionTrait,
    email: &outbound_email::Model,
    magic_link_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<(String, String)>, DbErr> {
    let Some(customer_id) = email.customer_id else {
        return Ok(None);
    };
    let token = crate::secret::Token::generate();
    let minted = magic_link::Entity::update_many()
        .col_expr(
            magic_link::Column::TokenHash,
            sea_orm::sea_query::Expr::value(token.hash().as_str()),
        )
        .filter(magic_link::Column::Id.eq(magic_link_id))
        .filter(magic_link::Column::CustomerId.eq(customer_id))
        .filter(magic_link::Column::UsedAt.is_null())
        .filter(magic_link::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    if minted.rows_affected != 1 {
        return Ok(None);
    }
    let placeholder = format!("token={SIGN_IN_TOKEN_PLACEHOLDER}");
    let real = format!("token={}", token.expose());
    Ok(Some((
        email.text_body.replace(&placeholder, &real),
        email.html_body.replace(&placeholder, &real),
    )))
}

/// Writes many queued emails with multi-row inserts, normally inside the transaction of
/// the state change that causes them.
pub async fn queue_emails(
    txn: &impl ConnectionTrait,
    emails: Vec<NewEmail>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    crate::db::insert_chunked(txn, queued_rows(emails, now)).await
}

/// The outbox rows of `emails`, each with a new id.
fn queued_rows(emails: Vec<NewEmail>, now: DateTime<Utc>) -> Vec<outbound_email::ActiveModel> {
    emails
        .into_iter()
        .map(|email| queued_row(EmailId::from_random(random_bytes()).to_string(), email, now))
        .collect()
}

/// Like [`queue_emails`], as part of the change's [`Batch`](crate::db::Batch) of inserts.
pub(crate) fn queue_emails_in(
    batch: &mut crate::db::Batch,
    emails: Vec<NewEmail>,
    now: DateTime<Utc>,
) {
    batch.insert_many(queued_rows(emails, now));
}

/// Every email in the outbox, oldest first, one JSON object per line with `to`, `subject`,
/// `text`, `kind`, `status` (for `dunwell outbox list`). Without SMTP this listing is how
/// the operator delivers: a queued sign-in email gets its token here (see
/// [`mint_sign_in_token`]), is shown with it once and is marked sent; listed again, it
/// shows the placeholder.
pub async fn list_outbox_json(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<String>, DbErr> {
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
            let (text, status) = match email.magic_link_id {
                Some(link) if email.status == STATUS_QUEUED => {
                    match mint_sign_in_token(db, email, link, now).await? {
                        Some((text, _)) => {
                            outbound_email::Entity::update_many()
                                .col_expr(
                                    outbound_email::Column::Status,
                                    sea_orm::sea_query::Expr::value(STATUS_SENT),
                                )
                                .col_expr(
                                    outbound_email::Column::SentAt,
                                    sea_orm::sea_query::Expr::value(Some(now)),
                                )
                                .filter(outbound_email::Column::Id.eq(email.id))
                                .exec(db)
                                .await?;
                            (text, STATUS_SENT)
                        }
                        None => (email.text_body.clone(), email.status.as_str()),
                    }
                }
                _ => (email.text_body.clone(), email.status.as_str()),
            };
            let line = serde_json::json!({
                "id": email.public_id,
                "to": email.to_address,
                "subject": email.subject,
                "text": text,
                "kind": email.kind,
                "status": status,
            });
            lines.push(line.to_string());
        }
    }
    Ok(lines)
}

/// The outbox row of a queued email, due at once.
fn queued_row(
    public_id: String,
    email: NewEmail,
    now: DateTime<Utc>,
) -> outbound_email::ActiveModel {
    outbound_email::ActiveModel {
        public_id: Set(public_id),
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
        magic_link_id: Set(email.magic_link_id),
        ..Default::default()
    }
}
