//! Every way OxaPay can fail, each turned into its own clear reply, never a stale or zero balance,
//! never an alert state change; and the next `/balance` works once OxaPay is back.

mod common;

use std::time::Duration;

use common::*;

const CHAT: i64 = 2002;

fn good() -> OxaReply {
    OxaReply::Balances(vec![("BTC", "0.5"), ("USDT", "250")])
}

fn raw(status: u16, body: &str) -> OxaReply {
    OxaReply::Raw {
        status,
        body: body.to_owned(),
        headers: vec![],
    }
}

/// (what OxaPay does, what the reply must say, how many requests it may cost)
fn failures() -> Vec<(&'static str, OxaReply, &'static str, usize)> {
    vec![
        (
            "timeout",
            OxaReply::Slow(Duration::from_millis(2500), vec![("BTC", "9")]),
            "did not answer within 1 s",
            1,
        ),
        (
            "HTTP 500 with an HTML body",
            raw(500, "<html><body>Internal Server Error</body></html>"),
            "trouble (HTTP 500)",
            2,
        ),
        (
            "200 with an HTML challenge page",
            raw(
                200,
                "<!DOCTYPE html><html><title>Just a moment...</title></html>",
            ),
            "could not read",
            1,
        ),
        (
            "403 with an HTML challenge page",
            raw(403, "<html>Attention Required! | Cloudflare</html>"),
            "refused the request (HTTP 403)",
            1,
        ),
        (
            "429 with Retry-After",
            OxaReply::Raw {
                status: 429,
                body: String::new(),
                headers: vec![("retry-after", "30".into())],
            },
            "try again in 30 s",
            1,
        ),
        (
            "truncated JSON",
            OxaReply::json(r#"{"result":100,"message":"Successful operation","data":{"BTC":"0.0"#),
            "could not read",
            1,
        ),
        (
            "connection reset mid-body",
            OxaReply::Broken,
            "connection failed",
            2,
        ),
        (
            "data {}",
            OxaReply::json(r#"{"result":100,"data":{}}"#),
            "could not read",
            1,
        ),
        (
            "data []",
            OxaReply::json(r#"{"result":100,"data":[]}"#),
            "could not read",
            1,
        ),
        (
            "data null",
            OxaReply::json(r#"{"result":100,"data":null}"#),
            "could not read",
            1,
        ),
        (
            "malformed amount",
            OxaReply::json(r#"{"result":100,"data":{"BTC":"12,5"}}"#),
            "could not read",
            1,
        ),
        (
            "result code 101",
            OxaReply::code(101, "Validation problem"),
            "invalid (code 101)",
            1,
        ),
        (
            "result code 103",
            OxaReply::code(103, "Invalid Payout API key"),
            "rejected the payout key (code 103)",
            1,
        ),
        (
            "result code 104",
            OxaReply::code(104, "Invalid IP address"),
            "refused this server's IP (code 104): allow it in the OxaPay panel",
            1,
        ),
    ]
}

async fn spawn() -> TestApp {
    TestApp::spawn(
        good(),
        Setup::generous_flood_limit().with_env("OXAPAY_TIMEOUT_SECS", "1"),
    )
    .await
}

#[tokio::test]
async fn each_failure_has_its_own_clear_reply_then_recovery() {
    let app = spawn().await;
    assert!(app.ask(ADMIN, ADMIN, "/balance").await.contains("250"));
    for (what, reply, expected, max_calls) in failures() {
        app.oxa.set(reply);
        let calls = app.oxa.calls();
        let r = app.ask(ADMIN, ADMIN, "/balance").await;
        assert!(r.contains(expected), "{what}: {r}");
        // Never a balance from before, never a raw dump.
        assert!(!r.contains("250") && !r.contains("0.5"), "{what}: {r}");
        assert!(
            !r.contains('{') && !r.contains("<html") && r.len() < 200,
            "{what}: {r}"
        );
        let used = app.oxa.calls() - calls;
        assert!(used >= 1 && used <= max_calls, "{what}: {used} calls");
        app.oxa.set(good());
        let r = app.ask(ADMIN, ADMIN, "/balance").await;
        assert!(r.contains("250"), "after {what}: {r}");
    }
}

#[tokio::test]
async fn connection_refused_then_back() {
    let app = spawn().await;
    app.oxa.go_down().await;
    let r = app.ask(ADMIN, ADMIN, "/balance").await;
    assert!(r.contains("Could not reach OxaPay"), "{r}");
    app.oxa.resume().await;
    let r = app.ask(ADMIN, ADMIN, "/balance usdt").await;
    assert!(r.contains("250"), "{r}");
}

#[tokio::test]
async fn a_passing_glitch_is_retried_once_within_the_timeout() {
    let app = spawn().await;
    for glitch in [raw(503, "<html>busy</html>"), OxaReply::Broken] {
        app.oxa.push(glitch);
        let calls = app.oxa.calls();
        let r = app.ask(ADMIN, ADMIN, "/balance").await;
        assert!(r.contains("250"), "{r}");
        assert_eq!(app.oxa.calls() - calls, 2);
    }
    // A result code is an answer: not retried.
    app.oxa.push(OxaReply::code(103, "Invalid Payout API key"));
    let calls = app.oxa.calls();
    let r = app.ask(ADMIN, ADMIN, "/balance").await;
    assert!(r.contains("code 103"), "{r}");
    assert_eq!(app.oxa.calls() - calls, 1);
}

#[tokio::test]
async fn amounts_as_json_numbers_are_exact() {
    let app = spawn().await;
    app.oxa.set(OxaReply::json(
        r#"{"result":100,"data":{"BTC":12345678901234567.89,"ETH":0.00000001,"LTC":0}}"#,
    ));
    let r = app.ask(ADMIN, ADMIN, "/balance").await;
    assert!(
        r.contains("12345678901234567.89") && r.contains("0.00000001"),
        "{r}"
    );
}

#[tokio::test]
async fn a_failure_after_the_cache_window_never_shows_the_old_balance() {
    let app = TestApp::spawn(
        good(),
        Setup::generous_flood_limit()
            .with_env("OXAPAY_TIMEOUT_SECS", "1")
            .with_env("BALANCE_CACHE_SECS", "1"),
    )
    .await;
    assert!(app.ask(ADMIN, ADMIN, "/balance").await.contains("250"));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    app.oxa.set(OxaReply::code(104, "Invalid IP address"));
    let r = app.ask(ADMIN, ADMIN, "/balance").await;
    assert!(r.contains("code 104") && !r.contains("250"), "{r}");
}

#[tokio::test]
async fn no_failure_changes_an_alert_state() {
    let app = TestApp::spawn(
        good(),
        Setup::generous_flood_limit()
            .with_env("OXAPAY_TIMEOUT_SECS", "1")
            .with_env("ALERT_INTERVAL_SECS", "1")
            .with_env("ALERT_FAILURES_BEFORE_NOTICE", "1000"),
    )
    .await;
    app.ask(ADMIN, ADMIN, &format!("/allow {CHAT}")).await;
    app.ask(CHAT, CHAT, "/alert BTC 0.1").await;
    app.ask(CHAT, CHAT, "/alert USDT 1000").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let before = app.ask(CHAT, CHAT, "/alerts").await;
    assert!(
        before.contains("<b>BTC</b> below <code>0.1</code>: ok"),
        "{before}"
    );
    assert!(
        before.contains("<b>USDT</b> below <code>1000</code>: low since"),
        "{before}"
    );
    let seen = app.tg.sent_to(CHAT).len();
    // Every failure kind in turn, each for at least one check.
    for (what, reply, _, _) in failures().into_iter().filter(|f| f.0 != "timeout") {
        app.oxa.set(reply);
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let sent = app.tg.sent_to(CHAT);
        assert_eq!(
            sent.len(),
            seen,
            "{what} caused a message: {:?}",
            &sent[seen..]
        );
    }
    let after = app.ask(CHAT, CHAT, "/alerts").await;
    let states = |s: &str| {
        s.lines()
            .filter(|l| l.contains("below"))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(states(&before), states(&after));
}
