//! The bot's log events, captured in the test's process: what the operator would read, as
//! structured records a test can wait for and assert on.
//!
//! Capture is per thread (`tracing`'s scoped default): on a current-thread runtime every task of
//! the bot runs on the test's thread, so every event is seen. Multi-thread tests read the logs of
//! the real binary instead (`process::BotProcess`). `TEST_LOG=1` also prints the events.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use tokio::sync::watch;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

use super::telegram::PATIENCE;

/// One log event.
#[derive(Clone, Debug)]
pub struct LogEvent {
    pub level: Level,
    pub target: String,
    pub message: String,
    pub fields: BTreeMap<String, String>,
}

impl LogEvent {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}

impl fmt::Display for LogEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.level, self.target, self.message)?;
        for (k, v) in &self.fields {
            write!(f, " {k}={v}")?;
        }
        Ok(())
    }
}

/// The events captured so far; clones share them.
#[derive(Clone)]
pub struct Logs {
    events: Arc<Mutex<Vec<LogEvent>>>,
    version: Arc<watch::Sender<u64>>,
}

impl Logs {
    /// Captures this thread's events at `info` and above (`TEST_LOG` may widen the filter)
    /// until the guard is dropped.
    pub fn capture() -> (Logs, tracing::subscriber::DefaultGuard) {
        let logs = Logs {
            events: Arc::default(),
            version: Arc::new(watch::channel(0).0),
        };
        let print = std::env::var("TEST_LOG").is_ok();
        let filter = match std::env::var("TEST_LOG") {
            Ok(f) if EnvFilter::try_new(&f).is_ok() && f != "1" => EnvFilter::new(f),
            _ => EnvFilter::new("info"),
        };
        let guard = tracing_subscriber::registry()
            .with(filter)
            .with(Capture {
                logs: logs.clone(),
                print,
                started: std::time::Instant::now(),
            })
            .set_default();
        (logs, guard)
    }

    pub fn events(&self) -> Vec<LogEvent> {
        self.events.lock().unwrap().clone()
    }

    /// The events whose message is exactly `message`.
    pub fn with_message(&self, message: &str) -> Vec<LogEvent> {
        self.events()
            .into_iter()
            .filter(|e| e.message == message)
            .collect()
    }

    /// Waits until `count` events satisfy `matches`; returns them.
    pub async fn wait_for(
        &self,
        what: &str,
        count: usize,
        matches: impl Fn(&LogEvent) -> bool,
    ) -> Vec<LogEvent> {
        let mut rx = self.version.subscribe();
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            rx.borrow_and_update();
            let found: Vec<LogEvent> = self.events().into_iter().filter(|e| matches(e)).collect();
            if found.len() >= count {
                return found;
            }
            if tokio::time::timeout_at(deadline, rx.changed())
                .await
                .is_err()
            {
                let all: Vec<String> = self.events().iter().map(ToString::to_string).collect();
                panic!("waited {PATIENCE:?} for {count} × {what}; the log: {all:#?}");
            }
        }
    }
}

struct Capture {
    logs: Logs,
    print: bool,
    started: std::time::Instant,
}

impl<S: Subscriber> Layer<S> for Capture {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let mut visitor = Fields::default();
        event.record(&mut visitor);
        let meta = event.metadata();
        let e = LogEvent {
            level: *meta.level(),
            target: meta.target().to_owned(),
            message: visitor.message,
            fields: visitor.fields,
        };
        if self.print {
            eprintln!("{:>8.3}s {e}", self.started.elapsed().as_secs_f64());
        }
        self.logs.events.lock().unwrap().push(e);
        self.logs.version.send_modify(|v| *v += 1);
    }
}

#[derive(Default)]
struct Fields {
    message: String,
    fields: BTreeMap<String, String>,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = value.to_owned();
        } else {
            self.fields
                .insert(field.name().to_owned(), value.to_owned());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let text = format!("{value:?}");
        if field.name() == "message" {
            self.message = text;
        } else {
            self.fields.insert(field.name().to_owned(), text);
        }
    }
}
