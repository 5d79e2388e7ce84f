//! What the end-to-end tests (`tests/e2e`) and the benchmarks (`benches/bot`) share: a fake
//! Telegram Bot API and a fake OxaPay (real HTTP servers on loopback), Telegram's text rules as a
//! pure function, the bot in process (`TestApp`) or as the shipped binary (`BotProcess`), and its
//! log captured for assertions.
//!
//! Nothing here sleeps to let the bot catch up: every wait is on an event (a request reaching a
//! fake, a barrier reply, a progress counter, a log line, a process exit) and only its deadline
//! is a duration, which decides how long a broken test takes to fail, never whether a working
//! one passes.

pub mod app;
pub mod html;
pub mod ids;
pub mod logs;
pub mod oxapay;
pub mod process;
pub mod telegram;

pub use app::{Setup, TestApp};
pub use oxapay::history::{FakePayment, FakePayout, FakeTx, Feed, sign_callback};
pub use oxapay::{Endpoint, FakeOxaPay, OxaReply};
pub use telegram::{FakeTelegram, TgFault};

pub const TOKEN: &str = "123456789:TEST-bot-token-SECRET_abcdef";
pub const KEY: &str = "oxapay-payout-key-SECRET-0042";
/// The merchant key `Setup::payment_feed` gives the bot (the payment list's key).
pub const MERCHANT: &str = "oxapay-merchant-key-SECRET-0077";
pub const ADMIN: i64 = 1001;
pub const BOT_ID: i64 = 999;
pub const BOT_NAME: &str = "oxabot";
