//! Opening the database: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL, then
//! migrating it. Every command that opens the database migrates it first.
use migration::{Migrator, MigratorTrait};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ActiveModelTrait, ActiveValue, ColumnTrait, ConnectOptions, ConnectionTrait, Database,
    DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, EntityName, EntityTrait, IdenStatic,
    IntoActiveModel, Iterable, QueryTrait, SqliteTransactionMode, Statement, TransactionOptions,
    TransactionTrait,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};
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
/// On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken before the first read. A
/// plain `BEGIN` is deferred: its first read pins a WAL snapshot, and if another connection
/// commits before its first write, the upgrade fails at once with `SQLITE_BUSY_SNAPSHOT`
/// (517, "database is locked"), which no busy timeout can wait out. PostgreSQL ignores the
/// option and begins as usual.
///
/// On a SQLite file, the transaction runs on the file's one writer connection (see
/// [`connect`]): writers of this process wait their turn in the pool's first-come,
/// first-served queue, instead of each taking the lock on its own connection and, when
/// it is held, sleeping in SQLite's busy handler (1, 2, 5 … up to 100 ms a nap, however
/// soon the lock is free). Under 16 concurrent API clients those naps were the latency tail
/// (p99 over 140 ms). Another process (the CLI beside `serve`) still meets the busy handler.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let writer = writer_of(db);
    writer
        .as_ref()
        .unwrap_or(db)
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await
}

/// Runs `work`, a write transaction from [`begin_write`] to its commit, on the writer's own
/// thread when `db` is a SQLite file (elsewhere where it is).
///
/// The file's writes take turns, so every step of the one in progress holds up all the
/// others. On the request workers, each step (an answer from SQLite's connection thread)
/// waited until a worker finished polling whatever other request it was on. On its own
/// thread, which runs nothing else, the transaction goes on as soon as SQLite answers.
pub async fn on_writer_thread<T: Send + 'static>(
    db: &DatabaseConnection,
    work: impl Future<Output = T> + Send + 'static,
) -> T {
    use tracing::Instrument;
    if writer_of(db).is_none() {
        return work.await;
    }
    // Dropped as a request is (its client gone, its timeout), the write is aborted at its
    // next step and its transaction rolls back, as it would where it began.
    let mut task = AbortOnDrop(WRITER_THREAD.spawn(work.in_current_span()));
    match (&mut task.0).await {
        Ok(done) => done,
        // A panic in `work` goes on in the caller. Cancelled cannot come back here: the
        // task is aborted only once its caller is gone, and the runtime never shuts down.
        Err(err) => std::panic::resume_unwind(
            err.try_into_panic()
                .unwrap_or_else(|_| Box::new("the writer thread's task was cancelled")),
        ),
    }
}

/// Aborts its task when dropped.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The runtime of [`on_writer_thread`]: one thread, started on first use.
static WRITER_THREAD: LazyLock<tokio::runtime::Handle> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("the writer thread's runtime");
    let handle = runtime.handle().clone();
    std::thread::Builder::new()
        .name("dunwell-writer".into())
        .spawn(move || runtime.block_on(std::future::pending::<()>()))
        .expect("the writer thread");
    handle
});

/// Where a write outside a transaction goes (one statement, committed on its own): the
/// SQLite file's writer connection, so it waits in the same queue as the transactions
/// instead of in SQLite's busy handler, where a queue that keeps the lock busy could
/// starve it; `db` itself for PostgreSQL or an in-memory database.
pub fn writer(db: &DatabaseConnection) -> DatabaseConnection {
    writer_of(db).unwrap_or_else(|| db.clone())
}

/// The writer connection of each SQLite file opened in this process, by path. The write
/// lock is the file's, so every connection to one file shares its queue.
static WRITERS: LazyLock<Mutex<HashMap<PathBuf, DatabaseConnection>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

fn sqlite_path(db: &DatabaseConnection) -> Option<PathBuf> {
    (db.get_database_backend() == DbBackend::Sqlite).then(|| {
        db.get_sqlite_connection_pool()
            .connect_options()
            .get_filename()
            .to_path_buf()
    })
}

/// `db`'s SQLite file's writer connection; none for PostgreSQL or an in-memory database
/// (whose single connection is its own queue).
fn writer_of(db: &DatabaseConnection) -> Option<DatabaseConnection> {
    let path = sqlite_path(db)?;
    WRITERS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&path)
        .cloned()
}

/// Writes whose answers the transaction does not read (its event, audit and outbox rows, and
/// rows whose ids it does not need), sent to the database together just before the commit.
///
/// On SQLite they go as one multi-statement query: one round trip to the connection's
/// thread instead of one per row, and a write transaction holds the file's one write lock
/// for every round trip (each costs ~60 µs of thread wake-ups, far more than the insert).
/// PostgreSQL's extended protocol takes one statement per query: there they run in turn,
/// and its writers do not queue behind one lock.
#[derive(Default)]
pub struct Batch(Vec<Write>);

/// One statement of a [`Batch`].
enum Write {
    Insert(sea_orm::sea_query::InsertStatement),
    Update(sea_orm::sea_query::UpdateStatement),
}

impl Write {
    fn build(&self, backend: DbBackend) -> Statement {
        match self {
            Write::Insert(q) => backend.build(q),
            Write::Update(q) => backend.build(q),
        }
    }
}

/// `row` without its primary key when the database numbers it: a row built in memory (a
/// `Model` whose id is 0, so that its event can be made from it) leaves the id to the
/// database.
fn numbered_by_database<A: ActiveModelTrait>(mut row: A) -> A {
    use sea_orm::{PrimaryKeyToColumn, PrimaryKeyTrait};
    type Key<A> = <<A as ActiveModelTrait>::Entity as EntityTrait>::PrimaryKey;
    if <Key<A> as PrimaryKeyTrait>::auto_increment() {
        for key in Key::<A>::iter() {
            row.not_set(key.into_column());
        }
    }
    row
}

impl Batch {
    /// Adds the insert of `row` (its id the database's to number, see
    /// [`numbered_by_database`]).
    pub fn insert<A: ActiveModelTrait>(&mut self, row: A) {
        let row = numbered_by_database(row);
        self.0
            .push(Write::Insert(A::Entity::insert(row).into_query()));
    }

    /// Adds the inserts of `rows` (one multi-row statement).
    pub fn insert_many<A: ActiveModelTrait>(&mut self, rows: Vec<A>) {
        if !rows.is_empty() {
            let rows = rows.into_iter().map(numbered_by_database);
            self.0
                .push(Write::Insert(A::Entity::insert_many(rows).into_query()));
        }
    }

    /// Adds the insert of `row` with `column` set to `value` instead of the row's own: an
    /// expression such as [`id_of`] a row the batch inserts before it, whose id nobody
    /// knows until then.
    pub fn insert_with<A: ActiveModelTrait>(
        &mut self,
        row: A,
        column: <A::Entity as EntityTrait>::Column,
        value: Expr,
    ) {
        let mut row = numbered_by_database(row);
        let mut columns = Vec::new();
        let mut values = Vec::new();
        for col in <A::Entity as EntityTrait>::Column::iter() {
            if col.as_str() == column.as_str() {
                continue;
            }
            if let ActiveValue::Set(v) | ActiveValue::Unchanged(v) = row.take(col) {
                columns.push(col);
                values.push(col.save_as(Expr::val(v)));
            }
        }
        columns.push(column);
        values.push(value);
        let mut insert = Query::insert();
        insert
            .into_table(A::Entity::default().table_ref())
            .columns(columns)
            .values_panic(values);
        self.0.push(Write::Insert(insert));
    }

    /// Adds an update.
    pub fn update(&mut self, update: sea_orm::sea_query::UpdateStatement) {
        self.0.push(Write::Update(update));
    }

    /// Runs the statements in `db` (the change's transaction), in the order they were added.
    pub async fn run(self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        let backend = db.get_database_backend();
        if backend != DbBackend::Sqlite {
            for write in &self.0 {
                db.execute_raw(write.build(backend)).await?;
            }
            return Ok(());
        }
        if self.0.is_empty() {
            return Ok(());
        }
        let (sql, values) = self.sqlite_script(String::new());
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
        Ok(())
    }

    /// The batch as one SQLite script after `sql`, with its values in order.
    fn sqlite_script(&self, mut sql: String) -> (String, Vec<sea_orm::Value>) {
        let mut values = Vec::new();
        for write in &self.0 {
            let one = write.build(DbBackend::Sqlite);
            sql.push_str(&one.sql);
            sql.push_str(";\n");
            values.extend(one.values.map(|v| v.0).unwrap_or_default());
        }
        (sql, values)
    }
}

/// A write transaction that reads at most once and then writes a [`Batch`], in as few
/// round trips as SQLite allows.
///
/// On a SQLite file it runs on the file's writer connection (as [`begin_write`]'s do, in
/// the same queue) and sends its `BEGIN IMMEDIATE` with its read and its `COMMIT` with its
/// batch: a write that reads takes two round trips to the connection's thread instead of
/// four (begin, read, batch, commit), and one that only writes takes one. Every writer of
/// the file waits for each of them (see [`on_writer_thread`]). Dropped before its commit
/// (a refusal, an error, its caller gone), it rolls back before the connection serves
/// another writer. Elsewhere it is a [`begin_write`] transaction.
pub struct Txn(TxnInner);

enum TxnInner {
    /// The writer connection (taken back by `Drop`); whether its `BEGIN` has been sent
    /// without a `COMMIT` that went through; whether a read failed (then it cannot commit:
    /// had SQLite refused the `BEGIN`, the batch would run outside any transaction).
    Sqlite {
        conn: Option<sea_orm::sqlx::pool::PoolConnection<sea_orm::sqlx::Sqlite>>,
        open: bool,
        failed: bool,
    },
    Other(DatabaseTransaction),
}

const BEGIN_IMMEDIATE: &str = "BEGIN IMMEDIATE;\n";

fn sqlx_err(err: sea_orm::sqlx::Error) -> DbErr {
    DbErr::Exec(sea_orm::RuntimeErr::SqlxError(std::sync::Arc::new(err)))
}

impl Txn {
    /// Waits for the writer connection (nothing is sent yet) or begins a transaction.
    pub async fn begin(db: &DatabaseConnection) -> Result<Txn, DbErr> {
        match writer_of(db) {
            Some(writer) => {
                let conn = writer
                    .get_sqlite_connection_pool()
                    .acquire()
                    .await
                    .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e.into())))?;
                Ok(Txn(TxnInner::Sqlite {
                    conn: Some(conn),
                    open: false,
                    failed: false,
                }))
            }
            None => Ok(Txn(TxnInner::Other(begin_write(db).await?))),
        }
    }

    /// The first row of `query`, read inside the transaction (on SQLite, it begins it).
    pub async fn query_one(
        &mut self,
        query: &impl sea_orm::StatementBuilder,
    ) -> Result<Option<sea_orm::QueryResult>, DbErr> {
        let (conn, open, failed) = match &mut self.0 {
            TxnInner::Other(txn) => return txn.query_one(query).await,
            TxnInner::Sqlite { conn, open, failed } => (conn, open, failed),
        };
        let statement = DbBackend::Sqlite.build(query);
        let mut sql = if *open {
            String::new()
        } else {
            BEGIN_IMMEDIATE.to_owned()
        };
        sql.push_str(&statement.sql);
        // Open from here: had the BEGIN gone through and the read failed, `Drop` rolls back.
        *open = true;
        let values = statement
            .values
            .unwrap_or_else(|| sea_orm::sea_query::Values(Vec::new()));
        let row = sea_orm::sqlx::query_with(
            sea_orm::sqlx::AssertSqlSafe(sql),
            sea_query_sqlx::SqlxValues(values),
        )
        .fetch_optional(&mut **conn.as_mut().expect("held until dropped"))
        .await
        .map_err(|err| {
            *failed = true;
            sqlx_err(err)
        })?;
        Ok(row.map(sea_orm::QueryResult::from))
    }

    /// Writes `batch` and commits (on SQLite, in one round trip with the `BEGIN` if no read
    /// sent it). A failed statement writes nothing: the transaction rolls back.
    pub async fn commit(mut self, batch: Batch) -> Result<(), DbErr> {
        let (conn, open) = match &mut self.0 {
            TxnInner::Other(_) => {
                let TxnInner::Other(txn) = std::mem::replace(
                    &mut self.0,
                    TxnInner::Sqlite {
                        conn: None,
                        open: false,
                        failed: false,
                    },
                ) else {
                    unreachable!("matched above")
                };
                batch.run(&txn).await?;
                return txn.commit().await;
            }
            TxnInner::Sqlite { failed: true, .. } => {
                return Err(DbErr::Custom(
                    "the transaction's read failed: it cannot commit".into(),
                ));
            }
            TxnInner::Sqlite { conn, open, .. } => (conn, open),
        };
        let start = if *open {
            String::new()
        } else {
            BEGIN_IMMEDIATE.to_owned()
        };
        let (mut sql, values) = batch.sqlite_script(start);
        sql.push_str("COMMIT;");
        *open = true;
        sea_orm::sqlx::query_with(
            sea_orm::sqlx::AssertSqlSafe(sql),
            sea_query_sqlx::SqlxValues(sea_orm::sea_query::Values(values)),
        )
        .execute(&mut **conn.as_mut().expect("held until dropped"))
        .await
        .map_err(sqlx_err)?;
        *open = false;
        Ok(())
    }
}

impl Drop for Txn {
    fn drop(&mut self) {
        let TxnInner::Sqlite {
            conn, open: true, ..
        } = &mut self.0
        else {
            return;
        };
        let Some(mut conn) = conn.take() else {
            return;
        };
        // The connection goes back to the pool only after its ROLLBACK (which fails
        // harmlessly when a failed BEGIN or COMMIT left no transaction), so no other
        // writer meets this one's. Sent from the writer thread's runtime, which always
        // runs, wherever this one is dropped (even by a runtime shutting down).
        WRITER_THREAD.spawn(async move {
            use sea_orm::sqlx::Executor as _;
            if let Err(err) = conn.execute("ROLLBACK").await
                && !err.to_string().contains("no transaction is active")
            {
                // Closed, it rolls back all the same; the pool opens another.
                tracing::warn!(error = %err, "the writer's rollback failed; closing it");
                conn.close_on_drop();
            }
        });
    }
}

/// The id (`id_column`) of `E`'s row whose `key_column` is `key`, as a subquery: for a row
/// that refers to one inserted before it in the same [`Batch`].
pub fn id_of<E: EntityTrait>(id_column: E::Column, key_column: E::Column, key: &str) -> Expr {
    Expr::SubQuery(
        None,
        Box::new(
            Query::select()
                .column(id_column)
                .from(E::default())
                .and_where(key_column.eq(key))
                .to_owned()
                .into(),
        ),
    )
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
        let in_memory = in_memory_url(url);
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
    let failed = |source| DbSetupError::Connect {
        target: redact(url),
        source,
    };
    let writer_options = options.clone();
    let db = Database::connect(options).await.map_err(failed)?;
    if let Some(path) = sqlite_path(&db).filter(|_| !in_memory_url(url)) {
        // The file's writer: one connection, so that writers queue in order (`begin_write`).
        let mut writer_options = writer_options;
        writer_options.max_connections(1).min_connections(1);
        let writer = Database::connect(writer_options).await.map_err(failed)?;
        // The newest wins: an earlier connection to the same file shares it.
        WRITERS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(path, writer);
    }
    Ok(db)
}

fn in_memory_url(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
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
    async fn writers_of_a_sqlite_file_take_turns_on_its_one_writer_connection() {
        let dir = std::env::temp_dir().join(format!("dunwell-writer-{}", std::process::id()));
        let url = format!("sqlite://{}/w.db", dir.display());
        let (a, b) = (connect(&url).await.unwrap(), connect(&url).await.unwrap());
        let writer = writer_of(&a).expect("a file database has a writer");
        assert_eq!(
            writer
                .get_sqlite_connection_pool()
                .options()
                .get_max_connections(),
            1
        );

        let first = begin_write(&a).await.unwrap();
        let second = tokio::spawn(async move { begin_write(&b).await.map(|_| ()) });
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(!second.is_finished(), "the second writer waits its turn");
        first.commit().await.unwrap();

        second.await.unwrap().expect("then it begins");
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn audit_row(org: i64, details: &str) -> crate::entity::audit_event::ActiveModel {
        use sea_orm::Set;
        crate::entity::audit_event::ActiveModel {
            organization_id: Set(org),
            actor: Set("test".into()),
            action: Set("batch".into()),
            details: Set(details.into()),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn a_batch_writes_its_rows_in_order_in_one_query() {
        use crate::entity::audit_event;
        use sea_orm::QueryOrder;
        let db = open("sqlite::memory:").await.unwrap();
        let org = crate::orgs::create(&db, "acme", "Acme", false, chrono::Utc::now())
            .await
            .unwrap();
        let mut batch = Batch::default();
        // Values that a naive split on `;` or `?` would break.
        batch.insert(audit_row(org.id, "first; with a semicolon"));
        batch.insert_many(vec![
            audit_row(org.id, "second?"),
            audit_row(org.id, "third"),
        ]);
        batch.insert_many(Vec::<crate::entity::audit_event::ActiveModel>::new());
        let txn = begin_write(&db).await.unwrap();
        batch.run(&txn).await.unwrap();
        txn.commit().await.unwrap();

        let details: Vec<String> = audit_event::Entity::find()
            .order_by_asc(audit_event::Column::Id)
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|row| row.details)
            .collect();
        assert_eq!(details, ["first; with a semicolon", "second?", "third"]);
    }

    #[tokio::test]
    async fn a_batch_with_a_failing_row_fails_and_its_transaction_writes_nothing() {
        use crate::entity::audit_event;
        use sea_orm::PaginatorTrait;
        let db = open("sqlite::memory:").await.unwrap();
        let org = crate::orgs::create(&db, "acme", "Acme", false, chrono::Utc::now())
            .await
            .unwrap();
        let mut batch = Batch::default();
        batch.insert(audit_row(org.id, "kept only with the rest"));
        batch.insert(audit_row(org.id + 1_000, "no such organization"));
        let txn = begin_write(&db).await.unwrap();
        assert!(batch.run(&txn).await.is_err());
        drop(txn);

        assert_eq!(audit_event::Entity::find().count(&db).await.unwrap(), 0);
    }

    #[tokio::test]
    async fn a_batch_row_can_refer_to_another_by_key_and_a_batch_can_update() {
        use crate::entity::{audit_event, organization};
        use sea_orm::{QueryFilter, QueryTrait};
        let db = open("sqlite::memory:").await.unwrap();
        let org = crate::orgs::create(&db, "acme", "Acme", false, chrono::Utc::now())
            .await
            .unwrap();
        let mut batch = Batch::default();
        // The row's own organization id is wrong: the expression replaces it.
        batch.insert_with(
            audit_row(org.id + 1_000, "by slug"),
            audit_event::Column::OrganizationId,
            id_of::<organization::Entity>(
                organization::Column::Id,
                organization::Column::Slug,
                "acme",
            ),
        );
        batch.update(
            organization::Entity::update_many()
                .col_expr(organization::Column::Name, Expr::value("Acme S.r.l."))
                .filter(organization::Column::Id.eq(org.id))
                .into_query(),
        );
        let txn = begin_write(&db).await.unwrap();
        batch.run(&txn).await.unwrap();
        txn.commit().await.unwrap();

        let row = audit_event::Entity::find().one(&db).await.unwrap().unwrap();
        assert_eq!(
            (row.organization_id, row.details.as_str()),
            (org.id, "by slug")
        );
        let renamed = organization::Entity::find_by_id(org.id)
            .one(&db)
            .await
            .unwrap();
        assert_eq!(renamed.unwrap().name, "Acme S.r.l.");
    }

    /// A migrated SQLite file in a fresh directory, with one organization.
    async fn file_db(name: &str) -> (DatabaseConnection, i64, PathBuf) {
        let dir = std::env::temp_dir().join(format!("dunwell-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let db = open(&format!("sqlite://{}/t.db", dir.display()))
            .await
            .unwrap();
        let org = crate::orgs::create(&db, "acme", "Acme", false, chrono::Utc::now())
            .await
            .unwrap();
        (db, org.id, dir)
    }

    fn org_query(org: i64) -> sea_orm::sea_query::SelectStatement {
        use crate::entity::organization;
        use sea_orm::QueryFilter;
        organization::Entity::find()
            .filter(organization::Column::Id.eq(org))
            .into_query()
    }

    async fn audit_details(db: &DatabaseConnection) -> Vec<String> {
        use crate::entity::audit_event;
        use sea_orm::QueryOrder;
        audit_event::Entity::find()
            .order_by_asc(audit_event::Column::Id)
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .map(|row| row.details)
            .collect()
    }

    /// A write that must begin at once: the writer connection holds no transaction.
    async fn writer_is_free(db: &DatabaseConnection, org: i64, details: &str) {
        let mut batch = Batch::default();
        batch.insert(audit_row(org, details));
        let txn = tokio::time::timeout(Duration::from_secs(5), Txn::begin(db))
            .await
            .expect("the writer connection is back in the pool")
            .unwrap();
        txn.commit(batch)
            .await
            .expect("its BEGIN finds no transaction left open");
    }

    #[tokio::test]
    async fn a_txn_on_a_sqlite_file_reads_then_commits_its_batch() {
        let (db, org, dir) = file_db("txn-commit").await;
        let mut txn = Txn::begin(&db).await.unwrap();
        assert!(
            matches!(txn.0, TxnInner::Sqlite { .. }),
            "the file's writer"
        );

        let row = txn.query_one(&org_query(org)).await.unwrap();
        let mut batch = Batch::default();
        batch.insert(audit_row(org, "read; then written"));
        txn.commit(batch).await.unwrap();

        assert!(row.is_some(), "the read saw the organization");
        assert_eq!(audit_details(&db).await, ["read; then written"]);
        writer_is_free(&db, org, "next").await;
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn a_txn_whose_batch_fails_writes_nothing_and_frees_the_writer() {
        let (db, org, dir) = file_db("txn-fail").await;
        let mut batch = Batch::default();
        batch.insert(audit_row(org, "kept only with the rest"));
        batch.insert(audit_row(org + 1_000, "no such organization"));

        let failed = Txn::begin(&db).await.unwrap().commit(batch).await;

        assert!(failed.is_err(), "the foreign key refuses the second row");
        writer_is_free(&db, org, "after").await;
        assert_eq!(audit_details(&db).await, ["after"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn a_txn_dropped_after_its_read_rolls_back_before_the_next_writer() {
        let (db, org, dir) = file_db("txn-drop").await;
        let mut txn = Txn::begin(&db).await.unwrap();
        txn.query_one(&org_query(org)).await.unwrap();

        // A refusal after the read: the transaction is dropped with its BEGIN sent.
        drop(txn);

        writer_is_free(&db, org, "after").await;
        assert_eq!(audit_details(&db).await, ["after"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn a_txn_whose_read_failed_cannot_commit() {
        use sea_orm::sea_query::Alias;
        let (db, org, dir) = file_db("txn-read-failed").await;
        let mut txn = Txn::begin(&db).await.unwrap();
        let mut bad = Query::select();
        bad.column(Alias::new("x"))
            .from(Alias::new("no_such_table"));
        assert!(txn.query_one(&bad).await.is_err());
        let mut batch = Batch::default();
        batch.insert(audit_row(org, "after a failed read"));

        let committed = txn.commit(batch).await;

        assert!(
            committed.is_err(),
            "refused: it might not be in a transaction"
        );
        writer_is_free(&db, org, "next").await;
        assert_eq!(audit_details(&db).await, ["next"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn an_in_memory_database_is_its_own_writer() {
        let db = connect("sqlite::memory:").await.unwrap();

        assert!(writer_of(&db).is_none());
        begin_write(&db).await.unwrap().commit().await.unwrap();
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
