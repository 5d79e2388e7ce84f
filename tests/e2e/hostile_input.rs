//! Hostile input: property tests that assert results (what a parser accepts is exact and within
//! the documented limits; every reply built from any text is valid Telegram HTML), and end to end:
//! long replies, floods, and outside text that reaches the database and the chat.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::time::Duration;

use oxapay_bot::money::{Currency, Usd};
use oxapay_bot::money::{parse_api_amount, parse_user_amount};
use oxapay_bot::oxapay::{
    Balances, OxaPayError, parse_balance_response, parse_prices_response, parse_v1_balance_response,
};
use oxapay_bot::rules::alerts::{Direction, Notice};
use oxapay_bot::rules::domain::parse_chat_id;
use oxapay_bot::rules::flood::FloodSettings;
use oxapay_bot::rules::oxapay_health::HealthNotice;
use oxapay_bot::telegram::commands::{
    parse_alert, parse_alerts, parse_balance, parse_id, parse_lang,
};
use oxapay_bot::texts::{self, MESSAGE_LIMIT, split_html};
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::support::html::{TextKind, check_text};
use crate::support::ids;
use crate::support::process::python_sqlite;
use crate::support::{ADMIN, OxaReply, Setup, TestApp};

/// Sends `html` as the bot does (split into pieces) and checks each piece as Telegram would.
fn assert_telegram_accepts(html: &str) -> Result<(), TestCaseError> {
    for piece in split_html(html, MESSAGE_LIMIT) {
        if let Err(why) = check_text(&piece, Some("HTML"), TextKind::Message) {
            return Err(TestCaseError::fail(format!("{why}: {piece:?}")));
        }
    }
    Ok(())
}

/// Digits before and after the point of a plain decimal's text, leading zeros not counted.
fn digits(text: &str) -> (usize, usize) {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    (int.trim_start_matches('0').len(), frac.len())
}

// ----- a model of OxaPay's answers ---------------------------------------------------------------

/// One amount (or price) as OxaPay might write it.
#[derive(Clone, Debug)]
enum Amount {
    /// A decimal in a JSON string: `"12.5"`.
    Text(String),
    /// The same as a JSON number literal: `12.5`.
    Number(String),
    /// A number in exponent form: `mantissa` e `exponent`.
    Exponent(i64, i32),
    /// `{"available": …}` or `{"balance": …}` around a plain amount.
    Wrapped(&'static str, Box<Amount>),
    /// Anything that is not an amount: `null`, `true`, `""`, `"1,5"`, `[1]`, `{}`, a number
    /// past `Decimal` (`1e999`, 40 digits), an entry nested twice.
    Junk(String),
}

impl Amount {
    fn json(&self) -> String {
        match self {
            Amount::Text(t) => format!("\"{t}\""),
            Amount::Number(t) => t.clone(),
            Amount::Exponent(m, e) => format!("{m}e{e}"),
            Amount::Wrapped(key, inner) => format!("{{\"{key}\":{}}}", inner.json()),
            Amount::Junk(j) => j.clone(),
        }
    }

    /// The exact value, and the text it must print as when that is its literal; `None`:
    /// unreadable.
    fn value(&self) -> Option<(Decimal, Option<String>)> {
        match self {
            Amount::Text(t) | Amount::Number(t) => {
                Some((Decimal::from_str_exact(t).unwrap(), Some(t.clone())))
            }
            Amount::Exponent(m, e) => {
                let v = if *e < 0 {
                    Decimal::from_i128_with_scale(i128::from(*m), e.unsigned_abs())
                } else {
                    Decimal::from(*m) * Decimal::from(10i64.pow(e.unsigned_abs()))
                };
                Some((v, None))
            }
            Amount::Wrapped(_, inner) => inner.value(),
            Amount::Junk(_) => None,
        }
    }
}

fn plain_amount() -> impl Strategy<Value = Amount> {
    let decimal = (
        "-?",
        "0|[1-9][0-9]{0,16}",
        proptest::option::of("[0-9]{1,10}"),
    )
        .prop_map(|(sign, int, frac)| {
            // No sign on a zero: "-0" prints back as "0".
            let sign = if int == "0" { "" } else { sign.as_str() };
            match frac {
                Some(f) => format!("{sign}{int}.{f}"),
                None => format!("{sign}{int}"),
            }
        });
    prop_oneof![
        decimal.clone().prop_map(Amount::Text),
        decimal.prop_map(Amount::Number),
        (1i64..100_000, -8i32..=8).prop_map(|(m, e)| Amount::Exponent(m, e)),
        prop::sample::select(vec![
            "null",
            "true",
            "false",
            "\"\"",
            "\" \"",
            "\"abc\"",
            "\"1,5\"",
            "\"+1.5\"",
            "\"1.5.5\"",
            "\"NaN\"",
            "\"0x10\"",
            "[1]",
            "[]",
            "{}",
            "{\"x\":1}",
            "1e999",
            "-1e999",
            "1234567890123456789012345678901234567890",
            "\"1234567890123456789012345678901234567890\"",
            "{\"available\":{\"available\":1}}",
            "{\"available\":null}",
        ])
        .prop_map(|j| Amount::Junk(j.to_owned())),
    ]
}

fn any_amount() -> impl Strategy<Value = Amount> {
    prop_oneof![
        4 => plain_amount(),
        1 => (prop::sample::select(vec!["available", "balance"]), plain_amount())
            .prop_map(|(k, a)| Amount::Wrapped(k, Box::new(a))),
    ]
}

/// Keys that are no currency symbol, each upper-cased differently.
const NOT_SYMBOLS: [&str; 6] = ["", "BT C", "<b>", "B-T", "ÄBC", "XXXXXXXXXXXXXXXXXXXXXX"];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Api {
    Legacy,
    V1,
    Prices,
}

/// How a valid answer is bent.
#[derive(Clone, Debug)]
enum Bend {
    None,
    /// Another HTTP status.
    Status(u16),
    /// The success field (`result` or `status`) left out.
    NoCode,
    /// The success field as a string (`"100"`, `"200"`).
    CodeAsText,
    /// The success field says otherwise (`result` 103, or `status` 400 in a 200 answer).
    Code(i64),
    /// v1: an error object in a 200 answer.
    ErrorObject,
    /// `data` left out, or `null`, or a string.
    Data(&'static str),
    /// `data` as an array of one-key objects.
    DataAsArray,
    /// `data` wrapped once more: `{"data": {...}}`.
    DataNested,
    /// The last entry's key again, with another amount (the later one counts).
    Duplicate(Amount),
    /// An unknown field beside the others.
    Extra,
    /// The body cut short.
    Cut(usize),
    /// An array instead of an object.
    NotAnObject,
}

#[derive(Clone, Debug)]
struct Answer {
    api: Api,
    /// (key as sent, the symbol it names when it is one, amount).
    entries: Vec<(String, Option<String>, Amount)>,
    bend: Bend,
    spaced: bool,
}

fn any_answer() -> impl Strategy<Value = Answer> {
    let entries = (
        proptest::collection::btree_map("[A-Z][A-Z0-9]{1,6}", (0u8..3, any_amount()), 0..7),
        proptest::collection::btree_set(0..NOT_SYMBOLS.len(), 0..2),
        any_amount(),
    )
        .prop_map(|(symbols, junk_keys, junk_amount)| {
            let mut entries: Vec<(String, Option<String>, Amount)> = symbols
                .into_iter()
                .map(|(sym, (form, a))| {
                    let key = match form {
                        0 => sym.clone(),
                        1 => sym.to_ascii_lowercase(),
                        _ => format!(" {sym} "),
                    };
                    (key, Some(sym), a)
                })
                .collect();
            for i in junk_keys {
                entries.push((NOT_SYMBOLS[i].to_owned(), None, junk_amount.clone()));
            }
            entries
        });
    let bend = prop_oneof![
        6 => Just(Bend::None),
        1 => prop::sample::select(vec![199u16, 204, 301, 400, 401, 403, 404, 429, 500, 502, 503])
            .prop_map(Bend::Status),
        1 => Just(Bend::NoCode),
        1 => Just(Bend::CodeAsText),
        1 => prop::sample::select(vec![101i64, 103, 124, 400, 503]).prop_map(Bend::Code),
        1 => Just(Bend::ErrorObject),
        1 => prop::sample::select(vec!["absent", "null", "\"balances\"", "7"]).prop_map(Bend::Data),
        1 => Just(Bend::DataAsArray),
        1 => Just(Bend::DataNested),
        1 => any_amount().prop_map(Bend::Duplicate),
        1 => Just(Bend::Extra),
        1 => (0usize..10_000).prop_map(Bend::Cut),
        1 => Just(Bend::NotAnObject),
    ];
    (
        prop::sample::select(vec![Api::Legacy, Api::V1, Api::Prices]),
        entries,
        bend,
        any::<bool>(),
    )
        .prop_map(|(api, entries, bend, spaced)| Answer {
            api,
            entries,
            bend,
            spaced,
        })
}

impl Answer {
    /// The HTTP status and the body.
    fn render(&self) -> (u16, String) {
        let (colon, comma) = if self.spaced {
            (": ", ",\n  ")
        } else {
            (":", ",")
        };
        let pair = |k: &str, v: &str| format!("{}{colon}{v}", serde_json::to_string(k).unwrap());
        let mut entries: Vec<(String, String)> = self
            .entries
            .iter()
            .map(|(k, _, a)| (k.clone(), a.json()))
            .collect();
        if let (Bend::Duplicate(a), Some((k, _))) = (&self.bend, entries.last().cloned()) {
            entries.push((k, a.json()));
        }
        let object = |entries: &[(String, String)]| {
            let inner: Vec<String> = entries.iter().map(|(k, v)| pair(k, v)).collect();
            format!("{{{}}}", inner.join(comma))
        };
        let data = match &self.bend {
            Bend::DataAsArray => {
                let items: Vec<String> = entries
                    .iter()
                    .map(|e| object(std::slice::from_ref(e)))
                    .collect();
                format!("[{}]", items.join(comma))
            }
            Bend::DataNested => object(&[("data".to_owned(), object(&entries))]),
            Bend::Data(d) => (*d).to_owned(),
            _ => object(&entries),
        };
        let (code_key, code) = match self.api {
            Api::Legacy => ("result", 100),
            Api::V1 | Api::Prices => ("status", 200),
        };
        let code = match &self.bend {
            Bend::CodeAsText => Some(format!("\"{code}\"")),
            Bend::Code(c) => Some(c.to_string()),
            Bend::NoCode => None,
            _ => Some(code.to_string()),
        };
        let mut fields = Vec::new();
        if self.api != Api::Legacy {
            let error = if matches!(self.bend, Bend::ErrorObject) {
                r#"{"type":"invalid_request","message":"Something is wrong"}"#
            } else {
                "{}"
            };
            fields.push(pair("error", error));
            fields.push(pair("version", "\"1.0.0\""));
        }
        fields.push(pair("message", "\"Successful operation\""));
        if let Some(code) = code {
            fields.push(pair(code_key, &code));
        }
        if !matches!(self.bend, Bend::Data("absent")) {
            fields.push(pair("data", &data));
        }
        if matches!(self.bend, Bend::Extra) {
            fields.push(pair("extra", "[1,{\"a\":null}]"));
        }
        let mut body = format!("{{{}}}", fields.join(comma));
        match self.bend {
            Bend::Cut(at) => body.truncate(
                body.char_indices()
                    .map(|(i, _)| i)
                    .nth(at % body.chars().count())
                    .unwrap_or(0),
            ),
            Bend::NotAnObject => body = format!("[{body}]"),
            _ => {}
        }
        let status = match self.bend {
            Bend::Status(s) => s,
            _ => 200,
        };
        (status, body)
    }

    /// The entries as parsed: the later of two equal keys counts.
    fn effective(&self) -> Vec<(Option<String>, Amount)> {
        let mut out: Vec<(String, Option<String>, Amount)> = self.entries.clone();
        if let (Bend::Duplicate(a), Some(last)) = (&self.bend, out.last_mut()) {
            last.2 = a.clone();
        }
        out.into_iter().map(|(_, sym, a)| (sym, a)).collect()
    }
}

/// What a parser must make of an answer: which error, or exactly which values.
#[derive(Debug)]
enum Expected {
    Status(u16),
    Refused(u16),
    Api(i64),
    BadBody,
    /// Readable values by symbol (exact, with their literal text when that is how they must
    /// print), and how many entries were listed without one.
    Values(BTreeMap<String, (Decimal, Option<String>)>, usize),
}

fn expected(answer: &Answer) -> Expected {
    let http = match answer.bend {
        Bend::Status(s) => s,
        _ => 200,
    };
    let ok_http = (200..300).contains(&http);
    if !ok_http {
        return match answer.api {
            Api::Legacy => Expected::Status(http),
            Api::V1 | Api::Prices => Expected::Refused(http),
        };
    }
    match (&answer.bend, answer.api) {
        (Bend::Cut(_) | Bend::NotAnObject, _) => return Expected::BadBody,
        (Bend::NoCode | Bend::Data(_), _) => return Expected::BadBody,
        (Bend::CodeAsText, Api::Legacy) => return Expected::BadBody,
        (Bend::Code(c), Api::Legacy) => return Expected::Api(*c),
        (Bend::Code(c), _) => return Expected::Refused(*c as u16),
        (Bend::ErrorObject, Api::V1 | Api::Prices) => return Expected::Refused(200),
        _ => {}
    }
    if matches!(answer.bend, Bend::DataNested) {
        // One entry, "data", whose value is no amount.
        return Expected::BadBody;
    }
    let mut values = BTreeMap::new();
    let mut unreadable = 0;
    for (symbol, amount) in answer.effective() {
        match (symbol, amount.value()) {
            (Some(sym), Some((v, text))) if answer.api != Api::Prices || v > Decimal::ZERO => {
                values.insert(sym, (v, text));
            }
            _ => unreadable += 1,
        }
    }
    if values.is_empty() {
        Expected::BadBody
    } else {
        Expected::Values(values, unreadable)
    }
}

/// A parsed amount or price, as the model holds it.
trait Exact: Copy {
    fn exact(self) -> Decimal;
}

impl Exact for Decimal {
    fn exact(self) -> Decimal {
        self
    }
}

impl Exact for Usd {
    fn exact(self) -> Decimal {
        self.amount()
    }
}

/// Parsed values by their currency code.
fn by_code<V: Exact>(values: BTreeMap<Currency, V>) -> BTreeMap<String, Decimal> {
    values
        .into_iter()
        .map(|(c, v)| (c.as_str().to_owned(), v.exact()))
        .collect()
}

fn check_answer(answer: &Answer) -> Result<(), TestCaseError> {
    let (status, body) = answer.render();
    let bytes = body.as_bytes();
    let parsed: Result<(BTreeMap<String, Decimal>, usize), OxaPayError> = match answer.api {
        Api::Legacy => parse_balance_response(status, None, bytes)
            .map(|b| (by_code(b.amounts), b.unreadable.len())),
        Api::V1 => parse_v1_balance_response(status, None, bytes)
            .map(|b| (by_code(b.amounts), b.unreadable.len())),
        Api::Prices => {
            parse_prices_response(status, None, bytes).map(|p| (by_code(p.usd), p.unusable.len()))
        }
    };
    let expected = expected(answer);
    let context = || {
        format!(
            "{:?} answer {status} {body}\nexpected {expected:?}",
            answer.api
        )
    };
    match (&expected, &parsed) {
        (Expected::Status(s), Err(OxaPayError::Status { status, .. })) => {
            prop_assert_eq!(s, status, "{}", context())
        }
        (Expected::Refused(s), Err(OxaPayError::Refused { status, .. })) => {
            prop_assert_eq!(s, status, "{}", context())
        }
        (Expected::Api(c), Err(OxaPayError::Api { code, message })) => {
            prop_assert_eq!(c, code, "{}", context());
            prop_assert_eq!(message.as_str(), "Successful operation");
        }
        (Expected::BadBody, Err(OxaPayError::BadBody(_))) => {}
        (Expected::Values(values, unreadable), Ok((got, got_unreadable))) => {
            let exact: BTreeMap<String, Decimal> =
                values.iter().map(|(k, (v, _))| (k.clone(), *v)).collect();
            prop_assert_eq!(&exact, got, "{}", context());
            for (k, (_, text)) in values {
                if let Some(text) = text {
                    prop_assert_eq!(&got[k].to_string(), text, "digit for digit: {}", context());
                }
            }
            prop_assert_eq!(unreadable, got_unreadable, "{}", context());
        }
        _ => {
            return Err(TestCaseError::fail(format!(
                "got {parsed:?}\n{}",
                context()
            )));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    /// Whatever a user types, an accepted amount is above zero, within the documented digits,
    /// exactly the number typed, and prints back to text that parses to the same value.
    #[test]
    fn accepted_user_amounts_are_positive_bounded_and_exact(
        s in prop_oneof![
            any::<String>(),
            r"[-+]?[0-9]{0,40}([.,][0-9]{0,40})?([eE][-+]?[0-9]{1,5})?",
            r" ?0*[0-9]{0,16}(\.[0-9]{0,20})? ?",
        ]
    ) {
        if let Ok(v) = parse_user_amount(&s) {
            let t = s.trim();
            prop_assert!(v > Decimal::ZERO, "{s:?} → {v}");
            prop_assert!(t.bytes().all(|b| b.is_ascii_digit() || b == b'.'), "{s:?} accepted");
            let (int, frac) = digits(t);
            prop_assert!(int <= 15 && frac <= 18 && int + frac <= 28, "{s:?}: {int} + {frac} digits");
            prop_assert_eq!(v, Decimal::from_str_exact(t).unwrap(), "{:?} is not exactly what was typed", s);
            prop_assert_eq!(parse_user_amount(&v.to_string()), Ok(v));
            prop_assert_eq!(v.scale() as usize, frac, "the scale typed is kept");
        }
    }

    /// A plain amount within the limits is accepted and prints back the same (leading zeros
    /// aside); one digit more is refused, never rounded.
    #[test]
    fn user_amounts_within_the_limits_round_trip(int in "[1-9][0-9]{0,14}", frac in proptest::option::of("[0-9]{1,18}")) {
        let text = match &frac { Some(f) => format!("{int}.{f}"), None => int.clone() };
        let total = int.len() + frac.as_ref().map_or(0, String::len);
        match parse_user_amount(&text) {
            Ok(v) => {
                prop_assert!(total <= 28);
                prop_assert_eq!(v.to_string(), text.clone());
                prop_assert_eq!(v, Decimal::from_str(&text).unwrap());
            }
            Err(_) => prop_assert!(total > 28, "{text} refused"),
        }
    }

    /// OxaPay's amount texts (strings or JSON number literals) come back digit for digit.
    #[test]
    fn api_amounts_are_exact(int in "0|[1-9][0-9]{0,16}", frac in proptest::option::of("[0-9]{1,10}")) {
        let text = match &frac { Some(f) => format!("{int}.{f}"), None => int.clone() };
        let v = parse_api_amount(&text).unwrap();
        prop_assert_eq!(v.to_string(), text.clone());
        prop_assert_eq!(v, Decimal::from_str_exact(&text).unwrap());
    }

    /// A valid answer is read whole and exactly: every listed amount, as JSON strings or
    /// numbers, with nothing lost, added or rounded.
    #[test]
    fn parsed_answers_are_exact(
        model in proptest::collection::btree_map("[A-Z][A-Z0-9]{1,6}", ("0|[1-9][0-9]{0,12}", proptest::option::of("[0-9]{1,10}")), 1..8),
        as_numbers in any::<bool>(),
    ) {
        let model: BTreeMap<String, String> = model
            .into_iter()
            .map(|(k, (i, f))| (k, f.map_or(i.clone(), |f| format!("{i}.{f}"))))
            .collect();
        let data: Vec<String> = model
            .iter()
            .map(|(k, v)| if as_numbers { format!("\"{k}\":{v}") } else { format!("\"{k}\":\"{v}\"") })
            .collect();
        let body = format!(r#"{{"result":100,"message":"Successful operation","data":{{{}}}}}"#, data.join(","));
        let read = parse_balance_response(200, None, body.as_bytes()).unwrap();
        prop_assert!(read.unreadable.is_empty());
        let got: BTreeMap<String, String> = read.amounts.iter().map(|(k, v)| (k.as_str().to_owned(), v.to_string())).collect();
        prop_assert_eq!(got, model);
    }

    /// OxaPay's answers, legacy and v1 balances and the price list, built valid and then bent
    /// (keys dropped, duplicated, renamed; types changed; strings for numbers; huge numbers;
    /// nesting; other statuses; cut short): each parses to exactly what the model says it holds,
    /// digit for digit, or to the error the model names — never an empty read, never a guess.
    #[test]
    fn structured_answers_parse_to_exactly_what_they_hold(answer in any_answer()) {
        check_answer(&answer)?;
    }

    #[test]
    fn odd_data_is_balances_or_an_error(
        data in r#"\{("[A-Za-z<&]{1,5}":("[-0-9.e,a-z]{0,12}"|[-0-9.eE]{1,12}|null|true|\{\}|\[\]),?){0,4}\}|\[.{0,20}\]|null|"x""#,
        lang in ids::any_lang(),
    ) {
        let body = format!(r#"{{"result":100,"data":{data}}}"#);
        if let Ok(read) = parse_balance_response(200, None, body.as_bytes()) {
            prop_assert!(!read.amounts.is_empty());
            // And what the user would read of it is valid Telegram HTML.
            let prices = oxapay_bot::oxapay::Prices {
                usd: read.amounts.keys().map(|k| (k.clone(), Usd::new(Decimal::new(12345, 2)))).collect(),
                unusable: BTreeMap::new(),
            };
            for view in [
                texts::PriceView::Unavailable("No prices."),
                texts::PriceView::Current(&prices, chrono::Utc::now()),
            ] {
                assert_telegram_accepts(&texts::balances(lang, &read, chrono::Utc::now(), view, true))?;
            }
        }
    }

    /// Every reply that can carry text from outside (a user's arguments, OxaPay's messages and
    /// symbols) is valid Telegram HTML, whatever that text is.
    #[test]
    fn replies_built_from_any_text_are_valid_telegram_html(
        s in prop_oneof![any::<String>(), r#"[<>&;#/a-z0-9 "'=\n]{0,40}"#, r"(&[a-z]{0,5};?|<[a-z/]{0,5}>?|[A-Z0-9]{1,3}){0,8}"],
        lang in ids::any_lang(),
    ) {
        for reply in [parse_balance(lang, &s).err(), parse_alert(lang, &s).err(), parse_alerts(lang, &s).err(), parse_lang(lang, &s).err(), parse_id(&s).err()]
            .into_iter()
            .flatten()
        {
            assert_telegram_accepts(&reply)?;
        }
        for args in [format!("BTC {s}"), format!("{s} 5")] {
            if let Err(reply) = parse_alert(lang, &args) {
                assert_telegram_accepts(&reply)?;
            }
        }
        let error = OxaPayError::Api { code: 131, message: s.clone() };
        assert_telegram_accepts(&texts::oxapay_failed(lang, &error))?;
        assert_telegram_accepts(&texts::unknown_currency(lang, &s, &[s.as_str(), "BTC"]))?;
        assert_telegram_accepts(&texts::unreadable_balance(lang, &s, &s))?;
        assert_telegram_accepts(&texts::health_notice(
            &HealthNotice::Unreachable { since: 0, failures: 3, error: error.to_string() },
            0,
        ))?;
        for direction in [Direction::Below, Direction::Above] {
            assert_telegram_accepts(&texts::alert_notice(lang, &ids::subject("BTC"), direction, Decimal::ONE, Notice::Crossed { balance: Decimal::ZERO }))?;
        }
        let mut read = Balances::new(BTreeMap::from([(ids::cur("BTC"), Decimal::ONE)]));
        read.unreadable.insert(s.clone(), s.clone());
        let why = teloxide::utils::html::escape(&s);
        assert_telegram_accepts(&texts::balances(lang, &read, chrono::Utc::now(), texts::PriceView::Unavailable(&why), false))?;
        // The parsers themselves never panic, whatever the text.
        let _ = (Currency::parse(&s), parse_chat_id(&s), parse_api_amount(&s));
    }
}

proptest! {
    // Each case splits up to 400 lines: fewer cases keep the debug-build test run short.
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Splitting keeps every line, and every piece is a message Telegram accepts: within the
    /// limit, valid HTML (`<pre>` closed and reopened), never cut inside an entity.
    #[test]
    fn split_messages_are_valid(
        lines in proptest::collection::vec("[a-zA-Z0-9.][a-zA-Z0-9 .]{0,59}|&amp;|&lt;b&gt;", 1..400),
        pre_from in 0usize..400,
        limit in 80usize..4096,
    ) {
        let mut text_lines = lines.clone();
        let start = pre_from % text_lines.len();
        text_lines[start] = format!("<pre>{}", text_lines[start]);
        let last = text_lines.len() - 1;
        text_lines[last] = format!("{}</pre>", text_lines[last]);
        let text = text_lines.join("\n");
        let parts = split_html(&text, limit);
        for p in &parts {
            prop_assert!(p.encode_utf16().count() <= limit, "{} > {}", p.len(), limit);
            if let Err(why) = check_text(p, Some("HTML"), TextKind::Message) {
                return Err(TestCaseError::fail(format!("{why}: {p:?}")));
            }
        }
        let rejoined = parts.join("\n").replace("</pre>\n<pre>", "\n");
        prop_assert_eq!(rejoined, text);
    }
}

#[tokio::test]
async fn a_reply_over_4096_characters_is_split_at_lines() {
    let symbols: Vec<String> = (0..600).map(|i| format!("C{i:04}")).collect();
    let pairs: Vec<(&str, &str)> = symbols
        .iter()
        .map(|s| (s.as_str(), "12345.678901"))
        .collect();
    let app = TestApp::spawn(OxaReply::balances(&pairs), Setup::default()).await;
    let reply = app.ask(ADMIN, ADMIN, "/balance").await;
    assert!(reply.parts.len() >= 3, "{} parts", reply.parts.len());
    for p in &reply.parts {
        assert!(p.text.encode_utf16().count() <= MESSAGE_LIMIT);
        assert_eq!(p.text.matches("<pre>").count(), 1, "{}", p.text);
        assert_eq!(p.text.matches("</pre>").count(), 1, "{}", p.text);
    }
    let lines = reply.lines();
    assert_eq!(lines[0], "OxaPay balances (wallets above zero)");
    let rows: Vec<String> = (0..600).map(|i| format!("C{i:04}  12345.678901")).collect();
    assert_eq!(lines[1..601], rows[..], "every row once, in order");
    assert_eq!(
        lines[601],
        "USD prices are unavailable right now (HTTP 503), so no values are shown."
    );
    assert!(crate::balance::is_stamp(&lines[602]) && lines.len() == 603);
}

/// A burst over the flood limit: the limit's worth served, one "slow down", the rest dropped.
/// (No refill during the test, so the counts are exact; the log tells when all were handled.)
#[tokio::test]
async fn a_flooding_chat_gets_one_slow_down_and_no_more() {
    let app = TestApp::spawn(
        OxaReply::balances(&[("BTC", "1")]),
        Setup::default().flood(FloodSettings {
            refill_every: Duration::from_secs(3600),
            ..FloodSettings::default()
        }),
    )
    .await;
    for _ in 0..40 {
        app.tg.send_text(ADMIN, ADMIN, "/help");
    }
    app.logs()
        .wait_for("40 handled commands", 40, |e| {
            e.message == "command handled" && e.field("chat_id") == Some("1001")
        })
        .await;
    let sent: Vec<String> = app.tg.sent_to(ADMIN).iter().map(|s| s.plain()).collect();
    let slow =
        "Too many commands at once — please slow down; the bot will answer again in a few seconds.";
    assert_eq!(sent.iter().filter(|m| *m == slow).count(), 1, "{sent:?}");
    assert_eq!(
        sent.iter()
            .filter(|m| m.starts_with("OxaPay balance bot"))
            .count(),
        10,
        "the burst of 10 served"
    );
    assert_eq!(sent.len(), 11);
}

/// With the shipped flood control (a burst of 10, one more a second), a burst of 20 is limited:
/// a "slow down", and some commands not answered at all; a chat that slowed down is served
/// again. (On a fast machine exactly 10 are served and one told to slow down; each second the
/// burst takes adds at most one of each, so 20 handled within 4 s — milliseconds here — leave
/// some unanswered however slow the machine. `a_flooding_chat_gets_one_slow_down_and_no_more`
/// has the exact counts, without a refill.)
#[tokio::test]
async fn a_chat_that_slows_down_is_served_again() {
    const BURST: usize = 20;
    let app = TestApp::spawn(
        OxaReply::balances(&[("BTC", "1")]),
        Setup::default().shipped_flood(),
    )
    .await;
    for _ in 0..BURST {
        app.tg.send_text(ADMIN, ADMIN, "/help");
    }
    app.logs()
        .wait_for("the burst handled", BURST, |e| {
            e.message == "command handled"
        })
        .await;
    let sent: Vec<String> = app.tg.sent_to(ADMIN).iter().map(|s| s.plain()).collect();
    let slow =
        "Too many commands at once — please slow down; the bot will answer again in a few seconds.";
    let served = sent
        .iter()
        .filter(|m| m.starts_with("OxaPay balance bot"))
        .count();
    let told = sent.iter().filter(|m| *m == slow).count();
    let counts = format!("of {BURST}: {served} served, {told} told to slow down");
    assert!(served >= 10 && told >= 1, "{counts}");
    assert_eq!(sent.len(), served + told, "nothing else: {sent:?}");
    assert!(served + told < BURST, "some get no answer; {counts}");
    // Time for at least three tokens (a slower machine only adds tokens): the refill is the
    // clock itself, so this wait cannot be an event.
    tokio::time::sleep(Duration::from_millis(3100)).await;
    let r = app.ask(ADMIN, ADMIN, "/balance btc").await;
    assert_eq!(r.lines()[0], "BTC  1");
}

#[tokio::test]
async fn a_flooding_stranger_gets_one_refusal_and_never_reaches_oxapay() {
    let app = TestApp::spawn(OxaReply::balances(&[("BTC", "1")]), Setup::default()).await;
    for _ in 0..50 {
        app.tg.send_text(6666, 6666, "/balance");
    }
    for _ in 0..20 {
        app.tg.send_text(-7777, 6666, "/balance");
    }
    for chat in [6666, -7777] {
        let end = app.tg.barrier(chat).await;
        assert_eq!(end, 1, "one refusal in chat {chat}, then the barrier");
    }
    assert_eq!(
        app.tg.sent_to(6666)[0].plain(),
        "You are not authorized to use this bot. Your user id is 6666 — ask an admin to /allow it."
    );
    assert_eq!(app.oxa.calls(), 0);
}

/// Text from outside that the bot stores (OxaPay's error message, in the checker's record and
/// the admins' notice) goes to SQLite as a bound parameter and to the chat escaped.
#[tokio::test]
async fn outside_text_is_stored_as_a_parameter_and_shown_escaped() {
    let hostile = "'); DROP TABLE thresholds; -- <b>&amp;";
    let app = TestApp::spawn(
        OxaReply::code(131, hostile),
        Setup::default()
            .checking_every_second()
            .no_cache()
            .env("ALERT_FAILURES_BEFORE_NOTICE", "1"),
    )
    .await;
    app.ask(ADMIN, ADMIN, "/alert BTC 1").await;
    let notice = app.tg.wait_broadcasts(ADMIN, 1).await;
    assert!(
        notice[0].ends_with(&format!("Last error: result code 131: {hostile}")),
        "{}",
        notice[0]
    );
    let stored = python_sqlite(
        &app.db_path(),
        "print(db.execute('SELECT last_error FROM checker').fetchone()[0])\n\
         print(db.execute('SELECT count(*) FROM thresholds').fetchone()[0])",
    )
    .await;
    assert_eq!(stored, format!("result code 131: {hostile}\n1\n"));
}
