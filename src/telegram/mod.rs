//! Updates in: the dispatch tree, the gate every command and button passes (who may, how often),
//! one file per command, and the button presses.

pub mod buttons;
pub mod commands;
pub mod dispatch;
pub mod gate;
