//! oxapay-bot: a Telegram bot for the people who run an OxaPay merchant account — wallet
//! balances and their USD value, alerts on levels, scheduled reports and balance history, for the
//! chats its admins allow.
//!
//! The crate is layered; each layer imports only the layers below it (`docs/ARCHITECTURE.md`,
//! enforced by `tests/architecture.rs`):
//!
//! | layer | what it holds |
//! | --- | --- |
//! | [`app`], [`cli`] | wiring and the command line |
//! | [`telegram`] | updates in: the gate, one file per command or button |
//! | [`listeners`], [`ops`] | polling or webhook; `check`, `backup`, `health` |
//! | [`engine`], [`delivery`] | background loops; sending to Telegram and the outbox worker |
//! | [`texts`] | every text the bot sends |
//! | [`sources`] | balance and price reads: single flight, caches |
//! | [`metrics`] | counters for the operator, progress for tests |
//! | [`store`] | SQLite, one file per kind of record |
//! | [`rules`], [`config`] | pure rules and domain types; the settings |
//! | [`oxapay`] | the vendor's API clients |
//! | [`money`], [`telemetry`], [`clock`], [`chart`] | exact decimals, logging with masking, the clock, PNG drawing |

pub mod app;
pub mod chart;
pub mod cli;
pub mod clock;
pub mod config;
pub mod delivery;
pub mod engine;
pub mod listeners;
pub mod metrics;
pub mod money;
pub mod ops;
pub mod oxapay;
pub mod rules;
pub mod sources;
pub mod store;
pub mod telegram;
pub mod telemetry;
pub mod texts;
