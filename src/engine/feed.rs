//! What the payment and payout feeds' loops share: the wait after a poll (the interval, backing
//! off while reads fail, never shorter than OxaPay's `Retry-After`), the feed's new position and
//! health, the admins' notices, and which chats' mutes hold messages now.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::oxapay::OxaPayError;
use crate::rules::domain::{ChatId, UserId};
use crate::rules::feed::{Mode, advance_cursor};
use crate::rules::oxapay_health::{HealthNotice, next_health};
use crate::store::{FeedState, FeedUpdate, MessageKind, Owed, Store};

/// The longest wait between polls while a list cannot be read.
const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);

/// The wait before the next poll: `interval`, doubled for each failed poll in a row up to 15
/// minutes, and never shorter than OxaPay's `Retry-After`.
pub fn next_wait(interval: Duration, failures: u32, retry_after: Option<Duration>) -> Duration {
    if failures == 0 {
        return interval;
    }
    let doublings = (failures - 1).min(10);
    let backoff = interval.saturating_mul(1 << doublings).min(MAX_BACKOFF);
    backoff.max(interval).max(retry_after.unwrap_or_default())
}

/// How long OxaPay asked to wait (a 429's `Retry-After`), if it did.
pub fn retry_after(e: &OxaPayError) -> Option<Duration> {
    match e {
        OxaPayError::Status { retry_after, .. } | OxaPayError::Refused { retry_after, .. } => {
            retry_after.map(Duration::from_secs)
        }
        _ => None,
    }
}

/// What one poll read, for the feed's position and health.
pub struct Polled<'a> {
    /// The new listing's creation times, in the order listed.
    pub listed_created: &'a [Option<i64>],
    /// Every page of the new listing was read.
    pub complete: bool,
    pub error: Option<&'a OxaPayError>,
}

/// The feed's position and health after a poll, and the notice the admins are owed (after
/// `failures_before_notice` failed polls in a row, and when it reads again).
pub fn feed_update(
    state: &FeedState,
    polled: &Polled<'_>,
    mode: Mode,
    now: i64,
    failures_before_notice: u32,
) -> (FeedUpdate, Option<HealthNotice>) {
    let (health, notice) = next_health(
        &state.health,
        polled.error.map_or(Ok(()), Err),
        now,
        failures_before_notice,
    );
    let update = FeedUpdate {
        cursor: advance_cursor(state.cursor, polled.listed_created, polled.complete, now),
        backfill_done: state.backfill_done || (mode == Mode::Backfill && polled.complete),
        polls: state.polls + 1,
        success_at: polled.error.is_none().then_some(now),
        health,
    };
    (update, notice)
}

/// The same notice to every admin.
pub fn to_admins(admins: &BTreeSet<UserId>, text: &str) -> Vec<Owed> {
    admins
        .iter()
        .map(|a| Owed::new(ChatId::from(*a), text.to_owned(), MessageKind::Notice))
        .collect()
}

/// The chats whose mute holds messages at `now`.
pub async fn muted_chats(store: &Store, now: i64) -> sqlx::Result<BTreeSet<ChatId>> {
    Ok(store
        .mutes()
        .await?
        .into_iter()
        .filter(|m| m.until > now)
        .map(|m| m.chat_id)
        .collect())
}

/// Whether a poll is the silent first reading.
pub fn mode(state: &FeedState) -> Mode {
    if state.backfill_done {
        Mode::Live
    } else {
        Mode::Backfill
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_while_failing_and_honour_retry_after() {
        let i = Duration::from_secs(30);
        let secs = |f, r: Option<u64>| next_wait(i, f, r.map(Duration::from_secs)).as_secs();
        assert_eq!(secs(0, Some(999)), 30, "a working poll waits the interval");
        assert_eq!(secs(1, None), 30);
        assert_eq!(secs(2, None), 60);
        assert_eq!(secs(4, None), 240);
        assert_eq!(secs(10, None), 900, "at most 15 minutes");
        assert_eq!(secs(1, Some(120)), 120, "Retry-After wins when longer");
    }
}
