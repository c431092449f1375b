//! Response headers every page gets, the locale switch, request spans and metrics.
use crate::state::AppState;
use axum::extract::{MatchedPath, Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::time::Instant;

use app::csp::DEFAULT_CSP;

/// Adds the security headers and the cache policy.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(DEFAULT_CSP));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // A route may ask for less (the portal session's sign-in redirect: `no-referrer`).
    h.entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("strict-origin-when-cross-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if state.config.public_url.is_https() {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    let pkg = format!("/{}/", state.leptos_options.site_pkg_dir);
    if !h.contains_key(header::CACHE_CONTROL) {
        let policy = if path.starts_with(&pkg) && state.leptos_options.hash_files {
            // File names carry a content hash: a new build gets new names.
            "public, max-age=31536000, immutable"
        } else if path.starts_with(&pkg) || path == "/favicon.ico" {
            "public, max-age=300, must-revalidate"
        } else {
            "no-store"
        };
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    res
}

#[derive(Deserialize)]
pub struct Back {
    back: Option<String>,
}

/// `GET /locale/{lang}?back=/path`: remembers the language in the cookie leptos_i18n
/// reads, then returns to the page. Works without JavaScript.
pub async fn switch_locale(Path(lang): Path<String>, Query(q): Query<Back>) -> Response {
    let Ok(locale) = domain::Locale::parse(&lang) else {
        return (StatusCode::BAD_REQUEST, "unknown language").into_response();
    };
    let back = q
        .back
        .filter(|b| is_local_path(b))
        .unwrap_or_else(|| "/".into());
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        app::LOCALE_COOKIE,
        locale.as_str()
    );
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

/// Only same-site paths: no scheme, no `//host`, no backslashes.
fn is_local_path(p: &str) -> bool {
    p.starts_with('/')
        && !p.starts_with("//")
        && !p.contains('\\')
        && !p.chars().any(char::is_control)
        && p.len() <= 512
}

/// One span per request, carrying the request id.
pub fn make_span(req: &Request) -> tracing::Span {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
}

/// Counts requests and their latency by route and status.
pub async fn record_metrics(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "other".into());
    let method = req.method().to_string();
    let start = Instant::now();
    let res = next.run(req).await;
    let status = res.status().as_u16().to_string();
    metrics::counter!("http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status).increment(1);
    metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route)
        .record(start.elapsed().as_secs_f64());
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_links_stay_on_site() {
        assert!(is_local_path("/admin"));
        for bad in ["//evil.example", "https://evil.example", "/\\evil", "admin"] {
            assert!(!is_local_path(bad), "{bad}");
        }
    }
}
