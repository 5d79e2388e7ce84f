//! The payment feed: every `PAYMENT_POLL_SECS`, read the payment list from the cursor on (and the
//! open payments again), decide with the rules what each read means, word the events for the
//! chats that hear them, and write the ledger, the "told" rows, their messages and the new
//! cursor in one transaction. The first reading stores the last `PAYMENT_BACKFILL_DAYS`
//! silently (payments made while it failed are told). A failed read is retried with backoff (at least as long as OxaPay's `Retry-After`);
//! after `ALERT_FAILURES_BEFORE_NOTICE` failures in a row the admins hear once, and once more
//! when it reads again.

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
use crate::oxapay::{Payment, TrackId};
use crate::rules::domain::{ChatId, UserId};
use crate::rules::feed::{Mode, listing_from, mode_for};
use crate::rules::payments::{ChatFeed, Decision, chat_hears, decide, usd_value};
use crate::sources::payments::{PaymentSource, PollRead};
use crate::sources::prices::{self as price_source, PriceSource};
use crate::store::{
    Feed, FeedState, FeedUpdate, MessageKind, Owed, PaymentPoll, Source, Store, Told,
};
use crate::texts;

pub struct PaymentWatcher {
    pub store: Store,
    pub source: Arc<PaymentSource>,
    pub prices: Arc<PriceSource>,
    pub admins: BTreeSet<UserId>,
    pub interval: Duration,
    pub backfill_days: u32,
    pub failures_before_notice: u32,
    pub progress: Progress,
    /// The operator\'s metrics.
    pub metrics: Metrics,
    /// Wakes the delivery worker when a poll owes messages.
    pub wake: Arc<Notify>,
}

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

impl PaymentWatcher {
    /// Runs until `shutdown`: a poll at once, then one every interval (longer while failing).
    pub async fn run(&self, shutdown: CancellationToken) {
        loop {
            let wait = tokio::select! {
                biased;
                _ = shutdown.cancelled() => break,
                r = self.poll() => match r {
                    Ok(report) => self.next_wait(&report),
                    Err(e) => {
                        self.metrics
                            .database_error(crate::metrics::Component::Feed);
                        tracing::error!(error = format!("{e:#}"), "payment poll failed");
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
        tracing::info!("payment feed stopped");
    }

    fn next_wait(&self, r: &PollReport) -> Duration {
        feed::next_wait(self.interval, r.failures, r.retry_after)
    }

    /// One poll: read, decide, word, record.
    pub async fn poll(&self) -> anyhow::Result<PollReport> {
        let now = now_unix();
        let state = self.store.feed_state(Feed::Payments).await?;
        let mode = feed::mode(&state);
        let from = listing_from(state.cursor, now, self.backfill_days);
        let open = self.store.open_payments().await?;
        let read = self.source.poll(from, &open, state.polls + 1, now).await;
        let (update, notices) = self.feed_update(&state, &read, mode, now);
        let source = match mode {
            Mode::Backfill => Source::Backfill,
            Mode::Live => Source::Poll,
        };
        // Until the first reading is done, what was made since it first failed is told.
        let mode_of = |p: &Payment| {
            mode_for(
                state.backfill_done,
                state.health.failing_since,
                p.created_at,
            )
        };
        let outcome = self
            .record(
                &read.payments,
                mode_of,
                source,
                Some(&update),
                &notices,
                now,
            )
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
                "payment poll done"
            );
        }
        Ok(report)
    }

    /// A payment OxaPay called back about (its signature verified): decided and told like a
    /// polled read, in its own transaction; the cursor does not move. A status already told
    /// tells nothing.
    pub async fn record_callback(&self, payment: Payment) -> anyhow::Result<PollReport> {
        let read = [payment];
        self.record(
            &read,
            |_| Mode::Live,
            Source::Callback,
            None,
            &[],
            now_unix(),
        )
        .await
    }

    /// Decides what `reads` mean (each in the mode `mode_of` gives it), words the events for the
    /// chats that hear them, and writes it all (with `update` and `notices`) in one transaction.
    async fn record(
        &self,
        reads: &[Payment],
        mode_of: impl Fn(&Payment) -> Mode,
        source: Source,
        update: Option<&FeedUpdate>,
        notices: &[Owed],
        now: i64,
    ) -> anyhow::Result<PollReport> {
        let ids: Vec<&TrackId> = reads.iter().map(|p| &p.track_id).collect();
        let known = self.store.known_payments(&ids).await?;
        let decided: Vec<(Payment, Decision)> = reads
            .iter()
            .map(|p| (p.clone(), decide(known.get(&p.track_id), p, mode_of(p))))
            .collect();
        log_anomalies(&decided);
        let values = self.values(&decided).await;
        let told = self.told(&decided, &values, now).await?;
        let written = self
            .store
            .record_payment_poll(&PaymentPoll {
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

    /// USD values for the payments read, at the current prices (kept only for payments that
    /// have none yet: a payment keeps the price of when it was first valued). No current prices:
    /// no values this time (logged by the price source).
    async fn values(&self, decided: &[(Payment, Decision)]) -> HashMap<TrackId, (Usd, i64)> {
        let valued: Vec<&Payment> = decided
            .iter()
            .map(|(p, _)| p)
            .filter(|p| p.amount.is_some() && p.currency.is_some())
            .collect();
        if valued.is_empty() {
            return HashMap::new();
        }
        let read = self.prices.read().await;
        let Some(prices) = price_source::current(&read) else {
            return HashMap::new();
        };
        let at = prices.fetched_at.timestamp();
        valued
            .into_iter()
            .filter_map(|p| {
                let usd = usd_value(p.amount?, p.currency.as_ref()?, &prices.prices)?;
                Some((p.track_id.clone(), (usd, at)))
            })
            .collect()
    }

    /// Who hears each event: a chat whose feed is on and wants that status (and amount); a
    /// muted chat has it held for the mute's summary.
    async fn told(
        &self,
        decided: &[(Payment, Decision)],
        values: &HashMap<TrackId, (Usd, i64)>,
        now: i64,
    ) -> sqlx::Result<Vec<Told>> {
        if decided.iter().all(|(_, d)| d.events.is_empty()) {
            return Ok(Vec::new());
        }
        let feeds: Vec<(ChatId, ChatFeed)> = self.store.payment_feeds(&self.admins).await?;
        let muted = feed::muted_chats(&self.store, now).await?;
        let chats: Vec<ChatId> = feeds.iter().map(|(chat, _)| *chat).collect();
        let langs = languages::of_chats(&self.store, &chats).await?;
        let mut told = Vec::new();
        for (payment, decision) in decided {
            // The value the ledger already keeps wins over today's (it is the one shown later).
            let usd = values.get(&payment.track_id).copied();
            for event in &decision.events {
                let mut text = Worded::new(|lang| texts::payment_event(lang, payment, event, usd));
                for (chat, feed) in &feeds {
                    if !chat_hears(feed, event, usd.map(|(v, _)| v.amount())) {
                        continue;
                    }
                    let message = (!muted.contains(chat)).then(|| {
                        let lang = langs.get(chat).copied().unwrap_or_default();
                        Owed::new(*chat, text.in_lang(lang), MessageKind::Feed)
                    });
                    told.push(Told {
                        chat_id: *chat,
                        track_id: payment.track_id.clone(),
                        what: event.told_key(),
                        message,
                    });
                }
            }
        }
        Ok(told)
    }

    /// The feed's position and health after this poll, and what the admins are told.
    fn feed_update(
        &self,
        state: &FeedState,
        read: &PollRead,
        mode: Mode,
        now: i64,
    ) -> (FeedUpdate, Vec<Owed>) {
        let polled = feed::Polled {
            listed_created: &read.listed_created,
            complete: read.complete,
            error: read.error.as_ref(),
        };
        let (update, notice) =
            feed::feed_update(state, &polled, mode, now, self.failures_before_notice);
        let notices = match &notice {
            Some(n) => {
                tracing::warn!(notice = ?n, "telling the admins about the payment feed");
                let text =
                    texts::feed_notice(texts::FeedList::Payments, n, now, read.error.as_ref());
                feed::to_admins(&self.admins, &text)
            }
            None => Vec::new(),
        };
        (update, notices)
    }
}

/// A status that went backwards or that the vendor's table does not have: one log line, at the
/// change only (the rules report it once).
fn log_anomalies(decided: &[(Payment, Decision)]) {
    for (p, d) in decided {
        if let Some(a) = &d.anomaly {
            tracing::warn!(track_id = %p.track_id, anomaly = ?a, status = %p.status_text, "payment status stored but not told");
        }
    }
}
