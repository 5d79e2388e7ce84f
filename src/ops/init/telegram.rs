//! What `init` asks Telegram: who the bot is (`getMe`, the token's check), whether a webhook is
//! set (`getWebhookInfo`, `deleteWebhook`), and the private `/start` messages that name the
//! admins (`getUpdates`, long polling). Each call has a time limit; every failure is a sentence
//! that never holds the token (the request URLs do, so errors are described, never quoted).

use std::collections::VecDeque;
use std::time::Duration;

use reqwest::Url;
use teloxide::prelude::*;
use teloxide::requests::HasPayload;
use teloxide::types::{Update, UpdateKind};
use teloxide::{ApiError, RequestError};

use super::Failure;

/// One Bot API call other than a long poll.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one `getUpdates` waits for a message at Telegram.
const LONG_POLL_SECS: u32 = 10;
/// The pause before reading updates again after a failed read.
const RETRY_PAUSE: Duration = Duration::from_secs(2);

/// A Bot API client for one token.
pub struct Telegram {
    bot: Bot,
    /// Where the API is, for sentences (never the URL: it would hold the token).
    host: String,
    /// One above the last update read.
    offset: i32,
    starts: VecDeque<Start>,
    /// Waited before the next read, after a failed one.
    pause: Option<Duration>,
}

/// Why no `/start` came from one read.
pub enum PollError {
    /// This read failed; the next may not.
    Trouble(String),
    /// Reading cannot work.
    Failed(Failure),
}

/// A private `/start` from a person: who may become an admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Start {
    pub user_id: i64,
    /// Their name and @username as Telegram gives them (not yet made printable).
    pub name: String,
}

/// What checking a token found.
pub enum TokenCheck {
    /// The bot's @username.
    Accepted(String),
    /// Telegram refused the token: ask again, with this reason.
    Refused(String),
}

impl Telegram {
    /// A client for `token` at `api_url` (Telegram's when `None`). No redirect is followed: one
    /// would carry the token elsewhere.
    pub fn new(token: &str, api_url: Option<&Url>) -> Result<Self, Failure> {
        let http = teloxide::net::default_reqwest_settings()
            .timeout(Duration::from_secs(u64::from(LONG_POLL_SECS)) + CALL_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Failure::Failed(format!("cannot build the HTTP client: {e}")))?;
        let mut bot = Bot::with_client(token, http);
        let host = match api_url {
            Some(url) => {
                bot = bot.set_api_url(url.clone());
                match (url.host_str(), url.port()) {
                    (Some(h), Some(p)) => format!("{h}:{p}"),
                    (h, _) => h.unwrap_or("the Bot API server").to_owned(),
                }
            }
            None => "api.telegram.org".to_owned(),
        };
        Ok(Telegram {
            bot,
            host,
            offset: 0,
            starts: VecDeque::new(),
            pause: None,
        })
    }

    /// `getMe`: the bot's @username, or Telegram's reason for refusing the token.
    ///
    /// # Errors
    /// Telegram cannot be reached or answers something else than the Bot API.
    pub async fn check_token(&self) -> Result<TokenCheck, Failure> {
        match tokio::time::timeout(CALL_TIMEOUT, self.bot.get_me()).await {
            Ok(Ok(me)) => Ok(TokenCheck::Accepted(me.username().to_owned())),
            Ok(Err(RequestError::Api(ApiError::InvalidToken))) => Ok(TokenCheck::Refused(
                "Telegram refused this token (401 Unauthorized): it is mistyped or was revoked"
                    .into(),
            )),
            Ok(Err(RequestError::Api(e))) => Ok(TokenCheck::Refused(format!(
                "Telegram refused this token ({e})"
            ))),
            Ok(Err(e)) => Err(Failure::Failed(self.unreachable("getMe", &e))),
            Err(_) => Err(self.no_answer()),
        }
    }

    /// The host a webhook is set to, if one is (Telegram then refuses `getUpdates`).
    pub async fn webhook_host(&self) -> Result<Option<String>, Failure> {
        match tokio::time::timeout(CALL_TIMEOUT, self.bot.get_webhook_info()).await {
            Ok(Ok(info)) => Ok(info.url.map(|u| {
                u.host_str()
                    .unwrap_or("an address without a host")
                    .to_owned()
            })),
            Ok(Err(e)) => Err(Failure::Failed(self.unreachable("getWebhookInfo", &e))),
            Err(_) => Err(self.no_answer()),
        }
    }

    /// Deletes the webhook (updates waiting at Telegram stay for polling).
    pub async fn delete_webhook(&self) -> Result<(), Failure> {
        match tokio::time::timeout(CALL_TIMEOUT, self.bot.delete_webhook()).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(Failure::Failed(self.unreachable("deleteWebhook", &e))),
            Err(_) => Err(self.no_answer()),
        }
    }

    /// The next private `/start`, reading updates until one arrives. Updates read are confirmed
    /// to Telegram only by the next read, so the last `/start` taken stays for the bot to answer
    /// when it starts.
    ///
    /// # Errors
    /// `Trouble`: this read failed (Telegram unreachable, asks to wait): say so and call again,
    /// which waits a little first. `Failed`: another process polls with this token.
    pub async fn next_start(&mut self) -> Result<Start, PollError> {
        if let Some(pause) = self.pause.take() {
            tokio::time::sleep(pause).await;
        }
        loop {
            if let Some(start) = self.starts.pop_front() {
                return Ok(start);
            }
            let mut request = self.bot.get_updates();
            let payload = request.payload_mut();
            payload.offset = Some(self.offset);
            payload.timeout = Some(LONG_POLL_SECS);
            match request.send().await {
                Ok(updates) => {
                    if let Some(last) = updates.last() {
                        self.offset = last.id.as_offset();
                    }
                    self.starts.extend(updates.iter().filter_map(start_of));
                }
                Err(RequestError::Api(ApiError::TerminatedByOtherGetUpdates)) => {
                    return Err(PollError::Failed(Failure::Failed(
                        "another process is reading this bot's updates (409 Conflict): is the \
                         bot already running? Stop it and run init again, or give the admins \
                         with --admin-id"
                            .into(),
                    )));
                }
                Err(e) => {
                    self.pause = Some(match &e {
                        RequestError::RetryAfter(wait) => wait.duration(),
                        _ => RETRY_PAUSE,
                    });
                    return Err(PollError::Trouble(self.unreachable("getUpdates", &e)));
                }
            }
        }
    }

    fn no_answer(&self) -> Failure {
        Failure::Failed(format!(
            "no answer from {} within {} s: check the network, or --telegram-api-url",
            self.host,
            CALL_TIMEOUT.as_secs()
        ))
    }

    /// A failure that is not Telegram judging the request: described, never quoted (a network
    /// error's text holds the request URL, and so the token).
    fn unreachable(&self, method: &str, e: &RequestError) -> String {
        let host = &self.host;
        match e {
            RequestError::Network(n) if n.is_timeout() => format!(
                "no answer from {host} to {method} in time: check the network, or \
                 --telegram-api-url"
            ),
            RequestError::Network(n) if n.is_connect() => format!(
                "cannot connect to {host}: check the network, a firewall, or --telegram-api-url"
            ),
            RequestError::Network(n) if n.is_redirect() || n.status().is_some() => format!(
                "{host} answered HTTP {} instead of the Bot API: check --telegram-api-url",
                n.status()
                    .map_or("3xx".to_owned(), |s| s.as_u16().to_string())
            ),
            RequestError::Network(_) => {
                format!("the connection to {host} failed: check the network, or --telegram-api-url")
            }
            RequestError::InvalidJson { .. } => {
                format!("{host} did not answer like the Bot API: check --telegram-api-url")
            }
            RequestError::RetryAfter(wait) => format!(
                "Telegram asks to wait {} s before the next request (429 Too Many Requests)",
                wait.seconds()
            ),
            RequestError::Api(api) => format!("Telegram refused {method}: {api}"),
            RequestError::MigrateToChatId(_) | RequestError::Io(_) => {
                format!("{method} failed: {e}")
            }
        }
    }
}

/// A private `/start` (also `/start@bot` or with a payload) from a person, not a bot.
pub fn start_of(update: &Update) -> Option<Start> {
    let UpdateKind::Message(message) = &update.kind else {
        return None;
    };
    let user = message.from.as_ref()?;
    let command = message.text()?.split_whitespace().next()?;
    let is_start = command == "/start" || command.starts_with("/start@");
    if !message.chat.is_private() || user.is_bot || !is_start {
        return None;
    }
    let name = match &user.username {
        Some(username) => format!("{} (@{username})", user.full_name()),
        None => user.full_name(),
    };
    Some(Start {
        user_id: i64::try_from(user.id.0).ok()?,
        name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn update(chat: serde_json::Value, from: serde_json::Value, text: &str) -> Update {
        let update = json!({
            "update_id": 7,
            "message": {
                "message_id": 1, "date": 1_700_000_000, "chat": chat, "from": from, "text": text
            }
        });
        // As from the wire: teloxide reads an update from its text.
        serde_json::from_str(&update.to_string()).unwrap()
    }

    fn private(id: i64) -> serde_json::Value {
        json!({ "id": id, "type": "private", "first_name": "Ann" })
    }

    fn person(id: i64) -> serde_json::Value {
        json!({ "id": id, "is_bot": false, "first_name": "Ann", "last_name": "Lee", "username": "ann" })
    }

    #[test]
    fn only_a_private_start_from_a_person_counts() {
        let start = start_of(&update(private(5), person(5), "/start")).unwrap();
        assert_eq!(
            start,
            Start {
                user_id: 5,
                name: "Ann Lee (@ann)".into()
            }
        );
        for text in ["/start@oxabot", "/start hello", "  /start"] {
            assert!(
                start_of(&update(private(5), person(5), text)).is_some(),
                "{text}"
            );
        }
        for text in ["/starts", "start", "/help", "hello /start"] {
            assert!(
                start_of(&update(private(5), person(5), text)).is_none(),
                "{text}"
            );
        }
        let group = json!({ "id": -100, "type": "group", "title": "Team" });
        assert!(start_of(&update(group, person(5), "/start")).is_none());
        let bot = json!({ "id": 6, "is_bot": true, "first_name": "Bot" });
        assert!(start_of(&update(private(6), bot, "/start")).is_none());
    }
}
