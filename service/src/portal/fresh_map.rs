//! A map of values read from the database, each trusted for a while after its read, which
//! the writers of those rows make forget. Behind the portal's settings directory and its
//! session cache.
//!
//! Every forget bumps a generation. A value is kept only under the generation its read
//! began in ([`FreshMap::ticket`]), so a read that raced a change (a sign-out, a console
//! save) cannot put the old row back.
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// Past this many entries, stale ones are dropped before another is added.
const PRUNE_AT: usize = 10_000;

/// Values by key, fresh for `fresh_for` after their read.
#[derive(Clone)]
pub struct FreshMap<V> {
    inner: Arc<Mutex<Entries<V>>>,
    fresh_for: Duration,
}

struct Entries<V> {
    by_key: HashMap<String, (V, Instant)>,
    generation: u64,
}

/// When a read of the database began: pass it back to [`FreshMap::keep`].
#[derive(Clone, Copy)]
pub struct ReadTicket {
    generation: u64,
    at: Instant,
}

impl<V: Clone> FreshMap<V> {
    /// An empty map whose values are trusted for `fresh_for`.
    pub fn new(fresh_for: Duration) -> Self {
        Self {
            inner: Arc::new(Mutex::new(Entries {
                by_key: HashMap::new(),
                generation: 0,
            })),
            fresh_for,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Entries<V>> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The value of `key` if it was read less than `fresh_for` ago.
    pub fn fresh(&self, key: &str) -> Option<V> {
        self.lock()
            .by_key
            .get(key)
            .filter(|(_, read_at)| read_at.elapsed() < self.fresh_for)
            .map(|(value, _)| value.clone())
    }

    /// Take before reading (or writing) a row; then [`keep`](Self::keep) what it gave.
    pub fn ticket(&self) -> ReadTicket {
        ReadTicket {
            generation: self.lock().generation,
            at: Instant::now(),
        }
    }

    /// Remembers a value read under `ticket`, unless something was forgotten since.
    pub fn keep(&self, key: &str, value: V, ticket: ReadTicket) {
        let mut entries = self.lock();
        if entries.generation != ticket.generation {
            return;
        }
        if entries.by_key.len() >= PRUNE_AT {
            let fresh_for = self.fresh_for;
            entries.by_key.retain(|_, (_, at)| at.elapsed() < fresh_for);
        }
        entries.by_key.insert(key.to_owned(), (value, ticket.at));
    }

    /// Forgets `key` after its row changed. Call it after the change is committed: reads
    /// that began before it are then refused by [`keep`](Self::keep).
    pub fn forget(&self, key: &str) {
        let mut entries = self.lock();
        entries.generation += 1;
        entries.by_key.remove(key);
    }

    /// Forgets the values `stale` picks (their rows changed), after the change is committed.
    pub fn forget_where(&self, stale: impl Fn(&V) -> bool) {
        let mut entries = self.lock();
        entries.generation += 1;
        entries.by_key.retain(|_, (value, _)| !stale(value));
    }

    /// Forgets every value.
    pub fn forget_all(&self) {
        let mut entries = self.lock();
        entries.generation += 1;
        entries.by_key.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRESH_FOR: Duration = Duration::from_secs(5);

    fn old_ticket(map: &FreshMap<i64>) -> ReadTicket {
        ReadTicket {
            at: Instant::now()
                .checked_sub(FRESH_FOR + Duration::from_millis(1))
                .unwrap(),
            ..map.ticket()
        }
    }

    #[test]
    fn entries_are_fresh_for_a_while_and_forgotten_on_demand() {
        let map = FreshMap::new(FRESH_FOR);
        assert!(map.fresh("h1").is_none());
        map.keep("h1", 7, map.ticket());
        assert_eq!(map.fresh("h1"), Some(7));
        map.forget("h1");
        assert!(map.fresh("h1").is_none());
        map.keep("h2", 8, old_ticket(&map));
        assert!(map.fresh("h2").is_none(), "a stale entry is read again");
        map.keep("h3", 9, map.ticket());
        map.forget_all();
        assert!(map.fresh("h3").is_none());
    }

    #[test]
    fn a_read_that_raced_a_sign_out_is_not_kept() {
        let map = FreshMap::new(FRESH_FOR);
        // A request starts reading the row; meanwhile the session is signed out.
        let ticket = map.ticket();
        map.forget("h1");
        map.keep("h1", 7, ticket);
        assert!(map.fresh("h1").is_none());
        // Likewise across a console save that forgets everything.
        let ticket = map.ticket();
        map.forget_all();
        map.keep("h1", 7, ticket);
        assert!(map.fresh("h1").is_none());
        // A read that starts afterwards is kept as usual.
        map.keep("h1", 7, map.ticket());
        assert!(map.fresh("h1").is_some());
    }

    #[test]
    fn it_stays_bounded() {
        let map = FreshMap::new(FRESH_FOR);
        for i in 0..PRUNE_AT {
            map.keep(&format!("h{i}"), 1, old_ticket(&map));
        }
        map.keep("new", 2, map.ticket());
        assert_eq!(map.lock().by_key.len(), 1, "stale entries were dropped");
    }
}
