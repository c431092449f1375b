//! Sending the outbox: the [`Mailer`] port, an SMTP adapter, a log-only default, and the
//! [`DeliveryWorker`] that drains queued rows with retries and backoff.

use super::outbox::{STATUS_FAILED, STATUS_QUEUED, STATUS_SENT};
use crate::entity::outbound_email;
use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::sync::Arc;
use std::time::Duration;
use tracing::instrument;

/// A message ready for the wire.
#[derive(Clone)]
pub struct OutgoingEmail {
    /// The outbox id (`em_…`), also used as the Message-ID's local part.
    pub id: String,
    /// The recipient address.
    pub to: String,
    /// One line.
    pub subject: String,
    /// The plain-text part.
    pub text_body: String,
    /// The HTML part.
    pub html_body: String,
}

impl std::fmt::Debug for OutgoingEmail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Bodies may carry sign-in links; addresses are personal data.
        f.debug_struct("OutgoingEmail")
            .field("id", &self.id)
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// Sends one email.
#[async_trait]
pub trait Mailer: Send + Sync {
    /// Delivers `email`; an error is retried later by the worker.
    async fn send(&self, email: &OutgoingEmail) -> Result<(), String>;

    /// Whether this mailer actually delivers. When false the worker leaves the outbox alone.
    fn delivers(&self) -> bool {
        true
    }
}

/// SMTP delivery with lettre, configured by URL: `smtp://user:pass@host:25`,
/// `smtp://host:587?tls=required`, `smtps://user:pass@host:465`.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    /// Builds the transport from `url` (credentials come from the URL's user info) and the
    /// sender `from` (`"Acme Billing <billing@acme.test>"`). Connects lazily.
    pub fn from_url(url: &str, from: &str) -> Result<SmtpMailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("SMTP_URL {}: {e}", crate::db::redact(url)))?
            .timeout(Some(Duration::from_secs(15)))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("invalid sender address {from:?}: {e}"))?;
        Ok(SmtpMailer { transport, from })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    #[instrument(skip_all, fields(email_id = %email.id))]
    async fn send(&self, email: &OutgoingEmail) -> Result<(), String> {
        let to = email
            .to
            .parse::<Mailbox>()
            .map_err(|e| format!("invalid recipient: {e}"))?;
        let domain = self.from.email.domain().to_owned();
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone())
            .message_id(Some(format!("<{}@{domain}>", email.id)))
            .multipart(MultiPart::alternative_plain_html(
                email.text_body.clone(),
                email.html_body.clone(),
            ))
            .map_err(|e| format!("cannot build the message: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// The default without `SMTP_URL`: emails stay queued in the outbox (read them with
/// `dunwell outbox list`); nothing leaves the machine.
#[derive(Debug, Default, Clone, Copy)]
pub struct LogMailer;

#[async_trait]
impl Mailer for LogMailer {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), String> {
        // Never the body: it may hold a sign-in link.
        tracing::info!(email_id = %email.id, subject = %email.subject, "email queued (no SMTP_URL; see `dunwell outbox list`)");
        Ok(())
    }

    fn delivers(&self) -> bool {
        false
    }
}

/// What one delivery run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Delivered.
    pub sent: u32,
    /// Failed and rescheduled.
    pub retried: u32,
    /// Failed for the last time.
    pub failed: u32,
}

/// Drains the outbox. Several instances may run at once: each row is claimed with a
/// conditional UPDATE (a lease on `next_attempt_at`) before it is sent, so one email is
/// not sent twice by two instances.
pub struct DeliveryWorker {
    db: DatabaseConnection,
    mailer: Arc<dyn Mailer>,
    /// Attempts before an email is marked failed.
    pub max_attempts: i32,
    /// Rows looked at per run.
    pub batch_size: u64,
}

/// How long a claimed email is hidden from other workers while it is being sent. A worker
/// that dies mid-send lets the email be retried after this.
const LEASE: TimeDelta = TimeDelta::minutes(5);

/// 1, 2, 4 … minutes, at most 6 hours.
fn backoff(attempts: i32) -> TimeDelta {
    let exp = attempts.clamp(1, 10) - 1;
    TimeDelta::minutes(1i64 << exp).min(TimeDelta::hours(6))
}

impl DeliveryWorker {
    /// A worker sending with `mailer`, 8 attempts, 100 rows per run.
    pub fn new(db: DatabaseConnection, mailer: Arc<dyn Mailer>) -> DeliveryWorker {
        DeliveryWorker {
            db,
            mailer,
            max_attempts: 8,
            batch_size: 100,
        }
    }

    /// Sends the queued emails due at `now`.
    #[instrument(skip(self))]
    pub async fn run_once(&self, now: DateTime<Utc>) -> Result<DeliveryReport, DbErr> {
        let mut report = DeliveryReport::default();
        if !self.mailer.delivers() {
            return Ok(report);
        }
        let due = outbound_email::Entity::find()
            .filter(outbound_email::Column::Status.eq(STATUS_QUEUED))
            .filter(outbound_email::Column::NextAttemptAt.lte(now))
            .order_by_asc(outbound_email::Column::NextAttemptAt)
            .order_by_asc(outbound_email::Column::Id)
            .limit(self.batch_size)
            .all(&self.db)
            .await?;
        for row in due {
            let claimed = outbound_email::Entity::update_many()
                .col_expr(
                    outbound_email::Column::NextAttemptAt,
                    Expr::value(now + LEASE),
                )
                .filter(outbound_email::Column::Id.eq(row.id))
                .filter(outbound_email::Column::Status.eq(STATUS_QUEUED))
                .filter(outbound_email::Column::NextAttemptAt.lte(now))
                .exec(&crate::db::writer(&self.db))
                .await?;
            if claimed.rows_affected != 1 {
                continue; // another worker has it
            }
            let attempts = row.attempts + 1;
            let (text_body, html_body) = match row.magic_link_id {
                None => (row.text_body.clone(), row.html_body.clone()),
                Some(link) => match super::outbox::mint_sign_in_token(
                    &crate::db::writer(&self.db),
                    &row,
                    link,
                    now,
                )
                .await?
                {
                    Some(bodies) => bodies,
                    None => {
                        // Used or expired before it could go out: nothing useful to send.
                        outbound_email::Entity::update_many()
                            .col_expr(outbound_email::Column::Attempts, Expr::value(attempts))
                            .col_expr(outbound_email::Column::Status, Expr::value(STATUS_FAILED))
                            .col_expr(
                                outbound_email::Column::LastError,
                                Expr::value(Some("the sign-in link expired before delivery")),
                            )
                            .filter(outbound_email::Column::Id.eq(row.id))
                            .exec(&crate::db::writer(&self.db))
                            .await?;
                        report.failed += 1;
                        continue;
                    }
                },
            };
            let email = OutgoingEmail {
                id: row.public_id.clone(),
                to: row.to_address.clone(),
                subject: row.subject.clone(),
                text_body,
                html_body,
            };
            let update = outbound_email::Entity::update_many()
                .col_expr(outbound_email::Column::Attempts, Expr::value(attempts))
                .filter(outbound_email::Column::Id.eq(row.id));
            match self.mailer.send(&email).await {
                Ok(()) => {
                    update
                        .col_expr(outbound_email::Column::Status, Expr::value(STATUS_SENT))
                        .col_expr(outbound_email::Column::SentAt, Expr::value(Some(now)))
                        .col_expr(
                            outbound_email::Column::LastError,
                            Expr::value(Option::<String>::None),
                        )
                        .exec(&crate::db::writer(&self.db))
                        .await?;
                    report.sent += 1;
                }
                Err(error) => {
                    let error: String = error.chars().take(1000).collect();
                    let update = update.col_expr(
                        outbound_email::Column::LastError,
                        Expr::value(Some(error.clone())),
                    );
                    if attempts >= self.max_attempts {
                        update
                            .col_expr(outbound_email::Column::Status, Expr::value(STATUS_FAILED))
                            .exec(&crate::db::writer(&self.db))
                            .await?;
                        tracing::error!(email_id = %email.id, attempts, %error, "email delivery failed for good");
                        report.failed += 1;
                    } else {
                        update
                            .col_expr(
                                outbound_email::Column::NextAttemptAt,
                                Expr::value(now + backoff(attempts)),
                            )
                            .exec(&crate::db::writer(&self.db))
                            .await?;
                        tracing::warn!(email_id = %email.id, attempts, %error, "email delivery failed; will retry");
                        report.retried += 1;
                    }
                }
            }
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff(1), TimeDelta::minutes(1));
        assert_eq!(backoff(2), TimeDelta::minutes(2));
        assert_eq!(backoff(4), TimeDelta::minutes(8));
        assert_eq!(backoff(30), TimeDelta::hours(6));
    }
}
