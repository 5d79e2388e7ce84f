//! Alert texts: levels set and removed, `/alerts`, the crossings themselves, and `/mute`.
//! A level watches a currency or the account's total USD value (`Subject::Total`).

use chrono_tz::Tz;
use rust_decimal::Decimal;
use teloxide::utils::html::escape;

use super::l10n::{Var, code, fig, html, ltr};
use super::{Lang, utc_time, zoned};
use crate::money::Usd;
use crate::rules::alerts::{AlertState, Direction, Notice, Reading, Threshold};
use crate::rules::domain::Subject;
use crate::store::Held;
use crate::t;

/// How a level's subject reads: a currency in bold, or the account's total.
pub(super) fn subject(lang: Lang, of: &Subject) -> Var {
    match of {
        Subject::Total => html(format!("<b>{}</b>", t!(lang, "subject-total"))),
        Subject::Coin(c) => html(ltr(lang, &format!("<b>{}</b>", escape(c.as_str())))),
    }
}

/// An amount of a level's subject: the exact coin amount, or dollars for the total.
fn amount_text(of: &Subject, amount: Decimal) -> String {
    match of {
        Subject::Total => format!("${}", Usd::new(amount)),
        Subject::Coin(_) => amount.to_string(),
    }
}

fn amount_of(of: &Subject, amount: Decimal) -> Var {
    fig(amount_text(of, amount))
}

/// The selector value of a direction in the message files.
pub(super) fn direction_key(d: Direction) -> &'static str {
    match d {
        Direction::Below => "below",
        Direction::Above => "above",
    }
}

pub fn alert_set(lang: Lang, currency: &Subject, direction: Direction, level: Decimal) -> String {
    let total = if *currency == Subject::Total {
        "yes"
    } else {
        "no"
    };
    t!(
        lang,
        "alert-set",
        subject = subject(lang, currency),
        direction = direction_key(direction),
        level = code(amount_text(currency, level)),
        total = total
    )
}

pub fn alerts_removed(lang: Lang, count: u64) -> String {
    t!(lang, "alerts-removed", count = count)
}

pub fn alert_removed(
    lang: Lang,
    currency: &Subject,
    direction: Option<Direction>,
    removed: u64,
) -> String {
    t!(
        lang,
        "alert-removed",
        removed = removed,
        direction = direction.map_or("both", direction_key),
        subject = subject(lang, currency)
    )
}

fn state_text(lang: Lang, direction: Direction, state: AlertState) -> String {
    match state {
        AlertState::Unchecked => t!(lang, "alert-state-unchecked"),
        AlertState::Ok => t!(lang, "alert-state-ok"),
        AlertState::Crossed { since, .. } => t!(
            lang,
            "alert-state-crossed",
            direction = direction_key(direction),
            since = utc_time(lang, since)
        ),
    }
}

/// One level and its state: `<b>BTC</b> below <code>0.5</code>: ok`.
fn level_line(lang: Lang, t: &Threshold) -> String {
    t!(
        lang,
        "alert-line",
        subject = subject(lang, &t.subject),
        direction = direction_key(t.direction),
        level = code(amount_text(&t.subject, t.level)),
        state = html(state_text(lang, t.direction, t.state))
    )
}

/// `/alerts`: levels with their state, the chat's mute, and the last successful check.
pub fn alert_list(
    lang: Lang,
    thresholds: &[Threshold],
    last_success: Option<i64>,
    muted_until: Option<i64>,
    show_chat: bool,
) -> String {
    let mut s = if thresholds.is_empty() {
        if show_chat {
            t!(lang, "alerts-none-anywhere")
        } else {
            t!(lang, "alerts-none")
        }
    } else {
        let mut s = if show_chat {
            t!(lang, "alerts-heading-all")
        } else {
            t!(lang, "alerts-heading")
        };
        s.push('\n');
        for t in thresholds {
            if show_chat {
                s.push_str(&format!("<code>{}</code> ", t.chat_id));
            }
            s.push_str(&level_line(lang, t));
            s.push('\n');
        }
        match last_success {
            Some(at) => s.push_str(&t!(lang, "alerts-last-check", at = utc_time(lang, at))),
            None => s.push_str(&t!(lang, "alerts-no-check")),
        }
        s
    };
    if let Some(until) = muted_until {
        s.push('\n');
        s.push_str(&t!(lang, "alerts-muted", until = utc_time(lang, until)));
    }
    s
}

/// One line per level event, for the chat that set it.
pub fn alert_notice(
    lang: Lang,
    currency: &Subject,
    direction: Direction,
    level: Decimal,
    notice: Notice,
) -> String {
    let cur = || subject(lang, currency);
    let level = || amount_of(currency, level);
    let amount = |a: Decimal| amount_of(currency, a);
    match (direction, notice) {
        (Direction::Below, Notice::Crossed { balance }) => t!(
            lang,
            "alert-low",
            subject = cur(),
            balance = amount(balance),
            level = level()
        ),
        (Direction::Below, Notice::StillCrossed { balance, since }) => t!(
            lang,
            "alert-still-low",
            subject = cur(),
            balance = amount(balance),
            level = level(),
            since = utc_time(lang, since)
        ),
        (Direction::Below, Notice::Back { balance }) => t!(
            lang,
            "alert-recovered",
            subject = cur(),
            balance = amount(balance),
            level = level()
        ),
        (Direction::Above, Notice::Crossed { balance }) => t!(
            lang,
            "alert-high",
            subject = cur(),
            balance = amount(balance),
            level = level()
        ),
        (Direction::Above, Notice::StillCrossed { balance, since }) => t!(
            lang,
            "alert-still-high",
            subject = cur(),
            balance = amount(balance),
            level = level(),
            since = utc_time(lang, since)
        ),
        (Direction::Above, Notice::Back { balance }) => t!(
            lang,
            "alert-high-back",
            subject = cur(),
            balance = amount(balance),
            level = level()
        ),
    }
}

/// What a chat is told when its mute ends: what is low or high now, worded like the alerts, and
/// what its feeds held back. `None`: nothing to say.
pub fn mute_over(
    lang: Lang,
    crossed: &[(&Threshold, i64)],
    read: Option<&Reading>,
    held: &Held,
) -> Option<String> {
    let held = super::held_line(lang, held);
    match (crossed.is_empty(), held) {
        (true, None) => None,
        (true, Some(h)) => Some(format!("{}\n{h}", t!(lang, "mute-over-quiet"))),
        (false, h) => {
            let mut s = mute_ended_summary(lang, crossed, read);
            if let Some(h) = h {
                s.push('\n');
                s.push_str(&h);
            }
            Some(s)
        }
    }
}

/// The crossed levels part of [`mute_over`].
fn mute_ended_summary(lang: Lang, crossed: &[(&Threshold, i64)], read: Option<&Reading>) -> String {
    let mut s = t!(lang, "mute-over");
    for (t, since) in crossed {
        let balance = read
            .and_then(|r| r.value_of(&t.subject))
            .map(|a| format!(" {}", ltr(lang, &escape(&amount_text(&t.subject, a)))))
            .unwrap_or_default();
        let id = match t.direction {
            Direction::Below => "mute-over-low",
            Direction::Above => "mute-over-high",
        };
        let vars = [
            ("subject", subject(lang, &t.subject)),
            ("balance", html(balance)),
            ("level", amount_of(&t.subject, t.level)),
            ("since", utc_time(lang, *since)),
        ];
        s.push('\n');
        s.push_str(&super::l10n::render(lang, id, &vars));
    }
    s
}

/// When a mute ends, in the chat's zone (as its reports are), or UTC when it set none. HTML.
pub fn mute_end(lang: Lang, until: i64, zone: Tz) -> String {
    if zone == Tz::UTC {
        utc_time(lang, until).to_html(lang)
    } else {
        zoned(lang, until, zone)
    }
}

pub fn muted(lang: Lang, until: i64, zone: Tz) -> String {
    t!(lang, "muted", until = html(mute_end(lang, until, zone)))
}

pub fn mute_status(lang: Lang, until: Option<i64>, zone: Tz) -> String {
    match until {
        Some(until) => t!(
            lang,
            "mute-status",
            until = html(mute_end(lang, until, zone))
        ),
        None => t!(lang, "mute-status-off"),
    }
}

/// `/mute off`: alerts resume; what is crossed right now, from the last check.
/// `/mute off`: alerts resume; what is crossed right now, from the last check, and what the feeds
/// held back.
pub fn unmuted(lang: Lang, was_muted: bool, crossed: &[&Threshold], held: &Held) -> String {
    let mut s = if was_muted {
        t!(lang, "unmuted")
    } else {
        t!(lang, "unmuted-not-muted")
    };
    if was_muted && !crossed.is_empty() {
        s.push(' ');
        s.push_str(&t!(lang, "unmuted-as-of"));
        for t in crossed {
            s.push('\n');
            s.push_str(&level_line(lang, t));
        }
    }
    if let Some(h) = super::held_line(lang, held) {
        s.push('\n');
        s.push_str(&h);
    }
    s
}
