//! Rules of the merchant API (`/v1`): what an API key's secret looks like before any
//! database is asked, the page size of a list, an `Idempotency-Key`, and each key's request
//! rate.
use chrono::{DateTime, TimeDelta, Utc};

/// Every secret API key starts with this, so a leaked one is recognisable (secret scanners
/// match it) and a publishable or foreign key is refused before a lookup.
pub const API_KEY_PREFIX: &str = "dw_sk_";

/// Characters after the prefix: 32 random bytes in unpadded base64url.
pub const API_KEY_BODY_LEN: usize = 43;

/// Why a bearer value cannot be one of our API keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ApiKeySecretError {
    /// It does not start with [`API_KEY_PREFIX`].
    #[error("not a secret API key")]
    WrongPrefix,
    /// The part after the prefix has the wrong length or a character outside base64url.
    #[error("malformed API key")]
    Malformed,
}

/// Checks the shape of a presented secret (prefix, length, alphabet). A key of the right
/// shape may still be unknown or revoked: that takes the database.
pub fn check_api_key_secret(raw: &str) -> Result<(), ApiKeySecretError> {
    let body = raw
        .strip_prefix(API_KEY_PREFIX)
        .ok_or(ApiKeySecretError::WrongPrefix)?;
    let base64url = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    if body.len() == API_KEY_BODY_LEN && body.bytes().all(base64url) {
        Ok(())
    } else {
        Err(ApiKeySecretError::Malformed)
    }
}

/// How many objects one page of a list holds: 1 to [`PageLimit::MAX`], [`PageLimit::DEFAULT`]
/// when the caller names none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLimit(u64);

/// Why a `limit` was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PageLimitError {
    /// Not a whole number.
    #[error("the limit is not a number")]
    NotANumber,
    /// Below 1 or above [`PageLimit::MAX`].
    #[error("the limit is out of range")]
    OutOfRange,
}

impl PageLimit {
    /// The most objects a page holds.
    pub const MAX: u64 = 100;
    /// A page's size when the caller names none.
    pub const DEFAULT: u64 = 10;

    /// Parses a `limit` query value; `None` is the default.
    pub fn parse(raw: Option<&str>) -> Result<Self, PageLimitError> {
        let Some(raw) = raw else {
            return Ok(Self(Self::DEFAULT));
        };
        let n: u64 = raw.trim().parse().map_err(|_| PageLimitError::NotANumber)?;
        if (1..=Self::MAX).contains(&n) {
            Ok(Self(n))
        } else {
            Err(PageLimitError::OutOfRange)
        }
    }

    /// The number of objects.
    pub fn get(self) -> u64 {
        self.0
    }
}

/// An `Idempotency-Key` header: 1 to 255 visible ASCII characters (a UUID fits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

/// Why an `Idempotency-Key` was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an idempotency key is 1 to 255 visible ASCII characters")]
pub struct IdempotencyKeyError;

impl IdempotencyKey {
    /// The longest key accepted.
    pub const MAX_LEN: usize = 255;
    /// How long a key's first answer is kept and replayed. A key whose first request never
    /// answered (the process stopped mid-way, so whether it wrote is unknown) stays in use
    /// as long: it is never run a second time.
    pub const KEPT: TimeDelta = TimeDelta::hours(24);

    /// Checks a header's value.
    pub fn parse(raw: &str) -> Result<Self, IdempotencyKeyError> {
        let ok =
            (1..=Self::MAX_LEN).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_graphic());
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(IdempotencyKeyError)
        }
    }

    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a request with an `Idempotency-Key` finds stored under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdempotencySeen {
    /// The same request, answered: replay the answer.
    Answered,
    /// The same request, still running (or stopped without an answer): refuse this one
    /// (409) so the two never both act.
    Running,
    /// Another request (method, path or body) under the same key: refuse (409).
    OtherRequest,
    /// Expired: the key is free again.
    Free,
}

/// Decides what a stored key means for a new request with `fingerprint`, at `now`.
pub fn idempotency_seen(
    stored_fingerprint: &str,
    answered: bool,
    created_at: DateTime<Utc>,
    fingerprint: &str,
    now: DateTime<Utc>,
) -> IdempotencySeen {
    if now - created_at >= IdempotencyKey::KEPT {
        return IdempotencySeen::Free;
    }
    match (stored_fingerprint == fingerprint, answered) {
        (false, _) => IdempotencySeen::OtherRequest,
        (true, true) => IdempotencySeen::Answered,
        (true, false) => IdempotencySeen::Running,
    }
}

/// Each API key's request rate: a bucket of `burst` requests, refilled at `per_second`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestRate {
    /// Sustained requests per second.
    pub per_second: u32,
    /// Requests that may come at once.
    pub burst: u32,
}

impl Default for RequestRate {
    fn default() -> Self {
        Self {
            per_second: 100,
            burst: 200,
        }
    }
}

/// A key's bucket: the requests left, as of `at`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    left: f64,
    at: DateTime<Utc>,
}

impl RequestRate {
    /// Takes one request from `bucket` (a full one when `None`): the bucket after, or how
    /// long until a request is allowed (whole seconds, at least one: `Retry-After`).
    pub fn take(&self, bucket: Option<Bucket>, now: DateTime<Utc>) -> Result<Bucket, u64> {
        let full = f64::from(self.burst.max(1));
        let rate = f64::from(self.per_second.max(1));
        let left = bucket.map_or(full, |b| {
            let elapsed = (now - b.at).num_milliseconds().max(0) as f64 / 1000.0;
            (b.left + elapsed * rate).min(full)
        });
        if left >= 1.0 {
            Ok(Bucket {
                left: left - 1.0,
                at: now,
            })
        } else {
            Err(((1.0 - left) / rate).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn api_key_secrets_have_one_shape() {
        let good = format!("dw_sk_{}", "a".repeat(API_KEY_BODY_LEN));
        let cases: &[(&str, Result<(), ApiKeySecretError>)] = &[
            (&good, Ok(())),
            ("sk_test_123", Err(ApiKeySecretError::WrongPrefix)),
            ("", Err(ApiKeySecretError::WrongPrefix)),
            ("DW_SK_aaaa", Err(ApiKeySecretError::WrongPrefix)),
            ("dw_sk_", Err(ApiKeySecretError::Malformed)),
            ("dw_sk_short", Err(ApiKeySecretError::Malformed)),
        ];
        for (raw, want) in cases {
            assert_eq!(check_api_key_secret(raw), *want, "{raw:?}");
        }
        let with_space = format!("dw_sk_{} {}", "a".repeat(21), "b".repeat(21));
        assert_eq!(
            check_api_key_secret(&with_space),
            Err(ApiKeySecretError::Malformed)
        );
        let too_long = format!("{good}a");
        assert_eq!(
            check_api_key_secret(&too_long),
            Err(ApiKeySecretError::Malformed)
        );
    }

    #[test]
    fn page_limits_are_one_to_a_hundred() {
        assert_eq!(PageLimit::parse(None).unwrap().get(), PageLimit::DEFAULT);
        assert_eq!(PageLimit::parse(Some("1")).unwrap().get(), 1);
        assert_eq!(PageLimit::parse(Some("100")).unwrap().get(), 100);
        assert_eq!(PageLimit::parse(Some("0")), Err(PageLimitError::OutOfRange));
        assert_eq!(
            PageLimit::parse(Some("101")),
            Err(PageLimitError::OutOfRange)
        );
        assert_eq!(
            PageLimit::parse(Some("-1")),
            Err(PageLimitError::NotANumber)
        );
        assert_eq!(
            PageLimit::parse(Some("ten")),
            Err(PageLimitError::NotANumber)
        );
    }

    #[test]
    fn idempotency_keys_are_visible_ascii() {
        assert!(IdempotencyKey::parse("5f0c9a1e-8d2b-4c1e-9a7f-1b2c3d4e5f60").is_ok());
        assert!(IdempotencyKey::parse("").is_err());
        assert!(IdempotencyKey::parse("with space").is_err());
        assert!(IdempotencyKey::parse("caffè").is_err());
        assert!(IdempotencyKey::parse(&"k".repeat(255)).is_ok());
        assert!(IdempotencyKey::parse(&"k".repeat(256)).is_err());
    }

    #[test]
    fn a_stored_key_replays_refuses_or_frees() {
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let s = |secs: i64| t0 + TimeDelta::seconds(secs);
        use IdempotencySeen::*;
        let cases = [
            ("a", true, s(0), "a", s(5), Answered),
            ("a", false, s(0), "a", s(5), Running),
            ("a", true, s(0), "b", s(5), OtherRequest),
            ("a", false, s(0), "b", s(5), OtherRequest),
            ("a", false, s(0), "a", s(3_600), Running),
            ("a", false, s(0), "a", s(86_400), Free),
            ("a", true, s(0), "a", s(86_399), Answered),
            ("a", true, s(0), "b", s(86_400), Free),
        ];
        for (stored, answered, at, fp, now, want) in cases {
            assert_eq!(
                idempotency_seen(stored, answered, at, fp, now),
                want,
                "{stored} {answered} {fp} {now}"
            );
        }
    }

    #[test]
    fn a_bucket_allows_its_burst_then_refills_at_the_rate() {
        let rate = RequestRate {
            per_second: 2,
            burst: 3,
        };
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let mut bucket = None;
        for _ in 0..3 {
            bucket = Some(rate.take(bucket, t0).expect("within the burst"));
        }
        assert_eq!(rate.take(bucket, t0), Err(1), "retry after a second");
        let later = t0 + TimeDelta::milliseconds(500);
        let b = rate
            .take(bucket, later)
            .expect("one refilled in half a second");
        assert!(rate.take(Some(b), later).is_err());
        let much_later = t0 + TimeDelta::hours(1);
        let mut b = Some(rate.take(Some(b), much_later).unwrap());
        for _ in 0..2 {
            b = Some(rate.take(b, much_later).unwrap());
        }
        assert!(
            rate.take(b, much_later).is_err(),
            "never more than the burst"
        );
    }

    proptest! {
        #[test]
        fn every_limit_in_range_parses_and_none_outside(n in 0u64..10_000) {
            let parsed = PageLimit::parse(Some(&n.to_string()));
            prop_assert_eq!(parsed.is_ok(), (1..=100).contains(&n));
        }
    }
}
