//! `oxapay-bot [run|check|backup PATH|health|init]`: parse the command line, load `.env`, and
//! hand over to the library. With no subcommand the bot runs until SIGINT, SIGTERM or SIGHUP.
//!
//! Exit codes: 0 done; 1 a start-up failure, a failed check or backup, an unhealthy bot; 2 a
//! usage or configuration error (`health` answers 0 or 1 only: Docker reserves 2).

use std::process::ExitCode;

use clap::Parser;
use oxapay_bot::cli::{Action, Cli};
use oxapay_bot::{app, config::Config, ops, telemetry};
use tokio_util::sync::CancellationToken;

fn main() -> ExitCode {
    // Before anything else: `--help`, `--version` and a typo never start a bot.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    let env = match dotenvy::dotenv() {
        Err(e) if !e.not_found() => Err(env_file_error(&e)),
        _ => Ok(()),
    };
    match cli.action() {
        Action::Run => run(env),
        Action::Check => ops::check_main(env),
        Action::Backup { path } => ops::backup_main(env, &path),
        Action::Health => ops::health_main(env),
        // Reads no setting: it asks for them and writes `.env`.
        Action::Init(args) => ops::init::main(args.into()),
    }
}

/// Runs the bot: exit 2 for configuration errors, 1 for start-up failures, 0 after a clean stop.
fn run(env: Result<(), String>) -> ExitCode {
    if let Err(problem) = env {
        eprintln!("error: {problem}");
        return ExitCode::from(2);
    }
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    let redactor = telemetry::Redactor::new(config.secrets());
    telemetry::init(&config.log_filter, redactor.clone());
    tracing::info!(version = oxapay_bot::metrics::VERSION, "starting");

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        let shutdown = CancellationToken::new();
        tokio::spawn(stop_on_signal(shutdown.clone()));
        app::run(config, app::Tuning::default(), shutdown).await
    });
    // Handlers cut off at shutdown must not hold the process open.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", redactor.redact(&format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
}

/// What went wrong with `.env`, without its contents: the parser's own message quotes the whole
/// bad line, which may hold a key (an unclosed quote after it, say). Only the variable's name and
/// the position are shown.
fn env_file_error(e: &dotenvy::Error) -> String {
    match e {
        dotenvy::Error::LineParse(line, at) => {
            let name: String = line
                .split('=')
                .next()
                .unwrap_or("")
                .trim()
                .trim_start_matches("export ")
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .take(64)
                .collect();
            let which = if name.is_empty() {
                "a line".to_owned()
            } else {
                format!("the line of {name}")
            };
            format!(
                ".env cannot be read: {which} is malformed at character {} (an unclosed quote \
                 or a stray character?); the line is not shown as it may hold a secret",
                at + 1
            )
        }
        dotenvy::Error::Io(io) => format!(".env cannot be read: {io}"),
        other => format!(".env cannot be read: {other}"),
    }
}

/// SIGINT (Ctrl-C), SIGTERM (`docker stop`) and SIGHUP (terminal closed, some supervisors) all
/// stop the bot cleanly.
async fn stop_on_signal(shutdown: CancellationToken) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (mut term, mut hup) = match (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) {
            (Ok(t), Ok(h)) => (t, h),
            (Err(e), _) | (_, Err(e)) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM/SIGHUP");
                let _ = tokio::signal::ctrl_c().await;
                shutdown.cancel();
                return;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => tracing::info!("SIGINT received"),
            _ = term.recv() => tracing::info!("SIGTERM received"),
            _ = hup.recv() => tracing::info!("SIGHUP received"),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    shutdown.cancel();
}
