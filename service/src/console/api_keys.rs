//! Settings → API keys: the keys a merchant's app calls `/v1` with. A key's secret is shown
//! once and stored only as its SHA-256; a revoked key is refused on its next request, on
//! every instance, because every request looks its hash up.
use super::{AdminActor, ConsoleError, ConsoleService, audit};
use crate::entity::{api_key, staff_user};
use crate::secret::{Token, random_bytes};
use chrono::{DateTime, Duration, Utc};
use domain::{API_KEY_PREFIX, ApiKeyId, DisplayName, check_api_key_secret};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use std::collections::HashMap;
use wire::console::{ApiKeyList, ApiKeyRow, NewApiKey};

/// How long after making a key its secret may be shown (once).
pub const FRESH_FOR: Duration = Duration::minutes(5);

/// How stale a key's "last used" may get: refreshed by the first request after this, so a
/// busy key is not one write per request.
const LAST_USED_RESOLUTION: Duration = Duration::minutes(1);

/// A time as the console lists it: UTC, to the minute.
pub(super) fn minute(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

impl ConsoleService {
    /// The organization's API keys, live ones first, newest first. Owners and admins only.
    pub async fn api_keys(&self, actor: &AdminActor) -> Result<ApiKeyList, ConsoleError> {
        actor.require_change()?;
        let rows = api_key::Entity::find()
            .filter(api_key::Column::OrganizationId.eq(actor.org_id()))
            .order_by_desc(api_key::Column::CreatedAt)
            .order_by_desc(api_key::Column::Id)
            .all(&self.db)
            .await?;
        let makers: HashMap<i64, String> = staff_user::Entity::find()
            .filter(staff_user::Column::OrganizationId.eq(actor.org_id()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.email))
            .collect();
        let mut keys: Vec<ApiKeyRow> = rows
            .into_iter()
            .map(|k| {
                let id = ApiKeyId::parse(&k.public_id)
                    .map_err(|_| ConsoleError::Internal(format!("api key {}: bad id", k.id)))?;
                Ok(ApiKeyRow {
                    id,
                    name: k.name,
                    hint: format!("{API_KEY_PREFIX}…{}", k.secret_hint),
                    created_by: k.created_by.and_then(|id| makers.get(&id).cloned()),
                    created: minute(k.created_at),
                    last_used: k.last_used_at.map(minute),
                    revoked: k.revoked_at.map(minute),
                })
            })
            .collect::<Result<_, ConsoleError>>()?;
        keys.sort_by_key(|k| k.revoked.is_some());
        Ok(ApiKeyList { keys, fresh: None })
    }

    /// Makes a key named `name`; its secret is returned this once. Staff only (a key cannot
    /// make keys), owners and admins.
    pub async fn create_api_key(
        &self,
        actor: &AdminActor,
        name: &DisplayName,
    ) -> Result<NewApiKey, ConsoleError> {
        actor.require_change()?;
        let staff = actor.staff_id()?;
        let now = self.now();
        let secret = Token::from_client(&format!("{API_KEY_PREFIX}{}", Token::generate().expose()));
        let id = ApiKeyId::from_random(random_bytes());
        let hint: String = {
            let s = secret.expose();
            s[s.len() - 4..].to_owned()
        };
        let txn = crate::db::begin_write(&self.db).await?;
        api_key::ActiveModel {
            public_id: Set(id.as_str().to_owned()),
            organization_id: Set(actor.org_id()),
            name: Set(name.as_str().to_owned()),
            secret_hash: Set(secret.hash().as_str().to_owned()),
            secret_hint: Set(hint),
            created_by: Set(Some(staff)),
            created_at: Set(now),
            last_used_at: Set(None),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let details = format!("{}: {:?}", id.as_str(), name.as_str());
        audit::commit(txn, actor, "api_key.created", details, now).await?;
        Ok(NewApiKey {
            id,
            secret: secret.expose().to_owned(),
        })
    }

    /// The key just made, to show its secret the once: `secret` must be key `id`'s own (its
    /// hash), the key live, made by this staff member in the last [`FRESH_FOR`]. Anything
    /// else (a forged or stale cookie) shows nothing.
    pub async fn fresh_api_key(
        &self,
        actor: &AdminActor,
        id: &ApiKeyId,
        secret: &str,
    ) -> Result<Option<NewApiKey>, ConsoleError> {
        actor.require_change()?;
        let staff = actor.staff_id()?;
        if check_api_key_secret(secret).is_err() {
            return Ok(None);
        }
        let hash = Token::from_client(secret).hash();
        let key = api_key::Entity::find()
            .filter(api_key::Column::OrganizationId.eq(actor.org_id()))
            .filter(api_key::Column::PublicId.eq(id.as_str()))
            .filter(api_key::Column::RevokedAt.is_null())
            .one(&self.db)
            .await?;
        let fresh = key.is_some_and(|k| {
            hash.matches(&k.secret_hash)
                && k.created_by == Some(staff)
                && self.now() - k.created_at < FRESH_FOR
        });
        Ok(fresh.then(|| NewApiKey {
            id: id.clone(),
            secret: secret.to_owned(),
        }))
    }

    /// Revokes a key: its next request is refused. Revoking a revoked key changes nothing.
    /// Staff only, owners and admins; another organization's key is `NotFound`.
    pub async fn revoke_api_key(
        &self,
        actor: &AdminActor,
        id: &ApiKeyId,
    ) -> Result<(), ConsoleError> {
        actor.require_change()?;
        actor.staff_id()?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let key = api_key::Entity::find()
            .filter(api_key::Column::OrganizationId.eq(actor.org_id()))
            .filter(api_key::Column::PublicId.eq(id.as_str()))
            .one(&txn)
            .await?
            .ok_or(ConsoleError::NotFound)?;
        if key.revoked_at.is_some() {
            return Ok(());
        }
        let details = format!("{}: {:?}", key.public_id, key.name);
        let mut active = key.into_active_model();
        active.revoked_at = Set(Some(now));
        active.update(&txn).await?;
        audit::commit(txn, actor, "api_key.revoked", details, now).await
    }

    /// The actor a `/v1` request's bearer secret stands for: a live key, or
    /// `Unauthenticated` (malformed, unknown and revoked alike). A deleted organization's
    /// keys are deleted with it (the foreign key cascades).
    pub async fn authenticate_api_key(&self, secret: &str) -> Result<AdminActor, ConsoleError> {
        check_api_key_secret(secret).map_err(|_| ConsoleError::Unauthenticated)?;
        let hash = Token::from_client(secret).hash();
        let key = api_key::Entity::find()
            .filter(api_key::Column::SecretHash.eq(hash.as_str()))
            .filter(api_key::Column::RevokedAt.is_null())
            .one(&self.db)
            .await?
            .ok_or(ConsoleError::Unauthenticated)?;
        let now = self.now();
        if key
            .last_used_at
            .is_none_or(|t| now - t >= LAST_USED_RESOLUTION)
        {
            // Conditional, so concurrent requests of one key write once per minute.
            api_key::Entity::update_many()
                .col_expr(api_key::Column::LastUsedAt, Expr::value(now))
                .filter(api_key::Column::Id.eq(key.id))
                .filter(
                    Condition::any()
                        .add(api_key::Column::LastUsedAt.is_null())
                        .add(api_key::Column::LastUsedAt.lt(now - LAST_USED_RESOLUTION)),
                )
                .exec(&crate::db::writer(&self.db))
                .await?;
        }
        Ok(AdminActor::api_key(&key))
    }

    /// Takes one request from the key's bucket on this instance, or says how many seconds
    /// to wait (`Retry-After`). Staff sessions are not metered here.
    pub fn take_api_request(&self, actor: &AdminActor) -> Result<(), u64> {
        let super::Principal::ApiKey(key) = actor.principal() else {
            return Ok(());
        };
        // Wall time, not the billing clock (which tests and the demo move by hand).
        let now = Utc::now();
        let mut buckets = self
            .api_buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let bucket = self
            .config
            .limits
            .api_rate
            .take(buckets.get(&key).copied(), now)?;
        buckets.insert(key, bucket);
        Ok(())
    }
}
