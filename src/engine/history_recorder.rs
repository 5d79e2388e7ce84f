//! The history recorder: keeps every successful balance read — whoever asked for it — as a
//! snapshot, at most one per `HISTORY_INTERVAL_SECS`, and reads the balances itself when nobody
//! else did for that long, so the history runs even in a bot without alerts or reports. Once an
//! hour it thins and trims the history (`history::plan_retention`) and drops audit entries older
//! than 400 days.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::metrics::progress::Progress;
use crate::rules::history::plan_retention;
use crate::rules::valuation;
use crate::sources::balances::{BalanceSource, Snapshot};
use crate::sources::prices::{self, PriceSource};
use crate::store::Store;

const RETENTION_EVERY: Duration = Duration::from_secs(3_600);
/// Audit entries are kept this long (at least a year, as promised to admins).
const AUDIT_KEEP_DAYS: i64 = 400;

pub struct Recorder {
    pub store: Store,
    pub balances: Arc<BalanceSource>,
    pub prices: Arc<PriceSource>,
    pub interval: Duration,
    pub retention_days: u32,
    pub progress: Progress,
}

impl Recorder {
    pub async fn run(self, shutdown: CancellationToken) {
        let mut reads = self.balances.subscribe();
        let mut last = match self.store.last_snapshot_at().await {
            Ok(at) => at,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the history; recording from now");
                None
            }
        };
        let mut retention = tokio::time::interval(RETENTION_EVERY);
        retention.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // Our own reads wait a whole interval from start: the first read anyone makes (the alert
        // check at start, a /balance) is recorded anyway, and a bot that just started owes
        // OxaPay no call. Later, after each own read, not before this (the balance cache may
        // hand back a read that is already recorded, and OxaPay may be down).
        let interval = self.interval.as_secs() as i64;
        let mut next_own_read = crate::clock::now_unix() + interval;
        loop {
            let due = last.map_or(next_own_read, |at| (at + interval).max(next_own_read));
            let due_in = Duration::from_secs((due - crate::clock::now_unix()).max(0) as u64);
            tokio::select! {
                biased;
                _ = shutdown.cancelled() => break,
                _ = retention.tick() => self.retain().await,
                changed = reads.changed() => {
                    if changed.is_err() {
                        break;
                    }
                    let snap = reads.borrow_and_update().clone();
                    if let Some(snap) = snap {
                        self.record(&snap, &mut last).await;
                    }
                }
                _ = tokio::time::sleep(due_in) => {
                    // Nobody read the balances for a whole interval: read them for the history.
                    // A new answer arrives through `reads` like any other.
                    next_own_read = crate::clock::now_unix() + interval.min(60);
                    if let Err(e) = self.balances.read().await {
                        tracing::debug!(error = %e, "history read failed; trying again shortly");
                    }
                }
            }
        }
        tracing::info!("history recorder stopped");
    }

    /// Records `snap` unless the previous snapshot is younger than the interval.
    async fn record(&self, snap: &Snapshot, last: &mut Option<i64>) {
        let at = snap.fetched_at.timestamp();
        if last.is_some_and(|l| at < l + self.interval.as_secs() as i64) {
            return;
        }
        // No current prices (the failure is logged by the price source): no total this time.
        let read = self.prices.read().await;
        let total = prices::current(&read).and_then(|p| {
            valuation::value(&snap.balances, Some(&p.prices)).complete_total(&snap.balances)
        });
        match self.store.record_snapshot(at, &snap.balances, total).await {
            Ok(()) => {
                *last = Some(at);
                self.progress.history_recorded();
            }
            Err(e) => tracing::error!(error = %e, "could not record a balance snapshot"),
        }
    }

    async fn retain(&self) {
        // The audit log is kept at least a year; pruned here with the history, once an hour.
        let audit_before = crate::clock::now_unix() - AUDIT_KEEP_DAYS * 86_400;
        match self.store.prune_audit(audit_before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(dropped = n, "audit entries older than 400 days dropped"),
            Err(e) => tracing::error!(error = %e, "could not prune the audit log"),
        }
        let times = match self.store.snapshot_times().await {
            Ok(t) => t,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the history for retention");
                return;
            }
        };
        let plan = plan_retention(&times, crate::clock::now_unix(), self.retention_days);
        if plan.drop.is_empty() {
            return;
        }
        match self.store.drop_snapshots(&plan.drop).await {
            Ok(n) => tracing::info!(dropped = n, kept = plan.keep.len(), "history thinned"),
            Err(e) => tracing::error!(error = %e, "could not thin the history"),
        }
    }
}
