//! Domain values: what a level or a figure is about, and the chat ids admins type.

pub use teloxide::types::{ChatId, UserId};

use crate::money::Currency;

/// What a level, a figure or a chart is about: the account's total value in USD (`total` in
/// commands), or one currency. Ordered as their keys are: the total first, then the coins by code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Subject {
    Total,
    Coin(Currency),
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

    /// The inverse of [`Subject::key`]; `None` for a stored value that is neither.
    pub fn from_key(key: &str) -> Option<Self> {
        if key == Self::TOTAL_KEY {
            Some(Subject::Total)
        } else {
            Currency::from_api(key)
                .filter(|c| c.as_str() == key)
                .map(Subject::Coin)
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

pub fn parse_chat_id(text: &str) -> Result<ChatId, ChatIdError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(ChatIdError::Missing);
    }
    let digits = t.strip_prefix('-').unwrap_or(t);
    if digits.is_empty() || digits.len() > 16 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ChatIdError::Invalid);
    }
    match t.parse::<i64>() {
        Ok(id) if id != 0 && id.abs() < MAX_ID => Ok(ChatId(id)),
        _ => Err(ChatIdError::Invalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_round_trip_through_their_key() {
        for key in ["BTC", "USDT20", Subject::TOTAL_KEY] {
            assert_eq!(Subject::from_key(key).unwrap().key(), key);
        }
        for bad in ["btc", "", "TOTAL$", "<b>"] {
            assert_eq!(Subject::from_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn chat_ids() {
        assert_eq!(parse_chat_id("123456789"), Ok(ChatId(123456789)));
        assert_eq!(parse_chat_id("-1001234567890"), Ok(ChatId(-1001234567890)));
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
