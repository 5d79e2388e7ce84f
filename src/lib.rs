//! oxapay-bot: a Telegram bot showing an OxaPay merchant account's wallet balances to the people
//! its admins allow, and telling chats when a wallet runs low.
//!
//! Pure logic (parsing, formatting, alert rules, flood control) lives apart from I/O (OxaPay
//! client, SQLite store, Telegram delivery) so it is tested directly.

pub mod alerts;
pub mod app;
pub mod balance_source;
pub mod chart;
pub mod cli;
pub mod config;
pub mod domain;
pub mod listeners;
pub mod metrics;
pub mod money;
pub mod ops;
pub mod oxapay;
pub mod price_source;
pub mod progress;
pub mod reports;
/// Pure rules (values in, decisions out).
pub mod rules {
    pub mod feed;
    pub mod payments;
    pub mod payouts;
}
pub mod single_flight;
pub mod store;
pub mod telegram;
pub mod telemetry;
pub mod valuation;

/// The current time as Unix seconds, as stored in the database.
pub(crate) fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The start of an outside text for an error message: enough to recognise, never a whole page.
pub(crate) fn preview(text: &str) -> String {
    let s: String = text.chars().take(40).collect();
    if s.len() < text.len() { s + "…" } else { s }
}
