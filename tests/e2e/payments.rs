//! The payment feed end to end: the real bot (in process, or the shipped binary where a crash or
//! `check` is the point) reads the fake OxaPay's payment history over HTTP with the merchant key,
//! keeps its ledger in a real SQLite file, and tells the chats through the fake Telegram — each
//! event once, whatever OxaPay or the machine does in between. Every wait is on an event: the
//! feed's poll count in the database, the delivery worker settling the outbox, a message or a
//! request reaching a fake, a log line.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};
use oxapay_bot::chart::{LINE_RGB, MARKER_RGB};
use oxapay_bot::store::{Feed as LedgerFeed, Store};
use teloxide::adaptors::throttle::Limits;

use crate::support::oxapay::Gate;
use crate::support::process::{BotProcess, python_sqlite, run_to_end};
use crate::support::telegram::{PATIENCE, Reply, Sent, TgFault};
use crate::support::{
    ADMIN, Endpoint, FakePayment, FakeTx, Feed, MERCHANT, OxaReply, Setup, TestApp, ids,
};

/// The group that hears payments (allowed by the admin in `feed_app`).
const FEED: i64 = -4004;
/// A member of `FEED` with no permission of their own.
const MEMBER: i64 = 7;
/// Someone nobody allowed.
const STRANGER: i64 = 2002;
/// A group nobody allowed.
const OTHER_GROUP: i64 = -3003;

const NEEDS_KEY: &str = "The payment feed is off: the bot's operator must set \
OXAPAY_MERCHANT_API_KEY (the merchant API key from OxaPay) and restart the bot.";
const FEED_OFF: &str = "🔕 This chat does not hear payments. /payments on turns it on \
(/payments on 100: only those worth $100 or more).";
const FEED_ON: &str = "🔔 This chat hears payments: paid, manual_accept, underpaid, refunded. \
/payments off stops it.";

const PRICES: &[(&str, &str)] = &[("USDT", "1"), ("BTC", "50000"), ("TRX", "0.25")];

fn account() -> OxaReply {
    OxaReply::balances(&[("USDT", "12.5")])
}

fn now() -> i64 {
    Utc::now().timestamp()
}

// ----- the bot with its feed ---------------------------------------------------------------------

/// The fakes and the bot's environment with the payment feed configured (not started): the fake
/// OxaPay takes only the bot's merchant key.
async fn prepare_feed(setup: Setup) -> TestApp {
    let app = TestApp::prepare(account(), setup.payment_feed()).await;
    app.oxa.require_history_key(Feed::Payments, MERCHANT);
    app
}

/// Starts the bot, waits for its first poll (the silent first reading of whatever the history
/// holds), allows `FEED` and turns its feed on as a member would.
async fn start_feed(app: &mut TestApp) {
    app.start().await;
    app.payment_polls_recorded(1).await;
    let r = app.ask(ADMIN, ADMIN, &format!("/allow {FEED}")).await;
    assert_eq!(r.text(), "Allowed group -4004: it can use the bot now.");
    let r = app.ask(FEED, MEMBER, "/payments on").await;
    assert_eq!(r.text(), FEED_ON);
}

/// A bot whose feed runs, with `FEED` hearing payments and nothing in the history yet.
async fn feed_app(setup: Setup) -> TestApp {
    let mut app = prepare_feed(setup).await;
    start_feed(&mut app).await;
    app
}

/// Sends `text` and returns everything the bot sent to `chat` up to the barrier after it: for
/// chats where nothing else arrives meanwhile (`TestApp::ask` leaves out messages that look like
/// the bot's own, and a `/tx` of a paid payment starts as a notice does).
async fn say(app: &TestApp, chat: i64, user: i64, text: &str) -> Reply {
    let seen = app.tg.sent_to(chat).len();
    app.tg.send_text(chat, user, text);
    let end = app.tg.barrier(chat).await;
    let reply = Reply {
        parts: app.tg.sent_to(chat)[seen..end].to_vec(),
    };
    assert!(!reply.parts.is_empty(), "no reply to {text:?} in {chat}");
    reply
}

/// Whether a message is a payment event the feed told (not a reply): its first line is
/// `<emoji> <b>Payment <status words></b>: …` or a static address's `💰 <b>Received</b> …`.
fn is_event(s: &Sent) -> bool {
    let first = s.text.lines().next().unwrap_or_default();
    first.starts_with("💰 <b>Received</b>")
        || first
            .split_once(" <b>Payment ")
            .is_some_and(|(_, rest)| !rest.starts_with("<code>") && rest.contains("</b>: "))
}

/// The payment events `chat` was told, in order.
fn events(app: &TestApp, chat: i64) -> Vec<Sent> {
    app.tg.sent_to(chat).into_iter().filter(is_event).collect()
}

/// Waits until `chat` has been told `n` payment events in all; returns them.
async fn wait_events(app: &TestApp, chat: i64, n: usize) -> Vec<Sent> {
    let mut after = 0;
    for _ in 0..n {
        let (i, _) = app
            .tg
            .wait_message(chat, after, "a payment event", is_event)
            .await;
        after = i + 1;
    }
    events(app, chat)
}

/// The track id an event names (`track <code>…</code>` on its second line).
fn track_of(s: &Sent) -> String {
    let plain = s.plain();
    let line = plain.lines().nth(1).unwrap_or_default();
    let (_, track) = line
        .rsplit_once("track ")
        .unwrap_or_else(|| panic!("no track id in {plain:?}"));
    track.to_owned()
}

fn tracks(sent: &[Sent]) -> Vec<String> {
    sent.iter().map(track_of).collect()
}

/// Proves nothing more is told: two more polls (the second began after this call) and their
/// deliveries, then `chat` holds exactly `told` events.
async fn nothing_more(app: &TestApp, chat: i64, told: &[String]) {
    app.wait_payment_deliveries(2).await;
    assert_eq!(tracks(&events(app, chat)), told);
}

/// A payment created now on OxaPay's clock.
fn fresh(track_id: &str, app: &TestApp) -> FakePayment {
    FakePayment::new(track_id, app.oxa.oxapay_now())
}

async fn open_store(app: &TestApp) -> Store {
    app.store().await
}

/// Rows of one SQL query, one line each, printed by python's sqlite3 beside the running bot.
async fn sql(app: &TestApp, query: &str) -> Vec<String> {
    let out = python_sqlite(
        &app.db_path(),
        &format!("for r in db.execute({query:?}).fetchall(): print('|'.join(str(v) for v in r))"),
    )
    .await;
    out.lines().map(str::to_owned).collect()
}

/// `2025-11-24 16:00:00 UTC` as Unix seconds.
fn parse_utc(text: &str) -> i64 {
    let t = text
        .strip_suffix(" UTC")
        .unwrap_or_else(|| panic!("not a UTC time: {text:?}"));
    NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S")
        .unwrap_or_else(|e| panic!("{text:?}: {e}"))
        .and_utc()
        .timestamp()
}

/// `Mon 24 Nov 2025 16:00 (UTC)`, as replies show a time in the chat's zone.
fn zoned(unix: i64) -> String {
    DateTime::<Utc>::from_timestamp(unix, 0)
        .unwrap()
        .format("%a %d %b %Y %H:%M (UTC)")
        .to_string()
}

// ----- the setting, the gate, no key ------------------------------------------------------------

/// Without a merchant key there is no feed: every payment command answers the one line that says
/// what to set, and OxaPay's payment list is never asked. A stranger still meets the gate first.
#[tokio::test]
async fn without_a_merchant_key_every_payment_command_answers_one_line() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    for command in [
        "/payments",
        "/payments on",
        "/payments on 100",
        "/payments events paid",
        "/payments off",
        "/tx 188225613",
        "/sales",
        "/sales 7d",
        "/history payments",
        "/history payments 7d",
    ] {
        let r = say(&app, ADMIN, ADMIN, command).await;
        assert_eq!(r.text(), NEEDS_KEY, "{command}");
    }
    let r = app.ask(STRANGER, STRANGER, "/payments").await;
    assert_eq!(
        r.text(),
        "You are not authorized to use this bot. Your user id is 2002 — ask an admin to /allow it."
    );
    assert_eq!(app.oxa.calls_to(Endpoint::Payments), 0);
    assert_eq!(app.oxa.calls_to(Endpoint::Payment), 0);
}

/// `/payments on|off|events`, as a member sees them, line for line; bad arguments say what is
/// accepted and change nothing. A stranger and a member of a group nobody allowed meet the gate;
/// switching off passes it (anyone in a chat may stop what it hears).
#[tokio::test]
async fn the_feed_setting_as_a_member_sees_it() {
    let app = feed_app(Setup::default()).await;
    let r = app.ask(FEED, MEMBER, "/payments on 50").await;
    assert_eq!(
        r.text(),
        "🔔 This chat hears payments: paid, manual_accept, underpaid, refunded; payments worth \
         $50.00 or more. /payments off stops it."
    );
    let r = app
        .ask(FEED, MEMBER, "/payments events Expired, PAID")
        .await;
    assert_eq!(r.text(), "This chat hears payments that are paid, expired.");
    let r = app.ask(FEED, MEMBER, "/payments").await;
    assert_eq!(
        r.lines(),
        [
            "🔔 This chat hears payments: paid, expired; payments worth $50.00 or more. \
             /payments off stops it.",
            "No payments recorded yet.",
        ]
    );
    // `on` again: the events stay, the minimum goes.
    let r = app.ask(FEED, MEMBER, "/payments on").await;
    assert_eq!(
        r.text(),
        "🔔 This chat hears payments: paid, expired. /payments off stops it."
    );
    let r = app.ask(FEED, MEMBER, "/payments off").await;
    assert_eq!(r.text(), FEED_OFF);
    let r = app.ask(FEED, MEMBER, "/payments events default").await;
    assert_eq!(
        r.text(),
        "This chat hears payments that are paid, manual_accept, underpaid, refunded. The feed \
         is off here: /payments on turns it on."
    );
    for (bad, problem) in [
        (
            "/payments on -5",
            "“-5” is not accepted: the amount must be above zero",
        ),
        (
            "/payments events paid,<b>shipped</b>",
            "“<b>shipped</b>” is not a status; the statuses are: new,waiting,paying,paid,\
             manual_accept,underpaid,refunding,refunded,expired (or all, or default)",
        ),
        ("/payments maybe", "“maybe” is not understood"),
    ] {
        let r = app.ask(FEED, MEMBER, bad).await;
        assert_eq!(
            r.text(),
            format!(
                "{problem} — use /payments to see this chat's setting and the last payments, \
                 /payments on (or /payments on 100: only payments worth $100 or more), \
                 /payments off, or /payments events paid,underpaid,expired (statuses: new, \
                 waiting, paying, paid, manual_accept, underpaid, refunding, refunded, expired; \
                 or all, or default)."
            ),
            "{bad}"
        );
    }
    let r = app.ask(FEED, MEMBER, "/payments").await;
    assert_eq!(r.lines(), [FEED_OFF, "No payments recorded yet."]);

    // The gate: a stranger, and a member of a group nobody allowed.
    let r = app.ask(STRANGER, STRANGER, "/payments on").await;
    assert_eq!(
        r.text(),
        "You are not authorized to use this bot. Your user id is 2002 — ask an admin to /allow it."
    );
    let r = app.ask(OTHER_GROUP, MEMBER, "/payments on").await;
    assert_eq!(
        r.text(),
        "You are not authorized to use this bot. Your user id is 7 (this chat: -3003) — ask an \
         admin to /allow it."
    );
    // Switching off passes the gate: a stranger in a group turns off what it hears.
    let r = app.ask(OTHER_GROUP, STRANGER, "/payments off").await;
    assert_eq!(r.text(), FEED_OFF);
    // And in a chat that hears payments, any member stops it.
    app.ask(FEED, MEMBER, "/payments on").await;
    let r = app.ask(FEED, STRANGER, "/payments off").await;
    assert_eq!(r.text(), FEED_OFF);
    assert_eq!(app.oxa.calls_to(Endpoint::Payment), 0);
}

// ----- first start, told once, restarts ----------------------------------------------------------

/// The first start with a merchant key stores the last `PAYMENT_BACKFILL_DAYS` silently (older
/// payments are not read), though the chat heard payments from the start; `/payments` lists
/// them. A payment created afterwards is told once; one still open at the first reading is told
/// when it is paid. A restart reads on from the stored cursor and tells nothing again.
#[tokio::test]
async fn the_first_start_stores_the_backfill_silently_and_then_tells_each_payment_once() {
    let mut app = prepare_feed(Setup::default().env("PAYMENT_BACKFILL_DAYS", "10")).await;
    let t = app.oxa.oxapay_now();
    app.oxa
        .add_payment(FakePayment::new("old-11d", t - 11 * 86_400));
    for (i, days) in [9, 5, 1].iter().enumerate() {
        app.oxa
            .add_payment(FakePayment::new(&format!("back-{i}"), t - days * 86_400));
    }
    app.oxa
        .add_payment(FakePayment::new("back-open", t - 3600).status("waiting"));
    // The first listing waits at OxaPay until the chat's feed is on: the chat hears payments
    // from before the first reading is stored.
    let gate = Gate::new();
    app.oxa.fail_list_page(
        Feed::Payments,
        1,
        OxaReply::held(&gate, OxaReply::status(502, "<html>bad gateway</html>")),
    );
    app.start().await;
    app.oxa.wait_calls_to(Endpoint::Payments, 1).await;
    app.ask(ADMIN, ADMIN, &format!("/allow {FEED}")).await;
    assert_eq!(app.ask(FEED, MEMBER, "/payments on").await.text(), FEED_ON);
    assert_eq!(app.payment_polls().await, 0, "the first reading is held");
    gate.open();
    app.payment_polls_recorded(1).await;
    app.outbox_settled().await;
    // One listing from 10 days back (and the cursor's overlap), oldest first, 200 a page; the
    // 502 was tried again.
    let queries = app.oxa.list_queries(Feed::Payments);
    assert_eq!(queries.len(), 2, "{queries:?}");
    let q = &queries[1];
    let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let from: i64 = get("from_date").unwrap().parse().unwrap();
    assert!(
        (t - 10 * 86_400 - 300 - 5..=now() - 10 * 86_400 - 300).contains(&from),
        "{q:?}"
    );
    assert_eq!(
        (get("sort_by"), get("sort_type"), get("size"), get("page")),
        (Some("create_date"), Some("asc"), Some("200"), Some("1"))
    );

    let r = app.ask(FEED, MEMBER, "/payments").await;
    let lines = r.lines();
    assert_eq!(lines[..2], [FEED_ON, "Last 4 payments"], "{r}");
    assert_eq!(
        lines[2..],
        [
            format!(
                "🕒 waiting for payment · 10 USDT · back-open · order ORD-back-open · {}",
                zoned(t - 3600)
            ),
            format!(
                "✅ paid · 10 USDT · back-2 · order ORD-back-2 · {}",
                zoned(t - 86_400)
            ),
            format!(
                "✅ paid · 10 USDT · back-1 · order ORD-back-1 · {}",
                zoned(t - 5 * 86_400)
            ),
            format!(
                "✅ paid · 10 USDT · back-0 · order ORD-back-0 · {}",
                zoned(t - 9 * 86_400)
            ),
        ]
    );
    assert_eq!(
        events(&app, FEED).len(),
        0,
        "the first reading tells nothing"
    );

    // Live from now on: a new payment, and the open one paid.
    app.oxa.add_payment(fresh("live-1", &app));
    app.oxa.set_payment_status("back-open", "paid");
    let told = wait_events(&app, FEED, 2).await;
    // In the order of their creation.
    assert_eq!(tracks(&told), ["back-open", "live-1"]);
    nothing_more(&app, FEED, &tracks(&told)).await;

    // A restart reads on from the stored cursor (the newest creation less the overlap), not
    // from 10 days back, and tells nothing again.
    let listings = app.oxa.list_queries(Feed::Payments).len();
    app.restart().await;
    nothing_more(&app, FEED, &tracks(&told)).await;
    let after: Vec<i64> = app.oxa.list_queries(Feed::Payments)[listings..]
        .iter()
        .filter(|q| !q.iter().any(|(k, _)| k == "status"))
        .map(|q| {
            q.iter()
                .find(|(k, _)| k == "from_date")
                .unwrap()
                .1
                .parse()
                .unwrap()
        })
        .collect();
    assert!(!after.is_empty());
    for from in after {
        assert!(from >= t - 300 - 5, "read from {from}, before the cursor");
    }
    // The 11-day-old payment was never read: `/tx` asks OxaPay for it.
    let r = say(&app, ADMIN, ADMIN, "/tx old-11d").await;
    assert!(
        r.text()
            .ends_with("Read from OxaPay now; not in the bot's ledger (older than its history)."),
        "{r}"
    );
}

// ----- what a message says -----------------------------------------------------------------------

/// The `(at the price of …)` time of an event's first line, checked to lie in `[from, to]`;
/// returns the line with that time replaced by `T`.
fn price_time(line: &str, from: i64, to: i64) -> String {
    let (head, rest) = line
        .split_once("(at the price of ")
        .unwrap_or_else(|| panic!("no price time in {line:?}"));
    let (at, tail) = rest.split_once(')').unwrap();
    let at_unix = parse_utc(at);
    assert!(
        (from..=to).contains(&at_unix),
        "price time {at} outside the poll"
    );
    format!("{head}(at the price of T){tail}")
}

/// An event says the status in words with its emoji, the amount exactly, its USD value labelled
/// with the time of the price, the order id, the track id, the network and the tx hash linked to
/// the network's explorer (plain for a network the bot does not know). Email and description are
/// personal data: never in the feed, shown by `/tx`. A payment first seen already settled is
/// told once, as its final status.
#[tokio::test]
async fn an_event_says_status_amount_value_order_track_network_and_links_the_tx() {
    let mut app = prepare_feed(Setup::default()).await;
    app.oxa.set_prices(OxaReply::prices(PRICES));
    start_feed(&mut app).await;
    app.ask(FEED, MEMBER, "/payments events default,expired")
        .await;
    let t = app.oxa.oxapay_now();
    let hash = "7f3a9c2e11b04d5e8a6f0c3b2d1e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e";
    let mut tron = FakePayment::new("190001", t)
        .amount("125.5")
        .tx(FakeTx::new(hash, "125.5", t));
    tron.email = "alice@example.com".into();
    tron.description = "Order for Alice, 12 Secret Lane".into();
    app.oxa.add_payment(tron);
    let mut zcash_tx = FakeTx::new("zc0ffee", "0.002", t);
    zcash_tx.currency = "BTC".into();
    zcash_tx.network = "Zcash Network".into();
    let mut zcash = FakePayment::new("190002", t + 1)
        .amount("0.002")
        .status("underpaid")
        .tx(zcash_tx);
    zcash.currency = "BTC".into();
    app.oxa.add_payment(zcash);
    // First seen already expired (never seen new or waiting): told once, as expired.
    app.oxa
        .add_payment(FakePayment::new("190003", t + 2).status("expired"));
    let before = now();
    let told = wait_events(&app, FEED, 3).await;
    let after = now();
    let plain: Vec<Vec<String>> = told
        .iter()
        .map(|s| s.plain().lines().map(str::to_owned).collect())
        .collect();
    let first = price_time(&plain[0][0], before - 5, after);
    assert_eq!(
        first,
        "✅ Payment paid: 125.5 USDT ≈ $125.50 (at the price of T)"
    );
    assert_eq!(
        plain[0][1..],
        [
            "order ORD-190001 · track 190001",
            "Tron Network · tx 7f3a9c2e…4c3d2e"
        ]
    );
    assert!(
        told[0].text.contains(&format!(
            "tx <a href=\"https://tronscan.org/#/transaction/{hash}\">7f3a9c2e…4c3d2e</a>"
        )),
        "{}",
        told[0].text
    );
    let second = price_time(&plain[1][0], before - 5, after);
    assert_eq!(
        second,
        "⚠️ Payment underpaid: 0.002 BTC ≈ $100.00 (at the price of T)"
    );
    assert_eq!(
        plain[1][1..],
        [
            "order ORD-190002 · track 190002",
            "Zcash Network · tx zc0ffee"
        ]
    );
    assert!(
        told[1].text.contains("tx <code>zc0ffee</code>") && !told[1].text.contains("<a "),
        "an unknown network gets no link: {}",
        told[1].text
    );
    let third = price_time(&plain[2][0], before - 5, after);
    assert_eq!(
        third,
        "⌛ Payment expired: 10 USDT ≈ $10.00 (at the price of T)"
    );
    assert_eq!(plain[2][1..], ["order ORD-190003 · track 190003"]);
    for s in &told {
        for private in [
            "alice@example.com",
            "Secret Lane",
            "buyer@example.com",
            "An order",
        ] {
            assert!(
                !s.text.contains(private),
                "{private} in the feed: {}",
                s.text
            );
        }
    }
    nothing_more(&app, FEED, &tracks(&told)).await;

    // `/tx` shows the whole record: email and description included.
    let r = say(&app, ADMIN, ADMIN, "/tx 190001").await;
    let lines = r.lines();
    assert!(
        lines[0].starts_with("✅ Payment 190001: paid since "),
        "{r}"
    );
    assert!(
        lines[1].starts_with("Amount: 125.5 USDT ≈ $125.50 (at the price of "),
        "{r}"
    );
    assert_eq!(
        lines[2..6],
        [
            "Type: invoice",
            "Order: ORD-190001",
            "Email: alice@example.com",
            "Description: Order for Alice, 12 Secret Lane",
        ],
        "{r}"
    );
    assert_eq!(lines[6], format!("Created: {}", zoned(t)));
    assert_eq!(lines[7], format!("Expires: {}", zoned(t + 3600)));
    assert_eq!(
        lines[8..],
        [
            format!(
                "• 125.5 USDT on Tron Network, 20 confirmations, {}",
                zoned(t)
            ),
            format!("  tx {hash}"),
            "  to TAddr".to_owned(),
        ],
        "{r}"
    );
    assert!(
        r.html().contains(&format!(
            "<a href=\"https://tronscan.org/#/transaction/{hash}\">{hash}</a>"
        )),
        "{}",
        r.html()
    );
}

/// A static address is one track id that receives transfer after transfer: each new tx is told
/// once, with its own amount and hash; reading it again tells nothing.
#[tokio::test]
async fn a_static_address_tells_each_new_transfer_once() {
    let app = feed_app(Setup::default()).await;
    let t = app.oxa.oxapay_now();
    app.oxa.add_payment(
        FakePayment::new("static-1", t)
            .kind("static_address")
            .amount("0")
            .tx(FakeTx::new("aaa111", "5", t)),
    );
    let told = wait_events(&app, FEED, 1).await;
    assert_eq!(
        told[0].plain().lines().collect::<Vec<_>>(),
        [
            "💰 Received on a static address: 5 USDT (payment paid)",
            "order ORD-static-1 · track static-1",
            "Tron Network · tx aaa111",
        ]
    );
    app.oxa
        .add_payment_tx("static-1", FakeTx::new("bbb222", "7.25", t + 60));
    app.oxa
        .add_payment_tx("static-1", FakeTx::new("ccc333", "1.5", t + 120));
    let told = wait_events(&app, FEED, 3).await;
    let firsts: Vec<String> = told
        .iter()
        .map(|s| s.plain().lines().next().unwrap().to_owned())
        .collect();
    assert_eq!(
        firsts,
        [
            "💰 Received on a static address: 5 USDT (payment paid)",
            "💰 Received on a static address: 7.25 USDT (payment paid)",
            "💰 Received on a static address: 1.5 USDT (payment paid)",
        ]
    );
    assert!(
        told[2]
            .text
            .contains("tx <a href=\"https://tronscan.org/#/transaction/ccc333\">")
    );
    nothing_more(&app, FEED, &tracks(&told)).await;
    let rows = sql(
        &app,
        "SELECT what, held FROM payment_told WHERE track_id = 'static-1' ORDER BY what",
    )
    .await;
    assert_eq!(rows, ["tx:aaa111|0", "tx:bbb222|0", "tx:ccc333|0"]);
}

/// `MIN_USD` leaves out payments worth less (a payment without a USD value is told: a missed
/// payment costs more than a message); the event list picks the statuses a chat hears.
#[tokio::test]
async fn min_usd_and_the_event_list_pick_what_a_chat_hears() {
    let mut app = prepare_feed(Setup::default()).await;
    app.oxa.set_prices(OxaReply::prices(&[("USDT", "1")]));
    start_feed(&mut app).await;
    app.ask(FEED, MEMBER, "/payments on 50").await;
    let t = app.oxa.oxapay_now();
    app.oxa
        .add_payment(FakePayment::new("small", t).amount("49.99"));
    app.oxa
        .add_payment(FakePayment::new("exact", t + 1).amount("50"));
    // No price for DOGE: its value is unknown, so it is told.
    let mut doge = FakePayment::new("unpriced", t + 2).amount("3");
    doge.currency = "DOGE".into();
    app.oxa.add_payment(doge);
    app.oxa.add_payment(
        FakePayment::new("waiting", t + 3)
            .amount("500")
            .status("waiting"),
    );
    app.oxa.add_payment(
        FakePayment::new("expired", t + 4)
            .amount("500")
            .status("expired"),
    );
    let told = wait_events(&app, FEED, 2).await;
    assert_eq!(tracks(&told), ["exact", "unpriced"]);
    assert_eq!(
        told[1].plain().lines().next().unwrap(),
        "✅ Payment paid: 3 DOGE",
        "no value, no label"
    );
    nothing_more(&app, FEED, &tracks(&told)).await;

    // Now only expired ones, of any value.
    app.ask(FEED, MEMBER, "/payments on").await;
    app.ask(FEED, MEMBER, "/payments events expired").await;
    app.oxa
        .add_payment(FakePayment::new("paid-later", t + 5).amount("900"));
    app.oxa.add_payment(
        FakePayment::new("expired-later", t + 6)
            .amount("1")
            .status("expired"),
    );
    app.oxa.set_payment_status("waiting", "expired");
    let told = wait_events(&app, FEED, 4).await;
    assert_eq!(
        tracks(&told),
        ["exact", "unpriced", "waiting", "expired-later"]
    );
    nothing_more(&app, FEED, &tracks(&told)).await;
}

/// Payments are told only in chats an admin allowed (or an admin's own): a user the admin allowed
/// who writes in a group nobody allowed is not told that the group hears payments it never will.
#[tokio::test]
async fn an_allowed_user_cannot_turn_the_feed_on_in_a_group_nobody_allowed() {
    const USER: i64 = 2010;
    let app = feed_app(Setup::default()).await;
    app.ask(ADMIN, ADMIN, &format!("/allow {USER}")).await;
    let r = app.ask(OTHER_GROUP, USER, "/payments on").await;
    assert_eq!(
        r.text(),
        "Payments are told only in chats an admin allowed: ask an admin to /allow -3003 first."
    );
    let r = app.ask(OTHER_GROUP, USER, "/payments").await;
    assert_eq!(r.lines()[0], FEED_OFF);
    // In their own chat (allowed with them) they can; so can an admin in theirs.
    assert_eq!(app.ask(USER, USER, "/payments on").await.text(), FEED_ON);
    assert_eq!(app.ask(ADMIN, ADMIN, "/payments on").await.text(), FEED_ON);
    app.oxa.add_payment(fresh("p1", &app));
    for chat in [FEED, USER, ADMIN] {
        assert_eq!(tracks(&wait_events(&app, chat, 1).await), ["p1"], "{chat}");
    }
    nothing_more(&app, OTHER_GROUP, &[]).await;
}
