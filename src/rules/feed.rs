//! What the payment feed and the payout feed share, as pure rules: where the next listing starts
//! (the cursor, with an overlap), and the list of statuses a chat hears (`/payments events …`).
//!
//! # The cursor
//! A feed lists records oldest first from `from_date` on. The cursor is the newest creation time
//! read so far, on OxaPay's clock; the next listing starts [`CURSOR_OVERLAP_SECS`] before it, so
//! records created in the same second as the newest one (or listed a little late) are read again
//! rather than lost. Records read twice are the same ledger rows and tell nothing twice.
//!
//! The cursor only moves forward, and only as far as what was read in order: after a listing that
//! stopped early (a failed page, the page bound) it moves to the newest record read only if the
//! pages came back oldest first, as asked; otherwise it stays. A creation time beyond our clock by
//! more than [`MAX_CLOCK_LEAD_SECS`] moves it to that limit only: if OxaPay's clock runs ahead and
//! is then put right, records created after the correction are not skipped.

use std::collections::BTreeSet;

use crate::telemetry::preview;

/// How far before the cursor a listing starts again.
pub const CURSOR_OVERLAP_SECS: i64 = 300;

/// How far ahead of our clock a creation time may move the cursor.
pub const MAX_CLOCK_LEAD_SECS: i64 = 300;

/// The longest backfill a first start reads (`PAYMENT_BACKFILL_DAYS` at most 365).
pub const MAX_BACKFILL_DAYS: u32 = 365;

const DAY_SECS: i64 = 86_400;

/// Whether records read are told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The first reading: stored silently, nobody hears about old records as new.
    Backfill,
    /// Records read after the backfill (polled or called back): told.
    Live,
}

/// The mode a record read now is decided in. Until the first reading has been read to its end
/// (`backfill_done`), records are stored silently — except those created since the feed's first
/// failed reading (`failing_since`, kept while it fails): those were made while the bot ran and
/// could not read them, and are told as any later record.
pub fn mode_for(backfill_done: bool, failing_since: Option<i64>, created_at: Option<i64>) -> Mode {
    match (backfill_done, failing_since, created_at) {
        (true, _, _) => Mode::Live,
        (false, Some(since), Some(created)) if created >= since => Mode::Live,
        _ => Mode::Backfill,
    }
}

/// `from_date` of a feed's listing: the cursor less the overlap, or, on a first start (no
/// cursor), `backfill_days` back from `now` (and the overlap, which the silent backfill makes
/// harmless).
pub fn listing_from(cursor: Option<i64>, now: i64, backfill_days: u32) -> i64 {
    match cursor {
        Some(cursor) => cursor.saturating_sub(CURSOR_OVERLAP_SECS),
        None => now
            .saturating_sub(i64::from(backfill_days.min(MAX_BACKFILL_DAYS)) * DAY_SECS)
            .saturating_sub(CURSOR_OVERLAP_SECS),
    }
}

/// The cursor after a listing: `created` holds each record's creation time in the order listed
/// (`None` where it was unreadable), `complete` whether every page was read.
pub fn advance_cursor(
    cursor: Option<i64>,
    created: &[Option<i64>],
    complete: bool,
    now: i64,
) -> Option<i64> {
    let times: Vec<i64> = created.iter().flatten().copied().collect();
    let in_order = times.windows(2).all(|w| w[0] <= w[1]);
    let newest = if complete || in_order {
        times.iter().max().copied()
    } else {
        None
    };
    let limit = now.saturating_add(MAX_CLOCK_LEAD_SECS);
    match (cursor, newest.map(|n| n.min(limit))) {
        (Some(c), Some(n)) => Some(c.max(n)),
        (c, n) => c.or(n),
    }
}

/// A feed's status vocabulary, for the lists a chat picks from.
pub trait FeedStatus: Clone + Ord + Sized {
    /// Every status of the vendor's table, in its order.
    fn known() -> Vec<Self>;
    /// What a chat hears when it picks nothing.
    fn defaults() -> BTreeSet<Self>;
    /// The status named `text` (any case), or `None` for a name not in the table.
    fn named(text: &str) -> Option<Self>;
    fn name(&self) -> &str;
}

/// Why a list of statuses was refused. `Display` is the sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventListError {
    #[error("name at least one status, separated by commas (or all, or default)")]
    Empty,
    #[error("“{name}” is not a status; the statuses are: {known} (or all, or default)")]
    Unknown { name: String, known: String },
}

/// The statuses in a `/payments events …` argument: names separated by commas or spaces, in any
/// case, `-` for `_`; `all` and `default` stand for those sets. Repeats count once.
///
/// # Errors
/// Nothing named, or a name not in the vendor's table (the first one, shortened).
pub fn parse_event_list<S: FeedStatus>(text: &str) -> Result<BTreeSet<S>, EventListError> {
    let mut out = BTreeSet::new();
    for word in text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        match word.to_lowercase().as_str() {
            "all" => out.extend(S::known()),
            "default" => out.extend(S::defaults()),
            name => match S::named(name) {
                Some(status) => {
                    out.insert(status);
                }
                None => {
                    let shown: String = preview(word).chars().filter(|c| !c.is_control()).collect();
                    return Err(EventListError::Unknown {
                        name: shown,
                        known: event_list_text(&S::known().into_iter().collect()),
                    });
                }
            },
        }
    }
    if out.is_empty() {
        return Err(EventListError::Empty);
    }
    Ok(out)
}

/// A set of statuses as the list a chat's setting stores and shows: the table's order, commas.
/// [`parse_event_list`] reads it back.
pub fn event_list_text<S: FeedStatus>(set: &BTreeSet<S>) -> String {
    S::known()
        .iter()
        .filter(|s| set.contains(s))
        .map(|s| s.name().to_owned())
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NOW: i64 = 1_800_000_000;

    #[test]
    fn a_first_start_reaches_back_the_backfill_days() {
        assert_eq!(listing_from(None, NOW, 30), NOW - 30 * DAY_SECS - 300);
        assert_eq!(listing_from(None, NOW, 0), NOW - 300);
        assert_eq!(listing_from(None, NOW, 9999), NOW - 365 * DAY_SECS - 300);
        assert_eq!(listing_from(Some(NOW - 50), NOW, 30), NOW - 350);
        assert_eq!(listing_from(Some(i64::MIN + 5), NOW, 30), i64::MIN);
    }

    #[test]
    fn the_first_reading_is_silent_except_for_what_was_made_while_it_failed() {
        assert_eq!(mode_for(true, None, Some(NOW - 9_000_000)), Mode::Live);
        assert_eq!(mode_for(false, None, Some(NOW)), Mode::Backfill);
        assert_eq!(
            mode_for(false, Some(NOW - 60), Some(NOW - 61)),
            Mode::Backfill
        );
        assert_eq!(mode_for(false, Some(NOW - 60), Some(NOW - 60)), Mode::Live);
        assert_eq!(mode_for(false, Some(NOW - 60), None), Mode::Backfill);
    }

    #[test]
    fn the_cursor_moves_to_the_newest_read_and_never_back() {
        let t = |v: &[i64]| v.iter().map(|x| Some(*x)).collect::<Vec<_>>();
        // (cursor, created, complete, want)
        type Case = (Option<i64>, Vec<Option<i64>>, bool, Option<i64>);
        let cases: [Case; 10] = [
            (None, vec![], true, None),
            (Some(NOW - 10), vec![], true, Some(NOW - 10)),
            (None, t(&[NOW - 30, NOW - 20]), true, Some(NOW - 20)),
            (Some(NOW - 5), t(&[NOW - 30, NOW - 20]), true, Some(NOW - 5)),
            // Same second twice: the cursor stays on it, the overlap reads it again.
            (None, t(&[NOW - 20, NOW - 20]), true, Some(NOW - 20)),
            // Unreadable times are skipped.
            (None, vec![None, Some(NOW - 20), None], true, Some(NOW - 20)),
            // Stopped early but in order: up to what was read.
            (
                Some(NOW - 100),
                t(&[NOW - 90, NOW - 80]),
                false,
                Some(NOW - 80),
            ),
            // Stopped early and out of order: the listing cannot be trusted to be a prefix.
            (
                Some(NOW - 100),
                t(&[NOW - 80, NOW - 90]),
                false,
                Some(NOW - 100),
            ),
            // OxaPay's clock an hour ahead: no further than our clock and the lead.
            (
                Some(NOW - 100),
                t(&[NOW + 3600]),
                true,
                Some(NOW + MAX_CLOCK_LEAD_SECS),
            ),
            // A cursor already ahead stays.
            (Some(NOW + 9000), t(&[NOW + 3600]), true, Some(NOW + 9000)),
        ];
        for (cursor, created, complete, want) in cases {
            assert_eq!(
                advance_cursor(cursor, &created, complete, NOW),
                want,
                "{cursor:?} {created:?} {complete}"
            );
        }
    }

    proptest! {
        /// Whatever is read, the cursor never moves back, never passes our clock's lead, and a
        /// record created after the correction of a clock that ran ahead is still listed.
        #[test]
        fn the_cursor_is_monotone_and_bounded(
            cursor in prop::option::of(NOW - 1_000_000..NOW + 1_000_000),
            created in prop::collection::vec(prop::option::of(NOW - 2_000_000..NOW + 2_000_000), 0..20),
            complete in any::<bool>(),
        ) {
            let next = advance_cursor(cursor, &created, complete, NOW);
            if let Some(c) = cursor {
                prop_assert!(next.unwrap() >= c);
                if c <= NOW + MAX_CLOCK_LEAD_SECS {
                    prop_assert!(next.unwrap() <= NOW + MAX_CLOCK_LEAD_SECS);
                }
            }
            if let Some(n) = next {
                // A record created now (our clock, the corrected one) is at or after from_date.
                if cursor.is_none_or(|c| c <= NOW) {
                    prop_assert!(listing_from(Some(n), NOW, 30) <= NOW);
                }
            }
            // Every record read in order is at or before the new cursor (or capped).
            if complete {
                for t in created.iter().flatten() {
                    prop_assert!(next.unwrap() >= (*t).min(NOW + MAX_CLOCK_LEAD_SECS));
                }
            }
        }
    }
}
