//! The commands the bot understands and their argument parsing (pure: text in, value or the
//! reply that explains what is accepted).

use std::time::Duration;

use rust_decimal::Decimal;
use teloxide::utils::command::BotCommands;

use crate::alerts::Direction;
use crate::domain::{Currency, parse_chat_id};
use crate::money::parse_user_amount;
use crate::telegram::keyboards::BalanceView;
use crate::telegram::messages::{
    self, ALERT_USAGE, ALERTS_USAGE, AUDIT_USAGE, BALANCE_USAGE, ID_USAGE, MUTE_USAGE,
};
use crate::valuation::TOTAL;

/// Every command takes its whole argument as text; parsing and its error replies are ours, so
/// each bad input gets a sentence saying what is accepted.
#[derive(BotCommands, Clone, Debug, PartialEq, Eq)]
#[command(rename_rule = "lowercase")]
pub enum Command {
    #[command(description = "what this bot does and your user id")]
    Start(String),
    #[command(description = "the commands you can use")]
    Help(String),
    #[command(description = "wallet balances and USD values; /balance CUR for one, /balance all")]
    Balance(String),
    #[command(
        description = "/alert CUR AMOUNT (or CUR above AMOUNT) sets an alert; /alert CUR off removes it"
    )]
    Alert(String),
    #[command(description = "this chat's alerts and their state")]
    Alerts(String),
    #[command(description = "/mute 2h holds this chat's alerts; /mute off resumes them")]
    Mute(String),
    #[command(description = "/report 09:00 [TZ] daily or /report mon 09:00 weekly; off, now")]
    Report(String),
    #[command(description = "/history [CUR|total] [7d|30d|90d|1y]: a chart of the balance")]
    History(String),
    #[command(description = "admin: allow a user or group id")]
    Allow(String),
    #[command(description = "admin: deny a user or group id")]
    Deny(String),
    #[command(description = "admin: who may use the bot")]
    Users(String),
    #[command(description = "admin: /audit [N] the last changes, /audit ID those about an id")]
    Audit(String),
}

impl Command {
    pub fn name(&self) -> &'static str {
        match self {
            Command::Start(_) => "start",
            Command::Help(_) => "help",
            Command::Balance(_) => "balance",
            Command::Alert(_) => "alert",
            Command::Alerts(_) => "alerts",
            Command::Mute(_) => "mute",
            Command::Report(_) => "report",
            Command::History(_) => "history",
            Command::Allow(_) => "allow",
            Command::Deny(_) => "deny",
            Command::Users(_) => "users",
            Command::Audit(_) => "audit",
        }
    }

    /// Commands that only switch something off in this chat: anyone in the chat may use them.
    pub fn is_switch_off(&self) -> bool {
        match self {
            Command::Alert(args) => matches!(
                parse_alert(args),
                Ok(AlertRequest::Off(..) | AlertRequest::AllOff)
            ),
            Command::Report(args) => args.trim().eq_ignore_ascii_case("off"),
            _ => false,
        }
    }

    pub fn is_admin_only(&self) -> bool {
        matches!(
            self,
            Command::Allow(_) | Command::Deny(_) | Command::Users(_) | Command::Audit(_)
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
        .filter(|c| {
            admin || !matches!(c.command.as_str(), "/allow" | "/deny" | "/users" | "/audit")
        })
        .collect()
}

/// What a level watches: one currency, or the account's total USD value (`/alert total …`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Coin(Currency),
    Total,
}

impl Subject {
    /// As stored with the level.
    pub fn key(&self) -> &str {
        match self {
            Subject::Coin(c) => c.as_str(),
            Subject::Total => TOTAL,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertRequest {
    Set(Subject, Direction, Decimal),
    /// One direction's level, or both (`None`).
    Off(Subject, Option<Direction>),
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

/// `/balance`, `/balance all` (every wallet above zero, dust included), `/balance CUR`.
pub fn parse_balance(args: &str) -> Result<BalanceView, String> {
    match words(args).as_slice() {
        [] => Ok(BalanceView::Wallets),
        [w] if w.eq_ignore_ascii_case("all") => Ok(BalanceView::All),
        [cur] => Currency::parse(cur).map(BalanceView::One).map_err(|e| {
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
    // `total` is the account's USD total, not a coin (a coin called TOTAL cannot have levels).
    let currency = |cur: &str| {
        if cur.eq_ignore_ascii_case("total") {
            return Ok(Subject::Total);
        }
        Currency::parse(cur)
            .map(Subject::Coin)
            .map_err(|e| bad(format!("{} is not a currency: {e}", quote(cur))))
    };
    let level = |amount: &str| {
        parse_user_amount(amount)
            .map_err(|e| bad(format!("{} is not accepted: {e}", quote(amount))))
    };
    let direction = |word: &str| match word.to_ascii_lowercase().as_str() {
        "below" => Some(Direction::Below),
        "above" => Some(Direction::Above),
        _ => None,
    };
    let off = |word: &str| word.eq_ignore_ascii_case("off");
    let too_many =
        || bad("too many words: give a currency, optionally below or above, and an amount".into());
    match words(args).as_slice() {
        [] => Err(bad("a currency and an amount are missing".into())),
        [w] if off(w) => Ok(AlertRequest::AllOff),
        [cur] => {
            currency(cur)?;
            Err(bad("the amount is missing".into()))
        }
        [cur, w] if off(w) => Ok(AlertRequest::Off(currency(cur)?, None)),
        [cur, dir] if direction(dir).is_some() => {
            currency(cur)?;
            Err(bad("the amount is missing".into()))
        }
        [cur, amount] => Ok(AlertRequest::Set(
            currency(cur)?,
            Direction::Below,
            level(amount)?,
        )),
        [cur, dir, w] if off(w) => match direction(dir) {
            Some(d) => Ok(AlertRequest::Off(currency(cur)?, Some(d))),
            None => Err(bad(format!(
                "{} is not a direction: say below or above",
                quote(dir)
            ))),
        },
        [cur, dir, amount] => match direction(dir) {
            Some(d) => Ok(AlertRequest::Set(currency(cur)?, d, level(amount)?)),
            // `/alert BTC 5 6`: two amounts, not a misspelt direction.
            None if parse_user_amount(dir).is_ok() => Err(too_many()),
            None => Err(bad(format!(
                "{} is not a direction: say below or above",
                quote(dir)
            ))),
        },
        _ => Err(too_many()),
    }
}

/// The longest `/mute`: past that, removing the level is the honest tool.
pub const MAX_MUTE: Duration = Duration::from_secs(30 * 24 * 3600);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MuteRequest {
    Show,
    Off,
    For(Duration),
}

/// `/mute`, `/mute off`, `/mute 30m` / `2h` / `1d` (at most 30 days).
pub fn parse_mute(args: &str) -> Result<MuteRequest, String> {
    let bad = |problem: String| messages::bad_argument(&problem, MUTE_USAGE);
    match words(args).as_slice() {
        [] => Ok(MuteRequest::Show),
        [w] if w.eq_ignore_ascii_case("off") => Ok(MuteRequest::Off),
        [w] => {
            let lower = w.to_ascii_lowercase();
            let split = lower
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(lower.len());
            let (digits, unit) = lower.split_at(split);
            let unit_secs = match unit {
                "m" | "min" => 60,
                "h" => 3_600,
                "d" => 86_400,
                _ => {
                    return Err(bad(format!(
                        "{} is not a duration like 30m, 2h or 1d",
                        quote(w)
                    )));
                }
            };
            let n: u64 = match digits.parse() {
                Ok(n) if digits.len() <= 6 => n,
                _ => {
                    return Err(bad(format!(
                        "{} is not a duration like 30m, 2h or 1d",
                        quote(w)
                    )));
                }
            };
            let d = Duration::from_secs(n * unit_secs);
            if n == 0 {
                Err(bad("a mute must last longer than zero".into()))
            } else if d > MAX_MUTE {
                Err(bad("a mute lasts at most 30 days (30d)".into()))
            } else {
                Ok(MuteRequest::For(d))
            }
        }
        _ => Err(bad("one duration at a time".into())),
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

/// How many entries `/audit` shows by default, and at most.
pub const AUDIT_DEFAULT: u32 = 20;
pub const AUDIT_MAX: u32 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditRequest {
    /// The newest N entries.
    Recent(u32),
    /// The entries about a user or chat (or done by that user, or in that chat).
    About(i64),
}

/// `/audit` (20), `/audit N` (1–200), `/audit ID`. A number up to 200 is a count: Telegram's user
/// and chat ids are far larger.
pub fn parse_audit(args: &str) -> Result<AuditRequest, String> {
    match words(args).as_slice() {
        [] => Ok(AuditRequest::Recent(AUDIT_DEFAULT)),
        [w] => match w.parse::<u32>() {
            Ok(0) => Err(messages::bad_argument(
                "a count must be at least 1",
                AUDIT_USAGE,
            )),
            Ok(n) if n <= AUDIT_MAX => Ok(AuditRequest::Recent(n)),
            _ => parse_chat_id(w).map(AuditRequest::About).map_err(|_| {
                messages::bad_argument(
                    &format!("{} is neither a count (1–200) nor a Telegram id", quote(w)),
                    AUDIT_USAGE,
                )
            }),
        },
        _ => Err(messages::bad_argument(
            "one count or one id at a time",
            AUDIT_USAGE,
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

    #[test]
    fn alert_arguments() {
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
        assert_eq!(Subject::Total.key(), TOTAL);
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

    #[test]
    fn mute_arguments() {
        let mins = |m: u64| Ok(MuteRequest::For(Duration::from_secs(m * 60)));
        assert_eq!(parse_mute(""), Ok(MuteRequest::Show));
        assert_eq!(parse_mute("OFF"), Ok(MuteRequest::Off));
        assert_eq!(parse_mute("30m"), mins(30));
        assert_eq!(parse_mute("2H"), mins(120));
        assert_eq!(parse_mute("1d"), mins(1_440));
        assert_eq!(parse_mute("30d"), mins(43_200));
        for (bad, says) in [
            ("0m", "longer than zero"),
            ("31d", "at most 30 days"),
            ("721h", "at most 30 days"),
            ("2 h", "one duration"),
            ("2w", "not a duration"),
            ("h", "not a duration"),
            ("-1h", "not a duration"),
            ("99999999999d", "not a duration"),
            ("1.5h", "not a duration"),
        ] {
            let e = parse_mute(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
            assert!(e.contains("/mute"), "{bad}: {e}");
        }
    }

    #[test]
    fn audit_arguments() {
        assert_eq!(parse_audit(""), Ok(AuditRequest::Recent(20)));
        assert_eq!(parse_audit("5"), Ok(AuditRequest::Recent(5)));
        assert_eq!(parse_audit("200"), Ok(AuditRequest::Recent(200)));
        assert_eq!(parse_audit("2002"), Ok(AuditRequest::About(2002)));
        assert_eq!(
            parse_audit("-1001234567890"),
            Ok(AuditRequest::About(-1001234567890))
        );
        for bad in ["0", "abc", "1 2", "1.5"] {
            assert!(parse_audit(bad).unwrap_err().contains("/audit"), "{bad}");
        }
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
        assert_eq!(menu(true).len(), 12);
        assert_eq!(menu(false).len(), 8);
    }
}
