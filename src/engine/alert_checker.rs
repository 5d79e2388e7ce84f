//! The periodic balance check: one OxaPay read per cycle for every chat, the pure alert rules, and
//! one transaction recording the new states together with the messages they cause (the outbox).
//! The levels a check evaluated are held for the next one while nothing else changes them.
//! Sending is the delivery worker's job (`delivery::worker`): the check never waits for
//! Telegram, so a slow or refusing chat cannot delay the next check or anyone's alert.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::clock::now_unix;
use crate::metrics::Metrics;
use crate::metrics::progress::Progress;
use crate::money::Usd;
use crate::oxapay::{Balances, OxaPayError, PriceError};
use crate::rules::alerts::{self, Reading, Threshold, Transition};
use crate::rules::domain::{ChatId, Subject, UserId};
use crate::rules::oxapay_health;
use crate::rules::valuation;
use crate::sources::balances::{BalanceSource, Snapshot};
use crate::sources::prices::{self, PriceSnapshot, PriceSource};
use crate::store::{CheckRecord, Held, MessageKind, Mute, Owed, Served, Store};
use crate::texts::{self, Lang};

type BalanceRead = Result<Arc<Snapshot>, OxaPayError>;
type PriceRead = Result<Arc<PriceSnapshot>, PriceError>;

pub struct Checker {
    pub store: Store,
    pub source: Arc<BalanceSource>,
    pub prices: Arc<PriceSource>,
    pub admins: BTreeSet<UserId>,
    pub interval: Duration,
    pub repeat: Option<Duration>,
    pub failures_before_notice: u32,
    pub progress: Progress,
    /// The operator\'s metrics.
    pub metrics: Metrics,
    /// Wakes the delivery worker when a check owes messages.
    pub wake: Arc<Notify>,
    /// The levels the last check evaluated, with the states it recorded.
    pub held: HeldLevels,
}

/// The levels the last check evaluated, with the states it recorded, kept for the next check
/// while nothing else changes them (`Store::threshold_changes`): that check then reads one
/// number instead of every level, which is most of a check's cost when a few thousand
/// levels are set (docs/BENCHMARKS.md, alert cycle).
#[derive(Debug, Default)]
pub struct HeldLevels(Mutex<Option<Served>>);

impl HeldLevels {
    fn take(&self) -> Option<Served> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }

    fn keep(&self, levels: Served) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(levels);
    }
}

/// What one cycle did, for the log and for benchmarks.
#[derive(Debug, Default, Clone, Copy)]
pub struct CycleReport {
    pub read_ok: bool,
    pub thresholds: usize,
    pub transitions: usize,
    pub messages: usize,
}

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
                Err(e) => {
                    // Everything a cycle can fail on besides OxaPay (which is no error) is the
                    // database.
                    self.metrics
                        .database_error(crate::metrics::Component::Checker);
                    tracing::error!(error = format!("{e:#}"), "balance check failed")
                }
            }
            self.metrics.check_done();
            self.progress.check_done();
        }
        tracing::info!("balance checker stopped");
    }

    /// One check: read (the levels held from the last check when nothing changed them since),
    /// evaluate, record, and wake the delivery worker if messages are owed.
    pub async fn cycle(&self) -> anyhow::Result<CycleReport> {
        let levels = self.levels().await?;
        for b in &levels.bad {
            tracing::error!(chat_id = b.chat_id.0, currency = %b.currency, problem = %b.problem, "unreadable threshold row skipped");
        }
        let thresholds = &levels.thresholds;
        if thresholds.is_empty() {
            // Nobody is waiting for an alert: no reason to ask OxaPay. Mutes still end (a chat
            // may hear only payments) and say what they held.
            self.end_quiet_mutes(now_unix()).await?;
            self.held.keep(levels);
            return Ok(CycleReport::default());
        }
        let (read, priced) = self.read(thresholds).await;
        let now = now_unix();
        let balances = read.as_ref().map(|s| &s.balances);
        let reading = balances.map(|b| Reading {
            balances: b,
            total_usd: total_usd(b, priced.as_ref()),
        });
        let transitions = alerts::evaluate(thresholds, reading, now, self.repeat);
        let (_, health) = self.store.checker().await?;
        let (health, notice) = oxapay_health::next_health(
            &health,
            read.as_ref().map(|_| ()),
            now,
            self.failures_before_notice,
        );
        let mutes = self.store.mutes().await?;
        // A mute that has ended is summarized once, from a successful read (a failed one would
        // summarize stale states).
        let mutes_ended = match &reading {
            Ok(_) => ended(&mutes, now),
            Err(_) => Vec::new(),
        };
        let held = self.feeds_held(&mutes_ended, now).await?;
        let langs = self.languages(&transitions, &mutes, now).await?;
        let mut messages = alert_messages(
            thresholds,
            &transitions,
            (&mutes, &mutes_ended),
            reading.as_ref().ok(),
            (&held, &langs),
            now,
        );
        // The admins hear about OxaPay whatever their chats' mutes.
        if let Some(n) = &notice {
            let text = texts::health_notice(n, now);
            let admins = self.admins.iter().map(|a| ChatId::from(*a));
            messages.extend(admins.map(|a| Owed::new(a, text.clone(), MessageKind::Notice)));
            tracing::warn!(notice = ?n, "telling the admins about OxaPay");
        }
        let changes = self
            .store
            .record_check(&CheckRecord {
                transitions: &transitions,
                messages: &messages,
                health: &health,
                success_at: read.is_ok().then_some(now),
                mutes_ended: &mutes_ended,
                now,
            })
            .await?;
        if !messages.is_empty() {
            self.wake.notify_one();
        }
        let report = CycleReport {
            read_ok: read.is_ok(),
            thresholds: thresholds.len(),
            transitions: transitions.len(),
            messages: messages.len(),
        };
        self.hold(levels, changes, &transitions);
        Ok(report)
    }

    /// One balance read, and one price read only when some level watches the total.
    async fn read(&self, thresholds: &[Threshold]) -> (BalanceRead, Option<PriceRead>) {
        let watch_total = thresholds.iter().any(|t| t.subject == Subject::Total);
        tokio::join!(self.source.read(), async {
            if watch_total {
                Some(self.prices.read().await)
            } else {
                None
            }
        })
    }

    /// Keeps the levels for the next check when nothing else changed them since they were read:
    /// with this check's transitions applied they are what the store now holds.
    fn hold(&self, mut levels: Served, changes: Option<i64>, transitions: &[Transition]) {
        if changes.is_some()
            && changes == levels.changes
            && alerts::apply(&mut levels.thresholds, transitions)
        {
            self.held.keep(levels);
        }
    }

    /// The levels to evaluate: those the last check held, when nothing changed them since;
    /// otherwise read again.
    async fn levels(&self) -> sqlx::Result<Served> {
        let changes = self.store.threshold_changes().await?;
        match self.held.take() {
            Some(held) if changes.is_some() && held.changes == changes => Ok(held),
            _ => self.store.served_thresholds(&self.admins).await,
        }
    }

    /// The languages of the chats this check may write to (those with a notice, those whose
    /// mute ends), in one query, and none at all when nobody is to be told anything.
    async fn languages(
        &self,
        transitions: &[Transition],
        mutes: &[Mute],
        now: i64,
    ) -> sqlx::Result<BTreeMap<ChatId, Lang>> {
        let told = transitions.iter().filter(|t| t.notice.is_some());
        let ended = mutes.iter().filter(|m| m.until <= now).map(|m| m.chat_id);
        let chats: BTreeSet<ChatId> = told.map(|t| t.chat_id).chain(ended).collect();
        self.chat_languages(chats.into_iter().collect()).await
    }

    async fn chat_languages(&self, chats: Vec<ChatId>) -> sqlx::Result<BTreeMap<ChatId, Lang>> {
        super::languages::of_chats(&self.store, &chats).await
    }

    /// What the feeds held back for each of `chats` up to `now`.
    async fn feeds_held(&self, chats: &[ChatId], now: i64) -> sqlx::Result<BTreeMap<ChatId, Held>> {
        let mut held = BTreeMap::new();
        for &chat in chats {
            held.insert(chat, self.store.held(chat, now).await?);
        }
        Ok(held)
    }

    /// Mutes over in a check without levels: each summarizes what the feeds held.
    async fn end_quiet_mutes(&self, now: i64) -> anyhow::Result<()> {
        let chats = ended(&self.store.mutes().await?, now);
        if chats.is_empty() {
            return Ok(());
        }
        let held = self.feeds_held(&chats, now).await?;
        let langs = self.chat_languages(chats.clone()).await?;
        let summaries: Vec<Owed> = held
            .iter()
            .filter_map(|(chat, h)| {
                let lang = langs.get(chat).copied().unwrap_or_default();
                let text = texts::mute_over(lang, &[], None, h)?;
                Some(Owed::new(*chat, text, MessageKind::Alert))
            })
            .collect();
        self.store.end_quiet_mutes(&chats, &summaries, now).await?;
        if !summaries.is_empty() {
            self.wake.notify_one();
        }
        Ok(())
    }
}

/// The chats whose mute is over at `now`.
fn ended(mutes: &[Mute], now: i64) -> Vec<ChatId> {
    mutes
        .iter()
        .filter(|m| m.until <= now)
        .map(|m| m.chat_id)
        .collect()
}

/// What the chats are told of this check. Muted chats: states update, nothing is said. A chat
/// whose mute ends in this check hears the summary alone: it already says what this check found
/// crossed (and what the feeds held), so an alert of its own would tell the same crossing twice.
fn alert_messages(
    thresholds: &[Threshold],
    transitions: &[Transition],
    (mutes, mutes_ended): (&[Mute], &[ChatId]),
    reading: Option<&Reading<'_>>,
    (held, langs): (&BTreeMap<ChatId, Held>, &BTreeMap<ChatId, Lang>),
    now: i64,
) -> Vec<Owed> {
    let muted = mutes.iter().filter(|m| m.until > now).map(|m| m.chat_id);
    let quiet: BTreeSet<ChatId> = muted.chain(mutes_ended.iter().copied()).collect();
    let mut messages = chat_messages(transitions, &quiet, langs);
    for &chat in mutes_ended {
        let crossed = alerts::crossed_after(chat, thresholds, transitions);
        let held = held.get(&chat).copied().unwrap_or_default();
        let lang = langs.get(&chat).copied().unwrap_or_default();
        if let Some(text) = texts::mute_over(lang, &crossed, reading, &held) {
            messages.push(Owed::new(chat, text, MessageKind::Alert));
        }
    }
    messages
}

/// The account's total USD value for levels on the total: only from current prices covering
/// every wallet; otherwise `None` and the total's levels are left as they were (a price failure
/// is logged by the price source).
fn total_usd(
    balances: &Balances,
    priced: Option<&Result<Arc<PriceSnapshot>, PriceError>>,
) -> Option<Usd> {
    match priced.map(prices::current) {
        Some(Some(p)) => {
            let total = valuation::value(balances, Some(&p.prices)).complete_total(balances);
            if total.is_none() {
                tracing::warn!(
                    "the total USD value is unknown this check (a wallet has no price or an unreadable amount); total levels left as they were"
                );
            }
            total
        }
        Some(None) => {
            tracing::warn!("no current prices; total levels left as they were");
            None
        }
        None => None,
    }
}

/// One message per chat per cycle in the chat's language (English when `langs` has none), its
/// lines in currency order (below before above, as `/alerts` lists them); nothing for muted
/// chats.
fn chat_messages(
    transitions: &[Transition],
    muted: &BTreeSet<ChatId>,
    langs: &BTreeMap<ChatId, Lang>,
) -> Vec<Owed> {
    let mut by_chat: BTreeMap<ChatId, Vec<(&Transition, alerts::Notice)>> = BTreeMap::new();
    for t in transitions {
        if let Some(notice) = t.notice
            && !muted.contains(&t.chat_id)
        {
            by_chat.entry(t.chat_id).or_default().push((t, notice));
        }
    }
    by_chat
        .into_iter()
        .map(|(chat, mut owed)| {
            owed.sort_by(|(a, _), (b, _)| {
                (&a.subject, a.direction).cmp(&(&b.subject, b.direction))
            });
            let lang = langs.get(&chat).copied().unwrap_or_default();
            let lines: Vec<String> = owed
                .iter()
                .map(|(t, notice)| {
                    texts::alert_notice(lang, &t.subject, t.direction, t.level, *notice)
                })
                .collect();
            Owed::new(chat, lines.join("\n"), MessageKind::Alert)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::alerts::{AlertState, Direction, Notice};
    use rust_decimal::Decimal;

    fn crossed(chat_id: i64, currency: &str, direction: Direction, level: i64) -> Transition {
        Transition {
            chat_id: ChatId(chat_id),
            subject: Subject::from_key(currency).unwrap(),
            direction,
            level: Decimal::from(level),
            new_state: AlertState::Crossed {
                since: 0,
                last_alert_at: 0,
            },
            notice: Some(Notice::Crossed {
                balance: Decimal::from(5),
            }),
        }
    }

    #[test]
    fn one_message_per_chat_lines_by_currency_then_below_before_above_muted_chats_hear_nothing() {
        // The store hands levels over in its key order (direction ascending: above first).
        let transitions = [
            crossed(1, "BTC", Direction::Above, 4),
            crossed(1, "BTC", Direction::Below, 9),
            crossed(2, "USDT", Direction::Below, 9),
            crossed(1, "ETH", Direction::Below, 9),
        ];
        let owed = chat_messages(&transitions, &BTreeSet::from([ChatId(2)]), &BTreeMap::new());
        assert_eq!(owed.len(), 1);
        let Owed {
            chat_id,
            text,
            kind,
        } = &owed[0];
        assert_eq!((*chat_id, *kind), (ChatId(1), MessageKind::Alert));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(
            lines[0].contains("BTC") && lines[0].contains("below"),
            "{text}"
        );
        assert!(
            lines[1].contains("BTC") && lines[1].contains("above"),
            "{text}"
        );
        assert!(lines[2].contains("ETH"), "{text}");
    }
}
