//! `/tx TRACK_ID`: one payment or payout, whole — from the ledger, or, when the ledger does not
//! hold it, read from OxaPay now.

use super::words;
use crate::oxapay::TrackId;
use crate::rules::domain::ChatId;
use crate::rules::quote::quote;
use crate::telegram::gate::{Ctx, Outcome, Status};
use crate::texts::{self, Lang, Problem};

/// `/tx TRACK_ID`.
pub fn parse_tx(lang: Lang, args: &str) -> Result<TrackId, String> {
    let bad = |problem: String| texts::bad_argument(lang, &problem, &texts::tx_usage(lang));
    match words(args).as_slice() {
        [] => Err(bad(texts::problem(lang, Problem::TrackIdMissing))),
        [id] => TrackId::new(id).map_err(|e| bad(texts::track_id_problem(lang, &quote(id), &e))),
        _ => Err(bad(texts::problem(lang, Problem::OneTrackId))),
    }
}

pub async fn run(ctx: &Ctx, lang: Lang, chat_id: ChatId, args: &str) -> Outcome {
    if ctx.payments.is_none() && ctx.payouts.is_none() {
        return Outcome::text(texts::payments_need_key(lang), Status::Refused);
    }
    let track_id = match parse_tx(lang, args) {
        Ok(id) => id,
        Err(text) => return Outcome::text(text, Status::BadInput),
    };
    let zone = match ctx.store.chat_zone(chat_id).await {
        Ok(z) => z,
        Err(e) => return Outcome::storage_error(lang, e),
    };
    match ctx.store.payment_record(&track_id).await {
        Ok(Some(record)) => {
            return Outcome::text(texts::payment_record(lang, &record, zone), Status::Ok);
        }
        Ok(None) => {}
        Err(e) => return Outcome::storage_error(lang, e),
    }
    match ctx.store.payout_record(&track_id).await {
        Ok(Some(p)) => return Outcome::text(texts::payout_record(lang, &p, zone), Status::Ok),
        Ok(None) => {}
        Err(e) => return Outcome::storage_error(lang, e),
    }
    live(ctx, lang, &track_id, zone).await
}

/// Neither ledger holds it: asked of OxaPay, payments first, then payouts.
async fn live(ctx: &Ctx, lang: Lang, track_id: &TrackId, zone: chrono_tz::Tz) -> Outcome {
    if let Some(payments) = &ctx.payments {
        match payments.one(track_id).await {
            Ok(Some(p)) => return Outcome::text(texts::payment_live(lang, &p, zone), Status::Ok),
            Ok(None) => {}
            Err(e) => {
                return Outcome::text(texts::oxapay_failed(lang, &e), Status::OxaPayError);
            }
        }
    }
    if let Some(payouts) = &ctx.payouts {
        match payouts.one(track_id).await {
            Ok(Some(p)) => return Outcome::text(texts::payout_live(lang, &p), Status::Ok),
            Ok(None) => {}
            Err(e) => {
                return Outcome::text(texts::oxapay_failed(lang, &e), Status::OxaPayError);
            }
        }
    }
    if ctx.payments.is_none() {
        // Without the merchant key OxaPay was not asked about payments: the id may be one.
        return Outcome::text(texts::payments_need_key(lang), Status::Refused);
    }
    Outcome::text(texts::payment_unknown(lang, track_id), Status::BadInput)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tx_arguments() {
        assert_eq!(
            parse_tx(Lang::En, " 188225613 ").unwrap().as_str(),
            "188225613"
        );
        assert_eq!(parse_tx(Lang::En, "<b>x</b>").unwrap().as_str(), "<b>x</b>");
        for (bad, says) in [
            ("", "missing"),
            ("a b", "one track id"),
            (&"9".repeat(101), "at most"),
        ] {
            let e = parse_tx(Lang::En, bad).unwrap_err();
            assert!(e.contains(says) && e.contains("/tx TRACK_ID"), "{bad}: {e}");
        }
    }
}
