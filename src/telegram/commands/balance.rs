//! `/balance`, `/balance all`, `/balance CUR`: the wallets, their USD values and the total, with
//! a Refresh button; the same text serves the Refresh and Balance buttons.

use super::words;
use crate::money::Currency;
use crate::rules::buttons::BalanceView;
use crate::rules::quote::quote;
use crate::telegram::gate::{Ctx, Outcome, Status};
use crate::texts::keyboards;
use crate::texts::{self, Lang, PriceView, Problem};

/// `/balance`, `/balance all` (every wallet above zero, dust included), `/balance CUR`.
pub fn parse_balance(lang: Lang, args: &str) -> Result<BalanceView, String> {
    let bad = |problem: String| texts::bad_argument(lang, &problem, &texts::balance_usage(lang));
    match words(args).as_slice() {
        [] => Ok(BalanceView::Wallets),
        [w] if w.eq_ignore_ascii_case("all") => Ok(BalanceView::All),
        [cur] => Currency::parse(cur)
            .map(BalanceView::One)
            .map_err(|e| bad(texts::not_a_currency(lang, &quote(cur), &e))),
        _ => Err(bad(texts::problem(lang, Problem::OneCurrency))),
    }
}

pub async fn run(ctx: &Ctx, lang: Lang, args: &str) -> Outcome {
    let view = match parse_balance(lang, args) {
        Ok(view) => view,
        Err(text) => return Outcome::text(text, Status::BadInput),
    };
    match text(ctx, lang, &view).await {
        Ok(html) => Outcome::with_keyboard(html, keyboards::balance_keyboard(lang, view)),
        Err(refused) => refused,
    }
}

/// The text of a `/balance` reply (and of its Refresh): balances and prices read at once through
/// their shared sources. A price failure (logged by the price source) only leaves the values
/// out.
pub async fn text(ctx: &Ctx, lang: Lang, view: &BalanceView) -> Result<String, Outcome> {
    let (snapshot, priced) = tokio::join!(ctx.source.read(), ctx.prices.read());
    let snapshot = match snapshot {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "balance read failed for /balance");
            return Err(Outcome::text(
                texts::oxapay_failed(lang, &e),
                Status::OxaPayError,
            ));
        }
    };
    let shown = texts::shown_prices(lang, &priced);
    let prices = PriceView::of(&shown);
    let read = &snapshot.balances;
    let at = snapshot.fetched_at;
    match view {
        BalanceView::Wallets => Ok(texts::balances(lang, read, at, prices, false)),
        BalanceView::All => Ok(texts::balances(lang, read, at, prices, true)),
        BalanceView::One(cur) => match (read.amount(cur), read.amounts.contains_key(cur)) {
            (Ok(amount), true) => Ok(texts::one_balance(lang, cur, amount, at, prices)),
            (Err(why), _) => Err(Outcome::text(
                texts::unreadable_balance(lang, cur.as_str(), why),
                Status::OxaPayError,
            )),
            (Ok(_), false) => {
                let known: Vec<&str> = read.amounts.keys().map(Currency::as_str).collect();
                Err(Outcome::text(
                    texts::unknown_currency(lang, cur.as_str(), &known),
                    Status::UnknownCurrency,
                ))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balance_arguments() {
        let parse_balance = |args: &str| parse_balance(Lang::En, args);
        assert_eq!(parse_balance("  "), Ok(BalanceView::Wallets));
        assert_eq!(parse_balance("ALL"), Ok(BalanceView::All));
        assert_eq!(
            parse_balance("usdt"),
            Ok(BalanceView::One(Currency::parse("USDT").unwrap()))
        );
        let long = "A".repeat(300);
        for bad in [
            long.as_str(),
            "'; DROP TABLE allowed_chats; --",
            "💰",
            "BTC USDT",
            "<b>",
        ] {
            let e = parse_balance(bad).unwrap_err();
            assert!(e.contains("/balance"), "{e}");
            assert!(!e.contains("<b>\u{201d}"), "user text must be escaped: {e}");
        }
        assert!(parse_balance(&long).unwrap_err().len() < 300);
    }
}
