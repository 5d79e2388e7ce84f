//! Every way OxaPay can fail: each turned into its own sentence for the user and a log line for
//! the operator, never a stale or zero balance, never an alert state change; and the next
//! `/balance` works once OxaPay is back.

use std::time::Duration;

use crate::support::logs::LogEvent;
use crate::support::{ADMIN, OxaReply, Setup, TestApp};

const CHAT: i64 = 2002;

fn good() -> OxaReply {
    OxaReply::balances(&[("BTC", "0.5"), ("USDT", "250")])
}

const UNREADABLE: &str = "OxaPay sent an answer the bot could not read — try again shortly.";

struct Failure {
    what: &'static str,
    reply: OxaReply,
    /// The whole reply the user reads.
    user: &'static str,
    /// The start of the operator's log line's `error` field.
    operator: &'static str,
    /// OxaPay requests it costs: 2 when retried once.
    calls: usize,
}

fn f(
    what: &'static str,
    reply: OxaReply,
    user: &'static str,
    operator: &'static str,
    calls: usize,
) -> Failure {
    Failure {
        what,
        reply,
        user,
        operator,
        calls,
    }
}

/// Every failure but the timeout (which has its own test, with a 1 s limit).
fn failures() -> Vec<Failure> {
    vec![
        f(
            "HTTP 500 with an HTML body",
            OxaReply::status(500, "<html><body>Internal Server Error</body></html>"),
            "OxaPay is having trouble (HTTP 500) — try again shortly.",
            "HTTP status 500",
            2,
        ),
        f(
            "200 with an HTML challenge page",
            OxaReply::json("<!DOCTYPE html><html><title>Just a moment...</title></html>"),
            UNREADABLE,
            "unexpected answer: not JSON",
            1,
        ),
        f(
            "403 with an HTML challenge page",
            OxaReply::status(403, "<html>Attention Required! | Cloudflare</html>"),
            "OxaPay refused the request (HTTP 403) — try again later.",
            "HTTP status 403",
            1,
        ),
        f(
            "429 with Retry-After",
            OxaReply::status(429, "").with_header("retry-after", "30"),
            "OxaPay is limiting requests — try again in 30 s.",
            "HTTP status 429",
            1,
        ),
        f(
            "truncated JSON",
            OxaReply::json(r#"{"result":100,"message":"Successful operation","data":{"BTC":"0.0"#),
            UNREADABLE,
            "unexpected answer: not JSON",
            1,
        ),
        f(
            "connection reset mid-body",
            OxaReply::Broken,
            "Could not reach OxaPay (connection failed) — try again shortly.",
            "connection failed: ",
            2,
        ),
        f(
            "data {}",
            OxaReply::json(r#"{"result":100,"data":{}}"#),
            UNREADABLE,
            "unexpected answer: no balances in the answer",
            1,
        ),
        f(
            "data []",
            OxaReply::json(r#"{"result":100,"data":[]}"#),
            UNREADABLE,
            "unexpected answer: no balances in the answer",
            1,
        ),
        f(
            "data null",
            OxaReply::json(r#"{"result":100,"data":null}"#),
            UNREADABLE,
            "unexpected answer: ",
            1,
        ),
        f(
            "no amount readable",
            OxaReply::json(r#"{"result":100,"data":{"BTC":"12,5"}}"#),
            UNREADABLE,
            "unexpected answer: no readable amount in the answer",
            1,
        ),
        f(
            "result code 101",
            OxaReply::code(101, "Validation problem"),
            "OxaPay rejected the request as invalid (code 101).",
            "result code 101: Validation problem",
            1,
        ),
        f(
            "result code 102",
            OxaReply::code(102, "Invalid merchant API key"),
            "OxaPay rejected the API key: it is not a payout key (code 102).",
            "result code 102: Invalid merchant API key",
            1,
        ),
        f(
            "result code 103",
            OxaReply::code(103, "Invalid Payout API key"),
            "OxaPay rejected the payout key (code 103): check OXAPAY_PAYOUT_API_KEY.",
            "result code 103: Invalid Payout API key",
            1,
        ),
        f(
            "result code 104",
            OxaReply::code(104, "Invalid IP address"),
            "OxaPay refused this server's IP (code 104): allow it in the OxaPay panel.",
            "result code 104: Invalid IP address",
            1,
        ),
        f(
            "result code 105",
            OxaReply::code(105, "Invalid currency"),
            "OxaPay does not know that currency (code 105).",
            "result code 105: Invalid currency",
            1,
        ),
        f(
            "result code 124",
            OxaReply::code(124, "Limit exceeded"),
            "OxaPay's request limit is exceeded (code 124) — try again later.",
            "result code 124: Limit exceeded",
            1,
        ),
        f(
            "result code 131",
            OxaReply::code(131, "An error occurred"),
            "OxaPay reported an error (code 131) — try again later.",
            "result code 131: An error occurred",
            1,
        ),
    ]
}

fn failed_reads(app: &TestApp) -> Vec<LogEvent> {
    app.logs().with_message("balance read failed for /balance")
}

#[tokio::test]
async fn each_failure_has_its_own_reply_and_log_line_then_recovery() {
    let app = TestApp::spawn(good(), Setup::default().no_cache()).await;
    assert_eq!(
        app.ask(ADMIN, ADMIN, "/balance usdt").await.lines()[0],
        "USDT  250"
    );
    for (n, failure) in failures().into_iter().enumerate() {
        let what = failure.what;
        app.oxa.set(failure.reply);
        let calls = app.oxa.calls();
        let r = app.ask(ADMIN, ADMIN, "/balance").await;
        // The whole reply is the sentence: never a balance from before, never a raw dump.
        assert_eq!(r.text(), failure.user, "{what}");
        assert_eq!(
            app.oxa.calls() - calls,
            failure.calls,
            "{what}: OxaPay requests"
        );
        // The operator's log line names the failure.
        let logged = failed_reads(&app);
        assert_eq!(logged.len(), n + 1, "{what}: one log line per failure");
        let error = logged[n].field("error").unwrap_or_default();
        assert!(
            error.starts_with(failure.operator),
            "{what}: logged {error:?}"
        );
        app.oxa.set(good());
        let r = app.ask(ADMIN, ADMIN, "/balance usdt").await;
        assert_eq!(r.lines()[0], "USDT  250", "after {what}");
    }
    let outcomes: Vec<String> = app
        .logs()
        .with_message("command handled")
        .iter()
        .filter_map(|e| e.field("outcome").map(str::to_owned))
        .collect();
    assert_eq!(
        outcomes.iter().filter(|o| *o == "oxapay_error").count(),
        failures().len()
    );
}

#[tokio::test]
async fn a_slow_oxapay_is_a_timeout_within_the_configured_limit() {
    let app = TestApp::spawn(
        OxaReply::slow(Duration::from_secs(3), good()),
        Setup::default().env("OXAPAY_TIMEOUT_SECS", "1"),
    )
    .await;
    let started = std::time::Instant::now();
    let r = app.ask(ADMIN, ADMIN, "/balance").await;
    assert_eq!(
        r.text(),
        "OxaPay did not answer within 1 s — try again shortly."
    );
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(app.oxa.calls(), 1, "a timeout is not retried");
    let logged = failed_reads(&app);
    assert_eq!(logged[0].field("error"), Some("no answer within 1 s"));
}

#[tokio::test]
async fn connection_refused_then_back() {
    let app = TestApp::spawn(good(), Setup::default().no_cache()).await;
    app.oxa.go_down().await;
    let r = app.ask(ADMIN, ADMIN, "/balance").await;
    assert_eq!(
        r.text(),
        "Could not reach OxaPay (connection failed) — try again shortly."
    );
    app.oxa.resume().await;
    let r = app.ask(ADMIN, ADMIN, "/balance usdt").await;
    assert_eq!(r.lines()[0], "USDT  250");
}

#[tokio::test]
async fn a_passing_glitch_is_retried_once_within_the_timeout() {
    let app = TestApp::spawn(good(), Setup::default().no_cache()).await;
    for glitch in [OxaReply::status(503, "<html>busy</html>"), OxaReply::Broken] {
        app.oxa.push(glitch);
        let calls = app.oxa.calls();
        let r = app.ask(ADMIN, ADMIN, "/balance usdt").await;
        assert_eq!(r.lines()[0], "USDT  250");
        assert_eq!(app.oxa.calls() - calls, 2);
    }
    // A result code is an answer: not retried.
    app.oxa.push(OxaReply::code(103, "Invalid Payout API key"));
    let calls = app.oxa.calls();
    let r = app.ask(ADMIN, ADMIN, "/balance").await;
    assert_eq!(
        r.text(),
        "OxaPay rejected the payout key (code 103): check OXAPAY_PAYOUT_API_KEY."
    );
    assert_eq!(app.oxa.calls() - calls, 1);
}

/// One failure of each kind the checker can see (every `OxaPayError` variant: timeout,
/// connection, HTTP status, unreadable answer, result code), one check each: no alert, no
/// notice below the threshold, no state change.
#[tokio::test]
async fn no_failure_changes_an_alert_state() {
    let app = TestApp::spawn(
        good(),
        Setup::default()
            .checking_every_second()
            .no_cache()
            .env("OXAPAY_TIMEOUT_SECS", "1")
            .env("ALERT_FAILURES_BEFORE_NOTICE", "1000"),
    )
    .await;
    app.ask(ADMIN, ADMIN, &format!("/allow {CHAT}")).await;
    app.ask(CHAT, CHAT, "/alert BTC 0.1").await;
    app.ask(CHAT, CHAT, "/alert USDT 1000").await;
    app.tg.wait_broadcasts(CHAT, 1).await;
    app.wait_deliveries(2).await;
    let states = || async {
        let r = app.ask(CHAT, CHAT, "/alerts").await;
        r.lines()[1..3].to_vec()
    };
    let before = states().await;
    assert_eq!(before[0], "BTC below 0.1: ok");
    assert!(
        before[1].starts_with("USDT below 1000: low since "),
        "{before:?}"
    );
    // Each kind is queued as often as one check asks (twice when retried), then the good
    // answer comes back.
    let kinds = [
        (OxaReply::slow(Duration::from_secs(3), good()), 1),
        (OxaReply::Broken, 2),
        (OxaReply::status(502, "<html>Bad gateway</html>"), 2),
        (
            OxaReply::status(429, "").with_header("retry-after", "30"),
            1,
        ),
        (
            OxaReply::json("<!DOCTYPE html><html>Just a moment...</html>"),
            1,
        ),
        (OxaReply::json(r#"{"result":100,"data":{}}"#), 1),
        (OxaReply::code(104, "Invalid IP address"), 1),
    ];
    let mut queued = 0;
    for (reply, calls) in kinds {
        for _ in 0..calls {
            app.oxa.push(reply.clone());
            queued += 1;
        }
    }
    let calls = app.oxa.calls();
    app.oxa.wait_calls(calls + queued).await;
    app.wait_deliveries(2).await;
    assert_eq!(
        app.tg.broadcasts_to(CHAT),
        ["⚠️ Low balance: USDT 250 is below your alert level 1000"],
        "only the alert from before the failures"
    );
    assert_eq!(app.tg.broadcasts_to(ADMIN), Vec::<String>::new());
    assert_eq!(states().await, before);
}
