//! Customer sessions checked a moment ago, so a page (and the server functions it calls
//! right after) does not read the same session row again and again.
//!
//! An entry is used for [`SESSION_FRESH_FOR`] after its row was read, and every use still
//! checks the idle and absolute expiry against the row's timestamps. Signing out or in
//! forgets the entry at once, in this process; the window bounds what another process
//! could leave stale (no other process deletes sessions today).
use super::fresh_map::FreshMap;
use chrono::{DateTime, Utc};
use std::time::Duration;

/// How long a session row read from the database is trusted without reading it again.
pub const SESSION_FRESH_FOR: Duration = Duration::from_secs(5);

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
    /// The merchant app's page for "Back to …", for a session its API opened.
    pub app_return_url: Option<String>,
}

/// Sessions by token hash (never by token).
pub type SessionCache = FreshMap<CachedSession>;
