//! End-to-end tests, one binary: the real bot (`app::run`, or the shipped binary) over real HTTP
//! against a fake Telegram and a fake OxaPay started inside each test, with a real SQLite file.
//! One module per capability; the fakes live in `tests/support`, shared with the benchmarks.
//!
//! Every test also proves that Telegram would have accepted every message the bot sent: the fake
//! refuses malformed HTML, empty and over-long texts as Telegram does, and `TestApp` fails a test
//! that caused such a refusal.

#[path = "../support/mod.rs"]
mod support;

mod access;
mod alerts;
mod alerts_plus;
mod audit;
mod balance;
mod dollars;
mod fakes;
mod hardening;
mod hostile_input;
mod init;
mod languages;
mod operations;
mod oxapay_failures;
mod payments;
mod payments_client;
mod payouts;
mod reports;
mod service;
mod shutdown;
mod telegram;
