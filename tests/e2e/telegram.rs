//! Telegram's side: the command menus as registered, rate limits on replies, failing
//! `getUpdates`, a competing poller, a reply Telegram refuses.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::{ADMIN, OxaReply, Setup, TestApp, TgFault};

fn account() -> OxaReply {
    OxaReply::balances(&[("BTC", "0.5")])
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(c, d)| ((*c).to_owned(), (*d).to_owned()))
        .collect()
}

/// Everyone's menu, and a larger one in each admin's private chat, as Telegram stores them (it
/// validates names and descriptions and strips the `/`).
#[tokio::test]
async fn the_command_menus_are_registered_as_telegram_stores_them() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    let everyone = [
        ("start", "what this bot does and your user id"),
        ("help", "the commands you can use"),
        (
            "balance",
            "wallet balances and USD values; /balance CUR for one, /balance all",
        ),
        (
            "alert",
            "/alert CUR AMOUNT (or CUR above AMOUNT) sets an alert; /alert CUR off removes it",
        ),
        ("alerts", "this chat's alerts and their state"),
        (
            "mute",
            "/mute 2h holds this chat's alerts; /mute off resumes them",
        ),
        (
            "report",
            "/report 09:00 [TZ] daily or /report mon 09:00 weekly; off, now",
        ),
        (
            "history",
            "/history [CUR|total] [7d|30d|90d|1y]: a chart of the balance",
        ),
        (
            "payments",
            "/payments on|off: hear about payments here; /payments lists the last",
        ),
        (
            "payouts",
            "/payouts on|off: hear about payouts here; /payouts lists the last",
        ),
        ("tx", "/tx TRACK_ID: one payment or payout, whole"),
        (
            "sales",
            "/sales [today|yesterday|7d|30d]: what was paid, against the period before",
        ),
        ("lang", "the language of this chat: /lang ru, /lang auto"),
    ];
    let admin_only = [
        ("allow", "admin: allow a user or group id"),
        ("deny", "admin: deny a user or group id"),
        ("users", "admin: who may use the bot"),
        (
            "audit",
            "admin: /audit [N] the last changes, /audit ID those about an id",
        ),
    ];
    assert_eq!(
        app.tg.menu(&json!({ "type": "default" })),
        Some(pairs(&everyone))
    );
    let all: Vec<(&str, &str)> = everyone.iter().chain(&admin_only).copied().collect();
    assert_eq!(
        app.tg.menu(&json!({ "type": "chat", "chat_id": ADMIN })),
        Some(pairs(&all))
    );
    // The same two in each of the other five languages (see `languages::`).
    assert_eq!(app.tg.menus().len(), 12, "{:#?}", app.tg.menus());
}

#[tokio::test]
async fn a_429_on_a_reply_is_waited_out_and_the_reply_arrives() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    app.tg.fail_sends([TgFault::retry_after(1)]);
    let r = app.ask(ADMIN, ADMIN, "/balance").await;
    assert_eq!(r.lines()[1], "BTC  0.5");
    let attempts: Vec<_> = app
        .tg
        .attempts()
        .into_iter()
        .filter(|a| a.chat_id == Some(ADMIN))
        .collect();
    assert_eq!(
        attempts[0].failure.as_deref(),
        Some("429 Too Many Requests: retry after 1")
    );
    assert!(attempts[1].failure.is_none());
    assert!(
        attempts[1].at - attempts[0].at >= Duration::from_secs(1),
        "retry_after honoured"
    );
}

/// A reply Telegram keeps answering with 429: each `retry_after` is waited out as told, three
/// times, and then the reply is given up (logged) — four tries, not a fifth; and a `retry_after`
/// over 60 s is not waited out inline at all. Either way the chat's next command is answered.
#[tokio::test]
async fn a_429_on_a_reply_is_waited_out_at_most_three_times_and_60_s_each() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    let tries = |app: &TestApp| -> Vec<(Option<String>, Instant)> {
        app.tg
            .attempts()
            .into_iter()
            .filter(|a| a.chat_id == Some(ADMIN))
            .map(|a| (a.failure, a.at))
            .collect()
    };
    app.tg
        .fail_sends(std::iter::repeat_n(TgFault::retry_after(1), 4));
    app.expect_silence(ADMIN, ADMIN, "/balance").await;
    let t = tries(&app);
    let failed: Vec<_> = t.iter().map(|(f, _)| f.as_deref()).collect();
    assert_eq!(
        failed,
        [
            Some("429 Too Many Requests: retry after 1"),
            Some("429 Too Many Requests: retry after 1"),
            Some("429 Too Many Requests: retry after 1"),
            Some("429 Too Many Requests: retry after 1"),
            None, // the barrier's reply
        ]
    );
    for pair in t[..4].windows(2) {
        assert!(
            pair[1].1 - pair[0].1 >= Duration::from_secs(1),
            "retry_after honoured"
        );
    }
    let waits = app
        .logs()
        .with_message("Telegram asked to slow down; waiting");
    assert_eq!(waits.len(), 3);
    assert!(waits.iter().all(|e| e.field("retry_after_s") == Some("1")));
    let lost = app.logs().with_message("reply not delivered");
    assert_eq!(lost.len(), 1);
    assert_eq!(lost[0].field("command"), Some("balance"));
    assert_eq!(lost[0].field("error"), Some("Telegram asked to wait 1 s"));

    // Longer than a minute: not waited out, one try.
    app.tg.fail_sends([TgFault::retry_after(61)]);
    app.expect_silence(ADMIN, ADMIN, "/balance").await;
    let t = tries(&app);
    assert_eq!(
        t[5..].iter().map(|(f, _)| f.as_deref()).collect::<Vec<_>>(),
        [Some("429 Too Many Requests: retry after 61"), None]
    );
    assert_eq!(
        app.logs()
            .with_message("Telegram asked to slow down; waiting")
            .len(),
        3
    );
    let lost = app.logs().with_message("reply not delivered");
    assert_eq!(lost[1].field("error"), Some("Telegram asked to wait 61 s"));
    let r = app.ask(ADMIN, ADMIN, "/balance btc").await;
    assert_eq!(r.lines()[0], "BTC  0.5");
}

#[tokio::test]
async fn polling_survives_server_errors_and_broken_connections() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    // teloxide itself pauses 10 s after a 5xx answer, then polling backs off further.
    app.tg
        .fail_get_updates([TgFault::server_error(), TgFault::BrokenBody]);
    app.tg.wait_get_updates_faults_served().await;
    let r = app.ask(ADMIN, ADMIN, "/balance btc").await;
    assert_eq!(r.lines()[0], "BTC  0.5");
    let logged = app
        .logs()
        .with_message("getUpdates failed; polling backs off and retries");
    assert_eq!(logged.len(), 2, "one operator line per failure");
}

#[tokio::test]
async fn a_competing_poller_409_is_explained_and_retried_with_backoff() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    let before = app.tg.calls("getupdates");
    app.tg
        .fail_get_updates(std::iter::repeat_n(TgFault::conflict(), 4));
    let started = Instant::now();
    app.tg.wait_get_updates_faults_served().await;
    // Backoff: the four conflicts were not hammered back to back (the test caps the pause at
    // 0.5 s; production at 60 s).
    assert!(
        started.elapsed() >= Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    // The poll waiting when the conflicts began was the first refused; three more polls were
    // refused, and one waits now: not one more.
    assert_eq!(app.tg.calls("getupdates") - before, 4);
    let explained = app.logs().with_message(
        "Telegram answered 409 Conflict: another process is polling updates with this bot token \
         (a second instance, or a webhook). Only one can receive messages; stop the other one. \
         Retrying with backoff.",
    );
    assert_eq!(explained.len(), 4);
    let r = app.ask(ADMIN, ADMIN, "/balance btc").await;
    assert_eq!(r.lines()[0], "BTC  0.5");
}

#[tokio::test]
async fn a_reply_telegram_refuses_is_logged_and_the_bot_keeps_serving() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    app.tg.set_chat_fault(ADMIN, Some(TgFault::blocked()));
    app.tg.send_text(ADMIN, ADMIN, "/balance");
    let logged = app
        .logs()
        .wait_for("a reply that was not delivered", 1, |e| {
            e.message == "reply not delivered"
        })
        .await;
    assert_eq!(
        logged[0].field("error"),
        Some("Forbidden: bot was blocked by the user")
    );
    app.tg.set_chat_fault(ADMIN, None);
    let r = app.ask(ADMIN, ADMIN, "/balance btc").await;
    assert_eq!(r.lines()[0], "BTC  0.5");
}

/// Updates the bot has no use for today (a photo, a button press it did not make, a group's
/// migration notices) are handled without a reply and without disturbing the next command; edits
/// it does not even ask Telegram for.
#[tokio::test]
async fn other_update_kinds_pass_quietly() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    let mut asked_for = app
        .tg
        .allowed_updates()
        .expect("the bot names its update kinds");
    asked_for.sort();
    assert_eq!(asked_for, ["callback_query", "message"]);
    let asked = app.tg.send_text(ADMIN, ADMIN, "/help");
    app.tg.send_user_photo(ADMIN, ADMIN, Some("/balance"));
    assert_eq!(
        app.tg
            .edit_user_message(ADMIN, ADMIN, asked.message_id, "/balance"),
        None,
        "an edit is never delivered"
    );
    let end = app.tg.barrier(ADMIN).await;
    let help = app.tg.sent_to(ADMIN)[0].message_id;
    let query = app.tg.press_button(ADMIN, ADMIN, help, "noop");
    assert!(query.starts_with("cbq-"));
    // Only /help and the barriers were answered.
    let next = app.tg.barrier(ADMIN).await;
    assert_eq!((end, next), (1, 2));
    // A group becoming a supergroup: nothing is said in either chat.
    const OLD: i64 = -4004;
    const NEW: i64 = -1_000_000_004_004;
    app.tg.migrate(OLD, NEW, 7);
    assert_eq!(app.tg.barrier(OLD).await, 0);
    assert_eq!(app.tg.barrier(NEW).await, 0);
    assert_eq!(app.oxa.calls(), 0);
}
