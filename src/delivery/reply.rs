//! Replies to commands and button presses: sent at once on the plain bot (no queue behind
//! broadcasts), re-sent to a group's new id when it turned out to be a supergroup, and a chat
//! that refuses the bot is paused as for alerts.

use std::future::Future;

use teloxide::prelude::*;
use teloxide::types::InlineKeyboardMarkup;

use crate::delivery::chats;
use crate::delivery::send::{Failure, send_html, send_photo};
use crate::rules::domain::ChatId;
use crate::store::Store;
use crate::telemetry::Redactor;

/// What became of a reply, for the command's log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivered {
    Sent,
    Failed,
    /// There was nothing to send.
    Nothing,
}

impl Delivered {
    pub fn as_str(self) -> &'static str {
        match self {
            Delivered::Sent => "sent",
            Delivered::Failed => "failed",
            Delivered::Nothing => "none",
        }
    }
}

/// What a reply carries.
pub enum Content<'a> {
    Text {
        html: &'a str,
        keyboard: Option<InlineKeyboardMarkup>,
    },
    /// A PNG with its caption.
    Photo { png: &'a [u8], caption: &'a str },
}

/// Sends one reply to `chat_id`; `command` names it in the log.
pub async fn reply(
    bot: &Bot,
    store: &Store,
    redactor: &Redactor,
    chat_id: ChatId,
    command: &str,
    content: Content<'_>,
) -> Delivered {
    let result = match &content {
        Content::Text { html, keyboard } => {
            with_migration(store, chat_id, |chat| {
                send_html(bot, redactor, chat, html, keyboard.clone())
            })
            .await
        }
        Content::Photo { png, caption } => {
            with_migration(store, chat_id, |chat| {
                send_photo(bot, redactor, chat, png, caption)
            })
            .await
        }
    };
    match result {
        Ok(()) => Delivered::Sent,
        Err(Failure::ChatRefuses(reason)) => {
            tracing::warn!(chat_id = chat_id.0, command, error = %reason, "reply not delivered");
            if let Err(e) = chats::pause(store, chat_id, &reason).await {
                tracing::error!(chat_id = chat_id.0, error = %e, "could not pause a chat");
            }
            Delivered::Failed
        }
        Err(e) => {
            tracing::warn!(chat_id = chat_id.0, command, error = %e, "reply not delivered");
            Delivered::Failed
        }
    }
}

/// Sends with `send(chat)`; when Telegram says the group is now a supergroup, moves the chat's
/// settings and sends once more to the new id.
async fn with_migration<F, Fut>(store: &Store, chat_id: ChatId, send: F) -> Result<(), Failure>
where
    F: Fn(ChatId) -> Fut,
    Fut: Future<Output = Result<(), Failure>>,
{
    match send(chat_id).await {
        Err(Failure::Migrated(new)) => {
            chats::migrate_logged(store, chat_id, new).await;
            send(new).await
        }
        other => other,
    }
}
