//! Reads from OxaPay that many callers share: one request at a time serves everyone who asks
//! while it runs (single flight), and its answer is reused for a short while (the cache).

pub mod balances;
pub mod prices;
pub mod single_flight;
