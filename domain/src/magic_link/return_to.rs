//! Where to send a customer after sign-in, without becoming an open redirect.

/// A safe place to send the customer after sign-in: a relative path inside their portal.
///
/// The sign-in page carries it through the magic link (the "deep link survives sign-in"
/// step of the scenario); parsing it here is what keeps that from being an open redirect.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReturnTo(String);

impl ReturnTo {
    /// The longest accepted path: longer ones are not ours and bloat the link.
    pub const MAX_LEN: usize = 512;

    /// Accepts `raw` only if it is `portal_base` itself or a path below it
    /// (`portal_base` + `/`…), e.g. base `/portal/abc` accepts `/portal/abc/payment-methods`.
    ///
    /// Rejects `//` anywhere (protocol-relative URLs), backslashes (browsers treat them as
    /// slashes), anything not printable ASCII (whitespace and control characters included),
    /// `.`/`..` segments and their encoded forms, encoded slashes and backslashes
    /// (`%2f`, `%5c`), encoded control characters, and more than 512 characters.
    /// Returns `None` rather than an error: a bad value just means "go to the portal home".
    pub fn parse(raw: &str, portal_base: &str) -> Option<ReturnTo> {
        if raw.len() > Self::MAX_LEN || !is_safe_path(portal_base) || !is_safe_path(raw) {
            return None;
        }
        let below_base = raw
            .strip_prefix(portal_base)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
        if !below_base || portal_base.ends_with('/') {
            return None;
        }
        Some(ReturnTo(raw.to_owned()))
    }

    /// The path, ready for a `Location` header.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_safe_path(path: &str) -> bool {
    if !path.starts_with('/')
        || path.contains("//")
        || !path.bytes().all(|b| b.is_ascii_graphic())
        || path.contains('\\')
    {
        return false;
    }
    let lower = path.to_ascii_lowercase();
    const ENCODED: [&str; 6] = ["%2f", "%5c", "%2e", "%0", "%1", "%7f"];
    if ENCODED.iter().any(|e| lower.contains(e)) {
        return false;
    }
    let path_only = path.split(['?', '#']).next().unwrap_or_default();
    !path_only.split('/').any(|seg| seg == "." || seg == "..")
}

impl core::fmt::Display for ReturnTo {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_return_to() {
        let base = "/portal/abc";
        let max = format!("/portal/abc/{}", "a".repeat(500));
        let long = format!("{max}a");
        let cases: &[(&str, bool)] = &[
            ("/portal/abc", true),
            ("/portal/abc/", true),
            ("/portal/abc/payment-methods", true),
            ("/portal/abc/invoices?page=2#top", true),
            ("/portal/abc/invoices/inv_aaaaaaaaaaaaaaaa", true),
            ("/portal/abcd", false),
            ("/portal/ab", false),
            ("/portal/other/payment-methods", false),
            ("/admin", false),
            ("", false),
            ("portal/abc", false),
            ("//evil.example/portal/abc", false),
            ("/portal/abc//evil.example", false),
            ("https://evil.example/portal/abc", false),
            ("javascript:alert(1)", false),
            ("/portal/abc\\..\\admin", false),
            ("/\\evil.example", false),
            ("/portal/abc/../../admin", false),
            ("/portal/abc/./x", false),
            ("/portal/abc/..", false),
            ("/portal/abc/%2e%2e/admin", false),
            ("/portal/abc/%2fevil.example", false),
            ("/portal/abc/%2Fevil.example", false),
            ("/portal/abc/%5cevil", false),
            ("/portal/abc/%0d%0aSet-Cookie:x", false),
            ("/portal/abc/\r\nSet-Cookie: x", false),
            ("/portal/abc/ x", false),
            ("/portal/abc/\tx", false),
            ("/portal/abc/è", false),
            ("/portal/abc/a..b", true),
            (&max, true),
            (&long, false),
        ];
        for (raw, ok) in cases {
            let got = ReturnTo::parse(raw, base);
            assert_eq!(got.is_some(), *ok, "raw {raw:?}");
            if let Some(r) = got {
                assert_eq!(r.as_str(), *raw);
            }
        }
        // A malformed base accepts nothing.
        for bad_base in ["", "/", "portal/abc", "/portal/abc/", "//portal"] {
            assert_eq!(
                ReturnTo::parse("/portal/abc/x", bad_base),
                None,
                "base {bad_base:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn accepted_return_to_stays_inside_the_portal(raw in "[/a-z.%\\\\:?#2ef]{0,24}") {
            let raw = format!("/portal/abc{raw}");
            if let Some(r) = ReturnTo::parse(&raw, "/portal/abc") {
                let s = r.as_str();
                prop_assert!(s == "/portal/abc" || s.starts_with("/portal/abc/"));
                prop_assert!(!s.contains("//") && !s.contains('\\'));
                let path = s.split(['?', '#']).next().unwrap();
                prop_assert!(!path.split('/').any(|seg| seg == ".."));
                prop_assert!(!s.to_ascii_lowercase().contains("%2f"));
            }
        }
    }
}
