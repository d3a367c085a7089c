//! The store: every SQL query, over sqlx for SQLite (default, WAL) and PostgreSQL.
//!
//! Each query is written once with `$1` placeholders and runs on both backends through
//! sqlx's `Any` driver; both migration sets give the same tables the same meaning (64-bit
//! integers, text, times in epoch milliseconds). A command's whole effect — its change, its
//! event row and its sequence number — is one transaction, begun with [`Store::begin_write`].
//! With SQLite the writers' transactions are savepoints of one group transaction that commits
//! (one fsync) for all who joined it while it was open; each commit still returns only once
//! durable, and a writer that fails or is refused is rolled back alone.

mod accounts;
mod admin;
mod attachments;
mod callbacks;
mod calls;
mod drafts;
mod events;
mod follows;
mod history;
mod imap;
mod lapses;
mod mail;
mod outbox;
mod places;
mod relay;
mod search;
mod services;
mod sessions;
mod signups;
mod spam;
mod sql;
mod stats;
mod tickets;
mod tokens;
mod users;
mod widget;
mod workspace;

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use sqlx::{Any, AnyPool, Transaction, any::AnyPoolOptions, migrate::Migrator};
use tokio::sync::{Mutex, OwnedMutexGuard, oneshot};
use tracing::instrument;

use crate::metrics::Histogram;

pub use accounts::MemberRecord;
pub use attachments::FileRecord;
pub use callbacks::{CallbackUpdate, NewCallback};
pub use calls::NewCall;
pub use events::EventDraft;
pub use history::Held;
pub use imap::ImapAccount;
pub use mail::{MailPlace, MailRecord, Placed};
pub use outbox::{Claimed, OutMail, SentMail};
pub use signups::PendingSignUp;
pub use spam::Learned;
pub use stats::{Contacts, StatsQuery};
pub use tokens::{TokenGrant, TokenRecord};
pub use widget::{ORIGIN_KEY as WIDGET_ORIGIN_KEY, SITE_KEY as WIDGET_SITE_KEY, SiteRecord};
pub use workspace::MemberNotes;

/// How long `ping` waits for the database before saying it does not answer.
const PING_BUDGET: Duration = Duration::from_secs(2);
/// How long a query may wait for a pooled connection before failing as unavailable.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);
/// PostgreSQL ends a statement that runs longer than this (a lock held by a stalled client,
/// a runaway query), so no caller waits on it for ever.
const STATEMENT_TIMEOUT_MS: u64 = 8_000;

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
                if matches!(
                    db.code().as_deref(),
                    Some("5" | "57P01" | "57P03" | "57014")
                ) =>
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
    /// SQLite: the one writer's group commit. `None` for PostgreSQL, where row locks order
    /// writers per ticket and the server commits concurrent transactions together itself.
    group: Option<Arc<GroupGate>>,
    /// How long commits took (to durable).
    commits: Arc<Histogram>,
}

/// Most writes joined in one SQLite commit.
const MAX_GROUP: usize = 256;
/// Longest a SQLite group gathers writes before it commits, even with writers queued.
const MAX_GATHER: Duration = Duration::from_millis(5);

/// SQLite's writers take turns on one connection whose transaction stays open while others
/// wait their turn: each writer works inside a savepoint of it, and the last writer of a run
/// (nobody waiting behind it) commits for everyone — one fsync for many commands, each of
/// which returns only once that commit is durable.
#[derive(Debug, Default)]
struct GroupGate {
    group: Arc<Mutex<Group>>,
    /// Writers waiting for their turn.
    queued: AtomicUsize,
}

#[derive(Debug, Default)]
struct Group {
    /// The open transaction, while a group is being gathered, and when it began.
    tx: Option<Transaction<'static, Any>>,
    opened: Option<std::time::Instant>,
    /// Writers whose work is in the open transaction, waiting for its commit.
    waiting: Vec<oneshot::Sender<Result<(), String>>>,
    /// The last writer left without committing: its savepoint is still to be rolled back.
    abandoned: bool,
}

/// Counts a writer as queued until its turn comes. A writer that gives up waiting (its
/// request cancelled) may be the one a finished writer counted on to commit: it sees to it.
struct Queued {
    gate: Arc<GroupGate>,
    turn_came: bool,
}

impl Queued {
    fn new(gate: &Arc<GroupGate>) -> Self {
        gate.queued.fetch_add(1, Ordering::SeqCst);
        Queued {
            gate: Arc::clone(gate),
            turn_came: false,
        }
    }
}

impl Drop for Queued {
    fn drop(&mut self) {
        self.gate.queued.fetch_sub(1, Ordering::SeqCst);
        if !self.turn_came
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            let gate = Arc::clone(&self.gate);
            runtime.spawn(async move {
                let group = Arc::clone(&gate.group).lock_owned().await;
                settle(group, &gate).await;
            });
        }
    }
}

/// A write transaction; dropped without [`WriteTx::commit`] it rolls back.
pub struct WriteTx {
    pub(crate) backend: Backend,
    turn: Turn,
    commits: Arc<Histogram>,
}

enum Turn {
    Postgres(Transaction<'static, Any>),
    /// SQLite: this writer's turn on the group's transaction, inside savepoint `w`.
    Sqlite {
        group: Option<OwnedMutexGuard<Group>>,
        gate: Arc<GroupGate>,
    },
    /// Committed.
    Done,
}

impl WriteTx {
    /// SQLite: the group this writer's turn holds.
    fn group(&mut self) -> &mut Group {
        match &mut self.turn {
            Turn::Sqlite {
                group: Some(group), ..
            } => group,
            _ => unreachable!("only a SQLite writer's turn holds a group"),
        }
    }

    /// The transaction's connection.
    pub(crate) fn conn(&mut self) -> &mut sqlx::AnyConnection {
        match &mut self.turn {
            Turn::Postgres(tx) => tx,
            Turn::Sqlite { group, .. } => group
                .as_mut()
                .and_then(|g| g.tx.as_mut())
                .expect("a writer's turn holds the open transaction"),
            Turn::Done => unreachable!("a committed transaction is not used"),
        }
    }

    /// Makes the transaction's changes durable, and returns once they are.
    pub async fn commit(self) -> Result<()> {
        let started = std::time::Instant::now();
        let commits = Arc::clone(&self.commits);
        let result = self.finish().await;
        commits.observe(started.elapsed());
        result
    }

    async fn finish(mut self) -> Result<()> {
        let (group, gate) = match std::mem::replace(&mut self.turn, Turn::Done) {
            Turn::Postgres(tx) => {
                tx.commit().await?;
                return Ok(());
            }
            Turn::Sqlite { group, gate } => (group.expect("a writer commits once"), gate),
            Turn::Done => unreachable!("a writer commits once"),
        };
        let (done, committed) = oneshot::channel();
        // The group's own task finishes the turn, so that a caller that stops waiting (a
        // request cancelled by its client) cannot leave the group half-done.
        tokio::spawn(async move {
            let mut group = group;
            match savepoint(&mut group, "RELEASE w").await {
                Ok(()) => {
                    group.abandoned = false;
                    group.waiting.push(done);
                    let full = group.waiting.len() >= MAX_GROUP
                        || group.opened.is_some_and(|t| t.elapsed() >= MAX_GATHER);
                    if full || gate.queued.load(Ordering::SeqCst) == 0 {
                        flush(&mut group).await;
                    }
                }
                Err(err) => {
                    let _ = done.send(Err(err.to_string()));
                    settle(group, &gate).await;
                }
            }
        });
        match committed.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(message)) => Err(Error::Unavailable(sqlx::Error::Protocol(message))),
            Err(_) => Err(Error::Unavailable(sqlx::Error::Protocol(
                "the write was abandoned".into(),
            ))),
        }
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        // Left without committing (an error, a refused rule, a cancelled request): roll this
        // writer's savepoint back, and commit for those already waiting if nobody follows.
        if let Turn::Sqlite { group, gate } = &mut self.turn
            && let Some(group) = group.take()
        {
            let gate = Arc::clone(gate);
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move { settle(group, &gate).await });
            }
        }
    }
}

/// Runs a savepoint statement on the group's transaction.
async fn savepoint(group: &mut Group, sql: &'static str) -> Result<()> {
    let tx = group.tx.as_mut().ok_or(Error::NotFound)?;
    sqlx::query(sql).execute(&mut **tx).await?;
    Ok(())
}

/// Rolls back an abandoned writer's savepoint; then, when nobody waits for a turn, commits
/// what the group holds (or ends the empty transaction).
async fn settle(mut group: OwnedMutexGuard<Group>, gate: &GroupGate) {
    if !undo_abandoned(&mut group).await {
        return;
    }
    if gate.queued.load(Ordering::SeqCst) == 0 {
        flush(&mut group).await;
    }
}

/// Rolls back the savepoint of a writer that left without committing, if one did; `false`
/// when that failed and the whole group was dropped (its writers hear so).
async fn undo_abandoned(group: &mut Group) -> bool {
    if !group.abandoned {
        return true;
    }
    group.abandoned = false;
    let undone = match savepoint(group, "ROLLBACK TO w").await {
        Ok(()) => savepoint(group, "RELEASE w").await,
        Err(err) => Err(err),
    };
    match undone {
        Ok(()) => true,
        Err(err) => {
            tracing::warn!(error = %err, "a write could not be undone; the group is dropped");
            fail(group, &err.to_string());
            false
        }
    }
}

/// Commits the group's transaction and tells its writers.
async fn flush(group: &mut Group) {
    let Some(tx) = group.tx.take() else { return };
    let outcome = if group.waiting.is_empty() {
        tx.rollback().await
    } else {
        tx.commit().await
    };
    let outcome = outcome.map_err(|err| err.to_string());
    for done in group.waiting.drain(..) {
        let _ = done.send(outcome.clone());
    }
}

/// Drops the group's transaction; its writers hear that nothing was kept.
fn fail(group: &mut Group, message: &str) {
    group.tx = None;
    for done in group.waiting.drain(..) {
        let _ = done.send(Err(format!("the write was rolled back: {message}")));
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
        // No ping before each use: it would cost a round trip per query; a connection that
        // died fails its query with an error the caller reports, and is replaced.
        let options = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .test_before_acquire(false);
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
            Backend::Postgres => {
                options
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                                "SET statement_timeout = {STATEMENT_TIMEOUT_MS}; \
                                 SET idle_in_transaction_session_timeout = {STATEMENT_TIMEOUT_MS}"
                            )))
                            .execute(conn)
                            .await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await?
            }
        };
        let group = (backend == Backend::Sqlite).then(|| Arc::new(GroupGate::default()));
        Ok(Self {
            pool,
            backend,
            group,
            commits: Arc::default(),
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

    /// Whether every migration this build carries has been applied (and none failed).
    pub async fn migrations_current(&self) -> Result<bool> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        let applied: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_all(&self.pool)
                .await?;
        Ok(migrator.iter().all(|m| applied.contains(&m.version)))
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> bool {
        let ping = sqlx::query("SELECT 1").execute(&self.pool);
        matches!(tokio::time::timeout(PING_BUDGET, ping).await, Ok(Ok(_)))
    }

    /// Runs `sql`, a `DELETE` or `UPDATE … WHERE id = $1`, for `id` in a write of its own;
    /// `NotFound` when it touched no row.
    pub(crate) async fn change_by_id(&self, sql: &'static str, id: i64) -> Result<()> {
        let mut w = self.begin_write().await?;
        let done = sqlx::query(sql).bind(id).execute(w.conn()).await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        w.commit().await
    }

    /// Begins a write transaction (with SQLite, waits for the writer's turn).
    pub async fn begin_write(&self) -> Result<WriteTx> {
        let Some(gate) = &self.group else {
            return Ok(WriteTx {
                backend: self.backend,
                turn: Turn::Postgres(self.pool.begin().await?),
                commits: Arc::clone(&self.commits),
            });
        };
        let group = {
            let mut queued = Queued::new(gate);
            let group = Arc::clone(&gate.group).lock_owned().await;
            queued.turn_came = true;
            group
        };
        // From here, however this ends (even cancelled), the turn is settled on drop.
        let mut w = WriteTx {
            backend: self.backend,
            turn: Turn::Sqlite {
                group: Some(group),
                gate: Arc::clone(gate),
            },
            commits: Arc::clone(&self.commits),
        };
        let group = w.group();
        // A writer that left after its turn began has its work undone first.
        undo_abandoned(group).await;
        if group.tx.is_none() {
            // IMMEDIATE takes the write lock up front, so a transaction that reads first
            // never fails on upgrade when another process (the CLI) writes at the same time.
            group.tx = Some(self.pool.begin_with("BEGIN IMMEDIATE").await?);
            group.opened = Some(std::time::Instant::now());
        }
        group.abandoned = true;
        savepoint(group, "SAVEPOINT w").await?;
        Ok(w)
    }

    /// How long commits took.
    pub fn commit_latency(&self) -> &Histogram {
        &self.commits
    }

    /// The connection pool: open connections, idle ones, the most it opens.
    pub fn pool_use(&self) -> (u32, u32, u32) {
        let idle = u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX);
        (
            self.pool.size(),
            idle,
            self.pool.options().get_max_connections(),
        )
    }

    /// How many writers wait for their turn (SQLite; always 0 with PostgreSQL).
    pub fn writers_waiting(&self) -> usize {
        self.group
            .as_ref()
            .map_or(0, |gate| gate.queued.load(Ordering::SeqCst))
    }

    /// Returns once every write that finished its turn before this call is durable (with
    /// SQLite, joins the open group and waits for its commit).
    pub async fn synced(&self) -> Result<()> {
        self.begin_write().await?.commit().await
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
