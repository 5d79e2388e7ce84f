//! The groups that are only numbers: the alert checker, the caches, the balance history and the
//! payment feed. Each default and range comes from the settings table.

use std::time::Duration;

use super::settings::{
    ALERT_FAILURES_BEFORE_NOTICE, ALERT_INTERVAL_SECS, ALERT_REPEAT_SECS, BALANCE_CACHE_SECS,
    HISTORY_INTERVAL_SECS, HISTORY_RETENTION_DAYS, PAYMENT_BACKFILL_DAYS, PAYMENT_POLL_SECS,
    PAYOUT_STUCK_MINS, PRICE_CACHE_SECS,
};
use super::values::{ConfigError, Env};

#[derive(Debug, Clone)]
pub struct AlertsConfig {
    /// Between two balance checks.
    pub interval: Duration,
    /// `None`: a low balance is told once and not repeated while it stays low.
    pub repeat: Option<Duration>,
    /// Failed checks in a row before the admins are told OxaPay is unreachable.
    pub failures_before_notice: u32,
}

#[derive(Debug, Clone)]
pub struct CachesConfig {
    /// How long one balance read is reused; zero turns the cache off (concurrent readers still
    /// share one request).
    pub balance: Duration,
    /// How long one price list is reused (`PRICE_CACHE_SECS`); zero turns the cache off.
    pub price: Duration,
}

#[derive(Debug, Clone)]
pub struct HistoryConfig {
    /// At most one history snapshot per this interval; the background loop reads balances at
    /// least this often.
    pub interval: Duration,
    /// Snapshots older than this many days are dropped.
    pub retention_days: u32,
}

/// The payment feed's timing; the feed itself runs when `OxaPayConfig::merchant_key` is set.
#[derive(Debug, Clone)]
pub struct PaymentsConfig {
    /// Between two reads of the payment (and payout) list.
    pub poll: Duration,
    /// At the first start with a merchant key, payments this many days old are stored silently.
    pub backfill_days: u32,
    /// A payout unfinished this long is told as stuck.
    pub payout_stuck: Duration,
}

pub(super) fn alerts(env: &Env) -> Result<AlertsConfig, ConfigError> {
    Ok(AlertsConfig {
        interval: env.secs(&ALERT_INTERVAL_SECS)?,
        repeat: Some(env.secs(&ALERT_REPEAT_SECS)?).filter(|d| !d.is_zero()),
        failures_before_notice: env.count(&ALERT_FAILURES_BEFORE_NOTICE)?,
    })
}

pub(super) fn caches(env: &Env) -> Result<CachesConfig, ConfigError> {
    Ok(CachesConfig {
        balance: env.secs(&BALANCE_CACHE_SECS)?,
        price: env.secs(&PRICE_CACHE_SECS)?,
    })
}

pub(super) fn history(env: &Env) -> Result<HistoryConfig, ConfigError> {
    Ok(HistoryConfig {
        interval: env.secs(&HISTORY_INTERVAL_SECS)?,
        retention_days: env.count(&HISTORY_RETENTION_DAYS)?,
    })
}

pub(super) fn payments(env: &Env) -> Result<PaymentsConfig, ConfigError> {
    Ok(PaymentsConfig {
        poll: env.secs(&PAYMENT_POLL_SECS)?,
        backfill_days: env.count(&PAYMENT_BACKFILL_DAYS)?,
        payout_stuck: Duration::from_secs(env.number(&PAYOUT_STUCK_MINS)? * 60),
    })
}
