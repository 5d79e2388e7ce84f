//! Issue 10's fan-out figure: 10,000 chats with a report due at the same minute, sent through
//! Telegram's real limits (the shipped `Throttle` defaults: 30 messages/s), and meanwhile a
//! `/balance` from another chat every half second, answered as fast as when idle (measured the
//! same way once the fan-out is over).

use std::collections::HashSet;
use std::time::{Duration, Instant};

use chrono::{DateTime, Timelike, Utc};
use oxapay_bot::store::{Actor, Store};

use crate::running::{Bins, Running, start_bot_on};
use crate::stats::{Stats, stats};
use crate::support::ADMIN;
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
}

/// `chats` allowed chats, each with a daily report at a minute that has just begun.
async fn prepare(url: &str, chats: usize) {
    let store = Store::open(url).await.expect("bench database");
    let now: DateTime<Utc> = Utc::now();
    let slot = now.with_second(0).unwrap().with_nanosecond(0).unwrap();
    let spec = format!("{:02}:{:02} UTC", slot.hour(), slot.minute());
    let admin = Actor::id_only(ADMIN);
    for k in 0..chats as i64 {
        let chat = REPORT_BASE + k;
        store.allow(chat, &admin, ADMIN, 0).await.unwrap();
        // Created before the slot: this minute's slot is due as soon as the bot starts.
        store
            .set_report(
                chat,
                &spec,
                "UTC",
                &Actor::id_only(chat),
                slot.timestamp() - 60,
            )
            .await
            .unwrap();
    }
    for k in 0..1_000 {
        store.allow(PROBE_BASE + k, &admin, ADMIN, 0).await.unwrap();
    }
    store.close().await;
}

/// One `/balance` from a new chat; the time from hand-over to its reply.
async fn probe(run: &mut Running, chat: i64) -> Option<Duration> {
    let id = run.tg.send_texts(&[(chat, "/balance")])[0];
    let until = Instant::now() + Duration::from_secs(10);
    loop {
        let left = until.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, run.arrivals.recv()).await {
            Ok(Some(a)) if a.chat_id == chat => {
                return run
                    .tg
                    .handed_at(id)
                    .map(|h| a.at.saturating_duration_since(h));
            }
            Ok(Some(_)) => continue,
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
    let reports = |run: &Running| -> Vec<Instant> {
        run.tg
            .sent()
            .iter()
            .filter(|s| (REPORT_BASE..REPORT_BASE + chats as i64).contains(&s.chat_id))
            .map(|s| s.at)
            .collect()
    };
    // Probes while the reports go out (bounded: Telegram's 30/s plus a generous margin).
    let until = started + Duration::from_secs_f64(chats as f64 / 25.0 + 60.0);
    let mut during = Vec::new();
    let mut chat = PROBE_BASE;
    let mut warm = 0;
    while reports(&run).len() < chats && Instant::now() < until {
        let sample = probe(&mut run, chat).await;
        chat += 1;
        if warm < WARMUP {
            warm += 1;
        } else if let Some(d) = sample {
            during.push(d);
        }
        tokio::time::sleep(PROBE_EVERY).await;
    }
    let at = reports(&run);
    let distinct: HashSet<i64> = run
        .tg
        .sent()
        .iter()
        .filter(|s| (REPORT_BASE..REPORT_BASE + chats as i64).contains(&s.chat_id))
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
    // The same probes once the fan-out is over.
    let mut idle = Vec::new();
    for _ in 0..during.len().clamp(50, 300) {
        if let Some(d) = probe(&mut run, chat).await {
            idle.push(d);
        }
        chat += 1;
        tokio::time::sleep(PROBE_EVERY / 5).await;
    }
    run.stop().await;
    let all = last.unwrap_or_default();
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
    }
}
