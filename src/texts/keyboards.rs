//! The inline keyboards under the bot's messages, labelled from the texts.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use crate::rules::buttons::{BalanceView, Button};
use crate::texts;

fn button(b: &Button, label: &str) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(label, b.encode())
}

/// Under a `/balance` reply: Refresh.
pub fn balance_keyboard(view: BalanceView) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[button(&Button::Refresh(view), texts::REFRESH_LABEL)]])
}

/// Under an alert: Mute 1h and Balance.
pub fn alert_keyboard() -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[
        button(&Button::MuteHour, texts::MUTE_HOUR_LABEL),
        button(&Button::Balance, texts::BALANCE_LABEL),
    ]])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    #[test]
    fn keyboards_carry_parseable_data() {
        for kb in [
            balance_keyboard(BalanceView::Wallets),
            balance_keyboard(BalanceView::One(Currency::parse("BTC").unwrap())),
            alert_keyboard(),
        ] {
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
