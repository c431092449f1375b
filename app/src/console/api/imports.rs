//! CSV imports: the page's list, one import, and its start. The upload itself is a plain
//! multipart route (`POST /admin/imports`), so it works without JavaScript.
use crate::console::dto::{ImportList, ImportView};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn import_id(raw: &str) -> Result<domain::ImportId, AppError> {
    domain::ImportId::parse(raw).map_err(|_| AppError::NotFound)
}

/// The organization's latest imports (owners, admins).
#[server(endpoint = "console/imports")]
pub async fn imports() -> Result<ImportList, AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let recent = service()?.recent_imports(&actor).await.map_err(fail)?;
    Ok(ImportList { recent })
}

/// One import with its problems and progress (owners, admins).
#[server(endpoint = "console/import")]
pub async fn one_import(id: String) -> Result<ImportView, AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let id = import_id(&id).map_err(fail)?;
    service()?.import(&actor, &id).await.map_err(fail)
}

/// Writes a checked import in the background; its page shows the progress (owners, admins).
#[server(endpoint = "console/start_import")]
pub async fn start_import(id: String) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let id = import_id(&id).map_err(fail)?;
    service()?.start_import(&actor, &id).await.map_err(fail)?;
    super::redirect_done(&format!("/admin/imports/{}?saved=started", id.as_str()));
    Ok(())
}
