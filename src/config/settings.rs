//! Every setting, defined once: its variable's name, its concern, whether it is required, its
//! default, its range, one line of help and whether its value is a secret. The parser reads
//! defaults and ranges from here, `--help` lists the variables from here, the log redactor takes
//! the secret variables from here, and `oxapay-bot init` writes `.env` from here. Tests hold
//! `.env.example` and the README to the same names and defaults.

/// One environment variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    pub name: &'static str,
    pub group: Group,
    pub need: Need,
    pub default: Fallback,
    /// Numbers only: the accepted values, both ends included.
    pub range: Option<Range>,
    /// One line for `--help` and `.env`: what it is, in a few words.
    pub help: &'static str,
    /// Masked in every log line, error and message; never printed by `init`.
    pub secret: bool,
}

/// The concern a setting belongs to; `Config` has one part per group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    Telegram,
    OxaPay,
    Payments,
    Database,
    Alerts,
    Caches,
    History,
    Webhook,
    Metrics,
    Callbacks,
    Logging,
}

impl Group {
    pub fn title(self) -> &'static str {
        match self {
            Group::Telegram => "Telegram",
            Group::OxaPay => "OxaPay",
            Group::Payments => "Payment feed (runs when OXAPAY_MERCHANT_API_KEY is set)",
            Group::Database => "Database",
            Group::Alerts => "Alerts",
            Group::Caches => "Caches",
            Group::History => "Balance history",
            Group::Webhook => "Webhook mode (polling is the default)",
            Group::Metrics => "Metrics and health",
            Group::Callbacks => "OxaPay callbacks (off unless set)",
            Group::Logging => "Logging",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Required,
    /// One of the two OxaPay balance keys is required.
    OneOfTheKeys,
    Optional,
}

/// What an unset variable means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// Nothing: the variable is required.
    None,
    /// This value, read exactly as if it had been given.
    Value(&'static str),
    /// No value; this says, in a few words, what that means (a feature off, a value made at
    /// each start).
    Unset(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub min: u64,
    pub max: u64,
}

const fn range(min: u64, max: u64) -> Option<Range> {
    Some(Range { min, max })
}

impl Setting {
    /// The value used when the variable is unset or empty, if there is one.
    pub fn default_value(&self) -> Option<&'static str> {
        match self.default {
            Fallback::Value(v) => Some(v),
            Fallback::None | Fallback::Unset(_) => None,
        }
    }

    /// The default as `--help` and `.env` say it: the value, or what unset means.
    pub fn default_words(&self) -> Option<&'static str> {
        match self.default {
            Fallback::Value(v) | Fallback::Unset(v) => Some(v),
            Fallback::None => None,
        }
    }
}

const fn optional(
    name: &'static str,
    group: Group,
    default: Fallback,
    help: &'static str,
) -> Setting {
    Setting {
        name,
        group,
        need: Need::Optional,
        default,
        range: None,
        help,
        secret: false,
    }
}

const fn number(
    name: &'static str,
    group: Group,
    default: &'static str,
    range: Option<Range>,
    help: &'static str,
) -> Setting {
    Setting {
        name,
        group,
        need: Need::Optional,
        default: Fallback::Value(default),
        range,
        help,
        secret: false,
    }
}

const fn secret(
    name: &'static str,
    group: Group,
    need: Need,
    default: Fallback,
    help: &'static str,
) -> Setting {
    Setting {
        name,
        group,
        need,
        default,
        range: None,
        help,
        secret: true,
    }
}

use Group as G;

pub const TELOXIDE_TOKEN: Setting = secret(
    "TELOXIDE_TOKEN",
    G::Telegram,
    Need::Required,
    Fallback::None,
    "the bot token from @BotFather, e.g. 123456789:AAE…",
);
pub const ADMIN_IDS: Setting = Setting {
    need: Need::Required,
    ..optional(
        "ADMIN_IDS",
        G::Telegram,
        Fallback::None,
        "comma-separated Telegram user ids of the admins, e.g. 12345678,87654321",
    )
};
pub const TELEGRAM_API_URL: Setting = optional(
    "TELEGRAM_API_URL",
    G::Telegram,
    Fallback::Unset("Telegram's public one"),
    "a self-hosted Bot API server",
);
pub const OXAPAY_GENERAL_API_KEY: Setting = secret(
    "OXAPAY_GENERAL_API_KEY",
    G::OxaPay,
    Need::OneOfTheKeys,
    Fallback::None,
    "OxaPay general API key: balances through the v1 API; used when both are set",
);
pub const OXAPAY_PAYOUT_API_KEY: Setting = secret(
    "OXAPAY_PAYOUT_API_KEY",
    G::OxaPay,
    Need::OneOfTheKeys,
    Fallback::None,
    "OxaPay payout API key: balances through the legacy API when no general key is set",
);
pub const OXAPAY_API_URL: Setting = optional(
    "OXAPAY_API_URL",
    G::OxaPay,
    Fallback::Value("https://api.oxapay.com"),
    "OxaPay base URL; a path prefix is kept, no user name, password or query",
);
pub const OXAPAY_TIMEOUT_SECS: Setting = number(
    "OXAPAY_TIMEOUT_SECS",
    G::OxaPay,
    "10",
    range(1, 120),
    "seconds one OxaPay read may take, its one retry included",
);
pub const OXAPAY_MERCHANT_API_KEY: Setting = secret(
    "OXAPAY_MERCHANT_API_KEY",
    G::OxaPay,
    Need::Optional,
    Fallback::Unset("off: no payment feed"),
    "OxaPay merchant API key: turns the payment feed on",
);
pub const PAYMENT_POLL_SECS: Setting = number(
    "PAYMENT_POLL_SECS",
    G::Payments,
    "30",
    range(5, 3_600),
    "seconds between reads of OxaPay's payment list",
);
pub const PAYMENT_BACKFILL_DAYS: Setting = number(
    "PAYMENT_BACKFILL_DAYS",
    G::Payments,
    "30",
    range(0, 365),
    "days of past payments stored silently at the first start with a merchant key",
);
pub const PAYOUT_STUCK_MINS: Setting = number(
    "PAYOUT_STUCK_MINS",
    G::Payments,
    "60",
    range(5, 10_080),
    "minutes a payout may stay unfinished before it is told as stuck",
);
pub const DATABASE_URL: Setting = optional(
    "DATABASE_URL",
    G::Database,
    Fallback::Value("sqlite://oxapay-bot.db"),
    "SQLite database, created if missing",
);
pub const ALERT_INTERVAL_SECS: Setting = number(
    "ALERT_INTERVAL_SECS",
    G::Alerts,
    "300",
    range(1, 86_400),
    "seconds between balance checks for alerts",
);
pub const ALERT_REPEAT_SECS: Setting = number(
    "ALERT_REPEAT_SECS",
    G::Alerts,
    "0",
    range(0, 2_592_000),
    "repeat a low alert this often while it stays low; 0 = never",
);
pub const ALERT_FAILURES_BEFORE_NOTICE: Setting = number(
    "ALERT_FAILURES_BEFORE_NOTICE",
    G::Alerts,
    "3",
    range(1, 1_000),
    "failed checks in a row before the admins hear OxaPay is unreachable",
);
pub const BALANCE_CACHE_SECS: Setting = number(
    "BALANCE_CACHE_SECS",
    G::Caches,
    "5",
    range(0, 3_600),
    "seconds one balance read serves /balance and the checker; 0 = off",
);
pub const PRICE_CACHE_SECS: Setting = number(
    "PRICE_CACHE_SECS",
    G::Caches,
    "60",
    range(0, 3_600),
    "seconds one USD price list is reused; 0 = off",
);
pub const HISTORY_INTERVAL_SECS: Setting = number(
    "HISTORY_INTERVAL_SECS",
    G::History,
    "900",
    range(1, 86_400),
    "at most one balance-history snapshot per this many seconds",
);
// Under 90 days the hourly tier would be cut short; a year and a bit is the default.
pub const HISTORY_RETENTION_DAYS: Setting = number(
    "HISTORY_RETENTION_DAYS",
    G::History,
    "400",
    range(90, 3_650),
    "days of balance history kept",
);
pub const TELEGRAM_WEBHOOK_URL: Setting = optional(
    "TELEGRAM_WEBHOOK_URL",
    G::Webhook,
    Fallback::Unset("off: long polling"),
    "the public https:// URL Telegram sends updates to; turns webhook mode on",
);
pub const WEBHOOK_LISTEN: Setting = optional(
    "WEBHOOK_LISTEN",
    G::Webhook,
    Fallback::Value("0.0.0.0:8443"),
    "where the webhook listens, behind your HTTPS proxy",
);
pub const TELEGRAM_WEBHOOK_SECRET: Setting = secret(
    "TELEGRAM_WEBHOOK_SECRET",
    G::Webhook,
    Need::Optional,
    Fallback::Unset("a new one at each start"),
    "the secret Telegram sends with each update, 16-256 of A-Z a-z 0-9 _ -",
);
pub const METRICS_LISTEN: Setting = optional(
    "METRICS_LISTEN",
    G::Metrics,
    Fallback::Unset("off"),
    "serve /metrics and /healthz here, e.g. 127.0.0.1:9090",
);
pub const OXAPAY_CALLBACK_LISTEN: Setting = optional(
    "OXAPAY_CALLBACK_LISTEN",
    G::Callbacks,
    Fallback::Unset("off"),
    "receive OxaPay's signed callbacks here, e.g. 0.0.0.0:8080 (its own port)",
);
pub const RUST_LOG: Setting = optional(
    "RUST_LOG",
    G::Logging,
    Fallback::Value("info"),
    "log filter, e.g. debug or oxapay_bot=debug,info",
);

/// Every setting, grouped by concern, in the order `--help` and `.env` list them.
pub const SETTINGS: &[Setting] = &[
    TELOXIDE_TOKEN,
    ADMIN_IDS,
    TELEGRAM_API_URL,
    OXAPAY_GENERAL_API_KEY,
    OXAPAY_PAYOUT_API_KEY,
    OXAPAY_API_URL,
    OXAPAY_TIMEOUT_SECS,
    OXAPAY_MERCHANT_API_KEY,
    PAYMENT_POLL_SECS,
    PAYMENT_BACKFILL_DAYS,
    PAYOUT_STUCK_MINS,
    DATABASE_URL,
    ALERT_INTERVAL_SECS,
    ALERT_REPEAT_SECS,
    ALERT_FAILURES_BEFORE_NOTICE,
    BALANCE_CACHE_SECS,
    PRICE_CACHE_SECS,
    HISTORY_INTERVAL_SECS,
    HISTORY_RETENTION_DAYS,
    TELEGRAM_WEBHOOK_URL,
    WEBHOOK_LISTEN,
    TELEGRAM_WEBHOOK_SECRET,
    METRICS_LISTEN,
    OXAPAY_CALLBACK_LISTEN,
    RUST_LOG,
];

/// The variables whose values are secrets.
pub fn secret_names() -> impl Iterator<Item = &'static str> {
    SETTINGS.iter().filter(|s| s.secret).map(|s| s.name)
}

/// The setting called `name`, if there is one.
pub fn find(name: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.name == name)
}

/// What `--help` says after the commands: every variable by concern, with its range and default.
pub fn environment_help() -> String {
    let mut text = String::from(
        "Configuration comes from the environment, or from a .env file in the working directory \
         (the environment wins); `oxapay-bot init` asks for the required ones, checks them and \
         writes .env. See README.md for each variable's meaning.\n",
    );
    let mut group = None;
    for s in SETTINGS {
        if group != Some(s.group) {
            group = Some(s.group);
            text.push_str(&format!("\n{}:\n", s.group.title()));
        }
        text.push_str(&format!("  {:<31}{}\n", s.name, help_line(s)));
    }
    text.push_str(
        "\nExit codes: 0 done; 1 a failure (start-up, a failed check, an unhealthy bot); 2 a \
         usage or configuration error.",
    );
    text
}

/// A setting's line: whether it is required, its help, its range and its default.
pub fn help_line(s: &Setting) -> String {
    let mut line = match s.need {
        Need::Required => format!("required: {}", s.help),
        Need::OneOfTheKeys => format!("one of the two keys: {}", s.help),
        Need::Optional => s.help.to_owned(),
    };
    if let Some(Range { min, max }) = s.range {
        line.push_str(&format!(" ({min}-{max})"));
    }
    if let Some(words) = s.default_words() {
        line.push_str(&format!(" [default: {words}]"));
    }
    line
}

/// A `.env` file: a header, then every setting by concern with its help line; those `value`
/// gives are set, every other one is left commented out with its default.
pub fn env_file(value: impl Fn(&Setting) -> Option<String>) -> String {
    let mut text = String::from(
        "# oxapay-bot configuration, written by `oxapay-bot init`. Keep it private (mode 0600).\n\
         # Lines starting with # are defaults: remove the # and change the value to override one.\n\
         # The process environment wins over this file. README.md explains each variable.\n",
    );
    let mut group = None;
    for s in SETTINGS {
        if group != Some(s.group) {
            group = Some(s.group);
            text.push_str(&format!("\n# {}\n", s.group.title()));
        }
        text.push_str(&format!("# {}: {}\n", s.name, help_line(s)));
        match value(s) {
            Some(v) => text.push_str(&format!("{}={}\n", s.name, env_value(&v))),
            None => text.push_str(&format!(
                "# {}={}\n",
                s.name,
                s.default_value().unwrap_or("")
            )),
        }
    }
    text
}

/// A value as `.env` reads it back unchanged: bare when it is plain, else quoted (single quotes
/// take everything literally; double quotes, with `\`, `"` and `$` escaped, for a value holding
/// a single quote).
pub fn env_value(v: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-.:/,@+".contains(c);
    if !v.is_empty() && v.chars().all(plain) {
        v.to_owned()
    } else if !v.contains('\'') && !v.contains('\n') {
        format!("'{v}'")
    } else {
        let mut quoted = String::from("\"");
        for c in v.chars() {
            match c {
                '\\' | '"' | '$' => {
                    quoted.push('\\');
                    quoted.push(c);
                }
                '\n' => quoted.push_str("\\n"),
                _ => quoted.push(c),
            }
        }
        quoted.push('"');
        quoted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn names_are_unique_grouped_and_numbers_have_a_range_and_a_default_inside_it() {
        let names: BTreeSet<_> = SETTINGS.iter().map(|s| s.name).collect();
        assert_eq!(names.len(), SETTINGS.len(), "a name is listed twice");
        assert!(
            SETTINGS.windows(2).all(|w| w[0].group <= w[1].group),
            "the table is in group order, so each group is listed once"
        );
        for s in SETTINGS {
            assert!(s.help.len() < 100 && !s.help.contains('\n'), "{}", s.name);
            if let Some(Range { min, max }) = s.range {
                let default: u64 = s.default_value().unwrap().parse().unwrap();
                assert!(min <= default && default <= max, "{}", s.name);
            }
            if s.need != Need::Optional {
                assert_eq!(s.default, Fallback::None, "{} is required", s.name);
            }
        }
    }

    #[test]
    fn the_secrets_are_the_token_the_keys_and_the_webhook_secret() {
        let secrets: Vec<_> = secret_names().collect();
        assert_eq!(
            secrets,
            [
                "TELOXIDE_TOKEN",
                "OXAPAY_GENERAL_API_KEY",
                "OXAPAY_PAYOUT_API_KEY",
                "OXAPAY_MERCHANT_API_KEY",
                "TELEGRAM_WEBHOOK_SECRET"
            ]
        );
    }

    /// `.env.example`: one `NAME=` line per setting and no other, and the comment above it names
    /// the default and range the table has.
    #[test]
    fn env_example_lists_every_setting_with_its_default_and_range() {
        let example = include_str!("../../.env.example");
        let mut seen = BTreeSet::new();
        let mut comment = String::new();
        for line in example.lines() {
            if let Some(c) = line.strip_prefix('#') {
                comment.push_str(c);
                comment.push(' ');
                continue;
            }
            let Some((name, value)) = line.split_once('=') else {
                comment.clear();
                continue;
            };
            let s = find(name).unwrap_or_else(|| panic!(".env.example has {name}, not a setting"));
            assert_eq!(value, "", "{name} is left blank in .env.example");
            assert!(seen.insert(name), "{name} twice in .env.example");
            match s.default {
                Fallback::Value(v) => assert!(
                    comment.contains(&format!("Default {v}.")),
                    "{name}: .env.example should say `Default {v}.`: {comment}"
                ),
                Fallback::None => assert!(comment.contains("equired"), "{name}: {comment}"),
                Fallback::Unset(_) => assert!(
                    comment.to_lowercase().contains("optional"),
                    "{name}: {comment}"
                ),
            }
            if let Some(Range { min, max }) = s.range {
                assert!(
                    comment.contains(&format!("{min}-{max}")),
                    "{name}: .env.example should give the range {min}-{max}: {comment}"
                );
            }
            comment.clear();
        }
        let missing: Vec<_> = SETTINGS
            .iter()
            .filter(|s| !seen.contains(s.name))
            .map(|s| s.name)
            .collect();
        assert!(missing.is_empty(), ".env.example lacks {missing:?}");
    }

    /// README's configuration table: one row per setting and no other, with the table's default
    /// in the default column and its range in the meaning.
    #[test]
    fn the_readme_table_lists_every_setting_with_its_default_and_range() {
        let readme = include_str!("../../README.md");
        let section = readme
            .split("\n## Configuration\n")
            .nth(1)
            .and_then(|s| s.split("\n## ").next())
            .expect("README has a Configuration section");
        let mut seen = BTreeSet::new();
        for row in section.lines().filter(|l| l.starts_with("| `")) {
            let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
            assert_eq!(cells.len(), 4, "README: {row}");
            let name = cells[0].trim_matches('`');
            let s = find(name).unwrap_or_else(|| panic!("README lists {name}, not a setting"));
            assert!(seen.insert(name), "{name} twice in README");
            let (required, default, meaning) = (cells[1], cells[2], cells[3]);
            let expected = match s.need {
                Need::Required => "yes",
                Need::OneOfTheKeys => "one of the two keys",
                Need::Optional => "no",
            };
            assert_eq!(required, expected, "{name}: the required column");
            match s.default {
                Fallback::Value(v) => assert!(
                    default.starts_with(&format!("`{v}`")),
                    "{name}: README's default should be `{v}`, is {default}"
                ),
                Fallback::None => assert_eq!(default, "", "{name}"),
                Fallback::Unset(_) => assert!(
                    !default.is_empty() && !default.starts_with('`'),
                    "{name}: README should say what unset means: {default}"
                ),
            }
            if let Some(Range { min, max }) = s.range {
                assert!(
                    meaning.contains(&format!("({min}–{max})")),
                    "{name}: README should give the range ({min}–{max}): {meaning}"
                );
            }
        }
        let missing: Vec<_> = SETTINGS
            .iter()
            .filter(|s| !seen.contains(s.name))
            .map(|s| s.name)
            .collect();
        assert!(missing.is_empty(), "README's table lacks {missing:?}");
    }

    #[test]
    fn help_lists_every_setting_on_one_line_with_its_default_and_range() {
        let help = environment_help();
        for s in SETTINGS {
            let line = help
                .lines()
                .find(|l| l.trim_start().starts_with(&format!("{} ", s.name)))
                .unwrap_or_else(|| panic!("{} missing from the help", s.name));
            if let Some(v) = s.default_words() {
                assert!(line.ends_with(&format!("[default: {v}]")), "{line}");
            }
            if let Some(Range { min, max }) = s.range {
                assert!(line.contains(&format!("{min}-{max}")), "{line}");
            }
        }
    }

    #[test]
    fn an_env_file_sets_what_it_was_given_and_comments_out_the_rest() {
        let text = env_file(|s| match s.name {
            "TELOXIDE_TOKEN" => Some("1:abc".into()),
            "ADMIN_IDS" => Some("1,2".into()),
            _ => None,
        });
        let set: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .collect();
        assert_eq!(set, ["TELOXIDE_TOKEN=1:abc", "ADMIN_IDS=1,2"]);
        for s in SETTINGS {
            if s.name != "TELOXIDE_TOKEN" && s.name != "ADMIN_IDS" {
                let commented = format!("# {}={}\n", s.name, s.default_value().unwrap_or(""));
                assert!(text.contains(&commented), "{commented}");
            }
        }
    }

    #[test]
    fn env_values_read_back_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let values = [
            "123456:AAE-secret_token",
            "1,2,3",
            "https://proxy.example/oxapay",
            "K#y with $HOME and \\n",
            "it's \"quoted\" $X \\ end",
            "a'b",
            "=starts",
        ];
        let mut text = String::new();
        for (i, v) in values.iter().enumerate() {
            text.push_str(&format!("V{i}={}\n", env_value(v)));
        }
        let path = dir.path().join(".env");
        std::fs::write(&path, text).unwrap();
        let read: Vec<(String, String)> = dotenvy::from_path_iter(&path)
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for (i, v) in values.iter().enumerate() {
            assert_eq!(read[i], (format!("V{i}"), (*v).to_owned()));
        }
    }
}
