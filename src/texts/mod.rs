//! Every text the bot sends, as HTML (Telegram's HTML parse mode), in the reader's language.
//! Pure functions: the words come from the message files (`locales/<code>.ftl`, see `l10n`),
//! anything that came from outside (currency symbols, OxaPay messages, what a user typed) is
//! escaped, and figures (amounts, codes, ids, times) are written in ASCII digits and kept left to
//! right in right-to-left languages. One file per subject; this one holds the shared pieces
//! (times, splitting), the smaller texts, and the admins' texts, which stay in English.
//!
//! Every function a user's text comes from takes the reader's [`Lang`] first.

mod alerts;
mod balance;
pub mod keyboards;
pub mod l10n;
pub mod lang;
mod payments;
mod payouts;
mod problems;
mod reports;

pub use alerts::*;
pub use balance::*;
pub use lang::Lang;
pub use payments::*;
pub use payouts::*;
pub use problems::*;
pub use reports::*;

use chrono::{DateTime, Utc};
use teloxide::utils::html::escape;

use crate::oxapay::{KeyKind, OxaPayError};
use crate::rules::domain::{ChatId, UserId};
use crate::rules::oxapay_health::HealthNotice;
use crate::store::{AllowedChat, AuditAction, AuditEntry, DenyOutcome};
use crate::t;
use l10n::{Var, code, fig, html};

/// Telegram refuses messages over 4096 characters (UTF-16 units after entity parsing); the raw
/// HTML is longer than what it counts, so staying under this on the raw text is always safe.
pub const MESSAGE_LIMIT: usize = 4000;

/// A moment in UTC as the operator and the admins read it: `2026-11-27 08:00:00 UTC`.
pub fn time(unix: i64) -> String {
    DateTime::<Utc>::from_timestamp(unix, 0)
        .map(time_of)
        .unwrap_or_else(|| "an unknown time".into())
}

/// A change in percent with its sign, a true minus for a fall: `+4.2 %`, `−3.1 %`.
fn signed_percent(p: rust_decimal::Decimal) -> String {
    if p.is_sign_negative() {
        format!("−{} %", p.abs())
    } else {
        format!("+{p} %")
    }
}

fn time_of(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// A moment in UTC in a user's text: the same ISO 8601 figure in every language (it cannot be
/// misread), kept left to right.
fn utc_time(lang: Lang, unix: i64) -> Var {
    match DateTime::<Utc>::from_timestamp(unix, 0) {
        Some(t) => fig(time_of(t)),
        None => html(t!(lang, "time-unknown")),
    }
}

/// `/start` and `/help`. Admins also read their commands and which OxaPay API the balances come
/// from (`api`, e.g. "OxaPay v1 API (general key)"; never the key), in English.
pub fn help(lang: Lang, user_id: Option<UserId>, is_admin: bool, api: &str) -> String {
    let mut s = t!(lang, "help");
    s.push('\n');
    if is_admin {
        s.push_str(
            "\n<b>Admin</b>\n\
             /allow ID — let a user (positive id) or group (negative id) use the bot\n\
             /deny ID — take that back (also removes the alerts only it made flow)\n\
             /users — who may use the bot\n\
             /alerts all — every chat's alert levels\n\
             /audit [N] — who changed access, levels and reports; /audit ID — about one id\n",
        );
        s.push_str(&format!("Balances are read through the {}.\n", escape(api)));
    }
    if let Some(id) = user_id {
        s.push('\n');
        s.push_str(&t!(lang, "help-your-id", id = code(id)));
    }
    s
}

pub fn not_authorized(
    lang: Lang,
    user_id: Option<UserId>,
    chat_id: ChatId,
    chat_has_levels: bool,
) -> String {
    let mut s = match user_id {
        Some(id) if ChatId::from(id) != chat_id => t!(
            lang,
            "not-authorized-user-in-chat",
            id = code(id),
            chat = code(chat_id)
        ),
        Some(id) => t!(lang, "not-authorized-user", id = code(id)),
        None => t!(lang, "not-authorized-chat", chat = code(chat_id)),
    };
    if chat_has_levels {
        s.push('\n');
        s.push_str(&t!(lang, "not-authorized-has-levels"));
    }
    s
}

// Button popups: plain text (no HTML), at most 200 characters.

pub fn not_authorized_popup(lang: Lang, user_id: UserId) -> String {
    t!(lang, "popup-not-authorized", id = fig(user_id))
}

pub fn button_forged(lang: Lang) -> String {
    t!(lang, "popup-button-forged")
}

pub fn button_too_old(lang: Lang) -> String {
    t!(lang, "popup-button-too-old")
}

pub fn refreshed(lang: Lang) -> String {
    t!(lang, "popup-refreshed")
}

pub fn nothing_changed(lang: Lang) -> String {
    t!(lang, "popup-nothing-changed")
}

pub fn refresh_too_long(lang: Lang) -> String {
    t!(lang, "popup-refresh-too-long")
}

pub fn refresh_failed(lang: Lang) -> String {
    t!(lang, "popup-refresh-failed")
}

pub fn muted_popup(lang: Lang, until: i64, zone: chrono_tz::Tz) -> String {
    plain_text(&t!(
        lang,
        "popup-muted",
        until = html(mute_end(lang, until, zone))
    ))
}

pub fn refresh_label(lang: Lang) -> String {
    t!(lang, "button-refresh")
}

pub fn mute_hour_label(lang: Lang) -> String {
    t!(lang, "button-mute-hour")
}

pub fn balance_label(lang: Lang) -> String {
    t!(lang, "button-balance")
}

/// The command menu's description of `command` (`balance`, …) in `lang`; `None` for a command
/// the menu does not describe in the users' languages (the admins' commands, in English).
pub fn menu_description(lang: Lang, command: &str) -> Option<String> {
    Some(match command {
        "start" => t!(lang, "menu-start"),
        "help" => t!(lang, "menu-help"),
        "balance" => t!(lang, "menu-balance"),
        "alert" => t!(lang, "menu-alert"),
        "alerts" => t!(lang, "menu-alerts"),
        "mute" => t!(lang, "menu-mute"),
        "report" => t!(lang, "menu-report"),
        "history" => t!(lang, "menu-history"),
        "lang" => t!(lang, "menu-lang"),
        "payments" => t!(lang, "menu-payments"),
        "payouts" => t!(lang, "menu-payouts"),
        "tx" => t!(lang, "menu-tx"),
        "sales" => t!(lang, "menu-sales"),
        _ => return None,
    })
}

pub fn allowed(id: ChatId, newly: bool) -> String {
    let kind = if id.is_user() { "user" } else { "group" };
    if newly {
        format!("Allowed {kind} <code>{id}</code>: it can use the bot now.")
    } else {
        format!("The {kind} <code>{id}</code> was already allowed.")
    }
}

pub fn cannot_deny_admin(id: ChatId) -> String {
    format!(
        "<code>{id}</code> is an admin (ADMIN_IDS) and cannot be denied; remove it from \
         ADMIN_IDS and restart the bot instead."
    )
}

/// `/deny`: what was taken away, and where.
pub fn denied(id: ChatId, outcome: &DenyOutcome) -> String {
    let mut s = if outcome.was_allowed {
        format!("Denied <code>{id}</code>: it can no longer use the bot.")
    } else {
        format!("<code>{id}</code> was not allowed; nothing to deny.")
    };
    let total: u64 = outcome.removed_levels.iter().map(|(_, n)| n).sum();
    if !outcome.stopped_reports.is_empty() {
        let chats: Vec<String> = outcome
            .stopped_reports
            .iter()
            .take(20)
            .map(|c| format!("<code>{c}</code>"))
            .collect();
        s.push_str(&format!(
            "\nStopped {} report schedule{} it served: {}.",
            outcome.stopped_reports.len(),
            if outcome.stopped_reports.len() == 1 {
                ""
            } else {
                "s"
            },
            chats.join(", ")
        ));
    }
    if total == 0 {
        s.push_str(" No alert levels depended on it.");
        return s;
    }
    let places: Vec<String> = outcome
        .removed_levels
        .iter()
        .take(20)
        .map(|(chat, n)| {
            let place = if *chat == id {
                "its own chat".to_owned()
            } else if !chat.is_user() {
                format!("group <code>{chat}</code>")
            } else {
                format!("chat <code>{chat}</code>")
            };
            format!("{n} in {place}")
        })
        .collect();
    let more = if outcome.removed_levels.len() > places.len() {
        ", …"
    } else {
        ""
    };
    s.push_str(&format!(
        "\nRemoved {total} alert level{} it served: {}{more}.",
        if total == 1 { "" } else { "s" },
        places.join(", ")
    ));
    if outcome.dropped_messages > 0 {
        s.push_str(&format!(
            " {} owed alert{} dropped.",
            outcome.dropped_messages,
            if outcome.dropped_messages == 1 {
                ""
            } else {
                "s"
            }
        ));
    }
    s
}

pub fn admin_only(lang: Lang) -> String {
    t!(lang, "admin-only")
}

pub fn slow_down(lang: Lang) -> String {
    t!(lang, "slow-down")
}

pub fn unknown_command(lang: Lang) -> String {
    t!(lang, "unknown-command")
}

pub fn prices_stale(lang: Lang) -> String {
    t!(lang, "prices-stale")
}

fn key_name(lang: Lang, key: KeyKind) -> String {
    let which = match key {
        KeyKind::General => "general",
        KeyKind::Merchant => "merchant",
        KeyKind::Payout => "payout",
    };
    t!(lang, "key-name", key = which)
}

/// What a user reads when OxaPay could not be read: one sentence saying what failed and what to
/// do. An OxaPay error text is never quoted (it may echo the key).
pub fn oxapay_failed(lang: Lang, e: &OxaPayError) -> String {
    let code_of = |status: u16| fig(status);
    match e {
        OxaPayError::Timeout(d) => t!(lang, "oxapay-timeout", secs = fig(d.as_secs())),
        OxaPayError::Connection(_) => t!(lang, "oxapay-connection"),
        OxaPayError::Redirect { status, .. } => {
            t!(lang, "oxapay-redirect", status = code_of(*status))
        }
        OxaPayError::Status {
            status: 429,
            retry_after,
        }
        | OxaPayError::Refused {
            status: 429,
            retry_after,
            ..
        } => t!(lang, "oxapay-rate-limited", secs = retry_after.unwrap_or(0)),
        OxaPayError::Status { status, .. } if *status >= 500 => {
            t!(lang, "oxapay-server-trouble", status = code_of(*status))
        }
        OxaPayError::Status { status, .. } => t!(lang, "oxapay-refused", status = code_of(*status)),
        OxaPayError::TooLarge { limit } => {
            t!(lang, "oxapay-too-large", mib = fig(limit / (1024 * 1024)))
        }
        OxaPayError::BadBody(_) => t!(lang, "oxapay-unreadable"),
        OxaPayError::Api { code, .. } => t!(lang, "oxapay-code", code = *code),
        OxaPayError::KeyRefused { key, .. } => t!(
            lang,
            "oxapay-key-refused",
            key = key_name(lang, *key),
            variable = fig(key.env_var())
        ),
        OxaPayError::Refused {
            status,
            retry_after,
            ..
        } => match status {
            400 => t!(lang, "oxapay-invalid"),
            401 => t!(lang, "oxapay-general-key-refused"),
            404 => t!(lang, "oxapay-not-found"),
            503 => t!(lang, "oxapay-maintenance", secs = retry_after.unwrap_or(0)),
            200..=299 => t!(lang, "oxapay-error"),
            s if *s >= 500 => t!(lang, "oxapay-server-trouble", status = code_of(*s)),
            s => t!(lang, "oxapay-refused", status = code_of(*s)),
        },
    }
}

/// Why USD prices are not shown: the read failed (`e`), in one sentence.
pub fn prices_unavailable(lang: Lang, e: &OxaPayError) -> String {
    let reason = match e {
        OxaPayError::Timeout(d) => t!(
            lang,
            "price-reason",
            kind = "timeout",
            secs = fig(d.as_secs())
        ),
        OxaPayError::Connection(_) => t!(lang, "price-reason", kind = "connection"),
        OxaPayError::Redirect { status, .. } => {
            t!(
                lang,
                "price-reason",
                kind = "redirect",
                status = fig(status)
            )
        }
        OxaPayError::Status { status: 429, .. } | OxaPayError::Refused { status: 429, .. } => {
            t!(lang, "price-reason", kind = "limited")
        }
        OxaPayError::Status { status, .. } | OxaPayError::Refused { status, .. } => {
            t!(lang, "price-reason", kind = "http", status = fig(status))
        }
        OxaPayError::TooLarge { .. } | OxaPayError::BadBody(_) => {
            t!(lang, "price-reason", kind = "unreadable")
        }
        OxaPayError::Api { code, .. } => {
            t!(lang, "price-reason", kind = "code", status = fig(code))
        }
        OxaPayError::KeyRefused { key, .. } => t!(
            lang,
            "price-reason",
            kind = "key",
            key = key_name(lang, *key)
        ),
    };
    t!(lang, "prices-unavailable", reason = html(reason))
}

pub fn storage_failed(lang: Lang) -> String {
    t!(lang, "storage-failed")
}

pub fn unknown_currency(lang: Lang, currency: &str, known: &[&str]) -> String {
    let mut list: Vec<String> = known
        .iter()
        .take(40)
        .map(|c| l10n::ltr(lang, &escape(c)))
        .collect();
    if known.len() > list.len() {
        list.push("…".into());
    }
    t!(
        lang,
        "unknown-currency",
        currency = fig(currency),
        wallets = html(list.join(", "))
    )
}

/// A refused argument: what was wrong (`problem`, HTML made by the texts), then what is
/// accepted (`usage`, HTML).
pub fn bad_argument(lang: Lang, problem: &str, usage: &str) -> String {
    t!(
        lang,
        "bad-argument",
        problem = html(problem),
        usage = html(usage)
    )
}

/// A refused argument of an admin's command (in English): `problem` is plain text.
pub fn admin_bad_argument(problem: &str, usage: &str) -> String {
    format!("{} — {}", escape(problem), usage)
}

pub fn balance_usage(lang: Lang) -> String {
    t!(lang, "usage-balance")
}

pub fn alert_usage(lang: Lang) -> String {
    t!(lang, "usage-alert")
}

pub fn mute_usage(lang: Lang) -> String {
    t!(lang, "usage-mute")
}

pub fn alerts_usage(lang: Lang) -> String {
    t!(lang, "usage-alerts")
}

pub fn report_usage(lang: Lang) -> String {
    t!(lang, "usage-report")
}

pub fn history_usage(lang: Lang) -> String {
    t!(lang, "usage-history")
}

pub fn lang_usage(lang: Lang) -> String {
    let codes: Vec<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
    t!(lang, "usage-lang", codes = codes.join(", "))
}

/// `/lang`: the chat's language and where it comes from (`set`: by `/lang`; else Telegram's
/// language of the user, `from_telegram`, or none at all), and the languages there are.
pub fn lang_current(lang: Lang, set: bool, from_telegram: bool) -> String {
    let source = match (set, from_telegram) {
        (true, _) => "set",
        (false, true) => "telegram",
        (false, false) => "default",
    };
    let languages: Vec<String> = Lang::ALL
        .iter()
        .map(|l| format!("{} <code>{}</code>", l.native_name(), l.code()))
        .collect();
    t!(
        lang,
        "lang-current",
        name = lang.native_name(),
        code = fig(lang.code()),
        source = source,
        languages = html(languages.join(", "))
    )
}

/// `/lang xx`: the chat reads `lang` from now on (the reply is in it).
pub fn lang_set(lang: Lang) -> String {
    t!(
        lang,
        "lang-set",
        name = lang.native_name(),
        code = fig(lang.code())
    )
}

/// `/lang auto`: the chat follows Telegram's language again; `lang` is what it reads now.
pub fn lang_auto(lang: Lang) -> String {
    t!(
        lang,
        "lang-auto",
        name = lang.native_name(),
        code = fig(lang.code())
    )
}

pub const AUDIT_USAGE: &str = "use /audit for the last 20 changes, <code>/audit 50</code> for more (at most 200), or <code>/audit ID</code> for those about a user or chat.";
pub const ID_USAGE: &str = "give a Telegram id: a user id like <code>123456789</code> or a group id like <code>-1001234567890</code>.";

/// The admins hear about OxaPay's health (in English).
pub fn health_notice(n: &HealthNotice, now: i64) -> String {
    match n {
        HealthNotice::Unreachable {
            since,
            failures,
            error,
        } => format!(
            "🔴 OxaPay has been unreachable since {} ({failures} balance checks failed in a row). \
             Low-balance alerts are on hold until it answers. Last error: {}",
            time(*since),
            escape(error)
        ),
        HealthNotice::Back { since } => format!(
            "🟢 OxaPay answers again (unreachable from {} to {}). Low-balance alerts resume.",
            time(*since),
            time(now)
        ),
    }
}

/// How an audited action reads in `/audit`: words, not the stored name.
fn audit_action(stored: &str) -> String {
    match AuditAction::parse(stored) {
        Some(AuditAction::Allow) => "allowed".into(),
        Some(AuditAction::Deny) => "denied".into(),
        Some(AuditAction::AlertSet) => "set alert".into(),
        Some(AuditAction::AlertOff) => "removed alert".into(),
        Some(AuditAction::ReportSet) => "set report".into(),
        Some(AuditAction::ReportOff) => "stopped report".into(),
        None => escape(stored),
    }
}

/// `/audit`: newest first, one line each: when, who, where, what, old → new.
pub fn audit(entries: &[AuditEntry]) -> String {
    if entries.is_empty() {
        return "No audited changes.".into();
    }
    let mut s = String::from("<b>Audit log</b> (newest first)\n");
    for e in entries {
        let who = if e.actor_name.is_empty() {
            format!("<code>{}</code>", e.actor_id)
        } else {
            format!("{} (<code>{}</code>)", escape(&e.actor_name), e.actor_id)
        };
        let change = match (&e.old_value, &e.new_value) {
            (Some(old), Some(new)) => format!("{} → {}", escape(old), escape(new)),
            (None, Some(new)) => format!("(none) → {}", escape(new)),
            (Some(old), None) => format!("{} → (off)", escape(old)),
            (None, None) => String::new(),
        };
        s.push_str(&format!(
            "{} {who} in <code>{}</code>: {} {} {change}\n",
            time(e.at),
            e.chat_id,
            audit_action(&e.action),
            escape(&e.subject),
        ));
    }
    s.trim_end().to_owned()
}

pub fn users(admins: &[UserId], allowed: &[AllowedChat]) -> String {
    let mut s = String::from("<b>Admins</b> (from ADMIN_IDS)\n");
    for id in admins {
        s.push_str(&format!("<code>{id}</code>\n"));
    }
    s.push_str("\n<b>Allowed</b>\n");
    if allowed.is_empty() {
        s.push_str("nobody yet — use /allow ID\n");
    }
    for a in allowed {
        let kind = if a.chat_id.is_user() { "user" } else { "group" };
        s.push_str(&format!(
            "<code>{}</code> {kind}, by <code>{}</code> on {}\n",
            a.chat_id,
            a.added_by,
            time(a.added_at)
        ));
    }
    s.trim_end().to_owned()
}

/// The text of an HTML message without its markup, for sending as plain text when Telegram
/// cannot parse the HTML: tags removed, the entities Telegram knows turned back into characters.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            match rest.find('>') {
                Some(end) => rest = &rest[end + 1..],
                None => {
                    out.push_str(rest);
                    rest = "";
                }
            }
            continue;
        }
        let entity_end = rest.find(';').filter(|&e| e <= 10);
        let decoded = entity_end.and_then(|e| decode_entity(&rest[1..e]).map(|c| (c, e)));
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        _ => {
            let code = match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => name.strip_prefix('#')?.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// Splits an HTML message into pieces Telegram accepts: at line boundaries, closing and reopening
/// a `<pre>` block across pieces, never inside a tag or an entity. Our messages open `<pre>` at the
/// start of a line and close it at the end of one.
pub fn split_html(text: &str, limit: usize) -> Vec<String> {
    const OPEN: &str = "<pre>";
    const CLOSE: &str = "</pre>";
    let len = |s: &str| s.encode_utf16().count();
    let mut chunks = Vec::new();
    let mut cur = String::new();
    let mut cur_has_lines = false;
    let mut in_pre = false;
    for line in text.split('\n') {
        let opens_here = !in_pre && line.starts_with(OPEN);
        let pre_after = (in_pre || opens_here) && !line.ends_with(CLOSE);
        // The most a line may need in a fresh piece: a reopened <pre> and a closing one.
        let fits_alone =
            len(OPEN) * usize::from(in_pre) + len(line) + len(CLOSE) * usize::from(pre_after)
                <= limit;
        let pieces = if fits_alone {
            vec![line.to_owned()]
        } else {
            hard_wrap(line, limit.saturating_sub(len(OPEN) + len(CLOSE)).max(16))
        };
        for piece in pieces {
            let sep = usize::from(cur_has_lines);
            let reserve = if pre_after { len(CLOSE) } else { 0 };
            if cur_has_lines && len(&cur) + sep + len(&piece) + reserve > limit {
                if in_pre {
                    cur.push_str(CLOSE);
                }
                chunks.push(std::mem::take(&mut cur));
                cur_has_lines = false;
                if in_pre {
                    cur.push_str(OPEN);
                }
            }
            if cur_has_lines {
                cur.push('\n');
            }
            cur.push_str(&piece);
            cur_has_lines = true;
            if opens_here {
                in_pre = true;
            }
        }
        in_pre = pre_after;
    }
    if cur_has_lines {
        chunks.push(cur);
    }
    chunks
}

/// A line longer than a whole message (never produced by our own formatting) is cut at character
/// boundaries, moving each cut before an `&entity;` it would split.
fn hard_wrap(line: &str, max: usize) -> Vec<String> {
    if line.encode_utf16().count() <= max {
        return vec![line.to_owned()];
    }
    let mut out = Vec::new();
    let mut rest = line;
    while rest.encode_utf16().count() > max {
        let mut cut = 0;
        let mut units = 0;
        for (i, c) in rest.char_indices() {
            if units + c.len_utf16() > max {
                break;
            }
            units += c.len_utf16();
            cut = i + c.len_utf8();
        }
        if let Some(amp) = rest[..cut].rfind('&')
            && !rest[amp..cut].contains(';')
            && amp > 0
        {
            cut = amp;
        }
        out.push(rest[..cut].to_owned());
        rest = &rest[cut..];
    }
    out.push(rest.to_owned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    fn btc() -> crate::rules::domain::Subject {
        crate::rules::domain::Subject::Coin(Currency::parse("BTC").unwrap())
    }
    use crate::oxapay::Balances;
    use crate::rules::alerts::{Direction, Notice};
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn table_aligns_on_the_point_and_keeps_every_digit() {
        let t = amount_table(&[
            ("BTC", d("0.00000001")),
            ("USDT", d("98765432.12345678")),
            ("TRX", d("5")),
        ]);
        assert_eq!(
            t,
            "<pre>BTC          0.00000001\nUSDT  98765432.12345678\nTRX          5</pre>"
        );
    }

    #[test]
    fn outside_text_is_escaped() {
        let e = OxaPayError::Api {
            code: 131,
            message: "<script>".into(),
        };
        assert!(!oxapay_failed(Lang::En, &e).contains('<'));
        assert!(unknown_currency(Lang::En, "<b>", &["A&B"]).contains("&lt;b&gt;"));
        assert!(unknown_currency(Lang::En, "X", &["A&B"]).contains("A&amp;B"));
        let h = health_notice(
            &HealthNotice::Unreachable {
                since: 0,
                failures: 3,
                error: "<html> & co".into(),
            },
            10,
        );
        assert!(h.contains("&lt;html&gt; &amp; co"));
    }

    #[test]
    fn alert_texts_carry_the_words_users_look_for() {
        let low = alert_notice(
            Lang::En,
            &btc(),
            Direction::Below,
            d("1"),
            Notice::Crossed { balance: d("0.25") },
        );
        assert_eq!(
            low,
            "⚠️ Low balance: <b>BTC</b> 0.25 is below your alert level 1"
        );
        let rec = alert_notice(
            Lang::En,
            &btc(),
            Direction::Below,
            d("1"),
            Notice::Back { balance: d("2") },
        );
        assert_eq!(rec, "✅ <b>BTC</b> recovered: 2 (alert level 1)");
        let high = alert_notice(
            Lang::En,
            &btc(),
            Direction::Above,
            d("2"),
            Notice::Crossed { balance: d("2.75") },
        );
        assert_eq!(
            high,
            "🔺 <b>BTC</b> 2.75 is above your level 2 — consider moving funds to cold storage"
        );
        let back = alert_notice(
            Lang::En,
            &btc(),
            Direction::Above,
            d("2"),
            Notice::Back { balance: d("1.9") },
        );
        assert_eq!(back, "✅ <b>BTC</b> is back at or below your level 2: 1.9");
    }

    #[test]
    fn a_mute_ends_in_the_chats_zone_or_utc() {
        let until = 1_764_000_000;
        assert_eq!(
            mute_end(Lang::En, until, chrono_tz::Tz::UTC),
            "2025-11-24 16:00:00 UTC"
        );
        assert_eq!(
            mute_end(Lang::En, until, chrono_tz::Europe::Berlin),
            "Mon 24 Nov 2025 17:00 (Europe/Berlin)"
        );
        assert!(
            muted(Lang::En, until, chrono_tz::Europe::Berlin)
                .contains("until Mon 24 Nov 2025 17:00")
        );
    }

    #[test]
    fn a_removed_total_level_is_named_like_everywhere_else() {
        use crate::rules::domain::Subject;
        assert_eq!(
            alert_removed(Lang::En, &Subject::Total, None, 1),
            "The alert for <b>Total value</b> was removed."
        );
        assert_eq!(
            alert_removed(Lang::En, &Subject::Total, Some(Direction::Below), 0),
            "This chat had no below alert for <b>Total value</b>."
        );
        let usdt = Subject::Coin(Currency::parse("USDT").unwrap());
        assert_eq!(
            alert_removed(Lang::En, &usdt, None, 2),
            "Both 2 alerts for <b>USDT</b> were removed."
        );
    }

    #[test]
    fn plain_text_strips_tags_and_decodes_entities() {
        assert_eq!(
            plain_text("<b>BTC</b> &lt;0.5&gt; &amp; <code>1</code> &#8364;&#x20AC; &bogus; & a<b"),
            "BTC <0.5> & 1 €€ &bogus; & a<b"
        );
        assert_eq!(plain_text("<pre>A  1\nB  2</pre>"), "A  1\nB  2");
    }

    #[test]
    fn short_messages_are_not_split() {
        assert_eq!(
            split_html("hello\n<pre>a\nb</pre>", 100),
            vec!["hello\n<pre>a\nb</pre>"]
        );
    }

    #[test]
    fn long_tables_split_into_valid_pre_blocks() {
        let rows: Vec<(Currency, Decimal)> = (0..600)
            .map(|i| {
                (
                    Currency::parse(&format!("C{i:04}")).unwrap(),
                    d("12345.678901"),
                )
            })
            .collect();
        let read = Balances::new(rows.into_iter().collect());
        let text = balances(
            Lang::En,
            &read,
            Utc::now(),
            PriceView::Unavailable("No prices."),
            false,
        );
        assert!(text.len() > MESSAGE_LIMIT);
        let parts = split_html(&text, MESSAGE_LIMIT);
        assert!(parts.len() > 1);
        let mut lines = 0;
        for p in &parts {
            assert!(p.encode_utf16().count() <= MESSAGE_LIMIT);
            assert_eq!(
                p.matches("<pre>").count(),
                p.matches("</pre>").count(),
                "{p}"
            );
            lines += p.lines().filter(|l| l.contains("12345.678901")).count();
        }
        assert_eq!(lines, 600, "no row lost or duplicated");
        assert!(parts[0].starts_with("<b>OxaPay balances</b>"));
        assert!(parts.last().unwrap().ends_with("UTC</i>"));
    }

    #[test]
    fn a_giant_line_is_cut_outside_entities() {
        let line = "a&amp;".repeat(2000);
        let parts = split_html(&line, 100);
        for p in &parts {
            assert!(p.len() <= 100);
            // Every piece holds whole entities only.
            assert_eq!(p.matches('&').count(), p.matches("&amp;").count(), "{p}");
        }
        assert_eq!(parts.concat(), line);
    }

    #[test]
    fn help_shows_admin_commands_only_to_admins() {
        let api = "OxaPay v1 API (general key)";
        assert!(help(Lang::En, Some(UserId(5)), true, api).contains("/allow"));
        assert!(!help(Lang::En, Some(UserId(5)), false, api).contains("/allow"));
        assert!(help(Lang::En, Some(UserId(5)), false, api).contains("<code>5</code>"));
        // Which API: for admins only.
        assert!(
            help(Lang::En, Some(UserId(5)), true, api)
                .lines()
                .any(|l| l == "Balances are read through the OxaPay v1 API (general key).")
        );
        assert!(!help(Lang::En, Some(UserId(5)), false, api).contains("OxaPay v1"));
    }
}
