//! The gate every command and button press passes, and what a handler answers with.
//!
//! Who may: the user (or the chat) must be allowed, or an admin; anyone may switch something off
//! in their own chat. How often: each chat within its flood limit. A refusal is told at most once
//! a minute per chat. A paused chat that writes again resumes its alerts.
//!
//! In which language: what `/lang` set for the chat; else, in a private chat, the language of
//! the user's Telegram app (sent with every update, and stored when it changes, for what the bot
//! says later on its own); else English.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use teloxide::types::InlineKeyboardMarkup;
use tokio::sync::Notify;
use tokio::time::Instant;

use crate::metrics::Metrics;
use crate::rules::domain::{ChatId, UserId};
use crate::rules::flood::{FloodGuard, Verdict};
use crate::sources::balances::BalanceSource;
use crate::sources::payments::PaymentSource;
use crate::sources::payouts::PayoutSource;
use crate::sources::prices::PriceSource;
use crate::store::{Access, Store};
use crate::telemetry::Redactor;
use crate::texts::{self, Lang};

/// What the handlers share.
pub struct Ctx {
    pub store: Store,
    /// Masks secrets in every text sent.
    pub redactor: Redactor,
    pub source: Arc<BalanceSource>,
    pub prices: Arc<PriceSource>,
    /// The payment list, when there is a merchant key (`/tx` reads a payment the ledger lacks).
    pub payments: Option<Arc<PaymentSource>>,
    /// The payout list, when there is a payout key.
    pub payouts: Option<Arc<PayoutSource>>,
    pub admins: BTreeSet<UserId>,
    pub flood: Mutex<FloodGuard>,
    /// Wakes the report scheduler when a schedule changes.
    pub report_changed: Arc<Notify>,
    /// Wakes the delivery worker when a reply goes through the outbox (`/report now`).
    pub wake_delivery: Arc<Notify>,
    /// `HISTORY_INTERVAL_SECS`, for the "no history yet" reply.
    pub history_interval: Duration,
    /// The operator's metrics: one count per handled command.
    pub metrics: Metrics,
}

/// How a command or a press ended: a fixed word each, for the log line and the metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    BadInput,
    NotAuthorized,
    AdminOnly,
    RateLimited,
    UnknownCommand,
    UnknownCurrency,
    StorageError,
    OxaPayError,
    /// Refused on purpose (an admin cannot be denied).
    Refused,
    NoHistory,
    Failed,
    /// Button presses only: data the bot never made; a message too old to carry buttons; a
    /// refresh too long to fit one message; a refresh that changed nothing.
    Forged,
    Stale,
    TooLong,
    NotModified,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::BadInput => "bad_input",
            Status::NotAuthorized => "not_authorized",
            Status::AdminOnly => "admin_only",
            Status::RateLimited => "rate_limited",
            Status::UnknownCommand => "unknown_command",
            Status::UnknownCurrency => "unknown_currency",
            Status::StorageError => "storage_error",
            Status::OxaPayError => "oxapay_error",
            Status::Refused => "refused",
            Status::NoHistory => "no_history",
            Status::Failed => "failed",
            Status::Forged => "forged",
            Status::Stale => "stale",
            Status::TooLong => "too_long",
            Status::NotModified => "not_modified",
        }
    }
}

/// What a command sends back.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Nothing,
    Text {
        html: String,
        keyboard: Option<InlineKeyboardMarkup>,
    },
    /// A PNG with its caption.
    Photo {
        png: Vec<u8>,
        caption: String,
    },
}

impl Reply {
    /// The text a user reads: the message or the caption.
    pub fn text(&self) -> Option<&str> {
        match self {
            Reply::Nothing => None,
            Reply::Text { html, .. } => Some(html),
            Reply::Photo { caption, .. } => Some(caption),
        }
    }
}

/// The result of one command: what to reply and how it ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub reply: Reply,
    pub status: Status,
}

impl Outcome {
    /// A text reply.
    pub fn text(html: String, status: Status) -> Self {
        Self {
            reply: Reply::Text {
                html,
                keyboard: None,
            },
            status,
        }
    }

    /// A text reply with buttons under it.
    pub fn with_keyboard(html: String, keyboard: InlineKeyboardMarkup) -> Self {
        Self {
            reply: Reply::Text {
                html,
                keyboard: Some(keyboard),
            },
            status: Status::Ok,
        }
    }

    /// Nothing to say (the answer goes another way, or the chat is over its limit).
    pub fn silent(status: Status) -> Self {
        Self {
            reply: Reply::Nothing,
            status,
        }
    }

    /// The database failed: logged, and the user reads one sentence.
    pub fn storage_error(lang: Lang, e: sqlx::Error) -> Self {
        tracing::error!(error = %e, "database error");
        Self::text(texts::storage_failed(lang), Status::StorageError)
    }
}

/// Someone the bot serves, in a chat it may write to, and the language the chat reads.
pub struct Admitted {
    pub is_admin: bool,
    pub lang: Lang,
}

/// Who asks, where, and what Telegram says of them.
#[derive(Debug, Clone, Copy)]
pub struct Sender<'a> {
    pub user_id: Option<UserId>,
    pub chat_id: ChatId,
    /// The `language_code` Telegram sent with the user, if any.
    pub language_code: Option<&'a str>,
}

impl Sender<'_> {
    /// A private chat: the chat is the user's own.
    fn in_private(&self) -> bool {
        self.user_id
            .is_some_and(|u| ChatId::from(u) == self.chat_id)
    }

    /// The language code worth storing: a private chat's, and only a plausible tag (letters,
    /// digits, `-`, `_`, at most 35 characters); anything else is stored as none.
    fn code_to_store(&self) -> Option<&str> {
        self.language_code.filter(|c| {
            !c.is_empty()
                && c.len() <= 35
                && c.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
    }

    /// The chat's language: what `/lang` set; else a private chat's user's Telegram language;
    /// else English.
    pub fn lang(&self, access: Option<&Access>) -> Lang {
        let set = access.and_then(|a| a.language.set.as_deref());
        let seen = self.in_private().then_some(self.language_code).flatten();
        Lang::of_chat(set, seen)
    }
}

/// The one gate for commands and button presses alike. `switch_off` lets anyone through for a
/// command that only switches something off in this chat. A refused request gets the `Outcome`
/// to answer with, in the chat's language.
pub async fn admit(ctx: &Ctx, who: Sender<'_>, switch_off: bool) -> Result<Admitted, Outcome> {
    let Sender {
        user_id, chat_id, ..
    } = who;
    let is_admin = user_id.is_some_and(|id| ctx.admins.contains(&id));
    let access = match ctx.store.access(user_id, chat_id).await {
        Ok(a) => a,
        Err(e) => {
            tracing::error!(chat_id = chat_id.0, error = %e, "authorization lookup failed");
            let lang = who.lang(None);
            return Err(Outcome::text(
                texts::storage_failed(lang),
                Status::StorageError,
            ));
        }
    };
    let lang = who.lang(Some(&access));
    let now = Instant::now();
    if !is_admin && !access.allowed && !switch_off {
        let tell = ctx.flood.lock().expect("flood lock").refusal(chat_id, now);
        return Err(match tell {
            true => Outcome::text(
                texts::not_authorized(lang, user_id, chat_id, access.has_levels),
                Status::NotAuthorized,
            ),
            false => Outcome::silent(Status::NotAuthorized),
        });
    }
    match ctx.flood.lock().expect("flood lock").command(chat_id, now) {
        Verdict::Serve => {}
        Verdict::SlowDown => {
            return Err(Outcome::text(texts::slow_down(lang), Status::RateLimited));
        }
        Verdict::Drop => return Err(Outcome::silent(Status::RateLimited)),
    }
    // A private chat's Telegram language words what the bot says there later (alerts,
    // reports): stored when it changed, so an unchanged one costs no write.
    let code = who.code_to_store();
    if who.in_private()
        && access.language.seen.as_deref() != code
        && let Err(e) = ctx.store.note_seen_language(chat_id, code).await
    {
        tracing::error!(chat_id = chat_id.0, error = %e, "could not store the chat's language");
    }
    // A chat that had blocked the bot writes again: its alerts resume.
    if access.paused {
        match ctx.store.unpause_chat(chat_id).await {
            Ok(_) => tracing::info!(chat_id = chat_id.0, "chat wrote again; its alerts resume"),
            Err(e) => tracing::error!(chat_id = chat_id.0, error = %e, "could not resume alerts"),
        }
    }
    Ok(Admitted { is_admin, lang })
}
