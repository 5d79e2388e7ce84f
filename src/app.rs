//! Wiring: database, OxaPay source, Telegram bot, dispatcher and balance checker, all stopped by
//! one cancellation token (SIGINT/SIGTERM in production, the test harness in tests).

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
use crate::engine::report_builder::ReportSources;
use crate::engine::report_scheduler::Scheduler;
use crate::listeners::polling::WatchedPolling;
use crate::listeners::webhook;
use crate::metrics::progress::{Progress, Socket};
use crate::metrics::{Metrics, Mode};
use crate::rules::flood::{FloodGuard, FloodSettings};
use crate::sources::balances::BalanceSource;
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
    /// Replies go through the plain bot (no batching delay); the delivery worker and menus
    /// through the throttled one.
    bot: Bot,
    throttled: TgBot,
    metrics: Metrics,
    /// Serving `/metrics` and `/healthz` since `build` (they say "starting" until `run` listens).
    metrics_server: Option<JoinHandle<()>>,
    webhook_socket: Option<TcpListener>,
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
        let metrics = tuning.progress.metrics().clone();
        metrics.set_health_windows(
            tuning.polling_timeout,
            config.alerts.interval * 2 + config.oxapay.timeout,
        );
        if let Ok((Some(at), _)) = store.checker().await {
            // The last successful read survives restarts in the database.
            metrics.balance_read_at(at);
        }
        let source = Arc::new(BalanceSource::with_metrics(
            config.oxapay.balance_api()?,
            config.caches.balance,
            Some(metrics.clone()),
        ));
        let prices = Arc::new(PriceSource::with_metrics(
            config.oxapay.prices_client()?,
            config.caches.price,
            Some(metrics.clone()),
        ));

        // Stops the metrics endpoint if the build fails half-way.
        let servers = shutdown.child_token();
        let guard = servers.clone().drop_guard();
        let mut metrics_server = None;
        if let Some(addr) = config.metrics.as_ref().map(|m| m.listen) {
            let socket = crate::metrics::server::bind(addr).await?;
            let bound = socket.local_addr().unwrap_or(addr);
            tracing::info!(
                address = %bound,
                "serving metrics on http://{bound}/metrics and health on http://{bound}/healthz"
            );
            metrics_server = Some(crate::metrics::server::serve(
                socket,
                metrics.clone(),
                store.clone(),
                servers.clone(),
            ));
            tuning.progress.bound(Socket::Metrics, bound);
        }
        let webhook_socket = match &config.webhook {
            Some(w) => {
                let socket = webhook::bind(w.listen).await?;
                let bound = socket.local_addr().unwrap_or(w.listen);
                tuning.progress.bound(Socket::Webhook, bound);
                Some(socket)
            }
            None => None,
        };

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
            source,
            prices,
            bot,
            throttled,
            metrics,
            metrics_server,
            webhook_socket,
        }))
    }

    /// Runs until `shutdown`: the checker, the delivery worker and the dispatcher, fed by long
    /// polling or by the webhook.
    ///
    /// # Errors
    /// Telegram refused to set the webhook, or refused the start of polling.
    pub async fn run(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let App {
            config,
            tuning,
            lock,
            store,
            redactor,
            source,
            prices,
            bot,
            throttled,
            metrics,
            metrics_server,
            webhook_socket,
        } = self;
        dispatch::register_menus(&throttled, &config.telegram.admin_ids).await;

        let wake = Arc::new(Notify::new());
        let worker = DeliveryWorker {
            bot: throttled,
            store: store.clone(),
            redactor: redactor.clone(),
            wake: wake.clone(),
            progress: tuning.progress.clone(),
            max_in_flight: worker::in_flight_for(tuning.telegram_limits.messages_per_sec_overall),
        };
        let worker = tokio::spawn(worker.run(shutdown.clone()));
        let checker = Checker {
            store: store.clone(),
            source: source.clone(),
            prices: prices.clone(),
            admins: config.telegram.admin_ids.clone(),
            interval: config.alerts.interval,
            repeat: config.alerts.repeat,
            failures_before_notice: config.alerts.failures_before_notice,
            progress: tuning.progress.clone(),
            wake: wake.clone(),
            held: Default::default(),
        };
        let checker = tokio::spawn(checker.run(shutdown.clone()));
        let report_changed = Arc::new(Notify::new());
        let scheduler = Scheduler {
            sources: ReportSources {
                store: store.clone(),
                balances: source.clone(),
                prices: prices.clone(),
            },
            admins: config.telegram.admin_ids.clone(),
            changed: report_changed.clone(),
            wake_delivery: wake.clone(),
            progress: tuning.progress.clone(),
        };
        let scheduler = tokio::spawn(scheduler.run(shutdown.clone()));
        let recorder = Recorder {
            store: store.clone(),
            balances: source.clone(),
            prices: prices.clone(),
            interval: config.history.interval,
            retention_days: config.history.retention_days,
            progress: tuning.progress.clone(),
        };
        let recorder = tokio::spawn(recorder.run(shutdown.clone()));

        let ctx = Arc::new(Ctx {
            store: store.clone(),
            redactor: redactor.clone(),
            source,
            prices,
            admins: config.telegram.admin_ids.clone(),
            flood: Mutex::new(FloodGuard::new(tuning.flood)),
            report_changed,
            wake_delivery: wake,
            history_interval: config.history.interval,
            metrics: metrics.clone(),
        });
        let mut dispatcher = Dispatcher::builder(bot.clone(), dispatch::schema())
            .dependencies(dptree::deps![ctx])
            .default_handler(|_| async {})
            .build();

        let token = dispatcher.shutdown_token();
        let stopper = tokio::spawn({
            let shutdown = shutdown.clone();
            async move {
                shutdown.cancelled().await;
                tracing::info!("shutting down");
                // The dispatcher refuses a shutdown before it has started; it starts at once.
                loop {
                    match token.shutdown() {
                        Ok(done) => break done.await,
                        Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
                    }
                }
            }
        });

        let mut webhook_tasks = Vec::new();
        let outcome = match (&config.webhook, webhook_socket) {
            (Some(webhook_config), Some(socket)) => {
                let hook = webhook::start(
                    bot.clone(),
                    webhook_config,
                    socket,
                    metrics.clone(),
                    shutdown.clone(),
                )
                .await;
                match hook {
                    Ok(hook) => {
                        tracing::info!(
                            url = %webhook_config.url,
                            listen = %webhook_config.listen,
                            generated_secret = webhook_config.secret_generated,
                            "webhook set; receiving updates from Telegram"
                        );
                        metrics.listening(Mode::Webhook);
                        webhook_tasks.push(hook.server);
                        webhook_tasks.push(hook.watch);
                        let errors = LoggingErrorHandler::with_custom_text("webhook listener");
                        let dispatch = dispatcher.try_dispatch_with_listener(hook.listener, errors);
                        dispatch_until_stopped(dispatch, &shutdown, tuning.shutdown_grace).await
                    }
                    Err(e) => Err(e),
                }
            }
            _ => {
                let listener = WatchedPolling::start(
                    bot.clone(),
                    tuning.polling_timeout,
                    tuning.polling_backoff_cap,
                    metrics.clone(),
                    redactor.clone(),
                )
                .await;
                metrics.listening(Mode::Polling);
                let dispatch =
                    dispatcher.try_dispatch_with_listener(listener, Arc::new(PollingErrors));
                dispatch_until_stopped(dispatch, &shutdown, tuning.shutdown_grace).await
            }
        };
        shutdown.cancel();
        stopper.abort();
        let background = async {
            let _ = tokio::join!(checker, worker, scheduler, recorder);
            for task in webhook_tasks {
                let _ = task.await;
            }
            if let Some(server) = metrics_server {
                let _ = server.await;
            }
        };
        if tokio::time::timeout(tuning.shutdown_grace, background)
            .await
            .is_err()
        {
            tracing::warn!("background tasks still busy at shutdown; stopping without them");
        }
        store.close().await;
        drop(lock);
        tracing::info!("stopped");
        outcome
    }
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
