//! Texts of scheduled reports, `/report` replies, and `/history` (caption and the replies without
//! a chart). Times are shown in the chat's zone.

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use teloxide::utils::html::escape;

use super::alerts::direction_key;
use super::balance::{PriceView, wallets_block};
use super::l10n::{Var, fig, html, ltr};
use super::{Lang, signed_percent};
use crate::money::Usd;
use crate::oxapay::Balances;
use crate::rules::alerts::{AlertState, Direction, Threshold};
use crate::rules::domain::Subject;
use crate::rules::history::{Span, Summary};
use crate::rules::payouts::Outflow;
use crate::rules::report::FigureChange;
use crate::rules::sales::Movement;
use crate::rules::schedule::{Cadence, Schedule};
use crate::t;

/// A moment in a zone, as people read it (HTML): `Thu 27 Nov 2026 09:00 (Europe/Berlin)`. The
/// weekday and the month are words of the language, the day, year and 24-hour time ASCII
/// digits, the zone its IANA name; the calendar is the Gregorian one in every language, as on
/// OxaPay's dashboard and every explorer the figures are compared with.
pub fn zoned(lang: Lang, unix: i64, zone: Tz) -> String {
    zoned_as(lang, unix, zone, "%H:%M")
}

fn zoned_as(lang: Lang, unix: i64, zone: Tz, clock: &str) -> String {
    use chrono::Datelike;
    let Some(t) = DateTime::<Utc>::from_timestamp(unix, 0) else {
        return t!(lang, "time-unknown");
    };
    let local = t.with_timezone(&zone);
    t!(
        lang,
        "time-zoned",
        weekday = weekday_short(lang, local.weekday()),
        day = fig(local.format("%d")),
        month = month_short(lang, local.month()),
        year = fig(local.format("%Y")),
        time = fig(local.format(clock)),
        zone = fig(format!("({zone})"))
    )
}

/// A weekday's short name (`Mon`) in `lang`.
pub fn weekday_short(lang: Lang, day: chrono::Weekday) -> String {
    t!(lang, "weekday-short", day = day.number_from_monday())
}

/// A month's short name (`Nov`) in `lang`; `month` is 1 to 12.
pub fn month_short(lang: Lang, month: u32) -> String {
    t!(lang, "month-short", month = month)
}

fn utc_clock(lang: Lang, unix: i64) -> String {
    use chrono::Datelike;
    match DateTime::<Utc>::from_timestamp(unix, 0) {
        Some(t) => t!(
            lang,
            "time-utc-clock",
            weekday = weekday_short(lang, t.weekday()),
            time = fig(t.format("%H:%M"))
        ),
        None => t!(lang, "time-unknown"),
    }
}

/// A schedule as a sentence part: `every day at 09:00 (Europe/Berlin)`.
pub fn schedule_text(lang: Lang, schedule: &Schedule) -> String {
    let time = fig(schedule.time.to_string());
    let zone = fig(format!("({})", schedule.zone.name()));
    match schedule.cadence {
        Cadence::Daily => t!(lang, "schedule-daily", time = time, zone = zone),
        Cadence::Weekly(day) => t!(
            lang,
            "schedule-weekly",
            day = t!(lang, "weekday-long", day = day.number_from_monday()),
            time = time,
            zone = zone
        ),
    }
}

/// A period of `/history`: `30 days`.
pub fn span_text(lang: Lang, span: Span) -> String {
    let key = match span {
        Span::Week => "week",
        Span::Month => "month",
        Span::Quarter => "quarter",
        Span::Year => "year",
    };
    t!(lang, "span", span = key)
}

/// A change with its sign: `+0.01500000`, `−7` (a true minus sign).
fn signed(d: Decimal) -> String {
    if d.is_sign_negative() {
        format!("−{}", d.abs())
    } else {
        format!("+{d}")
    }
}

fn signed_usd(d: Decimal) -> String {
    let text = Usd::new(d.abs()).to_string();
    if d.is_sign_negative() {
        format!("−{text}")
    } else {
        format!("+{text}")
    }
}

pub fn report_set(lang: Lang, schedule: &Schedule, next: i64) -> String {
    t!(
        lang,
        "report-set",
        schedule = html(schedule_text(lang, schedule)),
        next = html(zoned(lang, next, schedule.zone)),
        next_utc = html(utc_clock(lang, next))
    )
}

pub fn report_status(lang: Lang, schedule: Option<(&Schedule, i64)>) -> String {
    match schedule {
        Some((s, next)) => t!(
            lang,
            "report-status",
            schedule = html(schedule_text(lang, s)),
            next = html(zoned(lang, next, s.zone)),
            next_utc = html(utc_clock(lang, next))
        ),
        None => t!(lang, "report-none"),
    }
}

pub fn report_removed(lang: Lang, existed: bool) -> String {
    if existed {
        t!(lang, "report-removed")
    } else {
        t!(lang, "report-removed-none")
    }
}

pub fn report_queued(lang: Lang) -> String {
    t!(lang, "report-queued")
}

/// Where a report's balances come from.
#[derive(Debug, Clone, Copy)]
pub enum ReportBalances<'a> {
    /// Read now (at `at`), with the prices the reply may show.
    Fresh {
        read: &'a Balances,
        at: i64,
        prices: PriceView<'a>,
    },
    /// OxaPay did not answer: the newest stored snapshot, taken at `at`, and its total.
    Stored {
        read: &'a Balances,
        at: i64,
        total_usd: Option<Usd>,
    },
}

/// Everything a report shows.
pub struct Report<'a> {
    /// The language of the chat it goes to.
    pub lang: Lang,
    pub zone: Tz,
    /// When it was due (scheduled reports), and how late it is when it is late.
    pub due: Option<i64>,
    pub late_by: Option<TimeDelta>,
    pub balances: ReportBalances<'a>,
    /// Changes since the previous report, and when that was (`None`: this is the first).
    pub changes: &'a [FigureChange],
    pub previous_at: Option<i64>,
    /// This chat's levels that are crossed now.
    pub crossed: &'a [&'a Threshold],
    /// What payments did since the previous report (`None`: no payment feed).
    pub payments: Option<&'a Movement>,
    /// What payouts did since the previous report (`None`: no payout feed).
    pub payouts: Option<&'a Outflow>,
}

/// A balance report: one HTML message (split like every other if it grows past the limit).
pub fn report(r: &Report) -> String {
    let lang = r.lang;
    let mut s = t!(
        lang,
        "report-heading",
        at = html(zoned(lang, r.due.unwrap_or(read_at(r)), r.zone))
    );
    if let (Some(due), Some(late)) = (r.due, r.late_by) {
        s.push('\n');
        s.push_str(&t!(
            lang,
            "report-late",
            late = html(duration_text(lang, late)),
            due = html(zoned(lang, due, r.zone))
        ));
    }
    match r.balances {
        ReportBalances::Fresh { read, prices, .. } => {
            s.push('\n');
            s.push_str(&wallets_block(lang, read, prices, false));
        }
        ReportBalances::Stored {
            read,
            at,
            total_usd,
        } => {
            s.push('\n');
            s.push_str(&t!(
                lang,
                "report-stored",
                at = html(zoned(lang, at, r.zone))
            ));
            s.push('\n');
            let why = t!(lang, "report-stored-no-values");
            s.push_str(&wallets_block(
                lang,
                read,
                PriceView::Unavailable(&why),
                false,
            ));
            if let Some(total) = total_usd {
                s.push('\n');
                s.push_str(&t!(
                    lang,
                    "report-total-then",
                    total = fig(format!("${total}"))
                ));
            }
        }
    }
    s.push_str(&changes_block(r));
    if !r.crossed.is_empty() {
        s.push('\n');
        s.push_str(&t!(lang, "report-crossed-heading"));
        for t in r.crossed {
            s.push('\n');
            s.push_str(&crossed_line(lang, t, r.zone));
        }
    }
    if let Some(m) = r.payments {
        s.push_str(&super::report_payments(lang, m));
    }
    if let Some(o) = r.payouts {
        s.push_str(&super::report_payouts(lang, o));
    }
    s.push('\n');
    s.push_str(&t!(
        lang,
        "report-read-at",
        at = html(zoned_as(lang, read_at(r), r.zone, "%H:%M:%S"))
    ));
    s
}

/// What changed since the previous report (each line after a newline), or that nothing did.
fn changes_block(r: &Report) -> String {
    let lang = r.lang;
    let Some(at) = r.previous_at else {
        return format!("\n{}", t!(lang, "report-first"));
    };
    let when = || html(zoned(lang, at, r.zone));
    if r.changes.is_empty() {
        return format!("\n{}", t!(lang, "report-no-change", at = when()));
    }
    let mut s = format!("\n{}", t!(lang, "report-since", at = when()));
    let coins: Vec<&FigureChange> = r
        .changes
        .iter()
        .filter(|c| c.subject != Subject::Total)
        .collect();
    if !coins.is_empty() {
        let width = coins
            .iter()
            .map(|c| c.subject.key().len())
            .max()
            .unwrap_or(0);
        let lines: Vec<String> = coins
            .iter()
            .map(|c| {
                let note = match (c.before, c.now) {
                    (None, _) => format!(" {}", t!(lang, "report-change-new")),
                    (_, None) => format!(" {}", t!(lang, "report-change-empty")),
                    _ => String::new(),
                };
                format!(
                    "{:<width$}  {} {}{note}",
                    escape(c.subject.key()),
                    signed(c.delta),
                    escape(c.subject.key())
                )
            })
            .collect();
        s.push_str(&format!("\n<pre>{}</pre>", lines.join("\n")));
    }
    if let Some(total) = r.changes.iter().find(|c| c.subject == Subject::Total) {
        let percent = total
            .percent
            .map(|p| format!(" ({})", ltr(lang, &signed_percent(p))))
            .unwrap_or_default();
        s.push('\n');
        s.push_str(&t!(
            lang,
            "report-total-change",
            change = fig(signed_usd(total.delta)),
            percent = html(percent)
        ));
    }
    s
}

/// A level crossed now, in a report: `⚠️ <b>BTC</b> below 0.5: low since …`.
fn crossed_line(lang: Lang, t: &Threshold, zone: Tz) -> String {
    let icon = match t.direction {
        Direction::Below => "⚠️",
        Direction::Above => "🔺",
    };
    let since = match t.state {
        AlertState::Crossed { since, .. } => zoned(lang, since, zone),
        _ => String::new(),
    };
    let (subject, level) = match &t.subject {
        Subject::Total => (
            html(t!(lang, "subject-total")),
            fig(format!("${}", Usd::new(t.level))),
        ),
        Subject::Coin(c) => (fig(c.as_str()), fig(t.level)),
    };
    t!(
        lang,
        "report-crossed-line",
        icon = icon,
        subject = subject,
        direction = direction_key(t.direction),
        level = level,
        since = html(since)
    )
}

fn read_at(r: &Report) -> i64 {
    match r.balances {
        ReportBalances::Fresh { at, .. } | ReportBalances::Stored { at, .. } => at,
    }
}

fn duration_text(lang: Lang, d: TimeDelta) -> String {
    let minutes = d.num_minutes();
    if minutes < 60 {
        t!(lang, "duration-minutes", minutes = fig(minutes))
    } else {
        t!(
            lang,
            "duration-hours",
            hours = fig(minutes / 60),
            minutes = fig(minutes % 60)
        )
    }
}

/// OxaPay did not answer for half an hour and nothing is stored yet.
pub fn report_without_balances(lang: Lang, due: i64, zone: Tz) -> String {
    t!(
        lang,
        "report-without-balances",
        at = html(zoned(lang, due, zone))
    )
}

/// The caption of a `/history` chart: exact first, last, change, minimum and maximum.
pub fn history_caption(
    lang: Lang,
    subject: &Subject,
    span: Span,
    summary: &Summary,
    zone: Tz,
) -> String {
    let (name, amount): (String, Box<dyn Fn(Decimal) -> Var>) = match subject {
        Subject::Total => (
            t!(lang, "history-total-name"),
            Box::new(|d: Decimal| fig(format!("${}", Usd::new(d)))),
        ),
        Subject::Coin(c) => {
            let unit = c.as_str().to_owned();
            (
                ltr(lang, &escape(c.as_str())),
                Box::new(move |d: Decimal| fig(format!("{d} {unit}"))),
            )
        }
    };
    let change = match subject {
        Subject::Total => format!("{} USD", signed_usd(summary.change)),
        Subject::Coin(c) => format!("{} {}", signed(summary.change), c.as_str()),
    };
    let percent = summary
        .change_percent
        .map(|p| format!(" ({})", ltr(lang, &signed_percent(p))))
        .unwrap_or_default();
    let at = |unix: i64| html(zoned(lang, unix, zone));
    t!(
        lang,
        "history-caption",
        name = html(name),
        span = span_text(lang, span),
        first = amount(summary.first.value),
        first_at = at(summary.first.at),
        last = amount(summary.last.value),
        last_at = at(summary.last.at),
        change = fig(change),
        percent = html(percent),
        min = amount(summary.min.value),
        min_at = at(summary.min.at),
        max = amount(summary.max.value),
        max_at = at(summary.max.at),
        count = summary.count
    )
}

/// A history chart's title and the unit of its axis (plain text: drawn, not sent as HTML).
pub fn chart_title(lang: Lang, subject: &Subject, span: Span) -> (String, String) {
    let (name, unit) = match subject {
        Subject::Total => (t!(lang, "history-total-name"), "USD".to_owned()),
        Subject::Coin(c) => (c.to_string(), c.to_string()),
    };
    let title = t!(
        lang,
        "chart-title",
        subject = name,
        span = span_text(lang, span)
    );
    (super::plain_text(&title), unit)
}

/// The other words a chart draws: its markers' labels and the names of months and weekdays.
pub fn chart_labels(lang: Lang) -> crate::chart::Labels {
    crate::chart::Labels {
        min: t!(lang, "chart-min"),
        max: t!(lang, "chart-max"),
        min_max: t!(lang, "chart-min-max"),
        months: std::array::from_fn(|i| month_short(lang, i as u32 + 1)),
        weekdays: std::array::from_fn(|i| t!(lang, "weekday-short", day = i + 1)),
    }
}

/// `/history` before anything was recorded.
pub fn history_none(lang: Lang, interval_secs: u64) -> String {
    t!(
        lang,
        "history-none",
        interval = html(interval_text(lang, interval_secs))
    )
}

/// `/history` with fewer than two points in the period.
pub fn history_too_few(lang: Lang, points: usize, recording_since: i64, zone: Tz) -> String {
    t!(
        lang,
        "history-too-few",
        count = points,
        since = html(zoned(lang, recording_since, zone))
    )
}

/// `/history total` when no total was recorded (prices were unavailable).
pub fn history_no_total(lang: Lang) -> String {
    t!(lang, "history-no-total")
}

pub fn history_unavailable(lang: Lang) -> String {
    t!(lang, "history-unavailable")
}

fn interval_text(lang: Lang, secs: u64) -> String {
    let (n, unit) = match secs {
        s if s % 3600 == 0 => (s / 3600, "h"),
        s if s % 60 == 0 => (s / 60, "min"),
        s => (s, "s"),
    };
    t!(lang, "interval", n = fig(n), unit = unit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    /// Every word a chart draws, in every language, has a glyph in the chart's fonts: titles,
    /// units, the markers with an amount, month and weekday names, time labels as the axis
    /// writes them.
    #[test]
    fn every_word_a_chart_draws_has_glyphs_in_every_language() {
        let btc = Subject::Coin(crate::money::Currency::parse("BTC").unwrap());
        for lang in Lang::ALL {
            let labels = chart_labels(lang);
            let mut words = vec![
                labels.min.clone(),
                format!("{} 1,234.5 USD", labels.max),
                format!("{} 0.00000001 BTC", labels.min_max),
            ];
            for subject in [&Subject::Total, &btc] {
                for span in [Span::Week, Span::Month, Span::Quarter, Span::Year] {
                    let (title, unit) = chart_title(lang, subject, span);
                    words.push(title);
                    words.push(unit);
                }
            }
            for (i, month) in labels.months.iter().enumerate() {
                words.push(format!("{} {month}", i + 1));
            }
            words.extend(labels.weekdays.iter().cloned());
            for word in &words {
                assert!(!word.is_empty(), "{lang}");
                let ids = crate::chart::glyph_ids(word);
                assert!(
                    ids.iter().all(|&g| g != 0),
                    "{lang}: {word:?} has a missing glyph: {ids:?}"
                );
            }
        }
    }

    /// The Persian and Russian charts drawn whole (shaped, right to left where it must be), and
    /// the English and Persian ones the README shows (written to `docs/img/` when
    /// `WRITE_DOCS_IMG` is set).
    #[test]
    fn persian_and_russian_charts_are_drawn_and_the_readme_shows_the_current_ones() {
        use crate::chart::{ChartInput, Kind, render_png_in};
        let start = 1_764_000_000;
        let points: Vec<(i64, Decimal)> = (0..30 * 24)
            .map(|h| {
                let wave = (h as i64 * 37 % 101) - 50 + (h as i64 / 24) * 40;
                (
                    start + h as i64 * 3600,
                    Decimal::new(3_800_000 + wave * 1_000, 2),
                )
            })
            .collect();
        let zone: Tz = "Asia/Tehran".parse().unwrap();
        for (lang, file) in [
            (Lang::En, Some("chart-en.png")),
            (Lang::Fa, Some("chart-fa.png")),
            (Lang::Ru, None),
            (Lang::Ar, None),
        ] {
            let (title, unit) = chart_title(lang, &Subject::Total, Span::Month);
            let input = ChartInput {
                title: &title,
                unit: &unit,
                points: &points,
                tz: zone,
            };
            let png = render_png_in(&input, Kind::Line, &chart_labels(lang)).unwrap();
            assert!(png.len() > 10_000, "{lang}");
            let Some(file) = file else { continue };
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("docs/img")
                .join(file);
            if std::env::var_os("WRITE_DOCS_IMG").is_some() {
                std::fs::write(&path, &png).unwrap();
            }
            assert!(
                path.exists(),
                "{}: WRITE_DOCS_IMG=1 cargo test --lib persian_and_russian",
                path.display()
            );
        }
    }

    #[test]
    fn signs_and_zones_read_as_people_expect() {
        assert_eq!(
            signed(Decimal::from_str("0.01500000").unwrap()),
            "+0.01500000"
        );
        assert_eq!(signed(Decimal::from_str("-7").unwrap()), "−7");
        assert_eq!(
            signed_usd(Decimal::from_str("-1204.5").unwrap()),
            "−1,204.50"
        );
        assert_eq!(signed_percent(Decimal::from_str("-3.1").unwrap()), "−3.1 %");
        // 2026-03-29 01:30 UTC is 03:30 in Berlin (summer time began at 02:00 local).
        assert_eq!(
            zoned(Lang::En, 1_774_747_800, chrono_tz::Europe::Berlin),
            "Sun 29 Mar 2026 03:30 (Europe/Berlin)"
        );
    }
}
