//! Low-balance alerts end to end: thresholds set through commands, the real checker loop on a
//! short interval, the fake OxaPay's balances changing underneath, messages read off the fake
//! Telegram.

mod common;

use std::str::FromStr;
use std::time::Duration;

use common::*;
use oxapay_bot::store::Store;
use rust_decimal::Decimal;

const CHAT: i64 = 2002;

fn btc(amount: &'static str) -> OxaReply {
    OxaReply::Balances(vec![("BTC", amount), ("USDT", "100")])
}

/// The bot with the checker running every second.
async fn spawn_checking(reply: OxaReply, extra: &[(&'static str, &str)]) -> TestApp {
    let mut setup = Setup::generous_flood_limit().with_env("ALERT_INTERVAL_SECS", "1");
    for (k, v) in extra {
        setup = setup.with_env(k, *v);
    }
    let app = TestApp::spawn(reply, setup).await;
    app.ask(ADMIN, ADMIN, &format!("/allow {CHAT}")).await;
    app
}

/// Messages `chat` received after the first `seen`, waiting `wait` for them to settle.
async fn new_messages(app: &TestApp, chat: i64, seen: usize, wait: Duration) -> Vec<String> {
    tokio::time::sleep(wait).await;
    app.tg.sent_to(chat)[seen..].to_vec()
}

fn alerts_only(msgs: &[String]) -> Vec<&String> {
    msgs.iter()
        .filter(|m| m.contains("Low balance") || m.contains("recovered") || m.contains("Still low"))
        .collect()
}

#[tokio::test]
async fn low_then_recovered_then_low_again_each_told_once() {
    let app = spawn_checking(btc("0.25"), &[]).await;
    let r = app.ask(CHAT, CHAT, "/alert btc 1").await;
    assert!(
        r.contains("<b>BTC</b>") && r.contains("<code>1</code>"),
        "{r}"
    );
    let seen = app.tg.sent_to(CHAT).len();

    // Several cycles below the level: exactly one alert.
    let msgs = new_messages(&app, CHAT, seen, Duration::from_millis(3500)).await;
    let alerts = alerts_only(&msgs);
    assert_eq!(alerts.len(), 1, "{msgs:?}");
    assert!(
        alerts[0].contains("Low balance")
            && alerts[0].contains("0.25")
            && alerts[0].contains("below")
    );

    let r = app.ask(CHAT, CHAT, "/alerts").await;
    assert!(
        r.contains("low since") && r.contains("Last successful check"),
        "{r}"
    );

    // Back above: one recovery.
    let seen = app.tg.sent_to(CHAT).len();
    app.oxa.set(btc("2"));
    let msgs = new_messages(&app, CHAT, seen, Duration::from_millis(3500)).await;
    let alerts = alerts_only(&msgs);
    assert_eq!(alerts.len(), 1, "{msgs:?}");
    assert!(
        alerts[0].contains("recovered") && alerts[0].contains('2'),
        "{}",
        alerts[0]
    );

    // Exactly at the level is fine: nothing.
    let seen = app.tg.sent_to(CHAT).len();
    app.oxa.set(btc("1.00000000"));
    let msgs = new_messages(&app, CHAT, seen, Duration::from_millis(2500)).await;
    assert!(alerts_only(&msgs).is_empty(), "{msgs:?}");

    // Below again, by the smallest step: a new alert.
    app.oxa.set(btc("0.99999999"));
    let msgs = new_messages(&app, CHAT, seen, Duration::from_millis(2500)).await;
    let alerts = alerts_only(&msgs);
    assert_eq!(alerts.len(), 1, "{msgs:?}");
    assert!(alerts[0].contains("0.99999999"));
}

#[tokio::test]
async fn missing_currency_counts_as_zero_and_alerts() {
    let app = spawn_checking(btc("5"), &[]).await;
    app.ask(CHAT, CHAT, "/alert TRX 10").await;
    let seen = app.tg.sent_to(CHAT).len();
    let msg = app
        .next_message(CHAT, seen, Duration::from_secs(5))
        .await
        .expect("an alert");
    assert!(msg.contains("TRX") && msg.contains("0 is below"), "{msg}");
}

#[tokio::test]
async fn failing_oxapay_is_not_a_zero_and_admins_hear_after_n_failures() {
    let app = spawn_checking(btc("5"), &[("ALERT_FAILURES_BEFORE_NOTICE", "2")]).await;
    app.ask(CHAT, CHAT, "/alert BTC 1").await;
    // First cycle: ok (5 ≥ 1), silently.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let seen_chat = app.tg.sent_to(CHAT).len();
    let seen_admin = app.tg.sent_to(ADMIN).len();

    app.oxa.set(OxaReply::Raw {
        status: 502,
        body: "<html>Bad gateway</html>".into(),
        headers: vec![],
    });
    let admin_msgs = new_messages(&app, ADMIN, seen_admin, Duration::from_millis(4500)).await;
    let unreachable: Vec<_> = admin_msgs
        .iter()
        .filter(|m| m.contains("unreachable since"))
        .collect();
    assert_eq!(unreachable.len(), 1, "{admin_msgs:?}");
    assert!(
        unreachable[0].contains("HTTP status 502"),
        "{}",
        unreachable[0]
    );
    // No low-balance alert went out, and the state did not change.
    assert!(alerts_only(&app.tg.sent_to(CHAT)[seen_chat..]).is_empty());
    let r = app.ask(CHAT, CHAT, "/alerts").await;
    assert!(r.contains(": ok"), "{r}");

    let seen_admin = app.tg.sent_to(ADMIN).len();
    app.oxa.set(btc("5"));
    let admin_msgs = new_messages(&app, ADMIN, seen_admin, Duration::from_millis(2500)).await;
    let back: Vec<_> = admin_msgs
        .iter()
        .filter(|m| m.contains("answers again"))
        .collect();
    assert_eq!(back.len(), 1, "{admin_msgs:?}");
}

#[tokio::test]
async fn restart_while_low_sends_no_duplicate() {
    let mut app = spawn_checking(btc("0.1"), &[]).await;
    app.ask(CHAT, CHAT, "/alert BTC 1").await;
    let seen = app.tg.sent_to(CHAT).len();
    let msg = app
        .next_message(CHAT, seen, Duration::from_secs(5))
        .await
        .unwrap();
    assert!(msg.contains("Low balance"));
    app.restart().await;
    let msgs = new_messages(&app, CHAT, seen, Duration::from_millis(3000)).await;
    assert_eq!(alerts_only(&msgs).len(), 1, "{msgs:?}");
    app.stop().await;
}

#[tokio::test]
async fn threshold_set_while_down_is_checked_on_the_first_cycle() {
    let mut app = TestApp::spawn(btc("0.1"), Setup::default()).await;
    app.stop().await;
    let store = Store::open(&app.env["DATABASE_URL"]).await.unwrap();
    store.allow(CHAT, ADMIN, 0).await.unwrap();
    store
        .set_threshold(
            CHAT,
            "BTC",
            oxapay_bot::alerts::Direction::Below,
            Decimal::from_str("1").unwrap(),
            CHAT,
            0,
        )
        .await
        .unwrap();
    store.close().await;
    // Interval of an hour: only the check at start can send this.
    app.restart().await;
    let msg = app.next_message(CHAT, 0, Duration::from_secs(5)).await;
    assert!(msg.unwrap().contains("Low balance"));
}

#[tokio::test]
async fn alert_off_means_silence() {
    let app = spawn_checking(btc("5"), &[]).await;
    app.ask(CHAT, CHAT, "/alert BTC 1").await;
    let r = app.ask(CHAT, CHAT, "/alert btc off").await;
    assert!(r.contains("removed"), "{r}");
    let r = app.ask(CHAT, CHAT, "/alert btc off").await;
    assert!(r.contains("had no alert"), "{r}");
    let seen = app.tg.sent_to(CHAT).len();
    app.oxa.set(btc("0"));
    let msgs = new_messages(&app, CHAT, seen, Duration::from_millis(2500)).await;
    assert!(msgs.is_empty(), "{msgs:?}");
    let r = app.ask(CHAT, CHAT, "/alerts").await;
    assert!(r.contains("no alerts"), "{r}");
}

#[tokio::test]
async fn repeat_interval_repeats_while_low() {
    let app = spawn_checking(btc("0.5"), &[("ALERT_REPEAT_SECS", "1")]).await;
    app.ask(CHAT, CHAT, "/alert BTC 1").await;
    let seen = app.tg.sent_to(CHAT).len();
    let msgs = new_messages(&app, CHAT, seen, Duration::from_millis(4500)).await;
    assert!(
        msgs.iter().filter(|m| m.contains("Low balance")).count() == 1,
        "{msgs:?}"
    );
    assert!(msgs.iter().any(|m| m.contains("Still low")), "{msgs:?}");
}

#[tokio::test]
async fn bad_alert_arguments_are_explained_and_nothing_is_stored() {
    let app = spawn_checking(btc("5"), &[]).await;
    let cases = [
        ("/alert", "missing"),
        ("/alert BTC", "amount is missing"),
        ("/alert BTC 0", "above zero"),
        ("/alert BTC -5", "above zero"),
        ("/alert BTC 1e3", "plain number"),
        ("/alert BTC NaN", "plain number"),
        ("/alert BTC 1,000", "plain number"),
        ("/alert BTC 1000000000000000000000", "too large"),
        ("/alert B 5", "not a currency"),
        ("/alert BITCOINCASH1 5", "not a currency"),
        ("/alert 💰 5", "not a currency"),
        ("/alert BTC 5 6", "too many words"),
    ];
    for (input, expected) in cases {
        let r = app.ask(CHAT, CHAT, input).await;
        assert!(r.contains(expected), "{input}: {r}");
        assert!(r.contains("/alert CUR AMOUNT"), "{input}: {r}");
    }
    let r = app.ask(CHAT, CHAT, "/alerts").await;
    assert!(r.contains("no alerts"), "{r}");
    let r = app.ask(CHAT, CHAT, "/alert usdt 1234.5678").await;
    assert!(r.contains("<b>USDT</b>") && r.contains("1234.5678"), "{r}");
    let r = app.ask(CHAT, CHAT, "/alerts").await;
    assert!(
        r.contains("USDT") && r.contains("1234.5678") && r.contains("not yet checked")
            || r.contains(": ok"),
        "{r}"
    );
}

#[tokio::test]
async fn admins_see_every_chats_alerts_others_do_not() {
    let app = spawn_checking(btc("5"), &[]).await;
    app.ask(CHAT, CHAT, "/alert BTC 1").await;
    let r = app.ask(ADMIN, ADMIN, "/alerts all").await;
    assert!(r.contains(&CHAT.to_string()) && r.contains("BTC"), "{r}");
    let r = app.ask(CHAT, CHAT, "/alerts all").await;
    assert!(r.contains("Only admins"), "{r}");
}

#[tokio::test]
async fn a_thousand_chats_one_oxapay_call_every_alert_delivered() {
    let mut app = TestApp::spawn(btc("0.5"), Setup::default()).await;
    app.stop().await;
    let store = Store::open(&app.env["DATABASE_URL"]).await.unwrap();
    let chats: Vec<i64> = (10_000..11_000).collect();
    for chat in &chats {
        store.allow(*chat, ADMIN, 0).await.unwrap();
        store
            .set_threshold(
                *chat,
                "BTC",
                oxapay_bot::alerts::Direction::Below,
                Decimal::from_str("1").unwrap(),
                *chat,
                0,
            )
            .await
            .unwrap();
    }
    store.close().await;
    let calls = app.oxa.calls();
    app.restart().await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let sent = app.tg.sent();
        let delivered = chats
            .iter()
            .filter(|c| {
                sent.iter()
                    .any(|s| s.chat_id == **c && s.text.contains("Low balance"))
            })
            .count();
        if delivered == chats.len() {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {delivered} of 1000 alerts delivered"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // One check at start, one OxaPay call for all thousand thresholds.
    assert_eq!(app.oxa.calls() - calls, 1);
    // Each chat got exactly one alert.
    let sent = app.tg.sent();
    assert_eq!(
        sent.iter()
            .filter(|s| s.text.contains("Low balance"))
            .count(),
        1000
    );
    app.stop().await;
}

#[tokio::test]
async fn concurrent_balance_burst_costs_at_most_two_oxapay_calls() {
    let admins: Vec<i64> = (5001..=5010).collect();
    let ids = admins
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let app = TestApp::spawn(
        OxaReply::Slow(Duration::from_millis(300), vec![("BTC", "1.5")]),
        Setup::default()
            .with_env("ADMIN_IDS", ids)
            .with_env("BALANCE_CACHE_SECS", "5"),
    )
    .await;
    let calls = app.oxa.calls();
    for a in &admins {
        app.tg.send_text(*a, *a, "/balance");
    }
    for a in &admins {
        let msgs = app.tg.wait_messages(*a, 0, Duration::from_secs(10)).await;
        assert!(msgs[0].contains("1.5"), "{msgs:?}");
    }
    let used = app.oxa.calls() - calls;
    assert!(used <= 2, "{used} OxaPay calls for a burst of 10");
    // Within the cache window, sequential readers reuse the answer too.
    app.ask(5001, 5001, "/balance btc").await;
    assert!(app.oxa.calls() - calls <= 2);
}

#[tokio::test]
async fn a_chat_that_blocked_the_bot_is_paused_not_retried() {
    let app = spawn_checking(btc("5"), &[]).await;
    app.ask(CHAT, CHAT, "/alert BTC 1").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    app.tg.set_chat_fault(CHAT, Some(TgFault::blocked()));
    let before = app.tg.calls("sendmessage");
    app.oxa.set(btc("0.1"));
    tokio::time::sleep(Duration::from_millis(4000)).await;
    let attempts = app.tg.calls("sendmessage") - before;
    assert_eq!(attempts, 1, "one failed attempt, then paused");
    // The user unblocks the bot and writes again: alerts resume from the stored state.
    app.tg.set_chat_fault(CHAT, None);
    let r = app.ask(CHAT, CHAT, "/alerts").await;
    assert!(r.contains("BTC"), "{r}");
    app.oxa.set(btc("5"));
    let seen = app.tg.sent_to(CHAT).len();
    let msg = app
        .next_message(CHAT, seen, Duration::from_secs(5))
        .await
        .unwrap();
    assert!(msg.contains("recovered"), "{msg}");
}

#[tokio::test]
async fn a_group_that_became_a_supergroup_keeps_its_alerts() {
    const OLD: i64 = -4004;
    const NEW: i64 = -1_000_000_004_004;
    let app = spawn_checking(btc("5"), &[]).await;
    app.ask(ADMIN, ADMIN, &format!("/allow {OLD}")).await;
    app.ask(OLD, 7, "/alert BTC 1").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    app.tg.set_chat_fault(OLD, Some(TgFault::migrated(NEW)));
    app.oxa.set(btc("0.1"));
    let msg = app.next_message(NEW, 0, Duration::from_secs(5)).await;
    assert!(msg.unwrap().contains("Low balance"));
    // The new id is allowed and owns the threshold.
    let r = app.ask(NEW, 7, "/alerts").await;
    assert!(r.contains("BTC") && r.contains("low since"), "{r}");
}
