//! `/alerts`: this chat's alert levels and their state; `/alerts all` (admins): every chat's.

use super::words;
use crate::clock::now_unix;
use crate::rules::domain::ChatId;
use crate::rules::quote::quote;
use crate::telegram::gate::{Ctx, Outcome, Status};
use crate::texts::{self, Lang, Quoted};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertsScope {
    ThisChat,
    AllChats,
}

pub fn parse_alerts(lang: Lang, args: &str) -> Result<AlertsScope, String> {
    match words(args).as_slice() {
        [] => Ok(AlertsScope::ThisChat),
        [w] if w.eq_ignore_ascii_case("all") => Ok(AlertsScope::AllChats),
        _ => Err(texts::bad_argument(
            lang,
            &texts::quoted_problem(lang, Quoted::NotUnderstood, &quote(args.trim())),
            &texts::alerts_usage(lang),
        )),
    }
}

pub async fn run(ctx: &Ctx, lang: Lang, chat_id: ChatId, is_admin: bool, args: &str) -> Outcome {
    let scope = match parse_alerts(lang, args) {
        Ok(s) => s,
        Err(text) => return Outcome::text(text, Status::BadInput),
    };
    let rows = match scope {
        AlertsScope::AllChats if !is_admin => {
            return Outcome::text(texts::admin_only(lang), Status::AdminOnly);
        }
        AlertsScope::AllChats => ctx.store.all_thresholds(None).await,
        AlertsScope::ThisChat => ctx.store.thresholds_of(chat_id).await,
    };
    let (thresholds, bad) = match rows {
        Ok(r) => r,
        Err(e) => return Outcome::storage_error(lang, e),
    };
    for b in bad {
        tracing::error!(chat_id = b.chat_id.0, currency = %b.currency, problem = %b.problem, "unreadable threshold row");
    }
    let last_success = match ctx.store.checker().await {
        Ok((last, _)) => last,
        Err(e) => return Outcome::storage_error(lang, e),
    };
    let muted_until = match scope {
        AlertsScope::AllChats => None,
        AlertsScope::ThisChat => match ctx.store.mute_of(chat_id, now_unix()).await {
            Ok(m) => m.map(|m| m.until),
            Err(e) => return Outcome::storage_error(lang, e),
        },
    };
    let all = scope == AlertsScope::AllChats;
    Outcome::text(
        texts::alert_list(lang, &thresholds, last_success, muted_until, all),
        Status::Ok,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alerts_scope() {
        let parse_alerts = |args: &str| parse_alerts(Lang::En, args);
        assert_eq!(parse_alerts(""), Ok(AlertsScope::ThisChat));
        assert_eq!(parse_alerts("ALL"), Ok(AlertsScope::AllChats));
        assert!(parse_alerts("everything").is_err());
    }
}
