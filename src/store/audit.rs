//! The audit log: who changed access, alert levels or report schedules, when, where, from what
//! to what. Entries are written by the changes themselves, inside their transactions.

use sqlx::{FromRow, SqliteConnection};

use super::pool::Store;
use crate::rules::domain::ChatId;

/// Who made a change: a Telegram user (by the id of their private chat, which is their user id),
/// with the name they had then; for a post with no sender, the chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: ChatId,
    /// `@username`, else the first name; empty when Telegram gave none.
    pub name: String,
}

impl Actor {
    /// An actor known only by id (tools and tests that seed data).
    pub fn id_only(id: ChatId) -> Self {
        Self {
            id,
            name: String::new(),
        }
    }
}

/// What kind of change an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    Allow,
    Deny,
    AlertSet,
    AlertOff,
    ReportSet,
    ReportOff,
}

impl AuditAction {
    /// As stored in the `action` column.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Allow => "allow",
            AuditAction::Deny => "deny",
            AuditAction::AlertSet => "alert_set",
            AuditAction::AlertOff => "alert_off",
            AuditAction::ReportSet => "report_set",
            AuditAction::ReportOff => "report_off",
        }
    }

    /// The inverse of [`AuditAction::as_str`].
    pub fn parse(stored: &str) -> Option<Self> {
        [
            AuditAction::Allow,
            AuditAction::Deny,
            AuditAction::AlertSet,
            AuditAction::AlertOff,
            AuditAction::ReportSet,
            AuditAction::ReportOff,
        ]
        .into_iter()
        .find(|a| a.as_str() == stored)
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

/// Who changes what, where and when: what every entry of one change shares. `record` writes an
/// entry in the change's own transaction.
pub(super) struct Audit<'a> {
    pub by: &'a Actor,
    /// Where the command was sent.
    pub chat_id: ChatId,
    /// The user or chat the change is about.
    pub about: ChatId,
    pub at: i64,
}

impl Audit<'_> {
    pub(super) async fn record(
        &self,
        conn: &mut SqliteConnection,
        action: AuditAction,
        subject: &str,
        old: Option<String>,
        new: Option<String>,
    ) -> sqlx::Result<()> {
        sqlx::query(
            "INSERT INTO audit (at, actor_id, actor_name, chat_id, action, subject, about_id,
                                old_value, new_value)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .bind(self.at)
        .bind(self.by.id.0)
        .bind(&self.by.name)
        .bind(self.chat_id.0)
        .bind(action.as_str())
        .bind(subject)
        .bind(self.about.0)
        .bind(old)
        .bind(new)
        .execute(conn)
        .await?;
        Ok(())
    }
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
    pub async fn audit_about(&self, id: ChatId, limit: u32) -> sqlx::Result<Vec<AuditEntry>> {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM audit WHERE about_id = ?1 OR actor_id = ?1 OR chat_id = ?1
             ORDER BY id DESC LIMIT ?2"
        ))
        .bind(id.0)
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
