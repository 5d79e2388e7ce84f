//! The shipped binary as an operator runs it: configuration from the environment and `.env`,
//! signals, secrets in logs at `RUST_LOG=trace`, an unwritable or locked database, and a
//! `kill -9` in the middle of writes. Every wait is awaited, so the fakes keep answering.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::support::process::{BotProcess, SqliteLock, python_sqlite};
use crate::support::{ADMIN, FakeTelegram, KEY, OxaReply, Setup, TOKEN, TestApp, TgFault};

const USER: i64 = 2002;

/// The fakes and an environment for the binary (the in-process bot is not started).
async fn fakes(reply: OxaReply, setup: Setup) -> TestApp {
    TestApp::prepare(reply, setup).await
}

/// Starts the binary with `env` and returns once it polls Telegram.
async fn run_bot(app: &TestApp, env: &BTreeMap<String, String>) -> BotProcess {
    let polls = app.tg.calls("getUpdates");
    let bot = BotProcess::bot(env, app.dir.path());
    app.tg.wait_calls("getUpdates", polls + 1).await;
    bot
}

/// A stop that nothing held up: every wait of the shutdown (handlers, background tasks) is
/// bounded by the 3 s grace and logs when the grace runs out, so no such line means none of them
/// waited it out, however slow the machine; and the bot says it stopped.
pub fn assert_stopped_without_the_grace(out: &str) {
    assert!(!out.contains("still busy at shutdown"), "{out}");
    assert!(
        out.lines().any(|l| l.ends_with("oxapay_bot::app: stopped")),
        "{out}"
    );
}

/// SIGTERM; the bot must exit 0, and not because the grace ran out.
async fn stop_cleanly(bot: &mut BotProcess) -> String {
    bot.signal(libc::SIGTERM);
    let (code, _) = bot.wait(Duration::from_secs(20)).await;
    let out = bot.output();
    assert_eq!(code, Some(0), "{out}");
    assert_stopped_without_the_grace(&out);
    out
}

/// Runs the binary expecting it to fail at start: returns its exit code and output. A start-up
/// failure is told at once, not after retries: nothing in the output speaks of trying again, and
/// Telegram (`tg`, when the failure comes after the fakes are up) was asked at most once who the
/// bot is.
async fn startup_failure(
    env: &BTreeMap<String, String>,
    cwd: &std::path::Path,
    tg: Option<&FakeTelegram>,
) -> (Option<i32>, String) {
    let mut bot = BotProcess::bot(env, cwd);
    let (code, _) = bot.wait(Duration::from_secs(20)).await;
    let out = bot.output();
    assert!(!out.contains("panicked"), "{out}");
    assert!(!out.to_lowercase().contains("retry"), "{out}");
    if let Some(tg) = tg {
        assert!(tg.calls("getMe") <= 1, "getMe asked again:\n{out}");
    }
    (code, out)
}

#[tokio::test]
async fn configuration_errors_are_one_line_naming_the_variable_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let base: BTreeMap<String, String> = [
        ("TELOXIDE_TOKEN", TOKEN),
        ("OXAPAY_PAYOUT_API_KEY", KEY),
        ("ADMIN_IDS", "1"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let cases = [
        ("TELOXIDE_TOKEN", None),
        // Neither OxaPay key: the error names both (either one will do).
        ("OXAPAY_PAYOUT_API_KEY", None),
        ("ADMIN_IDS", Some("alice")),
        ("OXAPAY_TIMEOUT_SECS", Some("soon")),
        ("ALERT_INTERVAL_SECS", Some("-1")),
        ("BALANCE_CACHE_SECS", Some("99999")),
    ];
    for (var, value) in cases {
        let mut env = base.clone();
        match value {
            Some(v) => env.insert(var.to_owned(), v.to_owned()),
            None => env.remove(var),
        };
        let (code, out) = startup_failure(&env, dir.path(), None).await;
        assert_eq!(code, Some(2), "{var}: {out}");
        let lines: Vec<&str> = out.trim().lines().collect();
        assert_eq!(lines.len(), 1, "{var}: {out}");
        let named = if var == "OXAPAY_PAYOUT_API_KEY" {
            "OXAPAY_GENERAL_API_KEY or OXAPAY_PAYOUT_API_KEY".to_owned()
        } else {
            var.to_owned()
        };
        assert!(
            lines[0].starts_with(&format!("configuration error: {named}: ")),
            "{var}: {out}"
        );
        assert!(!out.contains(KEY) && !out.contains(TOKEN), "{out}");
    }
}

/// `.env` in the working directory supplies the configuration; a variable set in the
/// environment wins over the file's.
#[tokio::test]
async fn dotenv_is_loaded_and_the_environment_wins() {
    let app = fakes(OxaReply::balances(&[("BTC", "0.5")]), Setup::default()).await;
    let mut file = String::new();
    for (k, v) in &app.env {
        let v = if k == "ADMIN_IDS" { "4242" } else { v };
        file.push_str(&format!("{k}={v}\n"));
    }
    std::fs::write(app.dir.path().join(".env"), file).unwrap();
    let env = BTreeMap::from([("ADMIN_IDS".to_owned(), ADMIN.to_string())]);
    let mut bot = run_bot(&app, &env).await;
    // Token, URLs, key and database came from the file: it polls and answers.
    let r = app.ask(ADMIN, ADMIN, "/balance btc").await;
    assert_eq!(r.lines()[0], "BTC  0.5");
    // The admin from the environment, not the file's.
    let r = app.ask(4242, 4242, "/balance").await;
    assert_eq!(
        r.text(),
        "You are not authorized to use this bot. Your user id is 4242 — ask an admin to /allow it."
    );
    stop_cleanly(&mut bot).await;
}

#[tokio::test]
async fn a_full_session_at_trace_level_never_prints_a_secret() {
    let app = fakes(
        OxaReply::balances(&[("BTC", "0.5")]),
        Setup::default()
            .env("RUST_LOG", "trace")
            .checking_every_second()
            .no_cache(),
    )
    .await;
    let mut bot = run_bot(&app, &app.env).await;

    // Commands, a refusal, bad input, an OxaPay failure, an alert, Telegram failures.
    assert_eq!(
        app.ask(ADMIN, ADMIN, "/balance").await.lines()[1],
        "BTC  0.5"
    );
    app.ask(USER, USER, "/balance").await;
    app.ask(ADMIN, ADMIN, &format!("/allow {USER}")).await;
    app.ask(USER, USER, "/alert BTC abc").await;
    app.ask(USER, USER, "/alert BTC 1").await;
    let told = app.tg.wait_broadcasts(USER, 1).await;
    assert_eq!(
        told,
        ["⚠️ Low balance: BTC 0.5 is below your alert level 1"]
    );
    app.oxa.set(OxaReply::code(103, "Invalid Payout API key"));
    app.ask(ADMIN, ADMIN, "/balance").await;
    app.oxa.set(OxaReply::Broken);
    app.ask(ADMIN, ADMIN, "/balance").await;
    // (A 5xx would add teloxide's own 10 s pause; these two fail without one.)
    app.tg
        .fail_get_updates([TgFault::BrokenBody, TgFault::conflict()]);
    app.tg.wait_get_updates_faults_served().await;
    app.ask(ADMIN, ADMIN, "/help").await;

    let out = stop_cleanly(&mut bot).await;
    // One line per handled command, with chat id, command, outcome and latency.
    let handled: Vec<&str> = out
        .lines()
        .find(|l| l.contains("command handled") && l.contains("command=\"balance\""))
        .unwrap_or_else(|| panic!("no command line:\n{out}"))
        .split_whitespace()
        .collect();
    for field in ["chat_id=1001", "command=\"balance\"", "outcome=\"ok\""] {
        assert!(handled.contains(&field), "{field} missing: {handled:?}");
    }
    let ms = handled.iter().find_map(|t| t.strip_prefix("ms="));
    assert!(
        ms.is_some_and(|ms| ms.parse::<u64>().is_ok()),
        "{handled:?}"
    );
    assert!(
        out.contains("Telegram answered 409 Conflict: another process is polling updates"),
        "the 409 is explained"
    );
    // The run did log at trace level, from us and from the libraries…
    assert!(out.contains("TRACE"), "trace output expected");
    assert!(out.len() > 10_000, "only {} bytes of logs", out.len());
    // …and none of it holds the token, its secret half, or the key.
    let half = TOKEN.split_once(':').unwrap().1;
    for secret in [TOKEN, half, KEY] {
        assert!(!out.contains(secret), "{secret} leaked");
    }
    // Telegram saw the token (so it was in URLs the libraries could have logged).
    assert!(app.tg.tokens_seen().contains(TOKEN));
}

#[tokio::test]
async fn sigint_and_sigterm_stop_cleanly_and_quickly() {
    for sig in [libc::SIGTERM, libc::SIGINT] {
        let app = fakes(OxaReply::balances(&[("BTC", "1")]), Setup::default()).await;
        let mut bot = run_bot(&app, &app.env).await;
        assert_eq!(app.ask(ADMIN, ADMIN, "/balance").await.lines()[1], "BTC  1");
        bot.signal(sig);
        let name = if sig == libc::SIGTERM {
            "SIGTERM"
        } else {
            "SIGINT"
        };
        bot.wait_line("the signal, named", |l| {
            l.ends_with(&format!("{name} received"))
        })
        .await;
        let (code, _) = bot.wait(Duration::from_secs(20)).await;
        let out = bot.output();
        assert_eq!(code, Some(0), "signal {sig}: {out}");
        assert_stopped_without_the_grace(&out);
    }
}

#[tokio::test]
async fn an_unwritable_database_location_is_a_clear_startup_error() {
    let app = fakes(OxaReply::balances(&[("BTC", "1")]), Setup::default()).await;
    // Both hold even for root, who ignores directory permissions.
    let file = app.dir.path().join("not-a-directory");
    std::fs::write(&file, "x").unwrap();
    for url in [
        format!("sqlite://{}/bot.db", file.display()),
        "sqlite:///proc/oxapay-bot-test/bot.db".to_owned(),
    ] {
        let mut env = app.env.clone();
        env.insert("DATABASE_URL".into(), url.clone());
        let (code, out) = startup_failure(&env, app.dir.path(), Some(&app.tg)).await;
        assert_eq!(code, Some(1), "{url}: {out}");
        let last = out.trim().lines().last().unwrap_or("");
        assert!(
            last.starts_with("error: cannot open the database"),
            "{url}: {out}"
        );
    }
}

/// `METRICS_LISTEN` or `WEBHOOK_LISTEN` on an address another program holds: one line naming the
/// variable and the address, exit 1, before Telegram is even asked.
#[tokio::test]
async fn an_address_in_use_is_a_clear_startup_error() {
    let app = fakes(OxaReply::balances(&[("BTC", "1")]), Setup::default()).await;
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap();
    for (var, extra) in [
        ("METRICS_LISTEN", None),
        (
            "WEBHOOK_LISTEN",
            Some(("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/tg/hook")),
        ),
    ] {
        let mut env = app.env.clone();
        env.insert(var.into(), addr.to_string());
        if let Some((k, v)) = extra {
            env.insert(k.into(), v.into());
        }
        let (code, out) = startup_failure(&env, app.dir.path(), Some(&app.tg)).await;
        assert_eq!(code, Some(1), "{var}: {out}");
        assert_eq!(
            out.trim().lines().last(),
            Some(
                format!(
                    "error: {var}: cannot listen on {addr}: Address already in use (os error 98)"
                )
                .as_str()
            ),
            "{out}"
        );
    }
    assert_eq!(app.tg.calls("getMe"), 0);
    drop(taken);
}

/// Telegram refuses the webhook (it cannot reach the URL): one line with Telegram's reason,
/// exit 1; nothing is left set at Telegram.
#[tokio::test]
async fn a_webhook_telegram_refuses_is_a_clear_startup_error() {
    let app = fakes(OxaReply::balances(&[("BTC", "1")]), Setup::default()).await;
    app.tg.refuse_webhook(Some(
        "Bad Request: bad webhook: Failed to resolve host: Name or service not known",
    ));
    let mut env = app.env.clone();
    env.insert(
        "TELEGRAM_WEBHOOK_URL".into(),
        "https://bot.invalid/tg/hook".into(),
    );
    env.insert("WEBHOOK_LISTEN".into(), "127.0.0.1:0".into());
    let (code, out) = startup_failure(&env, app.dir.path(), Some(&app.tg)).await;
    assert_eq!(code, Some(1), "{out}");
    assert_eq!(
        out.trim().lines().last(),
        Some(
            "error: Telegram refused to set the webhook: A Telegram's error: Bad Request: bad \
             webhook: Failed to resolve host: Name or service not known"
        ),
        "{out}"
    );
    assert_eq!(app.tg.calls("setWebhook"), 1, "not retried");
    assert_eq!(app.tg.webhook(), None);
}

#[tokio::test]
async fn a_token_telegram_rejects_is_a_clear_startup_error() {
    let mut app = fakes(OxaReply::balances(&[("BTC", "1")]), Setup::default()).await;
    app.env
        .insert("TELOXIDE_TOKEN".into(), "42:WRONG-token-value".into());
    let (code, out) = startup_failure(&app.env, app.dir.path(), Some(&app.tg)).await;
    assert_eq!(code, Some(1), "{out}");
    assert_eq!(
        out.trim().lines().last(),
        Some("error: TELOXIDE_TOKEN: Telegram rejected the bot token (check it with @BotFather)")
    );
    assert!(!out.contains("WRONG-token-value"), "{out}");
}

/// Another process holds SQLite's write lock: a write waits out the 5 s busy timeout and is
/// refused with a clear reply, reads go on (WAL), and writes work once the lock is gone.
#[tokio::test]
async fn a_database_locked_by_another_process_gets_a_clear_reply() {
    let app = TestApp::spawn(OxaReply::balances(&[("BTC", "1")]), Setup::default()).await;
    // The check at start has passed (on a loaded machine it can come after the level is set and
    // find it), so the level stays "not yet checked" for the next 300 s.
    app.checks_completed(1).await;
    app.ask(ADMIN, ADMIN, "/alert BTC 1").await;
    let lock = SqliteLock::hold(&app.db_path()).await;
    let started = Instant::now();
    let r = app.ask(ADMIN, ADMIN, "/alert BTC 2").await;
    assert_eq!(
        r.text(),
        "The bot's database is busy or unavailable — nothing was changed; try again in a moment."
    );
    assert!(
        started.elapsed() >= Duration::from_secs(4),
        "waited for the busy timeout first"
    );
    let r = app.ask(ADMIN, ADMIN, "/alerts").await;
    assert_eq!(r.lines()[1], "BTC below 1: not yet checked");
    lock.release().await;
    app.ask(ADMIN, ADMIN, "/alert BTC 2").await;
    let r = app.ask(ADMIN, ADMIN, "/alerts").await;
    assert_eq!(r.lines()[1], "BTC below 2: not yet checked");
}

// On the binary's own runtime flavour: the fakes answer a burst from two worker threads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_writes_loses_no_acknowledged_change() {
    // Each writing chat is an admin, so flood control (per chat) does not thin the burst.
    let chats: Vec<i64> = (30_000..30_300).collect();
    // (And the admin who sends the barriers.)
    let admins = chats
        .iter()
        .chain([&ADMIN])
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let app = fakes(
        OxaReply::balances(&[("BTC", "1")]),
        Setup::default().env("ADMIN_IDS", admins),
    )
    .await;
    let mut bot = run_bot(&app, &app.env).await;

    // A burst of writes from many chats; the kill lands in the middle of it, as soon as the
    // first acknowledgements arrive, whatever the machine's speed.
    let allows: Vec<String> = chats
        .iter()
        .map(|c| format!("/allow {}", c + 1_000))
        .collect();
    let burst: Vec<(i64, &str)> = chats
        .iter()
        .zip(&allows)
        .flat_map(|(c, allow)| [(*c, allow.as_str()), (*c, "/alert USDT 12.345")])
        .collect();
    app.tg.send_texts(&burst);
    app.tg.wait_sent(20).await;
    bot.signal(libc::SIGKILL);
    let (code, _) = bot.wait(Duration::from_secs(20)).await;
    assert_eq!(code, None, "killed by the signal");

    // What the bot acknowledged before it died.
    let sent = app.tg.sent();
    let allowed_acks: Vec<i64> = sent
        .iter()
        .filter_map(|s| {
            s.plain()
                .strip_prefix("Allowed user ")?
                .split(':')
                .next()?
                .parse()
                .ok()
        })
        .collect();
    let alert_acks: Vec<i64> = sent
        .iter()
        .filter(|s| s.plain().starts_with("Alert set"))
        .map(|s| s.chat_id)
        .collect();
    assert!(
        !allowed_acks.is_empty(),
        "the kill came too early to test anything"
    );
    assert!(
        allowed_acks.len() + alert_acks.len() < 2 * chats.len(),
        "the kill came too late to test anything"
    );

    let out = python_sqlite(
        &app.db_path(),
        "print(db.execute('PRAGMA integrity_check').fetchone()[0])\n\
         print(','.join(str(r[0]) for r in db.execute('SELECT chat_id FROM allowed_chats')))\n\
         print(','.join(str(r[0]) for r in db.execute(\"SELECT chat_id FROM thresholds WHERE level = '12.345'\")))",
    )
    .await;
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("ok"), "integrity_check: {out}");
    let ids = |l: Option<&str>| -> Vec<i64> {
        l.unwrap_or("")
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().unwrap())
            .collect()
    };
    let allowed = ids(lines.next());
    let thresholds = ids(lines.next());
    for id in &allowed_acks {
        assert!(allowed.contains(id), "acknowledged /allow {id} lost");
    }
    for id in &alert_acks {
        assert!(thresholds.contains(id), "acknowledged /alert in {id} lost");
    }

    // And the bot starts again on that file and serves from it (its first check's alerts go
    // out meanwhile; the reply is told apart from them).
    let mut bot = run_bot(&app, &app.env).await;
    let r = app.ask(chats[0], chats[0], "/users").await;
    let first = format!("{} user, by ", allowed_acks[0]);
    assert!(r.lines().iter().any(|l| l.starts_with(&first)), "{r}");
    assert_eq!(bot.stop().await, Some(0), "{}", bot.output());
}
