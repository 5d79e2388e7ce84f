//! Test harness: a fake Telegram Bot API and a fake OxaPay, both real HTTP servers on loopback,
//! and the real bot (`app::run`) wired to them with a real SQLite file.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use oxapay_bot::app::{self, Tuning};
use oxapay_bot::config::Config;
use oxapay_bot::telegram::flood::FloodSettings;
use serde_json::{Value, json};
use teloxide::adaptors::throttle::Limits;
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub const TOKEN: &str = "123456789:TEST-bot-token-SECRET_abcdef";
pub const KEY: &str = "oxapay-payout-key-SECRET-0042";
pub const ADMIN: i64 = 1001;
pub const BOT_ID: i64 = 999;
pub const BOT_NAME: &str = "oxabot";

/// A failure the fake Telegram serves instead of a normal answer.
#[derive(Clone, Debug)]
pub enum TgFault {
    /// An HTTP status with a raw body (e.g. 502 with an HTML page).
    Status(u16, String),
    /// A Bot API error: `{"ok":false,"error_code":…,"description":…,"parameters":…}`.
    Api(u16, String, Option<Value>),
    /// The connection breaks in the middle of the answer.
    BrokenBody,
}

impl TgFault {
    pub fn blocked() -> Self {
        TgFault::Api(403, "Forbidden: bot was blocked by the user".into(), None)
    }
    pub fn retry_after(secs: u64) -> Self {
        TgFault::Api(
            429,
            format!("Too Many Requests: retry after {secs}"),
            Some(json!({ "retry_after": secs })),
        )
    }
    pub fn conflict() -> Self {
        TgFault::Api(
            409,
            "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running".into(),
            None,
        )
    }
    pub fn migrated(to: i64) -> Self {
        TgFault::Api(
            400,
            "Bad Request: group chat was upgraded to a supergroup chat".into(),
            Some(json!({ "migrate_to_chat_id": to })),
        )
    }
}

#[derive(Clone, Debug)]
pub struct Sent {
    pub chat_id: i64,
    pub text: String,
    pub parse_mode: Option<String>,
}

#[derive(Default)]
struct TgInner {
    updates: Vec<Value>,
    next_update_id: i64,
    next_message_id: i64,
    sent: Vec<Sent>,
    calls: HashMap<String, usize>,
    get_updates_faults: VecDeque<TgFault>,
    send_faults: VecDeque<TgFault>,
    chat_faults: HashMap<i64, TgFault>,
    tokens_seen: HashSet<String>,
    confirmed: i64,
}

#[derive(Clone)]
pub struct FakeTelegram {
    inner: Arc<Mutex<TgInner>>,
    updates_ready: Arc<Notify>,
    sent_ready: Arc<Notify>,
    pub url: String,
}

impl FakeTelegram {
    pub async fn start() -> Self {
        let tg = FakeTelegram {
            inner: Arc::new(Mutex::new(TgInner {
                next_update_id: 1,
                next_message_id: 1,
                ..Default::default()
            })),
            updates_ready: Arc::new(Notify::new()),
            sent_ready: Arc::new(Notify::new()),
            url: String::new(),
        };
        let app = Router::new()
            .route("/{token}/{method}", post(tg_handler))
            .with_state(tg.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeTelegram {
            url: format!("http://{addr}"),
            ..tg
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, TgInner> {
        self.inner.lock().unwrap()
    }

    /// A user writes `text` in a chat (private when `chat_id == user_id`, else a group).
    pub fn send_text(&self, chat_id: i64, user_id: i64, text: &str) {
        {
            let mut g = self.lock();
            let id = g.next_update_id;
            g.next_update_id += 1;
            let mid = g.next_message_id;
            g.next_message_id += 1;
            let update = json!({
                "update_id": id,
                "message": {
                    "message_id": mid,
                    "date": chrono::Utc::now().timestamp(),
                    "chat": chat_json(chat_id),
                    "from": { "id": user_id, "is_bot": false, "first_name": "User", "username": format!("u{user_id}") },
                    "text": text,
                }
            });
            g.updates.push(update);
        }
        self.updates_ready.notify_waiters();
    }

    pub fn sent(&self) -> Vec<Sent> {
        self.lock().sent.clone()
    }

    pub fn sent_to(&self, chat_id: i64) -> Vec<String> {
        self.lock()
            .sent
            .iter()
            .filter(|s| s.chat_id == chat_id)
            .map(|s| s.text.clone())
            .collect()
    }

    pub fn calls(&self, method: &str) -> usize {
        self.lock()
            .calls
            .get(&method.to_ascii_lowercase())
            .copied()
            .unwrap_or(0)
    }

    pub fn tokens_seen(&self) -> HashSet<String> {
        self.lock().tokens_seen.clone()
    }

    pub fn fail_get_updates(&self, faults: impl IntoIterator<Item = TgFault>) {
        self.lock().get_updates_faults.extend(faults);
    }

    /// Waits until every queued `getUpdates` fault has been served and polling asked again.
    pub async fn wait_get_updates_faults_served(&self, timeout: Duration) {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut served_at = None;
        loop {
            let (pending, calls) = {
                let g = self.lock();
                (
                    g.get_updates_faults.len(),
                    g.calls.get("getupdates").copied().unwrap_or(0),
                )
            };
            match (pending, served_at) {
                (0, None) => served_at = Some(calls),
                (0, Some(c)) if calls > c => return,
                _ => {}
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "getUpdates faults not served in time"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    pub fn fail_sends(&self, faults: impl IntoIterator<Item = TgFault>) {
        self.lock().send_faults.extend(faults);
    }

    /// Every send to `chat_id` fails this way (until cleared with `None`).
    pub fn set_chat_fault(&self, chat_id: i64, fault: Option<TgFault>) {
        let mut g = self.lock();
        match fault {
            Some(f) => g.chat_faults.insert(chat_id, f),
            None => g.chat_faults.remove(&chat_id),
        };
    }

    /// Waits until `chat_id` has received more than `seen` messages; returns the new ones.
    pub async fn wait_messages(&self, chat_id: i64, seen: usize, timeout: Duration) -> Vec<String> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.sent_ready.notified();
            let all = self.sent_to(chat_id);
            if all.len() > seen {
                return all[seen..].to_vec();
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return Vec::new();
            }
        }
    }

    /// Sends `text` as `user_id` in `chat_id` and returns the bot's reply (joined if split).
    pub async fn ask(&self, chat_id: i64, user_id: i64, text: &str) -> String {
        let seen = self.sent_to(chat_id).len();
        self.send_text(chat_id, user_id, text);
        let new = self
            .wait_messages(chat_id, seen, Duration::from_secs(15))
            .await;
        assert!(!new.is_empty(), "no reply to {text:?} in chat {chat_id}");
        // Let a split reply arrive whole.
        tokio::time::sleep(Duration::from_millis(50)).await;
        self.sent_to(chat_id)[seen..].join("\n")
    }

    /// Sends `text` and asserts that no reply comes within `wait`.
    pub async fn ask_expect_silence(&self, chat_id: i64, user_id: i64, text: &str, wait: Duration) {
        let seen = self.sent_to(chat_id).len();
        self.send_text(chat_id, user_id, text);
        let new = self.wait_messages(chat_id, seen, wait).await;
        assert!(new.is_empty(), "unexpected reply to {text:?}: {new:?}");
    }
}

fn chat_json(chat_id: i64) -> Value {
    if chat_id > 0 {
        json!({ "id": chat_id, "type": "private", "first_name": "User" })
    } else if chat_id < -1_000_000_000_000 {
        json!({ "id": chat_id, "type": "supergroup", "title": "Team" })
    } else {
        json!({ "id": chat_id, "type": "group", "title": "Team" })
    }
}

fn ok(result: Value) -> Response {
    axum::Json(json!({ "ok": true, "result": result })).into_response()
}

fn fault_response(f: TgFault) -> Response {
    match f {
        TgFault::Status(code, body) => (
            StatusCode::from_u16(code).unwrap(),
            [("content-type", "text/html")],
            body,
        )
            .into_response(),
        TgFault::Api(code, description, parameters) => {
            let mut v = json!({ "ok": false, "error_code": code, "description": description });
            if let Some(p) = parameters {
                v["parameters"] = p;
            }
            (StatusCode::from_u16(code).unwrap(), axum::Json(v)).into_response()
        }
        TgFault::BrokenBody => broken_body(200),
    }
}

/// An answer whose body stream fails midway: the client sees a broken connection.
pub fn broken_body(status: u16) -> Response {
    let stream = futures::stream::iter(vec![
        Ok::<Bytes, std::io::Error>(Bytes::from_static(b"{\"ok\":true,\"res")),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "simulated reset",
        )),
    ]);
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("content-length", "500")
        .body(Body::from_stream(stream))
        .unwrap()
}

async fn tg_handler(
    State(tg): State<FakeTelegram>,
    Path((token, method)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let method = method.to_ascii_lowercase();
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    {
        let mut g = tg.lock();
        *g.calls.entry(method.clone()).or_default() += 1;
        g.tokens_seen
            .insert(token.trim_start_matches("bot").to_owned());
    }
    if token != format!("bot{TOKEN}") {
        return fault_response(TgFault::Api(401, "Unauthorized".into(), None));
    }
    match method.as_str() {
        "getme" => ok(json!({
            "id": BOT_ID, "is_bot": true, "first_name": "OxaPay Bot", "username": BOT_NAME,
            "can_join_groups": true, "can_read_all_group_messages": false,
            "supports_inline_queries": false, "has_main_web_app": false
        })),
        "getwebhookinfo" => {
            ok(json!({ "url": "", "has_custom_certificate": false, "pending_update_count": 0 }))
        }
        "deletewebhook" | "setmycommands" => ok(json!(true)),
        "getupdates" => {
            let fault = tg.lock().get_updates_faults.pop_front();
            if let Some(f) = fault {
                return fault_response(f);
            }
            // As Telegram does: an offset confirms every earlier update for good.
            let offset = {
                let mut g = tg.lock();
                let offset = body["offset"].as_i64().unwrap_or(0).max(g.confirmed);
                g.confirmed = offset;
                offset
            };
            let timeout = body["timeout"].as_u64().unwrap_or(0).min(2);
            let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
            loop {
                let notified = tg.updates_ready.notified();
                let ready: Vec<Value> = tg
                    .lock()
                    .updates
                    .iter()
                    .filter(|u| u["update_id"].as_i64().unwrap() >= offset)
                    .take(100)
                    .cloned()
                    .collect();
                if !ready.is_empty() || tokio::time::Instant::now() >= deadline {
                    return ok(Value::Array(ready));
                }
                let _ = tokio::time::timeout_at(deadline, notified).await;
            }
        }
        "sendmessage" => {
            let chat_id = body["chat_id"].as_i64().unwrap_or(0);
            let fault = {
                let mut g = tg.lock();
                g.chat_faults
                    .get(&chat_id)
                    .cloned()
                    .or_else(|| g.send_faults.pop_front())
            };
            if let Some(f) = fault {
                return fault_response(f);
            }
            let text = body["text"].as_str().unwrap_or("").to_owned();
            let parse_mode = body["parse_mode"].as_str().map(str::to_owned);
            let mid = {
                let mut g = tg.lock();
                g.sent.push(Sent {
                    chat_id,
                    text: text.clone(),
                    parse_mode,
                });
                let mid = g.next_message_id;
                g.next_message_id += 1;
                mid
            };
            tg.sent_ready.notify_waiters();
            ok(json!({
                "message_id": mid,
                "date": chrono::Utc::now().timestamp(),
                "chat": chat_json(chat_id),
                "from": { "id": BOT_ID, "is_bot": true, "first_name": "OxaPay Bot", "username": BOT_NAME },
                "text": text,
            }))
        }
        _ => fault_response(TgFault::Api(
            404,
            "Not Found: method not found".into(),
            None,
        )),
    }
}

/// What the fake OxaPay answers.
#[derive(Clone, Debug)]
pub enum OxaReply {
    /// result 100 with these balances as strings.
    Balances(Vec<(&'static str, &'static str)>),
    /// Any status and body.
    Raw {
        status: u16,
        body: String,
        headers: Vec<(&'static str, String)>,
    },
    /// Waits this long, then answers with the balances.
    Slow(Duration, Vec<(&'static str, &'static str)>),
    /// The connection breaks mid-body.
    Broken,
}

impl OxaReply {
    pub fn code(code: i64, message: &str) -> Self {
        OxaReply::Raw {
            status: 200,
            body: json!({ "result": code, "message": message, "data": {} }).to_string(),
            headers: vec![],
        }
    }
    pub fn json(body: &str) -> Self {
        OxaReply::Raw {
            status: 200,
            body: body.to_owned(),
            headers: vec![],
        }
    }
}

struct OxaInner {
    default: OxaReply,
    queue: VecDeque<OxaReply>,
    calls: usize,
    bodies: Vec<Value>,
}

#[derive(Clone)]
pub struct FakeOxaPay {
    inner: Arc<Mutex<OxaInner>>,
    pub addr: SocketAddr,
    stop: Arc<Mutex<Option<CancellationToken>>>,
}

impl FakeOxaPay {
    pub async fn start(reply: OxaReply) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let oxa = FakeOxaPay {
            inner: Arc::new(Mutex::new(OxaInner {
                default: reply,
                queue: VecDeque::new(),
                calls: 0,
                bodies: Vec::new(),
            })),
            addr,
            stop: Arc::new(Mutex::new(None)),
        };
        oxa.serve(listener);
        oxa
    }

    fn serve(&self, listener: tokio::net::TcpListener) {
        let stop = CancellationToken::new();
        *self.stop.lock().unwrap() = Some(stop.clone());
        let app = Router::new()
            .route("/api/balance", post(oxa_handler))
            .with_state(self.clone());
        tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move { stop.cancelled().await })
                .await
                .unwrap()
        });
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops listening: connections are refused until `resume`.
    pub async fn go_down(&self) {
        if let Some(stop) = self.stop.lock().unwrap().take() {
            stop.cancel();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    pub async fn resume(&self) {
        let listener = tokio::net::TcpListener::bind(self.addr).await.unwrap();
        self.serve(listener);
    }

    pub fn set(&self, reply: OxaReply) {
        let mut g = self.inner.lock().unwrap();
        g.default = reply;
        g.queue.clear();
    }

    pub fn push(&self, reply: OxaReply) {
        self.inner.lock().unwrap().queue.push_back(reply);
    }

    pub fn calls(&self) -> usize {
        self.inner.lock().unwrap().calls
    }

    pub fn bodies(&self) -> Vec<Value> {
        self.inner.lock().unwrap().bodies.clone()
    }
}

pub fn balances_json(pairs: &[(&str, &str)]) -> String {
    let data: serde_json::Map<String, Value> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
        .collect();
    json!({ "result": 100, "message": "Successful operation", "data": data }).to_string()
}

async fn oxa_handler(State(oxa): State<FakeOxaPay>, headers: HeaderMap, body: Bytes) -> Response {
    let reply = {
        let mut g = oxa.inner.lock().unwrap();
        g.calls += 1;
        let ok_json = headers
            .get("content-type")
            .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
        g.bodies.push(if ok_json {
            serde_json::from_slice(&body).unwrap_or(Value::Null)
        } else {
            Value::Null
        });
        g.queue.pop_front().unwrap_or_else(|| g.default.clone())
    };
    match reply {
        OxaReply::Balances(pairs) => (
            [("content-type", "application/json")],
            balances_json(&pairs),
        )
            .into_response(),
        OxaReply::Slow(delay, pairs) => {
            tokio::time::sleep(delay).await;
            (
                [("content-type", "application/json")],
                balances_json(&pairs),
            )
                .into_response()
        }
        OxaReply::Raw {
            status,
            body,
            headers,
        } => {
            let mut r = Response::builder().status(status);
            for (k, v) in headers {
                r = r.header(k, v);
            }
            r.body(Body::from(body)).unwrap()
        }
        OxaReply::Broken => broken_body(200),
    }
}

/// Knobs for one test's bot.
#[derive(Default)]
pub struct Setup {
    pub env: Vec<(&'static str, String)>,
    pub flood: FloodSettings,
}

impl Setup {
    /// For tests that send many commands from one chat on purpose.
    pub fn generous_flood_limit() -> Self {
        Setup {
            flood: FloodSettings {
                burst: 1_000,
                ..FloodSettings::default()
            },
            ..Setup::default()
        }
    }

    pub fn with_env(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.env.push((key, value.into()));
        self
    }
}

pub fn fast_tuning(flood: FloodSettings) -> Tuning {
    Tuning {
        // Telegram's real limits would make a 1,000-chat test take a minute: same code, wider pipe.
        telegram_limits: Limits {
            messages_per_sec_chat: 1_000,
            messages_per_min_chat: 60_000,
            messages_per_min_channel_or_supergroup: 60_000,
            messages_per_sec_overall: 10_000,
        },
        polling_timeout: Duration::from_secs(1),
        polling_backoff_cap: Duration::from_millis(500),
        flood,
        shutdown_grace: Duration::from_secs(3),
        progress: Default::default(),
    }
}

/// The real bot, running in this process against the fakes.
pub struct TestApp {
    pub tg: FakeTelegram,
    pub oxa: FakeOxaPay,
    pub dir: tempfile::TempDir,
    pub env: HashMap<String, String>,
    flood: FloodSettings,
    shutdown: CancellationToken,
    handle: Option<JoinHandle<anyhow::Result<()>>>,
}

impl TestApp {
    pub async fn spawn(reply: OxaReply, setup: Setup) -> TestApp {
        // TEST_LOG=debug shows the bot's logs while debugging a test.
        if let Ok(filter) = std::env::var("TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_test_writer()
                .try_init();
        }
        let tg = FakeTelegram::start().await;
        let oxa = FakeOxaPay::start(reply).await;
        let dir = tempfile::tempdir().unwrap();
        let mut env: HashMap<String, String> = [
            ("TELOXIDE_TOKEN", TOKEN.to_owned()),
            ("TELEGRAM_API_URL", tg.url.clone()),
            ("OXAPAY_PAYOUT_API_KEY", KEY.to_owned()),
            ("OXAPAY_API_URL", oxa.url()),
            ("OXAPAY_TIMEOUT_SECS", "2".to_owned()),
            (
                "DATABASE_URL",
                format!("sqlite://{}", dir.path().join("bot.db").display()),
            ),
            ("ADMIN_IDS", ADMIN.to_string()),
            // Tests that exercise alerts set a short interval; the rest keep the checker quiet.
            ("ALERT_INTERVAL_SECS", "3600".to_owned()),
            ("BALANCE_CACHE_SECS", "0".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        for (k, v) in setup.env {
            env.insert(k.to_owned(), v);
        }
        let mut app = TestApp {
            tg,
            oxa,
            dir,
            env,
            flood: setup.flood,
            shutdown: CancellationToken::new(),
            handle: None,
        };
        app.start().await;
        app
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("bot.db")
    }

    pub fn config(&self) -> Config {
        Config::from_lookup(|k| self.env.get(k).cloned()).expect("test config is valid")
    }

    async fn start(&mut self) {
        let calls_before = self.tg.calls("getupdates");
        self.shutdown = CancellationToken::new();
        let run = app::run(
            self.config(),
            fast_tuning(self.flood),
            self.shutdown.clone(),
        );
        self.handle = Some(tokio::spawn(run));
        // Ready once it polls.
        for _ in 0..200 {
            if self.tg.calls("getupdates") > calls_before {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the bot did not start polling");
    }

    pub async fn stop(&mut self) {
        self.shutdown.cancel();
        if let Some(h) = self.handle.take() {
            let r = tokio::time::timeout(Duration::from_secs(10), h)
                .await
                .expect("the bot stops within 10 s")
                .expect("the bot task did not panic");
            r.expect("the bot stopped without error");
        }
    }

    pub async fn restart(&mut self) {
        self.stop().await;
        self.start().await;
    }

    pub async fn ask(&self, chat_id: i64, user_id: i64, text: &str) -> String {
        self.tg.ask(chat_id, user_id, text).await
    }

    /// Waits for the next message in `chat_id` after `seen`, up to `timeout`.
    pub async fn next_message(
        &self,
        chat_id: i64,
        seen: usize,
        timeout: Duration,
    ) -> Option<String> {
        self.tg
            .wait_messages(chat_id, seen, timeout)
            .await
            .into_iter()
            .next()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}
