//! Messages owed to chats (the outbox), their delivery state, and chats that refuse the bot.
//!
//! The checker writes owed messages in the same transaction as the alert states that caused them;
//! the delivery worker sends them and records the outcome here. A row leaves the outbox only once
//! Telegram accepted it (at-least-once), or is parked when it can never be delivered.

use std::collections::BTreeSet;

use sqlx::FromRow;

use super::languages::ChatLanguage;
use super::pool::{Store, Write, json};
use crate::rules::domain::ChatId;

/// What kind of message a row is (for the operator's logs and counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MessageKind {
    /// A chat's alert level crossed.
    Alert,
    /// The admins hear about OxaPay's health.
    Notice,
    /// A scheduled (or `/report now`) balance report.
    Report,
    /// A payment or payout the chat hears about.
    Feed,
}

impl MessageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Alert => "alert",
            MessageKind::Notice => "notice",
            MessageKind::Report => "report",
            MessageKind::Feed => "feed",
        }
    }
}

/// A message to write into the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owed {
    pub chat_id: ChatId,
    pub text: String,
    pub kind: MessageKind,
}

impl Owed {
    pub fn new(chat_id: ChatId, text: String, kind: MessageKind) -> Self {
        Self {
            chat_id,
            text,
            kind,
        }
    }
}

/// An owed message the delivery worker is to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    pub id: i64,
    pub chat_id: ChatId,
    pub text: String,
    /// Failed attempts so far.
    pub attempts: i64,
    /// `MessageKind` as stored (`alert`, `notice`).
    pub kind: String,
    /// The chat's stored language (for the buttons under an alert).
    pub language: ChatLanguage,
}

#[derive(FromRow)]
struct OutboxRow {
    id: i64,
    chat_id: i64,
    text: String,
    attempts: i64,
    kind: String,
    lang: Option<String>,
    seen: Option<String>,
}

impl From<OutboxRow> for OutboxItem {
    fn from(r: OutboxRow) -> Self {
        Self {
            id: r.id,
            chat_id: ChatId(r.chat_id),
            text: r.text,
            attempts: r.attempts,
            kind: r.kind,
            language: ChatLanguage {
                set: r.lang,
                seen: r.seen,
            },
        }
    }
}

impl Store {
    /// The messages to send now: per chat, its oldest owed message that is due, leaving out paused
    /// chats and `busy` chats (a send to them is under way). One at a time per chat keeps a chat's
    /// messages in order and keeps a refusing chat from taking more than one send slot; a message
    /// waiting out a backoff does not hold the newer ones of its chat.
    ///
    /// Asked after every send, so it walks the outbox in id order and stops at `limit`, asking the
    /// `(chat_id, id)` index whether the chat has an older due message: 0.05 ms on 10,000 owed
    /// reports, where grouping the whole outbox by chat took 7 ms (docs/BENCHMARKS.md, fan-out).
    pub async fn due_messages(
        &self,
        now: i64,
        busy: &BTreeSet<ChatId>,
        limit: usize,
    ) -> sqlx::Result<Vec<OutboxItem>> {
        let busy: Vec<i64> = busy.iter().map(|c| c.0).collect();
        let rows: Vec<OutboxRow> = sqlx::query_as(
            "SELECT o.id, o.chat_id, o.text, o.attempts, o.kind, l.lang, l.seen FROM outbox o
             LEFT JOIN chat_languages l ON l.chat_id = o.chat_id
             WHERE o.parked_at IS NULL AND o.next_attempt_at <= ?1
               AND NOT EXISTS (SELECT 1 FROM outbox p
                               WHERE p.chat_id = o.chat_id AND p.id < o.id
                                 AND p.parked_at IS NULL AND p.next_attempt_at <= ?1)
               AND o.chat_id NOT IN (SELECT chat_id FROM paused_chats)
               AND o.chat_id NOT IN (SELECT value FROM json_each(?2))
             ORDER BY o.id LIMIT ?3",
        )
        .bind(now)
        .bind(json(&busy))
        .bind(limit as i64)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(OutboxItem::from).collect())
    }

    /// When the next owed message becomes due (`None`: nothing is owed).
    pub async fn next_due_at(&self) -> sqlx::Result<Option<i64>> {
        // In `outbox_next_due` order: the first row not in a paused chat, not a scan of them all.
        sqlx::query_scalar(
            "SELECT next_attempt_at FROM outbox
             WHERE parked_at IS NULL AND chat_id NOT IN (SELECT chat_id FROM paused_chats)
             ORDER BY next_attempt_at LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await
    }

    /// Messages still owed (not parked), for logs and metrics.
    pub async fn owed_count(&self) -> sqlx::Result<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE parked_at IS NULL")
            .fetch_one(&self.pool)
            .await
    }

    pub async fn message_delivered(&self, id: i64) -> sqlx::Result<()> {
        let _turn = self.turn().await;
        sqlx::query("DELETE FROM outbox WHERE id = ?1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A send failed for a reason that may pass: try again at `next_attempt_at`.
    pub async fn retry_later(
        &self,
        id: i64,
        attempts: i64,
        next_attempt_at: i64,
        error: &str,
    ) -> sqlx::Result<()> {
        let _turn = self.turn().await;
        sqlx::query(
            "UPDATE outbox SET attempts = ?2, next_attempt_at = ?3, last_error = ?4 WHERE id = ?1",
        )
        .bind(id)
        .bind(attempts)
        .bind(next_attempt_at)
        .bind(error)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// This message can never be delivered (Telegram refuses it, or it failed too often): it is
    /// kept for the operator but never sent.
    pub async fn park_message(&self, id: i64, error: &str, now: i64) -> sqlx::Result<()> {
        let _turn = self.turn().await;
        sqlx::query("UPDATE outbox SET parked_at = ?3, last_error = ?2 WHERE id = ?1")
            .bind(id)
            .bind(error)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Stops alerting a chat that refuses the bot's messages for good (blocked it, removed it, took
    /// its right to write); its owed messages are dropped. Returns how many were dropped.
    pub async fn pause_chat(&self, chat_id: ChatId, reason: &str, now: i64) -> sqlx::Result<u64> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO paused_chats (chat_id, reason, paused_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (chat_id) DO UPDATE SET reason = excluded.reason",
        )
        .bind(chat_id.0)
        .bind(reason)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let dropped = sqlx::query("DELETE FROM outbox WHERE chat_id = ?1")
            .bind(chat_id.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(dropped)
    }

    /// A paused chat that writes to the bot again is reachable again. Returns whether it was paused.
    pub async fn unpause_chat(&self, chat_id: ChatId) -> sqlx::Result<bool> {
        let _turn = self.turn().await;
        let done = sqlx::query("DELETE FROM paused_chats WHERE chat_id = ?1")
            .bind(chat_id.0)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A group became a supergroup: everything kept under the old id moves to the new one, in one
    /// transaction. Idempotent: a second call (the service message in the new chat after the one
    /// in the old, or a send answering "migrated") finds nothing to move. Where the new id already
    /// has a setting of its own, the newer one (the new id's) wins. Returns whether anything moved.
    pub async fn migrate_chat(&self, old: ChatId, new: ChatId) -> sqlx::Result<bool> {
        if old == new {
            return Ok(false);
        }
        let mut tx = self.write().await?;
        let mut moved = 0;
        for sql in [
            "UPDATE OR IGNORE thresholds SET chat_id = ?2 WHERE chat_id = ?1",
            "UPDATE OR IGNORE allowed_chats SET chat_id = ?2 WHERE chat_id = ?1",
            "UPDATE OR IGNORE mutes SET chat_id = ?2 WHERE chat_id = ?1",
            "UPDATE OR IGNORE chat_settings SET chat_id = ?2 WHERE chat_id = ?1",
            "UPDATE OR IGNORE chat_languages SET chat_id = ?2 WHERE chat_id = ?1",
            "UPDATE OR IGNORE report_schedules SET chat_id = ?2 WHERE chat_id = ?1",
            "UPDATE OR IGNORE report_baselines SET chat_id = ?2 WHERE chat_id = ?1",
            "UPDATE OR IGNORE chat_payment_feeds SET chat_id = ?2 WHERE chat_id = ?1",
            "UPDATE OR IGNORE chat_payout_feeds SET chat_id = ?2 WHERE chat_id = ?1",
            "UPDATE OR IGNORE payment_told SET chat_id = ?2 WHERE chat_id = ?1",
            "UPDATE OR IGNORE payout_told SET chat_id = ?2 WHERE chat_id = ?1",
            "UPDATE outbox SET chat_id = ?2 WHERE chat_id = ?1",
        ] {
            moved += sqlx::query(sql)
                .bind(old.0)
                .bind(new.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        // What could not move (the new id had its own) and the old id's pause are left behind.
        for sql in [
            "DELETE FROM thresholds WHERE chat_id = ?1",
            "DELETE FROM allowed_chats WHERE chat_id = ?1",
            "DELETE FROM mutes WHERE chat_id = ?1",
            "DELETE FROM chat_settings WHERE chat_id = ?1",
            "DELETE FROM chat_languages WHERE chat_id = ?1",
            "DELETE FROM report_schedules WHERE chat_id = ?1",
            "DELETE FROM report_baselines WHERE chat_id = ?1",
            "DELETE FROM chat_payment_feeds WHERE chat_id = ?1",
            "DELETE FROM chat_payout_feeds WHERE chat_id = ?1",
            "DELETE FROM payment_told WHERE chat_id = ?1",
            "DELETE FROM payout_told WHERE chat_id = ?1",
            "DELETE FROM paused_chats WHERE chat_id = ?1",
        ] {
            moved += sqlx::query(sql)
                .bind(old.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        tx.commit().await?;
        Ok(moved > 0)
    }
}

/// Queues messages in the outbox, inside the transaction of the state that caused them.
pub(super) async fn queue(tx: &mut Write, messages: &[Owed], now: i64) -> sqlx::Result<()> {
    for chunk in messages.chunks(QUEUE_ROWS) {
        let mut insert = sqlx::query(&QUEUE_INSERT);
        for m in chunk {
            insert = insert
                .bind(m.chat_id.0)
                .bind(m.text.as_str())
                .bind(m.kind.as_str())
                .bind(now);
        }
        for _ in chunk.len()..QUEUE_ROWS {
            insert = insert.bind(None::<i64>).bind(None::<&str>);
            insert = insert.bind(None::<&str>).bind(None::<i64>);
        }
        insert.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Rows per statement when messages are queued.
const QUEUE_ROWS: usize = 500;

/// `QUEUE_ROWS` messages as one multi-row `VALUES` list, `(chat_id, text, kind, created_at)`; the
/// rows past the last message are NULLs and skipped. One prepared statement serves every size.
static QUEUE_INSERT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "INSERT INTO outbox (chat_id, text, kind, created_at)
         SELECT column1, column2, column3, column4 FROM (VALUES {}) WHERE column1 IS NOT NULL",
        super::pool::values_rows(QUEUE_ROWS, 4)
    )
});
