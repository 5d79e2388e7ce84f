//! The data inline buttons carry, as a strict little protocol (pure).
//!
//! Callback data is user input: anyone can send any string as a button press. It is parsed
//! strictly into a `Button` (never normalised) and every press is authorized like a command.

use crate::money::Currency;

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

    /// A valid payload, as the bot makes them.
    fn made() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("r".to_owned()),
            Just("r*".to_owned()),
            Just("m1h".to_owned()),
            Just("b".to_owned()),
            "[A-Z0-9]{2,10}".prop_map(|c| format!("r:{c}")),
        ]
    }

    /// A payload changed the way a forger (or a broken client) would change it.
    fn mutated() -> impl Strategy<Value = String> {
        (made(), 0..6usize, any::<char>(), 0..12usize).prop_map(|(data, how, c, at)| {
            let mut chars: Vec<char> = data.chars().collect();
            let at = at.min(chars.len());
            match how {
                0 => chars.insert(at, c),
                1 if !chars.is_empty() => {
                    chars.remove(at.min(chars.len() - 1));
                }
                2 => return data.to_lowercase(),
                3 => return format!("{data} "),
                4 => return data.repeat(20),
                _ => {
                    let last = chars.len().saturating_sub(1);
                    if let Some(slot) = chars.get_mut(at.min(last)) {
                        *slot = c;
                    }
                }
            }
            chars.into_iter().collect()
        })
    }

    proptest! {
        /// Every payload the bot makes parses, and encodes back to itself.
        #[test]
        fn made_payloads_round_trip(data in made()) {
            let button = Button::parse(&data);
            prop_assert!(button.is_ok(), "{data:?} refused");
            prop_assert_eq!(button.unwrap().encode(), data);
        }

        /// A changed payload is either refused or is exactly another payload the bot makes:
        /// parsing never normalises forged data into a button.
        #[test]
        fn changed_payloads_are_refused_or_exact(data in mutated()) {
            if let Ok(b) = Button::parse(&data) {
                prop_assert_eq!(b.encode(), data);
            }
        }
    }
}
