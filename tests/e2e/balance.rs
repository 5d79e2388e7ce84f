//! `/balance`: exact amounts, sorted and aligned, one currency, and one OxaPay read shared by
//! every reader for `BALANCE_CACHE_SECS` (the shipped 5 s unless a test says otherwise).

use std::time::Duration;

use crate::support::ids;
use crate::support::oxapay::Gate;
use crate::support::{ADMIN, Endpoint, KEY, OxaReply, Setup, TestApp};

fn account() -> OxaReply {
    OxaReply::balances(&[
        ("BTC", "0.00000001"),
        ("USDT", "98765432.12345678"),
        ("TRX", "0"),
        ("LTC", "12.5"),
    ])
}

/// The closing line of a balance reply: `OxaPay, 2025-01-31 12:00:00 UTC`.
pub fn is_stamp(line: &str) -> bool {
    line.strip_prefix("OxaPay, ")
        .and_then(|t| t.strip_suffix(" UTC"))
        .is_some_and(|t| chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S").is_ok())
}

#[tokio::test]
async fn admin_sees_exact_balances_sorted_and_aligned() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    let reply = app.ask(ADMIN, ADMIN, "/balance").await;
    let lines = reply.lines();
    // Sorted, zero left out, every digit kept, aligned on the point, in a monospace block.
    assert_eq!(
        lines[..4],
        [
            "OxaPay balances (wallets above zero)",
            "BTC          0.00000001",
            "LTC         12.5",
            "USDT  98765432.12345678",
        ],
        "{reply}"
    );
    // Prices are unavailable in this fake unless a test sets them: one line says so.
    assert_eq!(
        lines[4], "USD prices are unavailable right now (HTTP 503), so no values are shown.",
        "{reply}"
    );
    assert!(is_stamp(&lines[5]) && lines.len() == 6, "{reply}");
    assert!(reply.html().contains("<pre>BTC "), "{}", reply.html());
    assert_eq!(reply.parts[0].parse_mode.as_deref(), Some("HTML"));
    // The request carried the key in a JSON body and asked for every currency.
    let requests: Vec<_> = app
        .oxa
        .requests()
        .into_iter()
        .filter(|r| r.endpoint == Some(Endpoint::LegacyBalance))
        .collect();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].endpoint, Some(Endpoint::LegacyBalance));
    assert_eq!(requests[0].header("content-type"), Some("application/json"));
    assert_eq!(requests[0].json(), serde_json::json!({ "key": KEY }));
}

#[tokio::test]
async fn one_currency_case_insensitive_zero_included_and_unknown_named() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    let usdt = app.ask(ADMIN, ADMIN, "/balance usdt").await;
    assert_eq!(usdt.lines()[0], "USDT  98765432.12345678", "{usdt}");
    assert!(
        is_stamp(&usdt.lines()[2]) && usdt.lines().len() == 3,
        "{usdt}"
    );
    let trx = app.ask(ADMIN, ADMIN, "/balance TRX").await;
    assert_eq!(trx.lines()[0], "TRX  0", "{trx}");
    let xyz = app.ask(ADMIN, ADMIN, "/balance xyz").await;
    assert_eq!(
        xyz.text(),
        "This OxaPay account has no XYZ wallet. Its wallets: BTC, LTC, TRX, USDT."
    );
}

#[tokio::test]
async fn all_zero_account_gets_a_clear_line() {
    let app = TestApp::spawn(
        OxaReply::balances(&[("BTC", "0"), ("USDT", "0.000")]),
        Setup::default(),
    )
    .await;
    let reply = app.ask(ADMIN, ADMIN, "/balance").await;
    assert_eq!(reply.lines()[0], "All 2 wallets are at zero.", "{reply}");
}

#[tokio::test]
async fn amounts_sent_as_json_numbers_keep_every_digit() {
    let app = TestApp::spawn(
        OxaReply::json(
            r#"{"result":100,"data":{"BTC":12345678901234567.89,"ETH":0.00000001,"LTC":0}}"#,
        ),
        Setup::default(),
    )
    .await;
    let reply = app.ask(ADMIN, ADMIN, "/balance").await;
    assert_eq!(
        reply.lines()[1..3],
        [
            "BTC  12345678901234567.89",
            "ETH                  0.00000001"
        ],
        "{reply}"
    );
}

/// The shipped cache: one OxaPay answer serves every reader for 5 s.
#[tokio::test]
async fn one_answer_serves_every_reader_within_the_cache_window() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    let first = app.ask(ADMIN, ADMIN, "/balance").await;
    let again = app.ask(ADMIN, ADMIN, "/balance").await;
    let one = app.ask(ADMIN, ADMIN, "/balance ltc").await;
    assert_eq!(app.oxa.calls(), 1);
    assert_eq!(
        first.lines(),
        again.lines(),
        "the same answer, the same time"
    );
    assert_eq!(one.lines()[0], "LTC  12.5");
}

/// The checker and `/balance` read through the same source: the start-up check's answer serves
/// the next `/balance` too.
#[tokio::test]
async fn balance_reuses_the_checkers_read() {
    let mut app = TestApp::prepare(account(), Setup::default()).await;
    let store = app.store().await;
    // A level is only checked when someone serves it: the chat is allowed.
    store
        .allow(ids::chat(2002), &ids::actor(ADMIN), ids::chat(ADMIN), 0)
        .await
        .unwrap();
    store
        .set_threshold(
            ids::chat(2002),
            &ids::subject("BTC"),
            oxapay_bot::rules::alerts::Direction::Below,
            "1".parse().unwrap(),
            &ids::actor(2002),
            0,
        )
        .await
        .unwrap();
    store.close().await;
    app.start().await;
    app.checks_completed(1).await;
    assert_eq!(app.oxa.calls(), 1, "the start-up check read OxaPay");
    let reply = app.ask(ADMIN, ADMIN, "/balance btc").await;
    assert_eq!(reply.lines()[0], "BTC  0.00000001");
    assert_eq!(app.oxa.calls(), 1, "and /balance used that read");
}

/// Ten admins ask at once while OxaPay is slow: one request serves them all (single flight, then
/// the cache).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_concurrent_burst_costs_one_oxapay_call() {
    let admins: Vec<i64> = (5001..=5010).collect();
    let ids = admins
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let gate = Gate::new();
    let app = TestApp::spawn(
        OxaReply::held(&gate, OxaReply::balances(&[("BTC", "1.5")])),
        Setup::default().env("ADMIN_IDS", ids),
    )
    .await;
    for a in &admins {
        app.tg.send_text(*a, *a, "/balance");
    }
    // The first reader's request is in; the others queue behind it (or find its answer cached).
    app.oxa.wait_calls(1).await;
    gate.open();
    for a in &admins {
        let (_, reply) = app
            .tg
            .wait_message(*a, 0, "a /balance reply", |_| true)
            .await;
        assert_eq!(reply.plain().lines().nth(1), Some("BTC  1.5"), "{reply:?}");
    }
    assert_eq!(app.oxa.calls(), 1);
}

/// `BALANCE_CACHE_SECS=1`: once the window has passed, a failed read is shown as a failure, never
/// replaced by the older answer. (The pause only lets the window expire: a slower machine makes
/// it longer, never too short.)
#[tokio::test]
async fn a_failure_after_the_cache_window_never_shows_the_old_balance() {
    let app = TestApp::spawn(account(), Setup::default().env("BALANCE_CACHE_SECS", "1")).await;
    assert_eq!(
        app.ask(ADMIN, ADMIN, "/balance usdt").await.lines()[0],
        "USDT  98765432.12345678"
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    app.oxa.set(OxaReply::code(104, "Invalid IP address"));
    let r = app.ask(ADMIN, ADMIN, "/balance usdt").await;
    assert_eq!(
        r.text(),
        "OxaPay refused this server's IP (code 104): allow it in the OxaPay panel."
    );
    assert_eq!(app.oxa.calls(), 2);
}

/// Every bad argument gets a reply saying what was wrong and what is accepted, the user's text
/// quoted (shortened, escaped), and the bot goes on serving.
#[tokio::test]
async fn bad_arguments_get_clear_replies() {
    use oxapay_bot::texts::{ID_USAGE, Lang, balance_usage};

    use crate::support::html::plain_text;

    let app = TestApp::spawn(account(), Setup::default()).await;
    let ids = plain_text(ID_USAGE);
    let balance = plain_text(&balance_usage(Lang::En));
    let not_currency =
        "is not a currency: a currency code is 2 to 10 letters or digits, like BTC or USDT";
    let long = "A".repeat(300);
    let cases = [
        (
            "/allow abc".to_owned(),
            format!("“abc” is not a Telegram id — {ids}"),
        ),
        ("/allow".to_owned(), format!("an id is missing — {ids}")),
        ("/allow 1 2".to_owned(), format!("one id at a time — {ids}")),
        (
            "/deny 0".to_owned(),
            format!("“0” is not a Telegram id — {ids}"),
        ),
        (
            "/deny 12345678901234567".to_owned(),
            format!("“12345678901234567” is not a Telegram id — {ids}"),
        ),
        (
            "/balance BTC USDT".to_owned(),
            format!("one currency at a time — {balance}"),
        ),
        (
            "/balance BTC';DROP".to_owned(),
            format!("“BTC';DROP” {not_currency} — {balance}"),
        ),
        (
            "/balance 💰".to_owned(),
            format!("“💰” {not_currency} — {balance}"),
        ),
        (
            "/balance <script>".to_owned(),
            format!("“<script>” {not_currency} — {balance}"),
        ),
        (
            "/balance a&b".to_owned(),
            format!("“a&b” {not_currency} — {balance}"),
        ),
        (
            format!("/balance {long}"),
            format!("“{}…” {not_currency} — {balance}", &long[..24]),
        ),
    ];
    for (input, expected) in cases {
        let r = app.ask(ADMIN, ADMIN, &input).await;
        assert_eq!(r.text(), expected, "{input}");
    }
    let r = app.ask(ADMIN, ADMIN, "/balance btc").await;
    assert_eq!(r.lines()[0], "BTC  0.00000001");
}
