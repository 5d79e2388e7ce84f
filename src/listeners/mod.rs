//! What comes in from outside: Telegram's updates by long polling (the default) or a webhook
//! (`TELEGRAM_WEBHOOK_URL`), both feeding the same dispatcher; and OxaPay's signed callbacks
//! (`OXAPAY_CALLBACK_LISTEN`), the feeds' fast path.

pub mod callbacks;
pub mod polling;
pub mod rejections;
pub mod webhook;
