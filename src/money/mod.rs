//! Money, exactly: amounts parsed from OxaPay's literal text and from users' input (never through
//! `f64`), currency codes, and amounts in US dollars.

mod currency;
mod usd;

pub use currency::{Currency, CurrencyError};
pub use usd::{Usd, exact_usd_text, usd_text};

use rust_decimal::Decimal;

use crate::telemetry::preview;

/// Parses an amount as OxaPay sends it: a decimal string (`"0.0022866845"`) or the literal text of
/// a JSON number (`0.0022866845`, `1e-8`). Anything else is an error, never a zero.
pub fn parse_api_amount(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    let body = t.strip_prefix('-').unwrap_or(t);
    let valid_chars = !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && body.as_bytes()[0].is_ascii_digit();
    if !valid_chars {
        return Err(format!("{:?} is not a number", preview(text)));
    }
    let parsed = if body.contains(['e', 'E']) {
        Decimal::from_scientific(t)
    } else {
        Decimal::from_str_exact(t)
    };
    parsed.map_err(|_| format!("{:?} is not an exact decimal amount", preview(text)))
}

/// The largest threshold a user may set: far beyond any wallet, far below `Decimal`'s limits.
const MAX_INTEGER_DIGITS: usize = 15;
const MAX_FRACTION_DIGITS: usize = 18;
/// `Decimal` holds 28 significant digits exactly.
const MAX_DIGITS: usize = 28;

/// Why a user's amount was refused; `Display` is the sentence the user reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountInputError {
    #[error("an amount is missing")]
    Missing,
    #[error("the amount must be a plain number like 0.5, 1000 or 1234.5678")]
    NotPlain,
    #[error("the amount must be above zero")]
    NotPositive,
    #[error(
        "the amount is too large or too precise: at most 15 digits before the point, 18 after it, 28 in all"
    )]
    TooLarge,
}

/// Parses a threshold typed by a user: digits with at most one `.`, above zero. No sign, exponent,
/// separators, `NaN` or spaces. Keeps the scale the user typed (`1.50` stays `1.50`).
pub fn parse_user_amount(text: &str) -> Result<Decimal, AmountInputError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(AmountInputError::Missing);
    }
    if t.starts_with('-') && t.len() > 1 && t[1..].bytes().all(|b| b.is_ascii_digit() || b == b'.')
    {
        return Err(AmountInputError::NotPositive);
    }
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits_only(int) || !digits_only(frac) || (int.is_empty() && frac.is_empty()) {
        return Err(AmountInputError::NotPlain);
    }
    if t.ends_with('.') {
        return Err(AmountInputError::NotPlain);
    }
    let significant_int = int.trim_start_matches('0');
    if significant_int.len() > MAX_INTEGER_DIGITS
        || frac.len() > MAX_FRACTION_DIGITS
        || significant_int.len() + frac.len() > MAX_DIGITS
    {
        return Err(AmountInputError::TooLarge);
    }
    // Exact or refused: `from_str` would round a 29th digit away without a word.
    let value = Decimal::from_str_exact(t).map_err(|_| AmountInputError::TooLarge)?;
    if value.is_zero() {
        return Err(AmountInputError::NotPositive);
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn api_amounts_are_exact() {
        for s in [
            "0.00000001",
            "98765432.12345678",
            "0.0022866845",
            "9779.0227",
            "0",
            "1.50000000",
            "79228162514264337593543950335",
        ] {
            assert_eq!(parse_api_amount(s).unwrap().to_string(), s);
        }
        assert_eq!(parse_api_amount("1e-8").unwrap(), d("0.00000001"));
        assert_eq!(parse_api_amount("2.5E3").unwrap(), d("2500"));
        assert_eq!(parse_api_amount("-3.2").unwrap(), d("-3.2"));
    }

    #[test]
    fn malformed_api_amounts_are_errors_not_zero() {
        for s in [
            "",
            " ",
            "abc",
            "1,000.5",
            "NaN",
            "inf",
            "1.2.3",
            "--1",
            "0x10",
            "1 000",
            ".5e",
            "99999999999999999999999999999999",
        ] {
            assert!(parse_api_amount(s).is_err(), "{s:?} parsed");
        }
    }

    #[test]
    fn user_amounts_accept_plain_positive_decimals() {
        for s in [
            "0.5",
            "1000",
            "1234.5678",
            "0.00000001",
            "007",
            "1.50",
            "999999999999999",
        ] {
            let v = parse_user_amount(s).unwrap();
            assert_eq!(v, d(s));
        }
        assert_eq!(parse_user_amount("1.50").unwrap().to_string(), "1.50");
        assert_eq!(parse_user_amount(".5").unwrap(), d("0.5"));
    }

    #[test]
    fn user_amounts_reject_everything_else() {
        use AmountInputError::*;
        let cases = [
            ("", Missing),
            ("0", NotPositive),
            ("0.000", NotPositive),
            ("-5", NotPositive),
            ("-0.5", NotPositive),
            ("1e3", NotPlain),
            ("NaN", NotPlain),
            ("1,000", NotPlain),
            ("1 000", NotPlain),
            ("+5", NotPlain),
            ("5.", NotPlain),
            (".", NotPlain),
            ("1.2.3", NotPlain),
            ("١٢", NotPlain),
            ("💰", NotPlain),
            ("1000000000000000", TooLarge),
            ("0.1234567890123456789", TooLarge),
            ("800000000000000.00000000000000", TooLarge),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_user_amount(input), Err(expected), "{input:?}");
        }
    }
}
