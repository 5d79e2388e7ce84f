//! `/lang`, `/lang ru`, `/lang auto`: the language this chat reads. A private chat follows its
//! user's Telegram language until one is set; a group reads English until one is set. What is
//! set here also words what the bot says later on its own (alerts, reports).

use super::{Asker, words};
use crate::rules::quote::quote;
use crate::telegram::gate::{Ctx, Outcome, Status};
use crate::texts::{self, Lang, Problem, Quoted};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LangRequest {
    Show,
    Set(Lang),
    Auto,
}

/// `/lang`, `/lang auto`, `/lang CODE` (a code the bot speaks: `en`, `ru`, `fa`, `ar`, `tr`,
/// `es`; a region is ignored: `ru-RU`).
pub fn parse_lang(lang: Lang, args: &str) -> Result<LangRequest, String> {
    let bad = |problem: String| texts::bad_argument(lang, &problem, &texts::lang_usage(lang));
    match words(args).as_slice() {
        [] => Ok(LangRequest::Show),
        [w] if w.eq_ignore_ascii_case("auto") => Ok(LangRequest::Auto),
        [w] => Lang::parse(w)
            .map(LangRequest::Set)
            .ok_or_else(|| bad(texts::quoted_problem(lang, Quoted::UnknownLang, &quote(w)))),
        _ => Err(bad(texts::problem(lang, Problem::OneLang))),
    }
}

pub async fn run(ctx: &Ctx, who: &Asker<'_>, args: &str) -> Outcome {
    let lang = who.lang;
    let request = match parse_lang(lang, args) {
        Ok(r) => r,
        Err(text) => return Outcome::text(text, Status::BadInput),
    };
    let chat_id = who.chat_id;
    let private = who
        .user_id
        .is_some_and(|u| chat_id == crate::rules::domain::ChatId::from(u));
    match request {
        LangRequest::Show => {
            let set = match ctx.store.chat_language(chat_id).await {
                Ok(stored) => stored.set.as_deref().and_then(Lang::parse).is_some(),
                Err(e) => return Outcome::storage_error(lang, e),
            };
            let from_telegram = private && Lang::parse(who.language_code.unwrap_or("")).is_some();
            Outcome::text(texts::lang_current(lang, set, from_telegram), Status::Ok)
        }
        LangRequest::Set(new) => match ctx.store.set_chat_language(chat_id, Some(new.code())).await
        {
            Ok(()) => Outcome::text(texts::lang_set(new), Status::Ok),
            Err(e) => Outcome::storage_error(lang, e),
        },
        LangRequest::Auto => match ctx.store.set_chat_language(chat_id, None).await {
            Ok(()) => {
                let now = Lang::of_chat(None, private.then_some(who.language_code).flatten());
                Outcome::text(texts::lang_auto(now), Status::Ok)
            }
            Err(e) => Outcome::storage_error(lang, e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_arguments() {
        let parse = |args: &str| parse_lang(Lang::En, args);
        assert_eq!(parse(""), Ok(LangRequest::Show));
        assert_eq!(parse(" AUTO "), Ok(LangRequest::Auto));
        assert_eq!(parse("ru"), Ok(LangRequest::Set(Lang::Ru)));
        assert_eq!(parse("fa-IR"), Ok(LangRequest::Set(Lang::Fa)));
        assert!(parse("de").unwrap_err().contains("not a language"));
        assert!(parse("ru es").unwrap_err().contains("one language"));
        assert!(parse("<b>").unwrap_err().contains("&lt;b&gt;"));
    }
}
