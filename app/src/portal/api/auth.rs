//! Sign-in by magic link, and sign-out.
use crate::error::AppError;
use crate::portal::dto::LinkState;
use leptos::prelude::*;

/// Queues a sign-in link when the email is on file; answers the same either way by
/// redirecting to the login page's "check your inbox" state.
#[server(endpoint = "portal/request_link")]
pub async fn request_link(
    key: String,
    email: String,
    return_to: Option<String>,
) -> Result<(), AppError> {
    use super::server::{fail, service};
    let Ok(address) = domain::EmailAddress::parse(&email) else {
        return Err(AppError::field("email", crate::error::FieldCode::EmailInvalid).respond());
    };
    let base = format!("/portal/{key}");
    let return_to = return_to
        .as_deref()
        .and_then(|r| domain::ReturnTo::parse(r, &base));
    service()?
        .request_link(
            &key,
            &address,
            return_to.as_ref().map(|r| r.as_str()),
            crate::session::client_ip(),
        )
        .await
        .map_err(fail)?;
    let mut target = format!(
        "{base}/login?sent=1&email={}",
        crate::forms::encode(address.as_str())
    );
    if let Some(r) = return_to {
        target.push_str(&format!("&return_to={}", crate::forms::encode(r.as_str())));
    }
    leptos_axum::redirect(&target);
    Ok(())
}

/// What a sign-in link is, without using it.
#[server(endpoint = "portal/link_state")]
pub async fn check_link(key: String, token: String) -> Result<LinkState, AppError> {
    use super::server::{fail, service};
    service()?.link_state(&key, &token).await.map_err(fail)
}

/// Uses a sign-in link (POST, so mail scanners that prefetch links do not burn it),
/// opens a fresh session and lands on the link's `return_to`.
#[server(endpoint = "portal/sign_in")]
pub async fn sign_in(key: String, token: String) -> Result<(), AppError> {
    use super::server::{cookie_paths, fail, service};
    use crate::session::is_https;
    use crate::session::{CUSTOMER_COOKIE, read_cookie, session_cookie, set_cookie};
    let previous = read_cookie(CUSTOMER_COOKIE);
    let signed = service()?
        .sign_in(&key, &token, previous.as_deref())
        .await
        .map_err(fail)?;
    for path in cookie_paths(&key) {
        set_cookie(&session_cookie(
            CUSTOMER_COOKIE,
            &signed.session_token,
            &path,
            signed.max_age_secs,
            is_https(),
        ));
    }
    // The customer's saved language wins in the portal.
    set_cookie(&format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        crate::LOCALE_COOKIE,
        signed.locale
    ));
    leptos_axum::redirect(&signed.return_to);
    Ok(())
}

/// Ends the session and returns to the sign-in page.
#[server(endpoint = "portal/sign_out")]
pub async fn sign_out(key: String) -> Result<(), AppError> {
    use super::server::{cookie_paths, fail, service};
    use crate::session::{CUSTOMER_COOKIE, clear_cookie, read_cookie, set_cookie};
    if let Some(token) = read_cookie(CUSTOMER_COOKIE) {
        service()?.sign_out(&key, &token).await.map_err(fail)?;
    }
    for path in cookie_paths(&key) {
        set_cookie(&clear_cookie(CUSTOMER_COOKIE, &path));
    }
    leptos_axum::redirect(&format!("/portal/{key}/login?signed_out=1"));
    Ok(())
}
