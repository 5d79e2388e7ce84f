//! Hostile input: property tests that assert results (what a parser accepts is exact and within
//! the documented limits; every reply built from any text is valid Telegram HTML), and end to end:
//! long replies, floods, and outside text that reaches the database and the chat.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::time::Duration;

use oxapay_bot::money::{Currency, Usd};
use oxapay_bot::money::{parse_api_amount, parse_user_amount};
use oxapay_bot::oxapay::{Balances, OxaPayError, parse_balance_response};
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

    /// Any bytes from OxaPay: a read that holds at least one amount, or an error; never an empty
    /// read that would look like an account of zeros.
    #[test]
    fn any_answer_is_balances_or_an_error(body in proptest::collection::vec(any::<u8>(), 0..300), status in 100u16..600) {
        if let Ok(read) = parse_balance_response(status, None, &body) {
            prop_assert!(!read.amounts.is_empty());
        }
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

/// With the shipped refill (one a second), a chat that slowed down is served again.
#[tokio::test]
async fn a_chat_that_slows_down_is_served_again() {
    let app = TestApp::spawn(
        OxaReply::balances(&[("BTC", "1")]),
        Setup::default().shipped_flood(),
    )
    .await;
    for _ in 0..12 {
        app.tg.send_text(ADMIN, ADMIN, "/help");
    }
    app.logs()
        .wait_for("12 handled commands", 12, |e| {
            e.message == "command handled"
        })
        .await;
    // Time for at least three tokens (a slower machine only adds tokens).
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
