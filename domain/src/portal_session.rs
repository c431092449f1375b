//! Portal sessions: a merchant's app sends a signed-in user straight into the portal with a
//! one-time URL (`POST /v1/portal_sessions`). The rules here: how long the URL lives, which
//! `return_url` the portal may link back to, and which page a `flow` opens.
use crate::SubscriptionId;
use crate::permissions::PortalPermission;
use chrono::{DateTime, TimeDelta, Utc};

/// Minutes a portal session's URL can be used (once) after it is made.
pub const PORTAL_SESSION_TTL_MINUTES: i64 = 5;

/// When a portal session made at `now` stops working.
pub fn portal_session_expires_at(now: DateTime<Utc>) -> DateTime<Utc> {
    now + TimeDelta::minutes(PORTAL_SESSION_TTL_MINUTES)
}

/// The merchant app's page that the portal's header links back to ("Back to {company}"):
/// an absolute `http` or `https` URL with a host. Anything else (`javascript:`, `data:`, a
/// relative or protocol-relative URL, credentials before the host, whitespace or control
/// characters) is refused, so the link can only ever lead to a web page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppReturnUrl(String);

/// Why a `return_url` is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AppReturnUrlError {
    /// Not `http://` or `https://`.
    #[error("the return URL must start with https:// or http://")]
    Scheme,
    /// No host, credentials in it, a backslash, or characters a URL cannot hold as typed.
    #[error("the return URL is not a plain web address")]
    Malformed,
    /// Longer than [`AppReturnUrl::MAX_LEN`].
    #[error("the return URL is too long")]
    TooLong,
}

impl AppReturnUrl {
    /// The longest accepted URL.
    pub const MAX_LEN: usize = 2048;

    /// Checks `raw` (see the type's rules).
    pub fn parse(raw: &str) -> Result<AppReturnUrl, AppReturnUrlError> {
        if raw.len() > Self::MAX_LEN {
            return Err(AppReturnUrlError::TooLong);
        }
        let lower = raw.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .ok_or(AppReturnUrlError::Scheme)?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = authority.rsplit_once(':').map_or(authority, |(h, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                h
            } else {
                authority
            }
        });
        let host_ok = !host.is_empty()
            && host.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'[' | b']' | b':')
            });
        if !host_ok || !raw.bytes().all(|b| b.is_ascii_graphic()) || raw.contains('\\') {
            return Err(AppReturnUrlError::Malformed);
        }
        Ok(AppReturnUrl(raw.to_owned()))
    }

    /// The URL as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One action a portal session opens directly, instead of the portal's overview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortalFlow {
    /// The payment-methods page: add a card, choose the default.
    PaymentMethodUpdate,
    /// The cancel page, for this one subscription.
    SubscriptionCancel(SubscriptionId),
    /// The invoices page.
    InvoiceHistory,
}

impl PortalFlow {
    /// The flow's name on the wire.
    pub fn kind(&self) -> &'static str {
        match self {
            PortalFlow::PaymentMethodUpdate => "payment_method_update",
            PortalFlow::SubscriptionCancel(_) => "subscription_cancel",
            PortalFlow::InvoiceHistory => "invoice_history",
        }
    }

    /// What the portal must let customers do for this flow to open.
    pub fn permission(&self) -> PortalPermission {
        match self {
            PortalFlow::PaymentMethodUpdate => PortalPermission::UpdatePaymentMethods,
            PortalFlow::SubscriptionCancel(_) => PortalPermission::CancelSubscription,
            PortalFlow::InvoiceHistory => PortalPermission::DownloadInvoices,
        }
    }

    /// The page it opens, below the portal's base path (`/portal/{key}`).
    pub fn path(&self, portal_base: &str) -> String {
        match self {
            PortalFlow::PaymentMethodUpdate => format!("{portal_base}/payment-methods"),
            PortalFlow::SubscriptionCancel(sub) => {
                format!("{portal_base}/cancel?subscription={}", sub.as_str())
            }
            PortalFlow::InvoiceHistory => format!("{portal_base}/invoices"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ReturnTo;

    #[test]
    fn return_urls_are_plain_web_addresses() {
        for good in [
            "https://app.example.com/account",
            "http://localhost:8080/settings?tab=billing#top",
            "HTTPS://Example.com",
            "https://[::1]:3000/x",
        ] {
            assert_eq!(
                AppReturnUrl::parse(good).map(|u| u.as_str().to_owned()),
                Ok(good.to_owned()),
                "{good}"
            );
        }
        for (bad, why) in [
            ("javascript:alert(1)", AppReturnUrlError::Scheme),
            (
                "JavaScript://example.com/%0aalert(1)",
                AppReturnUrlError::Scheme,
            ),
            ("data:text/html,hi", AppReturnUrlError::Scheme),
            ("//example.com/x", AppReturnUrlError::Scheme),
            ("/account", AppReturnUrlError::Scheme),
            ("ftp://example.com", AppReturnUrlError::Scheme),
            ("https://", AppReturnUrlError::Malformed),
            ("https:///path", AppReturnUrlError::Malformed),
            (
                "https://user:pw@evil.example/",
                AppReturnUrlError::Malformed,
            ),
            ("https://example.com/a b", AppReturnUrlError::Malformed),
            (
                "https://example.com\\@evil.example",
                AppReturnUrlError::Malformed,
            ),
            ("https://exa\tmple.com", AppReturnUrlError::Malformed),
        ] {
            assert_eq!(AppReturnUrl::parse(bad), Err(why), "{bad}");
        }
        let long = format!("https://example.com/{}", "a".repeat(2048));
        assert_eq!(AppReturnUrl::parse(&long), Err(AppReturnUrlError::TooLong));
    }

    #[test]
    fn flows_open_a_page_below_the_portal_that_a_sign_in_may_return_to() {
        let base = "/portal/abc";
        let sub = SubscriptionId::from_random([7; 10]);
        let cancel = format!("/portal/abc/cancel?subscription={sub}");
        for (flow, path, permission) in [
            (
                PortalFlow::PaymentMethodUpdate,
                "/portal/abc/payment-methods",
                PortalPermission::UpdatePaymentMethods,
            ),
            (
                PortalFlow::SubscriptionCancel(sub.clone()),
                cancel.as_str(),
                PortalPermission::CancelSubscription,
            ),
            (
                PortalFlow::InvoiceHistory,
                "/portal/abc/invoices",
                PortalPermission::DownloadInvoices,
            ),
        ] {
            assert_eq!(flow.path(base), path);
            assert_eq!(flow.permission(), permission);
            assert!(ReturnTo::parse(&flow.path(base), base).is_some(), "{path}");
        }
    }

    #[test]
    fn a_portal_session_lives_five_minutes() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        assert_eq!(portal_session_expires_at(now) - now, TimeDelta::minutes(5));
    }
}
