//! The audit log: who changed access, alert levels or report schedules, when, where, from what
//! to what. Entries are written by the changes themselves, inside their transactions.

use sqlx::{FromRow, SqliteConnection};

use super::Store;

/// Who made a change: a Telegram user, with the name they had then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: i64,
    /// `@username`, else the first name; empty when Telegram gave none.
    pub name: String,
}

impl Actor {
    /// An actor known only by id (tools and tests that seed data).
    pub fn id_only(id: i64) -> Self {
        Self {
            id,
            name: String::new(),
        }
    }
}

/// One audited change, as `/audit` shows it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_id: i64,
    pub actor_name: String,
    pub chat_id: i64,
    pub action: String,
    pub subject: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

/// What one change was: written by `record` in the change's own transaction.
pub(super) struct Change<'a> {
    pub actor: &'a Actor,
    /// Where the command was sent.
    pub chat_id: i64,
    pub action: &'static str,
    pub subject: String,
    /// The user or chat the change is about.
    pub about: i64,
    pub old: Option<String>,
    pub new: Option<String>,
    pub at: i64,
}

pub(super) async fn record(conn: &mut SqliteConnection, c: Change<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit (at, actor_id, actor_name, chat_id, action, subject, about_id,
                            old_value, new_value)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .bind(c.at)
    .bind(c.actor.id)
    .bind(&c.actor.name)
    .bind(c.chat_id)
    .bind(c.action)
    .bind(&c.subject)
    .bind(c.about)
    .bind(c.old)
    .bind(c.new)
    .execute(conn)
    .await?;
    Ok(())
}

const COLUMNS: &str =
    "id, at, actor_id, actor_name, chat_id, action, subject, old_value, new_value";

impl Store {
    /// The newest `limit` entries, newest first.
    pub async fn audit_recent(&self, limit: u32) -> sqlx::Result<Vec<AuditEntry>> {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM audit ORDER BY id DESC LIMIT ?1"
        ))
        .bind(limit)
        .fetch_all(&self.pool)
        .await
    }

    /// The newest `limit` entries about a user or chat, or done by that user or in that chat.
    pub async fn audit_about(&self, id: i64, limit: u32) -> sqlx::Result<Vec<AuditEntry>> {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM audit WHERE about_id = ?1 OR actor_id = ?1 OR chat_id = ?1
             ORDER BY id DESC LIMIT ?2"
        ))
        .bind(id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
    }

    /// Drops entries older than `before` (the caller keeps at least a year).
    pub async fn prune_audit(&self, before: i64) -> sqlx::Result<u64> {
        let _turn = self.turn().await;
        Ok(sqlx::query("DELETE FROM audit WHERE at < ?1")
            .bind(before)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }
}
