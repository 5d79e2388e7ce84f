//! Low-balance alerts end to end: levels set through commands, the real checker loop, the fake
//! OxaPay's balances changing underneath, alerts read off the fake Telegram. Waits are on the
//! checker's progress counters, never on a pause.

use std::str::FromStr;

use oxapay_bot::rules::alerts::Direction;
use oxapay_bot::rules::oxapay_health::Health;
use oxapay_bot::store::{CheckRecord, MessageKind, Owed, Store};
use rust_decimal::Decimal;

use crate::support::ids;
use crate::support::oxapay::Gate;
use crate::support::{ADMIN, OxaReply, Setup, TestApp, TgFault};

/// Owed messages, written as a check writes them (while the bot is stopped).
async fn owe(store: &Store, messages: &[Owed]) {
    store
        .record_check(&CheckRecord {
            transitions: &[],
            messages,
            health: &Health::default(),
            success_at: None,
            mutes_ended: &[],
            now: 0,
        })
        .await
        .unwrap();
}

const CHAT: i64 = 2002;

fn btc(amount: &str) -> OxaReply {
    OxaReply::balances(&[("BTC", amount), ("USDT", "100")])
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// The bot checking every second, reading OxaPay each time, with `CHAT` allowed.
async fn checking(reply: OxaReply, setup: Setup) -> TestApp {
    let app = TestApp::spawn(reply, setup.checking_every_second().no_cache()).await;
    app.ask(ADMIN, ADMIN, &format!("/allow {CHAT}")).await;
    app
}

/// Who writes in `chat` in these tests: its user in a private chat, member 7 in a group.
fn user_in(chat: i64) -> i64 {
    if chat > 0 { chat } else { 7 }
}

/// `/alerts` in `chat`: the level lines (between the heading and the last-check line).
/// A bot not yet started (the shipped 300 s interval) whose database allows `CHAT` with a level
/// BTC below 1, written while it was stopped; OxaPay says 0.1 BTC.
async fn low_level_set_while_stopped() -> TestApp {
    let app = TestApp::prepare(btc("0.1"), Setup::default()).await;
    let store = app.store().await;
    store
        .allow(ids::chat(CHAT), &ids::actor(ADMIN), ids::chat(ADMIN), 0)
        .await
        .unwrap();
    store
        .set_threshold(
            ids::chat(CHAT),
            &ids::subject("BTC"),
            Direction::Below,
            d("1"),
            &ids::actor(ADMIN),
            0,
        )
        .await
        .unwrap();
    store.close().await;
    app
}

async fn levels(app: &TestApp, chat: i64) -> Vec<String> {
    let r = app.ask(chat, user_in(chat), "/alerts").await;
    let lines = r.lines();
    assert_eq!(lines[0], "Alerts of this chat", "{r}");
    lines[1..lines.len() - 1].to_vec()
}

fn low_since(line: &str, prefix: &str) -> bool {
    line.strip_prefix(prefix)
        .and_then(|t| t.strip_suffix(" UTC"))
        .is_some_and(|t| chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S").is_ok())
}

#[tokio::test]
async fn low_then_recovered_then_low_again_each_told_once() {
    let app = checking(btc("0.25"), Setup::default()).await;
    let r = app.ask(CHAT, CHAT, "/alert btc 1").await;
    assert_eq!(
        r.text(),
        "Alert set: this chat is told when BTC falls below 1. The next balance check tells you where it stands."
    );
    let told = app.tg.wait_broadcasts(CHAT, 1).await;
    assert_eq!(
        told,
        ["⚠️ Low balance: BTC 0.25 is below your alert level 1"]
    );
    // Several more cycles below the level: still exactly one alert.
    app.wait_deliveries(3).await;
    assert_eq!(app.tg.broadcasts_to(CHAT).len(), 1);
    let r = app.ask(CHAT, CHAT, "/alerts").await;
    let lines = r.lines();
    assert!(low_since(&lines[1], "BTC below 1: low since "), "{r}");
    assert!(low_since(&lines[2], "Last successful check: "), "{r}");

    // Back above: one recovery.
    app.oxa.set(btc("2"));
    let told = app.tg.wait_broadcasts(CHAT, 2).await;
    assert_eq!(told[1], "✅ BTC recovered: 2 (alert level 1)");
    // Exactly at the level is fine: nothing.
    app.oxa.set(btc("1.00000000"));
    app.wait_deliveries(3).await;
    assert_eq!(app.tg.broadcasts_to(CHAT).len(), 2);
    assert_eq!(levels(&app, CHAT).await, ["BTC below 1: ok"]);
    // Below again, by the smallest step: a new alert.
    app.oxa.set(btc("0.99999999"));
    let told = app.tg.wait_broadcasts(CHAT, 3).await;
    assert_eq!(
        told[2],
        "⚠️ Low balance: BTC 0.99999999 is below your alert level 1"
    );
}

#[tokio::test]
async fn a_currency_the_account_does_not_list_counts_as_zero() {
    let app = checking(btc("5"), Setup::default()).await;
    app.ask(CHAT, CHAT, "/alert TRX 10").await;
    let told = app.tg.wait_broadcasts(CHAT, 1).await;
    assert_eq!(told, ["⚠️ Low balance: TRX 0 is below your alert level 10"]);
}

#[tokio::test]
async fn failing_oxapay_is_not_a_zero_and_admins_hear_after_n_failures() {
    let app = checking(
        btc("5"),
        Setup::default().env("ALERT_FAILURES_BEFORE_NOTICE", "2"),
    )
    .await;
    app.ask(CHAT, CHAT, "/alert BTC 1").await;
    app.wait_deliveries(2).await;
    assert_eq!(levels(&app, CHAT).await, ["BTC below 1: ok"]);

    app.oxa
        .set(OxaReply::status(502, "<html>Bad gateway</html>"));
    let notices = app.tg.wait_broadcasts(ADMIN, 1).await;
    let prefix = "🔴 OxaPay has been unreachable since ";
    let suffix = " UTC (2 balance checks failed in a row). Low-balance alerts are on hold until it answers. Last error: HTTP status 502";
    assert!(
        notices[0].starts_with(prefix) && notices[0].ends_with(suffix),
        "{}",
        notices[0]
    );
    // More failed checks: told once, no alert, no state change.
    app.wait_deliveries(3).await;
    assert_eq!(app.tg.broadcasts_to(ADMIN).len(), 1);
    assert_eq!(app.tg.broadcasts_to(CHAT), Vec::<String>::new());
    assert_eq!(levels(&app, CHAT).await, ["BTC below 1: ok"]);

    app.oxa.set(btc("5"));
    let notices = app.tg.wait_broadcasts(ADMIN, 2).await;
    assert!(
        notices[1].starts_with("🟢 OxaPay answers again (unreachable from ")
            && notices[1].ends_with(" UTC). Low-balance alerts resume."),
        "{}",
        notices[1]
    );
}

#[tokio::test]
async fn a_restart_while_low_sends_no_duplicate() {
    let mut app = checking(btc("0.1"), Setup::default()).await;
    app.ask(CHAT, CHAT, "/alert BTC 1").await;
    app.tg.wait_broadcasts(CHAT, 1).await;
    app.restart().await;
    app.wait_deliveries(2).await;
    assert_eq!(
        app.tg.broadcasts_to(CHAT),
        ["⚠️ Low balance: BTC 0.1 is below your alert level 1"]
    );
    app.stop().await;
}

#[tokio::test]
async fn a_level_set_while_the_bot_was_down_is_checked_at_start() {
    let mut app = low_level_set_while_stopped().await;
    // The interval is the shipped 300 s: only the check at start can send this.
    app.start().await;
    let told = app.tg.wait_broadcasts(CHAT, 1).await;
    assert_eq!(
        told,
        ["⚠️ Low balance: BTC 0.1 is below your alert level 1"]
    );
}

/// A changed level starts as "not yet checked", and the next check tells the chat again if the
/// balance is below it.
#[tokio::test]
async fn a_changed_level_starts_not_yet_checked() {
    let mut app = low_level_set_while_stopped().await;
    app.start().await;
    app.tg.wait_broadcasts(CHAT, 1).await;
    let lines = levels(&app, CHAT).await;
    assert!(low_since(&lines[0], "BTC below 1: low since "), "{lines:?}");
    // The shipped interval (300 s): no check runs between these commands.
    app.ask(CHAT, CHAT, "/alert BTC 2").await;
    assert_eq!(levels(&app, CHAT).await, ["BTC below 2: not yet checked"]);
    // The next check (the one at start) tells the chat about the new level.
    app.restart().await;
    let told = app.tg.wait_broadcasts(CHAT, 2).await;
    assert_eq!(
        told[1],
        "⚠️ Low balance: BTC 0.1 is below your alert level 2"
    );
    app.stop().await;
}

/// The checker keeps the levels it evaluated between checks; a level changed or removed in
/// between is read again by the next check.
#[tokio::test]
async fn a_level_changed_or_removed_between_checks_is_what_the_next_check_sees() {
    let app = checking(btc("5"), Setup::default()).await;
    app.ask(CHAT, CHAT, "/alert BTC 1").await;
    // Checked and held: 5 is above 1, nothing to tell.
    app.wait_deliveries(2).await;
    assert_eq!(app.tg.broadcasts_to(CHAT), Vec::<String>::new());
    app.ask(CHAT, CHAT, "/alert BTC 10").await;
    app.wait_deliveries(2).await;
    assert_eq!(
        app.tg.broadcasts_to(CHAT),
        ["⚠️ Low balance: BTC 5 is below your alert level 10"]
    );
    app.ask(CHAT, CHAT, "/alert btc off").await;
    app.oxa.set(btc("20"));
    app.wait_deliveries(2).await;
    assert_eq!(
        app.tg.broadcasts_to(CHAT).len(),
        1,
        "a removed level is not told"
    );
}

#[tokio::test]
async fn alert_off_means_silence() {
    let app = checking(btc("5"), Setup::default()).await;
    app.ask(CHAT, CHAT, "/alert BTC 1").await;
    let r = app.ask(CHAT, CHAT, "/alert btc off").await;
    assert_eq!(r.text(), "The alert for BTC was removed.");
    let r = app.ask(CHAT, CHAT, "/alert btc off").await;
    assert_eq!(r.text(), "This chat had no alert for BTC.");
    app.oxa.set(btc("0"));
    app.wait_deliveries(2).await;
    assert_eq!(app.tg.broadcasts_to(CHAT), Vec::<String>::new());
    let r = app.ask(CHAT, CHAT, "/alerts").await;
    assert_eq!(
        r.text(),
        "This chat has no alerts. Set one with /alert CUR AMOUNT or /alert CUR above AMOUNT."
    );
}

#[tokio::test]
async fn a_repeat_interval_repeats_while_low() {
    let app = checking(btc("0.5"), Setup::default().env("ALERT_REPEAT_SECS", "1")).await;
    app.ask(CHAT, CHAT, "/alert BTC 1").await;
    let told = app.tg.wait_broadcasts(CHAT, 3).await;
    assert_eq!(
        told[0],
        "⚠️ Low balance: BTC 0.5 is below your alert level 1"
    );
    for repeat in &told[1..] {
        assert!(
            repeat.starts_with("⚠️ Still low: BTC 0.5 is below your alert level 1 (since ")
                && repeat.ends_with(" UTC)"),
            "{told:?}"
        );
    }
}

/// Every bad argument gets a sentence saying what was wrong and what is accepted, and nothing is
/// stored. The interval is the shipped 300 s and the start-up check is over, so no check can
/// change what `/alerts` shows in between.
#[tokio::test]
async fn bad_alert_arguments_are_explained_and_nothing_is_stored() {
    let app = TestApp::spawn(btc("5"), Setup::default()).await;
    app.checks_completed(1).await;
    let usage = crate::support::html::plain_text(&oxapay_bot::texts::alert_usage(
        oxapay_bot::texts::Lang::En,
    ));
    let not_plain = "the amount must be a plain number like 0.5, 1000 or 1234.5678";
    let not_currency = "a currency code is 2 to 10 letters or digits, like BTC or USDT";
    let cases = [
        ("/alert", "a currency and an amount are missing".to_owned()),
        ("/alert BTC", "the amount is missing".to_owned()),
        ("/alert BTC 0", "“0” is not accepted: the amount must be above zero".to_owned()),
        ("/alert BTC -5", "“-5” is not accepted: the amount must be above zero".to_owned()),
        ("/alert BTC 1e3", format!("“1e3” is not accepted: {not_plain}")),
        ("/alert BTC NaN", format!("“NaN” is not accepted: {not_plain}")),
        ("/alert BTC 1,000", format!("“1,000” is not accepted: {not_plain}")),
        (
            "/alert BTC 1000000000000000000000",
            "“1000000000000000000000” is not accepted: the amount is too large or too precise: at most 15 digits before the point, 18 after it, 28 in all".to_owned(),
        ),
        ("/alert B 5", format!("“B” is not a currency: {not_currency}")),
        ("/alert BITCOINCASH1 5", format!("“BITCOINCASH1” is not a currency: {not_currency}")),
        ("/alert 💰 5", format!("“💰” is not a currency: {not_currency}")),
        (
            "/alert BTC 5 6",
            "too many words: give a currency, optionally below or above, and an amount".to_owned(),
        ),
    ];
    for (input, problem) in cases {
        let r = app.ask(ADMIN, ADMIN, input).await;
        assert_eq!(r.text(), format!("{problem} — {usage}"), "{input}");
    }
    let r = app.ask(ADMIN, ADMIN, "/alerts").await;
    assert_eq!(
        r.text(),
        "This chat has no alerts. Set one with /alert CUR AMOUNT or /alert CUR above AMOUNT."
    );
    let r = app.ask(ADMIN, ADMIN, "/alert usdt 1234.5678").await;
    assert_eq!(
        r.text(),
        "Alert set: this chat is told when USDT falls below 1234.5678. The next balance check tells you where it stands."
    );
    let r = app.ask(ADMIN, ADMIN, "/alerts").await;
    assert_eq!(
        r.lines(),
        [
            "Alerts of this chat",
            "USDT below 1234.5678: not yet checked",
            "No successful check yet."
        ]
    );
}

/// At most 15 digits before the point, 18 after it, and 28 in all; the value is stored and
/// echoed exactly as typed.
#[tokio::test]
async fn alert_amounts_keep_every_digit_up_to_the_documented_limits() {
    let app = TestApp::spawn(btc("5"), Setup::default()).await;
    // After the check at start, none runs for 300 s: every level stays "not yet checked".
    app.checks_completed(1).await;
    for ok in [
        "800000000000000.0000000000000",
        "0.000000000000000001",
        "999999999999999",
        "1.50",
    ] {
        let r = app.ask(ADMIN, ADMIN, &format!("/alert BTC {ok}")).await;
        assert_eq!(
            r.text(),
            format!(
                "Alert set: this chat is told when BTC falls below {ok}. The next balance check tells you where it stands."
            )
        );
        let r = app.ask(ADMIN, ADMIN, "/alerts").await;
        assert_eq!(r.lines()[1], format!("BTC below {ok}: not yet checked"));
    }
    for too_much in [
        "800000000000000.00000000000000",
        "0.0000000000000000001",
        "1000000000000000",
    ] {
        let r = app
            .ask(ADMIN, ADMIN, &format!("/alert BTC {too_much}"))
            .await;
        // Long input is quoted shortened.
        let mut quoted: String = too_much.chars().take(24).collect();
        if quoted.len() < too_much.len() {
            quoted.push('…');
        }
        assert!(
            r.text().starts_with(&format!(
                "“{quoted}” is not accepted: the amount is too large or too precise"
            )),
            "{too_much}: {r}"
        );
    }
}

#[tokio::test]
async fn admins_see_every_chats_alerts_others_do_not() {
    let app = TestApp::spawn(btc("5"), Setup::default()).await;
    app.checks_completed(1).await;
    app.ask(ADMIN, ADMIN, &format!("/allow {CHAT}")).await;
    app.ask(CHAT, CHAT, "/alert BTC 1").await;
    let r = app.ask(ADMIN, ADMIN, "/alerts all").await;
    assert_eq!(
        r.lines(),
        [
            "Alerts of every chat",
            "2002 BTC below 1: not yet checked",
            "No successful check yet."
        ]
    );
    let r = app.ask(CHAT, CHAT, "/alerts all").await;
    assert_eq!(r.text(), "Only admins can do that.");
}

#[tokio::test]
async fn no_levels_means_no_oxapay_call() {
    let app = TestApp::spawn(btc("5"), Setup::default().checking_every_second()).await;
    app.wait_checks(3).await;
    assert_eq!(app.oxa.calls(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_chats_one_oxapay_call_every_alert_delivered() {
    let mut app = TestApp::prepare(btc("0.5"), Setup::default().wide_telegram_limits()).await;
    let store = app.store().await;
    let chats: Vec<i64> = (10_000..11_000).collect();
    for chat in &chats {
        store
            .allow(ids::chat(*chat), &ids::actor(ADMIN), ids::chat(ADMIN), 0)
            .await
            .unwrap();
        store
            .set_threshold(
                ids::chat(*chat),
                &ids::subject("BTC"),
                Direction::Below,
                d("1"),
                &ids::actor(ADMIN),
                0,
            )
            .await
            .unwrap();
    }
    store.close().await;
    app.start().await;
    // The check at start, then the delivery pass that empties the outbox.
    app.deliveries_completed(1).await;
    assert_eq!(app.oxa.calls(), 1, "one OxaPay read for a thousand levels");
    let sent = app.tg.sent();
    for chat in &chats {
        let to_chat: Vec<String> = sent
            .iter()
            .filter(|s| s.chat_id == *chat)
            .map(|s| s.plain())
            .collect();
        assert_eq!(
            to_chat,
            ["⚠️ Low balance: BTC 0.5 is below your alert level 1"],
            "chat {chat}"
        );
    }
    assert_eq!(sent.len(), 1000);
    app.stop().await;
}

/// At-least-once: a message the checker committed to the outbox before a crash is sent after
/// the restart, once.
#[tokio::test]
async fn the_outbox_is_sent_after_a_crash() {
    let mut app = TestApp::prepare(btc("5"), Setup::default()).await;
    let store = app.store().await;
    let owed = "⚠️ Low balance: <b>BTC</b> 0.1 is below your alert level 1".to_owned();
    owe(
        &store,
        &[Owed::new(ids::chat(CHAT), owed, MessageKind::Alert)],
    )
    .await;
    store.close().await;
    app.start().await;
    app.deliveries_completed(1).await;
    assert_eq!(
        app.tg.broadcasts_to(CHAT),
        ["⚠️ Low balance: BTC 0.1 is below your alert level 1"]
    );
    let store = app.store().await;
    assert_eq!(store.owed_count().await.unwrap(), 0);
    store.close().await;
}

/// Alerts go through Throttle with Telegram's limits (the shipped `Limits::default()`): three
/// owed messages to one chat leave at most one a second.
#[tokio::test]
async fn alerts_to_one_chat_are_paced_at_one_a_second() {
    let mut app = TestApp::prepare(btc("5"), Setup::default()).await;
    let store = app.store().await;
    let owed: Vec<Owed> = (1..=3)
        .map(|i| {
            Owed::new(
                ids::chat(CHAT),
                format!("⚠️ Low balance: <b>C{i}</b> 0 is below your alert level 1"),
                MessageKind::Alert,
            )
        })
        .collect();
    owe(&store, &owed).await;
    store.close().await;
    app.start().await;
    app.tg.wait_broadcasts(CHAT, 3).await;
    let at: Vec<_> = app.tg.sent_to(CHAT).iter().map(|s| s.at).collect();
    let spread = at[2] - at[0];
    assert!(
        spread >= std::time::Duration::from_millis(1900),
        "three messages to one chat within {spread:?}"
    );
}

/// A chat's messages stay in order: while its first owed message waits on Telegram (held
/// unanswered), its others wait behind it — one send in flight per chat — though another chat's
/// message goes meanwhile; once Telegram answers, all five arrive in the order they were owed.
#[tokio::test]
async fn a_chats_messages_go_one_at_a_time_and_in_order() {
    const OTHER: i64 = 2003;
    let mut app = TestApp::prepare(btc("5"), Setup::default().wide_telegram_limits()).await;
    let text = |i: u32| format!("⚠️ Low balance: C{i} 0 is below your alert level 1");
    let mut owed: Vec<Owed> = (1..=5)
        .map(|i| Owed::new(ids::chat(CHAT), text(i), MessageKind::Alert))
        .collect();
    owed.push(Owed::new(ids::chat(OTHER), text(9), MessageKind::Alert));
    let store = app.store().await;
    owe(&store, &owed).await;
    store.close().await;
    let slow = Gate::new();
    app.tg.hold_chat(CHAT, &slow);
    app.start().await;
    app.tg.wait_held(CHAT).await;
    assert_eq!(app.tg.wait_broadcasts(OTHER, 1).await, [text(9)]);
    assert_eq!(app.tg.held(CHAT), 1, "one send to the chat at a time");
    assert_eq!(app.tg.sent_to(CHAT).len(), 0);
    slow.open();
    let told = app.tg.wait_broadcasts(CHAT, 5).await;
    assert_eq!(told, (1..=5).map(text).collect::<Vec<_>>());
    app.outbox_settled().await;
    assert_eq!(
        app.tg
            .attempts()
            .iter()
            .filter(|a| a.chat_id == Some(CHAT))
            .count(),
        5
    );
}

#[tokio::test]
async fn a_429_on_an_alert_is_waited_out_and_the_alert_arrives_once() {
    let app = checking(btc("5"), Setup::default()).await;
    app.ask(CHAT, CHAT, "/alert BTC 1").await;
    app.wait_deliveries(2).await;
    // The next message anywhere is the alert: it is refused once with retry_after 1.
    app.tg.fail_sends([TgFault::retry_after(1)]);
    app.oxa.set(btc("0.5"));
    let told = app.tg.wait_broadcasts(CHAT, 1).await;
    assert_eq!(
        told,
        ["⚠️ Low balance: BTC 0.5 is below your alert level 1"]
    );
    let attempts: Vec<_> = app
        .tg
        .attempts()
        .into_iter()
        .filter(|a| a.chat_id == Some(CHAT))
        .collect();
    let alert = &attempts[attempts.len() - 2..];
    assert!(
        alert[0]
            .failure
            .as_deref()
            .is_some_and(|f| f.starts_with("429"))
    );
    assert!(alert[1].failure.is_none());
    assert!(
        alert[1].at - alert[0].at >= std::time::Duration::from_secs(1),
        "retry_after honoured"
    );
    app.wait_deliveries(2).await;
    assert_eq!(app.tg.broadcasts_to(CHAT).len(), 1);
}

/// How a refused alert is treated depends on what Telegram said: a chat that blocked or removed
/// the bot is paused (one attempt, then silence, logged) until it writes again; a broken
/// connection is tried again on a later cycle. (A 5xx would be too, after teloxide's own 10 s
/// pause on server errors.)
#[tokio::test]
async fn telegram_refusals_are_told_apart() {
    let app = checking(btc("5"), Setup::default()).await;
    let refusing = [
        (3001, TgFault::blocked()),
        (3002, TgFault::kicked()),
        (-3003, TgFault::chat_not_found()),
    ];
    const FLAKY: i64 = 3004;
    for chat in refusing.iter().map(|r| r.0).chain([FLAKY]) {
        app.ask(ADMIN, ADMIN, &format!("/allow {chat}")).await;
        app.ask(chat, user_in(chat), "/alert BTC 1").await;
    }
    app.wait_deliveries(2).await;
    for (chat, fault) in &refusing {
        app.tg.set_chat_fault(*chat, Some(fault.clone()));
    }
    app.tg.set_chat_fault(FLAKY, Some(TgFault::BrokenBody));
    app.oxa.set(btc("0.1"));

    // The broken connection: tried again later, and delivered.
    app.tg
        .wait_attempt("a failed alert to the flaky chat", |a| {
            a.chat_id == Some(FLAKY) && a.failure.is_some()
        })
        .await;
    app.tg.set_chat_fault(FLAKY, None);
    let told = app.tg.wait_broadcasts(FLAKY, 1).await;
    assert_eq!(
        told,
        ["⚠️ Low balance: BTC 0.1 is below your alert level 1"]
    );

    // The refusals: each logged once as paused, tried once, never again.
    let paused = app
        .logs()
        .wait_for("three paused chats", 3, |e| {
            e.message == "chat refuses the bot's messages; its alerts are paused"
        })
        .await;
    let mut paused: Vec<&str> = paused.iter().filter_map(|e| e.field("chat_id")).collect();
    paused.sort();
    assert_eq!(paused, ["-3003", "3001", "3002"]);
    app.wait_deliveries(3).await;
    for (chat, fault) in &refusing {
        let tries = app
            .tg
            .attempts()
            .iter()
            .filter(|a| a.chat_id == Some(*chat) && a.failure.is_some())
            .count();
        assert_eq!(tries, 1, "{fault:?}: one attempt, then paused");
    }
    // A paused chat writes again: its alerts resume from the stored state ("low").
    let (chat, _) = refusing[0];
    app.tg.set_chat_fault(chat, None);
    let lines = levels(&app, chat).await;
    assert!(low_since(&lines[0], "BTC below 1: low since "), "{lines:?}");
    app.oxa.set(btc("5"));
    let told = app.tg.wait_broadcasts(chat, 1).await;
    assert_eq!(told, ["✅ BTC recovered: 5 (alert level 1)"]);
}

#[tokio::test]
async fn a_group_that_became_a_supergroup_keeps_its_alerts() {
    const OLD: i64 = -4004;
    const NEW: i64 = -1_000_000_004_004;
    let app = checking(btc("5"), Setup::default()).await;
    app.ask(ADMIN, ADMIN, &format!("/allow {OLD}")).await;
    app.ask(OLD, 7, "/alert BTC 1").await;
    app.wait_deliveries(2).await;
    app.tg.set_chat_fault(OLD, Some(TgFault::migrated(NEW)));
    app.oxa.set(btc("0.1"));
    let told = app.tg.wait_broadcasts(NEW, 1).await;
    assert_eq!(
        told,
        ["⚠️ Low balance: BTC 0.1 is below your alert level 1"]
    );
    // The new id is allowed and owns the level.
    let lines = levels(&app, NEW).await;
    assert!(low_since(&lines[0], "BTC below 1: low since "), "{lines:?}");
}
