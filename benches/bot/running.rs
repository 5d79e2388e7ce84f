//! The shipped binary (or the echo floor) as a process against its own fakes: start-up time,
//! latency, throughput and idle footprint.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use oxapay_bot::store::Store;
use tokio::sync::mpsc;

use crate::procfs::{Mem, cpu_of, cpu_self, mem_of};
use crate::stats::{Stats, stats};
use crate::support::ids;
use crate::support::process::BotProcess;
use crate::support::telegram::Sent;
use crate::support::{ADMIN, FakeOxaPay, FakeTelegram, KEY, OxaReply, TOKEN};
use crate::{ACCOUNT, USER_BASE, USERS, WARMUP};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// The shipped release binary.
    Bot,
    /// The echo floor, replying through the plain `Bot` as the real bot replies.
    Echo,
    /// The echo floor, replying through `Throttle` with Telegram's default limits.
    EchoThrottled,
}

pub struct Running {
    pub proc: BotProcess,
    pub label: &'static str,
    pub tg: FakeTelegram,
    /// Every message the fake Telegram accepts, with its arrival instant.
    pub arrivals: mpsc::UnboundedReceiver<Sent>,
    pub oxa: FakeOxaPay,
    pub startup: Duration,
    pub _dir: tempfile::TempDir,
}

pub struct Bins {
    pub bot: PathBuf,
    pub echo: PathBuf,
}

/// A database with migrations applied and `USERS` allowed chats, as an admin would leave it.
pub async fn prepare_db(url: &str) {
    let store = Store::open(url).await.expect("bench database");
    let now = chrono::Utc::now().timestamp();
    for k in 0..USERS {
        store
            .allow(
                ids::chat(USER_BASE + k),
                &ids::actor(ADMIN),
                ids::chat(ADMIN),
                now,
            )
            .await
            .unwrap();
    }
    store.close().await;
}

/// Starts one process against fresh fakes and waits for its first `getUpdates`. The bot gets a
/// database with `USERS` allowed chats unless `fresh_db`.
pub async fn start(kind: Kind, cache_secs: u64, bins: &Bins, fresh_db: bool) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("bot.db").display());
    if kind == Kind::Bot && !fresh_db {
        prepare_db(&db).await;
    }
    let extra = [("BALANCE_CACHE_SECS", cache_secs.to_string())];
    spawn(kind, bins, dir, db, &extra, |_| {}).await
}

/// Starts the bot on a database the caller prepared in `dir`, with extra settings.
pub async fn start_bot_on(
    bins: &Bins,
    dir: tempfile::TempDir,
    db: String,
    extra: &[(&str, String)],
) -> Running {
    spawn(Kind::Bot, bins, dir, db, extra, |_| {}).await
}

/// The same, with the fake OxaPay given what it holds (payments, say) before the bot starts, so
/// that its first request already sees it.
pub async fn start_bot_filled(
    bins: &Bins,
    dir: tempfile::TempDir,
    db: String,
    extra: &[(&str, String)],
    fill: impl FnOnce(&FakeOxaPay),
) -> Running {
    spawn(Kind::Bot, bins, dir, db, extra, fill).await
}

/// The USD prices the fake OxaPay gives the bot's runs (prices normally answer).
pub fn prices() -> OxaReply {
    OxaReply::prices(&[
        ("BTC", "94876.55"),
        ("ETH", "3301.45"),
        ("LTC", "84.12"),
        ("TON", "5.43"),
        ("TRX", "0.2461"),
        ("USDC", "1"),
        ("USDT", "1"),
        ("DOGE", "0.38"),
    ])
}

async fn spawn(
    kind: Kind,
    bins: &Bins,
    dir: tempfile::TempDir,
    db: String,
    extra: &[(&str, String)],
    fill: impl FnOnce(&FakeOxaPay),
) -> Running {
    let tg = FakeTelegram::start().await;
    let arrivals = tg.subscribe_sent();
    let oxa = FakeOxaPay::start(OxaReply::json(ACCOUNT)).await;
    oxa.set_prices(prices());
    fill(&oxa);
    let mut env: Vec<(&str, String)> = vec![
        ("TELOXIDE_TOKEN", TOKEN.to_owned()),
        ("TELEGRAM_API_URL", tg.url.clone()),
    ];
    let (label, program) = match kind {
        Kind::Bot => {
            env.extend([
                ("OXAPAY_PAYOUT_API_KEY", KEY.to_owned()),
                ("OXAPAY_API_URL", oxa.url()),
                ("DATABASE_URL", db),
                ("ADMIN_IDS", ADMIN.to_string()),
                // Shipped defaults, stated so that the caller's environment cannot change them.
                ("RUST_LOG", "info".to_owned()),
                ("ALERT_INTERVAL_SECS", "300".to_owned()),
            ]);
            env.extend(extra.iter().map(|(k, v)| (*k, v.clone())));
            ("bot", bins.bot.clone())
        }
        Kind::Echo => ("echo", bins.echo.clone()),
        Kind::EchoThrottled => {
            env.push(("ECHO_FLOOR_THROTTLE", "1".to_owned()));
            ("echo-throttled", bins.echo.clone())
        }
    };
    let env: BTreeMap<String, String> = env.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    let proc = BotProcess::spawn(&program, &env, dir.path());
    let until = Instant::now() + Duration::from_secs(30);
    let startup = loop {
        if let Some(at) = tg.first_poll() {
            break at.saturating_duration_since(proc.spawned);
        }
        if Instant::now() > until {
            panic!(
                "{label} did not poll within 30 s; its log:\n{}",
                proc.output()
            );
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    };
    Running {
        proc,
        label,
        tg,
        arrivals,
        oxa,
        startup,
        _dir: dir,
    }
}

impl Running {
    pub fn cpu(&self) -> Duration {
        cpu_of(self.proc.pid())
    }

    pub fn mem(&self) -> Mem {
        mem_of(&self.proc.pid().to_string())
    }

    pub fn drain(&mut self) {
        while self.arrivals.try_recv().is_ok() {}
    }

    pub async fn wait_for(&mut self, chat: i64, timeout: Duration) -> Option<Instant> {
        let until = Instant::now() + timeout;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, self.arrivals.recv()).await {
                Ok(Some(a)) if a.chat_id == chat => return Some(a.at),
                Ok(Some(_)) => continue,
                _ => return None,
            }
        }
    }

    /// SIGTERM (SIGKILL after 5 s), then the fakes; tells about warnings in the bot's log.
    pub async fn stop(self) {
        drop(self.stop_keeping_dir().await);
    }

    /// The same, handing back the bot's directory (its database) to be looked at.
    pub async fn stop_keeping_dir(mut self) -> tempfile::TempDir {
        self.proc.stop().await;
        self.tg.stop();
        self.oxa.go_down().await;
        let log = self.proc.output();
        let noted = |l: &&str| l.contains("ERROR") || l.contains("WARN") || l.contains("panicked");
        let errors = log.lines().filter(noted).count();
        if errors > 0 {
            eprintln!(
                "  note: {} logged {errors} warning/error lines, the first ones:",
                self.label
            );
            for line in log.lines().filter(noted).take(3) {
                eprintln!("    {line}");
            }
        }
        self._dir
    }

    /// SIGKILL: for start-up probes, whose state is thrown away.
    pub async fn kill(self) {
        let Running { proc, tg, oxa, .. } = self;
        drop(proc);
        tg.stop();
        oxa.go_down().await;
    }
}

/// Spawn → first `getUpdates`, `reps` times (each process killed right after), sorted.
pub async fn startup_probe(kind: Kind, fresh_db: bool, bins: &Bins, reps: usize) -> Vec<Duration> {
    let mut v = Vec::with_capacity(reps);
    for _ in 0..reps {
        let run = start(kind, 5, bins, fresh_db).await;
        v.push(run.startup);
        run.kill().await;
    }
    v.sort();
    v
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Latency {
    pub stats: Stats,
    pub lost: usize,
    pub cpu_per_req: Duration,
    pub oxapay_calls: u64,
}

/// One message at a time, each from a new chat, waiting `spacing` after each reply.
pub async fn latency(
    run: &mut Running,
    first_chat: i64,
    n: usize,
    text: &str,
    spacing: Duration,
) -> Latency {
    run.drain();
    let mut samples = Vec::with_capacity(n);
    let mut lost = 0;
    let oxa0 = run.oxa.calls();
    let mut measured_cpu = run.cpu();
    for i in 0..WARMUP + n {
        if i == WARMUP {
            measured_cpu = run.cpu();
        }
        let chat = first_chat + i as i64;
        let id = run.tg.send_texts(&[(chat, text)])[0];
        match run.wait_for(chat, Duration::from_secs(10)).await {
            Some(at) if i >= WARMUP => {
                let handed = run.tg.handed_at(id).expect("a reply implies a hand-over");
                samples.push(at.saturating_duration_since(handed));
            }
            Some(_) => {}
            None => {
                lost += 1;
                if lost >= 5 {
                    eprintln!("  5 requests got no reply; run cut short");
                    break;
                }
            }
        }
        if !spacing.is_zero() {
            tokio::time::sleep(spacing).await;
        }
    }
    let cpu = run.cpu().saturating_sub(measured_cpu);
    Latency {
        stats: stats(&samples),
        lost,
        cpu_per_req: cpu / samples.len().max(1) as u32,
        oxapay_calls: (run.oxa.calls() - oxa0) as u64,
    }
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Throughput {
    pub total: usize,
    pub chats: usize,
    pub replied: usize,
    pub elapsed: Duration,
    pub per_sec: f64,
    pub cpu_per_update: Duration,
    pub bench_cpu_per_update: Duration,
    pub oxapay_calls: u64,
    pub mem_after: Mem,
}

/// `total` updates from `chats` chats, all queued at once and fetched by the bot 100 at a time.
pub async fn throughput(
    run: &mut Running,
    first_chat: i64,
    chats: usize,
    total: usize,
    text: &str,
) -> Throughput {
    run.drain();
    let texts: Vec<(i64, &str)> = (0..total)
        .map(|i| (first_chat + (i % chats) as i64, text))
        .collect();
    let (cpu0, self0, oxa0) = (run.cpu(), cpu_self(), run.oxa.calls());
    let ids = run.tg.send_texts(&texts);
    // Bounded: Telegram's default 30 messages/s plus a generous margin.
    let until = Instant::now() + Duration::from_secs_f64(total as f64 / 25.0 + 30.0);
    let mut replied = 0;
    let mut last = Instant::now();
    let range = first_chat..first_chat + chats as i64;
    while replied < total {
        let left = until.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, run.arrivals.recv()).await {
            Ok(Some(a)) if range.contains(&a.chat_id) => {
                replied += 1;
                last = a.at;
            }
            Ok(Some(_)) => {}
            _ => break,
        }
    }
    let (cpu, self_cpu) = (
        run.cpu().saturating_sub(cpu0),
        cpu_self().saturating_sub(self0),
    );
    let first = ids
        .iter()
        .filter_map(|id| run.tg.handed_at(*id))
        .min()
        .unwrap_or(last);
    let elapsed = last.saturating_duration_since(first);
    Throughput {
        total,
        chats,
        replied,
        elapsed,
        per_sec: replied as f64 / elapsed.as_secs_f64().max(1e-9),
        cpu_per_update: cpu / replied.max(1) as u32,
        bench_cpu_per_update: self_cpu / replied.max(1) as u32,
        oxapay_calls: (run.oxa.calls() - oxa0) as u64,
        mem_after: run.mem(),
    }
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Idle {
    pub mem: Mem,
    pub cpu_per_sec: Duration,
}

/// RSS and CPU after `settle` of doing nothing.
pub async fn idle(run: &Running, settle: Duration) -> Idle {
    let cpu0 = run.cpu();
    tokio::time::sleep(settle).await;
    Idle {
        mem: run.mem(),
        cpu_per_sec: (run.cpu().saturating_sub(cpu0)).div_f64(settle.as_secs_f64()),
    }
}
