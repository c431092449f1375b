//! Plain HTTP routes of the portal that are not server functions (brand assets, invoice
//! PDFs). Merged into the main router by `http::router`.
use crate::entity::{brand_asset, portal_settings};
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// The portal's extra routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/portal/{key}/{asset}", get(logo))
}

/// `GET /portal/{key}/logo-{hash}.png`: the logo under a content-hash URL, cached for a
/// year (a new logo gets a new URL, so a plain reload always shows the saved branding).
async fn logo(
    State(state): State<AppState>,
    Path((key, asset)): Path<(String, String)>,
) -> Response {
    let Some(hash) = asset
        .strip_prefix("logo-")
        .and_then(|a| a.strip_suffix(".png"))
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(key) = domain::PortalKey::parse(&key) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let settings = portal_settings::Entity::find()
        .filter(portal_settings::Column::PortalKey.eq(key.as_str()))
        .one(&state.db)
        .await;
    let Ok(Some(settings)) = settings else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some(asset_id) = settings.logo_asset_id.filter(|_| settings.enabled) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match brand_asset::Entity::find_by_id(asset_id)
        .one(&state.db)
        .await
    {
        Ok(Some(a))
            if a.organization_id == settings.organization_id
                && a.content_hash.starts_with(hash)
                && hash.len() >= 16 =>
        {
            (
                [
                    (header::CONTENT_TYPE, "image/png"),
                    (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
                ],
                a.bytes,
            )
                .into_response()
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}
