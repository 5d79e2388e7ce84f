//! When a chat's balance report is due: `/report` arguments, slots of a daily or weekly
//! wall-clock time in an IANA zone, and the background loop's decision. Pure: the caller passes
//! every instant in.
//!
//! ## Rules
//! - A *slot* is the instant a report belongs to: the schedule's wall time on a matching local
//!   date, in the schedule's zone. Slots are identified by that UTC instant.
//! - Daylight saving: a wall time that does not exist that day (the clocks spring forward over
//!   it) fires at the first valid minute after it (Europe/Berlin 02:30 on the last Sunday of
//!   March → 03:00 CEST); a wall time that happens twice (the clocks fall back) fires once, at
//!   its first occurrence.
//! - A slot is due from the instant its minute begins, never before.
//! - A slot is *late* once its own minute is over ([`LATE_AFTER`]); a late slot still runs (once,
//!   flagged) while it is less than [`MAX_LATENESS`] (6 hours) late, and is skipped after that.
//! - Only the newest passed slot can run: when the bot was down over several slots, the older
//!   ones are never sent (they are counted for the log).
//! - Exactly once per slot: the caller stores the newest slot it has handled (sent *or*
//!   skipped) and passes it back; no slot at or before it is returned again, across restarts.
//! - No slot at or before the schedule's creation is due: a schedule set at 09:00:30 for 09:00
//!   first runs the next day, matching what [`next_slot`] tells the user. When a chat changes
//!   its schedule, the caller should store a new creation time and forget the old last slot.

use std::fmt;

use chrono::{
    DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Utc,
    Weekday,
};
use chrono_tz::Tz;

use crate::rules::quote::quote;

/// A slot this late or later is skipped instead of sent.
pub const MAX_LATENESS: TimeDelta = TimeDelta::hours(6);

/// A slot sent this long after it began or later is flagged late: inside its own minute it is
/// on time (the issue asks for "within 10 seconds after its minute begins").
pub const LATE_AFTER: TimeDelta = TimeDelta::minutes(1);

/// How many older missed slots `Due` counts before it stops counting (a log line, not a ledger).
pub const MISSED_COUNT_CAP: u32 = 1000;

/// Longest daylight-saving gap searched through, in minutes. Real gaps are 30 or 60 minutes;
/// the longest ever is a whole skipped day (Pacific/Apia, 30 December 2011).
const MAX_GAP_MINUTES: u32 = 2 * 24 * 60;

/// A wall-clock time to the minute, 00:00 to 23:59.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WallTime {
    hour: u8,
    minute: u8,
}

impl WallTime {
    /// `None` unless `hour` is 0–23 and `minute` 0–59.
    pub fn new(hour: u32, minute: u32) -> Option<Self> {
        (hour < 24 && minute < 60).then_some(WallTime {
            hour: hour as u8,
            minute: minute as u8,
        })
    }

    pub fn hour(self) -> u32 {
        self.hour.into()
    }

    pub fn minute(self) -> u32 {
        self.minute.into()
    }

    /// `H:MM` or `HH:MM` on a 24-hour clock, ASCII digits only (`9:05`, `09:05`, `23:59`).
    fn parse(word: &str) -> Option<Self> {
        let (h, m) = word.split_once(':')?;
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !(1..=2).contains(&h.len()) || m.len() != 2 || !digits(h) || !digits(m) {
            return None;
        }
        WallTime::new(h.parse().ok()?, m.parse().ok()?)
    }

    fn naive(self) -> NaiveTime {
        // In range by construction; midnight is only a fallback the type rules out.
        NaiveTime::from_hms_opt(self.hour(), self.minute(), 0).unwrap_or(NaiveTime::MIN)
    }
}

impl fmt::Display for WallTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

/// How often a report is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cadence {
    Daily,
    Weekly(Weekday),
}

/// A chat's report schedule: every day, or one weekday, at a wall-clock time in a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Schedule {
    pub cadence: Cadence,
    pub time: WallTime,
    pub zone: Tz,
}

impl Schedule {
    /// The `/report` arguments that give this schedule back (`mon 09:00 Europe/Berlin`,
    /// `09:00 UTC`): a canonical text form, e.g. for storing it.
    pub fn to_args(&self) -> String {
        match self.cadence {
            Cadence::Daily => format!("{} {}", self.time, self.zone.name()),
            Cadence::Weekly(day) => format!(
                "{} {} {}",
                day_name(day)[..3].to_ascii_lowercase(),
                self.time,
                self.zone.name()
            ),
        }
    }
}

/// For people: `every day at 09:00 (Europe/Berlin)`, `every Monday at 09:00 (UTC)`.
impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.cadence {
            Cadence::Daily => f.write_str("every day")?,
            Cadence::Weekly(day) => write!(f, "every {}", day_name(day))?,
        }
        write!(f, " at {} ({})", self.time, self.zone.name())
    }
}

fn day_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// What `/report …` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportRequest {
    /// `/report`: show this chat's schedule and next run.
    Show,
    /// `/report off`: stop the reports.
    Off,
    /// `/report now`: send the report at once.
    Now,
    /// `/report [DAY] HH:MM [ZONE]`: set (or replace) the schedule.
    Set(Schedule),
}

/// Why `/report` arguments were refused. `Display` is a sentence for the user saying what was
/// wrong and what is accepted; quoted words are shortened (24 characters) and cleaned of control
/// characters, but not HTML-escaped: the reply does that.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportArgsError {
    #[error("{given} is not a time: write HH:MM on a 24-hour clock, like 09:00 or 18:30")]
    BadTime { given: String },
    #[error(
        "{given} is not a day of the week: write mon, tue, wed, thu, fri, sat or sun, or the full name, like monday"
    )]
    UnknownDay { given: String },
    #[error(
        "{given} is not a time zone: write an IANA zone name like Europe/Berlin, Asia/Tehran or UTC"
    )]
    UnknownZone { given: String },
    #[error("the time is missing: write HH:MM on a 24-hour clock, like 09:00")]
    MissingTime,
    #[error("the day comes before the time, like mon 09:00")]
    DayAfterTime,
    #[error("{given} stands alone: nothing may follow it")]
    NotAlone { given: String },
    #[error(
        "too many words: write a time, a weekday before it for a weekly report and a zone after it, like mon 09:00 Europe/Berlin"
    )]
    TooManyWords,
}

/// Parses the text after `/report`. Words are separated by spaces; day names, `off`, `now` and
/// zone names are case-insensitive. The zone defaults to `default_zone` (the chat's zone when it
/// set one before), else UTC.
///
/// Accepted: nothing (show), `off`, `now`, `HH:MM [ZONE]`, `DAY HH:MM [ZONE]` where `DAY` is
/// `mon` … `sun` or `monday` … `sunday` and `HH:MM` is 24-hour (`9:00` is read as `09:00`).
pub fn parse_report_args(
    args: &str,
    default_zone: Option<Tz>,
) -> Result<ReportRequest, ReportArgsError> {
    let words: Vec<&str> = args.split_whitespace().collect();
    let (first, rest) = match words.split_first() {
        None => return Ok(ReportRequest::Show),
        Some(split) => split,
    };
    if let Some(request) = keyword(first) {
        return if rest.is_empty() {
            Ok(request)
        } else {
            Err(ReportArgsError::NotAlone {
                given: quote(first),
            })
        };
    }
    let (cadence, time_and_zone) = match parse_day(first) {
        Some(day) => (Cadence::Weekly(day), rest),
        None => (Cadence::Daily, &words[..]),
    };
    let time = match time_and_zone.first() {
        None => return Err(ReportArgsError::MissingTime),
        Some(word) => WallTime::parse(word).ok_or_else(|| not_a_time(word, &time_and_zone[1..]))?,
    };
    let zone = match &time_and_zone[1..] {
        [] => default_zone.unwrap_or(Tz::UTC),
        [word] if parse_day(word).is_some() => return Err(ReportArgsError::DayAfterTime),
        [word] => {
            parse_zone(word).ok_or_else(|| ReportArgsError::UnknownZone { given: quote(word) })?
        }
        _ => return Err(ReportArgsError::TooManyWords),
    };
    Ok(ReportRequest::Set(Schedule {
        cadence,
        time,
        zone,
    }))
}

fn keyword(word: &str) -> Option<ReportRequest> {
    if word.eq_ignore_ascii_case("off") {
        Some(ReportRequest::Off)
    } else if word.eq_ignore_ascii_case("now") {
        Some(ReportRequest::Now)
    } else {
        None
    }
}

/// The most helpful error for a word where a time was expected: a zone means the time was left
/// out; an unknown word of letters with more words after it was meant as a day; anything else
/// (a second day included) as a time.
fn not_a_time(word: &str, after: &[&str]) -> ReportArgsError {
    if parse_zone(word).is_some() {
        ReportArgsError::MissingTime
    } else if !after.is_empty()
        && parse_day(word).is_none()
        && word.bytes().all(|b| b.is_ascii_alphabetic())
    {
        ReportArgsError::UnknownDay { given: quote(word) }
    } else {
        ReportArgsError::BadTime { given: quote(word) }
    }
}

/// `mon` … `sun` and `monday` … `sunday`, any case.
fn parse_day(word: &str) -> Option<Weekday> {
    [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ]
    .into_iter()
    .find(|&day| {
        let name = day_name(day);
        word.eq_ignore_ascii_case(name) || word.eq_ignore_ascii_case(&name[..3])
    })
}

/// An IANA zone name in any case (`europe/berlin` → `Europe/Berlin`, `utc` → `UTC`). Links such
/// as `US/Eastern` are accepted as the database names them.
pub fn parse_zone(word: &str) -> Option<Tz> {
    if let Ok(zone) = word.parse::<Tz>() {
        return Some(zone);
    }
    chrono_tz::TZ_VARIANTS
        .iter()
        .copied()
        .find(|zone| zone.name().eq_ignore_ascii_case(word))
}

/// The first slot strictly after `after`.
///
/// For any `after` a clock or the database gives (years 1–9999) a slot always exists; only at
/// the very end of chrono's calendar (year 262,142) does this saturate at
/// `DateTime::<Utc>::MAX_UTC` instead of failing.
pub fn next_slot(schedule: &Schedule, after: DateTime<Utc>) -> DateTime<Utc> {
    // From the day before (a slot pushed past midnight by a gap) to two weeks on (a weekly slot
    // always falls in any seven consecutive days, even where a zone once skipped a day).
    slots_around(schedule, after, -1..=15)
        .filter(|&slot| slot > after)
        .min()
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The newest slot at or before `at`, if the calendar holds one.
pub fn previous_slot(schedule: &Schedule, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    slots_around(schedule, at, -15..=1)
        .filter(|&slot| slot <= at)
        .max()
}

/// The slots on the local dates `days` around the local date of `at`.
fn slots_around(
    schedule: &Schedule,
    at: DateTime<Utc>,
    days: std::ops::RangeInclusive<i64>,
) -> impl Iterator<Item = DateTime<Utc>> {
    let today = local_date(schedule.zone, at);
    days.filter_map(move |k| today?.checked_add_signed(TimeDelta::try_days(k)?))
        .filter_map(|date| slot_on(schedule, date))
}

/// The date on the wall in `zone` at `at`; `None` only past the end of chrono's calendar.
fn local_date(zone: Tz, at: DateTime<Utc>) -> Option<NaiveDate> {
    let offset = zone.offset_from_utc_datetime(&at.naive_utc()).fix();
    Some(at.naive_utc().checked_add_offset(offset)?.date())
}

/// The slot on one local date, or `None` when the cadence skips that date.
fn slot_on(schedule: &Schedule, date: NaiveDate) -> Option<DateTime<Utc>> {
    if let Cadence::Weekly(day) = schedule.cadence
        && date.weekday() != day
    {
        return None;
    }
    resolve_wall_time(schedule.zone, date.and_time(schedule.time.naive()))
}

/// The instant of a wall time: the first of two (fall back), or the first valid minute after a
/// time that does not exist (spring forward).
fn resolve_wall_time(zone: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    let mut probe = local;
    for _ in 0..=MAX_GAP_MINUTES {
        if let Some(instant) = zone.from_local_datetime(&probe).earliest() {
            return Some(instant.with_timezone(&Utc));
        }
        probe = probe.checked_add_signed(TimeDelta::minutes(1))?;
    }
    None
}

/// What the background loop does about one chat's schedule now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Nothing is due; the next slot is `next` (sleep until then at the latest).
    Wait { next: DateTime<Utc> },
    /// Send the report for `slot` and store `slot` as handled, in the same transaction as the
    /// outbox rows. `late_by` is set when the slot's own minute is over (say so in the report).
    /// `missed_before` older slots were passed over while the bot was down (for the log).
    Run {
        slot: DateTime<Utc>,
        late_by: Option<TimeDelta>,
        missed_before: u32,
    },
    /// `slot` is too late to send (6 hours or more): log it and store `slot` as handled, so it
    /// is neither sent nor logged again. The next slot is `next`.
    Skip {
        slot: DateTime<Utc>,
        late_by: TimeDelta,
        next: DateTime<Utc>,
        missed_before: u32,
    },
}

/// Decides what to do about a schedule at `now`. `created_at` is when the schedule was set;
/// `last_slot` is the newest slot already handled (sent or skipped), as stored.
///
/// Only the newest slot at or before `now` is considered: it is due when it is after both
/// `created_at` and `last_slot`; then it runs if less than 6 hours late, else it is skipped.
pub fn due(
    schedule: &Schedule,
    created_at: DateTime<Utc>,
    last_slot: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Due {
    let floor = last_slot.map_or(created_at, |last| last.max(created_at));
    let slot = match previous_slot(schedule, now) {
        Some(slot) if slot > floor => slot,
        _ => {
            return Due::Wait {
                next: next_slot(schedule, now.max(floor)),
            };
        }
    };
    let late_by = now - slot;
    let missed_before = count_slots_between(schedule, floor, slot);
    if late_by < MAX_LATENESS {
        Due::Run {
            slot,
            late_by: (late_by >= LATE_AFTER).then_some(late_by),
            missed_before,
        }
    } else {
        Due::Skip {
            slot,
            late_by,
            next: next_slot(schedule, now),
            missed_before,
        }
    }
}

/// Slots strictly between `floor` and `slot`, counted up to `MISSED_COUNT_CAP`.
fn count_slots_between(schedule: &Schedule, floor: DateTime<Utc>, slot: DateTime<Utc>) -> u32 {
    let mut count = 0;
    let mut t = next_slot(schedule, floor);
    while t < slot && count < MISSED_COUNT_CAP {
        count += 1;
        t = next_slot(schedule, t);
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America, Asia, Australia, Europe};
    use proptest::prelude::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .with_timezone(&Utc)
    }

    fn daily(h: u32, m: u32, zone: Tz) -> Schedule {
        Schedule {
            cadence: Cadence::Daily,
            time: WallTime::new(h, m).unwrap(),
            zone,
        }
    }

    fn weekly(day: Weekday, h: u32, m: u32, zone: Tz) -> Schedule {
        Schedule {
            cadence: Cadence::Weekly(day),
            ..daily(h, m, zone)
        }
    }

    fn set(args: &str) -> Schedule {
        match parse_report_args(args, None) {
            Ok(ReportRequest::Set(s)) => s,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    // ---- parsing ----

    #[test]
    fn show_off_now() {
        assert_eq!(parse_report_args("", None), Ok(ReportRequest::Show));
        assert_eq!(parse_report_args("  \t ", None), Ok(ReportRequest::Show));
        assert_eq!(parse_report_args("off", None), Ok(ReportRequest::Off));
        assert_eq!(parse_report_args(" OFF ", None), Ok(ReportRequest::Off));
        assert_eq!(parse_report_args("Now", None), Ok(ReportRequest::Now));
        for args in ["off now", "now 09:00", "off UTC"] {
            assert!(
                matches!(
                    parse_report_args(args, None),
                    Err(ReportArgsError::NotAlone { .. })
                ),
                "{args}"
            );
        }
    }

    #[test]
    fn daily_times_and_zones() {
        assert_eq!(set("09:00"), daily(9, 0, Tz::UTC));
        assert_eq!(set("9:05"), daily(9, 5, Tz::UTC));
        assert_eq!(set("00:00"), daily(0, 0, Tz::UTC));
        assert_eq!(set("23:59"), daily(23, 59, Tz::UTC));
        assert_eq!(set("18:30 Europe/Berlin"), daily(18, 30, Europe::Berlin));
        assert_eq!(set("18:30 europe/berlin"), daily(18, 30, Europe::Berlin));
        assert_eq!(set("18:30 EUROPE/BERLIN").zone.name(), "Europe/Berlin");
        assert_eq!(set("07:15 asia/tehran"), daily(7, 15, Asia::Tehran));
        assert_eq!(set("07:15 utc"), daily(7, 15, Tz::UTC));
        assert_eq!(
            set("07:15 america/new_york"),
            daily(7, 15, America::New_York)
        );
        assert_eq!(set("07:15 us/eastern").zone.name(), "US/Eastern");
    }

    #[test]
    fn every_zone_name_is_found_in_any_case() {
        for zone in chrono_tz::TZ_VARIANTS {
            let name = zone.name();
            assert_eq!(parse_zone(name), Some(zone));
            assert_eq!(parse_zone(&name.to_lowercase()), Some(zone), "{name}");
            assert_eq!(parse_zone(&name.to_uppercase()), Some(zone), "{name}");
        }
        for word in [
            "",
            "Mars/Olympus",
            "Europe/",
            "/",
            "Berlin",
            "UTC+3",
            "Europe/Berlin ",
        ] {
            assert_eq!(parse_zone(word), None, "{word:?}");
        }
    }

    #[test]
    fn the_default_zone_is_the_callers_else_utc() {
        let chat = Some(Asia::Tehran);
        assert_eq!(
            parse_report_args("09:00", chat),
            Ok(ReportRequest::Set(daily(9, 0, Asia::Tehran)))
        );
        assert_eq!(
            parse_report_args("09:00 UTC", chat),
            Ok(ReportRequest::Set(daily(9, 0, Tz::UTC)))
        );
        assert_eq!(set("09:00").zone, Tz::UTC);
    }

    #[test]
    fn weekly_days_short_and_long_any_case() {
        let cases = [
            ("mon", Weekday::Mon),
            ("TUE", Weekday::Tue),
            ("Wednesday", Weekday::Wed),
            ("thu", Weekday::Thu),
            ("FRIDAY", Weekday::Fri),
            ("sat", Weekday::Sat),
            ("sunday", Weekday::Sun),
        ];
        for (word, day) in cases {
            assert_eq!(
                set(&format!("{word} 08:30 Europe/Berlin")),
                weekly(day, 8, 30, Europe::Berlin),
                "{word}"
            );
            assert_eq!(set(&format!("{word} 08:30")), weekly(day, 8, 30, Tz::UTC));
        }
    }

    #[test]
    fn canonical_args_round_trip() {
        for s in [
            daily(9, 0, Tz::UTC),
            daily(23, 59, Europe::Berlin),
            weekly(Weekday::Mon, 0, 5, Asia::Tehran),
            weekly(Weekday::Sun, 12, 0, Australia::Lord_Howe),
        ] {
            assert_eq!(set(&s.to_args()), s, "{}", s.to_args());
        }
        assert_eq!(
            weekly(Weekday::Mon, 9, 0, Europe::Berlin).to_args(),
            "mon 09:00 Europe/Berlin"
        );
        assert_eq!(
            weekly(Weekday::Mon, 9, 0, Europe::Berlin).to_string(),
            "every Monday at 09:00 (Europe/Berlin)"
        );
        assert_eq!(daily(7, 5, Tz::UTC).to_string(), "every day at 07:05 (UTC)");
    }

    #[test]
    fn bad_input_says_what_is_accepted() {
        use ReportArgsError::*;
        let bad_time = |s: &str| BadTime { given: quote(s) };
        let cases = [
            ("25:00", bad_time("25:00")),
            ("24:00", bad_time("24:00")),
            ("23:60", bad_time("23:60")),
            ("9am", bad_time("9am")),
            ("0900", bad_time("0900")),
            ("09:0", bad_time("09:0")),
            ("009:00", bad_time("009:00")),
            ("09:00:00", bad_time("09:00:00")),
            ("09.00", bad_time("09.00")),
            ("+9:00", bad_time("+9:00")),
            ("-1:00", bad_time("-1:00")),
            ("٠٩:٠٠", bad_time("٠٩:٠٠")),
            ("daily", bad_time("daily")),
            ("mon 9am", bad_time("9am")),
            ("mon tue 09:00", bad_time("tue")),
            (
                "funday 09:00",
                UnknownDay {
                    given: quote("funday"),
                },
            ),
            (
                "weekly 09:00 UTC",
                UnknownDay {
                    given: quote("weekly"),
                },
            ),
            (
                "09:00 Mars/Olympus",
                UnknownZone {
                    given: quote("Mars/Olympus"),
                },
            ),
            (
                "09:00 +03:30",
                UnknownZone {
                    given: quote("+03:30"),
                },
            ),
            (
                "09:00 Berlin",
                UnknownZone {
                    given: quote("Berlin"),
                },
            ),
            ("mon", MissingTime),
            ("monday", MissingTime),
            ("Europe/Berlin", MissingTime),
            ("mon Europe/Berlin", MissingTime),
            ("09:00 mon", DayAfterTime),
            ("09:00 UTC extra", TooManyWords),
            ("mon 09:00 UTC extra", TooManyWords),
        ];
        for (args, expected) in cases {
            assert_eq!(parse_report_args(args, None), Err(expected), "{args:?}");
        }
        assert_eq!(
            parse_report_args("25:00", None).unwrap_err().to_string(),
            "“25:00” is not a time: write HH:MM on a 24-hour clock, like 09:00 or 18:30"
        );
        assert_eq!(
            parse_report_args("09:00 Mars/Olympus", None)
                .unwrap_err()
                .to_string(),
            "“Mars/Olympus” is not a time zone: write an IANA zone name like Europe/Berlin, \
             Asia/Tehran or UTC"
        );
        assert!(
            parse_report_args("funday 09:00", None)
                .unwrap_err()
                .to_string()
                .starts_with("“funday” is not a day of the week: write mon, tue,")
        );
    }

    #[test]
    fn long_and_hostile_words_are_quoted_short() {
        let long = "x".repeat(5000);
        let err = parse_report_args(&format!("09:00 {long}"), None).unwrap_err();
        assert_eq!(
            err,
            ReportArgsError::UnknownZone {
                given: format!("“{}…”", "x".repeat(24))
            }
        );
        let err = parse_report_args("09:00 <b>\u{202E}&amp;", None).unwrap_err();
        assert!(err.to_string().contains("“<b>�&amp;”"));
    }

    // ---- slots ----

    #[test]
    fn daily_utc_including_midnight_and_2359() {
        let s = daily(9, 0, Tz::UTC);
        assert_eq!(
            next_slot(&s, utc("2025-01-01T08:59:59Z")),
            utc("2025-01-01T09:00:00Z")
        );
        // Strictly after: at the slot itself, the next one is tomorrow's.
        assert_eq!(
            next_slot(&s, utc("2025-01-01T09:00:00Z")),
            utc("2025-01-02T09:00:00Z")
        );
        let midnight = daily(0, 0, Tz::UTC);
        assert_eq!(
            next_slot(&midnight, utc("2025-12-31T23:59:59Z")),
            utc("2026-01-01T00:00:00Z")
        );
        assert_eq!(
            next_slot(&midnight, utc("2026-01-01T00:00:00Z")),
            utc("2026-01-02T00:00:00Z")
        );
        let late = daily(23, 59, Tz::UTC);
        assert_eq!(
            next_slot(&late, utc("2024-02-28T23:59:00Z")),
            utc("2024-02-29T23:59:00Z")
        );
    }

    #[test]
    fn daily_in_other_zones() {
        // Tehran is +03:30 all year (no daylight saving since 2022).
        let tehran = daily(9, 0, Asia::Tehran);
        assert_eq!(
            next_slot(&tehran, utc("2025-06-01T00:00:00Z")),
            utc("2025-06-01T05:30:00Z")
        );
        assert_eq!(
            next_slot(&tehran, utc("2025-12-01T06:00:00Z")),
            utc("2025-12-02T05:30:00Z")
        );
        // Midnight in Tehran is the evening before in UTC.
        let tehran_midnight = daily(0, 0, Asia::Tehran);
        assert_eq!(
            next_slot(&tehran_midnight, utc("2025-06-01T00:00:00Z")),
            utc("2025-06-01T20:30:00Z")
        );
        // 23:59 in Berlin in winter is 22:59 UTC the same day.
        let berlin_late = daily(23, 59, Europe::Berlin);
        assert_eq!(
            next_slot(&berlin_late, utc("2025-01-15T12:00:00Z")),
            utc("2025-01-15T22:59:00Z")
        );
        // New York: 09:00 is 14:00 UTC before the change on 9 March 2025, 13:00 after.
        let ny = daily(9, 0, America::New_York);
        assert_eq!(
            next_slot(&ny, utc("2025-03-08T00:00:00Z")),
            utc("2025-03-08T14:00:00Z")
        );
        assert_eq!(
            next_slot(&ny, utc("2025-03-08T14:00:00Z")),
            utc("2025-03-09T13:00:00Z")
        );
    }

    #[test]
    fn berlin_spring_forward_gap_runs_at_the_first_valid_minute() {
        // 30 March 2025: 02:00 CET → 03:00 CEST; 02:00–02:59 does not exist.
        let s = daily(2, 30, Europe::Berlin);
        let day_before = next_slot(&s, utc("2025-03-29T00:00:00Z"));
        assert_eq!(day_before, utc("2025-03-29T01:30:00Z")); // 02:30 CET
        let gap_day = next_slot(&s, day_before);
        assert_eq!(gap_day, utc("2025-03-30T01:00:00Z")); // 03:00 CEST
        assert_eq!(
            gap_day.with_timezone(&Europe::Berlin).to_rfc3339(),
            "2025-03-30T03:00:00+02:00"
        );
        assert_eq!(next_slot(&s, gap_day), utc("2025-03-31T00:30:00Z")); // 02:30 CEST
        // 02:00 itself does not exist either; 03:00 is untouched.
        assert_eq!(
            next_slot(&daily(2, 0, Europe::Berlin), utc("2025-03-29T23:00:00Z")),
            utc("2025-03-30T01:00:00Z")
        );
        assert_eq!(
            next_slot(&daily(3, 0, Europe::Berlin), utc("2025-03-29T23:00:00Z")),
            utc("2025-03-30T01:00:00Z")
        );
        assert_eq!(
            next_slot(&daily(1, 59, Europe::Berlin), utc("2025-03-29T23:00:00Z")),
            utc("2025-03-30T00:59:00Z")
        );
    }

    #[test]
    fn berlin_fall_back_overlap_runs_once_at_the_first() {
        // 26 October 2025: 03:00 CEST → 02:00 CET; 02:00–02:59 happens twice.
        let s = daily(2, 30, Europe::Berlin);
        let first = next_slot(&s, utc("2025-10-26T00:00:00Z"));
        assert_eq!(first, utc("2025-10-26T00:30:00Z")); // 02:30 CEST
        // Between the two occurrences, and at the second one, the next slot is tomorrow's.
        assert_eq!(
            next_slot(&s, utc("2025-10-26T01:00:00Z")),
            utc("2025-10-27T01:30:00Z")
        );
        assert_eq!(next_slot(&s, first), utc("2025-10-27T01:30:00Z"));
        assert_eq!(
            previous_slot(&s, utc("2025-10-26T01:30:00Z")),
            Some(first),
            "the second 02:30 is not a slot"
        );
    }

    #[test]
    fn new_york_gap_and_overlap() {
        // 9 March 2025: 02:00 EST → 03:00 EDT.
        assert_eq!(
            next_slot(
                &daily(2, 30, America::New_York),
                utc("2025-03-09T00:00:00Z")
            ),
            utc("2025-03-09T07:00:00Z")
        );
        // 2 November 2025: 02:00 EDT → 01:00 EST; 01:30 twice, the first is EDT.
        assert_eq!(
            next_slot(
                &daily(1, 30, America::New_York),
                utc("2025-11-02T00:00:00Z")
            ),
            utc("2025-11-02T05:30:00Z")
        );
    }

    #[test]
    fn lord_howe_half_hour_daylight_saving() {
        // 5 October 2025: 02:00 +10:30 → 02:30 +11:00; 02:15 does not exist.
        assert_eq!(
            next_slot(
                &daily(2, 15, Australia::Lord_Howe),
                utc("2025-10-04T00:00:00Z")
            ),
            utc("2025-10-04T15:30:00Z")
        );
        // 6 April 2025: 02:00 +11:00 → 01:30 +10:30; 01:45 twice, the first is +11:00.
        assert_eq!(
            next_slot(
                &daily(1, 45, Australia::Lord_Howe),
                utc("2025-04-05T00:00:00Z")
            ),
            utc("2025-04-05T14:45:00Z")
        );
    }

    #[test]
    fn weekly_slots() {
        // 1 January 2025 is a Wednesday.
        let s = weekly(Weekday::Mon, 9, 0, Tz::UTC);
        assert_eq!(
            next_slot(&s, utc("2025-01-01T00:00:00Z")),
            utc("2025-01-06T09:00:00Z")
        );
        assert_eq!(
            next_slot(&s, utc("2025-01-06T09:00:00Z")),
            utc("2025-01-13T09:00:00Z")
        );
        let wed = weekly(Weekday::Wed, 9, 0, Tz::UTC);
        assert_eq!(
            next_slot(&wed, utc("2025-01-01T08:00:00Z")),
            utc("2025-01-01T09:00:00Z")
        );
        assert_eq!(
            next_slot(&wed, utc("2025-01-01T09:00:01Z")),
            utc("2025-01-08T09:00:00Z")
        );
        // Sunday 00:00 in Tehran is Saturday 20:30 UTC.
        let sun = weekly(Weekday::Sun, 0, 0, Asia::Tehran);
        assert_eq!(
            next_slot(&sun, utc("2025-01-01T00:00:00Z")),
            utc("2025-01-04T20:30:00Z")
        );
        assert_eq!(
            previous_slot(&s, utc("2025-01-13T08:59:59Z")),
            Some(utc("2025-01-06T09:00:00Z"))
        );
    }

    #[test]
    fn weekly_across_daylight_saving_keeps_the_wall_time() {
        let sun = weekly(Weekday::Sun, 9, 0, Europe::Berlin);
        let before = next_slot(&sun, utc("2025-03-20T00:00:00Z"));
        assert_eq!(before, utc("2025-03-23T08:00:00Z")); // 09:00 CET
        assert_eq!(next_slot(&sun, before), utc("2025-03-30T07:00:00Z")); // 09:00 CEST
        let mon = weekly(Weekday::Mon, 9, 0, Europe::Berlin);
        let summer = next_slot(&mon, utc("2025-10-19T00:00:00Z"));
        assert_eq!(summer, utc("2025-10-20T07:00:00Z")); // 09:00 CEST
        assert_eq!(next_slot(&mon, summer), utc("2025-10-27T08:00:00Z")); // 09:00 CET
        // A weekly slot inside the gap on the day of the change.
        let gap = weekly(Weekday::Sun, 2, 30, Europe::Berlin);
        assert_eq!(
            next_slot(&gap, utc("2025-03-24T00:00:00Z")),
            utc("2025-03-30T01:00:00Z")
        );
    }

    #[test]
    fn a_skipped_calendar_day_does_not_break_anything() {
        // Pacific/Apia skipped 30 December 2011: that day's 09:00 runs at the first minute
        // that exists (31 December 00:00 local), and 31 December's own 09:00 still follows.
        let s = daily(9, 0, chrono_tz::Pacific::Apia);
        let first = next_slot(&s, utc("2011-12-29T20:00:00Z"));
        assert_eq!(
            first.with_timezone(&chrono_tz::Pacific::Apia).to_rfc3339(),
            "2011-12-31T00:00:00+14:00"
        );
        let second = next_slot(&s, first);
        assert_eq!(
            second.with_timezone(&chrono_tz::Pacific::Apia).to_rfc3339(),
            "2011-12-31T09:00:00+14:00"
        );
    }

    #[test]
    fn the_ends_of_the_calendar_do_not_panic() {
        for zone in [Tz::UTC, Europe::Berlin, Asia::Tehran, Australia::Lord_Howe] {
            let s = weekly(Weekday::Sun, 23, 59, zone);
            let _ = next_slot(&s, DateTime::<Utc>::MIN_UTC);
            let _ = previous_slot(&s, DateTime::<Utc>::MIN_UTC);
            assert_eq!(
                next_slot(&s, DateTime::<Utc>::MAX_UTC),
                DateTime::<Utc>::MAX_UTC
            );
            let _ = previous_slot(&s, DateTime::<Utc>::MAX_UTC);
            let _ = due(&s, DateTime::<Utc>::MIN_UTC, None, DateTime::<Utc>::MAX_UTC);
            let _ = due(
                &s,
                DateTime::<Utc>::MAX_UTC,
                Some(DateTime::<Utc>::MAX_UTC),
                DateTime::<Utc>::MIN_UTC,
            );
        }
    }

    // ---- the decision ----

    const NINE: &str = "2025-01-06T09:00:00Z";

    #[test]
    fn due_at_the_minute_never_before() {
        let s = daily(9, 0, Tz::UTC);
        let created = utc("2025-01-01T12:00:00Z");
        let yesterday = Some(utc("2025-01-05T09:00:00Z"));
        assert_eq!(
            due(&s, created, yesterday, utc("2025-01-06T08:59:59Z")),
            Due::Wait { next: utc(NINE) }
        );
        for now in [
            "2025-01-06T09:00:00Z",
            "2025-01-06T09:00:10Z",
            "2025-01-06T09:00:59Z",
        ] {
            assert_eq!(
                due(&s, created, Some(utc("2025-01-05T09:00:00Z")), utc(now)),
                Due::Run {
                    slot: utc(NINE),
                    late_by: None,
                    missed_before: 0
                },
                "{now}"
            );
        }
    }

    #[test]
    fn restart_in_the_middle_of_a_slot_waits_for_the_next() {
        let s = daily(9, 0, Tz::UTC);
        let created = utc("2025-01-01T12:00:00Z");
        for now in [
            "2025-01-06T09:00:00Z",
            "2025-01-06T09:00:30Z",
            "2025-01-06T14:00:00Z",
        ] {
            assert_eq!(
                due(&s, created, Some(utc(NINE)), utc(now)),
                Due::Wait {
                    next: utc("2025-01-07T09:00:00Z")
                },
                "{now}"
            );
        }
    }

    #[test]
    fn late_slots_under_six_hours_run_flagged() {
        let s = daily(9, 0, Tz::UTC);
        let created = utc("2025-01-01T12:00:00Z");
        let last = Some(utc("2025-01-05T09:00:00Z"));
        let run = |now: &str| due(&s, created, last, utc(now));
        assert_eq!(
            run("2025-01-06T09:01:00Z"),
            Due::Run {
                slot: utc(NINE),
                late_by: Some(TimeDelta::minutes(1)),
                missed_before: 0
            }
        );
        assert_eq!(
            run("2025-01-06T14:59:59Z"),
            Due::Run {
                slot: utc(NINE),
                late_by: Some(TimeDelta::seconds(6 * 3600 - 1)),
                missed_before: 0
            }
        );
    }

    #[test]
    fn late_slots_of_six_hours_or_more_are_skipped() {
        let s = daily(9, 0, Tz::UTC);
        let created = utc("2025-01-01T12:00:00Z");
        let last = Some(utc("2025-01-05T09:00:00Z"));
        for (now, late) in [
            ("2025-01-06T15:00:00Z", 6 * 60),
            ("2025-01-07T08:59:00Z", 1439),
        ] {
            assert_eq!(
                due(&s, created, last, utc(now)),
                Due::Skip {
                    slot: utc(NINE),
                    late_by: TimeDelta::minutes(late),
                    next: utc("2025-01-07T09:00:00Z"),
                    missed_before: 0
                },
                "{now}"
            );
        }
        // Once the skip is stored, the loop waits for the next slot.
        assert_eq!(
            due(&s, created, Some(utc(NINE)), utc("2025-01-06T15:00:00Z")),
            Due::Wait {
                next: utc("2025-01-07T09:00:00Z")
            }
        );
    }

    #[test]
    fn down_for_three_days_only_the_newest_slot_counts() {
        let s = daily(9, 0, Tz::UTC);
        let created = utc("2025-01-01T12:00:00Z");
        let last = Some(utc("2025-01-03T09:00:00Z"));
        // Back at 10:00 on the 6th: the 4th and 5th are gone, the 6th runs an hour late.
        assert_eq!(
            due(&s, created, last, utc("2025-01-06T10:00:00Z")),
            Due::Run {
                slot: utc(NINE),
                late_by: Some(TimeDelta::hours(1)),
                missed_before: 2
            }
        );
        // Back at 20:00: the 6th is too late as well; nothing older is ever offered.
        assert_eq!(
            due(&s, created, last, utc("2025-01-06T20:00:00Z")),
            Due::Skip {
                slot: utc(NINE),
                late_by: TimeDelta::hours(11),
                next: utc("2025-01-07T09:00:00Z"),
                missed_before: 2
            }
        );
    }

    #[test]
    fn never_a_slot_from_before_the_schedule_was_created() {
        let s = daily(9, 0, Tz::UTC);
        // Set at 09:00:30 for 09:00: the first slot is tomorrow's, as next_slot says.
        let created = utc("2025-01-06T09:00:30Z");
        assert_eq!(
            due(&s, created, None, utc("2025-01-06T09:00:45Z")),
            Due::Wait {
                next: utc("2025-01-07T09:00:00Z")
            }
        );
        assert_eq!(
            next_slot(&s, created),
            utc("2025-01-07T09:00:00Z"),
            "what the reply tells the user"
        );
        // Set a second before: it runs.
        let created = utc("2025-01-06T08:59:59Z");
        assert_eq!(
            due(&s, created, None, utc("2025-01-06T09:00:00Z")),
            Due::Run {
                slot: utc(NINE),
                late_by: None,
                missed_before: 0
            }
        );
        // Created long ago, never sent, bot down a week: only the newest slot, counted misses.
        let created = utc("2024-12-01T00:00:00Z");
        assert!(matches!(
            due(&s, created, None, utc("2025-01-06T09:30:00Z")),
            Due::Run { slot, missed_before: 36, .. } if slot == utc(NINE)
        ));
        // A schedule created "in the future" (a clock stepped back) waits for its first slot.
        let created = utc("2025-01-10T12:00:00Z");
        assert_eq!(
            due(&s, created, None, utc("2025-01-06T10:00:00Z")),
            Due::Wait {
                next: utc("2025-01-11T09:00:00Z")
            }
        );
    }

    #[test]
    fn a_stored_slot_ahead_of_the_clock_is_never_repeated() {
        let s = daily(9, 0, Tz::UTC);
        let created = utc("2025-01-01T00:00:00Z");
        assert_eq!(
            due(&s, created, Some(utc("2025-01-08T09:00:00Z")), utc(NINE)),
            Due::Wait {
                next: utc("2025-01-09T09:00:00Z")
            }
        );
    }

    #[test]
    fn the_missed_count_is_capped() {
        let s = daily(9, 0, Tz::UTC);
        let created = utc("2000-01-01T00:00:00Z");
        assert!(matches!(
            due(&s, created, None, utc(NINE)),
            Due::Run {
                missed_before: MISSED_COUNT_CAP,
                ..
            }
        ));
    }

    /// Drives the decision the way the loop does (sleep until `next`, wake a few seconds late)
    /// from before the spring change to after the autumn change of 2025 in Berlin, with the bot
    /// down twice: every slot is handled exactly once, in order; the ones the bot was down for
    /// are lost, sent late or skipped as the rules say.
    #[test]
    fn a_simulated_loop_handles_every_slot_once() {
        let s = daily(2, 30, Europe::Berlin); // 00:30 UTC in summer, 01:30 in winter
        let created = utc("2025-03-25T00:00:00Z");
        let end = utc("2025-11-05T00:00:00Z");
        let down = [
            (utc("2025-04-10T00:00:00Z"), utc("2025-04-10T03:00:00Z")), // back 2.5 h late
            (utc("2025-05-01T00:00:00Z"), utc("2025-05-04T12:00:00Z")), // 3.5 days
        ];
        let (mut last, mut sent, mut skipped) = (None, Vec::new(), Vec::new());
        let mut now = created;
        while now < end {
            if let Some((_, back)) = down.iter().find(|(a, b)| (*a..*b).contains(&now)) {
                now = *back;
                continue;
            }
            match due(&s, created, last, now) {
                Due::Wait { next } => {
                    assert!(next > now);
                    let wake = next + TimeDelta::seconds(3);
                    now = match down.iter().find(|(a, _)| now < *a && *a <= wake) {
                        Some((a, _)) => *a,
                        None => wake,
                    };
                }
                Due::Run { slot, late_by, .. } => {
                    assert!(slot <= now);
                    sent.push((slot, late_by));
                    last = Some(slot);
                }
                Due::Skip { slot, .. } => {
                    skipped.push(slot);
                    last = Some(slot);
                }
            }
        }
        let all: Vec<_> = std::iter::successors(Some(next_slot(&s, created)), |&t| {
            Some(next_slot(&s, t)).filter(|&n| n < end)
        })
        .collect();
        assert_eq!(all.len(), 225);
        assert!(
            all.contains(&utc("2025-03-30T01:00:00Z")),
            "gap day: 03:00 CEST"
        );
        assert!(
            all.contains(&utc("2025-10-26T00:30:00Z")),
            "overlap day: first 02:30"
        );
        assert!(
            !all.contains(&utc("2025-10-26T01:30:00Z")),
            "not the second 02:30"
        );

        let mut handled: Vec<_> = sent.iter().map(|(slot, _)| *slot).collect();
        handled.extend(&skipped);
        let mut unique = handled.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), handled.len(), "a slot was handled twice");
        assert!(handled.iter().all(|t| all.contains(t)));

        assert_eq!(skipped, [utc("2025-05-04T00:30:00Z")], "11.5 hours late");
        let lost: Vec<_> = all.iter().filter(|t| !handled.contains(t)).collect();
        assert_eq!(
            lost,
            [
                &utc("2025-05-01T00:30:00Z"),
                &utc("2025-05-02T00:30:00Z"),
                &utc("2025-05-03T00:30:00Z")
            ]
        );
        let late: Vec<_> = sent.iter().filter(|(_, l)| l.is_some()).collect();
        assert_eq!(
            late,
            [&(utc("2025-04-10T00:30:00Z"), Some(TimeDelta::minutes(150)))]
        );
    }

    // ---- properties ----

    const ZONES: [Tz; 7] = [
        Tz::UTC,
        Europe::Berlin,
        Asia::Tehran,
        America::New_York,
        Australia::Lord_Howe,
        America::Sao_Paulo,
        chrono_tz::Asia::Kolkata,
    ];

    fn any_schedule() -> impl Strategy<Value = Schedule> {
        (0u32..24, 0u32..60, 0usize..ZONES.len(), 0u8..8).prop_map(|(h, m, z, d)| Schedule {
            cadence: match d {
                0 => Cadence::Daily,
                d => Cadence::Weekly(Weekday::try_from(d - 1).unwrap()),
            },
            time: WallTime::new(h, m).unwrap(),
            zone: ZONES[z],
        })
    }

    /// 1990 to 2060, to the second.
    fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
        (631_152_000i64..2_871_763_200).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap())
    }

    proptest! {
        #[test]
        fn parsing_never_panics_and_errors_are_short(args in ".{0,80}") {
            if let Err(e) = parse_report_args(&args, None) {
                let text = e.to_string();
                prop_assert!(!text.is_empty());
                prop_assert!(text.chars().count() <= 160, "{text}");
            }
        }

        #[test]
        fn parsing_words_that_look_right(
            day in prop::option::of("(mon|TUE|Wednesday|thu|fri|sat|SUNDAY|funday|[a-z]{1,9})"),
            time in "[0-9]{1,3}:[0-9]{1,3}|[0-9]{1,2}(am|pm)?",
            zone in prop::option::of("(utc|Europe/Berlin|asia/tehran|Mars/Olympus|[A-Za-z/_+-]{1,30})"),
        ) {
            let args = [day, Some(time), zone].into_iter().flatten().collect::<Vec<_>>().join(" ");
            match parse_report_args(&args, None) {
                Ok(ReportRequest::Set(s)) => prop_assert_eq!(set(&s.to_args()), s),
                Ok(other) => prop_assert!(false, "{args:?} gave {other:?}"),
                Err(e) => prop_assert!(e.to_string().chars().count() <= 160),
            }
        }

        #[test]
        fn next_slot_is_later_and_on_the_wall_time(s in any_schedule(), t in any_instant()) {
            let next = next_slot(&s, t);
            prop_assert!(next > t);
            let local = next.with_timezone(&s.zone).naive_local();
            let wanted = local.date().and_time(s.time.naive());
            if s.zone.from_local_datetime(&wanted).earliest().is_some() {
                prop_assert_eq!(local.time(), s.time.naive());
                if let Cadence::Weekly(day) = s.cadence {
                    prop_assert_eq!(local.date().weekday(), day);
                }
            } else {
                // In a gap: the first valid minute after the wall time.
                prop_assert!(local > wanted);
                let minute_before = (next - TimeDelta::minutes(1)).with_timezone(&s.zone);
                prop_assert!(minute_before.naive_local() < wanted);
            }
            let max_gap = match s.cadence {
                Cadence::Daily => TimeDelta::hours(26),
                Cadence::Weekly(_) => TimeDelta::days(7) + TimeDelta::hours(2),
            };
            prop_assert!(next - t <= max_gap);
        }

        #[test]
        fn previous_and_next_agree(s in any_schedule(), t in any_instant()) {
            let prev = previous_slot(&s, t).unwrap();
            let next = next_slot(&s, t);
            prop_assert!(prev <= t && t < next);
            prop_assert_eq!(next_slot(&s, prev), next);
            prop_assert_eq!(previous_slot(&s, next), Some(next));
        }

        #[test]
        fn due_never_repeats_or_runs_early(
            s in any_schedule(),
            created in any_instant(),
            last_offset in prop::option::of(-30i64*86400..30*86400),
            now_offset in -86400i64..40*86400,
        ) {
            let last = last_offset.map(|o| created + TimeDelta::seconds(o));
            let now = created + TimeDelta::seconds(now_offset);
            let floor = last.map_or(created, |l| l.max(created));
            match due(&s, created, last, now) {
                Due::Wait { next } => prop_assert!(next > now && next > floor),
                Due::Run { slot, late_by, .. } => {
                    prop_assert!(slot > floor && slot <= now);
                    prop_assert!(now - slot < MAX_LATENESS);
                    prop_assert_eq!(late_by.is_some(), now - slot >= LATE_AFTER);
                    // Stored, the same instant gives nothing more.
                    prop_assert!(
                        matches!(due(&s, created, Some(slot), now), Due::Wait { .. }),
                        "repeated"
                    );
                }
                Due::Skip { slot, late_by, next, .. } => {
                    prop_assert!(slot > floor && late_by >= MAX_LATENESS && next > now);
                    prop_assert!(
                        matches!(due(&s, created, Some(slot), now), Due::Wait { .. }),
                        "repeated"
                    );
                }
            }
        }
    }
}
