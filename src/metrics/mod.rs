//! What the running bot tells its operator: Prometheus metrics (`/metrics`, OpenMetrics text from
//! `prometheus-client`) and health (`/healthz`), both served on `METRICS_LISTEN` by [`server`].
//!
//! One [`Metrics`] handle is shared by the parts that record (cheap to clone). Labels come from
//! small fixed sets (command names, outcomes, error
//! kinds, message kinds), never from chat ids or user input, so the series count stays bounded.
//!
//! # Series
//! | name | type | labels |
//! | --- | --- | --- |
//! | `oxapay_bot_build_info` | info | `version`, `commit` |
//! | `oxapay_bot_commands_total` | counter | `command`, `outcome` |
//! | `oxapay_bot_command_duration_seconds` | histogram | |
//! | `oxapay_bot_buttons_total` | counter | `button`, `outcome` |
//! | `oxapay_bot_updates_received_total` | counter | |
//! | `oxapay_bot_telegram_polls_total` | counter | `result` (`ok`, `error`) |
//! | `oxapay_bot_webhook_rejected_total` | counter | |
//! | `oxapay_bot_oxapay_requests_total` | counter | `endpoint`, `result` |
//! | `oxapay_bot_oxapay_request_duration_seconds` | histogram | `endpoint` |
//! | `oxapay_bot_last_balance_read_timestamp_seconds` | gauge | |
//! | `oxapay_bot_last_check_timestamp_seconds` | gauge | |
//! | `oxapay_bot_deliveries_total` | counter | `kind`, `result` |
//! | `oxapay_bot_outbox_messages` | gauge (read from the database at scrape) | `kind`, `state` |
//! | `oxapay_bot_paused_chats` | gauge (read from the database at scrape) | |
//! | `oxapay_bot_database_errors_total` | counter | `component` |
//! | `oxapay_bot_healthy` | gauge (the `/healthz` verdict at scrape) | |

pub mod liveness;
pub mod progress;
pub mod server;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::{Registry, Unit};
use tokio::time::Instant;

use crate::oxapay::OxaPayError;
use crate::store::Store;
pub use liveness::{Liveness, Mode};

/// The version `--version` prints, with the git commit when built from a checkout (`build.rs`).
pub const VERSION: &str = env!("BUILD_LONG_VERSION");
/// The git commit the binary was built from, or `unknown` (built without `.git`, e.g. in Docker).
pub const COMMIT: &str = env!("BUILD_GIT_COMMIT");

/// How long the scrape-time database reads may take before `/metrics` answers without them.
const SCRAPE_DB_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CommandLabels {
    command: &'static str,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ButtonLabels {
    button: &'static str,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabels {
    result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EndpointLabels {
    endpoint: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    endpoint: &'static str,
    result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DeliveryLabels {
    kind: &'static str,
    result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutboxLabels {
    kind: &'static str,
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ComponentLabels {
    component: &'static str,
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

/// Which OxaPay call a request was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Balance,
    Prices,
    /// The payment list (and one payment by its track id).
    Payments,
    /// The payout list (and one payout by its track id).
    Payouts,
}

impl Endpoint {
    fn label(self) -> &'static str {
        match self {
            Endpoint::Balance => "balance",
            Endpoint::Prices => "prices",
            Endpoint::Payments => "payments",
            Endpoint::Payouts => "payouts",
        }
    }
}

/// What became of one outbox message's send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Telegram accepted it.
    Sent,
    /// It failed for a reason that may pass (or Telegram asked to wait): tried again later.
    Retry,
    /// It can never be delivered (Telegram refuses it, or it failed too often).
    Parked,
    /// The chat refuses the bot: the chat was paused and its owed messages dropped.
    Dropped,
    /// The group became a supergroup: the message moved with it and goes again.
    Moved,
}

impl Delivery {
    fn label(self) -> &'static str {
        match self {
            Delivery::Sent => "sent",
            Delivery::Retry => "retry",
            Delivery::Parked => "parked",
            Delivery::Dropped => "dropped",
            Delivery::Moved => "moved",
        }
    }
}

/// Where a database error happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Component {
    Commands,
    Checker,
    Delivery,
    Metrics,
    /// The payment and payout feeds.
    Feed,
}

impl Component {
    fn label(self) -> &'static str {
        match self {
            Component::Commands => "commands",
            Component::Checker => "checker",
            Component::Delivery => "delivery",
            Component::Metrics => "metrics",
            Component::Feed => "feed",
        }
    }
}

/// The shared handle. `Default` gives a fresh registry nobody serves (tests, benchmarks).
#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

struct Inner {
    registry: Registry,
    commands: Family<CommandLabels, Counter>,
    command_seconds: Histogram,
    buttons: Family<ButtonLabels, Counter>,
    updates: Counter,
    polls: Family<ResultLabels, Counter>,
    webhook_rejected: Counter,
    oxapay_requests: Family<RequestLabels, Counter>,
    oxapay_seconds: HistogramFamily<EndpointLabels>,
    last_balance_read: Gauge,
    last_check: Gauge,
    deliveries: Family<DeliveryLabels, Counter>,
    outbox: Family<OutboxLabels, Gauge>,
    paused_chats: Gauge,
    database_errors: Family<ComponentLabels, Counter>,
    healthy: Gauge,
    liveness: Mutex<Liveness>,
}

fn latency_histogram() -> Histogram {
    // OxaPay answers in tens of milliseconds to seconds; its timeout is at most 120 s.
    Histogram::new([
        0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 120.0,
    ])
}

impl Inner {
    /// Every series, at zero, with an empty registry; [`Metrics::new`] registers them.
    fn unregistered() -> Self {
        Self {
            registry: Registry::default(),
            commands: Family::default(),
            command_seconds: Histogram::new([
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            buttons: Family::default(),
            updates: Counter::default(),
            polls: Family::default(),
            webhook_rejected: Counter::default(),
            oxapay_requests: Family::default(),
            oxapay_seconds: Family::new_with_constructor(latency_histogram),
            last_balance_read: Gauge::default(),
            last_check: Gauge::default(),
            deliveries: Family::default(),
            outbox: Family::default(),
            paused_chats: Gauge::default(),
            database_errors: Family::default(),
            healthy: Gauge::default(),
            liveness: Mutex::new(Liveness::new(Instant::now())),
        }
    }

    /// The build, and what arrives from Telegram: commands, buttons, updates, polls, webhooks.
    fn register_telegram(&self, registry: &mut Registry) {
        registry.register(
            "build",
            "The running version and the git commit it was built from",
            Info::new([("version", env!("CARGO_PKG_VERSION")), ("commit", COMMIT)]),
        );
        registry.register(
            "commands",
            "Commands handled, by command and outcome",
            self.commands.clone(),
        );
        registry.register_with_unit(
            "command_duration",
            "Time from a command's arrival to its reply being sent",
            Unit::Seconds,
            self.command_seconds.clone(),
        );
        registry.register(
            "buttons",
            "Button presses handled, by button and outcome",
            self.buttons.clone(),
        );
        registry.register(
            "updates_received",
            "Updates received from Telegram (polling or webhook)",
            self.updates.clone(),
        );
        registry.register(
            "telegram_polls",
            "getUpdates calls that ended, by result (polling mode)",
            self.polls.clone(),
        );
        registry.register(
            "webhook_rejected",
            "Webhook requests rejected for a missing or wrong secret token (answered 403)",
            self.webhook_rejected.clone(),
        );
    }

    /// OxaPay reads and the checker's progress.
    fn register_oxapay(&self, registry: &mut Registry) {
        registry.register(
            "oxapay_requests",
            "Requests to OxaPay, by endpoint and result",
            self.oxapay_requests.clone(),
        );
        registry.register_with_unit(
            "oxapay_request_duration",
            "Time one OxaPay read took, its retry included",
            Unit::Seconds,
            self.oxapay_seconds.clone(),
        );
        registry.register_with_unit(
            "last_balance_read_timestamp",
            "When OxaPay last answered a balance read successfully (Unix time; 0: not since the \
             database was created)",
            Unit::Seconds,
            self.last_balance_read.clone(),
        );
        registry.register_with_unit(
            "last_check_timestamp",
            "When the balance checker last finished a cycle (Unix time; 0: not since start)",
            Unit::Seconds,
            self.last_check.clone(),
        );
    }

    /// What the bot sends (the outbox and its deliveries), the database, and the health verdict.
    fn register_delivery(&self, registry: &mut Registry) {
        registry.register(
            "deliveries",
            "Outbox sends that ended, by message kind and result (sent, retry, parked, dropped, \
             moved)",
            self.deliveries.clone(),
        );
        registry.register(
            "outbox_messages",
            "Messages in the outbox, by kind and state (pending: still owed; parked: never to be \
             sent)",
            self.outbox.clone(),
        );
        registry.register(
            "paused_chats",
            "Chats that refuse the bot's messages (blocked it, removed it)",
            self.paused_chats.clone(),
        );
        registry.register(
            "database_errors",
            "Database operations that failed, by component",
            self.database_errors.clone(),
        );
        registry.register(
            "healthy",
            "1 when /healthz answers 200, else 0",
            self.healthy.clone(),
        );
    }

    /// Series that alerting rules look for exist from the start, at zero: a rate over a series
    /// that does not exist yet is no rate at all.
    fn create_alerting_series(&self) {
        for result in ["ok", "error"] {
            let _ = self.polls.get_or_create(&ResultLabels { result });
        }
        let _ = self.oxapay_requests.get_or_create(&RequestLabels {
            endpoint: "balance",
            result: "ok",
        });
        for result in [Delivery::Sent, Delivery::Retry, Delivery::Parked] {
            let _ = self.deliveries.get_or_create(&DeliveryLabels {
                kind: "alert",
                result: result.label(),
            });
        }
        for component in [
            Component::Commands,
            Component::Checker,
            Component::Delivery,
            Component::Metrics,
            Component::Feed,
        ] {
            let _ = self.database_errors.get_or_create(&ComponentLabels {
                component: component.label(),
            });
        }
    }
}

impl Metrics {
    /// A fresh registry with every series registered (in the order `/metrics` lists them).
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("oxapay_bot");
        let inner = Inner::unregistered();
        inner.register_telegram(&mut registry);
        inner.register_oxapay(&mut registry);
        inner.register_delivery(&mut registry);
        inner.create_alerting_series();
        Self {
            inner: Arc::new(Inner { registry, ..inner }),
        }
    }

    /// A command was handled; `command` and `outcome` are the fixed words of its log line. A
    /// `storage_error` outcome is also a database error.
    pub fn command(&self, command: &'static str, outcome: &'static str, took: Duration) {
        self.inner
            .commands
            .get_or_create(&CommandLabels { command, outcome })
            .inc();
        self.inner.command_seconds.observe(took.as_secs_f64());
        if outcome == "storage_error" {
            self.database_error(Component::Commands);
        }
    }

    /// A button press was handled; `button` and `outcome` are the fixed words of its log line.
    pub fn button(&self, button: &'static str, outcome: &'static str) {
        self.inner
            .buttons
            .get_or_create(&ButtonLabels { button, outcome })
            .inc();
        if outcome == "storage_error" {
            self.database_error(Component::Commands);
        }
    }

    /// An update arrived (either mode).
    pub fn update_received(&self) {
        self.inner.updates.inc();
        self.liveness().last_update = Some(Instant::now());
    }

    /// A `getUpdates` call answered (with updates or empty).
    pub fn poll_ok(&self) {
        self.inner
            .polls
            .get_or_create(&ResultLabels { result: "ok" })
            .inc();
        self.liveness().last_poll_ok = Some(Instant::now());
    }

    /// A `getUpdates` call failed; `error` is shown by `/healthz` (it holds no secret: teloxide
    /// strips the token from its errors, and the caller masks them too).
    pub fn poll_failed(&self, error: &str) {
        self.inner
            .polls
            .get_or_create(&ResultLabels { result: "error" })
            .inc();
        self.liveness().last_poll_error = Some((Instant::now(), short(error)));
    }

    pub fn webhook_rejected(&self) {
        self.inner.webhook_rejected.inc();
    }

    /// One request to OxaPay ended after `took`.
    pub fn oxapay_request(
        &self,
        endpoint: Endpoint,
        result: Result<(), &OxaPayError>,
        took: Duration,
    ) {
        let result = match result {
            Ok(()) => "ok",
            Err(e) => oxapay_error_kind(e),
        };
        let endpoint = endpoint.label();
        self.inner
            .oxapay_requests
            .get_or_create(&RequestLabels { endpoint, result })
            .inc();
        self.inner
            .oxapay_seconds
            .get_or_create(&EndpointLabels { endpoint })
            .observe(took.as_secs_f64());
    }

    /// OxaPay answered a balance read at `unix` (seconds).
    pub fn balance_read_at(&self, unix: i64) {
        self.inner.last_balance_read.set(unix);
    }

    /// The checker finished a cycle (any outcome).
    pub fn check_done(&self) {
        self.inner.last_check.set(crate::clock::now_unix());
        self.liveness().last_check = Some(Instant::now());
    }

    /// One outbox send ended; `kind` is the outbox row's kind (`alert`, `notice`, …).
    pub fn delivery(&self, kind: &str, result: Delivery) {
        self.inner
            .deliveries
            .get_or_create(&DeliveryLabels {
                kind: kind_label(kind),
                result: result.label(),
            })
            .inc();
    }

    pub fn database_error(&self, component: Component) {
        self.inner
            .database_errors
            .get_or_create(&ComponentLabels {
                component: component.label(),
            })
            .inc();
    }

    /// The health rule's settings: the long-poll timeout and the longest normal pause between
    /// two finished checks.
    pub fn set_health_windows(&self, poll_timeout: Duration, check_window: Duration) {
        let mut l = self.liveness();
        l.poll_timeout = poll_timeout;
        l.check_window = check_window;
    }

    /// The bot now listens for updates.
    pub fn listening(&self, mode: Mode) {
        self.liveness().listening = Some((mode, Instant::now()));
    }

    /// What the last `getWebhookInfo` said: `Ok(problem)` when it answered.
    pub fn webhook_info(&self, answer: Result<Option<String>, String>) {
        let mut l = self.liveness();
        match answer {
            Ok(problem) => {
                l.webhook.last_info_ok = Some(Instant::now());
                l.webhook.problem = problem;
            }
            Err(e) => l.webhook.last_info_error = Some((Instant::now(), short(&e))),
        }
    }

    /// `Ok` when healthy, else the one-line reason (the `/healthz` rule, see [`health`]).
    pub fn health(&self) -> Result<(), String> {
        let verdict = self.liveness().judge(Instant::now());
        self.inner.healthy.set(i64::from(verdict.is_ok()));
        verdict
    }

    /// The exposition: the database-backed gauges are read first (from `store`, within
    /// [`SCRAPE_DB_TIMEOUT`]; if that fails they are left out rather than shown stale).
    pub async fn render(&self, store: Option<&Store>) -> String {
        if let Some(store) = store {
            let read = tokio::time::timeout(SCRAPE_DB_TIMEOUT, store.outbox_counts()).await;
            self.inner.outbox.clear();
            match read {
                Ok(Ok(counts)) => {
                    for c in counts {
                        self.inner
                            .outbox
                            .get_or_create(&OutboxLabels {
                                kind: kind_label(&c.kind),
                                state: if c.parked { "parked" } else { "pending" },
                            })
                            .inc_by(c.count);
                    }
                    // Both states of the common kinds are always shown, zero included, so a
                    // query for "pending alerts" never finds nothing.
                    for kind in ["alert", "notice", "report", "feed"] {
                        for state in ["pending", "parked"] {
                            let _ = self
                                .inner
                                .outbox
                                .get_or_create(&OutboxLabels { kind, state });
                        }
                    }
                }
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "metrics: cannot read the outbox");
                    self.database_error(Component::Metrics);
                }
                Err(_) => {
                    tracing::warn!("metrics: the outbox could not be read in time");
                    self.database_error(Component::Metrics);
                }
            }
            let paused = tokio::time::timeout(SCRAPE_DB_TIMEOUT, store.paused_count()).await;
            match paused {
                Ok(Ok(n)) => {
                    self.inner.paused_chats.set(n);
                }
                _ => self.database_error(Component::Metrics),
            }
        }
        let _ = self.health();
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.inner.registry);
        out
    }

    fn liveness(&self) -> MutexGuard<'_, Liveness> {
        // A panic while holding this lock leaves plain timestamps behind: still usable.
        self.inner
            .liveness
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// An error for the `/healthz` line: one line, at most 160 characters.
fn short(error: &str) -> String {
    let line = error.lines().next().unwrap_or("");
    let mut s: String = line.chars().take(160).collect();
    if s.len() < line.len() {
        s.push('…');
    }
    s
}

/// The fixed label for an OxaPay failure.
fn oxapay_error_kind(e: &OxaPayError) -> &'static str {
    match e {
        OxaPayError::Timeout(_) => "timeout",
        OxaPayError::Connection(_) => "connection",
        OxaPayError::Redirect { .. } => "redirect",
        OxaPayError::Status { .. } => "http_status",
        OxaPayError::TooLarge { .. } => "too_large",
        OxaPayError::BadBody(_) => "bad_body",
        OxaPayError::Api { .. } => "api_error",
        OxaPayError::Refused { .. } => "refused",
        OxaPayError::KeyRefused { .. } => "key_refused",
    }
}

/// An outbox kind as a label: the known ones, anything else as `other` (the column is text).
fn kind_label(kind: &str) -> &'static str {
    match kind {
        "alert" => "alert",
        "notice" => "notice",
        "report" => "report",
        "feed" => "feed",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use prometheus_parse::{Scrape, Value};

    fn scrape(text: &str) -> Scrape {
        Scrape::parse(text.lines().map(|l| Ok(l.to_owned()))).expect("parses")
    }

    fn value(s: &Scrape, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        s.samples
            .iter()
            .find(|x| x.metric == name && labels.iter().all(|(k, v)| x.labels.get(k) == Some(*v)))
            .map(|x| match &x.value {
                Value::Counter(v) | Value::Gauge(v) | Value::Untyped(v) => *v,
                other => panic!("{name}: {other:?}"),
            })
    }

    #[tokio::test]
    async fn the_exposition_parses_and_counts_what_was_recorded() {
        let m = Metrics::new();
        m.command("balance", "ok", Duration::from_millis(3));
        m.command("balance", "ok", Duration::from_millis(5));
        m.command("alert", "storage_error", Duration::from_millis(5));
        m.oxapay_request(Endpoint::Balance, Ok(()), Duration::from_millis(40));
        m.oxapay_request(
            Endpoint::Balance,
            Err(&OxaPayError::Api {
                code: 102,
                message: "x".into(),
            }),
            Duration::from_millis(40),
        );
        m.delivery("alert", Delivery::Sent);
        m.delivery("something-new", Delivery::Parked);
        m.balance_read_at(1_700_000_000);
        let text = m.render(None).await;
        assert!(text.ends_with("# EOF\n"), "{text}");
        let s = scrape(&text);
        let c = |name, labels: &[(&str, &str)]| value(&s, name, labels);
        assert_eq!(
            c(
                "oxapay_bot_commands_total",
                &[("command", "balance"), ("outcome", "ok")]
            ),
            Some(2.0)
        );
        assert_eq!(
            c(
                "oxapay_bot_database_errors_total",
                &[("component", "commands")]
            ),
            Some(1.0)
        );
        assert_eq!(
            c(
                "oxapay_bot_oxapay_requests_total",
                &[("endpoint", "balance"), ("result", "api_error")]
            ),
            Some(1.0)
        );
        assert_eq!(
            c(
                "oxapay_bot_deliveries_total",
                &[("kind", "other"), ("result", "parked")]
            ),
            Some(1.0)
        );
        assert_eq!(
            c("oxapay_bot_last_balance_read_timestamp_seconds", &[]),
            Some(1.7e9)
        );
        assert_eq!(c("oxapay_bot_healthy", &[]), Some(0.0), "still starting");
        let latency = s
            .samples
            .iter()
            .find(|x| x.metric == "oxapay_bot_oxapay_request_duration_seconds")
            .expect("the histogram is there");
        let Value::Histogram(buckets) = &latency.value else {
            panic!("{latency:?}")
        };
        let le_50ms = buckets.iter().find(|b| b.less_than == 0.05).unwrap();
        assert_eq!(le_50ms.count, 2.0);
        assert!(s.docs.contains_key("oxapay_bot_commands"));
    }

    #[test]
    fn every_oxapay_failure_has_its_own_fixed_label() {
        let kinds: std::collections::BTreeSet<_> = [
            OxaPayError::Timeout(Duration::from_secs(1)),
            OxaPayError::Connection("x".into()),
            OxaPayError::Redirect {
                status: 302,
                location: "x".into(),
            },
            OxaPayError::Status {
                status: 500,
                retry_after: None,
            },
            OxaPayError::TooLarge { limit: 1 },
            OxaPayError::BadBody("x".into()),
            OxaPayError::Api {
                code: 1,
                message: "x".into(),
            },
            OxaPayError::Refused {
                status: 401,
                kind: "x".into(),
                message: "x".into(),
                retry_after: None,
            },
        ]
        .iter()
        .map(oxapay_error_kind)
        .collect();
        assert_eq!(kinds.len(), 8);
    }
}
