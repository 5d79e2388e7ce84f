//! Inline keyboards and the data their buttons carry (pure).
//!
//! Callback data is user input: anyone can send any string as a button press. It is parsed
//! strictly into `Button` and every press is authorized like a command.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use crate::domain::Currency;
use crate::telegram::messages;

/// Telegram allows 1–64 bytes of callback data.
pub const MAX_DATA_BYTES: usize = 64;

/// What a `/balance` message shows, so Refresh can show the same again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BalanceView {
    /// Every wallet above zero, wallets worth under a cent folded into one line.
    Wallets,
    /// Every wallet above zero, dust included.
    All,
    /// One currency.
    One(Currency),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Button {
    /// Re-read the balances and edit this message.
    Refresh(BalanceView),
    /// Hold this chat's alerts for an hour.
    MuteHour,
    /// Send the balances as a new message.
    Balance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("this button is not one the bot made")]
pub struct ForgedButton;

impl Button {
    pub fn encode(&self) -> String {
        match self {
            Button::Refresh(BalanceView::Wallets) => "r".into(),
            Button::Refresh(BalanceView::All) => "r*".into(),
            Button::Refresh(BalanceView::One(cur)) => format!("r:{cur}"),
            Button::MuteHour => "m1h".into(),
            Button::Balance => "b".into(),
        }
    }

    /// The inverse of `encode`; anything else is refused.
    pub fn parse(data: &str) -> Result<Self, ForgedButton> {
        if data.is_empty() || data.len() > MAX_DATA_BYTES {
            return Err(ForgedButton);
        }
        match data {
            "r" => Ok(Button::Refresh(BalanceView::Wallets)),
            "r*" => Ok(Button::Refresh(BalanceView::All)),
            "m1h" => Ok(Button::MuteHour),
            "b" => Ok(Button::Balance),
            _ => {
                let cur = data.strip_prefix("r:").ok_or(ForgedButton)?;
                // Exactly as encoded: upper-case and already valid (no re-normalising).
                match Currency::parse(cur) {
                    Ok(c) if c.as_str() == cur => Ok(Button::Refresh(BalanceView::One(c))),
                    _ => Err(ForgedButton),
                }
            }
        }
    }

    fn button(&self, label: &str) -> InlineKeyboardButton {
        InlineKeyboardButton::callback(label, self.encode())
    }
}

/// Under a `/balance` reply: Refresh.
pub fn balance_keyboard(view: BalanceView) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[Button::Refresh(view).button(messages::REFRESH_LABEL)]])
}

/// Under an alert: Mute 1h and Balance.
pub fn alert_keyboard() -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[
        Button::MuteHour.button(messages::MUTE_HOUR_LABEL),
        Button::Balance.button(messages::BALANCE_LABEL),
    ]])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_button_round_trips_within_telegrams_limit() {
        let buttons = [
            Button::Refresh(BalanceView::Wallets),
            Button::Refresh(BalanceView::All),
            Button::Refresh(BalanceView::One(Currency::parse("usdt20").unwrap())),
            Button::Refresh(BalanceView::One(Currency::parse("ABCDEFGHIJ").unwrap())),
            Button::MuteHour,
            Button::Balance,
        ];
        for b in buttons {
            let data = b.encode();
            assert!((1..=MAX_DATA_BYTES).contains(&data.len()), "{data}");
            assert_eq!(Button::parse(&data), Ok(b));
        }
    }

    #[test]
    fn forged_data_is_refused() {
        for data in [
            "",
            "r:",
            "r:btc",
            "r:B",
            "r:BTC;DROP",
            "r:BTC ",
            "R",
            "m2h",
            "b ",
            "x",
            &"r".repeat(65),
            "r:💰",
        ] {
            assert_eq!(Button::parse(data), Err(ForgedButton), "{data:?}");
        }
    }

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

    proptest! {
        /// Any data: a button that encodes back to exactly that data, or a refusal.
        #[test]
        fn parsing_is_exact(data in any::<String>()) {
            if let Ok(b) = Button::parse(&data) {
                prop_assert_eq!(b.encode(), data);
            }
        }
    }
}
