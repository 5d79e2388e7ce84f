//! Sending HTML messages to Telegram and telling apart what a failure means for that chat.

use std::time::Duration;

use teloxide::adaptors::Throttle;
use teloxide::payloads::SendMessageSetters;
use teloxide::prelude::*;
use teloxide::types::ParseMode;
use teloxide::{ApiError, RequestError};

use crate::telegram::messages::{MESSAGE_LIMIT, split_html};

/// Broadcasts (alerts) go through `Throttle`, which keeps Telegram's rate limits by batching
/// sends every 250 ms. Replies to commands use the plain `Bot`: one reply per command, already
/// held to a human pace by flood control, and not worth a quarter-second of added latency.
pub type TgBot = Throttle<Bot>;

/// How often a 429 `retry_after` is waited out before the send counts as failed.
const RETRIES_AFTER_429: usize = 3;
/// A `retry_after` longer than this is not waited out inline.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    /// The chat cannot receive messages from the bot (blocked it, removed it, deleted).
    Unreachable(String),
    /// A group became a supergroup; nothing was sent, resend to the new id.
    Migrated(i64),
    /// Anything else (network, Telegram trouble, our own bug): worth trying again later.
    Failed(String),
}

/// Sends `text`, split into pieces Telegram accepts, waiting out 429 answers. Stops at the first
/// piece that fails.
pub async fn send_html<R>(bot: &R, chat_id: i64, text: &str) -> Delivery
where
    R: Requester<Err = RequestError>,
{
    for piece in split_html(text, MESSAGE_LIMIT) {
        let mut retries = 0;
        loop {
            let sent = bot
                .send_message(ChatId(chat_id), piece.clone())
                .parse_mode(ParseMode::Html)
                .await;
            match sent {
                Ok(_) => break,
                Err(RequestError::RetryAfter(wait))
                    if retries < RETRIES_AFTER_429 && wait.duration() <= MAX_RETRY_AFTER =>
                {
                    retries += 1;
                    tracing::warn!(
                        chat_id,
                        retry_after_s = wait.seconds(),
                        "Telegram asked to slow down; waiting"
                    );
                    tokio::time::sleep(wait.duration()).await;
                }
                Err(e) => return classify(e),
            }
        }
    }
    Delivery::Sent
}

fn classify(e: RequestError) -> Delivery {
    match e {
        RequestError::MigrateToChatId(new) => Delivery::Migrated(new.0),
        RequestError::Api(
            ref api @ (ApiError::BotBlocked
            | ApiError::ChatNotFound
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::BotKickedFromChannel
            | ApiError::UserDeactivated
            | ApiError::CantInitiateConversation
            | ApiError::CantTalkWithBots),
        ) => Delivery::Unreachable(api.to_string()),
        // Any other 403 also means this chat will not take our messages.
        RequestError::Api(ApiError::Unknown(ref text)) if text.starts_with("Forbidden") => {
            Delivery::Unreachable(text.clone())
        }
        other => Delivery::Failed(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The error teloxide makes of Telegram's description, as it parses an answer.
    fn api(description: &str) -> RequestError {
        let e: ApiError = serde_json::from_value(serde_json::json!(description)).unwrap();
        RequestError::Api(e)
    }

    #[test]
    fn telegram_errors_are_classified() {
        // The chat will not take the bot's messages: pause it.
        for refusal in [
            "Forbidden: bot was blocked by the user",
            "Forbidden: bot was kicked from the group chat",
            "Forbidden: bot was kicked from the supergroup chat",
            "Forbidden: bot is not a member of the channel chat",
            "Forbidden: user is deactivated",
            "Forbidden: bot can't initiate conversation with a user",
            "Forbidden: bot can't send messages to bots",
            "Bad Request: chat not found",
        ] {
            assert!(
                matches!(classify(api(refusal)), Delivery::Unreachable(_)),
                "{refusal}"
            );
        }
        // A group became a supergroup: send again to the new id.
        assert_eq!(
            classify(RequestError::MigrateToChatId(ChatId(-1_001_234))),
            Delivery::Migrated(-1_001_234)
        );
        // Telegram or the way to it had trouble: worth trying again later.
        let garbled = RequestError::InvalidJson {
            source: serde_json::from_str::<serde_json::Value>("<html>")
                .unwrap_err()
                .into(),
            raw: "<html>".into(),
        };
        assert!(matches!(classify(garbled), Delivery::Failed(_)));
    }
}
