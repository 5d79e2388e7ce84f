//! Everything that speaks Telegram: the update handler, command parsing, every text the bot
//! sends, sending itself with its failure classes, and per-chat flood control.

pub mod buttons;
pub mod commands;
pub mod delivery;
pub mod delivery_worker;
pub mod flood;
pub mod handler;
pub mod keyboards;
pub mod messages;
mod report_commands;
