//! Counters of finished background work. Tests and benchmarks wait on them ("the next check has
//! completed") instead of sleeping for a time that may be too short on a slow machine; the
//! product only bumps them.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::sync::watch;

#[derive(Clone, Debug)]
pub struct Progress {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    checks: watch::Sender<u64>,
    deliveries: watch::Sender<u64>,
    report_passes: watch::Sender<u64>,
    snapshots: watch::Sender<u64>,
    feed_polls: watch::Sender<u64>,
    bound: watch::Sender<Bound>,
}

/// The addresses the bot listens on, once bound: with port 0 in the configuration, the port the
/// system chose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bound {
    pub metrics: Option<SocketAddr>,
    pub webhook: Option<SocketAddr>,
    pub callbacks: Option<SocketAddr>,
}

/// Which listening socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Socket {
    Metrics,
    Webhook,
    Callbacks,
}

impl Default for Progress {
    fn default() -> Self {
        Self {
            inner: Arc::new(Inner {
                checks: watch::channel(0).0,
                deliveries: watch::channel(0).0,
                report_passes: watch::channel(0).0,
                snapshots: watch::channel(0).0,
                feed_polls: watch::channel(0).0,
                bound: watch::channel(Bound::default()).0,
            }),
        }
    }
}

impl Progress {
    /// A balance check cycle finished (whatever its outcome, including "nothing to check").
    pub fn check_done(&self) {
        self.inner.checks.send_modify(|n| *n += 1);
    }

    /// A socket was bound at `addr`.
    pub fn bound(&self, socket: Socket, addr: SocketAddr) {
        self.inner.bound.send_modify(|b| match socket {
            Socket::Metrics => b.metrics = Some(addr),
            Socket::Webhook => b.webhook = Some(addr),
            Socket::Callbacks => b.callbacks = Some(addr),
        });
    }

    /// The addresses bound so far; `wait_for` on it waits for a socket.
    pub fn addresses(&self) -> watch::Receiver<Bound> {
        self.inner.bound.subscribe()
    }

    /// The delivery worker recorded what became of one owed message (sent, refused, parked, or
    /// set to retry later).
    pub fn message_settled(&self) {
        self.inner.deliveries.send_modify(|n| *n += 1);
    }

    /// The report scheduler looked at every schedule (and wrote what was due).
    pub fn report_pass_done(&self) {
        self.inner.report_passes.send_modify(|n| *n += 1);
    }

    /// A balance snapshot was added to the history.
    pub fn history_recorded(&self) {
        self.inner.snapshots.send_modify(|n| *n += 1);
    }

    /// A payment or payout feed finished a poll (whatever its outcome).
    pub fn feed_poll_done(&self) {
        self.inner.feed_polls.send_modify(|n| *n += 1);
    }

    /// Completed feed polls since start.
    pub fn feed_polls(&self) -> watch::Receiver<u64> {
        self.inner.feed_polls.subscribe()
    }

    /// Completed report scheduler passes since start.
    pub fn report_passes(&self) -> watch::Receiver<u64> {
        self.inner.report_passes.subscribe()
    }

    /// Snapshots recorded since start.
    pub fn snapshots(&self) -> watch::Receiver<u64> {
        self.inner.snapshots.subscribe()
    }

    /// Completed check cycles since start; `wait_for(|n| *n >= k)` on it is a barrier.
    pub fn checks(&self) -> watch::Receiver<u64> {
        self.inner.checks.subscribe()
    }

    /// Owed messages settled since start (one per send attempt's outcome).
    pub fn deliveries(&self) -> watch::Receiver<u64> {
        self.inner.deliveries.subscribe()
    }
}
