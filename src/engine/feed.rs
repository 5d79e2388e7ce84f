//! What the payment and payout feeds' loops share: the loop itself (a poll at once, then the
//! interval, backing off while reads fail, never shorter than OxaPay's `Retry-After`), the
//! feed's new position and health with the admins' notices, the USD values of what was read,
//! and who hears an event (the chats whose feed wants it, in their languages, a muted chat's
//! held for its mute's summary).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::future::Future;
use std::time::Duration;

use rust_decimal::Decimal;
use tokio_util::sync::CancellationToken;

use super::languages::{self, Worded};
use crate::metrics::progress::Progress;
use crate::metrics::{Component, Metrics};
use crate::money::{Currency, Usd};
use crate::oxapay::{OxaPayError, TrackId};
use crate::rules::domain::{ChatId, UserId};
use crate::rules::feed::{Mode, advance_cursor};
use crate::rules::oxapay_health::{HealthNotice, next_health};
use crate::rules::payments::usd_value;
use crate::sources::poll_read::PollRead;
use crate::sources::prices::{self as price_source, PriceSource};
use crate::store::{
    Feed, FeedState, FeedUpdate, MessageKind, Owed, PollWritten, Source, Store, Told,
};
use crate::texts::{self, Lang};

/// What one poll did, for the log, the backoff and the benchmarks.
#[derive(Debug, Default, Clone)]
pub struct PollReport {
    pub read: usize,
    pub events: usize,
    pub queued: usize,
    pub held: usize,
    /// Failed polls in a row (0: this one read everything it tried).
    pub failures: u32,
    /// How long OxaPay asked to wait, if it did.
    pub retry_after: Option<Duration>,
}

impl PollReport {
    /// What recording `read` records with `events` did.
    pub fn recorded(read: usize, events: usize, written: PollWritten) -> Self {
        Self {
            read,
            events,
            queued: written.queued,
            held: written.held,
            ..Self::default()
        }
    }

    /// One log line for a poll that read something or failed.
    pub fn log(&self, list: Feed, mode: Mode) {
        if self.read > 0 || self.failures > 0 {
            tracing::info!(
                feed = list.as_str(),
                read = self.read,
                events = self.events,
                queued = self.queued,
                held = self.held,
                backfill = mode == Mode::Backfill,
                failures = self.failures,
                "feed poll done"
            );
        }
    }
}

/// Runs `poll` until `shutdown`: at once, then again after each wait ([`next_wait`]).
pub async fn run<F, Fut>(
    list: Feed,
    interval: Duration,
    metrics: &Metrics,
    progress: &Progress,
    shutdown: CancellationToken,
    poll: F,
) where
    F: Fn() -> Fut,
    Fut: Future<Output = anyhow::Result<PollReport>>,
{
    loop {
        let wait = tokio::select! {
            biased;
            _ = shutdown.cancelled() => break,
            r = poll() => match r {
                Ok(r) => next_wait(interval, r.failures, r.retry_after),
                Err(e) => {
                    metrics.database_error(Component::Feed);
                    tracing::error!(feed = list.as_str(), error = format!("{e:#}"), "feed poll failed");
                    interval
                }
            },
        };
        progress.feed_poll_done();
        tokio::select! {
            biased;
            _ = shutdown.cancelled() => break,
            _ = tokio::time::sleep(wait) => {}
        }
    }
    tracing::info!(feed = list.as_str(), "feed stopped");
}

/// Where a poll's reads came from, for the ledger.
pub fn source_of(mode: Mode) -> Source {
    match mode {
        Mode::Backfill => Source::Backfill,
        Mode::Live => Source::Poll,
    }
}

/// The longest wait between polls while a list cannot be read.
const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);

/// The wait before the next poll: `interval`, doubled for each failed poll in a row up to 15
/// minutes, and never shorter than OxaPay's `Retry-After`.
pub fn next_wait(interval: Duration, failures: u32, retry_after: Option<Duration>) -> Duration {
    if failures == 0 {
        return interval;
    }
    let doublings = (failures - 1).min(10);
    let backoff = interval.saturating_mul(1 << doublings).min(MAX_BACKOFF);
    backoff.max(interval).max(retry_after.unwrap_or_default())
}

/// How long OxaPay asked to wait (a 429's `Retry-After`), if it did.
pub fn retry_after(e: &OxaPayError) -> Option<Duration> {
    match e {
        OxaPayError::Status { retry_after, .. } | OxaPayError::Refused { retry_after, .. } => {
            retry_after.map(Duration::from_secs)
        }
        _ => None,
    }
}

/// What one poll read, for the feed's position and health.
pub struct Polled<'a> {
    /// The new listing's creation times, in the order listed.
    pub listed_created: &'a [Option<i64>],
    /// Every page of the new listing was read.
    pub complete: bool,
    pub error: Option<&'a OxaPayError>,
}

/// The feed's position and health after a poll, and the notice the admins are owed (after
/// `failures_before_notice` failed polls in a row, and when it reads again).
pub fn feed_update(
    state: &FeedState,
    polled: &Polled<'_>,
    mode: Mode,
    now: i64,
    failures_before_notice: u32,
) -> (FeedUpdate, Option<HealthNotice>) {
    let (health, notice) = next_health(
        &state.health,
        polled.error.map_or(Ok(()), Err),
        now,
        failures_before_notice,
    );
    let update = FeedUpdate {
        cursor: advance_cursor(state.cursor, polled.listed_created, polled.complete, now),
        backfill_done: state.backfill_done || (mode == Mode::Backfill && polled.complete),
        polls: state.polls + 1,
        success_at: polled.error.is_none().then_some(now),
        health,
    };
    (update, notice)
}

/// The feed's position and health after `read`, and the admins' notices it owes.
pub fn after_poll<T>(
    list: Feed,
    state: &FeedState,
    read: &PollRead<T>,
    mode: Mode,
    now: i64,
    failures_before_notice: u32,
    admins: &BTreeSet<UserId>,
) -> (FeedUpdate, Vec<Owed>) {
    let polled = Polled {
        listed_created: &read.listed_created,
        complete: read.complete,
        error: read.error.as_ref(),
    };
    let (update, notice) = feed_update(state, &polled, mode, now, failures_before_notice);
    let notices = match &notice {
        Some(n) => {
            tracing::warn!(feed = list.as_str(), notice = ?n, "telling the admins about a feed");
            to_admins(
                admins,
                &texts::feed_notice(list, n, now, read.error.as_ref()),
            )
        }
        None => Vec::new(),
    };
    (update, notices)
}

/// USD values at the current prices of the records that have an amount and a currency. No
/// current prices: no values this time (logged by the price source).
pub async fn usd_values<'a>(
    prices: &PriceSource,
    amounts: impl IntoIterator<Item = (&'a TrackId, Option<Decimal>, Option<&'a Currency>)>,
) -> HashMap<TrackId, (Usd, i64)> {
    let valued: Vec<(&TrackId, Decimal, &Currency)> = amounts
        .into_iter()
        .filter_map(|(id, amount, currency)| Some((id, amount?, currency?)))
        .collect();
    if valued.is_empty() {
        return HashMap::new();
    }
    let read = prices.read().await;
    let Some(prices) = price_source::current(&read) else {
        return HashMap::new();
    };
    let at = prices.fetched_at.timestamp();
    valued
        .into_iter()
        .filter_map(|(id, amount, currency)| {
            let usd = usd_value(amount, currency, &prices.prices)?;
            Some((id.clone(), (usd, at)))
        })
        .collect()
}

/// The chats a feed reaches, each with its setting, its language and whether a mute holds its
/// messages now.
pub struct Audience<F> {
    chats: Vec<(ChatId, F)>,
    muted: BTreeSet<ChatId>,
    langs: BTreeMap<ChatId, Lang>,
}

impl<F> Audience<F> {
    pub async fn of(store: &Store, chats: Vec<(ChatId, F)>, now: i64) -> sqlx::Result<Self> {
        let muted = muted_chats(store, now).await?;
        let ids: Vec<ChatId> = chats.iter().map(|(chat, _)| *chat).collect();
        let langs = languages::of_chats(store, &ids).await?;
        Ok(Self {
            chats,
            muted,
            langs,
        })
    }

    /// One event told to every chat whose setting `hears` it (worded once per language); a
    /// muted chat gets the "told" row without a message, held for its mute's summary.
    pub fn tell(
        &self,
        told: &mut Vec<Told>,
        track_id: &TrackId,
        what: &str,
        hears: impl Fn(&F) -> bool,
        word: impl Fn(Lang) -> String,
    ) {
        let mut text = Worded::new(word);
        for (chat, _) in self.chats.iter().filter(|(_, f)| hears(f)) {
            let message = (!self.muted.contains(chat)).then(|| {
                let lang = self.langs.get(chat).copied().unwrap_or_default();
                Owed::new(*chat, text.in_lang(lang), MessageKind::Feed)
            });
            told.push(Told {
                chat_id: *chat,
                track_id: track_id.clone(),
                what: what.to_owned(),
                message,
            });
        }
    }
}

/// The same notice to every admin.
pub fn to_admins(admins: &BTreeSet<UserId>, text: &str) -> Vec<Owed> {
    admins
        .iter()
        .map(|a| Owed::new(ChatId::from(*a), text.to_owned(), MessageKind::Notice))
        .collect()
}

/// The chats whose mute holds messages at `now`.
pub async fn muted_chats(store: &Store, now: i64) -> sqlx::Result<BTreeSet<ChatId>> {
    Ok(store
        .mutes()
        .await?
        .into_iter()
        .filter(|m| m.until > now)
        .map(|m| m.chat_id)
        .collect())
}

/// Whether a poll is the silent first reading.
pub fn mode(state: &FeedState) -> Mode {
    if state.backfill_done {
        Mode::Live
    } else {
        Mode::Backfill
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_while_failing_and_honour_retry_after() {
        let i = Duration::from_secs(30);
        let secs = |f, r: Option<u64>| next_wait(i, f, r.map(Duration::from_secs)).as_secs();
        assert_eq!(secs(0, Some(999)), 30, "a working poll waits the interval");
        assert_eq!(secs(1, None), 30);
        assert_eq!(secs(2, None), 60);
        assert_eq!(secs(4, None), 240);
        assert_eq!(secs(10, None), 900, "at most 15 minutes");
        assert_eq!(secs(1, Some(120)), 120, "Retry-After wins when longer");
    }
}
