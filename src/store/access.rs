//! Who may use the bot: the chats (users and groups) admins allowed.

use std::collections::BTreeSet;

use sqlx::FromRow;

use super::audit::{Actor, Audit, AuditAction};
use super::languages::ChatLanguage;
use super::pool::{Store, Write, json};
use super::thresholds::admins_json;
use crate::rules::domain::{ChatId, UserId};

/// A user or group an admin allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedChat {
    pub chat_id: ChatId,
    pub added_by: ChatId,
    pub added_at: i64,
}

#[derive(FromRow)]
struct AllowedRow {
    chat_id: i64,
    added_by: i64,
    added_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub allowed: bool,
    pub paused: bool,
    /// Whether this chat has alert levels (strangers in it are told how to switch them off).
    pub has_levels: bool,
    /// The chat's stored language.
    pub language: ChatLanguage,
}

/// What `/deny` took away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DenyOutcome {
    pub was_allowed: bool,
    /// (chat, levels removed there), by chat id.
    pub removed_levels: Vec<(ChatId, u64)>,
    /// Chats whose report schedule it served, now stopped.
    pub stopped_reports: Vec<ChatId>,
    /// Owed alerts dropped because their chat is no longer served at all.
    pub dropped_messages: u64,
}

impl Store {
    /// Whether this user, or the chat they write in, was allowed by an admin, whether the
    /// chat's alerts are paused, and its stored language: one query, as it runs for every
    /// command.
    pub async fn access(&self, user_id: Option<UserId>, chat_id: ChatId) -> sqlx::Result<Access> {
        type Row = (bool, bool, bool, Option<String>, Option<String>);
        let (allowed, paused, has_levels, set, seen): Row = sqlx::query_as(
            "SELECT EXISTS (SELECT 1 FROM allowed_chats WHERE chat_id IN (?1, ?2)),
                    EXISTS (SELECT 1 FROM paused_chats WHERE chat_id = ?2),
                    EXISTS (SELECT 1 FROM thresholds WHERE chat_id = ?2),
                    (SELECT lang FROM chat_languages WHERE chat_id = ?2),
                    (SELECT seen FROM chat_languages WHERE chat_id = ?2)",
        )
        .bind(user_id.map_or(chat_id, ChatId::from).0)
        .bind(chat_id.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(Access {
            allowed,
            paused,
            has_levels,
            language: ChatLanguage { set, seen },
        })
    }

    /// Allows a user or group, recording who did it from `where_` in the audit log. Returns
    /// false (and records nothing) when it was already allowed.
    pub async fn allow(
        &self,
        chat_id: ChatId,
        by: &Actor,
        where_: ChatId,
        now: i64,
    ) -> sqlx::Result<bool> {
        let mut tx = self.write().await?;
        let added = sqlx::query(
            "INSERT INTO allowed_chats (chat_id, added_by, added_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (chat_id) DO NOTHING",
        )
        .bind(chat_id.0)
        .bind(by.id.0)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if added {
            let audit = Audit {
                by,
                chat_id: where_,
                about: chat_id,
                at: now,
            };
            let (old, new) = (Some("not allowed".into()), Some("allowed".into()));
            audit
                .record(&mut tx, AuditAction::Allow, &chat_id.to_string(), old, new)
                .await?;
        }
        tx.commit().await?;
        Ok(added)
    }

    /// Takes an admin's permission back from a user or group, and with it every alert level that
    /// only it made flow: the levels of its own chat, and the levels it set in chats that are not
    /// themselves allowed (groups it brought the bot into). Levels set in allowed chats stay (the
    /// chat's own permission serves them). Owed messages to chats nobody serves any more go too.
    /// `admins` are the `ADMIN_IDS`: their chats are always served.
    pub async fn deny(
        &self,
        id: ChatId,
        admins: &BTreeSet<UserId>,
        by: &Actor,
        where_: ChatId,
        now: i64,
    ) -> sqlx::Result<DenyOutcome> {
        let admins = admins_json(Some(admins));
        let mut tx = self.write().await?;
        let was_allowed = sqlx::query("DELETE FROM allowed_chats WHERE chat_id = ?1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        let (removed, stopped_reports) = remove_served_only_by(&mut tx, id, &admins).await?;
        let affected: Vec<i64> = removed
            .iter()
            .map(|(chat, _)| *chat)
            .chain([id.0])
            .collect();
        let dropped_messages = drop_unserved_outbox(&mut tx, &affected, &admins).await?;
        let levels: u64 = removed.iter().map(|(_, n)| *n as u64).sum();
        if was_allowed || levels > 0 || !stopped_reports.is_empty() {
            let audit = Audit {
                by,
                chat_id: where_,
                about: id,
                at: now,
            };
            let old = Some(
                if was_allowed {
                    "allowed"
                } else {
                    "not allowed"
                }
                .into(),
            );
            let new = Some(format!(
                "denied; {levels} alert level(s) and {} report schedule(s) it served removed",
                stopped_reports.len()
            ));
            audit
                .record(&mut tx, AuditAction::Deny, &id.to_string(), old, new)
                .await?;
        }
        tx.commit().await?;
        Ok(DenyOutcome {
            was_allowed,
            removed_levels: removed
                .into_iter()
                .map(|(chat_id, n)| (ChatId(chat_id), n as u64))
                .collect(),
            stopped_reports: stopped_reports.into_iter().map(ChatId).collect(),
            dropped_messages,
        })
    }

    pub async fn allowed_chats(&self) -> sqlx::Result<Vec<AllowedChat>> {
        let rows: Vec<AllowedRow> = sqlx::query_as(
            "SELECT chat_id, added_by, added_at FROM allowed_chats ORDER BY chat_id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| AllowedChat {
                chat_id: ChatId(r.chat_id),
                added_by: ChatId(r.added_by),
                added_at: r.added_at,
            })
            .collect())
    }
}

/// The levels and report schedules only `id`'s permission served: its own chat's, and those set
/// by it in chats that are not themselves allowed (nor an admin's). Returns (chat, levels
/// removed) and the chats whose schedule stopped.
async fn remove_served_only_by(
    tx: &mut Write,
    id: ChatId,
    admins: &str,
) -> sqlx::Result<(Vec<(i64, i64)>, Vec<i64>)> {
    const ONLY_THROUGH_IT: &str = "chat_id = ?1 OR (owner_id = ?1
             AND chat_id NOT IN (SELECT chat_id FROM allowed_chats)
             AND chat_id NOT IN (SELECT value FROM json_each(?2)))";
    let removed: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT chat_id, COUNT(*) FROM thresholds WHERE {ONLY_THROUGH_IT}
         GROUP BY chat_id ORDER BY chat_id"
    ))
    .bind(id.0)
    .bind(admins)
    .fetch_all(&mut **tx)
    .await?;
    sqlx::query(&format!("DELETE FROM thresholds WHERE {ONLY_THROUGH_IT}"))
        .bind(id.0)
        .bind(admins)
        .execute(&mut **tx)
        .await?;
    let stopped: Vec<i64> = sqlx::query_scalar(&format!(
        "DELETE FROM report_schedules WHERE {ONLY_THROUGH_IT} RETURNING chat_id"
    ))
    .bind(id.0)
    .bind(admins)
    .fetch_all(&mut **tx)
    .await?;
    Ok((removed, stopped))
}

/// Drops the messages still owed to `chats` that nobody serves any more (not allowed, not an
/// admin's, no level or schedule left); returns how many.
async fn drop_unserved_outbox(tx: &mut Write, chats: &[i64], admins: &str) -> sqlx::Result<u64> {
    Ok(sqlx::query(
        "DELETE FROM outbox WHERE chat_id IN (SELECT value FROM json_each(?1))
           AND chat_id NOT IN (SELECT chat_id FROM allowed_chats)
           AND chat_id NOT IN (SELECT value FROM json_each(?2))
           AND NOT EXISTS (SELECT 1 FROM thresholds t WHERE t.chat_id = outbox.chat_id)
           AND NOT EXISTS (SELECT 1 FROM report_schedules r WHERE r.chat_id = outbox.chat_id)",
    )
    .bind(json(chats))
    .bind(admins)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}
