//! Settings → API keys: make, list and revoke the keys a merchant's app calls `/v1` with.
use crate::console::dto::ApiKeyList;
use crate::error::AppError;
use leptos::prelude::*;

/// Carries a new key's secret from the form's answer to the page that shows it once: a
/// session cookie (never written to disk), HttpOnly, SameSite=Strict, deleted by the page
/// that reads it, and shown only if the service recognises it as this staff member's key
/// made in the last few minutes.
#[cfg(feature = "ssr")]
const FRESH_KEY_COOKIE: &str = "dw_new_api_key";

/// The organization's API keys (owners and admins), with the one just made, once.
#[server(endpoint = "console/api_keys")]
pub async fn api_keys() -> Result<ApiKeyList, AppError> {
    use super::server::{COOKIE_PATHS, fail, require_admin, service};
    use crate::session::{clear_cookie, read_cookie, set_cookie};
    let actor = require_admin().await.map_err(fail)?;
    let mut list = service()?.api_keys(&actor).await.map_err(fail)?;
    if let Some(raw) = read_cookie(FRESH_KEY_COOKIE) {
        for path in COOKIE_PATHS {
            set_cookie(&clear_cookie(FRESH_KEY_COOKIE, path));
        }
        let (id, secret) = raw.split_once(':').unwrap_or_default();
        if let Ok(id) = domain::ApiKeyId::parse(id) {
            list.fresh = service()?
                .fresh_api_key(&actor, &id, secret)
                .await
                .map_err(fail)?;
        }
    }
    Ok(list)
}

/// Makes a key named `name`; the page shows its secret once.
#[server(endpoint = "console/create_api_key")]
pub async fn create_api_key(name: String) -> Result<(), AppError> {
    use super::server::{COOKIE_PATHS, fail, require_admin, service};
    use crate::session::{is_https, set_cookie};
    let actor = require_admin().await.map_err(fail)?;
    let name =
        domain::DisplayName::parse(&name).map_err(|e| fail(AppError::field("name", e.into())))?;
    let key = service()?
        .create_api_key(&actor, &name)
        .await
        .map_err(fail)?;
    let value = format!("{}:{}", key.id, key.secret);
    let secure = if is_https() { "; Secure" } else { "" };
    for path in COOKIE_PATHS {
        set_cookie(&format!(
            "{FRESH_KEY_COOKIE}={value}; Path={path}; HttpOnly; SameSite=Strict{secure}"
        ));
    }
    super::redirect_done("/admin/settings/api-keys?saved=api_key_created");
    Ok(())
}

/// Revokes a key: the app using it is refused from its next request.
#[server(endpoint = "console/revoke_api_key")]
pub async fn revoke_api_key(id: String) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let id = domain::ApiKeyId::parse(&id).map_err(|_| fail(AppError::NotFound))?;
    service()?.revoke_api_key(&actor, &id).await.map_err(fail)?;
    super::redirect_done("/admin/settings/api-keys?saved=api_key_revoked");
    Ok(())
}

/// The API reference (Settings → API keys → reference), for any signed-in staff member:
/// `/v1/openapi.json` as the page shows it.
#[server(endpoint = "console/api_reference")]
pub async fn api_reference() -> Result<crate::console::dto::ApiReference, AppError> {
    use super::server::{fail, require_admin};
    require_admin().await.map_err(fail)?;
    use_context::<&'static crate::console::dto::ApiReference>()
        .cloned()
        .ok_or(AppError::Internal)
}
