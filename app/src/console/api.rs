//! The console's server functions. Each is a public HTTP endpoint: it authorizes itself
//! (`require_admin`), parses its raw form fields with `domain`, calls the service (which
//! checks the role), and maps the error. Successful mutations redirect to the page with the outcome in the query, so the
//! same page shows it with and without JavaScript.
mod auth;
mod catalog;
mod customers;
mod imports;
mod keys;
mod misc;
mod payments;
mod settings;
mod setup;
mod subscriptions;
mod team;
mod templates;
mod webhooks;

pub use auth::*;
pub use catalog::*;
pub use customers::*;
pub use imports::*;
pub use keys::*;
pub use misc::*;
pub use payments::*;
pub use settings::*;
pub use setup::*;
pub use subscriptions::*;
pub use team::*;
pub use templates::*;
pub use webhooks::*;

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use crate::error::AppError;
    use crate::session::{STAFF_COOKIE, read_cookie};
    pub use service::console::AdminActor;
    use service::console::ConsoleService;

    /// The console's service layer, from context.
    pub fn service() -> Result<ConsoleService, AppError> {
        leptos::prelude::use_context::<ConsoleService>().ok_or(AppError::Internal)
    }

    /// The witness of a signed-in staff member, or `Unauthenticated`.
    pub async fn require_admin() -> Result<AdminActor, AppError> {
        let token = read_cookie(STAFF_COOKIE).ok_or(AppError::Unauthenticated)?;
        Ok(service()?.authenticate(&token).await?)
    }

    /// The paths the staff cookie is sent to: the console's pages and its server functions.
    pub const COOKIE_PATHS: [&str; 2] = ["/admin", "/api/console"];

    /// Sets the staff session cookie on every console path.
    pub fn set_staff_cookies(signed: &wire::console::StaffSignedIn) {
        use crate::session::{STAFF_COOKIE, is_https, session_cookie, set_cookie};
        for path in COOKIE_PATHS {
            set_cookie(&session_cookie(
                STAFF_COOKIE,
                &signed.token,
                path,
                signed.max_age_secs,
                signed.secure || is_https(),
            ));
        }
    }

    /// Whether this request is a direct server-function call: not a plain HTML form post
    /// (no JavaScript), and not a page being rendered (which calls server functions in process).
    fn is_direct_call() -> bool {
        leptos::prelude::use_context::<http::request::Parts>().is_some_and(|p| {
            let html = p
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"));
            p.uri.path().starts_with("/api/") && !html
        })
    }

    /// Sets the HTTP status of an error for direct calls (401/403/404/422); a plain form
    /// post keeps the redirect back to its page, which shows the error beside the field, and
    /// a page render keeps its own status (a redirect to sign-in, say).
    pub fn fail(err: impl Into<AppError>) -> AppError {
        let err = err.into();
        if is_direct_call() { err.respond() } else { err }
    }
}

/// Redirects to `url` after a successful change, with a fresh `t` in the query so the page's
/// data reloads even when the same change is made twice in a row.
#[cfg(feature = "ssr")]
pub fn redirect_done(url: &str) {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let sep = if url.contains('?') { '&' } else { '?' };
    leptos_axum::redirect(&format!("{url}{sep}t={t}"));
}
