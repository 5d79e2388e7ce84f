//! The payment ledger: every payment the feed (or a callback) read, the statuses it was seen in,
//! its transfers, what each chat was told of it, and each chat's `/payments` setting.
//!
//! A poll's reads, the rows that say who was told what, their outbox messages and the feed's new
//! position are written in one transaction ([`Store::record_payment_poll`]): a crash leaves
//! everything as it was (the next poll reads and decides again), and a "told" row exists exactly
//! when its message was queued, so nothing is lost or told twice.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::str::FromStr;

use rust_decimal::Decimal;
use sqlx::FromRow;

use super::feeds::{Feed, Poll, PollWritten, Source, admins_json, record_status_change};
use super::pool::{Store, Write, json};
use crate::money::{Currency, Usd};
use crate::oxapay::{Payment, PaymentKind, PaymentStatus, PaymentTx, TrackId};
use crate::rules::domain::{ChatId, UserId};
use crate::rules::feed::{FeedStatus, event_list_text, parse_event_list};
use crate::rules::payments::{Anomaly, ChatFeed, Decision, Known, OpenRow};
use crate::rules::sales::Sale;

/// Everything one payment poll (or callback) writes, in one transaction.
pub type PaymentPoll<'a> = Poll<'a, (Payment, Decision)>;

/// A chat's `/payments` setting as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentFeedSetting {
    pub enabled: bool,
    pub feed: ChatFeed,
}

/// What `/payments on|off|events` changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentFeedChange {
    On { min_usd: Option<Decimal> },
    Off,
    Events(BTreeSet<PaymentStatus>),
}

/// A payment as the ledger holds it, for `/payments`, `/tx`, `/sales` and reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerPayment {
    pub track_id: TrackId,
    pub kind: Option<PaymentKind>,
    pub amount: Option<Decimal>,
    pub currency: Option<Currency>,
    pub status: PaymentStatus,
    pub status_since: i64,
    pub order_id: Option<String>,
    pub description: Option<String>,
    pub email: Option<String>,
    pub created_at: Option<i64>,
    pub expired_at: Option<i64>,
    pub problems: Vec<String>,
    /// Its USD value and when the price was read.
    pub usd: Option<(Usd, i64)>,
    pub first_seen_at: i64,
}

/// A payment as the sales figures and the payments chart read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleRow {
    pub status: PaymentStatus,
    pub currency: Option<Currency>,
    pub amount: Option<Decimal>,
    /// Its USD value, when one was kept with the time of its price.
    pub usd: Option<Usd>,
    pub created_at: Option<i64>,
}

impl SaleRow {
    pub fn sale(&self) -> Sale<'_> {
        Sale {
            status: &self.status,
            amount: self.amount,
            currency: self.currency.as_ref(),
            usd: self.usd,
        }
    }
}

/// `[status, currency, amount, usd_value, created_at]`, as [`Store::sales_between`] reads it.
type SaleJson = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
);

impl From<SaleJson> for SaleRow {
    fn from((status, currency, amount, usd, created_at): SaleJson) -> Self {
        SaleRow {
            status: PaymentStatus::parse(&status),
            currency: currency.as_deref().and_then(Currency::from_api),
            amount: decimal(amount),
            usd: decimal(usd).map(Usd::new),
            created_at,
        }
    }
}

/// A payment's whole record for `/tx`: the ledger row, its transfers and its status history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRecord {
    pub payment: LedgerPayment,
    pub txs: Vec<PaymentTx>,
    /// (status, first seen at), oldest first.
    pub statuses: Vec<(PaymentStatus, i64)>,
}

/// What a chat's mute held back, for the summary when it ends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Held {
    /// Distinct payments.
    pub payments: u64,
    /// The sum of their known USD values.
    pub usd: Usd,
    /// How many of them have no USD value.
    pub unvalued: u64,
    /// Distinct payouts.
    pub payouts: u64,
}

#[derive(FromRow)]
struct LedgerRow {
    track_id: String,
    kind: Option<String>,
    amount: Option<String>,
    currency: Option<String>,
    status: String,
    status_since: i64,
    order_id: Option<String>,
    description: Option<String>,
    email: Option<String>,
    created_at: Option<i64>,
    expired_at: Option<i64>,
    problems: Option<String>,
    usd_value: Option<String>,
    usd_at: Option<i64>,
    first_seen_at: i64,
}

const LEDGER_COLUMNS: &str = "track_id, kind, amount, currency, status, status_since, order_id,
    description, email, created_at, expired_at, problems, usd_value, usd_at, first_seen_at";

fn decimal(text: Option<String>) -> Option<Decimal> {
    text.and_then(|t| Decimal::from_str(&t).ok())
}

impl LedgerRow {
    /// `None` for a row whose track id no longer reads (edited by hand).
    fn into_payment(self) -> Option<LedgerPayment> {
        let usd = match (decimal(self.usd_value), self.usd_at) {
            (Some(v), Some(at)) => Some((Usd::new(v), at)),
            _ => None,
        };
        Some(LedgerPayment {
            track_id: TrackId::new(&self.track_id).ok()?,
            kind: self.kind.as_deref().map(PaymentKind::parse),
            amount: decimal(self.amount),
            currency: self.currency.as_deref().and_then(Currency::from_api),
            status: PaymentStatus::parse(&self.status),
            status_since: self.status_since,
            order_id: self.order_id,
            description: self.description,
            email: self.email,
            created_at: self.created_at,
            expired_at: self.expired_at,
            problems: self
                .problems
                .map(|p| p.lines().map(str::to_owned).collect())
                .unwrap_or_default(),
            usd,
            first_seen_at: self.first_seen_at,
        })
    }
}

impl Store {
    /// What the ledger knows of these payments, for deciding what a new read means.
    pub async fn known_payments(&self, ids: &[&TrackId]) -> sqlx::Result<HashMap<TrackId, Known>> {
        let ids_json = json(&ids.iter().map(|t| t.as_str()).collect::<Vec<_>>());
        let mut known: HashMap<TrackId, Known> = HashMap::new();
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT track_id, status FROM payments
             WHERE track_id IN (SELECT value FROM json_each(?1))",
        )
        .bind(&ids_json)
        .fetch_all(&self.pool)
        .await?;
        for (id, status) in rows {
            if let Ok(id) = TrackId::new(&id) {
                known.entry(id).or_default().status = Some(PaymentStatus::parse(&status));
            }
        }
        let seen: Vec<(String, String)> = sqlx::query_as(
            "SELECT track_id, status FROM payment_statuses
             WHERE track_id IN (SELECT value FROM json_each(?1))",
        )
        .bind(&ids_json)
        .fetch_all(&self.pool)
        .await?;
        for (id, status) in seen {
            if let Some(k) = TrackId::new(&id).ok().and_then(|id| known.get_mut(&id)) {
                k.seen.insert(PaymentStatus::parse(&status));
            }
        }
        let hashes: Vec<(String, String)> = sqlx::query_as(
            "SELECT track_id, tx_hash FROM payment_txs
             WHERE tx_hash IS NOT NULL AND track_id IN (SELECT value FROM json_each(?1))",
        )
        .bind(&ids_json)
        .fetch_all(&self.pool)
        .await?;
        for (id, hash) in hashes {
            if let Some(k) = TrackId::new(&id).ok().and_then(|id| known.get_mut(&id)) {
                k.tx_hashes.insert(hash);
            }
        }
        Ok(known)
    }

    /// Payments in a status that may still move on its own, for reading them again.
    pub async fn open_payments(&self) -> sqlx::Result<Vec<OpenRow>> {
        type OpenRowTuple = (String, String, Option<i64>, Option<i64>, i64);
        let rows: Vec<OpenRowTuple> = sqlx::query_as(
            "SELECT track_id, status, created_at, expired_at, status_since FROM payments
             WHERE status IN ('new', 'waiting', 'paying', 'refunding')",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, status, created_at, expired_at, status_since)| {
                Some(OpenRow {
                    track_id: TrackId::new(&id).ok()?,
                    status: PaymentStatus::parse(&status),
                    created_at,
                    expired_at,
                    status_since,
                })
            })
            .collect())
    }

    /// The chats that hear payments: the feed on, the chat served (allowed or an admin's own)
    /// and not paused. A stored event list that no longer reads falls back to the default.
    pub async fn payment_feeds(
        &self,
        admins: &BTreeSet<UserId>,
    ) -> sqlx::Result<Vec<(ChatId, ChatFeed)>> {
        let rows: Vec<(i64, Option<String>, String)> = sqlx::query_as(&format!(
            "SELECT chat_id, min_usd, events FROM chat_payment_feeds
             WHERE enabled = 1 AND {} ORDER BY chat_id",
            Store::served_chat_filter()
        ))
        .bind(admins_json(admins))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(chat, min_usd, events)| (ChatId(chat), feed_of(min_usd, &events)))
            .collect())
    }

    /// The chat's `/payments` setting; `None`: never set.
    pub async fn payment_feed_of(
        &self,
        chat_id: ChatId,
    ) -> sqlx::Result<Option<PaymentFeedSetting>> {
        let row: Option<(bool, Option<String>, String)> = sqlx::query_as(
            "SELECT enabled, min_usd, events FROM chat_payment_feeds WHERE chat_id = ?1",
        )
        .bind(chat_id.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(enabled, min_usd, events)| PaymentFeedSetting {
            enabled,
            feed: feed_of(min_usd, &events),
        }))
    }

    /// Changes the chat's `/payments` setting; returns the setting it leaves.
    pub async fn set_payment_feed(
        &self,
        chat_id: ChatId,
        change: &PaymentFeedChange,
        by: ChatId,
        now: i64,
    ) -> sqlx::Result<PaymentFeedSetting> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO chat_payment_feeds (chat_id, enabled, set_by, set_at)
             VALUES (?1, 0, ?2, ?3) ON CONFLICT (chat_id) DO NOTHING",
        )
        .bind(chat_id.0)
        .bind(by.0)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        // ?2 is the new minimum, ?3 the new event list: each change sets what it names.
        let (enabled, min_usd, events) = match change {
            PaymentFeedChange::On { min_usd } => (Some(true), min_usd.map(|m| m.to_string()), None),
            PaymentFeedChange::Off => (Some(false), None, None),
            PaymentFeedChange::Events(set) => (None, None, Some(event_list_text(set))),
        };
        sqlx::query(
            "UPDATE chat_payment_feeds SET
                 enabled = COALESCE(?4, enabled),
                 min_usd = CASE WHEN ?4 = 1 THEN ?2 ELSE min_usd END,
                 events = COALESCE(?3, events), set_by = ?5, set_at = ?6
             WHERE chat_id = ?1",
        )
        .bind(chat_id.0)
        .bind(min_usd)
        .bind(events)
        .bind(enabled)
        .bind(by.0)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let (enabled, min_usd, events): (bool, Option<String>, String) = sqlx::query_as(
            "SELECT enabled, min_usd, events FROM chat_payment_feeds WHERE chat_id = ?1",
        )
        .bind(chat_id.0)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(PaymentFeedSetting {
            enabled,
            feed: feed_of(min_usd, &events),
        })
    }

    /// Writes one poll (or callback): the ledger rows, then what [`Poll`] says (who was told,
    /// their messages, the notices, the feed's position) — one transaction.
    pub async fn record_payment_poll(&self, poll: &PaymentPoll<'_>) -> sqlx::Result<PollWritten> {
        let mut tx = self.write().await?;
        for (payment, decision) in poll.reads {
            write_payment(&mut tx, payment, decision, poll.source, poll.now).await?;
        }
        let written = poll.write_rest(&mut tx, Feed::Payments).await?;
        tx.commit().await?;
        Ok(written)
    }

    /// The newest payments, newest first.
    pub async fn recent_payments(&self, limit: u32) -> sqlx::Result<Vec<LedgerPayment>> {
        let rows: Vec<LedgerRow> = sqlx::query_as(&format!(
            "SELECT {LEDGER_COLUMNS} FROM payments
             ORDER BY COALESCE(created_at, first_seen_at) DESC, track_id DESC LIMIT ?1"
        ))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(LedgerRow::into_payment)
            .collect())
    }

    /// One payment's whole record; `None`: not in the ledger.
    pub async fn payment_record(&self, track_id: &TrackId) -> sqlx::Result<Option<PaymentRecord>> {
        let row: Option<LedgerRow> = sqlx::query_as(&format!(
            "SELECT {LEDGER_COLUMNS} FROM payments WHERE track_id = ?1"
        ))
        .bind(track_id.as_str())
        .fetch_optional(&self.pool)
        .await?;
        let Some(payment) = row.and_then(LedgerRow::into_payment) else {
            return Ok(None);
        };
        type TxRow = (
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<i64>,
            Option<String>,
            Option<String>,
            Option<i64>,
        );
        let txs: Vec<TxRow> = sqlx::query_as(
            "SELECT tx_hash, network, amount, currency, confirmations, address, status, date
             FROM payment_txs WHERE track_id = ?1 ORDER BY COALESCE(date, first_seen_at), id",
        )
        .bind(track_id.as_str())
        .fetch_all(&self.pool)
        .await?;
        let statuses: Vec<(String, i64)> = sqlx::query_as(
            "SELECT status, first_seen_at FROM payment_statuses WHERE track_id = ?1
             ORDER BY first_seen_at, status",
        )
        .bind(track_id.as_str())
        .fetch_all(&self.pool)
        .await?;
        Ok(Some(PaymentRecord {
            payment,
            txs: txs
                .into_iter()
                .map(
                    |(hash, network, amount, currency, conf, address, status, date)| PaymentTx {
                        tx_hash: hash,
                        network,
                        amount: decimal(amount),
                        currency: currency.as_deref().and_then(Currency::from_api),
                        confirmations: conf.and_then(|c| u64::try_from(c).ok()),
                        address,
                        status,
                        date,
                    },
                )
                .collect(),
            statuses: statuses
                .into_iter()
                .map(|(s, at)| (PaymentStatus::parse(&s), at))
                .collect(),
        }))
    }

    /// The payments created from `from` to `to` (exclusive, OxaPay's clock), as the sales figures and the
    /// payments chart read them: SQLite gathers the five columns of every row into one JSON
    /// value, read in one piece (a year of 100,000 payments puts 16,000 in a 30-day period; row
    /// by row through sqlx, with every column, that was most of `/sales`).
    pub async fn sales_between(&self, from: i64, to: i64) -> sqlx::Result<Vec<SaleRow>> {
        let (rows,): (String,) = sqlx::query_as(
            "SELECT json_group_array(json_array(status, currency, amount,
                        CASE WHEN usd_at IS NOT NULL THEN usd_value END, created_at))
             FROM payments WHERE created_at >= ?1 AND created_at < ?2",
        )
        .bind(from)
        .bind(to)
        .fetch_one(&self.pool)
        .await?;
        let rows: Vec<SaleJson> =
            serde_json::from_str(&rows).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        Ok(rows.into_iter().map(SaleRow::from).collect())
    }

    /// Payments that reached a status from `from` to `to` (exclusive, our clock): each with the
    /// statuses it reached then. Nothing the silent first reading stored counts.
    pub async fn payments_moved(
        &self,
        from: i64,
        to: i64,
    ) -> sqlx::Result<Vec<(LedgerPayment, Vec<PaymentStatus>)>> {
        let moves: Vec<(String, String)> = sqlx::query_as(
            "SELECT track_id, status FROM payment_statuses
             WHERE first_seen_at >= ?1 AND first_seen_at < ?2 AND source != 'backfill'
             ORDER BY first_seen_at",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        let mut by_payment: BTreeMap<String, Vec<PaymentStatus>> = BTreeMap::new();
        for (id, status) in moves {
            by_payment
                .entry(id)
                .or_default()
                .push(PaymentStatus::parse(&status));
        }
        let ids: Vec<&str> = by_payment.keys().map(String::as_str).collect();
        let rows: Vec<LedgerRow> = sqlx::query_as(&format!(
            "SELECT {LEDGER_COLUMNS} FROM payments
             WHERE track_id IN (SELECT value FROM json_each(?1))"
        ))
        .bind(json(&ids))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let statuses = by_payment.remove(&row.track_id)?;
                Some((row.into_payment()?, statuses))
            })
            .collect())
    }

    /// The payments a chat's mute held back up to `until` (told rows not yet summarized).
    pub async fn held(&self, chat_id: ChatId, until: i64) -> sqlx::Result<Held> {
        let rows: Vec<Option<String>> = sqlx::query_scalar(
            "SELECT p.usd_value FROM payments p
             WHERE p.track_id IN (SELECT track_id FROM payment_told
                                  WHERE chat_id = ?1 AND held = 1 AND told_at <= ?2)",
        )
        .bind(chat_id.0)
        .bind(until)
        .fetch_all(&self.pool)
        .await?;
        let payouts: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT track_id) FROM payout_told
             WHERE chat_id = ?1 AND held = 1 AND told_at <= ?2",
        )
        .bind(chat_id.0)
        .bind(until)
        .fetch_one(&self.pool)
        .await?;
        let mut held = Held {
            payments: rows.len() as u64,
            payouts: payouts.max(0) as u64,
            ..Held::default()
        };
        for value in rows {
            match decimal(value).and_then(|v| held.usd.checked_add(Usd::new(v))) {
                Some(sum) => held.usd = sum,
                None => held.unvalued += 1,
            }
        }
        Ok(held)
    }
}

/// A stored setting read back; a list that no longer reads is the default.
fn feed_of(min_usd: Option<String>, events: &str) -> ChatFeed {
    ChatFeed {
        events: parse_event_list(events).unwrap_or_else(|_| PaymentStatus::defaults()),
        min_usd: decimal(min_usd),
    }
}

/// One payment's ledger row, the statuses it was seen in, its status history and its transfers.
async fn write_payment(
    tx: &mut Write,
    p: &Payment,
    decision: &Decision,
    source: Source,
    now: i64,
) -> sqlx::Result<()> {
    let problems = (!p.problems.is_empty()).then(|| p.problems.join("\n"));
    // A field this read could not give keeps what an earlier read stored.
    sqlx::query(
        "INSERT INTO payments (track_id, kind, amount, currency, status, status_text,
             status_since, order_id, description, email, created_at, expired_at, problems,
             first_seen_at, updated_at, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?7, ?7, ?14)
         ON CONFLICT (track_id) DO UPDATE SET
             kind = COALESCE(excluded.kind, kind), amount = COALESCE(excluded.amount, amount),
             currency = COALESCE(excluded.currency, currency),
             status_since = CASE WHEN status = excluded.status THEN status_since
                                 ELSE excluded.status_since END,
             status = excluded.status, status_text = excluded.status_text,
             order_id = COALESCE(excluded.order_id, order_id),
             description = COALESCE(excluded.description, description),
             email = COALESCE(excluded.email, email),
             created_at = COALESCE(excluded.created_at, created_at),
             expired_at = COALESCE(excluded.expired_at, expired_at),
             problems = excluded.problems, updated_at = excluded.updated_at,
             source = excluded.source",
    )
    .bind(p.track_id.as_str())
    .bind(p.kind.as_ref().map(PaymentKind::as_str))
    .bind(p.amount.map(|a| a.to_string()))
    .bind(p.currency.as_ref().map(Currency::as_str))
    .bind(p.status.as_str())
    .bind(&p.status_text)
    .bind(now)
    .bind(&p.order_id)
    .bind(&p.description)
    .bind(&p.email)
    .bind(p.created_at)
    .bind(p.expired_at)
    .bind(problems)
    .bind(source.as_str())
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT OR IGNORE INTO payment_statuses (track_id, status, first_seen_at, source)
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
            Feed::Payments,
            p.track_id.as_str(),
            p.status.as_str(),
            anomaly,
            source.as_str(),
            now,
        )
        .await?;
    }
    write_txs(tx, p, now).await
}

/// The payment's transfers: those with a hash kept and updated, those without replaced.
async fn write_txs(tx: &mut Write, p: &Payment, now: i64) -> sqlx::Result<()> {
    if p.txs.is_empty() {
        return Ok(());
    }
    sqlx::query("DELETE FROM payment_txs WHERE track_id = ?1 AND tx_hash IS NULL")
        .bind(p.track_id.as_str())
        .execute(&mut **tx)
        .await?;
    for t in &p.txs {
        sqlx::query(
            "INSERT INTO payment_txs (track_id, tx_hash, network, amount, currency,
                 confirmations, address, status, date, first_seen_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)
             ON CONFLICT (track_id, tx_hash) DO UPDATE SET
                 network = COALESCE(excluded.network, network),
                 amount = COALESCE(excluded.amount, amount),
                 currency = COALESCE(excluded.currency, currency),
                 confirmations = COALESCE(excluded.confirmations, confirmations),
                 address = COALESCE(excluded.address, address),
                 status = COALESCE(excluded.status, status),
                 date = COALESCE(excluded.date, date), updated_at = excluded.updated_at",
        )
        .bind(p.track_id.as_str())
        .bind(&t.tx_hash)
        .bind(&t.network)
        .bind(t.amount.map(|a| a.to_string()))
        .bind(t.currency.as_ref().map(Currency::as_str))
        .bind(t.confirmations.and_then(|c| i64::try_from(c).ok()))
        .bind(&t.address)
        .bind(&t.status)
        .bind(t.date)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
