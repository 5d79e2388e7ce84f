//! The bot's typed values from the plain numbers and codes tests write: chat and user ids,
//! currencies, subjects, dollars, actors.

use std::str::FromStr;

use oxapay_bot::money::{Currency, Usd};
use oxapay_bot::rules::domain::{ChatId, Subject, UserId};
use oxapay_bot::store::Actor;
use rust_decimal::Decimal;

pub fn chat(id: i64) -> ChatId {
    ChatId(id)
}

pub fn user(id: i64) -> UserId {
    UserId(id as u64)
}

/// An actor known by id only, as tools that seed data record one.
pub fn actor(id: i64) -> Actor {
    Actor::id_only(ChatId(id))
}

pub fn cur(code: &str) -> Currency {
    Currency::from_api(code).expect("a currency code")
}

/// A currency's subject, or the total for `Subject::TOTAL_KEY`.
pub fn subject(key: &str) -> Subject {
    Subject::from_key(key).expect("a currency code or the total's key")
}

/// Any language the bot speaks, for property tests.
pub fn any_lang() -> impl proptest::strategy::Strategy<Value = oxapay_bot::texts::Lang> {
    proptest::sample::select(oxapay_bot::texts::Lang::ALL.to_vec())
}

pub fn usd(amount: &str) -> Usd {
    Usd::new(Decimal::from_str(amount).expect("a decimal"))
}
