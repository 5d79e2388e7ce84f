//! Issue 12 end to end: high-balance levels through the real checker, `/mute` (held alerts, one
//! summary when it ends, restarts), and the inline buttons (callback queries in,
//! `editMessageText` and `answerCallbackQuery` out). Waits are on the checker's progress counters
//! and on the fakes' records, never on a pause.

use chrono::{NaiveDateTime, Utc};
use oxapay_bot::rules::alerts::Direction;
use serde_json::{Value, json};

use crate::support::ids;
use crate::support::telegram::Sent;
use crate::support::{ADMIN, Endpoint, OxaReply, Setup, TestApp};

const CHAT: i64 = 2002;
const GROUP: i64 = -5005;
const MEMBER: i64 = 7;

fn btc(amount: &str) -> OxaReply {
    OxaReply::balances(&[("BTC", amount), ("USDT", "100")])
}

fn now() -> i64 {
    Utc::now().timestamp()
}

/// A time as the bot writes it: `2025-01-31 12:00:00 UTC`.
fn parse_time(text: &str) -> Option<i64> {
    let t = text.strip_suffix(" UTC")?;
    NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|t| t.and_utc().timestamp())
}

/// `line` is `prefix` followed by a time and `suffix`; returns the time.
fn time_between(line: &str, prefix: &str, suffix: &str) -> Option<i64> {
    line.strip_prefix(prefix)?
        .strip_suffix(suffix)
        .and_then(parse_time)
}

/// The bot checking every second, reading OxaPay each time, with `CHAT` allowed.
async fn checking(reply: OxaReply) -> TestApp {
    let app = TestApp::spawn(reply, Setup::default().checking_every_second().no_cache()).await;
    app.ask(ADMIN, ADMIN, &format!("/allow {CHAT}")).await;
    app
}

/// `/alerts` in `CHAT`: the level lines, and the mute line if there is one.
async fn alerts(app: &TestApp) -> (Vec<String>, Option<String>) {
    let r = app.ask(CHAT, CHAT, "/alerts").await;
    let lines = r.lines();
    assert_eq!(lines[0], "Alerts of this chat", "{r}");
    let levels: Vec<String> = lines[1..]
        .iter()
        .take_while(|l| !l.starts_with("Last successful check") && !l.starts_with("No successful"))
        .cloned()
        .collect();
    let mute = lines.iter().find(|l| l.starts_with("🔕 ")).cloned();
    (levels, mute)
}

/// The crossing time in a `/alerts` line such as `BTC above 2: high since <time>`.
fn since(line: &str, prefix: &str) -> i64 {
    line.strip_prefix(prefix)
        .and_then(parse_time)
        .unwrap_or_else(|| panic!("{line:?} is not {prefix:?} and a time"))
}

const HIGH: &str = "🔺 BTC 2.75 is above your level 2 — consider moving funds to cold storage";
const BACK: &str = "✅ BTC is back at or below your level 2: 2";

#[tokio::test]
async fn above_a_level_told_once_and_once_back_at_or_below() {
    let app = checking(btc("1")).await;
    let r = app.ask(CHAT, CHAT, "/alert BTC above 2").await;
    assert_eq!(
        r.text(),
        "Alert set: this chat is told when BTC rises above 2. The next balance check tells you where it stands."
    );
    app.wait_deliveries(2).await;
    assert_eq!(alerts(&app).await.0, ["BTC above 2: ok"]);
    assert_eq!(app.tg.broadcasts_to(CHAT), Vec::<String>::new());

    app.oxa.set(btc("2.75"));
    assert_eq!(app.tg.wait_broadcasts(CHAT, 1).await, [HIGH]);
    // Several more cycles above the level: still exactly one message.
    app.wait_deliveries(3).await;
    assert_eq!(app.tg.broadcasts_to(CHAT).len(), 1);
    let levels = alerts(&app).await.0;
    since(&levels[0], "BTC above 2: high since ");

    // Exactly at the level is "back at or below".
    app.oxa.set(btc("2.00"));
    let told = app.tg.wait_broadcasts(CHAT, 2).await;
    assert_eq!(
        told,
        [HIGH, "✅ BTC is back at or below your level 2: 2.00"]
    );
    app.wait_deliveries(3).await;
    assert_eq!(app.tg.broadcasts_to(CHAT).len(), 2);
    assert_eq!(alerts(&app).await.0, ["BTC above 2: ok"]);
}

/// One currency with a level of each kind: each is told on its own side, and a jump across both
/// in one check is one message with both lines. `/alerts` shows both kinds with their state.
#[tokio::test]
async fn both_kinds_on_one_currency() {
    let app = checking(btc("1.5")).await;
    app.ask(CHAT, CHAT, "/alert BTC below 1").await;
    app.ask(CHAT, CHAT, "/alert BTC above 2").await;
    app.wait_deliveries(2).await;
    assert_eq!(alerts(&app).await.0, ["BTC below 1: ok", "BTC above 2: ok"]);

    app.oxa.set(btc("0.5"));
    assert_eq!(
        app.tg.wait_broadcasts(CHAT, 1).await,
        ["⚠️ Low balance: BTC 0.5 is below your alert level 1"]
    );
    let levels = alerts(&app).await.0;
    since(&levels[0], "BTC below 1: low since ");
    assert_eq!(levels[1], "BTC above 2: ok");

    app.oxa.set(btc("3"));
    let told = app.tg.wait_broadcasts(CHAT, 2).await;
    assert_eq!(
        told[1].lines().collect::<Vec<_>>(),
        [
            "✅ BTC recovered: 3 (alert level 1)",
            "🔺 BTC 3 is above your level 2 — consider moving funds to cold storage",
        ]
    );
    let levels = alerts(&app).await.0;
    assert_eq!(levels[0], "BTC below 1: ok");
    since(&levels[1], "BTC above 2: high since ");
    app.wait_deliveries(3).await;
    assert_eq!(app.tg.broadcasts_to(CHAT).len(), 2);

    // One kind off, then the other.
    let r = app.ask(CHAT, CHAT, "/alert BTC above off").await;
    assert_eq!(r.text(), "The above alert for BTC was removed.");
    assert_eq!(alerts(&app).await.0, ["BTC below 1: ok"]);
    app.ask(CHAT, CHAT, "/alert BTC above 2").await;
    let r = app.ask(CHAT, CHAT, "/alert BTC off").await;
    assert_eq!(r.text(), "Both 2 alerts for BTC were removed.");
}

#[tokio::test]
async fn a_restart_while_high_sends_no_duplicate() {
    let mut app = checking(btc("2.75")).await;
    app.ask(CHAT, CHAT, "/alert BTC above 2").await;
    assert_eq!(app.tg.wait_broadcasts(CHAT, 1).await, [HIGH]);
    let before = alerts(&app).await.0;
    app.restart().await;
    app.wait_deliveries(2).await;
    assert_eq!(app.tg.broadcasts_to(CHAT), [HIGH]);
    assert_eq!(alerts(&app).await.0, before);
    // Back below after the restart: told once.
    app.oxa.set(btc("2"));
    assert_eq!(app.tg.wait_broadcasts(CHAT, 2).await, [HIGH, BACK]);
    app.stop().await;
}

// ----- mute ----------------------------------------------------------------------------------

/// Ends `chat`'s mute as time would: its `until` is now (the checker sees a mute that ended).
async fn mute_runs_out(app: &TestApp, chat: i64) {
    let store = app.store().await;
    let now = now();
    store
        .set_mute(ids::chat(chat), now, ids::chat(chat), now)
        .await
        .unwrap();
    store.close().await;
}

/// `/mute 2h`: the reply says until when (UTC, no zone set); returns that time.
async fn mute_two_hours(app: &TestApp) -> i64 {
    let before = now();
    let r = app.ask(CHAT, CHAT, "/mute 2h").await;
    let after = now();
    let until = time_between(
        &r.text(),
        "🔕 Alerts in this chat are held until ",
        ". States keep updating; when the mute ends you get one summary of what is low or high then. /mute off resumes them now.",
    )
    .unwrap_or_else(|| panic!("{r}"));
    assert!(
        (before + 7200..=after + 7200).contains(&until),
        "{r} ({before}..{after})"
    );
    until
}

#[tokio::test]
async fn a_mute_holds_alerts_and_its_end_sends_one_summary() {
    let app = checking(btc("1.5")).await;
    app.ask(CHAT, CHAT, "/alert BTC below 1").await;
    app.ask(CHAT, CHAT, "/alert BTC above 2").await;
    app.wait_deliveries(2).await;
    let until = mute_two_hours(&app).await;
    let r = app.ask(CHAT, CHAT, "/mute").await;
    assert_eq!(
        time_between(&r.text(), "🔕 This chat's alerts are muted until ", "."),
        Some(until),
        "{r}"
    );

    // Above, then below: states follow, nothing is said.
    app.oxa.set(btc("3"));
    app.wait_deliveries(3).await;
    let (levels, mute) = alerts(&app).await;
    assert_eq!(levels[0], "BTC below 1: ok");
    since(&levels[1], "BTC above 2: high since ");
    assert_eq!(
        mute.as_deref()
            .and_then(|m| time_between(m, "🔕 Muted until ", " — /mute off to resume.")),
        Some(until)
    );
    app.oxa.set(btc("0.5"));
    app.wait_deliveries(3).await;
    let (levels, _) = alerts(&app).await;
    let low_since = since(&levels[0], "BTC below 1: low since ");
    assert_eq!(levels[1], "BTC above 2: ok");
    assert_eq!(app.tg.broadcasts_to(CHAT), Vec::<String>::new());

    // The mute runs out: one summary of what is crossed now (not the two transitions).
    mute_runs_out(&app, CHAT).await;
    let told = app.tg.wait_broadcasts(CHAT, 1).await;
    let summary: Vec<&str> = told[0].lines().collect();
    assert_eq!(summary.len(), 2, "{told:?}");
    assert_eq!(summary[0], "🔔 Mute over. Right now:");
    assert_eq!(
        time_between(
            summary[1],
            "⚠️ BTC 0.5 is below your alert level 1 (low since ",
            ")"
        ),
        Some(low_since),
        "{told:?}"
    );
    app.wait_deliveries(3).await;
    assert_eq!(app.tg.broadcasts_to(CHAT).len(), 1, "one summary");
    let r = app.ask(CHAT, CHAT, "/mute").await;
    assert_eq!(
        r.text(),
        "This chat's alerts are not muted. /mute 2h holds them for two hours."
    );

    // Alerts flow again.
    app.oxa.set(btc("3"));
    let told = app.tg.wait_broadcasts(CHAT, 2).await;
    assert_eq!(
        told[1].lines().collect::<Vec<_>>(),
        [
            "✅ BTC recovered: 3 (alert level 1)",
            "🔺 BTC 3 is above your level 2 — consider moving funds to cold storage",
        ]
    );
}

/// A chat that set a zone (with `/report … TZ`) reads the end of its mute in that zone.
#[tokio::test]
async fn a_mute_is_said_in_the_chats_zone() {
    let app = TestApp::spawn(btc("1.5"), Setup::default()).await;
    app.ask(ADMIN, ADMIN, &format!("/allow {CHAT}")).await;
    app.ask(CHAT, CHAT, "/report 09:00 Asia/Kolkata").await;
    let kolkata_minute = |text: &str, prefix: &str, suffix: &str| {
        let t = text.strip_prefix(prefix)?.strip_suffix(suffix)?;
        let local = NaiveDateTime::parse_from_str(t, "%a %d %b %Y %H:%M").ok()?;
        local
            .and_local_timezone(chrono_tz::Asia::Kolkata)
            .single()
            .map(|t| t.timestamp())
    };
    let before = now();
    let r = app.ask(CHAT, CHAT, "/mute 2h").await;
    let after = now();
    let until = kolkata_minute(
        &r.text(),
        "🔕 Alerts in this chat are held until ",
        " (Asia/Kolkata). States keep updating; when the mute ends you get one summary of what is low or high then. /mute off resumes them now.",
    )
    .unwrap_or_else(|| panic!("{r}"));
    // Shown to the minute: the end lies in that minute.
    assert!(
        (before + 7200 - 59..=after + 7200).contains(&until),
        "{r} ({before}..{after})"
    );
    let r = app.ask(CHAT, CHAT, "/mute").await;
    assert_eq!(
        kolkata_minute(
            &r.text(),
            "🔕 This chat's alerts are muted until ",
            " (Asia/Kolkata)."
        ),
        Some(until),
        "{r}"
    );
}

/// Crossed and back while muted: when the mute ends all is well, and nothing is said.
#[tokio::test]
async fn a_mute_ending_when_all_is_well_says_nothing() {
    let app = checking(btc("1.5")).await;
    app.ask(CHAT, CHAT, "/alert BTC above 2").await;
    app.wait_deliveries(2).await;
    mute_two_hours(&app).await;
    app.oxa.set(btc("3"));
    app.wait_deliveries(3).await;
    since(&alerts(&app).await.0[0], "BTC above 2: high since ");
    app.oxa.set(btc("1.5"));
    app.wait_deliveries(3).await;
    assert_eq!(alerts(&app).await.0, ["BTC above 2: ok"]);

    mute_runs_out(&app, CHAT).await;
    app.wait_deliveries(3).await;
    // The ended mute was handled (it is gone), and nothing was sent.
    let store = app.store().await;
    assert_eq!(store.mutes().await.unwrap(), []);
    store.close().await;
    assert_eq!(app.tg.broadcasts_to(CHAT), Vec::<String>::new());
}

/// A mute survives a restart (states keep updating, nothing said); a mute that ran out while the
/// bot was down is summarized by the check at start, once.
#[tokio::test]
async fn a_mute_survives_restarts_and_is_summarized_once() {
    let mut app = TestApp::prepare(btc("3"), Setup::default().no_cache()).await;
    let store = app.store().await;
    let until = now() + 7200;
    store
        .allow(ids::chat(CHAT), &ids::actor(ADMIN), ids::chat(ADMIN), 0)
        .await
        .unwrap();
    store
        .set_threshold(
            ids::chat(CHAT),
            &ids::subject("BTC"),
            Direction::Above,
            "2".parse().unwrap(),
            &ids::actor(CHAT),
            0,
        )
        .await
        .unwrap();
    store
        .set_mute(ids::chat(CHAT), until, ids::chat(CHAT), 0)
        .await
        .unwrap();
    store.close().await;
    // The shipped 300 s interval: only the check at each start runs.
    app.start().await;
    app.deliveries_completed(1).await;
    let (levels, mute) = alerts(&app).await;
    let high_since = since(&levels[0], "BTC above 2: high since ");
    assert!(mute.is_some());
    assert_eq!(app.tg.broadcasts_to(CHAT), Vec::<String>::new());

    app.restart().await;
    app.deliveries_completed(2).await;
    let r = app.ask(CHAT, CHAT, "/mute").await;
    assert_eq!(
        time_between(&r.text(), "🔕 This chat's alerts are muted until ", "."),
        Some(until),
        "{r}"
    );
    assert_eq!(app.tg.broadcasts_to(CHAT), Vec::<String>::new());

    // The mute runs out while the bot is down.
    app.stop().await;
    let store = app.store().await;
    store
        .set_mute(ids::chat(CHAT), now(), ids::chat(CHAT), now())
        .await
        .unwrap();
    store.close().await;
    app.start().await;
    let told = app.tg.wait_broadcasts(CHAT, 1).await;
    let summary: Vec<&str> = told[0].lines().collect();
    assert_eq!(summary[0], "🔔 Mute over. Right now:", "{told:?}");
    assert_eq!(
        time_between(
            summary[1],
            "🔺 BTC 3 is above your level 2 (high since ",
            ")"
        ),
        Some(high_since),
        "{told:?}"
    );
    assert_eq!(summary.len(), 2);
    app.restart().await;
    app.deliveries_completed(4).await;
    assert_eq!(app.tg.broadcasts_to(CHAT).len(), 1, "summarized once");
    app.stop().await;
}

/// A level that crosses in the very check that ends the mute is told once, in the summary, not
/// also in an alert of its own.
#[tokio::test]
async fn a_crossing_in_the_check_that_ends_the_mute_is_told_once() {
    let mut app = TestApp::prepare(btc("3"), Setup::default().no_cache()).await;
    let store = app.store().await;
    store
        .allow(ids::chat(CHAT), &ids::actor(ADMIN), ids::chat(ADMIN), 0)
        .await
        .unwrap();
    for (direction, level) in [(Direction::Below, "1"), (Direction::Above, "2")] {
        store
            .set_threshold(
                ids::chat(CHAT),
                &ids::subject("BTC"),
                direction,
                level.parse().unwrap(),
                &ids::actor(CHAT),
                0,
            )
            .await
            .unwrap();
    }
    // The mute ran out while the bot was down; the levels were never checked.
    store
        .set_mute(ids::chat(CHAT), now(), ids::chat(CHAT), 0)
        .await
        .unwrap();
    store.close().await;
    app.start().await;
    app.deliveries_completed(1).await;
    let told = app.tg.broadcasts_to(CHAT);
    assert_eq!(told.len(), 1, "{told:?}");
    let summary: Vec<&str> = told[0].lines().collect();
    assert_eq!(summary[0], "🔔 Mute over. Right now:", "{told:?}");
    assert!(
        summary[1].starts_with("🔺 BTC 3 is above your level 2 (high since "),
        "{told:?}"
    );
    assert_eq!(summary.len(), 2, "{told:?}");
    app.stop().await;
}

#[tokio::test]
async fn mute_off_says_what_is_crossed_now() {
    let app = checking(btc("1.5")).await;
    app.ask(CHAT, CHAT, "/alert BTC below 1").await;
    app.ask(CHAT, CHAT, "/alert BTC above 2").await;
    app.wait_deliveries(2).await;
    let r = app.ask(CHAT, CHAT, "/mute off").await;
    assert_eq!(r.text(), "This chat's alerts were not muted.");

    mute_two_hours(&app).await;
    app.oxa.set(btc("3"));
    app.wait_deliveries(3).await;
    let r = app.ask(CHAT, CHAT, "/mute off").await;
    let lines = r.lines();
    assert_eq!(
        lines[0], "🔔 Alerts in this chat resume. As of the last check:",
        "{r}"
    );
    since(&lines[1], "BTC above 2: high since ");
    assert_eq!(lines.len(), 2, "{r}");
    // The reply said it: no summary follows, and the next change is told as usual.
    app.wait_deliveries(3).await;
    assert_eq!(app.tg.broadcasts_to(CHAT), Vec::<String>::new());
    app.oxa.set(btc("1.5"));
    assert_eq!(
        app.tg.wait_broadcasts(CHAT, 1).await,
        ["✅ BTC is back at or below your level 2: 1.5"]
    );
}

/// A mute that ends while OxaPay fails is not summarized from stale states: it stays until a
/// check reads the balances again, and that check sends the one summary.
#[tokio::test]
async fn the_summary_of_an_ended_mute_waits_for_a_successful_read() {
    let app = checking(btc("1.5")).await;
    app.ask(CHAT, CHAT, "/alert BTC above 2").await;
    app.wait_deliveries(2).await;
    mute_two_hours(&app).await;
    app.oxa.set(btc("3"));
    app.wait_deliveries(3).await;
    let high_since = since(&alerts(&app).await.0[0], "BTC above 2: high since ");

    app.oxa
        .set(OxaReply::status(502, "<html>Bad gateway</html>"));
    app.wait_checks(2).await;
    mute_runs_out(&app, CHAT).await;
    // Three checks that all began after the mute ran out, every one of them failing.
    app.wait_deliveries(3).await;
    assert_eq!(app.tg.broadcasts_to(CHAT), Vec::<String>::new());
    let store = app.store().await;
    let mutes = store.mutes().await.unwrap();
    store.close().await;
    assert_eq!(
        mutes.iter().map(|m| m.chat_id).collect::<Vec<_>>(),
        [ids::chat(CHAT)],
        "the ended mute waits"
    );

    app.oxa.set(btc("3"));
    let told = app.tg.wait_broadcasts(CHAT, 1).await;
    let summary: Vec<&str> = told[0].lines().collect();
    assert_eq!(summary[0], "🔔 Mute over. Right now:", "{told:?}");
    assert_eq!(
        time_between(
            summary[1],
            "🔺 BTC 3 is above your level 2 (high since ",
            ")"
        ),
        Some(high_since),
        "{told:?}"
    );
    assert_eq!(summary.len(), 2, "{told:?}");
    app.wait_deliveries(2).await;
    assert_eq!(app.tg.broadcasts_to(CHAT).len(), 1, "one summary");
}

/// An admin's own mute does not hold the notice that OxaPay is unreachable.
#[tokio::test]
async fn a_mute_does_not_hold_the_admins_oxapay_notice() {
    let app = TestApp::spawn(
        btc("5"),
        Setup::default()
            .checking_every_second()
            .no_cache()
            .env("ALERT_FAILURES_BEFORE_NOTICE", "2"),
    )
    .await;
    app.ask(ADMIN, ADMIN, "/alert BTC 1").await;
    app.ask(ADMIN, ADMIN, "/mute 1d").await;
    app.oxa
        .set(OxaReply::status(502, "<html>Bad gateway</html>"));
    let told = app.tg.wait_broadcasts(ADMIN, 1).await;
    assert!(
        told[0].starts_with("🔴 OxaPay has been unreachable since "),
        "{told:?}"
    );
}

// ----- buttons -------------------------------------------------------------------------------

fn refresh_keyboard(data: &str) -> Value {
    json!({ "inline_keyboard": [[{ "text": "🔄 Refresh", "callback_data": data }]] })
}

fn alert_keyboard() -> Value {
    json!({ "inline_keyboard": [[
        { "text": "🔕 Mute 1h", "callback_data": "m1h" },
        { "text": "💰 Balance", "callback_data": "b" },
    ]] })
}

/// The closing line of a balance message: `OxaPay, <time>`; returns the time.
fn read_time(plain: &str) -> i64 {
    let last = plain.lines().last().unwrap();
    time_between(last, "OxaPay, ", "").unwrap_or_else(|| panic!("{plain:?}"))
}

/// `/balance` (with `args`) from the admin in `chat`: the one message it sent.
async fn balance_message(app: &TestApp, chat: i64, args: &str) -> Sent {
    let r = app.ask(chat, ADMIN, &format!("/balance{args}")).await;
    assert_eq!(r.parts.len(), 1, "{r}");
    r.parts[0].clone()
}

#[tokio::test]
async fn refresh_edits_the_balance_in_place_with_the_new_read_time() {
    let app = TestApp::spawn(btc("1.5"), Setup::default().no_cache()).await;
    let all = balance_message(&app, ADMIN, " all").await;
    assert_eq!(all.reply_markup, Some(refresh_keyboard("r*")));
    let one = balance_message(&app, ADMIN, " btc").await;
    assert_eq!(one.reply_markup, Some(refresh_keyboard("r:BTC")));
    let m = balance_message(&app, ADMIN, "").await;
    assert_eq!(m.reply_markup, Some(refresh_keyboard("r")));
    let first_read = read_time(&m.plain());

    app.oxa.set(btc("0.75"));
    let sent = app.tg.sent_to(ADMIN).len();
    let before = now();
    let id = app.tg.press_button(ADMIN, ADMIN, m.message_id, "r");
    let answer = app.tg.wait_callback_answer(&id).await;
    assert_eq!(answer.text.as_deref(), Some("Updated."));
    assert!(!answer.show_alert);
    let edits = app.tg.edits();
    assert_eq!(edits.len(), 1);
    let edit = &edits[0];
    assert_eq!((edit.chat_id, edit.message_id), (ADMIN, m.message_id));
    assert_eq!(edit.parse_mode.as_deref(), Some("HTML"));
    assert_eq!(edit.reply_markup, Some(refresh_keyboard("r")));
    let plain = crate::support::html::plain_text(&edit.text);
    let lines: Vec<&str> = plain.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "OxaPay balances (wallets above zero)",
            "BTC     0.75",
            "USDT  100"
        ],
        "{plain}"
    );
    let new_read = read_time(&plain);
    assert!(new_read >= before && new_read >= first_read && new_read <= now());
    // In place: no new message.
    assert_eq!(app.tg.sent_to(ADMIN).len(), sent);

    // One currency's message refreshes as one currency.
    let id = app.tg.press_button(ADMIN, ADMIN, one.message_id, "r:BTC");
    assert_eq!(
        app.tg.wait_callback_answer(&id).await.text.as_deref(),
        Some("Updated.")
    );
    let edit = app.tg.edits().pop().unwrap();
    assert_eq!(edit.message_id, one.message_id);
    assert_eq!(
        crate::support::html::plain_text(&edit.text).lines().next(),
        Some("BTC  0.75")
    );

    // OxaPay failing: the popup says so, the message stays, the press is still answered.
    app.oxa
        .set(OxaReply::status(502, "<html>Bad gateway</html>"));
    let id = app.tg.press_button(ADMIN, ADMIN, m.message_id, "r");
    assert_eq!(
        app.tg.wait_callback_answer(&id).await.text.as_deref(),
        Some("OxaPay is having trouble (HTTP 502) — try again shortly.")
    );
    assert_eq!(app.tg.edits().len(), 2);
}

/// A refresh served from the cache changes nothing: the popup says so, and the message is left
/// as it is (Telegram's "message is not modified" is not a failure).
#[tokio::test]
async fn refresh_with_nothing_changed_says_so_in_the_popup() {
    let app = TestApp::spawn(
        btc("1.5"),
        Setup::default()
            .env("BALANCE_CACHE_SECS", "3600")
            .env("PRICE_CACHE_SECS", "3600"),
    )
    .await;
    app.oxa
        .set_prices(OxaReply::prices(&[("BTC", "100"), ("USDT", "1")]));
    let m = balance_message(&app, ADMIN, "").await;
    let sent = app.tg.sent_to(ADMIN).len();
    for _ in 0..2 {
        let id = app.tg.press_button(ADMIN, ADMIN, m.message_id, "r");
        let answer = app.tg.wait_callback_answer(&id).await;
        assert_eq!(
            answer.text.as_deref(),
            Some("Nothing changed since this message was written.")
        );
    }
    assert_eq!(app.tg.edits().len(), 0);
    assert_eq!(app.tg.sent_to(ADMIN).len(), sent, "no new message");
    // The bot offered Telegram the same text and took its "not modified" as the answer.
    let tried: Vec<Option<String>> = app
        .tg
        .attempts()
        .into_iter()
        .filter(|a| a.method == "editMessageText")
        .map(|a| a.failure)
        .collect();
    assert_eq!(tried.len(), 2);
    assert!(
        tried.iter().all(|f| f
            .as_deref()
            .is_some_and(|f| f.starts_with("400 Bad Request: message is not modified"))),
        "{tried:?}"
    );
    assert_eq!(
        (app.oxa.calls(), app.oxa.calls_to(Endpoint::Prices)),
        (1, 1)
    );
    let handled = app
        .logs()
        .wait_for("two refreshes handled", 2, |e| {
            e.message == "button handled" && e.field("button") == Some("refresh")
        })
        .await;
    assert!(
        handled
            .iter()
            .all(|e| e.field("outcome") == Some("not_modified")),
        "{handled:#?}"
    );
    assert!(
        app.logs()
            .with_message("could not refresh a balance message")
            .is_empty()
    );
}

#[tokio::test]
async fn an_alert_carries_mute_and_balance_buttons_that_work() {
    let app = checking(btc("0.5")).await;
    app.ask(CHAT, CHAT, "/alert BTC 1").await;
    app.tg.wait_broadcasts(CHAT, 1).await;
    let alert = app
        .tg
        .sent_to(CHAT)
        .into_iter()
        .find(|s| s.plain() == "⚠️ Low balance: BTC 0.5 is below your alert level 1")
        .unwrap();
    assert_eq!(alert.reply_markup, Some(alert_keyboard()));

    // Balance: a new balance message, with its Refresh button.
    let sent = app.tg.sent_to(CHAT).len();
    let id = app.tg.press_button(CHAT, CHAT, alert.message_id, "b");
    assert_eq!(app.tg.wait_callback_answer(&id).await.text, None);
    let new = app.tg.sent_to(CHAT);
    assert_eq!(new.len(), sent + 1);
    let balance = new.last().unwrap();
    assert_eq!(
        balance.plain().lines().take(3).collect::<Vec<_>>(),
        [
            "OxaPay balances (wallets above zero)",
            "BTC     0.5",
            "USDT  100"
        ]
    );
    assert_eq!(balance.reply_markup, Some(refresh_keyboard("r")));

    // Mute 1h: the chat is told, the presser's popup says until when, /mute shows it.
    let before = now();
    let id = app.tg.press_button(CHAT, CHAT, alert.message_id, "m1h");
    let popup = app.tg.wait_callback_answer(&id).await.text.unwrap();
    let after = now();
    let until = time_between(&popup, "Alerts here are muted until ", ".").unwrap();
    assert!((before + 3600..=after + 3600).contains(&until), "{popup}");
    let told = app.tg.sent_to(CHAT).last().unwrap().plain();
    assert_eq!(
        time_between(
            &told,
            "🔕 Alerts in this chat are held until ",
            ". States keep updating; when the mute ends you get one summary of what is low or high then. /mute off resumes them now."
        ),
        Some(until),
        "{told}"
    );
    let r = app.ask(CHAT, CHAT, "/mute").await;
    assert_eq!(
        time_between(&r.text(), "🔕 This chat's alerts are muted until ", "."),
        Some(until),
        "{r}"
    );
    // Muted: the recovery is not said, but recorded.
    app.oxa.set(btc("2"));
    app.wait_deliveries(3).await;
    assert_eq!(alerts(&app).await.0, ["BTC below 1: ok"]);
    assert_eq!(app.tg.broadcasts_to(CHAT).len(), 1);
}

/// Buttons are authorized by who presses them: a member of a chat that is not allowed, pressing
/// under a message an admin caused there, gets a popup, no data, no change and no OxaPay call.
#[tokio::test]
async fn an_unauthorized_press_gets_a_popup_and_nothing_else() {
    let app = TestApp::spawn(btc("0.5"), Setup::default().no_cache()).await;
    let m = balance_message(&app, GROUP, "").await;
    let (oxapay, prices) = (app.oxa.calls(), app.oxa.calls_to(Endpoint::Prices));
    let sent = app.tg.sent_to(GROUP).len();
    let mut ids = Vec::new();
    for data in ["r", "b", "m1h"] {
        let id = app.tg.press_button(GROUP, MEMBER, m.message_id, data);
        let answer = app.tg.wait_callback_answer(&id).await;
        assert_eq!(
            answer.text.as_deref(),
            Some(
                "You are not authorized to use this bot. Your user id is 7: ask an admin to /allow it."
            ),
            "{data}"
        );
        ids.push(id);
    }
    assert_eq!(app.tg.edits().len(), 0);
    assert_eq!(
        app.tg.sent_to(GROUP).len(),
        sent,
        "nothing sent to the chat"
    );
    assert_eq!(
        (app.oxa.calls(), app.oxa.calls_to(Endpoint::Prices)),
        (oxapay, prices)
    );
    let store = app.store().await;
    assert_eq!(store.mutes().await.unwrap(), [], "not muted");
    store.close().await;
    // Each press answered once.
    let answered: Vec<String> = app
        .tg
        .callback_answers()
        .into_iter()
        .map(|a| a.callback_query_id)
        .collect();
    assert_eq!(answered, ids);
}

/// Button data is user input: anything but what the bot made is refused with a popup before it
/// reaches the database or OxaPay.
#[tokio::test]
async fn a_forged_payload_gets_a_popup_and_nothing_else() {
    let app = TestApp::spawn(btc("0.5"), Setup::default().no_cache()).await;
    let m = balance_message(&app, ADMIN, "").await;
    let (oxapay, prices) = (app.oxa.calls(), app.oxa.calls_to(Endpoint::Prices));
    let sent = app.tg.sent_to(ADMIN).len();
    let long = "r".repeat(65);
    let mut ids = Vec::new();
    for (user, data) in [
        (ADMIN, "x"),
        (ADMIN, "r:btc"),
        (ADMIN, long.as_str()),
        (ADMIN, "m1h "),
        (ADMIN, "r:BTC;DROP TABLE mutes"),
        // A stranger's forged press is refused as forged, before any lookup.
        (4242, "x"),
    ] {
        let id = app.tg.press_button(ADMIN, user, m.message_id, data);
        let answer = app.tg.wait_callback_answer(&id).await;
        assert_eq!(
            answer.text.as_deref(),
            Some("This button is not valid. Send /help to see what the bot can do."),
            "{data:?}"
        );
        ids.push(id);
    }
    assert_eq!(app.tg.edits().len(), 0);
    assert_eq!(app.tg.sent_to(ADMIN).len(), sent);
    assert_eq!(
        (app.oxa.calls(), app.oxa.calls_to(Endpoint::Prices)),
        (oxapay, prices)
    );
    let store = app.store().await;
    assert_eq!(store.mutes().await.unwrap(), []);
    store.close().await;
    let answered: Vec<String> = app
        .tg
        .callback_answers()
        .into_iter()
        .map(|a| a.callback_query_id)
        .collect();
    assert_eq!(answered, ids, "every press answered, once");
    // The log names no forged data, only that it was forged.
    let handled = app.logs().with_message("button handled");
    assert_eq!(handled.len(), ids.len());
    assert!(
        handled
            .iter()
            .all(|e| e.field("button") == Some("forged") && e.field("outcome") == Some("forged")),
        "{handled:#?}"
    );
}
