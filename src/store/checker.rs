//! The balance checker's record: one check's states and owed messages, and OxaPay's health.

use sqlx::FromRow;

use super::{Owed, Store, json};
use crate::alerts::{AlertState, Health, Transition};

#[derive(FromRow)]
struct CheckerRow {
    last_success_at: Option<i64>,
    failures: i64,
    failing_since: Option<i64>,
    last_error: Option<String>,
    notice_sent: bool,
}

impl Store {
    pub async fn checker(&self) -> sqlx::Result<(Option<i64>, Health)> {
        let row: CheckerRow = sqlx::query_as(
            "SELECT last_success_at, failures, failing_since, last_error, notice_sent
             FROM checker WHERE id = 1",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok((
            row.last_success_at,
            Health {
                failures: row.failures.clamp(0, u32::MAX as i64) as u32,
                failing_since: row.failing_since,
                last_error: row.last_error,
                notice_sent: row.notice_sent,
            },
        ))
    }

    /// Records one check in a single transaction: the new states, the messages they cause (in
    /// the outbox, delivered afterwards), and the checker's health. A crash before the commit
    /// leaves everything as it was; after it, the messages are still owed and will be sent.
    pub async fn record_check(
        &self,
        transitions: &[Transition],
        messages: &[Owed],
        health: &Health,
        success_at: Option<i64>,
        now: i64,
    ) -> sqlx::Result<()> {
        // Each list goes to SQLite as one JSON parameter and is applied by one statement:
        // measured on 3,000 transitions, 9 ms against 205 ms for one statement per row.
        let states: Vec<StateRow> = transitions
            .iter()
            .map(|t| {
                let (state, since, last) = match t.new_state {
                    AlertState::Unchecked => ("unchecked", None, None),
                    AlertState::Ok => ("ok", None, None),
                    AlertState::Low {
                        since,
                        last_alert_at,
                    } => ("low", Some(since), Some(last_alert_at)),
                };
                StateRow(
                    t.chat_id,
                    &t.currency,
                    t.level.to_string(),
                    state,
                    since,
                    last,
                )
            })
            .collect();
        let mut tx = self.pool.begin().await?;
        if !states.is_empty() {
            // Matching the level too: a threshold changed during the check is left unchecked.
            sqlx::query(
                "UPDATE thresholds AS t
                 SET state = u.value ->> 3, low_since = u.value ->> 4, last_alert_at = u.value ->> 5
                 FROM json_each(?1) AS u
                 WHERE t.chat_id = u.value ->> 0 AND t.currency = u.value ->> 1
                   AND t.level = u.value ->> 2",
            )
            .bind(json(&states))
            .execute(&mut *tx)
            .await?;
        }
        if !messages.is_empty() {
            sqlx::query(
                "INSERT INTO outbox (chat_id, text, kind, created_at)
                 SELECT value ->> 0, value ->> 1, value ->> 2, ?2 FROM json_each(?1)",
            )
            .bind(json(&messages))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE checker SET last_success_at = COALESCE(?1, last_success_at), failures = ?2,
                 failing_since = ?3, last_error = ?4, notice_sent = ?5 WHERE id = 1",
        )
        .bind(success_at)
        .bind(health.failures as i64)
        .bind(health.failing_since)
        .bind(&health.last_error)
        .bind(health.notice_sent)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }
}

/// A new state as SQLite's `json_each` reads it: `[chat_id, currency, level, state, low_since,
/// last_alert_at]`.
#[derive(serde::Serialize)]
struct StateRow<'a>(i64, &'a str, String, &'a str, Option<i64>, Option<i64>);
