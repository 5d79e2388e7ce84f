//! Configuration from the environment (and `.env`, loaded by `main`), grouped by concern.
//!
//! [`settings`] defines every variable once (name, default, range, help, secret); one file per
//! group parses its part from those definitions. Parsing is a pure function over a lookup so
//! every rule is unit-tested without touching the process environment. Errors name the variable
//! and what it expects, and never echo a secret.

pub mod settings;

mod listen;
mod oxapay;
mod telegram;
mod timing;
mod values;
mod webhook;

use std::net::SocketAddr;

use secrecy::ExposeSecret;

pub use listen::{CALLBACK_PATH, CallbackConfig, MetricsConfig};
pub use oxapay::{OxaPayConfig, key_problem, parse_oxapay_url};
pub use telegram::{TelegramConfig, parse_admin_ids, parse_telegram_api_url, token_is_well_formed};
pub use timing::{AlertsConfig, CachesConfig, HistoryConfig, PaymentsConfig};
pub use values::ConfigError;
pub use webhook::WebhookConfig;

use settings::{DATABASE_URL, METRICS_LISTEN, RUST_LOG};
use values::{Env, err};

/// Everything the bot needs to run, one part per concern. `Debug` prints the secrets as
/// `[REDACTED]` (secrecy does that).
#[derive(Debug, Clone)]
pub struct Config {
    pub telegram: TelegramConfig,
    pub oxapay: OxaPayConfig,
    pub database_url: String,
    pub alerts: AlertsConfig,
    pub caches: CachesConfig,
    pub history: HistoryConfig,
    pub payments: PaymentsConfig,
    pub log_filter: String,
    /// Webhook mode (`TELEGRAM_WEBHOOK_URL` set); `None`: long polling, the default.
    pub webhook: Option<WebhookConfig>,
    /// `METRICS_LISTEN` set; `None`: `/metrics` and `/healthz` are not served.
    pub metrics: Option<MetricsConfig>,
    /// `OXAPAY_CALLBACK_LISTEN` set; `None`: no callback receiver.
    pub callbacks: Option<CallbackConfig>,
}

impl Config {
    /// Reads the process environment (after `.env` has been loaded into it).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Parses configuration from any name → value lookup. Empty values count as unset. An error
    /// never shows a secret, even one pasted into the wrong variable: every value of a secret
    /// variable is masked in the message.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Self::parse(&Env::new(&lookup)).map_err(|mut e| {
            let secrets = settings::secret_names()
                .filter_map(&lookup)
                .map(|v| v.trim().to_owned())
                // A very short "secret" is a typo, and masking it would mask ordinary letters.
                .filter(|v| v.chars().count() >= 6);
            e.problem = crate::telemetry::Redactor::new(secrets).redact(&e.problem);
            e
        })
    }

    /// Each group in turn; the first mistake found is the one reported.
    fn parse(env: &Env) -> Result<Self, ConfigError> {
        let (token, api_url) = telegram::connection(env)?;
        let oxapay = oxapay::parse(env)?;
        let database_url = parse_database_url(env.get_or_default(&DATABASE_URL))?;
        let admin_ids = telegram::admins(env)?;
        let alerts = timing::alerts(env)?;
        let caches = timing::caches(env)?;
        let history = timing::history(env)?;
        let payments = timing::payments(env)?;
        let log_filter = parse_log_filter(env)?;
        let webhook = webhook::parse(env)?;
        let metrics = listen::metrics(env, webhook.as_ref())?;
        let callbacks = listen::callbacks(env, webhook.as_ref(), metrics.as_ref())?;
        Ok(Config {
            telegram: TelegramConfig {
                token,
                api_url,
                admin_ids,
            },
            oxapay,
            database_url,
            alerts,
            caches,
            history,
            payments,
            log_filter,
            webhook,
            metrics,
            callbacks,
        })
    }

    /// `DATABASE_URL` alone, for tools that need nothing else (`oxapay-bot backup`).
    pub fn database_url_from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<String, ConfigError> {
        parse_database_url(Env::new(&lookup).get_or_default(&DATABASE_URL))
    }

    /// `METRICS_LISTEN` alone, for tools that need nothing else (`oxapay-bot health`).
    pub fn metrics_listen_from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<SocketAddr>, ConfigError> {
        Env::new(&lookup).listen(&METRICS_LISTEN)
    }

    /// The secrets, for the log redactor: anything printed must not contain these.
    pub fn secrets(&self) -> Vec<String> {
        [
            Some(&self.telegram.token),
            self.oxapay.general_key.as_ref(),
            self.oxapay.payout_key.as_ref(),
            self.oxapay.merchant_key.as_ref(),
            self.webhook.as_ref().map(|w| &w.secret),
        ]
        .into_iter()
        .flatten()
        .map(|s| s.expose_secret().to_owned())
        .collect()
    }

    pub fn is_admin(&self, user_id: teloxide::types::UserId) -> bool {
        self.telegram.admin_ids.contains(&user_id)
    }
}

/// OxaPay's settings at their defaults and without a key, for a tool that has no configuration
/// yet (`oxapay-bot init` checks a key with them).
pub fn oxapay_defaults() -> Result<OxaPayConfig, ConfigError> {
    oxapay::defaults()
}

fn parse_database_url(value: Option<String>) -> Result<String, ConfigError> {
    let url = value.unwrap_or_default();
    if !url.starts_with("sqlite:") {
        return Err(err(
            DATABASE_URL.name,
            "must be a SQLite URL such as sqlite://oxapay-bot.db or sqlite:///data/bot.db",
        ));
    }
    Ok(url)
}

fn parse_log_filter(env: &Env) -> Result<String, ConfigError> {
    let filter = env.get_or_default(&RUST_LOG).unwrap_or_default();
    if tracing_subscriber::EnvFilter::try_new(&filter).is_err() {
        return Err(err(
            RUST_LOG.name,
            "must be a log filter such as info, debug or oxapay_bot=debug,info",
        ));
    }
    Ok(filter)
}

#[cfg(test)]
mod tests;
