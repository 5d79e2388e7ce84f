//! Telegram misbehaving: rate limits on replies, failing `getUpdates`, a competing poller.

mod common;

use std::time::{Duration, Instant};

use common::*;

fn account() -> OxaReply {
    OxaReply::Balances(vec![("BTC", "0.5")])
}

#[tokio::test]
async fn a_429_on_send_message_is_waited_out_and_the_reply_arrives() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    app.tg.fail_sends([TgFault::retry_after(1)]);
    let started = Instant::now();
    let r = app.ask(ADMIN, ADMIN, "/balance").await;
    assert!(r.contains("0.5"), "{r}");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "retry_after honoured"
    );
    assert_eq!(app.tg.calls("sendmessage"), 2, "one refused, one delivered");
}

#[tokio::test]
async fn polling_survives_server_errors_and_broken_connections() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    // teloxide itself pauses 10 s after a 5xx answer, then polling backs off further.
    app.tg.fail_get_updates([
        TgFault::Status(502, "<html>Bad Gateway</html>".into()),
        TgFault::BrokenBody,
    ]);
    app.tg
        .wait_get_updates_faults_served(Duration::from_secs(30))
        .await;
    let r = app.ask(ADMIN, ADMIN, "/balance btc").await;
    assert!(r.contains("0.5"), "{r}");
}

#[tokio::test]
async fn a_competing_poller_409_is_retried_with_backoff() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    let before = app.tg.calls("getupdates");
    app.tg
        .fail_get_updates(std::iter::repeat_n(TgFault::conflict(), 4));
    let started = Instant::now();
    app.tg
        .wait_get_updates_faults_served(Duration::from_secs(20))
        .await;
    // Backoff: the four conflicts were not hammered back to back (the test caps the pause at
    // 0.5 s; production at 60 s).
    assert!(
        started.elapsed() >= Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    assert!(app.tg.calls("getupdates") - before <= 7);
    let r = app.ask(ADMIN, ADMIN, "/balance").await;
    assert!(r.contains("0.5"), "{r}");
}

#[tokio::test]
async fn a_reply_telegram_refuses_does_not_stop_the_bot() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    // A reply Telegram refuses is logged; the bot keeps serving.
    app.tg.set_chat_fault(ADMIN, Some(TgFault::blocked()));
    app.tg.send_text(ADMIN, ADMIN, "/balance");
    tokio::time::sleep(Duration::from_millis(500)).await;
    app.tg.set_chat_fault(ADMIN, None);
    let r = app.ask(ADMIN, ADMIN, "/balance").await;
    assert!(r.contains("0.5"), "{r}");
}
