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
    Router::new()
        .route("/portal/{key}/{asset}", get(logo))
        .route("/portal/{key}/invoices/{file}", get(invoice_pdf))
}

/// `GET /portal/{key}/invoices/{inv_…}.pdf`: the customer's own invoice as a PDF. Checks the
/// session (else to sign-in, coming back to the invoices), the permission (403) and
/// ownership (404, the same as an unknown id, so ids of others are not confirmed).
async fn invoice_pdf(
    State(state): State<AppState>,
    Path((key, file)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
) -> Response {
    use app::error::AppError;
    let Some(id) = file.strip_suffix(".pdf") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let jar = axum_extra::extract::CookieJar::from_headers(&headers);
    let customer = match jar.get(app::session::CUSTOMER_COOKIE) {
        Some(token) => state
            .portal
            .authenticate(&key, token.value())
            .await
            .map_err(AppError::from),
        None => Err(AppError::Unauthenticated),
    };
    let customer = match customer {
        Ok(c) => c,
        Err(AppError::Unauthenticated) => {
            let back = app::forms::encode(&format!("/portal/{key}/invoices"));
            let login = format!(
                "/portal/{}/login?return_to={back}",
                app::forms::encode(&key)
            );
            return (StatusCode::SEE_OTHER, [(header::LOCATION, login)]).into_response();
        }
        Err(_) => return StatusCode::NOT_FOUND.into_response(),
    };
    // The service checks the permission (403) and ownership (404).
    match state
        .portal
        .invoice_pdf(&customer, &key, id)
        .await
        .map_err(AppError::from)
    {
        Ok(pdf) => super::download::invoice_pdf(&pdf.number, pdf.bytes),
        Err(AppError::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `GET /portal/{key}/logo-{hash}.png`: the logo under a content-hash URL, cached for a
/// year (a new logo gets a new URL, so a plain reload always shows the saved branding).
async fn logo(
    State(state): State<AppState>,
    Path((key, asset)): Path<(String, String)>,
) -> Response {
    let Some(hash) = super::download::logo_hash(&asset) else {
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
            super::download::logo_png(a.bytes, true)
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}
