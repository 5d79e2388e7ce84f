//! What the payment and payout feeds share in the database: each feed's reading position and
//! health (`feed_cursors`), and the messages a chat's mute held back (`*_told.held`).

use std::collections::{BTreeSet, HashMap};

use super::outbox::Owed;
use super::pool::{Store, Write};
use crate::money::Usd;
use crate::oxapay::TrackId;
use crate::rules::domain::{ChatId, UserId};
use crate::rules::oxapay_health::Health;

/// Which feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Feed {
    Payments,
    Payouts,
}

impl Feed {
    pub fn as_str(self) -> &'static str {
        match self {
            Feed::Payments => "payments",
            Feed::Payouts => "payouts",
        }
    }

    /// The table of what each chat was told of this feed.
    pub(super) fn told_table(self) -> &'static str {
        match self {
            Feed::Payments => "payment_told",
            Feed::Payouts => "payout_told",
        }
    }
}

/// A feed's reading position and health, as stored between polls.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FeedState {
    /// The newest creation time read (OxaPay's clock); `None` before the first reading.
    pub cursor: Option<i64>,
    /// The silent first reading is done: records read from now on are told.
    pub backfill_done: bool,
    /// Polls completed (the settled records are listed again every tenth).
    pub polls: u64,
    pub last_success_at: Option<i64>,
    pub health: Health,
}

/// How one poll leaves a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedUpdate {
    pub cursor: Option<i64>,
    pub backfill_done: bool,
    pub polls: u64,
    /// When the poll read OxaPay successfully (`None`: it failed).
    pub success_at: Option<i64>,
    pub health: Health,
}

type StateRow = (
    Option<i64>,
    bool,
    i64,
    Option<i64>,
    i64,
    Option<i64>,
    Option<String>,
    bool,
);

/// How a ledger row was last written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The silent first reading.
    Backfill,
    Poll,
    Callback,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Backfill => "backfill",
            Source::Poll => "poll",
            Source::Callback => "callback",
        }
    }
}

/// One chat to be told one event (or, while the chat is muted, to have it held for the summary).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Told {
    pub chat_id: ChatId,
    pub track_id: TrackId,
    /// The event's once-only key (`status:paid`, `tx:<hash>`).
    pub what: String,
    /// `None`: held by the chat's mute, no message.
    pub message: Option<Owed>,
}

/// Everything one poll (or one callback) of a feed writes, in one transaction: `reads` are the
/// records read with what the rules decided of each.
pub struct Poll<'a, R> {
    pub reads: &'a [R],
    /// Values to keep for records that have none yet: USD and when its price was read.
    pub values: &'a HashMap<TrackId, (Usd, i64)>,
    pub told: &'a [Told],
    /// Messages to the admins (the feed cannot be read, or can again).
    pub notices: &'a [Owed],
    /// The feed's new position and health; `None` for a callback (it moves no cursor).
    pub state: Option<&'a FeedUpdate>,
    pub source: Source,
    pub now: i64,
}

impl<R> Poll<'_, R> {
    /// Everything but the ledger rows, in the poll's transaction: the USD values kept, who was
    /// told what (a "told" row exists exactly when its message was queued or held, so nothing
    /// is told twice), the admins' notices and the feed's new position.
    pub(super) async fn write_rest(&self, tx: &mut Write, feed: Feed) -> sqlx::Result<PollWritten> {
        let keep_value = format!(
            "UPDATE {} SET usd_value = ?2, usd_at = ?3 WHERE track_id = ?1 AND usd_value IS NULL",
            feed.as_str()
        );
        for (track_id, (usd, at)) in self.values {
            sqlx::query(&keep_value)
                .bind(track_id.as_str())
                .bind(usd.amount().to_string())
                .bind(at)
                .execute(&mut **tx)
                .await?;
        }
        let written = write_told(tx, feed, self.told, self.now).await?;
        super::outbox::queue(tx, self.notices, self.now).await?;
        if let Some(state) = self.state {
            write_state(tx, feed, state, self.now).await?;
        }
        Ok(written)
    }
}

/// What a poll's transaction did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PollWritten {
    /// Messages queued (events told now).
    pub queued: usize,
    /// Events held by mutes.
    pub held: usize,
    /// Events already told before (a repeated read or callback): nothing written for them.
    pub repeated: usize,
}

impl Store {
    pub async fn feed_state(&self, feed: Feed) -> sqlx::Result<FeedState> {
        let row: StateRow = sqlx::query_as(
            "SELECT cursor, backfill_done, polls, last_success_at, failures, failing_since,
                    last_error, notice_sent
             FROM feed_cursors WHERE feed = ?1",
        )
        .bind(feed.as_str())
        .fetch_one(&self.pool)
        .await?;
        let (cursor, backfill_done, polls, last_success_at, failures, since, error, notice) = row;
        Ok(FeedState {
            cursor,
            backfill_done,
            polls: polls.max(0) as u64,
            last_success_at,
            health: Health {
                failures: failures.clamp(0, u32::MAX as i64) as u32,
                failing_since: since,
                last_error: error,
                notice_sent: notice,
            },
        })
    }

    /// The chats a feed's messages may go to: not paused, and the chat is allowed or an admin's
    /// own.
    pub(super) fn served_chat_filter() -> &'static str {
        "chat_id NOT IN (SELECT chat_id FROM paused_chats)
         AND (chat_id IN (SELECT chat_id FROM allowed_chats)
              OR chat_id IN (SELECT value FROM json_each(?1)))"
    }

    /// Ends mutes that the checker found over when it had no levels to check (a chat may have
    /// muted only its feeds): the mutes go, the held events they summarize are marked, and the
    /// summaries are queued — one transaction.
    pub async fn end_quiet_mutes(
        &self,
        chats: &[ChatId],
        summaries: &[Owed],
        now: i64,
    ) -> sqlx::Result<()> {
        let mut tx = self.write().await?;
        sqlx::query(
            "DELETE FROM mutes WHERE chat_id IN (SELECT value FROM json_each(?1)) AND until <= ?2",
        )
        .bind(super::pool::json(&chats))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        summarize_held(&mut tx, chats, now).await?;
        super::outbox::queue(&mut tx, summaries, now).await?;
        tx.commit().await
    }
}

/// Events a mute held for `chats` up to `until`: marked summarized (counted by the summary that
/// is written in the same transaction; one held later stays for the next summary).
pub(super) async fn summarize_held(
    tx: &mut Write,
    chats: &[ChatId],
    until: i64,
) -> sqlx::Result<()> {
    for feed in [Feed::Payments, Feed::Payouts] {
        sqlx::query(&format!(
            "UPDATE {} SET held = 2 WHERE held = 1 AND told_at <= ?2
               AND chat_id IN (SELECT value FROM json_each(?1))",
            feed.told_table()
        ))
        .bind(super::pool::json(&chats))
        .bind(until)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Writes a feed's new state (in the poll's transaction).
pub(super) async fn write_state(
    tx: &mut Write,
    feed: Feed,
    u: &FeedUpdate,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE feed_cursors SET cursor = ?2, backfill_done = ?3, polls = ?4,
             last_success_at = COALESCE(?5, last_success_at), failures = ?6, failing_since = ?7,
             last_error = ?8, notice_sent = ?9, updated_at = ?10
         WHERE feed = ?1",
    )
    .bind(feed.as_str())
    .bind(u.cursor)
    .bind(u.backfill_done)
    .bind(u.polls as i64)
    .bind(u.success_at)
    .bind(u.health.failures as i64)
    .bind(u.health.failing_since)
    .bind(&u.health.last_error)
    .bind(u.health.notice_sent)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One status change in a feed's history (`anomaly`: `backwards`, `unknown`, `missing`, or
/// none), after the one before it.
pub(super) async fn record_status_change(
    tx: &mut Write,
    feed: Feed,
    track_id: &str,
    status: &str,
    anomaly: Option<&str>,
    source: &str,
    now: i64,
) -> sqlx::Result<()> {
    let table = match feed {
        Feed::Payments => "payment_status_changes",
        Feed::Payouts => "payout_status_changes",
    };
    sqlx::query(&format!(
        "INSERT INTO {table} (track_id, from_status, to_status, anomaly, at, source)
         SELECT ?1, (SELECT to_status FROM {table} WHERE track_id = ?1 ORDER BY id DESC LIMIT 1),
                ?2, ?3, ?4, ?5"
    ))
    .bind(track_id)
    .bind(status)
    .bind(anomaly)
    .bind(now)
    .bind(source)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The admins as the JSON array the served-chat filter reads.
pub(super) fn admins_json(admins: &BTreeSet<UserId>) -> String {
    super::thresholds::admins_json(Some(admins))
}

/// Writes who was told what; each new row's message goes to the outbox in the same
/// transaction, a row already there (told before) writes nothing.
async fn write_told(
    tx: &mut Write,
    feed: Feed,
    told: &[Told],
    now: i64,
) -> sqlx::Result<PollWritten> {
    let mut written = PollWritten::default();
    let insert = format!(
        "INSERT OR IGNORE INTO {} (chat_id, track_id, what, told_at, held)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        feed.told_table()
    );
    for t in told {
        let held = t.message.is_none();
        let added = sqlx::query(&insert)
            .bind(t.chat_id.0)
            .bind(t.track_id.as_str())
            .bind(&t.what)
            .bind(now)
            .bind(held)
            .execute(&mut **tx)
            .await?
            .rows_affected()
            == 1;
        match (&t.message, added) {
            (_, false) => written.repeated += 1,
            (None, true) => written.held += 1,
            (Some(message), true) => {
                super::outbox::queue(tx, std::slice::from_ref(message), now).await?;
                written.queued += 1;
            }
        }
    }
    Ok(written)
}
