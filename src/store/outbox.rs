//! Messages owed to chats (the outbox) and chats that refuse the bot's messages.

use sqlx::FromRow;

use super::Store;

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct OutboxItem {
    pub id: i64,
    pub chat_id: i64,
    pub text: String,
}

impl Store {
    pub async fn pending_messages(&self, limit: i64) -> sqlx::Result<Vec<OutboxItem>> {
        sqlx::query_as("SELECT id, chat_id, text FROM outbox ORDER BY id LIMIT ?1")
            .bind(limit)
            .fetch_all(&self.pool)
            .await
    }

    pub async fn message_delivered(&self, id: i64) -> sqlx::Result<()> {
        sqlx::query("DELETE FROM outbox WHERE id = ?1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Stops alerting a chat that blocked or removed the bot; its owed messages are dropped.
    pub async fn pause_chat(&self, chat_id: i64, reason: &str, now: i64) -> sqlx::Result<u64> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO paused_chats (chat_id, reason, paused_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (chat_id) DO UPDATE SET reason = excluded.reason",
        )
        .bind(chat_id)
        .bind(reason)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let dropped = sqlx::query("DELETE FROM outbox WHERE chat_id = ?1")
            .bind(chat_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(dropped)
    }

    /// A paused chat that writes to the bot again is reachable again. Returns whether it was paused.
    pub async fn unpause_chat(&self, chat_id: i64) -> sqlx::Result<bool> {
        let done = sqlx::query("DELETE FROM paused_chats WHERE chat_id = ?1")
            .bind(chat_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A group became a supergroup: everything kept under the old id moves to the new one.
    pub async fn migrate_chat(&self, old: i64, new: i64) -> sqlx::Result<()> {
        let mut tx = self.pool.begin().await?;
        for sql in [
            "UPDATE OR REPLACE thresholds SET chat_id = ?2 WHERE chat_id = ?1",
            "UPDATE OR IGNORE allowed_chats SET chat_id = ?2 WHERE chat_id = ?1",
            "UPDATE outbox SET chat_id = ?2 WHERE chat_id = ?1",
        ] {
            sqlx::query(sql)
                .bind(old)
                .bind(new)
                .execute(&mut *tx)
                .await?;
        }
        for sql in [
            "DELETE FROM allowed_chats WHERE chat_id = ?1",
            "DELETE FROM paused_chats WHERE chat_id = ?1",
        ] {
            sqlx::query(sql).bind(old).execute(&mut *tx).await?;
        }
        tx.commit().await
    }
}
