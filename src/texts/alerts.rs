//! Alert texts: levels set and removed, `/alerts`, the crossings themselves, and `/mute`.
//! A level watches a currency or the account's total USD value (`Subject::Total`).

use chrono_tz::Tz;
use rust_decimal::Decimal;
use teloxide::utils::html::escape;

use super::{time, zoned};
use crate::money::Usd;
use crate::rules::alerts::{AlertState, Direction, Notice, Reading, Threshold};
use crate::rules::domain::Subject;
use crate::store::Held;

/// How a level's subject reads: a currency in bold, or the account's total.
fn subject(of: &Subject) -> String {
    match of {
        Subject::Total => "<b>Total value</b>".into(),
        Subject::Coin(c) => format!("<b>{}</b>", escape(c.as_str())),
    }
}

/// An amount of a level's subject: the exact coin amount, or dollars for the total.
fn amount_of(of: &Subject, amount: Decimal) -> String {
    match of {
        Subject::Total => format!("${}", Usd::new(amount)),
        Subject::Coin(_) => amount.to_string(),
    }
}

pub fn alert_set(currency: &Subject, direction: Direction, level: Decimal) -> String {
    let when = match direction {
        Direction::Below => "falls below",
        Direction::Above => "rises above",
    };
    let extra = if *currency == Subject::Total {
        " (the sum of every wallet's USD value; a check where a price is missing leaves it as it was)"
    } else {
        ""
    };
    format!(
        "Alert set: this chat is told when {} {when} <code>{}</code>{extra}. \
         The next balance check tells you where it stands.",
        subject(currency),
        amount_of(currency, level)
    )
}

pub fn alerts_removed(count: u64) -> String {
    match count {
        0 => "This chat had no alerts.".into(),
        1 => "The one alert of this chat was removed.".into(),
        n => format!("All {n} alerts of this chat were removed."),
    }
}

pub fn alert_removed(currency: &Subject, direction: Option<Direction>, removed: u64) -> String {
    let which = direction
        .map(|d| format!(" {}", d.as_str()))
        .unwrap_or_default();
    let subject = subject(currency);
    match removed {
        0 => format!("This chat had no{which} alert for {subject}."),
        1 => format!("The{which} alert for {subject} was removed."),
        n => format!("Both {n} alerts for {subject} were removed."),
    }
}

fn state_text(direction: Direction, state: AlertState) -> String {
    match state {
        AlertState::Unchecked => "not yet checked".into(),
        AlertState::Ok => "ok".into(),
        AlertState::Crossed { since, .. } => {
            format!("{} since {}", crossed_word(direction), time(since))
        }
    }
}

/// What a crossed level is called: a balance below its level is low, above it high.
fn crossed_word(direction: Direction) -> &'static str {
    match direction {
        Direction::Below => "low",
        Direction::Above => "high",
    }
}

/// `/alerts`: levels with their state, the chat's mute, and the last successful check.
pub fn alert_list(
    thresholds: &[Threshold],
    last_success: Option<i64>,
    muted_until: Option<i64>,
    show_chat: bool,
) -> String {
    let mut s = if thresholds.is_empty() {
        if show_chat {
            "No chat has alerts.".to_owned()
        } else {
            "This chat has no alerts. Set one with <code>/alert CUR AMOUNT</code> or \
             <code>/alert CUR above AMOUNT</code>."
                .to_owned()
        }
    } else {
        let mut s = String::from(if show_chat {
            "<b>Alerts of every chat</b>\n"
        } else {
            "<b>Alerts of this chat</b>\n"
        });
        for t in thresholds {
            let chat = if show_chat {
                format!("<code>{}</code> ", t.chat_id)
            } else {
                String::new()
            };
            s.push_str(&format!(
                "{chat}{} {} <code>{}</code>: {}\n",
                subject(&t.subject),
                t.direction.as_str(),
                amount_of(&t.subject, t.level),
                state_text(t.direction, t.state)
            ));
        }
        match last_success {
            Some(at) => s.push_str(&format!("Last successful check: {}", time(at))),
            None => s.push_str("No successful check yet."),
        }
        s
    };
    if let Some(until) = muted_until {
        s.push_str(&format!(
            "\n🔕 Muted until {} — /mute off to resume.",
            time(until)
        ));
    }
    s
}

/// One line per level event, for the chat that set it.
pub fn alert_notice(
    currency: &Subject,
    direction: Direction,
    level: Decimal,
    notice: Notice,
) -> String {
    let cur = subject(currency);
    let level = amount_of(currency, level);
    let amount = |a: Decimal| amount_of(currency, a);
    match (direction, notice) {
        (Direction::Below, Notice::Crossed { balance }) => format!(
            "⚠️ Low balance: {cur} {} is below your alert level {level}",
            amount(balance)
        ),
        (Direction::Below, Notice::StillCrossed { balance, since }) => format!(
            "⚠️ Still low: {cur} {} is below your alert level {level} (since {})",
            amount(balance),
            time(since)
        ),
        (Direction::Below, Notice::Back { balance }) => {
            format!(
                "✅ {cur} recovered: {} (alert level {level})",
                amount(balance)
            )
        }
        (Direction::Above, Notice::Crossed { balance }) => format!(
            "🔺 {cur} {} is above your level {level} — consider moving funds to cold storage",
            amount(balance)
        ),
        (Direction::Above, Notice::StillCrossed { balance, since }) => format!(
            "🔺 Still high: {cur} {} is above your level {level} (since {})",
            amount(balance),
            time(since)
        ),
        (Direction::Above, Notice::Back { balance }) => format!(
            "✅ {cur} is back at or below your level {level}: {}",
            amount(balance)
        ),
    }
}

/// What a chat is told when its mute ends: what is low or high now, worded like the alerts, and
/// what its feeds held back. `None`: nothing to say.
pub fn mute_over(
    crossed: &[(&Threshold, i64)],
    read: Option<&Reading>,
    held: &Held,
) -> Option<String> {
    let held = super::held_line(held);
    match (crossed.is_empty(), held) {
        (true, None) => None,
        (true, Some(h)) => Some(format!("🔔 Mute over.\n{h}")),
        (false, h) => {
            let mut s = mute_ended_summary(crossed, read);
            if let Some(h) = h {
                s.push('\n');
                s.push_str(&h);
            }
            Some(s)
        }
    }
}

/// The crossed levels part of [`mute_over`].
fn mute_ended_summary(crossed: &[(&Threshold, i64)], read: Option<&Reading>) -> String {
    let mut s = String::from("🔔 Mute over. Right now:");
    for (t, since) in crossed {
        let cur = subject(&t.subject);
        let level = amount_of(&t.subject, t.level);
        let amount = read
            .and_then(|r| r.value_of(&t.subject))
            .map(|a| format!(" {}", amount_of(&t.subject, a)))
            .unwrap_or_default();
        let line = match t.direction {
            Direction::Below => format!(
                "⚠️ {cur}{amount} is below your alert level {level} (low since {})",
                time(*since)
            ),
            Direction::Above => format!(
                "🔺 {cur}{amount} is above your level {level} (high since {})",
                time(*since)
            ),
        };
        s.push('\n');
        s.push_str(&line);
    }
    s
}

/// When a mute ends, in the chat's zone (as its reports are), or UTC when it set none.
pub fn mute_end(until: i64, zone: Tz) -> String {
    if zone == Tz::UTC {
        time(until)
    } else {
        zoned(until, zone)
    }
}

pub fn muted(until: i64, zone: Tz) -> String {
    format!(
        "🔕 Alerts in this chat are held until {}. States keep updating; when the mute ends \
         you get one summary of what is low or high then. /mute off resumes them now.",
        mute_end(until, zone)
    )
}

pub fn mute_status(until: Option<i64>, zone: Tz) -> String {
    match until {
        Some(until) => format!(
            "🔕 This chat's alerts are muted until {}.",
            mute_end(until, zone)
        ),
        None => "This chat's alerts are not muted. <code>/mute 2h</code> holds them for two hours."
            .into(),
    }
}

/// `/mute off`: alerts resume; what is crossed right now, from the last check, and what the feeds
/// held back.
pub fn unmuted(was_muted: bool, crossed: &[&Threshold], held: &Held) -> String {
    let mut s = if was_muted {
        String::from("🔔 Alerts in this chat resume.")
    } else {
        String::from("This chat's alerts were not muted.")
    };
    if was_muted && !crossed.is_empty() {
        s.push_str(" As of the last check:");
        for t in crossed {
            s.push_str(&format!(
                "\n{} {} <code>{}</code>: {}",
                subject(&t.subject),
                t.direction.as_str(),
                amount_of(&t.subject, t.level),
                state_text(t.direction, t.state)
            ));
        }
    }
    if let Some(h) = super::held_line(held) {
        s.push('\n');
        s.push_str(&h);
    }
    s
}
