//! Hostile input: property tests for every argument parser, long replies, floods.

mod common;

use std::str::FromStr;
use std::time::Duration;

use common::*;
use oxapay_bot::domain::{Currency, parse_chat_id};
use oxapay_bot::money::{parse_api_amount, parse_user_amount};
use oxapay_bot::oxapay::parse_balance_response;
use oxapay_bot::telegram::commands::{parse_alert, parse_alerts, parse_balance, parse_id};
use oxapay_bot::telegram::messages::{MESSAGE_LIMIT, split_html};
use proptest::prelude::*;
use rust_decimal::Decimal;

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    /// Any text: a value or an error that reads as a sentence; never a panic.
    #[test]
    fn argument_parsers_never_panic(s in any::<String>()) {
        let _ = parse_user_amount(&s);
        let _ = parse_api_amount(&s);
        let _ = Currency::parse(&s);
        let _ = parse_chat_id(&s);
        for reply in [
            parse_balance(&s).err(),
            parse_alert(&s).err(),
            parse_alerts(&s).err(),
            parse_id(&s).err(),
        ].into_iter().flatten() {
            prop_assert!(!reply.is_empty() && reply.chars().count() < 600);
            // Whatever the user typed comes back escaped.
            prop_assert!(!reply.contains("<script"));
        }
    }

    #[test]
    fn argument_parsers_never_panic_on_likely_shapes(
        s in r"[-+]?[0-9]{0,40}([.,][0-9]{0,40})?([eE][-+]?[0-9]{1,5})?|[A-Za-z0-9]{0,12} [-0-9.eE,]{0,30}|<[a-z]+>|&[a-z]*;?"
    ) {
        let _ = parse_user_amount(&s);
        let _ = parse_api_amount(&s);
        let _ = parse_alert(&s);
        let _ = parse_id(&s);
    }

    /// A plain amount a user may type parses to exactly that number and prints back the same.
    #[test]
    fn user_amounts_round_trip(int in "[1-9][0-9]{0,14}", frac in proptest::option::of("[0-9]{1,18}")) {
        let text = match &frac { Some(f) => format!("{int}.{f}"), None => int.clone() };
        if int.len() + frac.as_ref().map_or(0, String::len) > 28 {
            // More digits than a Decimal holds exactly: refused, never rounded.
            prop_assert!(parse_user_amount(&text).is_err());
            return Ok(());
        }
        let v = parse_user_amount(&text).unwrap();
        prop_assert_eq!(v.to_string(), text.clone());
        prop_assert_eq!(v, Decimal::from_str(&text).unwrap());
    }

    /// OxaPay's amount strings print back digit for digit.
    #[test]
    fn api_amounts_round_trip(int in "0|[1-9][0-9]{0,16}", frac in proptest::option::of("[0-9]{1,10}")) {
        let text = match &frac { Some(f) => format!("{int}.{f}"), None => int.clone() };
        prop_assert_eq!(parse_api_amount(&text).unwrap().to_string(), text);
    }

    /// Any bytes from OxaPay: balances or an error, never a panic.
    #[test]
    fn balance_answers_never_panic(body in proptest::collection::vec(any::<u8>(), 0..300), status in 100u16..600) {
        let _ = parse_balance_response(status, None, &body);
    }

    #[test]
    fn balance_answers_with_odd_data_never_panic(data in r#"\{("[A-Z]{1,5}":("[-0-9.e,a-z]{0,12}"|[-0-9.eE]{1,12}|null|true|\{\}|\[\]),?){0,4}\}|\[.{0,20}\]|null|"x""#) {
        let body = format!(r#"{{"result":100,"data":{data}}}"#);
        let _ = parse_balance_response(200, None, body.as_bytes());
    }

}

proptest! {
    // Each case splits up to 400 lines: fewer cases keep the debug-build test run short.
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Splitting keeps every line, stays under the limit, and keeps <pre> blocks balanced.
    #[test]
    fn split_messages_are_valid(
        lines in proptest::collection::vec("[a-zA-Z0-9 .]{0,60}|&amp;|&lt;b&gt;", 0..400),
        pre_from in 0usize..400,
        limit in 80usize..4096,
    ) {
        let mut text_lines = lines.clone();
        if !text_lines.is_empty() {
            let start = pre_from % text_lines.len();
            text_lines[start] = format!("<pre>{}", text_lines[start]);
            let last = text_lines.len() - 1;
            text_lines[last] = format!("{}</pre>", text_lines[last]);
        }
        let text = text_lines.join("\n");
        let parts = split_html(&text, limit);
        for p in &parts {
            prop_assert!(p.encode_utf16().count() <= limit, "{} > {}", p.len(), limit);
            prop_assert_eq!(p.matches("<pre>").count(), p.matches("</pre>").count());
            prop_assert_eq!(p.matches('&').count(), p.matches("&amp;").count() + p.matches("&lt;").count() + p.matches("&gt;").count());
        }
        let rejoined = parts.join("\n").replace("</pre>\n<pre>", "\n");
        prop_assert_eq!(rejoined, text);
    }
}

#[tokio::test]
async fn a_reply_over_4096_characters_is_split_at_lines() {
    let symbols: Vec<&'static str> = (0..600)
        .map(|i| &*Box::leak(format!("C{i:04}").into_boxed_str()))
        .collect();
    let balances: Vec<(&'static str, &'static str)> =
        symbols.iter().map(|s| (*s, "12345.678901")).collect();
    let app = TestApp::spawn(OxaReply::Balances(balances), Setup::default()).await;
    app.tg.send_text(ADMIN, ADMIN, "/balance");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let parts = app.tg.sent_to(ADMIN);
    assert!(parts.len() >= 3, "{} parts", parts.len());
    let mut rows = 0;
    for p in &parts {
        assert!(p.encode_utf16().count() <= MESSAGE_LIMIT);
        assert_eq!(p.matches("<pre>").count(), 1, "{p}");
        assert_eq!(p.matches("</pre>").count(), 1, "{p}");
        rows += p.matches("12345.678901").count();
    }
    assert_eq!(rows, 600);
}

#[tokio::test]
async fn a_flooding_chat_gets_one_slow_down_and_no_more() {
    let app = TestApp::spawn(OxaReply::Balances(vec![("BTC", "1")]), Setup::default()).await;
    for _ in 0..40 {
        app.tg.send_text(ADMIN, ADMIN, "/help");
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let sent = app.tg.sent_to(ADMIN);
    let slow = sent.iter().filter(|m| m.contains("slow down")).count();
    assert_eq!(slow, 1, "{sent:?}");
    // The burst (10) plus at most a couple refilled in the meantime.
    let served = sent.iter().filter(|m| m.contains("/balance")).count();
    assert!((10..=13).contains(&served), "{served} served");
}

#[tokio::test]
async fn a_flooding_stranger_gets_one_refusal_and_never_reaches_oxapay() {
    let app = TestApp::spawn(OxaReply::Balances(vec![("BTC", "1")]), Setup::default()).await;
    let calls = app.oxa.calls();
    for _ in 0..50 {
        app.tg.send_text(6666, 6666, "/balance");
    }
    for _ in 0..20 {
        app.tg.send_text(-7777, 6666, "/balance");
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(app.tg.sent_to(6666).len(), 1);
    assert_eq!(app.tg.sent_to(-7777).len(), 1);
    assert_eq!(app.oxa.calls(), calls);
}
