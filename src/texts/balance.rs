//! `/balance` texts: exact amounts aligned on the point, USD values and the total when prices are
//! current, the dust line, and the reasons a wallet or the values are missing.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use teloxide::utils::html::escape;

use std::sync::Arc;

use super::l10n::{fig, html, ltr};
use super::{Lang, time_of};
use crate::money::{Currency, Usd, exact_usd_text};
use crate::oxapay::{Balances, PriceError, Prices};
use crate::rules::valuation::{self, Valuation};
use crate::sources::prices::{PriceSnapshot, current};
use crate::t;

/// The prices a reply may show.
#[derive(Debug, Clone, Copy)]
pub enum PriceView<'a> {
    /// Current prices (never older than the cache window), read at this time.
    Current(&'a Prices, DateTime<Utc>),
    /// No values: why, as one sentence (HTML, in the reader's language).
    Unavailable(&'a str),
}

impl<'a> PriceView<'a> {
    /// The view of what `shown_prices` decided.
    pub fn of(shown: &'a Result<(&'a Prices, DateTime<Utc>), String>) -> Self {
        match shown {
            Ok((p, at)) => PriceView::Current(p, *at),
            Err(why) => PriceView::Unavailable(why),
        }
    }
}

/// What a reply may show of one price read: current prices and when they were read, or one
/// sentence saying why there are no values (the read failed, or is older than the cache window).
pub fn shown_prices(
    lang: Lang,
    read: &Result<Arc<PriceSnapshot>, PriceError>,
) -> Result<(&Prices, DateTime<Utc>), String> {
    match (current(read), read) {
        (Some(p), _) => Ok((&p.prices, p.fetched_at)),
        (None, Err(e)) => Err(super::prices_unavailable(lang, &e.0)),
        (None, Ok(_)) => Err(super::prices_stale(lang)),
    }
}

/// One table row: currency, exact amount, and (when priced) the value column's text.
struct Row<'a> {
    currency: &'a str,
    amount: Decimal,
    value: Option<String>,
}

/// Amounts aligned on the decimal point, in a monospace block.
pub fn amount_table(rows: &[(&str, Decimal)]) -> String {
    let rows: Vec<Row> = rows
        .iter()
        .map(|(currency, amount)| Row {
            currency,
            amount: *amount,
            value: None,
        })
        .collect();
    table(&rows)
}

/// Currency, amount aligned on its point, and a right-aligned value column when any row has one.
fn table(rows: &[Row]) -> String {
    let parts: Vec<(String, String, String, String)> = rows
        .iter()
        .map(|r| {
            let text = r.amount.to_string();
            let (int, frac) = match text.split_once('.') {
                Some((i, f)) => (i.to_owned(), format!(".{f}")),
                None => (text.clone(), String::new()),
            };
            (
                escape(r.currency),
                int,
                frac,
                r.value.clone().unwrap_or_default(),
            )
        })
        .collect();
    let cur_w = parts.iter().map(|p| p.0.chars().count()).max().unwrap_or(0);
    let int_w = parts.iter().map(|p| p.1.len()).max().unwrap_or(0);
    let frac_w = parts.iter().map(|p| p.2.len()).max().unwrap_or(0);
    let val_w = parts.iter().map(|p| p.3.chars().count()).max().unwrap_or(0);
    let lines: Vec<String> = parts
        .iter()
        .map(|(cur, int, frac, value)| {
            let line = if val_w == 0 {
                format!("{cur:<cur_w$}  {int:>int_w$}{frac}")
            } else {
                format!("{cur:<cur_w$}  {int:>int_w$}{frac:<frac_w$}  {value:>val_w$}")
            };
            line.trim_end().to_owned()
        })
        .collect();
    format!("<pre>{}</pre>", lines.join("\n"))
}

fn value_cell(lang: Lang, usd: Option<Usd>) -> String {
    match usd {
        Some(v) => format!("${v}"),
        None => t!(lang, "balance-no-price"),
    }
}

fn footer(lang: Lang, at: DateTime<Utc>, prices: PriceView) -> String {
    match prices {
        PriceView::Current(_, priced_at) => t!(
            lang,
            "balance-footer-priced",
            at = fig(time_of(at)),
            priced_at = fig(time_of(priced_at))
        ),
        PriceView::Unavailable(_) => t!(lang, "balance-footer", at = fig(time_of(at))),
    }
}

/// `/balance` (and `/balance all` with `all`): every readable wallet above zero, exact and
/// aligned. With current prices: each wallet's value, largest first, the total, and wallets worth
/// under a cent folded into one dust line unless `all`. Without: amounts by symbol and one line
/// saying why there are no values. Unreadable amounts are named below the table.
pub fn balances(
    lang: Lang,
    read: &Balances,
    at: DateTime<Utc>,
    prices: PriceView,
    all: bool,
) -> String {
    let mut s = String::new();
    if !read.amounts.values().all(Decimal::is_zero) {
        s.push_str(&if matches!(prices, PriceView::Current(..)) {
            t!(lang, "balance-heading-valued")
        } else {
            t!(lang, "balance-heading")
        });
        s.push('\n');
    }
    s.push_str(&wallets_block(lang, read, prices, all));
    s.push('\n');
    s.push_str(&footer(lang, at, prices));
    s
}

/// The wallets as a table (with values and the total when priced), the dust, price and unreadable
/// lines: the body shared by `/balance` and the reports.
pub(super) fn wallets_block(lang: Lang, read: &Balances, prices: PriceView, all: bool) -> String {
    let priced = match prices {
        PriceView::Current(p, _) => Some(p),
        PriceView::Unavailable(_) => None,
    };
    let valuation: Valuation = valuation::value(read, priced);
    let (shown, dust): (Vec<_>, Vec<_>) = valuation
        .wallets
        .iter()
        .partition(|w| all || !Valuation::is_dust(w));
    let mut lines: Vec<String> = Vec::new();
    if valuation.wallets.is_empty() {
        lines.push(t!(lang, "balance-all-zero", count = read.amounts.len()));
    } else if priced.is_some() {
        let rows: Vec<Row> = shown
            .iter()
            .map(|w| Row {
                currency: w.currency.as_str(),
                amount: w.amount,
                value: Some(value_cell(lang, w.usd)),
            })
            .collect();
        if !rows.is_empty() {
            lines.push(table(&rows));
        }
        lines.push(t!(
            lang,
            "balance-total",
            total = fig(format!("${}", valuation.total_usd)),
            unpriced = valuation.unpriced
        ));
        if !dust.is_empty() {
            lines.push(t!(lang, "balance-dust", count = dust.len()));
        }
    } else {
        let mut by_symbol: Vec<_> = valuation.wallets.iter().collect();
        by_symbol.sort_by(|a, b| a.currency.cmp(&b.currency));
        let rows: Vec<Row> = by_symbol
            .iter()
            .map(|w| Row {
                currency: w.currency.as_str(),
                amount: w.amount,
                value: None,
            })
            .collect();
        lines.push(table(&rows));
    }
    if let PriceView::Unavailable(why) = prices {
        lines.push(why.to_owned());
    }
    if !read.unreadable.is_empty() {
        lines.push(unreadable_line(lang, read, priced.is_some()));
    }
    lines.join("\n")
}

/// `with_total`: a total line is shown (prices are current), which leaves these wallets out too.
fn unreadable_line(lang: Lang, read: &Balances, with_total: bool) -> String {
    let names: Vec<String> = read
        .unreadable
        .keys()
        .map(|k| ltr(lang, &escape(k)))
        .collect();
    t!(
        lang,
        "balance-unreadable",
        currencies = html(names.join(", ")),
        in_total = if with_total { "yes" } else { "no" }
    )
}

/// `/balance CUR`: that wallet's exact amount (zero included) and, with a current price, its value.
pub fn one_balance(
    lang: Lang,
    currency: &Currency,
    amount: Decimal,
    at: DateTime<Utc>,
    prices: PriceView,
) -> String {
    let price = match prices {
        PriceView::Current(p, _) => p.usd_per_coin(currency),
        PriceView::Unavailable(_) => None,
    };
    let value = price.and_then(|p| p.times(amount));
    let row = Row {
        currency: currency.as_str(),
        amount,
        value: match prices {
            PriceView::Current(..) => Some(value_cell(lang, value)),
            PriceView::Unavailable(_) => None,
        },
    };
    let mut s = table(&[row]);
    match (prices, price) {
        (PriceView::Current(..), Some(p)) => {
            s.push('\n');
            s.push_str(&t!(
                lang,
                "balance-price",
                currency = fig(currency.as_str()),
                price = fig(exact_usd_text(p))
            ));
        }
        (PriceView::Current(..), None) => {
            s.push('\n');
            s.push_str(&t!(
                lang,
                "balance-no-usd-price",
                currency = fig(currency.as_str())
            ));
        }
        (PriceView::Unavailable(why), _) => {
            s.push('\n');
            s.push_str(why);
        }
    }
    s.push('\n');
    s.push_str(&footer(lang, at, prices));
    s
}

/// `/balance CUR` for a currency whose amount OxaPay sent in a form the bot cannot read.
pub fn unreadable_balance(lang: Lang, currency: &str, why: &str) -> String {
    t!(
        lang,
        "balance-unreadable-one",
        currency = fig(currency),
        why = why
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cur(code: &str) -> Currency {
        Currency::from_api(code).unwrap()
    }
    use std::collections::BTreeMap;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn read(pairs: &[(&str, &str)]) -> Balances {
        Balances::new(pairs.iter().map(|(k, v)| (cur(k), d(v))).collect())
    }

    fn prices(pairs: &[(&str, &str)]) -> Prices {
        Prices {
            usd: pairs
                .iter()
                .map(|(k, v)| (cur(k), Usd::new(d(v))))
                .collect(),
            unusable: BTreeMap::new(),
        }
    }

    fn at() -> DateTime<Utc> {
        DateTime::from_timestamp(1_764_000_000, 0).unwrap()
    }

    #[test]
    fn values_sorted_largest_first_with_total_dust_and_no_price() {
        let r = read(&[
            ("BTC", "0.0022866845"),
            ("USDT", "9779.0227"),
            ("TRX", "120"),
            ("SHIB", "1"),
            ("DOGE", "0.01"),
            ("LTC", "0"),
        ]);
        let p = prices(&[
            ("BTC", "94876.55"),
            ("USDT", "1"),
            ("SHIB", "0.00002163"),
            ("DOGE", "0.3"),
        ]);
        let text = balances(Lang::En, &r, at(), PriceView::Current(&p, at()), false);
        let table = text.split("<pre>").nth(1).unwrap().split("</pre>").next();
        assert_eq!(
            table.unwrap(),
            "USDT  9779.0227        $9,779.02\n\
             BTC      0.0022866845    $216.95\n\
             TRX    120              no price"
        );
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines.contains(&"Total: <b>$9,995.98</b> (1 wallet without a price left out)"),
            "{text}"
        );
        assert!(
            lines.contains(
                &"Dust: 2 wallets worth under $0.01 each, folded — /balance all shows them."
            ),
            "{text}"
        );
        assert!(!text.contains("LTC"), "zero wallets stay hidden");
        // Every non-zero wallet with `all`, no dust line; the total is the same.
        let all = balances(Lang::En, &r, at(), PriceView::Current(&p, at()), true);
        assert!(all.contains("SHIB  ") && all.contains("DOGE  "), "{all}");
        assert!(!all.contains("Dust:"));
        assert!(all.contains("Total: <b>$9,995.98</b>"));
    }

    #[test]
    fn without_prices_amounts_by_symbol_and_one_line_why() {
        let r = read(&[("USDT", "5"), ("BTC", "0.5")]);
        let why = "USD prices are unavailable right now (HTTP 503), so no values are shown.";
        let text = balances(Lang::En, &r, at(), PriceView::Unavailable(why), false);
        assert!(
            text.contains("<pre>BTC   0.5\nUSDT  5</pre>"),
            "amounts alone, by symbol: {text}"
        );
        assert!(text.lines().any(|l| l == why), "{text}");
        assert!(!text.contains('$') && !text.contains("Total"), "{text}");
        assert!(!text.contains("prices of"), "{text}");
    }

    #[test]
    fn one_wallet_with_and_without_its_price() {
        let p = prices(&[("BTC", "94876.55")]);
        let t = one_balance(
            Lang::En,
            &cur("BTC"),
            d("0.5"),
            at(),
            PriceView::Current(&p, at()),
        );
        assert!(
            t.starts_with("<pre>BTC  0.5  $47,438.28</pre>\n1 BTC = 94,876.55 USD"),
            "{t}"
        );
        let t = one_balance(
            Lang::En,
            &cur("TRX"),
            d("0"),
            at(),
            PriceView::Current(&p, at()),
        );
        assert!(t.contains("TRX  0  no price"), "{t}");
        assert!(t.contains("no USD price for TRX"), "{t}");
        let t = one_balance(
            Lang::En,
            &cur("BTC"),
            d("0.5"),
            at(),
            PriceView::Unavailable("No prices."),
        );
        assert!(t.starts_with("<pre>BTC  0.5</pre>\nNo prices."), "{t}");
    }
}
