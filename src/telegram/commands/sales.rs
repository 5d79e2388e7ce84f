//! `/sales [today|yesterday|7d|30d]`: what was paid in the period (in the chat's zone), per
//! currency and in USD, against the period before.

use super::words;
use crate::clock::now_unix;
use crate::rules::domain::ChatId;
use crate::rules::quote::quote;
use crate::rules::sales::{self, Period, Span};
use crate::store::SaleRow;
use crate::telegram::gate::{Ctx, Outcome, Status};
use crate::texts::{self, Lang, Problem, Quoted};

/// `/sales`, `/sales yesterday`, `/sales 7d`, `/sales 30d`.
pub fn parse_sales(lang: Lang, args: &str) -> Result<Period, String> {
    let bad = |problem: String| texts::bad_argument(lang, &problem, &texts::sales_usage(lang));
    match words(args).as_slice() {
        [] => Ok(Period::Today),
        [w] => Period::parse(w)
            .ok_or_else(|| bad(texts::quoted_problem(lang, Quoted::NotPeriod, &quote(w)))),
        _ => Err(bad(texts::problem(lang, Problem::OnePeriod))),
    }
}

pub async fn run(ctx: &Ctx, lang: Lang, chat_id: ChatId, args: &str) -> Outcome {
    if ctx.payments.is_none() {
        return Outcome::text(texts::payments_need_key(lang), Status::Refused);
    }
    let period = match parse_sales(lang, args) {
        Ok(p) => p,
        Err(text) => return Outcome::text(text, Status::BadInput),
    };
    let zone = match ctx.store.chat_zone(chat_id).await {
        Ok(z) => z,
        Err(e) => return Outcome::storage_error(lang, e),
    };
    let (span, before) = sales::spans(period, now_unix(), zone);
    let figures = |s: Span| async move {
        let rows = ctx.store.sales_between(s.from, s.to).await?;
        Ok::<_, sqlx::Error>(sales::figures(rows.iter().map(SaleRow::sale)))
    };
    let (now, then) = match (figures(span).await, figures(before).await) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return Outcome::storage_error(lang, e),
    };
    let change = sales::compare(&now, &then);
    Outcome::text(
        texts::sales(lang, period, span, &now, &then, &change, zone),
        Status::Ok,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sales_arguments() {
        assert_eq!(parse_sales(Lang::En, ""), Ok(Period::Today));
        assert_eq!(parse_sales(Lang::En, "Yesterday"), Ok(Period::Yesterday));
        assert_eq!(parse_sales(Lang::En, "7d"), Ok(Period::Week));
        for bad in ["1y", "today 7d", "<b>"] {
            assert!(
                parse_sales(Lang::En, bad)
                    .unwrap_err()
                    .contains("/sales 7d"),
                "{bad}"
            );
        }
    }
}
