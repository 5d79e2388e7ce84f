//! Reading one OxaPay record (a payment, a tx, a payout) field by field, so that one unreadable
//! field costs that field alone: each reader returns `None` for a field that is absent, `null` or
//! unreadable, and an unreadable one is also written to the record's problems (the field's name
//! and why, never a personal value such as an email).
//!
//! Amounts are exact: a JSON number is read from its literal text, a string as a decimal, never
//! through `f64`.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::value::RawValue;

use crate::money::Currency;
use crate::money::parse_api_amount;
use crate::telemetry::preview;

/// The longest text kept from one field; a longer one is cut there (and that is a problem).
pub(crate) const MAX_TEXT_CHARS: usize = 1024;

/// Times below this are not Unix seconds of any payment (before 2001-09-09).
const MIN_PLAUSIBLE_SECS: i64 = 1_000_000_000;
/// Times from here on are read as milliseconds (in seconds this would be the year 5138).
const MILLIS_FROM: i64 = 100_000_000_000;
/// And from here on as nothing at all.
const MAX_PLAUSIBLE_MILLIS: i64 = 100_000_000_000_000;

/// One JSON object's fields, and the problems found reading them.
pub(crate) struct Fields<'a> {
    map: BTreeMap<String, &'a RawValue>,
    /// Put before each field's name in a problem (`txs[2].`).
    prefix: String,
    problems: Vec<String>,
}

impl<'a> Fields<'a> {
    /// The fields of `raw`, which must be a JSON object.
    pub fn of(raw: &'a RawValue, prefix: &str) -> Result<Self, String> {
        let map: BTreeMap<String, &'a RawValue> = serde_json::from_str(raw.get())
            .map_err(|_| format!("{} is not a record", preview(raw.get())))?;
        Ok(Self {
            map,
            prefix: prefix.to_owned(),
            problems: Vec::new(),
        })
    }

    /// The problems found so far.
    pub fn into_problems(self) -> Vec<String> {
        self.problems
    }

    /// Adds problems found elsewhere (a tx's).
    pub fn extend_problems(&mut self, more: Vec<String>) {
        self.problems.extend(more);
    }

    fn problem(&mut self, name: &str, why: impl std::fmt::Display) {
        self.problems.push(format!("{}{name}: {why}", self.prefix));
    }

    /// The field's JSON unless absent or `null`.
    fn value(&self, name: &str) -> Option<&'a RawValue> {
        self.map
            .get(name)
            .copied()
            .filter(|v| v.get().trim() != "null")
    }

    /// The first of `names` that is present, and its name.
    fn first(&self, names: &[&'static str]) -> Option<(&'static str, &'a RawValue)> {
        names
            .iter()
            .find_map(|name| self.value(name).map(|v| (*name, v)))
    }

    /// A text: a string, or a number's literal text (ids sent as numbers). Trimmed; empty is
    /// absent; cut at [`MAX_TEXT_CHARS`].
    pub fn text(&mut self, name: &'static str) -> Option<String> {
        let raw = self.value(name)?;
        let text = match string_or_number(raw) {
            Some(text) => text,
            None => {
                self.problem(name, "not a text");
                return None;
            }
        };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return None;
        }
        if trimmed.chars().count() > MAX_TEXT_CHARS {
            self.problem(
                name,
                format_args!("longer than {MAX_TEXT_CHARS} characters, cut"),
            );
            return Some(trimmed.chars().take(MAX_TEXT_CHARS).collect());
        }
        Some(trimmed.to_owned())
    }

    /// An exact amount from the first of `names` present.
    pub fn amount(&mut self, names: &[&'static str]) -> Option<Decimal> {
        let (name, raw) = self.first(names)?;
        let parsed = match raw.get().trim().as_bytes().first() {
            Some(b'"') => serde_json::from_str::<String>(raw.get())
                .map_err(|e| e.to_string())
                .and_then(|s| parse_api_amount(&s)),
            Some(b'-' | b'0'..=b'9') => parse_api_amount(raw.get()),
            _ => Err(format!("{} is not an amount", preview(raw.get()))),
        };
        match parsed {
            Ok(amount) => Some(amount),
            Err(why) => {
                self.problem(name, why);
                None
            }
        }
    }

    /// A currency symbol, upper case.
    pub fn currency(&mut self, name: &'static str) -> Option<Currency> {
        let text = self.text(name)?;
        match Currency::from_api(&text) {
            Some(symbol) => Some(symbol),
            None => {
                self.problem(name, format_args!("{:?} is not a currency", preview(&text)));
                None
            }
        }
    }

    /// A time in Unix seconds: a number or numeric string, in seconds or milliseconds.
    pub fn time(&mut self, name: &'static str) -> Option<i64> {
        let raw = self.value(name)?;
        let number = string_or_number(raw).and_then(|t| t.trim().parse::<i64>().ok());
        match number {
            Some(secs) if (MIN_PLAUSIBLE_SECS..MILLIS_FROM).contains(&secs) => Some(secs),
            Some(millis) if (MILLIS_FROM..MAX_PLAUSIBLE_MILLIS).contains(&millis) => {
                Some(millis / 1000)
            }
            _ => {
                self.problem(name, format_args!("{} is not a time", preview(raw.get())));
                None
            }
        }
    }

    /// A count (confirmations): a whole number, or a numeric string.
    pub fn count(&mut self, name: &'static str) -> Option<u64> {
        let raw = self.value(name)?;
        match string_or_number(raw).and_then(|t| t.trim().parse::<u64>().ok()) {
            Some(n) => Some(n),
            None => {
                self.problem(name, format_args!("{} is not a count", preview(raw.get())));
                None
            }
        }
    }

    /// A yes/no: `true`/`false`, `1`/`0`, or those as strings.
    pub fn flag(&mut self, name: &'static str) -> Option<bool> {
        let raw = self.value(name)?;
        let text = raw.get().trim().trim_matches('"').to_ascii_lowercase();
        match text.as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => {
                self.problem(
                    name,
                    format_args!("{} is not yes or no", preview(raw.get())),
                );
                None
            }
        }
    }

    /// A list's entries (absent or `null`: none).
    pub fn list(&mut self, name: &'static str) -> Vec<&'a RawValue> {
        let Some(raw) = self.value(name) else {
            return Vec::new();
        };
        match serde_json::from_str::<Vec<&'a RawValue>>(raw.get()) {
            Ok(entries) => entries,
            Err(_) => {
                self.problem(name, "not a list");
                Vec::new()
            }
        }
    }
}

/// A JSON string's content, or a number's literal text.
fn string_or_number(raw: &RawValue) -> Option<String> {
    let text = raw.get().trim();
    match text.as_bytes().first()? {
        b'"' => serde_json::from_str(text).ok(),
        b'-' | b'0'..=b'9' => Some(text.to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(json: &str) -> Box<RawValue> {
        RawValue::from_string(json.to_owned()).unwrap()
    }

    #[test]
    fn amounts_keep_every_digit_and_name_the_bad_ones() {
        let r = raw(
            r#"{"a":12345678901234567.89,"b":"0.00000001","c":1e-8,"d":"12,5","e":null,
                "f":1234567890123456789012345678901234567890,"g":true,"h":"-3"}"#,
        );
        let mut f = Fields::of(&r, "").unwrap();
        assert_eq!(
            f.amount(&["a"]).unwrap().to_string(),
            "12345678901234567.89"
        );
        assert_eq!(f.amount(&["b"]).unwrap().to_string(), "0.00000001");
        assert_eq!(f.amount(&["c"]).unwrap().to_string(), "0.00000001");
        assert_eq!(f.amount(&["d"]), None);
        assert_eq!(f.amount(&["e"]), None);
        assert_eq!(f.amount(&["f"]), None);
        assert_eq!(f.amount(&["g"]), None);
        assert_eq!(f.amount(&["h"]).unwrap().to_string(), "-3");
        assert_eq!(
            f.amount(&["missing", "b"]).unwrap().to_string(),
            "0.00000001"
        );
        let problems = f.into_problems();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("d: "));
        assert!(problems[1].starts_with("f: "));
        assert!(problems[1].contains("1234567890123456789012345678901234567890"));
        assert!(problems[2].starts_with("g: "));
    }

    #[test]
    fn texts_times_counts_and_flags() {
        let long = "x".repeat(MAX_TEXT_CHARS + 5);
        let r = raw(&format!(
            r#"{{"id":123,"s":"  hi ","empty":"","obj":{{}},"long":"{long}","t":1736500000,
                "ts":"1736500000","tms":1736500000123,"tbad":"yesterday","told":5,
                "n":"7","nbad":-1,"yes":true,"no":"0","maybe":"perhaps","cur":"usdt","badcur":"$$"}}"#
        ));
        let mut f = Fields::of(&r, "txs[1].").unwrap();
        assert_eq!(f.text("id").as_deref(), Some("123"));
        assert_eq!(f.text("s").as_deref(), Some("hi"));
        assert_eq!(f.text("empty"), None);
        assert_eq!(f.text("obj"), None);
        assert_eq!(f.text("long").unwrap().chars().count(), MAX_TEXT_CHARS);
        assert_eq!(f.time("t"), Some(1_736_500_000));
        assert_eq!(f.time("ts"), Some(1_736_500_000));
        assert_eq!(f.time("tms"), Some(1_736_500_000));
        assert_eq!(f.time("tbad"), None);
        assert_eq!(f.time("told"), None);
        assert_eq!(f.count("n"), Some(7));
        assert_eq!(f.count("nbad"), None);
        assert_eq!(f.flag("yes"), Some(true));
        assert_eq!(f.flag("no"), Some(false));
        assert_eq!(f.flag("maybe"), None);
        assert_eq!(
            f.currency("cur").as_ref().map(Currency::as_str),
            Some("USDT")
        );
        assert_eq!(f.currency("badcur"), None);
        let problems = f.into_problems();
        let names: Vec<&str> = problems
            .iter()
            .map(|p| p.split(':').next().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "txs[1].obj",
                "txs[1].long",
                "txs[1].tbad",
                "txs[1].told",
                "txs[1].nbad",
                "txs[1].maybe",
                "txs[1].badcur"
            ]
        );
    }

    #[test]
    fn lists_and_non_objects() {
        let r = raw(r#"{"l":[1,{"a":2}],"n":null,"bad":{"a":1}}"#);
        let mut f = Fields::of(&r, "").unwrap();
        assert_eq!(f.list("l").len(), 2);
        assert!(f.list("n").is_empty());
        assert!(f.list("none").is_empty());
        assert!(f.list("bad").is_empty());
        assert_eq!(f.into_problems(), ["bad: not a list"]);
        assert!(Fields::of(&raw("[1]"), "").is_err());
        assert!(Fields::of(&raw("\"x\""), "").is_err());
    }
}
