//! The language each chat reads what the loops tell it in: the one set with `/lang`, else the
//! Telegram language last seen there, else English.

use std::collections::BTreeMap;

use crate::rules::domain::ChatId;
use crate::store::Store;
use crate::texts::Lang;

/// The languages of `chats`; a chat without a stored row is absent (it reads the default).
pub async fn of_chats(store: &Store, chats: &[ChatId]) -> sqlx::Result<BTreeMap<ChatId, Lang>> {
    if chats.is_empty() {
        return Ok(BTreeMap::new());
    }
    let stored = store.chat_languages(chats).await?;
    Ok(stored
        .into_iter()
        .map(|(chat, l)| (chat, Lang::of_chat(l.set.as_deref(), l.seen.as_deref())))
        .collect())
}

/// One text worded once per language it is needed in (an event told to a hundred chats renders
/// its message once per language, not once per chat).
pub struct Worded<F> {
    word: F,
    done: Vec<(Lang, String)>,
}

impl<F: Fn(Lang) -> String> Worded<F> {
    pub fn new(word: F) -> Self {
        Self {
            word,
            done: Vec::new(),
        }
    }

    /// The text in `lang`.
    pub fn in_lang(&mut self, lang: Lang) -> String {
        if let Some((_, text)) = self.done.iter().find(|(l, _)| *l == lang) {
            return text.clone();
        }
        let text = (self.word)(lang);
        self.done.push((lang, text.clone()));
        text
    }
}
