//! The inline keyboards under the bot's messages, labelled from the texts.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use crate::rules::buttons::{BalanceView, Button};
use crate::texts::{self, Lang};

fn button(b: &Button, label: &str) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(label, b.encode())
}

/// Under a `/balance` reply: Refresh.
pub fn balance_keyboard(lang: Lang, view: BalanceView) -> InlineKeyboardMarkup {
    let label = texts::refresh_label(lang);
    InlineKeyboardMarkup::new([[button(&Button::Refresh(view), &label)]])
}

/// Under an alert: Mute 1h and Balance.
pub fn alert_keyboard(lang: Lang) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[
        button(&Button::MuteHour, &texts::mute_hour_label(lang)),
        button(&Button::Balance, &texts::balance_label(lang)),
    ]])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    #[test]
    fn keyboards_carry_parseable_data() {
        let btc = BalanceView::One(Currency::parse("BTC").unwrap());
        let keyboards = Lang::ALL.into_iter().flat_map(|lang| {
            [
                balance_keyboard(lang, BalanceView::Wallets),
                balance_keyboard(lang, btc.clone()),
                alert_keyboard(lang),
            ]
        });
        for kb in keyboards {
            for row in &kb.inline_keyboard {
                for b in row {
                    let teloxide::types::InlineKeyboardButtonKind::CallbackData(data) = &b.kind
                    else {
                        panic!("not a callback button: {b:?}");
                    };
                    assert!(Button::parse(data).is_ok(), "{data}");
                }
            }
        }
    }
}
