//! Alert levels per (chat, subject, direction) with their alert states.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::str::FromStr;

use rust_decimal::Decimal;
use sqlx::FromRow;

use super::audit::{Actor, Audit, AuditAction};
use super::pool::{SERVED, Store, json};
use crate::rules::alerts::{AlertState, Direction, Threshold};
use crate::rules::domain::{ChatId, Subject, UserId};

#[derive(FromRow)]
struct ThresholdRow {
    chat_id: i64,
    currency: String,
    direction: String,
    level: String,
    state: String,
    crossed_since: Option<i64>,
    last_alert_at: Option<i64>,
}

/// One row as `all_thresholds` receives it: a JSON array in `THRESHOLD_COLUMNS` order, its
/// strings borrowed from the text SQLite sent whenever they hold no escapes.
#[derive(serde::Deserialize)]
struct JsonRow<'a>(
    i64,
    #[serde(borrow)] Cow<'a, str>,
    #[serde(borrow)] Cow<'a, str>,
    #[serde(borrow)] Cow<'a, str>,
    #[serde(borrow)] Cow<'a, str>,
    Option<i64>,
    Option<i64>,
);

/// A row's columns, read into a threshold. A row that cannot be read (edited by hand, say) is
/// reported, not fatal for the others.
struct Columns<'a> {
    chat_id: i64,
    currency: &'a str,
    direction: &'a str,
    level: &'a str,
    state: &'a str,
    crossed_since: Option<i64>,
    last_alert_at: Option<i64>,
}

impl Columns<'_> {
    fn read(&self) -> Result<Threshold, String> {
        let level = Decimal::from_str(self.level)
            .map_err(|_| format!("level {:?} is not a decimal", self.level))?;
        let subject = Subject::from_key(self.currency)
            .ok_or_else(|| format!("subject {:?} is not a currency or the total", self.currency))?;
        let direction = Direction::parse(self.direction)
            .ok_or_else(|| format!("direction {:?} is not valid", self.direction))?;
        let state = match (self.state, self.crossed_since, self.last_alert_at) {
            ("unchecked", _, _) => AlertState::Unchecked,
            ("ok", _, _) => AlertState::Ok,
            ("crossed", Some(since), last) => AlertState::Crossed {
                since,
                last_alert_at: last.unwrap_or(since),
            },
            (other, ..) => return Err(format!("state {other:?} is not valid")),
        };
        Ok(Threshold {
            chat_id: ChatId(self.chat_id),
            subject,
            direction,
            level,
            state,
        })
    }

    /// Into the good thresholds or the bad rows.
    fn sort_into(&self, rows: &mut Rows) {
        match self.read() {
            Ok(t) => rows.good.push(t),
            Err(problem) => rows.bad.push(BadRow {
                chat_id: ChatId(self.chat_id),
                currency: self.currency.to_owned(),
                problem,
            }),
        }
    }
}

impl ThresholdRow {
    fn columns(&self) -> Columns<'_> {
        Columns {
            chat_id: self.chat_id,
            currency: &self.currency,
            direction: &self.direction,
            level: &self.level,
            state: &self.state,
            crossed_since: self.crossed_since,
            last_alert_at: self.last_alert_at,
        }
    }
}

impl<'a> JsonRow<'a> {
    fn columns(&self) -> Columns<'_> {
        Columns {
            chat_id: self.0,
            currency: &self.1,
            direction: &self.2,
            level: &self.3,
            state: &self.4,
            crossed_since: self.5,
            last_alert_at: self.6,
        }
    }
}

/// A threshold row the store could not read, with why.
#[derive(Debug, Clone)]
pub struct BadRow {
    pub chat_id: ChatId,
    /// The subject as stored.
    pub currency: String,
    pub problem: String,
}

/// The thresholds read, and the rows that could not be.
#[derive(Default)]
struct Rows {
    good: Vec<Threshold>,
    bad: Vec<BadRow>,
}

/// The JSON array of rows read one row at a time, each straight into a threshold: no row is
/// kept as strings in between.
impl<'de> serde::Deserialize<'de> for Rows {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Rows;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an array of threshold rows")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Rows, A::Error> {
                let mut rows = Rows::default();
                rows.good.reserve(seq.size_hint().unwrap_or(0));
                while let Some(row) = seq.next_element::<JsonRow<'de>>()? {
                    row.columns().sort_into(&mut rows);
                }
                Ok(rows)
            }
        }
        d.deserialize_seq(Visit)
    }
}

fn split_rows(rows: Vec<ThresholdRow>) -> (Vec<Threshold>, Vec<BadRow>) {
    let mut out = Rows {
        good: Vec::with_capacity(rows.len()),
        bad: Vec::new(),
    };
    for row in &rows {
        row.columns().sort_into(&mut out);
    }
    (out.good, out.bad)
}

const THRESHOLD_COLUMNS: &str =
    "chat_id, currency, direction, level, state, crossed_since, last_alert_at";

/// How the audit log names what a level watches: the currency, or `total`.
fn audit_name(stored: &str) -> &str {
    if stored == Subject::TOTAL_KEY {
        "total"
    } else {
        stored
    }
}

impl Store {
    /// Sets or changes a threshold on behalf of `by` (the level goes with them on `/deny` when
    /// the chat is not itself allowed), with its audit entry, in one transaction. A changed level
    /// starts unchecked: the next check tells the chat where the balance stands against it.
    pub async fn set_threshold(
        &self,
        chat_id: ChatId,
        subject: &Subject,
        direction: Direction,
        level: Decimal,
        by: &Actor,
        now: i64,
    ) -> sqlx::Result<()> {
        let currency = subject.key();
        let mut tx = self.write().await?;
        let old: Option<String> = sqlx::query_scalar(
            "SELECT level FROM thresholds WHERE chat_id = ?1 AND currency = ?2 AND direction = ?3",
        )
        .bind(chat_id.0)
        .bind(currency)
        .bind(direction.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO thresholds (chat_id, currency, direction, level, state, updated_at, owner_id)
             VALUES (?1, ?2, ?3, ?4, 'unchecked', ?5, ?6)
             ON CONFLICT (chat_id, currency, direction) DO UPDATE SET
                 level = excluded.level, state = 'unchecked', crossed_since = NULL,
                 last_alert_at = NULL, updated_at = excluded.updated_at,
                 owner_id = excluded.owner_id",
        )
        .bind(chat_id.0)
        .bind(currency)
        .bind(direction.as_str())
        .bind(level.to_string())
        .bind(now)
        .bind(by.id.0)
        .execute(&mut *tx)
        .await?;
        let audit = Audit {
            by,
            chat_id,
            about: chat_id,
            at: now,
        };
        let what = format!("{} {}", audit_name(currency), direction.as_str());
        audit
            .record(
                &mut tx,
                AuditAction::AlertSet,
                &what,
                old,
                Some(level.to_string()),
            )
            .await?;
        tx.commit().await
    }

    /// Removes every level of a chat; returns how many there were.
    pub async fn remove_all_thresholds(
        &self,
        chat_id: ChatId,
        by: &Actor,
        now: i64,
    ) -> sqlx::Result<u64> {
        self.remove_levels(chat_id, None, None, by, now).await
    }

    /// Removes a currency's level of one direction, or of both (`None`); returns how many.
    pub async fn remove_threshold(
        &self,
        chat_id: ChatId,
        subject: &Subject,
        direction: Option<Direction>,
        by: &Actor,
        now: i64,
    ) -> sqlx::Result<u64> {
        self.remove_levels(chat_id, Some(subject.key()), direction, by, now)
            .await
    }

    /// Removes the chat's levels that match, each with its audit entry, in one transaction.
    async fn remove_levels(
        &self,
        chat_id: ChatId,
        currency: Option<&str>,
        direction: Option<Direction>,
        by: &Actor,
        now: i64,
    ) -> sqlx::Result<u64> {
        let mut tx = self.write().await?;
        let removed: Vec<(String, String, String)> = sqlx::query_as(
            "DELETE FROM thresholds WHERE chat_id = ?1
               AND (?2 IS NULL OR currency = ?2) AND (?3 IS NULL OR direction = ?3)
             RETURNING currency, direction, level",
        )
        .bind(chat_id.0)
        .bind(currency)
        .bind(direction.map(Direction::as_str))
        .fetch_all(&mut *tx)
        .await?;
        let audit = Audit {
            by,
            chat_id,
            about: chat_id,
            at: now,
        };
        for (currency, direction, level) in &removed {
            let what = format!("{} {direction}", audit_name(currency));
            audit
                .record(
                    &mut tx,
                    AuditAction::AlertOff,
                    &what,
                    Some(level.clone()),
                    None,
                )
                .await?;
        }
        tx.commit().await?;
        Ok(removed.len() as u64)
    }

    pub async fn thresholds_of(
        &self,
        chat_id: ChatId,
    ) -> sqlx::Result<(Vec<Threshold>, Vec<BadRow>)> {
        let rows: Vec<ThresholdRow> = sqlx::query_as(&format!(
            "SELECT {THRESHOLD_COLUMNS} FROM thresholds WHERE chat_id = ?1
             ORDER BY currency, direction DESC"
        ))
        .bind(chat_id.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(split_rows(rows))
    }

    /// Every threshold, for an admin's overview (`live_for` = `None`), or only those the checker
    /// must evaluate (`Some(admins)`): not in a paused chat, and served by someone — the chat is
    /// allowed or an admin's, or the user who set the level is allowed or an admin. (Levels from
    /// before owners were recorded have none and stay served.) `/deny` already removes levels
    /// that lose their permission; this keeps, say, an admin dropped from `ADMIN_IDS` from
    /// alerting on.
    pub async fn all_thresholds(
        &self,
        live_for: Option<&BTreeSet<UserId>>,
    ) -> sqlx::Result<(Vec<Threshold>, Vec<BadRow>)> {
        let read = self.read_thresholds(live_for).await?;
        Ok((read.thresholds, read.bad))
    }

    /// The thresholds the checker evaluates (`all_thresholds(Some(admins))`) with the count of
    /// changes they were read at (`threshold_changes`), from one statement: one snapshot.
    pub async fn served_thresholds(&self, admins: &BTreeSet<UserId>) -> sqlx::Result<Served> {
        self.read_thresholds(Some(admins)).await
    }

    /// How many times what the checker reads has changed: a level set, changed or removed, a
    /// chat allowed, denied, paused or resumed (counted by triggers, whoever writes). The
    /// checker's own state writes are not counted. `None` when the count's row is gone (removed
    /// by hand, say): nothing can be known unchanged then.
    pub async fn threshold_changes(&self) -> sqlx::Result<Option<i64>> {
        sqlx::query_scalar(CHANGES).fetch_optional(&self.pool).await
    }

    /// SQLite builds one JSON array of all rows and serde reads it: measured on 30,000 rows,
    /// 23 ms against 103 ms for fetching them row by row through sqlx (docs/BENCHMARKS.md).
    async fn read_thresholds(&self, live_for: Option<&BTreeSet<UserId>>) -> sqlx::Result<Served> {
        let filter = if live_for.is_some() {
            format!("WHERE {SERVED}")
        } else {
            String::new()
        };
        let (changes, json): (Option<i64>, String) = sqlx::query_as(&format!(
            "SELECT ({CHANGES}),
                    json_group_array(json_array({THRESHOLD_COLUMNS}))
             FROM (SELECT {THRESHOLD_COLUMNS} FROM thresholds {filter}
                   ORDER BY chat_id, currency, direction)"
        ))
        .bind(admins_json(live_for))
        .fetch_one(&self.pool)
        .await?;
        let rows: Rows =
            serde_json::from_str(&json).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        Ok(Served {
            changes,
            thresholds: rows.good,
            bad: rows.bad,
        })
    }
}

/// The count of changes to what the checker reads (`Store::threshold_changes`).
pub(super) const CHANGES: &str = "SELECT n FROM threshold_changes WHERE id = 1";

/// Thresholds as read at one moment: the count of changes then (`Store::threshold_changes`), the
/// thresholds, and the rows that could not be read.
#[derive(Debug, Clone)]
pub struct Served {
    pub changes: Option<i64>,
    pub thresholds: Vec<Threshold>,
    pub bad: Vec<BadRow>,
}

/// The admins as the JSON array of ids that `SERVED` reads.
pub(super) fn admins_json(admins: Option<&BTreeSet<UserId>>) -> String {
    let ids: Vec<u64> = admins.into_iter().flatten().map(|u| u.0).collect();
    json(&ids)
}
