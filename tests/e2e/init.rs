//! `oxapay-bot init`, the shipped binary, driven through its standard input as a script (or a
//! person at a pipe) drives it, against the fake Telegram and the fake OxaPay: each answer checked
//! live, refusals asked again, the admin found by a `/start` that arrives while it waits, and the
//! `.env` it writes (content, mode 0600, the backup, nothing after a kill) started as a bot.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use oxapay_bot::config::Config;
use oxapay_bot::config::settings::SETTINGS;
use serde_json::json;

use crate::support::Feed;
use crate::support::ids;
use crate::support::process::{BotProcess, run_to_end};
use crate::support::{ADMIN, KEY, OxaReply, Setup, TOKEN, TestApp};

const GENERAL: &str = "oxapay-general-key-SECRET-0077";
const WRONG_TOKEN: &str = "123456789:WRONG-token-SECRET-xyz";
const WRONG_KEY: &str = "wrong-general-key-SECRET-11";
const LIMIT: Duration = Duration::from_secs(60);

const TOKEN_PROMPT: &str = "Bot token from @BotFather: ";
const KIND_PROMPT: &str = "OxaPay key kind: general (v1 API) or payout (legacy API) [general]: ";
const MERCHANT_PROMPT: &str =
    "OxaPay merchant API key for the payment feed, optional: press Enter to skip: ";

async fn fakes() -> TestApp {
    TestApp::prepare(
        OxaReply::balances(&[("BTC", "0.5"), ("USDT", "12")]),
        Setup::default(),
    )
    .await
}

/// `init` pointed at the fakes, with `extra` arguments, in the test's folder.
fn start_init(app: &TestApp, extra: &[&str]) -> BotProcess {
    let (tg, oxa) = (app.tg.url.clone(), app.oxa.url());
    let mut args = vec!["init", "--telegram-api-url", &tg, "--api-url", &oxa];
    args.extend_from_slice(extra);
    BotProcess::with_input(&args, &BTreeMap::new(), app.dir.path())
}

/// Waits for the `n`-th time `prompt` is asked, then answers it.
async fn answer(p: &mut BotProcess, prompt: &str, n: usize, line: &str) {
    p.wait_printed(prompt, n).await;
    p.type_line(line).await;
}

/// Token, a payout key, no merchant key: the answers before the admins.
async fn answer_the_keys(p: &mut BotProcess) {
    answer(p, TOKEN_PROMPT, 1, TOKEN).await;
    answer(p, KIND_PROMPT, 1, "payout").await;
    answer(p, "OxaPay payout API key: ", 1, KEY).await;
    answer(p, MERCHANT_PROMPT, 1, "").await;
}

async fn finish(p: &mut BotProcess) -> (Option<i32>, String) {
    let (code, _) = p.wait(LIMIT).await;
    let out = p.output();
    assert!(!out.contains("panicked"), "{out}");
    (code, out)
}

/// The variables `.env` sets, as the bot's `.env` loader reads them.
fn env_values(dir: &Path) -> BTreeMap<String, String> {
    dotenvy::from_path_iter(dir.join(".env"))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn assert_no_secret(out: &str) {
    for secret in [TOKEN, KEY, GENERAL, WRONG_TOKEN, WRONG_KEY, "SECRET"] {
        assert!(!out.contains(secret), "{secret} printed:\n{out}");
    }
}

#[tokio::test]
async fn init_checks_each_answer_as_it_goes_and_writes_a_private_env() {
    let app = fakes().await;
    app.oxa.require_general_key(GENERAL);
    let mut p = start_init(&app, &[]);

    // A token Telegram refuses is asked again with its reason; a malformed one never leaves.
    answer(&mut p, TOKEN_PROMPT, 1, "not a token").await;
    p.wait_printed("✗ That is not a bot token", 1).await;
    answer(&mut p, TOKEN_PROMPT, 2, WRONG_TOKEN).await;
    p.wait_printed(
        "✗ Telegram refused this token (401 Unauthorized): it is mistyped or was revoked.",
        1,
    )
    .await;
    assert!(app.tg.tokens_seen().contains(WRONG_TOKEN));
    answer(&mut p, TOKEN_PROMPT, 3, TOKEN).await;
    p.wait_printed("  ✓ @oxabot", 1).await;

    // A general key OxaPay refuses, then the right one: one balance read each.
    answer(&mut p, KIND_PROMPT, 1, "general").await;
    answer(&mut p, "OxaPay general API key: ", 1, WRONG_KEY).await;
    p.wait_printed(
        "✗ OxaPay refused the key (HTTP 401): the key is not a general API key or was revoked",
        1,
    )
    .await;
    answer(&mut p, KIND_PROMPT, 2, "g").await;
    answer(&mut p, "OxaPay general API key: ", 2, GENERAL).await;
    p.wait_printed("  ✓ OxaPay v1 API (general key): 2 wallets", 1)
        .await;
    assert_eq!(app.oxa.calls(), 2);
    answer(&mut p, MERCHANT_PROMPT, 1, "").await;

    // The admin: a stranger's group /start and a private "hello" are not offered; the admin's
    // /start, sent while init waits, is.
    p.wait_printed("Waiting for /start: ", 1).await;
    app.tg.send_text(-100_200, 2002, "/start");
    app.tg.send_text(2003, 2003, "hello");
    app.tg.send_text(ADMIN, ADMIN, "/start");
    answer(&mut p, "Make them an admin? [Y/n]: ", 1, "y").await;
    answer(&mut p, "press Enter to finish: ", 1, "").await;
    let (code, out) = finish(&mut p).await;
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("/start from User (@u1001), user id 1001. Make them an admin?"),
        "{out}"
    );
    assert!(
        !out.contains("user id 2002") && !out.contains("user id 2003"),
        "{out}"
    );
    assert!(out.contains("  ✓ 1001 is an admin."), "{out}");
    assert!(
        out.ends_with(
            "✓ Wrote .env (mode 0600).\nNext: cargo run --release   (with Docker: docker compose \
             up -d --build)\n"
        ),
        "{out}"
    );
    assert_no_secret(&out);

    // The file: what was learned, and every other setting commented out at its default.
    let dir = app.dir.path();
    assert_eq!(files(dir), [".env"]);
    assert_eq!(mode(&dir.join(".env")), 0o600);
    let set = env_values(dir);
    let expected: BTreeMap<String, String> = [
        ("TELOXIDE_TOKEN", TOKEN.to_owned()),
        ("OXAPAY_GENERAL_API_KEY", GENERAL.to_owned()),
        ("ADMIN_IDS", ADMIN.to_string()),
        ("OXAPAY_API_URL", format!("{}/", app.oxa.url())),
        ("TELEGRAM_API_URL", format!("{}/", app.tg.url)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    assert_eq!(set, expected);
    let text = std::fs::read_to_string(dir.join(".env")).unwrap();
    for s in SETTINGS.iter().filter(|s| !set.contains_key(s.name)) {
        let line = format!("\n# {}={}\n", s.name, s.default_value().unwrap_or(""));
        assert!(text.contains(&line), "{line:?} missing:\n{text}");
    }
    let config = Config::from_lookup(|k| set.get(k).cloned()).unwrap();
    assert!(config.is_admin(ids::user(ADMIN)) && config.oxapay.payout_key.is_none());
}

#[tokio::test]
async fn a_bot_starts_from_the_env_that_init_wrote() {
    let app = fakes().await;
    // A script: every answer at once, the admin given as an argument.
    let mut p = start_init(&app, &["--admin-id", &ADMIN.to_string()]);
    for line in [TOKEN, "payout", KEY, ""] {
        p.type_line(line).await;
    }
    p.close_input();
    let (code, out) = finish(&mut p).await;
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("  ✓ OxaPay legacy API (payout key): 2 wallets"),
        "{out}"
    );
    assert!(out.contains("Admins (from --admin-id): 1001"), "{out}");
    assert_eq!(app.tg.calls("getUpdates"), 0, "no waiting for /start");
    assert_no_secret(&out);

    // The bot, with nothing in its environment but the .env init wrote.
    let polls = app.tg.calls("getUpdates");
    let mut bot = BotProcess::bot(&BTreeMap::new(), app.dir.path());
    app.tg.wait_calls("getUpdates", polls + 1).await;
    let r = app.ask(ADMIN, ADMIN, "/balance btc").await;
    assert_eq!(r.lines()[0], "BTC  0.5");
    assert_eq!(bot.stop().await, Some(0), "{}", bot.output());
    assert_no_secret(&bot.output());
}

#[tokio::test]
async fn an_existing_env_is_replaced_only_with_force_and_kept_as_a_private_backup() {
    let app = fakes().await;
    let dir = app.dir.path();
    std::fs::write(dir.join(".env"), "OLD=1\n").unwrap();
    let admin = ADMIN.to_string();

    let mut p = start_init(&app, &["--admin-id", &admin]);
    let (code, out) = finish(&mut p).await;
    assert_eq!(code, Some(2), "{out}");
    assert_eq!(
        out,
        "error: .env already exists here: init does not replace it unless asked to; run \
         `oxapay-bot init --force` (the old one is kept as .env.bak), or edit it by hand\n"
    );
    assert_eq!(app.tg.calls("getMe"), 0, "nothing was asked");
    assert_eq!(
        std::fs::read_to_string(dir.join(".env")).unwrap(),
        "OLD=1\n"
    );

    let mut p = start_init(&app, &["--force", "--admin-id", &admin]);
    answer_the_keys(&mut p).await;
    let (code, out) = finish(&mut p).await;
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("✓ Wrote .env (mode 0600); the old one is kept as .env.bak (mode 0600)."),
        "{out}"
    );
    assert_eq!(files(dir), [".env", ".env.bak"]);
    assert_eq!(env_values(dir)["TELOXIDE_TOKEN"], TOKEN);
    assert_eq!(
        std::fs::read_to_string(dir.join(".env.bak")).unwrap(),
        "OLD=1\n"
    );
    assert_eq!(
        (mode(&dir.join(".env")), mode(&dir.join(".env.bak"))),
        (0o600, 0o600)
    );
}

#[tokio::test]
async fn a_kill_ctrl_c_or_the_end_of_the_answers_mid_run_writes_nothing() {
    let app = fakes().await;
    let dir = app.dir.path();
    std::fs::write(dir.join(".env"), "OLD=1\n").unwrap();

    // SIGKILL after the token was checked: the old .env stands, nothing else is left.
    let mut p = start_init(&app, &["--force"]);
    answer(&mut p, TOKEN_PROMPT, 1, TOKEN).await;
    p.wait_printed(KIND_PROMPT, 1).await;
    p.signal(libc::SIGKILL);
    assert_eq!(finish(&mut p).await.0, None);
    assert_eq!(files(dir), [".env"]);
    assert_eq!(
        std::fs::read_to_string(dir.join(".env")).unwrap(),
        "OLD=1\n"
    );

    // Ctrl-C while the merchant key is asked: a sentence, exit 1, nothing written.
    std::fs::remove_file(dir.join(".env")).unwrap();
    let mut p = start_init(&app, &[]);
    answer(&mut p, TOKEN_PROMPT, 1, TOKEN).await;
    answer(&mut p, KIND_PROMPT, 1, "payout").await;
    answer(&mut p, "OxaPay payout API key: ", 1, KEY).await;
    p.wait_printed(MERCHANT_PROMPT, 1).await;
    p.signal(libc::SIGINT);
    let (code, out) = finish(&mut p).await;
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.ends_with("\ninit stopped: .env was not written\n"),
        "{out}"
    );
    assert_eq!(files(dir), Vec::<String>::new());

    // The answers end before the admins: exit 1, nothing written.
    let mut p = start_init(&app, &[]);
    answer_the_keys(&mut p).await;
    p.wait_printed("Waiting for /start: ", 1).await;
    p.close_input();
    let (code, out) = finish(&mut p).await;
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.ends_with(
            "error: standard input ended while waiting for an admin: nothing was written\n"
        ),
        "{out}"
    );
    assert_eq!(files(dir), Vec::<String>::new());
    assert_no_secret(&out);
}

#[tokio::test]
async fn a_webhook_is_deleted_only_when_the_operator_says_so() {
    let app = fakes().await;
    let dir = app.dir.path();
    app.tg.leave_webhook("https://old.example.com/hook");

    // Kept: the admins are typed instead.
    let mut p = start_init(&app, &[]);
    answer_the_keys(&mut p).await;
    answer(&mut p, "Delete the webhook now? [y/N]: ", 1, "n").await;
    answer(&mut p, "once it runs): ", 1, "1001, x").await;
    p.wait_printed(
        "  ✗ \"x\" is not a Telegram user id (a positive whole number).",
        1,
    )
    .await;
    answer(&mut p, "once it runs): ", 2, "1001, 1002").await;
    let (code, out) = finish(&mut p).await;
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("(on old.example.com)"), "{out}");
    assert_eq!(env_values(dir)["ADMIN_IDS"], "1001,1002");
    assert!(app.tg.webhook().is_some());
    assert_eq!(app.tg.calls("deleteWebhook"), 0);

    // Deleted: /start is read. A declined /start (a name with escape sequences) is not added;
    // an id typed meanwhile is; then the admin's /start.
    let mut p = start_init(&app, &["--force"]);
    answer_the_keys(&mut p).await;
    answer(&mut p, "Delete the webhook now? [y/N]: ", 1, "y").await;
    p.wait_printed("  ✓ Webhook deleted.", 1).await;
    assert_eq!(app.tg.webhook(), None);
    p.wait_printed("Waiting for /start: ", 1).await;
    let eve = json!({ "id": 666, "is_bot": false, "first_name": "Eve\u{1b}[2J\u{202e}" });
    app.tg.push_update(
        "message",
        json!({
            "message_id": 9_000, "date": chrono::Utc::now().timestamp(),
            "chat": { "id": 666, "type": "private", "first_name": "Eve" },
            "from": eve, "text": "/start",
        }),
    );
    answer(&mut p, "Make them an admin? [Y/n]: ", 1, "n").await;
    p.wait_printed("  Not added; still waiting.", 1).await;
    p.type_line("2002").await;
    p.wait_printed("  ✓ 2002 is an admin.", 1).await;
    p.wait_printed("press Enter to finish: ", 1).await;
    app.tg.send_text(ADMIN, ADMIN, "/start");
    answer(&mut p, "Make them an admin? [Y/n]: ", 2, "").await;
    answer(&mut p, "press Enter to finish: ", 2, "").await;
    let (code, out) = finish(&mut p).await;
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("/start from Eve[2J, user id 666."), "{out}");
    assert!(
        !out.contains('\u{1b}') && !out.contains('\u{202e}'),
        "{out}"
    );
    assert_eq!(env_values(dir)["ADMIN_IDS"], "1001,2002");
}

#[tokio::test]
async fn oxapay_refusals_are_sentences_asked_again_and_an_outage_ends_init() {
    let app = fakes().await;
    let dir = app.dir.path();
    app.oxa.push(OxaReply::code(104, "Invalid IP address"));
    app.oxa
        .push(OxaReply::code(102, "Invalid merchant API key"));
    let mut p = start_init(&app, &["--admin-id", "1001"]);
    answer(&mut p, TOKEN_PROMPT, 1, TOKEN).await;
    let payout = "OxaPay payout API key: ";
    answer(&mut p, KIND_PROMPT, 1, "merchant").await;
    p.wait_printed("  Please answer general or payout.", 1)
        .await;
    answer(&mut p, KIND_PROMPT, 2, "payout").await;
    answer(&mut p, payout, 1, "short").await;
    p.wait_printed(
        "  ✗ This key is too short to be an OxaPay key: paste the whole payout key.",
        1,
    )
    .await;
    assert_eq!(app.oxa.calls(), 0, "a malformed key is not sent");
    answer(&mut p, KIND_PROMPT, 3, "p").await;
    answer(&mut p, payout, 2, KEY).await;
    p.wait_printed(
        "  ✗ OxaPay refused this server's IP (code 104): allow it in the OxaPay panel. Try again.",
        1,
    )
    .await;
    answer(&mut p, KIND_PROMPT, 4, "p").await;
    answer(&mut p, payout, 3, KEY).await;
    p.wait_printed(
        "  ✗ OxaPay rejected the API key: it is not a payout key (code 102). Try again.",
        1,
    )
    .await;
    answer(&mut p, KIND_PROMPT, 5, "p").await;
    answer(&mut p, payout, 4, KEY).await;
    p.wait_printed("  ✓ OxaPay legacy API (payout key): 2 wallets", 1)
        .await;
    // A merchant key: its shape checked here, then one payment-list read; a refused one is
    // asked again with OxaPay's reason.
    app.oxa
        .require_history_key(Feed::Payments, "merchant-key-SECRET-5");
    answer(&mut p, MERCHANT_PROMPT, 1, "merchant key with spaces").await;
    p.wait_printed("  ✗ This key must not contain spaces", 1)
        .await;
    answer(&mut p, MERCHANT_PROMPT, 2, "merchant-key-WRONG-6").await;
    p.wait_printed("OXAPAY_MERCHANT_API_KEY", 1).await;
    p.wait_printed(" Try again.", 1).await;
    answer(&mut p, MERCHANT_PROMPT, 3, "merchant-key-SECRET-5").await;
    p.wait_printed("  ✓ payment list: 0 payments in the last 24 h", 1)
        .await;
    let (code, out) = finish(&mut p).await;
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(
        env_values(dir)["OXAPAY_MERCHANT_API_KEY"],
        "merchant-key-SECRET-5"
    );
    assert_no_secret(&out);

    // OxaPay unreachable: a sentence, exit 1, nothing written.
    std::fs::remove_file(dir.join(".env")).unwrap();
    app.oxa.go_down().await;
    let mut p = start_init(&app, &["--admin-id", "1001"]);
    answer(&mut p, TOKEN_PROMPT, 1, TOKEN).await;
    answer(&mut p, KIND_PROMPT, 1, "payout").await;
    answer(&mut p, payout, 1, KEY).await;
    let (code, out) = finish(&mut p).await;
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.ends_with(
            "error: OxaPay legacy API (payout key): Could not reach OxaPay (connection failed) \
             — try again shortly (check the network, or --api-url)\n"
        ),
        "{out}"
    );
    assert_eq!(files(dir), Vec::<String>::new());
}

#[tokio::test]
async fn bad_arguments_exit_2_before_asking_anything() {
    let dir = tempfile::tempdir().unwrap();
    let env = BTreeMap::new();
    for args in [
        &["init", "--admin-id", "alice"][..],
        &["init", "--admin-id", "-5"],
        &["init", "--api-url", "ftp://x"],
        &["init", "--telegram-api-url", "localhost:8081"],
        &["init", "extra"],
    ] {
        let done = run_to_end(args, &env, dir.path()).await;
        assert_eq!(done.code, Some(2), "{args:?}: {}", done.all());
        assert!(!done.stdout.contains("Bot token"), "{args:?}");
    }
    assert_eq!(files(dir.path()), Vec::<String>::new());
}

/// A pseudo-terminal: the test types on `master` and reads what the terminal echoes there;
/// `init` reads `slave` as its standard input.
struct Pty {
    master: std::os::fd::OwnedFd,
    slave: std::os::fd::OwnedFd,
}

impl Pty {
    fn open() -> Self {
        use std::os::fd::FromRawFd;
        let (mut master, mut slave) = (0, 0);
        // SAFETY: openpty writes two new descriptors, owned from here on.
        unsafe {
            let done = libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            );
            assert_eq!(done, 0, "openpty");
            libc::fcntl(master, libc::F_SETFL, libc::O_NONBLOCK);
            Pty {
                master: std::os::fd::OwnedFd::from_raw_fd(master),
                slave: std::os::fd::OwnedFd::from_raw_fd(slave),
            }
        }
    }

    fn type_line(&self, line: &str) {
        use std::io::Write;
        let mut f = std::fs::File::from(self.master.try_clone().unwrap());
        f.write_all(format!("{line}\n").as_bytes()).unwrap();
    }

    /// What the terminal has echoed so far.
    fn echoed(&self) -> String {
        use std::io::Read;
        let mut f = std::fs::File::from(self.master.try_clone().unwrap());
        let mut buf = vec![0u8; 4096];
        let mut out = Vec::new();
        while let Ok(n @ 1..) = f.read(&mut buf) {
            out.extend_from_slice(&buf[..n]);
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    fn echo_on(&self) -> bool {
        use std::os::fd::AsRawFd;
        // SAFETY: tcgetattr fills a termios (zeroed is valid) for a terminal descriptor we own.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            assert_eq!(libc::tcgetattr(self.slave.as_raw_fd(), &mut t), 0);
            t.c_lflag & libc::ECHO != 0
        }
    }
}

#[tokio::test]
async fn on_a_terminal_secrets_are_not_echoed_and_echo_comes_back_even_after_ctrl_c() {
    let app = fakes().await;
    let pty = Pty::open();
    let (tg, oxa) = (app.tg.url.clone(), app.oxa.url());
    let args = ["init", "--telegram-api-url", &tg, "--api-url", &oxa];
    let stdin = std::process::Stdio::from(pty.slave.try_clone().unwrap());
    let mut p = BotProcess::with_stdin(&args, &BTreeMap::new(), app.dir.path(), stdin);

    p.wait_printed("Bot token from @BotFather (typing is not shown): ", 1)
        .await;
    assert!(!pty.echo_on());
    pty.type_line(TOKEN);
    p.wait_printed("  ✓ @oxabot", 1).await;
    p.wait_printed(KIND_PROMPT, 1).await;
    assert!(
        pty.echo_on(),
        "echo is back for a question that is not secret"
    );
    pty.type_line("payout");
    p.wait_printed("OxaPay payout API key (typing is not shown): ", 1)
        .await;
    let echoed = pty.echoed();
    assert!(!echoed.contains("TEST-bot-token"), "{echoed:?}");
    assert!(echoed.contains("payout"), "{echoed:?}");

    // Ctrl-C while a secret is asked: the terminal echoes again, nothing is written.
    assert!(!pty.echo_on());
    p.signal(libc::SIGINT);
    let (code, out) = finish(&mut p).await;
    assert_eq!(code, Some(1), "{out}");
    assert!(pty.echo_on(), "Ctrl-C left the terminal without echo");
    assert_eq!(files(app.dir.path()), Vec::<String>::new());
    assert_no_secret(&out);
}
