//! Webhooks: the rules of delivering events to a merchant's endpoints. Which addresses an
//! endpoint may have (https, never an internal address), which events it hears, when a
//! failed delivery is tried again, and when a failing endpoint is switched off.
use crate::EventKind;
use crate::portal_session::AppReturnUrl;
use chrono::{DateTime, TimeDelta, Utc};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Seconds a receiver has to answer one delivery.
pub const WEBHOOK_TIMEOUT_SECS: u64 = 10;
/// Bytes of a receiver's answer kept in the delivery log.
pub const WEBHOOK_RESPONSE_KEEP_BYTES: usize = 1024 * 1024;
/// Days of failures after which an endpoint is disabled.
pub const WEBHOOK_DISABLE_AFTER_DAYS: i64 = 5;
/// Endpoints one organization may have.
pub const WEBHOOK_MAX_ENDPOINTS: usize = 16;

/// The waits between tries of one delivery, after the first try fails: 5 s, 5 min, 30 min,
/// 2 h, 5 h, then every 10 h, until three days have passed since the first try.
const RETRY_DELAYS_SECS: [i64; 12] = [
    5,
    5 * 60,
    30 * 60,
    2 * 3600,
    5 * 3600,
    10 * 3600,
    10 * 3600,
    10 * 3600,
    10 * 3600,
    10 * 3600,
    10 * 3600,
    10 * 3600,
];

/// The wait before the next try, once `tries` tries of a delivery have failed; `None` when
/// the schedule (three days) is over and the delivery is given up.
pub fn webhook_retry_delay(tries: u32) -> Option<TimeDelta> {
    let index = usize::try_from(tries).ok()?.checked_sub(1)?;
    RETRY_DELAYS_SECS
        .get(index)
        .map(|secs| TimeDelta::seconds(*secs))
}

/// Whether a receiver's status code means "delivered".
pub fn webhook_delivered(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Whether an endpoint failing since `failing_since` is disabled at `now`.
pub fn webhook_endpoint_exhausted(failing_since: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - failing_since >= TimeDelta::days(WEBHOOK_DISABLE_AFTER_DAYS)
}

/// Whether an address belongs to this machine, a private network, link-local space (where
/// cloud metadata services answer) or is otherwise not a public internet host. Webhooks are
/// never sent there (server-side request forgery), unless tests allow it.
pub fn is_internal_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_internal_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_internal_v4(v4);
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local, incl. fd00:ec2::254
                || (first & 0xffc0) == 0xfe80 // link-local
                || (first & 0xffc0) == 0xfec0 // site-local (deprecated)
                || v6 == Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, 0xa9fe, 0xa9fe) // NAT64 metadata
                || (first == 0x2001 && v6.segments()[1] == 0x0db8) // documentation
        }
    }
}

fn is_internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT
        || (a == 192 && b == 0 && ip.octets()[2] == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240
}

/// An endpoint's address: a plain `https` web address (or `http` where insecure targets are
/// allowed, for tests), whose host is not a literal internal address nor `localhost`. Names
/// are resolved again at every delivery and refused if any address is internal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrl(String);

/// Why an endpoint address is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WebhookUrlError {
    /// Not a plain web address.
    #[error("the endpoint must be a plain web address")]
    Malformed,
    /// `http://` where only `https://` is allowed.
    #[error("the endpoint must start with https://")]
    NotHttps,
    /// A loopback, private, link-local or metadata address.
    #[error("the endpoint must be a public address")]
    Internal,
}

impl WebhookUrl {
    /// Checks `raw`; `allow_insecure` (tests only) accepts `http` and internal hosts.
    pub fn parse(raw: &str, allow_insecure: bool) -> Result<WebhookUrl, WebhookUrlError> {
        let raw = raw.trim();
        let shape = AppReturnUrl::parse(raw).map_err(|_| WebhookUrlError::Malformed)?;
        let url = shape.as_str();
        if url.contains('#') {
            return Err(WebhookUrlError::Malformed);
        }
        if allow_insecure {
            return Ok(WebhookUrl(url.to_owned()));
        }
        if !url.to_ascii_lowercase().starts_with("https://") {
            return Err(WebhookUrlError::NotHttps);
        }
        let host = Self::host_of(url);
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let lower = host.to_ascii_lowercase();
        if lower == "localhost" || lower.ends_with(".localhost") || lower.ends_with(".internal") {
            return Err(WebhookUrlError::Internal);
        }
        if let Ok(ip) = host.parse::<IpAddr>()
            && is_internal_address(ip)
        {
            return Err(WebhookUrlError::Internal);
        }
        Ok(WebhookUrl(url.to_owned()))
    }

    /// A stored address, already checked when it was saved.
    pub fn from_stored(raw: &str) -> WebhookUrl {
        WebhookUrl(raw.to_owned())
    }

    fn host_of(url: &str) -> &str {
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let authority = rest.split(['/', '?']).next().unwrap_or_default();
        if let Some(v6) = authority.strip_prefix('[') {
            return v6.split(']').next().unwrap_or_default();
        }
        authority
            .rsplit_once(':')
            .map_or(authority, |(host, _port)| host)
    }

    /// The host, without brackets or port.
    pub fn host(&self) -> &str {
        Self::host_of(&self.0)
    }

    /// The address as saved.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Which events an endpoint hears: all, or the listed kinds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventFilter {
    /// Every kind, including kinds added later.
    All,
    /// These kinds only (never empty).
    Only(Vec<EventKind>),
}

/// Why an event filter is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventFilterError {
    /// A name that is no event kind.
    #[error("`{0}` is not an event type")]
    Unknown(String),
}

impl EventFilter {
    /// From the kinds' names; none (or `*`) means all.
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, EventFilterError> {
        let mut kinds = Vec::new();
        for name in names.into_iter().map(str::trim).filter(|n| !n.is_empty()) {
            if name == "*" {
                return Ok(EventFilter::All);
            }
            let kind =
                EventKind::parse(name).map_err(|_| EventFilterError::Unknown(name.to_owned()))?;
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        kinds.sort_by_key(|k| k.as_str());
        Ok(if kinds.is_empty() {
            EventFilter::All
        } else {
            EventFilter::Only(kinds)
        })
    }

    /// The stored form: `*` or the names, comma-separated.
    pub fn to_stored(&self) -> String {
        match self {
            EventFilter::All => "*".into(),
            EventFilter::Only(kinds) => kinds
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(","),
        }
    }

    /// Reads the stored form back (unknown names, from a later version, are skipped).
    pub fn from_stored(stored: &str) -> EventFilter {
        if stored.trim() == "*" {
            return EventFilter::All;
        }
        let kinds: Vec<EventKind> = stored
            .split(',')
            .filter_map(|n| EventKind::parse(n.trim()).ok())
            .collect();
        if kinds.is_empty() {
            EventFilter::All
        } else {
            EventFilter::Only(kinds)
        }
    }

    /// Whether the endpoint hears `kind`.
    pub fn matches(&self, kind: EventKind) -> bool {
        match self {
            EventFilter::All => true,
            EventFilter::Only(kinds) => kinds.contains(&kind),
        }
    }
}

string_enum! {
    /// Where one delivery of an event to an endpoint stands.
    pub enum DeliveryStatus {
        /// Waiting for its first or next try.
        Pending => "pending",
        /// The receiver answered 2xx.
        Succeeded => "succeeded",
        /// Every try failed; only a replay sends it again.
        Failed => "failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_for_three_days_then_stop() {
        assert_eq!(webhook_retry_delay(0), None);
        assert_eq!(webhook_retry_delay(1), Some(TimeDelta::seconds(5)));
        assert_eq!(webhook_retry_delay(2), Some(TimeDelta::minutes(5)));
        assert_eq!(webhook_retry_delay(6), Some(TimeDelta::hours(10)));
        let total: TimeDelta = (1..)
            .map_while(webhook_retry_delay)
            .fold(TimeDelta::zero(), |a, d| a + d);
        assert!(total >= TimeDelta::days(3), "{total}");
        assert!(total < TimeDelta::days(4), "{total}");
        let mut last = TimeDelta::zero();
        for delay in (1..).map_while(webhook_retry_delay) {
            assert!(delay >= last);
            last = delay;
        }
    }

    #[test]
    fn only_2xx_is_delivered() {
        assert!(webhook_delivered(200) && webhook_delivered(204));
        for status in [199, 301, 400, 410, 500] {
            assert!(!webhook_delivered(status), "{status}");
        }
    }

    #[test]
    fn an_endpoint_is_disabled_after_five_days_of_failures() {
        let since = DateTime::from_timestamp(1_700_000_000, 0).expect("time");
        assert!(!webhook_endpoint_exhausted(
            since,
            since + TimeDelta::days(4)
        ));
        assert!(webhook_endpoint_exhausted(
            since,
            since + TimeDelta::days(5)
        ));
    }

    #[test]
    fn internal_addresses_are_refused() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "::",
            "fd00:ec2::254",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "224.0.0.1",
        ] {
            assert!(is_internal_address(ip.parse().expect("ip")), "{ip}");
        }
        for ip in ["93.184.216.34", "1.1.1.1", "2606:4700::1111"] {
            assert!(!is_internal_address(ip.parse().expect("ip")), "{ip}");
        }
    }

    #[test]
    fn endpoints_are_public_https_addresses() {
        for good in [
            "https://hooks.example.com/dunwell",
            "https://example.com:8443/x?y=1",
        ] {
            assert_eq!(
                WebhookUrl::parse(good, false).map(|u| u.as_str().to_owned()),
                Ok(good.to_owned())
            );
        }
        for (bad, why) in [
            ("http://hooks.example.com", WebhookUrlError::NotHttps),
            ("https://localhost/x", WebhookUrlError::Internal),
            ("https://127.0.0.1/x", WebhookUrlError::Internal),
            ("https://169.254.169.254/latest", WebhookUrlError::Internal),
            ("https://[::1]:8080/x", WebhookUrlError::Internal),
            ("https://10.0.0.5", WebhookUrlError::Internal),
            (
                "https://metadata.google.internal/",
                WebhookUrlError::Internal,
            ),
            ("javascript:alert(1)", WebhookUrlError::Malformed),
            ("https://user:pw@example.com/", WebhookUrlError::Malformed),
            ("https://example.com/#frag", WebhookUrlError::Malformed),
            ("ftp://example.com", WebhookUrlError::Malformed),
        ] {
            assert_eq!(WebhookUrl::parse(bad, false), Err(why), "{bad}");
        }
        assert!(WebhookUrl::parse("http://127.0.0.1:9000/hook", true).is_ok());
        assert_eq!(
            WebhookUrl::parse("https://example.com:8443/x", false)
                .expect("url")
                .host(),
            "example.com"
        );
        assert_eq!(
            WebhookUrl::parse("http://[::1]:8/x", true)
                .expect("url")
                .host(),
            "::1"
        );
    }

    #[test]
    fn filters_name_known_kinds_and_round_trip() {
        assert_eq!(EventFilter::parse([]), Ok(EventFilter::All));
        assert_eq!(
            EventFilter::parse(["*", "customer.created"]),
            Ok(EventFilter::All)
        );
        let only =
            EventFilter::parse(["subscription.recovered", "customer.created"]).expect("filter");
        assert!(only.matches(EventKind::SubscriptionRecovered));
        assert!(!only.matches(EventKind::InvoicePaid));
        assert_eq!(only.to_stored(), "customer.created,subscription.recovered");
        assert_eq!(EventFilter::from_stored(&only.to_stored()), only);
        assert_eq!(EventFilter::from_stored("*"), EventFilter::All);
        assert_eq!(
            EventFilter::parse(["customer.deleted"]),
            Err(EventFilterError::Unknown("customer.deleted".into()))
        );
    }
}
