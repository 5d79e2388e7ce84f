//! The payout ledger: every payout the feed (or a callback) read, the statuses it was seen in,
//! what each chat was told of it, and each chat's `/payouts` setting. Written like the payment
//! ledger: a poll's reads, who was told what, their outbox messages and the feed's position in
//! one transaction.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::str::FromStr;

use rust_decimal::Decimal;
use sqlx::FromRow;

use super::feeds::{Feed, Poll, PollWritten, Source, admins_json, record_status_change};
use super::pool::{Store, Write, json};
use crate::money::{Currency, Usd};
use crate::oxapay::{Payout, PayoutStatus, TrackId};
use crate::rules::domain::{ChatId, UserId};
use crate::rules::feed::{FeedStatus, event_list_text, parse_event_list};
use crate::rules::payouts::{Anomaly, ChatFeed, Decision, Known};

/// Everything one payout poll (or callback) writes, in one transaction.
pub type PayoutPoll<'a> = Poll<'a, (Payout, Decision)>;

/// A chat's `/payouts` setting as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutFeedSetting {
    pub enabled: bool,
    pub feed: ChatFeed,
}

/// What `/payouts on|off|events` changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayoutFeedChange {
    On,
    Off,
    Events(BTreeSet<PayoutStatus>),
}

/// A payout as the ledger holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerPayout {
    pub track_id: TrackId,
    pub address: Option<String>,
    pub currency: Option<Currency>,
    pub network: Option<String>,
    pub amount: Option<Decimal>,
    pub fee: Option<Decimal>,
    pub status: PayoutStatus,
    pub status_since: i64,
    pub tx_hash: Option<String>,
    pub description: Option<String>,
    pub internal: Option<bool>,
    pub memo: Option<String>,
    pub created_at: Option<i64>,
    pub problems: Vec<String>,
    pub usd: Option<(Usd, i64)>,
    /// (status, first seen at), oldest first; filled by [`Store::payout_record`] only.
    pub statuses: Vec<(PayoutStatus, i64)>,
}

/// An open payout, for reading it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenPayout {
    pub track_id: TrackId,
    pub status: PayoutStatus,
    pub open_since: Option<i64>,
}

#[derive(FromRow)]
struct PayoutRow {
    track_id: String,
    address: Option<String>,
    currency: Option<String>,
    network: Option<String>,
    amount: Option<String>,
    fee: Option<String>,
    status: String,
    status_since: i64,
    tx_hash: Option<String>,
    description: Option<String>,
    internal: Option<bool>,
    memo: Option<String>,
    created_at: Option<i64>,
    problems: Option<String>,
    usd_value: Option<String>,
    usd_at: Option<i64>,
}

const COLUMNS: &str = "track_id, address, currency, network, amount, fee, status, status_since,
    tx_hash, description, internal, memo, created_at, problems, usd_value, usd_at";

fn decimal(text: Option<String>) -> Option<Decimal> {
    text.and_then(|t| Decimal::from_str(&t).ok())
}

impl PayoutRow {
    fn into_payout(self) -> Option<LedgerPayout> {
        let usd = match (decimal(self.usd_value), self.usd_at) {
            (Some(v), Some(at)) => Some((Usd::new(v), at)),
            _ => None,
        };
        Some(LedgerPayout {
            track_id: TrackId::new(&self.track_id).ok()?,
            address: self.address,
            currency: self.currency.as_deref().and_then(Currency::from_api),
            network: self.network,
            amount: decimal(self.amount),
            fee: decimal(self.fee),
            status: PayoutStatus::parse(&self.status),
            status_since: self.status_since,
            tx_hash: self.tx_hash,
            description: self.description,
            internal: self.internal,
            memo: self.memo,
            created_at: self.created_at,
            problems: self
                .problems
                .map(|p| p.lines().map(str::to_owned).collect())
                .unwrap_or_default(),
            usd,
            statuses: Vec::new(),
        })
    }
}

impl Store {
    /// What the ledger knows of these payouts.
    pub async fn known_payouts(&self, ids: &[&TrackId]) -> sqlx::Result<HashMap<TrackId, Known>> {
        let ids_json = json(&ids.iter().map(|t| t.as_str()).collect::<Vec<_>>());
        let rows: Vec<(String, String, Option<i64>, bool)> = sqlx::query_as(
            "SELECT track_id, status, open_since, stuck_noted FROM payouts
             WHERE track_id IN (SELECT value FROM json_each(?1))",
        )
        .bind(&ids_json)
        .fetch_all(&self.pool)
        .await?;
        let mut known: HashMap<TrackId, Known> = HashMap::new();
        for (id, status, open_since, stuck_noted) in rows {
            if let Ok(id) = TrackId::new(&id) {
                known.insert(
                    id,
                    Known {
                        status: Some(PayoutStatus::parse(&status)),
                        seen: BTreeSet::new(),
                        open_since,
                        stuck_noted,
                    },
                );
            }
        }
        let seen: Vec<(String, String)> = sqlx::query_as(
            "SELECT track_id, status FROM payout_statuses
             WHERE track_id IN (SELECT value FROM json_each(?1))",
        )
        .bind(&ids_json)
        .fetch_all(&self.pool)
        .await?;
        for (id, status) in seen {
            if let Some(k) = TrackId::new(&id).ok().and_then(|id| known.get_mut(&id)) {
                k.seen.insert(PayoutStatus::parse(&status));
            }
        }
        Ok(known)
    }

    /// Payouts not yet final, for reading them again.
    pub async fn open_payouts(&self) -> sqlx::Result<Vec<OpenPayout>> {
        let rows: Vec<(String, String, Option<i64>)> = sqlx::query_as(
            "SELECT track_id, status, open_since FROM payouts
             WHERE status IN ('pending', 'processing', 'confirming')",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, status, open_since)| {
                Some(OpenPayout {
                    track_id: TrackId::new(&id).ok()?,
                    status: PayoutStatus::parse(&status),
                    open_since,
                })
            })
            .collect())
    }

    /// The chats that hear payouts: the feed on, the chat served and not paused.
    pub async fn payout_feeds(
        &self,
        admins: &BTreeSet<UserId>,
    ) -> sqlx::Result<Vec<(ChatId, ChatFeed)>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT chat_id, events FROM chat_payout_feeds
             WHERE enabled = 1 AND {} ORDER BY chat_id",
            Store::served_chat_filter()
        ))
        .bind(admins_json(admins))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(chat, events)| (ChatId(chat), feed_of(&events)))
            .collect())
    }

    /// The chat's `/payouts` setting; `None`: never set.
    pub async fn payout_feed_of(&self, chat_id: ChatId) -> sqlx::Result<Option<PayoutFeedSetting>> {
        let row: Option<(bool, String)> =
            sqlx::query_as("SELECT enabled, events FROM chat_payout_feeds WHERE chat_id = ?1")
                .bind(chat_id.0)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(enabled, events)| PayoutFeedSetting {
            enabled,
            feed: feed_of(&events),
        }))
    }

    /// Changes the chat's `/payouts` setting; returns the setting it leaves.
    pub async fn set_payout_feed(
        &self,
        chat_id: ChatId,
        change: &PayoutFeedChange,
        by: ChatId,
        now: i64,
    ) -> sqlx::Result<PayoutFeedSetting> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO chat_payout_feeds (chat_id, enabled, set_by, set_at)
             VALUES (?1, 0, ?2, ?3) ON CONFLICT (chat_id) DO NOTHING",
        )
        .bind(chat_id.0)
        .bind(by.0)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let (enabled, events) = match change {
            PayoutFeedChange::On => (Some(true), None),
            PayoutFeedChange::Off => (Some(false), None),
            PayoutFeedChange::Events(set) => (None, Some(event_list_text(set))),
        };
        sqlx::query(
            "UPDATE chat_payout_feeds SET enabled = COALESCE(?2, enabled),
                 events = COALESCE(?3, events), set_by = ?4, set_at = ?5
             WHERE chat_id = ?1",
        )
        .bind(chat_id.0)
        .bind(enabled)
        .bind(events)
        .bind(by.0)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let (enabled, events): (bool, String) =
            sqlx::query_as("SELECT enabled, events FROM chat_payout_feeds WHERE chat_id = ?1")
                .bind(chat_id.0)
                .fetch_one(&mut *tx)
                .await?;
        tx.commit().await?;
        Ok(PayoutFeedSetting {
            enabled,
            feed: feed_of(&events),
        })
    }

    /// Writes one payout poll (or callback), like [`Store::record_payment_poll`].
    pub async fn record_payout_poll(&self, poll: &PayoutPoll<'_>) -> sqlx::Result<PollWritten> {
        let mut tx = self.write().await?;
        for (payout, decision) in poll.reads {
            write_payout(&mut tx, payout, decision, poll.source, poll.now).await?;
        }
        let written = poll.write_rest(&mut tx, Feed::Payouts).await?;
        tx.commit().await?;
        Ok(written)
    }

    /// The newest payouts, newest first.
    pub async fn recent_payouts(&self, limit: u32) -> sqlx::Result<Vec<LedgerPayout>> {
        let rows: Vec<PayoutRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM payouts
             ORDER BY COALESCE(created_at, first_seen_at) DESC, track_id DESC LIMIT ?1"
        ))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(PayoutRow::into_payout)
            .collect())
    }

    /// One payout with its status history; `None`: not in the ledger.
    pub async fn payout_record(&self, track_id: &TrackId) -> sqlx::Result<Option<LedgerPayout>> {
        let row: Option<PayoutRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM payouts WHERE track_id = ?1"
        ))
        .bind(track_id.as_str())
        .fetch_optional(&self.pool)
        .await?;
        let Some(mut payout) = row.and_then(PayoutRow::into_payout) else {
            return Ok(None);
        };
        let statuses: Vec<(String, i64)> = sqlx::query_as(
            "SELECT status, first_seen_at FROM payout_statuses WHERE track_id = ?1
             ORDER BY first_seen_at, status",
        )
        .bind(track_id.as_str())
        .fetch_all(&self.pool)
        .await?;
        payout.statuses = statuses
            .into_iter()
            .map(|(s, at)| (PayoutStatus::parse(&s), at))
            .collect();
        Ok(Some(payout))
    }

    /// Payouts that reached a status from `from` to `to` (our clock), with those statuses;
    /// nothing the silent first reading stored.
    pub async fn payouts_moved(
        &self,
        from: i64,
        to: i64,
    ) -> sqlx::Result<Vec<(LedgerPayout, Vec<PayoutStatus>)>> {
        let moves: Vec<(String, String)> = sqlx::query_as(
            "SELECT track_id, status FROM payout_statuses
             WHERE first_seen_at >= ?1 AND first_seen_at < ?2 AND source != 'backfill'
             ORDER BY first_seen_at",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        let mut by_payout: BTreeMap<String, Vec<PayoutStatus>> = BTreeMap::new();
        for (id, status) in moves {
            by_payout
                .entry(id)
                .or_default()
                .push(PayoutStatus::parse(&status));
        }
        let ids: Vec<&str> = by_payout.keys().map(String::as_str).collect();
        let rows: Vec<PayoutRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM payouts WHERE track_id IN (SELECT value FROM json_each(?1))"
        ))
        .bind(json(&ids))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let statuses = by_payout.remove(&row.track_id)?;
                Some((row.into_payout()?, statuses))
            })
            .collect())
    }
}

fn feed_of(events: &str) -> ChatFeed {
    ChatFeed {
        events: parse_event_list(events).unwrap_or_else(|_| PayoutStatus::defaults()),
    }
}

/// One payout's ledger row, the statuses it was seen in and its status history.
async fn write_payout(
    tx: &mut Write,
    p: &Payout,
    decision: &Decision,
    source: Source,
    now: i64,
) -> sqlx::Result<()> {
    let problems = (!p.problems.is_empty()).then(|| p.problems.join("\n"));
    sqlx::query(
        "INSERT INTO payouts (track_id, address, currency, network, amount, fee, status,
             status_text, status_since, tx_hash, description, internal, memo, created_at,
             problems, open_since, stuck_noted, first_seen_at, updated_at, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?9,
                 ?9, ?18)
         ON CONFLICT (track_id) DO UPDATE SET
             address = COALESCE(excluded.address, address),
             currency = COALESCE(excluded.currency, currency),
             network = COALESCE(excluded.network, network),
             amount = COALESCE(excluded.amount, amount), fee = COALESCE(excluded.fee, fee),
             status_since = CASE WHEN status = excluded.status THEN status_since
                                 ELSE excluded.status_since END,
             status = excluded.status, status_text = excluded.status_text,
             tx_hash = COALESCE(excluded.tx_hash, tx_hash),
             description = COALESCE(excluded.description, description),
             internal = COALESCE(excluded.internal, internal),
             memo = COALESCE(excluded.memo, memo),
             created_at = COALESCE(excluded.created_at, created_at),
             problems = excluded.problems, open_since = excluded.open_since,
             stuck_noted = excluded.stuck_noted, updated_at = excluded.updated_at,
             source = excluded.source",
    )
    .bind(p.track_id.as_str())
    .bind(&p.address)
    .bind(p.currency.as_ref().map(Currency::as_str))
    .bind(&p.network)
    .bind(p.amount.map(|a| a.to_string()))
    .bind(p.fee.map(|a| a.to_string()))
    .bind(p.status.as_str())
    .bind(&p.status_text)
    .bind(now)
    .bind(&p.tx_hash)
    .bind(&p.description)
    .bind(p.internal)
    .bind(&p.memo)
    .bind(p.created_at)
    .bind(problems)
    .bind(decision.open_since)
    .bind(decision.stuck_noted)
    .bind(source.as_str())
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT OR IGNORE INTO payout_statuses (track_id, status, first_seen_at, source)
         VALUES (?1, ?2, ?3, ?4)",
    )
    .bind(p.track_id.as_str())
    .bind(p.status.as_str())
    .bind(now)
    .bind(source.as_str())
    .execute(&mut **tx)
    .await?;
    if decision.status_changed {
        let anomaly = decision.anomaly.as_ref().map(|a| match a {
            Anomaly::NoStatus => "missing",
            Anomaly::UnknownStatus(_) => "unknown",
            Anomaly::Backwards { .. } => "backwards",
        });
        record_status_change(
            tx,
            Feed::Payouts,
            p.track_id.as_str(),
            p.status.as_str(),
            anomaly,
            source.as_str(),
            now,
        )
        .await?;
    }
    Ok(())
}
