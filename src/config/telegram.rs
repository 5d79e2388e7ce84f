//! The Telegram group: the bot token, a self-hosted Bot API server, and the admins.

use std::collections::BTreeSet;
use teloxide::types::UserId;

use reqwest::Url;
use secrecy::SecretString;

use super::settings::{ADMIN_IDS, TELEGRAM_API_URL, TELOXIDE_TOKEN};
use super::values::{ConfigError, Env, err, parse_url};

#[derive(Debug, Clone)]
pub struct TelegramConfig {
    pub token: SecretString,
    /// A self-hosted Bot API server; `None`: Telegram's.
    pub api_url: Option<Url>,
    /// The admins' Telegram user ids (at least one).
    pub admin_ids: BTreeSet<UserId>,
}

/// The token and the Bot API server.
pub(super) fn connection(env: &Env) -> Result<(SecretString, Option<Url>), ConfigError> {
    let token = parse_token(env.get(&TELOXIDE_TOKEN))?;
    let api_url = env
        .get(&TELEGRAM_API_URL)
        .map(|v| parse_telegram_api_url(&v))
        .transpose()?;
    Ok((token, api_url))
}

/// `TELEGRAM_API_URL`: an http(s) URL with a host, its path prefix kept.
pub fn parse_telegram_api_url(value: &str) -> Result<Url, ConfigError> {
    parse_url(TELEGRAM_API_URL.name, value).map(without_trailing_slash)
}

fn parse_token(value: Option<String>) -> Result<SecretString, ConfigError> {
    let var = TELOXIDE_TOKEN.name;
    let value = value.ok_or_else(|| err(var, "is required: the bot token from @BotFather"))?;
    if token_is_well_formed(&value) {
        Ok(SecretString::from(value))
    } else {
        Err(err(
            var,
            "must look like 123456789:AAE… (the bot token from @BotFather)",
        ))
    }
}

/// A token is "<bot id>:<secret>"; checking the shape catches a pasted key or a quoted value.
pub fn token_is_well_formed(value: &str) -> bool {
    match value.split_once(':') {
        Some((id, rest)) => {
            !id.is_empty()
                && id.bytes().all(|b| b.is_ascii_digit())
                && !rest.is_empty()
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        }
        None => false,
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

/// `ADMIN_IDS`: comma-separated positive ids, at least one.
pub(super) fn admins(env: &Env) -> Result<BTreeSet<UserId>, ConfigError> {
    let value = env.get(&ADMIN_IDS).ok_or_else(|| {
        err(
            ADMIN_IDS.name,
            "is required: comma-separated Telegram user ids of the admins, e.g. 12345,67890",
        )
    })?;
    parse_admin_ids(&value)
}

/// Comma-separated positive user ids, at least one.
pub fn parse_admin_ids(value: &str) -> Result<BTreeSet<UserId>, ConfigError> {
    let var = ADMIN_IDS.name;
    let mut ids = BTreeSet::new();
    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.parse::<i64>() {
            Ok(id) if id > 0 => {
                ids.insert(UserId(id as u64));
            }
            _ => {
                return Err(err(
                    var,
                    format!("{part:?} is not a Telegram user id (a positive whole number)"),
                ));
            }
        }
    }
    if ids.is_empty() {
        return Err(err(var, "must list at least one Telegram user id"));
    }
    Ok(ids)
}
