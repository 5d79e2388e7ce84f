//! Chats whose alerts are held until a time (`/mute`).

use super::pool::Store;
use crate::rules::domain::ChatId;

/// A chat's mute: alerts are held until `until` (Unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mute {
    pub chat_id: ChatId,
    pub until: i64,
}

fn mute((chat_id, until): (i64, i64)) -> Mute {
    Mute {
        chat_id: ChatId(chat_id),
        until,
    }
}

impl Store {
    /// Holds a chat's alerts until `until` (replacing an earlier mute).
    pub async fn set_mute(
        &self,
        chat_id: ChatId,
        until: i64,
        by: ChatId,
        now: i64,
    ) -> sqlx::Result<()> {
        let _turn = self.turn().await;
        sqlx::query(
            "INSERT INTO mutes (chat_id, until, set_by, set_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (chat_id) DO UPDATE SET
                 until = excluded.until, set_by = excluded.set_by, set_at = excluded.set_at",
        )
        .bind(chat_id.0)
        .bind(until)
        .bind(by.0)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Ends a chat's mute now; returns whether one was still running.
    /// The events its feeds held up to `now` are marked summarized (the reply counts them).
    pub async fn end_mute(&self, chat_id: ChatId, now: i64) -> sqlx::Result<bool> {
        let mut tx = self.write().await?;
        let done = sqlx::query("DELETE FROM mutes WHERE chat_id = ?1 RETURNING until > ?2")
            .bind(chat_id.0)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
        super::feeds::summarize_held(&mut tx, &[chat_id], now).await?;
        tx.commit().await?;
        Ok(match done {
            Some(row) => sqlx::Row::get::<bool, _>(&row, 0),
            None => false,
        })
    }

    /// The chat's running mute, if any.
    pub async fn mute_of(&self, chat_id: ChatId, now: i64) -> sqlx::Result<Option<Mute>> {
        let row =
            sqlx::query_as("SELECT chat_id, until FROM mutes WHERE chat_id = ?1 AND until > ?2")
                .bind(chat_id.0)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(mute))
    }

    /// Every mute, running or ended but not yet summarized.
    pub async fn mutes(&self) -> sqlx::Result<Vec<Mute>> {
        let rows: Vec<(i64, i64)> =
            sqlx::query_as("SELECT chat_id, until FROM mutes ORDER BY chat_id")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(mute).collect())
    }
}
