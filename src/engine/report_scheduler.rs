//! The report scheduler: sleeps until the next due slot of any chat (or until a schedule changes),
//! then builds each due report and writes it to the outbox with its slot, in one transaction
//! (`Store::record_report`), so no slot is sent twice, crash or not.
//!
//! OxaPay unreadable at report time: retried each minute; from 30 minutes after the slot the
//! report is built from the newest stored snapshot, labelled with its age. Whether that half hour
//! has passed is worked out from the slot itself, so a restart neither resets nor skips it.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::clock::utc;
use crate::engine::report_builder::{BuildError, ReportSources};
use crate::metrics::progress::Progress;
use crate::rules::domain::{ChatId, UserId};
use crate::rules::schedule::{self, Due, ReportRequest, Schedule, parse_report_args};
use crate::store::{ReportRecord, StoredSchedule};

/// How long after its slot a report waits for OxaPay before the stored balances are used.
pub const STALE_AFTER: TimeDelta = TimeDelta::minutes(30);
/// How often a report waiting for OxaPay tries again.
const RETRY_EVERY: Duration = Duration::from_secs(60);
/// The scheduler looks again at least this often, whatever it expects.
const LONGEST_SLEEP: Duration = Duration::from_secs(300);

/// What became of one due slot.
enum SlotOutcome {
    Written,
    /// OxaPay or the database failed; the slot stays due.
    TryAgain,
}

pub struct Scheduler {
    pub sources: ReportSources,
    pub admins: BTreeSet<UserId>,
    /// Woken when a chat sets or removes a schedule.
    pub changed: Arc<Notify>,
    /// Wakes the delivery worker when reports are owed.
    pub wake_delivery: Arc<Notify>,
    pub progress: Progress,
}

/// A stored schedule read back (`spec` is `Schedule::to_args`). A spec that no longer parses
/// (a zone the time-zone data dropped, say) is reported, not fatal for the others.
pub fn parse_stored(s: &StoredSchedule) -> Option<Schedule> {
    match parse_report_args(&s.spec, None) {
        Ok(ReportRequest::Set(schedule)) => Some(schedule),
        _ => {
            tracing::error!(chat_id = s.chat_id.0, spec = %s.spec, "unreadable report schedule; skipped");
            None
        }
    }
}

impl Scheduler {
    pub async fn run(self, shutdown: CancellationToken) {
        loop {
            let wait = match self.pass().await {
                Ok(wait) => wait,
                Err(e) => {
                    tracing::error!(error = %e, "report scheduler could not read the schedules");
                    RETRY_EVERY
                }
            };
            tokio::select! {
                biased;
                _ = shutdown.cancelled() => break,
                _ = self.changed.notified() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
        tracing::info!("report scheduler stopped");
    }

    /// Sends every report that is due now; returns how long until the next may be.
    pub async fn pass(&self) -> sqlx::Result<Duration> {
        let schedules = self.sources.store.live_reports(&self.admins).await?;
        let mut wait = LONGEST_SLEEP;
        let mut sent = 0;
        for stored in &schedules {
            let Some(schedule) = parse_stored(stored) else {
                continue;
            };
            let now = Utc::now();
            let decision = schedule::due(
                &schedule,
                utc(stored.created_at),
                stored.last_slot.map(utc),
                now,
            );
            let next = match decision {
                Due::Wait { next } => next,
                Due::Skip {
                    slot,
                    late_by,
                    next,
                    missed_before,
                } => {
                    self.skip(stored.chat_id, slot, late_by, missed_before)
                        .await;
                    next
                }
                Due::Run {
                    slot,
                    late_by,
                    missed_before,
                } => {
                    if missed_before > 0 {
                        tracing::warn!(
                            chat_id = stored.chat_id.0,
                            missed_before,
                            "older report slots were missed while the bot was down"
                        );
                    }
                    match self.run_slot(stored.chat_id, slot, late_by, now).await {
                        SlotOutcome::Written => sent += 1,
                        SlotOutcome::TryAgain => wait = wait.min(RETRY_EVERY),
                    }
                    // The next slot of this chat.
                    schedule::next_slot(&schedule, slot)
                }
            };
            wait = wait.min((next - Utc::now()).to_std().unwrap_or_default());
        }
        if sent > 0 {
            tracing::info!(reports = sent, "reports written to the outbox");
        }
        self.progress.report_pass_done();
        Ok(wait)
    }

    /// A slot too late to send (the bot was down for hours): marked handled, never sent.
    async fn skip(&self, chat_id: ChatId, slot: DateTime<Utc>, late_by: TimeDelta, missed: u32) {
        tracing::warn!(
            chat_id = chat_id.0,
            slot = %slot,
            late_h = late_by.num_hours(),
            missed_before = missed,
            "report slot missed by more than 6 hours (the bot was not running); skipped"
        );
        if let Err(e) = self
            .sources
            .store
            .skip_slot(chat_id, slot.timestamp())
            .await
        {
            tracing::error!(chat_id = chat_id.0, error = %e, "could not record a skipped slot");
        }
    }

    /// Builds the slot's report and writes it to the outbox with its slot, in one transaction.
    async fn run_slot(
        &self,
        chat_id: ChatId,
        slot: DateTime<Utc>,
        late_by: Option<TimeDelta>,
        now: DateTime<Utc>,
    ) -> SlotOutcome {
        // Late because the bot was down, not because this loop ran a second after the minute
        // began.
        let late = late_by.filter(|l| *l >= schedule::LATE_AFTER);
        let stale_ok = now - slot >= STALE_AFTER;
        let due = Some((slot.timestamp(), late));
        let built = match self
            .sources
            .build(chat_id, due, now.timestamp(), stale_ok)
            .await
        {
            Ok(built) => built,
            Err(BuildError::Unavailable(e)) => {
                tracing::warn!(chat_id = chat_id.0, error = %e, "report waits for OxaPay; trying again in a minute");
                return SlotOutcome::TryAgain;
            }
            Err(BuildError::Store(e)) => {
                tracing::error!(chat_id = chat_id.0, error = %e, "could not build a report; trying again shortly");
                return SlotOutcome::TryAgain;
            }
        };
        let recorded = self
            .sources
            .store
            .record_report(&ReportRecord {
                chat_id,
                text: &built.text,
                slot: Some(slot.timestamp()),
                baseline: &built.baseline,
                now: now.timestamp(),
            })
            .await;
        match recorded {
            Ok(()) => {
                // Each report goes out as soon as it is written: a fan-out to many chats starts
                // at its minute, not after the last report is built.
                self.wake_delivery.notify_one();
                SlotOutcome::Written
            }
            Err(e) => {
                tracing::error!(chat_id = chat_id.0, error = %e, "could not record a report; trying again shortly");
                SlotOutcome::TryAgain
            }
        }
    }
}
