//! Per-chat flood control, as pure state over a caller-supplied clock.
//!
//! Commands: a token bucket per chat (a burst, then a steady rate); the first command over the
//! limit gets one "slow down" reply, the rest are dropped silently until the bucket refills.
//! Refusals to strangers: at most one per chat per window, so the bot never amplifies spam.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

use crate::rules::domain::ChatId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Serve,
    /// Over the limit for the first time in this spell: tell the chat once.
    SlowDown,
    /// Over the limit again: say nothing.
    Drop,
}

#[derive(Debug, Clone, Copy)]
pub struct FloodSettings {
    pub burst: u32,
    pub refill_every: Duration,
    pub refusal_window: Duration,
}

impl Default for FloodSettings {
    fn default() -> Self {
        Self {
            burst: 10,
            refill_every: Duration::from_secs(1),
            refusal_window: Duration::from_secs(60),
        }
    }
}

struct Bucket {
    tokens: f64,
    updated: Instant,
    warned: bool,
}

pub struct FloodGuard {
    settings: FloodSettings,
    buckets: HashMap<ChatId, Bucket>,
    refusals: HashMap<ChatId, Instant>,
}

/// Past this many tracked chats, idle entries are dropped so memory stays bounded.
const PRUNE_AT: usize = 10_000;

impl FloodGuard {
    pub fn new(settings: FloodSettings) -> Self {
        Self {
            settings,
            buckets: HashMap::new(),
            refusals: HashMap::new(),
        }
    }

    pub fn command(&mut self, chat_id: ChatId, now: Instant) -> Verdict {
        let s = self.settings;
        let per_sec = 1.0 / s.refill_every.as_secs_f64().max(1e-9);
        if self.buckets.len() >= PRUNE_AT {
            let full_after = s.refill_every * s.burst;
            self.buckets
                .retain(|_, b| now.saturating_duration_since(b.updated) < full_after);
        }
        let bucket = self.buckets.entry(chat_id).or_insert(Bucket {
            tokens: s.burst as f64,
            updated: now,
            warned: false,
        });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * per_sec).min(s.burst as f64);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            bucket.warned = false;
            Verdict::Serve
        } else if bucket.warned {
            Verdict::Drop
        } else {
            bucket.warned = true;
            Verdict::SlowDown
        }
    }

    /// Whether a stranger in this chat should be told they are not authorized.
    pub fn refusal(&mut self, chat_id: ChatId, now: Instant) -> bool {
        let window = self.settings.refusal_window;
        if self.refusals.len() >= PRUNE_AT {
            self.refusals
                .retain(|_, at| now.saturating_duration_since(*at) < window);
        }
        match self.refusals.get(&chat_id) {
            Some(at) if now.saturating_duration_since(*at) < window => false,
            _ => {
                self.refusals.insert(chat_id, now);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard() -> FloodGuard {
        FloodGuard::new(FloodSettings {
            burst: 3,
            refill_every: Duration::from_secs(1),
            refusal_window: Duration::from_secs(60),
        })
    }

    #[test]
    fn burst_then_one_warning_then_silence_then_recovery() {
        let mut g = guard();
        let t0 = Instant::now();
        let verdicts: Vec<_> = (0..6).map(|_| g.command(ChatId(1), t0)).collect();
        use Verdict::*;
        assert_eq!(verdicts, vec![Serve, Serve, Serve, SlowDown, Drop, Drop]);
        // Another chat is not affected.
        assert_eq!(g.command(ChatId(2), t0), Serve);
        // A token comes back after a second.
        assert_eq!(
            g.command(ChatId(1), t0 + Duration::from_millis(1001)),
            Serve
        );
        assert_eq!(
            g.command(ChatId(1), t0 + Duration::from_millis(1002)),
            SlowDown
        );
    }

    #[test]
    fn refusals_once_per_window() {
        let mut g = guard();
        let t0 = Instant::now();
        assert!(g.refusal(ChatId(5), t0));
        assert!(!g.refusal(ChatId(5), t0 + Duration::from_secs(59)));
        assert!(g.refusal(ChatId(6), t0));
        assert!(g.refusal(ChatId(5), t0 + Duration::from_secs(60)));
    }

    #[test]
    fn memory_stays_bounded() {
        let mut g = guard();
        let t0 = Instant::now();
        for chat in 0..(PRUNE_AT as i64 * 3) {
            g.command(ChatId(chat), t0 + Duration::from_secs(chat as u64));
            g.refusal(ChatId(chat), t0 + Duration::from_secs(chat as u64));
        }
        assert!(g.buckets.len() <= PRUNE_AT);
        assert!(g.refusals.len() <= PRUNE_AT);
    }
}
