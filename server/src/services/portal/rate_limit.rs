//! Sliding-window limits on sign-in link requests, per email and per client address.
//! In memory: a restart forgets them, which only ever loosens the limit briefly.
use chrono::{DateTime, TimeDelta, Utc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Link requests allowed per email address per window.
pub const PER_EMAIL: usize = 5;
/// Link requests allowed per client address per window.
pub const PER_IP: usize = 20;
/// The window.
pub const WINDOW: TimeDelta = TimeDelta::minutes(15);

/// Counts recent requests by key (`email:…`, `ip:…`).
#[derive(Clone, Default)]
pub struct RateLimiter(Arc<Mutex<HashMap<String, Vec<DateTime<Utc>>>>>);

impl RateLimiter {
    /// Records a hit on `key` and says whether it stays within `limit` per [`WINDOW`].
    pub fn hit(&self, key: &str, limit: usize, now: DateTime<Utc>) -> bool {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, hits| hits.iter().any(|t| now - *t < WINDOW));
        }
        let hits = map.entry(key.to_owned()).or_default();
        hits.retain(|t| now - *t < WINDOW);
        hits.push(now);
        hits.len() <= limit
    }

    /// How many hits `key` has had within `window` (at most [`WINDOW`]) before `now`,
    /// without counting one.
    pub fn count(&self, key: &str, window: TimeDelta, now: DateTime<Utc>) -> usize {
        let map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.get(key)
            .map_or(0, |hits| hits.iter().filter(|t| now - **t < window).count())
    }

    /// Counts a hit on `key` (see [`RateLimiter::count`]).
    pub fn record(&self, key: &str, now: DateTime<Utc>) {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let hits = map.entry(key.to_owned()).or_default();
        hits.retain(|t| now - *t < WINDOW);
        hits.push(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_within_the_window_only() {
        let l = RateLimiter::default();
        let t0 = Utc::now();
        for _ in 0..PER_EMAIL {
            assert!(l.hit("email:a", PER_EMAIL, t0));
        }
        assert!(!l.hit("email:a", PER_EMAIL, t0));
        assert!(l.hit("email:b", PER_EMAIL, t0));
        assert!(l.hit("email:a", PER_EMAIL, t0 + WINDOW + TimeDelta::seconds(1)));
    }

    #[test]
    fn counts_within_a_shorter_window_without_counting_itself() {
        let l = RateLimiter::default();
        let t0 = Utc::now();
        l.record("failed", t0);
        l.record("failed", t0 + TimeDelta::seconds(30));
        assert_eq!(
            l.count("failed", TimeDelta::minutes(1), t0 + TimeDelta::seconds(45)),
            2
        );
        assert_eq!(
            l.count("failed", TimeDelta::minutes(1), t0 + TimeDelta::seconds(75)),
            1
        );
        assert_eq!(l.count("other", TimeDelta::minutes(1), t0), 0);
    }
}
