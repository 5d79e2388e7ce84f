//! Configuration from the environment (and `.env`, loaded by `main`).
//!
//! Parsing is a pure function over a lookup so every rule is unit-tested without touching the
//! process environment. Errors name the variable and what it expects, and never echo a secret.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::time::Duration;

use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};
use teloxide::types::UserId;

use crate::oxapay::{BalanceApi, LegacyClient, PricesClient, V1Client};

/// Everything the bot needs to run. `Debug` prints the secrets as `[REDACTED]` (secrecy does that).
#[derive(Debug, Clone)]
pub struct Config {
    pub telegram_token: SecretString,
    pub telegram_api_url: Option<Url>,
    pub oxapay: OxaPayConfig,
    pub database_url: String,
    pub admin_ids: BTreeSet<UserId>,
    pub alert_interval: Duration,
    /// `None`: a low balance is told once and not repeated while it stays low.
    pub alert_repeat: Option<Duration>,
    pub alert_failures_before_notice: u32,
    /// Zero turns the cache off (concurrent readers still share one request).
    pub balance_cache: Duration,
    /// How long one price list is reused (`PRICE_CACHE_SECS`); zero turns the cache off.
    pub price_cache: Duration,
    /// At most one history snapshot per this interval (`HISTORY_INTERVAL_SECS`); the background
    /// loop reads balances at least this often.
    pub history_interval: Duration,
    /// Snapshots older than this many days are dropped (`HISTORY_RETENTION_DAYS`).
    pub history_retention_days: u32,
    pub log_filter: String,
    /// Webhook mode (`TELEGRAM_WEBHOOK_URL` set); `None`: long polling, the default.
    pub webhook: Option<WebhookConfig>,
    /// `METRICS_LISTEN`: where `/metrics` and `/healthz` are served; `None`: not served.
    pub metrics_listen: Option<SocketAddr>,
}

/// Webhook mode: Telegram POSTs each update to `url` (the public HTTPS address, usually a reverse
/// proxy), which forwards it to `listen`.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    pub url: Url,
    pub listen: SocketAddr,
    /// Sent to Telegram with `setWebhook`; Telegram sends it back in the
    /// `X-Telegram-Bot-Api-Secret-Token` header of every update, so the listener can tell Telegram
    /// from anyone who found the URL. `TELEGRAM_WEBHOOK_SECRET`, or generated at each start.
    pub secret: SecretString,
    /// Whether `secret` was generated (not configured).
    pub secret_generated: bool,
}

pub const DEFAULT_WEBHOOK_LISTEN: &str = "0.0.0.0:8443";

/// Where and how the bot talks to OxaPay. At least one key is present (`Config::from_lookup`
/// refuses neither); with the general key the bot reads balances through the v1 API, otherwise
/// through the legacy one.
#[derive(Debug, Clone)]
pub struct OxaPayConfig {
    /// The base URL; its path is kept (a proxy prefix such as `https://proxy.example/oxapay`).
    pub api_url: Url,
    /// Total time for one read, its one retry included.
    pub timeout: Duration,
    /// `OXAPAY_GENERAL_API_KEY`, the v1 key.
    pub general_key: Option<SecretString>,
    /// `OXAPAY_PAYOUT_API_KEY`, the legacy key.
    pub payout_key: Option<SecretString>,
}

impl OxaPayConfig {
    /// The balance API the keys call for: v1 with the general key when it is set (also when both
    /// are), else legacy with the payout key. Logs which one, once, never the key.
    ///
    /// # Errors
    /// The HTTP client cannot be built, or the key cannot travel in a header.
    pub fn balance_api(&self) -> anyhow::Result<BalanceApi> {
        let api = match (&self.general_key, &self.payout_key) {
            (Some(key), _) => {
                BalanceApi::V1(V1Client::new(&self.api_url, key.clone(), self.timeout)?)
            }
            (None, Some(key)) => {
                BalanceApi::Legacy(LegacyClient::new(&self.api_url, key.clone(), self.timeout)?)
            }
            (None, None) => anyhow::bail!("{}", no_key_error()),
        };
        tracing::info!(
            api = api.describe(),
            host = self.api_url.host_str().unwrap_or_default(),
            payout_key_unused = self.general_key.is_some() && self.payout_key.is_some(),
            "OxaPay balances are read through the {}",
            api.describe()
        );
        Ok(api)
    }

    /// The USD price client (v1, no key: works whichever balance API is used).
    ///
    /// # Errors
    /// The HTTP client cannot be built.
    pub fn prices_client(&self) -> anyhow::Result<PricesClient> {
        PricesClient::new(&self.api_url, self.timeout)
    }
}

const GENERAL_KEY_VAR: &str = "OXAPAY_GENERAL_API_KEY";
const PAYOUT_KEY_VAR: &str = "OXAPAY_PAYOUT_API_KEY";

fn no_key_error() -> ConfigError {
    err(
        "OXAPAY_GENERAL_API_KEY or OXAPAY_PAYOUT_API_KEY",
        "one is required: the general API key (read through OxaPay's v1 API) or the payout API \
         key (legacy API), from the OxaPay merchant panel",
    )
}

/// A variable that is missing or malformed: one line for the operator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{var}: {problem}")]
pub struct ConfigError {
    pub var: &'static str,
    pub problem: String,
}

fn err(var: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        problem: problem.into(),
    }
}

/// Variables whose values are secrets.
const SECRET_VARS: &[&str] = &[
    "TELOXIDE_TOKEN",
    "OXAPAY_PAYOUT_API_KEY",
    "OXAPAY_GENERAL_API_KEY",
    "TELEGRAM_WEBHOOK_SECRET",
];

pub const DEFAULT_OXAPAY_API_URL: &str = "https://api.oxapay.com";
pub const DEFAULT_DATABASE_URL: &str = "sqlite://oxapay-bot.db";

impl Config {
    /// Reads the process environment (after `.env` has been loaded into it).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Parses configuration from any name → value lookup. Empty values count as unset. An error
    /// never shows a secret, even one pasted into the wrong variable: every value of a secret
    /// variable is masked in the message.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Self::parse(&lookup).map_err(|mut e| {
            let secrets = SECRET_VARS
                .iter()
                .filter_map(|var| lookup(var))
                .map(|v| v.trim().to_owned())
                // A very short "secret" is a typo, and masking it would mask ordinary letters.
                .filter(|v| v.chars().count() >= 6);
            e.problem = crate::telemetry::Redactor::new(secrets).redact(&e.problem);
            e
        })
    }

    fn parse(lookup: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| non_empty(lookup(name));

        let telegram_token = parse_token(get("TELOXIDE_TOKEN"))?;
        let telegram_api_url = get("TELEGRAM_API_URL")
            .map(|v| parse_url("TELEGRAM_API_URL", &v).map(without_trailing_slash))
            .transpose()?;
        let general_key = parse_key(GENERAL_KEY_VAR, "general", get(GENERAL_KEY_VAR))?;
        let payout_key = parse_key(PAYOUT_KEY_VAR, "payout", get(PAYOUT_KEY_VAR))?;
        if general_key.is_none() && payout_key.is_none() {
            return Err(no_key_error());
        }
        let api_url = parse_oxapay_url(get("OXAPAY_API_URL"))?;
        let timeout = Duration::from_secs(parse_secs(
            "OXAPAY_TIMEOUT_SECS",
            get("OXAPAY_TIMEOUT_SECS"),
            10,
            1..=120,
        )?);
        let database_url = parse_database_url(get("DATABASE_URL"))?;
        let admin_ids = parse_admin_ids(get("ADMIN_IDS"))?;
        let alert_interval = Duration::from_secs(parse_secs(
            "ALERT_INTERVAL_SECS",
            get("ALERT_INTERVAL_SECS"),
            300,
            1..=86_400,
        )?);
        let alert_repeat = match parse_secs(
            "ALERT_REPEAT_SECS",
            get("ALERT_REPEAT_SECS"),
            0,
            0..=2_592_000,
        )? {
            0 => None,
            secs => Some(Duration::from_secs(secs)),
        };
        let alert_failures_before_notice = parse_secs(
            "ALERT_FAILURES_BEFORE_NOTICE",
            get("ALERT_FAILURES_BEFORE_NOTICE"),
            3,
            1..=1_000,
        )? as u32;
        let balance_cache = Duration::from_secs(parse_secs(
            "BALANCE_CACHE_SECS",
            get("BALANCE_CACHE_SECS"),
            5,
            0..=3_600,
        )?);
        let price_cache = Duration::from_secs(parse_secs(
            "PRICE_CACHE_SECS",
            get("PRICE_CACHE_SECS"),
            60,
            0..=3_600,
        )?);
        let history_interval = Duration::from_secs(parse_secs(
            "HISTORY_INTERVAL_SECS",
            get("HISTORY_INTERVAL_SECS"),
            900,
            1..=86_400,
        )?);
        // Under 90 days the hourly tier would be cut short; a year and a bit is the default.
        let history_retention_days = parse_secs(
            "HISTORY_RETENTION_DAYS",
            get("HISTORY_RETENTION_DAYS"),
            400,
            90..=3_650,
        )? as u32;
        let log_filter = get("RUST_LOG").unwrap_or_else(|| "info".into());
        if tracing_subscriber::EnvFilter::try_new(&log_filter).is_err() {
            return Err(err(
                "RUST_LOG",
                "must be a log filter such as info, debug or oxapay_bot=debug,info",
            ));
        }

        let webhook = parse_webhook(
            get("TELEGRAM_WEBHOOK_URL"),
            get("WEBHOOK_LISTEN"),
            get("TELEGRAM_WEBHOOK_SECRET"),
        )?;
        let metrics_listen = parse_metrics_listen(get("METRICS_LISTEN"))?;
        if let (Some(metrics), Some(webhook)) = (metrics_listen, &webhook)
            && metrics.port() != 0
            && metrics.port() == webhook.listen.port()
        {
            return Err(err(
                "METRICS_LISTEN",
                format!(
                    "uses port {} like WEBHOOK_LISTEN: give each its own port (metrics should \
                     not be on the public webhook port)",
                    metrics.port()
                ),
            ));
        }

        Ok(Config {
            telegram_token,
            telegram_api_url,
            oxapay: OxaPayConfig {
                api_url,
                timeout,
                general_key,
                payout_key,
            },
            database_url,
            admin_ids,
            alert_interval,
            alert_repeat,
            alert_failures_before_notice,
            balance_cache,
            price_cache,
            history_interval,
            history_retention_days,
            log_filter,
            webhook,
            metrics_listen,
        })
    }

    /// `DATABASE_URL` alone, for tools that need nothing else (`oxapay-bot backup`).
    pub fn database_url_from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<String, ConfigError> {
        parse_database_url(non_empty(lookup("DATABASE_URL")))
    }

    /// `METRICS_LISTEN` alone, for tools that need nothing else (`oxapay-bot health`).
    pub fn metrics_listen_from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<SocketAddr>, ConfigError> {
        parse_metrics_listen(non_empty(lookup("METRICS_LISTEN")))
    }

    /// The secrets, for the log redactor: anything printed must not contain these.
    pub fn secrets(&self) -> Vec<String> {
        [
            Some(&self.telegram_token),
            self.oxapay.general_key.as_ref(),
            self.oxapay.payout_key.as_ref(),
            self.webhook.as_ref().map(|w| &w.secret),
        ]
        .into_iter()
        .flatten()
        .map(|s| s.expose_secret().to_owned())
        .collect()
    }

    pub fn is_admin(&self, user_id: UserId) -> bool {
        self.admin_ids.contains(&user_id)
    }
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn parse_database_url(value: Option<String>) -> Result<String, ConfigError> {
    let url = value.unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
    if !url.starts_with("sqlite:") {
        return Err(err(
            "DATABASE_URL",
            "must be a SQLite URL such as sqlite://oxapay-bot.db or sqlite:///data/bot.db",
        ));
    }
    Ok(url)
}

fn parse_metrics_listen(value: Option<String>) -> Result<Option<SocketAddr>, ConfigError> {
    value
        .map(|v| parse_listen("METRICS_LISTEN", &v))
        .transpose()
}

fn parse_token(value: Option<String>) -> Result<SecretString, ConfigError> {
    const VAR: &str = "TELOXIDE_TOKEN";
    let value = value.ok_or_else(|| err(VAR, "is required: the bot token from @BotFather"))?;
    // A token is "<bot id>:<secret>"; checking the shape catches a pasted key or a quoted value.
    let well_formed = match value.split_once(':') {
        Some((id, rest)) => {
            !id.is_empty()
                && id.bytes().all(|b| b.is_ascii_digit())
                && !rest.is_empty()
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        }
        None => false,
    };
    if well_formed {
        Ok(SecretString::from(value))
    } else {
        Err(err(
            VAR,
            "must look like 123456789:AAE… (the bot token from @BotFather)",
        ))
    }
}

/// An OxaPay key, if set: whole (logs mask it wherever it appears, so a very short "key" is a
/// mistake that would mask ordinary words) and exactly as OxaPay shows it.
fn parse_key(
    var: &'static str,
    kind: &str,
    value: Option<String>,
) -> Result<Option<SecretString>, ConfigError> {
    let Some(value) = value else {
        return Ok(None);
    };
    if value.chars().count() < 8 {
        Err(err(
            var,
            format!("is too short to be an OxaPay key: paste the whole {kind} key"),
        ))
    } else if value.chars().any(char::is_whitespace) {
        Err(err(
            var,
            "must not contain spaces: paste the key exactly as OxaPay shows it",
        ))
    } else if !value.bytes().all(|b| b.is_ascii_graphic()) {
        // The general key travels in an HTTP header; OxaPay's keys are plain ASCII anyway.
        Err(err(
            var,
            "must be plain letters, digits and dashes: paste the key exactly as OxaPay shows it",
        ))
    } else {
        Ok(Some(SecretString::from(value)))
    }
}

/// `OXAPAY_API_URL`: http(s), a host, any path prefix; no credentials (they would be sent to
/// OxaPay and printed with the URL) and no query (no OxaPay endpoint takes the base's).
fn parse_oxapay_url(value: Option<String>) -> Result<Url, ConfigError> {
    const VAR: &str = "OXAPAY_API_URL";
    let url = parse_url(VAR, value.as_deref().unwrap_or(DEFAULT_OXAPAY_API_URL))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(err(VAR, "must not contain a user name or password"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(err(
            VAR,
            "must not have a query or fragment (?… or #…): give the base URL, e.g. https://api.oxapay.com",
        ));
    }
    Ok(url)
}

/// An http(s) URL with a host. The value is not echoed: it may be a key or token pasted into the
/// wrong variable.
fn parse_url(var: &'static str, value: &str) -> Result<Url, ConfigError> {
    match Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(url),
        _ => Err(err(
            var,
            "must be an http(s) URL with a host, such as https://api.example.com (the value is \
             not shown, in case it is a secret)",
        )),
    }
}

/// teloxide appends `/bot<token>/<method>` as path segments: a base ending in `/` would give
/// `//bot…` and lose a path prefix's meaning, so the trailing slash goes.
fn without_trailing_slash(mut url: Url) -> Url {
    if url.path().len() > 1 && url.path().ends_with('/') {
        let trimmed = url.path().trim_end_matches('/').to_owned();
        url.set_path(&trimmed);
    }
    url
}

/// Webhook mode's three variables, checked together: the URL turns the mode on; the other two
/// mean nothing without it, and setting them alone is a mistake worth stopping for (the operator
/// believes the bot listens for a webhook while it polls).
fn parse_webhook(
    url: Option<String>,
    listen: Option<String>,
    secret: Option<String>,
) -> Result<Option<WebhookConfig>, ConfigError> {
    const URL_VAR: &str = "TELEGRAM_WEBHOOK_URL";
    let Some(url) = url else {
        for (var, value) in [
            ("WEBHOOK_LISTEN", &listen),
            ("TELEGRAM_WEBHOOK_SECRET", &secret),
        ] {
            if value.is_some() {
                return Err(err(
                    var,
                    "is only used in webhook mode: set TELEGRAM_WEBHOOK_URL too, or remove it to \
                     poll for updates",
                ));
            }
        }
        return Ok(None);
    };
    let url = match Url::parse(&url) {
        Ok(u) if u.scheme() == "https" && u.host().is_some() => u,
        _ => {
            return Err(err(
                URL_VAR,
                "must be the public https:// URL Telegram sends updates to, such as \
                 https://bot.example.com/telegram (the value is not shown, in case it is a secret)",
            ));
        }
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(err(URL_VAR, "must not contain a user name or password"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(err(URL_VAR, "must not have a query or fragment (?… or #…)"));
    }
    // Telegram delivers webhooks to these ports only; anything else fails at setWebhook.
    let port = url.port_or_known_default().unwrap_or(443);
    if ![443, 80, 88, 8443].contains(&port) {
        return Err(err(
            URL_VAR,
            format!("uses port {port}: Telegram only sends webhooks to ports 443, 80, 88 and 8443"),
        ));
    }
    let listen = parse_listen(
        "WEBHOOK_LISTEN",
        listen.as_deref().unwrap_or(DEFAULT_WEBHOOK_LISTEN),
    )?;
    let (secret, secret_generated) = match secret {
        Some(s) => (parse_webhook_secret(s)?, false),
        None => (generate_webhook_secret(&url, listen), true),
    };
    Ok(Some(WebhookConfig {
        url,
        listen,
        secret,
        secret_generated,
    }))
}

/// Telegram's rule (1–256 characters of `A-Za-z0-9_-`), and at least 16 of them: a short secret is
/// guessable, and since every secret is masked wherever it appears in the logs, a short one would
/// mask ordinary words too.
fn parse_webhook_secret(value: String) -> Result<SecretString, ConfigError> {
    const VAR: &str = "TELEGRAM_WEBHOOK_SECRET";
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    if !(16..=256).contains(&value.len()) || !value.bytes().all(allowed) {
        return Err(err(
            VAR,
            "must be 16 to 256 characters of A-Z, a-z, 0-9, _ and - (Telegram's alphabet); \
             leave it empty to have one generated at each start",
        ));
    }
    Ok(SecretString::from(value))
}

/// A fresh secret for this run, from teloxide's own generator: 32 characters of Telegram's
/// alphabet from a cryptographic RNG (about 190 bits).
fn generate_webhook_secret(url: &Url, listen: SocketAddr) -> SecretString {
    let mut options = teloxide::update_listeners::webhooks::Options::new(listen, url.clone());
    SecretString::from(options.get_or_gen_secret_token().to_owned())
}

/// A socket address to listen on: `IP:PORT`, such as `127.0.0.1:9090` or `[::]:8443`.
fn parse_listen(var: &'static str, value: &str) -> Result<SocketAddr, ConfigError> {
    value.parse().map_err(|_| {
        err(
            var,
            format!("must be an IP address and port such as 127.0.0.1:9090 or 0.0.0.0:8443, got {value:?}"),
        )
    })
}

fn parse_secs(
    var: &'static str,
    value: Option<String>,
    default: u64,
    range: std::ops::RangeInclusive<u64>,
) -> Result<u64, ConfigError> {
    let Some(value) = value else {
        return Ok(default);
    };
    match value.parse::<u64>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(err(
            var,
            format!(
                "must be a whole number from {} to {}, got {value:?}",
                range.start(),
                range.end()
            ),
        )),
    }
}

fn parse_admin_ids(value: Option<String>) -> Result<BTreeSet<UserId>, ConfigError> {
    const VAR: &str = "ADMIN_IDS";
    let value = value.ok_or_else(|| {
        err(
            VAR,
            "is required: comma-separated Telegram user ids of the admins, e.g. 12345,67890",
        )
    })?;
    let mut ids = BTreeSet::new();
    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.parse::<i64>() {
            Ok(id) if id > 0 => {
                ids.insert(UserId(id as u64));
            }
            _ => {
                return Err(err(
                    VAR,
                    format!("{part:?} is not a Telegram user id (a positive whole number)"),
                ));
            }
        }
    }
    if ids.is_empty() {
        return Err(err(VAR, "must list at least one Telegram user id"));
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const TOKEN: &str = "123456:AAE-secret_token";
    const KEY: &str = "PAYOUT-KEY-XYZ";
    const GENERAL: &str = "GENERAL-KEY-ABC";

    fn parse(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let mut env: HashMap<String, String> = [
            ("TELOXIDE_TOKEN", TOKEN),
            ("OXAPAY_PAYOUT_API_KEY", KEY),
            ("ADMIN_IDS", "42"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        for (k, v) in pairs {
            env.insert((*k).to_owned(), (*v).to_owned());
        }
        Config::from_lookup(|name| env.get(name).cloned())
    }

    #[test]
    fn defaults_apply() {
        let c = parse(&[]).unwrap();
        assert_eq!(c.oxapay.api_url.as_str(), "https://api.oxapay.com/");
        assert_eq!(c.oxapay.timeout, Duration::from_secs(10));
        assert!(c.oxapay.general_key.is_none());
        assert_eq!(c.oxapay.payout_key.as_ref().unwrap().expose_secret(), KEY);
        assert_eq!(c.price_cache, Duration::from_secs(60));
        assert_eq!(c.history_interval, Duration::from_secs(900));
        assert_eq!(c.history_retention_days, 400);
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.alert_interval, Duration::from_secs(300));
        assert_eq!(c.alert_repeat, None);
        assert_eq!(c.alert_failures_before_notice, 3);
        assert_eq!(c.balance_cache, Duration::from_secs(5));
        assert_eq!(c.log_filter, "info");
        assert!(c.telegram_api_url.is_none());
        assert!(c.is_admin(UserId(42)));
    }

    #[test]
    fn missing_required_values_name_the_variable() {
        for var in ["TELOXIDE_TOKEN", "ADMIN_IDS"] {
            let e = parse(&[(var, "  ")]).unwrap_err();
            assert_eq!(e.var, var);
            assert!(e.problem.contains("required"), "{e}");
        }
    }

    #[test]
    fn one_oxapay_key_is_required_and_the_general_one_wins() {
        let e = parse(&[("OXAPAY_PAYOUT_API_KEY", "  ")]).unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("OXAPAY_GENERAL_API_KEY") && text.contains("OXAPAY_PAYOUT_API_KEY"),
            "{text}"
        );
        assert!(text.contains("required"), "{text}");

        let general_only = parse(&[
            ("OXAPAY_PAYOUT_API_KEY", ""),
            ("OXAPAY_GENERAL_API_KEY", GENERAL),
        ])
        .unwrap();
        assert!(general_only.oxapay.payout_key.is_none());
        let api = general_only.oxapay.balance_api().unwrap();
        assert_eq!(api.describe(), "OxaPay v1 API (general key)");

        let both = parse(&[("OXAPAY_GENERAL_API_KEY", GENERAL)]).unwrap();
        assert_eq!(
            both.oxapay.balance_api().unwrap().describe(),
            "OxaPay v1 API (general key)"
        );
        let secrets = both.secrets();
        assert!(secrets.contains(&GENERAL.to_owned()) && secrets.contains(&KEY.to_owned()));
        assert!(secrets.contains(&TOKEN.to_owned()));

        let payout_only = parse(&[]).unwrap();
        assert_eq!(
            payout_only.oxapay.balance_api().unwrap().describe(),
            "OxaPay legacy API (payout key)"
        );
        assert_eq!(payout_only.secrets().len(), 2);
        payout_only.oxapay.prices_client().unwrap();
    }

    #[test]
    fn an_api_url_keeps_its_path_but_takes_no_credentials_or_query() {
        let c = parse(&[("OXAPAY_API_URL", "https://proxy.example/oxapay")]).unwrap();
        assert_eq!(c.oxapay.api_url.path(), "/oxapay");
        for bad in [
            "https://user:pw@proxy.example/oxapay",
            "https://proxy.example/oxapay?token=x",
            "https://proxy.example/#x",
        ] {
            let e = parse(&[("OXAPAY_API_URL", bad)]).unwrap_err();
            assert_eq!(e.var, "OXAPAY_API_URL", "{bad}");
            assert!(!e.to_string().contains("pw") && !e.to_string().contains("token="));
        }
    }

    #[test]
    fn malformed_values_are_rejected_with_what_is_expected() {
        let cases = [
            ("TELOXIDE_TOKEN", "not a token"),
            ("TELOXIDE_TOKEN", "abc:def"),
            ("OXAPAY_API_URL", "ftp://x"),
            ("OXAPAY_API_URL", "nonsense"),
            ("TELEGRAM_API_URL", "localhost:8081"),
            ("OXAPAY_TIMEOUT_SECS", "ten"),
            ("OXAPAY_TIMEOUT_SECS", "0"),
            ("OXAPAY_TIMEOUT_SECS", "-5"),
            ("ADMIN_IDS", "12,abc"),
            ("ADMIN_IDS", "-100"),
            ("ADMIN_IDS", ","),
            ("DATABASE_URL", "postgres://x"),
            ("ALERT_INTERVAL_SECS", "0"),
            ("ALERT_REPEAT_SECS", "1.5"),
            ("ALERT_FAILURES_BEFORE_NOTICE", "0"),
            ("BALANCE_CACHE_SECS", "x"),
            ("HISTORY_INTERVAL_SECS", "0"),
            ("HISTORY_INTERVAL_SECS", "86401"),
            ("HISTORY_RETENTION_DAYS", "30"),
            ("HISTORY_RETENTION_DAYS", "x"),
            ("RUST_LOG", "[[["),
            ("OXAPAY_PAYOUT_API_KEY", "k"),
            ("OXAPAY_GENERAL_API_KEY", "short"),
            ("OXAPAY_GENERAL_API_KEY", "has a space in it"),
            ("OXAPAY_GENERAL_API_KEY", "ключ-не-ascii-1234"),
            ("PRICE_CACHE_SECS", "3601"),
            ("PRICE_CACHE_SECS", "-1"),
        ];
        for (var, value) in cases {
            let e = parse(&[(var, value)]).unwrap_err();
            assert_eq!(e.var, var, "{var}={value}: {e}");
            assert!(e.to_string().starts_with(var));
        }
    }

    #[test]
    fn errors_never_echo_secrets() {
        let e = parse(&[("TELOXIDE_TOKEN", "SECRETVALUE")]).unwrap_err();
        assert!(!e.to_string().contains("SECRETVALUE"));
        let e = parse(&[("OXAPAY_PAYOUT_API_KEY", "SECRET VALUE")]).unwrap_err();
        assert!(!e.to_string().contains("SECRET"));
        let e = parse(&[("OXAPAY_GENERAL_API_KEY", "SECRET VALUE")]).unwrap_err();
        assert!(!e.to_string().contains("SECRET"));
        // A key pasted into the URL variable is not echoed either.
        let e = parse(&[("OXAPAY_API_URL", "SECRETKEY123456")]).unwrap_err();
        assert!(!e.to_string().contains("SECRETKEY"), "{e}");
    }

    #[test]
    fn values_are_parsed() {
        let c = parse(&[
            ("ADMIN_IDS", " 1, 2 ,3,"),
            ("ALERT_REPEAT_SECS", "3600"),
            ("BALANCE_CACHE_SECS", "0"),
            ("PRICE_CACHE_SECS", "3600"),
            ("TELEGRAM_API_URL", "http://127.0.0.1:8081"),
            ("DATABASE_URL", "sqlite:///data/bot.db"),
        ])
        .unwrap();
        assert_eq!(
            c.admin_ids.iter().copied().collect::<Vec<_>>(),
            vec![UserId(1), UserId(2), UserId(3)]
        );
        assert_eq!(c.alert_repeat, Some(Duration::from_secs(3600)));
        assert_eq!(c.balance_cache, Duration::ZERO);
        assert_eq!(c.price_cache, Duration::from_secs(3600));
        assert_eq!(c.database_url, "sqlite:///data/bot.db");
    }

    #[test]
    fn a_secret_pasted_into_another_variable_is_masked_in_the_error() {
        let e = parse(&[("OXAPAY_API_URL", KEY)]).unwrap_err();
        assert_eq!(e.var, "OXAPAY_API_URL");
        assert!(!e.to_string().contains(KEY), "{e}");
        let e = parse(&[("TELEGRAM_API_URL", TOKEN)]).unwrap_err();
        assert!(!e.to_string().contains("secret_token"), "{e}");
    }

    #[test]
    fn a_telegram_url_keeps_its_path_prefix_without_a_trailing_slash() {
        for (given, kept) in [
            ("https://proxy.example/tg/", "https://proxy.example/tg"),
            ("https://proxy.example/tg", "https://proxy.example/tg"),
            ("http://127.0.0.1:8081/", "http://127.0.0.1:8081/"),
        ] {
            let c = parse(&[("TELEGRAM_API_URL", given)]).unwrap();
            assert_eq!(c.telegram_api_url.unwrap().as_str(), kept);
        }
    }

    #[test]
    fn debug_output_redacts_secrets() {
        let c = parse(&[("OXAPAY_GENERAL_API_KEY", GENERAL)]).unwrap();
        let debug = format!("{c:?}");
        assert!(!debug.contains(TOKEN) && !debug.contains("secret_token"));
        assert!(!debug.contains(KEY) && !debug.contains(GENERAL));
        assert!(debug.contains("REDACTED"));
    }

    #[test]
    fn webhook_mode_is_off_by_default_and_its_settings_need_the_url() {
        let c = parse(&[]).unwrap();
        assert!(c.webhook.is_none() && c.metrics_listen.is_none());
        for var in ["WEBHOOK_LISTEN", "TELEGRAM_WEBHOOK_SECRET"] {
            let value = if var == "WEBHOOK_LISTEN" {
                "0.0.0.0:8443"
            } else {
                "0123456789abcdef"
            };
            let e = parse(&[(var, value)]).unwrap_err();
            assert_eq!(e.var, var);
            assert!(e.problem.contains("TELEGRAM_WEBHOOK_URL"), "{e}");
        }
    }

    #[test]
    fn a_webhook_takes_https_a_listen_address_and_a_secret_or_generates_one() {
        const SECRET: &str = "s3cret_Webhook-token-0123";
        let c = parse(&[
            ("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/tg/hook"),
            ("WEBHOOK_LISTEN", "127.0.0.1:8080"),
            ("TELEGRAM_WEBHOOK_SECRET", SECRET),
            ("METRICS_LISTEN", "127.0.0.1:9090"),
        ])
        .unwrap();
        let w = c.webhook.as_ref().unwrap();
        assert_eq!(w.url.as_str(), "https://bot.example.com/tg/hook");
        assert_eq!(w.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(w.secret.expose_secret(), SECRET);
        assert!(!w.secret_generated);
        assert!(c.secrets().contains(&SECRET.to_owned()), "masked in logs");
        assert!(!format!("{c:?}").contains(SECRET));
        assert_eq!(c.metrics_listen.unwrap().to_string(), "127.0.0.1:9090");

        let generated = |()| {
            let c = parse(&[("TELEGRAM_WEBHOOK_URL", "https://bot.example.com:8443/")]).unwrap();
            let w = c.webhook.clone().unwrap();
            assert_eq!(w.listen.to_string(), DEFAULT_WEBHOOK_LISTEN);
            assert!(w.secret_generated);
            let s = w.secret.expose_secret().to_owned();
            assert_eq!(s.len(), 32);
            assert!(
                s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            );
            assert!(c.secrets().contains(&s), "a generated secret is masked too");
            s
        };
        assert_ne!(generated(()), generated(()), "a new one at each start");
    }

    #[test]
    fn webhook_and_metrics_mistakes_are_one_line_each() {
        let url = ("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/hook");
        let cases: &[(&[(&str, &str)], &str)] = &[
            (
                &[("TELEGRAM_WEBHOOK_URL", "http://bot.example.com/hook")],
                "TELEGRAM_WEBHOOK_URL",
            ),
            (
                &[("TELEGRAM_WEBHOOK_URL", "bot.example.com")],
                "TELEGRAM_WEBHOOK_URL",
            ),
            (
                &[("TELEGRAM_WEBHOOK_URL", "https://u:p@bot.example.com/")],
                "TELEGRAM_WEBHOOK_URL",
            ),
            (
                &[("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/?a=1")],
                "TELEGRAM_WEBHOOK_URL",
            ),
            (
                &[("TELEGRAM_WEBHOOK_URL", "https://bot.example.com:9000/")],
                "TELEGRAM_WEBHOOK_URL",
            ),
            (&[url, ("WEBHOOK_LISTEN", "8443")], "WEBHOOK_LISTEN"),
            (
                &[url, ("WEBHOOK_LISTEN", "localhost:8443")],
                "WEBHOOK_LISTEN",
            ),
            (
                &[url, ("TELEGRAM_WEBHOOK_SECRET", "short")],
                "TELEGRAM_WEBHOOK_SECRET",
            ),
            (
                &[
                    url,
                    ("TELEGRAM_WEBHOOK_SECRET", "has spaces in this secret"),
                ],
                "TELEGRAM_WEBHOOK_SECRET",
            ),
            (
                &[url, ("TELEGRAM_WEBHOOK_SECRET", &"x".repeat(257))],
                "TELEGRAM_WEBHOOK_SECRET",
            ),
            (&[("METRICS_LISTEN", "9090")], "METRICS_LISTEN"),
            (
                &[url, ("METRICS_LISTEN", "127.0.0.1:8443")],
                "METRICS_LISTEN",
            ),
        ];
        for (pairs, var) in cases {
            let e = parse(pairs).unwrap_err();
            assert_eq!(e.var, *var, "{pairs:?}: {e}");
        }
        // A secret with a character outside Telegram's alphabet is not echoed.
        let e = parse(&[url, ("TELEGRAM_WEBHOOK_SECRET", "not/a/valid/secret/value")]).unwrap_err();
        assert!(!e.to_string().contains("not/a/valid"), "{e}");
    }
}
