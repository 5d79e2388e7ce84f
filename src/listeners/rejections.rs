//! Rejected requests, logged at most once a minute: a scanner hammering a public endpoint must
//! not flood the log. The line after a quiet minute says how many went unlogged meanwhile.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Rejected requests are logged at most this often.
pub const LOG_EVERY: Duration = Duration::from_secs(60);

#[derive(Default)]
pub struct RejectionLog {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    last_logged: Option<Instant>,
    unlogged: u64,
}

impl RejectionLog {
    /// Whether this rejection is to be logged now; when it is, how many were not since the last
    /// line.
    pub fn due(&self, now: Instant) -> Option<u64> {
        let mut log = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if log
            .last_logged
            .is_some_and(|at| now.duration_since(at) < LOG_EVERY)
        {
            log.unlogged += 1;
            return None;
        }
        let skipped = log.unlogged;
        log.last_logged = Some(now);
        log.unlogged = 0;
        Some(skipped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn once_a_minute_with_the_count_of_the_quiet_ones() {
        let log = RejectionLog::default();
        let t0 = Instant::now();
        assert_eq!(log.due(t0), Some(0));
        assert_eq!(log.due(t0 + Duration::from_secs(1)), None);
        assert_eq!(log.due(t0 + Duration::from_secs(59)), None);
        assert_eq!(log.due(t0 + Duration::from_secs(60)), Some(2));
        assert_eq!(log.due(t0 + Duration::from_secs(61)), None);
    }
}
