//! Reads from OxaPay: balances and prices that many callers share (one request at a time serves
//! everyone who asks while it runs, and its answer is reused for a short while), and the payment
//! and payout lists the feeds read each poll.

pub mod balances;
pub mod payments;
pub mod payouts;
pub mod poll_read;
pub mod prices;
pub mod single_flight;
