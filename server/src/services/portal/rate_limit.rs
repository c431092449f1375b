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
}
