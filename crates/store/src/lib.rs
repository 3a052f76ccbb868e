//! sirr's database: one diesel code path over SQLite (default, embedded) and PostgreSQL.
//!
//! This crate knows tables, rows and transactions, never HTTP: the server's handlers call it
//! and map [`StoreError`] (and diesel's errors) to answers in one place. It holds the
//! connection and backend choice, the pool, the migrations of both backends, the schema, the
//! stored states ([`status`]), the id generator, SQLite's group-commit [`writer`], and the
//! queries that several parts of the server share (one module per concern).
//!
//! The backend is chosen from the URL scheme — `postgres://` or `postgresql://` is PostgreSQL,
//! anything else a SQLite file path — and constructed explicitly, never guessed, so connection
//! errors keep their real message. Both migration sets are embedded in the binary and run at
//! start; on PostgreSQL an advisory lock keeps several starting processes from racing.

pub mod access_tokens;
pub mod action_items;
pub mod assignments;
pub mod attachments;
pub mod audit_log;
pub mod branches;
pub mod campaigns;
pub mod change_counters;
pub mod checklists;
pub mod disputes;
pub mod exports;
pub mod idempotency_keys;
pub mod ids;
pub mod login_attempts;
pub mod names;
pub mod organisation;
pub mod outbox;
pub mod password_links;
pub mod period_estimates;
pub mod planning;
pub mod refresh_tokens;
pub mod regions;
pub mod reviews;
pub mod schema;
pub mod score_reports;
pub mod shopper_bars;
pub mod status;
pub mod teams;
pub mod user_scopes;
pub mod users;
pub mod visits;
pub mod writer;

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection, PooledConnection};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// A connection to either backend. SQLite must stay the last variant (diesel's rule).
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    /// PostgreSQL.
    Postgresql(PgConnection),
    /// SQLite.
    Sqlite(SqliteConnection),
}

/// Rows per multi-row INSERT of [`insert_all!`]: well under PostgreSQL's limit on bound
/// values.
pub const BATCH_ROWS: usize = 500;

/// Inserts a slice of rows (tuples of `column.eq(value)`): on PostgreSQL in multi-row statements
/// of [`BATCH_ROWS`], since a round trip per row made a 10,000-branch import take tens of seconds;
/// on SQLite, which has no round trips and whose batch form diesel's multi-connection type does not
/// offer, one statement per row. A macro because the row type differs per table.
#[macro_export]
macro_rules! insert_all {
    ($conn:expr, $table:expr, $rows:expr) => {{
        use diesel::RunQueryDsl as _;
        let rows = $rows;
        match $conn {
            $crate::DbConnection::Postgresql(pg) => {
                for chunk in rows.chunks($crate::BATCH_ROWS) {
                    diesel::insert_into($table).values(chunk).execute(pg)?;
                }
            }
            $crate::DbConnection::Sqlite(lite) => {
                for row in rows.iter() {
                    diesel::insert_into($table).values(row).execute(lite)?;
                }
            }
        }
    }};
}

/// Which database engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgresql,
}

impl Backend {
    /// The backend a database URL names.
    pub fn of(url: &str) -> Self {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Self::Postgresql
        } else {
            Self::Sqlite
        }
    }

    /// Its name, for logs and `/readyz`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgresql => "postgresql",
        }
    }
}

/// What can go wrong in the store (the server maps each to an answer: 503 when the database
/// cannot be reached, 500 otherwise).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be reached or opened.
    #[error("cannot connect to the database: {0}")]
    Connect(#[from] diesel::ConnectionError),
    /// A statement failed.
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
    /// Migrations could not be applied.
    #[error("cannot apply migrations: {0}")]
    Migrate(String),
    /// No connection could be taken from the pool.
    #[error("database pool: {0}")]
    Pool(String),
    /// SQLite's writer thread is gone, so nothing can be written.
    #[error("the database writer has stopped")]
    WriterStopped,
    /// The batch a transaction ran in did not commit.
    #[error("commit failed: {0}")]
    Commit(String),
    /// The writer dropped a transaction without an answer (it panicked; nothing of its batch
    /// was stored).
    #[error("the database writer dropped a transaction")]
    Abandoned,
}

/// Opens connections of the right backend, with SQLite's per-connection settings.
#[derive(Debug, Clone)]
pub struct Manager {
    url: String,
    backend: Backend,
    busy_timeout: Duration,
}

impl Manager {
    /// A manager for `url` (see [`Backend::of`]).
    pub fn new(url: impl Into<String>, busy_timeout: Duration) -> Self {
        let url = url.into();
        Self {
            backend: Backend::of(&url),
            url,
            busy_timeout,
        }
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Opens one connection.
    pub fn open(&self) -> Result<DbConnection, StoreError> {
        match self.backend {
            Backend::Postgresql => Ok(DbConnection::Postgresql(PgConnection::establish(
                &self.url,
            )?)),
            Backend::Sqlite => {
                let mut conn = SqliteConnection::establish(&self.url)?;
                // WAL lets readers work while one writer writes; the busy timeout makes a writer
                // wait for the lock instead of failing at once. A read after another
                // connection's commit starts with an empty page cache (WAL mode), so pages come
                // from a memory map rather than one read(2) each.
                conn.batch_execute(&format!(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {}; \
                     PRAGMA mmap_size = 1073741824;",
                    self.busy_timeout.as_millis()
                ))?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = StoreError;

    fn connect(&self) -> Result<DbConnection, StoreError> {
        self.open()
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), StoreError> {
        conn.batch_execute("SELECT 1").map_err(StoreError::from)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        use diesel::r2d2::R2D2Connection;
        conn.is_broken()
    }
}

/// A pool of connections.
pub type Pool = r2d2::Pool<Manager>;
/// A connection taken from the pool.
pub type PooledConn = PooledConnection<Manager>;

/// Builds a pool of at most `size` connections and applies pending migrations.
pub fn connect(url: &str, size: u32, busy_timeout: Duration) -> Result<Pool, StoreError> {
    let manager = Manager::new(url, busy_timeout);
    // Open once first: a clear error beats a pool timeout when the database is unreachable.
    let mut first = manager.open()?;
    migrate(&mut first)?;
    drop(first);
    r2d2::Pool::builder()
        .max_size(size)
        // No `SELECT 1` round trip on every check-out (a tenth of a submission's statements on
        // PostgreSQL): a connection is checked after a call fails instead (`check_after_error`).
        .test_on_check_out(false)
        .connection_timeout(Duration::from_secs(10))
        .build(manager)
        .map_err(|e| StoreError::Pool(e.to_string()))
}

/// After a call on `conn` failed: if the connection itself is gone (the server restarted, the
/// network dropped), marks it broken so the pool closes it instead of handing it out again,
/// and says so (the request then answers 503, not 500).
pub fn check_after_error(conn: &mut DbConnection) -> bool {
    use diesel::connection::{Connection, TransactionManager, TransactionManagerStatus};
    if conn.batch_execute("SELECT 1").is_err() {
        *<DbConnection as Connection>::TransactionManager::transaction_manager_status_mut(conn) =
            TransactionManagerStatus::InError;
        return true;
    }
    false
}

/// Asks the database for `SELECT 1`: whether it answers at all.
pub fn ping(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    conn.batch_execute("SELECT 1")
}

/// A pooled connection that has just answered `SELECT 1`: idle connections that fail it are
/// marked broken (the pool drops them) until one answers or the pool opens a new one. Tries
/// at most the pool's size plus one, each bounded by the pool's check-out timeout.
pub fn live_connection(pool: &Pool) -> Result<PooledConn, StoreError> {
    let mut last = String::from("no connection tried");
    for _ in 0..=pool.max_size() {
        let mut conn = pool.get().map_err(|e| StoreError::Pool(e.to_string()))?;
        match conn.batch_execute("SELECT 1") {
            Ok(()) => return Ok(conn),
            Err(e) => {
                check_after_error(&mut conn);
                last = e.to_string();
            }
        }
    }
    Err(StoreError::Pool(format!("no live connection: {last}")))
}

/// Applies every pending migration of the connection's backend.
pub fn migrate(conn: &mut DbConnection) -> Result<(), StoreError> {
    let result = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        DbConnection::Postgresql(c) => {
            // One process migrates at a time; the others wait, then find nothing to do.
            c.batch_execute("SELECT pg_advisory_lock(7405140)")?;
            let result = c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ());
            c.batch_execute("SELECT pg_advisory_unlock(7405140)")?;
            result
        }
    };
    result.map_err(|e| StoreError::Migrate(e.to_string()))
}

/// Reverts every migration (tests use it to check that `down.sql` works).
pub fn revert_all(conn: &mut DbConnection) -> Result<(), StoreError> {
    let result = match conn {
        DbConnection::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        DbConnection::Postgresql(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
    };
    result.map_err(|e| StoreError::Migrate(e.to_string()))
}

/// Takes SQLite's write lock before a transaction reads anything, so two concurrent writers
/// queue (busy timeout) instead of one failing when it upgrades a stale read snapshot. On
/// PostgreSQL row locks and conditional updates do this job; nothing to do.
pub fn lock_for_write(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    use diesel::prelude::*;
    use schema::change_counters;
    if let DbConnection::Sqlite(_) = conn {
        // A no-op write (no such row); the query builder form keeps it a cached statement.
        diesel::update(change_counters::table.filter(change_counters::name.eq("write-lock")))
            .set(change_counters::value.eq(change_counters::value))
            .execute(conn)?;
    }
    Ok(())
}

/// Whether an insert stored its row: `false` when a unique key refused it (another process or
/// request stored the same record first, which the caller takes as done), any other error as is.
pub fn inserted(result: diesel::QueryResult<usize>) -> diesel::QueryResult<bool> {
    match result {
        Ok(_) => Ok(true),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The current time as stored: UTC, truncated to microseconds (PostgreSQL's precision), so
/// that a value read back equals the value written on both backends.
pub fn now() -> chrono::NaiveDateTime {
    let t = chrono::Utc::now().naive_utc();
    t.with_nanosecond_floor()
}

/// A stored time (UTC, microseconds) as RFC 3339 text in UTC, the form every reader gets.
pub fn rfc3339(t: chrono::NaiveDateTime) -> String {
    t.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

trait MicrosFloor {
    fn with_nanosecond_floor(self) -> Self;
}

impl MicrosFloor for chrono::NaiveDateTime {
    fn with_nanosecond_floor(self) -> Self {
        use chrono::Timelike;
        let nanos = self.nanosecond() / 1000 * 1000;
        self.with_nanosecond(nanos).unwrap_or(self)
    }
}
