//! The payout feed: every `PAYMENT_POLL_SECS`, read the payout list from the cursor on and the
//! payouts not yet final again, decide with the rules what each read means (a status reached,
//! or a payout stuck past `PAYOUT_STUCK_MINS`), word it for the chats that hear payouts, and
//! write the ledger, the "told" rows, their messages and the new cursor in one transaction.
//! The first reading is silent; failures back off and reach the admins as for payments.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::clock::now_unix;
use crate::engine::feed;
use crate::engine::languages::{self, Worded};
use crate::metrics::Metrics;
use crate::metrics::progress::Progress;
use crate::money::Usd;
use crate::oxapay::{Payout, TrackId};
use crate::rules::domain::{ChatId, UserId};
use crate::rules::feed::{Mode, listing_from};
use crate::rules::payments::usd_value;
use crate::rules::payouts::{Decision, chat_hears, decide};
use crate::sources::payouts::PayoutSource;
use crate::sources::prices::{self as price_source, PriceSource};
use crate::store::{Feed, FeedUpdate, MessageKind, Owed, PayoutPoll, Source, Store, Told};
use crate::texts;

pub struct PayoutWatcher {
    pub store: Store,
    pub source: Arc<PayoutSource>,
    pub prices: Arc<PriceSource>,
    pub admins: BTreeSet<UserId>,
    pub interval: Duration,
    pub backfill_days: u32,
    /// A payout open this long is told once as stuck.
    pub stuck_after: Duration,
    pub failures_before_notice: u32,
    pub progress: Progress,
    /// The operator\'s metrics.
    pub metrics: Metrics,
    pub wake: Arc<Notify>,
}

/// What one poll did.
#[derive(Debug, Default, Clone)]
pub struct PollReport {
    pub read: usize,
    pub events: usize,
    pub queued: usize,
    pub held: usize,
    pub failures: u32,
    pub retry_after: Option<Duration>,
}

impl PayoutWatcher {
    /// Runs until `shutdown`: a poll at once, then one every interval (longer while failing).
    pub async fn run(&self, shutdown: CancellationToken) {
        loop {
            let wait = tokio::select! {
                biased;
                _ = shutdown.cancelled() => break,
                r = self.poll() => match r {
                    Ok(r) => feed::next_wait(self.interval, r.failures, r.retry_after),
                    Err(e) => {
                        self.metrics
                            .database_error(crate::metrics::Component::Feed);
                        tracing::error!(error = format!("{e:#}"), "payout poll failed");
                        self.interval
                    }
                },
            };
            self.progress.feed_poll_done();
            tokio::select! {
                biased;
                _ = shutdown.cancelled() => break,
                _ = tokio::time::sleep(wait) => {}
            }
        }
        tracing::info!("payout feed stopped");
    }

    /// One poll: read, decide, word, record.
    pub async fn poll(&self) -> anyhow::Result<PollReport> {
        let now = now_unix();
        let state = self.store.feed_state(Feed::Payouts).await?;
        let mode = feed::mode(&state);
        let from = listing_from(state.cursor, now, self.backfill_days);
        let open = self.store.open_payouts().await?;
        let read = self.source.poll(from, &open, now).await;
        let polled = feed::Polled {
            listed_created: &read.listed_created,
            complete: read.complete,
            error: read.error.as_ref(),
        };
        let (update, notice) =
            feed::feed_update(&state, &polled, mode, now, self.failures_before_notice);
        let notices = match &notice {
            Some(n) => {
                tracing::warn!(notice = ?n, "telling the admins about the payout feed");
                let text =
                    texts::feed_notice(texts::FeedList::Payouts, n, now, read.error.as_ref());
                feed::to_admins(&self.admins, &text)
            }
            None => Vec::new(),
        };
        let source = match mode {
            Mode::Backfill => Source::Backfill,
            Mode::Live => Source::Poll,
        };
        let outcome = self
            .record(&read.payouts, mode, source, Some(&update), &notices, now)
            .await?;
        let report = PollReport {
            failures: update.health.failures,
            retry_after: read.error.as_ref().and_then(feed::retry_after),
            ..outcome
        };
        if report.read > 0 || report.failures > 0 {
            tracing::info!(
                read = report.read,
                events = report.events,
                queued = report.queued,
                held = report.held,
                backfill = mode == Mode::Backfill,
                failures = report.failures,
                "payout poll done"
            );
        }
        Ok(report)
    }

    /// A payout OxaPay called back about (its signature verified): decided and told like a
    /// polled read, in its own transaction.
    pub async fn record_callback(&self, payout: Payout) -> anyhow::Result<PollReport> {
        let read = [payout];
        self.record(&read, Mode::Live, Source::Callback, None, &[], now_unix())
            .await
    }

    async fn record(
        &self,
        reads: &[Payout],
        mode: Mode,
        source: Source,
        update: Option<&FeedUpdate>,
        notices: &[Owed],
        now: i64,
    ) -> anyhow::Result<PollReport> {
        let ids: Vec<&TrackId> = reads.iter().map(|p| &p.track_id).collect();
        let known = self.store.known_payouts(&ids).await?;
        let stuck_after = self.stuck_after.as_secs() as i64;
        let decided: Vec<(Payout, Decision)> = reads
            .iter()
            .map(|p| {
                let d = decide(known.get(&p.track_id), p, mode, now, stuck_after);
                (p.clone(), d)
            })
            .collect();
        for (p, d) in &decided {
            if let Some(a) = &d.anomaly {
                tracing::warn!(track_id = %p.track_id, anomaly = ?a, status = %p.status_text, "payout status stored but not told");
            }
        }
        let values = self.values(&decided).await;
        let told = self.told(&decided, &values, now).await?;
        let written = self
            .store
            .record_payout_poll(&PayoutPoll {
                reads: &decided,
                values: &values,
                told: &told,
                notices,
                state: update,
                source,
                now,
            })
            .await?;
        if written.queued > 0 || !notices.is_empty() {
            self.wake.notify_one();
        }
        Ok(PollReport {
            read: decided.len(),
            events: decided.iter().map(|(_, d)| d.events.len()).sum(),
            queued: written.queued,
            held: written.held,
            ..PollReport::default()
        })
    }

    /// USD values at the current prices, for payouts that have none yet.
    async fn values(&self, decided: &[(Payout, Decision)]) -> HashMap<TrackId, (Usd, i64)> {
        if decided.is_empty() {
            return HashMap::new();
        }
        let read = self.prices.read().await;
        let Some(prices) = price_source::current(&read) else {
            return HashMap::new();
        };
        let at = prices.fetched_at.timestamp();
        decided
            .iter()
            .filter_map(|(p, _)| {
                let usd = usd_value(p.amount?, p.currency.as_ref()?, &prices.prices)?;
                Some((p.track_id.clone(), (usd, at)))
            })
            .collect()
    }

    /// Who hears each event; a muted chat has it held for the mute's summary.
    async fn told(
        &self,
        decided: &[(Payout, Decision)],
        values: &HashMap<TrackId, (Usd, i64)>,
        now: i64,
    ) -> sqlx::Result<Vec<Told>> {
        if decided.iter().all(|(_, d)| d.events.is_empty()) {
            return Ok(Vec::new());
        }
        let feeds = self.store.payout_feeds(&self.admins).await?;
        let muted = feed::muted_chats(&self.store, now).await?;
        let chats: Vec<ChatId> = feeds.iter().map(|(chat, _)| *chat).collect();
        let langs = languages::of_chats(&self.store, &chats).await?;
        let stuck_mins = self.stuck_after.as_secs() / 60;
        let mut told = Vec::new();
        for (payout, decision) in decided {
            let usd = values.get(&payout.track_id).copied();
            for event in &decision.events {
                let mut text =
                    Worded::new(|lang| texts::payout_event(lang, payout, event, usd, stuck_mins));
                for (chat, _) in feeds.iter().filter(|(_, f)| chat_hears(f, event)) {
                    let message = (!muted.contains(chat)).then(|| {
                        let lang = langs.get(chat).copied().unwrap_or_default();
                        Owed::new(*chat, text.in_lang(lang), MessageKind::Feed)
                    });
                    told.push(Told {
                        chat_id: *chat,
                        track_id: payout.track_id.clone(),
                        what: event.told_key(),
                        message,
                    });
                }
            }
        }
        Ok(told)
    }
}
