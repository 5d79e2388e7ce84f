//! What the bot sends on its own or on request beyond plain text: charts of the balance history.
pub mod chart;
