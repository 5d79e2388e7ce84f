//! Where updates come from: long polling (the default) or a webhook (`TELEGRAM_WEBHOOK_URL`).
//! Both feed the same dispatcher and tell [`crate::metrics`] that updates arrive.

pub mod polling;
pub mod webhook;
