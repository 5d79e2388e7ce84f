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
use crate::engine::feed::{self, Audience, PollReport};
use crate::metrics::Metrics;
use crate::metrics::progress::Progress;
use crate::money::Usd;
use crate::oxapay::{Payout, TrackId};
use crate::rules::domain::UserId;
use crate::rules::feed::{Mode, listing_from};
use crate::rules::payouts::{Decision, chat_hears, decide};
use crate::sources::payouts::PayoutSource;
use crate::sources::prices::PriceSource;
use crate::store::{Feed, FeedUpdate, Owed, PayoutPoll, Source, Store, Told};
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
    /// The operator's metrics.
    pub metrics: Metrics,
    /// Wakes the delivery worker when a poll owes messages.
    pub wake: Arc<Notify>,
}

impl PayoutWatcher {
    /// Runs until `shutdown`: a poll at once, then one every interval (longer while failing).
    pub async fn run(&self, shutdown: CancellationToken) {
        let (interval, metrics, progress) = (self.interval, &self.metrics, &self.progress);
        feed::run(Feed::Payouts, interval, metrics, progress, shutdown, || {
            self.poll()
        })
        .await;
    }

    /// One poll: read, decide, word, record.
    pub async fn poll(&self) -> anyhow::Result<PollReport> {
        let now = now_unix();
        let state = self.store.feed_state(Feed::Payouts).await?;
        let mode = feed::mode(&state);
        let from = listing_from(state.cursor, now, self.backfill_days);
        let open = self.store.open_payouts().await?;
        let read = self.source.poll(from, &open, now).await;
        let (update, notices) = feed::after_poll(
            Feed::Payouts,
            &state,
            &read,
            mode,
            now,
            self.failures_before_notice,
            &self.admins,
        );
        let source = feed::source_of(mode);
        let outcome = self
            .record(&read.items, mode, source, Some(&update), &notices, now)
            .await?;
        let report = PollReport {
            failures: update.health.failures,
            retry_after: read.error.as_ref().and_then(feed::retry_after),
            ..outcome
        };
        report.log(Feed::Payouts, mode);
        Ok(report)
    }

    /// A payout OxaPay called back about (its signature verified): decided and told like a
    /// polled read, in its own transaction.
    pub async fn record_callback(&self, payout: Payout) -> anyhow::Result<PollReport> {
        let read = [payout];
        self.record(&read, Mode::Live, Source::Callback, None, &[], now_unix())
            .await
    }

    /// Decides what `reads` mean, words the events for the chats that hear them, and writes it
    /// all (with `update` and `notices`) in one transaction.
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
        let amounts = decided
            .iter()
            .map(|(p, _)| (&p.track_id, p.amount, p.currency.as_ref()));
        let values = feed::usd_values(&self.prices, amounts).await;
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
        let events = decided.iter().map(|(_, d)| d.events.len()).sum();
        Ok(PollReport::recorded(decided.len(), events, written))
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
        let chats = self.store.payout_feeds(&self.admins).await?;
        let audience = Audience::of(&self.store, chats, now).await?;
        let stuck_mins = self.stuck_after.as_secs() / 60;
        let mut told = Vec::new();
        for (payout, decision) in decided {
            let usd = values.get(&payout.track_id).copied();
            for event in &decision.events {
                audience.tell(
                    &mut told,
                    &payout.track_id,
                    &event.told_key(),
                    |f| chat_hears(f, event),
                    |lang| texts::payout_event(lang, payout, event, usd, stuck_mins),
                );
            }
        }
        Ok(told)
    }
}
