//! A burst of new payments read in one poll and told to many chats at Telegram's real limits (the
//! shipped `Throttle` defaults: 30 messages a second overall, 1 a second and 20 a minute per
//! chat): from the burst appearing in the fake OxaPay to the last message, against the floor those
//! limits set; every (chat, payment) told exactly once, each chat's messages in creation order.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use oxapay_bot::store::Store;

use crate::USER_BASE;
use crate::feeds::POLL_SECS;
use crate::ledger::{
    DAY, chats_hearing, count, fake_payment, feed_env, feed_requests, track_id, wait_payment_polls,
};
use crate::procfs::Mem;
use crate::running::{Bins, start_bot_filled};
use crate::support::FakePayment;

/// Chats that hear the burst: `BURST_BASE..BURST_BASE + chats`.
pub const BURST_BASE: i64 = USER_BASE + 400_000;
/// The burst's track ids are `track_id(BURST_SERIES, i)`.
const BURST_SERIES: u32 = 5;

#[derive(Debug, Default, Clone)]
pub struct BurstReport {
    pub payments: usize,
    pub chats: usize,
    pub expected: usize,
    pub received: usize,
    /// Distinct (chat, payment) pairs among the messages received.
    pub distinct: usize,
    /// Messages to those chats that name no payment of the burst.
    pub unknown: usize,
    /// Chats whose messages did not come in the payments' creation order.
    pub out_of_order: usize,
    /// Burst added to the fake → the poll's listing that read it reached the fake.
    pub to_read: Duration,
    /// That listing → the first message, and → the last.
    pub read_to_first: Duration,
    pub read_to_last: Duration,
    pub added_to_last: Duration,
    /// First message → last message.
    pub per_sec: f64,
    pub floor: Duration,
    pub bot_cpu: Duration,
    pub mem_after: Mem,
    pub told_rows: i64,
}

/// The least time `messages` take at Telegram's limits, `per_chat` of them to each chat: 30 a
/// second overall; 1 a second and 20 a minute in one chat (so a chat's last message comes
/// `per_chat - 1` seconds after its first at best, and message 21 a minute after the first).
pub fn floor(per_chat: usize, chats: usize) -> Duration {
    let overall = (per_chat * chats) as f64 / 30.0;
    let last = per_chat.saturating_sub(1);
    let one_chat = (last as f64).max(60.0 * (last / 20) as f64);
    Duration::from_secs_f64(overall.max(one_chat))
}

/// The burst payment a message names (its order id `ORD-<track id>`), by index.
fn burst_index(text: &str, payments: usize) -> Option<usize> {
    let first = track_id(BURST_SERIES, 0).parse::<usize>().ok()?;
    let at = text.find("ORD-")? + 4;
    let digits: String = text[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let n: usize = digits.parse().ok()?;
    (first..first + payments).contains(&n).then(|| n - first)
}

struct Received {
    chat: i64,
    at: Instant,
    index: Option<usize>,
}

fn tally(r: &mut BurstReport, got: &[Received]) {
    r.received = got.len();
    r.unknown = got.iter().filter(|g| g.index.is_none()).count();
    r.distinct = got
        .iter()
        .filter_map(|g| g.index.map(|i| (g.chat, i)))
        .collect::<HashSet<_>>()
        .len();
    let mut per_chat: HashMap<i64, Vec<usize>> = HashMap::new();
    for g in got {
        per_chat
            .entry(g.chat)
            .or_default()
            .extend(g.index.iter().copied());
    }
    r.out_of_order = per_chat
        .values()
        .filter(|v| v.windows(2).any(|w| w[0] >= w[1]))
        .count();
}

/// `payments` new paid payments appear at once in the fake; `chats` chats hear payments.
pub async fn burst_bench(bins: &Bins, payments: usize, chats: usize) -> BurstReport {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bot.db");
    let url = format!("sqlite://{}", path.display());
    let store = Store::open(&url).await.expect("bench database");
    chats_hearing(&store, BURST_BASE, chats).await;
    store.close().await;
    let mut rng = fastrand::Rng::with_seed(20);
    let now = chrono::Utc::now().timestamp();
    // A week before the burst, stored silently at the first reading.
    let history: Vec<FakePayment> = (0..100)
        .map(|i| {
            fake_payment(
                &mut rng,
                &track_id(4, i),
                now - 7 * DAY + i as i64 * 3_600,
                "paid",
            )
        })
        .collect();
    let mut run = start_bot_filled(bins, dir, url, &feed_env(POLL_SECS), |oxa| {
        history.into_iter().for_each(|p| oxa.add_payment(p))
    })
    .await;
    wait_payment_polls(&run.proc, 1).await;
    run.drain();
    let now = run.oxa.oxapay_now();
    let burst: Vec<FakePayment> = (0..payments)
        .map(|i| {
            let date = now - 60 + (i * 60 / payments.max(1)) as i64;
            fake_payment(&mut rng, &track_id(BURST_SERIES, i), date, "paid")
        })
        .collect();
    let mut report = BurstReport {
        payments,
        chats,
        expected: payments * chats,
        floor: floor(payments, chats),
        ..BurstReport::default()
    };
    let cpu0 = run.cpu();
    let added = Instant::now();
    burst.into_iter().for_each(|p| run.oxa.add_payment(p));
    let deadline = added + report.floor.mul_f64(1.5) + Duration::from_secs(120);
    let range = BURST_BASE..BURST_BASE + chats as i64;
    let mut got: Vec<Received> = Vec::with_capacity(report.expected);
    let mut next_note = added + Duration::from_secs(60);
    while got.len() < report.expected {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, run.arrivals.recv()).await {
            Ok(Some(a)) if range.contains(&a.chat_id) => got.push(Received {
                chat: a.chat_id,
                at: a.at,
                index: burst_index(&a.text, payments),
            }),
            Ok(Some(_)) => {}
            _ => break,
        }
        if Instant::now() > next_note {
            eprintln!("  {} of {} messages so far", got.len(), report.expected);
            next_note += Duration::from_secs(60);
        }
    }
    report.bot_cpu = run.cpu().saturating_sub(cpu0);
    report.mem_after = run.mem();
    let read = feed_requests(&run.oxa)
        .iter()
        .find(|r| r.starts_poll && r.at > added)
        .map_or(added, |r| r.at);
    let first = got.iter().map(|g| g.at).min().unwrap_or(read);
    let last = got.iter().map(|g| g.at).max().unwrap_or(read);
    report.to_read = read.saturating_duration_since(added);
    report.read_to_first = first.saturating_duration_since(read);
    report.read_to_last = last.saturating_duration_since(read);
    report.added_to_last = last.saturating_duration_since(added);
    report.per_sec = got.len().saturating_sub(1) as f64
        / last
            .saturating_duration_since(first)
            .as_secs_f64()
            .max(1e-9);
    tally(&mut report, &got);
    report.told_rows = count(&path, "SELECT COUNT(*) FROM payment_told").await;
    run.stop().await;
    report
}
