//! Amounts in US dollars: a type of their own, so a value in dollars is never compared with an
//! amount of a coin by mistake.

use std::fmt;
use std::ops::Sub;

use rust_decimal::{Decimal, RoundingStrategy};

/// An exact amount of US dollars (a value, a total, or a price per coin).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Usd(Decimal);

impl Usd {
    pub const ZERO: Usd = Usd(Decimal::ZERO);

    pub fn new(amount: Decimal) -> Self {
        Usd(amount)
    }

    /// The exact amount.
    pub fn amount(self) -> Decimal {
        self.0
    }

    /// `None` when the sum does not fit exactly (only near `Decimal`'s limits).
    pub fn checked_add(self, other: Usd) -> Option<Usd> {
        self.0.checked_add(other.0).map(Usd)
    }

    /// The value of `coins` at this price per coin; `None` when it does not fit.
    pub fn times(self, coins: Decimal) -> Option<Usd> {
        coins.checked_mul(self.0).map(Usd)
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }
}

impl Sub for Usd {
    type Output = Usd;
    fn sub(self, other: Usd) -> Usd {
        Usd(self.0 - other.0)
    }
}

/// Dollars for display, as [`usd_text`] writes them.
impl fmt::Display for Usd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&usd_text(*self))
    }
}

/// Dollars for display: two decimals, rounded half away from zero (half-up: 0.005 → 0.01), with
/// thousands separators and a true minus sign: `1,234,567.89`, `−1,204.50`.
pub fn usd_text(value: Usd) -> String {
    let rounded = value
        .0
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let text = format!("{:.2}", rounded.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}{grouped}.{frac}", if negative { "−" } else { "" })
}

/// A price with every digit OxaPay sent and thousands separators: `94,876.55`, `0.00002163`
/// (a small price is never rounded to cents).
pub fn exact_usd_text(value: Usd) -> String {
    let text = value.0.abs().to_string();
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let mut grouped = String::with_capacity(text.len() + int.len() / 3);
    if value.0.is_sign_negative() && !value.0.is_zero() {
        grouped.push('−');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if let Some(frac) = frac {
        grouped.push('.');
        grouped.push_str(frac);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn usd(s: &str) -> Usd {
        Usd::new(Decimal::from_str(s).unwrap())
    }

    #[test]
    fn dollars_are_rounded_half_up_with_separators() {
        for (value, shown) in [
            ("0", "0.00"),
            ("0.004", "0.00"),
            ("0.005", "0.01"),
            ("0.015", "0.02"),
            ("1.005", "1.01"),
            ("999.995", "1,000.00"),
            ("1234567.891", "1,234,567.89"),
            ("100", "100.00"),
            ("123456", "123,456.00"),
            ("-1204.5", "−1,204.50"),
            ("-0.001", "0.00"),
            ("98765432123.45", "98,765,432,123.45"),
        ] {
            assert_eq!(usd_text(usd(value)), shown, "{value}");
            assert_eq!(usd(value).to_string(), shown, "{value}");
        }
    }

    #[test]
    fn exact_prices_keep_every_digit_with_separators() {
        assert_eq!(exact_usd_text(usd("94876.55")), "94,876.55");
        assert_eq!(exact_usd_text(usd("0.00002163")), "0.00002163");
        assert_eq!(exact_usd_text(usd("1234567")), "1,234,567");
        assert_eq!(exact_usd_text(usd("1.50")), "1.50");
        assert_eq!(exact_usd_text(usd("-1204.5")), "−1,204.5");
    }

    #[test]
    fn arithmetic_is_exact_or_refused() {
        assert_eq!(usd("0.1").checked_add(usd("0.2")), Some(usd("0.3")));
        assert_eq!(
            usd("2").times(Decimal::from_str("0.5").unwrap()),
            Some(usd("1.0"))
        );
        assert_eq!(Usd::new(Decimal::MAX).checked_add(usd("1")), None);
        assert_eq!(Usd::new(Decimal::MAX).times(Decimal::TWO), None);
    }
}
