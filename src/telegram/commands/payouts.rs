//! `/payouts`, `/payouts on`, `/payouts off`, `/payouts events LIST`: whether this chat hears
//! about payouts (and stuck ones), and the last ones.

use std::collections::BTreeSet;

use super::words;
use crate::clock::now_unix;
use crate::oxapay::PayoutStatus;
use crate::rules::domain::ChatId;
use crate::rules::feed::parse_event_list;
use crate::rules::quote::quote;
use crate::store::{Actor, PayoutFeedChange};
use crate::telegram::gate::{Ctx, Outcome, Status};
use crate::texts::{self, Lang, Quoted};

/// How many payouts `/payouts` lists.
const RECENT: u32 = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayoutsRequest {
    Show,
    Change(PayoutFeedChange),
}

/// `/payouts`, `/payouts on`, `/payouts off`, `/payouts events a,b,c`.
pub fn parse_payouts(lang: Lang, args: &str) -> Result<PayoutsRequest, String> {
    let bad = |problem: String| texts::bad_argument(lang, &problem, &texts::payouts_usage(lang));
    match words(args).as_slice() {
        [] => Ok(PayoutsRequest::Show),
        [w] if w.eq_ignore_ascii_case("on") => Ok(PayoutsRequest::Change(PayoutFeedChange::On)),
        [w] if w.eq_ignore_ascii_case("off") => Ok(PayoutsRequest::Change(PayoutFeedChange::Off)),
        [w, ..] if w.eq_ignore_ascii_case("events") => {
            let rest = args.trim_start()[w.len()..].trim();
            parse_event_list::<PayoutStatus>(rest)
                .map(|set: BTreeSet<PayoutStatus>| {
                    PayoutsRequest::Change(PayoutFeedChange::Events(set))
                })
                .map_err(|e| bad(texts::event_list_problem(lang, &e)))
        }
        [w, ..] => Err(bad(texts::quoted_problem(
            lang,
            Quoted::NotUnderstood,
            &quote(w),
        ))),
    }
}

pub async fn run(ctx: &Ctx, lang: Lang, chat_id: ChatId, actor: &Actor, args: &str) -> Outcome {
    if ctx.payouts.is_none() {
        return Outcome::text(texts::payouts_need_key(lang), Status::Refused);
    }
    let change = match parse_payouts(lang, args) {
        Ok(PayoutsRequest::Show) => return show(ctx, lang, chat_id).await,
        Ok(PayoutsRequest::Change(c)) => c,
        Err(text) => return Outcome::text(text, Status::BadInput),
    };
    match ctx
        .store
        .set_payout_feed(chat_id, &change, actor.id, now_unix())
        .await
    {
        Ok(setting) => {
            let text = match change {
                PayoutFeedChange::Events(_) => {
                    texts::payout_events_set(lang, &setting.feed, setting.enabled)
                }
                _ => texts::payouts_set(lang, &setting),
            };
            Outcome::text(text, Status::Ok)
        }
        Err(e) => Outcome::storage_error(lang, e),
    }
}

async fn show(ctx: &Ctx, lang: Lang, chat_id: ChatId) -> Outcome {
    let setting = match ctx.store.payout_feed_of(chat_id).await {
        Ok(s) => s,
        Err(e) => return Outcome::storage_error(lang, e),
    };
    let recent = match ctx.store.recent_payouts(RECENT).await {
        Ok(r) => r,
        Err(e) => return Outcome::storage_error(lang, e),
    };
    let zone = match ctx.store.chat_zone(chat_id).await {
        Ok(z) => z,
        Err(e) => return Outcome::storage_error(lang, e),
    };
    Outcome::text(
        texts::payouts_overview(lang, setting.as_ref(), &recent, zone),
        Status::Ok,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payouts_arguments() {
        assert_eq!(parse_payouts(Lang::En, ""), Ok(PayoutsRequest::Show));
        assert_eq!(
            parse_payouts(Lang::En, "On"),
            Ok(PayoutsRequest::Change(PayoutFeedChange::On))
        );
        assert_eq!(
            parse_payouts(Lang::En, "events rejected cancelled"),
            Ok(PayoutsRequest::Change(PayoutFeedChange::Events(
                [PayoutStatus::Rejected, PayoutStatus::Canceled].into()
            )))
        );
        for (bad, says) in [
            ("events", "at least one status"),
            ("on 5", "not understood"),
        ] {
            let e = parse_payouts(Lang::En, bad).unwrap_err();
            assert!(e.contains(says) && e.contains("/payouts on"), "{bad}: {e}");
        }
    }
}
