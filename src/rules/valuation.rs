//! What the wallets are worth in US dollars (pure): each wallet's value and the account's total,
//! in exact decimals. Nothing is rounded here; `usd_text` rounds for display only.
//!
//! Exactness: amount × price is computed in `Decimal` (96-bit mantissa, 28 digits). A product that
//! needs more digits than that is rounded by rust_decimal at its last digit (half to even), which
//! is always beyond 10⁻¹⁵ of a dollar for real amounts and prices; a product that does not fit at
//! all counts as "no price", never as a wrong number.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::money::{Currency, Usd};
use crate::oxapay::{Balances, Prices};

/// A value below this is dust: folded into one line unless every wallet is asked for.
pub fn dust_limit() -> Usd {
    Usd::new(Decimal::new(1, 2))
}

/// One wallet above zero, with its value when OxaPay has a price for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wallet {
    pub currency: Currency,
    pub amount: Decimal,
    /// USD per coin and the wallet's value; `None`: no price.
    pub price: Option<Usd>,
    pub usd: Option<Usd>,
}

/// The wallets above zero, largest value first, and the total of those with a price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Valuation {
    /// Priced wallets by value (largest first), then unpriced ones by symbol.
    pub wallets: Vec<Wallet>,
    /// The exact sum of the priced wallets' values.
    pub total_usd: Usd,
    /// Wallets above zero without a usable price (left out of the total).
    pub unpriced: usize,
}

impl Valuation {
    /// The total when it covers every wallet; `None` when a wallet above zero has no price or an
    /// unreadable amount, since a total missing part of the account must not fire an alert.
    pub fn complete_total(&self, read: &Balances) -> Option<Usd> {
        (self.unpriced == 0 && read.unreadable.is_empty()).then_some(self.total_usd)
    }

    /// Priced wallets worth less than a cent.
    pub fn is_dust(wallet: &Wallet) -> bool {
        wallet.usd.is_some_and(|v| v < dust_limit())
    }
}

/// Values every readable wallet above zero with `prices` (none: no values at all).
pub fn value(read: &Balances, prices: Option<&Prices>) -> Valuation {
    let mut wallets: Vec<Wallet> = read
        .amounts
        .iter()
        .filter(|(_, a)| !a.is_zero())
        .map(|(cur, amount)| {
            let price = prices.and_then(|p| p.usd_per_coin(cur));
            let usd = price.and_then(|p| p.times(*amount));
            Wallet {
                currency: cur.clone(),
                amount: *amount,
                price: usd.and(price),
                usd,
            }
        })
        .collect();
    wallets.sort_by(|a, b| match (a.usd, b.usd) {
        (Some(x), Some(y)) => y.cmp(&x).then_with(|| a.currency.cmp(&b.currency)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.currency.cmp(&b.currency),
    });
    let mut total_usd = Usd::ZERO;
    let mut unpriced = 0;
    for w in &wallets {
        match w.usd.and_then(|v| total_usd.checked_add(v)) {
            Some(sum) => total_usd = sum,
            None => unpriced += 1,
        }
    }
    Valuation {
        wallets,
        total_usd,
        unpriced,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn usd(s: &str) -> Usd {
        Usd::new(d(s))
    }

    fn cur(s: &str) -> Currency {
        Currency::parse(s).unwrap()
    }

    fn balances(pairs: &[(&str, &str)]) -> Balances {
        Balances::new(pairs.iter().map(|(k, v)| (cur(k), d(v))).collect())
    }

    fn prices(pairs: &[(&str, &str)]) -> Prices {
        Prices {
            usd: pairs.iter().map(|(k, v)| (cur(k), usd(v))).collect(),
            unusable: BTreeMap::new(),
        }
    }

    #[test]
    fn values_are_exact_and_sorted_by_value() {
        let read = balances(&[
            ("BTC", "0.0022866845"),
            ("USDT", "9779.0227"),
            ("TRX", "120"),
            ("ETH", "0"),
            ("SHIB", "1"),
        ]);
        let p = prices(&[
            ("BTC", "94876.55"),
            ("USDT", "1"),
            ("SHIB", "0.00002163"),
            ("ETH", "3301.45"),
        ]);
        let v = value(&read, Some(&p));
        let order: Vec<&str> = v.wallets.iter().map(|w| w.currency.as_str()).collect();
        assert_eq!(order, vec!["USDT", "BTC", "SHIB", "TRX"]);
        // 0.0022866845 × 94876.55 = 216.95…, exactly (checked with Python's decimal):
        assert_eq!(v.wallets[1].usd, Some(usd("216.952736298475")));
        assert_eq!(v.wallets[2].usd, Some(usd("0.00002163")));
        assert_eq!(v.wallets[3].usd, None);
        assert_eq!(
            v.total_usd,
            usd(&(d("9779.0227") + d("216.952736298475") + d("0.00002163")).to_string())
        );
        assert_eq!(v.unpriced, 1);
        assert!(Valuation::is_dust(&v.wallets[2]));
        assert!(!Valuation::is_dust(&v.wallets[3]), "no price is not dust");
        assert_eq!(v.complete_total(&read), None, "TRX has no price");
    }

    #[test]
    fn no_prices_means_no_values_and_no_total() {
        let read = balances(&[("BTC", "1"), ("USDT", "2")]);
        let v = value(&read, None);
        assert!(v.wallets.iter().all(|w| w.usd.is_none()));
        assert_eq!(v.unpriced, 2);
        assert_eq!(v.complete_total(&read), None);
        let p = prices(&[("BTC", "2"), ("USDT", "1")]);
        let v = value(&read, Some(&p));
        assert_eq!(v.complete_total(&read), Some(usd("4")));
        let mut partly = read.clone();
        partly.unreadable.insert("ETH".into(), "null".into());
        assert_eq!(v.complete_total(&partly), None);
    }

    #[test]
    fn a_value_too_large_to_compute_is_no_price_not_a_wrong_number() {
        let read = balances(&[("BIG", "79228162514264337593543950335")]);
        let p = prices(&[("BIG", "2")]);
        let v = value(&read, Some(&p));
        assert_eq!(v.wallets[0].usd, None);
        assert_eq!(v.unpriced, 1);
    }
}
