//! The one way the bot reads balances: a [`SingleFlight`] in front of the balance API (legacy or
//! v1, the rest of the bot does not know which). Concurrent callers share a single OxaPay
//! request, and a successful answer is reused while it is younger than the cache window.
//! Failures are shared by the callers that waited for them but never cached.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;
use tokio::time::Instant;

use crate::metrics::{Endpoint, Metrics};
use crate::oxapay::{BalanceApi, Balances, OxaPayError};
use crate::sources::single_flight::{SingleFlight, TaskFailed};

/// Balances and when OxaPay gave them.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub balances: Balances,
    pub fetched_at: DateTime<Utc>,
    fetched: Instant,
}

impl Snapshot {
    /// How long ago OxaPay gave these balances.
    pub fn age(&self) -> Duration {
        self.fetched.elapsed()
    }
}

impl From<TaskFailed> for OxaPayError {
    fn from(e: TaskFailed) -> Self {
        OxaPayError::Connection(e.0)
    }
}

pub struct BalanceSource {
    flight: Arc<SingleFlight<Snapshot, OxaPayError>>,
    api: &'static str,
    /// The newest successful read, whoever asked for it (the history records these).
    latest: watch::Sender<Option<Arc<Snapshot>>>,
}

impl BalanceSource {
    /// Reads through `api`; `max_age` zero turns the cache off (concurrent readers still share
    /// one request).
    pub fn new(api: BalanceApi, max_age: Duration) -> Self {
        Self::with_metrics(api, max_age, None)
    }

    /// Like [`BalanceSource::new`], recording each OxaPay request (result and latency) and each
    /// successful read's time in `metrics`.
    pub fn with_metrics(api: BalanceApi, max_age: Duration, metrics: Option<Metrics>) -> Self {
        let described = api.describe();
        let api = Arc::new(api);
        let latest = watch::Sender::new(None);
        let publish = latest.clone();
        let flight = SingleFlight::new(max_age, move || {
            let api = Arc::clone(&api);
            let metrics = metrics.clone();
            let publish = publish.clone();
            async move {
                let read = fetch(&api, metrics.as_ref()).await;
                if let Ok(snap) = &read {
                    publish.send_replace(Some(Arc::new(snap.clone())));
                }
                read
            }
        });
        Self {
            flight,
            api: described,
            latest,
        }
    }

    /// Which API the balances come from, e.g. "OxaPay v1 API (general key)" (for admins).
    pub fn api(&self) -> &'static str {
        self.api
    }

    /// How many requests went to OxaPay since start (for logs and benchmarks).
    pub fn oxapay_calls(&self) -> u64 {
        self.flight.requests()
    }

    /// Every successful read from now on, as it happens (the newest only, if the watcher lags).
    pub fn subscribe(&self) -> watch::Receiver<Option<Arc<Snapshot>>> {
        self.latest.subscribe()
    }

    /// Current balances: from the cache while fresh, else from the request already under way,
    /// else from a new request.
    pub async fn read(&self) -> Result<Arc<Snapshot>, OxaPayError> {
        self.flight.read().await
    }
}

async fn fetch(api: &BalanceApi, metrics: Option<&Metrics>) -> Result<Snapshot, OxaPayError> {
    let started = Instant::now();
    let result = api.balances().await;
    let took = started.elapsed();
    let ms = took.as_millis() as u64;
    if let Some(m) = metrics {
        m.oxapay_request(Endpoint::Balance, result.as_ref().map(drop), took);
        if result.is_ok() {
            m.balance_read_at(crate::clock::now_unix());
        }
    }
    match &result {
        Ok(b) => {
            tracing::debug!(currencies = b.amounts.len(), ms, "OxaPay balances read");
            if !b.unreadable.is_empty() {
                tracing::warn!(unreadable = ?b.unreadable, "OxaPay sent amounts the bot cannot read");
            }
        }
        Err(e) => tracing::warn!(error = %e, ms, "OxaPay balance read failed"),
    }
    result.map(|balances| Snapshot {
        balances,
        fetched_at: Utc::now(),
        fetched: Instant::now(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use crate::oxapay::test_server::{Fake, Reply};
    use crate::oxapay::{LegacyClient, V1Client};

    #[tokio::test]
    async fn either_api_behind_one_source_a_burst_costs_one_request() {
        let v1 = Fake::start(
            Reply::json(200, r#"{"data":{"BTC":0.5},"error":{},"status":200}"#)
                .delayed(Duration::from_millis(200)),
        )
        .await;
        let legacy = Fake::start(
            Reply::json(200, r#"{"result":100,"data":{"BTC":"0.5"}}"#)
                .delayed(Duration::from_millis(200)),
        )
        .await;
        let timeout = Duration::from_secs(5);
        let apis = [
            (
                BalanceApi::V1(V1Client::new(&v1.url, "general-key-1".into(), timeout).unwrap()),
                &v1,
            ),
            (
                BalanceApi::Legacy(
                    LegacyClient::new(&legacy.url, "payout-key-1".into(), timeout).unwrap(),
                ),
                &legacy,
            ),
        ];
        for (api, fake) in apis {
            let source = BalanceSource::new(api, Duration::from_secs(5));
            let burst: Vec<_> = (0..25).map(|_| source.read()).collect();
            for snap in futures::future::join_all(burst).await {
                let snap = snap.unwrap();
                assert_eq!(
                    snap.balances
                        .amount(&Currency::from_api("BTC").unwrap())
                        .unwrap()
                        .to_string(),
                    "0.5"
                );
                assert!(snap.age() < Duration::from_secs(5));
            }
            assert_eq!((fake.calls(), source.oxapay_calls()), (1, 1));
        }
    }
}
