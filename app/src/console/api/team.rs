//! Settings → Team: members, roles, and one's own password.
use crate::console::dto::TeamView;
use crate::error::AppError;
use leptos::prelude::*;

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
    let role = domain::StaffRole::parse(&role).map_err(|_| {
        fail(AppError::field(
            "role",
            crate::error::FieldCode::RoleInvalid,
        ))
    })?;
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
