//! `/sales 30d` on a year of payments (100,000 by default) written to the ledger through the
//! store as the feed writes them: the query alone in this process (both periods read and summed,
//! as the command does), and the command through the shipped binary, update handed over → reply.

use std::time::{Duration, Instant};

use chrono_tz::Tz;
use oxapay_bot::rules::sales::{self, Period};
use oxapay_bot::store::{SaleRow, Store};

use crate::ledger::{DAY, db_bytes, fake_payment, feed_env, month_status, seed_ledger, track_id};
use crate::procfs::Mem;
use crate::running::{Bins, Latency, latency, prepare_db, start_bot_on};
use crate::stats::{Stats, stats};
use crate::support::FakePayment;
use crate::{SPACED_AT, SPACING, USER_BASE, WARMUP};

#[derive(Debug, Default, Clone)]
pub struct SalesReport {
    pub payments: usize,
    pub seed: Duration,
    /// The database after seeding, closed.
    pub db_bytes: u64,
    /// Ledger rows in the 30 days and in the 30 before.
    pub rows: (usize, usize),
    /// Both periods queried and summed, in this process.
    pub query: Stats,
    /// `/sales 30d` through the binary.
    pub command: Latency,
    /// What the first measured reply said (plain text).
    pub reply: String,
    pub mem_after: Mem,
}

/// A year of payments, evenly spread, in a seeded mix of coins and statuses.
fn year_of_payments(payments: usize) -> Vec<FakePayment> {
    let mut rng = fastrand::Rng::with_seed(21);
    let now = chrono::Utc::now().timestamp();
    let span = 365 * DAY;
    (0..payments)
        .map(|i| {
            let date = now - span + i as i64 * span / payments as i64;
            let status = month_status(&mut rng);
            fake_payment(&mut rng, &track_id(6, i), date, status)
        })
        .collect()
}

/// The command's reads and sums for the last 30 days and the 30 before, `reps` times.
async fn query_alone(store: &Store, reps: usize) -> (Stats, (usize, usize)) {
    let mut samples = Vec::with_capacity(reps);
    let mut rows = (0, 0);
    for _ in 0..reps {
        let t0 = Instant::now();
        let (span, before) = sales::spans(Period::Month, chrono::Utc::now().timestamp(), Tz::UTC);
        let now = store.sales_between(span.from, span.to).await.unwrap();
        let then = store.sales_between(before.from, before.to).await.unwrap();
        let (a, b) = (
            sales::figures(now.iter().map(SaleRow::sale)),
            sales::figures(then.iter().map(SaleRow::sale)),
        );
        std::hint::black_box(sales::compare(&a, &b));
        samples.push(t0.elapsed());
        rows = (now.len(), then.len());
    }
    (stats(&samples), rows)
}

pub async fn sales_bench(bins: &Bins, payments: usize, n: usize) -> SalesReport {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bot.db");
    let url = format!("sqlite://{}", path.display());
    prepare_db(&url).await;
    let store = Store::open(&url).await.expect("bench database");
    let year = year_of_payments(payments);
    let t0 = Instant::now();
    seed_ledger(&store, &year).await;
    let seed = t0.elapsed();
    drop(year);
    let (query, rows) = query_alone(&store, 50).await;
    store.close().await;
    let db = db_bytes(&path).0;
    // The merchant key makes the payment commands answer; the fake's list is empty.
    let mut run = start_bot_on(bins, dir, url, &feed_env(30)).await;
    let first = USER_BASE + SPACED_AT;
    let command = latency(&mut run, first, n, "/sales 30d", SPACING).await;
    let reply = run
        .tg
        .sent_to(first + WARMUP as i64)
        .first()
        .map(|s| s.plain())
        .unwrap_or_default();
    let mem_after = run.mem();
    run.stop().await;
    SalesReport {
        payments,
        seed,
        db_bytes: db,
        rows,
        query,
        command,
        reply,
        mem_after,
    }
}
