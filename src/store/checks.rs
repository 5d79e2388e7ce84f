//! The balance checker's record: one check's states and owed messages, and OxaPay's health.

use std::sync::LazyLock;

use sqlx::FromRow;

use super::outbox::Owed;
use super::pool::{Store, json, values_rows};
use super::thresholds::CHANGES;
use crate::rules::alerts::{AlertState, Transition};
use crate::rules::domain::ChatId;
use crate::rules::oxapay_health::Health;

/// Rows per statement when a check writes its states and messages.
const ROWS: usize = 500;

/// `ROWS` new states: `(chat_id, currency, direction, level, state, crossed_since, last_alert_at)`.
static UPDATE_STATES: LazyLock<String> = LazyLock::new(|| {
    format!(
        "UPDATE thresholds AS t
         SET state = u.column5, crossed_since = u.column6, last_alert_at = u.column7
         FROM (VALUES {}) AS u
         WHERE t.chat_id = u.column1 AND t.currency = u.column2
           AND t.direction = u.column3 AND t.level = u.column4",
        values_rows(ROWS, 7)
    )
});

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
    ///
    /// Returns the count of changes (`threshold_changes`) in that transaction: when it is the
    /// one the check's thresholds were read at, nothing else changed them, and every new state
    /// was written.
    pub async fn record_check(&self, check: &CheckRecord<'_>) -> sqlx::Result<Option<i64>> {
        let CheckRecord {
            transitions,
            messages,
            health,
            success_at,
            mutes_ended,
            now,
        } = *check;
        // States and messages go to SQLite as rows of one multi-row VALUES list per statement,
        // `ROWS` at a time (the last list padded with NULL rows, which match nothing): measured
        // on 30,000 states, a third of the cost of the same rows as one JSON parameter read by
        // json_each, and a tenth of one statement per row (docs/BENCHMARKS.md).
        let levels: Vec<String> = transitions.iter().map(|t| t.level.to_string()).collect();
        let mut tx = self.write().await?;
        let changes: Option<i64> = sqlx::query_scalar(CHANGES).fetch_optional(&mut *tx).await?;
        for (chunk, levels) in transitions.chunks(ROWS).zip(levels.chunks(ROWS)) {
            // Matching the level too: a threshold changed during the check is left unchecked.
            let mut update = sqlx::query(&UPDATE_STATES);
            for (t, level) in chunk.iter().zip(levels) {
                let (state, since, last) = match t.new_state {
                    AlertState::Unchecked => ("unchecked", None, None),
                    AlertState::Ok => ("ok", None, None),
                    AlertState::Crossed {
                        since,
                        last_alert_at,
                    } => ("crossed", Some(since), Some(last_alert_at)),
                };
                update = update
                    .bind(t.chat_id.0)
                    .bind(t.subject.key())
                    .bind(t.direction.as_str())
                    .bind(level.as_str())
                    .bind(state)
                    .bind(since)
                    .bind(last);
            }
            for _ in chunk.len()..ROWS {
                update = update
                    .bind(None::<i64>)
                    .bind(None::<&str>)
                    .bind(None::<&str>);
                update = update.bind(None::<&str>).bind(None::<&str>);
                update = update.bind(None::<i64>).bind(None::<i64>);
            }
            update.execute(&mut *tx).await?;
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
        tx.commit().await?;
        Ok(changes)
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
