//! The commands the bot understands and their argument parsing (pure: text in, value or the
//! reply that explains what is accepted).

use rust_decimal::Decimal;
use teloxide::utils::command::BotCommands;

use crate::domain::{Currency, parse_chat_id};
use crate::money::parse_user_amount;
use crate::telegram::messages::{self, ALERT_USAGE, ALERTS_USAGE, BALANCE_USAGE, ID_USAGE};

/// Every command takes its whole argument as text; parsing and its error replies are ours, so
/// each bad input gets a sentence saying what is accepted.
#[derive(BotCommands, Clone, Debug, PartialEq, Eq)]
#[command(rename_rule = "lowercase")]
pub enum Command {
    #[command(description = "what this bot does and your user id")]
    Start(String),
    #[command(description = "the commands you can use")]
    Help(String),
    #[command(description = "wallet balances; /balance CUR for one currency")]
    Balance(String),
    #[command(
        description = "/alert CUR AMOUNT sets a low-balance alert; /alert CUR off or /alert off removes"
    )]
    Alert(String),
    #[command(description = "this chat's alerts and their state")]
    Alerts(String),
    #[command(description = "admin: allow a user or group id")]
    Allow(String),
    #[command(description = "admin: deny a user or group id")]
    Deny(String),
    #[command(description = "admin: who may use the bot")]
    Users(String),
}

impl Command {
    pub fn name(&self) -> &'static str {
        match self {
            Command::Start(_) => "start",
            Command::Help(_) => "help",
            Command::Balance(_) => "balance",
            Command::Alert(_) => "alert",
            Command::Alerts(_) => "alerts",
            Command::Allow(_) => "allow",
            Command::Deny(_) => "deny",
            Command::Users(_) => "users",
        }
    }

    /// Commands that only switch something off in this chat: anyone in the chat may use them.
    pub fn is_switch_off(&self) -> bool {
        match self {
            Command::Alert(args) => matches!(
                parse_alert(args),
                Ok(AlertRequest::Off(_) | AlertRequest::AllOff)
            ),
            _ => false,
        }
    }

    pub fn is_admin_only(&self) -> bool {
        matches!(
            self,
            Command::Allow(_) | Command::Deny(_) | Command::Users(_)
        )
    }
}

/// Parses a message as one of our commands. Phones capitalise the first letter (`/Balance`):
/// the command word is matched case-insensitively; its arguments are left as typed.
pub fn parse(text: &str, bot_name: &str) -> Option<Command> {
    let word_end = text.find(char::is_whitespace).unwrap_or(text.len());
    let name_end = text[..word_end].find('@').unwrap_or(word_end);
    let normalized = format!(
        "{}{}",
        text[..name_end].to_ascii_lowercase(),
        &text[name_end..]
    );
    Command::parse(&normalized, bot_name).ok()
}

/// The menu everyone sees, and the one admins see in their own chats.
pub fn menu(admin: bool) -> Vec<teloxide::types::BotCommand> {
    Command::bot_commands()
        .into_iter()
        .filter(|c| admin || !matches!(c.command.as_str(), "/allow" | "/deny" | "/users"))
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertRequest {
    Set(Currency, Decimal),
    Off(Currency),
    /// `/alert off`: every level of this chat.
    AllOff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertsScope {
    ThisChat,
    AllChats,
}

/// Quotes user input in a reply: escaped, and short enough to stay readable.
fn quote(text: &str) -> String {
    let mut s: String = text.chars().take(24).collect();
    if s.len() < text.len() {
        s.push('…');
    }
    format!("“{}”", s)
}

fn words(args: &str) -> Vec<&str> {
    args.split_whitespace().collect()
}

pub fn parse_balance(args: &str) -> Result<Option<Currency>, String> {
    match words(args).as_slice() {
        [] => Ok(None),
        [cur] => Currency::parse(cur).map(Some).map_err(|e| {
            messages::bad_argument(
                &format!("{} is not a currency: {e}", quote(cur)),
                BALANCE_USAGE,
            )
        }),
        _ => Err(messages::bad_argument(
            "one currency at a time",
            BALANCE_USAGE,
        )),
    }
}

pub fn parse_alert(args: &str) -> Result<AlertRequest, String> {
    let bad = |problem: String| messages::bad_argument(&problem, ALERT_USAGE);
    match words(args).as_slice() {
        [] => Err(bad("a currency and an amount are missing".into())),
        [off] if off.eq_ignore_ascii_case("off") => Ok(AlertRequest::AllOff),
        [cur] => {
            Currency::parse(cur)
                .map_err(|e| bad(format!("{} is not a currency: {e}", quote(cur))))?;
            Err(bad("the amount is missing".into()))
        }
        [cur, amount] => {
            let currency = Currency::parse(cur)
                .map_err(|e| bad(format!("{} is not a currency: {e}", quote(cur))))?;
            if amount.eq_ignore_ascii_case("off") {
                return Ok(AlertRequest::Off(currency));
            }
            let level = parse_user_amount(amount)
                .map_err(|e| bad(format!("{} is not accepted: {e}", quote(amount))))?;
            Ok(AlertRequest::Set(currency, level))
        }
        _ => Err(bad(
            "too many words: give one currency and one amount".into()
        )),
    }
}

pub fn parse_alerts(args: &str) -> Result<AlertsScope, String> {
    match words(args).as_slice() {
        [] => Ok(AlertsScope::ThisChat),
        [w] if w.eq_ignore_ascii_case("all") => Ok(AlertsScope::AllChats),
        _ => Err(messages::bad_argument(
            &format!("{} is not understood", quote(args.trim())),
            ALERTS_USAGE,
        )),
    }
}

pub fn parse_id(args: &str) -> Result<i64, String> {
    match words(args).as_slice() {
        [] => Err(messages::bad_argument("an id is missing", ID_USAGE)),
        [id] => parse_chat_id(id).map_err(|_| {
            messages::bad_argument(&format!("{} is not a Telegram id", quote(id)), ID_USAGE)
        }),
        _ => Err(messages::bad_argument("one id at a time", ID_USAGE)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn commands_parse_with_their_arguments() {
        let p = |t: &str| Command::parse(t, "oxabot");
        assert_eq!(p("/balance").unwrap(), Command::Balance(String::new()));
        assert_eq!(p("/balance usdt").unwrap(), Command::Balance("usdt".into()));
        assert_eq!(
            p("/balance@oxabot BTC").unwrap(),
            Command::Balance("BTC".into())
        );
        assert_eq!(
            p("/alert BTC 0.5").unwrap(),
            Command::Alert("BTC 0.5".into())
        );
        assert_eq!(
            p("/start deeplink").unwrap(),
            Command::Start("deeplink".into())
        );
        assert!(p("/balance@otherbot").is_err());
        assert!(p("/nope").is_err());
    }

    #[test]
    fn command_words_are_case_insensitive_arguments_are_not() {
        assert_eq!(
            parse("/Balance usdt", "OxaBot"),
            Some(Command::Balance("usdt".into()))
        );
        assert_eq!(
            parse("/ALERT@OxaBot BTC 1", "OxaBot"),
            Some(Command::Alert("BTC 1".into()))
        );
        assert_eq!(parse("/help", "OxaBot"), Some(Command::Help(String::new())));
        assert_eq!(parse("/balance@other", "OxaBot"), None);
        assert_eq!(parse("/nope", "OxaBot"), None);
    }

    #[test]
    fn balance_arguments() {
        assert_eq!(parse_balance("  "), Ok(None));
        assert_eq!(parse_balance("usdt").unwrap().unwrap().as_str(), "USDT");
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

    #[test]
    fn alert_arguments() {
        assert_eq!(
            parse_alert("btc 0.5"),
            Ok(AlertRequest::Set(
                Currency::parse("BTC").unwrap(),
                Decimal::from_str("0.5").unwrap()
            ))
        );
        assert_eq!(
            parse_alert("usdt OFF"),
            Ok(AlertRequest::Off(Currency::parse("USDT").unwrap()))
        );
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

    #[test]
    fn id_arguments() {
        assert_eq!(parse_id("-100123"), Ok(-100123));
        assert!(parse_id("").unwrap_err().contains("missing"));
        assert!(parse_id("abc").unwrap_err().contains("not a Telegram id"));
        assert!(parse_id("1 2").is_err());
    }

    #[test]
    fn alerts_scope() {
        assert_eq!(parse_alerts(""), Ok(AlertsScope::ThisChat));
        assert_eq!(parse_alerts("ALL"), Ok(AlertsScope::AllChats));
        assert!(parse_alerts("everything").is_err());
    }

    #[test]
    fn admins_get_a_bigger_menu() {
        assert_eq!(menu(true).len(), 8);
        assert_eq!(menu(false).len(), 5);
    }
}
