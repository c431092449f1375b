//! Request and response plumbing for server functions: cookies and the client address.
//! Server only; the browser never sees session tokens (the cookies are HttpOnly).

/// The staff session cookie (console).
pub const STAFF_COOKIE: &str = "dw_staff";
/// The customer session cookie (portal), scoped to one portal's path.
pub const CUSTOMER_COOKIE: &str = "dw_customer";

/// A cookie's value from the current request.
#[cfg(feature = "ssr")]
pub fn read_cookie(name: &str) -> Option<String> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    let jar = axum_extra::extract::CookieJar::from_headers(&parts.headers);
    jar.get(name).map(|c| c.value().to_owned())
}

/// Whether the current request came over https, directly or through a proxy that says so
/// (session cookies then get `Secure`).
#[cfg(feature = "ssr")]
pub fn is_https() -> bool {
    leptos::prelude::use_context::<http::request::Parts>().is_some_and(|p| {
        p.uri.scheme_str() == Some("https")
            || p.headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                == Some("https")
    })
}

/// Adds a `Set-Cookie` header to the response.
#[cfg(feature = "ssr")]
pub fn set_cookie(cookie: &str) {
    if let (Some(res), Ok(value)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(cookie),
    ) {
        res.append_header(http::header::SET_COOKIE, value);
    }
}

/// Builds a session cookie: HttpOnly, SameSite=Lax (Strict would drop the cookie on
/// the magic-link landing from an email), Secure on https.
pub fn session_cookie(
    name: &str,
    value: &str,
    path: &str,
    max_age_secs: i64,
    secure: bool,
) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path={path}; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{secure}")
}

/// A cookie that deletes `name` at `path`.
pub fn clear_cookie(name: &str, path: &str) -> String {
    format!("{name}=; Path={path}; Max-Age=0; HttpOnly; SameSite=Lax")
}

/// The client's address (for per-IP rate limits), from the connection.
#[cfg(feature = "ssr")]
pub fn client_ip() -> Option<std::net::IpAddr> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_cookies_are_http_only_and_lax() {
        let c = session_cookie(STAFF_COOKIE, "tok", "/admin", 60, true);
        assert_eq!(
            c,
            "dw_staff=tok; Path=/admin; Max-Age=60; HttpOnly; SameSite=Lax; Secure"
        );
        assert!(clear_cookie(CUSTOMER_COOKIE, "/portal/k").contains("Max-Age=0"));
    }
}
