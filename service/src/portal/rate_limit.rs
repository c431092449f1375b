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

    /// Takes a place for `key` when `allowed` says yes to the number of places taken within
    /// `window` (at most [`WINDOW`]) before `now`: the count and the taking are one step, so
    /// concurrent callers cannot all pass the same count.
    pub fn take(
        &self,
        key: &str,
        window: TimeDelta,
        now: DateTime<Utc>,
        allowed: impl FnOnce(u64) -> bool,
    ) -> bool {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let hits = map.entry(key.to_owned()).or_default();
        hits.retain(|t| now - *t < WINDOW);
        let taken = hits.iter().filter(|t| now - **t < window).count() as u64;
        if !allowed(taken) {
            return false;
        }
        hits.push(now);
        true
    }

    /// Gives back the place taken for `key` at `at` (an attempt that turned out fine).
    pub fn give_back(&self, key: &str, at: DateTime<Utc>) {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(hits) = map.get_mut(key)
            && let Some(i) = hits.iter().position(|t| *t == at)
        {
            hits.remove(i);
        }
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
    fn takes_places_within_a_shorter_window_and_gives_them_back() {
        let l = RateLimiter::default();
        let t0 = Utc::now();
        let minute = TimeDelta::minutes(1);
        let below_two = |n: u64| n < 2;
        assert!(l.take("failed", minute, t0, below_two));
        assert!(l.take("failed", minute, t0 + TimeDelta::seconds(30), below_two));
        assert!(!l.take("failed", minute, t0 + TimeDelta::seconds(45), below_two));
        l.give_back("failed", t0 + TimeDelta::seconds(30));
        assert!(l.take("failed", minute, t0 + TimeDelta::seconds(46), below_two));
        // The first place has left the minute.
        assert!(l.take("failed", minute, t0 + TimeDelta::seconds(75), below_two));
        assert!(l.take("other", minute, t0, below_two));
    }
}
