//! Payment events, as pure rules: what a newly read payment means against what the ledger knew of
//! it, which payments to read again, and what a chat hears.
//!
//! # Telling
//! Each (payment, status) is told at most once: a status is an event the first time the payment is
//! seen in it. A payment first seen already settled is told once, as the status it has (not as the
//! steps it went through unseen). A static address — one track id that receives many transfers —
//! is told once per new tx hash instead, each with the payment's status.
//!
//! A status that goes backwards (`paid` → `paying`), or that the vendor's table does not have, is
//! stored (the latest read wins) and reported once as an [`Anomaly`] for the log, never told. It
//! is reported at the change only, so a payment that stays odd is not logged at every poll.
//!
//! # Reading again
//! Open payments (`new`, `waiting`, `paying`, `refunding`) are read again each poll while they may
//! still move: until a day past `expired_at` (three days after they were seen in the status, when
//! OxaPay gives no expiry; a week for `refunding`). Settled ones (`paid`, `manual_accept`,
//! `underpaid`, `expired`) can still change (an underpaid one accepted by hand, a paid one
//! refunded): the last 7 days of them are listed again every [`SETTLED_EVERY_POLLS`] polls, one
//! listing per status. `refunded` is the end of the table and is not read again.

use std::collections::{BTreeSet, HashSet};

use rust_decimal::Decimal;

use super::feed::FeedStatus;
pub use crate::oxapay::{Payment, PaymentKind, PaymentStatus, TrackId};

const DAY_SECS: i64 = 86_400;

/// How long past `expired_at` an open payment is still read.
pub const OPEN_GRACE_SECS: i64 = DAY_SECS;
/// How long an open payment without `expired_at` is read after it was seen in its status.
pub const OPEN_WITHOUT_EXPIRY_SECS: i64 = 3 * DAY_SECS;
/// How long a `refunding` payment is read after it was seen refunding.
pub const REFUNDING_WATCH_SECS: i64 = 7 * DAY_SECS;
/// How far back settled payments are listed again.
pub const SETTLED_WINDOW_SECS: i64 = 7 * DAY_SECS;
/// Settled payments are listed again every this many polls.
pub const SETTLED_EVERY_POLLS: u64 = 10;
/// Up to this many open payments are read one by one; more are listed by status.
pub const OPEN_ONE_BY_ONE_MAX: usize = 20;

/// Where a status stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// May still move on its own.
    Open,
    /// Done, although a person may still change it (accept, refund).
    Settled,
}

/// The stage of `status`; `None` for a status the vendor's table does not have.
pub fn stage(status: &PaymentStatus) -> Option<Stage> {
    use PaymentStatus::*;
    match status {
        New | Waiting | Paying | Refunding => Some(Stage::Open),
        Paid | ManualAccept | Underpaid | Expired | Refunded => Some(Stage::Settled),
        Unknown(_) => None,
    }
}

/// Steps along the way a payment goes; settled outcomes share a step.
fn step(status: &PaymentStatus) -> Option<u8> {
    use PaymentStatus::*;
    match status {
        New => Some(0),
        Waiting => Some(1),
        Paying => Some(2),
        Paid | ManualAccept | Underpaid | Expired => Some(3),
        Refunding => Some(4),
        Refunded => Some(5),
        Unknown(_) => None,
    }
}

/// Whether going from `from` to `to` is a step back: to an earlier step, or from `paid` or
/// `manual_accept` to another outcome. An `underpaid` or `expired` payment may still become
/// `paid`, `manual_accept` or `underpaid`. Moves from or to an unknown status are never "back".
pub fn is_backwards(from: &PaymentStatus, to: &PaymentStatus) -> bool {
    use PaymentStatus::*;
    let (Some(a), Some(b)) = (step(from), step(to)) else {
        return false;
    };
    if a != b {
        return b < a;
    }
    from != to && matches!(from, Paid | ManualAccept)
}

/// What the ledger knows of a payment before a new read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Known {
    pub status: Option<PaymentStatus>,
    /// Every status the payment has been seen in.
    pub seen: BTreeSet<PaymentStatus>,
    /// Every tx hash stored for it.
    pub tx_hashes: BTreeSet<String>,
}

/// Something to tell about a payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentEvent {
    /// The payment reached this status.
    Status(PaymentStatus),
    /// A static address received a transfer; the payment's status then.
    Received {
        tx_hash: String,
        status: PaymentStatus,
    },
}

impl PaymentEvent {
    /// The status a chat's event list is matched against.
    pub fn status(&self) -> &PaymentStatus {
        match self {
            PaymentEvent::Status(s) | PaymentEvent::Received { status: s, .. } => s,
        }
    }

    /// What makes the event once-only for a chat, beside the chat and the track id:
    /// `status:paid`, `tx:<hash>`.
    pub fn told_key(&self) -> String {
        match self {
            PaymentEvent::Status(s) => format!("status:{s}"),
            PaymentEvent::Received { tx_hash, .. } => format!("tx:{tx_hash}"),
        }
    }
}

/// A read worth one log line, never a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anomaly {
    /// OxaPay sent no status.
    NoStatus,
    /// A status the vendor's table does not have.
    UnknownStatus(String),
    /// A step back (see [`is_backwards`]).
    Backwards {
        from: PaymentStatus,
        to: PaymentStatus,
    },
}

/// What a read means.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decision {
    /// To tell, in order.
    pub events: Vec<PaymentEvent>,
    /// To log once.
    pub anomaly: Option<Anomaly>,
    /// The status differs from the ledger's (a first read counts).
    pub status_changed: bool,
    /// Tx hashes the ledger did not have, in the order listed.
    pub new_tx_hashes: Vec<String>,
}

/// What `read` means against `known` (`None`: first seen). In [`super::feed::Mode::Backfill`]
/// nothing is told; anomalies are still reported.
pub fn decide(known: Option<&Known>, read: &Payment, mode: super::feed::Mode) -> Decision {
    let status = &read.status;
    let before = known.and_then(|k| k.status.as_ref());
    let status_changed = before != Some(status);
    let anomaly = if !status_changed {
        None
    } else {
        match status {
            PaymentStatus::Unknown(name) if name.is_empty() => Some(Anomaly::NoStatus),
            PaymentStatus::Unknown(name) => Some(Anomaly::UnknownStatus(name.clone())),
            to => before
                .filter(|from| is_backwards(from, to))
                .map(|from| Anomaly::Backwards {
                    from: from.clone(),
                    to: to.clone(),
                }),
        }
    };
    let mut new_tx_hashes: Vec<String> = Vec::new();
    for hash in read.txs.iter().filter_map(|t| t.tx_hash.as_ref()) {
        let stored = known.is_some_and(|k| k.tx_hashes.contains(hash));
        if !stored && !new_tx_hashes.contains(hash) {
            new_tx_hashes.push(hash.clone());
        }
    }
    let mut decision = Decision {
        events: Vec::new(),
        anomaly,
        status_changed,
        new_tx_hashes,
    };
    let tellable = stage(status).is_some() && decision.anomaly.is_none();
    if mode == super::feed::Mode::Backfill || !tellable {
        return decision;
    }
    let static_address = read.kind == Some(PaymentKind::StaticAddress);
    if static_address && !decision.new_tx_hashes.is_empty() {
        decision.events = decision
            .new_tx_hashes
            .iter()
            .map(|h| PaymentEvent::Received {
                tx_hash: h.clone(),
                status: status.clone(),
            })
            .collect();
    } else if !known.is_some_and(|k| k.seen.contains(status)) {
        decision.events.push(PaymentEvent::Status(status.clone()));
    }
    decision
}

/// A chat's payment feed setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatFeed {
    pub events: BTreeSet<PaymentStatus>,
    /// Payments worth less than this (in USD) are not told. A payment whose value is unknown
    /// (no price) is told: a missed payment costs more than one message.
    pub min_usd: Option<Decimal>,
}

impl Default for ChatFeed {
    fn default() -> Self {
        Self {
            events: PaymentStatus::defaults(),
            min_usd: None,
        }
    }
}

/// Whether a chat with `feed` hears `event`, for a payment worth `usd` (`None`: unknown).
pub fn chat_hears(feed: &ChatFeed, event: &PaymentEvent, usd: Option<Decimal>) -> bool {
    let big_enough = match (feed.min_usd, usd) {
        (Some(min), Some(value)) => value >= min,
        _ => true,
    };
    big_enough && feed.events.contains(event.status())
}

impl FeedStatus for PaymentStatus {
    fn known() -> Vec<Self> {
        PaymentStatus::KNOWN.to_vec()
    }

    /// `paid`, `manual_accept`, `underpaid`, `refunded`: money in, money short, money back.
    fn defaults() -> BTreeSet<Self> {
        [
            PaymentStatus::Paid,
            PaymentStatus::ManualAccept,
            PaymentStatus::Underpaid,
            PaymentStatus::Refunded,
        ]
        .into()
    }

    fn named(text: &str) -> Option<Self> {
        match PaymentStatus::parse(text) {
            PaymentStatus::Unknown(_) => None,
            known => Some(known),
        }
    }

    fn name(&self) -> &str {
        self.as_str()
    }
}

/// An open payment the ledger holds, for deciding whether to read it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenRow {
    pub track_id: TrackId,
    pub status: PaymentStatus,
    /// OxaPay's creation time, if read.
    pub created_at: Option<i64>,
    pub expired_at: Option<i64>,
    /// When the ledger first saw it in its current status (our clock).
    pub status_since: i64,
}

/// Until when (our clock) `row` is read again each poll; `None` for a settled status.
pub fn watch_until(row: &OpenRow) -> Option<i64> {
    match (&row.status, stage(&row.status)) {
        (_, Some(Stage::Settled)) => None,
        (PaymentStatus::Refunding, _) => {
            Some(row.status_since.saturating_add(REFUNDING_WATCH_SECS))
        }
        (_, _) => Some(match row.expired_at {
            // An expiry far behind when we saw the status is OxaPay's clock or a late status:
            // still give it its grace from when we saw it.
            Some(at) => at.max(row.status_since).saturating_add(OPEN_GRACE_SECS),
            None => row.status_since.saturating_add(OPEN_WITHOUT_EXPIRY_SECS),
        }),
    }
}

/// How to read the open payments again this poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenReread {
    Nothing,
    /// `GET /v1/payment/{id}` for each.
    OneByOne(Vec<TrackId>),
    /// One listing per status from `from_date` on; afterwards, the `due` payments no listing
    /// returned (they left those statuses) are read one by one ([`left_the_listings`]).
    ByStatus {
        statuses: Vec<PaymentStatus>,
        from_date: i64,
        due: Vec<TrackId>,
        /// Due payments without a creation time or with a status outside the vendor's table:
        /// read one by one.
        one_by_one: Vec<TrackId>,
    },
}

/// The open payments due for a read at `now`: one by one when there are few, else by status
/// listings reaching back to the oldest one's creation (less the cursor overlap).
pub fn plan_open_reread(rows: &[OpenRow], now: i64) -> OpenReread {
    let due: Vec<&OpenRow> = rows
        .iter()
        .filter(|r| watch_until(r).is_some_and(|until| now <= until))
        .collect();
    if due.is_empty() {
        return OpenReread::Nothing;
    }
    if due.len() <= OPEN_ONE_BY_ONE_MAX {
        return OpenReread::OneByOne(due.iter().map(|r| r.track_id.clone()).collect());
    }
    // A listing needs a creation time to reach back to and a status OxaPay can filter by.
    let (dated, undated): (Vec<&OpenRow>, Vec<&OpenRow>) = due
        .into_iter()
        .partition(|r| r.created_at.is_some() && stage(&r.status).is_some());
    let from_date = dated
        .iter()
        .filter_map(|r| r.created_at)
        .min()
        .map_or(now, |t| t.saturating_sub(super::feed::CURSOR_OVERLAP_SECS));
    let statuses: BTreeSet<PaymentStatus> = dated.iter().map(|r| r.status.clone()).collect();
    OpenReread::ByStatus {
        statuses: statuses.into_iter().collect(),
        from_date,
        due: dated.iter().map(|r| r.track_id.clone()).collect(),
        one_by_one: undated.iter().map(|r| r.track_id.clone()).collect(),
    }
}

/// The due payments that none of the status listings returned: they changed status, read them
/// one by one.
pub fn left_the_listings(due: &[TrackId], listed: &HashSet<TrackId>) -> Vec<TrackId> {
    due.iter()
        .filter(|t| !listed.contains(*t))
        .cloned()
        .collect()
}

/// The settled payments' listing due at poll number `poll` (counted from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettledReread {
    /// One listing per status.
    pub statuses: Vec<PaymentStatus>,
    pub from_date: i64,
}

/// Every [`SETTLED_EVERY_POLLS`]th poll: `paid`, `manual_accept`, `underpaid` and `expired`
/// payments of the last 7 days.
pub fn plan_settled_reread(poll: u64, now: i64) -> Option<SettledReread> {
    (poll > 0 && poll.is_multiple_of(SETTLED_EVERY_POLLS)).then(|| SettledReread {
        statuses: vec![
            PaymentStatus::Paid,
            PaymentStatus::ManualAccept,
            PaymentStatus::Underpaid,
            PaymentStatus::Expired,
        ],
        from_date: now.saturating_sub(SETTLED_WINDOW_SECS),
    })
}

#[cfg(test)]
mod tests {
    use super::super::feed::{EventListError, Mode, event_list_text, parse_event_list};
    use super::*;
    use crate::oxapay::PaymentTx;
    use PaymentStatus::*;
    use proptest::prelude::*;

    const NOW: i64 = 1_800_000_000;

    fn payment(status: &str, kind: Option<PaymentKind>, txs: &[&str]) -> Payment {
        Payment {
            track_id: TrackId::new("1").unwrap(),
            kind,
            amount: Some(Decimal::ONE),
            currency: crate::money::Currency::from_api("USDT"),
            status: PaymentStatus::parse(status),
            status_text: status.into(),
            order_id: None,
            description: None,
            email: None,
            created_at: Some(NOW),
            expired_at: None,
            txs: txs
                .iter()
                .map(|h| PaymentTx {
                    tx_hash: Some((*h).into()),
                    ..PaymentTx::default()
                })
                .collect(),
            problems: vec![],
        }
    }

    fn known(status: PaymentStatus, seen: &[PaymentStatus], txs: &[&str]) -> Known {
        Known {
            status: Some(status),
            seen: seen.iter().cloned().collect(),
            tx_hashes: txs.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn told(d: &Decision) -> Vec<String> {
        d.events.iter().map(PaymentEvent::told_key).collect()
    }

    #[test]
    fn first_sight_tells_the_status_it_has_once() {
        for s in PaymentStatus::KNOWN {
            let d = decide(None, &payment(s.as_str(), None, &[]), Mode::Live);
            assert_eq!(d.events, [PaymentEvent::Status(s.clone())], "{s}");
            assert!(d.status_changed && d.anomaly.is_none());
            let d = decide(None, &payment(s.as_str(), None, &[]), Mode::Backfill);
            assert!(d.events.is_empty(), "backfill tells nothing: {s}");
        }
        let d = decide(None, &payment("Paid", None, &["a", "b"]), Mode::Live);
        assert_eq!(
            told(&d),
            ["status:paid"],
            "an invoice's txs are not told one by one"
        );
        assert_eq!(d.new_tx_hashes, ["a", "b"]);
    }

    #[test]
    fn the_same_status_again_tells_nothing() {
        let k = known(Paid, &[Paying, Paid], &[]);
        let d = decide(Some(&k), &payment("paid", None, &[]), Mode::Live);
        assert_eq!(d, Decision::default());
        // Capitalised as callbacks send it: the same status.
        let d = decide(Some(&k), &payment("PAID", None, &[]), Mode::Live);
        assert!(d.events.is_empty() && !d.status_changed);
    }

    /// (before, seen before, read, told, anomaly)
    type Case = (
        PaymentStatus,
        Vec<PaymentStatus>,
        &'static str,
        Vec<&'static str>,
        Option<Anomaly>,
    );

    #[test]
    fn transitions() {
        let back = |from: PaymentStatus, to: PaymentStatus| Some(Anomaly::Backwards { from, to });
        let cases: Vec<Case> = vec![
            (New, vec![New], "waiting", vec!["status:waiting"], None),
            (
                Waiting,
                vec![Waiting],
                "paying",
                vec!["status:paying"],
                None,
            ),
            (Paying, vec![Paying], "paid", vec!["status:paid"], None),
            (
                Paying,
                vec![Paying],
                "underpaid",
                vec!["status:underpaid"],
                None,
            ),
            (
                Paying,
                vec![Paying],
                "expired",
                vec!["status:expired"],
                None,
            ),
            (
                Underpaid,
                vec![Underpaid],
                "manual_accept",
                vec!["status:manual_accept"],
                None,
            ),
            (
                Underpaid,
                vec![Underpaid],
                "paid",
                vec!["status:paid"],
                None,
            ),
            (Expired, vec![Expired], "paid", vec!["status:paid"], None),
            (
                Paid,
                vec![Paid],
                "refunding",
                vec!["status:refunding"],
                None,
            ),
            (
                Refunding,
                vec![Paid, Refunding],
                "refunded",
                vec!["status:refunded"],
                None,
            ),
            // Backwards: stored, logged, not told.
            (
                Paid,
                vec![Paying, Paid],
                "paying",
                vec![],
                back(Paid, Paying),
            ),
            (Paid, vec![Paid], "underpaid", vec![], back(Paid, Underpaid)),
            (
                ManualAccept,
                vec![ManualAccept],
                "expired",
                vec![],
                back(ManualAccept, Expired),
            ),
            (
                Refunded,
                vec![Refunded],
                "paid",
                vec![],
                back(Refunded, Paid),
            ),
            (Paying, vec![Paying], "new", vec![], back(Paying, New)),
            // Back to a status already told: nothing, and no second log at the next poll.
            (Paying, vec![Paying, Paid], "paid", vec![], None),
            // Unknown names: logged, not told; a known one after an unknown one is told.
            (
                Paying,
                vec![Paying],
                "confirming",
                vec![],
                Some(Anomaly::UnknownStatus("confirming".into())),
            ),
            (Paying, vec![Paying], "", vec![], Some(Anomaly::NoStatus)),
            (
                Unknown("confirming".into()),
                vec![Paying],
                "paid",
                vec!["status:paid"],
                None,
            ),
        ];
        for (before, seen, read, want_told, want_anomaly) in cases {
            let k = known(before.clone(), &seen, &[]);
            let d = decide(Some(&k), &payment(read, None, &[]), Mode::Live);
            assert_eq!(told(&d), want_told, "{before} → {read}");
            assert_eq!(d.anomaly, want_anomaly, "{before} → {read}");
            assert!(d.status_changed, "{before} → {read}");
        }
        // An unknown status that stays: not logged again.
        let k = known(Unknown("confirming".into()), &[], &[]);
        let d = decide(Some(&k), &payment("Confirming", None, &[]), Mode::Live);
        assert_eq!(d, Decision::default());
    }

    #[test]
    fn a_static_address_tells_each_new_transfer_once() {
        let kind = Some(PaymentKind::StaticAddress);
        let d = decide(None, &payment("paid", kind.clone(), &["a"]), Mode::Live);
        assert_eq!(told(&d), ["tx:a"]);
        assert_eq!(d.events[0].status(), &Paid);
        let k = known(Paid, &[Paid], &["a"]);
        let d = decide(
            Some(&k),
            &payment("paid", kind.clone(), &["a", "b", "c", "b"]),
            Mode::Live,
        );
        assert_eq!(told(&d), ["tx:b", "tx:c"]);
        let k = known(Paid, &[Paid], &["a", "b", "c"]);
        let d = decide(
            Some(&k),
            &payment("paid", kind.clone(), &["a", "b", "c"]),
            Mode::Live,
        );
        assert!(d.events.is_empty());
        // A status change without a new transfer is told as a status.
        let d = decide(
            Some(&k),
            &payment("refunding", kind.clone(), &["a", "b", "c"]),
            Mode::Live,
        );
        assert_eq!(told(&d), ["status:refunding"]);
        // No transfer yet: its status, as any payment.
        let d = decide(None, &payment("new", kind.clone(), &[]), Mode::Live);
        assert_eq!(told(&d), ["status:new"]);
        // Silent in the backfill, and while its status is odd.
        let d = decide(None, &payment("paid", kind.clone(), &["a"]), Mode::Backfill);
        assert!(d.events.is_empty());
        assert_eq!(d.new_tx_hashes, ["a"]);
        let d = decide(Some(&k), &payment("weird", kind, &["z"]), Mode::Live);
        assert!(d.events.is_empty() && d.anomaly.is_some());
    }

    fn status_strategy() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(PaymentStatus::KNOWN.to_vec()).prop_map(|s| s.as_str().to_owned()),
            prop::sample::select(PaymentStatus::KNOWN.to_vec())
                .prop_map(|s| s.as_str().to_uppercase()),
            Just("confirming".to_owned()),
            Just(String::new()),
        ]
    }

    proptest! {
        /// Feeding any sequence of reads through `decide` (keeping the ledger as the store
        /// would): each (status) and each tx hash is told at most once, nothing is told in the
        /// backfill, and nothing odd is ever told.
        #[test]
        fn told_at_most_once_over_any_history(
            reads in prop::collection::vec(
                (status_strategy(), prop::collection::vec(0u8..4, 0..3), any::<bool>()),
                1..25,
            ),
            static_address in any::<bool>(),
            backfill_reads in 0usize..3,
        ) {
            let kind = static_address.then_some(PaymentKind::StaticAddress);
            let mut ledger: Option<Known> = None;
            let mut told_keys: Vec<String> = Vec::new();
            for (i, (status, txs, _)) in reads.iter().enumerate() {
                let hashes: Vec<String> = txs.iter().map(|n| format!("h{n}")).collect();
                let refs: Vec<&str> = hashes.iter().map(String::as_str).collect();
                let read = payment(status, kind.clone(), &refs);
                let mode = if i < backfill_reads { Mode::Backfill } else { Mode::Live };
                let d = decide(ledger.as_ref(), &read, mode);
                if mode == Mode::Backfill {
                    prop_assert!(d.events.is_empty());
                }
                for e in &d.events {
                    prop_assert!(stage(e.status()).is_some());
                    prop_assert!(d.anomaly.is_none());
                    let key = e.told_key();
                    prop_assert!(!told_keys.contains(&key), "{} told twice", key);
                    told_keys.push(key);
                }
                // The store keeps what was read.
                let k = ledger.get_or_insert_with(Known::default);
                k.status = Some(read.status.clone());
                k.seen.insert(read.status.clone());
                k.tx_hashes.extend(d.new_tx_hashes.iter().cloned());
            }
        }
    }

    #[test]
    fn backwards_is_a_total_rule() {
        for a in PaymentStatus::KNOWN {
            assert!(!is_backwards(&a, &a), "{a}");
            for b in PaymentStatus::KNOWN {
                // Never both ways, except between paid and manual_accept (each is an outcome
                // a person set: moving between them is odd both ways).
                if is_backwards(&a, &b) && is_backwards(&b, &a) {
                    assert!(
                        matches!((&a, &b), (Paid, ManualAccept) | (ManualAccept, Paid)),
                        "{a} ⇄ {b}"
                    );
                }
            }
            assert!(!is_backwards(&a, &Unknown("x".into())));
            assert!(!is_backwards(&Unknown("x".into()), &a));
        }
        assert_eq!(stage(&Refunding), Some(Stage::Open));
        assert_eq!(stage(&Expired), Some(Stage::Settled));
        assert_eq!(stage(&Unknown("x".into())), None);
    }

    #[test]
    fn what_a_chat_hears() {
        let feed = ChatFeed::default();
        assert_eq!(
            event_list_text(&feed.events),
            "paid,manual_accept,underpaid,refunded"
        );
        assert!(chat_hears(&feed, &PaymentEvent::Status(Paid), None));
        assert!(!chat_hears(&feed, &PaymentEvent::Status(Expired), None));
        assert!(!chat_hears(&feed, &PaymentEvent::Status(Waiting), None));
        let rx = PaymentEvent::Received {
            tx_hash: "a".into(),
            status: Paid,
        };
        assert!(chat_hears(&feed, &rx, None));
        let min = ChatFeed {
            min_usd: Some(Decimal::from(100)),
            ..ChatFeed::default()
        };
        assert!(!chat_hears(
            &min,
            &PaymentEvent::Status(Paid),
            Some(Decimal::from(99))
        ));
        assert!(chat_hears(
            &min,
            &PaymentEvent::Status(Paid),
            Some(Decimal::from(100))
        ));
        assert!(
            chat_hears(&min, &PaymentEvent::Status(Paid), None),
            "unknown value: told"
        );
    }

    #[test]
    fn event_lists() {
        let ok = |t: &str| event_list_text(&parse_event_list::<PaymentStatus>(t).unwrap());
        assert_eq!(ok("paid,underpaid,expired"), "paid,underpaid,expired");
        assert_eq!(ok(" Expired ,  PAID paid"), "paid,expired");
        assert_eq!(ok("manual-accept"), "manual_accept");
        assert_eq!(ok("default"), "paid,manual_accept,underpaid,refunded");
        assert_eq!(
            ok("all"),
            "new,waiting,paying,paid,manual_accept,underpaid,refunding,refunded,expired"
        );
        assert_eq!(
            ok("default,expired"),
            "paid,manual_accept,underpaid,refunded,expired"
        );
        assert_eq!(
            parse_event_list::<PaymentStatus>(""),
            Err(EventListError::Empty)
        );
        assert_eq!(
            parse_event_list::<PaymentStatus>(" , ,"),
            Err(EventListError::Empty)
        );
        let e = parse_event_list::<PaymentStatus>("paid,<b>shipped</b>").unwrap_err();
        assert_eq!(
            e.to_string(),
            "“<b>shipped</b>” is not a status; the statuses are: new,waiting,paying,paid,\
             manual_accept,underpaid,refunding,refunded,expired (or all, or default)"
        );
        let e =
            parse_event_list::<PaymentStatus>(&format!("x\u{7}{}", "y".repeat(100))).unwrap_err();
        let EventListError::Unknown { name, .. } = e else {
            panic!()
        };
        assert!(
            name.chars().count() <= 41 && !name.contains('\u{7}'),
            "{name}"
        );
    }

    proptest! {
        /// Any text: a set that reads back to itself, or a sentence; never a panic.
        #[test]
        fn event_lists_read_back(text in "[a-zA-Z_ ,\\-]{0,60}") {
            if let Ok(set) = parse_event_list::<PaymentStatus>(&text) {
                prop_assert!(!set.is_empty());
                let again = parse_event_list::<PaymentStatus>(&event_list_text(&set)).unwrap();
                prop_assert_eq!(again, set);
            }
        }
    }

    fn open(
        id: &str,
        status: PaymentStatus,
        created: Option<i64>,
        expires: Option<i64>,
        since: i64,
    ) -> OpenRow {
        OpenRow {
            track_id: TrackId::new(id).unwrap(),
            status,
            created_at: created,
            expired_at: expires,
            status_since: since,
        }
    }

    #[test]
    fn open_payments_are_watched_until_a_day_past_expiry() {
        let r = open("1", Waiting, Some(NOW), Some(NOW + 3600), NOW);
        assert_eq!(watch_until(&r), Some(NOW + 3600 + DAY_SECS));
        let r = open("1", Paying, Some(NOW), None, NOW);
        assert_eq!(watch_until(&r), Some(NOW + 3 * DAY_SECS));
        let r = open(
            "1",
            Refunding,
            Some(NOW - 30 * DAY_SECS),
            Some(NOW - 29 * DAY_SECS),
            NOW,
        );
        assert_eq!(watch_until(&r), Some(NOW + 7 * DAY_SECS));
        // An expiry before we saw the status: a day from when we saw it.
        let r = open(
            "1",
            New,
            Some(NOW - 9 * DAY_SECS),
            Some(NOW - 8 * DAY_SECS),
            NOW,
        );
        assert_eq!(watch_until(&r), Some(NOW + DAY_SECS));
        let r = open("1", Unknown("confirming".into()), None, None, NOW);
        assert_eq!(watch_until(&r), Some(NOW + 3 * DAY_SECS));
        for s in [Paid, ManualAccept, Underpaid, Expired, Refunded] {
            assert_eq!(watch_until(&open("1", s, None, None, NOW)), None);
        }
    }

    #[test]
    fn few_open_payments_are_read_one_by_one_many_by_status() {
        assert_eq!(plan_open_reread(&[], NOW), OpenReread::Nothing);
        let stale = open(
            "old",
            Waiting,
            Some(NOW - 5 * DAY_SECS),
            Some(NOW - 4 * DAY_SECS),
            NOW - 4 * DAY_SECS,
        );
        let fresh = open("new", Waiting, Some(NOW - 60), Some(NOW + 3600), NOW - 60);
        assert_eq!(
            plan_open_reread(&[stale.clone(), fresh.clone()], NOW),
            OpenReread::OneByOne(vec![fresh.track_id.clone()])
        );
        let mut rows: Vec<OpenRow> = (0..30)
            .map(|i| {
                let status = if i % 2 == 0 { Waiting } else { Paying };
                open(
                    &format!("p{i}"),
                    status,
                    Some(NOW - 100 * i),
                    Some(NOW + 3600),
                    NOW,
                )
            })
            .collect();
        rows.push(open("undated", New, None, None, NOW));
        rows.push(open(
            "odd",
            Unknown("confirming".into()),
            Some(NOW - 5),
            None,
            NOW,
        ));
        rows.push(stale);
        let OpenReread::ByStatus {
            statuses,
            from_date,
            due,
            one_by_one,
        } = plan_open_reread(&rows, NOW)
        else {
            panic!("by status")
        };
        assert_eq!(statuses, [Waiting, Paying]);
        assert_eq!(
            from_date,
            NOW - 2900 - super::super::feed::CURSOR_OVERLAP_SECS
        );
        assert_eq!(due.len(), 30);
        assert_eq!(
            one_by_one,
            [
                TrackId::new("undated").unwrap(),
                TrackId::new("odd").unwrap()
            ]
        );
        let listed: HashSet<TrackId> = due.iter().skip(2).cloned().collect();
        assert_eq!(left_the_listings(&due, &listed), due[..2].to_vec());
    }

    #[test]
    fn settled_payments_are_listed_again_every_tenth_poll() {
        let due: Vec<u64> = (0..=30)
            .filter(|p| plan_settled_reread(*p, NOW).is_some())
            .collect();
        assert_eq!(due, [10, 20, 30]);
        let plan = plan_settled_reread(10, NOW).unwrap();
        assert_eq!(plan.statuses, [Paid, ManualAccept, Underpaid, Expired]);
        assert_eq!(plan.from_date, NOW - 7 * DAY_SECS);
    }
}
