//! `oxapay-bot init`: from nothing to a `.env` that works. Asks for the bot token (checked with
//! `getMe`), an OxaPay key (checked with one balance read), an optional merchant key (checked
//! with one payment-list read), and the admins (a private `/start` read from the bot's updates, confirmed, or ids
//! typed), then writes `.env` with those and every other setting commented out at its default.
//!
//! Answers come one per line from standard input (a terminal, or a script); secrets are read
//! without echo on a terminal and masked in everything printed. It takes no database lock and
//! starts nothing; Ctrl-C at any point leaves no `.env` written or half-written.

mod console;
mod env_file;
mod oxapay;
mod telegram;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use reqwest::Url;

use crate::config::{self, settings};
use console::{Console, printable};
use env_file::WriteError;
use oxapay::{KeyCheck, KeyKind};
use telegram::{PollError, Telegram, TokenCheck};

/// What the command line gave `init`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Replace an existing `.env`, keeping it as `.env.bak`.
    pub force: bool,
    /// Admins given up front: no waiting for `/start`.
    pub admin_ids: Vec<i64>,
    /// `OXAPAY_API_URL` to check against and write.
    pub api_url: Option<Url>,
    /// `TELEGRAM_API_URL` to check against and write.
    pub telegram_api_url: Option<Url>,
}

/// How `init` ends without writing `.env`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Not what `init` can do as asked (exit 2).
    Usage(String),
    /// A check failed for good, the answers ended, or the file could not be written (exit 1).
    Failed(String),
}

/// How long `init` waits for an admin's `/start`.
const ADMIN_WAIT: Duration = Duration::from_secs(300);

/// `oxapay-bot init`: exit 0 when `.env` was written, 1 when a check failed for good (or the
/// answers ended, or Ctrl-C), 2 when it was not asked right (`.env` exists and no `--force`).
pub fn main(options: Options) -> ExitCode {
    let rt = match super::runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let mut console = Console::stdin();
    let outcome = rt.block_on(async {
        tokio::select! {
            result = run(&options, Path::new("."), &mut console) => Some(result),
            () = interrupted() => None,
        }
    });
    match outcome {
        Some(Ok(())) => ExitCode::SUCCESS,
        Some(Err(Failure::Usage(problem))) => {
            eprintln!("error: {}", console.masked(&problem));
            ExitCode::from(2)
        }
        Some(Err(Failure::Failed(problem))) => {
            eprintln!("error: {}", console.masked(&problem));
            ExitCode::FAILURE
        }
        None => {
            eprintln!("\ninit stopped: .env was not written");
            ExitCode::FAILURE
        }
    }
}

/// SIGINT (Ctrl-C), SIGTERM or SIGHUP.
async fn interrupted() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let (Ok(mut term), Ok(mut hup)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
                _ = hup.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// The questions in order, then the file.
async fn run(options: &Options, dir: &Path, console: &mut Console) -> Result<(), Failure> {
    if dir.join(".env").exists() && !options.force {
        return Err(Failure::Usage(env_file::exists_error()));
    }
    console.say(
        "oxapay-bot init: the bot token, an OxaPay key and the admins, each checked as you go; \
         then .env is written (readable by you alone). Ctrl-C stops without writing anything.",
    );
    let mut values: BTreeMap<&'static str, String> = BTreeMap::new();
    let (token, mut tg, bot) = ask_token(console, options.telegram_api_url.as_ref()).await?;
    values.insert(settings::TELOXIDE_TOKEN.name, token);
    let (kind, key) = ask_oxapay_key(console, options.api_url.as_ref()).await?;
    values.insert(kind.setting().name, key);
    if let Some(merchant) = ask_merchant_key(console, options.api_url.as_ref()).await? {
        values.insert(settings::OXAPAY_MERCHANT_API_KEY.name, merchant);
    }
    let admins = if options.admin_ids.is_empty() {
        ask_admins(console, &mut tg, &bot).await?
    } else {
        let admins: BTreeSet<i64> = options.admin_ids.iter().copied().collect();
        console.say(&format!("Admins (from --admin-id): {}", join(&admins)));
        admins
    };
    values.insert(settings::ADMIN_IDS.name, join(&admins));
    if let Some(url) = &options.api_url {
        values.insert(settings::OXAPAY_API_URL.name, url.to_string());
    }
    if let Some(url) = &options.telegram_api_url {
        values.insert(settings::TELEGRAM_API_URL.name, url.to_string());
    }
    let text = settings::env_file(|s| values.get(s.name).cloned());
    let written = env_file::write(dir, &text, options.force).map_err(|e| match e {
        WriteError::Exists => Failure::Usage(env_file::exists_error()),
        WriteError::Io(problem) => Failure::Failed(format!("{problem}: .env was not written")),
    })?;
    console.say(&match written.backup {
        Some(_) => "✓ Wrote .env (mode 0600); the old one is kept as .env.bak (mode 0600).".into(),
        None => "✓ Wrote .env (mode 0600).".to_owned(),
    });
    console.say("Next: cargo run --release   (with Docker: docker compose up -d --build)");
    Ok(())
}

fn join(ids: &BTreeSet<i64>) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Asks until Telegram accepts a token; returns it, its client and the bot's @username.
async fn ask_token(
    console: &mut Console,
    api_url: Option<&Url>,
) -> Result<(String, Telegram, String), Failure> {
    loop {
        let token = console.ask_secret("Bot token from @BotFather").await?;
        if !config::token_is_well_formed(&token) {
            console.say(
                "  ✗ That is not a bot token: one looks like 123456789:AAE… — copy it whole from \
                 @BotFather (/mybots → your bot → API Token).",
            );
            continue;
        }
        let tg = Telegram::new(&token, api_url)?;
        match tg.check_token().await? {
            TokenCheck::Accepted(bot) => {
                console.say(&format!("  ✓ @{}", printable(&bot)));
                return Ok((token, tg, bot));
            }
            TokenCheck::Refused(why) => console.say(&format!(
                "  ✗ {why}. Copy it again from @BotFather (/mybots → your bot → API Token)."
            )),
        }
    }
}

/// Asks until OxaPay accepts a general or payout key; returns its kind and the key.
async fn ask_oxapay_key(
    console: &mut Console,
    api_url: Option<&Url>,
) -> Result<(KeyKind, String), Failure> {
    loop {
        let kind = loop {
            let answer = console
                .ask("OxaPay key kind: general (v1 API) or payout (legacy API) [general]")
                .await?;
            match KeyKind::parse(&answer) {
                Some(kind) => break kind,
                None => console.say("  Please answer general or payout."),
            }
        };
        let question = format!("OxaPay {} API key", kind.word());
        let key = console.ask_secret(&question).await?;
        if let Some(problem) = config::key_problem(kind.word(), &key) {
            console.say(&format!("  ✗ This key {problem}."));
            continue;
        }
        match oxapay::check_key(kind, &key, api_url).await? {
            KeyCheck::Accepted(detail) => {
                console.say(&format!("  ✓ {detail}"));
                return Ok((kind, key));
            }
            KeyCheck::Refused(why) => console.say(&format!("  ✗ {why} Try again.")),
        }
    }
}

/// The merchant key for the payment feed, if one is given, checked with one payment-list read;
/// a refused key is asked again with OxaPay's reason.
async fn ask_merchant_key(
    console: &mut Console,
    api_url: Option<&Url>,
) -> Result<Option<String>, Failure> {
    loop {
        let key = console
            .ask_secret(
                "OxaPay merchant API key for the payment feed, optional: press Enter to skip",
            )
            .await?;
        if key.is_empty() {
            console.say("  – No payment feed (OXAPAY_MERCHANT_API_KEY turns it on later).");
            return Ok(None);
        }
        if let Some(problem) = config::key_problem("merchant", &key) {
            console.say(&format!("  ✗ This key {problem}."));
            continue;
        }
        match oxapay::check_merchant_key(&key, api_url).await? {
            KeyCheck::Accepted(detail) => {
                console.say(&format!("  ✓ {detail}"));
                return Ok(Some(key));
            }
            KeyCheck::Refused(why) => console.say(&format!("  ✗ {why} Try again.")),
        }
    }
}

/// One step of waiting for an admin.
enum Waited {
    Admins(BTreeSet<i64>),
    /// An empty line: no more admins.
    Done,
    TimedOut,
}

/// The admins: each a private `/start` confirmed here, or ids typed. Without updates to read (a
/// webhook kept), typed ids only.
async fn ask_admins(
    console: &mut Console,
    tg: &mut Telegram,
    bot: &str,
) -> Result<BTreeSet<i64>, Failure> {
    if !can_read_updates(console, tg).await? {
        return typed_admins(console).await;
    }
    let bot = printable(bot);
    console.say(&format!(
        "Now send /start to @{bot} (https://t.me/{bot}) from the Telegram account that will \
         administer it; or type its user id here. Waiting up to {} minutes.",
        ADMIN_WAIT.as_secs() / 60
    ));
    console.prompt("Waiting for /start");
    let mut admins = BTreeSet::new();
    loop {
        match wait_for_admin(console, tg, &admins).await? {
            Waited::Admins(ids) => {
                for id in &ids {
                    console.say(&format!("  ✓ {id} is an admin."));
                }
                admins.extend(ids);
            }
            Waited::Done => return Ok(admins),
            Waited::TimedOut if admins.is_empty() => {
                return Err(Failure::Failed(format!(
                    "no /start reached @{bot} within {} minutes: run init again, or give the \
                     admins with --admin-id",
                    ADMIN_WAIT.as_secs() / 60
                )));
            }
            Waited::TimedOut => {
                console.say(&format!(
                    "  No other /start within {} minutes: the admins are {}.",
                    ADMIN_WAIT.as_secs() / 60,
                    join(&admins)
                ));
                return Ok(admins);
            }
        }
        console.prompt(
            "Another admin? Send /start from their account or type their id; press Enter to \
             finish",
        );
    }
}

/// Waits for a `/start` (confirmed) or a typed line, whichever comes first.
async fn wait_for_admin(
    console: &mut Console,
    tg: &mut Telegram,
    admins: &BTreeSet<i64>,
) -> Result<Waited, Failure> {
    let deadline = tokio::time::Instant::now() + ADMIN_WAIT;
    let mut told = None;
    loop {
        tokio::select! {
            line = console.next_line() => match line.as_deref() {
                None => return Err(Failure::Failed(
                    "standard input ended while waiting for an admin: nothing was written".into(),
                )),
                Some("") if admins.is_empty() => {
                    console.say("  At least one admin is needed: send /start, or type an id.");
                }
                Some("") => return Ok(Waited::Done),
                Some(typed) => match config::parse_admin_ids(typed) {
                    Ok(ids) => return Ok(Waited::Admins(plain_ids(ids))),
                    Err(e) => console.say(&format!("  ✗ {}.", e.problem)),
                },
            },
            start = tg.next_start() => match start {
                Ok(start) if admins.contains(&start.user_id) => {
                    console.say(&format!("  ({} is an admin already.)", start.user_id));
                }
                Ok(start) => {
                    let question = format!(
                        "  /start from {}, user id {}. Make them an admin?",
                        printable(&start.name),
                        start.user_id
                    );
                    if console.confirm(&question, true).await? {
                        return Ok(Waited::Admins(BTreeSet::from([start.user_id])));
                    }
                    console.say("  Not added; still waiting.");
                }
                Err(PollError::Trouble(why)) => {
                    if told.as_ref() != Some(&why) {
                        console.say(&format!("  ! {why}; trying again."));
                        told = Some(why);
                    }
                }
                Err(PollError::Failed(failure)) => return Err(failure),
            },
            () = tokio::time::sleep_until(deadline) => return Ok(Waited::TimedOut),
        }
    }
}

/// Whether `getUpdates` can work: not while a webhook is set, which is deleted only if the
/// operator says so.
async fn can_read_updates(console: &mut Console, tg: &Telegram) -> Result<bool, Failure> {
    let Some(host) = tg.webhook_host().await? else {
        return Ok(true);
    };
    console.say(&format!(
        "  Telegram sends this bot's updates to a webhook (on {}), so init cannot read the \
         /start. The bot deletes the webhook anyway when it starts without TELEGRAM_WEBHOOK_URL.",
        printable(&host)
    ));
    if !console.confirm("Delete the webhook now?", false).await? {
        return Ok(false);
    }
    tg.delete_webhook().await?;
    console.say("  ✓ Webhook deleted.");
    Ok(true)
}

/// Admin ids typed, until they parse.
async fn typed_admins(console: &mut Console) -> Result<BTreeSet<i64>, Failure> {
    loop {
        let answer = console
            .ask(
                "Admin user ids, comma-separated (anyone sees their id by sending /start to the \
                 bot once it runs)",
            )
            .await?;
        match config::parse_admin_ids(&answer) {
            Ok(ids) => return Ok(plain_ids(ids)),
            Err(e) => console.say(&format!("  ✗ {}.", e.problem)),
        }
    }
}

/// Admin ids as `init` writes them into `.env`.
fn plain_ids(ids: BTreeSet<teloxide::types::UserId>) -> BTreeSet<i64> {
    ids.into_iter().map(|u| u.0 as i64).collect()
}
