//! Reads for the operator's metrics, taken at scrape time (so they are never stale and cost
//! nothing between scrapes).

use sqlx::FromRow;

use super::Store;

/// How many outbox rows of one kind are still owed (`parked` false) or parked.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct OutboxCount {
    pub kind: String,
    pub parked: bool,
    pub count: i64,
}

impl Store {
    /// The outbox by kind and state (one small grouped scan).
    pub async fn outbox_counts(&self) -> sqlx::Result<Vec<OutboxCount>> {
        sqlx::query_as(
            "SELECT kind, parked_at IS NOT NULL AS parked, COUNT(*) AS count
             FROM outbox GROUP BY 1, 2 ORDER BY 1, 2",
        )
        .fetch_all(&self.pool)
        .await
    }

    /// Chats that refuse the bot's messages.
    pub async fn paused_count(&self) -> sqlx::Result<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM paused_chats")
            .fetch_one(&self.pool)
            .await
    }
}
