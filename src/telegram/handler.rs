//! The dispatcher's handler: authorization, flood control, the commands, and one log line each.

use std::collections::BTreeSet;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, Me};
use tokio::sync::Notify;
use tokio::time::Instant;

use crate::alerts::{AlertState, Threshold};
use crate::balance_source::BalanceSource;
use crate::now_unix;
use crate::price_source::PriceSource;
use crate::reports::builder::chat_zone;
use crate::store::{Actor, Store};
use crate::telegram::commands::{
    self, AlertRequest, AlertsScope, AuditRequest, Command, MuteRequest,
};
use crate::telegram::delivery::{Failure, TgBot, send_html, send_photo};
use crate::telegram::flood::{FloodGuard, Verdict};
use crate::telegram::keyboards::{self, BalanceView};
use crate::telegram::messages::{self, PriceView};
use crate::telegram::{buttons, report_commands};
use crate::telemetry::Redactor;

/// What the handlers share.
pub struct Ctx {
    pub store: Store,
    /// Masks secrets in every text sent.
    pub redactor: Redactor,
    pub source: Arc<BalanceSource>,
    pub prices: Arc<PriceSource>,
    pub admins: BTreeSet<i64>,
    pub flood: Mutex<FloodGuard>,
    /// Wakes the report scheduler when a schedule changes.
    pub report_changed: Arc<Notify>,
    /// Wakes the delivery worker when a reply goes through the outbox (`/report now`).
    pub wake_delivery: Arc<Notify>,
    /// `HISTORY_INTERVAL_SECS`, for the "no history yet" reply.
    pub history_interval: Duration,
    /// The operator's metrics: one count per handled command.
    pub metrics: crate::metrics::Metrics,
}

/// Messages (commands and service messages) and button presses; every other update is ignored.
pub fn schema() -> UpdateHandler<Infallible> {
    dptree::entry()
        .branch(Update::filter_message().endpoint(on_message))
        .branch(Update::filter_callback_query().endpoint(buttons::on_callback))
}

/// The result of one command: what to reply (if anything) and a word for the log.
pub(super) struct Outcome {
    /// The reply's text (a photo's caption when there is a photo).
    pub reply: Option<String>,
    pub keyboard: Option<InlineKeyboardMarkup>,
    /// A PNG to send with the reply as its caption.
    pub photo: Option<Vec<u8>>,
    pub result: &'static str,
}

pub(super) fn reply(text: String, result: &'static str) -> Outcome {
    Outcome {
        reply: Some(text),
        keyboard: None,
        photo: None,
        result,
    }
}

fn silence(result: &'static str) -> Outcome {
    Outcome {
        reply: None,
        keyboard: None,
        photo: None,
        result,
    }
}

/// Someone the bot serves, in a chat it may write to.
pub(super) struct Admitted {
    pub is_admin: bool,
}

/// The one gate for commands and button presses alike: the user (or the chat) must be allowed,
/// or an admin, and the chat within its flood limit. `switch_off` lets anyone through for a
/// command that only switches something off in this chat. A refused request gets the `Outcome`
/// to answer with (at most one refusal a minute per chat). A paused chat that is served again
/// resumes its alerts.
pub(super) async fn admit(
    ctx: &Ctx,
    user_id: Option<i64>,
    chat_id: i64,
    switch_off: bool,
) -> Result<Admitted, Outcome> {
    let is_admin = user_id.is_some_and(|id| ctx.admins.contains(&id));
    let access = match ctx.store.access(user_id, chat_id).await {
        Ok(a) => a,
        Err(e) => {
            tracing::error!(chat_id, error = %e, "authorization lookup failed");
            return Err(reply(messages::storage_failed(), "storage_error"));
        }
    };
    let now = Instant::now();
    if !is_admin && !access.allowed && !switch_off {
        let tell = ctx.flood.lock().expect("flood lock").refusal(chat_id, now);
        return Err(Outcome {
            reply: tell.then(|| messages::not_authorized(user_id, chat_id, access.has_levels)),
            keyboard: None,
            photo: None,
            result: "not_authorized",
        });
    }
    match ctx.flood.lock().expect("flood lock").command(chat_id, now) {
        Verdict::Serve => {}
        Verdict::SlowDown => return Err(reply(messages::slow_down(), "rate_limited")),
        Verdict::Drop => return Err(silence("rate_limited")),
    }
    // A chat that had blocked the bot writes again: its alerts resume.
    if access.paused {
        match ctx.store.unpause_chat(chat_id).await {
            Ok(_) => tracing::info!(chat_id, "chat wrote again; its alerts resume"),
            Err(e) => tracing::error!(chat_id, error = %e, "could not resume alerts"),
        }
    }
    Ok(Admitted { is_admin })
}

async fn on_message(bot: Bot, msg: Message, me: Me, ctx: Arc<Ctx>) -> Result<(), Infallible> {
    let chat_id = msg.chat.id.0;
    // A group that became a supergroup: Telegram says so in both chats. Only Telegram can send
    // these service messages, so they are trusted; moving is idempotent, whichever comes first.
    if let Some(new) = msg.migrate_to_chat_id() {
        migrate(&ctx, chat_id, new.0).await;
        return Ok(());
    }
    if let Some(old) = msg.migrate_from_chat_id() {
        migrate(&ctx, old.0, chat_id).await;
        return Ok(());
    }
    let Some(text) = msg.text() else {
        return Ok(());
    };
    if !text.starts_with('/') {
        return Ok(());
    }
    let started = Instant::now();
    let user_id = msg.from.as_ref().map(|u| u.id.0 as i64);
    let command = commands::parse(text, me.username());
    // In groups, commands we do not know are usually another bot's: stay quiet.
    if command.is_none() && (!msg.chat.is_private() || addressed_elsewhere(text, me.username())) {
        return Ok(());
    }
    let name = command.as_ref().map_or("unknown", Command::name);
    let actor = actor_of(&msg);
    let outcome = respond(&ctx, command, user_id, &actor, chat_id).await;
    let delivered = match (&outcome.reply, &outcome.photo) {
        (Some(caption), Some(png)) => deliver_photo(&bot, &ctx, chat_id, name, png, caption).await,
        (Some(text), None) => {
            deliver_reply(&bot, &ctx, chat_id, name, text, outcome.keyboard).await
        }
        (None, _) => "none",
    };
    tracing::info!(
        chat_id,
        user_id,
        command = name,
        outcome = outcome.result,
        reply = delivered,
        ms = started.elapsed().as_millis() as u64,
        "command handled"
    );
    ctx.metrics.command(name, outcome.result, started.elapsed());
    Ok(())
}

/// Sends a command's reply. A group that turned out to be a supergroup is moved and the reply
/// sent to its new id; a chat that refuses the bot is paused like for alerts.
pub(super) async fn deliver_reply(
    bot: &Bot,
    ctx: &Ctx,
    chat_id: i64,
    command: &str,
    text: &str,
    keyboard: Option<InlineKeyboardMarkup>,
) -> &'static str {
    let mut result = send_html(bot, &ctx.redactor, chat_id, text, keyboard.clone()).await;
    if let Err(Failure::Migrated(new)) = result {
        migrate(ctx, chat_id, new).await;
        result = send_html(bot, &ctx.redactor, new, text, keyboard).await;
    }
    match result {
        Ok(()) => "sent",
        Err(Failure::ChatRefuses(reason)) => {
            tracing::warn!(chat_id, command, error = %reason, "reply not delivered");
            match ctx.store.pause_chat(chat_id, &reason, now_unix()).await {
                Ok(_) => tracing::warn!(
                    chat_id,
                    reason = %reason,
                    "chat refuses the bot's messages; its alerts are paused"
                ),
                Err(e) => tracing::error!(chat_id, error = %e, "could not pause a chat"),
            }
            "failed"
        }
        Err(e) => {
            tracing::warn!(chat_id, command, error = %e, "reply not delivered");
            "failed"
        }
    }
}

/// Sends a photo reply (a chart) with its caption, with the same handling as text replies.
async fn deliver_photo(
    bot: &Bot,
    ctx: &Ctx,
    chat_id: i64,
    command: &str,
    png: &[u8],
    caption: &str,
) -> &'static str {
    let mut result = send_photo(bot, &ctx.redactor, chat_id, png, caption).await;
    if let Err(Failure::Migrated(new)) = result {
        migrate(ctx, chat_id, new).await;
        result = send_photo(bot, &ctx.redactor, new, png, caption).await;
    }
    match result {
        Ok(()) => "sent",
        Err(e) => {
            tracing::warn!(chat_id, command, error = %e, "photo reply not delivered");
            "failed"
        }
    }
}

async fn migrate(ctx: &Ctx, old: i64, new: i64) {
    match ctx.store.migrate_chat(old, new).await {
        Ok(true) => tracing::info!(
            old_chat_id = old,
            new_chat_id = new,
            "group became a supergroup; its access, levels and owed messages moved"
        ),
        Ok(false) => tracing::debug!(
            old_chat_id = old,
            new_chat_id = new,
            "migration already done"
        ),
        Err(e) => {
            tracing::error!(old_chat_id = old, new_chat_id = new, error = %e, "could not move a migrated group's settings")
        }
    }
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
            id: user.id.0 as i64,
            name: match &user.username {
                Some(u) => format!("@{u}"),
                None => user.first_name.clone(),
            },
        },
        None => Actor::id_only(msg.chat.id.0),
    }
}

async fn respond(
    ctx: &Ctx,
    command: Option<Command>,
    user_id: Option<i64>,
    actor: &Actor,
    chat_id: i64,
) -> Outcome {
    // Anyone in a chat may switch its alerts off: a level someone else set here must never be
    // something its members cannot stop. Switching off reveals nothing.
    let switch_off = command.as_ref().is_some_and(Command::is_switch_off);
    let is_admin = match admit(ctx, user_id, chat_id, switch_off).await {
        Ok(a) => a.is_admin,
        Err(refused) => return refused,
    };
    let Some(command) = command else {
        return reply(messages::unknown_command(), "unknown_command");
    };
    if command.is_admin_only() && !is_admin {
        return reply(messages::admin_only(), "admin_only");
    }
    match command {
        Command::Start(_) | Command::Help(_) => {
            reply(messages::help(user_id, is_admin, ctx.source.api()), "ok")
        }
        Command::Balance(args) => balance(ctx, &args).await,
        Command::Alert(args) => alert(ctx, chat_id, actor, &args).await,
        Command::Alerts(args) => alerts(ctx, chat_id, is_admin, &args).await,
        Command::Mute(args) => mute(ctx, chat_id, actor.id, &args).await,
        Command::Report(args) => report_commands::report(ctx, chat_id, actor, &args).await,
        Command::History(args) => report_commands::history(ctx, chat_id, &args).await,
        Command::Allow(args) => allow(ctx, actor, chat_id, &args).await,
        Command::Deny(args) => deny(ctx, actor, chat_id, &args).await,
        Command::Audit(args) => audit(ctx, &args).await,
        Command::Users(_) => match ctx.store.allowed_chats().await {
            Ok(allowed) => {
                let admins: Vec<i64> = ctx.admins.iter().copied().collect();
                reply(messages::users(&admins, &allowed), "ok")
            }
            Err(e) => storage_error(e),
        },
    }
}

pub(super) fn storage_error(e: sqlx::Error) -> Outcome {
    tracing::error!(error = %e, "database error");
    reply(messages::storage_failed(), "storage_error")
}

async fn balance(ctx: &Ctx, args: &str) -> Outcome {
    let view = match commands::parse_balance(args) {
        Ok(view) => view,
        Err(text) => return reply(text, "bad_input"),
    };
    match balance_text(ctx, &view).await {
        Ok(text) => Outcome {
            reply: Some(text),
            keyboard: Some(keyboards::balance_keyboard(view)),
            photo: None,
            result: "ok",
        },
        Err(refused) => refused,
    }
}

/// The text of a `/balance` reply (and of its Refresh): balances and prices read at once through
/// their shared sources. A price failure only leaves the values out.
pub(super) async fn balance_text(ctx: &Ctx, view: &BalanceView) -> Result<String, Outcome> {
    let (snapshot, priced) = tokio::join!(ctx.source.read(), ctx.prices.read());
    let snapshot = match snapshot {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "balance read failed for /balance");
            return Err(reply(messages::oxapay_failed(&e), "oxapay_error"));
        }
    };
    // A price failure (logged by the price source) only leaves the values out.
    let shown = messages::shown_prices(&priced);
    let prices = PriceView::of(&shown);
    let read = &snapshot.balances;
    let at = snapshot.fetched_at;
    match view {
        BalanceView::Wallets => Ok(messages::balances(read, at, prices, false)),
        BalanceView::All => Ok(messages::balances(read, at, prices, true)),
        BalanceView::One(cur) => match (
            read.amount(cur.as_str()),
            read.amounts.contains_key(cur.as_str()),
        ) {
            (Ok(amount), true) => Ok(messages::one_balance(cur.as_str(), amount, at, prices)),
            (Err(why), _) => Err(reply(
                messages::unreadable_balance(cur.as_str(), why),
                "oxapay_error",
            )),
            (Ok(_), false) => {
                let known: Vec<&str> = read.amounts.keys().map(String::as_str).collect();
                Err(reply(
                    messages::unknown_currency(cur.as_str(), &known),
                    "unknown_currency",
                ))
            }
        },
    }
}

async fn alert(ctx: &Ctx, chat_id: i64, actor: &Actor, args: &str) -> Outcome {
    match commands::parse_alert(args) {
        Err(text) => reply(text, "bad_input"),
        Ok(AlertRequest::Set(subject, direction, level)) => {
            match ctx
                .store
                .set_threshold(chat_id, subject.key(), direction, level, actor, now_unix())
                .await
            {
                Ok(()) => reply(messages::alert_set(subject.key(), direction, level), "ok"),
                Err(e) => storage_error(e),
            }
        }
        Ok(AlertRequest::Off(subject, direction)) => match ctx
            .store
            .remove_threshold(chat_id, subject.key(), direction, actor, now_unix())
            .await
        {
            Ok(n) => reply(messages::alert_removed(subject.key(), direction, n), "ok"),
            Err(e) => storage_error(e),
        },
        Ok(AlertRequest::AllOff) => match ctx
            .store
            .remove_all_thresholds(chat_id, actor, now_unix())
            .await
        {
            Ok(n) => reply(messages::alerts_removed(n), "ok"),
            Err(e) => storage_error(e),
        },
    }
}

async fn mute(ctx: &Ctx, chat_id: i64, actor: i64, args: &str) -> Outcome {
    let request = match commands::parse_mute(args) {
        Ok(r) => r,
        Err(text) => return reply(text, "bad_input"),
    };
    let now = now_unix();
    // The end of a mute is said in the chat's zone, if it set one (`/report … TZ`).
    let zone = match chat_zone(&ctx.store, chat_id).await {
        Ok(z) => z,
        Err(e) => return storage_error(e),
    };
    match request {
        MuteRequest::Show => match ctx.store.mute_of(chat_id, now).await {
            Ok(m) => reply(messages::mute_status(m.map(|m| m.until), zone), "ok"),
            Err(e) => storage_error(e),
        },
        MuteRequest::For(d) => {
            let until = now + d.as_secs() as i64;
            match ctx.store.set_mute(chat_id, until, actor, now).await {
                Ok(()) => reply(messages::muted(until, zone), "ok"),
                Err(e) => storage_error(e),
            }
        }
        MuteRequest::Off => {
            let was_muted = match ctx.store.end_mute(chat_id, now).await {
                Ok(w) => w,
                Err(e) => return storage_error(e),
            };
            let levels = match ctx.store.thresholds_of(chat_id).await {
                Ok((levels, _)) => levels,
                Err(e) => return storage_error(e),
            };
            let crossed: Vec<&Threshold> = levels
                .iter()
                .filter(|t| matches!(t.state, AlertState::Crossed { .. }))
                .collect();
            reply(messages::unmuted(was_muted, &crossed), "ok")
        }
    }
}

async fn alerts(ctx: &Ctx, chat_id: i64, is_admin: bool, args: &str) -> Outcome {
    let scope = match commands::parse_alerts(args) {
        Ok(s) => s,
        Err(text) => return reply(text, "bad_input"),
    };
    let rows = match scope {
        AlertsScope::AllChats if !is_admin => return reply(messages::admin_only(), "admin_only"),
        AlertsScope::AllChats => ctx.store.all_thresholds(None).await,
        AlertsScope::ThisChat => ctx.store.thresholds_of(chat_id).await,
    };
    let (thresholds, bad) = match rows {
        Ok(r) => r,
        Err(e) => return storage_error(e),
    };
    for b in bad {
        tracing::error!(chat_id = b.chat_id, currency = %b.currency, problem = %b.problem, "unreadable threshold row");
    }
    let last_success = match ctx.store.checker().await {
        Ok((last, _)) => last,
        Err(e) => return storage_error(e),
    };
    let muted_until = match scope {
        AlertsScope::AllChats => None,
        AlertsScope::ThisChat => match ctx.store.mute_of(chat_id, now_unix()).await {
            Ok(m) => m.map(|m| m.until),
            Err(e) => return storage_error(e),
        },
    };
    reply(
        messages::alert_list(
            &thresholds,
            last_success,
            muted_until,
            scope == AlertsScope::AllChats,
        ),
        "ok",
    )
}

async fn allow(ctx: &Ctx, actor: &Actor, chat_id: i64, args: &str) -> Outcome {
    let id = match commands::parse_id(args) {
        Ok(id) => id,
        Err(text) => return reply(text, "bad_input"),
    };
    match ctx.store.allow(id, actor, chat_id, now_unix()).await {
        Ok(added) => reply(messages::allowed(id, added), "ok"),
        Err(e) => storage_error(e),
    }
}

async fn deny(ctx: &Ctx, actor: &Actor, chat_id: i64, args: &str) -> Outcome {
    let id = match commands::parse_id(args) {
        Ok(id) => id,
        Err(text) => return reply(text, "bad_input"),
    };
    if ctx.admins.contains(&id) {
        return reply(messages::cannot_deny_admin(id), "refused");
    }
    match ctx
        .store
        .deny(id, &ctx.admins, actor, chat_id, now_unix())
        .await
    {
        Ok(outcome) => {
            if !outcome.removed_levels.is_empty() {
                tracing::info!(id, removed = ?outcome.removed_levels, dropped_messages = outcome.dropped_messages, "denied; levels that only it served removed");
            }
            reply(messages::denied(id, &outcome), "ok")
        }
        Err(e) => storage_error(e),
    }
}

async fn audit(ctx: &Ctx, args: &str) -> Outcome {
    let entries = match commands::parse_audit(args) {
        Ok(AuditRequest::Recent(n)) => ctx.store.audit_recent(n).await,
        Ok(AuditRequest::About(id)) => ctx.store.audit_about(id, commands::AUDIT_MAX).await,
        Err(text) => return reply(text, "bad_input"),
    };
    match entries {
        Ok(entries) => reply(messages::audit(&entries), "ok"),
        Err(e) => storage_error(e),
    }
}

/// Registers the command menus: everyone's, and a larger one in each admin's private chat.
/// A failure is logged: the bot works without a menu.
pub async fn register_menus(bot: &TgBot, admins: &BTreeSet<i64>) {
    use teloxide::types::{BotCommandScope, Recipient};
    if let Err(e) = bot.set_my_commands(commands::menu(false)).await {
        tracing::warn!(error = %e, "could not register the command menu");
    }
    for admin in admins {
        let scope = BotCommandScope::Chat {
            chat_id: Recipient::Id(ChatId(*admin)),
        };
        if let Err(e) = bot.set_my_commands(commands::menu(true)).scope(scope).await {
            // Usually: this admin has not started a chat with the bot yet.
            tracing::warn!(admin, error = %e, "could not register the admin command menu");
        }
    }
}
