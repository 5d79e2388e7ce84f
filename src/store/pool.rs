//! The database handle: opening (and migrating) the SQLite file, and write transactions that take
//! their turn. Every kind of record adds its own `impl Store` block in its own file.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use tokio::sync::{Mutex, OwnedMutexGuard};

#[derive(Clone, Debug)]
pub struct Store {
    pub(super) pool: SqlitePool,
    /// Writers take turns here before they take a connection. SQLite admits one writer at a time
    /// anyway; waiting in SQLite means holding a pooled connection while its busy handler sleeps
    /// (1, 2, 5, 10 … ms), so a burst of delivered messages could leave a command's read waiting
    /// for a connection. Waiting here wakes the next writer as soon as the last one is done.
    writes: Arc<Mutex<()>>,
}

/// A write transaction holding the writers' turn until it is committed or dropped.
pub(crate) struct Write {
    tx: sqlx::Transaction<'static, sqlx::Sqlite>,
    _turn: OwnedMutexGuard<()>,
}

impl Write {
    pub(crate) async fn commit(self) -> sqlx::Result<()> {
        self.tx.commit().await
    }
}

impl std::ops::Deref for Write {
    type Target = sqlx::SqliteConnection;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for Write {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

impl Store {
    /// Opens (creating if missing) the database and applies the embedded migrations.
    pub async fn open(database_url: &str) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str(database_url)
            .with_context(|| "DATABASE_URL is not a valid SQLite URL".to_string())?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // WAL + NORMAL: a committed change survives a process crash; only a power cut can
            // lose the last moments, and it cannot corrupt the file.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            // A local file needs no liveness ping before each query (it halved query cost).
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .with_context(|| format!("cannot open the database {}", describe(database_url)))?;
        sqlx::migrate!()
            .run(&pool)
            .await
            .with_context(|| format!("cannot prepare the database {}", describe(database_url)))?;
        Ok(Self {
            pool,
            writes: Arc::new(Mutex::new(())),
        })
    }

    /// A write transaction that takes SQLite's write lock at once (`BEGIN IMMEDIATE`). A deferred
    /// one that reads first cannot wait for another writer when it later writes (SQLite answers
    /// "busy" at once to avoid a deadlock), so a change would fail instead of waiting out the busy
    /// timeout.
    pub(super) async fn write(&self) -> sqlx::Result<Write> {
        let turn = self.writes.clone().lock_owned().await;
        Ok(Write {
            tx: self.pool.begin_with("BEGIN IMMEDIATE").await?,
            _turn: turn,
        })
    }

    /// The writers' turn, for a single statement that writes outside `write()`.
    pub(super) async fn turn(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.writes.lock().await
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The rows of `thresholds` or `report_schedules` (both have `chat_id` and `owner_id`) that
/// someone still serves: not in a paused chat, and the chat, or the user who set the row, is
/// allowed or an admin (`?1`: the admins as a JSON array). Rows from before owners were recorded
/// have none and stay served.
///
/// The unary `+` keeps SQLite from answering the OR with one index search per branch and a
/// sort of their union: a plain scan checking each row is about twice as fast on 30,000 levels
/// (docs/BENCHMARKS.md, alert cycle).
pub(super) const SERVED: &str = "chat_id NOT IN (SELECT chat_id FROM paused_chats)
    AND (+owner_id IS NULL
         OR +chat_id IN (SELECT chat_id FROM allowed_chats)
         OR +owner_id IN (SELECT chat_id FROM allowed_chats)
         OR +chat_id IN (SELECT value FROM json_each(?1))
         OR +owner_id IN (SELECT value FROM json_each(?1)))";

/// `(?, ?, …), (?, ?, …), …`: `rows` rows of `columns` parameters, for one statement that takes
/// many rows as a multi-row `VALUES` list (its columns are `column1`, `column2`, …). Anonymous
/// parameters only: for each parameter sqlx asks SQLite its name, which with numbered ones
/// (`?NNN`) is a search through all of them, quadratic in the number of parameters.
pub(super) fn values_rows(rows: usize, columns: usize) -> String {
    let row = format!("({})", vec!["?"; columns].join(", "));
    vec![row; rows].join(", ")
}

pub(super) fn json(value: &(impl serde::Serialize + ?Sized)) -> String {
    serde_json::to_string(value).expect("plain tuples always serialize")
}

/// The database's location for error messages (a SQLite URL holds no password).
fn describe(url: &str) -> String {
    url.trim_start_matches("sqlite:")
        .trim_start_matches("//")
        .to_owned()
}
