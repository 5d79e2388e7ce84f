//! `/allow ID`, `/deny ID`, `/users` (admins): who may use the bot.

use super::audit::parse_id;
use crate::clock::now_unix;
use crate::rules::domain::{ChatId, UserId};
use crate::store::Actor;
use crate::telegram::gate::{Ctx, Outcome, Status};
use crate::texts::{self, Lang};

pub async fn allow(ctx: &Ctx, actor: &Actor, chat_id: ChatId, args: &str) -> Outcome {
    let id = match parse_id(args) {
        Ok(id) => id,
        Err(text) => return Outcome::text(text, Status::BadInput),
    };
    match ctx.store.allow(id, actor, chat_id, now_unix()).await {
        Ok(added) => Outcome::text(texts::allowed(id, added), Status::Ok),
        Err(e) => Outcome::storage_error(Lang::En, e),
    }
}

pub async fn deny(ctx: &Ctx, actor: &Actor, chat_id: ChatId, args: &str) -> Outcome {
    let id = match parse_id(args) {
        Ok(id) => id,
        Err(text) => return Outcome::text(text, Status::BadInput),
    };
    if id.as_user().is_some_and(|u| ctx.admins.contains(&u)) {
        return Outcome::text(texts::cannot_deny_admin(id), Status::Refused);
    }
    match ctx
        .store
        .deny(id, &ctx.admins, actor, chat_id, now_unix())
        .await
    {
        Ok(outcome) => {
            if !outcome.removed_levels.is_empty() {
                tracing::info!(id = id.0, removed = ?outcome.removed_levels, dropped_messages = outcome.dropped_messages, "denied; levels that only it served removed");
            }
            Outcome::text(texts::denied(id, &outcome), Status::Ok)
        }
        Err(e) => Outcome::storage_error(Lang::En, e),
    }
}

pub async fn list(ctx: &Ctx) -> Outcome {
    match ctx.store.allowed_chats().await {
        Ok(allowed) => {
            let admins: Vec<UserId> = ctx.admins.iter().copied().collect();
            Outcome::text(texts::users(&admins, &allowed), Status::Ok)
        }
        Err(e) => Outcome::storage_error(Lang::En, e),
    }
}
