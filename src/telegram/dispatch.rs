//! The dispatcher's tree: messages (commands and the service messages of a group becoming a
//! supergroup) and button presses; every other update is ignored. Each command passes the gate,
//! runs in its own file, and gets one log line and one count.

use std::collections::BTreeSet;
use std::convert::Infallible;
use std::sync::Arc;

use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::Me;
use tokio::time::Instant;

use crate::delivery::chats;
use crate::delivery::reply::{self, Content, Delivered};
use crate::delivery::send::TgBot;
use crate::rules::domain::{ChatId, UserId};
use crate::store::Actor;
use crate::telegram::buttons;
use crate::telegram::commands::{self, Asker, Command};
use crate::telegram::gate::{Ctx, Outcome, Reply, Sender, Status, admit};
use crate::texts::{self, Lang};

/// Messages (commands and service messages) and button presses.
pub fn schema() -> UpdateHandler<Infallible> {
    dptree::entry()
        .branch(Update::filter_message().endpoint(on_message))
        .branch(Update::filter_callback_query().endpoint(buttons::on_callback))
}

async fn on_message(bot: Bot, msg: Message, me: Me, ctx: Arc<Ctx>) -> Result<(), Infallible> {
    let chat_id = msg.chat.id;
    // A group that became a supergroup: Telegram says so in both chats. Only Telegram can send
    // these service messages, so they are trusted; moving is idempotent, whichever comes first.
    if let Some(new) = msg.migrate_to_chat_id() {
        chats::migrate_logged(&ctx.store, chat_id, *new).await;
        return Ok(());
    }
    if let Some(old) = msg.migrate_from_chat_id() {
        chats::migrate_logged(&ctx.store, *old, chat_id).await;
        return Ok(());
    }
    let Some(text) = msg.text() else {
        return Ok(());
    };
    if !text.starts_with('/') {
        return Ok(());
    }
    let started = Instant::now();
    let user_id = msg.from.as_ref().map(|u| u.id);
    let command = commands::parse(text, me.username());
    // In groups, commands we do not know are usually another bot's: stay quiet.
    if command.is_none() && (!msg.chat.is_private() || addressed_elsewhere(text, me.username())) {
        return Ok(());
    }
    let name = command.as_ref().map_or("unknown", Command::name);
    let actor = actor_of(&msg);
    let sender = Sender {
        user_id,
        chat_id,
        language_code: msg.from.as_ref().and_then(|u| u.language_code.as_deref()),
    };
    let outcome = respond(&ctx, command, sender, &actor).await;
    let content = match &outcome.reply {
        Reply::Nothing => None,
        Reply::Text { html, keyboard } => Some(Content::Text {
            html,
            keyboard: keyboard.clone(),
        }),
        Reply::Photo { png, caption } => Some(Content::Photo { png, caption }),
    };
    let delivered = match content {
        Some(content) => {
            reply::reply(&bot, &ctx.store, &ctx.redactor, chat_id, name, content).await
        }
        None => Delivered::Nothing,
    };
    tracing::info!(
        chat_id = chat_id.0,
        user_id = user_id.map(|u| u.0),
        command = name,
        outcome = outcome.status.as_str(),
        reply = delivered.as_str(),
        ms = started.elapsed().as_millis() as u64,
        "command handled"
    );
    ctx.metrics
        .command(name, outcome.status.as_str(), started.elapsed());
    Ok(())
}

fn addressed_elsewhere(text: &str, my_name: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("");
    match first.split_once('@') {
        Some((_, name)) => !name.eq_ignore_ascii_case(my_name),
        None => false,
    }
}

/// Who sent a message, as the audit log names them: the user (or, for a message with no sender
/// such as a channel post, the chat).
fn actor_of(msg: &Message) -> Actor {
    match &msg.from {
        Some(user) => Actor {
            id: ChatId::from(user.id),
            name: match &user.username {
                Some(u) => format!("@{u}"),
                None => user.first_name.clone(),
            },
        },
        None => Actor::id_only(msg.chat.id),
    }
}

async fn respond(
    ctx: &Ctx,
    command: Option<Command>,
    sender: Sender<'_>,
    actor: &Actor,
) -> Outcome {
    // Anyone in a chat may switch its alerts off: a level someone else set here must never be
    // something its members cannot stop. Switching off reveals nothing.
    let switch_off = command.as_ref().is_some_and(Command::is_switch_off);
    let (is_admin, lang) = match admit(ctx, sender, switch_off).await {
        Ok(a) => (a.is_admin, a.lang),
        Err(refused) => return refused,
    };
    let Some(command) = command else {
        return Outcome::text(texts::unknown_command(lang), Status::UnknownCommand);
    };
    if command.is_admin_only() && !is_admin {
        return Outcome::text(texts::admin_only(lang), Status::AdminOnly);
    }
    let who = Asker {
        chat_id: sender.chat_id,
        user_id: sender.user_id,
        actor,
        is_admin,
        lang,
        language_code: sender.language_code,
    };
    commands::run(ctx, &command, &who).await
}

/// Registers the command menus, once per language (Telegram shows a user the one of their
/// app's language, English otherwise): everyone's, and a larger one in each admin's private
/// chat. A failure is logged: the bot works without a menu.
pub async fn register_menus(bot: &TgBot, admins: &BTreeSet<UserId>) {
    use teloxide::types::{BotCommandScope, Recipient};
    for lang in Lang::ALL {
        // English is also the menu for every language the bot does not speak.
        let code = (lang != Lang::En).then(|| lang.code().to_owned());
        let mut request = bot.set_my_commands(commands::menu(lang, false));
        request.language_code = code.clone();
        if let Err(e) = request.await {
            tracing::warn!(lang = lang.code(), error = %e, "could not register the command menu");
        }
        for admin in admins {
            let scope = BotCommandScope::Chat {
                chat_id: Recipient::Id(ChatId::from(*admin)),
            };
            let mut request = bot.set_my_commands(commands::menu(lang, true)).scope(scope);
            request.language_code = code.clone();
            if let Err(e) = request.await {
                // Usually: this admin has not started a chat with the bot yet.
                tracing::warn!(admin = admin.0, lang = lang.code(), error = %e, "could not register the admin command menu");
            }
        }
    }
}
