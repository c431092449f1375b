//! The Content-Security-Policy. Pages allow exactly their own inline hydration script by
//! its nonce; everything else gets the default, which allows no inline script at all.

/// The policy for responses that are not pages (files, JSON, errors).
pub const DEFAULT_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The policy for a page whose inline scripts and style elements carry `nonce` (the
/// portal's brand colours are one such style element).
pub fn page_csp(nonce: &str) -> String {
    DEFAULT_CSP
        .replacen(
            "script-src 'self'",
            &format!("script-src 'self' 'nonce-{nonce}'"),
            1,
        )
        .replacen(
            "style-src 'self';",
            &format!("style-src 'self' 'nonce-{nonce}';"),
            1,
        )
}

/// Sets the page's policy as a response header (the nonce is provided per request).
#[cfg(feature = "ssr")]
pub fn set_page_policy() {
    use leptos::prelude::use_context;
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(value) = http::HeaderValue::from_str(&page_csp(&nonce.to_string()))
    {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_nonce_unlocks_inline_scripts() {
        let csp = page_csp("n0nce");
        assert!(csp.contains("script-src 'self' 'nonce-n0nce' 'wasm-unsafe-eval';"));
        assert!(!DEFAULT_CSP.contains("nonce"));
        let script_src = csp
            .split(';')
            .find(|d| d.trim_start().starts_with("script-src"))
            .unwrap();
        assert!(!script_src.contains("unsafe-inline"));
        assert!(csp.contains("style-src 'self' 'nonce-n0nce';"));
        assert!(csp.contains("frame-ancestors 'none'"));
    }
}
