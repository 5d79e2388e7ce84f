//! Payouts and OxaPay's signed callbacks, end to end: the real bot over real HTTP against the fake
//! Telegram and the fake OxaPay, with a real SQLite file.
//!
//! The payout feed as a chat sees it: `/payouts` and its settings, the silent first reading, a
//! payout moving to `confirmed` told once (the address shortened and escaped, the hash linked to
//! its explorer; both whole in `/tx`), a payout stuck past `PAYOUT_STUCK_MINS` told once to every
//! chat that hears payouts, the report's payouts section, a mute holding payout messages and its
//! summary counting them, and a payout list that cannot be read (never "no payouts"; the admins
//! hear once, and again when it reads).
//!
//! The callback receiver as OxaPay and an attacker see it: a signed payment or payout callback
//! told before its `200 ok` (the "told" row is committed when the answer arrives), a replay told
//! nothing, a body signed with the other key, no or a garbled signature (one log line a minute,
//! with the peer, never the body), a callback for a key the bot does not hold (a line naming the
//! key), a callback that cannot be stored (`500`, never `ok`; its retry told once), a 10 MiB body
//! refused before it is sent whole, a signed body that is not JSON, a poll contradicting a
//! callback (the poll's status is kept), a callback ahead of the list (told once, not again when
//! the list catches up), 1,000 callbacks from 50 clients at once (each payment told exactly
//! once), the receiver beside webhook mode and `/metrics`, and `check`'s callbacks line.
//!
//! Polls are waited on through the fake's request log: a feed polls one listing after another, so
//! once two listings have been asked for since a change, a whole poll began after the change and
//! has been recorded. Nothing sleeps.

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use oxapay_bot::oxapay::{Payout, PayoutStatus};
use oxapay_bot::rules::payouts::Decision;
use oxapay_bot::store::{PayoutFeedChange, PayoutPoll, Source};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::ids;
use crate::support::process::{SqliteLock, run_to_end};
use crate::support::telegram::{PATIENCE, Sent};
use crate::support::{
    ADMIN, Endpoint, FakePayout, Feed, KEY, OxaReply, Setup, TestApp, sign_callback,
};

const MERCHANT: &str = "merchant-key-SECRET-5150";
/// A destination with HTML in it: shown escaped, shortened in the feed.
const ADDRESS: &str = "TXyz<b>&Long9Destination0Address42";
const ADDRESS_SHORT: &str = "TXyz<b>&…ress42";
const HASH: &str = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2";
const HASH_SHORT: &str = "a1b2c3d4…f0a1b2";
const TRONSCAN: &str = "https://tronscan.org/#/transaction/";
/// A group that is allowed, beside the admin's private chat.
const GROUP: i64 = -1_001_234;

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A moment as the bot shows it in a chat without a zone: `Fri 04 Dec 2026 16:50 (UTC)`.
fn zoned(unix: i64) -> String {
    let t = chrono::DateTime::<chrono::Utc>::from_timestamp(unix, 0).unwrap();
    format!("{} (UTC)", t.format("%a %d %b %Y %H:%M"))
}

fn balances() -> OxaReply {
    OxaReply::balances(&[("TRX", "100"), ("USDT", "12")])
}

fn prices() -> OxaReply {
    OxaReply::prices(&[("TRX", "0.1"), ("USDT", "1")])
}

/// The shortest poll the configuration allows.
fn polling() -> Setup {
    Setup::default().env("PAYMENT_POLL_SECS", "5")
}

/// Receiving callbacks on a free port.
fn receiving() -> Setup {
    Setup::default().env("OXAPAY_CALLBACK_LISTEN", "127.0.0.1:0")
}

/// A payout of 5 TRX (fee 1) on TRC20 to [`ADDRESS`] with [`HASH`], created now.
fn payout(track_id: &str, status: &str) -> FakePayout {
    let mut p = FakePayout::new(track_id, now())
        .status(status)
        .address(ADDRESS);
    p.tx_hash = HASH.to_owned();
    p
}

/// A payout as OxaPay calls back about it: its listing's fields, `type` `payout`, the status
/// capitalised.
fn payout_callback(p: &FakePayout) -> String {
    let mut status = p.status.clone();
    status[..1].make_ascii_uppercase();
    let mut p = p.clone();
    p.status = status;
    p.json().replacen('{', "{\"type\":\"payout\",", 1)
}

/// A paid invoice of 10 USDT as OxaPay calls back about it (the fields of the vendor's sample).
fn payment_callback(track_id: &str, status: &str) -> String {
    let date = now();
    format!(
        r#"{{"track_id":"{track_id}","status":"{status}","type":"invoice","module_name":"OxaPay","amount":10,"value":10,"sent_value":10,"currency":"USDT","order_id":"ORD-{track_id}","email":"buyer@example.com","note":"","fee_paid_by_payer":1,"under_paid_coverage":0,"description":"","date":{date},"txs":[{{"status":"confirmed","tx_hash":"0xabc{track_id}","sent_amount":10,"received_amount":9.9,"value":10,"sent_value":10,"currency":"USDT","network":"Tron Network","sender_address":"TSender","address":"TAddr","rate":1,"confirmations":20,"auto_convert_amount":0,"auto_convert_currency":"","date":{date}}}]}}"#
    )
}

// ----- waiting on the bot ----------------------------------------------------------------------

/// Waits until a whole poll of the feed that lists `endpoint` began after this call and was
/// recorded: two more listings asked for (a feed asks for the next only after recording a poll).
async fn a_whole_poll(app: &TestApp, endpoint: Endpoint) {
    let seen = app.oxa.calls_to(endpoint);
    app.oxa.wait_calls_to(endpoint, seen + 2).await;
}

/// [`a_whole_poll`] of the payout feed, then everything it queued handled by the delivery worker.
async fn payouts_polled(app: &TestApp) {
    a_whole_poll(app, Endpoint::Payouts).await;
    app.outbox_settled().await;
}

/// The address the callback receiver listens on.
async fn callbacks_at(app: &TestApp) -> SocketAddr {
    let mut rx = app.progress().addresses();
    let bound = tokio::time::timeout(PATIENCE, rx.wait_for(|b| b.callbacks.is_some()))
        .await
        .expect("the callback listener is bound")
        .unwrap();
    bound.callbacks.unwrap()
}

// ----- what a chat sees ------------------------------------------------------------------------

/// Whether the bot sent this on its own as a payout event (not `/tx`'s `Payout <code>…`).
fn is_payout_event(s: &Sent) -> bool {
    let first = s.text.lines().next().unwrap_or("");
    first.contains(" <b>Payout ") && !first.contains("<b>Payout <code>")
}

fn is_payment_event(s: &Sent) -> bool {
    let first = s.text.lines().next().unwrap_or("");
    first.contains(" <b>Payment ") && !first.contains("<b>Payment <code>")
}

/// The payout events `chat` received, as its user sees them.
fn payout_events(app: &TestApp, chat: i64) -> Vec<String> {
    app.tg
        .sent_to(chat)
        .iter()
        .filter(|s| is_payout_event(s))
        .map(Sent::plain)
        .collect()
}

/// Waits until `chat` has received a payout event about `track_id` whose first line starts with
/// `head` (a message that Telegram refused once and is retried later comes then), and until
/// nothing else is owed.
async fn wait_told(app: &TestApp, chat: i64, head: &str, track_id: &str) {
    let tail = format!("track <code>{track_id}</code>");
    app.tg
        .wait_message(chat, 0, &format!("{head} … {track_id}"), |s| {
            is_payout_event(s) && s.plain().starts_with(head) && s.text.ends_with(&tail)
        })
        .await;
    app.outbox_settled().await;
}

/// Sends `text` and returns every message between it and the barrier's answer (feed events
/// included: call it when none is under way).
async fn reply(app: &TestApp, chat: i64, user: i64, text: &str) -> Vec<Sent> {
    let seen = app.tg.sent_to(chat).len();
    app.tg.send_text(chat, user, text);
    let end = app.tg.barrier(chat).await;
    let parts = app.tg.sent_to(chat)[seen..end].to_vec();
    assert!(!parts.is_empty(), "no reply to {text:?}");
    parts
}

async fn reply_text(app: &TestApp, chat: i64, text: &str) -> String {
    let user = if chat > 0 { chat } else { ADMIN };
    let parts = reply(app, chat, user, text).await;
    parts.iter().map(Sent::plain).collect::<Vec<_>>().join("\n")
}

// ----- the database beside the bot ------------------------------------------------------------

async fn db(app: &TestApp) -> sqlx::SqlitePool {
    let options = SqliteConnectOptions::new().filename(app.db_path());
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap()
}

/// `SELECT COUNT(*) FROM table WHERE track_id = ?`.
async fn count(app: &TestApp, table: &str, track_id: &str) -> i64 {
    let pool = db(app).await;
    let n = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE track_id = ?1"))
        .bind(track_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    n
}

/// Messages still in the outbox whose text names `needle`.
async fn owed_naming(app: &TestApp, needle: &str) -> i64 {
    let pool = db(app).await;
    let n = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE instr(text, ?1) > 0")
        .bind(needle)
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    n
}

/// Turns `chat`'s payout feed on, then makes `change` (as its admin would), in a bot that is not
/// running yet; a chat other than the admin's is allowed first.
async fn hear_payouts_before_start(app: &TestApp, chat: i64, change: PayoutFeedChange) {
    let store = app.store().await;
    if chat != ADMIN {
        store
            .allow(ids::chat(chat), &ids::actor(ADMIN), ids::chat(ADMIN), now())
            .await
            .unwrap();
    }
    store
        .set_payout_feed(
            ids::chat(chat),
            &PayoutFeedChange::On,
            ids::chat(ADMIN),
            now(),
        )
        .await
        .unwrap();
    if change != PayoutFeedChange::On {
        store
            .set_payout_feed(ids::chat(chat), &change, ids::chat(ADMIN), now())
            .await
            .unwrap();
    }
    store.close().await;
}

// ----- posting callbacks -----------------------------------------------------------------------

/// Posts `body` to the receiver with `HMAC: hmac` (if any); returns the status and the body.
async fn post(
    client: &reqwest::Client,
    at: SocketAddr,
    body: &str,
    hmac: Option<&str>,
) -> (u16, String) {
    let mut request = client
        .post(format!("http://{at}/oxapay/callback"))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(h) = hmac {
        request = request.header("HMAC", h);
    }
    let response = request.send().await.expect("the receiver answers");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// Posts `body` signed with `key`.
async fn post_signed(at: SocketAddr, body: &str, key: &str) -> (u16, String) {
    let signature = sign_callback(body.as_bytes(), key);
    post(&reqwest::Client::new(), at, body, Some(&signature)).await
}

/// Posts over a connection of its own (so the test knows the peer address the bot sees); returns
/// that address and the HTTP status.
async fn post_raw(at: SocketAddr, body: &str, hmac: Option<&str>) -> (SocketAddr, u16) {
    let mut stream = TcpStream::connect(at).await.unwrap();
    let peer = stream.local_addr().unwrap();
    let header = hmac.map_or(String::new(), |h| format!("HMAC: {h}\r\n"));
    let request = format!(
        "POST /oxapay/callback HTTP/1.1\r\nHost: {at}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n{header}Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    (peer, read_status(&mut stream).await)
}

/// The status of the HTTP answer on `stream`.
async fn read_status(stream: &mut TcpStream) -> u16 {
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    let read = tokio::time::timeout(PATIENCE, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) => break,
                Ok(n) => {
                    answer.extend_from_slice(&buf[..n]);
                    if answer.windows(4).any(|w| w == b"\r\n\r\n") {
                        break;
                    }
                }
                // The answer came before the server closed on a body it did not read.
                Err(_) if !answer.is_empty() => break,
                Err(e) => panic!("no answer: {e}"),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "no answer within {PATIENCE:?}");
    let text = String::from_utf8_lossy(&answer);
    text.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {text:?}"))
}

// ===== the payout feed =========================================================================

#[tokio::test]
async fn payouts_command_turns_the_feed_on_and_off_and_picks_events() {
    let app = TestApp::spawn(balances(), Setup::default()).await;
    assert_eq!(
        reply_text(&app, ADMIN, "/payouts").await,
        "🔕 This chat does not hear payouts. /payouts on turns it on.\nNo payouts recorded yet."
    );
    assert_eq!(
        reply_text(&app, ADMIN, "/payouts on").await,
        "🔔 This chat hears payouts: confirmed, canceled, rejected, and any stuck one. \
         /payouts off stops it."
    );
    assert_eq!(
        reply_text(&app, ADMIN, "/payouts events Rejected processing").await,
        "This chat hears payouts that are processing, rejected, and any stuck one."
    );
    assert_eq!(
        reply_text(&app, ADMIN, "/payouts off").await,
        "🔕 This chat does not hear payouts. /payouts on turns it on."
    );
    // The event list survives off and on.
    assert_eq!(
        reply_text(&app, ADMIN, "/payouts on").await,
        "🔔 This chat hears payouts: processing, rejected, and any stuck one. \
         /payouts off stops it."
    );
    let bad = reply_text(&app, ADMIN, "/payouts events paid").await;
    assert!(bad.contains("“paid” is not a status"), "{bad}");
    assert!(bad.contains("/payouts events confirmed,rejected"), "{bad}");
    let bad = reply_text(&app, ADMIN, "/payouts loud").await;
    assert!(bad.contains("“loud” is not understood"), "{bad}");
    // A stranger cannot turn them on (anyone in a chat may only switch off).
    let stranger = reply_text(&app, 4242, "/payouts on").await;
    assert!(stranger.starts_with("You are not authorized"), "{stranger}");
    let store = app.store().await;
    assert_eq!(store.payout_feed_of(ids::chat(4242)).await.unwrap(), None);
    store.close().await;
    let shown = reply_text(&app, ADMIN, "/payouts").await;
    assert!(
        shown.starts_with("🔔 This chat hears payouts: processing, rejected"),
        "{shown}"
    );
}

/// The first reading stores what OxaPay already lists without a word; a payout that moves
/// `processing` → `confirmed` afterwards is told once, its address shortened and escaped and its
/// hash linked to the explorer; `/payouts` lists them and `/tx` shows one whole.
#[tokio::test]
async fn payouts_are_told_once_after_a_silent_first_reading() {
    let mut app = TestApp::prepare(balances(), polling()).await;
    app.oxa.set_prices(prices());
    hear_payouts_before_start(&app, ADMIN, PayoutFeedChange::On).await;
    let t0 = now();
    let mut old = payout("old-1", "confirmed");
    old.date = t0 - 3_600;
    app.oxa.add_payout(old);
    let mut rejected = payout("old-2", "rejected");
    rejected.date = t0 - 7_200;
    rejected.description = "Refund <Alice>".into();
    app.oxa.add_payout(rejected);
    app.start().await;
    payouts_polled(&app).await;
    assert_eq!(
        payout_events(&app, ADMIN),
        Vec::<String>::new(),
        "the first reading is silent"
    );

    let mut new = payout("new-1", "processing");
    new.date = t0 - 60;
    app.oxa.add_payout(new);
    payouts_polled(&app).await;
    assert_eq!(
        payout_events(&app, ADMIN),
        Vec::<String>::new(),
        "processing is not among the default events"
    );
    app.oxa.set_payout_status("new-1", "confirmed");
    payouts_polled(&app).await;
    wait_told(&app, ADMIN, "✅ Payout confirmed", "new-1").await;
    let told = payout_events(&app, ADMIN);
    assert_eq!(told.len(), 1, "{told:#?}");
    assert_confirmed_5_trx(&told[0], "new-1");
    let html = &app
        .tg
        .sent_to(ADMIN)
        .into_iter()
        .find(is_payout_event)
        .unwrap()
        .text;
    assert!(
        html.contains(&format!(
            "To <code>TXyz&lt;b&gt;&amp;…ress42</code> on TRC20 · tx <a href=\"{TRONSCAN}{HASH}\">{HASH_SHORT}</a>"
        )),
        "{html}"
    );
    // Later polls list it again (the overlap): nothing more.
    payouts_polled(&app).await;
    assert_eq!(payout_events(&app, ADMIN), told, "told once");

    let body = format!("5 TRX, fee 1 · To {ADDRESS_SHORT} on TRC20 · tx {HASH_SHORT}");
    assert_eq!(
        reply_text(&app, ADMIN, "/payouts")
            .await
            .lines()
            .collect::<Vec<_>>(),
        [
            "🔔 This chat hears payouts: confirmed, canceled, rejected, and any stuck one. \
             /payouts off stops it."
                .to_owned(),
            "The last 3 payouts".to_owned(),
            format!("✅ confirmed · {body} · new-1 · {}", zoned(t0 - 60)),
            format!("✅ confirmed · {body} · old-1 · {}", zoned(t0 - 3_600)),
            format!(
                "⛔ rejected · {body} · Refund <Alice> · old-2 · {}",
                zoned(t0 - 7_200)
            ),
        ]
    );

    // `/tx`: the address and the hash whole, the hash linked.
    let tx = reply(&app, ADMIN, ADMIN, "/tx new-1").await;
    assert_eq!(tx.len(), 1);
    let lines: Vec<String> = tx[0].plain().lines().map(str::to_owned).collect();
    assert!(
        lines[0].starts_with("✅ Payout new-1: confirmed since "),
        "{lines:#?}"
    );
    assert!(
        lines[1].starts_with("5 TRX ≈ $0.50 (at the price of "),
        "{lines:#?}"
    );
    assert_eq!(lines[2], format!("To {ADDRESS} on TRC20 · tx {HASH}"));
    assert_eq!(lines[3], format!("Created: {}", zoned(t0 - 60)));
    assert!(
        lines[4].starts_with("Seen: processing ") && lines[4].contains(" → confirmed "),
        "{lines:#?}"
    );
    assert_eq!(lines.len(), 5, "{lines:#?}");
    assert!(
        tx[0]
            .text
            .contains(&format!("<a href=\"{TRONSCAN}{HASH}\">{HASH}</a>")),
        "{}",
        tx[0].text
    );
    app.stop().await;
}

/// Records that the ledger first saw `track_id` (as OxaPay lists it now) open at `since`: how a
/// payout that has been processing for a while looks to the bot, written through the store.
async fn open_since(app: &TestApp, fake: &FakePayout, since: i64) {
    let raw = serde_json::value::RawValue::from_string(fake.json()).unwrap();
    let read: Payout = oxapay_bot::oxapay::payouts::parse_payout(&raw).unwrap();
    assert_eq!(read.status, PayoutStatus::Processing);
    let decision = Decision {
        open_since: Some(since),
        ..Decision::default()
    };
    let store = app.store().await;
    store
        .record_payout_poll(&PayoutPoll {
            reads: &[(read, decision)],
            values: &Default::default(),
            told: &[],
            notices: &[],
            state: None,
            source: Source::Poll,
            now: since,
        })
        .await
        .unwrap();
    let open = store.open_payouts().await.unwrap();
    let seeded = open.iter().find(|o| o.track_id.as_str() == fake.track_id);
    assert_eq!(seeded.and_then(|o| o.open_since), Some(since));
    store.close().await;
}

/// A payout open longer than `PAYOUT_STUCK_MINS` (on the bot's clock) is told once as stuck to
/// every chat that hears payouts, whatever its event list; a chat whose feed is off hears nothing;
/// one already stuck at the first reading is marked silently. Its end is told as usual.
#[tokio::test]
async fn a_stuck_payout_is_told_once_to_every_chat_that_hears_payouts() {
    const QUIET: i64 = -1_005_678;
    let mut app = TestApp::prepare(balances(), polling().env("PAYOUT_STUCK_MINS", "5")).await;
    // No prices: the texts show the amounts alone.
    hear_payouts_before_start(&app, ADMIN, PayoutFeedChange::On).await;
    let rejected_only = PayoutFeedChange::Events([PayoutStatus::Rejected].into());
    hear_payouts_before_start(&app, GROUP, rejected_only).await;
    hear_payouts_before_start(&app, QUIET, PayoutFeedChange::Off).await;
    let t0 = now();
    let mut slow = payout("slow-1", "processing");
    slow.date = t0 - 60;
    app.oxa.add_payout(slow.clone());
    let mut ancient = payout("ancient", "processing");
    ancient.date = t0 - 7_200;
    app.oxa.add_payout(ancient);
    app.start().await;
    payouts_polled(&app).await;
    for chat in [ADMIN, GROUP, QUIET] {
        assert_eq!(
            payout_events(&app, chat),
            Vec::<String>::new(),
            "silent first reading"
        );
    }

    // Open for ten minutes already.
    app.stop().await;
    let since = now() - 600;
    open_since(&app, &slow, since).await;
    app.start().await;
    payouts_polled(&app).await;
    for chat in [ADMIN, GROUP] {
        wait_told(&app, chat, "⏳ Payout stuck", "slow-1").await;
    }
    let stuck = format!(
        "⏳ Payout stuck: still processing since {} (over 5 min): 5 TRX, fee 1\n\
         To {ADDRESS_SHORT} on TRC20 · tx {HASH_SHORT}\ntrack slow-1",
        oxapay_bot::texts::time(since)
    );
    assert_eq!(payout_events(&app, ADMIN), vec![stuck.clone()]);
    assert_eq!(
        payout_events(&app, GROUP),
        vec![stuck.clone()],
        "whatever its event list"
    );
    assert_eq!(payout_events(&app, QUIET), Vec::<String>::new());
    payouts_polled(&app).await;
    assert_eq!(payout_events(&app, ADMIN), vec![stuck.clone()], "told once");

    app.oxa.set_payout_status("slow-1", "confirmed");
    payouts_polled(&app).await;
    wait_told(&app, ADMIN, "✅ Payout confirmed", "slow-1").await;
    let admin = payout_events(&app, ADMIN);
    assert_eq!(admin.len(), 2, "{admin:#?}");
    assert!(
        admin[1].starts_with("✅ Payout confirmed: 5 TRX"),
        "{admin:#?}"
    );
    assert_eq!(
        payout_events(&app, GROUP),
        [stuck],
        "the group hears only rejected ones"
    );
    assert_eq!(payout_events(&app, QUIET), Vec::<String>::new());
    app.stop().await;
}

/// Sends `/report now` in `chat` and returns the report, as its user sees it.
async fn report_now(app: &TestApp, chat: i64) -> String {
    let before = app.tg.sent_to(chat).len();
    app.tg.send_text(chat, ADMIN, "/report now");
    let (_, report) = app
        .tg
        .wait_message(chat, before, "the report", |s| {
            s.text.starts_with("📊 <b>Balance report</b>")
        })
        .await;
    report.plain()
}

/// The report counts the payouts that moved since the last one (not those of the silent first
/// reading): how many reached each status, and what the confirmed ones sent per currency and in
/// USD at the prices of when they were read.
#[tokio::test]
async fn the_report_says_what_payouts_sent_since_the_last_one() {
    let mut app = TestApp::prepare(balances(), polling()).await;
    app.oxa.set_prices(prices());
    let t0 = now();
    let mut old = payout("before", "confirmed");
    old.date = t0 - 3_600;
    app.oxa.add_payout(old);
    app.start().await;
    payouts_polled(&app).await;

    let mut usdt = payout("b-usdt", "confirmed");
    usdt.currency = "USDT".into();
    usdt.amount = "2.5".into();
    let mut rejected = payout("c-rej", "rejected");
    rejected.amount = "7".into();
    for p in [
        payout("a-trx", "confirmed"),
        usdt,
        rejected,
        payout("d-open", "processing"),
    ] {
        app.oxa.add_payout(p);
    }
    payouts_polled(&app).await;
    let report = report_now(&app, ADMIN).await;
    assert_eq!(
        payouts_section(&report, 4),
        [
            "Payouts since the last report: ✅ 2 confirmed, ⏳ 1 processing, ⛔ 1 rejected",
            "Sent: $3.00",
            "TRX   5",
            "USDT  2.5",
        ],
        "{report}"
    );
    // The next report counts only what moved since this one.
    let quiet = report_now(&app, ADMIN).await;
    assert!(!quiet.contains("Payouts since"), "{quiet}");
    let mut more = payout("e-trx", "confirmed");
    more.amount = "10".into();
    app.oxa.add_payout(more);
    payouts_polled(&app).await;
    let report = report_now(&app, ADMIN).await;
    assert_eq!(
        payouts_section(&report, 3),
        [
            "Payouts since the last report: ✅ 1 confirmed",
            "Sent: $1.00",
            "TRX  10"
        ],
        "{report}"
    );
    app.stop().await;
}

/// A muted chat hears no payout; `/mute off` says how many were held, and the next one is told.
#[tokio::test]
async fn a_mute_holds_payouts_and_its_end_counts_them() {
    let app = TestApp::spawn(balances(), polling()).await;
    payouts_polled(&app).await;
    reply_text(&app, ADMIN, "/payouts on").await;
    let muted = reply_text(&app, ADMIN, "/mute 2h").await;
    assert!(
        muted.starts_with("🔕 Alerts in this chat are held until "),
        "{muted}"
    );
    app.oxa.add_payout(payout("m-1", "confirmed"));
    app.oxa.add_payout(payout("m-2", "rejected"));
    payouts_polled(&app).await;
    assert_eq!(
        payout_events(&app, ADMIN),
        Vec::<String>::new(),
        "held by the mute"
    );
    assert_eq!(
        reply_text(&app, ADMIN, "/mute off").await,
        "🔔 Alerts in this chat resume.\n💰 While muted: 2 payouts — /payments and /payouts list \
         them."
    );
    let list = reply_text(&app, ADMIN, "/payouts").await;
    assert!(list.contains("The last 2 payouts"), "{list}");

    app.oxa.add_payout(payout("m-3", "confirmed"));
    wait_told(&app, ADMIN, "✅ Payout confirmed", "m-3").await;
    let told = payout_events(&app, ADMIN);
    assert_eq!(told.len(), 1, "{told:#?}");
    assert!(told[0].ends_with("\ntrack m-3"), "{told:#?}");
    // The held ones were summarized once.
    assert_eq!(
        reply_text(&app, ADMIN, "/mute off").await,
        "This chat's alerts were not muted."
    );
}

/// A payout list that cannot be read (the payout key refused) is never "no payouts": `/tx` says
/// the read failed, the admins hear once after `ALERT_FAILURES_BEFORE_NOTICE` failed polls (not
/// before, not again) and once when it reads again, and the payout made meanwhile is told then.
#[tokio::test]
async fn a_payout_list_that_cannot_be_read_is_never_no_payouts() {
    let setup = polling().env("ALERT_FAILURES_BEFORE_NOTICE", "2");
    let app = TestApp::spawn(balances(), setup).await;
    payouts_polled(&app).await;
    reply_text(&app, ADMIN, "/payouts on").await;
    let notices = || -> Vec<String> {
        app.tg
            .sent_to(ADMIN)
            .iter()
            .map(Sent::plain)
            .filter(|t| t.contains("payout list"))
            .collect()
    };

    // OxaPay refuses the payout key: the first poll fails, the second is held unanswered.
    let listed = app.oxa.calls_to(Endpoint::Payouts);
    let invalid = || OxaReply::v1_error(401, "invalid_api_key", "Invalid API key");
    let gate = crate::support::oxapay::Gate::new();
    app.oxa.fail_list_page(Feed::Payouts, 1, invalid());
    app.oxa
        .fail_list_page(Feed::Payouts, 1, OxaReply::held(&gate, invalid()));
    app.oxa.add_payout(payout("during", "confirmed"));
    app.oxa.wait_calls_to(Endpoint::Payouts, listed + 2).await;
    app.outbox_settled().await;
    assert_eq!(
        notices(),
        Vec::<String>::new(),
        "one failed poll is not told"
    );
    // The second fails too (and the key stays refused): the admins hear.
    app.oxa.require_history_key(Feed::Payouts, "a-rotated-key");
    gate.open();
    let refused = "OxaPay refused the payout API key (HTTP 401): it is not a payout API key or \
                   was revoked — check OXAPAY_PAYOUT_API_KEY.";
    let (_, notice) = app
        .tg
        .wait_message(ADMIN, 0, "the admins' notice", |s| {
            s.text.contains("payout list cannot be read")
        })
        .await;
    let notice = notice.plain();
    assert!(
        notice.starts_with("⚠️ OxaPay's payout list cannot be read since ")
            && notice.ends_with(&format!(
                " UTC (2 polls failed): {refused}\nPayouts are told once it can be read again; \
                 none is lost."
            )),
        "{notice}"
    );
    app.outbox_settled().await;
    // Asked directly, the failure is said, not "no such payout".
    assert_eq!(reply_text(&app, ADMIN, "/tx during").await, refused);
    // A third poll fails before the key is put back: no second notice (checked below).
    app.oxa.wait_calls_to(Endpoint::Payouts, listed + 3).await;

    // The key is put back: the payout made meanwhile is told, and the admins hear it reads again.
    app.oxa.require_history_key(Feed::Payouts, KEY);
    app.tg
        .wait_message(ADMIN, 0, "the payout made meanwhile", |s| {
            is_payout_event(s) && s.text.ends_with("track <code>during</code>")
        })
        .await;
    app.tg
        .wait_message(ADMIN, 0, "the notice that it reads again", |s| {
            s.text.contains("payout list can be read again")
        })
        .await;
    app.outbox_settled().await;
    let notices = notices();
    assert_eq!(notices.len(), 2, "once failing, once back: {notices:#?}");
    assert!(
        notices[1].starts_with("✅ OxaPay's payout list can be read again (it failed from "),
        "{notices:#?}"
    );
    assert_eq!(payout_events(&app, ADMIN).len(), 1);
}

// ===== the callback receiver ===================================================================

/// A bot receiving callbacks with both keys, prices known, and `/payments` and `/payouts` on in
/// the admin's chat.
async fn receiver(setup: Setup) -> (TestApp, SocketAddr) {
    let setup = setup
        .env("OXAPAY_CALLBACK_LISTEN", "127.0.0.1:0")
        .env("OXAPAY_MERCHANT_API_KEY", MERCHANT);
    let app = TestApp::spawn(balances(), setup).await;
    app.oxa.set_prices(prices());
    let at = callbacks_at(&app).await;
    reply_text(&app, ADMIN, "/payments on").await;
    reply_text(&app, ADMIN, "/payouts on").await;
    (app, at)
}

/// The payment events `chat` received about `track_id`.
fn payment_events_about(app: &TestApp, chat: i64, track_id: &str) -> Vec<String> {
    let tail = format!("track <code>{track_id}</code>");
    app.tg
        .sent_to(chat)
        .iter()
        .filter(|s| is_payment_event(s) && s.text.contains(&tail))
        .map(Sent::plain)
        .collect()
}

/// Whether the message about `track_id` is queued or already sent: read in that order, so a
/// message sent meanwhile is seen in one or the other.
async fn owed_or_sent(app: &TestApp, track_id: &str) -> bool {
    let needle = format!("<code>{track_id}</code>");
    owed_naming(app, &needle).await > 0
        || app
            .tg
            .sent_to(ADMIN)
            .iter()
            .any(|s| s.text.contains(&needle))
}

/// A payment callback signed with the merchant key is recorded and told before its `200 ok`: the
/// "told" row and its message exist when the answer arrives. The same body again answers `ok` and
/// tells nothing, and neither does a poll that lists the payment later.
#[tokio::test]
async fn a_signed_payment_callback_is_told_once_before_its_ok() {
    let (app, at) = receiver(polling()).await;
    let body = payment_callback("cb-pay-1", "Paid");
    assert_eq!(
        post_signed(at, &body, MERCHANT).await,
        (200, "ok".to_owned())
    );
    assert_eq!(
        count(&app, "payment_told", "cb-pay-1").await,
        1,
        "committed before ok"
    );
    assert!(
        owed_or_sent(&app, "cb-pay-1").await,
        "its message is queued with it"
    );
    app.tg
        .wait_message(ADMIN, 0, "the payment", |s| {
            is_payment_event(s) && s.text.contains("cb-pay-1")
        })
        .await;
    let told = payment_events_about(&app, ADMIN, "cb-pay-1");
    let lines: Vec<&str> = told[0].lines().collect();
    assert!(
        lines[0].starts_with("✅ Payment paid: 10 USDT ≈ $10.00 (at the price of "),
        "{told:#?}"
    );
    assert_eq!(
        lines[1..],
        [
            "order ORD-cb-pay-1 · track cb-pay-1",
            "Tron Network · tx 0xabccb-pay-1"
        ]
    );

    // OxaPay retries (or someone replays it): ok, nothing more.
    assert_eq!(
        post_signed(at, &body, MERCHANT).await,
        (200, "ok".to_owned())
    );
    // The poll lists it later: nothing more.
    app.oxa
        .add_payment(crate::support::FakePayment::new("cb-pay-1", now()).status("paid"));
    a_whole_poll(&app, Endpoint::Payments).await;
    app.outbox_settled().await;
    assert_eq!(
        payment_events_about(&app, ADMIN, "cb-pay-1"),
        told,
        "told once"
    );
    assert_eq!(count(&app, "payment_told", "cb-pay-1").await, 1);
}

/// A payout callback signed with the payout key: told before its `ok`, a replay tells nothing.
#[tokio::test]
async fn a_signed_payout_callback_is_told_once_before_its_ok() {
    let (app, at) = receiver(Setup::default()).await;
    let body = payout_callback(&payout("cb-out-1", "confirmed"));
    assert_eq!(post_signed(at, &body, KEY).await, (200, "ok".to_owned()));
    assert_eq!(
        count(&app, "payout_told", "cb-out-1").await,
        1,
        "committed before ok"
    );
    assert!(owed_or_sent(&app, "cb-out-1").await);
    app.tg
        .wait_message(ADMIN, 0, "the payout", |s| {
            is_payout_event(s) && s.text.contains("cb-out-1")
        })
        .await;
    assert_eq!(post_signed(at, &body, KEY).await, (200, "ok".to_owned()));
    app.outbox_settled().await;
    let told = payout_events(&app, ADMIN);
    assert_eq!(told.len(), 1, "{told:#?}");
    assert_confirmed_5_trx(&told[0], "cb-out-1");
    assert_eq!(count(&app, "payout_told", "cb-out-1").await, 1);
}

/// `(rows in payments, rows in payouts)`: what callbacks stored.
async fn ledger_rows(app: &TestApp) -> (i64, i64) {
    let pool = db(app).await;
    let payments = sqlx::query_scalar("SELECT COUNT(*) FROM payments")
        .fetch_one(&pool)
        .await
        .unwrap();
    let payouts = sqlx::query_scalar("SELECT COUNT(*) FROM payouts")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    (payments, payouts)
}

/// Sends the request head and `sent` bytes of a body announced as 10 MiB (or chunked, with no
/// length), then stops sending and reads the answer: it must come although most of the body was
/// never sent.
async fn huge_body_answer(at: SocketAddr, chunked: bool, sent: usize) -> u16 {
    let mut stream = TcpStream::connect(at).await.unwrap();
    let framing = if chunked {
        "Transfer-Encoding: chunked".to_owned()
    } else {
        format!("Content-Length: {}", 10 * 1024 * 1024)
    };
    let head = format!(
        "POST /oxapay/callback HTTP/1.1\r\nHost: {at}\r\nContent-Type: application/json\r\n\
         HMAC: {}\r\n{framing}\r\n\r\n",
        "0".repeat(128)
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let piece = vec![b' '; 16 * 1024];
    for _ in 0..sent / piece.len() {
        if chunked {
            stream
                .write_all(format!("{:x}\r\n", piece.len()).as_bytes())
                .await
                .unwrap();
            stream.write_all(&piece).await.unwrap();
            stream.write_all(b"\r\n").await.unwrap();
        } else {
            stream.write_all(&piece).await.unwrap();
        }
    }
    read_status(&mut stream).await
}

/// A callback the bot cannot store (another process holds the database's write lock) is answered
/// `500`, never `ok`, and tells nothing; OxaPay's retry, once the database is free, is stored and
/// told once.
#[tokio::test]
async fn a_callback_that_cannot_be_stored_is_not_ok_and_its_retry_is_told() {
    let (app, at) = receiver(Setup::default()).await;
    let body = payout_callback(&payout("retried", "confirmed"));
    let lock = SqliteLock::hold(&app.db_path()).await;
    assert_eq!(post_signed(at, &body, KEY).await.0, 500);
    app.logs()
        .wait_for("the failure's line", 1, |e| {
            e.message == "could not record an OxaPay callback; OxaPay will retry"
        })
        .await;
    lock.release().await;
    assert_eq!(ledger_rows(&app).await, (0, 0), "nothing half-written");

    assert_eq!(post_signed(at, &body, KEY).await, (200, "ok".to_owned()));
    wait_told(&app, ADMIN, "✅ Payout confirmed", "retried").await;
    assert_eq!(payout_events(&app, ADMIN).len(), 1);
    assert_eq!(count(&app, "payout_told", "retried").await, 1);
}

/// What the receiver refuses, and that it stores nothing of it: a body signed with the other
/// key or with no key the bot holds (401); a body of 10 MiB, answered `400` although only
/// 128 KiB of it were ever sent; a validly signed body that is not JSON, not a callback type, or
/// not a payout (400). A good callback afterwards is still taken.
#[tokio::test]
async fn the_receiver_refuses_what_is_not_a_callback_and_stores_nothing() {
    let (app, at) = receiver(Setup::default()).await;
    let payout_body = payout_callback(&payout("wrong-key", "confirmed"));
    let payment_body = payment_callback("wrong-key-pay", "Paid");
    // Signed with the other key (both held): each key signs only its own types.
    assert_eq!(post_signed(at, &payout_body, MERCHANT).await.0, 401);
    assert_eq!(post_signed(at, &payment_body, KEY).await.0, 401);
    // Signed with a key that is no one's.
    assert_eq!(post_signed(at, &payout_body, "someone-else").await.0, 401);
    // 10 MiB, announced or chunked: answered after 128 KiB.
    for chunked in [false, true] {
        assert_eq!(
            huge_body_answer(at, chunked, 128 * 1024).await,
            400,
            "chunked: {chunked}"
        );
    }
    // Valid signatures over what is no callback.
    for (body, key) in [
        ("<html>not json</html>", MERCHANT),
        ("", KEY),
        (r#"{"type":"swap","track_id":"s1"}"#, MERCHANT),
        (r#"{"type":"payout","status":"Confirmed"}"#, KEY),
        (r#"["payout"]"#, KEY),
    ] {
        assert_eq!(post_signed(at, body, key).await.0, 400, "{body:?}");
    }
    assert_eq!(ledger_rows(&app).await, (0, 0), "nothing stored");

    // Still serving.
    let body = payout_callback(&payout("after", "confirmed"));
    assert_eq!(post_signed(at, &body, KEY).await, (200, "ok".to_owned()));
    assert_eq!(ledger_rows(&app).await, (0, 1));
    wait_told(&app, ADMIN, "✅ Payout confirmed", "after").await;
    let told = payout_events(&app, ADMIN);
    assert_eq!(told.len(), 1, "{told:#?}");
    assert!(told[0].ends_with("\ntrack after"), "{told:#?}");
}

/// Callbacks without a valid signature: `401` each, nothing stored, one log line for the lot
/// (with the first one's peer address, never the body). A callback signed with a key the bot
/// does not hold (here: no merchant key) gets one line naming the missing key, even within that
/// minute; later ones, and forgeries (which look the same), add none.
#[tokio::test]
async fn bad_signatures_are_logged_once_a_minute_and_a_missing_key_by_name() {
    let app = TestApp::spawn(balances(), receiving()).await;
    let at = callbacks_at(&app).await;
    let marker = "BODY-MARKER-do-not-log";
    let body = payout_callback(&payout(marker, "confirmed"));
    let (first, status) = post_raw(at, &body, None).await;
    assert_eq!(status, 401);
    for hmac in ["not-hex", "", "sha512=00", &"z".repeat(128)] {
        assert_eq!(post_raw(at, &body, Some(hmac)).await.1, 401, "{hmac:?}");
    }
    assert_eq!(ledger_rows(&app).await, (0, 0));
    let refused =
        |e: &crate::support::logs::LogEvent| e.message.starts_with("OxaPay callback refused");
    let lines = app.logs().wait_for("the refusal's line", 1, refused).await;
    assert_eq!(lines.len(), 1, "one line for five refusals: {lines:#?}");
    assert_eq!(lines[0].field("peer"), Some(first.to_string().as_str()));
    assert_eq!(lines[0].field("status"), Some("401"));
    assert_eq!(
        lines[0].message,
        "OxaPay callback refused: callback without an HMAC header"
    );

    // The bot holds no merchant key: a payment callback cannot be verified, and the log says why.
    let payment = payment_callback("no-merchant-key", "Paid");
    assert_eq!(post_signed(at, &payment, MERCHANT).await.0, 401);
    let named = app
        .logs()
        .wait_for("a line naming the missing key", 1, |e| {
            refused(e) && e.message.contains("OXAPAY_MERCHANT_API_KEY")
        })
        .await;
    assert_eq!(
        named[0].message,
        "OxaPay callback refused: callback with a signature that matches no key the bot holds; \
         it holds no merchant API key (OXAPAY_MERCHANT_API_KEY), so payment callbacks cannot be \
         verified"
    );
    assert_eq!(named[0].field("status"), Some("401"));
    // Once: more within the minute add no line, whatever their signature.
    let forged = sign_callback(body.as_bytes(), "guess");
    for hmac in [None, Some(forged.as_str()), Some(&"0".repeat(128))] {
        assert_eq!(post_raw(at, &body, hmac).await.1, 401, "{hmac:?}");
    }
    assert_eq!(post_signed(at, &payment, MERCHANT).await.0, 401);
    // A barrier through the same receiver: the refusals before it were handled.
    let after = payout_callback(&payout("barrier", "confirmed"));
    assert_eq!(post_signed(at, &after, KEY).await.0, 200);
    let events = app.logs().events();
    assert_eq!(
        events.iter().filter(|e| refused(e)).count(),
        2,
        "{events:#?}"
    );
    for e in events {
        let all = format!("{e}");
        assert!(
            !all.contains(marker) && !all.contains("no-merchant-key"),
            "{all}"
        );
    }
    assert_eq!(ledger_rows(&app).await, (0, 1));
}

/// The plain lines of `/tx TRACK_ID` in the admin's chat.
async fn tx_lines(app: &TestApp, track_id: &str) -> Vec<String> {
    let parts = reply(app, ADMIN, ADMIN, &format!("/tx {track_id}")).await;
    assert_eq!(parts.len(), 1, "{parts:#?}");
    parts[0].plain().lines().map(str::to_owned).collect()
}

/// A payout OxaPay called back about as `confirmed` and then lists as `rejected`: the callback
/// was told (it cannot be taken back), the list's status is what the ledger keeps ("the latest
/// read wins", logged as a status going backwards) and is not told.
#[tokio::test]
async fn a_poll_that_contradicts_a_callback_is_kept_and_not_told() {
    let (app, at) = receiver(polling()).await;
    payouts_polled(&app).await;
    let claimed = payout("contra", "confirmed");
    let body = payout_callback(&claimed);
    assert_eq!(post_signed(at, &body, KEY).await, (200, "ok".to_owned()));
    wait_told(&app, ADMIN, "✅ Payout confirmed", "contra").await;
    assert_eq!(payout_events(&app, ADMIN).len(), 1);

    app.oxa.add_payout(payout("contra", "rejected"));
    payouts_polled(&app).await;
    assert_eq!(
        payout_events(&app, ADMIN).len(),
        1,
        "the list's status is not told"
    );
    let logged = app
        .logs()
        .wait_for("the status stored but not told", 1, |e| {
            e.message == "payout status stored but not told"
                && e.field("track_id") == Some("contra")
        })
        .await;
    assert_eq!(
        logged[0].field("anomaly"),
        Some("Backwards { from: Confirmed, to: Rejected }")
    );
    let lines = tx_lines(&app, "contra").await;
    assert!(
        lines[0].starts_with("⛔ Payout contra: rejected since "),
        "{lines:#?}"
    );
    let seen = lines.iter().find(|l| l.starts_with("Seen: ")).unwrap();
    assert!(
        seen.starts_with("Seen: confirmed ") && seen.contains(" → rejected "),
        "{seen}"
    );
}

/// A payout OxaPay calls back about as `confirmed` while its list still says `processing`: told
/// once, at the callback; the lagging list is stored and tells nothing, and neither does the list
/// catching up.
#[tokio::test]
async fn a_callback_ahead_of_the_list_is_told_once() {
    let (app, at) = receiver(polling()).await;
    payouts_polled(&app).await;
    let p = payout("ahead", "processing");
    app.oxa.add_payout(p.clone());
    payouts_polled(&app).await;
    assert_eq!(payout_events(&app, ADMIN), Vec::<String>::new());

    let mut confirmed = p.clone();
    confirmed.status = "confirmed".into();
    let body = payout_callback(&confirmed);
    assert_eq!(post_signed(at, &body, KEY).await, (200, "ok".to_owned()));
    wait_told(&app, ADMIN, "✅ Payout confirmed", "ahead").await;
    let told = payout_events(&app, ADMIN);
    assert_eq!(told.len(), 1, "{told:#?}");
    assert!(
        told[0].starts_with("✅ Payout confirmed: 5 TRX"),
        "{told:#?}"
    );

    // The list lags: stored as it says, nothing told.
    payouts_polled(&app).await;
    assert_eq!(payout_events(&app, ADMIN), told);
    let lines = tx_lines(&app, "ahead").await;
    assert!(
        lines[0].starts_with("⏳ Payout ahead: processing since "),
        "{lines:#?}"
    );
    // It catches up: nothing more.
    app.oxa.set_payout_status("ahead", "confirmed");
    payouts_polled(&app).await;
    assert_eq!(payout_events(&app, ADMIN), told, "told once");
    let lines = tx_lines(&app, "ahead").await;
    assert!(
        lines[0].starts_with("✅ Payout ahead: confirmed since "),
        "{lines:#?}"
    );
    assert_eq!(count(&app, "payout_told", "ahead").await, 1);
}

/// Posts every body (signed with the merchant key) from `clients` connections at once, each
/// retrying on `500` and `503` as OxaPay would; returns the final answers and how many retries
/// it took.
async fn post_all(
    at: SocketAddr,
    bodies: Vec<String>,
    clients: usize,
) -> (Vec<(u16, String)>, u64) {
    let queue = Arc::new(Mutex::new(
        bodies.into_iter().enumerate().collect::<Vec<_>>(),
    ));
    let answers = Arc::new(Mutex::new(BTreeMap::new()));
    let retries = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()
        .unwrap();
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let (queue, answers, retries, client) = (
                queue.clone(),
                answers.clone(),
                retries.clone(),
                client.clone(),
            );
            tokio::spawn(async move {
                loop {
                    let Some((i, body)) = queue.lock().unwrap().pop() else {
                        return;
                    };
                    let signature = sign_callback(body.as_bytes(), MERCHANT);
                    let answer = loop {
                        let (status, text) = post(&client, at, &body, Some(&signature)).await;
                        if status != 500 && status != 503 {
                            break (status, text);
                        }
                        retries.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    };
                    answers.lock().unwrap().insert(i, answer);
                }
            })
        })
        .collect();
    for w in workers {
        w.await.unwrap();
    }
    let answers = std::mem::take(&mut *answers.lock().unwrap());
    (
        answers.into_values().collect(),
        retries.load(std::sync::atomic::Ordering::Relaxed),
    )
}

/// 1,000 callbacks from 50 clients at once — 900 payments, the first 100 of them sent twice side
/// by side: every one answered `200 ok`, and each payment told exactly once (one "told" row and
/// one owed message each). Telegram holds the chat's first message meanwhile, so the outbox shows
/// everything owed (Telegram's pacing, one message a second in a chat, is not under test).
#[tokio::test]
async fn a_thousand_callbacks_at_once_each_told_once() {
    let (app, at) = receiver(Setup::default().wide_telegram_limits()).await;
    let gate = crate::support::oxapay::Gate::new();
    app.tg.hold_chat(ADMIN, &gate);
    let mut bodies = Vec::new();
    for i in 0..900 {
        let body = payment_callback(&format!("burst-{i}"), "Paid");
        if i < 100 {
            bodies.push(body.clone());
        }
        bodies.push(body);
    }
    assert_eq!(bodies.len(), 1_000);
    let started = std::time::Instant::now();
    let (answers, retries) = post_all(at, bodies, 50).await;
    let took = started.elapsed();
    assert_eq!(answers.len(), 1_000);
    let not_ok: Vec<&(u16, String)> = answers
        .iter()
        .filter(|a| a.0 != 200 || a.1 != "ok")
        .collect();
    assert_eq!(not_ok, Vec::<&(u16, String)>::new());
    eprintln!("1,000 callbacks answered in {took:?}, {retries} retries");

    // Everything owed is in the outbox (the one being sent stays there until Telegram answers).
    app.tg.wait_held(ADMIN).await;
    let pool = db(&app).await;
    let owed: Vec<String> = sqlx::query_scalar("SELECT text FROM outbox WHERE chat_id = ?1")
        .bind(ADMIN)
        .fetch_all(&pool)
        .await
        .unwrap();
    let told: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM payment_told")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    assert_eq!(told, 900);
    let mut per_payment: BTreeMap<String, usize> = BTreeMap::new();
    for text in &owed {
        let id = text
            .split("track <code>")
            .nth(1)
            .and_then(|t| t.split("</code>").next())
            .unwrap_or_else(|| panic!("not a payment event: {text}"));
        *per_payment.entry(id.to_owned()).or_default() += 1;
    }
    let want: BTreeMap<String, usize> = (0..900).map(|i| (format!("burst-{i}"), 1)).collect();
    assert_eq!(per_payment, want, "each payment owed exactly once");
    // Telegram answers again: they go out.
    let before = app.tg.sent_to(ADMIN).len();
    gate.open();
    app.tg
        .wait_message(ADMIN, before + 9, "ten of them delivered", is_payment_event)
        .await;
}

/// Webhook mode, `/metrics` and the callback receiver in one process, each on its own port: a
/// command through the webhook, a callback through the receiver, the command counted in the
/// metrics; each path only on its own port.
#[tokio::test]
async fn webhook_metrics_and_callbacks_share_a_process_not_a_port() {
    const SECRET: &str = "webhook-secret-SECRET_0123456789";
    let setup = receiving()
        .env("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/tg/hook")
        .env("WEBHOOK_LISTEN", "127.0.0.1:0")
        .env("TELEGRAM_WEBHOOK_SECRET", SECRET)
        .env("METRICS_LISTEN", "127.0.0.1:0");
    let app = TestApp::spawn(balances(), setup).await;
    let bound = *app.progress().addresses().borrow();
    let (hook, metrics, callbacks) = (
        bound.webhook.unwrap(),
        bound.metrics.unwrap(),
        bound.callbacks.unwrap(),
    );
    let ports: BTreeSet<u16> = [hook.port(), metrics.port(), callbacks.port()].into();
    assert_eq!(ports.len(), 3, "{bound:?}");

    let client = reqwest::Client::new();
    let update = app.tg.text_update(ADMIN, ADMIN, "/payouts on");
    let answer = client
        .post(format!("http://{hook}/tg/hook"))
        .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
        .json(&update)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let (_, on) = app
        .tg
        .wait_message(ADMIN, 0, "the answer to /payouts on", |s| {
            s.text.starts_with("🔔 This chat hears payouts")
        })
        .await;
    assert!(on.plain().contains("/payouts off stops it"));

    let body = payout_callback(&payout("three-ports", "confirmed"));
    assert_eq!(
        post_signed(callbacks, &body, KEY).await,
        (200, "ok".to_owned())
    );
    app.tg
        .wait_message(ADMIN, 0, "the payout", |s| {
            is_payout_event(s) && s.text.contains("three-ports")
        })
        .await;

    let scrape = client
        .get(format!("http://{metrics}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(scrape.status(), 200);
    let text = scrape.text().await.unwrap();
    assert!(
        text.contains(r#"oxapay_bot_commands_total{command="payouts",outcome="ok"} 1"#),
        "{text}"
    );

    // Each path on its own port only.
    let signature = sign_callback(body.as_bytes(), KEY);
    let elsewhere = post(&client, hook, &body, Some(&signature)).await;
    let wrong_hook = client
        .post(format!("http://{callbacks}/tg/hook"))
        .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
        .json(&update)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16();
    let on_metrics = post(&client, metrics, &body, Some(&signature)).await;
    assert_eq!(
        (elsewhere.0, wrong_hook, on_metrics.0),
        (403, 404, 404),
        "the webhook refuses what lacks Telegram's secret; the others know no such path"
    );
    app.outbox_settled().await;
    assert_eq!(payout_events(&app, ADMIN).len(), 1);
}

/// The `check` line of `oxapay-bot check`.
async fn check_line(app: &TestApp, listen: Option<String>) -> (Option<i32>, String) {
    let mut env = app.env.clone();
    if let Some(l) = listen {
        env.insert("OXAPAY_CALLBACK_LISTEN".into(), l);
    }
    let out = run_to_end(&["check"], &env, app.dir.path()).await;
    let line = out
        .stdout
        .lines()
        .find(|l| l.starts_with("callbacks: "))
        .unwrap_or_else(|| panic!("no callbacks line: {}", out.all()))
        .to_owned();
    (out.code, line)
}

/// `check` says whether callbacks are off, whether their address can be listened on, and whether
/// it is taken by a running bot (which refuses an unsigned callback) or by another program.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_says_whether_the_callback_listener_can_bind() {
    let mut app = TestApp::prepare(balances(), Setup::default()).await;
    assert_eq!(
        check_line(&app, None).await,
        (
            Some(0),
            "callbacks: ok (off: set OXAPAY_CALLBACK_LISTEN to receive OxaPay's callbacks)"
                .to_owned()
        )
    );
    assert_eq!(
        check_line(&app, Some("127.0.0.1:0".into())).await,
        (
            Some(0),
            "callbacks: ok (can listen on 127.0.0.1:0; give OxaPay \
             https://<your host>/oxapay/callback)"
                .to_owned()
        )
    );

    app.env
        .insert("OXAPAY_CALLBACK_LISTEN".into(), "127.0.0.1:0".into());
    app.start().await;
    let running = callbacks_at(&app).await;
    assert_eq!(
        check_line(&app, Some(running.to_string())).await,
        (
            Some(0),
            format!(
                "callbacks: ok ({running} is taken by a running oxapay-bot, which refuses \
                 unsigned callbacks)"
            )
        )
    );
    app.stop().await;

    // Another program: it answers, but not as the bot would.
    let other = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let taken = other.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let app = axum::Router::new().fallback(|| async { "hello" });
        axum::serve(other, app).await.unwrap();
    });
    assert_eq!(
        check_line(&app, Some(taken.to_string())).await,
        (
            Some(1),
            format!(
                "callbacks: FAILED: {taken} is in use by another program: free it or change \
                 OXAPAY_CALLBACK_LISTEN"
            )
        )
    );
    server.abort();
}

/// The first `n` lines of a report's payouts section.
fn payouts_section(report: &str, n: usize) -> Vec<&str> {
    let lines: Vec<&str> = report.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("Payouts since the last report"))
        .unwrap_or_else(|| panic!("no payouts section: {report}"));
    lines[at..at + n].to_vec()
}

/// The feed's message for a confirmed 5 TRX payout (fee 1) with the test's address and hash.
fn assert_confirmed_5_trx(message: &str, track: &str) {
    let lines: Vec<&str> = message.lines().collect();
    assert!(
        lines[0].starts_with("✅ Payout confirmed: 5 TRX ≈ $0.50 (at the price of ")
            && lines[0].ends_with(" UTC), fee 1"),
        "{lines:#?}"
    );
    assert_eq!(
        lines[1..],
        [
            format!("To {ADDRESS_SHORT} on TRC20 · tx {HASH_SHORT}"),
            format!("track {track}")
        ]
    );
}
