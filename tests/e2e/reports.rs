//! Reports and history, end to end: `/report now` with exact numbers and changes,
//! scheduled slots (due at start, late after downtime, too late, exactly once across restarts),
//! OxaPay down at report time (the labelled stale report), `/report` settings and bad input, and
//! `/history` charts (a real PNG with a drawn line, an exact caption) and its replies without one.
//!
//! Scheduled slots are driven by seeding the schedule while the bot is stopped (`created_at`
//! before a slot that has passed, `last_slot` empty): the slot is due the moment the bot starts,
//! so no test waits for a wall-clock minute.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use oxapay_bot::chart::{LINE_RGB, MARKER_RGB};
use oxapay_bot::oxapay::Balances;
use oxapay_bot::rules::history::{parse_history_args, summarize};
use oxapay_bot::rules::schedule::{ReportRequest, next_slot, parse_report_args};
use oxapay_bot::texts::{self, MESSAGE_LIMIT, split_html};
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::support::html::{TextKind, check_text};
use crate::support::ids;
use crate::support::telegram::Sent;
use crate::support::{ADMIN, Endpoint, OxaReply, Setup, TestApp, TgFault};

const BERLIN: Tz = chrono_tz::Europe::Berlin;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn now() -> i64 {
    Utc::now().timestamp()
}

/// A moment as the bot shows it in a chat's zone: `Thu 27 Nov 2026 09:00 (Europe/Berlin)`.
fn zoned(unix: i64, zone: Tz) -> String {
    let t = DateTime::<Utc>::from_timestamp(unix, 0).unwrap();
    format!(
        "{} ({zone})",
        t.with_timezone(&zone).format("%a %d %b %Y %H:%M")
    )
}

/// The same to the second (the time of a balance read).
fn zoned_seconds(unix: i64, zone: Tz) -> String {
    let t = DateTime::<Utc>::from_timestamp(unix, 0).unwrap();
    format!(
        "{} ({zone})",
        t.with_timezone(&zone).format("%a %d %b %Y %H:%M:%S")
    )
}

/// Every way `show` prints a moment between `from` and `to` (both included): for a time the
/// test can only bracket.
fn any_of(from: i64, to: i64, show: impl Fn(i64) -> String) -> BTreeSet<String> {
    (from..=to).map(show).collect()
}

fn is_report(s: &Sent) -> bool {
    s.text.starts_with("📊 <b>Balance report</b>")
}

fn reports_to(app: &TestApp, chat: i64) -> Vec<Sent> {
    app.tg.sent_to(chat).into_iter().filter(is_report).collect()
}

fn lines(s: &Sent) -> Vec<String> {
    s.plain().lines().map(str::to_owned).collect()
}

/// The start of the minute `unix` falls in.
fn minute_of(unix: i64) -> i64 {
    unix - unix.rem_euclid(60)
}

/// `HH:MM` of a moment in UTC.
fn hhmm(unix: i64) -> String {
    DateTime::<Utc>::from_timestamp(unix, 0)
        .unwrap()
        .format("%H:%M")
        .to_string()
}

/// Seeds a daily `HH:MM UTC` report for `chat` (set by the admin) whose newest slot is `slot`,
/// set a minute before it and never run: due as soon as the bot looks.
async fn seed_daily_report(app: &TestApp, chat: i64, slot: i64) {
    let store = app.store().await;
    store
        .set_report(
            ids::chat(chat),
            &format!("{} UTC", hhmm(slot)),
            "UTC",
            &ids::actor(ADMIN),
            slot - 60,
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .report_of(ids::chat(chat))
            .await
            .unwrap()
            .unwrap()
            .last_slot,
        None
    );
    store.close().await;
}

async fn last_slot(app: &TestApp, chat: i64) -> Option<i64> {
    let store = app.store().await;
    let s = store
        .report_of(ids::chat(chat))
        .await
        .unwrap()
        .and_then(|s| s.last_slot);
    store.close().await;
    s
}

/// Restarts the bot and proves a whole scheduler pass ran after the start (and everything it
/// wrote was delivered); returns nothing new was sent in `chat`'s reports meanwhile.
async fn restart_and_let_the_scheduler_look(app: &mut TestApp, chat: i64) {
    app.stop().await;
    let passes = app.report_passes();
    app.start().await;
    app.report_passes_completed(passes + 1).await;
    app.outbox_settled().await;
    app.tg.barrier(chat).await;
}

/// Sends `/report now` as `user` in `chat` and returns the report it brings. Proves there was no
/// other reply: besides the report, only the barrier's answer arrived.
async fn report_now(app: &TestApp, chat: i64, user: i64) -> Sent {
    let before = app.tg.sent_to(chat).len();
    app.tg.send_text(chat, user, "/report now");
    let (_, report) = app
        .tg
        .wait_message(chat, before, "the report", is_report)
        .await;
    app.tg.barrier(chat).await;
    let others: Vec<String> = app.tg.sent_to(chat)[before..]
        .iter()
        .filter(|s| !is_report(s) && !s.text.contains("barrier-"))
        .map(Sent::plain)
        .collect();
    assert_eq!(others, Vec::<String>::new(), "no reply besides the report");
    assert_eq!(report.parse_mode.as_deref(), Some("HTML"));
    report
}

const PRICES: &[(&str, &str)] = &[
    ("BTC", "50000"),
    ("USDT", "1"),
    ("DOGE", "0.1"),
    ("LTC", "80"),
    ("TRX", "0.1"),
];

/// Worth $25,000 + $13,855.50 + $10 = $38,865.50.
fn first_account() -> OxaReply {
    OxaReply::balances(&[
        ("BTC", "0.50000000"),
        ("USDT", "13855.5"),
        ("DOGE", "100"),
        ("TRX", "0"),
    ])
}

/// BTC up 0.015, USDT down 2,124.50, DOGE emptied, LTC new: worth $37,661.00, which is
/// $1,204.50 less (−3.0992… %).
fn second_account() -> OxaReply {
    OxaReply::balances(&[
        ("BTC", "0.51500000"),
        ("USDT", "11731"),
        ("DOGE", "0"),
        ("LTC", "2.25"),
        ("TRX", "0"),
    ])
}

#[tokio::test]
async fn report_now_arrives_through_the_outbox_with_exact_figures_and_exact_changes() {
    let app = TestApp::spawn(first_account(), Setup::default().no_cache()).await;
    app.oxa.set_prices(OxaReply::prices(PRICES));

    let t0 = now();
    let first = report_now(&app, ADMIN, ADMIN).await;
    let t1 = now();
    let l = lines(&first);
    assert!(
        any_of(t0, t1, |t| format!(
            "📊 Balance report — {}",
            zoned(t, Tz::UTC)
        ))
        .contains(&l[0]),
        "{l:#?}"
    );
    assert_eq!(
        l[1..6],
        [
            "BTC       0.50000000  $25,000.00",
            "USDT  13855.5         $13,855.50",
            "DOGE    100               $10.00",
            "Total: $38,865.50",
            "The first report here: nothing to compare yet.",
        ],
        "{l:#?}"
    );
    assert!(
        any_of(t0, t1, |t| format!(
            "Balances read {}",
            zoned_seconds(t, Tz::UTC)
        ))
        .contains(&l[6])
            && l.len() == 7,
        "{l:#?}"
    );

    app.oxa.set(second_account());
    let t2 = now();
    let second = report_now(&app, ADMIN, ADMIN).await;
    let t3 = now();
    let l = lines(&second);
    assert!(
        any_of(t2, t3, |t| format!(
            "📊 Balance report — {}",
            zoned(t, Tz::UTC)
        ))
        .contains(&l[0]),
        "{l:#?}"
    );
    assert_eq!(
        l[1..5],
        [
            "BTC       0.51500000  $25,750.00",
            "USDT  11731           $11,731.00",
            "LTC       2.25           $180.00",
            "Total: $37,661.00",
        ],
        "{l:#?}"
    );
    // The previous report's time is when it was written.
    assert!(
        any_of(t0, t1, |t| format!(
            "Since the last report ({}):",
            zoned(t, Tz::UTC)
        ))
        .contains(&l[5]),
        "{l:#?}"
    );
    assert_eq!(
        l[6..11],
        [
            "BTC   +0.01500000 BTC",
            "DOGE  −100 DOGE (now empty)",
            "LTC   +2.25 LTC (new)",
            "USDT  −2124.5 USDT",
            "Total: −1,204.50 USD (−3.1 %)",
        ],
        "{l:#?}"
    );
    assert!(
        l[11].starts_with("Balances read ") && l.len() == 12,
        "{l:#?}"
    );

    // A third report with nothing changed says so.
    let third = report_now(&app, ADMIN, ADMIN).await;
    let l = lines(&third);
    assert!(
        l.iter()
            .any(|x| x.starts_with("No change since the last report (")),
        "{l:#?}"
    );
    assert_eq!(reports_to(&app, ADMIN).len(), 3);
}

/// A report lists the levels crossed now and since when, in the chat's zone (remembered from
/// `/report … Europe/Berlin`).
#[tokio::test]
async fn a_report_lists_the_levels_crossed_now_in_the_chats_zone() {
    let app = TestApp::spawn(
        first_account(),
        Setup::default().checking_every_second().no_cache(),
    )
    .await;
    app.oxa.set_prices(OxaReply::prices(PRICES));
    app.ask(ADMIN, ADMIN, "/report 09:00 Europe/Berlin").await;
    let t0 = now();
    app.ask(ADMIN, ADMIN, "/alert BTC 1").await;
    app.ask(ADMIN, ADMIN, "/alert total above 30000").await;
    app.ask(ADMIN, ADMIN, "/alert USDT 5").await; // not crossed
    for told in [
        "Low balance: BTC 0.50000000",
        "Total value $38,865.50 is above",
    ] {
        app.tg
            .wait_message(ADMIN, 0, told, |s| s.plain().contains(told))
            .await;
    }
    let t1 = now();

    let report = report_now(&app, ADMIN, ADMIN).await;
    let l = lines(&report);
    assert!(l[0].ends_with(" (Europe/Berlin)"), "{l:#?}");
    let at = l
        .iter()
        .position(|x| x == "Levels crossed now")
        .unwrap_or_else(|| panic!("{l:#?}"));
    let since = |what: &'static str| {
        any_of(t0, t1, move |t| {
            format!("{what} since {}", zoned(t, BERLIN))
        })
    };
    // In the order of /alerts: the total first, then by currency.
    assert!(
        since("🔺 Total value above $30,000.00: high").contains(&l[at + 1]),
        "{l:#?}"
    );
    assert!(since("⚠️ BTC below 1: low").contains(&l[at + 2]), "{l:#?}");
    assert!(
        l[at + 3].starts_with("Balances read ") && l[at + 3].ends_with(" (Europe/Berlin)"),
        "{l:#?}"
    );
    assert_eq!(l.len(), at + 4, "{l:#?}");
}

/// `/report now` while OxaPay is down: a report all the same, from the newest stored balances and
/// labelled as such — or, with nothing stored yet, one that says there is nothing to report.
/// Never an old read presented as current.
#[tokio::test]
async fn report_now_with_oxapay_down_uses_the_stored_balances_labelled() {
    let app = TestApp::spawn(first_account(), Setup::default()).await;
    app.oxa
        .set(OxaReply::status(502, "<html>502 Bad Gateway</html>"));
    let t0 = now();
    let report = report_now(&app, ADMIN, ADMIN).await;
    let t1 = now();
    let expected = any_of(t0, t1, |t| {
        format!(
            "📊 Balance report — {}\n⚠️ OxaPay has not answered and no earlier balances are \
             stored yet, so there is nothing to report this time.",
            zoned(t, Tz::UTC)
        )
    });
    assert!(expected.contains(&report.plain()), "{}", report.plain());

    let read_at = now() - 600;
    let store = app.store().await;
    let read = Balances::new(BTreeMap::from([(ids::cur("BTC"), d("9"))]));
    store.record_snapshot(read_at, &read, None).await.unwrap();
    store.close().await;
    let l = lines(&report_now(&app, ADMIN, ADMIN).await);
    assert_eq!(
        l[1..],
        [
            format!(
                "⚠️ OxaPay has not answered since {}; these are the balances read then.",
                zoned(read_at, Tz::UTC)
            ),
            "BTC  9".into(),
            "Values are not shown for stored balances.".into(),
            "The first report here: nothing to compare yet.".into(),
            format!("Balances read {}", zoned_seconds(read_at, Tz::UTC)),
        ],
        "{l:#?}"
    );
}

/// Returns once the clock is at most 45 s into its minute, so a slot set for this minute is
/// still inside it when the scheduler's first pass runs: that pass comes well under a second
/// after the start here (0.1–0.3 s measured), so the 15 s left hold at many times that load.
/// (It waits on the clock itself, at most 15 s; no assertion depends on how long.)
async fn early_in_a_minute() {
    while now().rem_euclid(60) > 45 {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The account of the scheduled tests, without prices (the fake's default): amounts by symbol
/// and the line saying why there are no values.
const UNPRICED_BLOCK: [&str; 4] = [
    "BTC       0.50000000",
    "DOGE    100",
    "USDT  13855.5",
    "USD prices are unavailable right now (HTTP 503), so no values are shown.",
];

/// A slot that is due when the bot starts is sent by the scheduler's first pass, inside its own
/// minute (so not flagged late), and never again: after a restart the scheduler looks again and
/// sends nothing. A slot of the next minute, in another chat, is left for its minute.
#[tokio::test]
async fn a_due_slot_is_sent_in_its_minute_and_not_again_after_a_restart() {
    const GROUP: i64 = -6006;
    let mut app = TestApp::prepare(first_account(), Setup::default()).await;
    early_in_a_minute().await;
    let slot = minute_of(now());
    seed_daily_report(&app, ADMIN, slot).await;
    let store = app.store().await;
    store
        .allow(ids::chat(GROUP), &ids::actor(ADMIN), ids::chat(ADMIN), 0)
        .await
        .unwrap();
    store.close().await;
    seed_daily_report(&app, GROUP, slot + 60).await;
    app.start().await;
    // The pass at start: the slot was due, so that pass wrote the report and recorded the slot
    // in one transaction; the next minute's slot it left alone.
    app.report_passes_completed(1).await;
    assert_eq!(
        last_slot(&app, ADMIN).await,
        Some(slot),
        "sent by the first pass"
    );
    assert_eq!(last_slot(&app, GROUP).await, None, "not before its minute");
    let (_, report) = app
        .tg
        .wait_message(ADMIN, 0, "the scheduled report", is_report)
        .await;
    let arrived = now();
    let l = lines(&report);
    assert_eq!(
        l[0],
        format!("📊 Balance report — {}", zoned(slot, Tz::UTC))
    );
    // Inside its minute: no "late" line.
    assert_eq!(l[1..5], UNPRICED_BLOCK, "{l:#?}");
    assert_eq!(l[5], "The first report here: nothing to compare yet.");
    assert!(
        any_of(slot, arrived, |t| format!(
            "Balances read {}",
            zoned_seconds(t, Tz::UTC)
        ))
        .contains(&l[6])
            && l.len() == 7,
        "{l:#?}"
    );
    assert_eq!(last_slot(&app, ADMIN).await, Some(slot));

    restart_and_let_the_scheduler_look(&mut app, ADMIN).await;
    assert_eq!(reports_to(&app, ADMIN).len(), 1, "the slot is sent once");
    assert_eq!(last_slot(&app, ADMIN).await, Some(slot));
}

/// A slot missed while the bot was down (two hours ago) runs once when it starts, saying how
/// late it is; a restart does not send it again.
#[tokio::test]
async fn a_slot_missed_while_down_runs_once_at_start_and_says_it_is_late() {
    let mut app = TestApp::prepare(first_account(), Setup::default()).await;
    let slot = minute_of(now()) - 2 * 3600;
    seed_daily_report(&app, ADMIN, slot).await;
    let started = now();
    app.start().await;
    let (_, report) = app
        .tg
        .wait_message(ADMIN, 0, "the late report", is_report)
        .await;
    let arrived = now();
    let l = lines(&report);
    assert_eq!(
        l[0],
        format!("📊 Balance report — {}", zoned(slot, Tz::UTC))
    );
    let late = any_of(started, arrived, |t| {
        let minutes = (t - slot) / 60;
        format!(
            "⏰ Late by {} h {} min: it was due at {} and the bot was not running then.",
            minutes / 60,
            minutes % 60,
            zoned(slot, Tz::UTC)
        )
    });
    assert!(late.contains(&l[1]), "{l:#?} (expected one of {late:#?})");
    assert_eq!(l[2..6], UNPRICED_BLOCK, "{l:#?}");
    assert_eq!(l[6], "The first report here: nothing to compare yet.");
    assert_eq!(last_slot(&app, ADMIN).await, Some(slot));

    restart_and_let_the_scheduler_look(&mut app, ADMIN).await;
    assert_eq!(reports_to(&app, ADMIN).len(), 1);
}

/// A mute holds alerts, not reports: a chat muted for two hours still gets its scheduled report,
/// and the mute is still there after it.
#[tokio::test]
async fn a_scheduled_report_is_not_held_by_a_mute() {
    let mut app = TestApp::prepare(first_account(), Setup::default()).await;
    let slot = minute_of(now()) - 3600;
    seed_daily_report(&app, ADMIN, slot).await;
    let store = app.store().await;
    let until = now() + 7200;
    store
        .set_mute(ids::chat(ADMIN), until, ids::chat(ADMIN), now())
        .await
        .unwrap();
    store.close().await;
    app.start().await;
    let (_, report) = app
        .tg
        .wait_message(ADMIN, 0, "the scheduled report", is_report)
        .await;
    let l = lines(&report);
    assert_eq!(
        l[0],
        format!("📊 Balance report — {}", zoned(slot, Tz::UTC))
    );
    assert_eq!(last_slot(&app, ADMIN).await, Some(slot));
    let r = app.ask(ADMIN, ADMIN, "/mute").await;
    assert!(
        r.text()
            .starts_with("🔕 This chat's alerts are muted until "),
        "{r}"
    );
}

/// A slot more than 6 hours late is skipped: logged once, marked handled, never sent — not at
/// start, not after a restart.
#[tokio::test]
async fn a_slot_more_than_6_hours_late_is_skipped_and_logged_not_sent() {
    const SKIPPED: &str =
        "report slot missed by more than 6 hours (the bot was not running); skipped";
    let mut app = TestApp::prepare(first_account(), Setup::default()).await;
    let slot = minute_of(now()) - 7 * 3600;
    seed_daily_report(&app, ADMIN, slot).await;
    app.start().await;
    let logged = app
        .logs()
        .wait_for("the skipped slot in the log", 1, |e| e.message == SKIPPED)
        .await;
    assert_eq!(logged[0].level, tracing::Level::WARN);
    assert_eq!(logged[0].field("chat_id"), Some("1001"));
    assert_eq!(logged[0].field("late_h"), Some("7"));
    assert_eq!(
        logged[0].field("slot"),
        Some(
            DateTime::<Utc>::from_timestamp(slot, 0)
                .unwrap()
                .to_string()
                .as_str()
        )
    );
    app.report_passes_completed(1).await;
    app.outbox_settled().await;
    app.tg.barrier(ADMIN).await;
    assert_eq!(reports_to(&app, ADMIN).len(), 0);
    assert_eq!(
        last_slot(&app, ADMIN).await,
        Some(slot),
        "handled: not again"
    );

    restart_and_let_the_scheduler_look(&mut app, ADMIN).await;
    assert_eq!(reports_to(&app, ADMIN).len(), 0);
    assert_eq!(app.logs().with_message(SKIPPED).len(), 1, "logged once");
}

/// OxaPay is down when a slot comes: the report waits (no stored balances are used within the
/// half hour) and goes out with fresh balances once OxaPay answers again.
#[tokio::test]
async fn a_report_waits_for_oxapay_and_goes_out_fresh_when_it_answers() {
    let app = TestApp::prepare(first_account(), Setup::default().no_cache()).await;
    let slot = minute_of(now()) - 10 * 60;
    seed_daily_report(&app, ADMIN, slot).await;
    // Balances read earlier: within the half hour they must not be used.
    let store = app.store().await;
    store
        .record_snapshot(
            slot - 3600,
            &Balances::new(BTreeMap::from([(ids::cur("BTC"), d("9"))])),
            None,
        )
        .await
        .unwrap();
    store.close().await;
    app.oxa
        .set(OxaReply::status(502, "<html>502 Bad Gateway</html>"));
    let mut app = app;
    app.start().await;
    app.logs()
        .wait_for("the report waiting for OxaPay", 1, |e| {
            e.message == "report waits for OxaPay; trying again in a minute"
                && e.field("chat_id") == Some("1001")
        })
        .await;
    app.report_passes_completed(1).await;
    app.outbox_settled().await;
    app.tg.barrier(ADMIN).await;
    assert_eq!(reports_to(&app, ADMIN).len(), 0, "nothing sent yet");
    assert_eq!(last_slot(&app, ADMIN).await, None, "the slot is still owed");

    // OxaPay answers again. The scheduler would try again within the minute; a schedule set in
    // another chat wakes it at once (any change does), so the test need not wait that minute.
    app.oxa.set(first_account());
    let passes = app.report_passes();
    app.ask(-3003, ADMIN, "/report 09:00").await;
    app.report_passes_completed(passes + 1).await;
    let (_, report) = app.tg.wait_message(ADMIN, 0, "the report", is_report).await;
    let l = lines(&report);
    assert_eq!(
        l[0],
        format!("📊 Balance report — {}", zoned(slot, Tz::UTC))
    );
    assert!(l[1].starts_with("⏰ Late by 1"), "{l:#?}");
    assert_eq!(
        l[2..6],
        UNPRICED_BLOCK,
        "fresh balances, not stored ones: {l:#?}"
    );
    assert_eq!(last_slot(&app, ADMIN).await, Some(slot));
    app.outbox_settled().await;
    app.tg.barrier(ADMIN).await;
    assert_eq!(reports_to(&app, ADMIN).len(), 1);
}

/// OxaPay has not answered for more than half an hour after the slot: the report is built from
/// the newest stored snapshot and says plainly that those are old balances, and from when.
#[tokio::test]
async fn oxapay_down_30_minutes_after_the_slot_gives_the_labelled_stored_report() {
    let mut app = TestApp::prepare(first_account(), Setup::default()).await;
    let slot = minute_of(now()) - 40 * 60;
    let read_at = slot - 20 * 60 - 17;
    seed_daily_report(&app, ADMIN, slot).await;
    let store = app.store().await;
    let amounts = |pairs: &[(&str, &str)]| -> Balances {
        Balances::new(pairs.iter().map(|(c, a)| (ids::cur(c), d(a))).collect())
    };
    // An older snapshot, and the newest one the report must use.
    store
        .record_snapshot(
            read_at - 3600,
            &amounts(&[("BTC", "7"), ("USDT", "1")]),
            Some(ids::usd("350001")),
        )
        .await
        .unwrap();
    store
        .record_snapshot(
            read_at,
            &amounts(&[
                ("BTC", "0.50000000"),
                ("USDT", "13855.5"),
                ("DOGE", "100"),
                ("TRX", "0"),
            ]),
            Some(ids::usd("38865.50")),
        )
        .await
        .unwrap();
    store.close().await;
    app.oxa.go_down().await;
    let started = now();
    app.start().await;
    let (_, report) = app
        .tg
        .wait_message(ADMIN, 0, "the stale report", is_report)
        .await;
    let arrived = now();
    let l = lines(&report);
    assert_eq!(
        l[0],
        format!("📊 Balance report — {}", zoned(slot, Tz::UTC))
    );
    let late = any_of(started, arrived, |t| {
        format!(
            "⏰ Late by {} min: it was due at {} and the bot was not running then.",
            (t - slot) / 60,
            zoned(slot, Tz::UTC)
        )
    });
    assert!(late.contains(&l[1]), "{l:#?}");
    assert_eq!(
        l[2..],
        [
            format!(
                "⚠️ OxaPay has not answered since {}; these are the balances read then.",
                zoned(read_at, Tz::UTC)
            ),
            "BTC       0.50000000".into(),
            "DOGE    100".into(),
            "USDT  13855.5".into(),
            "Values are not shown for stored balances.".into(),
            "Total then: $38,865.50".into(),
            "The first report here: nothing to compare yet.".into(),
            format!("Balances read {}", zoned_seconds(read_at, Tz::UTC)),
        ],
        "{l:#?}"
    );
    assert_eq!(last_slot(&app, ADMIN).await, Some(slot));
    // Failed reads are not history: only the two seeded snapshots are there.
    assert_eq!(app.snapshots(), 0);
    let store = app.store().await;
    assert_eq!(
        store.snapshot_times().await.unwrap(),
        [read_at - 3600, read_at]
    );
    store.close().await;
    restart_and_let_the_scheduler_look(&mut app, ADMIN).await;
    assert_eq!(reports_to(&app, ADMIN).len(), 1);
}

/// The next run of a daily (`weekday` = None) or weekly report at `h:m` in `zone`, strictly
/// after `after` — worked out here independently of the bot (no daylight-saving edge at the
/// times the tests use).
fn next_run(after: i64, zone: Tz, weekday: Option<chrono::Weekday>, h: u32, m: u32) -> i64 {
    let local = DateTime::<Utc>::from_timestamp(after, 0)
        .unwrap()
        .with_timezone(&zone)
        .date_naive();
    (0..9)
        .map(|days| local + chrono::Days::new(days))
        .filter(|day| weekday.is_none_or(|w| chrono::Datelike::weekday(day) == w))
        .filter_map(|day| {
            zone.from_local_datetime(&day.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap()))
                .earliest()
        })
        .map(|t| t.timestamp())
        .find(|&t| t > after)
        .unwrap()
}

fn utc_clock(unix: i64) -> String {
    DateTime::<Utc>::from_timestamp(unix, 0)
        .unwrap()
        .format("%a %H:%M UTC")
        .to_string()
}

/// Asks and checks the reply against the text `expected` builds from the next run, for either
/// side of the moment the bot computed it (the test only brackets that moment).
async fn ask_with_next(
    app: &TestApp,
    text: &str,
    expected: impl Fn(i64) -> String,
    next: impl Fn(i64) -> i64,
) {
    let before = now();
    let reply = app.ask(ADMIN, ADMIN, text).await;
    let after = now();
    let candidates: BTreeSet<String> = (before..=after).map(|t| expected(next(t))).collect();
    assert!(
        candidates.contains(&reply.text()),
        "{text}: {reply} (expected one of {candidates:#?})"
    );
}

#[tokio::test]
async fn report_settings_show_the_next_run_in_the_chats_zone_and_utc_and_remember_the_zone() {
    let app = TestApp::spawn(first_account(), Setup::default()).await;
    let none = "This chat has no scheduled report. /report 09:00 Europe/Berlin sets a daily one, \
                /report mon 09:00 a weekly one; /report now shows what it looks like.";
    assert_eq!(app.ask(ADMIN, ADMIN, "/report").await.text(), none);

    let set = |what: &'static str, zone: Tz| {
        move |next: i64| {
            format!(
                "📊 Reports set: {what}. Next: {} — {}.",
                zoned(next, zone),
                utc_clock(next)
            )
        }
    };
    ask_with_next(
        &app,
        "/report 09:00 europe/berlin",
        set("every day at 09:00 (Europe/Berlin)", BERLIN),
        |t| next_run(t, BERLIN, None, 9, 0),
    )
    .await;
    ask_with_next(
        &app,
        "/report",
        |next| {
            format!(
                "📊 This chat gets a report every day at 09:00 (Europe/Berlin). Next: {} — {}. \
                 /report off stops it, /report now sends one now.",
                zoned(next, BERLIN),
                utc_clock(next)
            )
        },
        |t| next_run(t, BERLIN, None, 9, 0),
    )
    .await;
    // The zone is remembered for the next schedule set without one.
    ask_with_next(
        &app,
        "/report 10:00",
        set("every day at 10:00 (Europe/Berlin)", BERLIN),
        |t| next_run(t, BERLIN, None, 10, 0),
    )
    .await;
    // Weekly, in another zone (which becomes the chat's zone).
    ask_with_next(
        &app,
        "/report SUN 18:30 Asia/Tehran",
        set(
            "every Sunday at 18:30 (Asia/Tehran)",
            chrono_tz::Asia::Tehran,
        ),
        |t| {
            next_run(
                t,
                chrono_tz::Asia::Tehran,
                Some(chrono::Weekday::Sun),
                18,
                30,
            )
        },
    )
    .await;
    ask_with_next(
        &app,
        "/report monday 7:05",
        set(
            "every Monday at 07:05 (Asia/Tehran)",
            chrono_tz::Asia::Tehran,
        ),
        |t| next_run(t, chrono_tz::Asia::Tehran, Some(chrono::Weekday::Mon), 7, 5),
    )
    .await;

    assert_eq!(
        app.ask(ADMIN, ADMIN, "/report off").await.text(),
        "Scheduled reports stopped for this chat."
    );
    assert_eq!(
        app.ask(ADMIN, ADMIN, "/report off").await.text(),
        "This chat had no scheduled report."
    );
    assert_eq!(app.ask(ADMIN, ADMIN, "/report").await.text(), none);
    // Setting schedules for later sent nothing.
    app.outbox_settled().await;
    assert_eq!(reports_to(&app, ADMIN).len(), 0);
}

#[tokio::test]
async fn bad_report_arguments_get_a_reply_saying_what_is_accepted_and_change_nothing() {
    let app = TestApp::spawn(first_account(), Setup::default()).await;
    let usage = "use /report 09:00 or /report 09:00 Europe/Berlin (daily), /report mon 09:00 [TZ] \
                 (weekly), /report off, /report now, or /report to see it. TZ is an IANA zone name \
                 such as UTC, Europe/Berlin or Asia/Tehran.";
    let not_a_time = |w: &str| {
        format!(
            "“{w}” is not a time: write HH:MM on a 24-hour clock, like 09:00 or 18:30 — {usage}"
        )
    };
    let cases = [
        ("/report 25:00", not_a_time("25:00")),
        ("/report 9am", not_a_time("9am")),
        ("/report 09:60", not_a_time("09:60")),
        ("/report Mars/Olympus", not_a_time("Mars/Olympus")),
        (
            "/report 09:00 Mars/Olympus",
            format!(
                "“Mars/Olympus” is not a time zone: write an IANA zone name like Europe/Berlin, \
                 Asia/Tehran or UTC — {usage}"
            ),
        ),
        (
            "/report funday 09:00",
            format!(
                "“funday” is not a day of the week: write mon, tue, wed, thu, fri, sat or sun, or \
                 the full name, like monday — {usage}"
            ),
        ),
        (
            "/report off now",
            format!("“off” stands alone: nothing may follow it — {usage}"),
        ),
        (
            "/report 09:00 mon",
            format!("the day comes before the time, like mon 09:00 — {usage}"),
        ),
    ];
    for (ask, expected) in cases {
        assert_eq!(app.ask(ADMIN, ADMIN, ask).await.text(), expected, "{ask}");
    }
    assert!(
        app.ask(ADMIN, ADMIN, "/report")
            .await
            .text()
            .starts_with("This chat has no scheduled report."),
        "nothing was set"
    );
    assert_eq!(
        app.ask(ADMIN, ADMIN, "/history BTC 14d").await.text(),
        "“14d” is not a period: write 7d, 30d, 90d or 1y — use /history (total value, 30 days), \
         /history BTC, /history total 7d; periods: 7d, 30d, 90d, 1y."
    );
}

/// `/help` lists the report and history commands.
#[tokio::test]
async fn help_lists_report_and_history() {
    let app = TestApp::spawn(first_account(), Setup::default()).await;
    app.ask(ADMIN, ADMIN, "/allow 2002").await;
    let help = app.ask(2002, 2002, "/help").await;
    for line in [
        "/report 09:00 [TZ] — a balance report here every day at that time (TZ like \
         Europe/Berlin; /report mon 09:00: weekly); /report shows it, /report off stops it, \
         /report now sends one now",
        "/history [CUR|total] [7d|30d|90d|1y] — a chart of the balance, e.g. /history BTC 7d",
    ] {
        assert!(help.has_line(line), "{line:?} missing from {help}");
    }
}

// ----- history -----------------------------------------------------------------------------------

/// The `/history` reply as sent: the photo (the only one in the chat) and its caption as the user
/// sees it.
async fn history_photo(app: &TestApp, chat: i64, text: &str) -> crate::support::telegram::Photo {
    let before = app.tg.photos().len();
    let replies = app.tg.sent_to(chat).len();
    app.tg.send_text(chat, ADMIN, text);
    app.tg.barrier(chat).await;
    let photos = app.tg.photos();
    assert_eq!(photos.len(), before + 1, "one photo for {text}");
    let texts: Vec<String> = app.tg.sent_to(chat)[replies..]
        .iter()
        .filter(|s| !s.text.contains("barrier-"))
        .map(Sent::plain)
        .collect();
    assert_eq!(texts, Vec::<String>::new(), "the chart is the whole reply");
    photos[before].clone()
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
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let channels = match info.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => panic!("unexpected colour type {other:?}"),
    };
    let rgb = buf[..info.buffer_size()]
        .chunks_exact(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    Image {
        width: info.width,
        height: info.height,
        rgb,
    }
}

impl Image {
    fn pixel(&self, x: u32, y: u32) -> [u8; 3] {
        self.rgb[(y * self.width + x) as usize]
    }

    /// Columns, and rows, holding at least one pixel of `colour`.
    fn extent_of(&self, colour: [u8; 3]) -> (BTreeSet<u32>, BTreeSet<u32>) {
        let mut columns = BTreeSet::new();
        let mut rows = BTreeSet::new();
        for y in 0..self.height {
            for x in 0..self.width {
                if self.pixel(x, y) == colour {
                    columns.insert(x);
                    rows.insert(y);
                }
            }
        }
        (columns, rows)
    }
}

fn caption_lines(photo: &crate::support::telegram::Photo) -> Vec<String> {
    assert_eq!(photo.parse_mode.as_deref(), Some("HTML"));
    let caption = photo.caption.as_deref().expect("a caption");
    crate::support::html::check_text(
        caption,
        Some("HTML"),
        crate::support::html::TextKind::Caption,
    )
    .expect("a caption Telegram accepts")
    .lines()
    .map(str::to_owned)
    .collect()
}

/// Five snapshots over six days: BTC and the total value move, the extremes in the middle.
async fn seed_week(app: &TestApp, base: i64) -> [i64; 5] {
    let at = [
        base - 6 * 86_400,
        base - 5 * 86_400,
        base - 3 * 86_400,
        base - 86_400,
        base - 3_600,
    ];
    let points = [
        ("0.50000000", "38865.50"),
        ("0.8", "40000"),
        ("0.2", "30000.25"),
        ("1.25", "45000"),
        ("0.75", "37661"),
    ];
    let store = app.store().await;
    for (t, (btc, total)) in at.iter().zip(points) {
        let read = Balances::new(BTreeMap::from([
            (ids::cur("BTC"), d(btc)),
            (ids::cur("USDT"), d("100")),
        ]));
        store
            .record_snapshot(*t, &read, Some(ids::usd(total)))
            .await
            .unwrap();
    }
    store.close().await;
    at
}

#[tokio::test]
async fn history_sends_a_png_chart_with_a_drawn_line_and_an_exact_caption() {
    let mut app = TestApp::prepare(first_account(), Setup::default()).await;
    let at = seed_week(&app, now()).await;
    // The chat's zone (from an earlier /report) is the caption's and the chart's.
    let store = app.store().await;
    store
        .set_report(
            ids::chat(ADMIN),
            "09:00 Europe/Berlin",
            "Europe/Berlin",
            &ids::actor(ADMIN),
            now(),
        )
        .await
        .unwrap();
    store.close().await;
    app.start().await;

    let photo = history_photo(&app, ADMIN, "/history btc 7d").await;
    assert_eq!(
        caption_lines(&photo),
        [
            "📈 BTC, last 7 days".to_owned(),
            format!("First: 0.50000000 BTC — {}", zoned(at[0], BERLIN)),
            format!("Last: 0.75 BTC — {}", zoned(at[4], BERLIN)),
            "Change: +0.25000000 BTC (+50.0 %)".to_owned(),
            format!("Min: 0.2 BTC — {}", zoned(at[2], BERLIN)),
            format!("Max: 1.25 BTC — {}", zoned(at[3], BERLIN)),
            "5 points".to_owned(),
        ]
    );
    let bytes = photo.bytes();
    assert!(bytes.len() < 150 * 1024, "{} bytes", bytes.len());
    let image = decode_png(bytes);
    assert_eq!((image.width, image.height), (1280, 720));
    // A line, not only a header: the line's colour runs across most of the width (six of the
    // seven days have points) and climbs and falls over many rows.
    let (columns, rows) = image.extent_of(LINE_RGB);
    assert!(
        columns.len() > 600,
        "the line covers {} columns",
        columns.len()
    );
    assert!(rows.len() > 150, "the line covers {} rows", rows.len());
    let (left, right) = (*columns.first().unwrap(), *columns.last().unwrap());
    assert!(
        left < 400 && right > 1000,
        "the line runs from x={left} to x={right}"
    );
    // The minimum and the maximum are marked, in their own colour.
    let (marked, _) = image.extent_of(MARKER_RGB);
    assert!(!marked.is_empty(), "no min/max marker drawn");

    // The total value, in USD, over 30 days.
    let photo = history_photo(&app, ADMIN, "/history").await;
    assert_eq!(
        caption_lines(&photo),
        [
            "📈 Total value (USD), last 30 days".to_owned(),
            format!("First: $38,865.50 — {}", zoned(at[0], BERLIN)),
            format!("Last: $37,661.00 — {}", zoned(at[4], BERLIN)),
            "Change: −1,204.50 USD (−3.1 %)".to_owned(),
            format!("Min: $30,000.25 — {}", zoned(at[2], BERLIN)),
            format!("Max: $45,000.00 — {}", zoned(at[3], BERLIN)),
            "5 points".to_owned(),
        ]
    );
    let image = decode_png(photo.bytes());
    assert_eq!((image.width, image.height), (1280, 720));
    let (columns, _) = image.extent_of(LINE_RGB);
    assert!(
        columns.len() > 150,
        "the line covers {} columns",
        columns.len()
    );
}

#[tokio::test]
async fn history_without_a_chart_says_why() {
    let mut app = TestApp::prepare(first_account(), Setup::default()).await;
    // Nothing recorded yet.
    app.start().await;
    let none = "No balance history yet. The bot records the balances with the first successful \
                read and then every 15 min — ask again later.";
    assert_eq!(app.ask(ADMIN, ADMIN, "/history").await.text(), none);
    assert_eq!(app.ask(ADMIN, ADMIN, "/history BTC 7d").await.text(), none);
    app.stop().await;

    // One snapshot, without a total (prices were unavailable).
    let at = now() - 7_200;
    let store = app.store().await;
    let read = Balances::new(BTreeMap::from([(ids::cur("BTC"), d("0.5"))]));
    store.record_snapshot(at, &read, None).await.unwrap();
    store.close().await;
    app.start().await;
    let too_few = |n: usize| {
        format!(
            "Too few points for a line yet: {n} in this period (recording since {}). Try again \
             later, or a longer period such as /history total 90d.",
            zoned(at, Tz::UTC)
        )
    };
    assert_eq!(
        app.ask(ADMIN, ADMIN, "/history BTC").await.text(),
        too_few(1)
    );
    assert_eq!(
        app.ask(ADMIN, ADMIN, "/history eth 1y").await.text(),
        too_few(0)
    );
    let no_total = "No USD totals are recorded for this period (prices were unavailable, or a \
                    wallet had no price). Ask for one currency instead, e.g. /history BTC 30d.";
    assert_eq!(app.ask(ADMIN, ADMIN, "/history").await.text(), no_total);
    assert_eq!(
        app.ask(ADMIN, ADMIN, "/history total 90d").await.text(),
        no_total
    );
    assert_eq!(app.tg.photos().len(), 0);
}

/// Every successful read is recorded, whoever made it, but at most one per
/// `HISTORY_INTERVAL_SECS` (10 s here): reads that span two clock seconds within the interval
/// leave one snapshot (without the interval rule each second would have its own), and the next
/// comes an interval later (the recorder's own read: nobody else read for a whole interval).
/// The reads take about a second (they stop at the first clock second after the snapshot's), so
/// they fall inside the interval even on a machine ten times slower.
#[tokio::test]
async fn balance_reads_are_recorded_at_most_once_per_interval() {
    const INTERVAL: i64 = 10;
    let app = TestApp::spawn(
        first_account(),
        Setup::default()
            .no_cache()
            .env("HISTORY_INTERVAL_SECS", INTERVAL.to_string()),
    )
    .await;
    app.ask(ADMIN, ADMIN, "/balance").await;
    app.snapshots_recorded(1).await;
    let store = app.store().await;
    let a = store.snapshot_times().await.unwrap()[0];
    let reads = || app.oxa.calls_to(Endpoint::LegacyBalance);
    let before = reads();
    // Reads until one falls in a later clock second than the snapshot (about a second of them).
    let mut asked = 0;
    while asked < 2 || now() <= a {
        app.ask(ADMIN, ADMIN, "/balance").await;
        asked += 1;
    }
    app.ask(ADMIN, ADMIN, "/balance").await;
    let e = now();
    assert!(reads() > before + asked, "each /balance read OxaPay");
    assert!(e < a + INTERVAL, "the reads took {} s", e - a);
    // The next snapshot, an interval later.
    app.snapshots_recorded(2).await;
    let times = store.snapshot_times().await.unwrap();
    assert!(
        times.windows(2).all(|w| w[1] - w[0] >= INTERVAL),
        "at most one per interval: {times:?}"
    );
    let within: Vec<i64> = times.iter().copied().filter(|&t| t <= e).collect();
    assert_eq!(within, [a], "reads from {a} to {e}");
    // What was recorded is what OxaPay said, every amount exact.
    let newest = store.newest_snapshot().await.unwrap().unwrap();
    assert_eq!(
        newest.amounts,
        BTreeMap::from([
            (ids::cur("BTC"), d("0.50000000")),
            (ids::cur("DOGE"), d("100")),
            (ids::cur("TRX"), d("0")),
            (ids::cur("USDT"), d("13855.5")),
        ])
    );
    assert_eq!(newest.total_usd, None, "no prices, no total");
    store.close().await;
}

/// A fan-out cut by a stop: one chat's report went out, the other's is still owed (Telegram
/// asked to wait). After the restart the owed one is delivered once and the scheduler writes
/// neither again: the slot was recorded with the outbox rows.
#[tokio::test]
async fn a_fan_out_cut_by_a_stop_delivers_each_report_once_after_the_restart() {
    const HELD: i64 = -3003;
    const SENT: i64 = -3004;
    let mut app = TestApp::prepare(first_account(), Setup::default()).await;
    let slot = minute_of(now()) - 3600;
    seed_daily_report(&app, HELD, slot).await;
    seed_daily_report(&app, SENT, slot).await;
    app.tg.set_chat_fault(HELD, Some(TgFault::retry_after(1)));
    app.start().await;
    app.tg.wait_message(SENT, 0, "the report", is_report).await;
    app.tg
        .wait_attempt("a refused report to the held chat", |a| {
            a.chat_id == Some(HELD) && a.failure.is_some()
        })
        .await;
    app.stop().await;
    assert_eq!(last_slot(&app, HELD).await, Some(slot));
    assert_eq!(last_slot(&app, SENT).await, Some(slot));
    assert_eq!(reports_to(&app, HELD).len(), 0);

    app.tg.set_chat_fault(HELD, None);
    let passes = app.report_passes();
    app.start().await;
    let (_, report) = app
        .tg
        .wait_message(HELD, 0, "the owed report", is_report)
        .await;
    assert_eq!(
        lines(&report)[0],
        format!("📊 Balance report — {}", zoned(slot, Tz::UTC))
    );
    app.report_passes_completed(passes + 1).await;
    app.outbox_settled().await;
    app.tg.barrier(ADMIN).await;
    assert_eq!(reports_to(&app, HELD).len(), 1);
    assert_eq!(reports_to(&app, SENT).len(), 1);
}

/// Nobody reads the balances (no levels, no reports, no commands): the recorder reads them itself
/// once an interval, so the history runs anyway.
#[tokio::test]
async fn history_is_recorded_when_nobody_asks() {
    let app = TestApp::spawn(
        first_account(),
        Setup::default().env("HISTORY_INTERVAL_SECS", "1"),
    )
    .await;
    app.snapshots_recorded(2).await;
    assert!(app.oxa.calls_to(Endpoint::LegacyBalance) >= 2);
    let store = app.store().await;
    let times = store.snapshot_times().await.unwrap();
    assert!(
        times.len() >= 2 && times.windows(2).all(|w| w[1] > w[0]),
        "{times:?}"
    );
    store.close().await;
}

// ----- hostile input -----------------------------------------------------------------------------

/// Sends `html` as the bot does (split into pieces) and checks each piece as Telegram would.
fn assert_telegram_accepts(html: &str, kind: TextKind) -> Result<(), TestCaseError> {
    for piece in split_html(html, MESSAGE_LIMIT) {
        if let Err(why) = check_text(&piece, Some("HTML"), kind) {
            return Err(TestCaseError::fail(format!("{why}: {piece:?}")));
        }
    }
    Ok(())
}

use crate::support::ids::any_lang;

fn any_zone() -> impl Strategy<Value = Option<Tz>> {
    proptest::option::of(proptest::sample::select(&chrono_tz::TZ_VARIANTS[..]))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    /// `/report` arguments, whatever they are: a request, or a reply saying what is accepted that
    /// Telegram takes. An accepted schedule prints back to arguments that give it again, and its
    /// replies are valid too.
    #[test]
    fn report_arguments_give_a_request_or_a_valid_reply(
        s in prop_oneof![
            any::<String>(),
            r"((mon|Tue|WEDNESDAY|sun|funday|[a-zA-Z]{1,9}) )?[0-9]{0,3}[:.h]?[0-9]{0,3}( ([A-Za-z_]{1,12}/[A-Za-z_+-]{1,14}|utc|UTC|<b>|&amp;|[^ ]{1,30}))?",
            r#"[<>&;#/a-z0-9 "'=:\n]{0,40}"#,
        ],
        zone in any_zone(),
        at in 0i64..4_102_444_800,
        lang in any_lang(),
    ) {
        match parse_report_args(&s, zone) {
            Ok(ReportRequest::Set(schedule)) => {
                prop_assert_eq!(
                    parse_report_args(&schedule.to_args(), None),
                    Ok(ReportRequest::Set(schedule))
                );
                let next = next_slot(&schedule, DateTime::from_timestamp(at, 0).unwrap());
                prop_assert!(next.timestamp() > at);
                assert_telegram_accepts(&texts::report_set(lang, &schedule, next.timestamp()), TextKind::Message)?;
                assert_telegram_accepts(&texts::report_status(lang, Some((&schedule, next.timestamp()))), TextKind::Message)?;
            }
            Ok(_) => {}
            Err(e) => {
                let problem = texts::report_args_problem(lang, &e);
                let reply = texts::bad_argument(lang, &problem, &texts::report_usage(lang));
                assert_telegram_accepts(&reply, TextKind::Message)?;
                // What is quoted back is short and cannot reorder or break the reply.
                let plain = check_text(&reply, Some("HTML"), TextKind::Message).unwrap();
                prop_assert!(plain.chars().count() < 600, "{plain}");
                prop_assert!(!plain.contains(['\u{202E}', '\n', '\u{2066}']), "{plain:?}");
            }
        }
    }

    /// `/history` arguments, whatever they are: a request whose replies Telegram takes (the
    /// caption as a caption, within its 1,024 characters, with extreme figures), or a reply
    /// saying what is accepted.
    #[test]
    fn history_arguments_give_a_request_or_a_valid_reply(
        s in prop_oneof![
            any::<String>(),
            r"([A-Za-z0-9<>&;$]{1,12}|total|TOTAL)? ?([0-9]{1,3}[a-zA-Z]{0,6})?( [^ ]{0,10})?",
            r#"[<>&;#/a-z0-9 "'=\n]{0,40}"#,
        ],
        zone in any_zone(),
        first in any::<i64>(),
        last in any::<i64>(),
        scale in 0u32..=28,
        at in 0i64..4_102_444_800,
        lang in any_lang(),
    ) {
        let zone = zone.unwrap_or(Tz::UTC);
        match parse_history_args(&s) {
            Ok(request) => {
                let series = [
                    (at - 60, Decimal::new(first, scale)),
                    (at, Decimal::new(last, scale)),
                ];
                if let Ok(summary) = summarize(&series) {
                    let caption = texts::history_caption(lang, &request.subject, request.span, &summary, zone);
                    if let Err(why) = check_text(&caption, Some("HTML"), TextKind::Caption) {
                        return Err(TestCaseError::fail(format!("{why}: {caption:?}")));
                    }
                }
                assert_telegram_accepts(&texts::history_too_few(lang, 1, at, zone), TextKind::Message)?;
            }
            Err(e) => {
                assert_telegram_accepts(
                    &texts::bad_argument(
                        lang,
                        &texts::history_args_problem(lang, &e),
                        &texts::history_usage(lang),
                    ),
                    TextKind::Message,
                )?;
            }
        }
    }
}

/// The same through the bot: hostile arguments get a reply Telegram accepts (the fake refuses
/// anything else, and the test fails on any refusal) that names the word at fault, escaped and
/// shortened, says what is accepted, and changes nothing.
#[tokio::test]
async fn hostile_report_and_history_arguments_get_valid_replies_through_the_bot() {
    let app = TestApp::spawn(first_account(), Setup::default()).await;
    let report_use = " — use /report 09:00 or /report 09:00 Europe/Berlin (daily), /report mon \
                      09:00 [TZ] (weekly), /report off, /report now, or /report to see it. TZ is \
                      an IANA zone name such as UTC, Europe/Berlin or Asia/Tehran.";
    let history_use = " — use /history (total value, 30 days), /history BTC, /history total 7d; periods: 7d, \
         30d, 90d, 1y.";
    let not_a_time = |w: &str| {
        format!(
            "“{w}” is not a time: write HH:MM on a 24-hour clock, like 09:00 or 18:30{report_use}"
        )
    };
    let not_a_zone = |w: &str| {
        format!(
            "“{w}” is not a time zone: write an IANA zone name like Europe/Berlin, Asia/Tehran or \
             UTC{report_use}"
        )
    };
    let neither = |w: &str| {
        format!(
            "“{w}” is neither a currency nor a period: write a currency like BTC (or total) and a \
             period of 7d, 30d, 90d or 1y{history_use}"
        )
    };
    let nines = "9".repeat(5000);
    let shortened = format!("{}…", "9".repeat(24));
    // (arguments, the reply to /report, the reply to /history); a bidirectional control
    // character is shown as U+FFFD, so it cannot turn the rest of the line around.
    let cases = [
        ("<b>", not_a_time("<b>"), neither("<b>")),
        (
            "09:00 <i>Europe/Berlin</i>",
            not_a_zone("<i>Europe/Berlin</i>"),
            neither("09:00"),
        ),
        (
            "mon&amp; 09:00",
            not_a_time("mon&amp;"),
            neither("mon&amp;"),
        ),
        (
            "09:00 Europe/Berlin&",
            not_a_zone("Europe/Berlin&"),
            neither("09:00"),
        ),
        (
            "\u{202E}09:00",
            not_a_time("\u{FFFD}09:00"),
            neither("\u{FFFD}09:00"),
        ),
        (
            "09:00\u{2066} UTC",
            not_a_time("09:00\u{FFFD}"),
            neither("09:00\u{FFFD}"),
        ),
        (
            &nines,
            not_a_time(&shortened),
            format!("“{shortened}” is not a period: write 7d, 30d, 90d or 1y{history_use}"),
        ),
        ("💰💰💰 🏦", not_a_time("💰💰💰"), neither("💰💰💰")),
        (
            "off <script>",
            format!("“off” stands alone: nothing may follow it{report_use}"),
            neither("<script>"),
        ),
        (
            "total 7d <b>x</b>",
            format!(
                "“total” is not a day of the week: write mon, tue, wed, thu, fri, sat or sun, or \
                 the full name, like monday{report_use}"
            ),
            format!(
                "too many words: write at most a currency (or total) and a period, like BTC \
                 90d{history_use}"
            ),
        ),
    ];
    for (args, report, history) in &cases {
        for (command, expected) in [("/report", report), ("/history", history)] {
            let reply = app.ask(ADMIN, ADMIN, &format!("{command} {args}")).await;
            assert_eq!(reply.text(), *expected, "{command} {args:?}");
        }
    }
    assert!(
        app.ask(ADMIN, ADMIN, "/report")
            .await
            .text()
            .starts_with("This chat has no scheduled report.")
    );
    assert_eq!(app.tg.photos().len(), 0);
}
