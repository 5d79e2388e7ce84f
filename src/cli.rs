//! The command line (clap derive, as in mini-redis's `cli.rs`). It only picks what to do: every
//! setting stays an environment variable (or a line in `.env`), read by [`crate::config`]; the
//! variables `--help` lists come from [`crate::config::settings`].

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// A Telegram bot for OxaPay merchants: wallet balances, low-balance alerts, admin-managed access.
#[derive(Debug, Parser)]
#[command(
    name = "oxapay-bot",
    version = crate::metrics::VERSION,
    about,
    after_help = crate::config::settings::environment_help(),
    after_long_help = crate::config::settings::environment_help()
)]
pub struct Cli {
    /// What to do; without one, the bot runs.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Run the bot until SIGINT, SIGTERM or SIGHUP (the default)
    Run,
    /// Check the configuration, Telegram, OxaPay and the database, one line each; exit 0 when
    /// all pass, 1 otherwise. Safe while the bot runs.
    Check,
    /// Copy the database to PATH, consistently, while the bot runs; never overwrites a file.
    Backup {
        /// Where to write the copy (a new file)
        path: PathBuf,
    },
    /// Ask the running bot's /healthz on METRICS_LISTEN; exit 0 when healthy, 1 otherwise (for
    /// Docker's HEALTHCHECK)
    Health,
}

impl Cli {
    /// The subcommand, `run` when none was given.
    pub fn action(&self) -> Command {
        self.command.clone().unwrap_or(Command::Run)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("oxapay-bot").chain(args.iter().copied()))
    }

    #[test]
    fn the_definition_is_consistent() {
        <Cli as CommandFactory>::command().debug_assert();
    }

    #[test]
    fn no_subcommand_runs_the_bot() {
        assert_eq!(parse(&[]).unwrap().action(), Command::Run);
        assert_eq!(parse(&["run"]).unwrap().action(), Command::Run);
        assert_eq!(parse(&["check"]).unwrap().action(), Command::Check);
        assert_eq!(parse(&["health"]).unwrap().action(), Command::Health);
        assert_eq!(
            parse(&["backup", "/tmp/x.db"]).unwrap().action(),
            Command::Backup {
                path: "/tmp/x.db".into()
            }
        );
    }

    #[test]
    fn usage_errors_exit_2_help_and_version_0() {
        for args in [
            &["--bogus"][..],
            &["frobnicate"],
            &["backup"],
            &["check", "extra"],
            &["run", "--now"],
        ] {
            let e = parse(args).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{args:?}");
        }
        for args in [&["--help"][..], &["-h"], &["--version"], &["-V"], &["help"]] {
            let e = parse(args).unwrap_err();
            assert_eq!(e.exit_code(), 0, "{args:?}");
        }
    }

    #[test]
    fn help_names_every_variable() {
        let help = <Cli as CommandFactory>::command()
            .render_long_help()
            .to_string();
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
            assert!(help.contains(var), "{var} missing from --help");
        }
        for s in crate::config::settings::SETTINGS {
            let line = crate::config::settings::help_line(s);
            assert!(
                help.contains(&format!("{} ", s.name)) && help.contains(&line),
                "{}: `{line}` missing from --help",
                s.name
            );
        }
        for sub in ["run", "check", "backup", "health"] {
            assert!(help.contains(sub), "{sub}");
        }
    }
}
