//! Validated values from user input: parse once, then trust the type.

use std::fmt;

/// A currency symbol: 2–10 ASCII letters or digits, stored upper-case (`btc` → `BTC`).
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

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a level, a figure or a chart is about: one currency, or the account's total value in USD
/// (`total` in commands).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Subject {
    Coin(Currency),
    Total,
}

impl Subject {
    /// How the total is stored with levels and report figures; no currency code can be it.
    pub const TOTAL_KEY: &'static str = "$TOTAL";

    /// As stored (a currency code, or [`Subject::TOTAL_KEY`]).
    pub fn key(&self) -> &str {
        match self {
            Subject::Coin(c) => c.as_str(),
            Subject::Total => Self::TOTAL_KEY,
        }
    }
}

/// A chat an admin allows or denies: a user id (positive) or a group id (negative).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChatIdError {
    #[error("an id is missing")]
    Missing,
    #[error("an id is a whole number: a user id like 123456789, or a group id like -1001234567890")]
    Invalid,
}

/// Telegram ids fit in 52 bits; anything longer is a typo, not an id.
const MAX_ID: i64 = 1 << 52;

pub fn parse_chat_id(text: &str) -> Result<i64, ChatIdError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(ChatIdError::Missing);
    }
    let digits = t.strip_prefix('-').unwrap_or(t);
    if digits.is_empty() || digits.len() > 16 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ChatIdError::Invalid);
    }
    match t.parse::<i64>() {
        Ok(id) if id != 0 && id.abs() < MAX_ID => Ok(id),
        _ => Err(ChatIdError::Invalid),
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
    fn chat_ids() {
        assert_eq!(parse_chat_id("123456789"), Ok(123456789));
        assert_eq!(parse_chat_id("-1001234567890"), Ok(-1001234567890));
        assert_eq!(parse_chat_id(""), Err(ChatIdError::Missing));
        for s in [
            "abc",
            "0",
            "-",
            "1.5",
            "12 34",
            "99999999999999999999",
            "+5",
            "--5",
            "1e5",
        ] {
            assert_eq!(parse_chat_id(s), Err(ChatIdError::Invalid), "{s}");
        }
    }
}
