//! The balance checker's record: one check's states and owed messages, and OxaPay's health.

use sqlx::FromRow;

use super::outbox::Owed;
use super::pool::{Store, json};
use crate::rules::alerts::{AlertState, Transition};
use crate::rules::domain::ChatId;
use crate::rules::oxapay_health::Health;

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
    /// the outbox, delivered afterwards), the mutes whose end was summarized, and the checker's
    /// health. A crash before the commit leaves everything as it was (the next check decides
    /// again); after it, the messages are owed and will be sent, exactly one summary included.
    pub async fn record_check(&self, check: &CheckRecord<'_>) -> sqlx::Result<()> {
        let CheckRecord {
            transitions,
            messages,
            health,
            success_at,
            mutes_ended,
            now,
        } = *check;
        // Each list goes to SQLite as one JSON parameter and is applied by one statement:
        // measured on 3,000 transitions, 9 ms against 205 ms for one statement per row.
        let states: Vec<StateRow> = transitions
            .iter()
            .map(|t| {
                let (state, since, last) = match t.new_state {
                    AlertState::Unchecked => ("unchecked", None, None),
                    AlertState::Ok => ("ok", None, None),
                    AlertState::Crossed {
                        since,
                        last_alert_at,
                    } => ("crossed", Some(since), Some(last_alert_at)),
                };
                StateRow(
                    t.chat_id.0,
                    t.subject.key(),
                    t.direction.as_str(),
                    t.level.to_string(),
                    state,
                    since,
                    last,
                )
            })
            .collect();
        let mut tx = self.write().await?;
        if !states.is_empty() {
            // Matching the level too: a threshold changed during the check is left unchecked.
            sqlx::query(
                "UPDATE thresholds AS t
                 SET state = u.value ->> 4, crossed_since = u.value ->> 5,
                     last_alert_at = u.value ->> 6
                 FROM json_each(?1) AS u
                 WHERE t.chat_id = u.value ->> 0 AND t.currency = u.value ->> 1
                   AND t.direction = u.value ->> 2 AND t.level = u.value ->> 3",
            )
            .bind(json(&states))
            .execute(&mut *tx)
            .await?;
        }
        super::outbox::queue(&mut tx, messages, now).await?;
        if !mutes_ended.is_empty() {
            // Only mutes that ended by now: one renewed during the check stays.
            sqlx::query(
                "DELETE FROM mutes WHERE chat_id IN (SELECT value FROM json_each(?1))
                   AND until <= ?2",
            )
            .bind(json(&mutes_ended.iter().map(|c| c.0).collect::<Vec<_>>()))
            .bind(now)
            .execute(&mut *tx)
            .await?;
            super::feeds::summarize_held(&mut tx, mutes_ended, now).await?;
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

/// Everything one check writes, in one transaction.
#[derive(Clone, Copy)]
pub struct CheckRecord<'a> {
    pub transitions: &'a [Transition],
    pub messages: &'a [Owed],
    pub health: &'a Health,
    /// When the balance read succeeded (`None`: it failed).
    pub success_at: Option<i64>,
    /// Chats whose ended mute this check summarized.
    pub mutes_ended: &'a [ChatId],
    pub now: i64,
}

/// A new state as SQLite's `json_each` reads it: `[chat_id, currency, direction, level, state,
/// crossed_since, last_alert_at]`.
#[derive(serde::Serialize)]
struct StateRow<'a>(
    i64,
    &'a str,
    &'a str,
    String,
    &'a str,
    Option<i64>,
    Option<i64>,
);
