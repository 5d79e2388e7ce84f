//! Sales figures from the payment ledger, as pure rules: the periods `/sales` and
//! `/history payments` ask about (in the chat's zone), what was received in a period per
//! currency and in USD, and the comparison with the period before.
//!
//! A payment counts as a sale when it is `paid` or `manual_accept`, at its creation time on
//! OxaPay's clock (an invoice is paid within its lifetime, hours at most). What was received is
//! its amount in its currency; its USD value is the one the ledger kept (the price when the
//! bot first valued it). A payment whose amount or value could not be read is counted, and
//! said to be missing from the sums, never read as zero.

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;

use crate::money::{Currency, Usd};
use crate::oxapay::PaymentStatus;
use crate::rules::history::percent;

const DAY: i64 = 86_400;

/// What `/sales` covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Since midnight in the chat's zone.
    Today,
    /// The whole day before.
    Yesterday,
    /// The last 7 × 24 hours.
    Week,
    /// The last 30 × 24 hours.
    Month,
}

impl Period {
    /// `today`, `yesterday`, `7d`, `30d` (any case).
    pub fn parse(word: &str) -> Option<Self> {
        match word.to_ascii_lowercase().as_str() {
            "today" => Some(Period::Today),
            "yesterday" => Some(Period::Yesterday),
            "7d" => Some(Period::Week),
            "30d" => Some(Period::Month),
            _ => None,
        }
    }
}

/// A span of time, `from` inclusive, `to` exclusive, in Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: i64,
    pub to: i64,
}

/// The start of the day holding `at` in `zone` (the first valid minute on a day that starts in a
/// daylight-saving gap).
pub fn day_start(at: i64, zone: Tz) -> i64 {
    let Some(utc) = DateTime::<Utc>::from_timestamp(at, 0) else {
        return at - at.rem_euclid(DAY);
    };
    let date = utc.with_timezone(&zone).date_naive();
    local_midnight(date, zone).unwrap_or(at - at.rem_euclid(DAY))
}

fn local_midnight(date: chrono::NaiveDate, zone: Tz) -> Option<i64> {
    (0..=180).step_by(30).find_map(|minutes| {
        let time = NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0)?;
        zone.from_local_datetime(&date.and_time(time))
            .earliest()
            .map(|t| t.timestamp())
    })
}

/// The start of the day after the one starting at `start`.
fn next_day(start: i64, zone: Tz) -> i64 {
    let date = DateTime::<Utc>::from_timestamp(start, 0)
        .map(|t| t.with_timezone(&zone).date_naive())
        .and_then(|d| d.checked_add_days(Days::new(1)));
    date.and_then(|d| local_midnight(d, zone))
        .unwrap_or(start + DAY)
}

/// The period asked about at `now`, and the one before it to compare with: today so far against
/// yesterday up to the same time of day; a whole day against the day before; the last 7 or 30
/// days against the 7 or 30 before them.
pub fn spans(period: Period, now: i64, zone: Tz) -> (Span, Span) {
    let today = day_start(now, zone);
    let yesterday = day_start(today - 1, zone);
    match period {
        Period::Today => {
            let elapsed = now - today;
            (
                Span {
                    from: today,
                    to: now + 1,
                },
                Span {
                    from: yesterday,
                    to: (yesterday + elapsed + 1).min(today),
                },
            )
        }
        Period::Yesterday => {
            let before = day_start(yesterday - 1, zone);
            (
                Span {
                    from: yesterday,
                    to: today,
                },
                Span {
                    from: before,
                    to: yesterday,
                },
            )
        }
        Period::Week | Period::Month => {
            let days = if period == Period::Week { 7 } else { 30 };
            let from = now + 1 - days * DAY;
            (
                Span { from, to: now + 1 },
                Span {
                    from: from - days * DAY,
                    to: from,
                },
            )
        }
    }
}

/// One payment as the figures read it.
#[derive(Debug, Clone, Copy)]
pub struct Sale<'a> {
    pub status: &'a PaymentStatus,
    pub amount: Option<Decimal>,
    pub currency: Option<&'a Currency>,
    pub usd: Option<Usd>,
}

/// Whether a payment in `status` is a sale (money in).
pub fn is_sale(status: &PaymentStatus) -> bool {
    matches!(status, PaymentStatus::Paid | PaymentStatus::ManualAccept)
}

/// What was received in a period.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Figures {
    /// Sales counted.
    pub paid: u64,
    /// Received per currency, exact.
    pub received: BTreeMap<Currency, Decimal>,
    /// The sum of the sales' USD values.
    pub usd: Usd,
    /// Sales left out of the USD sum (no value kept).
    pub unvalued: u64,
    /// Sales left out of the per-currency sums (amount or currency unreadable).
    pub unreadable: u64,
    pub underpaid: u64,
    pub expired: u64,
}

/// The figures of `sales`.
pub fn figures<'a>(sales: impl IntoIterator<Item = Sale<'a>>) -> Figures {
    let mut f = Figures::default();
    for s in sales {
        match s.status {
            PaymentStatus::Underpaid => f.underpaid += 1,
            PaymentStatus::Expired => f.expired += 1,
            status if is_sale(status) => {
                f.paid += 1;
                let sum = match (s.amount, s.currency) {
                    (Some(a), Some(c)) => {
                        let before = f.received.get(c).copied().unwrap_or_default();
                        before.checked_add(a).map(|sum| (c.clone(), sum))
                    }
                    _ => None,
                };
                match sum {
                    Some((c, sum)) => {
                        f.received.insert(c, sum);
                    }
                    None => f.unreadable += 1,
                }
                match s.usd.and_then(|v| f.usd.checked_add(v)) {
                    Some(total) => f.usd = total,
                    None => f.unvalued += 1,
                }
            }
            _ => {}
        }
    }
    f
}

/// How a period compares with the one before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub paid_delta: i64,
    pub usd_delta: Decimal,
    /// Percent of the period before's USD, one decimal; `None` when that was zero.
    pub usd_percent: Option<Decimal>,
}

pub fn compare(now: &Figures, before: &Figures) -> Comparison {
    let usd_delta = now.usd.amount() - before.usd.amount();
    Comparison {
        paid_delta: now.paid as i64 - before.paid as i64,
        usd_delta,
        usd_percent: percent(usd_delta, before.usd.amount()),
    }
}

/// The USD received per day (in `zone`) from `from` to `to`: one point at each day's start,
/// zero days included, for a bar chart.
pub fn daily_usd(sales: &[(i64, Usd)], from: i64, to: i64, zone: Tz) -> Vec<(i64, Decimal)> {
    let mut days: BTreeMap<i64, Decimal> = BTreeMap::new();
    let mut day = day_start(from, zone);
    while day < to && days.len() < 400 {
        days.insert(day, Decimal::ZERO);
        day = next_day(day, zone);
    }
    for (at, usd) in sales {
        if let Some(sum) = days.get_mut(&day_start(*at, zone)) {
            *sum = sum.checked_add(usd.amount()).unwrap_or(*sum);
        }
    }
    days.into_iter().collect()
}

/// What a report says about payments since the previous one: how many reached each status, and
/// what the sales among them brought.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Movement {
    pub by_status: BTreeMap<String, u64>,
    pub sales: Figures,
}

/// `moved`: each payment with the statuses it reached in the period.
pub fn movement<'a>(moved: impl IntoIterator<Item = (Sale<'a>, &'a [PaymentStatus])>) -> Movement {
    let mut m = Movement::default();
    let mut sales = Vec::new();
    for (sale, statuses) in moved {
        for s in statuses {
            *m.by_status.entry(s.as_str().to_owned()).or_default() += 1;
        }
        if statuses.iter().any(is_sale) {
            sales.push(sale);
        }
    }
    m.sales = figures(sales);
    m.sales.underpaid = 0;
    m.sales.expired = 0;
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn cur(c: &str) -> Currency {
        Currency::parse(c).unwrap()
    }

    const NOW: i64 = 1_764_000_000; // Mon 24 Nov 2025 16:00 UTC

    #[test]
    fn periods_in_the_chats_zone() {
        let berlin = chrono_tz::Europe::Berlin;
        let (today, before) = spans(Period::Today, NOW, berlin);
        assert_eq!(today.from, 1_763_938_800, "midnight in Berlin is 23:00 UTC");
        assert_eq!(today.to, NOW + 1);
        assert_eq!(before.from, today.from - DAY);
        assert_eq!(before.to, before.from + (NOW - today.from) + 1);
        let (y, yb) = spans(Period::Yesterday, NOW, berlin);
        assert_eq!((y.from, y.to), (today.from - DAY, today.from));
        assert_eq!((yb.from, yb.to), (today.from - 2 * DAY, today.from - DAY));
        let (w, wb) = spans(Period::Week, NOW, Tz::UTC);
        assert_eq!((w.to - w.from, wb.to), (7 * DAY, w.from));
        assert_eq!(Period::parse("30D"), Some(Period::Month));
        assert_eq!(Period::parse("1y"), None);
    }

    #[test]
    fn days_across_a_clock_change_are_23_and_25_hours() {
        let berlin = chrono_tz::Europe::Berlin;
        // 2025-10-26: the clocks go back; the day is 25 hours long.
        let start = day_start(1_761_480_000, berlin);
        assert_eq!(next_day(start, berlin) - start, 25 * 3600);
        let points = daily_usd(&[], start, start + 3 * DAY, berlin);
        assert_eq!(points.len(), 3);
    }

    #[test]
    fn figures_are_exact_and_missing_values_are_said() {
        let (btc, usdt) = (cur("BTC"), cur("USDT"));
        let paid = PaymentStatus::Paid;
        let manual = PaymentStatus::ManualAccept;
        let under = PaymentStatus::Underpaid;
        let sales = [
            Sale {
                status: &paid,
                amount: Some(d("0.1")),
                currency: Some(&btc),
                usd: Some(Usd::new(d("9000.10"))),
            },
            Sale {
                status: &manual,
                amount: Some(d("0.2")),
                currency: Some(&btc),
                usd: None,
            },
            Sale {
                status: &paid,
                amount: Some(d("100.5")),
                currency: Some(&usdt),
                usd: Some(Usd::new(d("100.5"))),
            },
            Sale {
                status: &paid,
                amount: None,
                currency: Some(&usdt),
                usd: None,
            },
            Sale {
                status: &under,
                amount: Some(d("5")),
                currency: Some(&usdt),
                usd: Some(Usd::new(d("5"))),
            },
        ];
        let f = figures(sales);
        assert_eq!(f.paid, 4);
        assert_eq!(f.received[&btc].to_string(), "0.3");
        assert_eq!(f.received[&usdt].to_string(), "100.5");
        assert_eq!(f.usd.amount().to_string(), "9100.60");
        assert_eq!(
            (f.unvalued, f.unreadable, f.underpaid, f.expired),
            (2, 1, 1, 0)
        );
        let c = compare(&f, &Figures::default());
        assert_eq!((c.paid_delta, c.usd_percent), (4, None));
        let half = Figures {
            usd: Usd::new(d("4550.30")),
            paid: 2,
            ..Figures::default()
        };
        assert_eq!(compare(&f, &half).usd_percent, Some(d("100.0")));
    }

    #[test]
    fn daily_bars_hold_every_day() {
        let day0 = day_start(NOW, Tz::UTC);
        let sales = [
            (day0 + 10, Usd::new(d("5"))),
            (day0 + 20, Usd::new(d("7.5"))),
            (day0 - DAY + 5, Usd::new(d("1"))),
        ];
        let points = daily_usd(&sales, day0 - 2 * DAY, day0 + DAY, Tz::UTC);
        let sums: Vec<String> = points.iter().map(|(_, v)| v.to_string()).collect();
        assert_eq!(sums, ["0", "1", "12.5"]);
    }
}
