//! Button presses (callback queries): authorized like commands, by who pressed — never by the
//! chat the message went to — and always answered, so the client stops spinning.

use std::convert::Infallible;
use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::CallbackQuery;
use tokio::time::Instant;

use crate::now_unix;
use crate::reports::builder::chat_zone;
use crate::telegram::delivery::{Failure, edit_html};
use crate::telegram::handler::{Ctx, admit, balance_text, deliver_reply};
use crate::telegram::keyboards::{self, BalanceView, Button};
use crate::telegram::messages::{self, MESSAGE_LIMIT, plain_text, split_html};

/// How long the Mute button holds a chat's alerts.
const MUTE_BUTTON_SECS: i64 = 3_600;

/// What a press leads to: the popup on the presser's screen (if any) and a word for the log.
struct Pressed {
    popup: Option<String>,
    result: &'static str,
}

fn popup(text: String, result: &'static str) -> Pressed {
    Pressed {
        popup: Some(text),
        result,
    }
}

pub(super) async fn on_callback(
    bot: Bot,
    q: CallbackQuery,
    ctx: Arc<Ctx>,
) -> Result<(), Infallible> {
    let started = Instant::now();
    let presser = q.from.id.0 as i64;
    let chat_id = q.regular_message().map(|m| m.chat.id.0);
    let pressed = press(&bot, &ctx, &q, presser).await;
    let mut answer = bot.answer_callback_query(q.id.clone());
    if let Some(text) = &pressed.popup {
        // Popups are plain text, at most 200 characters.
        let text: String = ctx.redactor.redact(text).chars().take(200).collect();
        answer = answer.text(text);
    }
    if let Err(e) = answer.await {
        tracing::warn!(presser, error = %e, "could not answer a button press");
    }
    let button = q.data.as_deref().map(button_name).unwrap_or("none");
    tracing::info!(
        chat_id,
        user_id = presser,
        button,
        outcome = pressed.result,
        ms = started.elapsed().as_millis() as u64,
        "button handled"
    );
    ctx.metrics.button(button, pressed.result);
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

async fn press(bot: &Bot, ctx: &Ctx, q: &CallbackQuery, presser: i64) -> Pressed {
    // Parsed before anything else: a forged press reaches neither the database nor OxaPay.
    let Some(Ok(button)) = q.data.as_deref().map(Button::parse) else {
        return popup(messages::button_forged(), "forged");
    };
    let Some(message) = q.regular_message() else {
        return popup(messages::button_too_old(), "stale");
    };
    let chat_id = message.chat.id.0;
    if let Err(refused) = admit(ctx, Some(presser), chat_id, false).await {
        let text = match refused.result {
            "not_authorized" => messages::not_authorized_popup(presser),
            _ => refused.reply.map(|r| plain_text(&r)).unwrap_or_default(),
        };
        return Pressed {
            popup: (!text.is_empty()).then_some(text),
            result: refused.result,
        };
    }
    match button {
        Button::Refresh(view) => refresh(bot, ctx, chat_id, message.id, view).await,
        Button::Balance => {
            let view = BalanceView::Wallets;
            match balance_text(ctx, &view).await {
                Ok(text) => {
                    let keyboard = Some(keyboards::balance_keyboard(view));
                    let sent = deliver_reply(bot, ctx, chat_id, "balance", &text, keyboard).await;
                    Pressed {
                        popup: None,
                        result: if sent == "sent" { "ok" } else { "failed" },
                    }
                }
                Err(refused) => popup(
                    plain_text(&refused.reply.unwrap_or_default()),
                    refused.result,
                ),
            }
        }
        Button::MuteHour => {
            let now = now_unix();
            let until = now + MUTE_BUTTON_SECS;
            let muted = match chat_zone(&ctx.store, chat_id).await {
                Ok(zone) => ctx
                    .store
                    .set_mute(chat_id, until, presser, now)
                    .await
                    .map(|()| zone),
                Err(e) => Err(e),
            };
            let zone = match muted {
                Ok(zone) => zone,
                Err(e) => {
                    tracing::error!(chat_id, error = %e, "database error");
                    return popup(plain_text(&messages::storage_failed()), "storage_error");
                }
            };
            // Everyone in the chat should know the alerts are held, not only the presser.
            let told = messages::muted(until, zone);
            deliver_reply(bot, ctx, chat_id, "mute", &told, None).await;
            popup(messages::muted_popup(until, zone), "ok")
        }
    }
}

/// Re-reads the balances and edits the message in place. An unchanged read is said in the popup
/// (Telegram refuses an edit that changes nothing).
async fn refresh(
    bot: &Bot,
    ctx: &Ctx,
    chat_id: i64,
    message_id: teloxide::types::MessageId,
    view: BalanceView,
) -> Pressed {
    let text = match balance_text(ctx, &view).await {
        Ok(t) => t,
        Err(refused) => {
            return popup(
                plain_text(&refused.reply.unwrap_or_default()),
                refused.result,
            );
        }
    };
    // A message can only be edited into one message.
    if split_html(&text, MESSAGE_LIMIT).len() > 1 {
        return popup(messages::refresh_too_long(), "too_long");
    }
    let keyboard = Some(keyboards::balance_keyboard(view));
    match edit_html(bot, &ctx.redactor, chat_id, message_id, &text, keyboard).await {
        Ok(()) => popup(messages::refreshed(), "ok"),
        Err(Failure::NotModified) => popup(messages::nothing_changed(), "not_modified"),
        Err(e) => {
            tracing::warn!(chat_id, error = %e, "could not refresh a balance message");
            popup(messages::refresh_failed(), "failed")
        }
    }
}
