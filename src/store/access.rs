//! Who may use the bot: the chats (users and groups) admins allowed.

use sqlx::FromRow;

use super::Store;

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct AllowedChat {
    pub chat_id: i64,
    pub added_by: i64,
    pub added_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    pub allowed: bool,
    pub paused: bool,
}

impl Store {
    /// Whether this user, or the chat they write in, was allowed by an admin, and whether the
    /// chat's alerts are paused: one query, as it runs for every command.
    pub async fn access(&self, user_id: Option<i64>, chat_id: i64) -> sqlx::Result<Access> {
        let (allowed, paused): (bool, bool) = sqlx::query_as(
            "SELECT EXISTS (SELECT 1 FROM allowed_chats WHERE chat_id IN (?1, ?2)),
                    EXISTS (SELECT 1 FROM paused_chats WHERE chat_id = ?2)",
        )
        .bind(user_id.unwrap_or(chat_id))
        .bind(chat_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(Access { allowed, paused })
    }

    /// Returns false when the chat was already allowed.
    pub async fn allow(&self, chat_id: i64, added_by: i64, now: i64) -> sqlx::Result<bool> {
        let done = sqlx::query(
            "INSERT INTO allowed_chats (chat_id, added_by, added_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (chat_id) DO NOTHING",
        )
        .bind(chat_id)
        .bind(added_by)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Removes the chat and its thresholds. Returns (was allowed, thresholds removed).
    pub async fn deny(&self, chat_id: i64) -> sqlx::Result<(bool, u64)> {
        let mut tx = self.pool.begin().await?;
        let allowed = sqlx::query("DELETE FROM allowed_chats WHERE chat_id = ?1")
            .bind(chat_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let thresholds = sqlx::query("DELETE FROM thresholds WHERE chat_id = ?1")
            .bind(chat_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        sqlx::query("DELETE FROM outbox WHERE chat_id = ?1")
            .bind(chat_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok((allowed == 1, thresholds))
    }

    pub async fn allowed_chats(&self) -> sqlx::Result<Vec<AllowedChat>> {
        sqlx::query_as("SELECT chat_id, added_by, added_at FROM allowed_chats ORDER BY chat_id")
            .fetch_all(&self.pool)
            .await
    }
}
