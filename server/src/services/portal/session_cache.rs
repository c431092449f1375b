//! Customer sessions checked a moment ago, so a page (and the server functions it calls
//! right after) does not read the same session row again and again.
//!
//! An entry is used for [`SESSION_FRESH_FOR`] after its row was read, and every use still
//! checks the idle and absolute expiry against the row's timestamps. Signing out or in
//! forgets the entry at once, in this process; the window bounds what another process
//! could leave stale (no other process deletes sessions today).
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a session row read from the database is trusted without reading it again.
pub const SESSION_FRESH_FOR: Duration = Duration::from_secs(5);

/// Past this many entries, stale ones are dropped before another is added.
const PRUNE_AT: usize = 10_000;

/// What a page needs of a session row and its customer.
#[derive(Clone)]
pub struct CachedSession {
    pub id: i64,
    pub organization_id: i64,
    pub customer_id: i64,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub name: String,
    pub email: String,
}

/// Sessions by token hash (never by token).
#[derive(Clone, Default)]
pub struct SessionCache {
    entries: Arc<Mutex<HashMap<String, (CachedSession, Instant)>>>,
}

impl SessionCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (CachedSession, Instant)>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The session of `token_hash` if it was read less than [`SESSION_FRESH_FOR`] ago.
    pub fn fresh(&self, token_hash: &str) -> Option<CachedSession> {
        self.lock()
            .get(token_hash)
            .filter(|(_, read_at)| read_at.elapsed() < SESSION_FRESH_FOR)
            .map(|(session, _)| session.clone())
    }

    /// Remembers a session just read (or just refreshed) from the database.
    pub fn keep(&self, token_hash: &str, session: CachedSession, read_at: Instant) {
        let mut entries = self.lock();
        if entries.len() >= PRUNE_AT {
            entries.retain(|_, (_, at)| at.elapsed() < SESSION_FRESH_FOR);
        }
        entries.insert(token_hash.to_owned(), (session, read_at));
    }

    /// Forgets a session that was deleted or replaced.
    pub fn forget(&self, token_hash: &str) {
        self.lock().remove(token_hash);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(id: i64) -> CachedSession {
        let t = Utc::now();
        CachedSession {
            id,
            organization_id: 1,
            customer_id: 2,
            created_at: t,
            last_seen_at: t,
            name: "Giulia".into(),
            email: "giulia@example.com".into(),
        }
    }

    #[test]
    fn entries_are_fresh_for_a_while_and_forgotten_on_demand() {
        let cache = SessionCache::default();
        assert!(cache.fresh("h1").is_none());
        cache.keep("h1", session(7), Instant::now());
        assert_eq!(cache.fresh("h1").map(|s| s.id), Some(7));
        cache.forget("h1");
        assert!(cache.fresh("h1").is_none());
        let long_ago = Instant::now()
            .checked_sub(SESSION_FRESH_FOR + Duration::from_millis(1))
            .unwrap();
        cache.keep("h2", session(8), long_ago);
        assert!(cache.fresh("h2").is_none(), "a stale entry is read again");
    }

    #[test]
    fn it_stays_bounded() {
        let cache = SessionCache::default();
        let long_ago = Instant::now()
            .checked_sub(SESSION_FRESH_FOR + Duration::from_millis(1))
            .unwrap();
        for i in 0..PRUNE_AT {
            cache.keep(&format!("h{i}"), session(1), long_ago);
        }
        cache.keep("new", session(2), Instant::now());
        assert_eq!(cache.lock().len(), 1, "stale entries were dropped");
    }
}
