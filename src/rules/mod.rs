//! Pure rules and domain types: values in, values out, the time always a parameter. Nothing here
//! waits on a network or a disk, so every rule is tested directly and exhaustively.

pub mod alerts;
pub mod buttons;
pub mod domain;
pub mod feed;
pub mod flood;
pub mod history;
pub mod oxapay_health;
pub mod payments;
pub mod payouts;
pub mod quote;
pub mod report;
pub mod schedule;
pub mod valuation;
