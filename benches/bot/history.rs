//! Issue 10's history figures: a year of balance history at the default interval for 50
//! currencies, kept as the bot keeps it (full resolution for 7 days, hourly to 90, daily after):
//! its database size, the 1-year series queried and downsampled (one currency, the total), the
//! chart rendered in process, and `/history … 1y` through the shipped binary with its RSS after
//! rendering.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono_tz::Tz;
use oxapay_bot::chart::{self, ChartInput};
use oxapay_bot::config::settings::{HISTORY_INTERVAL_SECS, HISTORY_RETENTION_DAYS, Setting};
use oxapay_bot::money::{Currency, Usd};
use oxapay_bot::oxapay::Balances;
use oxapay_bot::rules::domain::Subject;
use oxapay_bot::rules::history;

/// A number setting's default, as a deployment that leaves it unset runs with.
fn default_of(setting: &Setting) -> u32 {
    setting
        .default_value()
        .and_then(|v| v.parse().ok())
        .expect("a number setting with a default")
}
use oxapay_bot::store::Store;
use rust_decimal::Decimal;

use crate::procfs::Mem;
use crate::running::{Bins, start_bot_on};
use crate::stats::{Stats, stats};
use crate::support::ADMIN;
use crate::support::ids;

pub const CURRENCIES: usize = 50;
const YEAR: i64 = 365 * 86_400;
/// The chart draws at most this many points (as `/history` does).
const CHART_POINTS: usize = 1_000;

#[derive(Debug, Default, Clone)]
pub struct HistoryReport {
    pub snapshots: usize,
    pub rows: usize,
    pub db_bytes: u64,
    pub fill: Duration,
    pub query_currency: Stats,
    pub query_total: Stats,
    pub points_currency: usize,
    pub render: Stats,
    pub png_bytes: usize,
    /// `/history … 1y` through the shipped binary: update handed over → photo received.
    pub command: Stats,
    pub mem_before: Mem,
    pub mem_after: Mem,
}

fn currency(i: usize) -> String {
    format!("C{i:02}")
}

/// A year of snapshots at the default interval, thinned as the bot thins them, with amounts that
/// wander (a seeded random walk, 8 decimals) and a total for each.
pub async fn year_of_history(url: &str) -> (usize, usize, Duration) {
    let now = chrono::Utc::now().timestamp();
    let step = i64::from(default_of(&HISTORY_INTERVAL_SECS));
    let times: Vec<i64> = (0..YEAR / step).map(|k| now - YEAR + k * step).collect();
    let plan = history::plan_retention(&times, now, default_of(&HISTORY_RETENTION_DAYS));
    let store = Store::open(url).await.expect("bench database");
    let mut rng = fastrand::Rng::with_seed(10);
    let mut amounts: Vec<i64> = (0..CURRENCIES).map(|_| rng.i64(1..1_000_000_000)).collect();
    let started = Instant::now();
    for at in &plan.keep {
        for a in amounts.iter_mut() {
            *a = (*a + rng.i64(-5_000_000..5_000_000)).max(0);
        }
        let map: BTreeMap<Currency, Decimal> = amounts
            .iter()
            .enumerate()
            .map(|(i, a)| (ids::cur(&currency(i)), Decimal::new(*a, 8)))
            .collect();
        let total: Decimal = map.values().sum();
        store
            .record_snapshot(*at, &Balances::new(map), Some(Usd::new(total)))
            .await
            .unwrap();
    }
    let fill = started.elapsed();
    store.close().await;
    (plan.keep.len(), plan.keep.len() * CURRENCIES, fill)
}

fn median_of<T>(reps: usize, mut f: impl FnMut() -> T) -> (Stats, T) {
    let mut samples = Vec::with_capacity(reps);
    let mut last = None;
    for _ in 0..reps {
        let t0 = Instant::now();
        last = Some(f());
        samples.push(t0.elapsed());
    }
    (stats(&samples), last.unwrap())
}

pub async fn history_bench(bins: &Bins, reps: usize) -> HistoryReport {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bot.db").display());
    let (snapshots, rows, fill) = year_of_history(&url).await;
    let db_bytes = std::fs::metadata(dir.path().join("bot.db"))
        .map(|m| m.len())
        .unwrap_or(0);

    // Query and downsample, as `/history` does (the store's own queries).
    let store = Store::open(&url).await.unwrap();
    let now = chrono::Utc::now().timestamp();
    let mut query_currency = Vec::with_capacity(reps);
    let mut query_total = Vec::with_capacity(reps);
    let mut points = Vec::new();
    for _ in 0..reps {
        let t0 = Instant::now();
        let series = store
            .series(&ids::subject("C07"), now - YEAR, now)
            .await
            .unwrap();
        points = history::downsample(&series, CHART_POINTS);
        query_currency.push(t0.elapsed());
        let t0 = Instant::now();
        let series = store
            .series(&Subject::Total, now - YEAR, now)
            .await
            .unwrap();
        std::hint::black_box(history::downsample(&series, CHART_POINTS));
        query_total.push(t0.elapsed());
    }
    store.close().await;
    let (render, png) = median_of(reps, || {
        chart::render_png(&ChartInput {
            title: "C07, last 1 year",
            unit: "C07",
            points: &points,
            tz: Tz::Europe__Berlin,
        })
        .unwrap()
    });

    // The same through the shipped binary, on that database.
    let mut run = start_bot_on(bins, dir, url, &[]).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mem_before = run.mem();
    let mut command = Vec::new();
    for i in 0..reps.min(20) {
        let text = if i % 2 == 0 {
            "/history C07 1y"
        } else {
            "/history total 1y"
        };
        let seen = run.tg.photos().len();
        let id = run.tg.send_text(ADMIN, ADMIN, text).update_id;
        let until = Instant::now() + Duration::from_secs(30);
        let got = loop {
            if run.tg.photos().len() > seen {
                break Some(Instant::now());
            }
            if Instant::now() > until {
                break None;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        };
        match (got, run.tg.handed_at(id)) {
            (Some(at), Some(handed)) => command.push(at.saturating_duration_since(handed)),
            _ => eprintln!("  /history got no photo within 30 s"),
        }
        // One chat (the admin's) asks every time: stay under its flood limit (a burst of 10,
        // then one a second), as a person would.
        tokio::time::sleep(Duration::from_millis(1_100)).await;
    }
    let mem_after = run.mem();
    run.drain();
    run.stop().await;
    HistoryReport {
        snapshots,
        rows,
        db_bytes,
        fill,
        query_currency: stats(&query_currency),
        query_total: stats(&query_total),
        points_currency: points.len(),
        render,
        png_bytes: png.len(),
        command: stats(&command),
        mem_before,
        mem_after,
    }
}
