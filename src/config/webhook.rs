//! The webhook group: `TELEGRAM_WEBHOOK_URL` turns webhook mode on; where it listens and the
//! secret Telegram sends back with each update.

use std::net::SocketAddr;

use reqwest::Url;
use secrecy::SecretString;

use super::settings::{TELEGRAM_WEBHOOK_SECRET, TELEGRAM_WEBHOOK_URL, WEBHOOK_LISTEN};
use super::values::{ConfigError, Env, err, parse_listen};

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

/// Webhook mode's three variables, checked together: the URL turns the mode on; the other two
/// mean nothing without it, and setting them alone is a mistake worth stopping for (the operator
/// believes the bot listens for a webhook while it polls).
pub(super) fn parse(env: &Env) -> Result<Option<WebhookConfig>, ConfigError> {
    let Some(url) = env.get(&TELEGRAM_WEBHOOK_URL) else {
        for setting in [&WEBHOOK_LISTEN, &TELEGRAM_WEBHOOK_SECRET] {
            if env.get(setting).is_some() {
                return Err(err(
                    setting.name,
                    "is only used in webhook mode: set TELEGRAM_WEBHOOK_URL too, or remove it to \
                     poll for updates",
                ));
            }
        }
        return Ok(None);
    };
    let url = parse_url(&url)?;
    let listen = parse_listen(
        WEBHOOK_LISTEN.name,
        &env.get_or_default(&WEBHOOK_LISTEN).unwrap_or_default(),
    )?;
    let (secret, secret_generated) = match env.get(&TELEGRAM_WEBHOOK_SECRET) {
        Some(s) => (parse_secret(s)?, false),
        None => (generate_secret(&url, listen), true),
    };
    Ok(Some(WebhookConfig {
        url,
        listen,
        secret,
        secret_generated,
    }))
}

/// The public https URL: no credentials, no query, one of Telegram's ports.
fn parse_url(url: &str) -> Result<Url, ConfigError> {
    let var = TELEGRAM_WEBHOOK_URL.name;
    let url = match Url::parse(url) {
        Ok(u) if u.scheme() == "https" && u.host().is_some() => u,
        _ => {
            return Err(err(
                var,
                "must be the public https:// URL Telegram sends updates to, such as \
                 https://bot.example.com/telegram (the value is not shown, in case it is a secret)",
            ));
        }
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(err(var, "must not contain a user name or password"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(err(var, "must not have a query or fragment (?… or #…)"));
    }
    // Telegram delivers webhooks to these ports only; anything else fails at setWebhook.
    let port = url.port_or_known_default().unwrap_or(443);
    if ![443, 80, 88, 8443].contains(&port) {
        return Err(err(
            var,
            format!("uses port {port}: Telegram only sends webhooks to ports 443, 80, 88 and 8443"),
        ));
    }
    Ok(url)
}

/// Telegram's rule (1–256 characters of `A-Za-z0-9_-`), and at least 16 of them: a short secret is
/// guessable, and since every secret is masked wherever it appears in the logs, a short one would
/// mask ordinary words too.
fn parse_secret(value: String) -> Result<SecretString, ConfigError> {
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    if !(16..=256).contains(&value.len()) || !value.bytes().all(allowed) {
        return Err(err(
            TELEGRAM_WEBHOOK_SECRET.name,
            "must be 16 to 256 characters of A-Z, a-z, 0-9, _ and - (Telegram's alphabet); \
             leave it empty to have one generated at each start",
        ));
    }
    Ok(SecretString::from(value))
}

/// A fresh secret for this run, from teloxide's own generator: 32 characters of Telegram's
/// alphabet from a cryptographic RNG (about 190 bits).
fn generate_secret(url: &Url, listen: SocketAddr) -> SecretString {
    let mut options = teloxide::update_listeners::webhooks::Options::new(listen, url.clone());
    SecretString::from(options.get_or_gen_secret_token().to_owned())
}
