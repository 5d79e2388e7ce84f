//! Payments for the feed benchmarks: a seeded mix of coins, amounts and statuses as OxaPay lists
//! them (held by the fake OxaPay, or parsed and written to the ledger through the store the way
//! the feed writes its silent first reading), chats that hear payments, the feed's requests as
//! the fake saw them, and the bot's database read from the side.

use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;
use std::time::Instant;

use oxapay_bot::money::Usd;
use oxapay_bot::oxapay::payments::parse_payment;
use oxapay_bot::oxapay::{Payment, TrackId};
use oxapay_bot::rules::feed::Mode;
use oxapay_bot::rules::payments::{Decision, decide};
use oxapay_bot::store::{PaymentFeedChange, PaymentPoll, Source, Store};
use rust_decimal::Decimal;
use serde_json::value::RawValue;

use crate::support::ids;
use crate::support::process::BotProcess;
use crate::support::{ADMIN, Endpoint, FakeOxaPay, FakePayment, FakeTx};

/// The merchant key the bot is given (the fake takes any non-empty one).
pub const MERCHANT: &str = "oxapay-merchant-key-SECRET-0077";
pub const DAY: i64 = 86_400;
/// The feeds' log line after a poll that read something (or failed), written once its
/// transaction committed; the payment feed's names `payments`, the payout feed's `payouts`.
const POLL_DONE: &str = "feed poll done";

/// How many polls of the payment feed `output` (the bot's log) says are done.
pub fn payment_polls_done(output: &str) -> usize {
    output
        .lines()
        .filter(|l| l.contains(POLL_DONE) && l.contains("payments"))
        .count()
}

/// Waits until the bot has logged `n` polls of the payment feed in all.
pub async fn wait_payment_polls(proc: &BotProcess, n: usize) {
    proc.wait_output(&format!("{n} payment polls done"), |o| {
        payment_polls_done(o) >= n
    })
    .await;
}

/// The settings that turn the payment feed on, polling every `poll_secs`.
pub fn feed_env(poll_secs: u64) -> Vec<(&'static str, String)> {
    vec![
        ("OXAPAY_MERCHANT_API_KEY", MERCHANT.to_owned()),
        ("PAYMENT_POLL_SECS", poll_secs.to_string()),
    ]
}

struct Coin {
    code: &'static str,
    network: &'static str,
    /// Amounts from `lo` to `hi` in units of 10^-scale.
    lo: i64,
    hi: i64,
    scale: u32,
    /// The USD price the bench's fake OxaPay quotes (`running::prices`).
    usd: &'static str,
    /// Share of the payments, in percent.
    share: u32,
}

const COINS: [Coin; 5] = [
    Coin {
        code: "USDT",
        network: "Tron Network",
        lo: 500,
        hi: 50_000,
        scale: 2,
        usd: "1",
        share: 60,
    },
    Coin {
        code: "TRX",
        network: "Tron Network",
        lo: 1_000,
        hi: 500_000,
        scale: 2,
        usd: "0.2461",
        share: 15,
    },
    Coin {
        code: "BTC",
        network: "Bitcoin Network",
        lo: 10_000,
        hi: 5_000_000,
        scale: 8,
        usd: "94876.55",
        share: 10,
    },
    Coin {
        code: "ETH",
        network: "Ethereum Network",
        lo: 100_000,
        hi: 50_000_000,
        scale: 8,
        usd: "3301.45",
        share: 10,
    },
    Coin {
        code: "LTC",
        network: "Litecoin Network",
        lo: 1_000_000,
        hi: 500_000_000,
        scale: 8,
        usd: "84.12",
        share: 5,
    },
];

fn coin(rng: &mut fastrand::Rng) -> &'static Coin {
    let mut pick = rng.u32(0..100);
    for c in &COINS {
        if pick < c.share {
            return c;
        }
        pick -= c.share;
    }
    &COINS[0]
}

/// A status as a month of a shop's payments has them: mostly paid, some expired or short.
pub fn month_status(rng: &mut fastrand::Rng) -> &'static str {
    match rng.u32(0..100) {
        0..80 => "paid",
        80..92 => "expired",
        92..96 => "underpaid",
        96..98 => "manual_accept",
        98 => "refunded",
        _ => "waiting",
    }
}

/// A numeric track id (OxaPay's are 8–9 digits), distinct per `series` and `i`.
pub fn track_id(series: u32, i: usize) -> String {
    format!("{}", series as usize * 10_000_000 + 100_000_000 + i)
}

/// A payment created at `date` in `status`, in a coin and amount from a seeded mix; money that
/// arrived (paid, short, accepted, refunded, paying) comes with its transfer and hash.
pub fn fake_payment(rng: &mut fastrand::Rng, id: &str, date: i64, status: &str) -> FakePayment {
    let c = coin(rng);
    let amount = Decimal::new(rng.i64(c.lo..c.hi), c.scale).to_string();
    let mut p = FakePayment::new(id, date).status(status).amount(&amount);
    p.currency = c.code.to_owned();
    if matches!(
        status,
        "paid" | "underpaid" | "manual_accept" | "refunded" | "paying"
    ) {
        let hash = format!("0x{:032x}{:032x}", rng.u128(..), rng.u128(..));
        let mut tx = FakeTx::new(&hash, &amount, date + rng.i64(30..900));
        tx.currency = c.code.to_owned();
        tx.network = c.network.to_owned();
        p = p.tx(tx);
    }
    p
}

/// `chats` allowed chats from `first`, each with `/payments on` (the default events).
pub async fn chats_hearing(store: &Store, first: i64, chats: usize) {
    let now = chrono::Utc::now().timestamp();
    let on = PaymentFeedChange::On { min_usd: None };
    for k in 0..chats as i64 {
        let chat = ids::chat(first + k);
        store
            .allow(chat, &ids::actor(ADMIN), ids::chat(ADMIN), now)
            .await
            .unwrap();
        store.set_payment_feed(chat, &on, chat, now).await.unwrap();
    }
}

/// A fake payment as the bot reads it.
fn parsed(p: &FakePayment) -> Payment {
    let raw = RawValue::from_string(p.json()).expect("a fake payment is JSON");
    parse_payment(&raw).expect("a fake payment reads")
}

fn usd_of(p: &Payment) -> Option<Usd> {
    let c = COINS
        .iter()
        .find(|c| Some(c.code) == p.currency.as_ref().map(|c| c.as_str()))?;
    Some(Usd::new(p.amount? * Decimal::from_str(c.usd).ok()?))
}

/// Writes `payments` to the ledger through the store as the feed's silent first reading writes
/// them (parsed from OxaPay's JSON, decided in backfill mode, valued in USD), 500 to a
/// transaction; each batch as seen ten minutes after its newest payment was created.
pub async fn seed_ledger(store: &Store, payments: &[FakePayment]) {
    for batch in payments.chunks(500) {
        let now = batch.iter().map(|p| p.date).max().unwrap_or(0) + 600;
        let reads: Vec<(Payment, Decision)> = batch
            .iter()
            .map(|f| {
                let p = parsed(f);
                let d = decide(None, &p, Mode::Backfill);
                (p, d)
            })
            .collect();
        let values: HashMap<TrackId, (Usd, i64)> = reads
            .iter()
            .filter_map(|(p, _)| Some((p.track_id.clone(), (usd_of(p)?, now))))
            .collect();
        store
            .record_payment_poll(&PaymentPoll {
                reads: &reads,
                values: &values,
                told: &[],
                notices: &[],
                state: None,
                source: Source::Backfill,
                now,
            })
            .await
            .unwrap();
    }
}

/// One request of the payment feed as the fake saw it.
#[derive(Debug, Clone, Copy)]
pub struct FeedRequest {
    pub at: Instant,
    /// The first page of the listing of new payments (no status filter): a poll's first request.
    pub starts_poll: bool,
}

/// The payment feed's requests (listings and single payments), in arrival order.
pub fn feed_requests(oxa: &FakeOxaPay) -> Vec<FeedRequest> {
    oxa.requests()
        .iter()
        .filter(|r| matches!(r.endpoint, Some(Endpoint::Payments | Endpoint::Payment)))
        .map(|r| {
            let q = r.query.as_deref().unwrap_or("");
            let first_page = q.split('&').any(|kv| kv == "page=1");
            FeedRequest {
                at: r.at,
                starts_poll: r.endpoint == Some(Endpoint::Payments)
                    && first_page
                    && !q.contains("status="),
            }
        })
        .collect()
}

/// The bot's database file and its write-ahead log, in bytes.
pub fn db_bytes(db: &Path) -> (u64, u64) {
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    (size(db), size(Path::new(&wal)))
}

/// `SELECT COUNT(*) …` on the bot's database, over a read-only connection of its own.
pub async fn count(db: &Path, sql: &str) -> i64 {
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db)
        .read_only(true);
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .expect("the bot's database opens read-only");
    let n: i64 = sqlx::query_scalar(sql)
        .fetch_one(&pool)
        .await
        .expect("a count");
    pool.close().await;
    n
}
