//! `/payments`, `/payments on [MIN_USD]`, `/payments off`, `/payments events LIST`: whether this
//! chat hears about payments as they happen, and the last ones.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::words;
use crate::clock::now_unix;
use crate::money::parse_user_amount;
use crate::oxapay::PaymentStatus;
use crate::rules::domain::ChatId;
use crate::rules::feed::parse_event_list;
use crate::rules::quote::quote;
use crate::store::{Actor, PaymentFeedChange};
use crate::telegram::gate::{Ctx, Outcome, Status};
use crate::texts::{self, Lang, Quoted};

/// How many payments `/payments` lists.
const RECENT: u32 = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentsRequest {
    Show,
    On { min_usd: Option<Decimal> },
    Off,
    Events(BTreeSet<PaymentStatus>),
}

/// `/payments`, `/payments on [MIN_USD]`, `/payments off`, `/payments events a,b,c`.
pub fn parse_payments(lang: Lang, args: &str) -> Result<PaymentsRequest, String> {
    let bad = |problem: String| texts::bad_argument(lang, &problem, &texts::payments_usage(lang));
    let list = words(args);
    match list.as_slice() {
        [] => Ok(PaymentsRequest::Show),
        [w] if w.eq_ignore_ascii_case("on") => Ok(PaymentsRequest::On { min_usd: None }),
        [w, amount] if w.eq_ignore_ascii_case("on") => {
            let min = amount.trim_start_matches('$');
            parse_user_amount(min)
                .map(|m| PaymentsRequest::On { min_usd: Some(m) })
                .map_err(|e| bad(texts::amount_refused(lang, &quote(amount), &e)))
        }
        [w] if w.eq_ignore_ascii_case("off") => Ok(PaymentsRequest::Off),
        [w, ..] if w.eq_ignore_ascii_case("events") => {
            let rest = args.trim_start()[w.len()..].trim();
            parse_event_list::<PaymentStatus>(rest)
                .map(PaymentsRequest::Events)
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
    if ctx.payments.is_none() {
        return Outcome::text(texts::payments_need_key(lang), Status::Refused);
    }
    let request = match parse_payments(lang, args) {
        Ok(r) => r,
        Err(text) => return Outcome::text(text, Status::BadInput),
    };
    let change = match request {
        PaymentsRequest::Show => return show(ctx, lang, chat_id).await,
        // The feed reaches allowed chats and admins' own: anywhere else "on" would be a
        // promise it never keeps.
        PaymentsRequest::On { min_usd } => match served(ctx, chat_id).await {
            Ok(true) => PaymentFeedChange::On { min_usd },
            Ok(false) => {
                let text = texts::payments_chat_not_allowed(lang, chat_id);
                return Outcome::text(text, Status::Refused);
            }
            Err(e) => return Outcome::storage_error(lang, e),
        },
        PaymentsRequest::Off => PaymentFeedChange::Off,
        PaymentsRequest::Events(set) => PaymentFeedChange::Events(set),
    };
    match ctx
        .store
        .set_payment_feed(chat_id, &change, actor.id, now_unix())
        .await
    {
        Ok(setting) => {
            let text = match change {
                PaymentFeedChange::Events(_) => {
                    texts::payment_events_set(lang, &setting.feed, setting.enabled)
                }
                _ => texts::payments_set(lang, &setting),
            };
            Outcome::text(text, Status::Ok)
        }
        Err(e) => Outcome::storage_error(lang, e),
    }
}

/// Whether the feed's messages may go to `chat_id`: an allowed chat, or an admin's own.
async fn served(ctx: &Ctx, chat_id: ChatId) -> sqlx::Result<bool> {
    if ctx.admins.iter().any(|a| ChatId::from(*a) == chat_id) {
        return Ok(true);
    }
    Ok(ctx.store.access(None, chat_id).await?.allowed)
}

async fn show(ctx: &Ctx, lang: Lang, chat_id: ChatId) -> Outcome {
    let setting = match ctx.store.payment_feed_of(chat_id).await {
        Ok(s) => s,
        Err(e) => return Outcome::storage_error(lang, e),
    };
    let recent = match ctx.store.recent_payments(RECENT).await {
        Ok(r) => r,
        Err(e) => return Outcome::storage_error(lang, e),
    };
    let zone = match ctx.store.chat_zone(chat_id).await {
        Ok(z) => z,
        Err(e) => return Outcome::storage_error(lang, e),
    };
    Outcome::text(
        texts::payments_overview(lang, setting.as_ref(), &recent, zone),
        Status::Ok,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn payments_arguments() {
        assert_eq!(parse_payments(Lang::En, " "), Ok(PaymentsRequest::Show));
        assert_eq!(
            parse_payments(Lang::En, "ON"),
            Ok(PaymentsRequest::On { min_usd: None })
        );
        assert_eq!(
            parse_payments(Lang::En, "on $100.50"),
            Ok(PaymentsRequest::On {
                min_usd: Some(Decimal::from_str("100.50").unwrap())
            })
        );
        assert_eq!(parse_payments(Lang::En, "off"), Ok(PaymentsRequest::Off));
        assert_eq!(
            parse_payments(Lang::En, "events Paid, expired"),
            Ok(PaymentsRequest::Events(
                [PaymentStatus::Paid, PaymentStatus::Expired].into()
            ))
        );
        for (bad, says) in [
            ("on -5", "above zero"),
            ("on 1e3", "plain number"),
            ("events", "at least one status"),
            ("events paid,shipped", "“shipped” is not a status"),
            ("maybe", "not understood"),
        ] {
            let e = parse_payments(Lang::En, bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
            assert!(e.contains("/payments on"), "{bad}: {e}");
        }
    }
}
