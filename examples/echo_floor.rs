//! The "framework floor" for `benches/bot/`: the smallest teloxide bot that does what the real
//! bot does per update (long-poll `getUpdates`, dispatch, one `sendMessage`) and nothing else. It
//! replies to every text message with the same text.
//!
//! It is built the way the real bot is (`src/app.rs`, `src/delivery.rs`): the same teloxide
//! features, `Bot::set_api_url`, the multi-threaded tokio runtime and the dispatcher. Replies go
//! the way the real bot's replies go: through the plain `Bot`, not `Throttle` (since commit
//! 9e85ea0 the bot sends only alerts and menus through `Throttle`, whose worker releases messages
//! in rounds 250 ms apart).
//!
//! `ECHO_FLOOR_THROTTLE=1` sends the replies through `Throttle` with Telegram's default `Limits`
//! (30 messages/s overall, 1/s and 20/min per chat), the path the real bot's alerts take; the
//! benchmark measures that too, spreading its messages over many distinct chats so the per-chat
//! limit does not cap the numbers.
//!
//! ```text
//! TELOXIDE_TOKEN=123:abc TELEGRAM_API_URL=http://127.0.0.1:8081 \
//!     cargo run --release --example echo_floor
//! ```

use std::time::Duration;

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
    if std::env::var("ECHO_FLOOR_THROTTLE").is_ok_and(|v| v == "1") {
        run(bot.throttle(Limits::default())).await;
    } else {
        run(bot).await;
    }
}

async fn run<R>(bot: R)
where
    R: Requester + Clone + Send + Sync + 'static,
    R::Err: std::fmt::Debug + Send,
    R::GetUpdates: Send,
    R::GetMe: Send,
    R::SendMessage: Send,
{
    let handler = Update::filter_message().endpoint(|bot: R, msg: Message| async move {
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
