//! Wiring: the database, the OxaPay sources, the Telegram bot, the background loops and the
//! dispatcher, all stopped by one cancellation token (SIGINT/SIGTERM in production, the test
//! harness in tests). `App::build` does everything that can fail at start; `App::run` runs.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use secrecy::ExposeSecret;
use teloxide::adaptors::throttle::Limits;
use teloxide::dispatching::Dispatcher;
use teloxide::error_handlers::{ErrorHandler, LoggingErrorHandler};
use teloxide::prelude::*;
use teloxide::types::Me;
use teloxide::{ApiError, RequestError};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::delivery::send::TgBot;
use crate::delivery::worker::{self, DeliveryWorker};
use crate::engine::alert_checker::Checker;
use crate::engine::history_recorder::Recorder;
use crate::engine::payment_watcher::PaymentWatcher;
use crate::engine::payout_watcher::PayoutWatcher;
use crate::engine::report_builder::ReportSources;
use crate::engine::report_scheduler::Scheduler;
use crate::listeners::callbacks::{self, Receiver};
use crate::listeners::polling::WatchedPolling;
use crate::listeners::webhook;
use crate::metrics::progress::{Progress, Socket};
use crate::metrics::{Metrics, Mode};
use crate::oxapay::callbacks::CallbackKeys;
use crate::rules::flood::{FloodGuard, FloodSettings};
use crate::sources::balances::BalanceSource;
use crate::sources::payments::PaymentSource;
use crate::sources::payouts::PayoutSource;
use crate::sources::prices::PriceSource;
use crate::store::Store;
use crate::store::lock::InstanceLock;
use crate::telegram::dispatch;
use crate::telegram::gate::Ctx;
use crate::telemetry::Redactor;

/// Settings that are not the operator's to change, but that tests and benchmarks tune.
#[derive(Debug, Clone)]
pub struct Tuning {
    pub telegram_limits: Limits,
    pub polling_timeout: Duration,
    /// Longest pause between failed `getUpdates` calls.
    pub polling_backoff_cap: Duration,
    pub flood: FloodSettings,
    /// How long handlers still running at shutdown are waited for.
    pub shutdown_grace: Duration,
    /// Bumped as background work completes (tests wait on it).
    pub progress: Progress,
}

impl Default for Tuning {
    fn default() -> Self {
        Self {
            telegram_limits: Limits::default(),
            polling_timeout: Duration::from_secs(10),
            polling_backoff_cap: Duration::from_secs(60),
            flood: FloodSettings::default(),
            shutdown_grace: Duration::from_secs(3),
            progress: Progress::default(),
        }
    }
}

/// Runs the bot until `shutdown` is cancelled: [`App::build`], then [`App::run`]. Errors are
/// start-up failures (database, an invalid token, a socket that cannot be bound, a webhook
/// Telegram refuses); once running, failures are logged and survived.
pub async fn run(
    config: Config,
    tuning: Tuning,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    match App::build(config, tuning, &shutdown).await? {
        Some(app) => app.run(shutdown).await,
        None => Ok(()),
    }
}

/// A bot ready to run: everything that can fail at start has been done.
pub struct App {
    config: Config,
    tuning: Tuning,
    lock: Option<InstanceLock>,
    store: Store,
    redactor: Redactor,
    source: Arc<BalanceSource>,
    prices: Arc<PriceSource>,
    /// The payment list, when there is a merchant key.
    payments: Option<Arc<PaymentSource>>,
    /// The payout list, when there is a payout key.
    payouts: Option<Arc<PayoutSource>>,
    /// Replies go through the plain bot (no batching delay); the delivery worker and menus
    /// through the throttled one.
    bot: Bot,
    throttled: TgBot,
    metrics: Metrics,
    /// Serving `/metrics` and `/healthz` since `build` (they say "starting" until `run` listens).
    metrics_server: Option<JoinHandle<()>>,
    /// Taken when the webhook starts listening.
    webhook_socket: Mutex<Option<TcpListener>>,
    /// `OXAPAY_CALLBACK_LISTEN`, bound at build; taken when the loops start.
    callback_socket: Mutex<Option<TcpListener>>,
}

impl App {
    /// Takes the database's instance lock, opens (and migrates) the database, binds
    /// `METRICS_LISTEN` and `WEBHOOK_LISTEN`, and asks Telegram who the bot is (waiting while it
    /// cannot be reached). `Ok(None)`: `shutdown` came first.
    ///
    /// # Errors
    /// Another bot runs on the database; the database cannot be opened; an address cannot be
    /// bound; Telegram rejects the token.
    pub async fn build(
        config: Config,
        tuning: Tuning,
        shutdown: &CancellationToken,
    ) -> anyhow::Result<Option<Self>> {
        // Before the database is touched: a second bot on it must not even run migrations.
        let started_at = crate::texts::time(crate::clock::now_unix());
        let lock = InstanceLock::acquire(&config.database_url, &started_at)?;
        let store = Store::open(&config.database_url).await?;
        let redactor = Redactor::new(config.secrets());
        let metrics = Metrics::new();
        metrics.set_health_windows(
            tuning.polling_timeout,
            config.alerts.interval * 2 + config.oxapay.timeout,
        );
        if let Ok((Some(at), _)) = store.checker().await {
            // The last successful read survives restarts in the database.
            metrics.balance_read_at(at);
        }
        let sources = Sources::open(&config, &metrics)?;
        // Stops the metrics endpoint if the build fails half-way.
        let servers = shutdown.child_token();
        let guard = servers.clone().drop_guard();
        let sockets = Sockets::bind(&config, &tuning, &metrics, &store, &servers).await?;
        let (bot, throttled) = telegram_bots(&config, &tuning)?;
        let Some(me) = wait_for_telegram(&throttled, shutdown).await? else {
            store.close().await;
            return Ok(None);
        };
        if let Some(lock) = &lock {
            tracing::debug!(path = %lock.path().display(), "holding the database's instance lock");
        }
        tracing::info!(
            username = me.username(),
            admins = config.telegram.admin_ids.len(),
            "connected to Telegram"
        );
        // Built: the metrics endpoint now lives until `shutdown`.
        guard.disarm();
        Ok(Some(Self {
            config,
            tuning,
            lock,
            store,
            redactor,
            source: sources.balances,
            prices: sources.prices,
            payments: sources.payments,
            payouts: sources.payouts,
            bot,
            throttled,
            metrics,
            metrics_server: sockets.metrics_server,
            webhook_socket: Mutex::new(sockets.webhook),
            callback_socket: Mutex::new(sockets.callbacks),
        }))
    }

    /// Runs until `shutdown`: the background loops, the delivery worker and the dispatcher, fed
    /// by long polling or by the webhook.
    ///
    /// # Errors
    /// Telegram refused to set the webhook, or refused the start of polling.
    pub async fn run(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        dispatch::register_menus(&self.throttled, &self.config.telegram.admin_ids).await;
        let wake = Arc::new(Notify::new());
        let report_changed = Arc::new(Notify::new());
        let mut tasks = self.spawn_loops(&wake, &report_changed, &shutdown);
        let ctx = Arc::new(Ctx {
            store: self.store.clone(),
            redactor: self.redactor.clone(),
            source: self.source.clone(),
            prices: self.prices.clone(),
            payments: self.payments.clone(),
            payouts: self.payouts.clone(),
            admins: self.config.telegram.admin_ids.clone(),
            flood: Mutex::new(FloodGuard::new(self.tuning.flood)),
            report_changed,
            wake_delivery: wake,
            history_interval: self.config.history.interval,
            metrics: self.metrics.clone(),
        });
        let outcome = self.listen(ctx, &mut tasks, &shutdown).await;
        shutdown.cancel();
        let background = async {
            for task in tasks {
                let _ = task.await;
            }
            if let Some(server) = self.metrics_server {
                let _ = server.await;
            }
        };
        if tokio::time::timeout(self.tuning.shutdown_grace, background)
            .await
            .is_err()
        {
            tracing::warn!("background tasks still busy at shutdown; stopping without them");
        }
        self.store.close().await;
        drop(self.lock);
        tracing::info!("stopped");
        outcome
    }

    /// Starts the delivery worker and the background loops (the payment feed when there is a
    /// merchant key), each stopped by `shutdown`.
    fn spawn_loops(
        &self,
        wake: &Arc<Notify>,
        report_changed: &Arc<Notify>,
        shutdown: &CancellationToken,
    ) -> Vec<JoinHandle<()>> {
        let (config, progress) = (&self.config, &self.tuning.progress);
        let admins = config.telegram.admin_ids.clone();
        let worker = DeliveryWorker {
            bot: self.throttled.clone(),
            store: self.store.clone(),
            redactor: self.redactor.clone(),
            wake: wake.clone(),
            progress: progress.clone(),
            metrics: self.metrics.clone(),
            max_in_flight: worker::in_flight_for(
                self.tuning.telegram_limits.messages_per_sec_overall,
            ),
        };
        let checker = Checker {
            store: self.store.clone(),
            source: self.source.clone(),
            prices: self.prices.clone(),
            admins: admins.clone(),
            interval: config.alerts.interval,
            repeat: config.alerts.repeat,
            failures_before_notice: config.alerts.failures_before_notice,
            progress: progress.clone(),
            metrics: self.metrics.clone(),
            wake: wake.clone(),
            held: Default::default(),
        };
        let scheduler = Scheduler {
            sources: self.report_sources(),
            admins: admins.clone(),
            changed: report_changed.clone(),
            wake_delivery: wake.clone(),
            progress: progress.clone(),
        };
        let recorder = Recorder {
            store: self.store.clone(),
            balances: self.source.clone(),
            prices: self.prices.clone(),
            interval: config.history.interval,
            retention_days: config.history.retention_days,
            progress: progress.clone(),
        };
        let mut tasks = vec![
            tokio::spawn(worker.run(shutdown.clone())),
            tokio::spawn(checker.run(shutdown.clone())),
            tokio::spawn(scheduler.run(shutdown.clone())),
            tokio::spawn(recorder.run(shutdown.clone())),
        ];
        let (payments, payouts) = self.feeds(wake);
        if let Some(feed) = payments.clone() {
            let shutdown = shutdown.clone();
            tasks.push(tokio::spawn(async move { feed.run(shutdown).await }));
        }
        if let Some(feed) = payouts.clone() {
            let shutdown = shutdown.clone();
            tasks.push(tokio::spawn(async move { feed.run(shutdown).await }));
        }
        let socket = self.callback_socket.lock().expect("callback socket").take();
        if let Some(socket) = socket {
            let receiver = Receiver {
                keys: CallbackKeys::new(
                    self.config.oxapay.merchant_key.clone(),
                    self.config.oxapay.payout_key.clone(),
                ),
                payments,
                payouts,
            };
            tasks.push(callbacks::serve(socket, receiver, shutdown.clone()));
        }
        tasks
    }

    /// The payment feed (with a merchant key) and the payout feed (with a payout key).
    fn feeds(
        &self,
        wake: &Arc<Notify>,
    ) -> (Option<Arc<PaymentWatcher>>, Option<Arc<PayoutWatcher>>) {
        let (config, progress) = (&self.config, &self.tuning.progress);
        let payments = self.payments.as_ref().map(|source| {
            Arc::new(PaymentWatcher {
                store: self.store.clone(),
                source: source.clone(),
                prices: self.prices.clone(),
                admins: config.telegram.admin_ids.clone(),
                interval: config.payments.poll,
                backfill_days: config.payments.backfill_days,
                failures_before_notice: config.alerts.failures_before_notice,
                progress: progress.clone(),
                metrics: self.metrics.clone(),
                wake: wake.clone(),
            })
        });
        let payouts = self.payouts.as_ref().map(|source| {
            Arc::new(PayoutWatcher {
                store: self.store.clone(),
                source: source.clone(),
                prices: self.prices.clone(),
                admins: config.telegram.admin_ids.clone(),
                interval: config.payments.poll,
                backfill_days: config.payments.backfill_days,
                stuck_after: config.payments.payout_stuck,
                failures_before_notice: config.alerts.failures_before_notice,
                progress: progress.clone(),
                metrics: self.metrics.clone(),
                wake: wake.clone(),
            })
        });
        (payments, payouts)
    }

    fn report_sources(&self) -> ReportSources {
        ReportSources {
            store: self.store.clone(),
            balances: self.source.clone(),
            prices: self.prices.clone(),
            payments_on: self.payments.is_some(),
            payouts_on: self.payouts.is_some(),
        }
    }

    /// Dispatches updates from the webhook or from long polling until `shutdown` (and the
    /// handlers' grace) or until Telegram refuses; the webhook's server tasks join `tasks`.
    async fn listen(
        &self,
        ctx: Arc<Ctx>,
        tasks: &mut Vec<JoinHandle<()>>,
        shutdown: &CancellationToken,
    ) -> anyhow::Result<()> {
        let (bot, metrics, grace) = (&self.bot, &self.metrics, self.tuning.shutdown_grace);
        let mut dispatcher = Dispatcher::builder(bot.clone(), dispatch::schema())
            .dependencies(dptree::deps![ctx])
            .default_handler(|_| async {})
            .build();
        let stopper = tokio::spawn(stop_dispatcher(
            dispatcher.shutdown_token(),
            shutdown.clone(),
        ));
        let socket = self.webhook_socket.lock().expect("webhook socket").take();
        let outcome = match (&self.config.webhook, socket) {
            (Some(config), Some(socket)) => {
                let hook = webhook::start(
                    bot.clone(),
                    config,
                    socket,
                    metrics.clone(),
                    shutdown.clone(),
                )
                .await;
                match hook {
                    Ok(hook) => {
                        tracing::info!(
                            url = %config.url,
                            listen = %config.listen,
                            generated_secret = config.secret_generated,
                            "webhook set; receiving updates from Telegram"
                        );
                        metrics.listening(Mode::Webhook);
                        tasks.push(hook.server);
                        tasks.push(hook.watch);
                        let errors = LoggingErrorHandler::with_custom_text("webhook listener");
                        let dispatch = dispatcher.try_dispatch_with_listener(hook.listener, errors);
                        dispatch_until_stopped(dispatch, shutdown, grace).await
                    }
                    Err(e) => Err(e),
                }
            }
            _ => {
                let listener = WatchedPolling::start(
                    bot.clone(),
                    self.tuning.polling_timeout,
                    self.tuning.polling_backoff_cap,
                    metrics.clone(),
                    self.redactor.clone(),
                )
                .await;
                metrics.listening(Mode::Polling);
                let dispatch =
                    dispatcher.try_dispatch_with_listener(listener, Arc::new(PollingErrors));
                dispatch_until_stopped(dispatch, shutdown, grace).await
            }
        };
        stopper.abort();
        outcome
    }
}

/// Stops the dispatcher once `shutdown` fires. It refuses a shutdown before it has started; it
/// starts at once.
async fn stop_dispatcher(token: teloxide::dispatching::ShutdownToken, shutdown: CancellationToken) {
    shutdown.cancelled().await;
    tracing::info!("shutting down");
    loop {
        match token.shutdown() {
            Ok(done) => break done.await,
            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

/// The OxaPay reads: balances and prices always, the payment and payout lists when their keys
/// are set.
struct Sources {
    balances: Arc<BalanceSource>,
    prices: Arc<PriceSource>,
    payments: Option<Arc<PaymentSource>>,
    payouts: Option<Arc<PayoutSource>>,
}

impl Sources {
    fn open(config: &Config, metrics: &Metrics) -> anyhow::Result<Self> {
        let m = || Some(metrics.clone());
        Ok(Self {
            balances: Arc::new(BalanceSource::with_metrics(
                config.oxapay.balance_api()?,
                config.caches.balance,
                m(),
            )),
            prices: Arc::new(PriceSource::with_metrics(
                config.oxapay.prices_client()?,
                config.caches.price,
                m(),
            )),
            payments: config
                .oxapay
                .payments_client()?
                .map(|client| Arc::new(PaymentSource::new(client, m()))),
            payouts: config
                .oxapay
                .payouts_client()?
                .map(|client| Arc::new(PayoutSource::new(client, m()))),
        })
    }
}

/// The addresses the bot listens on, bound at build so a taken one stops the start: the metrics
/// server (serving from now on), the webhook's socket and the callbacks' socket.
struct Sockets {
    metrics_server: Option<JoinHandle<()>>,
    webhook: Option<TcpListener>,
    callbacks: Option<TcpListener>,
}

impl Sockets {
    async fn bind(
        config: &Config,
        tuning: &Tuning,
        metrics: &Metrics,
        store: &Store,
        servers: &CancellationToken,
    ) -> anyhow::Result<Self> {
        let mut metrics_server = None;
        if let Some(addr) = config.metrics.as_ref().map(|m| m.listen) {
            let socket = crate::metrics::server::bind(addr).await?;
            let bound = socket.local_addr().unwrap_or(addr);
            tracing::info!(
                address = %bound,
                "serving metrics on http://{bound}/metrics and health on http://{bound}/healthz"
            );
            let served = crate::metrics::server::serve(
                socket,
                metrics.clone(),
                store.clone(),
                servers.clone(),
            );
            metrics_server = Some(served);
            tuning.progress.bound(Socket::Metrics, bound);
        }
        let callbacks = match &config.callbacks {
            Some(c) => {
                let socket = callbacks::bind(c.listen).await?;
                let bound = socket.local_addr().unwrap_or(c.listen);
                tracing::info!(address = %bound, path = callbacks::PATH, "receiving OxaPay callbacks");
                tuning.progress.bound(Socket::Callbacks, bound);
                Some(socket)
            }
            None => None,
        };
        let webhook = match &config.webhook {
            Some(w) => {
                let socket = webhook::bind(w.listen).await?;
                let bound = socket.local_addr().unwrap_or(w.listen);
                tuning.progress.bound(Socket::Webhook, bound);
                Some(socket)
            }
            None => None,
        };
        Ok(Self {
            metrics_server,
            webhook,
            callbacks,
        })
    }
}

/// The plain bot (replies) and the throttled one (the outbox and the menus).
fn telegram_bots(config: &Config, tuning: &Tuning) -> anyhow::Result<(Bot, TgBot)> {
    // Long polling holds a request open for `polling_timeout`; the client must wait longer.
    // No redirects: one would carry the token-bearing request (and the chat's text) elsewhere.
    let http = teloxide::net::default_reqwest_settings()
        .timeout(tuning.polling_timeout + Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .context("cannot build the HTTP client")?;
    let mut bot = Bot::with_client(config.telegram.token.expose_secret(), http);
    if let Some(url) = &config.telegram.api_url {
        bot = bot.set_api_url(url.clone());
    }
    let throttled: TgBot = bot.clone().throttle(tuning.telegram_limits);
    Ok((bot, throttled))
}

/// Waits for the dispatcher; once `shutdown` fires, handlers still running get `grace`.
async fn dispatch_until_stopped<E: std::fmt::Display>(
    dispatch: impl std::future::Future<Output = Result<(), E>>,
    shutdown: &CancellationToken,
    grace: Duration,
) -> anyhow::Result<()> {
    tokio::pin!(dispatch);
    tokio::select! {
        result = &mut dispatch => {
            result.map_err(|e| anyhow::anyhow!("Telegram refused the start of listening: {e}"))
        }
        _ = async {
            shutdown.cancelled().await;
            tokio::time::sleep(grace).await;
        } => {
            tracing::warn!("handlers still busy at shutdown; stopping without them");
            Ok(())
        }
    }
}

/// Asks Telegram who we are, retrying while it cannot be reached. An invalid token is final.
async fn wait_for_telegram(
    bot: &TgBot,
    shutdown: &CancellationToken,
) -> anyhow::Result<Option<Me>> {
    let mut delay = Duration::from_secs(1);
    loop {
        let attempt = tokio::select! {
            _ = shutdown.cancelled() => return Ok(None),
            r = bot.get_me() => r,
        };
        match attempt {
            Ok(me) => return Ok(Some(me)),
            Err(RequestError::Api(ApiError::InvalidToken)) => {
                anyhow::bail!(
                    "TELOXIDE_TOKEN: Telegram rejected the bot token (check it with @BotFather)"
                )
            }
            Err(e) => {
                tracing::warn!(error = %e, retry_in_s = delay.as_secs(), "cannot reach Telegram yet");
                tokio::select! {
                    _ = shutdown.cancelled() => return Ok(None),
                    _ = tokio::time::sleep(delay) => {}
                }
                delay = (delay * 2).min(Duration::from_secs(60));
            }
        }
    }
}

/// What `getUpdates` failures mean, said to the operator; polling itself backs off and retries.
struct PollingErrors;

impl ErrorHandler<RequestError> for PollingErrors {
    fn handle_error(
        self: Arc<Self>,
        error: RequestError,
    ) -> futures::future::BoxFuture<'static, ()> {
        match &error {
            RequestError::Api(ApiError::TerminatedByOtherGetUpdates) => tracing::error!(
                "Telegram answered 409 Conflict: another process is polling updates with this \
                 bot token (a second instance, or a webhook). Only one can receive messages; stop \
                 the other one. Retrying with backoff."
            ),
            RequestError::Api(ApiError::InvalidToken) => {
                tracing::error!("Telegram no longer accepts the bot token; retrying with backoff")
            }
            other => {
                tracing::warn!(error = %other, "getUpdates failed; polling backs off and retries")
            }
        }
        Box::pin(async {})
    }
}
