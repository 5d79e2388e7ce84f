//! `/balance`, access control and admin commands, end to end: the real dispatcher over HTTP
//! against fake Telegram and OxaPay servers, with a real SQLite file.

mod common;

use std::time::Duration;

use common::*;

const USER: i64 = 2002;
const GROUP: i64 = -3003;

fn account() -> OxaReply {
    OxaReply::Balances(vec![
        ("BTC", "0.00000001"),
        ("USDT", "98765432.12345678"),
        ("TRX", "0"),
        ("LTC", "12.5"),
    ])
}

#[tokio::test]
async fn admin_sees_exact_balances_sorted_and_aligned() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    let reply = app.ask(ADMIN, ADMIN, "/balance").await;
    assert!(reply.contains("<pre>"), "{reply}");
    // Sorted, zero left out, every digit kept, aligned on the point.
    assert!(
        reply.contains("BTC          0.00000001\nLTC         12.5\nUSDT  98765432.12345678"),
        "{reply}"
    );
    assert!(!reply.contains("TRX"));
    let sent = app.tg.sent();
    assert_eq!(sent.last().unwrap().parse_mode.as_deref(), Some("HTML"));
    // The request carried the key in a JSON body and asked for every currency.
    let body = &app.oxa.bodies()[0];
    assert_eq!(body["key"], KEY);
    assert!(body.get("currency").is_none());
}

#[tokio::test]
async fn one_currency_case_insensitive_zero_included_and_unknown_named() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    let usdt = app.ask(ADMIN, ADMIN, "/balance usdt").await;
    assert!(usdt.contains("USDT  98765432.12345678"), "{usdt}");
    assert!(!usdt.contains("BTC"));
    let trx = app.ask(ADMIN, ADMIN, "/balance TRX").await;
    assert!(trx.contains("TRX  0"), "{trx}");
    let xyz = app.ask(ADMIN, ADMIN, "/balance xyz").await;
    assert!(xyz.contains("no <b>XYZ</b> wallet"), "{xyz}");
    assert!(xyz.contains("BTC, LTC, TRX, USDT"), "{xyz}");
}

#[tokio::test]
async fn all_zero_account_gets_a_clear_line() {
    let app = TestApp::spawn(
        OxaReply::Balances(vec![("BTC", "0"), ("USDT", "0.000")]),
        Setup::default(),
    )
    .await;
    let reply = app.ask(ADMIN, ADMIN, "/balance").await;
    assert!(reply.contains("All 2 wallets are at zero"), "{reply}");
}

#[tokio::test]
async fn stranger_is_refused_without_any_oxapay_call() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    let calls = app.oxa.calls();
    let reply = app.ask(USER, USER, "/balance").await;
    assert!(reply.contains("not authorized"), "{reply}");
    assert!(
        reply.contains(&USER.to_string()),
        "the refusal gives the user id: {reply}"
    );
    assert!(!reply.contains("BTC") && !reply.contains("0.0"));
    // Any other command gets nothing more (at most one refusal a minute), and no OxaPay call.
    app.tg
        .ask_expect_silence(USER, USER, "/alerts", Duration::from_millis(500))
        .await;
    assert_eq!(app.oxa.calls(), calls);
}

#[tokio::test]
async fn allow_then_balance_then_deny() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    let r = app.ask(ADMIN, ADMIN, &format!("/allow {USER}")).await;
    assert!(
        r.contains("Allowed user") && r.contains(&USER.to_string()),
        "{r}"
    );
    let r = app.ask(USER, USER, "/balance btc").await;
    assert!(r.contains("0.00000001"), "{r}");
    let r = app.ask(ADMIN, ADMIN, &format!("/allow {USER}")).await;
    assert!(r.contains("already allowed"), "{r}");
    let r = app.ask(ADMIN, ADMIN, "/users").await;
    assert!(
        r.contains(&USER.to_string()) && r.contains(&ADMIN.to_string()),
        "{r}"
    );
    let r = app.ask(ADMIN, ADMIN, &format!("/deny {USER}")).await;
    assert!(r.contains("Denied"), "{r}");
    let calls = app.oxa.calls();
    let r = app.ask(USER, USER, "/balance").await;
    assert!(r.contains("not authorized"), "{r}");
    assert_eq!(app.oxa.calls(), calls);
}

#[tokio::test]
async fn admin_cannot_be_denied() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    let r = app.ask(ADMIN, ADMIN, &format!("/deny {ADMIN}")).await;
    assert!(
        r.contains("is an admin") && r.contains("cannot be denied"),
        "{r}"
    );
    let r = app.ask(ADMIN, ADMIN, "/balance").await;
    assert!(r.contains("BTC"), "{r}");
}

#[tokio::test]
async fn group_allowed_members_use_it_but_only_admins_administer() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    // Inside a group that is not allowed, a member is refused.
    let r = app.ask(GROUP, USER, "/balance").await;
    assert!(
        r.contains("not authorized") && r.contains(&GROUP.to_string()),
        "{r}"
    );
    // The admin allows the group from inside it.
    let r = app.ask(GROUP, ADMIN, &format!("/allow {GROUP}")).await;
    assert!(r.contains("Allowed group"), "{r}");
    let r = app.ask(GROUP, USER, "/balance ltc").await;
    assert!(r.contains("12.5"), "{r}");
    // A non-admin's admin command is refused, in the allowed group and in private.
    let r = app.ask(GROUP, USER, "/allow 5555").await;
    assert!(r.contains("Only admins"), "{r}");
    let r = app.ask(GROUP, USER, "/users").await;
    assert!(r.contains("Only admins"), "{r}");
    app.ask(ADMIN, ADMIN, &format!("/allow {USER}")).await;
    let r = app.ask(USER, USER, "/deny 1234").await;
    assert!(r.contains("Only admins"), "{r}");
    let r = app.ask(ADMIN, ADMIN, "/users").await;
    assert!(!r.contains("5555") && !r.contains("1234"), "{r}");
}

#[tokio::test]
async fn help_lists_the_commands_this_person_may_use() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    let r = app.ask(ADMIN, ADMIN, "/start").await;
    assert!(
        r.contains("/balance") && r.contains("/allow") && r.contains(&ADMIN.to_string()),
        "{r}"
    );
    app.ask(ADMIN, ADMIN, &format!("/allow {USER}")).await;
    let r = app.ask(USER, USER, "/help").await;
    assert!(
        r.contains("/balance") && r.contains("/alert") && !r.contains("/allow"),
        "{r}"
    );
    assert!(r.contains(&USER.to_string()));
    // The menus were registered at start: everyone's and the admin's.
    assert!(app.tg.calls("setmycommands") >= 2);
}

#[tokio::test]
async fn bad_arguments_get_clear_replies() {
    let app = TestApp::spawn(account(), Setup::generous_flood_limit()).await;
    let cases = [
        ("/allow abc", "not a Telegram id"),
        ("/allow", "id is missing"),
        ("/allow 1 2", "one id at a time"),
        ("/deny 0", "not a Telegram id"),
        ("/balance BTC USDT", "one currency at a time"),
        (
            "/balance '; DROP TABLE allowed_chats; --",
            "one currency at a time",
        ),
        ("/balance BTC';DROP", "not a currency"),
        ("/balance 💰", "not a currency"),
        ("/balance <script>", "not a currency"),
    ];
    for (input, expected) in cases {
        let r = app.ask(ADMIN, ADMIN, input).await;
        assert!(r.contains(expected), "{input}: {r}");
        assert!(!r.contains("<script>"), "user text is escaped: {r}");
    }
    let long = format!("/balance {}", "A".repeat(300));
    let r = app.ask(ADMIN, ADMIN, &long).await;
    assert!(r.contains("not a currency") && r.len() < 400, "{r}");
    let r = app.ask(ADMIN, ADMIN, "/frobnicate").await;
    assert!(r.contains("Unknown command"), "{r}");
    // Still alive and well.
    let r = app.ask(ADMIN, ADMIN, "/balance btc").await;
    assert!(r.contains("0.00000001"), "{r}");
    // The database survived the SQL-looking input.
    let r = app.ask(ADMIN, ADMIN, "/users").await;
    assert!(r.contains("Admins"), "{r}");
}

#[tokio::test]
async fn commands_for_other_bots_and_plain_text_are_ignored() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    app.tg
        .ask_expect_silence(
            ADMIN,
            ADMIN,
            "/balance@someotherbot",
            Duration::from_millis(400),
        )
        .await;
    app.tg
        .ask_expect_silence(ADMIN, ADMIN, "hello there", Duration::from_millis(400))
        .await;
    let r = app
        .ask(ADMIN, ADMIN, &format!("/balance@{BOT_NAME} ltc"))
        .await;
    assert!(r.contains("12.5"), "{r}");
    // A phone's capital letter does not matter.
    let r = app.ask(ADMIN, ADMIN, "/Balance LTC").await;
    assert!(r.contains("12.5"), "{r}");
}

#[tokio::test]
async fn allowed_chats_survive_a_restart() {
    let mut app = TestApp::spawn(account(), Setup::default()).await;
    app.ask(ADMIN, ADMIN, &format!("/allow {USER}")).await;
    app.ask(ADMIN, ADMIN, &format!("/allow {GROUP}")).await;
    app.restart().await;
    let r = app.ask(USER, USER, "/balance btc").await;
    assert!(r.contains("0.00000001"), "{r}");
    let r = app.ask(GROUP, 7777, "/balance btc").await;
    assert!(r.contains("0.00000001"), "{r}");
    app.stop().await;
}
