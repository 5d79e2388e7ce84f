//! Texts of scheduled reports, `/report` replies, and `/history` (caption and the replies without
//! a chart). Times are shown in the chat's zone.

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use teloxide::utils::html::escape;

use super::balance::{PriceView, wallets_block};
use crate::money::Usd;
use crate::oxapay::Balances;
use crate::rules::alerts::{AlertState, Direction, Threshold};
use crate::rules::domain::Subject;
use crate::rules::history::{Span, Summary};
use crate::rules::payouts::Outflow;
use crate::rules::report::FigureChange;
use crate::rules::sales::Movement;
use crate::rules::schedule::Schedule;

/// A moment in a zone, as people read it: `Thu 27 Nov 2026 09:00 (Europe/Berlin)`.
pub fn zoned(unix: i64, zone: Tz) -> String {
    match DateTime::<Utc>::from_timestamp(unix, 0) {
        Some(t) => format!(
            "{} ({zone})",
            t.with_timezone(&zone).format("%a %d %b %Y %H:%M")
        ),
        None => "an unknown time".into(),
    }
}

fn utc_clock(unix: i64) -> String {
    DateTime::<Utc>::from_timestamp(unix, 0)
        .map(|t| t.format("%a %H:%M UTC").to_string())
        .unwrap_or_default()
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

fn signed_percent(p: Decimal) -> String {
    if p.is_sign_negative() {
        format!("−{} %", p.abs())
    } else {
        format!("+{p} %")
    }
}

pub fn report_set(schedule: &Schedule, next: i64) -> String {
    format!(
        "📊 Reports set: {}. Next: {} — {}.",
        escape(&schedule.to_string()),
        zoned(next, schedule.zone),
        utc_clock(next)
    )
}

pub fn report_status(schedule: Option<(&Schedule, i64)>) -> String {
    match schedule {
        Some((s, next)) => format!(
            "📊 This chat gets a report {}. Next: {} — {}. /report off stops it, /report now \
             sends one now.",
            escape(&s.to_string()),
            zoned(next, s.zone),
            utc_clock(next)
        ),
        None => "This chat has no scheduled report. <code>/report 09:00 Europe/Berlin</code> \
                 sets a daily one, <code>/report mon 09:00</code> a weekly one; /report now \
                 shows what it looks like."
            .into(),
    }
}

pub fn report_removed(existed: bool) -> String {
    if existed {
        "Scheduled reports stopped for this chat.".into()
    } else {
        "This chat had no scheduled report.".into()
    }
}

pub fn report_queued() -> String {
    "📊 Report on its way.".into()
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
    let mut s = format!(
        "📊 <b>Balance report</b> — {}",
        zoned(r.due.unwrap_or(read_at(r)), r.zone)
    );
    if let (Some(due), Some(late)) = (r.due, r.late_by) {
        s.push_str(&format!(
            "\n⏰ Late by {}: it was due at {} and the bot was not running then.",
            duration_text(late),
            zoned(due, r.zone)
        ));
    }
    match r.balances {
        ReportBalances::Fresh { read, prices, .. } => {
            s.push('\n');
            s.push_str(&wallets_block(read, prices, false));
        }
        ReportBalances::Stored {
            read,
            at,
            total_usd,
        } => {
            s.push_str(&format!(
                "\n⚠️ OxaPay has not answered since {}; these are the balances read then.",
                zoned(at, r.zone)
            ));
            s.push('\n');
            s.push_str(&wallets_block(
                read,
                PriceView::Unavailable("Values are not shown for stored balances."),
                false,
            ));
            if let Some(total) = total_usd {
                s.push_str(&format!("\nTotal then: <b>${total}</b>"));
            }
        }
    }
    match r.previous_at {
        None => s.push_str("\nThe first report here: nothing to compare yet."),
        Some(at) if r.changes.is_empty() => s.push_str(&format!(
            "\nNo change since the last report ({}).",
            zoned(at, r.zone)
        )),
        Some(at) => {
            s.push_str(&format!(
                "\n<b>Since the last report</b> ({}):",
                zoned(at, r.zone)
            ));
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
                            (None, _) => " (new)",
                            (_, None) => " (now empty)",
                            _ => "",
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
                    .map(|p| format!(" ({})", signed_percent(p)))
                    .unwrap_or_default();
                s.push_str(&format!(
                    "\nTotal: {} USD{percent}",
                    signed_usd(total.delta)
                ));
            }
        }
    }
    if !r.crossed.is_empty() {
        s.push_str("\n<b>Levels crossed now</b>");
        for t in r.crossed {
            let (icon, word) = match t.direction {
                Direction::Below => ("⚠️", "low"),
                Direction::Above => ("🔺", "high"),
            };
            let since = match t.state {
                AlertState::Crossed { since, .. } => zoned(since, r.zone),
                _ => String::new(),
            };
            let (subject, level) = match &t.subject {
                Subject::Total => ("Total value".to_owned(), format!("${}", Usd::new(t.level))),
                Subject::Coin(c) => (escape(c.as_str()), t.level.to_string()),
            };
            s.push_str(&format!(
                "\n{icon} <b>{subject}</b> {} {level}: {word} since {since}",
                t.direction.as_str()
            ));
        }
    }
    if let Some(m) = r.payments {
        s.push_str(&super::report_payments(m));
    }
    if let Some(o) = r.payouts {
        s.push_str(&super::report_payouts(o));
    }
    s.push_str(&format!(
        "\n<i>Balances read {}</i>",
        zoned_seconds(read_at(r), r.zone)
    ));
    s
}

fn read_at(r: &Report) -> i64 {
    match r.balances {
        ReportBalances::Fresh { at, .. } | ReportBalances::Stored { at, .. } => at,
    }
}

fn zoned_seconds(unix: i64, zone: Tz) -> String {
    match DateTime::<Utc>::from_timestamp(unix, 0) {
        Some(t) => format!(
            "{} ({zone})",
            t.with_timezone(&zone).format("%a %d %b %Y %H:%M:%S")
        ),
        None => "at an unknown time".into(),
    }
}

fn duration_text(d: TimeDelta) -> String {
    let minutes = d.num_minutes();
    if minutes < 60 {
        format!("{minutes} min")
    } else {
        format!("{} h {} min", minutes / 60, minutes % 60)
    }
}

/// OxaPay did not answer for half an hour and nothing is stored yet.
pub fn report_without_balances(due: i64, zone: Tz) -> String {
    format!(
        "📊 <b>Balance report</b> — {}\n⚠️ OxaPay has not answered and no earlier balances are \
         stored yet, so there is nothing to report this time.",
        zoned(due, zone)
    )
}

/// The caption of a `/history` chart: exact first, last, change, minimum and maximum.
pub fn history_caption(subject: &Subject, span: Span, summary: &Summary, zone: Tz) -> String {
    let (name, amount): (String, Box<dyn Fn(Decimal) -> String>) = match subject {
        Subject::Total => (
            "Total value (USD)".into(),
            Box::new(|d: Decimal| format!("${}", Usd::new(d))),
        ),
        Subject::Coin(c) => {
            let unit = escape(c.as_str());
            (
                unit.clone(),
                Box::new(move |d: Decimal| format!("{d} {unit}")),
            )
        }
    };
    let change = match subject {
        Subject::Total => format!("{} USD", signed_usd(summary.change)),
        Subject::Coin(c) => format!("{} {}", signed(summary.change), escape(c.as_str())),
    };
    let percent = summary
        .change_percent
        .map(|p| format!(" ({})", signed_percent(p)))
        .unwrap_or_default();
    format!(
        "📈 <b>{name}</b>, last {}\n\
         First: {} — {}\n\
         Last: {} — {}\n\
         Change: {change}{percent}\n\
         Min: {} — {}\n\
         Max: {} — {}\n\
         <i>{} points</i>",
        span.label(),
        amount(summary.first.value),
        zoned(summary.first.at, zone),
        amount(summary.last.value),
        zoned(summary.last.at, zone),
        amount(summary.min.value),
        zoned(summary.min.at, zone),
        amount(summary.max.value),
        zoned(summary.max.at, zone),
        summary.count
    )
}

/// `/history` before anything was recorded.
/// A history chart's title and the unit of its axis (plain text: drawn, not sent as HTML).
pub fn chart_title(subject: &Subject, span: Span) -> (String, String) {
    match subject {
        Subject::Total => (
            format!("Total value (USD), last {}", span.label()),
            "USD".to_owned(),
        ),
        Subject::Coin(c) => (format!("{c}, last {}", span.label()), c.to_string()),
    }
}

pub fn history_none(interval_secs: u64) -> String {
    format!(
        "No balance history yet. The bot records the balances with the first successful read \
         and then every {} — ask again later.",
        interval_text(interval_secs)
    )
}

/// `/history` with fewer than two points in the period.
pub fn history_too_few(points: usize, recording_since: i64, zone: Tz) -> String {
    format!(
        "Too few points for a line yet: {points} in this period (recording since {}). Try \
         again later, or a longer period such as <code>/history total 90d</code>.",
        zoned(recording_since, zone)
    )
}

/// `/history total` when no total was recorded (prices were unavailable).
pub fn history_no_total() -> String {
    "No USD totals are recorded for this period (prices were unavailable, or a wallet had no \
     price). Ask for one currency instead, e.g. <code>/history BTC 30d</code>."
        .into()
}

pub fn history_unavailable() -> String {
    "The chart could not be drawn this time; the error is logged for the operator. Try again later."
        .into()
}

fn interval_text(secs: u64) -> String {
    match secs {
        s if s % 3600 == 0 => format!("{} h", s / 3600),
        s if s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

pub const REPORT_USAGE: &str = "use <code>/report 09:00</code> or <code>/report 09:00 Europe/Berlin</code> (daily), <code>/report mon 09:00 [TZ]</code> (weekly), <code>/report off</code>, <code>/report now</code>, or /report to see it. TZ is an IANA zone name such as UTC, Europe/Berlin or Asia/Tehran.";
pub const HISTORY_USAGE: &str = "use <code>/history</code> (total value, 30 days), <code>/history BTC</code>, <code>/history total 7d</code>; periods: 7d, 30d, 90d, 1y.";

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

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
            zoned(1_774_747_800, chrono_tz::Europe::Berlin),
            "Sun 29 Mar 2026 03:30 (Europe/Berlin)"
        );
    }
}
