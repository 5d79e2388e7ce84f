//! `/alert CUR AMOUNT`, `/alert CUR above|below AMOUNT`, `/alert total AMOUNT`, `/alert CUR
//! [above|below] off`, `/alert off`: set or remove this chat's alert levels.

use rust_decimal::Decimal;

use super::words;
use crate::clock::now_unix;
use crate::money::Currency;
use crate::money::parse_user_amount;
use crate::rules::alerts::Direction;
use crate::rules::domain::{ChatId, Subject};
use crate::rules::quote::quote;
use crate::store::Actor;
use crate::telegram::gate::{Ctx, Outcome, Status};
use crate::texts::{self, Lang, Problem, Quoted};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertRequest {
    Set(Subject, Direction, Decimal),
    /// One direction's level, or both (`None`).
    Off(Subject, Option<Direction>),
    /// `/alert off`: every level of this chat.
    AllOff,
}

pub fn parse_alert(lang: Lang, args: &str) -> Result<AlertRequest, String> {
    let bad = |problem: String| texts::bad_argument(lang, &problem, &texts::alert_usage(lang));
    let said = |p: Problem| bad(texts::problem(lang, p));
    let not_direction = |dir: &str| {
        bad(texts::quoted_problem(
            lang,
            Quoted::NotDirection,
            &quote(dir),
        ))
    };
    // `total` is the account's USD total, not a coin (a coin called TOTAL cannot have levels).
    let currency = |cur: &str| {
        if cur.eq_ignore_ascii_case("total") {
            return Ok(Subject::Total);
        }
        Currency::parse(cur)
            .map(Subject::Coin)
            .map_err(|e| bad(texts::not_a_currency(lang, &quote(cur), &e)))
    };
    let level = |amount: &str| {
        parse_user_amount(amount).map_err(|e| bad(texts::amount_refused(lang, &quote(amount), &e)))
    };
    let direction = |word: &str| match word.to_ascii_lowercase().as_str() {
        "below" => Some(Direction::Below),
        "above" => Some(Direction::Above),
        _ => None,
    };
    let off = |word: &str| word.eq_ignore_ascii_case("off");
    let too_many = || said(Problem::AlertTooMany);
    match words(args).as_slice() {
        [] => Err(said(Problem::AlertMissing)),
        [w] if off(w) => Ok(AlertRequest::AllOff),
        [cur] => {
            currency(cur)?;
            Err(said(Problem::AmountMissing))
        }
        [cur, w] if off(w) => Ok(AlertRequest::Off(currency(cur)?, None)),
        [cur, dir] if direction(dir).is_some() => {
            currency(cur)?;
            Err(said(Problem::AmountMissing))
        }
        [cur, amount] => Ok(AlertRequest::Set(
            currency(cur)?,
            Direction::Below,
            level(amount)?,
        )),
        [cur, dir, w] if off(w) => match direction(dir) {
            Some(d) => Ok(AlertRequest::Off(currency(cur)?, Some(d))),
            None => Err(not_direction(dir)),
        },
        [cur, dir, amount] => match direction(dir) {
            Some(d) => Ok(AlertRequest::Set(currency(cur)?, d, level(amount)?)),
            // `/alert BTC 5 6`: two amounts, not a misspelt direction.
            None if parse_user_amount(dir).is_ok() => Err(too_many()),
            None => Err(not_direction(dir)),
        },
        _ => Err(too_many()),
    }
}

pub async fn run(ctx: &Ctx, lang: Lang, chat_id: ChatId, actor: &Actor, args: &str) -> Outcome {
    let ok = |text| Outcome::text(text, Status::Ok);
    match parse_alert(lang, args) {
        Err(text) => Outcome::text(text, Status::BadInput),
        Ok(AlertRequest::Set(subject, direction, level)) => {
            match ctx
                .store
                .set_threshold(chat_id, &subject, direction, level, actor, now_unix())
                .await
            {
                Ok(()) => ok(texts::alert_set(lang, &subject, direction, level)),
                Err(e) => Outcome::storage_error(lang, e),
            }
        }
        Ok(AlertRequest::Off(subject, direction)) => match ctx
            .store
            .remove_threshold(chat_id, &subject, direction, actor, now_unix())
            .await
        {
            Ok(n) => ok(texts::alert_removed(lang, &subject, direction, n)),
            Err(e) => Outcome::storage_error(lang, e),
        },
        Ok(AlertRequest::AllOff) => match ctx
            .store
            .remove_all_thresholds(chat_id, actor, now_unix())
            .await
        {
            Ok(n) => ok(texts::alerts_removed(lang, n)),
            Err(e) => Outcome::storage_error(lang, e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telegram::commands::Command;
    use std::str::FromStr;

    #[test]
    fn alert_arguments() {
        let parse_alert = |args: &str| parse_alert(Lang::En, args);
        let btc = Subject::Coin(Currency::parse("BTC").unwrap());
        let half = Decimal::from_str("0.5").unwrap();
        assert_eq!(
            parse_alert("btc 0.5"),
            Ok(AlertRequest::Set(btc.clone(), Direction::Below, half))
        );
        assert_eq!(
            parse_alert("btc BELOW 0.5"),
            Ok(AlertRequest::Set(btc.clone(), Direction::Below, half))
        );
        assert_eq!(
            parse_alert("btc above 0.5"),
            Ok(AlertRequest::Set(btc.clone(), Direction::Above, half))
        );
        assert_eq!(
            parse_alert("btc above off"),
            Ok(AlertRequest::Off(btc.clone(), Some(Direction::Above)))
        );
        assert_eq!(
            parse_alert("usdt OFF"),
            Ok(AlertRequest::Off(
                Subject::Coin(Currency::parse("USDT").unwrap()),
                None
            ))
        );
        assert_eq!(
            parse_alert("Total 10000"),
            Ok(AlertRequest::Set(
                Subject::Total,
                Direction::Below,
                Decimal::from(10_000)
            ))
        );
        assert_eq!(
            parse_alert("total off"),
            Ok(AlertRequest::Off(Subject::Total, None))
        );
        assert_eq!(Subject::Total.key(), Subject::TOTAL_KEY);
        assert!(Command::Alert("BTC below off".into()).is_switch_off());
        for (bad, says) in [
            ("BTC sideways 1", "not a direction"),
            ("BTC above", "amount is missing"),
            ("BTC above -1", "above zero"),
            ("BTC above 1 2", "too many words"),
        ] {
            let e = parse_alert(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
        assert_eq!(parse_alert(" Off "), Ok(AlertRequest::AllOff));
        assert!(Command::Alert("off".into()).is_switch_off());
        assert!(Command::Alert("BTC off".into()).is_switch_off());
        assert!(!Command::Alert("BTC 1".into()).is_switch_off());
        assert!(!Command::Alert("".into()).is_switch_off());
        assert!(!Command::Balance("".into()).is_switch_off());
        for bad in [
            "",
            "BTC",
            "BTC 0",
            "BTC -1",
            "BTC 1e3",
            "BTC NaN",
            "BTC 1,000",
            "BTC 1000000000000000000",
            "B 1",
            "BTC 1 2",
            "💰 1",
            "BTC 💰",
        ] {
            let e = parse_alert(bad).unwrap_err();
            assert!(e.contains("/alert CUR AMOUNT"), "{bad}: {e}");
        }
        assert!(parse_alert("BTC 0").unwrap_err().contains("above zero"));
        assert!(parse_alert("BTC 1e3").unwrap_err().contains("plain number"));
        assert!(
            parse_alert("BTC 99999999999999999")
                .unwrap_err()
                .contains("too large")
        );
    }
}
