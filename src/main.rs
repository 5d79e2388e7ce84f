//! `oxapay-bot` with no arguments runs the bot until SIGINT, SIGTERM or SIGHUP.

use std::process::ExitCode;

use oxapay_bot::{app, config::Config, telemetry};
use tokio_util::sync::CancellationToken;

fn main() -> ExitCode {
    if let Err(e) = dotenvy::dotenv()
        && !e.not_found()
    {
        eprintln!("error: {}", env_file_error(&e));
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
