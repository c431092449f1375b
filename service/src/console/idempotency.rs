//! `Idempotency-Key` on the merchant API's POSTs: the first request under a key runs and its
//! answer, whatever it is, is kept a day; a repeat gets that answer again, a different
//! request under the same key is refused, and a repeat that arrives while the first still
//! runs is refused rather than run twice. The unique index on (organization, key) decides
//! which of concurrent twins runs. Nothing under a key runs twice: a first request that
//! never answered (the process stopped) keeps its key in use until the key expires.
use super::{AdminActor, ConsoleError, ConsoleService};
use crate::entity::idempotency_key;
use crate::secret::hex;
use chrono::{DateTime, Utc};
use domain::{IdempotencyKey, IdempotencySeen, idempotency_seen};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, SqlErr};
use sha2::{Digest, Sha256};

/// What a request under an `Idempotency-Key` should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Idempotent {
    /// Run it, then [`ConsoleService::finish_idempotent`] with this ticket, whatever the
    /// answer.
    Run(IdempotencyTicket),
    /// Answer this again: the first request's status and JSON body.
    Replay {
        /// Its HTTP status.
        status: u16,
        /// Its body.
        body: String,
    },
    /// The first request under the key is still running.
    InUse,
    /// The key was used for another request (method, path or body).
    Reused,
}

/// The hold a running request has on its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdempotencyTicket(i64);

/// SHA-256 (hex) of a request's method, path and body: what makes two requests "the same".
pub fn request_fingerprint(method: &str, path: &str, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(method.as_bytes());
    h.update(b" ");
    h.update(path.as_bytes());
    h.update(b"\n");
    h.update(body);
    hex(&h.finalize())
}

impl ConsoleService {
    /// Claims `key` for a request with `fingerprint`, or says what to do instead.
    pub async fn begin_idempotent(
        &self,
        actor: &AdminActor,
        key: &IdempotencyKey,
        fingerprint: &str,
    ) -> Result<Idempotent, ConsoleError> {
        // Wall time, not the billing clock (which tests and the demo move by hand).
        let now = Utc::now();
        // Twice at most: a stored key found expired is deleted, then claimed.
        for _ in 0..2 {
            let claim = idempotency_key::ActiveModel {
                organization_id: Set(actor.org_id()),
                key: Set(key.as_str().to_owned()),
                fingerprint: Set(fingerprint.to_owned()),
                response_status: Set(None),
                response_body: Set(None),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&crate::db::writer(&self.db))
            .await;
            match claim {
                Ok(row) => return Ok(Idempotent::Run(IdempotencyTicket(row.id))),
                Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {}
                Err(e) => return Err(e.into()),
            }
            let Some(stored) = idempotency_key::Entity::find()
                .filter(idempotency_key::Column::OrganizationId.eq(actor.org_id()))
                .filter(idempotency_key::Column::Key.eq(key.as_str()))
                .one(&self.db)
                .await?
            else {
                continue; // freed meanwhile
            };
            let answered = stored.response_status.zip(stored.response_body.clone());
            match idempotency_seen(
                &stored.fingerprint,
                answered.is_some(),
                stored.created_at,
                fingerprint,
                now,
            ) {
                IdempotencySeen::Answered => {
                    let (status, body) = answered.unwrap_or_default();
                    return Ok(Idempotent::Replay {
                        status: u16::try_from(status).unwrap_or(200),
                        body,
                    });
                }
                IdempotencySeen::Running => return Ok(Idempotent::InUse),
                IdempotencySeen::OtherRequest => return Ok(Idempotent::Reused),
                IdempotencySeen::Free => {
                    idempotency_key::Entity::delete_many()
                        .filter(idempotency_key::Column::Id.eq(stored.id))
                        .filter(idempotency_key::Column::CreatedAt.eq(stored.created_at))
                        .exec(&crate::db::writer(&self.db))
                        .await?;
                }
            }
        }
        Ok(Idempotent::InUse)
    }

    /// Keeps the answer of the request that held `ticket`, for its repeats.
    pub async fn finish_idempotent(
        &self,
        ticket: IdempotencyTicket,
        status: u16,
        body: String,
    ) -> Result<(), ConsoleError> {
        idempotency_key::Entity::update_many()
            .col_expr(
                idempotency_key::Column::ResponseStatus,
                sea_orm::sea_query::Expr::value(i32::from(status)),
            )
            .col_expr(
                idempotency_key::Column::ResponseBody,
                sea_orm::sea_query::Expr::value(body),
            )
            .filter(idempotency_key::Column::Id.eq(ticket.0))
            .exec(&crate::db::writer(&self.db))
            .await?;
        Ok(())
    }
}

/// Deletes keys older than a day (a worker calls it hourly); returns how many.
pub async fn purge_idempotency_keys(
    db: &impl sea_orm::ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<u64, sea_orm::DbErr> {
    let done = idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::CreatedAt.lt(now - IdempotencyKey::KEPT))
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}
