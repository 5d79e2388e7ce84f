//! Sending HTML texts to Telegram, and what a failure means for that chat and that message.
//!
//! Every text is masked (bot token, API keys) before it leaves, whatever produced it: an OxaPay
//! error message that echoes the key must not reach a chat.

use std::time::Duration;

use teloxide::adaptors::Throttle;
use teloxide::payloads::{EditMessageTextSetters, SendMessageSetters, SendPhotoSetters};
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, InputFile, MessageId, ParseMode};
use teloxide::{ApiError, RequestError};

use crate::telemetry::Redactor;
use crate::texts::{MESSAGE_LIMIT, plain_text, split_html};

/// Broadcasts (alerts) go through `Throttle`, which keeps Telegram's rate limits by batching
/// sends every 250 ms. Replies to commands use the plain `Bot`: one reply per command, already
/// held to a human pace by flood control, and not worth a quarter-second of added latency.
pub type TgBot = Throttle<Bot>;

/// How often a 429 `retry_after` is waited out before the send counts as failed.
const RETRIES_AFTER_429: usize = 3;
/// A `retry_after` longer than this is not waited out inline.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Why a send failed, by what the sender should do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The chat will not take the bot's messages (blocked, kicked, no right to write, gone):
    /// trying again cannot help until something changes in the chat.
    ChatRefuses(String),
    /// Telegram refuses this message itself (markup, length): sending it again cannot help, but
    /// the chat's other messages may go.
    MessageRefused(String),
    /// The group became a supergroup with this id; nothing was sent.
    Migrated(ChatId),
    /// Telegram asks to wait this long first.
    RetryAfter(Duration),
    /// An edit would not change the message (it already says this).
    NotModified,
    /// Network trouble or a Telegram server error: may pass.
    Transient(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::ChatRefuses(why) => write!(f, "the chat refuses the bot's messages: {why}"),
            Failure::MessageRefused(why) => write!(f, "Telegram refused the message: {why}"),
            Failure::Migrated(new) => write!(f, "the group is now the supergroup {new}"),
            Failure::RetryAfter(d) => write!(f, "Telegram asked to wait {} s", d.as_secs()),
            Failure::NotModified => write!(f, "the message already says this"),
            Failure::Transient(why) => write!(f, "{why}"),
        }
    }
}

/// Telegram's descriptions (lower case) that mean the chat will not take messages, beyond the
/// errors teloxide names. Seen as 400s as well as 403s.
const CHAT_REFUSALS: &[&str] = &[
    "not enough rights to send",
    "have no rights to send",
    "need administrator rights",
    "chat_write_forbidden",
    "chat_restricted",
    "bot is not a member",
    "bot was kicked",
    "chat not found",
    "group chat was deactivated",
    "peer_id_invalid",
    "user is deactivated",
];

/// What a failed send means. Pure, so the whole table is unit-tested.
pub fn classify(e: &RequestError) -> Failure {
    match e {
        RequestError::MigrateToChatId(new) => Failure::Migrated(*new),
        RequestError::RetryAfter(wait) => Failure::RetryAfter(wait.duration()),
        RequestError::Api(api) => classify_api(api),
        other => Failure::Transient(other.to_string()),
    }
}

fn classify_api(api: &ApiError) -> Failure {
    match api {
        ApiError::BotBlocked
        | ApiError::ChatNotFound
        | ApiError::UserNotFound
        | ApiError::BotKicked
        | ApiError::BotKickedFromSupergroup
        | ApiError::BotKickedFromChannel
        | ApiError::UserDeactivated
        | ApiError::CantInitiateConversation
        | ApiError::CantTalkWithBots
        | ApiError::GroupDeactivated
        | ApiError::NotEnoughRightsToPostMessages => Failure::ChatRefuses(api.to_string()),
        ApiError::MessageNotModified => Failure::NotModified,
        ApiError::CantParseEntities(_)
        | ApiError::MessageIsTooLong
        | ApiError::MessageTextIsEmpty
        | ApiError::EditedMessageIsTooLong => Failure::MessageRefused(api.to_string()),
        ApiError::Unknown(text) => {
            let lower = text.to_ascii_lowercase();
            if lower.starts_with("forbidden") || CHAT_REFUSALS.iter().any(|p| lower.contains(p)) {
                Failure::ChatRefuses(text.clone())
            } else if lower.starts_with("bad request") {
                // A 400 about this request, not the chat: the same request fails again.
                Failure::MessageRefused(text.clone())
            } else {
                Failure::Transient(text.clone())
            }
        }
        // Everything else teloxide names concerns requests this bot does not make, or the token
        // (logged by whoever sees it): not this message's fault, so worth another try.
        other => Failure::Transient(other.to_string()),
    }
}

/// Sends `text` (HTML), split into pieces Telegram accepts, after masking secrets; `keyboard` goes
/// under the last piece. A piece Telegram cannot parse is sent again as plain text, tags
/// stripped, so the reader still gets it; the formatting bug is logged. Short 429 waits are waited
/// out. Stops at the first piece that fails.
pub async fn send_html<R>(
    bot: &R,
    redactor: &Redactor,
    chat_id: ChatId,
    text: &str,
    keyboard: Option<InlineKeyboardMarkup>,
) -> Result<(), Failure>
where
    R: Requester<Err = RequestError>,
{
    let text = redactor.redact(text);
    let pieces = split_html(&text, MESSAGE_LIMIT);
    let last = pieces.len().saturating_sub(1);
    for (i, piece) in pieces.into_iter().enumerate() {
        let keyboard = if i == last { keyboard.clone() } else { None };
        html_or_plain(chat_id, &piece, |text| {
            send_one(bot, chat_id, text, keyboard.clone())
        })
        .await?;
    }
    Ok(())
}

/// Runs `attempt` with the HTML text, waiting out short 429s; when Telegram cannot parse the
/// HTML (a formatting bug of ours), logs it and runs `attempt` again with the text's plain form,
/// so the reader still gets it.
async fn html_or_plain<F, Fut>(chat_id: ChatId, html: &str, mut attempt: F) -> Result<(), Failure>
where
    F: FnMut(Text<'_>) -> Fut,
    Fut: Future<Output = Result<(), Failure>>,
{
    match with_429_waits(chat_id, || attempt(Text::Html(html))).await {
        Err(Failure::MessageRefused(why)) if why.contains("can't parse entities") => {
            log_formatting_bug(chat_id, &why);
            let plain = plain_text(html);
            with_429_waits(chat_id, || attempt(Text::Plain(&plain))).await
        }
        other => other,
    }
}

/// Replaces a message's text (HTML, masked) and keyboard, with the same plain-text fallback.
/// An edit that would not change anything is `Failure::NotModified`.
pub async fn edit_html<R>(
    bot: &R,
    redactor: &Redactor,
    chat_id: ChatId,
    message_id: MessageId,
    text: &str,
    keyboard: Option<InlineKeyboardMarkup>,
) -> Result<(), Failure>
where
    R: Requester<Err = RequestError>,
{
    let text = redactor.redact(text);
    let edit = |text: Text<'_>| {
        let mut request = bot.edit_message_text(chat_id, message_id, text.as_str());
        if let Text::Html(_) = text {
            request = request.parse_mode(ParseMode::Html);
        }
        if let Some(k) = keyboard.clone() {
            request = request.reply_markup(k);
        }
        async move { request.await.map(|_| ()).map_err(|e| classify(&e)) }
    };
    html_or_plain(chat_id, &text, edit).await
}

/// Sends a PNG with an HTML caption (masked; sent again as plain text if Telegram cannot parse it).
pub async fn send_photo<R>(
    bot: &R,
    redactor: &Redactor,
    chat_id: ChatId,
    png: &[u8],
    caption: &str,
) -> Result<(), Failure>
where
    R: Requester<Err = RequestError>,
{
    let caption = redactor.redact(caption);
    let send = |caption: Text<'_>| {
        let photo = InputFile::memory(png.to_vec()).file_name("history.png");
        let mut request = bot.send_photo(chat_id, photo).caption(caption.as_str());
        if let Text::Html(_) = caption {
            request = request.parse_mode(ParseMode::Html);
        }
        async move { request.await.map(|_| ()).map_err(|e| classify(&e)) }
    };
    html_or_plain(chat_id, &caption, send).await
}

#[derive(Clone, Copy)]
enum Text<'a> {
    Html(&'a str),
    Plain(&'a str),
}

impl<'a> Text<'a> {
    fn as_str(self) -> &'a str {
        match self {
            Text::Html(s) | Text::Plain(s) => s,
        }
    }
}

fn log_formatting_bug(chat_id: ChatId, why: &str) {
    tracing::error!(
        chat_id = chat_id.0,
        error = %why,
        "formatting bug: Telegram could not parse a message's HTML; sending it as plain text"
    );
}

/// One `sendMessage`. The request owns its text, so the future borrows nothing of `text`.
fn send_one<R>(
    bot: &R,
    chat_id: ChatId,
    text: Text<'_>,
    keyboard: Option<InlineKeyboardMarkup>,
) -> impl Future<Output = Result<(), Failure>> + use<R>
where
    R: Requester<Err = RequestError>,
{
    let mut request = bot.send_message(chat_id, text.as_str());
    if let Text::Html(_) = text {
        request = request.parse_mode(ParseMode::Html);
    }
    if let Some(k) = keyboard {
        request = request.reply_markup(k);
    }
    async move { request.await.map(|_| ()).map_err(|e| classify(&e)) }
}

/// Runs `attempt` again after each short 429, up to a few times.
async fn with_429_waits<F, Fut>(chat_id: ChatId, mut attempt: F) -> Result<(), Failure>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), Failure>>,
{
    let mut retries = 0;
    loop {
        match attempt().await {
            Err(Failure::RetryAfter(wait))
                if retries < RETRIES_AFTER_429 && wait <= MAX_RETRY_AFTER =>
            {
                retries += 1;
                tracing::warn!(
                    chat_id = chat_id.0,
                    retry_after_s = wait.as_secs(),
                    "Telegram asked to slow down; waiting"
                );
                tokio::time::sleep(wait).await;
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use teloxide::types::{ChatId, Seconds};

    fn api(text: &str) -> RequestError {
        RequestError::Api(ApiError::Unknown(text.into()))
    }

    #[test]
    fn every_kind_of_failure_is_told_apart() {
        let refuses = [
            RequestError::Api(ApiError::BotBlocked),
            RequestError::Api(ApiError::ChatNotFound),
            RequestError::Api(ApiError::BotKicked),
            RequestError::Api(ApiError::BotKickedFromSupergroup),
            RequestError::Api(ApiError::UserDeactivated),
            RequestError::Api(ApiError::CantInitiateConversation),
            RequestError::Api(ApiError::GroupDeactivated),
            api("Bad Request: not enough rights to send text messages to the chat"),
            api("Bad Request: have no rights to send a message"),
            api("Bad Request: CHAT_WRITE_FORBIDDEN"),
            api("Bad Request: CHAT_RESTRICTED"),
            api("Forbidden: bot is not a member of the supergroup chat"),
            api("Forbidden: bot was kicked from the group chat"),
            api("Forbidden: something new"),
        ];
        for e in &refuses {
            assert!(
                matches!(classify(e), Failure::ChatRefuses(_)),
                "{e:?} → {:?}",
                classify(e)
            );
        }
        let message = [
            RequestError::Api(ApiError::CantParseEntities(
                "Bad Request: can't parse entities: Unsupported start tag \"x\"".into(),
            )),
            RequestError::Api(ApiError::MessageIsTooLong),
            RequestError::Api(ApiError::MessageTextIsEmpty),
            api("Bad Request: some new complaint about this request"),
        ];
        for e in &message {
            assert!(
                matches!(classify(e), Failure::MessageRefused(_)),
                "{e:?} → {:?}",
                classify(e)
            );
        }
        assert_eq!(
            classify(&RequestError::MigrateToChatId(ChatId(-100123))),
            Failure::Migrated(ChatId(-100123))
        );
        assert_eq!(
            classify(&RequestError::RetryAfter(Seconds::from_seconds(7))),
            Failure::RetryAfter(Duration::from_secs(7))
        );
        for e in [
            api("Internal Server Error"),
            api("Bad Gateway"),
            RequestError::Api(ApiError::InvalidToken),
            RequestError::Io(Arc::new(std::io::Error::other("reset"))),
        ] {
            assert!(
                matches!(classify(&e), Failure::Transient(_)),
                "{e:?} → {:?}",
                classify(&e)
            );
        }
    }

    /// The error teloxide makes of Telegram's description, as it parses an answer.
    fn parsed(description: &str) -> RequestError {
        let e: ApiError = serde_json::from_value(serde_json::json!(description)).unwrap();
        RequestError::Api(e)
    }

    #[test]
    fn telegrams_own_descriptions_are_classified() {
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
            "Bad Request: not enough rights to send text messages to the chat",
        ] {
            assert!(
                matches!(classify(&parsed(refusal)), Failure::ChatRefuses(_)),
                "{refusal}"
            );
        }
        assert_eq!(
            classify(&parsed(
                "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"
            )),
            Failure::NotModified
        );
        // Telegram or the way to it had trouble: worth trying again later.
        let garbled = RequestError::InvalidJson {
            source: serde_json::from_str::<serde_json::Value>("<html>")
                .unwrap_err()
                .into(),
            raw: "<html>".into(),
        };
        assert!(matches!(classify(&garbled), Failure::Transient(_)));
    }
}
