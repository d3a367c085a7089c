//! The store: every SQL query, over sqlx for SQLite (default, WAL) and PostgreSQL.
//!
//! Each query is written once with `$1` placeholders and runs on both backends through
//! sqlx's `Any` driver; both migration sets give the same tables the same meaning (64-bit
//! integers, text, times in epoch milliseconds). A command's whole effect — its change, its
//! event row and its sequence number — is one transaction, begun with [`Store::begin_write`].

mod admin;
mod follows;
mod search;
mod sessions;
mod tickets;
mod users;

use std::{sync::Arc, time::Duration};

use sqlx::{Any, AnyPool, Transaction, any::AnyPoolOptions, migrate::Migrator};
use tokio::sync::{Mutex, OwnedMutexGuard};
use tracing::instrument;

pub use tickets::EventDraft;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// Which database the store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness rule refused the write; names the constraint when the database does.
    #[error("conflict on {0}")]
    Conflict(String),
    /// The database cannot be reached; nothing was written.
    #[error("database unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    /// Anything else the database reported.
    #[error("database error: {0}")]
    Backend(#[source] sqlx::Error),
}

impl From<sqlx::Error> for Error {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::RowNotFound => Error::NotFound,
            sqlx::Error::Database(ref db) if db.is_unique_violation() => {
                Error::Conflict(db.constraint().unwrap_or("unique").to_owned())
            }
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => Error::Unavailable(err),
            // SQLite reports a locked or read-only file this way; Postgres a shutdown.
            sqlx::Error::Database(ref db)
                if matches!(db.code().as_deref(), Some("5" | "57P01" | "57P03")) =>
            {
                Error::Unavailable(err)
            }
            other => Error::Backend(other),
        }
    }
}

/// Result of a store operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Handle to the database: cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite allows one writer at a time; taking turns here, in order, is cheaper and fairer
    /// than letting transactions collide on the file lock and retry. `None` for PostgreSQL,
    /// where row locks order writers per ticket.
    write_gate: Option<Arc<Mutex<()>>>,
}

/// A write transaction; dropped without [`WriteTx::commit`] it rolls back.
pub struct WriteTx {
    pub(crate) tx: Transaction<'static, Any>,
    pub(crate) backend: Backend,
    _turn: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    /// Makes the transaction's changes durable.
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }
}

impl Store {
    /// Connects to `url` (`sqlite://…` or `postgres://…`).
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        };
        let options = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(5));
        let pool = match backend {
            Backend::Sqlite => {
                options
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // WAL lets readers run beside the writer; FULL makes a commit
                            // durable before the command is acknowledged.
                            sqlx::raw_sql(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                            )
                            .execute(conn)
                            .await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await?
            }
            Backend::Postgres => options.connect(url).await?,
        };
        let write_gate = (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(())));
        Ok(Self {
            pool,
            backend,
            write_gate,
        })
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Brings the schema up to date.
    #[instrument(skip_all)]
    pub async fn migrate(&self) -> Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await.map_err(|e| match e {
            sqlx::migrate::MigrateError::Execute(err) => Error::from(err),
            other => Error::Backend(sqlx::Error::Migrate(Box::new(other))),
        })
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// Begins a write transaction (waiting for SQLite's single writer turn).
    pub async fn begin_write(&self) -> Result<WriteTx> {
        let turn = match &self.write_gate {
            Some(gate) => Some(gate.clone().lock_owned().await),
            None => None,
        };
        let tx = match self.backend {
            // IMMEDIATE takes the write lock up front, so a transaction that reads first never
            // fails on upgrade when another process (the CLI) writes at the same time.
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(WriteTx {
            tx,
            backend: self.backend,
            _turn: turn,
        })
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
