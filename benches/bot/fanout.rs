//! Issue 10's fan-out figure: 10,000 chats with a report due at the same minute, sent through
//! Telegram's real limits (the shipped `Throttle` defaults: 30 messages/s), and meanwhile a
//! `/balance` from another chat every half second, answered as fast as when idle (measured the
//! same way once the fan-out is over, at the same spacing).

use std::collections::HashSet;
use std::ops::Range;
use std::time::{Duration, Instant};

use chrono::{DateTime, Timelike, Utc};
use oxapay_bot::store::Store;

use crate::running::{Bins, Running, start_bot_on};
use crate::stats::{Stats, stats};
use crate::support::ADMIN;
use crate::support::ids;
use crate::{USER_BASE, WARMUP};

/// Chats that get a report: `REPORT_BASE..REPORT_BASE + chats`; `/balance` probes come from
/// `PROBE_BASE..`.
const REPORT_BASE: i64 = USER_BASE + 100_000;
const PROBE_BASE: i64 = USER_BASE + 200_000;
const PROBE_EVERY: Duration = Duration::from_millis(500);

#[derive(Debug, Default, Clone)]
pub struct FanoutReport {
    pub chats: usize,
    /// Bot start → the first and the last report received.
    pub first: Duration,
    pub all: Duration,
    pub delivered: usize,
    pub per_sec: f64,
    pub during: Stats,
    pub idle: Stats,
    pub overlap: Overlap,
}

/// How many reports arrived while a `/balance` probe waited: slow probes against the others.
#[derive(Debug, Default, Clone)]
pub struct Overlap {
    pub slowest: usize,
    pub slowest_mean: f64,
    pub rest_mean: f64,
    pub slowest_before: f64,
    pub rest_before: f64,
}

/// `chats` allowed chats, each with a daily report at a minute that has just begun.
async fn prepare(url: &str, chats: usize) {
    let store = Store::open(url).await.expect("bench database");
    let now: DateTime<Utc> = Utc::now();
    let slot = now.with_second(0).unwrap().with_nanosecond(0).unwrap();
    let spec = format!("{:02}:{:02} UTC", slot.hour(), slot.minute());
    let admin = ids::actor(ADMIN);
    for k in 0..chats as i64 {
        let chat = REPORT_BASE + k;
        store
            .allow(ids::chat(chat), &admin, ids::chat(ADMIN), 0)
            .await
            .unwrap();
        // Created before the slot: this minute's slot is due as soon as the bot starts.
        store
            .set_report(
                ids::chat(chat),
                &spec,
                "UTC",
                &ids::actor(chat),
                slot.timestamp() - 60,
            )
            .await
            .unwrap();
    }
    for k in 0..1_000 {
        store
            .allow(ids::chat(PROBE_BASE + k), &admin, ids::chat(ADMIN), 0)
            .await
            .unwrap();
    }
    store.close().await;
}

/// One `/balance` from a new chat: when it was handed over and how long its reply took. Every
/// report that arrives meanwhile is noted in `reports` (its arrival instant).
async fn probe(
    run: &mut Running,
    chat: i64,
    report_chats: &Range<i64>,
    reports: &mut Vec<Instant>,
) -> Option<(Instant, Duration)> {
    let id = run.tg.send_texts(&[(chat, "/balance")])[0];
    let until = Instant::now() + Duration::from_secs(10);
    loop {
        let left = until.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, run.arrivals.recv()).await {
            Ok(Some(a)) if a.chat_id == chat => {
                let handed = run.tg.handed_at(id)?;
                return Some((handed, a.at.saturating_duration_since(handed)));
            }
            Ok(Some(a)) => {
                if report_chats.contains(&a.chat_id) {
                    reports.push(a.at);
                }
            }
            _ => return None,
        }
    }
}

pub async fn fanout_bench(bins: &Bins, chats: usize) -> FanoutReport {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bot.db").display());
    prepare(&url, chats).await;
    let started = Instant::now();
    let mut run = start_bot_on(bins, dir, url, &[]).await;
    let report_chats = REPORT_BASE..REPORT_BASE + chats as i64;
    // Report arrivals are taken from the fake's stream as they come: copying its whole record
    // every half second would load the process that plays Telegram in the middle of the probes.
    let mut at: Vec<Instant> = Vec::new();
    // Probes while the reports go out (bounded: Telegram's 30/s plus a generous margin).
    let until = started + Duration::from_secs_f64(chats as f64 / 25.0 + 60.0);
    let mut during = Vec::new();
    let mut chat = PROBE_BASE;
    let mut warm = 0;
    while at.len() < chats && Instant::now() < until {
        let sample = probe(&mut run, chat, &report_chats, &mut at).await;
        chat += 1;
        if warm < WARMUP {
            warm += 1;
        } else if let Some(s) = sample {
            during.push(s);
        }
        tokio::time::sleep(PROBE_EVERY).await;
    }
    while let Ok(a) = run.arrivals.try_recv() {
        if report_chats.contains(&a.chat_id) {
            at.push(a.at);
        }
    }
    let distinct: HashSet<i64> = run
        .tg
        .sent()
        .iter()
        .filter(|s| report_chats.contains(&s.chat_id))
        .map(|s| s.chat_id)
        .collect();
    let first = at
        .iter()
        .min()
        .map(|t| t.saturating_duration_since(started));
    let last = at
        .iter()
        .max()
        .map(|t| t.saturating_duration_since(started));
    let overlap = overlap(&during, &at);
    // The same probes once the fan-out is over, at the same spacing.
    let mut idle = Vec::new();
    let mut late = Vec::new();
    for _ in 0..during.len().clamp(50, 300) {
        if let Some((_, d)) = probe(&mut run, chat, &report_chats, &mut late).await {
            idle.push(d);
        }
        chat += 1;
        tokio::time::sleep(PROBE_EVERY).await;
    }
    run.stop().await;
    let all = last.unwrap_or_default();
    let during: Vec<Duration> = during.iter().map(|(_, d)| *d).collect();
    FanoutReport {
        chats,
        first: first.unwrap_or_default(),
        all,
        delivered: distinct.len(),
        per_sec: at.len() as f64
            / (all.saturating_sub(first.unwrap_or_default()))
                .as_secs_f64()
                .max(1e-9),
        during: stats(&during),
        idle: stats(&idle),
        overlap,
    }
}

/// Reports arriving while a probe waited for its reply, and within 25 ms before it was handed
/// over: for the slowest 5 % of probes and for the rest, the mean count per probe.
fn overlap(probes: &[(Instant, Duration)], reports: &[Instant]) -> Overlap {
    let mut sorted: Vec<Instant> = reports.to_vec();
    sorted.sort();
    let count = |from: Instant, to: Instant| {
        sorted.partition_point(|t| *t <= to) - sorted.partition_point(|t| *t < from)
    };
    let within = |(h, d): &(Instant, Duration)| count(*h, *h + *d);
    let before = |(h, _): &(Instant, Duration)| count(*h - Duration::from_millis(25), *h);
    let mut by_latency: Vec<&(Instant, Duration)> = probes.iter().collect();
    by_latency.sort_by_key(|(_, d)| *d);
    let cut = by_latency.len() - by_latency.len().div_ceil(20);
    let mean = |xs: &[&(Instant, Duration)], f: &dyn Fn(&(Instant, Duration)) -> usize| {
        xs.iter().map(|p| f(p) as f64).sum::<f64>() / xs.len().max(1) as f64
    };
    let (slow, rest) = (&by_latency[cut..], &by_latency[..cut]);
    Overlap {
        slowest: slow.len(),
        slowest_mean: mean(slow, &within),
        rest_mean: mean(rest, &within),
        slowest_before: mean(slow, &before),
        rest_before: mean(rest, &before),
    }
}
