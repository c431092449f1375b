//! Settings → Team: invitations. An owner invites an email with a role; the person gets a
//! single-use link (`/invite?token=…`, valid [`domain::INVITATION_TTL_DAYS`] days, only its
//! hash stored), sets their password there and is signed in. A new invitation to the same
//! email replaces the pending one; owners can revoke a pending one.
use super::{AdminActor, ConsoleError, ConsoleService, audit};
use crate::billing::outbox::{NewEmail, queue_email};
use crate::billing::templates::{EmailKind, TemplateVars, default_template, render_template};
use crate::entity::{organization, staff_invitation, staff_user};
use crate::secret::Token;
use domain::{
    EmailAddress, INVITATION_TTL_DAYS, InvitationRefusal, Locale, NewPassword, StaffRole,
    check_invitation, invitation_expires,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use wire::console::{InvitationRow, InvitationView, StaffSignedIn};
use wire::error::{Conflict, FieldCode};

fn refused(refusal: InvitationRefusal) -> ConsoleError {
    ConsoleError::Conflict(match refusal {
        InvitationRefusal::Used => Conflict::InvitationUsed,
        InvitationRefusal::Expired => Conflict::InvitationExpired,
    })
}

/// The invitation whose token is `token`, or `NotFound`.
async fn by_token(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<staff_invitation::Model, ConsoleError> {
    let hash = Token::from_client(token).hash();
    staff_invitation::Entity::find()
        .filter(staff_invitation::Column::TokenHash.eq(hash.as_str()))
        .one(db)
        .await?
        .ok_or(ConsoleError::NotFound)
}

/// The language of an organization's staff emails: Italian for an Italian business.
pub(crate) fn staff_locale(org: &organization::Model) -> Locale {
    if org.country.eq_ignore_ascii_case("IT") {
        Locale::It
    } else {
        Locale::En
    }
}

impl ConsoleService {
    /// The organization's pending invitations (not accepted, not expired), newest first.
    pub(super) async fn pending_invitations(
        &self,
        actor: &AdminActor,
    ) -> Result<Vec<InvitationRow>, ConsoleError> {
        Ok(staff_invitation::Entity::find()
            .filter(staff_invitation::Column::OrganizationId.eq(actor.org_id()))
            .filter(staff_invitation::Column::AcceptedAt.is_null())
            .filter(staff_invitation::Column::ExpiresAt.gt(self.now()))
            .order_by_desc(staff_invitation::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|i| InvitationRow {
                role: StaffRole::parse(&i.role).unwrap_or(StaffRole::Viewer),
                expires: i.expires_at.format("%Y-%m-%d").to_string(),
                email: i.email,
            })
            .collect())
    }

    /// Invites `email` to the team as `role` (owners only) and emails them the link.
    pub async fn invite_member(
        &self,
        actor: &AdminActor,
        email: &str,
        role: StaffRole,
    ) -> Result<(), ConsoleError> {
        actor.require_owner()?;
        let email = EmailAddress::parse(email)
            .map_err(|_| ConsoleError::field("email", FieldCode::EmailInvalid))?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let taken = staff_user::Entity::find()
            .filter(staff_user::Column::Email.eq(email.as_str()))
            .one(&txn)
            .await?;
        if taken.is_some() {
            // Staff sign in by email, which is unique across organizations.
            return Err(ConsoleError::field("email", FieldCode::EmailTaken));
        }
        let org = organization::Entity::find_by_id(actor.org_id())
            .one(&txn)
            .await?
            .ok_or(ConsoleError::NotFound)?;
        let inviter = staff_user::Entity::find_by_id(actor.staff_id()?)
            .one(&txn)
            .await?
            .ok_or(ConsoleError::Unauthenticated)?;
        staff_invitation::Entity::delete_many()
            .filter(staff_invitation::Column::OrganizationId.eq(org.id))
            .filter(staff_invitation::Column::Email.eq(email.as_str()))
            .filter(staff_invitation::Column::AcceptedAt.is_null())
            .exec(&txn)
            .await?;
        let token = Token::generate();
        staff_invitation::ActiveModel {
            organization_id: Set(org.id),
            email: Set(email.as_str().to_owned()),
            role: Set(role.as_str().to_owned()),
            token_hash: Set(token.hash().as_str().to_owned()),
            invited_by: Set(Some(inviter.id)),
            expires_at: Set(invitation_expires(now)),
            accepted_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let locale = staff_locale(&org);
        let mut vars = TemplateVars::new();
        vars.insert("company_name".into(), org.name.clone());
        vars.insert("invited_by".into(), inviter.email.clone());
        vars.insert("role".into(), role.as_str().to_owned());
        vars.insert(
            "invitation_link".into(),
            format!(
                "{}/invite?token={}",
                self.config.public_url.as_str().trim_end_matches('/'),
                token.expose()
            ),
        );
        vars.insert("link_expires_days".into(), INVITATION_TTL_DAYS.to_string());
        let (subject, body) = default_template(EmailKind::StaffInvitation, locale);
        let rendered = render_template(EmailKind::StaffInvitation, locale, subject, body, &vars)
            .map_err(|e| ConsoleError::Internal(e.to_string()))?;
        queue_email(
            &txn,
            NewEmail {
                organization_id: Some(org.id),
                customer_id: None,
                to: email.as_str().to_owned(),
                kind: EmailKind::StaffInvitation,
                locale,
                rendered,
                magic_link_id: None,
            },
            now,
        )
        .await?;
        let details = format!("{} as {}", email.as_str(), role.as_str());
        audit::commit(txn, actor, "team.invited", details, now).await
    }

    /// Withdraws the pending invitation of `email` (owners only).
    pub async fn revoke_invitation(
        &self,
        actor: &AdminActor,
        email: &str,
    ) -> Result<(), ConsoleError> {
        actor.require_owner()?;
        let email = EmailAddress::parse(email).map_err(|_| ConsoleError::NotFound)?;
        let txn = crate::db::begin_write(&self.db).await?;
        let gone = staff_invitation::Entity::delete_many()
            .filter(staff_invitation::Column::OrganizationId.eq(actor.org_id()))
            .filter(staff_invitation::Column::Email.eq(email.as_str()))
            .filter(staff_invitation::Column::AcceptedAt.is_null())
            .exec(&txn)
            .await?;
        if gone.rows_affected == 0 {
            return Err(ConsoleError::NotFound);
        }
        let details = email.as_str().to_owned();
        audit::commit(txn, actor, "team.invitation_revoked", details, self.now()).await
    }

    /// What the invitation page shows: `NotFound` for an unknown token, a conflict for one
    /// used or expired.
    pub async fn invitation(&self, token: &str) -> Result<InvitationView, ConsoleError> {
        let inv = by_token(&self.db, token).await?;
        check_invitation(inv.accepted_at.is_some(), inv.expires_at, self.now()).map_err(refused)?;
        let org = organization::Entity::find_by_id(inv.organization_id)
            .one(&self.db)
            .await?
            .ok_or(ConsoleError::NotFound)?;
        Ok(InvitationView {
            organization: org.name,
            email: inv.email,
            role: StaffRole::parse(&inv.role).unwrap_or(StaffRole::Viewer),
        })
    }

    /// Accepts the invitation: the person's account with the invited role and the password
    /// they chose (the strength rule applies), the invitation used up, and their session.
    pub async fn accept_invitation(
        &self,
        token: &str,
        password: &str,
    ) -> Result<StaffSignedIn, ConsoleError> {
        let now = self.now();
        let inv = by_token(&self.db, token).await?;
        check_invitation(inv.accepted_at.is_some(), inv.expires_at, now).map_err(refused)?;
        let email = EmailAddress::parse(&inv.email).map_err(|_| ConsoleError::NotFound)?;
        let password = NewPassword::parse(password, email.as_str())
            .map_err(|e| ConsoleError::field("password", super::actor::password_code(e)))?;
        let hash = self
            .hasher
            .hash(password.expose())
            .await
            .map_err(ConsoleError::Internal)?;
        let role = StaffRole::parse(&inv.role).unwrap_or(StaffRole::Viewer);
        let txn = crate::db::begin_write(&self.db).await?;
        // Used up in the same transaction that makes the account: two tabs make one.
        let used = staff_invitation::Entity::update_many()
            .col_expr(staff_invitation::Column::AcceptedAt, Expr::value(Some(now)))
            .filter(staff_invitation::Column::Id.eq(inv.id))
            .filter(staff_invitation::Column::AcceptedAt.is_null())
            .exec(&txn)
            .await?;
        if used.rows_affected != 1 {
            return Err(refused(InvitationRefusal::Used));
        }
        let taken = staff_user::Entity::find()
            .filter(staff_user::Column::Email.eq(email.as_str()))
            .one(&txn)
            .await?;
        if taken.is_some() {
            return Err(ConsoleError::Conflict(Conflict::InvitationUsed));
        }
        let user = crate::staff::insert(&txn, inv.organization_id, &email, hash, role, now).await?;
        let actor = AdminActor::authenticated(user.id, inv.organization_id, role, &user.email);
        let details = format!("{} as {}", email.as_str(), role.as_str());
        audit::record(&txn, &actor, "team.joined", details, now).await?;
        let signed_in = self.open_session(&txn, user.id, now).await?;
        txn.commit().await?;
        Ok(signed_in)
    }
}
