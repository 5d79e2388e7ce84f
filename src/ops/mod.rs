//! The one-shot subcommands an operator runs beside the bot: `check`, `backup`, `health` and
//! `init`. Each takes no instance lock, so each works while the bot runs. The functions here (and
//! `init::main`) are their `main`s: they read what they need from the environment, run on a
//! current-thread runtime, print and return the exit code.

pub mod backup;
pub mod check;
pub mod health;
pub mod init;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::config::Config;
use crate::telemetry::Redactor;

fn runtime() -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            eprintln!("error: cannot start the async runtime: {e}");
            ExitCode::FAILURE
        })
}

/// `oxapay-bot check`: exit 0 when every check passes, 1 otherwise (a configuration that does not
/// parse, `.env`'s included, is a failed check too). `env` is what loading `.env` said.
pub fn check_main(env: Result<(), String>) -> ExitCode {
    let mut out = std::io::stdout().lock();
    if let Err(problem) = env {
        check::configuration_failed(&problem, &mut out);
        return ExitCode::FAILURE;
    }
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            check::configuration_failed(&e.to_string(), &mut out);
            return ExitCode::FAILURE;
        }
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let passed = rt.block_on(check::run(&config, &mut out));
    let _ = out.flush();
    if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `oxapay-bot backup PATH`: exit 0 with the copy written, 1 when it could not be, 2 for a bad
/// `DATABASE_URL` or `.env`. Needs only `DATABASE_URL`.
pub fn backup_main(env: Result<(), String>, target: &Path) -> ExitCode {
    if let Err(problem) = env {
        eprintln!("error: {problem}");
        return ExitCode::from(2);
    }
    let url = match Config::database_url_from_lookup(|k| std::env::var(k).ok()) {
        Ok(url) => url,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    match rt.block_on(backup::run(&url, target)) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `oxapay-bot health`: exit 0 when the bot answers healthy, 1 otherwise, whatever the reason
/// (Docker's `HEALTHCHECK` reserves exit code 2). Needs only `METRICS_LISTEN`.
pub fn health_main(env: Result<(), String>) -> ExitCode {
    if let Err(problem) = env {
        eprintln!("error: {problem}");
        return ExitCode::FAILURE;
    }
    let listen = match Config::metrics_listen_from_lookup(|k| std::env::var(k).ok()) {
        Ok(Some(addr)) => addr,
        Ok(None) => {
            eprintln!(
                "error: METRICS_LISTEN is not set: the bot serves /healthz only there (set it, \
                 e.g. 127.0.0.1:9090, for the bot and for this command)"
            );
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    // The answer holds no secret, but a stranger on the port could echo anything: mask anyway.
    let redactor = Config::from_env()
        .map(|c| Redactor::new(c.secrets()))
        .unwrap_or_default();
    match rt.block_on(health::run(listen)) {
        Ok(line) => {
            println!("{}", redactor.redact(&line));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}", redactor.redact(&e));
            ExitCode::FAILURE
        }
    }
}
