//! Running it like a service (#11), end to end: the shipped binary's command line, `check`
//! against fakes that pass and fail, `backup` while the bot writes, webhook mode with its secret
//! check and the way back to polling, and `/metrics` and `/healthz` following real traffic.
//!
//! Self-contained (its own small fake Telegram and OxaPay on loopback, real SQLite files), written
//! before the shared e2e harness (`tests/e2e`, `tests/support`) landed: port it onto those fakes
//! when they do. Every wait is on an event (a call the fake saw, a reply, a scrape that shows the
//! number) with a deadline, never a fixed sleep.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use oxapay_bot::app::{self, Tuning};
use oxapay_bot::config::Config;
use oxapay_bot::progress::Progress;
use oxapay_bot::telegram::flood::FloodSettings;
use serde_json::{Value, json};
use teloxide::adaptors::throttle::Limits;
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

const TOKEN: &str = "123456789:OPS-bot-token-SECRET_abcdef";
const TOKEN_SECRET_HALF: &str = "OPS-bot-token-SECRET_abcdef";
const KEY: &str = "oxapay-payout-key-SECRET-0042";
const WEBHOOK_SECRET: &str = "webhook-secret-SECRET_0123456789";
const ADMIN: i64 = 1001;
const STRANGER: i64 = 4242;
const BOT_NAME: &str = "oxabot";
const HOOK_URL: &str = "https://bot.example.com/tg/hook";
const DEADLINE: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------------------------
// Fake Telegram

#[derive(Default)]
struct TgState {
    updates: Vec<Value>,
    next_update_id: i64,
    next_message_id: i64,
    /// Every call in order: (method in lower case, JSON body).
    calls: Vec<(String, Value)>,
    sent: Vec<(i64, String)>,
    webhook: Option<String>,
    /// While set, getUpdates answers 409 Conflict (another poller).
    conflict: bool,
}

#[derive(Clone)]
struct Tg {
    state: Arc<Mutex<TgState>>,
    changed: Arc<Notify>,
    url: String,
}

impl Tg {
    async fn start() -> Tg {
        let tg = Tg {
            state: Arc::new(Mutex::new(TgState {
                next_update_id: 1,
                next_message_id: 1,
                ..TgState::default()
            })),
            changed: Arc::new(Notify::new()),
            url: String::new(),
        };
        let app = Router::new()
            .route("/{token}/{method}", post(tg_handler))
            .with_state(tg.clone());
        let url = serve(app).await;
        Tg {
            url: format!("http://{url}"),
            ..tg
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, TgState> {
        self.state.lock().unwrap()
    }

    /// An update with a text message from `user` in `chat` (not queued).
    fn message(&self, chat: i64, user: i64, text: &str) -> Value {
        let mut s = self.lock();
        let id = s.next_update_id;
        s.next_update_id += 1;
        let mid = s.next_message_id;
        s.next_message_id += 1;
        json!({
            "update_id": id,
            "message": {
                "message_id": mid,
                "date": chrono::Utc::now().timestamp(),
                "chat": chat_json(chat),
                "from": { "id": user, "is_bot": false, "first_name": "U", "username": format!("u{user}") },
                "text": text,
            }
        })
    }

    /// A user writes `text` (delivered by getUpdates).
    fn write(&self, chat: i64, user: i64, text: &str) {
        let update = self.message(chat, user, text);
        self.lock().updates.push(update);
        self.changed.notify_waiters();
    }

    fn sent_to(&self, chat: i64) -> Vec<String> {
        let s = self.lock();
        s.sent
            .iter()
            .filter(|(c, _)| *c == chat)
            .map(|(_, t)| t.clone())
            .collect()
    }

    fn calls(&self, method: &str) -> usize {
        self.lock()
            .calls
            .iter()
            .filter(|(m, _)| m == method)
            .count()
    }

    fn methods(&self) -> Vec<String> {
        self.lock().calls.iter().map(|(m, _)| m.clone()).collect()
    }

    /// Waits until `f` finds something in the fake's state.
    async fn wait<T>(&self, what: &str, f: impl Fn(&TgState) -> Option<T>) -> T {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let notified = self.changed.notified();
            if let Some(v) = f(&self.lock()) {
                return v;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!("timed out waiting for {what}");
            }
        }
    }

    /// The next message to `chat` after the `seen` first.
    async fn reply_after(&self, chat: i64, seen: usize) -> String {
        self.wait(&format!("a message to {chat}"), |s| {
            s.sent
                .iter()
                .filter(|(c, _)| *c == chat)
                .nth(seen)
                .map(|(_, t)| t.clone())
        })
        .await
    }

    /// Writes `text` as `user` in `chat` and returns the bot's reply.
    async fn ask(&self, chat: i64, user: i64, text: &str) -> String {
        let seen = self.sent_to(chat).len();
        self.write(chat, user, text);
        self.reply_after(chat, seen).await
    }
}

fn chat_json(chat: i64) -> Value {
    if chat > 0 {
        json!({ "id": chat, "type": "private", "first_name": "U" })
    } else {
        json!({ "id": chat, "type": "group", "title": "Team" })
    }
}

fn tg_ok(result: Value) -> Response {
    axum::Json(json!({ "ok": true, "result": result })).into_response()
}

fn tg_error(code: u16, description: &str) -> Response {
    (
        StatusCode::from_u16(code).unwrap(),
        axum::Json(json!({ "ok": false, "error_code": code, "description": description })),
    )
        .into_response()
}

/// The text fields of a `multipart/form-data` body (teloxide sends `setWebhook` so, as it may
/// carry a certificate), as a JSON object.
fn form_fields(body: &[u8]) -> Value {
    let text = String::from_utf8_lossy(body);
    let mut fields = serde_json::Map::new();
    for part in text.split("\r\n--") {
        let Some((head, value)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let Some(name) = head
            .split("name=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
        else {
            continue;
        };
        let value = value.trim_end_matches("\r\n").trim_end_matches("--");
        fields.insert(name.to_owned(), Value::String(value.to_owned()));
    }
    Value::Object(fields)
}

async fn tg_handler(
    State(tg): State<Tg>,
    UrlPath((token, method)): UrlPath<(String, String)>,
    body: Bytes,
) -> Response {
    let method = method.to_ascii_lowercase();
    let body: Value = serde_json::from_slice(&body).unwrap_or_else(|_| form_fields(&body));
    tg.lock().calls.push((method.clone(), body.clone()));
    tg.changed.notify_waiters();
    if token != format!("bot{TOKEN}") {
        return tg_error(401, "Unauthorized");
    }
    match method.as_str() {
        "getme" => tg_ok(json!({
            "id": 999, "is_bot": true, "first_name": "OxaPay Bot", "username": BOT_NAME,
            "can_join_groups": true, "can_read_all_group_messages": false,
            "supports_inline_queries": false, "has_main_web_app": false
        })),
        "getwebhookinfo" => {
            let url = tg.lock().webhook.clone().unwrap_or_default();
            tg_ok(json!({ "url": url, "has_custom_certificate": false, "pending_update_count": 0 }))
        }
        "setwebhook" => {
            tg.lock().webhook = body["url"].as_str().map(str::to_owned);
            tg_ok(json!(true))
        }
        "deletewebhook" => {
            tg.lock().webhook = None;
            tg.changed.notify_waiters();
            tg_ok(json!(true))
        }
        "getupdates" => {
            {
                let s = tg.lock();
                if s.conflict {
                    return tg_error(
                        409,
                        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                    );
                }
                if s.webhook.is_some() {
                    return tg_error(
                        409,
                        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
                    );
                }
            }
            let offset = body["offset"].as_i64().unwrap_or(0);
            let timeout = body["timeout"].as_u64().unwrap_or(0).min(1);
            let deadline = Instant::now() + Duration::from_secs(timeout);
            loop {
                let notified = tg.changed.notified();
                let ready: Vec<Value> = {
                    let mut s = tg.lock();
                    // An offset confirms every earlier update for good, as at Telegram.
                    s.updates
                        .retain(|u| u["update_id"].as_i64().unwrap() >= offset);
                    s.updates.clone()
                };
                if !ready.is_empty() || Instant::now() >= deadline {
                    return tg_ok(Value::Array(ready));
                }
                let _ = tokio::time::timeout_at(deadline, notified).await;
            }
        }
        "sendmessage" => {
            let chat = body["chat_id"].as_i64().unwrap_or(0);
            let text = body["text"].as_str().unwrap_or("").to_owned();
            let mid = {
                let mut s = tg.lock();
                s.sent.push((chat, text.clone()));
                s.next_message_id += 1;
                s.next_message_id
            };
            tg.changed.notify_waiters();
            tg_ok(json!({
                "message_id": mid,
                "date": chrono::Utc::now().timestamp(),
                "chat": chat_json(chat),
                "text": text,
            }))
        }
        _ => tg_ok(json!(true)),
    }
}

// ---------------------------------------------------------------------------------------------
// Fake OxaPay: one answer every client accepts (legacy balance, v1 balance and prices), or a
// legacy result code.

#[derive(Clone)]
struct Oxa {
    reply: Arc<Mutex<Value>>,
    calls: Arc<Mutex<HashMap<String, usize>>>,
    url: String,
}

fn good_oxapay() -> Value {
    json!({ "result": 100, "status": 200, "error": {}, "data": { "BTC": "0.5", "USDT": "12" } })
}

impl Oxa {
    async fn start() -> Oxa {
        let oxa = Oxa {
            reply: Arc::new(Mutex::new(good_oxapay())),
            calls: Arc::default(),
            url: String::new(),
        };
        let app = Router::new().fallback(oxa_handler).with_state(oxa.clone());
        let addr = serve(app).await;
        Oxa {
            url: format!("http://{addr}"),
            ..oxa
        }
    }

    fn answer(&self, body: Value) {
        *self.reply.lock().unwrap() = body;
    }

    fn calls(&self, path: &str) -> usize {
        self.calls.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

async fn oxa_handler(State(oxa): State<Oxa>, uri: Uri) -> Response {
    *oxa.calls
        .lock()
        .unwrap()
        .entry(uri.path().to_owned())
        .or_default() += 1;
    axum::Json(oxa.reply.lock().unwrap().clone()).into_response()
}

async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    let socket = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    socket.local_addr().unwrap().port()
}

// ---------------------------------------------------------------------------------------------
// The bot: in this process (`app::run`, real dispatcher and HTTP) or the shipped binary.

fn base_env(tg: &Tg, oxa: &Oxa, db: &Path) -> HashMap<String, String> {
    [
        ("TELOXIDE_TOKEN", TOKEN.to_owned()),
        ("TELEGRAM_API_URL", tg.url.clone()),
        ("OXAPAY_PAYOUT_API_KEY", KEY.to_owned()),
        ("OXAPAY_API_URL", oxa.url.clone()),
        ("OXAPAY_TIMEOUT_SECS", "2".to_owned()),
        ("DATABASE_URL", format!("sqlite://{}", db.display())),
        ("ADMIN_IDS", ADMIN.to_string()),
        ("ALERT_INTERVAL_SECS", "3600".to_owned()),
        ("BALANCE_CACHE_SECS", "0".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

fn with(env: &HashMap<String, String>, pairs: &[(&str, &str)]) -> HashMap<String, String> {
    let mut env = env.clone();
    for (k, v) in pairs {
        env.insert((*k).to_owned(), (*v).to_owned());
    }
    env
}

struct RunningBot {
    shutdown: CancellationToken,
    handle: Option<JoinHandle<anyhow::Result<()>>>,
    progress: Progress,
}

impl RunningBot {
    async fn start(env: &HashMap<String, String>) -> RunningBot {
        let config = Config::from_lookup(|k| env.get(k).cloned()).expect("valid test config");
        let progress = Progress::default();
        let tuning = Tuning {
            telegram_limits: Limits {
                messages_per_sec_chat: 1_000,
                messages_per_min_chat: 60_000,
                messages_per_min_channel_or_supergroup: 60_000,
                messages_per_sec_overall: 10_000,
            },
            polling_timeout: Duration::from_secs(1),
            polling_backoff_cap: Duration::from_millis(500),
            flood: FloodSettings {
                burst: 1_000,
                ..FloodSettings::default()
            },
            shutdown_grace: Duration::from_secs(3),
            progress: progress.clone(),
        };
        let shutdown = CancellationToken::new();
        let handle = tokio::spawn(app::run(config, tuning, shutdown.clone()));
        RunningBot {
            shutdown,
            handle: Some(handle),
            progress,
        }
    }

    async fn metrics_addr(&self) -> SocketAddr {
        let mut bound = self.progress.addresses();
        let b = tokio::time::timeout(DEADLINE, bound.wait_for(|b| b.metrics.is_some()))
            .await
            .expect("the metrics endpoint is bound")
            .unwrap();
        b.metrics.unwrap()
    }

    async fn webhook_addr(&self) -> SocketAddr {
        let mut bound = self.progress.addresses();
        let b = tokio::time::timeout(DEADLINE, bound.wait_for(|b| b.webhook.is_some()))
            .await
            .expect("the webhook listener is bound")
            .unwrap();
        b.webhook.unwrap()
    }

    async fn stop(mut self) {
        self.shutdown.cancel();
        let handle = self.handle.take().unwrap();
        tokio::time::timeout(Duration::from_secs(10), handle)
            .await
            .expect("the bot stops within 10 s")
            .expect("no panic")
            .expect("a clean stop");
    }
}

impl Drop for RunningBot {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

struct Output {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Output {
    fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// Neither the token (whole or its secret half), nor the key, nor the webhook secret.
    fn assert_no_secret(&self) {
        let all = self.all();
        for secret in [TOKEN, TOKEN_SECRET_HALF, KEY, WEBHOOK_SECRET] {
            assert!(!all.contains(secret), "a secret was printed:\n{all}");
        }
    }
}

/// Runs the shipped binary (in a folder with no `.env`, with only `env`) without blocking the
/// fakes that run in this test's runtime.
async fn bin(args: &[&str], env: &HashMap<String, String>, cwd: &Path) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_oxapay-bot"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(env)
        .current_dir(cwd)
        .stdin(Stdio::null());
    let out = tokio::task::spawn_blocking(move || cmd.output().expect("the binary runs"))
        .await
        .unwrap();
    Output {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// Metrics through a real Prometheus text parser.

async fn get(url: &str) -> (u16, String) {
    let response = reqwest::Client::new()
        .get(url)
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

struct Scrape(prometheus_parse::Scrape);

impl Scrape {
    async fn take(addr: SocketAddr) -> Scrape {
        let (status, text) = get(&format!("http://{addr}/metrics")).await;
        assert_eq!(status, 200, "{text}");
        assert!(
            text.ends_with("# EOF\n"),
            "OpenMetrics ends with # EOF:\n{text}"
        );
        let parsed = prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_owned())))
            .unwrap_or_else(|e| panic!("not Prometheus text ({e}):\n{text}"));
        Scrape(parsed)
    }

    /// The value of the one sample `name{labels…}`, if present.
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        let found: Vec<f64> = self
            .0
            .samples
            .iter()
            .filter(|s| s.metric == name && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
            .map(|s| match &s.value {
                prometheus_parse::Value::Counter(v)
                | prometheus_parse::Value::Gauge(v)
                | prometheus_parse::Value::Untyped(v) => *v,
                other => panic!("{name}: {other:?}"),
            })
            .collect();
        assert!(found.len() <= 1, "{name}{labels:?} is ambiguous: {found:?}");
        found.first().copied()
    }

    fn get(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.value(name, labels)
            .unwrap_or_else(|| panic!("{name}{labels:?} missing"))
    }
}

/// Scrapes until `ok` holds (the bot records a few things just after the event a test sees).
async fn scrape_until(addr: SocketAddr, what: &str, ok: impl Fn(&Scrape) -> bool) -> Scrape {
    let deadline = Instant::now() + DEADLINE;
    loop {
        let s = Scrape::take(addr).await;
        if ok(&s) {
            return s;
        }
        assert!(Instant::now() < deadline, "metrics never showed {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Asks `/healthz` until it answers `status`; returns the body.
async fn healthz_until(addr: SocketAddr, status: u16) -> String {
    let deadline = Instant::now() + DEADLINE;
    loop {
        let (got, body) = get(&format!("http://{addr}/healthz")).await;
        if got == status {
            return body;
        }
        assert!(
            Instant::now() < deadline,
            "/healthz stayed {got} ({body:?}), expected {status}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

// ---------------------------------------------------------------------------------------------
// The command line

#[tokio::test]
async fn help_version_and_an_unknown_argument() {
    let (tg, oxa) = (Tg::start().await, Oxa::start().await);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bot.db");
    let env = base_env(&tg, &oxa, &db);

    let help = bin(&["--help"], &env, dir.path()).await;
    assert_eq!(help.code, Some(0), "{}", help.all());
    for sub in ["run", "check", "backup", "health"] {
        assert!(
            help.stdout.lines().any(|l| l.trim_start().starts_with(sub)),
            "{sub} not listed:\n{}",
            help.stdout
        );
    }
    for var in [
        "TELOXIDE_TOKEN",
        "TELEGRAM_API_URL",
        "OXAPAY_PAYOUT_API_KEY",
        "OXAPAY_GENERAL_API_KEY",
        "OXAPAY_API_URL",
        "OXAPAY_TIMEOUT_SECS",
        "DATABASE_URL",
        "ADMIN_IDS",
        "ALERT_INTERVAL_SECS",
        "ALERT_REPEAT_SECS",
        "ALERT_FAILURES_BEFORE_NOTICE",
        "BALANCE_CACHE_SECS",
        "PRICE_CACHE_SECS",
        "HISTORY_INTERVAL_SECS",
        "HISTORY_RETENTION_DAYS",
        "TELEGRAM_WEBHOOK_URL",
        "TELEGRAM_WEBHOOK_SECRET",
        "WEBHOOK_LISTEN",
        "METRICS_LISTEN",
        "RUST_LOG",
    ] {
        assert!(
            help.stdout.lines().any(|l| l.trim_start().starts_with(var)),
            "{var} not in --help"
        );
    }

    // The version, and the commit when built from a checkout: a real commit of this repository
    // (not necessarily HEAD: a commit made while the tests run moves HEAD past the build).
    let version = bin(&["--version"], &env, dir.path()).await;
    assert_eq!(version.code, Some(0));
    let plain = format!("oxapay-bot {}", env!("CARGO_PKG_VERSION"));
    if git(&["rev-parse", "HEAD"]).is_some() {
        let commit = version
            .stdout
            .strip_prefix(&format!("{plain} (commit "))
            .and_then(|rest| rest.strip_suffix(")\n"))
            .unwrap_or_else(|| panic!("no commit in {:?}", version.stdout));
        assert_eq!(commit.len(), 12, "{commit}");
        assert!(commit.bytes().all(|b| b.is_ascii_hexdigit()), "{commit}");
        assert!(
            git(&["cat-file", "-e", &format!("{commit}^{{commit}}")]).is_some(),
            "{commit} is not a commit here"
        );
    } else {
        assert_eq!(version.stdout, format!("{plain}\n"));
    }

    for args in [
        &["--bogus"][..],
        &["frobnicate"],
        &["run", "--now"],
        &["backup"],
        &["check", "extra"],
    ] {
        let out = bin(args, &env, dir.path()).await;
        assert_eq!(out.code, Some(2), "{args:?}: {}", out.all());
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            out.stderr.contains("Usage: oxapay-bot"),
            "{args:?}: {}",
            out.stderr
        );
    }
    // Nothing started: Telegram never heard from it, and no database was made.
    assert!(tg.methods().is_empty(), "{:?}", tg.methods());
    assert!(!db.exists());
}

/// Runs git in the source tree: its output, or `None` when git or the checkout is missing.
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

// ---------------------------------------------------------------------------------------------
// check

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_passes_against_working_fakes_even_while_the_bot_runs() {
    let (tg, oxa) = (Tg::start().await, Oxa::start().await);
    let dir = tempfile::tempdir().unwrap();
    let env = base_env(&tg, &oxa, &dir.path().join("bot.db"));

    let out = bin(&["check"], &env, dir.path()).await;
    assert_eq!(out.code, Some(0), "{}", out.all());
    out.assert_no_secret();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", out.stdout);
    assert_eq!(
        lines[0],
        "configuration: ok (long polling, metrics off, 1 admin)"
    );
    assert_eq!(lines[1], format!("telegram: ok (@{BOT_NAME})"));
    assert_eq!(
        lines[2],
        "oxapay: ok (OxaPay legacy API (payout key), 2 wallets)"
    );
    assert!(
        lines[3].starts_with("database: ok (") && lines[3].contains(": writable; "),
        "{}",
        lines[3]
    );
    assert!(
        lines[3].contains("migrations pending"),
        "a new database: {}",
        lines[3]
    );
    assert_eq!(oxa.calls("/api/balance"), 1);

    // With the bot running (holding the instance lock and the database), check still works.
    let bot = RunningBot::start(&env).await;
    tg.wait("polling", |s| {
        s.calls.iter().any(|(m, _)| m == "getupdates").then_some(())
    })
    .await;
    let out = bin(&["check"], &env, dir.path()).await;
    assert_eq!(out.code, Some(0), "{}", out.all());
    let database = out.stdout.lines().nth(3).unwrap().to_owned();
    assert!(
        database.contains("writable; schema up to date"),
        "{database}"
    );
    // The bot still answers: the check took nothing from it.
    assert!(tg.ask(ADMIN, ADMIN, "/help").await.contains("/balance"));
    bot.stop().await;
}

#[tokio::test]
async fn check_names_each_failure_says_what_to_do_and_exits_1() {
    let (tg, oxa) = (Tg::start().await, Oxa::start().await);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bot.db");
    let env = base_env(&tg, &oxa, &db);
    // An existing, migrated database for the read-only case.
    oxapay_bot::store::Store::open(&env["DATABASE_URL"])
        .await
        .unwrap()
        .close()
        .await;
    let a_file = dir.path().join("a-file");
    std::fs::write(&a_file, "x").unwrap();
    let down = format!("http://127.0.0.1:{}", closed_port());
    let ro = format!("{}?mode=ro", env["DATABASE_URL"]);
    let in_a_file = format!("sqlite://{}/bot.db", a_file.display());
    let wrong_token = "123456789:WRONG-token-SECRET_zzzzzz";

    struct Case {
        name: &'static str,
        env: HashMap<String, String>,
        refused_key: bool,
        failed: &'static str,
        expected: String,
    }
    let cases = [
        Case {
            name: "bad token",
            env: with(&env, &[("TELOXIDE_TOKEN", wrong_token)]),
            refused_key: false,
            failed: "telegram",
            expected: "telegram: FAILED: Telegram rejected the bot token (401 Unauthorized): \
                       check TELOXIDE_TOKEN with @BotFather"
                .into(),
        },
        Case {
            name: "key refused",
            env: env.clone(),
            refused_key: true,
            failed: "oxapay",
            expected: "oxapay: FAILED: OxaPay legacy API (payout key): OxaPay rejected the API \
                       key: it is not a payout key (code 102)."
                .into(),
        },
        Case {
            name: "OxaPay down",
            env: with(&env, &[("OXAPAY_API_URL", &down)]),
            refused_key: false,
            failed: "oxapay",
            expected: format!(
                "oxapay: FAILED: OxaPay legacy API (payout key): Could not reach OxaPay \
                 (connection failed) — try again shortly. Check the network and OXAPAY_API_URL \
                 ({}).",
                down.trim_start_matches("http://")
            ),
        },
        Case {
            name: "database read-only",
            env: with(&env, &[("DATABASE_URL", &ro)]),
            refused_key: false,
            failed: "database",
            expected: format!(
                "database: FAILED: {} cannot be written (attempt to write a readonly database): \
                 check the file's and its folder's permissions, free space, and that \
                 DATABASE_URL does not open it read-only",
                db.display()
            ),
        },
        Case {
            name: "database location impossible",
            env: with(&env, &[("DATABASE_URL", &in_a_file)]),
            refused_key: false,
            failed: "database",
            expected: format!(
                "database: FAILED: cannot open {}/bot.db (unable to open database file): check \
                 DATABASE_URL, and that its folder exists and this user may write there",
                a_file.display()
            ),
        },
    ];
    for case in cases {
        oxa.answer(if case.refused_key {
            // OxaPay's message echoes the key: it must not reach the output.
            json!({ "result": 102, "message": format!("Invalid key {KEY}"), "data": {} })
        } else {
            good_oxapay()
        });
        let out = bin(&["check"], &case.env, dir.path()).await;
        assert_eq!(out.code, Some(1), "{}: {}", case.name, out.all());
        out.assert_no_secret();
        assert!(
            !out.all().contains(wrong_token) && !out.all().contains("WRONG-token"),
            "{}",
            out.all()
        );
        let lines: Vec<&str> = out.stdout.lines().collect();
        assert_eq!(lines.len(), 4, "{}: {}", case.name, out.stdout);
        for line in &lines {
            if line.starts_with(&format!("{}:", case.failed)) {
                assert_eq!(*line, case.expected, "{}", case.name);
            } else {
                assert!(line.contains(": ok ("), "{}: {line}", case.name);
            }
        }
    }

    // A configuration that does not parse: one failed line, the rest skipped.
    let out = bin(
        &["check"],
        &with(&env, &[("ADMIN_IDS", "alice")]),
        dir.path(),
    )
    .await;
    assert_eq!(out.code, Some(1), "{}", out.all());
    out.assert_no_secret();
    assert_eq!(
        out.stdout,
        "configuration: FAILED: ADMIN_IDS: \"alice\" is not a Telegram user id (a positive whole \
         number)\ntelegram: skipped (fix the configuration first)\noxapay: skipped (fix the \
         configuration first)\ndatabase: skipped (fix the configuration first)\n"
    );
}

// ---------------------------------------------------------------------------------------------
// backup

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_while_the_bot_writes_gives_copies_that_open_and_pass_integrity_check() {
    let (tg, oxa) = (Tg::start().await, Oxa::start().await);
    let dir = tempfile::tempdir().unwrap();
    // The checker stays quiet (ALERT_INTERVAL_SECS 3600, the harness default): the writes under
    // test are the commands'. (With a 1 s checker, `/alert` collides with the checker's writes and
    // answers "database is busy" since the audit log made it read before writing in a deferred
    // transaction; reported to the lead, not a backup matter.)
    let env = base_env(&tg, &oxa, &dir.path().join("bot.db"));
    let bot = RunningBot::start(&env).await;

    // A writer: one new alert level after another, each a committed write (with its audit row),
    // until told to stop. Above-levels never fire, so the only messages are the replies.
    let stop = CancellationToken::new();
    let writer = tokio::spawn({
        let (tg, stop) = (tg.clone(), stop.clone());
        async move {
            let mut n = 0;
            while !stop.is_cancelled() {
                n += 1;
                let reply = tg
                    .ask(ADMIN, ADMIN, &format!("/alert C{n} above {n}"))
                    .await;
                let expected = format!(
                    "Alert set: this chat is told when <b>C{n}</b> rises above <code>{n}</code>."
                );
                assert!(reply.starts_with(&expected), "{reply}");
            }
            n
        }
    });
    // Backups start once writes are being acknowledged.
    tg.wait("a few writes", |s| (s.sent.len() >= 3).then_some(()))
        .await;
    let mut counts = Vec::new();
    for k in 1..=3 {
        let copy = dir.path().join(format!("copy-{k}.db"));
        let out = bin(&["backup", copy.to_str().unwrap()], &env, dir.path()).await;
        assert_eq!(out.code, Some(0), "{}", out.all());
        assert!(
            out.stdout
                .starts_with(&format!("backup written to {}", copy.display()))
                && out.stdout.ends_with("integrity ok)\n"),
            "{}",
            out.stdout
        );
        let (integrity, levels) = inspect_copy(&copy);
        assert_eq!(integrity, "ok");
        counts.push(levels);
    }
    stop.cancel();
    let written = writer.await.unwrap();
    // Each copy is a moment of the live database: levels only grow, never past what was written.
    assert!(counts[0] >= 1, "{counts:?}");
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
    assert!(
        *counts.last().unwrap() <= written,
        "{counts:?} of {written}"
    );

    // An existing file is never overwritten.
    let copy = dir.path().join("copy-1.db");
    let before = std::fs::read(&copy).unwrap();
    let out = bin(&["backup", copy.to_str().unwrap()], &env, dir.path()).await;
    assert_eq!(out.code, Some(1), "{}", out.all());
    assert_eq!(
        out.stderr,
        format!(
            "error: {} already exists: a backup never overwrites a file; choose a new name\n",
            copy.display()
        )
    );
    assert_eq!(std::fs::read(&copy).unwrap(), before);
    bot.stop().await;
}

/// `PRAGMA integrity_check` and the number of alert levels, read by another program (python3's
/// sqlite3), so the copy is checked by more than the code that wrote it.
fn inspect_copy(path: &Path) -> (String, i64) {
    let script = "import sqlite3, sys\n\
                  c = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True)\n\
                  print(c.execute('PRAGMA integrity_check').fetchone()[0])\n\
                  print(c.execute('SELECT COUNT(*) FROM thresholds').fetchone()[0])\n";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(path)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let integrity = lines.next().unwrap_or_default().to_owned();
    let levels = lines.next().unwrap_or_default().parse().unwrap();
    (integrity, levels)
}

// ---------------------------------------------------------------------------------------------
// Webhook mode

async fn post_update(addr: SocketAddr, update: &Value, secret: Option<&str>) -> u16 {
    let mut request = reqwest::Client::new()
        .post(format!("http://{addr}/tg/hook"))
        .timeout(Duration::from_secs(5))
        .json(update);
    if let Some(s) = secret {
        request = request.header("X-Telegram-Bot-Api-Secret-Token", s);
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_mode_takes_only_telegrams_requests_then_polling_takes_over_again() {
    let (tg, oxa) = (Tg::start().await, Oxa::start().await);
    let dir = tempfile::tempdir().unwrap();
    let polling_env = base_env(&tg, &oxa, &dir.path().join("bot.db"));
    let webhook_env = with(
        &polling_env,
        &[
            ("TELEGRAM_WEBHOOK_URL", HOOK_URL),
            ("WEBHOOK_LISTEN", "127.0.0.1:0"),
            ("TELEGRAM_WEBHOOK_SECRET", WEBHOOK_SECRET),
            ("METRICS_LISTEN", "127.0.0.1:0"),
        ],
    );
    let bot = RunningBot::start(&webhook_env).await;
    let set = tg
        .wait("setWebhook", |s| {
            s.calls
                .iter()
                .find(|(m, _)| m == "setwebhook")
                .map(|(_, b)| b.clone())
        })
        .await;
    assert_eq!(set["url"], HOOK_URL);
    assert_eq!(set["secret_token"], WEBHOOK_SECRET);
    let hook = bot.webhook_addr().await;
    let metrics = bot.metrics_addr().await;

    // Telegram's request (the right secret): handled and answered.
    let update = tg.message(ADMIN, ADMIN, "/help");
    assert_eq!(post_update(hook, &update, Some(WEBHOOK_SECRET)).await, 200);
    assert!(tg.reply_after(ADMIN, 0).await.contains("/balance"));

    // Anyone else's: 403, nothing changes, no reply.
    let forged = tg.message(ADMIN, ADMIN, &format!("/allow {STRANGER}"));
    assert_eq!(post_update(hook, &forged, None).await, 403);
    let forged = tg.message(ADMIN, ADMIN, &format!("/allow {STRANGER}"));
    assert_eq!(
        post_update(hook, &forged, Some("webhook-secret-WRONG_0123456789")).await,
        403
    );
    // Barrier: the next real update's reply is the only new message, and the stranger is not
    // among the allowed.
    let users = tg.message(ADMIN, ADMIN, "/users");
    assert_eq!(post_update(hook, &users, Some(WEBHOOK_SECRET)).await, 200);
    let reply = tg.reply_after(ADMIN, 1).await;
    assert!(!reply.contains(&STRANGER.to_string()), "{reply}");
    assert_eq!(tg.sent_to(ADMIN).len(), 2, "{:?}", tg.sent_to(ADMIN));
    assert_eq!(tg.calls("getupdates"), 0, "no polling in webhook mode");

    let s = scrape_until(metrics, "two commands", |s| {
        s.value(
            "oxapay_bot_commands_total",
            &[("command", "users"), ("outcome", "ok")],
        ) == Some(1.0)
    })
    .await;
    assert_eq!(s.get("oxapay_bot_webhook_rejected_total", &[]), 2.0);
    assert_eq!(s.get("oxapay_bot_updates_received_total", &[]), 2.0);
    assert_eq!(
        s.get(
            "oxapay_bot_commands_total",
            &[("command", "help"), ("outcome", "ok")]
        ),
        1.0
    );
    assert_eq!(
        s.value("oxapay_bot_commands_total", &[("command", "allow")]),
        None
    );
    // Telegram's getWebhookInfo names this bot's URL: healthy.
    assert_eq!(healthz_until(metrics, 200).await, "ok\n");

    // A clean stop deletes the webhook (updates then wait at Telegram).
    bot.stop().await;
    assert_eq!(tg.calls("deletewebhook"), 1);

    // Back to polling after a bot that could not delete it (killed): the webhook goes first.
    tg.lock().webhook = Some(HOOK_URL.into());
    let calls_before = tg.methods().len();
    let bot = RunningBot::start(&polling_env).await;
    tg.wait("polling", |s| {
        s.calls[calls_before..]
            .iter()
            .any(|(m, _)| m == "getupdates")
            .then_some(())
    })
    .await;
    let after: Vec<String> = tg.methods()[calls_before..].to_vec();
    let deleted = after.iter().position(|m| m == "deletewebhook");
    let polled = after.iter().position(|m| m == "getupdates");
    assert!(deleted.is_some() && deleted < polled, "{after:?}");
    assert!(tg.ask(ADMIN, ADMIN, "/help").await.contains("/balance"));
    bot.stop().await;
}

// ---------------------------------------------------------------------------------------------
// Metrics and health

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_follow_the_traffic_and_healthz_turns_503_when_updates_stop() {
    let (tg, oxa) = (Tg::start().await, Oxa::start().await);
    let dir = tempfile::tempdir().unwrap();
    let env = with(
        &base_env(&tg, &oxa, &dir.path().join("bot.db")),
        &[
            ("METRICS_LISTEN", "127.0.0.1:0"),
            ("ALERT_INTERVAL_SECS", "1"),
        ],
    );
    let bot = RunningBot::start(&env).await;
    let metrics = bot.metrics_addr().await;
    tg.wait("polling", |s| {
        s.calls.iter().any(|(m, _)| m == "getupdates").then_some(())
    })
    .await;

    assert!(tg.ask(ADMIN, ADMIN, "/balance").await.contains("0.5"));
    assert!(tg.ask(ADMIN, ADMIN, "/balance").await.contains("0.5"));
    assert!(
        tg.ask(STRANGER, STRANGER, "/balance")
            .await
            .contains("not authorized")
    );
    tg.ask(ADMIN, ADMIN, "/alert BTC abc").await;
    // BTC is 0.5: the reply, then the next check owes an alert and the worker sends it (in
    // whichever order they arrive).
    let seen = tg.sent_to(ADMIN).len();
    tg.write(ADMIN, ADMIN, "/alert BTC 1");
    let both = tg
        .wait("the reply and the alert", |s| {
            let new: Vec<&String> = s
                .sent
                .iter()
                .filter(|(c, _)| *c == ADMIN)
                .skip(seen)
                .map(|(_, t)| t)
                .collect();
            (new.len() >= 2).then(|| new.iter().map(|t| t.to_string()).collect::<Vec<_>>())
        })
        .await;
    assert!(
        both.iter().any(|t| t.starts_with("Alert set: ")),
        "{both:?}"
    );
    assert!(
        both.iter()
            .any(|t| t.starts_with("⚠️ Low balance: <b>BTC</b> 0.5")),
        "{both:?}"
    );

    let balance_reads_before = oxa.calls("/api/balance");
    let s = scrape_until(metrics, "the alert delivered", |s| {
        s.value(
            "oxapay_bot_deliveries_total",
            &[("kind", "alert"), ("result", "sent")],
        ) == Some(1.0)
    })
    .await;
    let balance_reads_after = oxa.calls("/api/balance");
    let command = |c: &str, o: &str| {
        s.value(
            "oxapay_bot_commands_total",
            &[("command", c), ("outcome", o)],
        )
    };
    assert_eq!(command("balance", "ok"), Some(2.0));
    assert_eq!(command("balance", "not_authorized"), Some(1.0));
    assert_eq!(command("alert", "bad_input"), Some(1.0));
    assert_eq!(command("alert", "ok"), Some(1.0));
    assert_eq!(s.get("oxapay_bot_updates_received_total", &[]), 5.0);
    assert!(s.get("oxapay_bot_telegram_polls_total", &[("result", "ok")]) >= 1.0);
    assert_eq!(
        s.get("oxapay_bot_telegram_polls_total", &[("result", "error")]),
        0.0
    );
    // Every OxaPay balance request is counted once, whoever asked (replies and checks). The fake
    // counts a request when it arrives, the bot when it ends; single flight keeps at most one
    // under way, hence the one below.
    let requests = s.get(
        "oxapay_bot_oxapay_requests_total",
        &[("endpoint", "balance"), ("result", "ok")],
    );
    assert!(
        (balance_reads_before.saturating_sub(1) as f64..=balance_reads_after as f64)
            .contains(&requests),
        "{requests} vs {balance_reads_before}..={balance_reads_after}"
    );
    let now = chrono::Utc::now().timestamp() as f64;
    let last_read = s.get("oxapay_bot_last_balance_read_timestamp_seconds", &[]);
    assert!((now - 60.0..=now + 1.0).contains(&last_read), "{last_read}");
    assert!(s.get("oxapay_bot_last_check_timestamp_seconds", &[]) > 0.0);
    assert_eq!(
        s.get(
            "oxapay_bot_outbox_messages",
            &[("kind", "alert"), ("state", "parked")]
        ),
        0.0
    );
    assert_eq!(s.get("oxapay_bot_paused_chats", &[]), 0.0);
    assert_eq!(
        s.get(
            "oxapay_bot_database_errors_total",
            &[("component", "commands")]
        ),
        0.0
    );
    assert_eq!(s.get("oxapay_bot_healthy", &[]), 1.0);

    // Healthy, by HTTP and through `oxapay-bot health` as Docker runs it.
    assert_eq!(healthz_until(metrics, 200).await, "ok\n");
    let listen = metrics.to_string();
    let health_env = HashMap::from([("METRICS_LISTEN".to_owned(), listen.clone())]);
    let out = bin(&["health"], &health_env, dir.path()).await;
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (Some(0), "ok\n"),
        "{}",
        out.all()
    );

    // Updates stop arriving (another process polls with the token): 503 with the reason.
    tg.lock().conflict = true;
    let body = healthz_until(metrics, 503).await;
    assert!(
        body.starts_with("no updates from Telegram: getUpdates has failed for ")
            && body.ends_with(" s (409 Conflict: another process polls with this bot token)\n"),
        "{body}"
    );
    let out = bin(&["health"], &health_env, dir.path()).await;
    assert_eq!(out.code, Some(1), "{}", out.all());
    assert!(
        out.stderr
            .starts_with("unhealthy: no updates from Telegram"),
        "{}",
        out.stderr
    );
    let s = Scrape::take(metrics).await;
    assert_eq!(s.get("oxapay_bot_healthy", &[]), 0.0);
    assert!(s.get("oxapay_bot_telegram_polls_total", &[("result", "error")]) >= 1.0);

    // Telegram answers again: healthy again.
    tg.lock().conflict = false;
    assert_eq!(healthz_until(metrics, 200).await, "ok\n");
    bot.stop().await;
}
