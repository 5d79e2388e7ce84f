//! Each chat's language as stored: the code `/lang` set, and the language Telegram last gave
//! for a private chat's user. Which language that makes is the texts' rule (`Lang::of_chat`).

use std::collections::BTreeMap;

use sqlx::FromRow;

use super::pool::{Store, json};
use crate::rules::domain::ChatId;

/// A chat's stored language: `set` by `/lang` (`None`: follow Telegram), and `seen`, the
/// `language_code` Telegram last sent with a private chat's user.
#[derive(Debug, Clone, Default, PartialEq, Eq, FromRow)]
pub struct ChatLanguage {
    #[sqlx(rename = "lang")]
    pub set: Option<String>,
    pub seen: Option<String>,
}

#[derive(FromRow)]
struct LanguageRow {
    chat_id: i64,
    lang: Option<String>,
    seen: Option<String>,
}

impl Store {
    /// One chat's stored language (all `None` when it has none).
    pub async fn chat_language(&self, chat_id: ChatId) -> sqlx::Result<ChatLanguage> {
        let row: Option<ChatLanguage> =
            sqlx::query_as("SELECT lang, seen FROM chat_languages WHERE chat_id = ?1")
                .bind(chat_id.0)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.unwrap_or_default())
    }

    /// The stored languages of `chats`, in one query: what the loops that write to many chats
    /// at once (the balance check) read. Chats with nothing stored are left out.
    pub async fn chat_languages(
        &self,
        chats: &[ChatId],
    ) -> sqlx::Result<BTreeMap<ChatId, ChatLanguage>> {
        if chats.is_empty() {
            return Ok(BTreeMap::new());
        }
        let ids: Vec<i64> = chats.iter().map(|c| c.0).collect();
        let rows: Vec<LanguageRow> = sqlx::query_as(
            "SELECT chat_id, lang, seen FROM chat_languages
             WHERE chat_id IN (SELECT value FROM json_each(?1))",
        )
        .bind(json(&ids))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let language = ChatLanguage {
                    set: r.lang,
                    seen: r.seen,
                };
                (ChatId(r.chat_id), language)
            })
            .collect())
    }

    /// `/lang xx` (`Some("xx")`) or `/lang auto` (`None`) in this chat.
    pub async fn set_chat_language(&self, chat_id: ChatId, lang: Option<&str>) -> sqlx::Result<()> {
        let _turn = self.turn().await;
        sqlx::query(
            "INSERT INTO chat_languages (chat_id, lang) VALUES (?1, ?2)
             ON CONFLICT (chat_id) DO UPDATE SET lang = excluded.lang",
        )
        .bind(chat_id.0)
        .bind(lang)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records the `language_code` Telegram sent with a private chat's user. Callers compare it
    /// with what they read first, so an unchanged language costs no write.
    pub async fn note_seen_language(
        &self,
        chat_id: ChatId,
        code: Option<&str>,
    ) -> sqlx::Result<()> {
        let _turn = self.turn().await;
        sqlx::query(
            "INSERT INTO chat_languages (chat_id, seen) VALUES (?1, ?2)
             ON CONFLICT (chat_id) DO UPDATE SET seen = excluded.seen",
        )
        .bind(chat_id.0)
        .bind(code)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
