//! Times `chart::render_png_as` on noisy balance series (lines) and daily amounts received
//! (bars), and prints each PNG's size.
//!
//! ```text
//! cargo run --release --locked --example chart_render            # timings and sizes
//! cargo run --release --locked --example chart_render -- /tmp/c  # also writes the PNGs there
//! ```
//!
//! The series are random walks with deposits and withdrawals (fixed seeds, so every run draws the
//! same pictures), at the resolutions the history keeps: every 15 minutes for a week, then hourly,
//! then daily; plus a year at full 15-minute resolution as the worst case. The bars are a month
//! and a year of daily amounts at the zone's midnights, some days with nothing.

use std::time::Instant;

use chrono::{TimeDelta, TimeZone};
use oxapay_bot::chart::{ChartInput, Kind, render_png_as};
use rust_decimal::Decimal;

const END: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

type Series = Vec<(i64, Decimal)>;

/// `n` points `every` seconds apart ending at `END`, in units of 10^-`dp`.
fn walk(seed: u64, n: usize, every: i64, start: i64, dp: u32) -> Series {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut v = start;
    (0..n)
        .map(|i| {
            v += rng.i64(-start / 60..=start / 60);
            if rng.u32(0..200) == 0 {
                v += rng.i64(-start / 4..=start / 3);
            }
            v = v.max(0);
            (END - every * (n - 1 - i) as i64, Decimal::new(v, dp))
        })
        .collect()
}

/// What the history keeps of a year read every 15 minutes: every point for the last 7 days, one
/// an hour back to 90 days, one a day before that (issue 10's retention).
fn as_kept(full: &[(i64, Decimal)]) -> Series {
    let mut kept: Series = Vec::new();
    for &(t, v) in full {
        let age = END - t;
        let bucket = if age <= 7 * 86_400 {
            900
        } else if age <= 90 * 86_400 {
            3600
        } else {
            86_400
        };
        if kept
            .last()
            .is_none_or(|&(last, _)| t / bucket != last / bucket)
        {
            kept.push((t, v));
        }
    }
    kept
}

/// Every point independent of the last: the line fills a band, the worst case for PNG size.
fn noise(seed: u64, n: usize, every: i64) -> Series {
    let mut rng = fastrand::Rng::with_seed(seed);
    (0..n)
        .map(|i| {
            let v = rng.i64(100_000_000..=200_000_000);
            (END - every * (n - 1 - i) as i64, Decimal::new(v, 8))
        })
        .collect()
}

/// `n` days of amounts received (USD cents, one day in eight with nothing), one point at each
/// local midnight of `tz` up to the one before `END`.
fn received(seed: u64, n: usize, tz: chrono_tz::Tz) -> Series {
    let mut rng = fastrand::Rng::with_seed(seed);
    let last = chrono::DateTime::from_timestamp(END - 1, 0)
        .expect("a valid time")
        .with_timezone(&tz)
        .date_naive();
    (0..n)
        .map(|i| {
            let day = last - TimeDelta::days((n - 1 - i) as i64);
            let midnight = day.and_hms_opt(0, 0, 0).expect("midnight");
            let at = tz
                .from_local_datetime(&midnight)
                .earliest()
                .expect("a midnight");
            let cents = if rng.u32(0..8) == 0 {
                0
            } else {
                rng.i64(1..500_000)
            };
            (at.timestamp(), Decimal::new(cents, 2))
        })
        .collect()
}

const LINE: Kind = Kind::Line;
const DAILY: Kind = Kind::Bars {
    period_secs: 86_400,
};

fn main() {
    let out_dir = std::env::args().nth(1);
    let tz: chrono_tz::Tz = "Europe/Berlin".parse().expect("a known zone");
    let cases: Vec<(&str, &str, &str, Series, Kind)> = vec![
        (
            "7d",
            "BTC, last 7 days",
            "BTC",
            walk(1, 7 * 96, 900, 150_000_000, 8),
            LINE,
        ),
        (
            "30d",
            "BTC, last 30 days",
            "BTC",
            walk(2, 30 * 96, 900, 150_000_000, 8),
            LINE,
        ),
        (
            "90d",
            "USDT, last 90 days",
            "USDT",
            walk(3, 90 * 24, 3600, 1_250_000_000, 6),
            LINE,
        ),
        (
            "1y",
            "Total value (USD), last 365 days",
            "USD",
            walk(4, 365 * 24, 3600, 9_876_543_212_345, 2),
            LINE,
        ),
        (
            "1y-kept",
            "BTC, last 365 days",
            "BTC",
            as_kept(&walk(8, 365 * 96, 900, 150_000_000, 8)),
            LINE,
        ),
        (
            "1y-15min",
            "BTC, last 365 days, every 15 minutes",
            "BTC",
            walk(5, 365 * 96, 900, 150_000_000, 8),
            LINE,
        ),
        (
            "1y-white",
            "BTC, white noise",
            "BTC",
            noise(6, 365 * 24, 3600),
            LINE,
        ),
        (
            "1y-white15",
            "BTC, white noise",
            "BTC",
            noise(7, 365 * 96, 900),
            LINE,
        ),
        (
            "30d-bars",
            "Received (USD), last 30 days",
            "USD",
            received(9, 30, tz),
            DAILY,
        ),
        (
            "1y-bars",
            "Received (USD), last 365 days",
            "USD",
            received(10, 365, tz),
            DAILY,
        ),
    ];
    println!(
        "{:<9} {:>7} {:>10} {:>10} {:>10}",
        "series", "points", "min ms", "median ms", "PNG bytes"
    );
    for (name, title, unit, points, kind) in &cases {
        let input = ChartInput {
            title,
            unit,
            points,
            tz,
        };
        let mut times = Vec::new();
        let mut png = Vec::new();
        for _ in 0..15 {
            let t = Instant::now();
            png = render_png_as(&input, *kind).expect("renders");
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{:<9} {:>7} {:>10.1} {:>10.1} {:>10}",
            name,
            points.len(),
            times[0],
            times[times.len() / 2],
            png.len()
        );
        if let Some(dir) = &out_dir {
            std::fs::create_dir_all(dir).expect("output folder");
            std::fs::write(format!("{dir}/chart-{name}.png"), &png).expect("written");
        }
    }
}
