//! Opening the database: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL, then
//! migrating it. Every command that opens the database migrates it first.
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
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
        options.max_connections(16).min_connections(1);
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
