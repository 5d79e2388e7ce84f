//! The delivery worker: sends what the outbox owes, in its own task, so the balance checker never
//! waits for Telegram.
//!
//! Each chat has at most one send in flight (its messages stay in order, and a chat that refuses
//! or crawls takes one slot, not all of them); other chats' messages go meanwhile. What a failure
//! means decides what happens to the row (`delivery::classify`):
//! - the chat refuses for good → the chat is paused (logged once) and its owed messages dropped;
//! - Telegram refuses this message (markup, length) → the row is parked, the chat's next goes;
//! - a group became a supergroup → the chat is moved to its new id and the row sent there;
//! - 429 → the row waits as told; anything else → the row backs off (5 s, 10 s, 20 s … 15 min)
//!   and is parked after `MAX_ATTEMPTS`, without holding the chat's newer messages.
//!
//! Delivery is at-least-once: a row is deleted only after Telegram accepted it.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::clock::now_unix;
use crate::delivery::chats;
use crate::delivery::send::{Failure, TgBot, send_html};
use crate::metrics::progress::Progress;
use crate::metrics::{Component, Delivery, Metrics};
use crate::rules::domain::ChatId;
use crate::store::{MessageKind, OutboxItem, Store};
use crate::telemetry::Redactor;
use crate::texts::{Lang, keyboards};

/// A send that takes longer is given up and retried later, so it cannot hold a slot for ever.
const SEND_TIMEOUT: Duration = Duration::from_secs(60);
/// Transient failures before a message is parked: about 2 hours of backoff in all.
pub const MAX_ATTEMPTS: i64 = 12;
const FIRST_BACKOFF_SECS: i64 = 5;
const MAX_BACKOFF_SECS: i64 = 15 * 60;
/// How long sends under way at shutdown are waited for.
const SHUTDOWN_DRAIN: Duration = Duration::from_secs(2);
/// Checked at least this often even without a wake-up (a row's backoff ending, say).
const IDLE_RECHECK: Duration = Duration::from_secs(30);
/// After a round that sent nothing although a row is due (its chat already has a send under
/// way, or every slot is taken), a send settling or a wake-up frees it; the clock only backs
/// them up, so the loop does not spin on the outbox meanwhile.
const BLOCKED_RECHECK: Duration = Duration::from_secs(1);

pub struct DeliveryWorker {
    pub bot: TgBot,
    pub store: Store,
    pub redactor: Redactor,
    /// Woken by whoever adds to the outbox.
    pub wake: Arc<Notify>,
    pub progress: Progress,
    /// The operator\'s metrics.
    pub metrics: Metrics,
    /// Sends under way at once. `Throttle` spaces them within Telegram's limits and queues one
    /// second's worth of them (its overall limit); more in flight would only wait in its channel,
    /// and it warns when its queue is full. See `in_flight_for`.
    pub max_in_flight: usize,
}

/// Sends under way at once for Telegram's overall limit of `per_second`: just under a second's
/// worth, so `Throttle`'s queue never overflows (at least 1, at most 64).
pub fn in_flight_for(per_second: u32) -> usize {
    (per_second.saturating_sub(1) as usize).clamp(1, 64)
}

/// How long a message waits after its `attempts`-th transient failure.
pub fn backoff_secs(attempts: i64) -> i64 {
    let doublings = (attempts - 1).clamp(0, 20) as u32;
    (FIRST_BACKOFF_SECS << doublings).min(MAX_BACKOFF_SECS)
}

impl DeliveryWorker {
    /// Runs until `shutdown`; sends still under way then are abandoned (their rows stay owed).
    pub async fn run(self, shutdown: CancellationToken) {
        let mut in_flight: JoinSet<(OutboxItem, Result<(), Failure>)> = JoinSet::new();
        let mut busy: BTreeSet<ChatId> = BTreeSet::new();
        loop {
            if shutdown.is_cancelled() {
                break;
            }
            let free = self.max_in_flight.saturating_sub(in_flight.len());
            let due = if free > 0 {
                match self.store.due_messages(now_unix(), &busy, free).await {
                    Ok(rows) => rows,
                    Err(e) => {
                        self.metrics.database_error(Component::Delivery);
                        tracing::error!(error = %e, "could not read the outbox");
                        Vec::new()
                    }
                }
            } else {
                Vec::new()
            };
            let dispatched = !due.is_empty();
            for item in due {
                busy.insert(item.chat_id);
                let bot = self.bot.clone();
                let redactor = self.redactor.clone();
                // Alerts carry Mute 1h and Balance buttons, in the chat's language; notices to
                // admins none.
                let language = &item.language;
                let lang = Lang::of_chat(language.set.as_deref(), language.seen.as_deref());
                let keyboard = (item.kind == MessageKind::Alert.as_str())
                    .then(|| keyboards::alert_keyboard(lang));
                in_flight.spawn(async move {
                    let sent = tokio::time::timeout(
                        SEND_TIMEOUT,
                        send_html(&bot, &redactor, item.chat_id, &item.text, keyboard),
                    )
                    .await
                    .unwrap_or_else(|_| {
                        Err(Failure::Transient(format!(
                            "no answer from Telegram within {} s",
                            SEND_TIMEOUT.as_secs()
                        )))
                    });
                    (item, sent)
                });
            }
            let next_due = self.next_wait(dispatched).await;
            tokio::select! {
                biased;
                _ = shutdown.cancelled() => break,
                Some(done) = in_flight.join_next(), if !in_flight.is_empty() => {
                    match done {
                        Ok((item, result)) => {
                            busy.remove(&item.chat_id);
                            self.settle(item, result).await;
                        }
                        Err(e) => {
                            // A panicking send loses its chat id; clear and let rows come back.
                            tracing::error!(error = %e, "a send task failed");
                            busy.clear();
                        }
                    }
                }
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(next_due) => {}
            }
        }
        // Sends already on their way are settled, so a clean restart does not send them twice;
        // what is still waiting on Telegram after a moment stays owed.
        let drain = async {
            while let Some(done) = in_flight.join_next().await {
                if let Ok((item, result)) = done {
                    self.settle(item, result).await;
                }
            }
        };
        if tokio::time::timeout(SHUTDOWN_DRAIN, drain).await.is_err() {
            tracing::warn!("sends still under way at shutdown stay owed");
        }
        tracing::info!("delivery worker stopped");
    }

    /// How long until the next owed message is due (at most `IDLE_RECHECK`; at least
    /// `BLOCKED_RECHECK` after a round that `dispatched` nothing).
    async fn next_wait(&self, dispatched: bool) -> Duration {
        let wait = match self.store.next_due_at().await {
            Ok(Some(at)) => {
                let secs = (at - now_unix()).max(0) as u64;
                Duration::from_secs(secs).min(IDLE_RECHECK)
            }
            Ok(None) => IDLE_RECHECK,
            Err(e) => {
                self.metrics.database_error(Component::Delivery);
                tracing::error!(error = %e, "could not read the outbox");
                IDLE_RECHECK
            }
        };
        if dispatched {
            wait
        } else {
            wait.max(BLOCKED_RECHECK)
        }
    }

    /// Records what one send did to its row (and, for refusals and migrations, to its chat).
    async fn settle(&self, item: OutboxItem, result: Result<(), Failure>) {
        let chat_id = item.chat_id;
        let now = now_unix();
        let metrics = &self.metrics;
        metrics.delivery(
            &item.kind,
            match &result {
                Ok(()) => Delivery::Sent,
                Err(Failure::ChatRefuses(_)) => Delivery::Dropped,
                Err(Failure::MessageRefused(_) | Failure::NotModified) => Delivery::Parked,
                Err(Failure::Migrated(_)) => Delivery::Moved,
                Err(Failure::RetryAfter(_)) => Delivery::Retry,
                Err(Failure::Transient(_)) if item.attempts + 1 >= MAX_ATTEMPTS => Delivery::Parked,
                Err(Failure::Transient(_)) => Delivery::Retry,
            },
        );
        let recorded = match result {
            Ok(()) => self.store.message_delivered(item.id).await,
            Err(Failure::ChatRefuses(reason)) => {
                chats::pause(&self.store, chat_id, &reason).await.map(drop)
            }
            Err(refused @ (Failure::MessageRefused(_) | Failure::NotModified)) => {
                let reason = refused.to_string();
                tracing::error!(chat_id = chat_id.0, id = item.id, reason = %reason, "Telegram refuses this message; parked, not retried");
                self.store.park_message(item.id, &reason, now).await
            }
            Err(Failure::Migrated(new)) => chats::migrate(&self.store, chat_id, new).await,
            Err(Failure::RetryAfter(wait)) => {
                let at = now + wait.as_secs().max(1) as i64;
                tracing::warn!(
                    chat_id = chat_id.0,
                    retry_after_s = wait.as_secs(),
                    "Telegram asked to wait; message held"
                );
                self.store
                    .retry_later(item.id, item.attempts, at, "Telegram asked to wait")
                    .await
            }
            Err(Failure::Transient(reason)) => {
                let attempts = item.attempts + 1;
                if attempts >= MAX_ATTEMPTS {
                    tracing::error!(chat_id = chat_id.0, id = item.id, attempts, reason = %reason, "message failed too often; parked, not retried");
                    self.store.park_message(item.id, &reason, now).await
                } else {
                    let wait = backoff_secs(attempts);
                    tracing::warn!(chat_id = chat_id.0, attempts, retry_in_s = wait, reason = %reason, "message not delivered; will retry");
                    self.store
                        .retry_later(item.id, attempts, now + wait, &reason)
                        .await
                }
            }
        };
        if let Err(e) = recorded {
            metrics.database_error(Component::Delivery);
            // The row keeps its old state: it will be tried again (at-least-once).
            tracing::error!(chat_id = chat_id.0, id = item.id, error = %e, "could not record a delivery outcome");
        }
        self.progress.message_settled();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_flight_stays_under_a_seconds_worth_of_telegrams_limit() {
        assert_eq!(in_flight_for(30), 29, "Telegram's default 30/s");
        assert_eq!(in_flight_for(1), 1);
        assert_eq!(in_flight_for(0), 1);
        assert_eq!(in_flight_for(10_000), 64);
    }

    #[test]
    fn backoff_doubles_from_five_seconds_to_fifteen_minutes() {
        let waits: Vec<i64> = (1..=9).map(backoff_secs).collect();
        assert_eq!(waits, vec![5, 10, 20, 40, 80, 160, 320, 640, 900]);
        assert_eq!(backoff_secs(MAX_ATTEMPTS), 900);
        assert_eq!(backoff_secs(1_000), 900);
        assert_eq!(backoff_secs(0), 5);
        let total: i64 = (1..MAX_ATTEMPTS).map(backoff_secs).sum();
        assert!((3_600..4 * 3_600).contains(&total), "{total} s in all");
    }
}
