//! The balance history as pure functions: which snapshots to keep as they age, `/history`
//! arguments, thinning a series for a chart, and the exact summary for the chart's caption.
//! Times are Unix seconds (UTC), as stored.
//!
//! ## Retention
//! Every successful balance read is recorded as a snapshot, at most one per
//! `HISTORY_INTERVAL_SECS` (a setting). As snapshots age:
//! - younger than 7 days: all kept (full resolution);
//! - 7 to 90 days: one per UTC hour;
//! - 90 days to `HISTORY_RETENTION_DAYS` (a setting): one per UTC
//!   day;
//! - older: dropped. The newest snapshot is never dropped, however old, so the last known
//!   balance stays visible.
//!
//! The one kept per hour or day is the **last** snapshot of that bucket: a real read, never an
//! average, so every number shown was once on the account. The tier boundaries are aligned to
//! whole UTC hours and days ([`Cutoffs`]): a bucket is thinned only once all of it has aged into
//! the coarser tier, so it is never split between two rules. That makes retention idempotent
//! (running it twice changes nothing more) and stable as time moves on (running it at `t1` and
//! then at `t2` keeps exactly what running it once at `t2` keeps).
//!
//! ## Size, for a year at 900 s and 50 currencies
//! One balance read is one snapshot time shared by all its currencies, so retention works on
//! snapshot times and the store drops every currency row of a dropped time together (a total
//! stays the sum of one read). Snapshot times kept in steady state:
//! - full resolution: 7 days × 96 a day = 672 (+1 at the edge),
//! - hourly: 83 days × 24 = 1,992,
//! - daily: 310 days (90 → 400) = 310,
//!
//! about **2,975 snapshot times** (at most ≈ 3,000 with the partly aged buckets at each tier
//! edge; the `a_year_at_the_default_interval` test counts it), against 38,400 for 400 days
//! unthinned. With one row per currency per time: 2,975 × 50 ≈ **149,000 rows** (instead of
//! 1.9 million).
//! A quick check with the sqlite3 tool (those 148,750 rows of (time INTEGER, currency TEXT,
//! amount TEXT), amounts of 14 characters like `12345.12345678`, after `VACUUM`): **7.1 MB** as
//! a rowid table with a unique index on (currency, time), **4.2 MB** as a `WITHOUT ROWID` table
//! keyed by (currency, time), about 28 bytes a row. The real schema's size belongs in
//! `docs/BENCHMARKS.md`. The interval drives the full-resolution tier: at 60 s it holds 10,080
//! times instead of 672 (then ≈ 12,400 times, 620,000 rows).

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::money::Currency;
use crate::rules::domain::Subject;
use crate::rules::quote::quote;

/// Snapshots younger than this are all kept.
pub const FULL_RESOLUTION_DAYS: u32 = 7;
/// Snapshots younger than this (and older than a week) are kept one per hour.
pub const HOURLY_DAYS: u32 = 90;

const HOUR: i64 = 3600;
const DAY: i64 = 86_400;

/// Where the retention tiers begin at one instant, aligned to whole UTC hours and days:
/// `drop_before <= daily_before <= hourly_before <= now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cutoffs {
    /// Snapshots before this are thinned to one per UTC hour; from it on, all are kept.
    pub hourly_before: i64,
    /// Snapshots before this are thinned to one per UTC day.
    pub daily_before: i64,
    /// Snapshots before this are dropped (except the newest snapshot of all).
    pub drop_before: i64,
}

/// The tier boundaries at `now`. A retention shorter than the tiers shortens them: with
/// `retention_days` below 90 there is no daily tier, below 7 no hourly one either.
pub fn cutoffs(now: i64, retention_days: u32) -> Cutoffs {
    let ago = |days: u32| now.saturating_sub(i64::from(days) * DAY);
    let full = FULL_RESOLUTION_DAYS.min(retention_days);
    let hourly = HOURLY_DAYS.min(retention_days);
    Cutoffs {
        hourly_before: floor_to(ago(full), HOUR),
        daily_before: floor_to(ago(hourly), DAY),
        drop_before: floor_to(ago(retention_days), DAY),
    }
}

fn floor_to(t: i64, unit: i64) -> i64 {
    t.div_euclid(unit).saturating_mul(unit)
}

/// What retention does to the stored snapshot times; both lists ascending, without repeats.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetentionPlan {
    pub keep: Vec<i64>,
    pub drop: Vec<i64>,
}

/// Which tier bucket a snapshot falls in: snapshots sharing a bucket other than `Full` are
/// thinned to the last of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bucket {
    Full,
    Hour(i64),
    Day(i64),
    Gone,
}

fn bucket(t: i64, c: &Cutoffs) -> Bucket {
    if t >= c.hourly_before {
        Bucket::Full
    } else if t >= c.daily_before {
        Bucket::Hour(t.div_euclid(HOUR))
    } else if t >= c.drop_before {
        Bucket::Day(t.div_euclid(DAY))
    } else {
        Bucket::Gone
    }
}

/// Splits the stored snapshot times (any order; repeats count once) into those to keep and
/// those to delete at `now`. Snapshots in the future (a clock stepped back) are kept.
pub fn plan_retention(times: &[i64], now: i64, retention_days: u32) -> RetentionPlan {
    let mut sorted = times.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let c = cutoffs(now, retention_days);
    let mut plan = RetentionPlan::default();
    for (i, &t) in sorted.iter().enumerate() {
        let here = bucket(t, &c);
        let keep = match sorted.get(i + 1) {
            // The newest of all stays, whatever its age.
            None => true,
            Some(&next) => match here {
                Bucket::Full => true,
                Bucket::Gone => false,
                // Sorted, so the last of a bucket is the one whose successor is elsewhere.
                Bucket::Hour(_) | Bucket::Day(_) => bucket(next, &c) != here,
            },
        };
        if keep {
            plan.keep.push(t);
        } else {
            plan.drop.push(t);
        }
    }
    plan
}

/// The period `/history` covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Span {
    Week,
    Month,
    Quarter,
    Year,
}

impl Span {
    /// Its length in seconds: 7, 30, 90 or 365 days.
    pub fn seconds(self) -> i64 {
        let days = match self {
            Span::Week => 7,
            Span::Month => 30,
            Span::Quarter => 90,
            Span::Year => 365,
        };
        days * DAY
    }

    /// For people: `7 days`, `30 days`, `90 days`, `1 year`.
    pub fn label(self) -> &'static str {
        match self {
            Span::Week => "7 days",
            Span::Month => "30 days",
            Span::Quarter => "90 days",
            Span::Year => "1 year",
        }
    }

    fn parse(word: &str) -> Option<Span> {
        [Span::Week, Span::Month, Span::Quarter, Span::Year]
            .into_iter()
            .find(|span| word.eq_ignore_ascii_case(&span.to_string()))
    }
}

/// As typed: `7d`, `30d`, `90d`, `1y`.
impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Span::Week => "7d",
            Span::Month => "30d",
            Span::Quarter => "90d",
            Span::Year => "1y",
        })
    }
}

/// What `/history …` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRequest {
    pub subject: Subject,
    pub span: Span,
}

/// Why `/history` arguments were refused. `Display` is a sentence for the user saying what was
/// wrong and what is accepted; quoted words are shortened, not HTML-escaped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HistoryArgsError {
    #[error(
        "{given} is neither a currency nor a period: write a currency like BTC (or total) and a period of 7d, 30d, 90d or 1y"
    )]
    NotUnderstood { given: String },
    #[error("{given} is not a period: write 7d, 30d, 90d or 1y")]
    UnknownSpan { given: String },
    #[error("one currency at a time: write a currency like BTC, or total")]
    TwoSubjects,
    #[error("one period at a time: write 7d, 30d, 90d or 1y")]
    TwoSpans,
    #[error("too many words: write at most a currency (or total) and a period, like BTC 90d")]
    TooManyWords,
}

/// Parses the text after `/history`: at most a subject (`total` or a currency code) and a
/// period (`7d`, `30d`, `90d`, `1y`), in either order, any case. Defaults: `total` over `30d`.
pub fn parse_history_args(args: &str) -> Result<HistoryRequest, HistoryArgsError> {
    let words: Vec<&str> = args.split_whitespace().collect();
    if words.len() > 2 {
        return Err(HistoryArgsError::TooManyWords);
    }
    let mut subject = None;
    let mut span = None;
    for word in words {
        if let Some(s) = Span::parse(word) {
            if span.replace(s).is_some() {
                return Err(HistoryArgsError::TwoSpans);
            }
            continue;
        }
        if looks_like_a_span(word) {
            return Err(HistoryArgsError::UnknownSpan { given: quote(word) });
        }
        let s = if word.eq_ignore_ascii_case("total") {
            Subject::Total
        } else {
            Subject::Coin(
                Currency::parse(word)
                    .map_err(|_| HistoryArgsError::NotUnderstood { given: quote(word) })?,
            )
        };
        if subject.replace(s).is_some() {
            return Err(HistoryArgsError::TwoSubjects);
        }
    }
    Ok(HistoryRequest {
        subject: subject.unwrap_or(Subject::Total),
        span: span.unwrap_or(Span::Month),
    })
}

/// `14d`, `2w`, `6months`, `365`: a period the command does not offer, which would otherwise
/// pass as a currency code (`1INCH` is a real one, so only digits followed by a unit count).
fn looks_like_a_span(word: &str) -> bool {
    let unit = word.trim_start_matches(|c: char| c.is_ascii_digit());
    let has_digits = unit.len() < word.len();
    has_digits
        && [
            "", "d", "day", "days", "w", "wk", "week", "weeks", "m", "mo", "mon", "month",
            "months", "y", "yr", "year", "years", "h", "hour", "hours",
        ]
        .iter()
        .any(|u| unit.eq_ignore_ascii_case(u))
}

/// Thins a series for a chart to at most `max_points` points, keeping its shape.
///
/// The rule is M4 (Jugel et al., VLDB 2014): the time range is cut into `max_points / 4` equal
/// buckets, and each bucket keeps its first, last, lowest and highest point (real points, in
/// time order). A line through them draws the same picture as the full series at that width:
/// every peak and trough survives, each bucket enters and leaves at the right height, and the
/// series' first, last, minimum and maximum are always kept. Equal-time buckets (rather than
/// equal-count) keep gaps (the bot was down) visible as gaps. With `max_points` = 1,000 that
/// is 250 buckets, about one per 5 pixels of a 1280-pixel chart.
///
/// A series no longer than `max_points` comes back whole. Below 4 points there is no room for a
/// bucket: the last point comes first, then the minimum, the maximum and the first.
/// The input may be in any order; the output is sorted by time.
pub fn downsample(series: &[(i64, Decimal)], max_points: usize) -> Vec<(i64, Decimal)> {
    let mut sorted = series.to_vec();
    sorted.sort_by_key(|&(t, _)| t);
    if sorted.len() <= max_points {
        return sorted;
    }
    let picked = if max_points < 4 {
        tiny(&sorted, max_points)
    } else {
        m4(&sorted, max_points / 4)
    };
    picked.into_iter().map(|i| sorted[i]).collect()
}

/// Indices of the last, lowest, highest and first points, in that order of priority, sorted.
fn tiny(sorted: &[(i64, Decimal)], max_points: usize) -> Vec<usize> {
    let Some((low, high)) = extremes(sorted, 0..sorted.len()) else {
        return Vec::new();
    };
    let mut picked = Vec::new();
    for i in [sorted.len() - 1, low, high, 0] {
        if picked.len() < max_points && !picked.contains(&i) {
            picked.push(i);
        }
    }
    picked.sort_unstable();
    picked
}

/// Indices kept by M4 over `buckets` equal time buckets, sorted and without repeats.
fn m4(sorted: &[(i64, Decimal)], buckets: usize) -> Vec<usize> {
    let (Some(&(t0, _)), Some(&(t1, _))) = (sorted.first(), sorted.last()) else {
        return Vec::new();
    };
    // i128: a span of the full i64 range times a bucket count must not overflow.
    let span = i128::from(t1) - i128::from(t0) + 1;
    let bucket_of = |t: i64| ((i128::from(t) - i128::from(t0)) * buckets as i128 / span) as usize;
    let mut picked = Vec::with_capacity(buckets * 4);
    let mut start = 0;
    while start < sorted.len() {
        let b = bucket_of(sorted[start].0);
        let end = start
            + sorted[start..]
                .iter()
                .take_while(|&&(t, _)| bucket_of(t) == b)
                .count();
        if let Some((low, high)) = extremes(sorted, start..end) {
            let mut four = [start, low, high, end - 1];
            four.sort_unstable();
            picked.extend(four);
        }
        start = end;
    }
    picked.dedup();
    picked
}

/// Indices of the lowest and highest values in `range` (the earliest of equals), if any.
fn extremes(sorted: &[(i64, Decimal)], range: std::ops::Range<usize>) -> Option<(usize, usize)> {
    let mut it = range.into_iter();
    let first = it.next()?;
    Some(it.fold((first, first), |(low, high), i| {
        let v = sorted[i].1;
        (
            if v < sorted[low].1 { i } else { low },
            if v > sorted[high].1 { i } else { high },
        )
    }))
}

/// One value of a series at one time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    pub at: i64,
    pub value: Decimal,
}

/// The numbers for a chart's caption, all exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// The earliest point.
    pub first: Point,
    /// The latest point.
    pub last: Point,
    /// `last − first`, exact, at the scale of the more precise of the two.
    pub change: Decimal,
    /// `change / |first| × 100`, rounded once to one decimal, half away from zero (2.25 → 2.3,
    /// −2.25 → −2.3), always shown with one decimal (`0.0`, never `-0.0`). `None` when the
    /// first value is zero: there is no base to take a percentage of (and, in theory only, when
    /// the percentage is beyond `Decimal`: a base near 10⁻²⁸ against a huge change).
    pub change_percent: Option<Decimal>,
    /// The lowest value, at the earliest time it was reached.
    pub min: Point,
    /// The highest value, at the earliest time it was reached.
    pub max: Point,
    /// How many points the series has.
    pub count: usize,
}

/// Why there is no summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SummaryError {
    #[error("no balance was recorded in this period")]
    Empty,
    /// Only for amounts near `Decimal`'s limit (±7.9 × 10²⁸) of opposite signs.
    #[error("the change is too large to compute exactly")]
    TooLarge,
}

/// Summarizes a series (any order). Ties in time: the first and last in slice order.
pub fn summarize(series: &[(i64, Decimal)]) -> Result<Summary, SummaryError> {
    let point = |&(at, value): &(i64, Decimal)| Point { at, value };
    let (first, rest) = series.split_first().ok_or(SummaryError::Empty)?;
    let start = point(first);
    let (mut first, mut last, mut min, mut max) = (start, start, start, start);
    for p in rest.iter().map(point) {
        if p.at < first.at {
            first = p;
        }
        if p.at >= last.at {
            last = p;
        }
        if p.value < min.value || (p.value == min.value && p.at < min.at) {
            min = p;
        }
        if p.value > max.value || (p.value == max.value && p.at < max.at) {
            max = p;
        }
    }
    let change = last
        .value
        .checked_sub(first.value)
        .ok_or(SummaryError::TooLarge)?;
    Ok(Summary {
        first,
        last,
        change,
        change_percent: percent(change, first.value),
        min,
        max,
        count: series.len(),
    })
}

/// `change / |base| × 100` to one decimal, half away from zero; `None` for a zero base (or a
/// quotient beyond `Decimal`, which only a base of about 10⁻²⁶ next to a large change reaches).
/// The quotient is exact to 28 significant digits before the one rounding to a tenth.
pub(crate) fn percent(change: Decimal, base: Decimal) -> Option<Decimal> {
    if base.is_zero() {
        return None;
    }
    let mut p = change
        .checked_div(base.abs())?
        .checked_mul(Decimal::ONE_HUNDRED)?
        .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
    p.rescale(1);
    if p.is_zero() {
        p.set_sign_positive(true);
    }
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A retention of a year and a bit, as deployed by default.
    const RETENTION_DAYS: u32 = 400;
    use proptest::prelude::*;
    use std::collections::BTreeSet;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// Midnight UTC, 1 June 2025.
    const NOW: i64 = 1_748_736_000;

    // ---- retention ----

    #[test]
    fn cutoffs_are_aligned_and_ordered() {
        let c = cutoffs(NOW + 1234, RETENTION_DAYS);
        assert_eq!(c.hourly_before, NOW - 7 * DAY);
        assert_eq!(c.daily_before, NOW - 90 * DAY);
        assert_eq!(c.drop_before, NOW - 400 * DAY);
        let c = cutoffs(NOW + 2 * HOUR + 5, RETENTION_DAYS);
        assert_eq!(c.hourly_before, NOW - 7 * DAY + 2 * HOUR);
        for days in [0, 1, 6, 7, 30, 89, 90, 400, u32::MAX] {
            for now in [i64::MIN, -1, 0, NOW + 7, i64::MAX] {
                let c = cutoffs(now, days);
                assert!(c.drop_before <= c.daily_before, "{days} {now}");
                assert!(c.daily_before <= c.hourly_before, "{days} {now}");
                assert!(c.hourly_before <= now, "{days} {now}");
            }
        }
    }

    #[test]
    fn a_year_at_the_default_interval() {
        // A snapshot every 900 s for 410 days, up to now.
        let times: Vec<i64> = (0..410 * 96).map(|k| NOW - k * 900).collect();
        let plan = plan_retention(&times, NOW, RETENTION_DAYS);
        let full = 7 * 96 + 1; // now itself, back to exactly 7 days ago
        let hourly = 83 * 24;
        let daily = 310;
        assert_eq!(plan.keep.len(), full + hourly + daily);
        assert_eq!(plan.keep.len(), 2975);
        assert_eq!(plan.keep.len() + plan.drop.len(), times.len());
        // The last read of each hour and day: xx:45 and 23:45.
        let hourly_kept: Vec<_> = plan
            .keep
            .iter()
            .filter(|&&t| (NOW - 90 * DAY..NOW - 7 * DAY).contains(&t))
            .collect();
        assert!(hourly_kept.iter().all(|&&t| t.rem_euclid(HOUR) == 2700));
        let daily_kept: Vec<_> = plan.keep.iter().filter(|&&t| t < NOW - 90 * DAY).collect();
        assert!(daily_kept.iter().all(|&&t| t.rem_euclid(DAY) == DAY - 900));
        assert_eq!(*daily_kept[0], NOW - 400 * DAY + DAY - 900);
    }

    #[test]
    fn the_last_of_each_bucket_is_kept_not_the_first() {
        let old_hour = NOW - 10 * DAY; // an hour start in the hourly tier
        let old_day = NOW - 100 * DAY; // a day start in the daily tier
        let times = [
            old_day + 10,
            old_day + 50_000,
            old_day + DAY - 1,
            old_hour,
            old_hour + 1800,
            old_hour + 3599,
            NOW - 3 * DAY,
            NOW - 3 * DAY + 1,
        ];
        let plan = plan_retention(&times, NOW, RETENTION_DAYS);
        assert_eq!(
            plan.keep,
            [
                old_day + DAY - 1,
                old_hour + 3599,
                NOW - 3 * DAY,
                NOW - 3 * DAY + 1
            ]
        );
        assert_eq!(
            plan.drop,
            [old_day + 10, old_day + 50_000, old_hour, old_hour + 1800]
        );
    }

    #[test]
    fn a_bucket_is_thinned_only_once_all_of_it_has_aged() {
        // An hour that straddles "7 days ago": kept whole until its end is 7 days old.
        let hour = NOW - 7 * DAY;
        let times = [hour + 60, hour + 1800, hour + 3540];
        let at = |now| plan_retention(&times, now, RETENTION_DAYS).keep;
        assert_eq!(at(NOW + 1800), times.to_vec());
        assert_eq!(at(NOW + HOUR - 1), times.to_vec());
        assert_eq!(at(NOW + HOUR), [hour + 3540]);
    }

    #[test]
    fn old_snapshots_go_but_the_newest_stays() {
        let times = [NOW - 500 * DAY, NOW - 450 * DAY, NOW - 401 * DAY];
        let plan = plan_retention(&times, NOW, RETENTION_DAYS);
        assert_eq!(plan.keep, [NOW - 401 * DAY]);
        assert_eq!(plan.drop, [NOW - 500 * DAY, NOW - 450 * DAY]);
        assert_eq!(
            plan_retention(&[], NOW, RETENTION_DAYS),
            RetentionPlan::default()
        );
    }

    #[test]
    fn repeats_unsorted_input_and_future_times() {
        let times = [NOW + 500, NOW - 10, NOW - 10, NOW - 20];
        let plan = plan_retention(&times, NOW, RETENTION_DAYS);
        assert_eq!(plan.keep, [NOW - 20, NOW - 10, NOW + 500]);
        assert!(plan.drop.is_empty());
    }

    #[test]
    fn a_short_retention_shortens_the_tiers() {
        let times = [
            NOW - 40 * DAY,
            NOW - 20 * DAY,
            NOW - 20 * DAY + 10,
            NOW - DAY,
        ];
        let plan = plan_retention(&times, NOW, 30);
        assert_eq!(plan.keep, [NOW - 20 * DAY + 10, NOW - DAY]);
        let plan = plan_retention(&times, NOW, 0);
        assert_eq!(plan.keep, [NOW - DAY], "only the newest");
    }

    /// Records every 900 s for 500 days and runs retention once a day, as the bot would: the
    /// result equals one run at the end over everything ever recorded.
    #[test]
    fn daily_runs_match_one_run_at_the_end() {
        let start = NOW - 500 * DAY;
        let mut stored: Vec<i64> = Vec::new();
        let mut all = Vec::new();
        let mut t = start;
        while t <= NOW {
            stored.push(t);
            all.push(t);
            if (t - start) % DAY == 13 * HOUR {
                stored = plan_retention(&stored, t, RETENTION_DAYS).keep;
            }
            t += 900;
        }
        assert_eq!(
            plan_retention(&stored, NOW, RETENTION_DAYS).keep,
            plan_retention(&all, NOW, RETENTION_DAYS).keep
        );
    }

    fn any_times() -> impl Strategy<Value = Vec<i64>> {
        let spread = prop::collection::vec(-2 * DAY..450 * DAY, 0..150);
        // Dense clusters, so buckets really hold several snapshots.
        let clusters = prop::collection::vec(
            (
                -2 * DAY..450 * DAY,
                prop::collection::vec(0i64..3 * HOUR, 1..30),
            ),
            0..8,
        )
        .prop_map(|cs| {
            cs.into_iter()
                .flat_map(|(base, offs)| offs.into_iter().map(move |o| base + o))
                .collect::<Vec<_>>()
        });
        (spread, clusters).prop_map(|(a, b)| {
            a.into_iter()
                .chain(b)
                .map(|age| NOW - age)
                .collect::<Vec<_>>()
        })
    }

    proptest! {
        #[test]
        fn retention_rules(times in any_times(), days in prop::sample::select(vec![0u32, 5, 30, 90, 400, 1000])) {
            let plan = plan_retention(&times, NOW, days);
            let input: BTreeSet<i64> = times.iter().copied().collect();
            let keep: BTreeSet<i64> = plan.keep.iter().copied().collect();
            let drop: BTreeSet<i64> = plan.drop.iter().copied().collect();
            prop_assert_eq!(keep.len(), plan.keep.len());
            prop_assert!(keep.is_disjoint(&drop));
            prop_assert_eq!(keep.union(&drop).copied().collect::<BTreeSet<_>>(), input.clone());
            if let Some(newest) = input.last() {
                prop_assert!(keep.contains(newest), "the newest was dropped");
            }
            let c = cutoffs(NOW, days);
            let full_days = i64::from(FULL_RESOLUTION_DAYS.min(days));
            for &t in &input {
                if t > NOW - full_days * DAY {
                    prop_assert!(keep.contains(&t), "{} is recent", t);
                }
            }
            let newest = input.last().copied();
            let beyond = |before: i64, unit: i64| {
                let kept: Vec<i64> = keep
                    .iter()
                    .filter(|&&t| t < before && Some(t) != newest)
                    .map(|t| t.div_euclid(unit))
                    .collect();
                let unique: BTreeSet<i64> = kept.iter().copied().collect();
                kept.len() == unique.len()
            };
            prop_assert!(beyond(c.hourly_before, HOUR), "two in one hour");
            prop_assert!(beyond(c.daily_before, DAY), "two in one day");
            prop_assert!(keep.iter().all(|&t| t >= c.drop_before || Some(t) == newest));
            // Each kept thinned snapshot is the last of its bucket in the input.
            for &t in keep.iter().filter(|&&t| t < c.hourly_before) {
                let unit = if t < c.daily_before { DAY } else { HOUR };
                let later_same = input.iter().any(|&u| u > t && u.div_euclid(unit) == t.div_euclid(unit));
                prop_assert!(!later_same || Some(t) == newest, "{} is not the last", t);
            }
        }

        #[test]
        fn retention_is_idempotent_and_stable(times in any_times(), step in 0i64..200 * DAY, days in prop::sample::select(vec![7u32, 90, 400])) {
            let once = plan_retention(&times, NOW, days);
            let twice = plan_retention(&once.keep, NOW, days);
            prop_assert_eq!(&twice.keep, &once.keep);
            prop_assert!(twice.drop.is_empty());
            let later = NOW + step;
            prop_assert_eq!(
                plan_retention(&once.keep, later, days).keep,
                plan_retention(&times, later, days).keep
            );
        }
    }

    // ---- /history arguments ----

    fn req(subject: Subject, span: Span) -> HistoryRequest {
        HistoryRequest { subject, span }
    }

    fn cur(code: &str) -> Subject {
        Subject::Coin(Currency::parse(code).unwrap())
    }

    #[test]
    fn history_defaults_and_either_order() {
        let ok = |args: &str| parse_history_args(args).unwrap_or_else(|e| panic!("{args}: {e}"));
        assert_eq!(ok(""), req(Subject::Total, Span::Month));
        assert_eq!(ok("total"), req(Subject::Total, Span::Month));
        assert_eq!(ok("TOTAL 1Y"), req(Subject::Total, Span::Year));
        assert_eq!(ok("btc"), req(cur("BTC"), Span::Month));
        assert_eq!(ok("btc 7d"), req(cur("BTC"), Span::Week));
        assert_eq!(ok("90D usdt"), req(cur("USDT"), Span::Quarter));
        assert_eq!(ok(" 30d "), req(Subject::Total, Span::Month));
        assert_eq!(ok("1inch 1y"), req(cur("1INCH"), Span::Year));
        assert_eq!(ok("USDT20"), req(cur("USDT20"), Span::Month));
        for span in [Span::Week, Span::Month, Span::Quarter, Span::Year] {
            assert_eq!(ok(&span.to_string()).span, span);
        }
        assert_eq!(Span::Year.seconds(), 365 * DAY);
        assert_eq!(Span::Week.label(), "7 days");
    }

    #[test]
    fn history_bad_input_says_what_is_accepted() {
        use HistoryArgsError::*;
        let cases = [
            ("btc eth", TwoSubjects),
            ("total btc", TwoSubjects),
            ("7d 30d", TwoSpans),
            ("btc 7d 30d", TooManyWords),
            (
                "14d",
                UnknownSpan {
                    given: quote("14d"),
                },
            ),
            ("btc 2w", UnknownSpan { given: quote("2w") }),
            (
                "6months",
                UnknownSpan {
                    given: quote("6months"),
                },
            ),
            (
                "365",
                UnknownSpan {
                    given: quote("365"),
                },
            ),
            (
                "24h btc",
                UnknownSpan {
                    given: quote("24h"),
                },
            ),
            ("B", NotUnderstood { given: quote("B") }),
            (
                "btc;",
                NotUnderstood {
                    given: quote("btc;"),
                },
            ),
            (
                "usdt-trc20",
                NotUnderstood {
                    given: quote("usdt-trc20"),
                },
            ),
            (
                "₿",
                NotUnderstood {
                    given: quote("₿")
                },
            ),
        ];
        for (args, expected) in cases {
            assert_eq!(parse_history_args(args), Err(expected), "{args:?}");
        }
        assert_eq!(
            parse_history_args("2w").unwrap_err().to_string(),
            "“2w” is not a period: write 7d, 30d, 90d or 1y"
        );
        assert!(
            parse_history_args("<script>")
                .unwrap_err()
                .to_string()
                .starts_with("“<script>” is neither a currency nor a period: write")
        );
    }

    proptest! {
        #[test]
        fn history_parsing_never_panics_and_errors_are_short(args in ".{0,80}") {
            if let Err(e) = parse_history_args(&args) {
                let text = e.to_string();
                prop_assert!(!text.is_empty());
                prop_assert!(text.chars().count() <= 160, "{}", text);
            }
        }

        #[test]
        fn history_words_that_look_right(
            a in "(btc|USDT|total|7d|30D|90d|1y|2w|[a-zA-Z0-9]{1,12}|.{1,3})",
            b in prop::option::of("(btc|total|7d|1Y|365d|[a-z0-9]{1,12})"),
        ) {
            let args = format!("{a} {}", b.unwrap_or_default());
            if let Ok(r) = parse_history_args(&args)
                && let Subject::Coin(c) = &r.subject
            {
                prop_assert!(c.as_str().bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
                prop_assert!(!looks_like_a_span(c.as_str()));
            }
        }
    }

    // ---- display downsampling ----

    fn series(values: &[&str]) -> Vec<(i64, Decimal)> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| (NOW + i as i64 * 900, d(v)))
            .collect()
    }

    #[test]
    fn short_series_come_back_whole_and_sorted() {
        let s = series(&["1", "2", "3"]);
        assert_eq!(downsample(&s, 1000), s);
        let mut shuffled = s.clone();
        shuffled.reverse();
        assert_eq!(downsample(&shuffled, 3), s);
        assert_eq!(downsample(&[], 1000), []);
    }

    #[test]
    fn m4_keeps_first_last_min_max_of_each_bucket() {
        // 12 points in 2 buckets (max 8 points): 0..6 and 6..12.
        let s = series(&["5", "9", "1", "5", "5", "6", "7", "7", "0.5", "7", "8", "7"]);
        let out = downsample(&s, 8);
        let kept: Vec<&str> = vec!["5", "9", "1", "6", "7", "0.5", "8", "7"];
        assert_eq!(
            out.iter().map(|p| p.1).collect::<Vec<_>>(),
            kept.iter().map(|v| d(v)).collect::<Vec<_>>()
        );
        assert_eq!(
            out.iter().map(|p| (p.0 - NOW) / 900).collect::<Vec<_>>(),
            [0, 1, 2, 5, 6, 8, 10, 11]
        );
    }

    #[test]
    fn a_spike_survives_a_year_thinned_to_a_thousand_points() {
        let mut s: Vec<(i64, Decimal)> = (0..35_040).map(|k| (NOW + k * 900, d("100.5"))).collect();
        s[12_345].1 = d("0.00000001");
        s[23_456].1 = d("999999.99");
        let out = downsample(&s, 1000);
        assert!(out.len() <= 1000);
        assert!(out.contains(&s[12_345]) && out.contains(&s[23_456]));
        assert_eq!(out.first(), s.first());
        assert_eq!(out.last(), s.last());
    }

    #[test]
    fn tiny_limits() {
        let s = series(&["5", "1", "9", "3"]);
        assert_eq!(downsample(&s, 0), []);
        assert_eq!(downsample(&s, 1), [s[3]]);
        assert_eq!(downsample(&s, 2), [s[1], s[3]]);
        assert_eq!(downsample(&s, 3), [s[1], s[2], s[3]]);
        let five = series(&["5", "1", "9", "3", "4"]);
        assert_eq!(downsample(&five, 4), [five[0], five[1], five[2], five[4]]);
    }

    #[test]
    fn extreme_times_do_not_overflow() {
        let s = vec![
            (i64::MIN, d("1")),
            (0, d("2")),
            (1, d("0")),
            (2, d("3")),
            (i64::MAX, d("1")),
        ];
        let out = downsample(&s, 4);
        assert!(out.len() <= 4);
        assert!(out.contains(&(1, d("0"))) && out.contains(&(2, d("3"))));
    }

    fn any_series() -> impl Strategy<Value = Vec<(i64, Decimal)>> {
        prop::collection::vec(
            (0i64..400 * DAY, -1_000_000i64..1_000_000, 0u32..9)
                .prop_map(|(t, m, s)| (NOW + t, Decimal::new(m, s))),
            0..3000,
        )
    }

    proptest! {
        #[test]
        fn downsampling_keeps_the_shape(s in any_series(), max in 0usize..1200) {
            let out = downsample(&s, max);
            prop_assert!(out.len() <= max);
            prop_assert!(out.windows(2).all(|w| w[0].0 <= w[1].0));
            for p in &out {
                prop_assert!(s.contains(p));
            }
            if s.len() <= max {
                prop_assert_eq!(out.len(), s.len());
            } else if max >= 4 {
                let lo = s.iter().map(|p| p.1).min().unwrap();
                let hi = s.iter().map(|p| p.1).max().unwrap();
                prop_assert!(out.iter().any(|p| p.1 == lo));
                prop_assert!(out.iter().any(|p| p.1 == hi));
                let t0 = s.iter().map(|p| p.0).min().unwrap();
                let t1 = s.iter().map(|p| p.0).max().unwrap();
                prop_assert_eq!(out.first().unwrap().0, t0);
                prop_assert_eq!(out.last().unwrap().0, t1);
            }
        }
    }

    // ---- summary ----

    #[test]
    fn summary_is_exact() {
        let s = series(&["1.00000000", "0.50000000", "1.80000000", "0.98500000"]);
        let sum = summarize(&s).unwrap();
        assert_eq!(
            sum.first,
            Point {
                at: NOW,
                value: d("1.00000000")
            }
        );
        assert_eq!(
            sum.last,
            Point {
                at: NOW + 2700,
                value: d("0.98500000")
            }
        );
        assert_eq!(sum.change.to_string(), "-0.01500000");
        assert_eq!(sum.change_percent.unwrap().to_string(), "-1.5");
        assert_eq!(
            sum.min,
            Point {
                at: NOW + 900,
                value: d("0.5")
            }
        );
        assert_eq!(
            sum.max,
            Point {
                at: NOW + 1800,
                value: d("1.8")
            }
        );
        assert_eq!(sum.count, 4);
        // The example: −1,204.50 USD on 38,854.84 is −3.1 %.
        let sum = summarize(&[(NOW, d("38854.84")), (NOW + 1, d("37650.34"))]).unwrap();
        assert_eq!(sum.change.to_string(), "-1204.50");
        assert_eq!(sum.change_percent.unwrap().to_string(), "-3.1");
    }

    #[test]
    fn percent_rounding_is_half_away_from_zero_to_one_decimal() {
        let pct = |first: &str, last: &str| {
            summarize(&[(NOW, d(first)), (NOW + 1, d(last))])
                .unwrap()
                .change_percent
                .map(|p| p.to_string())
        };
        assert_eq!(pct("100", "102.25").as_deref(), Some("2.3"));
        assert_eq!(pct("100", "97.75").as_deref(), Some("-2.3"));
        assert_eq!(pct("100", "102.35").as_deref(), Some("2.4"));
        assert_eq!(pct("100", "102.24").as_deref(), Some("2.2"));
        assert_eq!(pct("3", "4").as_deref(), Some("33.3"));
        assert_eq!(pct("3", "5").as_deref(), Some("66.7"));
        assert_eq!(pct("1", "2").as_deref(), Some("100.0"));
        assert_eq!(pct("5", "5").as_deref(), Some("0.0"));
        assert_eq!(pct("1000", "999.9999").as_deref(), Some("0.0"), "not -0.0");
        assert_eq!(pct("0.00000001", "1").as_deref(), Some("9999999900.0"));
        // From zero there is no percentage; a negative base still gives the direction.
        assert_eq!(pct("0", "5"), None);
        assert_eq!(pct("0.000", "0"), None);
        assert_eq!(pct("-10", "-5").as_deref(), Some("50.0"));
    }

    #[test]
    fn summary_edge_cases() {
        assert_eq!(summarize(&[]), Err(SummaryError::Empty));
        let one = summarize(&[(NOW, d("2.5"))]).unwrap();
        assert_eq!(
            (one.first, one.last, one.min, one.max),
            (one.first, one.first, one.first, one.first)
        );
        assert_eq!(one.change, Decimal::ZERO);
        assert_eq!(one.change_percent.unwrap().to_string(), "0.0");
        // Unsorted input; equal minima: the earliest.
        let s = [
            (NOW + 20, d("1")),
            (NOW, d("3")),
            (NOW + 10, d("1")),
            (NOW + 5, d("3")),
        ];
        let sum = summarize(&s).unwrap();
        assert_eq!(sum.first.at, NOW);
        assert_eq!(sum.last.at, NOW + 20);
        assert_eq!(
            sum.min,
            Point {
                at: NOW + 10,
                value: d("1")
            }
        );
        assert_eq!(
            sum.max,
            Point {
                at: NOW,
                value: d("3")
            }
        );
        assert_eq!(sum.change_percent.unwrap().to_string(), "-66.7");
        // Beyond Decimal: refused, not wrong.
        assert_eq!(
            summarize(&[(NOW, Decimal::MIN), (NOW + 1, Decimal::MAX)]),
            Err(SummaryError::TooLarge)
        );
        let tiny_base = summarize(&[
            (NOW, d("0.0000000000000000000000000001")),
            (NOW + 1, Decimal::MAX),
        ])
        .unwrap();
        assert_eq!(tiny_base.change_percent, None);
    }

    proptest! {
        #[test]
        fn summary_properties(s in any_series()) {
            match summarize(&s) {
                Err(e) => prop_assert!(s.is_empty() && e == SummaryError::Empty),
                Ok(sum) => {
                    prop_assert_eq!(sum.change, sum.last.value - sum.first.value);
                    prop_assert!(sum.min.value <= sum.first.value && sum.first.value <= sum.max.value);
                    prop_assert!(sum.min.value <= sum.last.value && sum.last.value <= sum.max.value);
                    prop_assert!(s.contains(&(sum.min.at, sum.min.value)));
                    match sum.change_percent {
                        None => prop_assert!(sum.first.value.is_zero()),
                        Some(p) => {
                            prop_assert_eq!(p.scale(), 1);
                            prop_assert!(p.is_zero() || p.is_sign_negative() == sum.change.is_sign_negative());
                        }
                    }
                }
            }
        }
    }
}
