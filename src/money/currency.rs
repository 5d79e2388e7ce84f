//! Currency codes: the symbols OxaPay lists wallets and prices under, and what users type.

use std::borrow::Borrow;
use std::fmt;

/// A currency symbol, stored upper-case (`btc` → `BTC`): ASCII letters and digits only, so no
/// symbol can be mistaken for markup or for the total's key. Users type 2–10 characters
/// ([`Currency::parse`]); OxaPay's lists may hold 1–20 ([`Currency::from_api`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CurrencyError {
    #[error("a currency code is missing")]
    Missing,
    #[error("a currency code is 2 to 10 letters or digits, like BTC or USDT")]
    Invalid,
}

impl Currency {
    pub fn parse(text: &str) -> Result<Self, CurrencyError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(CurrencyError::Missing);
        }
        if (2..=10).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(Currency(t.to_ascii_uppercase()))
        } else {
            Err(CurrencyError::Invalid)
        }
    }

    /// A symbol as OxaPay lists it (trimmed, upper-cased); `None` when it is not 1–20 ASCII
    /// letters or digits.
    pub fn from_api(name: &str) -> Option<Self> {
        let symbol = name.trim().to_ascii_uppercase();
        let plausible = !symbol.is_empty()
            && symbol.len() <= 20
            && symbol.bytes().all(|b| b.is_ascii_alphanumeric());
        plausible.then_some(Currency(symbol))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Maps keyed by `Currency` can be searched with a `&str` (the same order and equality).
impl Borrow<str> for Currency {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currencies_are_normalised() {
        assert_eq!(Currency::parse("btc").unwrap().as_str(), "BTC");
        assert_eq!(Currency::parse(" UsDt ").unwrap().as_str(), "USDT");
        assert_eq!(Currency::parse("USDT20").unwrap().as_str(), "USDT20");
    }

    #[test]
    fn bad_currencies_are_rejected() {
        assert_eq!(Currency::parse(""), Err(CurrencyError::Missing));
        for s in [
            "B",
            "ABCDEFGHIJK",
            "BT C",
            "BTC;",
            "'; DROP TABLE",
            "₿TC",
            "💰💰",
            "usdt-trc20",
        ] {
            assert_eq!(Currency::parse(s), Err(CurrencyError::Invalid), "{s}");
        }
        assert_eq!(
            Currency::parse(&"A".repeat(300)),
            Err(CurrencyError::Invalid)
        );
    }

    #[test]
    fn symbols_from_oxapay() {
        assert_eq!(Currency::from_api(" usdt ").unwrap().as_str(), "USDT");
        assert_eq!(Currency::from_api("X").unwrap().as_str(), "X");
        assert!(Currency::from_api(&"A".repeat(20)).is_some());
        for bad in ["", "  ", &"A".repeat(21), "USDT-TRC20", "<b>", "BT C"] {
            assert_eq!(Currency::from_api(bad), None, "{bad}");
        }
    }
}
