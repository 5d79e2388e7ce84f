//! Issue 9 end to end: balances through OxaPay's v1 API (chosen by the key the operator has),
//! USD values and the total in `/balance`, prices read through their own single-flight cache, and
//! the total alert through the real checker. Prices are unavailable in the fake OxaPay unless a
//! test sets them.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{NaiveDateTime, Utc};
use oxapay_bot::rules::alerts::Direction;
use oxapay_bot::rules::domain::Subject;

use crate::support::ids;
use crate::support::oxapay::Gate;
use crate::support::process::BotProcess;
use crate::support::{ADMIN, Endpoint, KEY, OxaReply, Setup, TOKEN, TestApp};

const CHAT: i64 = 2002;
const GENERAL: &str = "oxapay-general-key-SECRET-0077";

/// A time as the bot writes it: `2025-01-31 12:00:00 UTC`.
fn parse_time(text: &str) -> Option<NaiveDateTime> {
    let t = text.strip_suffix(" UTC")?;
    NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S").ok()
}

/// The closing line of a reply without values: `OxaPay, <time>`.
fn is_stamp(line: &str) -> bool {
    line.strip_prefix("OxaPay, ").and_then(parse_time).is_some()
}

/// The closing line of a reply with values: `OxaPay, <time> · prices of <time>`.
fn priced_stamp(line: &str) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let (read, priced) = line.strip_prefix("OxaPay, ")?.split_once(" · prices of ")?;
    Some((parse_time(read)?, parse_time(priced)?))
}

/// The bot reading balances through v1 with the general key only (the payout key is removed
/// from its environment); the fake answers 401 to any other key.
async fn v1_app(reply: OxaReply, setup: Setup) -> TestApp {
    let mut app = TestApp::prepare(reply, setup).await;
    app.env.remove("OXAPAY_PAYOUT_API_KEY");
    app.env
        .insert("OXAPAY_GENERAL_API_KEY".into(), GENERAL.into());
    app.oxa.require_general_key(GENERAL);
    app.start().await;
    app
}

/// A v1 success envelope around `data`, as OxaPay writes it.
fn v1_body(data: &str) -> OxaReply {
    OxaReply::json(&format!(
        r#"{{"data":{data},"message":"Operation completed successfully!","error":{{}},"status":200,"version":"1.0.0"}}"#
    ))
}

#[tokio::test]
async fn v1_balances_are_read_with_the_general_key_and_every_digit_kept() {
    // JSON numbers: 8 decimals, 28 significant digits with 18 decimals, an integer far past u64
    // and f64's exact range.
    let app = v1_app(
        OxaReply::balances(&[
            ("BTC", "0.00000001"),
            ("ETH", "1234567890.123456789012345678"),
            ("SHIB", "123456789012345678901234"),
            ("LTC", "0"),
        ]),
        Setup::default().no_cache(),
    )
    .await;
    let r = app.ask(ADMIN, ADMIN, "/balance").await;
    let lines = r.lines();
    assert_eq!(
        lines[..4],
        [
            "OxaPay balances (wallets above zero)",
            "BTC                          0.00000001",
            "ETH                 1234567890.123456789012345678",
            "SHIB  123456789012345678901234",
        ],
        "{r}"
    );
    assert_eq!(
        lines[4],
        "USD prices are unavailable right now (HTTP 503), so no values are shown."
    );
    assert!(is_stamp(&lines[5]) && lines.len() == 6, "{r}");
    let r = app.ask(ADMIN, ADMIN, "/balance eth").await;
    assert_eq!(r.lines()[0], "ETH  1234567890.123456789012345678", "{r}");

    // Amounts as strings are read too.
    app.oxa
        .set(v1_body(r#"{"BTC":"0.5","USDT":"10.250000000000000001"}"#));
    let r = app.ask(ADMIN, ADMIN, "/balance").await;
    assert_eq!(
        r.lines()[1..3],
        ["BTC    0.5", "USDT  10.250000000000000001"],
        "{r}"
    );

    // Every balance request went to v1 with the key in its header, none to the legacy endpoint.
    let balance_requests: Vec<_> = app
        .oxa
        .requests()
        .into_iter()
        .filter(|q| q.endpoint != Some(Endpoint::Prices))
        .collect();
    assert_eq!(balance_requests.len(), 3);
    for q in &balance_requests {
        assert_eq!(q.endpoint, Some(Endpoint::V1Balance), "{q:?}");
        assert_eq!(q.method, "GET");
        assert_eq!(q.header("general_api_key"), Some(GENERAL));
        assert!(q.body.is_empty(), "{q:?}");
    }
    assert_eq!(app.oxa.calls_to(Endpoint::LegacyBalance), 0);

    // The log and admins' /start say which API; the key is never logged.
    let said = app
        .logs()
        .with_message("OxaPay balances are read through the OxaPay v1 API (general key)");
    assert_eq!(said.len(), 1);
    assert_eq!(
        said[0].field("api"),
        Some("OxaPay v1 API (general key)"),
        "{}",
        said[0]
    );
    assert!(
        app.logs()
            .events()
            .iter()
            .all(|e| !e.to_string().contains(GENERAL))
    );
    let start = app.ask(ADMIN, ADMIN, "/start").await;
    assert!(
        start.has_line("Balances are read through the OxaPay v1 API (general key)."),
        "{start}"
    );
    app.ask(ADMIN, ADMIN, &format!("/allow {CHAT}")).await;
    let user = app.ask(CHAT, CHAT, "/start").await;
    assert!(!user.text().contains("OxaPay v1"), "admins only: {user}");
}

/// Each v1 error is one short sentence for the user (never a zero, never the body's internals).
#[tokio::test]
async fn v1_errors_become_short_sentences_and_never_a_zero() {
    let app = v1_app(
        OxaReply::balances(&[("BTC", "5")]),
        Setup::default().no_cache().checking_every_second(),
    )
    .await;
    app.ask(ADMIN, ADMIN, &format!("/allow {CHAT}")).await;
    app.ask(CHAT, CHAT, "/alert BTC 1").await;
    app.wait_deliveries(2).await;

    // The key OxaPay expects is another one: the fake answers 401 as OxaPay does.
    app.oxa
        .require_general_key("oxapay-general-key-ROTATED-0078");
    let cases = [
        (
            None,
            "OxaPay refused the key (HTTP 401): the key is not a general API key or was revoked — check OXAPAY_GENERAL_API_KEY.",
        ),
        (
            Some(
                OxaReply::v1_error(429, "rate_limit_exceeded", "Too many requests")
                    .with_header("retry-after", "30"),
            ),
            "OxaPay is limiting requests — try again in 30 s.",
        ),
        (
            Some(OxaReply::v1_error(
                503,
                "maintenance",
                "The service is under maintenance",
            )),
            "OxaPay is down for maintenance (HTTP 503) — try again later.",
        ),
        (
            Some(
                OxaReply::v1_error(503, "maintenance", "The service is under maintenance")
                    .with_header("retry-after", "120"),
            ),
            "OxaPay is down for maintenance (HTTP 503) — try again in 120 s.",
        ),
        (
            Some(OxaReply::v1_error(
                400,
                "validation_error",
                "Invalid request",
            )),
            "OxaPay rejected the request as invalid (HTTP 400).",
        ),
        (
            Some(OxaReply::status(
                502,
                "<html><body>502 Bad Gateway</body></html>",
            )),
            "OxaPay is having trouble (HTTP 502) — try again shortly.",
        ),
        (
            Some(v1_body(r#"{"BTC":"lots"}"#)),
            "OxaPay sent an answer the bot could not read — try again shortly.",
        ),
    ];
    for (reply, expected) in cases {
        if let Some(reply) = reply {
            app.oxa.require_general_key(GENERAL);
            app.oxa.set(reply);
        }
        let r = app.ask(ADMIN, ADMIN, "/balance").await;
        assert_eq!(r.text(), expected);
    }
    // Checks reading those answers changed nothing: the level is still "ok", no alert went out.
    app.wait_deliveries(2).await;
    let r = app.ask(CHAT, CHAT, "/alerts").await;
    assert_eq!(r.lines()[1], "BTC below 1: ok", "{r}");
    assert_eq!(app.tg.broadcasts_to(CHAT), Vec::<String>::new());
    // And each failed read was logged with its reason: the status, the error's type and key,
    // and its message.
    let logged: Vec<String> = app
        .logs()
        .with_message("balance read failed for /balance")
        .iter()
        .filter_map(|e| e.field("error").map(str::to_owned))
        .collect();
    assert_eq!(
        logged,
        [
            "HTTP 401 (error invalid_api_key): Invalid API key",
            "HTTP 429 (error rate_limit_exceeded): Too many requests",
            "HTTP 503 (error maintenance): The service is under maintenance",
            "HTTP 503 (error maintenance): The service is under maintenance",
            "HTTP 400 (error validation_error): Invalid request",
            "HTTP 502 (): ",
            "unexpected answer: no readable amount in the answer ({\"BTC\": \"\\\"lots\\\" is not a number\"})",
        ]
    );
}

/// Both keys set: v1 is used, the payout key is not sent anywhere. With the payout key only, the
/// legacy endpoint is, as before; admins' `/start` says which.
#[tokio::test]
async fn with_both_keys_v1_is_used() {
    let both = TestApp::spawn(
        OxaReply::balances(&[("BTC", "1.5")]),
        Setup::default().env("OXAPAY_GENERAL_API_KEY", GENERAL),
    )
    .await;
    assert!(both.env.contains_key("OXAPAY_PAYOUT_API_KEY"));
    let r = both.ask(ADMIN, ADMIN, "/balance btc").await;
    assert_eq!(r.lines()[0], "BTC  1.5");
    assert_eq!(
        (
            both.oxa.calls_to(Endpoint::V1Balance),
            both.oxa.calls_to(Endpoint::LegacyBalance)
        ),
        (1, 0)
    );
    assert!(
        both.oxa
            .requests()
            .iter()
            .all(|q| q.path.starts_with("/v1/payout")
                || (!q.headers.iter().any(|(_, v)| v.contains(KEY)) && q.body.is_empty())),
        "the payout key travelled to a balance read"
    );
    let start = both.ask(ADMIN, ADMIN, "/start").await;
    assert!(
        start.has_line("Balances are read through the OxaPay v1 API (general key)."),
        "{start}"
    );
    let said = both
        .logs()
        .with_message("OxaPay balances are read through the OxaPay v1 API (general key)");
    assert_eq!(said[0].field("payout_key_unused"), Some("true"));
    drop(both);

    let legacy = TestApp::spawn(OxaReply::balances(&[("BTC", "1.5")]), Setup::default()).await;
    legacy.ask(ADMIN, ADMIN, "/balance btc").await;
    assert_eq!(
        (
            legacy.oxa.calls_to(Endpoint::V1Balance),
            legacy.oxa.calls_to(Endpoint::LegacyBalance)
        ),
        (0, 1)
    );
    let start = legacy.ask(ADMIN, ADMIN, "/start").await;
    assert!(
        start.has_line("Balances are read through the OxaPay legacy API (payout key)."),
        "{start}"
    );
}

/// The shipped binary with neither key (absent, or blank) exits 2 with one line naming both.
#[tokio::test]
async fn without_either_key_the_binary_exits_2_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let base: BTreeMap<String, String> = [
        ("TELOXIDE_TOKEN", TOKEN.to_owned()),
        ("ADMIN_IDS", ADMIN.to_string()),
        (
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("bot.db").display()),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let mut blank = base.clone();
    blank.insert("OXAPAY_GENERAL_API_KEY".into(), "".into());
    blank.insert("OXAPAY_PAYOUT_API_KEY".into(), "   ".into());
    for env in [base, blank] {
        let mut bot = BotProcess::bot(&env, dir.path());
        let (code, _) = bot.wait(Duration::from_secs(20)).await;
        let out = bot.output();
        assert_eq!(code, Some(2), "{out}");
        assert_eq!(
            out.trim().lines().collect::<Vec<_>>(),
            [
                "configuration error: OXAPAY_GENERAL_API_KEY or OXAPAY_PAYOUT_API_KEY: one is required: the general API key (read through OxaPay's v1 API) or the payout API key (legacy API), from the OxaPay merchant panel"
            ],
            "{env:?}"
        );
    }
    assert!(
        !dir.path().join("bot.db").exists(),
        "nothing was created before the configuration was checked"
    );
}

fn priced_account() -> OxaReply {
    OxaReply::balances(&[
        ("BTC", "0.0022866845"),
        ("USDT", "9779.0227"),
        ("TRX", "120"),
        ("SHIB", "1"),
        ("DOGE", "0.01"),
        ("LTC", "0"),
    ])
}

fn price_list() -> OxaReply {
    OxaReply::prices(&[
        ("BTC", "94876.55"),
        ("USDT", "1"),
        ("SHIB", "0.00002163"),
        ("DOGE", "0.3"),
        // A zero price is no price.
        ("TRX", "0"),
        ("ETH", "3301.45"),
    ])
}

#[tokio::test]
async fn balance_shows_values_largest_first_the_total_and_the_dust() {
    let app = TestApp::spawn(priced_account(), Setup::default()).await;
    app.oxa.set_prices(price_list());
    let r = app.ask(ADMIN, ADMIN, "/balance").await;
    let lines = r.lines();
    // The displayed values add up to $9,995.97; the total is summed exactly and rounded once.
    assert_eq!(
        lines[..6],
        [
            "OxaPay balances (wallets above zero, largest value first)",
            "USDT  9779.0227        $9,779.02",
            "BTC      0.0022866845    $216.95",
            "TRX    120              no price",
            "Total: $9,995.98 (1 wallet without a price left out)",
            "Dust: 2 wallets worth under $0.01 each, folded — /balance all shows them.",
        ],
        "{r}"
    );
    let (read, priced) = priced_stamp(&lines[6]).unwrap_or_else(|| panic!("{r}"));
    assert!(read <= Utc::now().naive_utc() && priced <= Utc::now().naive_utc());
    assert_eq!(lines.len(), 7, "{r}");
    assert!(r.html().contains("Total: <b>$9,995.98</b>"), "{}", r.html());

    // Every wallet above zero, dust included, by value; the same total; no dust line.
    let all = app.ask(ADMIN, ADMIN, "/balance all").await;
    assert_eq!(
        all.lines()[..7],
        [
            "OxaPay balances (wallets above zero, largest value first)",
            "USDT  9779.0227        $9,779.02",
            "BTC      0.0022866845    $216.95",
            "DOGE     0.01              $0.00",
            "SHIB     1                 $0.00",
            "TRX    120              no price",
            "Total: $9,995.98 (1 wallet without a price left out)",
        ],
        "{all}"
    );
    assert!(priced_stamp(&all.lines()[7]).is_some() && all.lines().len() == 8);

    // One wallet with its value and price; one without a price.
    let btc = app.ask(ADMIN, ADMIN, "/balance btc").await;
    assert_eq!(
        btc.lines()[..2],
        ["BTC  0.0022866845  $216.95", "1 BTC = 94,876.55 USD"],
        "{btc}"
    );
    assert!(priced_stamp(&btc.lines()[2]).is_some() && btc.lines().len() == 3);
    let trx = app.ask(ADMIN, ADMIN, "/balance trx").await;
    assert_eq!(
        trx.lines()[..2],
        ["TRX  120  no price", "OxaPay lists no USD price for TRX."],
        "{trx}"
    );
    // The shipped cache: one price read served all four replies (and one balance read).
    assert_eq!(app.oxa.calls_to(Endpoint::Prices), 1);
    assert_eq!(app.oxa.calls(), 1);
}

/// Whatever goes wrong with prices, `/balance` answers with the amounts and one line saying why
/// there are no values.
#[tokio::test]
async fn a_price_failure_leaves_balance_working_with_one_line_why() {
    let app = TestApp::spawn(
        OxaReply::balances(&[("USDT", "5"), ("BTC", "0.5")]),
        Setup::default().env("PRICE_CACHE_SECS", "0"),
    )
    .await;
    let cases = [
        (
            OxaReply::v1_error(503, "maintenance", "Prices are being updated"),
            "USD prices are unavailable right now (HTTP 503), so no values are shown.",
        ),
        (
            OxaReply::v1_error(429, "rate_limit_exceeded", "Too many requests")
                .with_header("retry-after", "60"),
            "USD prices are unavailable right now (OxaPay is limiting requests), so no values are shown.",
        ),
        (
            OxaReply::status(200, "<html>Just a moment...</html>"),
            "USD prices are unavailable right now (unreadable answer), so no values are shown.",
        ),
        (
            OxaReply::prices(&[("BTC", "0"), ("USDT", "-1")]),
            "USD prices are unavailable right now (unreadable answer), so no values are shown.",
        ),
        (
            OxaReply::Broken,
            "USD prices are unavailable right now (connection failed), so no values are shown.",
        ),
    ];
    for (reply, why) in cases {
        app.oxa.set_prices(reply);
        let r = app.ask(ADMIN, ADMIN, "/balance").await;
        let lines = r.lines();
        assert_eq!(
            lines[..4],
            [
                "OxaPay balances (wallets above zero)",
                "BTC   0.5",
                "USDT  5",
                why
            ],
            "{r}"
        );
        assert!(is_stamp(&lines[4]) && lines.len() == 5, "{r}");
        let one = app.ask(ADMIN, ADMIN, "/balance btc").await;
        assert_eq!(one.lines()[..2], ["BTC  0.5", why], "{one}");
    }
    // Prices back: values again.
    app.oxa
        .set_prices(OxaReply::prices(&[("BTC", "100"), ("USDT", "1")]));
    let r = app.ask(ADMIN, ADMIN, "/balance").await;
    assert_eq!(
        r.lines()[1..4],
        ["BTC   0.5  $50.00", "USDT  5     $5.00", "Total: $55.00"],
        "{r}"
    );
}

/// Ten chats ask at once while prices and balances are slow: one price read and one balance
/// read serve them all (single flight, then the cache). 142,314.825 shows as $142,314.83: dollars
/// round half away from zero.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_balance_from_many_chats_costs_one_price_read() {
    let admins: Vec<i64> = (5001..=5010).collect();
    let ids = admins
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let gate = Gate::new();
    let app = TestApp::spawn(
        OxaReply::held(&gate, OxaReply::balances(&[("BTC", "1.5")])),
        Setup::default()
            .env("ADMIN_IDS", ids)
            .env("PRICE_CACHE_SECS", "60"),
    )
    .await;
    app.oxa.set_prices(OxaReply::held(
        &gate,
        OxaReply::prices(&[("BTC", "94876.55")]),
    ));
    for a in &admins {
        app.tg.send_text(*a, *a, "/balance");
    }
    // The first reader's requests are in; the others wait for them (or find them cached).
    app.oxa.wait_calls(1).await;
    app.oxa.wait_calls_to(Endpoint::Prices, 1).await;
    gate.open();
    for a in &admins {
        let (_, reply) = app
            .tg
            .wait_message(*a, 0, "a /balance reply", |_| true)
            .await;
        let plain = reply.plain();
        let lines: Vec<&str> = plain.lines().collect();
        assert_eq!(
            lines[1..3],
            ["BTC  1.5  $142,314.83", "Total: $142,314.83"],
            "{plain}"
        );
    }
    assert_eq!(app.oxa.calls_to(Endpoint::Prices), 1);
    assert_eq!(app.oxa.calls(), 1);
}

/// `PRICE_CACHE_SECS=1`: once the window has passed, a failed price read means no values, never
/// the older prices. (The pause only lets the window expire: a slower machine makes it longer,
/// never too short.)
#[tokio::test]
async fn stale_prices_are_never_shown_as_current() {
    let app = TestApp::spawn(
        OxaReply::balances(&[("BTC", "0.5")]),
        Setup::default().no_cache().env("PRICE_CACHE_SECS", "1"),
    )
    .await;
    app.oxa.set_prices(OxaReply::prices(&[("BTC", "100")]));
    let r = app.ask(ADMIN, ADMIN, "/balance").await;
    assert_eq!(
        r.lines()[1..3],
        ["BTC  0.5  $50.00", "Total: $50.00"],
        "{r}"
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    app.oxa.set_prices(OxaReply::v1_error(
        503,
        "maintenance",
        "Prices are being updated",
    ));
    let r = app.ask(ADMIN, ADMIN, "/balance").await;
    let lines = r.lines();
    assert_eq!(
        lines[..3],
        [
            "OxaPay balances (wallets above zero)",
            "BTC  0.5",
            "USD prices are unavailable right now (HTTP 503), so no values are shown.",
        ],
        "{r}"
    );
    assert!(is_stamp(&lines[3]) && lines.len() == 4, "{r}");
    assert!(!r.text().contains('$'), "{r}");
}

// ----- the total alert -------------------------------------------------------------------------

/// BTC at $50,000 and USDT at $1: `btc(0.05)` is worth $2,600 in all, `btc(0.01)` $600.
fn btc(amount: &str) -> OxaReply {
    OxaReply::balances(&[("BTC", amount), ("USDT", "100")])
}

fn prices() -> OxaReply {
    OxaReply::prices(&[("BTC", "50000"), ("USDT", "1")])
}

/// Checking every second, every check reading balances and prices afresh, `CHAT` allowed.
async fn total_checking(reply: OxaReply) -> TestApp {
    let app = TestApp::spawn(
        reply,
        Setup::default()
            .checking_every_second()
            .no_cache()
            .env("PRICE_CACHE_SECS", "0"),
    )
    .await;
    app.oxa.set_prices(prices());
    app.ask(ADMIN, ADMIN, &format!("/allow {CHAT}")).await;
    app
}

/// This chat's level lines in `/alerts`.
async fn levels(app: &TestApp, chat: i64) -> Vec<String> {
    let r = app.ask(chat, chat, "/alerts").await;
    let lines = r.lines();
    assert_eq!(lines[0], "Alerts of this chat", "{r}");
    lines
        .iter()
        .skip(1)
        .take_while(|l| !l.starts_with("Last successful check") && !l.starts_with("No successful"))
        .cloned()
        .collect()
}

/// `Total value below $1,000.00: low since <time>`.
fn low_since(line: &str) -> Option<NaiveDateTime> {
    line.strip_prefix("Total value below $1,000.00: low since ")
        .and_then(parse_time)
}

const LOW: &str = "⚠️ Low balance: Total value $600.00 is below your alert level $1,000.00";
const RECOVERED: &str = "✅ Total value recovered: $2,600.00 (alert level $1,000.00)";

#[tokio::test]
async fn the_total_alert_is_told_once_below_and_once_recovered() {
    let app = total_checking(btc("0.05")).await;
    let r = app.ask(CHAT, CHAT, "/alert total 1000").await;
    assert_eq!(
        r.text(),
        "Alert set: this chat is told when Total value falls below $1,000.00 (the sum of every wallet's USD value; a check where a price is missing leaves it as it was). The next balance check tells you where it stands."
    );
    app.wait_deliveries(2).await;
    assert_eq!(
        levels(&app, CHAT).await,
        ["Total value below $1,000.00: ok"]
    );
    assert_eq!(app.tg.broadcasts_to(CHAT), Vec::<String>::new());

    app.oxa.set(btc("0.01"));
    assert_eq!(app.tg.wait_broadcasts(CHAT, 1).await, [LOW]);
    app.wait_deliveries(3).await;
    assert_eq!(app.tg.broadcasts_to(CHAT).len(), 1, "told once");
    let lines = levels(&app, CHAT).await;
    assert!(low_since(&lines[0]).is_some(), "{lines:?}");

    app.oxa.set(btc("0.05"));
    assert_eq!(app.tg.wait_broadcasts(CHAT, 2).await, [LOW, RECOVERED]);
    app.wait_deliveries(3).await;
    assert_eq!(app.tg.broadcasts_to(CHAT).len(), 2, "told once");
    assert_eq!(
        levels(&app, CHAT).await,
        ["Total value below $1,000.00: ok"]
    );

    let r = app.ask(CHAT, CHAT, "/alert total off").await;
    // The total is named as everywhere else, not by its internal key.
    assert_eq!(r.text(), "The alert for Total value was removed.");
}

/// A failed price read, or a wallet without a price, is not a total: the level keeps its state
/// and nobody is told anything, whichever way the balances move meanwhile.
#[tokio::test]
async fn a_price_outage_changes_nothing_for_the_total_alert() {
    let app = total_checking(btc("0.05")).await;
    app.ask(CHAT, CHAT, "/alert total 1000").await;
    app.wait_deliveries(2).await;
    assert_eq!(
        levels(&app, CHAT).await,
        ["Total value below $1,000.00: ok"]
    );

    // Balances fall while prices are down, then while BTC has no price: nothing.
    app.oxa.set_prices(OxaReply::v1_error(
        503,
        "maintenance",
        "Prices are being updated",
    ));
    app.oxa.set(btc("0.01"));
    app.wait_deliveries(3).await;
    app.oxa.set_prices(OxaReply::prices(&[("USDT", "1")]));
    app.wait_deliveries(3).await;
    assert_eq!(app.tg.broadcasts_to(CHAT), Vec::<String>::new());
    assert_eq!(
        levels(&app, CHAT).await,
        ["Total value below $1,000.00: ok"]
    );

    // Prices back: the fall is told.
    app.oxa.set_prices(prices());
    assert_eq!(app.tg.wait_broadcasts(CHAT, 1).await, [LOW]);
    let before = levels(&app, CHAT).await;
    assert!(low_since(&before[0]).is_some(), "{before:?}");

    // Balances recover while prices are down: still low, since the same time, nothing said.
    app.oxa
        .set_prices(OxaReply::status(502, "<html>Bad gateway</html>"));
    app.oxa.set(btc("0.05"));
    app.wait_deliveries(3).await;
    assert_eq!(levels(&app, CHAT).await, before);
    assert_eq!(app.tg.broadcasts_to(CHAT), [LOW]);
    // A price outage is not OxaPay being unreachable: the admins hear nothing.
    assert_eq!(app.tg.broadcasts_to(ADMIN), Vec::<String>::new());

    app.oxa.set_prices(prices());
    assert_eq!(app.tg.wait_broadcasts(CHAT, 2).await, [LOW, RECOVERED]);
}

#[tokio::test]
async fn a_restart_while_the_total_is_low_sends_no_duplicate() {
    let mut app = total_checking(btc("0.01")).await;
    app.ask(CHAT, CHAT, "/alert total 1000").await;
    assert_eq!(app.tg.wait_broadcasts(CHAT, 1).await, [LOW]);
    let before = levels(&app, CHAT).await;
    app.restart().await;
    app.wait_deliveries(2).await;
    assert_eq!(app.tg.broadcasts_to(CHAT), [LOW]);
    assert_eq!(levels(&app, CHAT).await, before);
    app.stop().await;
}

/// Three chats watching the total and one a coin: one balance read and one price read for the
/// check at start (the shipped 300 s interval allows no other), each chat told its own.
#[tokio::test]
async fn one_price_read_per_check_serves_every_chat() {
    let mut app = TestApp::prepare(btc("0.01"), Setup::default()).await;
    app.oxa.set_prices(prices());
    let store = app.store().await;
    let seeded = [
        (3001, Subject::TOTAL_KEY, "1000"),
        (3002, Subject::TOTAL_KEY, "500"),
        (3003, Subject::TOTAL_KEY, "700.5"),
        (3004, "BTC", "1"),
    ];
    for (chat, subject, level) in seeded {
        store
            .allow(ids::chat(chat), &ids::actor(ADMIN), ids::chat(ADMIN), 0)
            .await
            .unwrap();
        store
            .set_threshold(
                ids::chat(chat),
                &ids::subject(subject),
                Direction::Below,
                level.parse().unwrap(),
                &ids::actor(chat),
                0,
            )
            .await
            .unwrap();
    }
    store.close().await;
    app.start().await;
    app.deliveries_completed(1).await;
    assert_eq!(app.oxa.calls(), 1);
    assert_eq!(app.oxa.calls_to(Endpoint::Prices), 1);
    assert_eq!(app.tg.broadcasts_to(3001), [LOW]);
    assert_eq!(app.tg.broadcasts_to(3002), Vec::<String>::new());
    assert_eq!(
        app.tg.broadcasts_to(3003),
        ["⚠️ Low balance: Total value $600.00 is below your alert level $700.50"]
    );
    assert_eq!(
        app.tg.broadcasts_to(3004),
        ["⚠️ Low balance: BTC 0.01 is below your alert level 1"]
    );
    app.stop().await;
}

/// Prices are read for the checker only while a level watches the total: with coin levels alone
/// three checks read no price (the history's one snapshot read them once, and then not again:
/// the shipped 15-minute interval); with a total level every check reads them.
#[tokio::test]
async fn checks_read_prices_only_while_a_level_watches_the_total() {
    let app = total_checking(btc("0.05")).await;
    app.ask(CHAT, CHAT, "/alert BTC 1").await;
    app.ask(CHAT, CHAT, "/alert USDT above 1000").await;
    // The first read since the start goes to the history, with its prices.
    app.snapshots_recorded(1).await;
    let prices_before = app.oxa.calls_to(Endpoint::Prices);
    let balances_before = app.oxa.calls_to(Endpoint::LegacyBalance);
    app.wait_checks(3).await;
    assert!(app.oxa.calls_to(Endpoint::LegacyBalance) >= balances_before + 2);
    assert_eq!(
        app.oxa.calls_to(Endpoint::Prices),
        prices_before,
        "coin levels need no price"
    );
    assert_eq!(app.snapshots(), 1);

    app.ask(CHAT, CHAT, "/alert total 1000").await;
    let prices_before = app.oxa.calls_to(Endpoint::Prices);
    // Three checks, the last two begun after the level was set: each read prices.
    app.wait_checks(3).await;
    assert!(
        app.oxa.calls_to(Endpoint::Prices) >= prices_before + 2,
        "{} price reads in three checks",
        app.oxa.calls_to(Endpoint::Prices) - prices_before
    );
    app.ask(CHAT, CHAT, "/alert total off").await;
    app.wait_checks(2).await;
    let prices_before = app.oxa.calls_to(Endpoint::Prices);
    app.wait_checks(3).await;
    assert_eq!(app.oxa.calls_to(Endpoint::Prices), prices_before);
}
