//! Stopping (what SIGINT/SIGTERM do, in process): polling stops, a command being handled gets up
//! to the 3 s grace to finish and its reply goes out; one that needs longer is cut off.

use std::time::Duration;

use crate::support::oxapay::Gate;
use crate::support::{ADMIN, OxaReply, Setup, TestApp};

const GRACE: Duration = Duration::from_secs(3);

#[tokio::test]
async fn a_command_in_flight_at_shutdown_finishes_within_the_grace() {
    let gate = Gate::new();
    let mut app = TestApp::spawn(
        OxaReply::held(&gate, OxaReply::balances(&[("BTC", "0.5")])),
        Setup::default(),
    )
    .await;
    app.tg.send_text(ADMIN, ADMIN, "/balance btc");
    app.oxa.wait_calls(1).await;
    // OxaPay answers once shutdown has begun.
    let logs = app.logs().clone();
    let opener = tokio::spawn(async move {
        logs.wait_for("shutdown", 1, |e| e.message == "shutting down")
            .await;
        gate.open();
    });
    app.stop().await;
    opener.await.unwrap();
    let reply = app.tg.sent_to(ADMIN);
    assert_eq!(reply.len(), 1, "the reply went out before the bot stopped");
    assert_eq!(reply[0].plain().lines().next(), Some("BTC  0.5"));
    // Stopped because the handler finished, not by the grace running out: each wait the stop
    // has is bounded by the grace and logs when it runs out. (Once OxaPay answers, the handler
    // needs milliseconds of the 3 s, so this holds on a machine many times slower.)
    for fallback in [
        "handlers still busy at shutdown; stopping without them",
        "background tasks still busy at shutdown; stopping without them",
    ] {
        assert_eq!(app.logs().with_message(fallback).len(), 0, "{fallback}");
    }
}

#[tokio::test]
async fn a_command_slower_than_the_grace_is_cut_off() {
    let gate = Gate::new();
    let mut app = TestApp::spawn(
        OxaReply::held(&gate, OxaReply::balances(&[("BTC", "0.5")])),
        Setup::default(),
    )
    .await;
    app.tg.send_text(ADMIN, ADMIN, "/balance btc");
    app.oxa.wait_calls(1).await;
    // OxaPay never answers while the bot stops (the gate opens only after): the stop returns at
    // all only because the grace cut the handler off, and not before the grace was over.
    let took = app.stop().await;
    assert!(took >= GRACE, "stopped after {took:?}, inside the grace");
    assert_eq!(
        app.logs()
            .with_message("handlers still busy at shutdown; stopping without them")
            .len(),
        1
    );
    assert_eq!(app.tg.sent_to(ADMIN).len(), 0);
    gate.open();
}
