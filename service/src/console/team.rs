//! Settings → Team: the organization's staff, their roles, and each member's own
//! password. Owners change the team; the last owner can be neither removed nor demoted
//! (`domain::check_team_change`), checked with the organization's row locked so two owners
//! demoting each other at once cannot leave none.
use super::{AdminActor, ConsoleError, ConsoleService, audit};
use crate::entity::{organization, staff_session, staff_user};
use domain::{EmailAddress, NewPassword, StaffRole, TeamChange, TeamRefusal, check_team_change};
use sea_orm::sea_query::LockType;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use wire::console::{MemberRow, TeamView};
use wire::error::{Conflict, FieldCode};

/// Locks the organization's row for the rest of `txn` (PostgreSQL; SQLite's write
/// transaction already holds the only write lock).
async fn lock_org(txn: &DatabaseTransaction, org_id: i64) -> Result<(), ConsoleError> {
    let mut query = organization::Entity::find_by_id(org_id);
    if txn.get_database_backend() == DbBackend::Postgres {
        query = query.lock(LockType::Update);
    }
    query.one(txn).await?.ok_or(ConsoleError::NotFound)?;
    Ok(())
}

/// The member of the actor's organization with this email, or `NotFound` (another
/// organization's staff included).
async fn member(
    db: &impl ConnectionTrait,
    actor: &AdminActor,
    email: &str,
) -> Result<staff_user::Model, ConsoleError> {
    let address = EmailAddress::parse(email).map_err(|_| ConsoleError::NotFound)?;
    staff_user::Entity::find()
        .filter(staff_user::Column::OrganizationId.eq(actor.org_id()))
        .filter(staff_user::Column::Email.eq(address.as_str()))
        .one(db)
        .await?
        .ok_or(ConsoleError::NotFound)
}

async fn owners(db: &impl ConnectionTrait, org_id: i64) -> Result<u64, ConsoleError> {
    Ok(staff_user::Entity::find()
        .filter(staff_user::Column::OrganizationId.eq(org_id))
        .filter(staff_user::Column::Role.eq(StaffRole::Owner.as_str()))
        .count(db)
        .await?)
}

fn refused(refusal: TeamRefusal) -> ConsoleError {
    match refusal {
        TeamRefusal::LastOwner => ConsoleError::Conflict(Conflict::LastOwner),
    }
}

impl ConsoleService {
    /// The team; any role may see it.
    pub async fn team(&self, actor: &AdminActor) -> Result<TeamView, ConsoleError> {
        let rows = staff_user::Entity::find()
            .filter(staff_user::Column::OrganizationId.eq(actor.org_id()))
            .order_by_asc(staff_user::Column::Email)
            .all(&self.db)
            .await?;
        let mut members: Vec<MemberRow> = rows
            .into_iter()
            .map(|u| MemberRow {
                is_you: actor.is_staff(u.id),
                role: StaffRole::parse(&u.role).unwrap_or(StaffRole::Viewer),
                since: u.created_at.format("%Y-%m-%d").to_string(),
                email: u.email,
            })
            .collect();
        members.sort_by_key(|m| m.role != StaffRole::Owner);
        Ok(TeamView {
            members,
            invitations: self.pending_invitations(actor).await?,
            can_manage: actor.require_owner().is_ok(),
        })
    }

    /// Gives a member another role (owners only; not the last owner's).
    pub async fn set_member_role(
        &self,
        actor: &AdminActor,
        email: &str,
        role: StaffRole,
    ) -> Result<(), ConsoleError> {
        actor.require_owner()?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        lock_org(&txn, actor.org_id()).await?;
        let target = member(&txn, actor, email).await?;
        let before = StaffRole::parse(&target.role).unwrap_or(StaffRole::Viewer);
        check_team_change(
            owners(&txn, actor.org_id()).await?,
            before,
            TeamChange::SetRole(role),
        )
        .map_err(refused)?;
        let details = format!("{}: {} → {}", target.email, before.as_str(), role.as_str());
        let mut active = target.into_active_model();
        active.role = Set(role.as_str().to_owned());
        active.update(&txn).await?;
        audit::commit(txn, actor, "team.role", details, now).await
    }

    /// Removes a member and ends their sessions (owners only; not the last owner).
    pub async fn remove_member(&self, actor: &AdminActor, email: &str) -> Result<(), ConsoleError> {
        actor.require_owner()?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        lock_org(&txn, actor.org_id()).await?;
        let target = member(&txn, actor, email).await?;
        let role = StaffRole::parse(&target.role).unwrap_or(StaffRole::Viewer);
        check_team_change(
            owners(&txn, actor.org_id()).await?,
            role,
            TeamChange::Remove,
        )
        .map_err(refused)?;
        staff_session::Entity::delete_many()
            .filter(staff_session::Column::StaffUserId.eq(target.id))
            .exec(&txn)
            .await?;
        staff_user::Entity::delete_by_id(target.id)
            .exec(&txn)
            .await?;
        let details = format!("{} ({})", target.email, role.as_str());
        audit::commit(txn, actor, "team.removed", details, now).await
    }

    /// Changes the signed-in member's own password, after checking the current one.
    pub async fn change_own_password(
        &self,
        actor: &AdminActor,
        current: &str,
        new: &str,
    ) -> Result<(), ConsoleError> {
        let me = staff_user::Entity::find_by_id(actor.staff_id()?)
            .one(&self.db)
            .await?
            .ok_or(ConsoleError::Unauthenticated)?;
        if !self.hasher.verify(current, &me.password_hash).await {
            return Err(ConsoleError::field(
                "current_password",
                FieldCode::PasswordWrong,
            ));
        }
        let new = NewPassword::parse(new, &me.email)
            .map_err(|e| ConsoleError::field("new_password", super::actor::password_code(e)))?;
        let hash = self
            .hasher
            .hash(new.expose())
            .await
            .map_err(ConsoleError::Internal)?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let email = me.email.clone();
        let mut active = me.into_active_model();
        active.password_hash = Set(hash);
        active.update(&txn).await?;
        audit::commit(txn, actor, "staff.password_changed", email, now).await
    }
}
