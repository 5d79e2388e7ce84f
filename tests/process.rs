//! The shipped binary as an operator runs it: configuration errors, signals, secrets in logs at
//! `RUST_LOG=trace`, an unwritable database, another process locking the database, and a
//! `kill -9` in the middle of writes.

mod common;

use std::collections::HashMap;
use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;

const USER: i64 = 2002;

struct Proc {
    child: Child,
    output: Arc<Mutex<String>>,
}

impl Proc {
    fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    fn signal(&self, sig: i32) {
        unsafe {
            libc::kill(self.child.id() as i32, sig);
        }
    }

    /// Waits for the exit; returns its code and how long it took.
    fn wait(&mut self, limit: Duration) -> (Option<i32>, Duration) {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the readers drain the pipes.
                std::thread::sleep(Duration::from_millis(100));
                return (status.code(), start.elapsed());
            }
            if start.elapsed() > limit {
                let _ = self.child.kill();
                panic!("the bot did not exit within {limit:?}:\n{}", self.output());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A failed assertion must not leave a bot running behind the test.
impl Drop for Proc {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn capture(mut pipe: impl Read + Send + 'static, into: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = pipe.read(&mut buf) {
            if n == 0 {
                break;
            }
            into.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
}

/// Runs the binary expecting it to fail at start: returns its last output line and all output.
fn startup_error(env: &HashMap<String, String>, cwd: &std::path::Path) -> (String, String) {
    let mut p = spawn_bot(env, cwd);
    let (code, _) = p.wait(Duration::from_secs(15));
    let out = p.output();
    assert_eq!(code, Some(1), "{out}");
    assert!(!out.contains("panicked"), "{out}");
    let last = out.trim().lines().last().unwrap_or("").to_owned();
    (last, out)
}

fn spawn_bot(env: &HashMap<String, String>, cwd: &std::path::Path) -> Proc {
    let mut child = Command::new(env!("CARGO_BIN_EXE_oxapay-bot"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(env)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let output = Arc::new(Mutex::new(String::new()));
    capture(child.stdout.take().unwrap(), output.clone());
    capture(child.stderr.take().unwrap(), output.clone());
    Proc { child, output }
}

/// Fakes started, the in-process bot stopped: the environment is handed to the real binary.
async fn fakes(reply: OxaReply, extra: &[(&str, &str)]) -> TestApp {
    let mut app = TestApp::spawn(reply, Setup::generous_flood_limit()).await;
    app.stop().await;
    for (k, v) in extra {
        app.env.insert((*k).to_owned(), (*v).to_owned());
    }
    app
}

async fn wait_polling(app: &TestApp, before: usize, proc: &Proc) {
    for _ in 0..500 {
        if app.tg.calls("getupdates") > before {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the binary never polled:\n{}", proc.output());
}

#[tokio::test]
async fn configuration_errors_are_one_line_and_exit_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let base: HashMap<String, String> = [
        ("TELOXIDE_TOKEN", TOKEN),
        ("OXAPAY_PAYOUT_API_KEY", KEY),
        ("ADMIN_IDS", "1"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let cases = [
        ("TELOXIDE_TOKEN", None, "TELOXIDE_TOKEN"),
        ("OXAPAY_PAYOUT_API_KEY", None, "OXAPAY_PAYOUT_API_KEY"),
        ("ADMIN_IDS", Some("alice"), "ADMIN_IDS"),
        ("OXAPAY_TIMEOUT_SECS", Some("soon"), "OXAPAY_TIMEOUT_SECS"),
        ("ALERT_INTERVAL_SECS", Some("-1"), "ALERT_INTERVAL_SECS"),
    ];
    for (var, value, named) in cases {
        let mut env = base.clone();
        match value {
            Some(v) => env.insert(var.to_owned(), v.to_owned()),
            None => env.remove(var),
        };
        let mut p = spawn_bot(&env, dir.path());
        let (code, _) = p.wait(Duration::from_secs(10));
        let out = p.output();
        assert_eq!(code, Some(2), "{var}: {out}");
        assert_eq!(out.trim().lines().count(), 1, "{var}: {out}");
        assert!(out.contains(named), "{var}: {out}");
        assert!(
            !out.contains("panicked") && !out.contains("backtrace"),
            "{out}"
        );
        assert!(!out.contains(KEY) && !out.contains(TOKEN));
    }
}

#[tokio::test]
async fn a_full_session_at_trace_level_never_prints_a_secret() {
    let app = fakes(
        OxaReply::Balances(vec![("BTC", "0.5")]),
        &[("RUST_LOG", "trace"), ("ALERT_INTERVAL_SECS", "1")],
    )
    .await;
    let before = app.tg.calls("getupdates");
    let mut p = spawn_bot(&app.env, app.dir.path());
    wait_polling(&app, before, &p).await;

    // Commands, a refusal, bad input, an OxaPay failure, an alert, a Telegram failure.
    assert!(app.ask(ADMIN, ADMIN, "/balance").await.contains("0.5"));
    assert!(
        app.ask(USER, USER, "/balance")
            .await
            .contains("not authorized")
    );
    app.ask(ADMIN, ADMIN, &format!("/allow {USER}")).await;
    app.ask(USER, USER, "/alert BTC abc").await;
    app.ask(USER, USER, "/alert BTC 1").await;
    let alert = app
        .next_message(USER, app.tg.sent_to(USER).len(), Duration::from_secs(5))
        .await;
    assert!(alert.unwrap().contains("Low balance"));
    app.oxa.set(OxaReply::code(103, "Invalid Payout API key"));
    assert!(app.ask(ADMIN, ADMIN, "/balance").await.contains("code 103"));
    app.oxa.set(OxaReply::Broken);
    assert!(
        app.ask(ADMIN, ADMIN, "/balance")
            .await
            .contains("connection failed")
    );
    // (A 5xx would add teloxide's own 10 s pause; these two fail without one.)
    app.tg
        .fail_get_updates([TgFault::BrokenBody, TgFault::conflict()]);
    app.tg
        .wait_get_updates_faults_served(Duration::from_secs(30))
        .await;
    assert!(app.ask(ADMIN, ADMIN, "/help").await.contains("/balance"));

    p.signal(libc::SIGTERM);
    let (code, took) = p.wait(Duration::from_secs(10));
    let out = p.output();
    assert_eq!(code, Some(0), "{out}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
    // The run did log at trace level, from us and from the libraries…
    assert!(out.contains("command handled"), "{out}");
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
        let app = fakes(OxaReply::Balances(vec![("BTC", "1")]), &[]).await;
        let before = app.tg.calls("getupdates");
        let mut p = spawn_bot(&app.env, app.dir.path());
        wait_polling(&app, before, &p).await;
        assert!(app.ask(ADMIN, ADMIN, "/balance").await.contains("BTC"));
        p.signal(sig);
        let (code, took) = p.wait(Duration::from_secs(10));
        assert_eq!(code, Some(0), "signal {sig}: {}", p.output());
        assert!(took < Duration::from_secs(5), "signal {sig} took {took:?}");
    }
}

#[tokio::test]
async fn an_unwritable_database_location_is_a_clear_startup_error() {
    let app = fakes(OxaReply::Balances(vec![("BTC", "1")]), &[]).await;
    // Both hold even for root, who ignores directory permissions.
    let file = app.dir.path().join("not-a-directory");
    std::fs::write(&file, "x").unwrap();
    for url in [
        format!("sqlite://{}/bot.db", file.display()),
        "sqlite:///proc/oxapay-bot-test/bot.db".to_owned(),
    ] {
        let mut env = app.env.clone();
        env.insert("DATABASE_URL".into(), url.clone());
        let (last, out) = startup_error(&env, app.dir.path());
        assert!(
            last.starts_with("error: cannot open the database"),
            "{url}: {out}"
        );
    }
}

#[tokio::test]
async fn a_database_locked_by_another_process_gets_a_clear_reply() {
    let app = fakes(OxaReply::Balances(vec![("BTC", "1")]), &[]).await;
    let before = app.tg.calls("getupdates");
    let mut p = spawn_bot(&app.env, app.dir.path());
    wait_polling(&app, before, &p).await;
    app.ask(ADMIN, ADMIN, "/alert BTC 1").await;

    // Another process takes the write lock for longer than the 5 s busy timeout.
    let db = app.db_path();
    let mut locker = Command::new("python3")
        .arg("-c")
        .arg(format!(
            "import sqlite3,time,sys; c=sqlite3.connect({:?}, isolation_level=None); \
             c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(7)",
            db.display().to_string()
        ))
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let mut line = [0u8; 6];
    locker
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut line)
        .unwrap();
    assert_eq!(&line, b"locked");

    let started = Instant::now();
    let r = app.ask(ADMIN, ADMIN, "/alert BTC 2").await;
    assert!(
        r.contains("database is busy") && r.contains("nothing was changed"),
        "{r}"
    );
    assert!(
        started.elapsed() >= Duration::from_secs(4),
        "waited for the busy timeout first"
    );
    // Reads still work while the writer holds the lock (WAL).
    assert!(
        app.ask(ADMIN, ADMIN, "/alerts")
            .await
            .contains("<code>1</code>")
    );
    locker.wait().unwrap();
    let r = app.ask(ADMIN, ADMIN, "/alert BTC 2").await;
    assert!(r.contains("Alert set"), "{r}");
    assert!(
        app.ask(ADMIN, ADMIN, "/alerts")
            .await
            .contains("<code>2</code>")
    );
    p.signal(libc::SIGTERM);
    assert_eq!(p.wait(Duration::from_secs(10)).0, Some(0));
}

#[tokio::test]
async fn kill_9_during_writes_loses_no_acknowledged_change() {
    // Each writing chat is an admin, so flood control (per chat) does not thin the burst.
    let chats: Vec<i64> = (30_000..30_300).collect();
    let admins = chats
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let app = fakes(
        OxaReply::Balances(vec![("BTC", "1")]),
        &[("ADMIN_IDS", &admins)],
    )
    .await;
    let before = app.tg.calls("getupdates");
    let mut p = spawn_bot(&app.env, app.dir.path());
    wait_polling(&app, before, &p).await;

    // A burst of writes from many chats; the kill lands in the middle of it.
    for c in &chats {
        app.tg.send_text(*c, *c, &format!("/allow {}", c + 1_000));
        app.tg.send_text(*c, *c, "/alert USDT 12.345");
    }
    // Kill as soon as the first acknowledgements arrive, whatever the machine's speed.
    let deadline = Instant::now() + Duration::from_secs(20);
    while app.tg.sent().len() < 20 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    p.signal(libc::SIGKILL);
    p.wait(Duration::from_secs(5));

    // What the bot acknowledged before it died.
    let sent = app.tg.sent();
    let allowed_acks: Vec<i64> = sent
        .iter()
        .filter(|s| s.text.starts_with("Allowed user"))
        .filter_map(|s| {
            s.text
                .split("<code>")
                .nth(1)?
                .split("</code>")
                .next()?
                .parse()
                .ok()
        })
        .collect();
    let alert_acks: Vec<i64> = sent
        .iter()
        .filter(|s| s.text.starts_with("Alert set"))
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

    let check = Command::new("python3")
        .arg("-c")
        .arg(format!(
            "import sqlite3; c=sqlite3.connect({:?}); \
             print(c.execute('PRAGMA integrity_check').fetchone()[0]); \
             print(','.join(str(r[0]) for r in c.execute('SELECT chat_id FROM allowed_chats'))); \
             print(','.join(str(r[0]) for r in c.execute(\"SELECT chat_id FROM thresholds WHERE level = '12.345'\")))",
            app.db_path().display().to_string()
        ))
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&check.stdout).to_string();
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

    // And the bot starts again on that file.
    let before = app.tg.calls("getupdates");
    let mut p = spawn_bot(&app.env, app.dir.path());
    wait_polling(&app, before, &p).await;
    // Let the first check's alerts (the thresholds above are all low) go out first.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let seen = app.tg.sent_to(chats[0]).len();
    app.tg.send_text(chats[0], chats[0], "/users");
    // A long list comes in pieces, one a second per chat (Telegram's limit).
    tokio::time::sleep(Duration::from_secs(3)).await;
    let r = app.tg.sent_to(chats[0])[seen..].join("\n");
    assert!(r.contains(&allowed_acks[0].to_string()), "{r}");
    p.signal(libc::SIGTERM);
    assert_eq!(p.wait(Duration::from_secs(10)).0, Some(0));
}

#[tokio::test]
async fn a_409_conflict_is_explained_to_the_operator() {
    let app = fakes(OxaReply::Balances(vec![("BTC", "1")]), &[]).await;
    app.tg
        .fail_get_updates(std::iter::repeat_n(TgFault::conflict(), 2));
    let before = app.tg.calls("getupdates");
    let mut p = spawn_bot(&app.env, app.dir.path());
    wait_polling(&app, before, &p).await;
    assert!(app.ask(ADMIN, ADMIN, "/balance").await.contains("BTC"));
    p.signal(libc::SIGTERM);
    assert_eq!(p.wait(Duration::from_secs(10)).0, Some(0));
    let out = p.output();
    assert!(
        out.contains("409 Conflict") && out.contains("another process is polling"),
        "{out}"
    );
}

// Multi-threaded: the fakes must answer while this thread blocks waiting for the exit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_telegram_rejects_is_a_clear_startup_error() {
    let mut app = fakes(OxaReply::Balances(vec![("BTC", "1")]), &[]).await;
    app.env
        .insert("TELOXIDE_TOKEN".into(), "42:WRONG-token-value".into());
    let (last, out) = startup_error(&app.env, app.dir.path());
    assert!(
        last.contains("TELOXIDE_TOKEN: Telegram rejected the bot token"),
        "{out}"
    );
    assert!(!out.contains("WRONG-token-value"), "{out}");
}
