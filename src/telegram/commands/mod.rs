//! The commands the bot understands: one file each, its argument parsing (pure, unit-tested)
//! beside what it does. This file names them (the menu, the `/help` of Telegram's client) and
//! hands each to its file.

mod alert;
mod alerts;
mod audit;
pub mod balance;
mod help;
mod history;
mod lang;
mod mute;
mod payments;
mod payouts;
mod report;
mod sales;
mod tx;
mod users;

use teloxide::utils::command::BotCommands;

use crate::rules::domain::{ChatId, UserId};
use crate::store::Actor;
use crate::telegram::gate::{Ctx, Outcome};
use crate::texts::{self, Lang};

pub use alert::{AlertRequest, parse_alert};
pub use alerts::{AlertsScope, parse_alerts};
pub use audit::{AUDIT_MAX, AuditRequest, parse_audit, parse_id};
pub use balance::parse_balance;
pub use lang::{LangRequest, parse_lang};
pub use mute::{MAX_MUTE, MuteRequest, parse_mute};

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
    #[command(description = "/payments on|off: hear about payments here; /payments lists the last")]
    Payments(String),
    #[command(description = "/payouts on|off: hear about payouts here; /payouts lists the last")]
    Payouts(String),
    #[command(description = "/tx TRACK_ID: one payment or payout, whole")]
    Tx(String),
    #[command(
        description = "/sales [today|yesterday|7d|30d]: what was paid, against the period before"
    )]
    Sales(String),
    #[command(description = "the language of this chat: /lang ru, /lang auto")]
    Lang(String),
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
            Command::Payments(_) => "payments",
            Command::Payouts(_) => "payouts",
            Command::Tx(_) => "tx",
            Command::Sales(_) => "sales",
            Command::Lang(_) => "lang",
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
                parse_alert(Lang::En, args),
                Ok(AlertRequest::Off(..) | AlertRequest::AllOff)
            ),
            Command::Report(args) | Command::Payments(args) | Command::Payouts(args) => {
                args.trim().eq_ignore_ascii_case("off")
            }
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

/// The menu everyone sees, and the one admins see in their own chats, in `lang`: the users'
/// commands described in it, the admins' in English.
pub fn menu(lang: Lang, admin: bool) -> Vec<teloxide::types::BotCommand> {
    Command::bot_commands()
        .into_iter()
        .filter(|c| {
            admin || !matches!(c.command.as_str(), "/allow" | "/deny" | "/users" | "/audit")
        })
        .map(|mut c| {
            let name = c.command.trim_start_matches('/');
            if let Some(description) = texts::menu_description(lang, name) {
                c.description = description;
            }
            c
        })
        .collect()
}

/// Who asked, where, and the language the chat reads.
pub struct Asker<'a> {
    pub chat_id: ChatId,
    pub user_id: Option<UserId>,
    pub actor: &'a Actor,
    pub is_admin: bool,
    pub lang: Lang,
    /// The `language_code` Telegram sent with the user (what `/lang auto` goes back to).
    pub language_code: Option<&'a str>,
}

/// Runs a command that passed the gate (admin-only commands are checked by the caller).
pub async fn run(ctx: &Ctx, command: &Command, who: &Asker<'_>) -> Outcome {
    let chat_id = who.chat_id;
    let lang = who.lang;
    match command {
        Command::Start(_) | Command::Help(_) => help::run(ctx, who),
        Command::Balance(args) => balance::run(ctx, lang, args).await,
        Command::Alert(args) => alert::run(ctx, lang, chat_id, who.actor, args).await,
        Command::Alerts(args) => alerts::run(ctx, lang, chat_id, who.is_admin, args).await,
        Command::Mute(args) => mute::run(ctx, lang, chat_id, who.actor.id, args).await,
        Command::Report(args) => report::run(ctx, lang, chat_id, who.actor, args).await,
        Command::History(args) => history::run(ctx, lang, chat_id, args).await,
        Command::Lang(args) => lang::run(ctx, who, args).await,
        Command::Payments(args) => payments::run(ctx, lang, chat_id, who.actor, args).await,
        Command::Payouts(args) => payouts::run(ctx, lang, chat_id, who.actor, args).await,
        Command::Tx(args) => tx::run(ctx, lang, chat_id, args).await,
        Command::Sales(args) => sales::run(ctx, lang, chat_id, args).await,
        Command::Allow(args) => users::allow(ctx, who.actor, chat_id, args).await,
        Command::Deny(args) => users::deny(ctx, who.actor, chat_id, args).await,
        Command::Users(_) => users::list(ctx).await,
        Command::Audit(args) => audit::run(ctx, args).await,
    }
}

/// The words of a command's arguments.
fn words(args: &str) -> Vec<&str> {
    args.split_whitespace().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn admins_get_a_bigger_menu() {
        assert_eq!(menu(Lang::En, true).len(), 17);
        assert_eq!(menu(Lang::En, false).len(), 13);
        for lang in Lang::ALL {
            let menu = menu(lang, false);
            assert!(menu.iter().all(|c| !c.description.is_empty()));
            assert!(menu.iter().all(|c| c.description.chars().count() <= 256));
        }
        let ru = menu(Lang::Ru, true);
        let allow = ru.iter().find(|c| c.command == "/allow").unwrap();
        assert_eq!(allow.description, "admin: allow a user or group id");
    }
}
