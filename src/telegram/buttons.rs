//! Button presses (callback queries): authorized like commands, by who pressed — never by the
//! chat the message went to — and always answered, so the client stops spinning.

use std::convert::Infallible;
use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::CallbackQuery;
use tokio::time::Instant;

use crate::clock::now_unix;
use crate::delivery::reply::{self, Content, Delivered};
use crate::delivery::send::{Failure, edit_html};
use crate::rules::buttons::{BalanceView, Button};
use crate::rules::domain::{ChatId, UserId};
use crate::telegram::commands::balance;
use crate::telegram::gate::{Ctx, Outcome, Sender, Status, admit};
use crate::texts::keyboards;
use crate::texts::{self, Lang, MESSAGE_LIMIT, plain_text, split_html};

/// How long the Mute button holds a chat's alerts.
const MUTE_BUTTON_SECS: i64 = 3_600;

/// What a press leads to: the popup on the presser's screen (if any) and how it ended.
struct Pressed {
    popup: Option<String>,
    status: Status,
}

fn popup(text: String, status: Status) -> Pressed {
    Pressed {
        popup: Some(text),
        status,
    }
}

/// A refused command's sentence as a popup (plain text).
fn refused_popup(refused: Outcome) -> Pressed {
    let text = refused.reply.text().map(plain_text).unwrap_or_default();
    Pressed {
        popup: (!text.is_empty()).then_some(text),
        status: refused.status,
    }
}

pub async fn on_callback(bot: Bot, q: CallbackQuery, ctx: Arc<Ctx>) -> Result<(), Infallible> {
    let started = Instant::now();
    let presser = q.from.id;
    let chat_id = q.regular_message().map(|m| m.chat.id.0);
    let pressed = press(&bot, &ctx, &q, presser).await;
    let mut answer = bot.answer_callback_query(q.id.clone());
    if let Some(text) = &pressed.popup {
        // Popups are plain text, at most 200 characters.
        let text: String = ctx.redactor.redact(text).chars().take(200).collect();
        answer = answer.text(text);
    }
    if let Err(e) = answer.await {
        tracing::warn!(presser = presser.0, error = %e, "could not answer a button press");
    }
    let button = q.data.as_deref().map(button_name).unwrap_or("none");
    tracing::info!(
        chat_id,
        user_id = presser.0,
        button,
        outcome = pressed.status.as_str(),
        ms = started.elapsed().as_millis() as u64,
        "button handled"
    );
    ctx.metrics.button(button, pressed.status.as_str());
    Ok(())
}

/// A fixed word per button for the log (the raw data is user input).
fn button_name(data: &str) -> &'static str {
    match Button::parse(data) {
        Ok(Button::Refresh(_)) => "refresh",
        Ok(Button::MuteHour) => "mute_1h",
        Ok(Button::Balance) => "balance",
        Err(_) => "forged",
    }
}

async fn press(bot: &Bot, ctx: &Ctx, q: &CallbackQuery, presser: UserId) -> Pressed {
    // A popup before the chat is known is in the presser's own language.
    let own = Lang::from_telegram(q.from.language_code.as_deref());
    // Parsed before anything else: a forged press reaches neither the database nor OxaPay.
    let Some(Ok(button)) = q.data.as_deref().map(Button::parse) else {
        return popup(texts::button_forged(own), Status::Forged);
    };
    let Some(message) = q.regular_message() else {
        return popup(texts::button_too_old(own), Status::Stale);
    };
    let chat_id = message.chat.id;
    let sender = Sender {
        user_id: Some(presser),
        chat_id,
        language_code: q.from.language_code.as_deref(),
    };
    let lang = match admit(ctx, sender, false).await {
        Ok(admitted) => admitted.lang,
        Err(refused) => {
            return match refused.status {
                Status::NotAuthorized => {
                    popup(texts::not_authorized_popup(own, presser), refused.status)
                }
                _ => refused_popup(refused),
            };
        }
    };
    match button {
        Button::Refresh(view) => refresh(bot, ctx, lang, (chat_id, message.id), view).await,
        Button::Balance => {
            let view = BalanceView::Wallets;
            match balance::text(ctx, lang, &view).await {
                Ok(html) => {
                    let keyboard = Some(keyboards::balance_keyboard(lang, view));
                    let content = Content::Text {
                        html: &html,
                        keyboard,
                    };
                    let sent = send_reply(bot, ctx, chat_id, "balance", content).await;
                    Pressed {
                        popup: None,
                        status: match sent {
                            Delivered::Sent => Status::Ok,
                            _ => Status::Failed,
                        },
                    }
                }
                Err(refused) => refused_popup(refused),
            }
        }
        Button::MuteHour => {
            let now = now_unix();
            let until = now + MUTE_BUTTON_SECS;
            let muted = match ctx.store.chat_zone(chat_id).await {
                Ok(zone) => ctx
                    .store
                    .set_mute(chat_id, until, ChatId::from(presser), now)
                    .await
                    .map(|()| zone),
                Err(e) => Err(e),
            };
            let zone = match muted {
                Ok(zone) => zone,
                Err(e) => {
                    tracing::error!(chat_id = chat_id.0, error = %e, "database error");
                    return popup(
                        plain_text(&texts::storage_failed(lang)),
                        Status::StorageError,
                    );
                }
            };
            // Everyone in the chat should know the alerts are held, not only the presser.
            let told = texts::muted(lang, until, zone);
            let content = Content::Text {
                html: &told,
                keyboard: None,
            };
            send_reply(bot, ctx, chat_id, "mute", content).await;
            popup(texts::muted_popup(lang, until, zone), Status::Ok)
        }
    }
}

/// Re-reads the balances and edits the message in place. An unchanged read is said in the popup
/// (Telegram refuses an edit that changes nothing).
async fn refresh(
    bot: &Bot,
    ctx: &Ctx,
    lang: Lang,
    (chat_id, message_id): (ChatId, teloxide::types::MessageId),
    view: BalanceView,
) -> Pressed {
    let text = match balance::text(ctx, lang, &view).await {
        Ok(t) => t,
        Err(refused) => return refused_popup(refused),
    };
    // A message can only be edited into one message.
    if split_html(&text, MESSAGE_LIMIT).len() > 1 {
        return popup(texts::refresh_too_long(lang), Status::TooLong);
    }
    let keyboard = Some(keyboards::balance_keyboard(lang, view));
    match edit_html(bot, &ctx.redactor, chat_id, message_id, &text, keyboard).await {
        Ok(()) => popup(texts::refreshed(lang), Status::Ok),
        Err(Failure::NotModified) => popup(texts::nothing_changed(lang), Status::NotModified),
        Err(e) => {
            tracing::warn!(chat_id = chat_id.0, error = %e, "could not refresh a balance message");
            popup(texts::refresh_failed(lang), Status::Failed)
        }
    }
}

/// A message the press sends to the chat (a new balance message, the mute's notice).
async fn send_reply(
    bot: &Bot,
    ctx: &Ctx,
    chat_id: ChatId,
    command: &str,
    content: Content<'_>,
) -> Delivered {
    reply::reply(bot, &ctx.store, &ctx.redactor, chat_id, command, content).await
}
