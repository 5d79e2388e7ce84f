//! What a send's failure does to a chat, said once for replies and the outbox alike: a chat that
//! refuses the bot is paused (its owed messages dropped) until someone there writes again; a
//! group that became a supergroup moves, settings and owed messages, to its new id.

use crate::clock::now_unix;
use crate::rules::domain::ChatId;
use crate::store::Store;

/// Pauses a chat that refuses the bot's messages and logs it; returns how many owed messages
/// were dropped.
///
/// # Errors
/// The database could not record it (the caller logs that).
pub async fn pause(store: &Store, chat_id: ChatId, reason: &str) -> sqlx::Result<u64> {
    let dropped = store.pause_chat(chat_id, reason, now_unix()).await?;
    // Paused until someone in the chat writes to the bot again.
    tracing::warn!(
        chat_id = chat_id.0,
        reason = %reason,
        dropped,
        "chat refuses the bot's messages; its alerts are paused"
    );
    Ok(dropped)
}

/// Moves a group's access, levels, schedules, mutes and owed messages to its supergroup's id.
/// Idempotent: Telegram says so in both chats, and a send to the old id says it again.
///
/// # Errors
/// The database could not record it (the caller logs that).
pub async fn migrate(store: &Store, old: ChatId, new: ChatId) -> sqlx::Result<()> {
    if store.migrate_chat(old, new).await? {
        tracing::info!(
            old_chat_id = old.0,
            new_chat_id = new.0,
            "group became a supergroup; its access, levels and owed messages moved"
        );
    } else {
        tracing::debug!(
            old_chat_id = old.0,
            new_chat_id = new.0,
            "migration already done"
        );
    }
    Ok(())
}

/// [`migrate`] for a path that has nothing else to do with its failure than log it.
pub async fn migrate_logged(store: &Store, old: ChatId, new: ChatId) {
    if let Err(e) = migrate(store, old, new).await {
        tracing::error!(old_chat_id = old.0, new_chat_id = new.0, error = %e, "could not move a migrated group's settings");
    }
}
