//! Staff sign-in and sign-out, and who is signed in.
use crate::console::dto::Me;
use crate::error::AppError;
use leptos::prelude::*;

/// Where to go after sign-in: only console paths (no open redirect).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/admin") && !n.contains("//") && !n.contains('\\') => {
            n.to_owned()
        }
        _ => "/admin".to_owned(),
    }
}

/// Checks email and password, sets the session cookie and goes to `next`.
#[server(endpoint = "console/sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use super::server::{fail, service, set_staff_cookies};
    let signed = service()?
        .sign_in(&email, &password, crate::session::client_ip())
        .await
        .map_err(fail)?;
    set_staff_cookies(&signed);
    leptos_axum::redirect(&safe_next(next.as_deref()));
    Ok(())
}

/// Ends the session.
#[server(endpoint = "console/sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use super::server::{COOKIE_PATHS, fail, service};
    use crate::session::{STAFF_COOKIE, clear_cookie, read_cookie, set_cookie};
    if let Some(token) = read_cookie(STAFF_COOKIE) {
        service()?.sign_out(&token).await.map_err(fail)?;
    }
    for path in COOKIE_PATHS {
        set_cookie(&clear_cookie(STAFF_COOKIE, path));
    }
    leptos_axum::redirect("/admin/sign-in?signed_out=1");
    Ok(())
}

/// The signed-in staff member.
#[server(endpoint = "console/me")]
pub async fn who_am_i() -> Result<Me, AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    service()?.me(&actor).await.map_err(fail)
}
