//! The portal's server functions. Each is a public HTTP endpoint: it authorizes itself
//! (`require_customer`), parses its raw form fields with `domain`, calls the service (which
//! checks the portal's permissions), and maps the error. Mutations answer with a redirect carrying the outcome in the query, so the
//! same page shows it with and without JavaScript.
mod account;
mod auth;
mod methods;
mod pages;
mod pause;
mod plans;

pub use account::*;
pub use auth::*;
pub use methods::*;
pub use pages::*;
pub use pause::*;
pub use plans::*;

#[cfg(feature = "ssr")]
pub mod server {
    use crate::error::AppError;
    use crate::session::{CUSTOMER_COOKIE, read_cookie};
    pub use service::portal::PortalCustomer;
    use service::portal::PortalService;
    use std::sync::Arc;

    /// The portal's service layer, from context.
    pub fn service() -> Result<PortalService, AppError> {
        leptos::prelude::use_context::<PortalService>().ok_or(AppError::Internal)
    }

    /// An error as the wire carries it, with its HTTP status set on the response.
    pub fn fail(error: impl Into<AppError>) -> AppError {
        error.into().respond()
    }

    /// One request's session check, shared by the shell and the page, which render
    /// together and would otherwise check the same cookie twice. The server provides a
    /// new one for every request; a server function that changes the session (sign-in,
    /// sign-out) answers with a redirect, so no request reads a memo made stale.
    #[derive(Clone, Default)]
    pub struct CustomerMemo(Arc<tokio::sync::OnceCell<(String, Result<PortalCustomer, AppError>)>>);

    /// The witness of a signed-in customer of the portal `key`, or `Unauthenticated`.
    pub async fn require_customer(key: &str) -> Result<PortalCustomer, AppError> {
        let Some(memo) = leptos::prelude::use_context::<CustomerMemo>() else {
            return authenticate(key).await;
        };
        let (memo_key, result) = memo
            .0
            .get_or_init(|| async { (key.to_owned(), authenticate(key).await) })
            .await;
        if memo_key == key {
            result.clone()
        } else {
            authenticate(key).await
        }
    }

    async fn authenticate(key: &str) -> Result<PortalCustomer, AppError> {
        let token = read_cookie(CUSTOMER_COOKIE).ok_or(AppError::Unauthenticated)?;
        Ok(service()?.authenticate(key, &token).await?)
    }

    /// The cookie paths of a portal's session: its pages, and the server functions
    /// (which live under `/api/portal`; the session row is bound to one organization,
    /// so a cookie of another portal there is simply refused).
    pub fn cookie_paths(key: &str) -> [String; 2] {
        [format!("/portal/{key}"), "/api/portal".to_owned()]
    }
}

/// Lands on the payment-methods page naming what was saved and when. The page confirms the
/// change and reads the retries it caused from the database, from `since` on, so a forged
/// query can only select this customer's real changes and outcomes, never invent one.
#[cfg(feature = "ssr")]
fn redirect_with_outcome(
    key: &str,
    notice: crate::portal::dto::Notice,
    change: &crate::portal::dto::MethodChange,
    method: Option<&domain::PaymentMethodId>,
) {
    let mut url = format!(
        "/portal/{key}/payment-methods?notice={}&since={}",
        notice.as_str(),
        change.since_ms
    );
    if let Some(method) = method {
        url.push_str(&format!("&method={method}"));
    }
    if change.pending {
        url.push_str("&pending=1");
    }
    leptos_axum::redirect(&url);
}
