//! The payment feed: every `PAYMENT_POLL_SECS`, read the payment list from the cursor on (and the
//! open payments again), decide with the rules what each read means, word the events for the
//! chats that hear them, and write the ledger, the "told" rows, their messages and the new
//! cursor in one transaction. The first reading stores the last `PAYMENT_BACKFILL_DAYS`
//! silently (payments made while it failed are told). A failed read is retried with backoff (at
//! least as long as OxaPay's `Retry-After`); after `ALERT_FAILURES_BEFORE_NOTICE` failures in a
//! row the admins hear once, and once more when it reads again.

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
use crate::oxapay::{Payment, TrackId};
use crate::rules::domain::UserId;
use crate::rules::feed::{Mode, listing_from, mode_for};
use crate::rules::payments::{Decision, chat_hears, decide};
use crate::sources::payments::PaymentSource;
use crate::sources::prices::PriceSource;
use crate::store::{Feed, FeedUpdate, Owed, PaymentPoll, Source, Store, Told};
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
    /// The operator's metrics.
    pub metrics: Metrics,
    /// Wakes the delivery worker when a poll owes messages.
    pub wake: Arc<Notify>,
}

impl PaymentWatcher {
    /// Runs until `shutdown`: a poll at once, then one every interval (longer while failing).
    pub async fn run(&self, shutdown: CancellationToken) {
        let (interval, metrics, progress) = (self.interval, &self.metrics, &self.progress);
        feed::run(
            Feed::Payments,
            interval,
            metrics,
            progress,
            shutdown,
            || self.poll(),
        )
        .await;
    }

    /// One poll: read, decide, word, record.
    pub async fn poll(&self) -> anyhow::Result<PollReport> {
        let now = now_unix();
        let state = self.store.feed_state(Feed::Payments).await?;
        let mode = feed::mode(&state);
        let from = listing_from(state.cursor, now, self.backfill_days);
        let open = self.store.open_payments().await?;
        let read = self.source.poll(from, &open, state.polls + 1, now).await;
        let (update, notices) = feed::after_poll(
            Feed::Payments,
            &state,
            &read,
            mode,
            now,
            self.failures_before_notice,
            &self.admins,
        );
        let source = feed::source_of(mode);
        // Until the first reading is done, what was made since it first failed is told.
        let mode_of = |p: &Payment| {
            mode_for(
                state.backfill_done,
                state.health.failing_since,
                p.created_at,
            )
        };
        let outcome = self
            .record(&read.items, mode_of, source, Some(&update), &notices, now)
            .await?;
        let report = PollReport {
            failures: update.health.failures,
            retry_after: read.error.as_ref().and_then(feed::retry_after),
            ..outcome
        };
        report.log(Feed::Payments, mode);
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
        let amounts = decided
            .iter()
            .map(|(p, _)| (&p.track_id, p.amount, p.currency.as_ref()));
        let values = feed::usd_values(&self.prices, amounts).await;
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
        let events = decided.iter().map(|(_, d)| d.events.len()).sum();
        Ok(PollReport::recorded(decided.len(), events, written))
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
        let chats = self.store.payment_feeds(&self.admins).await?;
        let audience = Audience::of(&self.store, chats, now).await?;
        let mut told = Vec::new();
        for (payment, decision) in decided {
            let usd = values.get(&payment.track_id).copied();
            for event in &decision.events {
                audience.tell(
                    &mut told,
                    &payment.track_id,
                    &event.told_key(),
                    |f| chat_hears(f, event, usd.map(|(v, _)| v.amount())),
                    |lang| texts::payment_event(lang, payment, event, usd),
                );
            }
        }
        Ok(told)
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
