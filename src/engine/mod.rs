//! The background work, one loop each: the alert checker, the report scheduler (with the builder
//! a report shares with `/report now`), the history recorder, and the payment and payout feeds.
//! Each reads through `sources`, decides with `rules`, words with `texts` in each chat's
//! language, and writes its state with the messages it owes to the outbox in one transaction;
//! the delivery worker sends them.

pub mod alert_checker;
pub mod feed;
pub mod history_recorder;
pub mod languages;
pub mod payment_watcher;
pub mod payout_watcher;
pub mod report_builder;
pub mod report_scheduler;
