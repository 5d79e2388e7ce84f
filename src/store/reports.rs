//! Report schedules, each chat's time zone, and what its previous report showed.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use chrono_tz::Tz;
use rust_decimal::Decimal;
use sqlx::FromRow;

use super::audit::{Actor, Audit, AuditAction};
use super::outbox::MessageKind;
use super::pool::{SERVED, Store, json};
use super::thresholds::admins_json;
use crate::rules::domain::{ChatId, Subject, UserId};
use crate::rules::schedule::parse_zone;

/// A chat's report schedule as stored (`spec` is the `/report` argument form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSchedule {
    pub chat_id: ChatId,
    pub spec: String,
    pub created_at: i64,
    /// The newest slot handled (sent, or skipped as too late).
    pub last_slot: Option<i64>,
}

#[derive(FromRow)]
struct ScheduleRow {
    chat_id: i64,
    spec: String,
    created_at: i64,
    last_slot: Option<i64>,
}

impl From<ScheduleRow> for StoredSchedule {
    fn from(r: ScheduleRow) -> Self {
        Self {
            chat_id: ChatId(r.chat_id),
            spec: r.spec,
            created_at: r.created_at,
            last_slot: r.last_slot,
        }
    }
}

/// One report written to the outbox, with everything that must change with it.
pub struct ReportRecord<'a> {
    pub chat_id: ChatId,
    pub text: &'a str,
    /// The scheduled slot it answers (`None`: `/report now`).
    pub slot: Option<i64>,
    /// What it showed (subject → amount), the base of the next report's changes.
    pub baseline: &'a [(Subject, Decimal)],
    pub now: i64,
}

impl Store {
    /// The chat's time zone: the one it set with `/report … TZ`, else UTC (also when a stored
    /// name is no longer known to the time-zone data).
    pub async fn chat_zone(&self, chat_id: ChatId) -> sqlx::Result<Tz> {
        let name: Option<String> =
            sqlx::query_scalar("SELECT tz FROM chat_settings WHERE chat_id = ?1")
                .bind(chat_id.0)
                .fetch_optional(&self.pool)
                .await?;
        Ok(name.and_then(|z| parse_zone(&z)).unwrap_or(Tz::UTC))
    }

    /// Sets (or replaces) the chat's schedule and remembers its zone, in one transaction. A new
    /// schedule starts fresh: only its slots after `now` are due.
    pub async fn set_report(
        &self,
        chat_id: ChatId,
        spec: &str,
        zone: &str,
        by: &Actor,
        now: i64,
    ) -> sqlx::Result<()> {
        let mut tx = self.write().await?;
        let old: Option<String> =
            sqlx::query_scalar("SELECT spec FROM report_schedules WHERE chat_id = ?1")
                .bind(chat_id.0)
                .fetch_optional(&mut *tx)
                .await?;
        sqlx::query(
            "INSERT INTO report_schedules (chat_id, spec, owner_id, created_at, last_slot)
             VALUES (?1, ?2, ?3, ?4, NULL)
             ON CONFLICT (chat_id) DO UPDATE SET spec = excluded.spec,
                 owner_id = excluded.owner_id, created_at = excluded.created_at, last_slot = NULL",
        )
        .bind(chat_id.0)
        .bind(spec)
        .bind(by.id.0)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let audit = Audit {
            by,
            chat_id,
            about: chat_id,
            at: now,
        };
        let new = Some(spec.to_owned());
        audit
            .record(&mut tx, AuditAction::ReportSet, "report", old, new)
            .await?;
        sqlx::query(
            "INSERT INTO chat_settings (chat_id, tz) VALUES (?1, ?2)
             ON CONFLICT (chat_id) DO UPDATE SET tz = excluded.tz",
        )
        .bind(chat_id.0)
        .bind(zone)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    pub async fn report_of(&self, chat_id: ChatId) -> sqlx::Result<Option<StoredSchedule>> {
        let row: Option<ScheduleRow> = sqlx::query_as(
            "SELECT chat_id, spec, created_at, last_slot FROM report_schedules WHERE chat_id = ?1",
        )
        .bind(chat_id.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(StoredSchedule::from))
    }

    /// Stops the chat's reports (with its audit entry); returns whether it had a schedule.
    pub async fn remove_report(&self, chat_id: ChatId, by: &Actor, now: i64) -> sqlx::Result<bool> {
        let mut tx = self.write().await?;
        let old: Option<String> =
            sqlx::query_scalar("DELETE FROM report_schedules WHERE chat_id = ?1 RETURNING spec")
                .bind(chat_id.0)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(old) = &old {
            let audit = Audit {
                by,
                chat_id,
                about: chat_id,
                at: now,
            };
            audit
                .record(
                    &mut tx,
                    AuditAction::ReportOff,
                    "report",
                    Some(old.clone()),
                    None,
                )
                .await?;
        }
        tx.commit().await?;
        Ok(old.is_some())
    }

    /// The schedules the scheduler must run: not in a paused chat, and served by someone (the
    /// same rule as alert levels: the chat, or the user who set it, is allowed or an admin).
    pub async fn live_reports(
        &self,
        admins: &BTreeSet<UserId>,
    ) -> sqlx::Result<Vec<StoredSchedule>> {
        let rows: Vec<ScheduleRow> = sqlx::query_as(&format!(
            "SELECT chat_id, spec, created_at, last_slot FROM report_schedules
             WHERE {SERVED} ORDER BY chat_id"
        ))
        .bind(admins_json(Some(admins)))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(StoredSchedule::from).collect())
    }

    /// What the chat's previous report showed: subject → (amount, when). A row that no longer
    /// reads (edited by hand) is left out: the next report shows that figure as new.
    pub async fn report_baseline(
        &self,
        chat_id: ChatId,
    ) -> sqlx::Result<BTreeMap<Subject, (Decimal, i64)>> {
        let rows: Vec<(String, String, i64)> =
            sqlx::query_as("SELECT subject, amount, at FROM report_baselines WHERE chat_id = ?1")
                .bind(chat_id.0)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(s, a, at)| {
                let subject = Subject::from_key(&s)?;
                Decimal::from_str(&a).ok().map(|d| (subject, (d, at)))
            })
            .collect())
    }

    /// Writes a report to the outbox, marks its slot handled and keeps what it showed for the
    /// next one's changes — all in one transaction, so a crash can neither lose the report nor
    /// send it twice.
    pub async fn record_report(&self, r: &ReportRecord<'_>) -> sqlx::Result<()> {
        let mut tx = self.write().await?;
        sqlx::query("INSERT INTO outbox (chat_id, text, kind, created_at) VALUES (?1, ?2, ?3, ?4)")
            .bind(r.chat_id.0)
            .bind(r.text)
            .bind(MessageKind::Report.as_str())
            .bind(r.now)
            .execute(&mut *tx)
            .await?;
        if let Some(slot) = r.slot {
            sqlx::query("UPDATE report_schedules SET last_slot = ?2 WHERE chat_id = ?1")
                .bind(r.chat_id.0)
                .bind(slot)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM report_baselines WHERE chat_id = ?1")
            .bind(r.chat_id.0)
            .execute(&mut *tx)
            .await?;
        let rows: Vec<(&str, String)> = r
            .baseline
            .iter()
            .map(|(s, a)| (s.key(), a.to_string()))
            .collect();
        sqlx::query(
            "INSERT INTO report_baselines (chat_id, subject, amount, at)
             SELECT ?1, value ->> 0, value ->> 1, ?3 FROM json_each(?2)",
        )
        .bind(r.chat_id.0)
        .bind(json(&rows))
        .bind(r.now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// A slot that will not be sent (too late after downtime): marked handled.
    pub async fn skip_slot(&self, chat_id: ChatId, slot: i64) -> sqlx::Result<()> {
        let _turn = self.turn().await;
        sqlx::query("UPDATE report_schedules SET last_slot = ?2 WHERE chat_id = ?1")
            .bind(chat_id.0)
            .bind(slot)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
