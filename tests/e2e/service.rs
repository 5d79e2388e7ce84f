//! Running it like a service (#11): the shipped binary's command line, `check` against fakes that
//! pass and fail, `backup` while the bot writes, webhook mode with its secret check and the way
//! back to polling, and `/metrics` (read with a Prometheus text parser) and `/healthz` following
//! real traffic. Every wait is on an event (a call the fake saw, a reply, a scrape showing the
//! number, a process exit) with a deadline.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use crate::support::oxapay::Endpoint;
use crate::support::process::{Finished, python_sqlite, run_to_end};
use crate::support::telegram::PATIENCE;
use crate::support::{ADMIN, BOT_NAME, KEY, OxaReply, Setup, TOKEN, TestApp, TgFault};

const WEBHOOK_SECRET: &str = "webhook-secret-SECRET_0123456789";
const HOOK_URL: &str = "https://bot.example.com/tg/hook";
const STRANGER: i64 = 4242;

fn balances() -> OxaReply {
    OxaReply::balances(&[("BTC", "0.5"), ("USDT", "12")])
}

fn with(env: &BTreeMap<String, String>, pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut env = env.clone();
    for (k, v) in pairs {
        env.insert((*k).to_owned(), (*v).to_owned());
    }
    env
}

/// Neither the token (whole or its secret half), nor the key, nor the webhook secret.
fn assert_no_secret(out: &Finished) {
    let all = out.all();
    let token_half = TOKEN.split_once(':').unwrap().1;
    for secret in [TOKEN, token_half, KEY, WEBHOOK_SECRET] {
        assert!(!all.contains(secret), "a secret was printed:\n{all}");
    }
}

/// The address the bot bound for `which` (port 0 in the configuration: the system's choice).
async fn bound(
    app: &TestApp,
    which: fn(&oxapay_bot::metrics::progress::Bound) -> Option<SocketAddr>,
) -> SocketAddr {
    let mut rx = app.progress().addresses();
    let b = tokio::time::timeout(PATIENCE, rx.wait_for(|b| which(b).is_some()))
        .await
        .expect("the socket is bound")
        .unwrap();
    which(&b).unwrap()
}

async fn get(url: &str) -> (u16, String) {
    let response = reqwest::Client::new()
        .get(url)
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// One `/metrics` answer, read by `prometheus-parse`.
struct Scrape(prometheus_parse::Scrape);

impl Scrape {
    async fn take(addr: SocketAddr) -> Scrape {
        let (status, text) = get(&format!("http://{addr}/metrics")).await;
        assert_eq!(status, 200, "{text}");
        assert!(
            text.ends_with("# EOF\n"),
            "OpenMetrics ends with # EOF:\n{text}"
        );
        let parsed = prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_owned())))
            .unwrap_or_else(|e| panic!("not Prometheus text ({e}):\n{text}"));
        Scrape(parsed)
    }

    /// The value of the one sample `name{labels…}`, if there is one.
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        let found: Vec<f64> = self
            .0
            .samples
            .iter()
            .filter(|s| s.metric == name && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
            .map(|s| match &s.value {
                prometheus_parse::Value::Counter(v)
                | prometheus_parse::Value::Gauge(v)
                | prometheus_parse::Value::Untyped(v) => *v,
                other => panic!("{name}: {other:?}"),
            })
            .collect();
        assert!(found.len() <= 1, "{name}{labels:?} is ambiguous: {found:?}");
        found.first().copied()
    }

    fn get(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.value(name, labels)
            .unwrap_or_else(|| panic!("{name}{labels:?} missing"))
    }
}

/// Scrapes until `ok` holds: the bot records some things just after the event a test sees.
async fn scrape_until(addr: SocketAddr, what: &str, ok: impl Fn(&Scrape) -> bool) -> Scrape {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let s = Scrape::take(addr).await;
        if ok(&s) {
            return s;
        }
        assert!(Instant::now() < deadline, "metrics never showed {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Asks `/healthz` until it answers `status`; returns the body.
async fn healthz_until(addr: SocketAddr, status: u16) -> String {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let (got, body) = get(&format!("http://{addr}/healthz")).await;
        if got == status {
            return body;
        }
        assert!(
            Instant::now() < deadline,
            "/healthz stayed {got} ({body:?}), expected {status}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

// ----- the command line ----------------------------------------------------------------------

#[tokio::test]
async fn help_version_and_an_unknown_argument() {
    let app = TestApp::prepare(balances(), Setup::default()).await;
    let cwd = app.dir.path();

    let help = run_to_end(&["--help"], &app.env, cwd).await;
    assert_eq!(help.code, Some(0), "{}", help.all());
    let listed = |word: &str| {
        help.stdout
            .lines()
            .any(|l| l.trim_start().starts_with(&format!("{word} ")))
    };
    for sub in ["run", "check", "backup", "health"] {
        assert!(listed(sub), "{sub} not listed:\n{}", help.stdout);
    }
    for var in [
        "TELOXIDE_TOKEN",
        "TELEGRAM_API_URL",
        "OXAPAY_PAYOUT_API_KEY",
        "OXAPAY_GENERAL_API_KEY",
        "OXAPAY_API_URL",
        "OXAPAY_TIMEOUT_SECS",
        "DATABASE_URL",
        "ADMIN_IDS",
        "ALERT_INTERVAL_SECS",
        "ALERT_REPEAT_SECS",
        "ALERT_FAILURES_BEFORE_NOTICE",
        "BALANCE_CACHE_SECS",
        "PRICE_CACHE_SECS",
        "HISTORY_INTERVAL_SECS",
        "HISTORY_RETENTION_DAYS",
        "TELEGRAM_WEBHOOK_URL",
        "TELEGRAM_WEBHOOK_SECRET",
        "WEBHOOK_LISTEN",
        "METRICS_LISTEN",
        "RUST_LOG",
    ] {
        assert!(listed(var), "{var} not in --help");
    }

    // The version, and the commit when built from a checkout: a real commit of this repository
    // (not necessarily HEAD: a commit made while the tests run moves HEAD past the build).
    let version = run_to_end(&["--version"], &app.env, cwd).await;
    assert_eq!(version.code, Some(0));
    let plain = format!("oxapay-bot {}", env!("CARGO_PKG_VERSION"));
    if git(&["rev-parse", "HEAD"]).is_some() {
        let commit = version
            .stdout
            .strip_prefix(&format!("{plain} (commit "))
            .and_then(|rest| rest.strip_suffix(")\n"))
            .unwrap_or_else(|| panic!("no commit in {:?}", version.stdout));
        assert_eq!(commit.len(), 12, "{commit}");
        assert!(commit.bytes().all(|b| b.is_ascii_hexdigit()), "{commit}");
        assert!(
            git(&["cat-file", "-e", &format!("{commit}^{{commit}}")]).is_some(),
            "{commit} is not a commit here"
        );
    } else {
        assert_eq!(version.stdout, format!("{plain}\n"));
    }

    for args in [
        &["--bogus"][..],
        &["frobnicate"],
        &["run", "--now"],
        &["backup"],
        &["check", "extra"],
    ] {
        let out = run_to_end(args, &app.env, cwd).await;
        assert_eq!(out.code, Some(2), "{args:?}: {}", out.all());
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            out.stderr.contains("Usage: oxapay-bot"),
            "{args:?}: {}",
            out.stderr
        );
    }
    // Nothing started: Telegram never heard from it, and no database was made.
    for method in ["getMe", "getUpdates", "setMyCommands"] {
        assert_eq!(app.tg.calls(method), 0, "{method}");
    }
    assert!(!app.db_path().exists());
}

/// Runs git in the source tree: its output, or `None` when git or the checkout is missing.
fn git(args: &[&str]) -> Option<String> {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

// ----- check ---------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_passes_against_working_fakes_even_while_the_bot_runs() {
    let mut app = TestApp::prepare(balances(), Setup::default()).await;

    let out = run_to_end(&["check"], &app.env, app.dir.path()).await;
    assert_eq!(out.code, Some(0), "{}", out.all());
    assert_no_secret(&out);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{}", out.stdout);
    assert_eq!(
        lines[0],
        "configuration: ok (long polling, metrics off, 1 admin)"
    );
    assert_eq!(lines[1], format!("telegram: ok (@{BOT_NAME})"));
    assert_eq!(
        lines[2],
        "oxapay: ok (OxaPay legacy API (payout key), 2 wallets)"
    );
    assert_eq!(
        lines[3],
        "payments: ok (off: set OXAPAY_MERCHANT_API_KEY to hear about payments)"
    );
    assert_eq!(
        lines[4],
        "callbacks: ok (off: set OXAPAY_CALLBACK_LISTEN to receive OxaPay's callbacks)"
    );
    let db = app.db_path();
    assert!(
        lines[5].starts_with(&format!("database: ok ({}: writable; ", db.display()))
            && lines[5].contains(" migrations pending, applied when the bot starts: "),
        "a new database: {}",
        lines[5]
    );
    assert_eq!(app.oxa.calls_to(Endpoint::LegacyBalance), 1);

    // With the bot running (holding the instance lock and the database), check still works and
    // takes nothing from it.
    app.start().await;
    let out = run_to_end(&["check"], &app.env, app.dir.path()).await;
    assert_eq!(out.code, Some(0), "{}", out.all());
    let database = out.stdout.lines().nth(5).unwrap().to_owned();
    assert!(
        database.contains(": writable; schema up to date ("),
        "{database}"
    );
    assert!(
        app.ask(ADMIN, ADMIN, "/help")
            .await
            .text()
            .contains("/balance")
    );
    app.stop().await;
}

#[tokio::test]
async fn check_names_each_failure_says_what_to_do_and_exits_1() {
    let app = TestApp::prepare(balances(), Setup::default()).await;
    // An existing, migrated database for the read-only case.
    app.store().await.close().await;
    let db = app.db_path();
    let a_file = app.dir.path().join("a-file");
    std::fs::write(&a_file, "x").unwrap();
    let ro = format!("{}?mode=ro", app.env["DATABASE_URL"]);
    let in_a_file = format!("sqlite://{}/bot.db", a_file.display());
    let wrong_token = "123456789:WRONG-token-SECRET_zzzzzz";
    let oxapay_host = app.oxa.url().trim_start_matches("http://").to_owned();

    /// What is wrong, the environment, OxaPay's state, the check that fails, and its whole line.
    type Case<'a> = (&'a str, BTreeMap<String, String>, &'a str, &'a str, String);
    let cases: Vec<Case> = vec![
        (
            "bad token",
            with(&app.env, &[("TELOXIDE_TOKEN", wrong_token)]),
            "up",
            "telegram",
            "telegram: FAILED: Telegram rejected the bot token (401 Unauthorized): check \
             TELOXIDE_TOKEN with @BotFather"
                .into(),
        ),
        (
            "key refused",
            app.env.clone(),
            "refuses the key",
            "oxapay",
            "oxapay: FAILED: OxaPay legacy API (payout key): OxaPay rejected the API key: it is \
             not a payout key (code 102)."
                .into(),
        ),
        (
            "database read-only",
            with(&app.env, &[("DATABASE_URL", &ro)]),
            "up",
            "database",
            format!(
                "database: FAILED: {} cannot be written (attempt to write a readonly database): \
                 check the file's and its folder's permissions, free space, and that \
                 DATABASE_URL does not open it read-only",
                db.display()
            ),
        ),
        (
            "database location impossible",
            with(&app.env, &[("DATABASE_URL", &in_a_file)]),
            "up",
            "database",
            format!(
                "database: FAILED: cannot open {}/bot.db (unable to open database file): check \
                 DATABASE_URL, and that its folder exists and this user may write there",
                a_file.display()
            ),
        ),
        (
            "OxaPay down",
            app.env.clone(),
            "down",
            "oxapay",
            format!(
                "oxapay: FAILED: OxaPay legacy API (payout key): Could not reach OxaPay \
                 (connection failed) — try again shortly. Check the network and OXAPAY_API_URL \
                 ({oxapay_host})."
            ),
        ),
    ];
    for (what, env, oxapay, failed, expected) in cases {
        match oxapay {
            // OxaPay's message echoes the key: it must not reach the output.
            "refuses the key" => app
                .oxa
                .set(OxaReply::code(102, &format!("Invalid key {KEY}"))),
            "down" => app.oxa.go_down().await,
            _ => app.oxa.set(balances()),
        }
        let out = run_to_end(&["check"], &env, app.dir.path()).await;
        assert_eq!(out.code, Some(1), "{what}: {}", out.all());
        assert_no_secret(&out);
        assert!(!out.all().contains("WRONG-token"), "{}", out.all());
        let lines: Vec<&str> = out.stdout.lines().collect();
        assert_eq!(lines.len(), 6, "{what}: {}", out.stdout);
        for line in lines {
            if line.starts_with(&format!("{failed}:")) {
                assert_eq!(line, expected, "{what}");
            } else {
                assert!(line.contains(": ok ("), "{what}: {line}");
            }
        }
    }

    // A configuration that does not parse: one failed line, the rest skipped.
    let out = run_to_end(
        &["check"],
        &with(&app.env, &[("ADMIN_IDS", "alice")]),
        app.dir.path(),
    )
    .await;
    assert_eq!(out.code, Some(1), "{}", out.all());
    assert_no_secret(&out);
    assert_eq!(
        out.stdout,
        "configuration: FAILED: ADMIN_IDS: \"alice\" is not a Telegram user id (a positive whole \
         number)\ntelegram: skipped (fix the configuration first)\noxapay: skipped (fix the \
         configuration first)\npayments: skipped (fix the configuration first)\ncallbacks: \
         skipped (fix the configuration first)\ndatabase: skipped (fix the configuration first)\n"
    );
}

// ----- backup --------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_while_the_bot_writes_gives_copies_that_open_and_pass_integrity_check() {
    // The shipped check interval: the writes under test are the commands'.
    let mut app = TestApp::spawn(balances(), Setup::default()).await;

    // A writer: one new alert level after another, each a committed write with its audit row,
    // until the backups are done. Above-levels never fire here, so the only messages are the
    // replies. (Both run in this task, side by side.)
    let (written_tx, mut written_rx) = tokio::sync::watch::channel(0usize);
    let stop = tokio_util::sync::CancellationToken::new();
    let writer = async {
        let mut n = 0;
        while !stop.is_cancelled() {
            n += 1;
            let reply = app
                .tg
                .ask(ADMIN, ADMIN, &format!("/alert C{n} above {n}"))
                .await;
            let expected = format!(
                "Alert set: this chat is told when <b>C{n}</b> rises above <code>{n}</code>."
            );
            assert!(reply.html().starts_with(&expected), "{reply}");
            written_tx.send_replace(n);
        }
        n
    };
    let backups = async {
        // Backups start once writes are being acknowledged.
        written_rx.wait_for(|n| *n >= 3).await.unwrap();
        let mut counts = Vec::new();
        for k in 1..=3 {
            let copy = app.dir.path().join(format!("copy-{k}.db"));
            let out = run_to_end(
                &["backup", copy.to_str().unwrap()],
                &app.env,
                app.dir.path(),
            )
            .await;
            assert_eq!(out.code, Some(0), "{}", out.all());
            assert!(
                out.stdout
                    .starts_with(&format!("backup written to {} (", copy.display()))
                    && out.stdout.ends_with(" bytes, integrity ok)\n"),
                "{}",
                out.stdout
            );
            // Checked by another program than the one that wrote it.
            let seen = python_sqlite(
                &copy,
                "print(db.execute('PRAGMA integrity_check').fetchone()[0])\n\
                 print(db.execute('SELECT COUNT(*) FROM thresholds').fetchone()[0])",
            )
            .await;
            let (integrity, levels) = seen.trim().split_once('\n').expect("two lines");
            assert_eq!(integrity, "ok");
            counts.push(levels.parse::<usize>().unwrap());
        }
        stop.cancel();
        counts
    };
    let (written, counts) = tokio::join!(writer, backups);
    // Each copy is one moment of the live database: levels only grow, never past what was
    // written, and the first copy already holds the writes acknowledged before it.
    assert!(counts[0] >= 3, "{counts:?}");
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
    assert!(
        *counts.last().unwrap() <= written,
        "{counts:?} of {written}"
    );

    // An existing file is never overwritten.
    let copy = app.dir.path().join("copy-1.db");
    let before = std::fs::read(&copy).unwrap();
    let out = run_to_end(
        &["backup", copy.to_str().unwrap()],
        &app.env,
        app.dir.path(),
    )
    .await;
    assert_eq!(out.code, Some(1), "{}", out.all());
    assert_eq!(
        out.stderr,
        format!(
            "error: {} already exists: a backup never overwrites a file; choose a new name\n",
            copy.display()
        )
    );
    assert_eq!(std::fs::read(&copy).unwrap(), before);
    app.stop().await;
}

// ----- webhook mode --------------------------------------------------------------------------

async fn post_update(addr: SocketAddr, update: &Value, secret: Option<&str>) -> u16 {
    let mut request = reqwest::Client::new()
        .post(format!("http://{addr}/tg/hook"))
        .timeout(Duration::from_secs(5))
        .json(update);
    if let Some(s) = secret {
        request = request.header("X-Telegram-Bot-Api-Secret-Token", s);
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_mode_takes_only_telegrams_requests_then_polling_takes_over_again() {
    let setup = Setup::default()
        .env("TELEGRAM_WEBHOOK_URL", HOOK_URL)
        .env("WEBHOOK_LISTEN", "127.0.0.1:0")
        .env("TELEGRAM_WEBHOOK_SECRET", WEBHOOK_SECRET)
        .env("METRICS_LISTEN", "127.0.0.1:0");
    let mut app = TestApp::spawn(balances(), setup).await;
    let tg = app.tg.clone();
    assert_eq!(
        tg.webhook(),
        Some((HOOK_URL.to_owned(), Some(WEBHOOK_SECRET.to_owned())))
    );
    let hook = bound(&app, |b| b.webhook).await;
    let metrics = bound(&app, |b| b.metrics).await;

    // Telegram's request (the right secret): handled and answered.
    let update = tg.text_update(ADMIN, ADMIN, "/help");
    assert_eq!(post_update(hook, &update, Some(WEBHOOK_SECRET)).await, 200);
    let help = tg.wait_sent(1).await;
    assert!(help[0].plain().contains("/balance"), "{:?}", help[0].text);

    // Anyone else's: 403, nothing changes, no reply.
    let forged = tg.text_update(ADMIN, ADMIN, &format!("/allow {STRANGER}"));
    assert_eq!(post_update(hook, &forged, None).await, 403);
    let forged = tg.text_update(ADMIN, ADMIN, &format!("/allow {STRANGER}"));
    let wrong = "webhook-secret-WRONG_0123456789";
    assert_eq!(post_update(hook, &forged, Some(wrong)).await, 403);
    // Barrier: the next real update's reply is the only new message, and the stranger is not
    // among the allowed.
    let users = tg.text_update(ADMIN, ADMIN, "/users");
    assert_eq!(post_update(hook, &users, Some(WEBHOOK_SECRET)).await, 200);
    let sent = tg.wait_sent(2).await;
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(
        !sent[1].plain().contains(&STRANGER.to_string()),
        "{}",
        sent[1].text
    );
    assert_eq!(tg.calls("getUpdates"), 0, "no polling in webhook mode");

    let s = scrape_until(metrics, "the /users command", |s| {
        s.value(
            "oxapay_bot_commands_total",
            &[("command", "users"), ("outcome", "ok")],
        ) == Some(1.0)
    })
    .await;
    assert_eq!(s.get("oxapay_bot_webhook_rejected_total", &[]), 2.0);
    assert_eq!(s.get("oxapay_bot_updates_received_total", &[]), 2.0);
    assert_eq!(
        s.get(
            "oxapay_bot_commands_total",
            &[("command", "help"), ("outcome", "ok")]
        ),
        1.0
    );
    assert_eq!(
        s.value("oxapay_bot_commands_total", &[("command", "allow")]),
        None
    );
    // Telegram's getWebhookInfo names this bot's URL: healthy.
    assert_eq!(healthz_until(metrics, 200).await, "ok\n");

    // A clean stop deletes the webhook (updates then wait at Telegram).
    app.stop().await;
    assert_eq!(tg.calls("deleteWebhook"), 1);
    assert_eq!(tg.webhook(), None);

    // Back to polling after a bot that could not delete its webhook (killed): polling deletes
    // it before its first getUpdates, which Telegram would refuse (409) while it is set.
    tg.leave_webhook(HOOK_URL);
    for var in [
        "TELEGRAM_WEBHOOK_URL",
        "WEBHOOK_LISTEN",
        "TELEGRAM_WEBHOOK_SECRET",
    ] {
        app.env.remove(var);
    }
    app.start().await;
    assert_eq!(tg.webhook(), None);
    assert_eq!(tg.calls("deleteWebhook"), 2);
    assert!(
        app.ask(ADMIN, ADMIN, "/help")
            .await
            .text()
            .contains("/balance")
    );
    let metrics = bound(&app, |b| b.metrics).await;
    let s = Scrape::take(metrics).await;
    assert_eq!(
        s.get("oxapay_bot_telegram_polls_total", &[("result", "error")]),
        0.0
    );
    app.stop().await;
}

/// Posts an update to the webhook over a connection of its own (so the test knows the peer
/// address the bot sees); returns that address and the HTTP status.
async fn post_raw(hook: SocketAddr, update: &Value, secret: Option<&str>) -> (SocketAddr, u16) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(hook).await.unwrap();
    let peer = stream.local_addr().unwrap();
    let body = update.to_string();
    let header = secret.map_or(String::new(), |s| {
        format!("X-Telegram-Bot-Api-Secret-Token: {s}\r\n")
    });
    let request = format!(
        "POST /tg/hook HTTP/1.1\r\nHost: {hook}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n{header}Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    tokio::time::timeout(PATIENCE, stream.read_to_string(&mut answer))
        .await
        .expect("the webhook answers")
        .unwrap();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {answer:?}"));
    (peer, status)
}

/// Requests without Telegram's secret are refused (403) and logged once, with the peer address
/// and whether the header was missing or wrong; more within the minute are counted, not logged
/// (a scanner cannot flood the log). Telegram's own request is still served.
#[tokio::test]
async fn rejected_webhook_requests_are_logged_once_a_minute_with_the_peer() {
    let setup = Setup::default()
        .env("TELEGRAM_WEBHOOK_URL", HOOK_URL)
        .env("WEBHOOK_LISTEN", "127.0.0.1:0")
        .env("TELEGRAM_WEBHOOK_SECRET", WEBHOOK_SECRET);
    let app = TestApp::spawn(balances(), setup).await;
    let hook = bound(&app, |b| b.webhook).await;
    let forged = app
        .tg
        .text_update(ADMIN, ADMIN, &format!("/allow {STRANGER}"));
    let (first, status) = post_raw(hook, &forged, None).await;
    assert_eq!(status, 403);
    for secret in [Some("webhook-secret-WRONG_0123456789"), None] {
        assert_eq!(post_raw(hook, &forged, secret).await.1, 403);
    }
    // Telegram's request: handled, and its reply is the only message.
    let help = app.tg.text_update(ADMIN, ADMIN, "/help");
    assert_eq!(post_raw(hook, &help, Some(WEBHOOK_SECRET)).await.1, 200);
    app.tg.wait_sent(1).await;
    let rejected = app.logs().with_message(
        "webhook request rejected (403): not from Telegram, or a proxy drops the \
         X-Telegram-Bot-Api-Secret-Token header",
    );
    assert_eq!(rejected.len(), 1, "{rejected:#?}");
    assert_eq!(rejected[0].field("peer"), Some(first.to_string().as_str()));
    assert_eq!(rejected[0].field("secret"), Some("missing"));
    assert_eq!(rejected[0].field("more_since_last_log"), Some("0"));
    assert_eq!(app.tg.sent().len(), 1);
}

// ----- metrics and health --------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_follow_the_traffic_and_healthz_turns_503_when_updates_stop() {
    // A 1 s long poll: /healthz calls 3 s without a getUpdates answer "no updates".
    let setup = Setup::default()
        .env("METRICS_LISTEN", "127.0.0.1:0")
        .checking_every_second()
        .no_cache()
        .polling_timeout(Duration::from_secs(1));
    let mut app = TestApp::spawn(balances(), setup).await;
    let metrics = bound(&app, |b| b.metrics).await;

    for _ in 0..2 {
        let lines = app.ask(ADMIN, ADMIN, "/balance").await.lines();
        assert_eq!(
            lines[..4],
            [
                "OxaPay balances (wallets above zero)",
                "BTC    0.5",
                "USDT  12",
                "USD prices are unavailable right now (HTTP 503), so no values are shown.",
            ],
            "{lines:#?}"
        );
        assert!(
            crate::balance::is_stamp(&lines[4]) && lines.len() == 5,
            "{lines:#?}"
        );
    }
    let refused = app.ask(STRANGER, STRANGER, "/balance").await.text();
    assert!(refused.starts_with("You are not authorized"), "{refused}");
    app.ask(ADMIN, ADMIN, "/alert BTC abc").await;
    app.ask(ADMIN, ADMIN, "/alert BTC 1").await;
    // BTC is 0.5: the next check owes an alert and the worker sends it.
    let alerts = app.tg.wait_broadcasts(ADMIN, 1).await;
    assert!(
        alerts[0].starts_with("⚠️ Low balance: BTC 0.5 is below your alert level 1"),
        "{alerts:?}"
    );

    let reads_before = app.oxa.calls_to(Endpoint::LegacyBalance);
    let s = scrape_until(metrics, "the alert delivered", |s| {
        s.value(
            "oxapay_bot_deliveries_total",
            &[("kind", "alert"), ("result", "sent")],
        ) == Some(1.0)
    })
    .await;
    let reads_after = app.oxa.calls_to(Endpoint::LegacyBalance);
    let command = |c: &str, o: &str| {
        s.value(
            "oxapay_bot_commands_total",
            &[("command", c), ("outcome", o)],
        )
    };
    assert_eq!(command("balance", "ok"), Some(2.0));
    assert_eq!(command("balance", "not_authorized"), Some(1.0));
    assert_eq!(command("alert", "bad_input"), Some(1.0));
    assert_eq!(command("alert", "ok"), Some(1.0));
    // Each `ask` is followed by a barrier (`/alerts barrier-N`, answered as bad input).
    assert_eq!(command("alerts", "bad_input"), Some(5.0));
    assert_eq!(s.get("oxapay_bot_updates_received_total", &[]), 10.0);
    assert!(s.get("oxapay_bot_telegram_polls_total", &[("result", "ok")]) >= 1.0);
    assert_eq!(
        s.get("oxapay_bot_telegram_polls_total", &[("result", "error")]),
        0.0
    );
    // Every OxaPay balance request is counted once, whoever asked (replies and checks). The fake
    // counts a request when it arrives, the bot when it ends; single flight keeps at most one
    // under way, hence the one below.
    let requests = s.get(
        "oxapay_bot_oxapay_requests_total",
        &[("endpoint", "balance"), ("result", "ok")],
    );
    assert!(
        (reads_before.saturating_sub(1) as f64..=reads_after as f64).contains(&requests),
        "{requests} vs {reads_before}..={reads_after}"
    );
    let now = chrono::Utc::now().timestamp() as f64;
    let last_read = s.get("oxapay_bot_last_balance_read_timestamp_seconds", &[]);
    assert!((now - 60.0..=now + 1.0).contains(&last_read), "{last_read}");
    assert!(s.get("oxapay_bot_last_check_timestamp_seconds", &[]) > 0.0);
    assert_eq!(
        s.get(
            "oxapay_bot_outbox_messages",
            &[("kind", "alert"), ("state", "parked")]
        ),
        0.0
    );
    assert_eq!(s.get("oxapay_bot_paused_chats", &[]), 0.0);
    assert_eq!(
        s.get(
            "oxapay_bot_database_errors_total",
            &[("component", "commands")]
        ),
        0.0
    );
    assert_eq!(s.get("oxapay_bot_healthy", &[]), 1.0);

    // Healthy, by HTTP and through `oxapay-bot health` as Docker runs it.
    assert_eq!(healthz_until(metrics, 200).await, "ok\n");
    let health_env = BTreeMap::from([("METRICS_LISTEN".to_owned(), metrics.to_string())]);
    let out = run_to_end(&["health"], &health_env, app.dir.path()).await;
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (Some(0), "ok\n"),
        "{}",
        out.all()
    );

    // Updates stop arriving (another process polls with the token): 503 with the reason.
    app.tg.refuse_polls(Some(TgFault::conflict()));
    let body = healthz_until(metrics, 503).await;
    assert!(
        body.starts_with("no updates from Telegram: getUpdates has failed for ")
            && body.ends_with(" s (409 Conflict: another process polls with this bot token)\n"),
        "{body}"
    );
    let out = run_to_end(&["health"], &health_env, app.dir.path()).await;
    assert_eq!(out.code, Some(1), "{}", out.all());
    assert!(
        out.stderr
            .starts_with("unhealthy: no updates from Telegram: getUpdates has failed"),
        "{}",
        out.stderr
    );
    let s = Scrape::take(metrics).await;
    assert_eq!(s.get("oxapay_bot_healthy", &[]), 0.0);
    assert!(s.get("oxapay_bot_telegram_polls_total", &[("result", "error")]) >= 1.0);

    // Telegram answers again: healthy again.
    app.tg.refuse_polls(None);
    assert_eq!(healthz_until(metrics, 200).await, "ok\n");
    app.stop().await;
}
