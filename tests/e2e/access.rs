//! Who may use the bot: strangers, `/allow`, `/deny`, groups, admin-only commands, `/help`, and
//! commands the bot must leave alone.

use crate::support::ids;
use crate::support::process::python_sqlite;
use crate::support::{ADMIN, BOT_NAME, OxaReply, Setup, TestApp};

const USER: i64 = 2002;
const GROUP: i64 = -3003;

fn account() -> OxaReply {
    OxaReply::balances(&[("BTC", "0.00000001"), ("LTC", "12.5")])
}

const NOT_AUTHORIZED_USER: &str =
    "You are not authorized to use this bot. Your user id is 2002 — ask an admin to /allow it.";

#[tokio::test]
async fn a_stranger_gets_one_refusal_with_their_id_and_nothing_else() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    let reply = app.ask(USER, USER, "/balance").await;
    assert_eq!(reply.text(), NOT_AUTHORIZED_USER);
    // Within the minute: nothing at all, and never an OxaPay call.
    app.expect_silence(USER, USER, "/alerts").await;
    app.expect_silence(USER, USER, "/balance").await;
    assert_eq!(app.oxa.calls(), 0);
}

#[tokio::test]
async fn allow_then_balance_then_deny() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    let r = app.ask(ADMIN, ADMIN, &format!("/allow {USER}")).await;
    assert_eq!(r.text(), "Allowed user 2002: it can use the bot now.");
    let r = app.ask(USER, USER, "/balance btc").await;
    assert_eq!(r.lines()[0], "BTC  0.00000001");
    let r = app.ask(ADMIN, ADMIN, &format!("/allow {USER}")).await;
    assert_eq!(r.text(), "The user 2002 was already allowed.");
    let r = app.ask(ADMIN, ADMIN, "/users").await;
    let lines = r.lines();
    assert_eq!(
        lines[..4],
        ["Admins (from ADMIN_IDS)", "1001", "", "Allowed"],
        "{r}"
    );
    assert!(
        lines[4].starts_with("2002 user, by 1001 on ") && lines.len() == 5,
        "{r}"
    );
    let r = app.ask(ADMIN, ADMIN, &format!("/deny {USER}")).await;
    assert_eq!(
        r.text(),
        "Denied 2002: it can no longer use the bot. No alert levels depended on it."
    );
    let calls = app.oxa.calls();
    let r = app.ask(USER, USER, "/balance").await;
    assert_eq!(r.text(), NOT_AUTHORIZED_USER);
    assert_eq!(app.oxa.calls(), calls);
}

/// `/deny` also removes that chat's alerts: they are gone from `/alerts all`, and the checker
/// sends that chat nothing even when its level is crossed.
#[tokio::test]
async fn deny_removes_that_chats_alerts() {
    let app = TestApp::spawn(
        OxaReply::balances(&[("BTC", "5")]),
        Setup::default().checking_every_second().no_cache(),
    )
    .await;
    app.ask(ADMIN, ADMIN, &format!("/allow {USER}")).await;
    app.ask(USER, USER, "/alert BTC 1").await;
    let r = app.ask(ADMIN, ADMIN, "/alerts all").await;
    // Listed; its state depends on whether the 1 s checker got to it in between.
    let line = r.lines()[1].to_owned();
    assert!(
        line == "2002 BTC below 1: not yet checked" || line == "2002 BTC below 1: ok",
        "{line}"
    );
    app.ask(ADMIN, ADMIN, &format!("/deny {USER}")).await;
    let r = app.ask(ADMIN, ADMIN, "/alerts all").await;
    assert_eq!(r.text(), "No chat has alerts.");
    app.oxa.set(OxaReply::balances(&[("BTC", "0.1")]));
    // Two full check-and-deliver cycles that started after the balance fell.
    app.wait_deliveries(2).await;
    assert_eq!(app.tg.broadcasts_to(USER), Vec::<String>::new());
}

/// `/deny` of a group takes back the group's permission with everything in it: the level a
/// member set, a level set before owners were recorded (no owner), and its report schedule. The
/// reply says so; members are refused from then on; its levels are gone from `/alerts all` and
/// a fall below them tells the group nothing.
#[tokio::test]
async fn deny_of_a_group_removes_its_levels_and_report() {
    const MEMBER: i64 = 7;
    let app = TestApp::spawn(
        OxaReply::balances(&[("BTC", "5"), ("LTC", "50")]),
        Setup::default().checking_every_second().no_cache(),
    )
    .await;
    app.ask(ADMIN, ADMIN, &format!("/allow {GROUP}")).await;
    app.ask(GROUP, MEMBER, "/alert BTC 1").await;
    app.ask(GROUP, MEMBER, "/alert LTC 10").await;
    app.ask(GROUP, MEMBER, "/report 09:00").await;
    // The LTC level as one set before owners were recorded.
    let db = app.db_path();
    python_sqlite(
        &db,
        &format!(
            "db.execute(\"UPDATE thresholds SET owner_id = NULL WHERE chat_id = {GROUP} AND currency = 'LTC'\")\n\
             db.commit()"
        ),
    )
    .await;
    let owners = python_sqlite(
        &db,
        &format!("print(db.execute('SELECT currency, owner_id FROM thresholds WHERE chat_id = {GROUP} ORDER BY currency').fetchall())"),
    )
    .await;
    assert_eq!(owners, "[('BTC', 7), ('LTC', None)]\n");
    app.wait_deliveries(2).await;

    let r = app.ask(ADMIN, ADMIN, &format!("/deny {GROUP}")).await;
    assert_eq!(
        r.lines(),
        [
            "Denied -3003: it can no longer use the bot.",
            "Stopped 1 report schedule it served: -3003.",
            "Removed 2 alert levels it served: 2 in its own chat.",
        ]
    );
    let r = app.ask(GROUP, MEMBER, "/balance").await;
    assert_eq!(
        r.text(),
        "You are not authorized to use this bot. Your user id is 7 (this chat: -3003) — ask an admin to /allow it."
    );
    assert_eq!(
        app.ask(ADMIN, ADMIN, "/alerts all").await.text(),
        "No chat has alerts."
    );
    let store = app.store().await;
    assert_eq!(store.report_of(ids::chat(GROUP)).await.unwrap(), None);
    store.close().await;
    app.oxa
        .set(OxaReply::balances(&[("BTC", "0.1"), ("LTC", "1")]));
    app.wait_deliveries(2).await;
    assert_eq!(app.tg.broadcasts_to(GROUP), Vec::<String>::new());
}

#[tokio::test]
async fn an_admin_cannot_be_denied() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    let r = app.ask(ADMIN, ADMIN, &format!("/deny {ADMIN}")).await;
    assert_eq!(
        r.text(),
        "1001 is an admin (ADMIN_IDS) and cannot be denied; remove it from ADMIN_IDS and restart the bot instead."
    );
    let r = app.ask(ADMIN, ADMIN, "/balance btc").await;
    assert_eq!(r.lines()[0], "BTC  0.00000001");
}

#[tokio::test]
async fn group_members_use_an_allowed_group_but_only_admins_administer() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    // Inside a group that is not allowed, a member is refused.
    let r = app.ask(GROUP, USER, "/balance").await;
    assert_eq!(
        r.text(),
        "You are not authorized to use this bot. Your user id is 2002 (this chat: -3003) — ask an admin to /allow it."
    );
    // The admin allows the group from inside it.
    let r = app.ask(GROUP, ADMIN, &format!("/allow {GROUP}")).await;
    assert_eq!(r.text(), "Allowed group -3003: it can use the bot now.");
    let r = app.ask(GROUP, USER, "/balance ltc").await;
    assert_eq!(r.lines()[0], "LTC  12.5");
    // A non-admin's admin command is refused, in the allowed group and in private.
    for cmd in ["/allow 5555", "/users", "/alerts all"] {
        let r = app.ask(GROUP, USER, cmd).await;
        assert_eq!(r.text(), "Only admins can do that.", "{cmd}");
    }
    app.ask(ADMIN, ADMIN, &format!("/allow {USER}")).await;
    let r = app.ask(USER, USER, "/deny 1234").await;
    assert_eq!(r.text(), "Only admins can do that.");
    let r = app.ask(ADMIN, ADMIN, "/users").await;
    let allowed = r.first_words_after("Allowed");
    assert_eq!(allowed, ["-3003", "2002"], "{r}");
}

/// In a group, a command the bot does not know is usually another bot's, and `/cmd@otherbot`
/// certainly is: the bot stays quiet. In private, an unknown command gets a pointer to /help.
#[tokio::test]
async fn unknown_and_other_bots_commands_are_ignored_in_groups() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    app.ask(ADMIN, ADMIN, &format!("/allow {GROUP}")).await;
    app.expect_silence(GROUP, USER, "/frobnicate").await;
    app.expect_silence(GROUP, USER, "/balance@someotherbot")
        .await;
    app.expect_silence(GROUP, USER, "hello there").await;
    let r = app
        .ask(GROUP, USER, &format!("/balance@{BOT_NAME} ltc"))
        .await;
    assert_eq!(r.lines()[0], "LTC  12.5");
    // In private.
    let r = app.ask(ADMIN, ADMIN, "/frobnicate").await;
    assert_eq!(
        r.text(),
        "Unknown command. /help lists what this bot understands."
    );
    app.expect_silence(ADMIN, ADMIN, "/balance@someotherbot")
        .await;
    app.expect_silence(ADMIN, ADMIN, "hello there").await;
    // A phone's capital letter does not matter.
    let r = app.ask(ADMIN, ADMIN, "/Balance LTC").await;
    assert_eq!(r.lines()[0], "LTC  12.5");
    assert_eq!(
        app.oxa.calls(),
        1,
        "only the answered /balance asked OxaPay"
    );
}

#[tokio::test]
async fn help_lists_the_commands_this_person_may_use() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    let admin = app.ask(ADMIN, ADMIN, "/start").await;
    assert!(
        admin.has_line("/allow ID — let a user (positive id) or group (negative id) use the bot"),
        "{admin}"
    );
    assert!(
        admin.has_line(
            "/balance — every wallet that holds something, with its USD value and the total"
        ),
        "{admin}"
    );
    assert_eq!(admin.lines().last().unwrap(), "Your Telegram user id: 1001");
    app.ask(ADMIN, ADMIN, &format!("/allow {USER}")).await;
    let user = app.ask(USER, USER, "/help").await;
    assert!(
        user.has_line(
            "/alert CUR AMOUNT — tell this chat when CUR falls below AMOUNT, e.g. /alert USDT 500"
        ),
        "{user}"
    );
    assert!(
        !user.text().contains("/allow") && !user.text().contains("/users"),
        "{user}"
    );
    assert_eq!(user.lines().last().unwrap(), "Your Telegram user id: 2002");
}

#[tokio::test]
async fn allowed_chats_survive_a_restart() {
    let mut app = TestApp::spawn(account(), Setup::default()).await;
    app.ask(ADMIN, ADMIN, &format!("/allow {USER}")).await;
    app.ask(ADMIN, ADMIN, &format!("/allow {GROUP}")).await;
    app.restart().await;
    let r = app.ask(USER, USER, "/balance btc").await;
    assert_eq!(r.lines()[0], "BTC  0.00000001");
    let r = app.ask(GROUP, 7777, "/balance btc").await;
    assert_eq!(r.lines()[0], "BTC  0.00000001");
    app.stop().await;
}
