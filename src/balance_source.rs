//! The one way the bot reads balances: concurrent callers share a single OxaPay request
//! (single flight), and a successful answer is reused while it is younger than the cache window.
//! Failures are shared by the callers that waited for them but never cached.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::FutureExt;
use futures::future::{BoxFuture, Shared};
use tokio::time::Instant;

use crate::oxapay::{Balances, OxaPayClient, OxaPayError};

/// Balances and when OxaPay gave them.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub balances: Balances,
    pub fetched_at: DateTime<Utc>,
    fetched: Instant,
}

type Flight = Shared<BoxFuture<'static, Result<Arc<Snapshot>, OxaPayError>>>;

#[derive(Default)]
struct State {
    fresh: Option<Arc<Snapshot>>,
    in_flight: Option<(u64, Flight)>,
    next_flight: u64,
}

pub struct BalanceSource {
    client: OxaPayClient,
    max_age: Duration,
    state: std::sync::Mutex<State>,
    calls: std::sync::atomic::AtomicU64,
}

impl BalanceSource {
    pub fn new(client: OxaPayClient, max_age: Duration) -> Self {
        Self {
            client,
            max_age,
            state: Default::default(),
            calls: Default::default(),
        }
    }

    /// How many requests went to OxaPay since start (for logs and benchmarks).
    pub fn oxapay_calls(&self) -> u64 {
        self.calls.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Current balances: from the cache while fresh, else from the request already under way,
    /// else from a new request.
    pub async fn read(self: &Arc<Self>) -> Result<Arc<Snapshot>, OxaPayError> {
        let flight = {
            let mut state = self.state.lock().expect("balance cache lock poisoned");
            if let Some(snap) = &state.fresh
                && !self.max_age.is_zero()
                && snap.fetched.elapsed() < self.max_age
            {
                return Ok(snap.clone());
            }
            match &state.in_flight {
                Some((_, flight)) => flight.clone(),
                None => {
                    let id = state.next_flight;
                    state.next_flight += 1;
                    let this = Arc::clone(self);
                    // Spawned so a caller that gives up (its chat handler is cancelled) does not
                    // cancel the read for everyone else waiting on it; the task itself retires
                    // the flight, so no later caller can join a finished, aging read.
                    let task = tokio::spawn(async move {
                        let result = this.fetch().await;
                        let mut state = this.state.lock().expect("balance cache lock poisoned");
                        if matches!(&state.in_flight, Some((current, _)) if *current == id) {
                            state.in_flight = None;
                        }
                        if let Ok(snap) = &result {
                            state.fresh = Some(snap.clone());
                        }
                        result
                    });
                    let flight = async move {
                        task.await.unwrap_or_else(|e| {
                            Err(OxaPayError::Connection(format!(
                                "balance read task failed: {e}"
                            )))
                        })
                    }
                    .boxed()
                    .shared();
                    state.in_flight = Some((id, flight.clone()));
                    flight
                }
            }
        };
        flight.await
    }

    async fn fetch(&self) -> Result<Arc<Snapshot>, OxaPayError> {
        self.calls
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let started = Instant::now();
        let result = self.client.balances(None).await;
        let ms = started.elapsed().as_millis() as u64;
        match &result {
            Ok(b) => {
                tracing::debug!(currencies = b.amounts.len(), ms, "OxaPay balances read");
                if !b.unreadable.is_empty() {
                    tracing::warn!(unreadable = ?b.unreadable, "OxaPay sent amounts the bot cannot read");
                }
            }
            Err(e) => tracing::warn!(error = %e, ms, "OxaPay balance read failed"),
        }
        result.map(|balances| {
            Arc::new(Snapshot {
                balances,
                fetched_at: Utc::now(),
                fetched: Instant::now(),
            })
        })
    }
}
