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
    let took = app.stop().await;
    opener.await.unwrap();
    let reply = app.tg.sent_to(ADMIN);
    assert_eq!(reply.len(), 1, "the reply went out before the bot stopped");
    assert_eq!(reply[0].plain().lines().next(), Some("BTC  0.5"));
    assert!(
        took < GRACE,
        "stopped in {took:?}, not by the grace fallback"
    );
    assert_eq!(
        app.logs()
            .with_message("handlers still busy at shutdown; stopping without them")
            .len(),
        0
    );
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
    let took = app.stop().await;
    assert!(
        took >= GRACE && took < GRACE + Duration::from_secs(5),
        "stopped after {took:?}"
    );
    assert_eq!(
        app.logs()
            .with_message("handlers still busy at shutdown; stopping without them")
            .len(),
        1
    );
    assert_eq!(app.tg.sent_to(ADMIN).len(), 0);
    gate.open();
}
