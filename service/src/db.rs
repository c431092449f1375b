//! Opening the database: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL, then
//! migrating it. Every command that opens the database migrates it first.
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ActiveModelTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr,
    EntityTrait, IdenStatic, IntoActiveModel, Iterable, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
use std::path::Path;
use std::time::Duration;

/// Why the database could not be opened or migrated.
#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("DATABASE_URL: cannot create the directory {path} ({source})")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("DATABASE_URL: cannot connect to the database at {target} ({source})")]
    Connect { target: String, source: DbErr },
    #[error("database migration failed on {target} ({source})")]
    Migrate { target: String, source: DbErr },
}

/// Where a URL points, without its password, for error messages and logs.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// Connects and migrates.
pub async fn open(url: &str) -> Result<DatabaseConnection, DbSetupError> {
    let db = connect(url).await?;
    Migrator::up(&db, None)
        .await
        .map_err(|source| DbSetupError::Migrate {
            target: redact(url),
            source,
        })?;
    Ok(db)
}

/// Starts a transaction that may write. Every transaction of the application starts here,
/// never with a bare `begin()`.
///
/// On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken (waiting up to the busy
/// timeout) before the first read. A plain `BEGIN` is deferred: its first read pins a WAL
/// snapshot, and if another connection commits before its first write, the upgrade fails
/// at once with `SQLITE_BUSY_SNAPSHOT` (517, "database is locked"), which no busy timeout
/// can wait out. PostgreSQL ignores the option and begins as usual.
pub async fn begin_write<C: TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

/// The most bind parameters one statement carries: SQLite's limit
/// (`SQLITE_MAX_VARIABLE_NUMBER`, 32,766 by default); PostgreSQL's is 65,535.
pub const MAX_BIND_PARAMS: usize = 32_766;

/// At most this many rows per multi-row statement, however narrow the table.
const MAX_ROWS_PER_STATEMENT: usize = 1_000;

/// Rows per multi-row INSERT into `E`'s table that stay under [`MAX_BIND_PARAMS`].
fn rows_per_insert<E: EntityTrait>() -> usize {
    let columns = E::Column::iter().count().max(1);
    (MAX_BIND_PARAMS / columns).clamp(1, MAX_ROWS_PER_STATEMENT)
}

/// Inserts `rows` with as few multi-row INSERTs as the bind-parameter limit allows.
pub async fn insert_chunked<A>(db: &impl ConnectionTrait, rows: Vec<A>) -> Result<(), DbErr>
where
    A: ActiveModelTrait + Send,
{
    let per = rows_per_insert::<A::Entity>();
    let mut rows = rows.into_iter();
    loop {
        let chunk: Vec<A> = rows.by_ref().take(per).collect();
        if chunk.is_empty() {
            return Ok(());
        }
        A::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
}

/// Like [`insert_chunked`], returning the inserted rows (in no particular order).
pub async fn insert_chunked_returning<A>(
    db: &impl ConnectionTrait,
    rows: Vec<A>,
) -> Result<Vec<<A::Entity as EntityTrait>::Model>, DbErr>
where
    A: ActiveModelTrait + Send,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
{
    let per = rows_per_insert::<A::Entity>();
    let mut rows = rows.into_iter();
    let mut inserted = Vec::new();
    loop {
        let chunk: Vec<A> = rows.by_ref().take(per).collect();
        if chunk.is_empty() {
            return Ok(inserted);
        }
        inserted.extend(
            A::Entity::insert_many(chunk)
                .exec_with_returning(db)
                .await?,
        );
    }
}

/// A text column as an operand no index can serve: `("column" || '')`, the same value.
///
/// For batch statements like `WHERE id IN (…500 ids…) AND status = 'open'`. Without
/// statistics (SQLite never has them unless `ANALYZE` runs; PostgreSQL until autovacuum
/// analyzes a table) both planners may prefer the index on `status`, one equality, to 500
/// primary-key lookups, and scan every open invoice for each batch.
pub fn unindexed(column: impl IdenStatic) -> sea_orm::sea_query::Expr {
    sea_orm::sea_query::Expr::cust(format!("(\"{}\" || '')", column.as_str()))
}

/// Connects without migrating (tests migrate explicitly to check up/down).
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbSetupError> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        if !in_memory {
            ensure_parent_dir(url)?;
        }
        options
            // An in-memory database lives and dies with its one connection.
            .max_connections(if in_memory { 1 } else { 8 })
            .min_connections(1)
            // A local file cannot drop a connection: no ping before each query (each is
            // a round trip to the connection's worker thread; it was half of them).
            .test_before_acquire(false)
            .map_sqlx_sqlite_opts(move |o| {
                let o = o
                    .create_if_missing(true)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    .synchronous(SqliteSynchronous::Normal);
                if in_memory {
                    o
                } else {
                    o.journal_mode(SqliteJournalMode::Wal)
                }
            });
    } else {
        // Ping only a connection that sat idle (the server may have closed it), not one
        // in use a moment ago: the ping is a network round trip before every query.
        options
            .max_connections(16)
            .min_connections(1)
            .test_before_acquire_if_idle_for(Duration::from_secs(30));
    }
    Database::connect(options)
        .await
        .map_err(|source| DbSetupError::Connect {
            target: redact(url),
            source,
        })
}

fn ensure_parent_dir(url: &str) -> Result<(), DbSetupError> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or(path);
    if let Some(parent) = Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent).map_err(|source| DbSetupError::CreateDir {
            path: parent.display().to_string(),
            source,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("sqlite://data/x.db"), "sqlite://data/x.db");
    }

    #[tokio::test]
    async fn unreachable_postgres_is_one_clear_error() {
        let err = connect("postgres://nobody@127.0.0.1:1/none")
            .await
            .unwrap_err();
        let line = err.to_string();
        assert!(line.starts_with("DATABASE_URL: cannot connect"), "{line}");
        assert!(!line.contains('\n'));
    }
}
