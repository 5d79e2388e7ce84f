//! The time axis, in the reader's zone: ticks on wall-clock boundaries (hours, local midnights,
//! Mondays, months, years), the finest step whose labels fit, with clock changes handled.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Timelike};
use chrono_tz::Tz;

use super::Labels;

/// Most time-axis labels a chart shows: more would be read as noise on a phone.
pub(super) const MAX_TIME_TICKS: usize = 13;
/// Least room between two time-axis labels.
const TIME_LABEL_GAP: f32 = 26.0;

/// Earliest and latest instants a chart accepts (1900-01-01 and 9999-12-31 UTC): far beyond any
/// balance history, and inside every date range the calendar code handles without overflow.
pub(super) const MIN_TIME: i64 = -2_208_988_800;
pub(super) const MAX_TIME: i64 = 253_402_300_799;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Seconds(u32),
    Minutes(u32),
    Hours(u32),
    Days(u32),
    Weeks(u32),
    Months(u32),
    Years(i32),
}

impl Step {
    /// About how long the step is: exact up to weeks, the shortest month and year after that.
    fn nominal_secs(self) -> i64 {
        match self {
            Step::Seconds(n) => n.into(),
            Step::Minutes(n) => 60 * i64::from(n),
            Step::Hours(n) => 3_600 * i64::from(n),
            Step::Days(n) => 86_400 * i64::from(n),
            Step::Weeks(n) => 7 * 86_400 * i64::from(n),
            Step::Months(n) => 28 * 86_400 * i64::from(n),
            Step::Years(n) => 365 * 86_400 * i64::from(n),
        }
    }
}

/// Tried finest first; the first whose labels fit is used. A 7-day chart gets days, 30 days
/// weeks (Mondays), 90 days fortnights, a year months.
const STEPS: [Step; 30] = [
    Step::Seconds(1),
    Step::Seconds(5),
    Step::Seconds(15),
    Step::Seconds(30),
    Step::Minutes(1),
    Step::Minutes(5),
    Step::Minutes(15),
    Step::Minutes(30),
    Step::Hours(1),
    Step::Hours(3),
    Step::Hours(6),
    Step::Hours(12),
    Step::Days(1),
    Step::Days(2),
    Step::Weeks(1),
    Step::Weeks(2),
    Step::Months(1),
    Step::Months(2),
    Step::Months(3),
    Step::Months(6),
    Step::Years(1),
    Step::Years(2),
    Step::Years(5),
    Step::Years(10),
    Step::Years(20),
    Step::Years(50),
    Step::Years(100),
    Step::Years(250),
    Step::Years(500),
    Step::Years(1000),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TimeTick {
    pub(super) at: i64,
    pub(super) label: String,
    /// Context under the label (the date under times, the year under months), only where it
    /// changes, so the axis stays uncluttered.
    pub(super) sub: Option<String>,
}

/// The first wall-clock time on the step's grid at or before `local`.
fn align(step: Step, local: NaiveDateTime) -> Option<NaiveDateTime> {
    let date = local.date();
    let day_start = date.and_hms_opt(0, 0, 0)?;
    match step {
        Step::Seconds(n) => date.and_hms_opt(local.hour(), local.minute(), local.second() / n * n),
        Step::Minutes(n) => date.and_hms_opt(local.hour(), local.minute() / n * n, 0),
        Step::Hours(n) => date.and_hms_opt(local.hour() / n * n, 0, 0),
        Step::Days(n) => {
            let back = date.num_days_from_ce().rem_euclid(n as i32);
            day_start.checked_sub_signed(TimeDelta::days(back.into()))
        }
        Step::Weeks(n) => {
            let monday = date.num_days_from_ce() - date.weekday().num_days_from_monday() as i32;
            // Day 1 of the common era was a Monday, so whole weeks from it line fortnights up
            // the same way in every chart.
            let back = (monday - 1).div_euclid(7).rem_euclid(n as i32) * 7
                + date.weekday().num_days_from_monday() as i32;
            day_start.checked_sub_signed(TimeDelta::days(back.into()))
        }
        Step::Months(n) => {
            let m0 = date.month0() / n * n;
            NaiveDate::from_ymd_opt(date.year(), m0 + 1, 1)?.and_hms_opt(0, 0, 0)
        }
        Step::Years(n) => {
            let y = date.year() - date.year().rem_euclid(n);
            NaiveDate::from_ymd_opt(y, 1, 1)?.and_hms_opt(0, 0, 0)
        }
    }
}

fn advance(step: Step, t: NaiveDateTime) -> Option<NaiveDateTime> {
    let add_months = |months: u32| {
        let total = t.year() * 12 + t.month0() as i32 + months as i32;
        NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1)?
            .and_hms_opt(0, 0, 0)
    };
    match step {
        Step::Seconds(n) => t.checked_add_signed(TimeDelta::seconds(n.into())),
        Step::Minutes(n) => t.checked_add_signed(TimeDelta::minutes(n.into())),
        Step::Hours(n) => t.checked_add_signed(TimeDelta::hours(n.into())),
        Step::Days(n) => t.checked_add_signed(TimeDelta::days(n.into())),
        Step::Weeks(n) => t.checked_add_signed(TimeDelta::weeks(n.into())),
        Step::Months(n) => add_months(n),
        Step::Years(n) => add_months(n.unsigned_abs() * 12),
    }
}

/// The instant a wall-clock tick stands for. A time repeated when clocks go back is its first
/// occurrence. A time skipped when clocks go forward has no tick if it is a time of day; a
/// skipped midnight (some zones change at 00:00) moves to the first hour that exists, since
/// the label is the date.
fn resolve(tz: Tz, step: Step, local: NaiveDateTime) -> Option<i64> {
    if let Some(t) = tz.from_local_datetime(&local).earliest() {
        return Some(t.timestamp());
    }
    match step {
        Step::Seconds(_) | Step::Minutes(_) | Step::Hours(_) => None,
        _ => (1..=3).find_map(|h| {
            let later = local.checked_add_signed(TimeDelta::hours(h))?;
            tz.from_local_datetime(&later)
                .earliest()
                .map(|t| t.timestamp())
        }),
    }
}

/// Ticks of one step between `t0` and `t1`; `None` when there would be more than `limit`.
fn ticks_for(
    step: Step,
    (t0, t1): (i64, i64),
    tz: Tz,
    labels: &Labels,
    limit: usize,
) -> Option<Vec<TimeTick>> {
    let start = DateTime::from_timestamp(t0, 0)?
        .with_timezone(&tz)
        .naive_local();
    let mut local = align(step, start)?;
    let mut out: Vec<TimeTick> = Vec::new();
    let mut prev: Option<NaiveDateTime> = None;
    // Bounded: an aligned start is at most a step or two before `t0`, skipped times are rare.
    for _ in 0..limit + 8 {
        if let Some(at) = resolve(tz, step, local) {
            if at > t1 {
                return Some(out);
            }
            if at >= t0 {
                out.push(label(labels, step, at, local, prev));
                if out.len() > limit {
                    return None;
                }
                prev = Some(local);
            }
        }
        local = advance(step, local)?;
    }
    None
}

fn label(
    words: &Labels,
    step: Step,
    at: i64,
    local: NaiveDateTime,
    prev: Option<NaiveDateTime>,
) -> TimeTick {
    let date_changed = prev.is_none_or(|p| p.date() != local.date());
    let year_changed = prev.is_none_or(|p| p.year() != local.year());
    let month = &words.months[local.month0() as usize];
    let day_month = || format!("{} {month}", local.day());
    let weekday = &words.weekdays[local.weekday().num_days_from_monday() as usize];
    let (label, sub) = match step {
        Step::Seconds(_) => (
            local.format("%H:%M:%S").to_string(),
            date_changed.then(day_month),
        ),
        Step::Minutes(_) | Step::Hours(_) => (
            local.format("%H:%M").to_string(),
            date_changed.then(day_month),
        ),
        Step::Days(_) => (day_month(), Some(weekday.clone())),
        Step::Weeks(_) => (
            day_month(),
            year_changed.then(|| local.format("%Y").to_string()),
        ),
        Step::Months(_) => (
            month.clone(),
            year_changed.then(|| local.format("%Y").to_string()),
        ),
        Step::Years(_) => (local.format("%Y").to_string(), None),
    };
    TimeTick { at, label, sub }
}

/// The finest step, of at least `min_step` seconds, whose labels fit side by side along the
/// axis (bars ask for steps no finer than what one bar stands for).
pub(super) fn time_ticks(
    t0: i64,
    t1: i64,
    tz: Tz,
    min_step: i64,
    labels: &Labels,
    x_of: impl Fn(i64) -> f32,
    width_of: impl Fn(&TimeTick) -> f32,
) -> Vec<TimeTick> {
    let fits = |ticks: &[TimeTick]| {
        ticks.windows(2).all(|w| {
            let room = x_of(w[1].at) - x_of(w[0].at);
            room >= (width_of(&w[0]) + width_of(&w[1])) / 2.0 + TIME_LABEL_GAP
        })
    };
    let mut single = None;
    for step in STEPS.into_iter().filter(|s| s.nominal_secs() >= min_step) {
        let Some(ticks) = ticks_for(step, (t0, t1), tz, labels, MAX_TIME_TICKS) else {
            continue;
        };
        if !fits(&ticks) {
            continue;
        }
        if ticks.len() >= 2 {
            return ticks;
        }
        if single.is_none() && ticks.len() == 1 {
            single = Some(ticks);
        }
    }
    single.unwrap_or_default()
}
