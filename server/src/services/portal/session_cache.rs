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
    inner: Arc<Mutex<Entries>>,
}

#[derive(Default)]
struct Entries {
    by_hash: HashMap<String, (CachedSession, Instant)>,
    /// Bumped by every `forget`: a read that began before it is not kept, so a request
    /// racing a sign-out cannot put the deleted session back.
    generation: u64,
}

/// When a read of the database began, as the cache counts: pass it back to
/// [`SessionCache::keep`].
#[derive(Clone, Copy)]
pub struct ReadTicket {
    generation: u64,
    at: Instant,
}

impl SessionCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The session of `token_hash` if it was read less than [`SESSION_FRESH_FOR`] ago.
    pub fn fresh(&self, token_hash: &str) -> Option<CachedSession> {
        self.lock()
            .by_hash
            .get(token_hash)
            .filter(|(_, read_at)| read_at.elapsed() < SESSION_FRESH_FOR)
            .map(|(session, _)| session.clone())
    }

    /// Take before reading (or writing) a session row; then [`keep`](Self::keep) what it gave.
    pub fn ticket(&self) -> ReadTicket {
        ReadTicket {
            generation: self.lock().generation,
            at: Instant::now(),
        }
    }

    /// Remembers a session read (or refreshed) under `ticket`, unless some session was
    /// forgotten since the ticket was taken.
    pub fn keep(&self, token_hash: &str, session: CachedSession, ticket: ReadTicket) {
        let mut entries = self.lock();
        if entries.generation != ticket.generation {
            return;
        }
        if entries.by_hash.len() >= PRUNE_AT {
            entries
                .by_hash
                .retain(|_, (_, at)| at.elapsed() < SESSION_FRESH_FOR);
        }
        entries
            .by_hash
            .insert(token_hash.to_owned(), (session, ticket.at));
    }

    /// Forgets a session that was deleted or replaced. Call it after the deletion is
    /// committed: reads that began before it are then refused by [`keep`](Self::keep).
    pub fn forget(&self, token_hash: &str) {
        let mut entries = self.lock();
        entries.generation += 1;
        entries.by_hash.remove(token_hash);
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

    fn old_ticket(cache: &SessionCache) -> ReadTicket {
        ReadTicket {
            at: Instant::now()
                .checked_sub(SESSION_FRESH_FOR + Duration::from_millis(1))
                .unwrap(),
            ..cache.ticket()
        }
    }

    #[test]
    fn entries_are_fresh_for_a_while_and_forgotten_on_demand() {
        let cache = SessionCache::default();
        assert!(cache.fresh("h1").is_none());
        cache.keep("h1", session(7), cache.ticket());
        assert_eq!(cache.fresh("h1").map(|s| s.id), Some(7));
        cache.forget("h1");
        assert!(cache.fresh("h1").is_none());
        cache.keep("h2", session(8), old_ticket(&cache));
        assert!(cache.fresh("h2").is_none(), "a stale entry is read again");
    }

    #[test]
    fn a_read_that_raced_a_sign_out_is_not_kept() {
        let cache = SessionCache::default();
        // A request starts reading the row; meanwhile the session is signed out.
        let ticket = cache.ticket();
        cache.forget("h1");
        cache.keep("h1", session(7), ticket);
        assert!(cache.fresh("h1").is_none());
        // A read that starts afterwards is kept as usual.
        cache.keep("h1", session(7), cache.ticket());
        assert!(cache.fresh("h1").is_some());
    }

    #[test]
    fn it_stays_bounded() {
        let cache = SessionCache::default();
        for i in 0..PRUNE_AT {
            cache.keep(&format!("h{i}"), session(1), old_ticket(&cache));
        }
        cache.keep("new", session(2), cache.ticket());
        assert_eq!(cache.lock().by_hash.len(), 1, "stale entries were dropped");
    }
}
