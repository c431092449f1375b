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
        .route("/portal/{key}/session", get(app_session))
}

/// `GET /portal/{key}/session?token=…`: the URL a merchant's app got from
/// `POST /v1/portal_sessions`. Signs the customer in (once, within five minutes), sets the
/// session and language cookies as the verify page's sign-in does, and lands on the session's
/// page. A used, expired or unknown token goes to the verify page, which says which it is and
/// offers a new link by email.
async fn app_session(
    State(state): State<AppState>,
    Path(key): Path<String>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
    headers: axum::http::HeaderMap,
) -> Response {
    use app::session::{CUSTOMER_COOKIE, session_cookie};
    let token = query.get("token").map(String::as_str).unwrap_or_default();
    let jar = axum_extra::extract::CookieJar::from_headers(&headers);
    let previous = jar.get(CUSTOMER_COOKIE).map(|c| c.value().to_owned());
    let signed = match state
        .portal
        .open_app_session(&key, token, previous.as_deref())
        .await
    {
        Ok(signed) => signed,
        Err(service::portal::PortalError::LinkRefused) => {
            let verify = format!(
                "/portal/{}/login/verify?token={}",
                app::forms::encode(&key),
                app::forms::encode(token)
            );
            return see_other(&verify, Vec::new());
        }
        // The portal's own page says it is unavailable, with its status.
        Err(
            service::portal::PortalError::Disabled | service::portal::PortalError::UnknownPortal,
        ) => return see_other(&format!("/portal/{}", app::forms::encode(&key)), Vec::new()),
        Err(err) => {
            let status = app::error::AppError::from(err).status();
            return StatusCode::from_u16(status)
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
                .into_response();
        }
    };
    // As the verify page's sign-in decides it: https directly or through a proxy that says so.
    let secure = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        == Some("https");
    let mut cookies: Vec<String> = app::portal::api::server::cookie_paths(&key)
        .iter()
        .map(|path| {
            session_cookie(
                CUSTOMER_COOKIE,
                &signed.session_token,
                path,
                signed.max_age_secs,
                secure,
            )
        })
        .collect();
    cookies.push(format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        app::LOCALE_COOKIE,
        signed.locale
    ));
    see_other(&signed.return_to, cookies)
}

/// A 303 to `location` setting `cookies`; never cached (the answer signs someone in).
fn see_other(location: &str, cookies: Vec<String>) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    let headers = res.headers_mut();
    if let Ok(v) = header::HeaderValue::from_str(location) {
        headers.insert(header::LOCATION, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("no-referrer"),
    );
    for cookie in cookies {
        if let Ok(v) = header::HeaderValue::from_str(&cookie) {
            headers.append(header::SET_COOKIE, v);
        }
    }
    res
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
