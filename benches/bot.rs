//! Benchmarks, run by hand (not in CI): `cargo bench --locked --bench bot`.
//!
//! What it measures (`docs/BENCHMARKS.md` has the figures and how to read them):
//!
//! * latency: from the moment a fake Telegram hands an update over (the `getUpdates` answer is
//!   complete and returned) to the moment the matching `sendMessage` request arrives, for the
//!   shipped release binary `oxapay-bot` (`/balance`, `BALANCE_CACHE_SECS` 5 and 0, the fake
//!   OxaPay answering at once) and for the framework floor `examples/echo_floor.rs` (a text);
//! * throughput: replies per second with thousands of updates queued at once from many chats;
//! * footprint: RSS (`VmRSS`, `VmHWM`, anonymous vs file-backed), CPU time, binary sizes, time
//!   from spawn to the first `getUpdates`;
//! * the alert cycle: `Checker::cycle()` in this process, 10,000 chats × 3 thresholds.
//!
//! The bot and the echo floor run as subprocesses. `cargo bench` itself rebuilds
//! `target/release/oxapay-bot` with the dev-dependencies' features unified in (benches get
//! `CARGO_BIN_EXE_*`), which is not the binary the Dockerfile ships, so this bench first builds
//! the shipped one the Dockerfile's way, `cargo build --release --locked --bin oxapay-bot`, and
//! the echo floor, `cargo build --release --locked --example echo_floor`, both with
//! `--target-dir target/bench-shipped` (`BENCH_SKIP_BUILD=1` skips the builds).
//! The fakes (Telegram Bot API, OxaPay) are axum servers on 127.0.0.1 inside this process;
//! nothing leaves the machine. Every loop is bounded in count and time.
//!
//! The fakes are written here rather than taken from `tests/common/mod.rs`: the benchmark needs
//! the instant each update is handed over and each `sendMessage` arrives, a queue that takes
//! thousands of updates at once, and long polls as long as the bot asks for (the test harness
//! caps them at 2 s); the harness records none of that.
//!
//! Knobs: `BENCH_LATENCY_N` (measured requests per latency run, default 500, after 10 warm-up
//! requests), `BENCH_QUICK=1` (small runs, to check that the bench works),
//! `BENCH_ONLY=inprocess` (only the in-process parts: no build, no subprocesses),
//! `BENCH_BOT_BIN=PATH`, `BENCH_ECHO_BIN=PATH` (measure other builds, e.g. with other profile
//! settings, in place of the shipped ones).

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use oxapay_bot::alerts;
use oxapay_bot::alerts::checker::Checker;
use oxapay_bot::balance_source::BalanceSource;
use oxapay_bot::oxapay::{BalanceApi, LegacyClient};
use oxapay_bot::store::Store;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tokio::sync::{Notify, mpsc};
use tokio_util::sync::CancellationToken;

const TOKEN: &str = "123456789:BENCH-bot-token_abcdef";
const KEY: &str = "bench-payout-key-0001";
const ADMIN: i64 = 1;
/// Users allowed by an admin (rows in `allowed_chats`): chats `USER_BASE..USER_BASE + USERS`.
const USER_BASE: i64 = 10_000_000;
const USERS: i64 = 3_000;
/// Chat ranges (offsets from `USER_BASE`) per kind of run, so no chat is reused within a process.
const SPACED_AT: i64 = 0;
const BACK_TO_BACK_AT: i64 = 1_100;
const THROUGHPUT_AT: i64 = 2_200;
const WARMUP: usize = 10;
/// Pause after each reply in the spaced runs: requests never overlap, and the process goes idle
/// between them as it does under real, sparse traffic.
const SPACING: Duration = Duration::from_millis(50);
/// Throttle's worker sleeps 250 ms after every round in which it released a message; a request
/// spaced further than that from the previous reply is never held by it.
const THROTTLE_SPACING: Duration = Duration::from_millis(275);

/// The account the fake OxaPay reports to `/balance` runs.
const ACCOUNT: &str = r#"{"result":100,"message":"Successful operation","data":{"BTC":"0.01234567","DOGE":"0","ETH":"1.5","LTC":"12.5","TON":"42.0001","TRX":"0","USDC":"1200","USDT":"98765.4321"}}"#;

// ----- fake Telegram Bot API -----------------------------------------------------------------

struct Arrival {
    chat_id: i64,
    at: Instant,
}

#[derive(Default)]
struct TgState {
    pending: VecDeque<(i64, Value)>,
    next_update_id: i64,
    next_message_id: i64,
    handed: HashMap<i64, Instant>,
    first_poll: Option<Instant>,
}

struct TgShared {
    state: Mutex<TgState>,
    ready: Notify,
    arrivals: mpsc::UnboundedSender<Arrival>,
    stop: CancellationToken,
}

#[derive(Clone)]
struct FakeTelegram {
    s: Arc<TgShared>,
    url: String,
}

impl FakeTelegram {
    async fn start() -> (Self, mpsc::UnboundedReceiver<Arrival>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let s = Arc::new(TgShared {
            state: Mutex::new(TgState {
                next_update_id: 1,
                next_message_id: 1,
                ..TgState::default()
            }),
            ready: Notify::new(),
            arrivals: tx,
            stop: CancellationToken::new(),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let tg = FakeTelegram { s, url };
        let app = Router::new()
            .route("/{token}/{method}", post(tg_handler))
            .with_state(tg.clone());
        let stop = tg.s.stop.clone();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move { stop.cancelled().await })
                .await;
        });
        (tg, rx)
    }

    /// Queues one private-chat text message per item; returns their update ids.
    fn push(&self, items: &[(i64, &str)]) -> Vec<i64> {
        let mut ids = Vec::with_capacity(items.len());
        {
            let mut g = self.s.state.lock().unwrap();
            let date = chrono::Utc::now().timestamp();
            for (chat, text) in items {
                let id = g.next_update_id;
                g.next_update_id += 1;
                let mid = g.next_message_id;
                g.next_message_id += 1;
                let update = json!({
                    "update_id": id,
                    "message": {
                        "message_id": mid,
                        "date": date,
                        "chat": { "id": chat, "type": "private", "first_name": "User" },
                        "from": { "id": chat, "is_bot": false, "first_name": "User" },
                        "text": text,
                    }
                });
                g.pending.push_back((id, update));
                ids.push(id);
            }
        }
        self.s.ready.notify_waiters();
        ids
    }

    fn handed_at(&self, update_id: i64) -> Option<Instant> {
        self.s.state.lock().unwrap().handed.get(&update_id).copied()
    }

    fn first_poll(&self) -> Option<Instant> {
        self.s.state.lock().unwrap().first_poll
    }

    fn stop(&self) {
        self.s.stop.cancel();
    }
}

fn json_response(body: Vec<u8>) -> Response {
    ([(CONTENT_TYPE, "application/json")], body).into_response()
}

fn ok(result: Value) -> Response {
    json_response(serde_json::to_vec(&json!({ "ok": true, "result": result })).unwrap())
}

async fn tg_handler(
    State(tg): State<FakeTelegram>,
    UrlPath((_token, method)): UrlPath<(String, String)>,
    body: Bytes,
) -> Response {
    let arrived = Instant::now();
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    match method.to_ascii_lowercase().as_str() {
        "getupdates" => get_updates(&tg, &body).await,
        "sendmessage" => {
            let chat_id = match &body["chat_id"] {
                Value::Number(n) => n.as_i64().unwrap_or(0),
                Value::String(s) => s.parse().unwrap_or(0),
                _ => 0,
            };
            let _ = tg.s.arrivals.send(Arrival {
                chat_id,
                at: arrived,
            });
            let mid = {
                let mut g = tg.s.state.lock().unwrap();
                g.next_message_id += 1;
                g.next_message_id
            };
            ok(json!({
                "message_id": mid,
                "date": chrono::Utc::now().timestamp(),
                "chat": { "id": chat_id, "type": "private", "first_name": "User" },
                "from": { "id": 999, "is_bot": true, "first_name": "Bench", "username": "benchbot" },
                "text": body["text"],
            }))
        }
        "getme" => ok(json!({
            "id": 999, "is_bot": true, "first_name": "Bench", "username": "benchbot",
            "can_join_groups": true, "can_read_all_group_messages": false,
            "supports_inline_queries": false, "has_main_web_app": false
        })),
        "getwebhookinfo" => {
            ok(json!({ "url": "", "has_custom_certificate": false, "pending_update_count": 0 }))
        }
        "deletewebhook" | "setmycommands" => ok(json!(true)),
        _ => (
            axum::http::StatusCode::NOT_FOUND,
            [(CONTENT_TYPE, "application/json")],
            r#"{"ok":false,"error_code":404,"description":"Not Found"}"#,
        )
            .into_response(),
    }
}

/// Long polling as Telegram does it: answers at once when updates wait, else holds the request
/// until one comes or the bot's own `timeout` (at most 10 s here) runs out.
async fn get_updates(tg: &FakeTelegram, body: &Value) -> Response {
    let offset = body["offset"].as_i64().unwrap_or(0);
    let limit = body["limit"].as_u64().unwrap_or(100).clamp(1, 100) as usize;
    let timeout = Duration::from_secs(body["timeout"].as_u64().unwrap_or(0).min(10));
    let deadline = Instant::now() + timeout;
    {
        let mut g = tg.s.state.lock().unwrap();
        if g.first_poll.is_none() {
            g.first_poll = Some(Instant::now());
        }
    }
    loop {
        let notified = tg.s.ready.notified();
        {
            let mut g = tg.s.state.lock().unwrap();
            while g.pending.front().is_some_and(|(id, _)| *id < offset) {
                g.pending.pop_front();
            }
            if !g.pending.is_empty() {
                let batch: Vec<Value> = g
                    .pending
                    .iter()
                    .take(limit)
                    .map(|(_, u)| u.clone())
                    .collect();
                let ids: Vec<i64> = g.pending.iter().take(limit).map(|(id, _)| *id).collect();
                let bytes = serde_json::to_vec(&json!({ "ok": true, "result": batch })).unwrap();
                // The hand-over instant: the answer is complete and is written right after.
                let now = Instant::now();
                for id in ids {
                    g.handed.entry(id).or_insert(now);
                }
                return json_response(bytes);
            }
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return ok(json!([]));
        }
        let _ = tokio::time::timeout(left, notified).await;
    }
}

// ----- fake OxaPay -----------------------------------------------------------------------------

#[derive(Clone)]
struct FakeOxaPay {
    body: Arc<Mutex<String>>,
    calls: Arc<AtomicU64>,
    url: String,
    stop: CancellationToken,
}

impl FakeOxaPay {
    async fn start(body: &str) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let oxa = FakeOxaPay {
            body: Arc::new(Mutex::new(body.to_owned())),
            calls: Arc::new(AtomicU64::new(0)),
            url: format!("http://{}", listener.local_addr().unwrap()),
            stop: CancellationToken::new(),
        };
        let app = Router::new()
            .route(
                "/api/balance",
                post(|State(o): State<FakeOxaPay>| async move {
                    o.calls.fetch_add(1, Ordering::Relaxed);
                    let body = o.body.lock().unwrap().clone();
                    json_response(body.into_bytes())
                }),
            )
            .with_state(oxa.clone());
        let stop = oxa.stop.clone();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move { stop.cancelled().await })
                .await;
        });
        oxa
    }

    fn set(&self, body: String) {
        *self.body.lock().unwrap() = body;
    }

    fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }
}

fn balances_body(pairs: &[(&str, &str)]) -> String {
    let data: serde_json::Map<String, Value> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
        .collect();
    json!({ "result": 100, "message": "Successful operation", "data": data }).to_string()
}

// ----- processes and /proc ---------------------------------------------------------------------

#[derive(Debug, Clone, Copy, Default)]
struct Mem {
    rss_kb: u64,
    hwm_kb: u64,
    /// Heap, stacks and other private memory.
    anon_kb: u64,
    /// Pages of the binary and of shared libraries that were touched.
    file_kb: u64,
    /// The part of `file_kb` that is the executable itself (from `/proc/PID/smaps`).
    exe_kb: u64,
}

fn mem_of(pid: &str) -> Mem {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    Mem {
        rss_kb: field("VmRSS:"),
        hwm_kb: field("VmHWM:"),
        anon_kb: field("RssAnon:"),
        file_kb: field("RssFile:"),
        exe_kb: exe_rss_kb(pid),
    }
}

/// Resident pages of the mappings backed by the process's own executable file.
fn exe_rss_kb(pid: &str) -> u64 {
    let Ok(exe) = std::fs::read_link(format!("/proc/{pid}/exe")) else {
        return 0;
    };
    let exe = exe.to_string_lossy().into_owned();
    let smaps = std::fs::read_to_string(format!("/proc/{pid}/smaps")).unwrap_or_default();
    let mut in_exe = false;
    let mut total = 0;
    for line in smaps.lines() {
        if let Some(kb) = line.strip_prefix("Rss:") {
            if in_exe {
                total += kb
                    .split_whitespace()
                    .next()
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(0);
            }
        } else if line
            .split_whitespace()
            .next()
            .is_some_and(|w| w.contains('-'))
            && line.as_bytes().first().is_some_and(u8::is_ascii_hexdigit)
        {
            // A mapping header: "start-end perms offset dev inode   path".
            in_exe = line.ends_with(exe.as_str());
        }
    }
    total
}

/// User + system CPU time of a process (all its threads, live and exited).
fn cpu_of(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<u64> = after
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    // After the command name: state is field 3 of stat(5), utime 14 and stime 15.
    let ticks = f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0);
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    Duration::from_micros(ticks * 1_000_000 / hz)
}

fn cpu_self() -> Duration {
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1_000);
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

struct Proc {
    child: std::process::Child,
    spawned: Instant,
    label: String,
    log: PathBuf,
}

impl Proc {
    fn spawn(label: &str, program: &Path, env: &[(&str, String)], dir: &Path) -> Proc {
        let log = dir.join(format!("{label}.log"));
        let file = std::fs::File::create(&log).unwrap();
        let mut cmd = Command::new(program);
        cmd.current_dir(dir)
            .env_clear()
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdin(Stdio::null())
            .stdout(file.try_clone().unwrap())
            .stderr(file);
        // If this bench dies, its children die with it.
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        let spawned = Instant::now();
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
        Proc {
            child,
            spawned,
            label: label.to_owned(),
            log,
        }
    }

    fn mem(&self) -> Mem {
        mem_of(&self.child.id().to_string())
    }

    fn cpu(&self) -> Duration {
        cpu_of(self.child.id())
    }

    /// SIGTERM, then SIGKILL after 5 s.
    fn stop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
            let until = Instant::now() + Duration::from_secs(5);
            while Instant::now() < until {
                if !matches!(self.child.try_wait(), Ok(None)) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

// ----- statistics --------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, Default)]
struct Stats {
    n: usize,
    p50: Duration,
    p90: Duration,
    p99: Duration,
    max: Duration,
    mean: Duration,
}

fn stats(samples: &[Duration]) -> Stats {
    if samples.is_empty() {
        return Stats::default();
    }
    let mut s = samples.to_vec();
    s.sort();
    // Nearest rank.
    let rank = |p: f64| s[((p * s.len() as f64).ceil() as usize).clamp(1, s.len()) - 1];
    Stats {
        n: s.len(),
        p50: rank(0.50),
        p90: rank(0.90),
        p99: rank(0.99),
        max: *s.last().unwrap(),
        mean: s.iter().sum::<Duration>() / s.len() as u32,
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e3)
}

fn mb(kb: u64) -> String {
    format!("{:.1}", kb as f64 / 1024.0)
}

// ----- one running bot against its own fakes --------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// The shipped release binary.
    Bot,
    /// The echo floor, replying through the plain `Bot` as the real bot replies.
    Echo,
    /// The echo floor, replying through `Throttle` with Telegram's default limits.
    EchoThrottled,
}

struct Running {
    proc: Proc,
    tg: FakeTelegram,
    arrivals: mpsc::UnboundedReceiver<Arrival>,
    oxa: FakeOxaPay,
    startup: Duration,
    _dir: tempfile::TempDir,
}

struct Bins {
    bot: PathBuf,
    echo: PathBuf,
}

/// A database with migrations applied and `USERS` allowed chats, as an admin would leave it.
async fn prepare_db(url: &str) {
    let store = Store::open(url).await.expect("bench database");
    let now = chrono::Utc::now().timestamp();
    for k in 0..USERS {
        store.allow(USER_BASE + k, ADMIN, now).await.unwrap();
    }
    store.close().await;
}

/// Starts one process against fresh fakes and waits for its first `getUpdates`. The bot gets a
/// database with `USERS` allowed chats unless `fresh_db`.
async fn start(kind: Kind, cache_secs: u64, bins: &Bins, fresh_db: bool) -> Running {
    let (tg, arrivals) = FakeTelegram::start().await;
    let oxa = FakeOxaPay::start(ACCOUNT).await;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("bot.db").display());
    let mut env: Vec<(&str, String)> = vec![
        ("TELOXIDE_TOKEN", TOKEN.to_owned()),
        ("TELEGRAM_API_URL", tg.url.clone()),
    ];
    let (label, program) = match kind {
        Kind::Bot => {
            if !fresh_db {
                prepare_db(&db).await;
            }
            env.extend([
                ("OXAPAY_PAYOUT_API_KEY", KEY.to_owned()),
                ("OXAPAY_API_URL", oxa.url.clone()),
                ("DATABASE_URL", db),
                ("ADMIN_IDS", ADMIN.to_string()),
                ("BALANCE_CACHE_SECS", cache_secs.to_string()),
                // Shipped defaults, stated so that the caller's environment cannot change them.
                ("RUST_LOG", "info".to_owned()),
                ("ALERT_INTERVAL_SECS", "300".to_owned()),
            ]);
            ("bot", bins.bot.clone())
        }
        Kind::Echo => ("echo", bins.echo.clone()),
        Kind::EchoThrottled => {
            env.push(("ECHO_FLOOR_THROTTLE", "1".to_owned()));
            ("echo-throttled", bins.echo.clone())
        }
    };
    let proc = Proc::spawn(label, &program, &env, dir.path());
    let until = Instant::now() + Duration::from_secs(30);
    let startup = loop {
        if let Some(at) = tg.first_poll() {
            break at.saturating_duration_since(proc.spawned);
        }
        if Instant::now() > until {
            let log = std::fs::read_to_string(&proc.log).unwrap_or_default();
            panic!("{label} did not poll within 30 s; its log:\n{log}");
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    };
    Running {
        proc,
        tg,
        arrivals,
        oxa,
        startup,
        _dir: dir,
    }
}

impl Running {
    fn drain(&mut self) {
        while self.arrivals.try_recv().is_ok() {}
    }

    async fn wait_for(&mut self, chat: i64, timeout: Duration) -> Option<Instant> {
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

    fn stop(mut self) {
        self.proc.stop();
        self.tg.stop();
        self.oxa.stop.cancel();
        let log = std::fs::read_to_string(&self.proc.log).unwrap_or_default();
        let errors = log
            .lines()
            .filter(|l| l.contains("ERROR") || l.contains("WARN") || l.contains("panicked"))
            .count();
        if errors > 0 {
            eprintln!(
                "  note: {} logged {errors} warning/error lines, the first ones:",
                self.proc.label
            );
            for line in log
                .lines()
                .filter(|l| l.contains("ERROR") || l.contains("WARN") || l.contains("panicked"))
                .take(3)
            {
                eprintln!("    {line}");
            }
        }
    }

    /// SIGKILL: for start-up probes, whose state is thrown away.
    fn kill(mut self) {
        let _ = self.proc.child.kill();
        let _ = self.proc.child.wait();
        self.tg.stop();
        self.oxa.stop.cancel();
    }
}

/// Spawn → first `getUpdates`, `reps` times (each process killed right after), sorted.
async fn startup_probe(kind: Kind, fresh_db: bool, bins: &Bins, reps: usize) -> Vec<Duration> {
    let mut v = Vec::with_capacity(reps);
    for _ in 0..reps {
        let run = start(kind, 5, bins, fresh_db).await;
        v.push(run.startup);
        run.kill();
    }
    v.sort();
    v
}

#[derive(Debug, Default, Clone, Copy)]
struct Latency {
    stats: Stats,
    lost: usize,
    cpu_per_req: Duration,
    oxapay_calls: u64,
}

/// One message at a time, each from a new chat, waiting `spacing` after each reply.
async fn latency(
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
    let mut measured_cpu = run.proc.cpu();
    for i in 0..WARMUP + n {
        if i == WARMUP {
            measured_cpu = run.proc.cpu();
        }
        let chat = first_chat + i as i64;
        let id = run.tg.push(&[(chat, text)])[0];
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
    let cpu = run.proc.cpu().saturating_sub(measured_cpu);
    Latency {
        stats: stats(&samples),
        lost,
        cpu_per_req: cpu / samples.len().max(1) as u32,
        oxapay_calls: run.oxa.calls() - oxa0,
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct Throughput {
    total: usize,
    chats: usize,
    replied: usize,
    elapsed: Duration,
    per_sec: f64,
    cpu_per_update: Duration,
    bench_cpu_per_update: Duration,
    oxapay_calls: u64,
    mem_after: Mem,
}

/// `total` updates from `chats` chats, all queued at once and fetched by the bot 100 at a time.
async fn throughput(
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
    let (cpu0, self0, oxa0) = (run.proc.cpu(), cpu_self(), run.oxa.calls());
    let ids = run.tg.push(&texts);
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
        run.proc.cpu().saturating_sub(cpu0),
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
        oxapay_calls: run.oxa.calls() - oxa0,
        mem_after: run.proc.mem(),
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct Idle {
    mem: Mem,
    cpu_per_sec: Duration,
}

/// RSS and CPU after `settle` of doing nothing.
async fn idle(run: &Running, settle: Duration) -> Idle {
    let cpu0 = run.proc.cpu();
    tokio::time::sleep(settle).await;
    Idle {
        mem: run.proc.mem(),
        cpu_per_sec: (run.proc.cpu().saturating_sub(cpu0)).div_f64(settle.as_secs_f64()),
    }
}

// ----- alert cycle, in process -----------------------------------------------------------------

#[derive(Debug, Default, Clone, Copy)]
struct CycleRun {
    wall: Duration,
    cpu: Duration,
    rss_before_kb: u64,
    rss_after_kb: u64,
    peak_kb: u64,
    thresholds: usize,
    transitions: usize,
    messages: usize,
}

fn self_mem() -> Mem {
    mem_of("self")
}

/// `VmHWM` from here on is this phase's peak (Linux ≥ 4.0).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

async fn measure_cycle(checker: &Checker) -> CycleRun {
    reset_peak();
    let before = self_mem();
    let (c0, t0) = (cpu_self(), Instant::now());
    let r = checker.cycle().await.expect("cycle");
    let (wall, cpu) = (t0.elapsed(), cpu_self().saturating_sub(c0));
    let after = self_mem();
    CycleRun {
        wall,
        cpu,
        rss_before_kb: before.rss_kb,
        rss_after_kb: after.rss_kb,
        peak_kb: after.hwm_kb,
        thresholds: r.thresholds,
        transitions: r.transitions,
        messages: r.messages,
    }
}

struct CycleReport {
    chats: i64,
    populate: Duration,
    fresh: CycleRun,
    steady: Vec<CycleRun>,
    moving: Vec<CycleRun>,
    load_rows: Vec<(Duration, Duration)>,
    evaluate: Vec<(Duration, Duration)>,
    oxapay_read: Vec<(Duration, Duration)>,
    sql: SqlParts,
}

/// The same database work as a cycle, done with plain sqlx on a second connection, to tell
/// SQLite's own cost from the per-row and per-statement cost around it. Wall / CPU each.
#[derive(Debug, Default, Clone, Copy)]
struct SqlParts {
    /// SQLite reads every column of every row, returning one number: no rows cross threads.
    engine_scan: (Duration, Duration),
    /// The `all_thresholds` query fetched into plain tuples: no `Threshold` parsing.
    tuples: (Duration, Duration),
    /// The same rows as one `json_group_array` value, parsed by serde_json, levels into `Decimal`.
    one_json: (Duration, Duration),
    one_json_rows: usize,
    updates: usize,
    /// `updates` single-row UPDATEs in one transaction, as `Store::record_check` does them.
    per_statement: (Duration, Duration),
    /// The same rows changed by one UPDATE … FROM json_each(?) statement.
    batched: (Duration, Duration),
    batched_rows: u64,
}

async fn timed<T>(f: impl Future<Output = T>) -> (T, (Duration, Duration)) {
    let (c0, t0) = (cpu_self(), Instant::now());
    let out = f.await;
    (out, (t0.elapsed(), cpu_self().saturating_sub(c0)))
}

const SELECT_THRESHOLDS: &str = "SELECT chat_id, currency, level, state, low_since, last_alert_at \
     FROM thresholds WHERE chat_id NOT IN (SELECT chat_id FROM paused_chats) \
     ORDER BY chat_id, currency";

type Row = (i64, String, String, String, Option<i64>, Option<i64>);

async fn sql_parts(url: &str, updates: usize) -> SqlParts {
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .unwrap();
    let (_, engine_scan) = timed(
        sqlx::query_scalar::<_, i64>(
            "SELECT sum(chat_id + length(currency) + length(level) + length(state) \
             + coalesce(low_since, 0) + coalesce(last_alert_at, 0)) FROM thresholds \
             WHERE chat_id NOT IN (SELECT chat_id FROM paused_chats)",
        )
        .fetch_one(&pool),
    )
    .await;
    let (rows, tuples) = timed(sqlx::query_as::<_, Row>(SELECT_THRESHOLDS).fetch_all(&pool)).await;
    let rows = rows.unwrap();
    let (one_json_rows, one_json) = timed(async {
        let text: String = sqlx::query_scalar(&format!(
            "SELECT json_group_array(json_array(chat_id, currency, level, state, low_since, \
             last_alert_at)) FROM ({SELECT_THRESHOLDS})"
        ))
        .fetch_one(&pool)
        .await
        .unwrap();
        let parsed: Vec<Row> = serde_json::from_str(&text).unwrap();
        let levels: Vec<Decimal> = parsed
            .iter()
            .map(|r| r.2.parse::<Decimal>().unwrap())
            .collect();
        std::hint::black_box(&levels);
        parsed.len()
    })
    .await;
    // Every tenth row: spread over the table as real transitions are.
    let picked: Vec<&Row> = rows.iter().step_by(10).take(updates).collect();

    let mut tx = pool.begin().await.unwrap();
    let (_, per_statement) = timed(async {
        for (chat, cur, level, state, since, last) in &picked {
            sqlx::query(
                "UPDATE thresholds SET state = ?1, low_since = ?2, last_alert_at = ?3 \
                 WHERE chat_id = ?4 AND currency = ?5 AND level = ?6",
            )
            .bind(state)
            .bind(since)
            .bind(last)
            .bind(chat)
            .bind(cur)
            .bind(level)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    })
    .await;
    tx.rollback().await.unwrap();

    let mut tx = pool.begin().await.unwrap();
    let (batched_rows, batched) = timed(async {
        let json = serde_json::to_string(&picked).unwrap();
        sqlx::query(
            "UPDATE thresholds SET state = json_extract(u.value, '$[3]'), \
                 low_since = json_extract(u.value, '$[4]'), \
                 last_alert_at = json_extract(u.value, '$[5]') \
             FROM json_each(?1) AS u \
             WHERE thresholds.chat_id = json_extract(u.value, '$[0]') \
               AND thresholds.currency = json_extract(u.value, '$[1]') \
               AND thresholds.level = json_extract(u.value, '$[2]')",
        )
        .bind(json)
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected()
    })
    .await;
    tx.rollback().await.unwrap();
    pool.close().await;
    SqlParts {
        engine_scan,
        tuples,
        one_json,
        one_json_rows,
        updates: picked.len(),
        per_statement,
        batched,
        batched_rows,
    }
}

/// Per-call cost of the pieces of a `/balance` reply, in this process (wall / CPU each, mean).
#[derive(Debug, Default, Clone, Copy)]
struct CommandParts {
    calls: u32,
    /// `Store::access`, which every command runs.
    store_checks: (Duration, Duration),
    /// What it replaced: an allowed-chat query and a paused-chat query, on a pool like the
    /// Store's that pings the connection before each acquire (sqlx's default) or not; and the
    /// two answers from one query on the non-pinging pool (what `Store::access` does).
    raw_ping: (Duration, Duration),
    raw_no_ping: (Duration, Duration),
    one_query_no_ping: (Duration, Duration),
    parse_oxapay: (Duration, Duration),
    format: (Duration, Duration),
    split: (Duration, Duration),
    parse_command: (Duration, Duration),
    reply_bytes: usize,
}

fn timed_sync<T>(f: impl FnOnce() -> T) -> (T, (Duration, Duration)) {
    let (c0, t0) = (cpu_self(), Instant::now());
    let out = f();
    (out, (t0.elapsed(), cpu_self().saturating_sub(c0)))
}

fn per_call(t: (Duration, Duration), n: u32) -> (Duration, Duration) {
    (t.0 / n, t.1 / n)
}

async fn command_parts() -> CommandParts {
    use oxapay_bot::telegram::commands::Command;
    use oxapay_bot::telegram::messages;
    use teloxide::utils::command::BotCommands;

    const N: u32 = 2_000;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("parts.db").display());
    prepare_db(&url).await;
    let store = Store::open(&url).await.unwrap();
    let uid = |i: u32| USER_BASE + i64::from(i) % USERS;
    // Warm the connection and its statement cache, as a running bot has them.
    for i in 0..100 {
        let _ = store.access(Some(uid(i)), uid(i)).await;
    }
    let (_, store_checks) = timed(async {
        for i in 0..N {
            std::hint::black_box(store.access(Some(uid(i)), uid(i)).await.unwrap());
        }
    })
    .await;
    store.close().await;

    let pool = |ping: bool| {
        let options = sqlx::sqlite::SqliteConnectOptions::from_str(&url)
            .unwrap()
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(4)
            .test_before_acquire(ping)
            .connect_with(options)
    };
    let two_queries = |pool: sqlx::SqlitePool| async move {
        for i in 0..100 + N {
            let (a, b) = (uid(i), uid(i));
            let allowed: Option<i64> = sqlx::query_scalar(
                "SELECT 1 FROM allowed_chats WHERE chat_id = ?1 OR chat_id = ?2 LIMIT 1",
            )
            .bind(a)
            .bind(b)
            .fetch_optional(&pool)
            .await
            .unwrap();
            let paused: Option<i64> =
                sqlx::query_scalar("SELECT 1 FROM paused_chats WHERE chat_id = ?1")
                    .bind(b)
                    .fetch_optional(&pool)
                    .await
                    .unwrap();
            std::hint::black_box((allowed, paused));
        }
        pool.close().await;
    };
    let (_, raw_ping) = timed(two_queries(pool(true).await.unwrap())).await;
    let (_, raw_no_ping) = timed(two_queries(pool(false).await.unwrap())).await;
    let one = pool(false).await.unwrap();
    let (_, one_query_no_ping) = timed(async {
        for i in 0..100 + N {
            let row: (bool, bool) = sqlx::query_as(
                "SELECT EXISTS (SELECT 1 FROM allowed_chats WHERE chat_id = ?1 OR chat_id = ?2), \
                        EXISTS (SELECT 1 FROM paused_chats WHERE chat_id = ?2)",
            )
            .bind(uid(i))
            .bind(uid(i))
            .fetch_one(&one)
            .await
            .unwrap();
            std::hint::black_box(row);
        }
    })
    .await;
    one.close().await;

    let (_, parse_oxapay) = timed_sync(|| {
        for _ in 0..N {
            std::hint::black_box(
                oxapay_bot::oxapay::parse_balance_response(200, None, ACCOUNT.as_bytes()).unwrap(),
            );
        }
    });
    let balances =
        oxapay_bot::oxapay::parse_balance_response(200, None, ACCOUNT.as_bytes()).unwrap();
    let at = chrono::Utc::now();
    let (_, format) = timed_sync(|| {
        for _ in 0..N {
            std::hint::black_box(messages::balances(
                &balances,
                at,
                messages::PriceView::Unavailable("No prices."),
                false,
            ));
        }
    });
    let text = messages::balances(
        &balances,
        at,
        messages::PriceView::Unavailable("No prices."),
        false,
    );
    let (_, split) = timed_sync(|| {
        for _ in 0..N {
            std::hint::black_box(messages::split_html(&text, messages::MESSAGE_LIMIT));
        }
    });
    let (_, parse_command) = timed_sync(|| {
        for _ in 0..N {
            std::hint::black_box(Command::parse("/balance", "benchbot").unwrap());
        }
    });
    CommandParts {
        calls: N,
        store_checks: per_call(store_checks, N),
        raw_ping: per_call(raw_ping, 100 + N),
        raw_no_ping: per_call(raw_no_ping, 100 + N),
        one_query_no_ping: per_call(one_query_no_ping, 100 + N),
        parse_oxapay: per_call(parse_oxapay, N),
        format: per_call(format, N),
        split: per_call(split, N),
        parse_command: per_call(parse_command, N),
        reply_bytes: text.len(),
    }
}

fn print_command_parts(p: &CommandParts) {
    let us = |d: Duration| format!("{:.2}", d.as_secs_f64() * 1e6);
    let row =
        |name: &str, t: (Duration, Duration)| println!("| {name} | {} / {} |", us(t.0), us(t.1));
    println!();
    println!(
        "## Pieces of a /balance reply, in process (mean of {} calls, wall / CPU µs)",
        p.calls
    );
    println!();
    println!("| piece | wall / CPU µs |\n|---|---|");
    row(
        "Store::access (allowed? paused?), as every command runs it",
        p.store_checks,
    );
    row(
        "before: two queries (allowed, paused), sqlx pool with test_before_acquire(true), the default",
        p.raw_ping,
    );
    row(
        "the same two queries, test_before_acquire(false)",
        p.raw_no_ping,
    );
    row(
        "both answers from one query, test_before_acquire(false) (what Store::access does)",
        p.one_query_no_ping,
    );
    row(
        "oxapay::parse_balance_response, 8 currencies",
        p.parse_oxapay,
    );
    row(
        &format!(
            "messages::balances, 6 non-zero rows ({} bytes)",
            p.reply_bytes
        ),
        p.format,
    );
    row("messages::split_html of that reply", p.split);
    row("Command::parse(\"/balance\")", p.parse_command);
}

const CURRENCIES: [&str; 3] = ["BTC", "USDT", "LTC"];

/// Levels 1..=100 steps of each currency's unit, spread over the chats differently per currency.
fn level(chat: i64, currency: usize) -> Decimal {
    let step = [Decimal::new(1, 2), Decimal::from(10), Decimal::new(1, 1)][currency];
    let k = (chat * [1, 7, 13][currency]) % 100 + 1;
    step * Decimal::from(k)
}

async fn alert_cycle(chats: i64) -> CycleReport {
    // Balances A: about half of every currency's thresholds are low.
    let a = balances_body(&[("BTC", "0.505"), ("USDT", "505"), ("LTC", "5.05")]);
    // Balances B: 15 % of BTC thresholds recover and 15 % of USDT ones go low (10 % of all).
    let b = balances_body(&[("BTC", "0.655"), ("USDT", "355"), ("LTC", "5.05")]);
    let oxa = FakeOxaPay::start(&a).await;
    let (tg, _arrivals) = FakeTelegram::start().await;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("alerts.db").display());
    let store = Store::open(&url).await.unwrap();
    let now = chrono::Utc::now().timestamp();
    let t0 = Instant::now();
    for chat in 0..chats {
        for (i, cur) in CURRENCIES.iter().enumerate() {
            store
                .set_threshold(
                    20_000_000 + chat,
                    cur,
                    oxapay_bot::alerts::Direction::Below,
                    level(chat, i),
                    20_000_000 + chat,
                    now,
                )
                .await
                .unwrap();
        }
    }
    let populate = t0.elapsed();

    let client = BalanceApi::Legacy(
        LegacyClient::new(
            &reqwest::Url::parse(&oxa.url).unwrap(),
            secrecy::SecretString::from(KEY.to_owned()),
            Duration::from_secs(10),
        )
        .unwrap(),
    );
    // No cache: every cycle reads OxaPay, as it does in production (interval ≫ cache).
    let source = Arc::new(BalanceSource::new(client, Duration::ZERO));
    // No level watches the total here, so prices are never read.
    let prices = Arc::new(oxapay_bot::price_source::PriceSource::new(
        oxapay_bot::oxapay::PricesClient::new(
            &reqwest::Url::parse(&oxa.url).unwrap(),
            Duration::from_secs(10),
        )
        .unwrap(),
        Duration::ZERO,
    ));
    let checker = Checker {
        store: store.clone(),
        source: source.clone(),
        prices,
        admins: BTreeSet::from([ADMIN]),
        interval: Duration::from_secs(300),
        repeat: None,
        failures_before_notice: 3,
        progress: Default::default(),
        wake: Default::default(),
    };

    let fresh = measure_cycle(&checker).await;
    let mut steady = Vec::new();
    for _ in 0..5 {
        steady.push(measure_cycle(&checker).await);
    }
    let mut moving = Vec::new();
    for i in 0..4 {
        oxa.set(if i % 2 == 0 { b.clone() } else { a.clone() });
        moving.push(measure_cycle(&checker).await);
    }

    // Where a steady cycle's time goes.
    let mut load_rows = Vec::new();
    let mut evaluate = Vec::new();
    let mut oxapay_read = Vec::new();
    for _ in 0..3 {
        let (c0, t0) = (cpu_self(), Instant::now());
        let (rows, _) = store
            .all_thresholds(Some(&BTreeSet::from([ADMIN])))
            .await
            .unwrap();
        load_rows.push((t0.elapsed(), cpu_self().saturating_sub(c0)));
        let snap = source.read().await.unwrap();
        let (c0, t0) = (cpu_self(), Instant::now());
        let tr = alerts::evaluate(
            &rows,
            Ok(alerts::Reading::balances(&snap.balances)),
            now,
            None,
        );
        std::hint::black_box(tr);
        evaluate.push((t0.elapsed(), cpu_self().saturating_sub(c0)));
        let (c0, t0) = (cpu_self(), Instant::now());
        std::hint::black_box(source.read().await.unwrap());
        oxapay_read.push((t0.elapsed(), cpu_self().saturating_sub(c0)));
    }
    let sql = sql_parts(&url, 3_000).await;
    store.close().await;
    oxa.stop.cancel();
    tg.stop();
    CycleReport {
        chats,
        populate,
        fresh,
        steady,
        moving,
        load_rows,
        evaluate,
        oxapay_read,
        sql,
    }
}

fn median_run(runs: &[CycleRun]) -> CycleRun {
    let mut v = runs.to_vec();
    v.sort_by_key(|r| r.cpu);
    v[v.len() / 2]
}

fn median_pair(v: &[(Duration, Duration)]) -> (Duration, Duration) {
    let mut v = v.to_vec();
    v.sort_by_key(|p| p.1);
    v[v.len() / 2]
}

// ----- main ------------------------------------------------------------------------------------

/// Builds the binaries exactly as shipped (the Dockerfile's `cargo build --release --locked
/// --bin oxapay-bot`) and the echo floor, in their own target directory: `cargo bench` itself
/// rebuilds `target/release/oxapay-bot` with the dev-dependencies' features unified in (benches
/// get `CARGO_BIN_EXE_*`), which is not the shipped binary.
fn build_binaries(root: &Path, target_dir: &Path) {
    if std::env::var_os("BENCH_SKIP_BUILD").is_some() {
        return;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for what in [["--bin", "oxapay-bot"], ["--example", "echo_floor"]] {
        eprintln!(
            "building: cargo build --release --locked --target-dir {} {} {}",
            target_dir.display(),
            what[0],
            what[1]
        );
        let status = Command::new(&cargo)
            .current_dir(root)
            .args(["build", "--release", "--locked", "--target-dir"])
            .arg(target_dir)
            .args(what)
            .status()
            .expect("cargo runs");
        assert!(status.success(), "the release build failed");
    }
}

fn main() -> ExitCode {
    let quick = std::env::var_os("BENCH_QUICK").is_some();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    if std::env::var("BENCH_ONLY").as_deref() == Ok("inprocess") {
        let chats = if quick { 1_000 } else { 10_000 };
        let (parts, cycle) =
            runtime.block_on(async { (command_parts().await, alert_cycle(chats).await) });
        print_command_parts(&parts);
        print_cycle(&cycle);
        return ExitCode::SUCCESS;
    }
    let me = std::env::current_exe().unwrap();
    // <target>/release/deps/bot-… → <target>/bench-shipped
    let target_dir = me.ancestors().nth(3).unwrap().join("bench-shipped");
    build_binaries(Path::new(env!("CARGO_MANIFEST_DIR")), &target_dir);
    let release = target_dir.join("release");
    let bins = Bins {
        // Another build of the bot (e.g. other profile settings) can be measured in its place.
        bot: std::env::var_os("BENCH_BOT_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| release.join("oxapay-bot")),
        echo: std::env::var_os("BENCH_ECHO_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| release.join("examples").join("echo_floor")),
    };
    for p in [&bins.bot, &bins.echo] {
        assert!(
            p.exists(),
            "{} is missing: build it (see build_binaries) or unset BENCH_SKIP_BUILD",
            p.display()
        );
    }
    let n: usize = std::env::var("BENCH_LATENCY_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 30 } else { 500 })
        .clamp(10, 1_000);
    runtime.block_on(bench(bins, n, quick));
    ExitCode::SUCCESS
}

#[derive(Debug, Default, Clone, Copy)]
struct Runs {
    spaced: Latency,
    b2b: Latency,
    tp: Throughput,
}

async fn runs(
    run: &mut Running,
    text: &str,
    n: usize,
    spacing: Duration,
    tp_chats: usize,
    tp_total: usize,
) -> Runs {
    let spaced = latency(run, USER_BASE + SPACED_AT, n, text, spacing).await;
    let b2b = latency(run, USER_BASE + BACK_TO_BACK_AT, n, text, Duration::ZERO).await;
    let tp = throughput(run, USER_BASE + THROUGHPUT_AT, tp_chats, tp_total, text).await;
    Runs { spaced, b2b, tp }
}

async fn bench(bins: Bins, n: usize, quick: bool) {
    let started = Instant::now();
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let (bot_size, echo_size) = (size(&bins.bot), size(&bins.echo));
    let (tp_chats, tp_total) = if quick { (100, 400) } else { (500, 2_000) };
    // Through Throttle everything is paced at 30 messages/s and 250 ms rounds: smaller runs.
    let (th_n, th_chats, th_total) = if quick { (10, 60, 60) } else { (40, 150, 300) };
    let alert_chats = if quick { 1_000 } else { 10_000 };
    let settle = Duration::from_secs(3);

    eprintln!("[1/6] start-up times, idle footprint");
    let probes = [
        startup_probe(Kind::Bot, true, &bins, 5).await,
        startup_probe(Kind::Bot, false, &bins, 5).await,
        startup_probe(Kind::Echo, true, &bins, 5).await,
    ];
    let run = start(Kind::Bot, 5, &bins, true).await;
    let bot_fresh = idle(&run, settle).await;
    run.stop();
    let run = start(Kind::Echo, 0, &bins, true).await;
    let echo_fresh = idle(&run, settle).await;
    run.stop();

    eprintln!("[2/6] bot, BALANCE_CACHE_SECS=5 (default): latency, throughput");
    let mut run = start(Kind::Bot, 5, &bins, false).await;
    let bot_idle = idle(&run, settle).await;
    let bot5 = runs(&mut run, "/balance", n, SPACING, tp_chats, tp_total).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let bot_after = run.proc.mem();
    run.stop();

    eprintln!("[3/6] bot, BALANCE_CACHE_SECS=0: latency, throughput");
    let mut run = start(Kind::Bot, 0, &bins, false).await;
    let bot0 = runs(&mut run, "/balance", n, SPACING, tp_chats, tp_total).await;
    run.stop();

    eprintln!("[4/6] echo floor: latency, throughput");
    let mut run = start(Kind::Echo, 0, &bins, true).await;
    let echo_idle = idle(&run, settle).await;
    let echo = runs(&mut run, "hello, floor", n, SPACING, tp_chats, tp_total).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let echo_after = run.proc.mem();
    run.stop();

    eprintln!("[5/6] echo floor through Throttle (Telegram's default limits)");
    let mut run = start(Kind::EchoThrottled, 0, &bins, true).await;
    let throttled = runs(
        &mut run,
        "hello, floor",
        th_n,
        THROTTLE_SPACING,
        th_chats,
        th_total,
    )
    .await;
    run.stop();

    eprintln!("[6/6] in process: pieces of a /balance reply; alert cycle, {alert_chats} chats");
    let parts = command_parts().await;
    let cycle = alert_cycle(alert_chats).await;

    eprintln!("done in {:.0} s", started.elapsed().as_secs_f64());
    print_report(&Report {
        bot_size,
        echo_size,
        probes,
        bot_fresh,
        echo_fresh,
        bot_idle,
        echo_idle,
        bot5,
        bot0,
        echo,
        throttled,
        bot_after,
        echo_after,
        parts,
        cycle,
    });
}

struct Report {
    bot_size: u64,
    echo_size: u64,
    probes: [Vec<Duration>; 3],
    bot_fresh: Idle,
    echo_fresh: Idle,
    bot_idle: Idle,
    echo_idle: Idle,
    bot5: Runs,
    bot0: Runs,
    echo: Runs,
    throttled: Runs,
    bot_after: Mem,
    echo_after: Mem,
    parts: CommandParts,
    cycle: CycleReport,
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "MISSED" }
}

fn print_report(r: &Report) {
    let lat_row = |name: &str, l: &Latency| {
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} | {:.0} | {} | {} |",
            l.stats.n,
            ms(l.stats.p50),
            ms(l.stats.p90),
            ms(l.stats.p99),
            ms(l.stats.max),
            ms(l.stats.mean),
            l.cpu_per_req.as_secs_f64() * 1e6,
            l.oxapay_calls,
            l.lost
        )
    };
    println!();
    println!("## Latency: update handed over → its reply's sendMessage arrives (ms)");
    println!();
    println!(
        "One request at a time, each from a new chat; spaced: {} ms pause after each reply \
         ({} ms for the Throttle runs); back to back: no pause. {WARMUP} warm-up requests \
         are not counted.",
        SPACING.as_millis(),
        THROTTLE_SPACING.as_millis()
    );
    println!();
    println!(
        "| run | n | p50 | p90 | p99 | max | mean | process CPU µs/req | OxaPay calls | no reply |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    lat_row("bot /balance, cache 5 s (default), spaced", &r.bot5.spaced);
    lat_row("bot /balance, cache 0, spaced", &r.bot0.spaced);
    lat_row("echo floor, spaced", &r.echo.spaced);
    lat_row("bot /balance, cache 5 s, back to back", &r.bot5.b2b);
    lat_row("bot /balance, cache 0, back to back", &r.bot0.b2b);
    lat_row("echo floor, back to back", &r.echo.b2b);
    lat_row("echo floor through Throttle, spaced", &r.throttled.spaced);
    lat_row(
        "echo floor through Throttle, back to back",
        &r.throttled.b2b,
    );

    let tp_row = |name: &str, t: &Throughput| {
        println!(
            "| {name} | {} / {} | {} | {:.2} | {:.0} | {:.0} | {:.0} | {} | {} / {} |",
            t.total,
            t.chats,
            t.replied,
            t.elapsed.as_secs_f64(),
            t.per_sec,
            t.cpu_per_update.as_secs_f64() * 1e6,
            t.bench_cpu_per_update.as_secs_f64() * 1e6,
            t.oxapay_calls,
            mb(t.mem_after.rss_kb),
            mb(t.mem_after.hwm_kb),
        )
    };
    println!();
    println!("## Throughput: all updates queued at once, fetched 100 per getUpdates");
    println!();
    println!(
        "| run | updates / chats | replied | s | replies/s | process CPU µs/update | bench (fakes) CPU µs/update | OxaPay calls | RSS / HWM right after (MB) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    tp_row("bot /balance, cache 5 s", &r.bot5.tp);
    tp_row("bot /balance, cache 0", &r.bot0.tp);
    tp_row("echo floor", &r.echo.tp);
    tp_row("echo floor through Throttle", &r.throttled.tp);

    let ratio = |a: u64, b: u64| a as f64 / b.max(1) as f64;
    println!();
    println!("## Footprint");
    println!();
    println!("| | bot | echo floor | bot / echo |\n|---|---|---|---|");
    println!(
        "| release binary (bytes) | {} | {} | {:.2} |",
        r.bot_size,
        r.echo_size,
        ratio(r.bot_size, r.echo_size)
    );
    let spread = |v: &[Duration]| match v {
        [] => String::new(),
        _ => format!(
            "{} ({}–{})",
            ms(v[v.len() / 2]),
            ms(v[0]),
            ms(v[v.len() - 1])
        ),
    };
    println!(
        "| spawn → first getUpdates, new database file, median of {} (min–max) (ms) | {} | {} | |",
        r.probes[0].len(),
        spread(&r.probes[0]),
        spread(&r.probes[2])
    );
    println!(
        "| spawn → first getUpdates, existing database, {USERS} allowed chats, median of {} (min–max) (ms) | {} | | |",
        r.probes[1].len(),
        spread(&r.probes[1])
    );
    for (name, b, e) in [
        ("fresh database", r.bot_fresh.mem, r.echo_fresh.mem),
        ("before traffic", r.bot_idle.mem, r.echo_idle.mem),
    ] {
        println!(
            "| idle VmRSS 3 s after start, {name} (MB) | {} | {} | {:.2} |",
            mb(b.rss_kb),
            mb(e.rss_kb),
            ratio(b.rss_kb, e.rss_kb)
        );
        println!(
            "| … RssAnon / RssFile (of which the executable's own pages) (MB) | {} / {} ({}) | {} / {} ({}) | |",
            mb(b.anon_kb),
            mb(b.file_kb),
            mb(b.exe_kb),
            mb(e.anon_kb),
            mb(e.file_kb),
            mb(e.exe_kb)
        );
    }
    println!(
        "| idle VmHWM 3 s after start, before traffic (MB) | {} | {} | |",
        mb(r.bot_idle.mem.hwm_kb),
        mb(r.echo_idle.mem.hwm_kb)
    );
    println!(
        "| idle CPU over 3 s (ms per s) | {:.2} | {:.2} | |",
        r.bot_idle.cpu_per_sec.as_secs_f64() * 1e3,
        r.echo_idle.cpu_per_sec.as_secs_f64() * 1e3
    );
    println!(
        "| VmRSS / VmHWM 2 s after all runs (MB) | {} / {} | {} / {} | {:.2} |",
        mb(r.bot_after.rss_kb),
        mb(r.bot_after.hwm_kb),
        mb(r.echo_after.rss_kb),
        mb(r.echo_after.hwm_kb),
        ratio(r.bot_after.rss_kb, r.echo_after.rss_kb)
    );

    print_command_parts(&r.parts);
    print_cycle(&r.cycle);
    let c = &r.cycle;
    let steady = median_run(&c.steady);
    let moving = median_run(&c.moving);

    let p99 = |l: &Latency| l.stats.p99;
    let worst = p99(&r.bot5.spaced)
        .max(p99(&r.bot0.spaced))
        .max(p99(&r.bot5.b2b))
        .max(p99(&r.bot0.b2b));
    // Bot over echo floor at p50 and p99.
    let over = |bot: &Latency, echo: &Latency| {
        let r = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(1e-9);
        (
            r(bot.stats.p50, echo.stats.p50),
            r(bot.stats.p99, echo.stats.p99),
        )
    };
    let lat_rows = [
        (
            "spaced, BALANCE_CACHE_SECS=5 (default)",
            over(&r.bot5.spaced, &r.echo.spaced),
        ),
        (
            "back to back, BALANCE_CACHE_SECS=5 (default)",
            over(&r.bot5.b2b, &r.echo.b2b),
        ),
        (
            "spaced, BALANCE_CACHE_SECS=0 (one OxaPay request per command)",
            over(&r.bot0.spaced, &r.echo.spaced),
        ),
        (
            "back to back, BALANCE_CACHE_SECS=0",
            over(&r.bot0.b2b, &r.echo.b2b),
        ),
    ];
    let mem_ratio = ratio(r.bot_idle.mem.rss_kb, r.echo_idle.mem.rss_kb);
    println!();
    println!("## Targets");
    println!();
    println!("| target | measured | verdict |\n|---|---|---|");
    println!(
        "| p99 overhead < 5 ms | worst p99 of the four bot runs: {} ms | {} |",
        ms(worst),
        verdict(worst < Duration::from_millis(5))
    );
    println!(
        "| alert cycle for 10,000 chats < 50 ms CPU | steady {} ms; 10 % crossing {} ms; first check {} ms | {} |",
        ms(steady.cpu),
        ms(moving.cpu),
        ms(c.fresh.cpu),
        verdict(c.chats >= 10_000 && steady.cpu.max(moving.cpu) < Duration::from_millis(50))
    );
    println!(
        "| idle RSS < 20 MB | {} MB | {} |",
        mb(r.bot_idle.mem.rss_kb),
        verdict(r.bot_idle.mem.rss_kb < 20 * 1024)
    );
    for (name, (p50, p99)) in lat_rows {
        println!(
            "| latency within 1.5× of the echo floor, {name} | p50 {p50:.2}×, p99 {p99:.2}× | {} |",
            verdict(p50.max(p99) <= 1.5)
        );
    }
    println!(
        "| memory within 1.5× of the echo floor (idle RSS) | {mem_ratio:.2}× | {} |",
        verdict(mem_ratio <= 1.5)
    );
}

fn print_cycle(c: &CycleReport) {
    let cyc_row = |name: &str, x: &CycleRun| {
        println!(
            "| {name} | {} | {} | {} | {} | {} | {:+.1} / {} |",
            x.thresholds,
            x.transitions,
            x.messages,
            ms(x.cpu),
            ms(x.wall),
            (x.rss_after_kb as f64 - x.rss_before_kb as f64) / 1024.0,
            mb(x.peak_kb),
        )
    };
    println!();
    println!(
        "## Alert cycle: Checker::cycle(), {} chats × 3 thresholds, delivery not included",
        c.chats
    );
    println!();
    println!(
        "Populating the database through Store::set_threshold took {:.1} s.",
        c.populate.as_secs_f64()
    );
    println!();
    println!(
        "| cycle | thresholds | transitions | messages queued | CPU ms | wall ms | RSS Δ / peak (MB) |"
    );
    println!("|---|---|---|---|---|---|---|");
    let steady = median_run(&c.steady);
    let moving = median_run(&c.moving);
    cyc_row("first check (all unchecked)", &c.fresh);
    cyc_row("steady, nothing changes (median of 5)", &steady);
    cyc_row("10 % of thresholds cross (median of 4)", &moving);
    let (lw, lc) = median_pair(&c.load_rows);
    let (ew, ec) = median_pair(&c.evaluate);
    let (ow, oc) = median_pair(&c.oxapay_read);
    let q = &c.sql;
    let pair = |p: (Duration, Duration)| format!("{} / {}", ms(p.0), ms(p.1));
    println!();
    println!("Where the time goes (wall / CPU ms; the first three are medians of 3):");
    println!();
    println!("| part | wall / CPU ms |\n|---|---|");
    println!(
        "| Store::all_thresholds, {} rows | {} |",
        c.fresh.thresholds,
        pair((lw, lc))
    );
    println!("| alerts::evaluate | {} |", pair((ew, ec)));
    println!(
        "| one OxaPay read over loopback (client and fake server) | {} |",
        pair((ow, oc))
    );
    println!(
        "| the same SELECT aggregated inside SQLite (no rows returned) | {} |",
        pair(q.engine_scan)
    );
    println!(
        "| the same SELECT fetched row by row by sqlx into tuples, no parsing (all_thresholds before 11e8045) | {} |",
        pair(q.tuples)
    );
    println!(
        "| the same {} rows as one json_group_array value, serde_json and Decimal parsing (the approach all_thresholds takes since 11e8045) | {} |",
        q.one_json_rows,
        pair(q.one_json)
    );
    println!(
        "| {} single-row UPDATEs in one transaction (Store::record_check before 11e8045) | {} |",
        q.updates,
        pair(q.per_statement)
    );
    println!(
        "| the same {} rows in one UPDATE … FROM json_each(?) (since 11e8045; {} rows matched) | {} |",
        q.updates,
        q.batched_rows,
        pair(q.batched)
    );
}
