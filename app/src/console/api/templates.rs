//! Settings → Notifications.
use crate::console::dto::{TemplatePreview, TemplateView};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn locale(raw: &str) -> Result<domain::Locale, AppError> {
    domain::Locale::parse(raw)
        .map_err(|_| AppError::field("locale", crate::error::FieldCode::LocaleInvalid))
}

#[cfg(feature = "ssr")]
fn back(kind: &str, locale: domain::Locale, saved: &str) -> String {
    format!(
        "/admin/settings/notifications?kind={}&locale={}&saved={saved}",
        crate::forms::encode(kind),
        locale.as_str()
    )
}

/// A template for the editor.
#[server(endpoint = "console/template")]
pub async fn template(kind: String, locale: String) -> Result<TemplateView, AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let locale = self::locale(&locale).map_err(fail)?;
    service()?
        .template(&actor, &kind, locale)
        .await
        .map_err(fail)
}

/// Renders a draft with sample data.
#[server(endpoint = "console/preview_template")]
pub async fn preview_template(
    kind: String,
    locale: String,
    subject: String,
    body: String,
) -> Result<TemplatePreview, AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let locale = self::locale(&locale).map_err(fail)?;
    service()?
        .preview_template(&actor, &kind, locale, &subject, &body)
        .map_err(fail)
}

/// Saves a template after checking it.
#[server(endpoint = "console/save_template")]
pub async fn save_template(
    kind: String,
    locale: String,
    subject: String,
    body: String,
) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let locale = self::locale(&locale).map_err(fail)?;
    service()?
        .save_template(&actor, &kind, locale, &subject, &body)
        .await
        .map_err(fail)?;
    super::redirect_done(&back(&kind, locale, "saved"));
    Ok(())
}

/// Back to the default template.
#[server(endpoint = "console/reset_template")]
pub async fn reset_template(kind: String, locale: String) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let locale = self::locale(&locale).map_err(fail)?;
    service()?
        .reset_template(&actor, &kind, locale)
        .await
        .map_err(fail)?;
    super::redirect_done(&back(&kind, locale, "reset"));
    Ok(())
}

/// Queues the saved template with sample data to the signed-in staff member.
#[server(endpoint = "console/send_test_email")]
pub async fn send_test_email(kind: String, locale: String) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let locale = self::locale(&locale).map_err(fail)?;
    service()?
        .send_test_email(&actor, &kind, locale)
        .await
        .map_err(fail)?;
    super::redirect_done(&back(&kind, locale, "test_sent"));
    Ok(())
}
