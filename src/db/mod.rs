//! Storage plumbing shared by every area: one connection type over PostgreSQL and SQLite, the
//! pool, migrations and the helper that runs diesel off the async executor. Knows no domain.

pub mod bulk;
pub mod schema;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::error::AppError;

const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// One connection type over both backends; store functions are written once against it.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// Which backend a database URL names. Decided from the scheme, never by trial: SQLite would
/// happily open a PostgreSQL URL as a file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Self, String> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else if url.starts_with("sqlite://") {
            Ok(Backend::Sqlite)
        } else {
            Err(format!(
                "unsupported database URL {:?}: expected postgres://… or sqlite://…",
                redact_url(url)
            ))
        }
    }
}

/// The URL without its password, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// How much of an SQLite database its connections read through a memory map instead of
/// `pread` into their own page cache: a rebuild reads every row of a large file, and in `perf`
/// the kernel's copies were a few percent of `reindex` (bench/changes.md). SQLite caps it at its
/// compile-time maximum (2 GB as built here). Writes still go through the WAL.
const SQLITE_MMAP_BYTES: u64 = 2 << 30;

/// Opens a connection for a URL of either scheme and prepares SQLite connections (WAL, busy
/// timeout, foreign keys) so every pooled connection behaves the same.
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: String,
    backend: Backend,
    sqlite_busy_timeout_ms: u64,
    /// Whether the last attempt to connect, or to use a connection, reached the database.
    reachable: Arc<AtomicBool>,
}

impl ConnectionManager {
    pub fn new(url: &str, sqlite_busy_timeout_ms: u64) -> Result<Self, String> {
        Ok(Self {
            backend: Backend::from_url(url)?,
            url: url.to_owned(),
            sqlite_busy_timeout_ms,
            reachable: Arc::new(AtomicBool::new(true)),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn establish(&self) -> ConnectionResult<DbConnection> {
        match self.backend {
            Backend::Postgres => diesel::PgConnection::establish(&self.url).map(DbConnection::Postgresql),
            Backend::Sqlite => {
                let path = self.url.trim_start_matches("sqlite://");
                let mut conn = diesel::SqliteConnection::establish(path)?;
                conn.batch_execute(&format!(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {}; PRAGMA mmap_size = {};",
                    self.sqlite_busy_timeout_ms, SQLITE_MMAP_BYTES
                ))
                .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

impl ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        let connected = self.establish();
        self.reachable.store(connected.is_ok(), Ordering::Release);
        connected.map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        let answered = conn.ping();
        if answered.is_err() {
            self.reachable.store(false, Ordering::Release);
        }
        answered.map(drop).map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        conn.is_broken()
    }
}

pub type Pool = r2d2::Pool<ConnectionManager>;

/// A request waits for a connection in slices of this length, and gives up (503) after the first
/// slice in which the database proved unreachable rather than after the pool's full timeout:
/// during an outage clients get their answer at once instead of queueing behind one another for
/// seconds each. The pool keeps connecting in the background (every
/// `database.connect_timeout_secs / 2` at most), so requests succeed again as soon as one of its
/// attempts does.
const WAIT_SLICE: Duration = Duration::from_millis(250);

/// Runs every pending migration of the URL's backend on a dedicated connection.
pub fn run_migrations(manager: &ConnectionManager) -> anyhow::Result<Vec<String>> {
    run_migrations_waiting(manager, Duration::ZERO)
}

/// Runs the migrations, first waiting up to `wait` for the database to accept connections (a
/// container may start before its database). On PostgreSQL an advisory lock makes nodes that
/// start together migrate one after the other.
pub fn run_migrations_waiting(manager: &ConnectionManager, wait: Duration) -> anyhow::Result<Vec<String>> {
    let deadline = std::time::Instant::now() + wait;
    let mut conn = loop {
        match manager.establish() {
            Ok(conn) => break conn,
            Err(error) if std::time::Instant::now() < deadline => {
                tracing::warn!(%error, "database not reachable yet; retrying");
                std::thread::sleep(Duration::from_secs(1));
            }
            Err(error) => anyhow::bail!("cannot connect to {}: {error}", redact_url(&manager.url)),
        }
    };
    let applied = match &mut conn {
        DbConnection::Postgresql(pg) => {
            pg.batch_execute("SELECT pg_advisory_lock(7240001)")?;
            let applied = pg
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.iter().map(|m| m.to_string()).collect());
            pg.batch_execute("SELECT pg_advisory_unlock(7240001)")?;
            applied
        }
        DbConnection::Sqlite(sqlite) => sqlite
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .map(|v| v.iter().map(|m| m.to_string()).collect()),
    };
    applied.map_err(|e| anyhow::anyhow!("migration failed: {e}"))
}

/// Reverts every migration of the connection's backend; used by the round-trip test.
pub fn revert_all_migrations(conn: &mut DbConnection) -> anyhow::Result<()> {
    match conn {
        DbConnection::Postgresql(pg) => pg.revert_all_migrations(POSTGRES_MIGRATIONS).map(drop),
        DbConnection::Sqlite(sqlite) => sqlite.revert_all_migrations(SQLITE_MIGRATIONS).map(drop),
    }
    .map_err(|e| anyhow::anyhow!("revert failed: {e}"))
}

/// The database handle handlers and services hold. Diesel is blocking, so every call runs on
/// the blocking pool; a semaphore the size of the pool makes surplus requests wait
/// asynchronously instead of occupying blocking threads. SQLite allows one writer: writes take
/// a process-wide permit first, which turns SQLite's lock-upgrade deadlocks (SQLITE_BUSY that no
/// busy timeout cures) into an orderly queue.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    backend: Backend,
    slots: Arc<Semaphore>,
    sqlite_writer: Arc<Semaphore>,
    /// The pool's manager's view of the database (see `ConnectionManager::reachable`).
    reachable: Arc<AtomicBool>,
}

impl Db {
    pub fn connect(manager: ConnectionManager, pool_size: u32, timeout: Duration) -> anyhow::Result<Self> {
        let backend = manager.backend();
        let reachable = manager.reachable.clone();
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            .min_idle(Some(1))
            .connection_timeout(timeout)
            .build(manager)
            .map_err(|e| anyhow::anyhow!("cannot open the database pool: {e}"))?;
        Ok(Self {
            pool,
            backend,
            slots: Arc::new(Semaphore::new(pool_size as usize)),
            sqlite_writer: Arc::new(Semaphore::new(1)),
            reachable,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Runs `f` with a pooled connection on the blocking pool, outside any transaction.
    pub async fn read<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let _slot = self.slot().await?;
        let (pool, reachable) = (self.pool.clone(), self.reachable.clone());
        actix_web::rt::task::spawn_blocking(move || {
            let mut conn = connection(&pool, &reachable)?;
            let result = f(&mut conn);
            // An error on a connection that no longer answers is the database going away (a
            // restart, a network cut), whatever diesel called it: a 503, not a 500.
            if let Err(error) = &result
                && conn.ping().is_err()
            {
                reachable.store(false, Ordering::Release);
                tracing::warn!(%error, "database connection lost");
                return Err(AppError::Unavailable("the database connection was lost".into()));
            }
            result
        })
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("database task failed: {e}")))?
    }

    /// Runs `f` inside one transaction: everything it writes commits together or not at all.
    pub async fn write<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let _writer = match self.backend {
            Backend::Sqlite => Some(self.sqlite_writer.acquire().await.map_err(closed)?),
            Backend::Postgres => None,
        };
        self.read(move |conn| in_write_transaction(conn, f)).await
    }

    /// Whether a connection can be had and answers; for `/readyz`.
    pub async fn ping(&self) -> Result<(), AppError> {
        self.read(|conn| conn.ping().map(drop).map_err(AppError::from))
            .await
    }

    async fn slot(&self) -> Result<SemaphorePermit<'_>, AppError> {
        self.slots.acquire().await.map_err(closed)
    }
}

/// `f` in one transaction. On SQLite it begins IMMEDIATE, taking the write lock up front: a
/// deferred transaction that read first and then writes after another connection (a second
/// process, a command run beside the service) committed cannot upgrade its snapshot and fails at
/// once with "database is locked", while an immediate one waits out the busy timeout like any
/// writer. PostgreSQL's transactions need no such care.
fn in_write_transaction<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    type Manager = <DbConnection as Connection>::TransactionManager;
    let DbConnection::Sqlite(sqlite) = conn else {
        return conn.transaction(f);
    };
    AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
    // From here the multi-connection's manager speaks for the SQLite connection's own, one level
    // deep: transactions inside `f` become savepoints, and commit and rollback end this one.
    match f(conn) {
        Ok(value) => {
            Manager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => {
            if let Err(rollback) = Manager::rollback_transaction(conn) {
                tracing::warn!(%rollback, "rolling back a failed write failed");
            }
            Err(error)
        }
    }
}

/// A pooled connection: waits up to the pool's timeout while the database is reachable (a busy
/// pool frees a connection soon), but gives up within a `WAIT_SLICE` once it is not.
fn connection(
    pool: &Pool,
    reachable: &AtomicBool,
) -> Result<r2d2::PooledConnection<ConnectionManager>, AppError> {
    let deadline = std::time::Instant::now() + pool.connection_timeout();
    loop {
        match pool.get_timeout(WAIT_SLICE) {
            Ok(conn) => {
                // It passed the pool's check on checkout: the database answers.
                reachable.store(true, Ordering::Release);
                return Ok(conn);
            }
            Err(error) if !reachable.load(Ordering::Acquire) || std::time::Instant::now() >= deadline => {
                return Err(error.into());
            }
            Err(_) => {}
        }
    }
}

fn closed(_: tokio::sync::AcquireError) -> AppError {
    AppError::Unavailable("the database is shutting down".into())
}

/// Rows grouped by their owner's id, in the order they came.
pub fn group_by_owner<T>(rows: Vec<T>, owner: impl Fn(&T) -> &String) -> HashMap<String, Vec<T>> {
    let mut groups: HashMap<String, Vec<T>> = HashMap::new();
    for row in rows {
        // The key is copied once per owner, not once per row.
        if let Some(group) = groups.get_mut(owner(&row)) {
            group.push(row);
        } else {
            groups.insert(owner(&row).clone(), vec![row]);
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use diesel::sql_types::BigInt;

    use super::*;

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    fn count(conn: &mut DbConnection) -> Result<i64, AppError> {
        Ok(diesel::sql_query("SELECT COUNT(*) AS n FROM notes")
            .get_result::<Count>(conn)?
            .n)
    }

    /// A write that reads first, while another connection (as a second process would) writes
    /// the same file: the write must wait its turn, not fail with "database is locked" as a
    /// deferred transaction does when it cannot upgrade its read snapshot.
    #[actix_web::test]
    async fn a_sqlite_write_that_reads_first_waits_for_another_writer_instead_of_failing() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let manager = ConnectionManager::new(&url, 5000).unwrap();
        let mut setup = manager.connect().unwrap();
        setup
            .batch_execute("CREATE TABLE notes (body TEXT NOT NULL)")
            .unwrap();
        let db = Db::connect(manager, 2, Duration::from_secs(5)).unwrap();

        let other_url = url.clone();
        let written = db
            .write(move |conn| {
                let before = count(conn)?;
                // Another writer on its own connection, while this transaction is open.
                let other = std::thread::spawn(move || {
                    let mut other = ConnectionManager::new(&other_url, 5000)
                        .unwrap()
                        .connect()
                        .unwrap();
                    other.batch_execute("INSERT INTO notes (body) VALUES ('other')")
                });
                std::thread::sleep(Duration::from_millis(200));
                diesel::sql_query("INSERT INTO notes (body) VALUES ('mine')").execute(conn)?;
                Ok((before, other))
            })
            .await;
        let (before, other) = written.expect("the write that read first commits");
        assert_eq!(before, 0);
        other
            .join()
            .unwrap()
            .expect("the other writer got its turn after the commit");
        assert_eq!(db.read(count).await.unwrap(), 2);
    }
}
