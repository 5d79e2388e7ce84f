//! The "framework floor" for `benches/bot.rs`: the smallest teloxide bot that does what the real
//! bot does per update (long-poll `getUpdates`, dispatch, one throttled `sendMessage`) and nothing
//! else. It replies to every text message with the same text.
//!
//! It is built the way the real bot is (`src/app.rs`, `src/delivery.rs`): the same teloxide
//! features, `Bot::set_api_url`, the multi-threaded tokio runtime, the dispatcher, and every send
//! through `Throttle` with Telegram's default `Limits` (30 messages/s overall, 1/s and 20/min per
//! chat), because the shipped binary uses those. The benchmark therefore spreads its messages over
//! many distinct chats so the per-chat limit does not cap what is measured.
//!
//! `ECHO_FLOOR_LIMITS=raised` switches to the wide limits of `tests/common/mod.rs`
//! (`fast_tuning`); the benchmark uses it only in its "capacity" run, where the real bot runs
//! with the same raised limits.
//!
//! ```text
//! TELOXIDE_TOKEN=123:abc TELEGRAM_API_URL=http://127.0.0.1:8081 \
//!     cargo run --release --example echo_floor
//! ```

use std::time::Duration;

use teloxide::adaptors::Throttle;
use teloxide::adaptors::throttle::Limits;
use teloxide::error_handlers::LoggingErrorHandler;
use teloxide::prelude::*;
use teloxide::update_listeners::Polling;

#[tokio::main]
async fn main() {
    let token = std::env::var("TELOXIDE_TOKEN").expect("TELOXIDE_TOKEN is required");
    let mut bot = Bot::new(token);
    if let Ok(url) = std::env::var("TELEGRAM_API_URL") {
        let url = reqwest::Url::parse(&url).expect("TELEGRAM_API_URL must be a URL");
        bot = bot.set_api_url(url);
    }
    let limits = match std::env::var("ECHO_FLOOR_LIMITS").as_deref() {
        Ok("raised") => Limits {
            messages_per_sec_chat: 1_000,
            messages_per_min_chat: 60_000,
            messages_per_min_channel_or_supergroup: 60_000,
            messages_per_sec_overall: 10_000,
        },
        _ => Limits::default(),
    };
    let bot = bot.throttle(limits);

    let handler =
        Update::filter_message().endpoint(|bot: Throttle<Bot>, msg: Message| async move {
            if let Some(text) = msg.text() {
                // A failed send is dropped, as a floor should: no retries, no logging cost.
                let _ = bot.send_message(msg.chat.id, text).await;
            }
            respond(())
        });

    let listener = Polling::builder(bot.clone())
        .timeout(Duration::from_secs(1))
        .build();
    Dispatcher::builder(bot, handler)
        .default_handler(|_| async {})
        .build()
        .dispatch_with_listener(
            listener,
            LoggingErrorHandler::with_custom_text("getUpdates failed"),
        )
        .await;
}
