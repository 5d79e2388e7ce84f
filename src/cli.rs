//! The command line (clap derive, as in mini-redis's `cli.rs`). It only picks what to do: every
//! setting stays an environment variable (or a line in `.env`), read by [`crate::config`]; the
//! variables `--help` lists come from [`crate::config::settings`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use reqwest::Url;

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
    pub command: Option<Action>,
}

#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Action {
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
    /// Ask for the bot token, an OxaPay key and the admins, check each answer live, and write
    /// .env (mode 0600). Answers are read one per line from standard input (secrets without echo
    /// on a terminal). Exit 0 when .env was written, 1 when a check failed for good, 2 for bad
    /// arguments or an existing .env without --force
    Init(InitArgs),
}

/// What `init` may be told up front (nothing secret: secrets are asked, never arguments).
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct InitArgs {
    /// Replace an existing .env; the old one is kept as .env.bak (mode 0600)
    #[arg(long)]
    pub force: bool,
    /// An admin's Telegram user id (repeat it, or separate ids with commas) instead of waiting
    /// for their /start
    #[arg(
        long = "admin-id",
        value_name = "ID",
        value_delimiter = ',',
        value_parser = clap::value_parser!(i64).range(1..)
    )]
    pub admin_ids: Vec<i64>,
    /// OxaPay's base URL, to check the key against and write as OXAPAY_API_URL [default:
    /// https://api.oxapay.com]
    #[arg(long, value_name = "URL", value_parser = oxapay_url)]
    pub api_url: Option<Url>,
    /// A self-hosted Bot API server, to check the token against and write as TELEGRAM_API_URL
    #[arg(long, value_name = "URL", value_parser = telegram_api_url)]
    pub telegram_api_url: Option<Url>,
}

fn oxapay_url(value: &str) -> Result<Url, String> {
    crate::config::parse_oxapay_url(value).map_err(|e| shown_problem(&e.problem))
}

fn telegram_api_url(value: &str) -> Result<Url, String> {
    crate::config::parse_telegram_api_url(value).map_err(|e| shown_problem(&e.problem))
}

/// clap quotes the value in its error anyway: the configuration's note that it is not shown
/// would be wrong here.
fn shown_problem(problem: &str) -> String {
    problem
        .split(" (the value is not shown")
        .next()
        .unwrap_or(problem)
        .to_owned()
}

impl From<InitArgs> for crate::ops::init::Options {
    fn from(args: InitArgs) -> Self {
        crate::ops::init::Options {
            force: args.force,
            admin_ids: args.admin_ids,
            api_url: args.api_url,
            telegram_api_url: args.telegram_api_url,
        }
    }
}

impl Cli {
    /// The subcommand, `run` when none was given.
    pub fn action(&self) -> Action {
        self.command.clone().unwrap_or(Action::Run)
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
        assert_eq!(parse(&[]).unwrap().action(), Action::Run);
        assert_eq!(parse(&["run"]).unwrap().action(), Action::Run);
        assert_eq!(parse(&["check"]).unwrap().action(), Action::Check);
        assert_eq!(parse(&["health"]).unwrap().action(), Action::Health);
        assert_eq!(
            parse(&["backup", "/tmp/x.db"]).unwrap().action(),
            Action::Backup {
                path: "/tmp/x.db".into()
            }
        );
    }

    #[test]
    fn init_takes_what_is_not_secret_as_arguments() {
        assert_eq!(
            parse(&["init"]).unwrap().action(),
            Action::Init(InitArgs {
                force: false,
                admin_ids: vec![],
                api_url: None,
                telegram_api_url: None,
            })
        );
        let Action::Init(args) = parse(&[
            "init",
            "--force",
            "--admin-id",
            "5,6",
            "--admin-id",
            "7",
            "--api-url",
            "https://proxy.example/oxapay",
            "--telegram-api-url",
            "http://127.0.0.1:8081/tg/",
        ])
        .unwrap()
        .action() else {
            panic!("not init")
        };
        assert!(args.force);
        assert_eq!(args.admin_ids, [5, 6, 7]);
        assert_eq!(
            args.api_url.unwrap().as_str(),
            "https://proxy.example/oxapay"
        );
        assert_eq!(
            args.telegram_api_url.unwrap().as_str(),
            "http://127.0.0.1:8081/tg"
        );
        for bad in [
            &["init", "--admin-id", "0"][..],
            &["init", "--admin-id", "x"],
            &["init", "--api-url", "https://u:p@proxy.example/"],
            &["init", "--telegram-api-url", "ftp://x"],
            &["init", "--token", "1:abc"],
        ] {
            let e = parse(bad).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{bad:?}");
            assert!(!e.to_string().contains("not shown"), "{e}");
        }
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
        for sub in ["run", "check", "backup", "health", "init"] {
            assert!(help.contains(sub), "{sub}");
        }
    }
}
