//! OxaPay's signed callbacks through the shipped binary (`OXAPAY_CALLBACK_LISTEN`): a payment
//! callback posted → the chat's message arriving at the fake Telegram, and 1,000 callbacks in one
//! second (then the same 1,000 again, as OxaPay's retries would): every one answered, each payment
//! told once, the bot's memory before, at its peak and after.
//!
//! Telegram's pacing is kept out of the latency: the shipped `Throttle` lets a chat have one
//! message a second and 20 a minute, and holds a message sent within its 250 ms round of the
//! previous one. So callbacks go 300 ms apart and turn by turn to 20 chats: before each one the
//! bench turns the payment feed on in the next chat and off in the previous one (through the
//! store, as `/payments on|off` would), so each chat hears one payment every 6 s.

use std::time::{Duration, Instant};

use oxapay_bot::rules::domain::ChatId;
use oxapay_bot::store::{PaymentFeedChange, Store};
use tokio_util::sync::CancellationToken;

use crate::ledger::{MERCHANT, count, feed_env, track_id};
use crate::procfs::{Mem, mem_of};
use crate::running::{Bins, Running, start_bot_on};
use crate::stats::{Stats, stats};
use crate::support::{ADMIN, sign_callback};
use crate::{USER_BASE, WARMUP};

/// Chats that take turns hearing payments: `CALLBACK_BASE..CALLBACK_BASE + TURNS`.
const CALLBACK_BASE: i64 = USER_BASE + 500_000;
const TURNS: usize = 20;
const SPACING: Duration = Duration::from_millis(300);

#[derive(Debug, Default, Clone)]
pub struct CallbackReport {
    /// Callback posted → its `200 ok`.
    pub answered: Stats,
    /// Callback posted → the message arriving at the fake Telegram.
    pub told: Stats,
    pub lost: usize,
    pub bursts: Vec<BurstRun>,
    pub mem_idle: Mem,
    /// After the bursts, and 5 s later.
    pub mem_after: Mem,
    pub mem_settled: Mem,
}

#[derive(Debug, Default, Clone)]
pub struct BurstRun {
    pub label: &'static str,
    pub callbacks: usize,
    /// First request sent → last request sent, and → last answer.
    pub sending: Duration,
    pub all_answered: Duration,
    pub ok: usize,
    /// Answered, not `200 ok`; no answer at all.
    pub refused: usize,
    pub failed: usize,
    pub answer: Stats,
    pub told_rows: i64,
    pub told_distinct: i64,
    pub mem_before: Mem,
    /// The largest `VmRSS` sampled every 2 ms, and `VmHWM` (reset before the burst).
    pub rss_peak_kb: u64,
    pub hwm_kb: u64,
}

/// A payment callback as OxaPay posts it (the fields of the vendor's sample): paid, 10 USDT.
fn payment_callback(track_id: &str, date: i64) -> String {
    format!(
        r#"{{"track_id":"{track_id}","status":"Paid","type":"invoice","module_name":"OxaPay","amount":10,"value":10,"sent_value":10,"currency":"USDT","order_id":"ORD-{track_id}","email":"buyer@example.com","note":"","fee_paid_by_payer":1,"under_paid_coverage":0,"description":"","date":{date},"txs":[{{"status":"confirmed","tx_hash":"0xabc{track_id}","sent_amount":10,"received_amount":9.9,"value":10,"sent_value":10,"currency":"USDT","network":"Tron Network","sender_address":"TSender","address":"TAddr","rate":1,"confirmations":20,"auto_convert_amount":0,"auto_convert_currency":"","date":{date}}}]}}"#
    )
}

/// The receiver's URL, from the bot's log line naming the address it bound.
async fn receiver_url(run: &Running) -> String {
    let line = run
        .proc
        .wait_line("the callback listener", |l| {
            l.contains("receiving OxaPay callbacks")
        })
        .await;
    let addr = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("address="))
        .expect("the log line names the address");
    format!("http://{addr}/oxapay/callback")
}

async fn post(client: &reqwest::Client, url: &str, body: &str) -> Result<u16, String> {
    let signature = sign_callback(body.as_bytes(), MERCHANT);
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .header("HMAC", signature)
        .body(body.to_owned())
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let text = response.text().await.map_err(|e| e.to_string())?;
    Ok(if text == "ok" { status } else { 0 })
}

async fn hear(store: &Store, chat: i64, on: bool) {
    let change = if on {
        PaymentFeedChange::On { min_usd: None }
    } else {
        PaymentFeedChange::Off
    };
    let now = chrono::Utc::now().timestamp();
    store
        .set_payment_feed(ChatId(chat), &change, ChatId(chat), now)
        .await
        .unwrap();
}

/// `n` callbacks (after `WARMUP`), one at a time, turn by turn to the chats.
async fn latency(run: &mut Running, store: &Store, url: &str, n: usize) -> (Stats, Stats, usize) {
    let client = reqwest::Client::new();
    let (mut answered, mut told, mut lost) = (Vec::new(), Vec::new(), 0);
    for i in 0..WARMUP + n {
        let chat = CALLBACK_BASE + (i % TURNS) as i64;
        let previous = CALLBACK_BASE + ((i + TURNS - 1) % TURNS) as i64;
        hear(store, previous, false).await;
        hear(store, chat, true).await;
        tokio::time::sleep(SPACING).await;
        run.drain();
        let body = payment_callback(&track_id(7, i), chrono::Utc::now().timestamp());
        let t0 = Instant::now();
        let status = post(&client, url, &body).await;
        let ok_at = Instant::now();
        let message = run.wait_for(chat, Duration::from_secs(10)).await;
        match (status, message) {
            (Ok(200), Some(at)) if i >= WARMUP => {
                answered.push(ok_at - t0);
                told.push(at.saturating_duration_since(t0));
            }
            (Ok(200), Some(_)) => {}
            _ => lost += 1,
        }
    }
    (stats(&answered), stats(&told), lost)
}

/// Samples the bot's `VmRSS` every 2 ms until `stop`; returns the largest.
async fn rss_peak(pid: u32, stop: CancellationToken) -> u64 {
    let mut peak = 0;
    while !stop.is_cancelled() {
        peak = peak.max(mem_of(&pid.to_string()).rss_kb);
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    peak
}

/// `bodies` posted one a millisecond, each over the client's pool (a new connection when none is
/// free), every answer awaited.
async fn burst(run: &Running, url: &str, label: &'static str, bodies: &[String]) -> BurstRun {
    let pid = run.proc.pid();
    let mem_before = run.mem();
    let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
    let stop = CancellationToken::new();
    let sampler = tokio::spawn(rss_peak(pid, stop.clone()));
    let client = reqwest::Client::new();
    let t0 = tokio::time::Instant::now() + Duration::from_millis(20);
    let tasks: Vec<_> = bodies
        .iter()
        .enumerate()
        .map(|(i, body)| {
            let (client, url, body) = (client.clone(), url.to_owned(), body.clone());
            tokio::spawn(async move {
                let at = t0 + Duration::from_millis(i as u64);
                tokio::time::sleep_until(at).await;
                let sent = Instant::now();
                let status = post(&client, &url, &body).await;
                (sent, Instant::now(), status)
            })
        })
        .collect();
    let mut results = Vec::with_capacity(tasks.len());
    for t in tasks {
        results.push(t.await.expect("a callback task"));
    }
    stop.cancel();
    let rss_peak_kb = sampler.await.unwrap_or(0);
    let first = results
        .iter()
        .map(|r| r.0)
        .min()
        .unwrap_or_else(Instant::now);
    let last_sent = results.iter().map(|r| r.0).max().unwrap_or(first);
    let last_answer = results.iter().map(|r| r.1).max().unwrap_or(first);
    let answers: Vec<Duration> = results.iter().map(|r| r.1 - r.0).collect();
    BurstRun {
        label,
        callbacks: bodies.len(),
        sending: last_sent - first,
        all_answered: last_answer - first,
        ok: results.iter().filter(|r| r.2 == Ok(200)).count(),
        refused: results
            .iter()
            .filter(|r| matches!(r.2, Ok(s) if s != 200))
            .count(),
        failed: results.iter().filter(|r| r.2.is_err()).count(),
        answer: stats(&answers),
        mem_before,
        rss_peak_kb,
        hwm_kb: run.mem().hwm_kb,
        ..BurstRun::default()
    }
}

pub async fn callbacks_bench(bins: &Bins, n: usize, burst_size: usize) -> CallbackReport {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bot.db");
    let url = format!("sqlite://{}", path.display());
    let store = Store::open(&url).await.expect("bench database");
    let now = chrono::Utc::now().timestamp();
    for k in 0..TURNS as i64 {
        let chat = ChatId(CALLBACK_BASE + k);
        store
            .allow(chat, &crate::support::ids::actor(ADMIN), ChatId(ADMIN), now)
            .await
            .unwrap();
    }
    let mut extra = feed_env(30);
    extra.push(("OXAPAY_CALLBACK_LISTEN", "127.0.0.1:0".to_owned()));
    let mut run = start_bot_on(bins, dir, url, &extra).await;
    let receiver = receiver_url(&run).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mem_idle = run.mem();
    let (answered, told, lost) = latency(&mut run, &store, &receiver, n).await;
    // The bursts: one chat hears payments.
    for k in 0..TURNS as i64 {
        hear(&store, CALLBACK_BASE + k, k == 0).await;
    }
    let date = chrono::Utc::now().timestamp();
    let bodies: Vec<String> = (0..burst_size)
        .map(|i| payment_callback(&track_id(8, i), date))
        .collect();
    let told_sql = format!(
        "SELECT COUNT(*) FROM payment_told WHERE chat_id = {CALLBACK_BASE} AND track_id >= '{}'",
        track_id(8, 0)
    );
    let distinct_sql = told_sql.replace("COUNT(*)", "COUNT(DISTINCT track_id)");
    let mut bursts = Vec::new();
    for label in ["new payments", "the same callbacks again (replays)"] {
        let mut b = burst(&run, &receiver, label, &bodies).await;
        b.told_rows = count(&path, &told_sql).await;
        b.told_distinct = count(&path, &distinct_sql).await;
        bursts.push(b);
    }
    let mem_after = run.mem();
    // Memory a while after: no event to wait for, the process is only left alone.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let mem_settled = run.mem();
    store.close().await;
    run.stop().await;
    CallbackReport {
        answered,
        told,
        lost,
        bursts,
        mem_idle,
        mem_after,
        mem_settled,
    }
}
