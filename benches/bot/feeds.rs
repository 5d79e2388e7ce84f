//! The payment feed through the shipped binary, against a fake OxaPay holding thousands of
//! payments: the silent first reading of 10,000 payments (time, requests, database size, nothing
//! sent), the steady poll with 1,000 open payments (wall time and CPU per poll, requests, RSS),
//! and `/balance` while that feed polls against the same bot without a merchant key.
//!
//! Polls are seen from outside, on events: a poll starts when the first page of its listing of
//! new payments reaches the fake OxaPay (the fake notes each request's arrival) and ends when the
//! bot logs "feed poll done" for the payment feed, which it writes after the poll's transaction committed. CPU is
//! the bot's `utime + stime` (10 ms ticks) sampled at those events.

use std::time::{Duration, Instant};

use oxapay_bot::store::Store;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio_util::sync::CancellationToken;

use crate::ledger::{
    DAY, chats_hearing, count, db_bytes, fake_payment, feed_env, feed_requests, month_status,
    payment_polls_done, track_id, wait_payment_polls,
};
use crate::procfs::{Mem, cpu_of, cpu_self};
use crate::running::{Bins, prepare_db, start_bot_filled, start_bot_on};
use crate::stats::{Stats, stats};
use crate::support::process::BotProcess;
use crate::support::telegram::Sent;
use crate::support::{Endpoint, FakeOxaPay, FakePayment, FakeTelegram};
use crate::{USER_BASE, WARMUP};

/// Chats that hear payments (`/payments on`): `FEED_BASE..FEED_BASE + FEED_CHATS`.
pub const FEED_BASE: i64 = USER_BASE + 300_000;
pub const FEED_CHATS: usize = 100;
/// The shortest poll interval the bot allows.
pub const POLL_SECS: u64 = 5;
/// Pause after each `/balance` reply in the probes, as in the latency runs.
const PROBE_SPACING: Duration = Duration::from_millis(50);

#[derive(Debug, Default, Clone)]
pub struct BackfillReport {
    pub payments: usize,
    /// Bot spawned → the first reading committed.
    pub spawn_to_read: Duration,
    /// The first listing request reached the fake → the first reading committed.
    pub listing_to_read: Duration,
    pub list_requests: usize,
    pub record_requests: usize,
    pub bot_cpu: Duration,
    pub fakes_cpu: Duration,
    pub mem: Mem,
    pub ledger_rows: i64,
    pub told_rows: i64,
    pub outbox_rows: i64,
    /// (database, write-ahead log) right after the reading, and the database once the bot stopped.
    pub db: (u64, u64),
    pub db_stopped: (u64, u64),
    /// `sendMessage` requests by the time the next poll asked OxaPay.
    pub sent: usize,
}

/// A month of payments (the default `PAYMENT_BACKFILL_DAYS` is 30), evenly spread, in a seeded
/// mix of coins and statuses.
fn month_of_payments(payments: usize) -> Vec<FakePayment> {
    let mut rng = fastrand::Rng::with_seed(18);
    let now = chrono::Utc::now().timestamp();
    let span = 29 * DAY;
    (0..payments)
        .map(|i| {
            let date = now - span + i as i64 * span / payments as i64;
            let status = month_status(&mut rng);
            fake_payment(&mut rng, &track_id(1, i), date, status)
        })
        .collect()
}

/// The first start with a merchant key, the fake holding `payments` payments of the last month
/// and 100 chats hearing payments.
pub async fn backfill_bench(bins: &Bins, payments: usize) -> BackfillReport {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bot.db");
    let url = format!("sqlite://{}", path.display());
    let store = Store::open(&url).await.expect("bench database");
    chats_hearing(&store, FEED_BASE, FEED_CHATS).await;
    store.close().await;
    let fakes = month_of_payments(payments);
    let self0 = cpu_self();
    let run = start_bot_filled(bins, dir, url, &feed_env(POLL_SECS), |oxa| {
        fakes.into_iter().for_each(|p| oxa.add_payment(p))
    })
    .await;
    wait_payment_polls(&run.proc, 1).await;
    let read_at = Instant::now();
    let (bot_cpu, fakes_cpu, mem) = (run.cpu(), cpu_self().saturating_sub(self0), run.mem());
    let db = db_bytes(&path);
    let first = feed_requests(&run.oxa).first().map_or(read_at, |r| r.at);
    let list_requests = run.oxa.calls_to(Endpoint::Payments);
    let record_requests = run.oxa.calls_to(Endpoint::Payment);
    let ledger_rows = count(&path, "SELECT COUNT(*) FROM payments").await;
    let told_rows = count(&path, "SELECT COUNT(*) FROM payment_told").await;
    let outbox_rows = count(&path, "SELECT COUNT(*) FROM outbox").await;
    // Whatever the reading had queued would be sent within the next poll interval.
    run.oxa
        .wait_calls_to(Endpoint::Payments, list_requests + 1)
        .await;
    let sent = run.tg.calls("sendMessage");
    let spawned = run.proc.spawned;
    let dir = run.stop_keeping_dir().await;
    BackfillReport {
        payments,
        spawn_to_read: read_at.saturating_duration_since(spawned),
        listing_to_read: read_at.saturating_duration_since(first),
        list_requests,
        record_requests,
        bot_cpu,
        fakes_cpu,
        mem,
        ledger_rows,
        told_rows,
        outbox_rows,
        db,
        db_stopped: db_bytes(&dir.path().join("bot.db")),
        sent,
    }
}

/// One poll of the payment feed as seen from outside.
#[derive(Debug, Clone, Copy)]
pub struct PollSeen {
    pub start: Instant,
    /// Its log line; `None` for a poll that read nothing (it logs nothing).
    pub done: Option<Instant>,
    /// Requests to the payment endpoints from this poll's start to the next one's.
    pub requests: usize,
    /// Bot CPU from this poll's start to its log line.
    pub cpu_in: Duration,
    /// Bot CPU from this poll's start to the next one's (the poll, the payout feed's poll, idle).
    pub cpu_cycle: Duration,
}

impl PollSeen {
    pub fn wall(&self) -> Option<Duration> {
        self.done.map(|d| d.saturating_duration_since(self.start))
    }
}

/// Waits for the start of the poll after the first `seen` ones: its arrival at the fake.
async fn poll_start(oxa: &FakeOxaPay, seen: usize) -> Instant {
    loop {
        let calls = oxa.calls_to(Endpoint::Payments);
        let starts: Vec<Instant> = feed_requests(oxa)
            .iter()
            .filter(|r| r.starts_poll)
            .map(|r| r.at)
            .collect();
        if let Some(at) = starts.get(seen) {
            return *at;
        }
        oxa.wait_calls_to(Endpoint::Payments, calls + 1).await;
    }
}

/// Follows up to `polls` polls from the next one on (until `stop`), each with its log line when
/// `logged` (every poll reads something). Call it between two polls.
async fn watch_polls(
    proc: &BotProcess,
    oxa: &FakeOxaPay,
    polls: usize,
    logged: bool,
    stop: &CancellationToken,
) -> Vec<PollSeen> {
    let pid = proc.pid();
    let started_before = feed_requests(oxa).iter().filter(|r| r.starts_poll).count();
    // A poll may have started and not yet logged: counting its line as the next poll's would
    // close that poll's window before it opened.
    if logged {
        wait_payment_polls(proc, started_before).await;
    }
    let done_before = payment_polls_done(&proc.output());
    let mut seen: Vec<PollSeen> = Vec::new();
    let mut last_cpu = Duration::ZERO;
    for k in 0..=polls {
        let start = tokio::select! {
            at = poll_start(oxa, started_before + k) => at,
            _ = stop.cancelled() => break,
        };
        let cpu = cpu_of(pid);
        if let Some(prev) = seen.last_mut() {
            prev.cpu_cycle = cpu.saturating_sub(last_cpu);
            prev.requests = feed_requests(oxa)
                .iter()
                .filter(|r| r.at >= prev.start && r.at < start)
                .count();
        }
        if k == polls {
            break;
        }
        last_cpu = cpu;
        let mut poll = PollSeen {
            start,
            done: None,
            requests: 0,
            cpu_in: Duration::ZERO,
            cpu_cycle: Duration::ZERO,
        };
        if logged {
            tokio::select! {
                _ = wait_payment_polls(proc, done_before + k + 1) => {}
                _ = stop.cancelled() => break,
            }
            poll.done = Some(Instant::now());
            poll.cpu_in = cpu_of(pid).saturating_sub(cpu);
        }
        seen.push(poll);
    }
    seen
}

/// `/balance` from new allowed chats, one at a time, a pause after each reply: when each was
/// handed over and how long its reply took (the first `WARMUP` not kept).
async fn balance_probes(
    tg: &FakeTelegram,
    arrivals: &mut UnboundedReceiver<Sent>,
    first_chat: i64,
    n: usize,
) -> Vec<(Instant, Duration)> {
    let mut out = Vec::with_capacity(n);
    for i in 0..WARMUP + n {
        let chat = first_chat + i as i64;
        let id = tg.send_texts(&[(chat, "/balance")])[0];
        let until = Instant::now() + Duration::from_secs(10);
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, arrivals.recv()).await {
                Ok(Some(a)) if a.chat_id == chat => {
                    if let (true, Some(h)) = (i >= WARMUP, tg.handed_at(id)) {
                        out.push((h, a.at.saturating_duration_since(h)));
                    }
                    break;
                }
                Ok(Some(_)) => {}
                _ => break,
            }
        }
        tokio::time::sleep(PROBE_SPACING).await;
    }
    out
}

#[derive(Debug, Default, Clone)]
pub struct SteadyReport {
    pub open: usize,
    pub settled: usize,
    pub polls: Vec<PollSeen>,
    pub mem: Mem,
}

#[derive(Debug, Default, Clone)]
pub struct BalanceReport {
    pub all: Stats,
    /// Probes handed over while a poll ran (from its start to its log line).
    pub during: Stats,
    pub outside: Stats,
    pub polls: usize,
}

fn balance_report(probes: &[(Instant, Duration)], polls: &[PollSeen]) -> BalanceReport {
    let in_poll = |t: Instant| {
        polls
            .iter()
            .any(|p| t >= p.start && p.done.is_some_and(|d| t <= d))
    };
    let pick = |want: bool| -> Vec<Duration> {
        probes
            .iter()
            .filter(|(h, _)| in_poll(*h) == want)
            .map(|(_, d)| *d)
            .collect()
    };
    let all: Vec<Duration> = probes.iter().map(|(_, d)| *d).collect();
    BalanceReport {
        all: stats(&all),
        during: stats(&pick(true)),
        outside: stats(&pick(false)),
        polls: polls.len(),
    }
}

/// `open` payments waiting to be paid (created over the last 10 hours, expiring 12 hours after
/// creation) and `settled` paid ones of the last week.
fn open_and_settled(open: usize, settled: usize) -> Vec<FakePayment> {
    let mut rng = fastrand::Rng::with_seed(19);
    let now = chrono::Utc::now().timestamp();
    let mut all = Vec::with_capacity(open + settled);
    for i in 0..settled {
        let date = now - 7 * DAY + i as i64 * (7 * DAY - 11 * 3_600) / settled.max(1) as i64;
        all.push(fake_payment(&mut rng, &track_id(2, i), date, "paid"));
    }
    for i in 0..open {
        let date = now - 10 * 3_600 + i as i64 * 10 * 3_600 / open.max(1) as i64;
        let mut p = fake_payment(&mut rng, &track_id(3, i), date, "waiting");
        p.expired_at = date + 12 * 3_600;
        all.push(p);
    }
    all
}

/// The feed with `open` open and `settled` settled payments: `polls` polls after the silent first
/// reading, then `probes` `/balance` probes while it keeps polling.
pub async fn feed_on_run(
    bins: &Bins,
    open: usize,
    settled: usize,
    polls: usize,
    probes: usize,
) -> (SteadyReport, BalanceReport) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bot.db").display());
    prepare_db(&url).await;
    let store = Store::open(&url).await.expect("bench database");
    chats_hearing(&store, FEED_BASE, FEED_CHATS).await;
    store.close().await;
    let fakes = open_and_settled(open, settled);
    let logged = open + settled > 0;
    let mut run = start_bot_filled(bins, dir, url, &feed_env(POLL_SECS), |oxa| {
        fakes.into_iter().for_each(|p| oxa.add_payment(p))
    })
    .await;
    if logged {
        wait_payment_polls(&run.proc, 1).await;
    }
    let never = CancellationToken::new();
    let seen = watch_polls(&run.proc, &run.oxa, polls, logged, &never).await;
    let steady = SteadyReport {
        open,
        settled,
        polls: seen,
        mem: run.mem(),
    };
    let mut balance = BalanceReport::default();
    if probes > 0 {
        let stop = CancellationToken::new();
        let (tg, oxa, proc, arrivals) = (&run.tg, &run.oxa, &run.proc, &mut run.arrivals);
        let probing = async {
            let p = balance_probes(tg, arrivals, USER_BASE, probes).await;
            stop.cancel();
            p
        };
        let (p, polled) = tokio::join!(probing, watch_polls(proc, oxa, usize::MAX, logged, &stop));
        balance = balance_report(&p, &polled);
    }
    run.stop().await;
    (steady, balance)
}

/// The same bot and probes without a merchant key: no payment feed.
pub async fn feed_off_run(bins: &Bins, probes: usize) -> BalanceReport {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bot.db").display());
    prepare_db(&url).await;
    let mut run = start_bot_on(bins, dir, url, &[]).await;
    let p = balance_probes(&run.tg, &mut run.arrivals, USER_BASE, probes).await;
    run.stop().await;
    balance_report(&p, &[])
}

#[derive(Debug, Default, Clone)]
pub struct FeedsReport {
    pub backfill: BackfillReport,
    pub empty: SteadyReport,
    pub steady: SteadyReport,
    pub balance_on: BalanceReport,
    pub balance_off: BalanceReport,
    pub burst: crate::burst::BurstReport,
    pub sales: crate::sales::SalesReport,
}

/// Sizes of the feed runs: full or quick.
pub struct FeedSizes {
    pub backfill: usize,
    pub open: usize,
    pub settled: usize,
    pub polls: usize,
    pub probes: usize,
    pub burst_payments: usize,
    pub burst_chats: usize,
    pub year: usize,
    pub sales_n: usize,
}

impl FeedSizes {
    pub fn new(quick: bool) -> Self {
        let env = |name: &str, default: usize| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        };
        let q = |quick_value: usize, full: usize| if quick { quick_value } else { full };
        Self {
            backfill: q(1_000, 10_000),
            open: q(200, 1_000),
            settled: q(200, 2_000),
            polls: q(3, 12),
            probes: q(150, 1_000),
            burst_payments: env("BENCH_BURST_PAYMENTS", q(10, 50)),
            burst_chats: env("BENCH_BURST_CHATS", q(10, 100)),
            year: q(10_000, 100_000),
            sales_n: q(30, 300),
        }
    }
}

/// Every payment feed figure, one bot process after another.
pub async fn feeds_bench(bins: &Bins, sizes: &FeedSizes) -> FeedsReport {
    eprintln!(
        "[feeds 1/6] first start with {} payments to read",
        sizes.backfill
    );
    let backfill = backfill_bench(bins, sizes.backfill).await;
    eprintln!("[feeds 2/6] steady polls, nothing to read");
    let (empty, _) = feed_on_run(bins, 0, 0, sizes.polls.min(4), 0).await;
    eprintln!(
        "[feeds 3/6] steady polls with {} open payments, then /balance while it polls",
        sizes.open
    );
    let (steady, balance_on) =
        feed_on_run(bins, sizes.open, sizes.settled, sizes.polls, sizes.probes).await;
    eprintln!("[feeds 4/6] /balance without the payment feed");
    let balance_off = feed_off_run(bins, sizes.probes).await;
    eprintln!(
        "[feeds 5/6] a burst of {} payments told to {} chats",
        sizes.burst_payments, sizes.burst_chats
    );
    let burst = crate::burst::burst_bench(bins, sizes.burst_payments, sizes.burst_chats).await;
    eprintln!(
        "[feeds 6/6] /sales 30d on a year of {} payments",
        sizes.year
    );
    let sales = crate::sales::sales_bench(bins, sizes.year, sizes.sales_n).await;
    FeedsReport {
        backfill,
        empty,
        steady,
        balance_on,
        balance_off,
        burst,
        sales,
    }
}
