//! Settings → Team: members, roles, and one's own password.
use crate::console::dto::TeamView;
use crate::error::AppError;
use leptos::prelude::*;

/// A role as posted, or the `role` field's error.
#[cfg(feature = "ssr")]
fn staff_role(raw: &str) -> Result<domain::StaffRole, AppError> {
    domain::StaffRole::parse(raw)
        .map_err(|_| AppError::field("role", crate::error::FieldCode::RoleInvalid))
}

/// The organization's staff.
#[server(endpoint = "console/team")]
pub async fn team() -> Result<TeamView, AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    service()?.team(&actor).await.map_err(fail)
}

/// Gives a member another role (owners).
#[server(endpoint = "console/set_member_role")]
pub async fn set_member_role(email: String, role: String) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let role = staff_role(&role).map_err(fail)?;
    service()?
        .set_member_role(&actor, &email, role)
        .await
        .map_err(fail)?;
    super::redirect_done("/admin/settings/team?saved=role");
    Ok(())
}

/// Removes a member (owners).
#[server(endpoint = "console/remove_member")]
pub async fn remove_member(email: String) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    service()?
        .remove_member(&actor, &email)
        .await
        .map_err(fail)?;
    super::redirect_done("/admin/settings/team?saved=removed");
    Ok(())
}

/// Changes the signed-in member's own password.
#[server(endpoint = "console/change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    service()?
        .change_own_password(&actor, &current_password, &new_password)
        .await
        .map_err(fail)?;
    super::redirect_done("/admin/settings/team?saved=password");
    Ok(())
}

/// Invites someone to the team by email, with a role (owners); they are emailed the link.
#[server(endpoint = "console/invite_member")]
pub async fn invite_member(email: String, role: String) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let role = staff_role(&role).map_err(fail)?;
    service()?
        .invite_member(&actor, &email, role)
        .await
        .map_err(fail)?;
    super::redirect_done("/admin/settings/team?saved=invited");
    Ok(())
}

/// Withdraws a pending invitation (owners).
#[server(endpoint = "console/revoke_invitation")]
pub async fn revoke_invitation(email: String) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    service()?
        .revoke_invitation(&actor, &email)
        .await
        .map_err(fail)?;
    super::redirect_done("/admin/settings/team?saved=invitation_revoked");
    Ok(())
}

/// The invitation behind a link: 404 unknown, 409 used or expired.
#[server(endpoint = "console/invitation")]
pub async fn invitation(token: String) -> Result<crate::console::dto::InvitationView, AppError> {
    use super::server::{fail, service};
    service()?.invitation(&token).await.map_err(fail)
}

/// Accepts an invitation with the chosen password; signs the new member in.
#[server(endpoint = "console/accept_invitation")]
pub async fn accept_invitation(token: String, password: String) -> Result<(), AppError> {
    use super::server::{fail, service, set_staff_cookies};
    let signed = service()?
        .accept_invitation(&token, &password)
        .await
        .map_err(fail)?;
    set_staff_cookies(&signed);
    leptos_axum::redirect("/admin?welcome=joined");
    Ok(())
}
