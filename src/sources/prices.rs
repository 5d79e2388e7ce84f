//! The one way the bot reads USD prices: a [`SingleFlight`] in front of the prices client with
//! its own cache window (`PRICE_CACHE_SECS`), apart from the balances' so that a price failure
//! never fails a balance read. Each snapshot carries its fetch time, so a price older than the
//! window is never shown as current.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;

use crate::metrics::{Endpoint, Metrics};
use crate::oxapay::{OxaPayError, PriceError, Prices, PricesClient};
use crate::sources::single_flight::{SingleFlight, TaskFailed};

/// With the cache off, a price list still counts as current for this long: enough for the reply
/// (or check) it was read for, far less than any price moves by.
pub const CURRENT_WITHOUT_CACHE: Duration = Duration::from_secs(10);

/// Prices and when OxaPay gave them.
#[derive(Debug, Clone)]
pub struct PriceSnapshot {
    pub prices: Prices,
    pub fetched_at: DateTime<Utc>,
    fetched: Instant,
    current_for: Duration,
}

impl PriceSnapshot {
    /// How long ago OxaPay gave these prices.
    pub fn age(&self) -> Duration {
        self.fetched.elapsed()
    }

    /// Whether these prices may be shown as current: not older than the cache window (or
    /// [`CURRENT_WITHOUT_CACHE`] when the cache is off). A snapshot kept past that is stale.
    pub fn is_current(&self) -> bool {
        self.age() <= self.current_for
    }
}

/// The prices a caller may use as current from one read: `None` when the read failed or is older
/// than the cache window (a stale price is never used as current).
pub fn current(read: &Result<Arc<PriceSnapshot>, PriceError>) -> Option<&PriceSnapshot> {
    read.as_ref().ok().filter(|p| p.is_current()).map(|p| &**p)
}

impl From<TaskFailed> for PriceError {
    fn from(e: TaskFailed) -> Self {
        PriceError(OxaPayError::from(e))
    }
}

pub struct PriceSource {
    flight: Arc<SingleFlight<PriceSnapshot, PriceError>>,
}

impl PriceSource {
    /// Reads through `client`; `max_age` zero turns the cache off (concurrent readers still
    /// share one request).
    pub fn new(client: PricesClient, max_age: Duration) -> Self {
        Self::with_metrics(client, max_age, None)
    }

    /// Like [`PriceSource::new`], recording each OxaPay request (result and latency) in
    /// `metrics`.
    pub fn with_metrics(client: PricesClient, max_age: Duration, metrics: Option<Metrics>) -> Self {
        let client = Arc::new(client);
        let current_for = if max_age.is_zero() {
            CURRENT_WITHOUT_CACHE
        } else {
            max_age
        };
        let flight = SingleFlight::new(max_age, move || {
            let client = Arc::clone(&client);
            let metrics = metrics.clone();
            async move { fetch(&client, current_for, metrics.as_ref()).await }
        });
        Self { flight }
    }

    /// How many price requests went to OxaPay since start.
    pub fn requests(&self) -> u64 {
        self.flight.requests()
    }

    /// The cache window (`PRICE_CACHE_SECS`).
    pub fn max_age(&self) -> Duration {
        self.flight.max_age()
    }

    /// Current prices: from the cache while fresh, else from the request already under way,
    /// else from a new request. An error here means "no USD values", never a failed balance.
    pub async fn read(&self) -> Result<Arc<PriceSnapshot>, PriceError> {
        self.flight.read().await
    }
}

async fn fetch(
    client: &PricesClient,
    current_for: Duration,
    metrics: Option<&Metrics>,
) -> Result<PriceSnapshot, PriceError> {
    let started = Instant::now();
    let result = client.prices().await;
    let took = started.elapsed();
    let ms = took.as_millis() as u64;
    if let Some(m) = metrics {
        m.oxapay_request(
            Endpoint::Prices,
            result.as_ref().map(drop).map_err(|e| &e.0),
            took,
        );
    }
    match &result {
        Ok(p) => {
            tracing::debug!(coins = p.usd.len(), ms, "OxaPay prices read");
            if !p.unusable.is_empty() {
                tracing::debug!(unusable = ?p.unusable, "OxaPay listed coins without a usable price");
            }
        }
        Err(e) => tracing::warn!(error = %e, ms, "OxaPay price read failed"),
    }
    result.map(|prices| PriceSnapshot {
        prices,
        fetched_at: Utc::now(),
        fetched: Instant::now(),
        current_for,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use crate::oxapay::test_server::{Fake, Reply};
    use crate::oxapay::{BalanceApi, V1Client};
    use crate::sources::balances::BalanceSource;

    const PRICES: &str =
        r#"{"data":{"BTC":94876.55,"USDT":1,"DUST":0},"error":{},"status":200,"version":"1.0.0"}"#;
    const BALANCES: &str = r#"{"data":{"BTC":0.5,"USDT":250},"error":{},"status":200}"#;

    async fn source(fake: &Fake, max_age: Duration) -> Arc<PriceSource> {
        let client = PricesClient::new(&fake.url, Duration::from_secs(5)).unwrap();
        Arc::new(PriceSource::new(client, max_age))
    }

    #[tokio::test]
    async fn a_burst_costs_one_price_request_and_the_window_is_kept() {
        let fake = Fake::start(Reply::json(200, PRICES).delayed(Duration::from_millis(200))).await;
        let prices = source(&fake, Duration::from_millis(600)).await;
        let burst: Vec<_> = (0..25).map(|_| prices.read()).collect();
        for snap in futures::future::join_all(burst).await {
            let snap = snap.unwrap();
            assert_eq!(
                snap.prices
                    .usd_per_coin(&Currency::from_api("BTC").unwrap())
                    .unwrap()
                    .amount()
                    .to_string(),
                "94876.55"
            );
            assert_eq!(
                snap.prices
                    .usd_per_coin(&Currency::from_api("DUST").unwrap()),
                None,
                "a zero price is no price"
            );
            assert_eq!(
                snap.prices
                    .usd_per_coin(&Currency::from_api("ETH").unwrap()),
                None
            );
            assert!(snap.is_current());
        }
        assert_eq!((fake.calls(), prices.requests()), (1, 1));
        let held = prices.read().await.unwrap();
        assert_eq!(fake.calls(), 1, "served from the cache");

        // Past the window: the held snapshot says it is stale, and the next read asks again.
        tokio::time::sleep(Duration::from_millis(700)).await;
        assert!(held.age() > prices.max_age());
        assert!(
            !held.is_current(),
            "a price older than the window is not current"
        );
        let fresh = prices.read().await.unwrap();
        assert!(fresh.is_current() && fresh.fetched_at > held.fetched_at);
        assert_eq!(fake.calls(), 2);
    }

    #[tokio::test]
    async fn without_a_cache_a_price_is_current_only_for_its_own_reply() {
        let fake = Fake::start(Reply::json(200, PRICES)).await;
        let prices = source(&fake, Duration::ZERO).await;
        let snap = prices.read().await.unwrap();
        assert!(snap.is_current() && snap.age() < CURRENT_WITHOUT_CACHE);
        prices.read().await.unwrap();
        assert_eq!(fake.calls(), 2, "cache off: every read asks");
    }

    #[tokio::test]
    async fn a_price_failure_is_shown_apart_and_leaves_balances_working() {
        let oxapay = Fake::start(Reply::json(200, BALANCES)).await;
        let prices_down = Fake::start(Reply::html(503, "<html>maintenance</html>")).await;
        let balances = BalanceSource::new(
            BalanceApi::V1(
                V1Client::new(
                    &oxapay.url,
                    "general-key-1234".into(),
                    Duration::from_secs(5),
                )
                .unwrap(),
            ),
            Duration::from_secs(5),
        );
        let prices = source(&prices_down, Duration::from_secs(60)).await;
        let (b, p) = tokio::join!(balances.read(), prices.read());
        assert_eq!(b.unwrap().balances.amounts["USDT"].to_string(), "250");
        let e = p.unwrap_err();
        assert_eq!(
            e.user_message(),
            "USD prices are unavailable right now (HTTP 503), so no values are shown."
        );
        assert!(e.to_string().starts_with("price read failed"), "{e}");
        assert_eq!(prices_down.calls(), 2, "a 503 is retried once");

        // A failure is not cached: the next read asks again and succeeds.
        prices_down.set_default(Reply::json(200, PRICES));
        assert!(prices.read().await.is_ok());
        assert_eq!(prices_down.calls(), 3);
        assert_eq!(balances.api(), "OxaPay v1 API (general key)");
    }
}
