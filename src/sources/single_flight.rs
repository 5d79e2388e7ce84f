//! Single flight with a short cache, for any read from a slow outside source (balances, prices):
//! concurrent callers share one request, and a successful answer is reused while it is younger
//! than `max_age`. Failures are shared by the callers that waited for them but never cached, so a
//! failure is never hidden behind an older answer, nor an older answer shown after its window.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};
use tokio::time::Instant;

/// The read task died (a panic in the fetch): turned into the caller's error type.
#[derive(Debug, Clone)]
pub struct TaskFailed(pub String);

type Fetch<T, E> = Box<dyn Fn() -> BoxFuture<'static, Result<T, E>> + Send + Sync>;
type Flight<T, E> = Shared<BoxFuture<'static, Result<Arc<T>, E>>>;

struct State<T, E> {
    /// The last success and when it arrived.
    fresh: Option<(Instant, Arc<T>)>,
    in_flight: Option<(u64, Flight<T, E>)>,
    next_flight: u64,
}

pub struct SingleFlight<T, E> {
    max_age: Duration,
    fetch: Fetch<T, E>,
    state: Mutex<State<T, E>>,
    requests: AtomicU64,
}

impl<T, E> SingleFlight<T, E>
where
    T: Send + Sync + 'static,
    E: Clone + Send + Sync + From<TaskFailed> + 'static,
{
    /// `fetch` makes one request; `max_age` zero turns the cache off (concurrent callers still
    /// share one request).
    pub fn new<F, Fut>(max_age: Duration, fetch: F) -> Arc<Self>
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<T, E>> + Send + 'static,
    {
        Arc::new(Self {
            max_age,
            fetch: Box::new(move || fetch().boxed()),
            state: Mutex::new(State {
                fresh: None,
                in_flight: None,
                next_flight: 0,
            }),
            requests: AtomicU64::new(0),
        })
    }

    pub fn max_age(&self) -> Duration {
        self.max_age
    }

    /// How many requests were made since start (for logs, tests and benchmarks).
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// The value: from the cache while fresh, else from the request already under way, else
    /// from a new request.
    pub async fn read(self: &Arc<Self>) -> Result<Arc<T>, E> {
        let flight = {
            let mut state = self.lock();
            if let Some((at, value)) = &state.fresh
                && !self.max_age.is_zero()
                && at.elapsed() < self.max_age
            {
                return Ok(value.clone());
            }
            match &state.in_flight {
                Some((_, flight)) => flight.clone(),
                None => {
                    let id = state.next_flight;
                    state.next_flight += 1;
                    // `fetch` only builds the request's future here; it runs in a task.
                    let flight = self.start(id);
                    state.in_flight = Some((id, flight.clone()));
                    flight
                }
            }
        };
        flight.await
    }

    fn start(self: &Arc<Self>, id: u64) -> Flight<T, E> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let this = Arc::clone(self);
        let request = (self.fetch)();
        // Spawned so a caller that gives up (its chat handler is cancelled) does not cancel the
        // read for everyone else waiting on it; the task itself retires the flight, so no later
        // caller can join a finished, aging read.
        let task = tokio::spawn(async move {
            let result = request.await.map(Arc::new);
            let mut state = this.lock();
            state.retire(id);
            if let Ok(value) = &result {
                state.fresh = Some((Instant::now(), value.clone()));
            }
            result
        });
        // Weak: the flight is stored in `state`, and must not keep its own source alive.
        let weak = Arc::downgrade(self);
        async move {
            task.await.unwrap_or_else(|e| {
                // The task died before retiring its flight: later callers must not join it.
                if let Some(this) = weak.upgrade() {
                    this.lock().retire(id);
                }
                Err(TaskFailed(format!("read task failed: {e}")).into())
            })
        }
        .boxed()
        .shared()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State<T, E>> {
        self.state.lock().expect("single-flight lock poisoned")
    }
}

impl<T, E> State<T, E> {
    /// Forgets flight `id` if it is still the current one (a newer one may have started).
    fn retire(&mut self, id: u64) {
        if matches!(&self.in_flight, Some((current, _)) if *current == id) {
            self.in_flight = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU32;

    #[derive(Debug, Clone, PartialEq)]
    struct Failed(String);
    impl From<TaskFailed> for Failed {
        fn from(e: TaskFailed) -> Self {
            Failed(e.0)
        }
    }

    /// A source whose answers count up (1, 2, …) after `delay`; it fails while `failing` is set.
    fn counter(
        max_age: Duration,
        delay: Duration,
        failing: Arc<AtomicU32>,
    ) -> Arc<SingleFlight<u32, Failed>> {
        let n = Arc::new(AtomicU32::new(0));
        SingleFlight::new(max_age, move || {
            let n = n.fetch_add(1, Ordering::SeqCst) + 1;
            let failing = failing.load(Ordering::SeqCst) > 0;
            async move {
                tokio::time::sleep(delay).await;
                if failing {
                    Err(Failed(format!("failure {n}")))
                } else {
                    Ok(n)
                }
            }
        })
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_costs_one_request_and_the_cache_serves_until_its_window_ends() {
        let source = counter(
            Duration::from_secs(5),
            Duration::from_millis(100),
            Arc::default(),
        );
        let burst: Vec<_> = (0..50).map(|_| source.read()).collect();
        for result in futures::future::join_all(burst).await {
            assert_eq!(*result.unwrap(), 1);
        }
        assert_eq!(source.requests(), 1);
        tokio::time::advance(Duration::from_secs(4)).await;
        assert_eq!(*source.read().await.unwrap(), 1);
        tokio::time::advance(Duration::from_secs(2)).await;
        assert_eq!(*source.read().await.unwrap(), 2, "expired: read again");
        assert_eq!(source.requests(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn without_a_cache_only_concurrent_callers_share() {
        let source = counter(Duration::ZERO, Duration::from_millis(100), Arc::default());
        let (a, b) = tokio::join!(source.read(), source.read());
        assert_eq!((*a.unwrap(), *b.unwrap()), (1, 1));
        assert_eq!(*source.read().await.unwrap(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn failures_are_shared_but_never_cached_nor_hidden_by_an_older_value() {
        let failing = Arc::new(AtomicU32::new(0));
        let source = counter(
            Duration::from_secs(1),
            Duration::from_millis(10),
            failing.clone(),
        );
        assert_eq!(*source.read().await.unwrap(), 1);
        tokio::time::advance(Duration::from_secs(2)).await;
        failing.store(1, Ordering::SeqCst);
        let (a, b) = tokio::join!(source.read(), source.read());
        assert_eq!(a.unwrap_err(), Failed("failure 2".into()));
        assert_eq!(b.unwrap_err(), Failed("failure 2".into()));
        assert_eq!(source.read().await.unwrap_err(), Failed("failure 3".into()));
        failing.store(0, Ordering::SeqCst);
        assert_eq!(*source.read().await.unwrap(), 4);
    }

    #[tokio::test(start_paused = true)]
    async fn a_caller_that_gives_up_does_not_cancel_the_read_for_the_others() {
        let source = counter(
            Duration::from_secs(5),
            Duration::from_secs(1),
            Arc::default(),
        );
        let impatient = tokio::time::timeout(Duration::from_millis(10), source.read()).await;
        assert!(impatient.is_err());
        assert_eq!(*source.read().await.unwrap(), 1);
        assert_eq!(source.requests(), 1);
    }

    #[tokio::test]
    async fn a_panicking_fetch_is_an_error_not_a_hang() {
        let source: Arc<SingleFlight<u32, Failed>> =
            SingleFlight::new(Duration::from_secs(5), || async { panic!("boom") });
        let e = source.read().await.unwrap_err();
        assert!(e.0.contains("read task failed"), "{e:?}");
        // The dead flight is not joined by later callers.
        assert!(source.read().await.is_err());
        assert_eq!(source.requests(), 2);
    }
}
