//! The payment feed end to end: the real bot (in process, or the shipped binary where a crash or
//! `check` is the point) reads the fake OxaPay's payment history over HTTP with the merchant key,
//! keeps its ledger in a real SQLite file, and tells the chats through the fake Telegram — each
//! event once, whatever OxaPay or the machine does in between. Every wait is on an event: the
//! feed's poll count in the database, the delivery worker settling the outbox, a message or a
//! request reaching a fake, a log line.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};
use oxapay_bot::chart::LINE_RGB;
use oxapay_bot::store::{Feed as LedgerFeed, Store};
use teloxide::adaptors::throttle::Limits;

use crate::support::oxapay::Gate;
use crate::support::process::{BotProcess, python_sqlite, run_to_end};
use crate::support::telegram::{Reply, Sent, TgFault};
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
    assert_eq!(lines[..2], [FEED_ON, "The last 4 payments"], "{r}");
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

// ----- hostile and unlucky paths -----------------------------------------------------------------

/// The listings of the payment feed's new payments (not the re-reads by status) from request
/// `from` on: each as (page, from_date).
fn new_listings(app: &TestApp, from: usize) -> Vec<(u32, i64)> {
    app.oxa.list_queries(Feed::Payments)[from..]
        .iter()
        .filter(|q| !q.iter().any(|(k, _)| k == "status"))
        .map(|q| {
            let get = |name: &str| {
                q.iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.parse::<i64>().unwrap())
                    .unwrap()
            };
            (get("page") as u32, get("from_date"))
        })
        .collect()
}

/// Listing requests with `page` so far.
fn page_requests(app: &TestApp, page: u32) -> usize {
    new_listings(app, 0)
        .iter()
        .filter(|(p, _)| *p == page)
        .count()
}

/// `n` payments one second apart ending `n` seconds ago on OxaPay's clock: `{prefix}000`, …;
/// those `told` picks are paid, the others expired (which the default event list does not
/// hear: they fill pages without making a chat wait for hundreds of messages). Returns the paid
/// ones' ids.
fn add_batch(app: &TestApp, prefix: &str, n: usize, told: impl Fn(usize) -> bool) -> Vec<String> {
    let t = app.oxa.oxapay_now() - n as i64;
    let mut paid = Vec::new();
    for i in 0..n {
        let id = format!("{prefix}{i:03}");
        let status = if told(i) { "paid" } else { "expired" };
        app.oxa
            .add_payment(FakePayment::new(&id, t + i as i64).status(status));
        if told(i) {
            paid.push(id);
        }
    }
    paid
}

/// A page that fails in the middle of a listing: what was read before it is told, the cursor
/// goes no further than that, and the next poll tells the rest — each payment once, in order.
#[tokio::test]
async fn a_page_failing_mid_listing_is_read_again_next_poll_and_nothing_is_told_twice() {
    let app = feed_app(Setup::default().wide_telegram_limits()).await;
    // Page 2 fails, and fails again when the client tries it once more.
    for _ in 0..2 {
        app.oxa
            .fail_list_page(Feed::Payments, 2, OxaReply::status(502, "bad gateway"));
    }
    let ids = add_batch(&app, "m", 250, |i| i % 20 == 0 || i == 199 || i == 249);
    let on_page_1 = ids.iter().filter(|id| id.as_str() < "m200").count();
    let t_last_on_page_1 = app.oxa.oxapay_now() - 250 + 199;
    let next_request = || {
        app.oxa
            .wait_calls_to(Endpoint::Payments, app.oxa.calls_to(Endpoint::Payments) + 1)
    };
    while page_requests(&app, 2) < 2 {
        next_request().await;
    }
    // The failed poll is under way; the next one is held at its first page until the test has
    // looked at what the failed one left.
    let gate = Gate::new();
    app.oxa.fail_list_page(
        Feed::Payments,
        1,
        OxaReply::held(&gate, OxaReply::status(502, "bad gateway")),
    );
    let held_at = page_requests(&app, 1) + 1;
    while page_requests(&app, 1) < held_at {
        next_request().await;
    }
    app.outbox_settled().await;
    assert_eq!(tracks(&events(&app, FEED)), ids[..on_page_1], "page 1 told");
    let store = open_store(&app).await;
    let state = store.feed_state(LedgerFeed::Payments).await.unwrap();
    store.close().await;
    assert_eq!(state.health.failures, 1);
    assert!(
        state.cursor.unwrap() <= t_last_on_page_1 + 2,
        "the cursor passed the unread page: {state:?}"
    );
    gate.open();
    let told = wait_events(&app, FEED, ids.len()).await;
    assert_eq!(tracks(&told), ids, "each once, in order");
    nothing_more(&app, FEED, &ids).await;
}

/// The listing shifts while it is paged (page 2 starts five records early): those five are
/// listed twice, told once; nothing is lost.
#[tokio::test]
async fn the_same_payment_on_two_pages_is_told_once() {
    let app = feed_app(Setup::default().wide_telegram_limits()).await;
    app.oxa.shift_after_page(Feed::Payments, 1, 5);
    // The five listed twice are told, and some on each page.
    let ids = add_batch(&app, "s", 250, |i| {
        (195..200).contains(&i) || i % 100 == 0 || i == 249
    });
    let told = wait_events(&app, FEED, ids.len()).await;
    assert_eq!(tracks(&told), ids);
    nothing_more(&app, FEED, &ids).await;
    let told_rows = sql(
        &app,
        "SELECT COUNT(*), COUNT(DISTINCT track_id) FROM payment_told",
    )
    .await;
    assert_eq!(told_rows, ["9|9"]);
    assert!(page_requests(&app, 2) >= 1, "the listing had a second page");
    assert_eq!(sql(&app, "SELECT COUNT(*) FROM payments").await, ["250"]);
}

/// `"Paid"` capitalised is paid. A status going backwards (paid → paying) or one the vendor's
/// table does not have is stored and logged once, never told; the payment is told when it
/// reaches a status it was not told before, and not again for one it was.
#[tokio::test]
async fn a_status_backwards_or_unknown_is_stored_logged_once_and_not_told() {
    let app = feed_app(Setup::default()).await;
    let t = app.oxa.oxapay_now();
    app.oxa
        .add_payment(FakePayment::new("cap", t).status("Paid"));
    app.oxa
        .add_payment(FakePayment::new("odd", t + 1).status("confirming"));
    let told = wait_events(&app, FEED, 1).await;
    assert_eq!(tracks(&told), ["cap"]);
    assert_eq!(
        told[0].plain().lines().next().unwrap(),
        "✅ Payment paid: 10 USDT"
    );
    app.oxa.set_payment_status("cap", "paying");
    nothing_more(&app, FEED, &["cap".to_owned()]).await;
    nothing_more(&app, FEED, &["cap".to_owned()]).await;
    let anomalies = |id: &str| {
        app.logs()
            .with_message("payment status stored but not told")
            .into_iter()
            .filter(|e| e.field("track_id") == Some(id))
            .map(|e| e.field("anomaly").unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(anomalies("odd"), ["UnknownStatus(\"confirming\")"]);
    assert_eq!(anomalies("cap"), ["Backwards { from: Paid, to: Paying }"]);
    let r = say(&app, ADMIN, ADMIN, "/tx odd").await;
    assert!(
        r.lines()[0].starts_with("❔ Payment odd: confirming since "),
        "{r}"
    );
    let r = say(&app, ADMIN, ADMIN, "/tx cap").await;
    assert!(
        r.lines()[0].starts_with("⏳ Payment cap: being paid since "),
        "{r}"
    );
    assert!(r.lines().last().unwrap().starts_with("Seen: paid "), "{r}");

    // Back to paid (told before): nothing. The odd one paid: told.
    app.oxa.set_payment_status("cap", "PAID");
    app.oxa.set_payment_status("odd", "paid");
    let told = wait_events(&app, FEED, 2).await;
    assert_eq!(tracks(&told), ["cap", "odd"]);
    nothing_more(&app, FEED, &tracks(&told)).await;
    assert_eq!(anomalies("odd").len(), 1);
    assert_eq!(anomalies("cap").len(), 1);
    let changes = sql(
        &app,
        "SELECT track_id, from_status, to_status, anomaly FROM payment_status_changes \
         ORDER BY id",
    )
    .await;
    assert_eq!(
        changes,
        [
            "cap|None|paid|None",
            "odd|None|confirming|unknown",
            "cap|paid|paying|backwards",
            "cap|paying|paid|None",
            "odd|confirming|paid|None",
        ]
    );
}

/// 10,000 payments at the first start: read in pages of 200 in one poll, stored, not one
/// message; `/payments` lists the newest; a payment after them is told.
#[tokio::test]
async fn ten_thousand_payments_at_the_first_start_are_stored_in_pages_without_a_message() {
    let mut app = prepare_feed(Setup::default()).await;
    let t = app.oxa.oxapay_now();
    for i in 0..10_000i64 {
        app.oxa.add_payment(FakePayment::new(
            &format!("h{i:05}"),
            t - 29 * 86_400 + i * 250,
        ));
    }
    let started = std::time::Instant::now();
    start_feed(&mut app).await;
    let took = started.elapsed();
    eprintln!("first reading of 10,000 payments (the bot started and turned on): {took:?}");
    let listings = new_listings(&app, 0);
    let pages: Vec<u32> = listings.iter().map(|(p, _)| *p).collect();
    assert_eq!(pages, (1..=50).collect::<Vec<u32>>(), "one poll, 50 pages");
    assert!(listings.iter().all(|(_, from)| *from == listings[0].1));
    assert_eq!(sql(&app, "SELECT COUNT(*) FROM payments").await, ["10000"]);
    let r = app.ask(FEED, MEMBER, "/payments").await;
    let lines = r.lines();
    assert_eq!(lines[1], "The last 10 payments");
    assert!(lines[2].contains(" · h09999 · "), "{r}");
    assert!(lines[11].contains(" · h09990 · "), "{r}");
    assert_eq!(events(&app, FEED).len(), 0);
    app.oxa.add_payment(fresh("after", &app));
    let told = wait_events(&app, FEED, 1).await;
    assert_eq!(tracks(&told), ["after"]);
    nothing_more(&app, FEED, &["after".to_owned()]).await;
    assert_eq!(
        app.tg.sent_to(FEED).iter().filter(|s| is_event(s)).count(),
        1
    );
}

/// 500 new payments in one poll: all told, in the order they were created, paced by the
/// delivery worker at Telegram's limit (here 100 a second in one chat), nothing lost.
#[tokio::test]
async fn a_burst_of_500_payments_is_told_in_order_paced_and_complete() {
    let limits = Limits {
        messages_per_sec_chat: 100,
        messages_per_min_chat: 60_000,
        messages_per_min_channel_or_supergroup: 60_000,
        messages_per_sec_overall: 10_000,
    };
    let app = feed_app(Setup::default().telegram_limits(limits)).await;
    let ids = add_batch(&app, "b", 500, |_| true);
    let told = wait_events(&app, FEED, 500).await;
    assert_eq!(tracks(&told), ids);
    let spread = told[499].at - told[0].at;
    eprintln!("500 payment messages to one chat at 100/s: {spread:?} first to last");
    assert!(
        spread >= Duration::from_millis(3_500),
        "500 messages at 100 a second arrived within {spread:?}"
    );
    nothing_more(&app, FEED, &ids).await;
    assert_eq!(
        sql(&app, "SELECT COUNT(*) FROM payment_told WHERE held = 0").await,
        ["500"]
    );
}

/// OxaPay refuses the merchant key (401) while the balance key works: balances still answer,
/// the admins hear once — after `ALERT_FAILURES_BEFORE_NOTICE` failed polls, in a sentence that
/// names `OXAPAY_MERCHANT_API_KEY` — and once more when the list can be read again; the payment
/// made meanwhile is told then.
#[tokio::test]
async fn a_refused_merchant_key_is_told_to_the_admins_once_while_balances_work() {
    let mut app = prepare_feed(Setup::default().env("ALERT_FAILURES_BEFORE_NOTICE", "2")).await;
    app.oxa
        .require_history_key(Feed::Payments, "another-merchant-key-0000");
    start_feed(&mut app).await;
    let notices = |app: &TestApp| -> Vec<String> {
        app.tg
            .sent_to(ADMIN)
            .iter()
            .filter(|s| s.text.contains("OxaPay's payment list"))
            .map(Sent::plain)
            .collect()
    };
    // The notice comes with the second failure (it says so), not the first.
    app.wait_payment_deliveries(1).await;
    let told = notices(&app);
    assert_eq!(told.len(), 1, "{told:?}");
    let lines: Vec<&str> = told[0].lines().collect();
    let rest = lines[0]
        .strip_prefix("⚠️ OxaPay's payment list cannot be read since ")
        .unwrap_or_else(|| panic!("{told:?}"));
    let (since, rest) = rest.split_once(" (").unwrap();
    parse_utc(since);
    assert_eq!(
        rest,
        "2 polls failed): OxaPay refused the merchant API key (HTTP 401): it is not a merchant \
         API key or was revoked — check OXAPAY_MERCHANT_API_KEY."
    );
    assert_eq!(
        lines[1],
        "Payments are told once it can be read again; none is lost."
    );
    assert!(!told[0].contains(MERCHANT));
    // A third failure: no second notice. Balances answer throughout.
    app.wait_payment_deliveries(1).await;
    assert_eq!(notices(&app).len(), 1);
    let r = app.ask(FEED, MEMBER, "/balance").await;
    assert_eq!(r.lines()[1], "USDT  12.5", "{r}");

    // The key is accepted again; the payment made meanwhile is told, and the admins hear.
    app.oxa.add_payment(fresh("meanwhile", &app));
    app.oxa.require_history_key(Feed::Payments, MERCHANT);
    let told = wait_events(&app, FEED, 1).await;
    assert_eq!(tracks(&told), ["meanwhile"]);
    app.outbox_settled().await;
    let all = notices(&app);
    assert_eq!(all.len(), 2, "{all:?}");
    assert!(
        all[1].starts_with("✅ OxaPay's payment list can be read again (it failed from "),
        "{all:?}"
    );
    nothing_more(&app, FEED, &["meanwhile".to_owned()]).await;
    assert_eq!(notices(&app).len(), 2);
}

/// A listing without `meta` goes on while pages come back full and ends at the first short one;
/// one that claims an absurd `last_page` ends at the first empty page. Either way each poll
/// reads a bounded number of pages and every payment is told once.
#[tokio::test]
async fn meta_missing_or_an_absurd_last_page_is_bounded_and_loses_nothing() {
    let app = feed_app(Setup::default()).await;
    app.oxa.omit_meta(Feed::Payments, true);
    let mut ids = add_batch(&app, "nm", 3, |_| true);
    wait_events(&app, FEED, 3).await;
    let from = app.oxa.list_queries(Feed::Payments).len();
    nothing_more(&app, FEED, &ids).await;
    let pages: Vec<u32> = new_listings(&app, from).iter().map(|(p, _)| *p).collect();
    assert!(
        pages.iter().all(|p| *p == 1),
        "short page 1 ends it: {pages:?}"
    );

    app.oxa.omit_meta(Feed::Payments, false);
    app.oxa.claim_last_page(Feed::Payments, Some(4_000_000_000));
    ids.extend(add_batch(&app, "lp", 2, |_| true));
    wait_events(&app, FEED, 5).await;
    let from = app.oxa.list_queries(Feed::Payments).len();
    nothing_more(&app, FEED, &ids).await;
    let pages: Vec<u32> = new_listings(&app, from).iter().map(|(p, _)| *p).collect();
    assert!(!pages.is_empty());
    assert!(
        pages.iter().all(|p| *p <= 2),
        "an empty page 2 ends it: {pages:?}"
    );
}

/// An amount of 40 digits does not fit an exact decimal: it is never rounded into one. The
/// payment is stored with the rest of what was read, told with its amount named unreadable, and
/// `/tx` says what OxaPay sent. An amount of 28 digits is kept and shown exactly.
#[tokio::test]
async fn a_40_digit_amount_is_never_rounded() {
    let app = feed_app(Setup::default()).await;
    let t = app.oxa.oxapay_now();
    let forty = "1234567890123456789012345678901234567890";
    let forty_fraction = "0.1234567890123456789012345678901234567891";
    let exact = "12345678901234.56789012345678";
    app.oxa
        .add_payment(FakePayment::new("d40", t).amount(forty));
    app.oxa
        .add_payment(FakePayment::new("d40f", t + 1).amount(&format!("\"{forty_fraction}\"")));
    app.oxa
        .add_payment(FakePayment::new("d28", t + 2).amount(exact));
    let told = wait_events(&app, FEED, 3).await;
    let firsts: Vec<String> = told
        .iter()
        .map(|s| s.plain().lines().next().unwrap().to_owned())
        .collect();
    assert_eq!(
        firsts,
        [
            "✅ Payment paid: an unreadable amount of USDT".to_owned(),
            "✅ Payment paid: an unreadable amount of USDT".to_owned(),
            format!("✅ Payment paid: {exact} USDT"),
        ]
    );
    nothing_more(&app, FEED, &tracks(&told)).await;
    let stored = sql(
        &app,
        "SELECT track_id, amount, status FROM payments ORDER BY track_id",
    )
    .await;
    assert_eq!(
        stored,
        [
            format!("d28|{exact}|paid"),
            "d40|None|paid".to_owned(),
            "d40f|None|paid".to_owned(),
        ]
    );
    let r = say(&app, ADMIN, ADMIN, "/tx d40").await;
    assert_eq!(r.lines()[1], "Amount: an unreadable amount of USDT", "{r}");
    assert!(
        r.lines()
            .last()
            .unwrap()
            .starts_with("⚠️ Not readable in OxaPay's answer: amount: \"1234567890"),
        "{r}"
    );
    let r = say(&app, ADMIN, ADMIN, "/tx d28").await;
    assert_eq!(r.lines()[1], format!("Amount: {exact} USDT"), "{r}");
    let r = app.ask(FEED, MEMBER, "/payments").await;
    assert!(
        r.has_line(&format!(
            "✅ paid · an unreadable amount of USDT · d40 · order ORD-d40 · {}",
            zoned(t)
        )),
        "{r}"
    );
}

/// A track id (and an order id, a network) with HTML in it is escaped everywhere it is shown:
/// the event, `/payments`, `/tx` from the ledger and `/tx` read live. Telegram accepted every
/// message (the fake refuses malformed HTML, and `TestApp` fails a test that caused a refusal).
#[tokio::test]
async fn a_track_id_with_html_is_escaped_everywhere() {
    let app = feed_app(Setup::default()).await;
    let t = app.oxa.oxapay_now();
    let id = "<b>x</b>&amp;\"'<i>";
    let mut p = FakePayment::new(id, t).tx(FakeTx::new("h<i>", "10", t));
    p.order_id = "<script>alert(1)</script>".into();
    p.txs[0].network = "<i>Tron</i> Network".into();
    app.oxa.add_payment(p);
    let told = wait_events(&app, FEED, 1).await;
    assert_eq!(
        told[0].plain().lines().collect::<Vec<_>>(),
        [
            "✅ Payment paid: 10 USDT",
            &format!("order <script>alert(1)</script> · track {id}"),
            "<i>Tron</i> Network · tx h<i>",
        ]
    );
    assert!(
        told[0]
            .text
            .contains("track <code>&lt;b&gt;x&lt;/b&gt;&amp;amp;\"'&lt;i&gt;</code>"),
        "{}",
        told[0].text
    );
    nothing_more(&app, FEED, &[id.to_owned()]).await;
    let r = app.ask(FEED, MEMBER, "/payments").await;
    assert_eq!(
        r.lines()[1..],
        [
            "The last payment".to_owned(),
            format!(
                "✅ paid · 10 USDT · {id} · order <script>alert(1)</script> · {}",
                zoned(t)
            )
        ],
        "{r}"
    );
    let r = say(&app, ADMIN, ADMIN, &format!("/tx {id}")).await;
    assert!(
        r.lines()[0].starts_with(&format!("✅ Payment {id}: paid since ")),
        "{r}"
    );
    assert!(r.has_line("Order: <script>alert(1)</script>"), "{r}");
    assert!(r.has_line("  tx h<i>"), "{r}");
    // One OxaPay has and the ledger does not: read live, escaped the same.
    let live = "<u>live</u>";
    app.oxa.add_payment(FakePayment::new(live, t - 40 * 86_400));
    let r = say(&app, ADMIN, ADMIN, &format!("/tx {live}")).await;
    assert!(
        r.lines()[0].starts_with(&format!("✅ Payment {live}: paid since ")),
        "{r}"
    );
    let r = say(&app, ADMIN, ADMIN, "/tx <b>nobody</b>").await;
    assert_eq!(
        r.text(),
        "OxaPay knows no payment or payout with the track id <b>nobody</b>."
    );
}

/// OxaPay's clock an hour ahead of ours: its payments are told, and the cursor moves no further
/// than our clock allows, so once its clock is put right the payments created after are still
/// read and told.
#[tokio::test]
async fn oxapays_clock_ahead_of_ours_skips_nothing_later() {
    let app = feed_app(Setup::default()).await;
    app.oxa.set_clock_ahead(3600);
    app.oxa.add_payment(fresh("ahead", &app));
    wait_events(&app, FEED, 1).await;
    app.wait_payment_polls(1).await;
    let store = open_store(&app).await;
    let cursor = store
        .feed_state(LedgerFeed::Payments)
        .await
        .unwrap()
        .cursor
        .unwrap();
    store.close().await;
    assert!(cursor <= now() + 300, "the cursor ran ahead to {cursor}");
    app.oxa.set_clock_ahead(0);
    app.oxa.add_payment(fresh("after", &app));
    let told = wait_events(&app, FEED, 2).await;
    assert_eq!(tracks(&told), ["ahead", "after"]);
    nothing_more(&app, FEED, &tracks(&told)).await;
}

// ----- asking: /tx, /sales, /history payments, reports, mutes ------------------------------------

/// `/tx` of a payment in the ledger shows every field and the statuses it was seen in; of one
/// the ledger does not hold it reads OxaPay now and says so; bad arguments say what is accepted.
#[tokio::test]
async fn tx_reads_the_ledger_or_oxapay_now() {
    let app = feed_app(Setup::default()).await;
    let t = app.oxa.oxapay_now();
    app.oxa
        .add_payment(FakePayment::new("700", t).status("waiting"));
    app.wait_payment_deliveries(2).await;
    app.oxa.set_payment_status("700", "paying");
    app.wait_payment_deliveries(2).await;
    app.oxa
        .add_payment_tx("700", FakeTx::new("abc700", "10", t + 30));
    app.oxa.set_payment_status("700", "paid");
    wait_events(&app, FEED, 1).await;
    let r = say(&app, ADMIN, ADMIN, "/tx 700").await;
    let lines = r.lines();
    assert!(lines[0].starts_with("✅ Payment 700: paid since "), "{r}");
    assert_eq!(
        lines[1..],
        [
            "Amount: 10 USDT".to_owned(),
            "Type: invoice".to_owned(),
            "Order: ORD-700".to_owned(),
            "Email: buyer@example.com".to_owned(),
            "Description: An order".to_owned(),
            format!("Created: {}", zoned(t)),
            format!("Expires: {}", zoned(t + 3600)),
            format!(
                "• 10 USDT on Tron Network, 20 confirmations, {}",
                zoned(t + 30)
            ),
            "  tx abc700".to_owned(),
            "  to TAddr".to_owned(),
            lines[11].clone(),
        ],
        "{r}"
    );
    let seen: Vec<&str> = lines[11]
        .strip_prefix("Seen: ")
        .unwrap_or_else(|| panic!("{r}"))
        .split(" → ")
        .map(|s| s.split(' ').next().unwrap())
        .collect();
    assert_eq!(seen, ["waiting", "paying", "paid"], "{r}");

    // Older than the ledger's history: read from OxaPay now, and nothing is stored.
    let mut old = FakePayment::new("600", t - 90 * 86_400).status("refunded");
    old.email = "old@example.com".into();
    app.oxa.add_payment(old);
    let r = say(&app, ADMIN, ADMIN, "/tx 600").await;
    let lines = r.lines();
    assert!(
        lines[0].starts_with("↩️ Payment 600: refunded since "),
        "{r}"
    );
    assert!(r.has_line("Email: old@example.com"), "{r}");
    assert_eq!(
        lines.last().unwrap(),
        "Read from OxaPay now; not in the bot's ledger (older than its history)."
    );
    assert_eq!(
        sql(&app, "SELECT COUNT(*) FROM payments WHERE track_id = '600'").await,
        ["0"]
    );
    let r = say(&app, ADMIN, ADMIN, "/tx 999999").await;
    assert_eq!(
        r.text(),
        "OxaPay knows no payment or payout with the track id 999999."
    );
    let r = say(&app, ADMIN, ADMIN, "/tx").await;
    assert_eq!(
        r.text(),
        "the track id is missing — use /tx TRACK_ID with the track id OxaPay gave the payment \
         or payout, e.g. /tx 188225613."
    );
    // OxaPay failing the live read: a sentence, not a payment.
    app.oxa.fail_record(
        Feed::Payments,
        OxaReply::status(429, "slow down").with_header("retry-after", "30"),
    );
    let r = say(&app, ADMIN, ADMIN, "/tx 600").await;
    assert_eq!(r.text(), "OxaPay is limiting requests — try again in 30 s.");
}

/// The payments the sales figures are built from, created on OxaPay's clock at the start of
/// today (UTC), yesterday, three and ten days ago; read by the first start (with prices).
fn seed_sales(app: &TestApp) {
    let now = app.oxa.oxapay_now();
    let today = now - now.rem_euclid(86_400);
    let pay = |id: &str, at: i64, amount: &str, currency: &str, status: &str| {
        let mut p = FakePayment::new(id, at).amount(amount).status(status);
        p.currency = currency.into();
        app.oxa.add_payment(p);
    };
    pay("t-usdt", today, "10", "USDT", "paid");
    pay("t-btc", today, "0.001", "BTC", "paid");
    pay("t-manual", today, "2.5", "USDT", "manual_accept");
    pay("t-under", today, "3", "USDT", "underpaid");
    pay("t-expired", today, "4", "USDT", "expired");
    pay("t-waiting", today, "6", "USDT", "waiting");
    pay("y-usdt", today - 86_400, "20", "USDT", "paid");
    pay("w-usdt", now - 3 * 86_400, "5", "USDT", "paid");
    pay("b-usdt", now - 10 * 86_400, "100", "USDT", "paid");
}

/// `/sales` (today), `yesterday` and `7d`: paid payments in the period (paid and accepted by
/// hand), received per currency and in USD, the period before and the change; underpaid and
/// expired counted on one line. Exact, line for line.
#[tokio::test]
async fn sales_say_what_was_paid_against_the_period_before() {
    let mut app = prepare_feed(Setup::default()).await;
    app.oxa.set_prices(OxaReply::prices(PRICES));
    seed_sales(&app);
    start_feed(&mut app).await;
    let today = now() - now().rem_euclid(86_400);
    let r = say(&app, ADMIN, ADMIN, "/sales").await;
    assert_eq!(
        r.lines(),
        [
            format!("💵 Sales today (from {})", zoned(today)),
            "3 paid · $62.50".to_owned(),
            "BTC    0.001".to_owned(),
            "USDT  12.5".to_owned(),
            "The period before: 1 paid · $20.00. Change: +2 paid, +$42.50 (+212.5 %)".to_owned(),
            "Underpaid: 1 · Expired: 1".to_owned(),
        ],
        "{r}"
    );
    let r = say(&app, ADMIN, ADMIN, "/sales yesterday").await;
    assert_eq!(
        r.lines(),
        [
            format!("💵 Sales yesterday (from {})", zoned(today - 86_400)),
            "1 paid · $20.00".to_owned(),
            "USDT  20".to_owned(),
            "The period before: 0 paid · $0.00. Change: +1 paid, +$20.00".to_owned(),
            "Underpaid: 0 · Expired: 0".to_owned(),
        ],
        "{r}"
    );
    let r = say(&app, ADMIN, ADMIN, "/sales 7d").await;
    let lines = r.lines();
    assert!(
        lines[0].starts_with("💵 Sales in the last 7 days (from "),
        "{r}"
    );
    assert_eq!(
        lines[1..],
        [
            "5 paid · $87.50",
            "BTC    0.001",
            "USDT  37.5",
            "The period before: 1 paid · $100.00. Change: +4 paid, −$12.50 (−12.5 %)",
            "Underpaid: 1 · Expired: 1",
        ],
        "{r}"
    );
    let r = say(&app, ADMIN, ADMIN, "/sales 1y").await;
    assert_eq!(
        r.text(),
        "“1y” is not a period — use /sales (today), /sales yesterday, /sales 7d or /sales 30d."
    );
}

/// `/history payments 7d` sends a PNG of daily received USD as bars — one bar per day with
/// sales, taller for more — with a caption that sums the period.
#[tokio::test]
async fn history_payments_sends_daily_bars_with_the_sum() {
    let mut app = prepare_feed(Setup::default()).await;
    app.oxa.set_prices(OxaReply::prices(PRICES));
    seed_sales(&app);
    start_feed(&mut app).await;
    let photos = app.tg.photos().len();
    app.tg.send_text(ADMIN, ADMIN, "/history payments 7d");
    app.tg.barrier(ADMIN).await;
    let all = app.tg.photos();
    assert_eq!(all.len(), photos + 1);
    let photo = &all[photos];
    assert_eq!(
        crate::support::html::plain_text(photo.caption.as_deref().unwrap()),
        "💵 Received per day, last 7 days: $87.50 from 5 paid payments"
    );
    let image = decode_png(photo.bytes());
    assert_eq!((image.width, image.height), (1280, 720));
    // Bars are filled boxes of the series colour: three runs of columns, one per day with
    // sales, oldest left; the tallest (today, $62.50) reaches highest, yesterday's ($20) next,
    // three days ago ($5) lowest.
    let runs = image.column_runs(LINE_RGB);
    assert_eq!(runs.len(), 3, "{runs:?}");
    // Filled boxes: the middle column of each holds the colour over its whole height, and the
    // heights rank as the days' sums do.
    let heights: Vec<usize> = runs
        .iter()
        .map(|r| {
            assert!(r.end() - r.start() >= 20, "a bar, not a line: {runs:?}");
            let mid = (r.start() + r.end()) / 2;
            (0..image.height)
                .filter(|y| image.pixel(mid, *y) == LINE_RGB)
                .count()
        })
        .collect();
    assert!(
        heights[2] > heights[1] && heights[1] > heights[0] && heights[0] >= 10,
        "{heights:?}"
    );
    // $62.50 against $20: about three times as tall.
    let ratio = heights[2] as f64 / heights[1] as f64;
    assert!((2.8..3.5).contains(&ratio), "{heights:?}");
    let r = say(&app, ADMIN, ADMIN, "/history payments 1y").await;
    assert!(
        r.text()
            .starts_with("“1y” is not a period for payments: write 7d, 30d or 90d"),
        "{r}"
    );
}

/// A decoded PNG: its size and RGB pixels.
struct Image {
    width: u32,
    height: u32,
    rgb: Vec<[u8; 3]>,
}

fn decode_png(bytes: &[u8]) -> Image {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("PNG image data");
    let channels = match info.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => panic!("unexpected colour type {other:?}"),
    };
    Image {
        width: info.width,
        height: info.height,
        rgb: buf[..info.buffer_size()]
            .chunks_exact(channels)
            .map(|p| [p[0], p[1], p[2]])
            .collect(),
    }
}

impl Image {
    fn pixel(&self, x: u32, y: u32) -> [u8; 3] {
        self.rgb[(y * self.width + x) as usize]
    }

    /// Runs of adjacent columns holding `colour`, left to right.
    fn column_runs(&self, colour: [u8; 3]) -> Vec<std::ops::RangeInclusive<u32>> {
        let columns: BTreeSet<u32> = (0..self.width)
            .filter(|x| (0..self.height).any(|y| self.pixel(*x, y) == colour))
            .collect();
        let mut runs: Vec<std::ops::RangeInclusive<u32>> = Vec::new();
        for x in columns {
            match runs.last_mut() {
                Some(r) if *r.end() + 1 == x => *r = *r.start()..=x,
                _ => runs.push(x..=x),
            }
        }
        runs
    }
}

/// The scheduled report gains "Payments since the last report": how many reached each status
/// and what the sales brought, per currency and in USD. What the silent first reading stored is
/// not counted.
#[tokio::test]
async fn the_scheduled_report_says_what_payments_did() {
    let mut app = prepare_feed(Setup::default()).await;
    app.oxa.set_prices(OxaReply::prices(PRICES));
    app.oxa
        .add_payment(FakePayment::new("before", app.oxa.oxapay_now() - 3600));
    start_feed(&mut app).await;
    let t = app.oxa.oxapay_now();
    let mut btc = FakePayment::new("r-btc", t + 1).amount("0.001");
    btc.currency = "BTC".into();
    app.oxa.add_payment(FakePayment::new("r-usdt", t));
    app.oxa.add_payment(btc);
    app.oxa.add_payment(
        FakePayment::new("r-under", t + 2)
            .amount("3")
            .status("underpaid"),
    );
    app.oxa
        .add_payment(FakePayment::new("r-expired", t + 3).status("expired"));
    wait_events(&app, FEED, 3).await;
    app.stop().await;
    // A daily report for the admin's chat whose slot passed an hour ago: due at start.
    let slot = now() - now().rem_euclid(60) - 3600;
    let store = open_store(&app).await;
    let hhmm = DateTime::<Utc>::from_timestamp(slot, 0)
        .unwrap()
        .format("%H:%M UTC")
        .to_string();
    store
        .set_report(
            ids::chat(ADMIN),
            &hhmm,
            "UTC",
            &ids::actor(ADMIN),
            slot - 60,
        )
        .await
        .unwrap();
    store.close().await;
    app.start().await;
    let (_, report) = app
        .tg
        .wait_message(ADMIN, 0, "the scheduled report", |s| {
            s.text.starts_with("📊 <b>Balance report</b>")
        })
        .await;
    let lines: Vec<String> = report.plain().lines().map(str::to_owned).collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("Payments since the last report"))
        .unwrap_or_else(|| panic!("{lines:#?}"));
    assert_eq!(
        lines[at..at + 4],
        [
            "Payments since the last report: ⌛ 1 expired, ✅ 2 paid, ⚠️ 1 underpaid",
            "Received: 2 paid · $60.00",
            "BTC    0.001",
            "USDT  10",
        ],
        "{lines:#?}"
    );
}

/// A mute holds payment messages too: nothing is sent while it runs, and its end says how many
/// payments it held and what they were worth; `/mute off` says the same for what it held.
/// Nothing is counted twice, and payments after the mute are told as usual.
#[tokio::test]
async fn a_mute_holds_payment_messages_and_its_end_counts_them() {
    let mut app = prepare_feed(Setup::default().checking_every_second()).await;
    app.oxa.set_prices(OxaReply::prices(PRICES));
    start_feed(&mut app).await;
    let r = app.ask(FEED, MEMBER, "/mute 2h").await;
    assert!(r.text().starts_with("🔕 "), "{r}");
    let t = app.oxa.oxapay_now();
    let mut btc = FakePayment::new("m-btc", t + 1).amount("0.001");
    btc.currency = "BTC".into();
    let mut doge = FakePayment::new("m-doge", t + 2).amount("3");
    doge.currency = "DOGE".into();
    app.oxa.add_payment(FakePayment::new("m-usdt", t));
    app.oxa.add_payment(btc);
    app.oxa.add_payment(doge);
    app.wait_payment_deliveries(2).await;
    assert_eq!(events(&app, FEED).len(), 0, "held by the mute");
    assert_eq!(
        sql(&app, "SELECT COUNT(*) FROM payment_told WHERE held = 1").await,
        ["3"]
    );
    // The mute runs out (its end moved to now, as time passing would).
    let sent = app.tg.sent_to(FEED).len();
    let store = open_store(&app).await;
    store
        .set_mute(ids::chat(FEED), now(), ids::chat(MEMBER), now())
        .await
        .unwrap();
    store.close().await;
    let (_, over) = app
        .tg
        .wait_message(FEED, sent, "the mute's end", |s| {
            s.text.starts_with("🔔 Mute over")
        })
        .await;
    assert_eq!(
        over.plain(),
        "🔔 Mute over.\n💰 While muted: 3 payments, $60.00 (1 without a USD value) — /payments \
         and /payouts list them."
    );

    // Muted again: one more held, and `/mute off` counts it (and only it).
    app.ask(FEED, MEMBER, "/mute 1h").await;
    app.oxa.add_payment(FakePayment::new("m-again", t + 3));
    app.wait_payment_deliveries(2).await;
    let r = app.ask(FEED, MEMBER, "/mute off").await;
    assert_eq!(
        r.text(),
        "🔔 Alerts in this chat resume.\n💰 While muted: 1 payment, $10.00 — /payments and \
         /payouts list them."
    );
    assert_eq!(events(&app, FEED).len(), 0);
    app.oxa.add_payment(FakePayment::new("m-after", t + 4));
    let told = wait_events(&app, FEED, 1).await;
    assert_eq!(tracks(&told), ["m-after"]);
    app.wait_deliveries(2).await;
    nothing_more(&app, FEED, &["m-after".to_owned()]).await;
    let overs = app
        .tg
        .sent_to(FEED)
        .iter()
        .filter(|s| s.text.starts_with("🔔 Mute over"))
        .count();
    assert_eq!(overs, 1, "each mute's end summarized once");
    assert_eq!(
        sql(
            &app,
            "SELECT held, COUNT(*) FROM payment_told GROUP BY held"
        )
        .await,
        ["0|1", "2|4"]
    );
}

// ----- crashes, and `check` (the shipped binary) -------------------------------------------------

/// Runs the shipped binary on the app's environment and database; returns once it polls
/// Telegram.
async fn run_binary(app: &TestApp) -> BotProcess {
    let polls = app.tg.calls("getUpdates");
    let bot = BotProcess::bot(&app.env, app.dir.path());
    app.tg.wait_calls("getUpdates", polls + 1).await;
    bot
}

async fn kill(mut bot: BotProcess) {
    bot.signal(libc::SIGKILL);
    let (code, _) = bot.wait(Duration::from_secs(20)).await;
    assert_eq!(code, None, "killed by the signal");
}

/// A crash while a poll is between reading and writing (the binary killed with SIGKILL while a
/// read it needs is held at OxaPay) writes nothing; the bot started again tells each payment
/// once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_in_the_middle_of_a_poll_loses_nothing_and_repeats_nothing() {
    let mut app = feed_app(Setup::default()).await;
    app.oxa.add_payment(fresh("open", &app).status("waiting"));
    app.wait_payment_polls(2).await;
    app.stop().await;
    // The next read of one payment waits at OxaPay: the payment still open is read so, after
    // the new ones were listed and before anything is written.
    let gate = Gate::new();
    app.oxa.fail_record(
        Feed::Payments,
        OxaReply::held(&gate, OxaReply::status(502, "bad gateway")),
    );
    app.oxa.add_payment(fresh("new", &app));
    app.oxa.set_payment_status("open", "paid");
    let records = app.oxa.calls_to(Endpoint::Payment);
    let bot = run_binary(&app).await;
    app.oxa.wait_calls_to(Endpoint::Payment, records + 1).await;
    kill(bot).await;
    assert_eq!(
        sql(
            &app,
            "SELECT track_id, status FROM payments ORDER BY track_id"
        )
        .await,
        ["open|waiting"],
        "nothing of the interrupted poll was written"
    );
    assert_eq!(sql(&app, "SELECT COUNT(*) FROM payment_told").await, ["0"]);
    assert_eq!(sql(&app, "SELECT COUNT(*) FROM outbox").await, ["0"]);
    gate.open();
    app.start().await;
    let told = wait_events(&app, FEED, 2).await;
    assert_eq!(tracks(&told), ["open", "new"]);
    nothing_more(&app, FEED, &tracks(&told)).await;
}

/// A crash after a poll wrote its "told" rows and their messages, before Telegram took the
/// message: the message is sent after the restart, once, and the payment is not told again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_after_a_poll_wrote_its_messages_sends_them_once() {
    let mut app = feed_app(Setup::default()).await;
    app.stop().await;
    app.tg.set_chat_fault(FEED, Some(TgFault::server_error()));
    app.oxa.add_payment(fresh("owed", &app));
    let bot = run_binary(&app).await;
    app.tg
        .wait_attempt("the payment message refused by Telegram", |a| {
            a.chat_id == Some(FEED) && a.failure.is_some()
        })
        .await;
    kill(bot).await;
    assert_eq!(
        sql(
            &app,
            "SELECT chat_id, track_id, what, held FROM payment_told"
        )
        .await,
        ["-4004|owed|status:paid|0"]
    );
    assert_eq!(sql(&app, "SELECT COUNT(*) FROM outbox").await, ["1"]);
    assert_eq!(events(&app, FEED).len(), 0);
    app.tg.set_chat_fault(FEED, None);
    app.start().await;
    let told = wait_events(&app, FEED, 1).await;
    assert_eq!(tracks(&told), ["owed"]);
    nothing_more(&app, FEED, &["owed".to_owned()]).await;
    assert_eq!(sql(&app, "SELECT COUNT(*) FROM outbox").await, ["0"]);
}

/// `oxapay-bot check` has one payments line: the merchant key accepted and how many payments
/// the last 24 hours had; the key refused, named; no key, what to set. The key is never printed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_has_a_payments_line_with_and_without_a_key() {
    let app = prepare_feed(Setup::default()).await;
    let t = app.oxa.oxapay_now();
    for (i, ago) in [60, 3600, 20 * 3600, 30 * 3600].iter().enumerate() {
        app.oxa
            .add_payment(FakePayment::new(&format!("c{i}"), t - ago));
    }
    let line = |out: &crate::support::process::Finished| -> String {
        assert!(!out.all().contains(MERCHANT), "{}", out.all());
        out.stdout
            .lines()
            .find(|l| l.starts_with("payments: "))
            .unwrap_or_else(|| panic!("{}", out.all()))
            .to_owned()
    };
    let out = run_to_end(&["check"], &app.env, app.dir.path()).await;
    assert_eq!(out.code, Some(0), "{}", out.all());
    assert_eq!(
        line(&out),
        "payments: ok (merchant key accepted, 3 payments in the last 24 h)"
    );
    app.oxa
        .require_history_key(Feed::Payments, "another-merchant-key-0000");
    let out = run_to_end(&["check"], &app.env, app.dir.path()).await;
    assert_eq!(out.code, Some(1), "{}", out.all());
    assert_eq!(
        line(&out),
        "payments: FAILED: OxaPay refused the merchant API key (HTTP 401): it is not a merchant \
         API key or was revoked — check OXAPAY_MERCHANT_API_KEY."
    );
    let mut env = app.env.clone();
    env.remove("OXAPAY_MERCHANT_API_KEY");
    let out = run_to_end(&["check"], &env, app.dir.path()).await;
    assert_eq!(out.code, Some(0), "{}", out.all());
    assert_eq!(
        line(&out),
        "payments: ok (off: set OXAPAY_MERCHANT_API_KEY to hear about payments)"
    );
}
