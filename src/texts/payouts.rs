//! Payout texts: a payout event as the feed tells it (a status, or stuck), `/payouts`, a payout
//! for `/tx`, a report's payouts section, and the feed's own failures (to the admins, in
//! English like every admin text).
//!
//! The destination address is shortened in the feed and whole in `/tx`; like everything that
//! came from OxaPay it is escaped (an address may hold anything).

use chrono_tz::Tz;
use rust_decimal::Decimal;
use teloxide::utils::html::escape;

use super::l10n::{code, fig, html};
use super::payments::{
    amount, dollars, field, problems, seen, short, status_counts, tx_link, usd_at,
};
use super::{Lang, utc_time, zoned};
use crate::money::{Currency, Usd};
use crate::oxapay::{Payout, PayoutStatus};
use crate::rules::payouts::{ChatFeed, Outflow, PayoutEvent};
use crate::store::{LedgerPayout, PayoutFeedSetting};
use crate::t;

/// A status's emoji and words in `lang` (a status OxaPay added later is shown as it spelt it).
pub fn payout_status_word(lang: Lang, status: &PayoutStatus) -> (&'static str, String) {
    let emoji = match status {
        PayoutStatus::Pending | PayoutStatus::Processing => "⏳",
        PayoutStatus::Confirming => "🔄",
        PayoutStatus::Confirmed => "✅",
        PayoutStatus::Canceled => "✖️",
        PayoutStatus::Rejected => "⛔",
        PayoutStatus::Unknown(_) => "❔",
    };
    let word = t!(
        lang,
        "payout-status",
        status = status.as_str(),
        name = fig(status.as_str())
    );
    (emoji, word)
}

/// What a payout sends, where, and on which chain: the body of an event and of `/tx`.
fn payout_body(lang: Lang, p: &PayoutView<'_>, usd: Option<(Usd, i64)>, whole: bool) -> String {
    let mut s = amount(lang, p.amount, p.currency);
    s.push_str(&usd_at(lang, usd));
    if let Some(fee) = p.fee {
        s.push_str(&t!(lang, "payout-fee", fee = code(fee)));
    }
    let mut line = Vec::new();
    if let Some(a) = p.address {
        let shown = if whole { a.to_owned() } else { short(a) };
        line.push(t!(lang, "payout-to", address = code(shown)));
    }
    if let Some(n) = p.network {
        line.push(t!(lang, "tx-on-network", network = fig(n)));
    }
    if let Some(h) = p.tx_hash {
        let link = tx_link(lang, p.network, h, whole);
        line.push(format!("· {}", t!(lang, "payment-tx", tx = html(link))));
    }
    if !line.is_empty() {
        s.push('\n');
        s.push_str(line.join(" ").trim_start_matches("· "));
    }
    if let Some(d) = p.description {
        s.push_str(&format!("\n<i>{}</i>", escape(d)));
    }
    s
}

/// The fields a payout text shows, from a read or from the ledger.
struct PayoutView<'a> {
    amount: Option<Decimal>,
    currency: Option<&'a Currency>,
    fee: Option<Decimal>,
    address: Option<&'a str>,
    network: Option<&'a str>,
    tx_hash: Option<&'a str>,
    description: Option<&'a str>,
}

impl<'a> From<&'a Payout> for PayoutView<'a> {
    fn from(p: &'a Payout) -> Self {
        Self {
            amount: p.amount,
            currency: p.currency.as_ref(),
            fee: p.fee,
            address: p.address.as_deref(),
            network: p.network.as_deref(),
            tx_hash: p.tx_hash.as_deref(),
            description: p.description.as_deref(),
        }
    }
}

impl<'a> From<&'a LedgerPayout> for PayoutView<'a> {
    fn from(p: &'a LedgerPayout) -> Self {
        Self {
            amount: p.amount,
            currency: p.currency.as_ref(),
            fee: p.fee,
            address: p.address.as_deref(),
            network: p.network.as_deref(),
            tx_hash: p.tx_hash.as_deref(),
            description: p.description.as_deref(),
        }
    }
}

/// One payout event, as the feed tells it to a chat.
pub fn payout_event(
    lang: Lang,
    p: &Payout,
    event: &PayoutEvent,
    usd: Option<(Usd, i64)>,
    stuck_mins: u64,
) -> String {
    let body = html(payout_body(lang, &p.into(), usd, false));
    let head = match event {
        PayoutEvent::Status(status) => {
            let (emoji, word) = payout_status_word(lang, status);
            t!(
                lang,
                "payout-event",
                emoji = html(emoji),
                status = html(word),
                body = body
            )
        }
        PayoutEvent::Stuck { status, since } => t!(
            lang,
            "payout-stuck",
            status = html(payout_status_word(lang, status).1),
            since = utc_time(lang, *since),
            mins = stuck_mins,
            body = body
        ),
    };
    format!(
        "{head}\n{}",
        t!(lang, "payment-track", track = code(p.track_id.as_str()))
    )
}

fn setting_line(lang: Lang, setting: Option<&PayoutFeedSetting>) -> String {
    match setting {
        Some(s) if s.enabled => {
            let events: Vec<String> = s.feed.events.iter().map(|e| e.to_string()).collect();
            t!(lang, "payouts-on", events = fig(events.join(", ")))
        }
        _ => t!(lang, "payouts-off-setting"),
    }
}

/// `/payouts`: the chat's setting and the last payouts, newest first.
pub fn payouts_overview(
    lang: Lang,
    setting: Option<&PayoutFeedSetting>,
    recent: &[LedgerPayout],
    zone: Tz,
) -> String {
    let mut s = setting_line(lang, setting);
    s.push('\n');
    if recent.is_empty() {
        s.push_str(&t!(lang, "payouts-none"));
        return s;
    }
    s.push_str(&t!(lang, "payouts-last", count = recent.len()));
    for p in recent {
        let (emoji, word) = payout_status_word(lang, &p.status);
        let when = p
            .created_at
            .map_or_else(|| "?".to_owned(), |at| zoned(lang, at, zone));
        let body = payout_body(lang, &p.into(), None, false).replace('\n', " · ");
        s.push('\n');
        s.push_str(&t!(
            lang,
            "payment-line",
            emoji = html(emoji),
            status = html(word),
            amount = html(body),
            track = code(p.track_id.as_str()),
            when = html(when)
        ));
    }
    s
}

pub fn payouts_set(lang: Lang, setting: &PayoutFeedSetting) -> String {
    setting_line(lang, Some(setting))
}

pub fn payout_events_set(lang: Lang, feed: &ChatFeed, enabled: bool) -> String {
    let events: Vec<String> = feed.events.iter().map(|e| e.to_string()).collect();
    t!(
        lang,
        "payouts-events-set",
        events = fig(events.join(", ")),
        enabled = if enabled { "yes" } else { "no" }
    )
}

pub fn payouts_need_key(lang: Lang) -> String {
    t!(lang, "payouts-need-key")
}

/// `/tx` for a payout: every field, the address and hash whole.
pub fn payout_record(lang: Lang, p: &LedgerPayout, zone: Tz) -> String {
    let (emoji, word) = payout_status_word(lang, &p.status);
    let mut lines = vec![
        t!(
            lang,
            "tx-payout-heading",
            emoji = html(emoji),
            track = code(p.track_id.as_str()),
            status = html(word),
            since = html(zoned(lang, p.status_since, zone))
        ),
        payout_body(lang, &p.into(), p.usd, true),
    ];
    if let Some(m) = &p.memo {
        lines.push(t!(lang, "tx-memo", memo = code(m)));
    }
    if p.internal == Some(true) {
        lines.push(t!(lang, "tx-internal"));
    }
    if let Some(at) = p.created_at {
        lines.push(field(lang, "created", html(zoned(lang, at, zone))));
    }
    lines.extend(seen(lang, &p.statuses, zone));
    lines.extend(problems(lang, &p.problems));
    lines.join("\n")
}

/// `/tx` for a payout the ledger does not hold, as OxaPay answered it now.
pub fn payout_live(lang: Lang, p: &Payout) -> String {
    let (emoji, word) = payout_status_word(lang, &p.status);
    [
        t!(
            lang,
            "tx-payout-live-heading",
            emoji = html(emoji),
            track = code(p.track_id.as_str()),
            status = html(word)
        ),
        payout_body(lang, &p.into(), None, true),
        t!(lang, "tx-payout-live"),
    ]
    .join("\n")
}

/// A report's payouts section; nothing when no payout moved (the payout key may be there only
/// to read balances through the legacy API).
pub fn report_payouts(lang: Lang, o: &Outflow) -> String {
    if o.by_status.is_empty() {
        return String::new();
    }
    let counts = status_counts(lang, &o.by_status, |s| {
        payout_status_word(lang, &PayoutStatus::parse(s))
    });
    let mut s = format!("\n{}", t!(lang, "report-payouts", counts = counts));
    if !o.sent.is_empty() || o.usd > Usd::ZERO {
        s.push('\n');
        s.push_str(&t!(
            lang,
            "report-sent",
            usd = dollars(o.usd),
            unvalued = o.unvalued
        ));
        let rows: Vec<(&str, Decimal)> = o.sent.iter().map(|(c, a)| (c.as_str(), *a)).collect();
        if !rows.is_empty() {
            s.push('\n');
            s.push_str(&super::amount_table(&rows));
        }
    }
    s
}

pub fn payouts_usage(lang: Lang) -> String {
    t!(lang, "usage-payouts")
}
