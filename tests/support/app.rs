//! The real bot (`app::run`) in the test's process, wired to a fake Telegram and a fake OxaPay,
//! with a real SQLite file in a temporary directory, and barriers to wait on what it does.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use oxapay_bot::app::{self, Tuning};
use oxapay_bot::config::Config;
use oxapay_bot::metrics::progress::Progress;
use oxapay_bot::rules::flood::FloodSettings;
use oxapay_bot::store::Store;
use teloxide::adaptors::throttle::Limits;
use tokio::runtime::RuntimeFlavor;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::logs::Logs;
use super::oxapay::{FakeOxaPay, OxaReply};
use super::telegram::{FakeTelegram, PATIENCE, Reply};
use super::{ADMIN, KEY, MERCHANT, TOKEN};

/// How one test's bot differs from the shipped defaults.
#[derive(Clone)]
pub struct Setup {
    env: Vec<(String, String)>,
    flood: FloodSettings,
    limits: Limits,
    polling_timeout: Option<Duration>,
}

impl Default for Setup {
    /// Shipped settings, except: a flood limit no test reaches by accident (each `ask` adds a
    /// barrier command; tests of flood control use `shipped_flood`), and polling backoff capped at
    /// half a second instead of a minute.
    fn default() -> Self {
        Setup {
            env: Vec::new(),
            flood: FloodSettings {
                burst: 10_000,
                ..FloodSettings::default()
            },
            limits: Limits::default(),
            polling_timeout: None,
        }
    }
}

impl Setup {
    pub fn env(mut self, key: &str, value: impl Into<String>) -> Self {
        self.env.push((key.to_owned(), value.into()));
        self
    }

    /// The checker runs every second (the shortest interval the configuration allows).
    pub fn checking_every_second(self) -> Self {
        self.env("ALERT_INTERVAL_SECS", "1")
    }

    /// Every `/balance` and every check asks OxaPay (`BALANCE_CACHE_SECS=0`), for tests that
    /// change OxaPay's answer between reads.
    pub fn no_cache(self) -> Self {
        self.env("BALANCE_CACHE_SECS", "0")
    }

    pub fn flood(mut self, flood: FloodSettings) -> Self {
        self.flood = flood;
        self
    }

    /// The flood control the binary ships with.
    pub fn shipped_flood(self) -> Self {
        self.flood(FloodSettings::default())
    }

    /// A shorter long poll than the shipped 10 s, for tests of what happens when polls stop
    /// being answered (`/healthz` judges silence against it).
    pub fn polling_timeout(mut self, timeout: Duration) -> Self {
        self.polling_timeout = Some(timeout);
        self
    }

    /// The payment feed on: the merchant key [`MERCHANT`], and the payment list read every 5 s
    /// (the shortest `PAYMENT_POLL_SECS` the configuration allows).
    pub fn payment_feed(self) -> Self {
        self.env("OXAPAY_MERCHANT_API_KEY", MERCHANT)
            .env("PAYMENT_POLL_SECS", "5")
    }

    /// Telegram's pacing as given (the delivery worker's `Throttle` keeps to it).
    pub fn telegram_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Telegram's pacing (1 message a second per chat) would make a test with many alerts to
    /// one chat, or many chats, take minutes: the same code with a wider pipe.
    pub fn wide_telegram_limits(mut self) -> Self {
        self.limits = Limits {
            messages_per_sec_chat: 1_000,
            messages_per_min_chat: 60_000,
            messages_per_min_channel_or_supergroup: 60_000,
            messages_per_sec_overall: 10_000,
        };
        self
    }
}

/// The real bot, running in this process against the fakes.
pub struct TestApp {
    pub tg: FakeTelegram,
    pub oxa: FakeOxaPay,
    pub dir: tempfile::TempDir,
    /// The environment the bot's configuration is read from.
    pub env: BTreeMap<String, String>,
    setup: Setup,
    progress: Progress,
    logs: Option<(Logs, tracing::subscriber::DefaultGuard)>,
    shutdown: CancellationToken,
    handle: Option<JoinHandle<anyhow::Result<()>>>,
}

impl TestApp {
    /// Starts the fakes and the bot, and returns once it polls Telegram.
    pub async fn spawn(reply: OxaReply, setup: Setup) -> TestApp {
        let mut app = Self::prepare(reply, setup).await;
        app.start().await;
        app
    }

    /// The fakes and the environment, without starting the bot (for the binary, or for a
    /// database prepared before the first start).
    pub async fn prepare(reply: OxaReply, setup: Setup) -> TestApp {
        // Log capture sees every task only when they all run on this thread.
        let logs = (tokio::runtime::Handle::current().runtime_flavor()
            == RuntimeFlavor::CurrentThread)
            .then(Logs::capture);
        let tg = FakeTelegram::start().await;
        let oxa = FakeOxaPay::start(reply).await;
        let dir = tempfile::tempdir().unwrap();
        let mut env: BTreeMap<String, String> = [
            ("TELOXIDE_TOKEN", TOKEN.to_owned()),
            ("TELEGRAM_API_URL", tg.url.clone()),
            ("OXAPAY_PAYOUT_API_KEY", KEY.to_owned()),
            ("OXAPAY_API_URL", oxa.url()),
            (
                "DATABASE_URL",
                format!("sqlite://{}", dir.path().join("bot.db").display()),
            ),
            ("ADMIN_IDS", ADMIN.to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        for (k, v) in &setup.env {
            env.insert(k.clone(), v.clone());
        }
        TestApp {
            tg,
            oxa,
            dir,
            env,
            setup,
            progress: Progress::default(),
            logs,
            shutdown: CancellationToken::new(),
            handle: None,
        }
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("bot.db")
    }

    pub fn config(&self) -> Config {
        Config::from_lookup(|k| self.env.get(k).cloned()).expect("test config is valid")
    }

    /// The bot's database, opened beside it (or while it is stopped).
    pub async fn store(&self) -> Store {
        Store::open(&self.env["DATABASE_URL"]).await.unwrap()
    }

    fn tuning(&self) -> Tuning {
        Tuning {
            telegram_limits: self.setup.limits,
            polling_backoff_cap: Duration::from_millis(500),
            flood: self.setup.flood,
            progress: self.progress.clone(),
            polling_timeout: self
                .setup
                .polling_timeout
                .unwrap_or(Tuning::default().polling_timeout),
            ..Tuning::default()
        }
    }

    /// What the bot reports as it works (bound addresses, metrics, counters).
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// Starts the bot (again); returns once it polls Telegram (in webhook mode: once it has set
    /// its webhook).
    pub async fn start(&mut self) {
        assert!(self.handle.is_none(), "the bot is already running");
        let polls = self.tg.calls("getUpdates");
        self.shutdown = CancellationToken::new();
        let run = app::run(self.config(), self.tuning(), self.shutdown.clone());
        self.handle = Some(tokio::spawn(run));
        if self.env.contains_key("TELEGRAM_WEBHOOK_URL") {
            self.tg.wait_webhook().await;
        } else {
            self.tg.wait_calls("getUpdates", polls + 1).await;
        }
    }

    /// Stops the bot as SIGTERM would and waits for `app::run` to return; returns how long it
    /// took.
    pub async fn stop(&mut self) -> Duration {
        let started = std::time::Instant::now();
        self.shutdown.cancel();
        if let Some(h) = self.handle.take() {
            tokio::time::timeout(PATIENCE, h)
                .await
                .expect("the bot stops")
                .expect("the bot task did not panic")
                .expect("the bot stopped without error");
        }
        started.elapsed()
    }

    pub async fn restart(&mut self) {
        self.stop().await;
        self.start().await;
    }

    pub async fn ask(&self, chat_id: i64, user_id: i64, text: &str) -> Reply {
        self.tg.ask(chat_id, user_id, text).await
    }

    pub async fn expect_silence(&self, chat_id: i64, user_id: i64, text: &str) {
        self.tg.expect_silence(chat_id, user_id, text).await
    }

    /// Waits until `n` more checks have completed than when called; the last of them started
    /// after the call (so with `n >= 2`, it saw everything set up before the call).
    pub async fn wait_checks(&self, n: u64) {
        let rx = self.progress.checks();
        let target = *rx.borrow() + n;
        wait_counter(rx, target, "balance checks").await
    }

    /// Waits until `n` more balance checks have completed than when called, and everything
    /// they owed has been handled by the delivery worker (sent, refused, parked, or set to retry
    /// later): `wait_deliveries(2)` covers a whole check-and-deliver cycle begun after the call.
    pub async fn wait_deliveries(&self, n: u64) {
        self.wait_checks(n).await;
        self.outbox_settled().await;
    }

    /// Waits until `n` checks have completed since the first start (the first is the one at
    /// start).
    pub async fn checks_completed(&self, n: u64) {
        wait_counter(self.progress.checks(), n, "balance checks").await
    }

    /// Waits until `n` checks have completed since the first start and everything owed so far
    /// has been handled by the delivery worker.
    pub async fn deliveries_completed(&self, n: u64) {
        self.checks_completed(n).await;
        self.outbox_settled().await;
    }

    /// Report scheduler passes completed since the first start (restarts included).
    pub fn report_passes(&self) -> u64 {
        *self.progress.report_passes().borrow()
    }

    /// Waits until `n` report scheduler passes have completed since the first start. Read
    /// `report_passes()` while the bot is stopped and wait for one more after `start`: that pass
    /// began after the start, so it saw everything stored before it.
    pub async fn report_passes_completed(&self, n: u64) {
        wait_counter(self.progress.report_passes(), n, "report scheduler passes").await
    }

    /// Balance snapshots added to the history since the first start (restarts included).
    pub fn snapshots(&self) -> u64 {
        *self.progress.snapshots().borrow()
    }

    /// Waits until `n` balance snapshots have been recorded since the first start.
    pub async fn snapshots_recorded(&self, n: u64) {
        wait_counter(self.progress.snapshots(), n, "history snapshots").await
    }

    /// Payment feed polls recorded in the database (each poll writes its count with what it
    /// read, in one transaction; restarts included).
    pub async fn payment_polls(&self) -> u64 {
        let store = self.store().await;
        let polls = store
            .feed_state(oxapay_bot::store::Feed::Payments)
            .await
            .expect("the feed state can be read")
            .polls;
        store.close().await;
        polls
    }

    /// Waits until the payment feed has recorded `n` more polls than when called. With `n >= 2`
    /// the last of them started after the call, so it read everything set up before it. Payout
    /// polls bump the same progress counter; the count waited for is the payment feed's own.
    pub async fn wait_payment_polls(&self, n: u64) {
        let rx = self.progress.feed_polls();
        let target = self.payment_polls().await + n;
        self.payment_polls_recorded_since(rx, target).await
    }

    /// Waits until the payment feed has recorded `n` polls in all (restarts included).
    pub async fn payment_polls_recorded(&self, n: u64) {
        let rx = self.progress.feed_polls();
        self.payment_polls_recorded_since(rx, n).await
    }

    async fn payment_polls_recorded_since(&self, mut rx: watch::Receiver<u64>, target: u64) {
        let store = self.store().await;
        let done = tokio::time::timeout(PATIENCE, async {
            loop {
                let polls = store
                    .feed_state(oxapay_bot::store::Feed::Payments)
                    .await
                    .expect("the feed state can be read")
                    .polls;
                if polls >= target {
                    return;
                }
                rx.changed()
                    .await
                    .expect("the progress counter lives as long as the app");
            }
        })
        .await;
        store.close().await;
        assert!(
            done.is_ok(),
            "the payment feed did not record {target} polls within {PATIENCE:?}"
        );
    }

    /// Waits until the payment feed has recorded `n` more polls and the delivery worker has
    /// settled everything they owed.
    pub async fn wait_payment_deliveries(&self, n: u64) {
        self.wait_payment_polls(n).await;
        self.outbox_settled().await;
    }

    /// Waits until no owed message is due: each one was sent, refused, parked, or is waiting
    /// out a backoff. Checked against the database each time the worker settles a message.
    pub async fn outbox_settled(&self) {
        let store = self.store().await;
        let mut settled = self.progress.deliveries();
        let done = tokio::time::timeout(PATIENCE, async {
            loop {
                let now = chrono::Utc::now().timestamp();
                let due = store
                    .due_messages(now, &Default::default(), 1)
                    .await
                    .expect("the outbox can be read");
                if due.is_empty() {
                    return;
                }
                let _ = settled.changed().await;
            }
        })
        .await;
        store.close().await;
        assert!(
            done.is_ok(),
            "the delivery worker did not settle the outbox within {PATIENCE:?}"
        );
    }

    /// The bot's log (current-thread tests only).
    pub fn logs(&self) -> &Logs {
        &self
            .logs
            .as_ref()
            .expect("log capture needs a current-thread runtime; read the binary's stderr instead")
            .0
    }
}

async fn wait_counter(mut rx: watch::Receiver<u64>, target: u64, what: &str) {
    let done = tokio::time::timeout(PATIENCE, async {
        rx.wait_for(|v| *v >= target)
            .await
            .map(|_| ())
            .expect("the progress counter lives as long as the app")
    })
    .await;
    if done.is_err() {
        panic!(
            "{what}: {} of {target} completed within {PATIENCE:?}",
            *rx.borrow()
        );
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
        // Every test also proves that Telegram would have accepted every message it sent.
        if !std::thread::panicking() {
            self.tg.assert_no_refusals();
        }
    }
}
