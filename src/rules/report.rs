//! What a balance report says, as values (pure): the figures it shows and how each changed since
//! the chat's previous report. The text is built in `texts::reports`.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::money::{Currency, Usd};
use crate::rules::domain::Subject;
use crate::rules::history::percent;

/// How one figure (a currency's amount, or the total in USD) moved since the previous report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureChange {
    pub subject: Subject,
    /// `None`: the previous report did not show it (a new wallet).
    pub before: Option<Decimal>,
    /// `None`: this report does not show it (the wallet is empty now).
    pub now: Option<Decimal>,
    /// `now − before`, exact, a missing side counting as zero.
    pub delta: Decimal,
    /// Percent of `before`, one decimal (half away from zero); `None` when there was nothing before.
    pub percent: Option<Decimal>,
}

/// The figures a report shows: every wallet above zero, and the total when it is known.
pub fn figures(
    amounts: &BTreeMap<Currency, Decimal>,
    total_usd: Option<Usd>,
) -> Vec<(Subject, Decimal)> {
    amounts
        .iter()
        .filter(|(_, a)| !a.is_zero())
        .map(|(c, a)| (Subject::Coin(c.clone()), *a))
        .chain(total_usd.map(|t| (Subject::Total, t.amount())))
        .collect()
}

/// Every figure that differs from the previous report's, by subject (the total last). Unchanged
/// figures are left out; a figure only one of the two reports shows counts the other as zero.
/// Overflowing arithmetic (only near `Decimal`'s limits) leaves that figure out rather than
/// showing a wrong number.
pub fn changes(
    previous: &BTreeMap<Subject, Decimal>,
    current: &[(Subject, Decimal)],
) -> Vec<FigureChange> {
    let now: BTreeMap<&Subject, Decimal> = current.iter().map(|(s, a)| (s, *a)).collect();
    let mut subjects: Vec<&Subject> = previous.keys().chain(now.keys().copied()).collect();
    subjects.sort_by_key(|s| (**s == Subject::Total, *s));
    subjects.dedup();
    subjects
        .into_iter()
        .filter_map(|s| {
            let before = previous.get(s).copied();
            let after = now.get(s).copied();
            let delta = after
                .unwrap_or(Decimal::ZERO)
                .checked_sub(before.unwrap_or(Decimal::ZERO))?;
            if delta.is_zero() {
                return None;
            }
            Some(FigureChange {
                subject: s.clone(),
                before,
                now: after,
                delta,
                percent: before.and_then(|b| percent(delta, b)),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    const TOTAL: &str = Subject::TOTAL_KEY;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<Subject, Decimal> {
        pairs
            .iter()
            .map(|(k, v)| (Subject::from_key(k).unwrap(), d(v)))
            .collect()
    }

    fn coins(pairs: &[(&str, &str)]) -> BTreeMap<Currency, Decimal> {
        pairs
            .iter()
            .map(|(k, v)| (Currency::parse(k).unwrap(), d(v)))
            .collect()
    }

    #[test]
    fn changes_are_exact_with_percent_of_the_total() {
        let previous = map(&[
            ("BTC", "0.10000000"),
            ("USDT", "500"),
            ("TRX", "7"),
            (TOTAL, "38854.08"),
        ]);
        let current = figures(
            &coins(&[
                ("BTC", "0.115"),
                ("USDT", "500"),
                ("ETH", "1.5"),
                ("TRX", "0"),
            ]),
            Some(Usd::new(d("37649.58"))),
        );
        let got = changes(&previous, &current);
        let shown: Vec<(&str, String, Option<String>)> = got
            .iter()
            .map(|c| {
                (
                    c.subject.key(),
                    c.delta.to_string(),
                    c.percent.map(|p| p.to_string()),
                )
            })
            .collect();
        assert_eq!(
            shown,
            vec![
                ("BTC", "0.01500000".into(), Some("15.0".into())),
                ("ETH", "1.5".into(), None),
                ("TRX", "-7".into(), Some("-100.0".into())),
                (TOTAL, "-1204.50".into(), Some("-3.1".into())),
            ]
        );
        assert_eq!(got[2].now, None, "TRX is empty now");
        assert_eq!(got[1].before, None, "ETH is new");
    }

    #[test]
    fn nothing_before_means_nothing_to_compare() {
        assert!(changes(&BTreeMap::new(), &[]).is_empty());
        let current = figures(&coins(&[("BTC", "1")]), None);
        assert_eq!(changes(&map(&[("BTC", "1.0")]), &current), vec![]);
    }
}
