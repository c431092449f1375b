//! Staff sign-in and sessions. Tokens are 32 random bytes; only their SHA-256 is stored,
//! and neither tokens nor passwords are ever logged.
use super::{ConsoleError, ConsoleService};
use crate::console::AdminActor;
use crate::entity::{organization, staff_session, staff_user};
use crate::secret::{Token, hash_password};
use chrono::TimeDelta;
use domain::{SessionPolicy, StaffRole};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use std::sync::OnceLock;
use wire::console::{Me, StaffSignedIn};

/// Failed sign-ins before the account locks.
pub const MAX_FAILED_LOGINS: i32 = 5;
/// How long a locked account stays locked.
pub const LOCKOUT: TimeDelta = TimeDelta::minutes(15);
/// Sign-in attempts per client address per window (see the portal's limiter).
pub const PER_IP: usize = 20;
/// The limiter's key counting failed sign-ins from every address.
const FAILED_ANYWHERE: &str = "staff-failed";

/// A hash to verify against when the email is unknown, so both cases cost the same.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    // Computed once, the first time an unknown address signs in; a constant string would
    // verify faster than a real hash and tell unknown addresses apart.
    HASH.get_or_init(|| hash_password("dunwell-dummy-password").unwrap_or_default())
}

impl ConsoleService {
    /// Checks the credentials and opens a session.
    #[tracing::instrument(skip_all)]
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        ip: Option<std::net::IpAddr>,
    ) -> Result<StaffSignedIn, ConsoleError> {
        let now = self.now();
        if let Some(ip) = ip
            && !self.limiter.hit(&format!("staff-ip:{ip}"), PER_IP, now)
        {
            return Err(ConsoleError::RateLimited);
        }
        // A storm of failures from many addresses stops here, before the costly hash. Each
        // attempt takes a place in the budget before it is checked (so a concurrent burst
        // cannot slip past the count), and gives it back if it succeeds.
        let budget = self.config.limits.failed_sign_ins;
        if !self
            .limiter
            .take(FAILED_ANYWHERE, budget.window, now, |n| budget.allows(n))
        {
            tracing::warn!("staff sign-ins paused: too many failures from all addresses");
            return Err(ConsoleError::RateLimited);
        }
        let address = email.trim().to_lowercase();
        let user = staff_user::Entity::find()
            .filter(staff_user::Column::Email.eq(address))
            .one(&self.db)
            .await?;
        let Some(user) = user else {
            // Same work as a real check, then the same answer.
            let _ = self.hasher.verify(password, dummy_hash()).await;
            return Err(ConsoleError::Unauthenticated);
        };
        let locked = user.locked_until.is_some_and(|until| until > now);
        let ok = self.hasher.verify(password, &user.password_hash).await;
        if locked || !ok {
            if !locked {
                let failed = user.failed_logins + 1;
                let mut active = user.into_active_model();
                if failed >= MAX_FAILED_LOGINS {
                    active.failed_logins = Set(0);
                    active.locked_until = Set(Some(now + LOCKOUT));
                    tracing::warn!("staff account locked after repeated failed sign-ins");
                } else {
                    active.failed_logins = Set(failed);
                }
                active.update(&crate::db::writer(&self.db)).await?;
            }
            return Err(ConsoleError::Unauthenticated);
        }
        self.limiter.give_back(FAILED_ANYWHERE, now);
        let user_id = user.id;
        let mut active = user.into_active_model();
        active.failed_logins = Set(0);
        active.locked_until = Set(None);
        active.update(&crate::db::writer(&self.db)).await?;
        self.open_session(&crate::db::writer(&self.db), user_id, now)
            .await
    }

    /// A new session for `user_id`: its token goes to the browser, its hash to `db`.
    pub(crate) async fn open_session(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        user_id: i64,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<StaffSignedIn, ConsoleError> {
        let token = Token::generate();
        let policy = SessionPolicy::STAFF;
        staff_session::ActiveModel {
            staff_user_id: Set(user_id),
            token_hash: Set(token.hash().as_str().to_owned()),
            created_at: Set(now),
            last_seen_at: Set(now),
            expires_at: Set(policy.expires_at(now, now)),
            ..Default::default()
        }
        .insert(db)
        .await?;
        Ok(StaffSignedIn {
            token: token.expose().to_owned(),
            max_age_secs: policy.absolute.num_seconds(),
            secure: self.config.public_url.is_https(),
        })
    }

    /// The witness for a valid session; slides the idle expiry.
    pub async fn authenticate(&self, token: &str) -> Result<AdminActor, ConsoleError> {
        let now = self.now();
        let hash = Token::from_client(token).hash();
        let Some(session) = staff_session::Entity::find()
            .filter(staff_session::Column::TokenHash.eq(hash.as_str()))
            .one(&self.db)
            .await?
        else {
            return Err(ConsoleError::Unauthenticated);
        };
        let policy = SessionPolicy::STAFF;
        if !policy.is_valid(session.created_at, session.last_seen_at, now) {
            staff_session::Entity::delete_by_id(session.id)
                .exec(&crate::db::writer(&self.db))
                .await?;
            return Err(ConsoleError::Unauthenticated);
        }
        let user = staff_user::Entity::find_by_id(session.staff_user_id)
            .one(&self.db)
            .await?
            .ok_or(ConsoleError::Unauthenticated)?;
        let role = StaffRole::parse(&user.role).map_err(|_| ConsoleError::Unauthenticated)?;
        // Only touch the row once a minute: page loads fire several server functions.
        if now - session.last_seen_at > TimeDelta::minutes(1) {
            let created = session.created_at;
            let mut active = session.into_active_model();
            active.last_seen_at = Set(now);
            active.expires_at = Set(policy.expires_at(created, now));
            active.update(&crate::db::writer(&self.db)).await?;
        }
        Ok(AdminActor::authenticated(
            user.id,
            user.organization_id,
            role,
            &user.email,
        ))
    }

    /// Deletes the session.
    pub async fn sign_out(&self, token: &str) -> Result<(), ConsoleError> {
        let hash = Token::from_client(token).hash();
        staff_session::Entity::delete_many()
            .filter(staff_session::Column::TokenHash.eq(hash.as_str()))
            .exec(&crate::db::writer(&self.db))
            .await?;
        Ok(())
    }

    /// The signed-in staff member.
    pub async fn me(&self, actor: &AdminActor) -> Result<Me, ConsoleError> {
        let user = staff_user::Entity::find_by_id(actor.staff_id()?)
            .one(&self.db)
            .await?
            .ok_or(ConsoleError::Unauthenticated)?;
        let org = organization::Entity::find_by_id(actor.org_id())
            .one(&self.db)
            .await?
            .ok_or(ConsoleError::NotFound)?;
        Ok(Me {
            email: user.email,
            role: actor.role(),
            can_change: actor.role().can_change_settings(),
            can_rotate: actor.role().can_rotate_portal_key(),
            org_name: org.name,
            demo: self.config.demo,
        })
    }
}

impl ConsoleService {
    /// The actor of a command run on the server (`dunwell import`): whoever can run it can
    /// read the database, so no password is asked. It acts as the organization's staff member
    /// `email`, or its first owner, and its changes are audited under that name.
    pub async fn operator(
        &self,
        org_slug: &str,
        email: Option<&str>,
    ) -> Result<AdminActor, ConsoleError> {
        use sea_orm::QueryOrder;
        let org = organization::Entity::find()
            .filter(organization::Column::Slug.eq(org_slug.trim().to_ascii_lowercase()))
            .one(&self.db)
            .await?
            .ok_or(ConsoleError::NotFound)?;
        let mut staff =
            staff_user::Entity::find().filter(staff_user::Column::OrganizationId.eq(org.id));
        staff = match email {
            Some(email) => staff.filter(staff_user::Column::Email.eq(email.trim().to_lowercase())),
            None => staff.filter(staff_user::Column::Role.eq(StaffRole::Owner.as_str())),
        };
        let user = staff
            .order_by_asc(staff_user::Column::Id)
            .one(&self.db)
            .await?
            .ok_or(ConsoleError::NotFound)?;
        let role = StaffRole::parse(&user.role)
            .map_err(|_| ConsoleError::Internal(format!("staff {}: bad role", user.id)))?;
        Ok(AdminActor::authenticated(
            user.id,
            org.id,
            role,
            &user.email,
        ))
    }
}
