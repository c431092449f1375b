//! Settings → Webhooks: endpoints (add, rotate the secret, on/off, delete) and each one's
//! delivery log with replay.
use crate::console::dto::{WebhookEndpointList, WebhookLog};
use crate::error::AppError;
use leptos::prelude::*;

/// Carries a new signing secret from the form's answer to the page that shows it once (as
/// the API keys page does): a session cookie, HttpOnly, SameSite=Strict, deleted by the
/// page that reads it, shown only if it is the endpoint's current secret.
#[cfg(feature = "ssr")]
const FRESH_SECRET_COOKIE: &str = "dw_new_webhook_secret";

#[cfg(feature = "ssr")]
fn endpoint_id(raw: &str) -> Result<domain::WebhookEndpointId, AppError> {
    domain::WebhookEndpointId::parse(raw).map_err(|_| AppError::NotFound)
}

#[cfg(feature = "ssr")]
fn carry_secret(fresh: &wire::console::FreshWebhookSecret) {
    use super::server::COOKIE_PATHS;
    use crate::session::{is_https, set_cookie};
    let secure = if is_https() { "; Secure" } else { "" };
    for path in COOKIE_PATHS {
        set_cookie(&format!(
            "{FRESH_SECRET_COOKIE}={}:{}; Path={path}; HttpOnly; SameSite=Strict{secure}",
            fresh.id, fresh.secret
        ));
    }
}

/// The organization's endpoints (owners and admins), with a secret just made, once.
#[server(endpoint = "console/webhook_endpoints")]
pub async fn webhook_endpoints() -> Result<WebhookEndpointList, AppError> {
    use super::server::{COOKIE_PATHS, fail, require_admin, service};
    use crate::session::{clear_cookie, read_cookie, set_cookie};
    let actor = require_admin().await.map_err(fail)?;
    let mut list = service()?.webhook_endpoints(&actor).await.map_err(fail)?;
    if let Some(raw) = read_cookie(FRESH_SECRET_COOKIE) {
        for path in COOKIE_PATHS {
            set_cookie(&clear_cookie(FRESH_SECRET_COOKIE, path));
        }
        let (id, secret) = raw.split_once(':').unwrap_or_default();
        if let Ok(id) = domain::WebhookEndpointId::parse(id) {
            list.fresh = service()?
                .fresh_webhook_secret(&actor, &id, secret)
                .await
                .map_err(fail)?;
        }
    }
    Ok(list)
}

/// Adds an endpoint for `events` (none: every event); the page shows its secret once.
#[server(endpoint = "console/create_webhook_endpoint")]
pub async fn create_webhook_endpoint(
    url: String,
    description: Option<String>,
    events: Option<Vec<String>>,
) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    use service::console::{NewWebhookEndpoint, WebhookEndpointForm};
    let actor = require_admin().await.map_err(fail)?;
    let service = service()?;
    let events = events.unwrap_or_default();
    let form = WebhookEndpointForm {
        url: &url,
        description: description.as_deref().unwrap_or_default(),
        events: events.iter().map(String::as_str).collect(),
    };
    let new = NewWebhookEndpoint::check(&form, service.webhook_allow_insecure()).map_err(fail)?;
    let fresh = service
        .create_webhook_endpoint(&actor, new)
        .await
        .map_err(fail)?;
    carry_secret(&fresh);
    super::redirect_done("/admin/settings/webhooks?saved=webhook_created");
    Ok(())
}

/// A new signing secret for endpoint `id`, shown once; the old one stops at once.
#[server(endpoint = "console/rotate_webhook_secret")]
pub async fn rotate_webhook_secret(id: String) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let id = endpoint_id(&id).map_err(fail)?;
    let fresh = service()?
        .rotate_webhook_secret(&actor, &id)
        .await
        .map_err(fail)?;
    carry_secret(&fresh);
    super::redirect_done("/admin/settings/webhooks?saved=webhook_rotated");
    Ok(())
}

/// Turns endpoint `id` on (`enabled` = `on`) or off.
#[server(endpoint = "console/set_webhook_enabled")]
pub async fn set_webhook_enabled(id: String, enabled: Option<String>) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let id = endpoint_id(&id).map_err(fail)?;
    service()?
        .set_webhook_endpoint_enabled(&actor, &id, enabled.as_deref() == Some("on"))
        .await
        .map_err(fail)?;
    super::redirect_done("/admin/settings/webhooks?saved=webhook_saved");
    Ok(())
}

/// Deletes endpoint `id` with its log.
#[server(endpoint = "console/delete_webhook_endpoint")]
pub async fn delete_webhook_endpoint(id: String) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let id = endpoint_id(&id).map_err(fail)?;
    service()?
        .delete_webhook_endpoint(&actor, &id)
        .await
        .map_err(fail)?;
    super::redirect_done("/admin/settings/webhooks?saved=webhook_deleted");
    Ok(())
}

/// Endpoint `id`'s delivery log.
#[server(endpoint = "console/webhook_deliveries")]
pub async fn webhook_deliveries(id: String) -> Result<WebhookLog, AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let id = endpoint_id(&id).map_err(fail)?;
    service()?.webhook_log(&actor, &id).await.map_err(fail)
}

/// Sends delivery `delivery` of endpoint `id` again.
#[server(endpoint = "console/replay_webhook")]
pub async fn replay_webhook(id: String, delivery: String) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let id = endpoint_id(&id).map_err(fail)?;
    let delivery =
        domain::WebhookDeliveryId::parse(&delivery).map_err(|_| fail(AppError::NotFound))?;
    service()?
        .replay_webhook_delivery(&actor, &id, &delivery)
        .await
        .map_err(fail)?;
    super::redirect_done(&format!(
        "/admin/settings/webhooks/{id}?saved=webhook_replayed"
    ));
    Ok(())
}

/// Sends again every delivery of endpoint `id` given up since `since` (`YYYY-MM-DD`, UTC).
#[server(endpoint = "console/replay_failed_webhooks")]
pub async fn replay_failed_webhooks(id: String, since: String) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    use wire::error::FieldCode;
    let actor = require_admin().await.map_err(fail)?;
    let id = endpoint_id(&id).map_err(fail)?;
    let since = chrono::NaiveDate::parse_from_str(since.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(|| fail(AppError::field("since", FieldCode::Invalid)))?;
    service()?
        .replay_failed_webhooks(&actor, &id, since)
        .await
        .map_err(fail)?;
    super::redirect_done(&format!(
        "/admin/settings/webhooks/{id}?saved=webhook_replayed"
    ));
    Ok(())
}
