//! Sending HTML messages to Telegram and telling apart what a failure means for that chat.

use teloxide::adaptors::Throttle;
use teloxide::payloads::SendMessageSetters;
use teloxide::prelude::*;
use teloxide::types::ParseMode;
use teloxide::{ApiError, RequestError};

use crate::messages::{MESSAGE_LIMIT, split_html};

/// Every message goes through `Throttle`: Telegram's rate limits are kept and its 429
/// `retry_after` answers are waited out rather than failing the send.
pub type TgBot = Throttle<Bot>;

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

/// Sends `text`, split into pieces Telegram accepts. Stops at the first piece that fails.
pub async fn send_html(bot: &TgBot, chat_id: i64, text: &str) -> Delivery {
    for piece in split_html(text, MESSAGE_LIMIT) {
        let sent = bot
            .send_message(ChatId(chat_id), piece)
            .parse_mode(ParseMode::Html)
            .await;
        if let Err(e) = sent {
            return classify(e);
        }
    }
    Delivery::Sent
}

pub fn classify(e: RequestError) -> Delivery {
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
