//! The periodic balance check: one OxaPay read per cycle for every chat, the pure alert rules,
//! one transaction recording states and owed messages, then delivery of the outbox.
//!
//! Delivery is at-least-once: a message is removed from the outbox only after Telegram accepted
//! it. A crash between those two steps sends it again after the restart; nothing is lost.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use tokio_util::sync::CancellationToken;

use crate::alerts::{self, Transition};
use crate::balance_source::BalanceSource;
use crate::now_unix;
use crate::progress::Progress;
use crate::store::{OutboxItem, Store};
use crate::telegram::delivery::{Delivery, TgBot, send_html};
use crate::telegram::messages;

pub struct Checker {
    pub bot: TgBot,
    pub store: Store,
    pub source: Arc<BalanceSource>,
    pub admins: BTreeSet<i64>,
    pub interval: Duration,
    pub repeat: Option<Duration>,
    pub failures_before_notice: u32,
    pub progress: Progress,
}

/// What one cycle did, for the log and for benchmarks.
#[derive(Debug, Default, Clone, Copy)]
pub struct CycleReport {
    pub read_ok: bool,
    pub thresholds: usize,
    pub transitions: usize,
    pub messages: usize,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct DeliveryReport {
    pub sent: usize,
    pub paused_chats: usize,
    pub failed: usize,
}

/// How many owed messages are sent at once; `Throttle` spaces them out within Telegram's limits.
const SEND_CONCURRENCY: usize = 32;
const OUTBOX_BATCH: i64 = 500;

impl Checker {
    /// Runs until `shutdown`: a check right away (thresholds set while the bot was down are
    /// checked now), then one every interval. Errors are logged; the loop goes on.
    pub async fn run(self, shutdown: CancellationToken) {
        let mut ticker = tokio::time::interval(self.interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                biased;
                _ = shutdown.cancelled() => break,
                _ = ticker.tick() => {}
            }
            let cycle = tokio::select! {
                biased;
                _ = shutdown.cancelled() => break,
                r = self.cycle() => r,
            };
            match cycle {
                Ok(r) if r.thresholds == 0 => {
                    tracing::debug!("balance check skipped: no alert levels are set")
                }
                Ok(r) => tracing::info!(
                    read_ok = r.read_ok,
                    thresholds = r.thresholds,
                    transitions = r.transitions,
                    messages = r.messages,
                    "balance check done"
                ),
                Err(e) => tracing::error!(error = format!("{e:#}"), "balance check failed"),
            }
            self.progress.check_done();
            let d = self.deliver(&shutdown).await;
            self.progress.delivery_pass_done();
            if d.sent + d.failed + d.paused_chats > 0 {
                tracing::info!(
                    sent = d.sent,
                    failed = d.failed,
                    paused_chats = d.paused_chats,
                    "alerts delivered"
                );
            }
        }
        tracing::info!("balance checker stopped");
    }

    /// One check: read, evaluate, record. Sends nothing itself (see `deliver`).
    pub async fn cycle(&self) -> anyhow::Result<CycleReport> {
        let (thresholds, bad) = self.store.all_thresholds(false).await?;
        for b in &bad {
            tracing::error!(chat_id = b.chat_id, currency = %b.currency, problem = %b.problem, "unreadable threshold row skipped");
        }
        if thresholds.is_empty() {
            // Nobody is waiting for an alert: no reason to ask OxaPay.
            return Ok(CycleReport::default());
        }
        let read = self.source.read().await;
        let now = now_unix();
        let balances = read.as_ref().map(|s| &s.balances);
        let transitions = alerts::evaluate(&thresholds, balances, now, self.repeat);
        let (_, health) = self.store.checker().await?;
        let (health, notice) = alerts::next_health(
            &health,
            read.as_ref().map(|_| ()),
            now,
            self.failures_before_notice,
        );
        let mut messages = chat_messages(&transitions);
        if let Some(n) = &notice {
            let text = messages::health_notice(n, now);
            messages.extend(self.admins.iter().map(|a| (*a, text.clone())));
            tracing::warn!(notice = ?n, "telling the admins about OxaPay");
        }
        let success_at = read.is_ok().then_some(now);
        self.store
            .record_check(&transitions, &messages, &health, success_at, now)
            .await?;
        Ok(CycleReport {
            read_ok: read.is_ok(),
            thresholds: thresholds.len(),
            transitions: transitions.len(),
            messages: messages.len(),
        })
    }

    /// Sends what the outbox owes, oldest first. A chat that blocked or removed the bot is
    /// paused; a migrated group is moved to its new id and sent to there; other failures stay
    /// owed for the next cycle.
    pub async fn deliver(&self, shutdown: &CancellationToken) -> DeliveryReport {
        let mut report = DeliveryReport::default();
        loop {
            let batch = match self.store.pending_messages(OUTBOX_BATCH).await {
                Ok(b) => b,
                Err(e) => {
                    tracing::error!(error = %e, "could not read the outbox");
                    break;
                }
            };
            if batch.is_empty() || shutdown.is_cancelled() {
                break;
            }
            let results: Vec<Delivered> = futures::stream::iter(batch)
                .map(|item| self.deliver_one(item, shutdown))
                .buffer_unordered(SEND_CONCURRENCY)
                .collect()
                .await;
            let mut progress = false;
            for r in results {
                match r {
                    Delivered::Sent => {
                        report.sent += 1;
                        progress = true;
                    }
                    Delivered::Paused => {
                        report.paused_chats += 1;
                        progress = true;
                    }
                    Delivered::Owed => report.failed += 1,
                }
            }
            if !progress {
                break;
            }
        }
        report
    }

    async fn deliver_one(&self, item: OutboxItem, shutdown: &CancellationToken) -> Delivered {
        if shutdown.is_cancelled() {
            return Delivered::Owed;
        }
        let mut chat_id = item.chat_id;
        let mut outcome = send_html(&self.bot, chat_id, &item.text).await;
        if let Delivery::Migrated(new) = outcome {
            tracing::info!(
                old_chat_id = chat_id,
                new_chat_id = new,
                "group became a supergroup; moving its alerts"
            );
            if let Err(e) = self.store.migrate_chat(chat_id, new).await {
                tracing::error!(error = %e, "could not move a migrated chat's alerts");
                return Delivered::Owed;
            }
            chat_id = new;
            outcome = send_html(&self.bot, chat_id, &item.text).await;
        }
        match outcome {
            Delivery::Sent => match self.store.message_delivered(item.id).await {
                Ok(()) => Delivered::Sent,
                Err(e) => {
                    // Sent but still owed: it may be sent again (at-least-once).
                    tracing::error!(chat_id, error = %e, "alert sent but not marked delivered");
                    Delivered::Owed
                }
            },
            Delivery::Unreachable(reason) => {
                match self.store.pause_chat(chat_id, &reason, now_unix()).await {
                    Ok(dropped) => {
                        tracing::warn!(chat_id, reason = %reason, dropped, "chat refuses the bot's messages; its alerts are paused");
                        Delivered::Paused
                    }
                    Err(e) => {
                        tracing::error!(chat_id, error = %e, "could not pause a chat");
                        Delivered::Owed
                    }
                }
            }
            Delivery::Migrated(_) | Delivery::Failed(_) => {
                tracing::warn!(chat_id, outcome = ?outcome, "alert not delivered; will retry next cycle");
                Delivered::Owed
            }
        }
    }
}

enum Delivered {
    Sent,
    Paused,
    Owed,
}

/// One message per chat per cycle, its lines in currency order.
fn chat_messages(transitions: &[Transition]) -> Vec<(i64, String)> {
    let mut by_chat: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for t in transitions {
        if let Some(notice) = t.notice {
            by_chat
                .entry(t.chat_id)
                .or_default()
                .push(messages::alert_notice(&t.currency, t.level, notice));
        }
    }
    by_chat
        .into_iter()
        .map(|(chat, lines)| (chat, lines.join("\n")))
        .collect()
}
