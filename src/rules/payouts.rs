//! Payout events, as pure rules: what a newly read payout means against what the ledger knew of
//! it, which payouts to read again, when one is stuck, and what a chat hears.
//!
//! Each (payout, status) is told at most once, a payout first seen already final is told once as
//! its final status, and a status that goes backwards or that the vendor's table does not have
//! is stored and logged once, never told — as for payments. A payout reported `confirmed` by a
//! callback and then still `processing` by the list is stored as the list says (the latest read
//! wins) and logged; when the list catches up, `confirmed` was already told.
//!
//! Open payouts (`pending`, `processing`, `confirming`) are read again each poll until final
//! (`confirmed`, `canceled`, `rejected`), for at most [`OPEN_WATCH_SECS`]. One that stays open
//! longer than `PAYOUT_STUCK_MINS` after the ledger first saw it open is told once as stuck, to
//! every chat that hears payouts whatever its event list. Times are on our clock, so OxaPay's
//! clock running ahead or behind cannot make a fresh payout look stuck. A payout already stuck
//! when the silent backfill read it (by OxaPay's creation time) is marked stuck silently.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use crate::money::{Currency, Usd};

use super::feed::{FeedStatus, Mode};
pub use crate::oxapay::{Payout, PayoutStatus, TrackId};

const DAY_SECS: i64 = 86_400;

/// How long an open payout is read again each poll.
pub const OPEN_WATCH_SECS: i64 = 30 * DAY_SECS;

/// `PAYOUT_STUCK_MINS` when not set.
pub const DEFAULT_STUCK_MINS: u32 = 60;

/// Whether `status` is final; `None` for a status the vendor's table does not have.
pub fn is_final(status: &PayoutStatus) -> Option<bool> {
    use PayoutStatus::*;
    match status {
        Pending | Processing | Confirming => Some(false),
        Confirmed | Canceled | Rejected => Some(true),
        Unknown(_) => None,
    }
}

fn step(status: &PayoutStatus) -> Option<u8> {
    use PayoutStatus::*;
    match status {
        // The table does not say which of these comes first.
        Pending | Processing => Some(0),
        Confirming => Some(1),
        Confirmed | Canceled | Rejected => Some(2),
        Unknown(_) => None,
    }
}

/// A step back: to an earlier step, or from one final status to another.
pub fn is_backwards(from: &PayoutStatus, to: &PayoutStatus) -> bool {
    let (Some(a), Some(b)) = (step(from), step(to)) else {
        return false;
    };
    b < a || (a == 2 && b == 2 && from != to)
}

/// What the ledger knows of a payout before a new read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Known {
    pub status: Option<PayoutStatus>,
    /// Every status the payout has been seen in.
    pub seen: BTreeSet<PayoutStatus>,
    /// When (our clock) the ledger first saw it open in its current open stretch; `None` while
    /// final.
    pub open_since: Option<i64>,
    /// It was told (or silently marked) stuck.
    pub stuck_noted: bool,
}

/// Something to tell about a payout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayoutEvent {
    Status(PayoutStatus),
    /// Open for longer than the stuck limit, in this status.
    Stuck {
        status: PayoutStatus,
        since: i64,
    },
}

impl PayoutEvent {
    /// Beside the chat and the track id: `status:confirmed`, `stuck`.
    pub fn told_key(&self) -> String {
        match self {
            PayoutEvent::Status(s) => format!("status:{s}"),
            PayoutEvent::Stuck { .. } => "stuck".to_owned(),
        }
    }
}

/// A read worth one log line, never a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anomaly {
    NoStatus,
    UnknownStatus(String),
    Backwards {
        from: PayoutStatus,
        to: PayoutStatus,
    },
}

/// What a read means.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decision {
    pub events: Vec<PayoutEvent>,
    pub anomaly: Option<Anomaly>,
    pub status_changed: bool,
    /// What the ledger's `open_since` becomes (`None` once final).
    pub open_since: Option<i64>,
    /// What the ledger's `stuck_noted` becomes: set when the payout is first found stuck in an
    /// open stretch (told, or silently in the backfill), cleared once it is final.
    pub stuck_noted: bool,
}

/// What `read` means against `known` (`None`: first seen) at `now`, with payouts open longer
/// than `stuck_after_secs` counted as stuck.
pub fn decide(
    known: Option<&Known>,
    read: &Payout,
    mode: Mode,
    now: i64,
    stuck_after_secs: i64,
) -> Decision {
    let status = &read.status;
    let before = known.and_then(|k| k.status.as_ref());
    let status_changed = before != Some(status);
    let anomaly = if !status_changed {
        None
    } else {
        match status {
            PayoutStatus::Unknown(name) if name.is_empty() => Some(Anomaly::NoStatus),
            PayoutStatus::Unknown(name) => Some(Anomaly::UnknownStatus(name.clone())),
            to => before
                .filter(|from| is_backwards(from, to))
                .map(|from| Anomaly::Backwards {
                    from: from.clone(),
                    to: to.clone(),
                }),
        }
    };
    let open = is_final(status) != Some(true);
    let open_since = open.then(|| known.and_then(|k| k.open_since).unwrap_or(now));
    let was_noted = known.is_some_and(|k| k.stuck_noted && k.open_since.is_some());
    let stuck = open_since.is_some_and(|since| now - since >= stuck_after_secs)
        || (mode == Mode::Backfill
            && open
            && read.created_at.is_some_and(|c| now - c >= stuck_after_secs));
    let newly_stuck = open && stuck && !was_noted;
    let mut decision = Decision {
        events: Vec::new(),
        status_changed,
        open_since,
        stuck_noted: open && (was_noted || newly_stuck),
        anomaly,
    };
    if mode == Mode::Backfill {
        return decision;
    }
    let tellable = is_final(status).is_some() && decision.anomaly.is_none();
    if tellable && !known.is_some_and(|k| k.seen.contains(status)) {
        decision.events.push(PayoutEvent::Status(status.clone()));
    }
    if newly_stuck {
        decision.events.push(PayoutEvent::Stuck {
            status: status.clone(),
            since: open_since.unwrap_or(now),
        });
    }
    decision
}

/// A chat's payout feed setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatFeed {
    pub events: BTreeSet<PayoutStatus>,
}

impl Default for ChatFeed {
    fn default() -> Self {
        Self {
            events: PayoutStatus::defaults(),
        }
    }
}

/// Whether a chat with `feed` hears `event`: a stuck payout always.
pub fn chat_hears(feed: &ChatFeed, event: &PayoutEvent) -> bool {
    match event {
        PayoutEvent::Status(s) => feed.events.contains(s),
        PayoutEvent::Stuck { .. } => true,
    }
}

impl FeedStatus for PayoutStatus {
    fn known() -> Vec<Self> {
        PayoutStatus::KNOWN.to_vec()
    }

    /// `confirmed`, `rejected`, `canceled`: how each payout ended.
    fn defaults() -> BTreeSet<Self> {
        [
            PayoutStatus::Confirmed,
            PayoutStatus::Canceled,
            PayoutStatus::Rejected,
        ]
        .into()
    }

    fn named(text: &str) -> Option<Self> {
        match PayoutStatus::parse(text) {
            PayoutStatus::Unknown(_) => None,
            known => Some(known),
        }
    }

    fn name(&self) -> &str {
        self.as_str()
    }
}

/// Whether a payout the ledger holds in `status`, open since `open_since` (our clock), is read
/// again at `now`.
pub fn watch(status: &PayoutStatus, open_since: Option<i64>, now: i64) -> bool {
    is_final(status) != Some(true) && open_since.is_none_or(|since| now - since <= OPEN_WATCH_SECS)
}

/// What a report says about payouts since the previous one: how many reached each status, and
/// what the confirmed ones sent, per currency and in USD.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outflow {
    pub by_status: BTreeMap<String, u64>,
    pub sent: BTreeMap<Currency, Decimal>,
    pub usd: Usd,
    /// Confirmed payouts left out of the USD sum (no value kept).
    pub unvalued: u64,
    /// Confirmed payouts left out of the per-currency sums (amount or currency unreadable).
    pub unreadable: u64,
}

/// One payout as [`outflow`] reads it: the statuses it reached in the period, its amount,
/// currency and USD value.
pub struct Moved<'a> {
    pub statuses: &'a [PayoutStatus],
    pub amount: Option<Decimal>,
    pub currency: Option<&'a Currency>,
    pub usd: Option<Usd>,
}

pub fn outflow<'a>(moved: impl IntoIterator<Item = Moved<'a>>) -> Outflow {
    let mut o = Outflow::default();
    for m in moved {
        for s in m.statuses {
            *o.by_status.entry(s.as_str().to_owned()).or_default() += 1;
        }
        if !m.statuses.contains(&PayoutStatus::Confirmed) {
            continue;
        }
        let sum = match (m.amount, m.currency) {
            (Some(a), Some(c)) => o
                .sent
                .get(c)
                .copied()
                .unwrap_or_default()
                .checked_add(a)
                .map(|sum| (c.clone(), sum)),
            _ => None,
        };
        match sum {
            Some((c, sum)) => {
                o.sent.insert(c, sum);
            }
            None => o.unreadable += 1,
        }
        match m.usd.and_then(|v| o.usd.checked_add(v)) {
            Some(total) => o.usd = total,
            None => o.unvalued += 1,
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::super::feed::{event_list_text, parse_event_list};
    use super::*;
    use PayoutStatus::*;
    use proptest::prelude::*;

    const NOW: i64 = 1_800_000_000;
    const STUCK: i64 = 3600;

    fn payout(status: &str, created: Option<i64>) -> Payout {
        Payout {
            track_id: TrackId::new("7").unwrap(),
            address: Some("T<b>&".into()),
            currency: crate::money::Currency::from_api("TRX"),
            network: None,
            amount: None,
            fee: None,
            status: PayoutStatus::parse(status),
            status_text: status.into(),
            tx_hash: None,
            description: None,
            internal: None,
            memo: None,
            created_at: created,
            problems: vec![],
        }
    }

    fn known(status: PayoutStatus, seen: &[PayoutStatus], open_since: Option<i64>) -> Known {
        Known {
            status: Some(status),
            seen: seen.iter().cloned().collect(),
            open_since,
            stuck_noted: false,
        }
    }

    fn told(d: &Decision) -> Vec<String> {
        d.events.iter().map(PayoutEvent::told_key).collect()
    }

    #[test]
    fn statuses_are_told_once_and_odd_ones_logged() {
        let back = |from, to| Some(Anomaly::Backwards { from, to });
        // (before, seen, read, told, anomaly)
        type Case = (
            Option<PayoutStatus>,
            Vec<PayoutStatus>,
            &'static str,
            Vec<&'static str>,
            Option<Anomaly>,
        );
        let cases: Vec<Case> = vec![
            (None, vec![], "processing", vec!["status:processing"], None),
            (None, vec![], "Confirmed", vec!["status:confirmed"], None),
            (
                Some(Processing),
                vec![Processing],
                "confirming",
                vec!["status:confirming"],
                None,
            ),
            (
                Some(Confirming),
                vec![Confirming],
                "confirmed",
                vec!["status:confirmed"],
                None,
            ),
            (
                Some(Processing),
                vec![Processing],
                "rejected",
                vec!["status:rejected"],
                None,
            ),
            (
                Some(Pending),
                vec![Pending],
                "processing",
                vec!["status:processing"],
                None,
            ),
            (
                Some(Processing),
                vec![Processing],
                "pending",
                vec!["status:pending"],
                None,
            ),
            (
                Some(Confirmed),
                vec![Confirmed],
                "processing",
                vec![],
                back(Confirmed, Processing),
            ),
            (
                Some(Confirmed),
                vec![Confirmed],
                "rejected",
                vec![],
                back(Confirmed, Rejected),
            ),
            (
                Some(Confirming),
                vec![Confirming],
                "pending",
                vec![],
                back(Confirming, Pending),
            ),
            // The list catching up with a callback: already told.
            (
                Some(Processing),
                vec![Processing, Confirmed],
                "confirmed",
                vec![],
                None,
            ),
            (
                Some(Processing),
                vec![Processing],
                "on hold",
                vec![],
                Some(Anomaly::UnknownStatus("on_hold".into())),
            ),
            (
                Some(Processing),
                vec![Processing],
                "",
                vec![],
                Some(Anomaly::NoStatus),
            ),
            (Some(Confirmed), vec![Confirmed], "CONFIRMED", vec![], None),
        ];
        for (before, seen, read, want, anomaly) in cases {
            let k = before.clone().map(|b| known(b, &seen, Some(NOW)));
            let d = decide(k.as_ref(), &payout(read, Some(NOW)), Mode::Live, NOW, STUCK);
            assert_eq!(told(&d), want, "{before:?} → {read}");
            assert_eq!(d.anomaly, anomaly, "{before:?} → {read}");
            let d = decide(
                k.as_ref(),
                &payout(read, Some(NOW)),
                Mode::Backfill,
                NOW,
                STUCK,
            );
            assert!(d.events.is_empty());
        }
    }

    #[test]
    fn a_callback_then_a_lagging_list_tells_confirmed_once() {
        // The callback: confirmed.
        let k = known(Processing, &[Processing], Some(NOW));
        let d = decide(
            Some(&k),
            &payout("Confirmed", None),
            Mode::Live,
            NOW + 10,
            STUCK,
        );
        assert_eq!(told(&d), ["status:confirmed"]);
        assert_eq!(d.open_since, None);
        // The list, still processing: stored, logged, not told.
        let k = known(Confirmed, &[Processing, Confirmed], None);
        let d = decide(
            Some(&k),
            &payout("processing", None),
            Mode::Live,
            NOW + 20,
            STUCK,
        );
        assert!(d.events.is_empty());
        assert!(matches!(d.anomaly, Some(Anomaly::Backwards { .. })));
        // The list catches up: nothing more.
        let k = known(Processing, &[Processing, Confirmed], d.open_since);
        let d = decide(
            Some(&k),
            &payout("confirmed", None),
            Mode::Live,
            NOW + 30,
            STUCK,
        );
        assert!(d.events.is_empty() && d.anomaly.is_none());
    }

    #[test]
    fn stuck_is_told_once_on_our_clock() {
        let k = known(Processing, &[Processing], Some(NOW - STUCK + 1));
        let d = decide(
            Some(&k),
            &payout("processing", Some(NOW - 99 * STUCK)),
            Mode::Live,
            NOW,
            STUCK,
        );
        assert!(
            d.events.is_empty(),
            "OxaPay's creation time does not count when live"
        );
        let k = known(Processing, &[Processing], Some(NOW - STUCK));
        let d = decide(
            Some(&k),
            &payout("processing", None),
            Mode::Live,
            NOW,
            STUCK,
        );
        assert_eq!(
            d.events,
            [PayoutEvent::Stuck {
                status: Processing,
                since: NOW - STUCK
            }]
        );
        assert!(d.stuck_noted);
        let k = Known {
            stuck_noted: true,
            ..k
        };
        let d = decide(
            Some(&k),
            &payout("confirming", None),
            Mode::Live,
            NOW + 60,
            STUCK,
        );
        assert_eq!(
            told(&d),
            ["status:confirming"],
            "stuck is not told again in the next status"
        );
        assert_eq!(d.open_since, Some(NOW - STUCK));
        assert!(d.stuck_noted);
        // A final status closes the stretch.
        let d = decide(
            Some(&k),
            &payout("confirmed", None),
            Mode::Live,
            NOW + 60,
            STUCK,
        );
        assert!(!d.stuck_noted && d.open_since.is_none());
        // An OxaPay clock behind ours cannot make a new payout stuck.
        let d = decide(
            None,
            &payout("processing", Some(NOW - 10 * STUCK)),
            Mode::Live,
            NOW,
            STUCK,
        );
        assert_eq!(told(&d), ["status:processing"]);
        // The backfill marks long-stuck ones silently.
        let d = decide(
            None,
            &payout("processing", Some(NOW - 10 * STUCK)),
            Mode::Backfill,
            NOW,
            STUCK,
        );
        assert!(d.events.is_empty() && d.stuck_noted);
        let d = decide(
            None,
            &payout("processing", Some(NOW - 60)),
            Mode::Backfill,
            NOW,
            STUCK,
        );
        assert!(!d.stuck_noted);
        let d = decide(
            None,
            &payout("confirmed", Some(NOW - 10 * STUCK)),
            Mode::Backfill,
            NOW,
            STUCK,
        );
        assert!(!d.stuck_noted);
    }

    proptest! {
        /// Any history of reads: a status is never told twice, "stuck" at most once per open
        /// stretch.
        #[test]
        fn statuses_told_at_most_once(
            reads in prop::collection::vec(
                (prop::sample::select(vec!["pending", "processing", "confirming", "confirmed",
                    "canceled", "rejected", "Confirmed", "odd", ""]), 0i64..5000),
                1..30,
            ),
        ) {
            let mut ledger: Option<Known> = None;
            let mut told_statuses: Vec<String> = Vec::new();
            let mut now = NOW;
            for (status, wait) in reads {
                now += wait;
                let read = payout(status, Some(NOW));
                let d = decide(ledger.as_ref(), &read, Mode::Live, now, STUCK);
                for e in &d.events {
                    if let PayoutEvent::Status(s) = e {
                        let key = e.told_key();
                        prop_assert!(!told_statuses.contains(&key), "{} twice", key);
                        prop_assert!(is_final(s).is_some());
                        told_statuses.push(key);
                    }
                }
                let stuck_events = d.events.iter().filter(|e| matches!(e, PayoutEvent::Stuck { .. })).count();
                prop_assert!(stuck_events <= 1);
                let k = ledger.get_or_insert_with(Known::default);
                if stuck_events == 1 {
                    prop_assert!(!(k.stuck_noted && k.open_since.is_some()), "stuck twice in one stretch");
                }
                k.status = Some(read.status.clone());
                k.seen.insert(read.status.clone());
                k.open_since = d.open_since;
                k.stuck_noted = d.stuck_noted;
            }
        }
    }

    #[test]
    fn what_a_chat_hears_and_event_lists() {
        let feed = ChatFeed::default();
        assert_eq!(event_list_text(&feed.events), "confirmed,canceled,rejected");
        assert!(chat_hears(&feed, &PayoutEvent::Status(Rejected)));
        assert!(!chat_hears(&feed, &PayoutEvent::Status(Processing)));
        let stuck = PayoutEvent::Stuck {
            status: Processing,
            since: NOW,
        };
        let none = ChatFeed {
            events: BTreeSet::new(),
        };
        assert!(chat_hears(&none, &stuck));
        let set = parse_event_list::<PayoutStatus>("Cancelled, processing").unwrap();
        assert_eq!(event_list_text(&set), "processing,canceled");
        assert!(parse_event_list::<PayoutStatus>("paid").is_err());
    }

    #[test]
    fn open_payouts_are_read_until_final_within_a_month() {
        assert!(watch(&Processing, Some(NOW), NOW));
        assert!(watch(&Unknown("odd".into()), None, NOW));
        assert!(!watch(&Processing, Some(NOW - OPEN_WATCH_SECS - 1), NOW));
        for s in [Confirmed, Canceled, Rejected] {
            assert!(!watch(&s, None, NOW));
        }
        assert!(is_backwards(&Canceled, &Confirmed));
        assert!(!is_backwards(&Pending, &Processing) && !is_backwards(&Processing, &Pending));
    }
}
