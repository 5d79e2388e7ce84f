//! Payout texts: a payout event as the feed tells it (a status, or stuck), `/payouts`, a payout
//! for `/tx`, a report's payouts section, and the feed's own failures (to the admins).
//!
//! The destination address is shortened in the feed and whole in `/tx`; like everything that
//! came from OxaPay it is escaped (an address may hold anything).

use chrono_tz::Tz;
use rust_decimal::Decimal;
use teloxide::utils::html::escape;

use super::{time, zoned};
use crate::money::{Currency, Usd};
use crate::oxapay::{OxaPayError, Payout, PayoutStatus};
use crate::rules::explorers::tx_url;
use crate::rules::oxapay_health::HealthNotice;
use crate::rules::payouts::{ChatFeed, Outflow, PayoutEvent};
use crate::store::{LedgerPayout, PayoutFeedSetting};

/// A status's emoji and words.
pub fn payout_status_word(status: &PayoutStatus) -> (&'static str, String) {
    let (emoji, word) = match status {
        PayoutStatus::Pending => ("⏳", "pending"),
        PayoutStatus::Processing => ("⏳", "processing"),
        PayoutStatus::Confirming => ("🔄", "confirming on the chain"),
        PayoutStatus::Confirmed => ("✅", "confirmed"),
        PayoutStatus::Canceled => ("✖️", "canceled"),
        PayoutStatus::Rejected => ("⛔", "rejected"),
        PayoutStatus::Unknown(name) => return ("❔", name.clone()),
    };
    (emoji, word.to_owned())
}

fn amount(amount: Option<Decimal>, currency: Option<&Currency>) -> String {
    let a = amount.map_or_else(|| "?".to_owned(), |a| a.to_string());
    match currency {
        Some(c) => format!("<code>{a}</code> {}", escape(c.as_str())),
        None => format!("<code>{a}</code>"),
    }
}

/// An address or hash shortened to its ends, for the feed.
fn short(text: &str) -> String {
    if text.chars().count() <= 16 {
        return text.to_owned();
    }
    let head: String = text.chars().take(8).collect();
    let tail: Vec<char> = text.chars().rev().take(6).collect();
    format!("{head}…{}", tail.into_iter().rev().collect::<String>())
}

/// The tx hash, linked to the network's explorer when known.
fn tx(network: Option<&str>, hash: &str, whole: bool) -> String {
    let shown = if whole { hash.to_owned() } else { short(hash) };
    match network.and_then(|n| tx_url(n, hash)) {
        Some(url) => format!("<a href=\"{}\">{}</a>", escape(&url), escape(&shown)),
        None => format!("<code>{}</code>", escape(&shown)),
    }
}

/// What a payout sends, where, and on which chain: the body of an event and of `/tx`.
fn payout_body(p: &PayoutView<'_>, usd: Option<(Usd, i64)>, whole: bool) -> String {
    let mut s = amount(p.amount, p.currency);
    if let Some((v, at)) = usd {
        s.push_str(&format!(" ≈ ${v} (at the price of {})", time(at)));
    }
    if let Some(fee) = p.fee {
        s.push_str(&format!(", fee <code>{fee}</code>"));
    }
    let mut line = String::new();
    if let Some(a) = p.address {
        let shown = if whole { a.to_owned() } else { short(a) };
        line.push_str(&format!("To <code>{}</code>", escape(&shown)));
    }
    if let Some(n) = p.network {
        line.push_str(&format!(" on {}", escape(n)));
    }
    if let Some(h) = p.tx_hash {
        line.push_str(&format!(" · tx {}", tx(p.network, h, whole)));
    }
    if !line.is_empty() {
        s.push('\n');
        s.push_str(line.trim_start());
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
    p: &Payout,
    event: &PayoutEvent,
    usd: Option<(Usd, i64)>,
    stuck_mins: u64,
) -> String {
    let head = match event {
        PayoutEvent::Status(status) => {
            let (emoji, word) = payout_status_word(status);
            format!("{emoji} <b>Payout {word}</b>")
        }
        PayoutEvent::Stuck { status, since } => format!(
            "⏳ <b>Payout stuck</b>: still {} since {} (over {stuck_mins} min)",
            escape(status.as_str()),
            time(*since)
        ),
    };
    format!(
        "{head}: {}\ntrack <code>{}</code>",
        payout_body(&p.into(), usd, false),
        escape(p.track_id.as_str())
    )
}

fn setting_line(setting: Option<&PayoutFeedSetting>) -> String {
    match setting {
        Some(s) if s.enabled => {
            let events: Vec<String> = s.feed.events.iter().map(|e| e.to_string()).collect();
            format!(
                "🔔 This chat hears payouts: {}, and any stuck one. <code>/payouts off</code> \
                 stops it.",
                events.join(", ")
            )
        }
        _ => "🔕 This chat does not hear payouts. <code>/payouts on</code> turns it on.".to_owned(),
    }
}

/// `/payouts`: the chat's setting and the last payouts, newest first.
pub fn payouts_overview(
    setting: Option<&PayoutFeedSetting>,
    recent: &[LedgerPayout],
    zone: Tz,
) -> String {
    let mut s = setting_line(setting);
    if recent.is_empty() {
        s.push_str("\nNo payouts recorded yet.");
        return s;
    }
    s.push_str(&format!("\n<b>Last {} payouts</b>", recent.len()));
    for p in recent {
        let (emoji, word) = payout_status_word(&p.status);
        let when = p
            .created_at
            .map_or_else(|| "?".to_owned(), |at| zoned(at, zone));
        s.push_str(&format!(
            "\n{emoji} {word} · {} · <code>{}</code> · {when}",
            payout_body(&p.into(), None, false).replace('\n', " · "),
            escape(p.track_id.as_str())
        ));
    }
    s
}

pub fn payouts_set(setting: &PayoutFeedSetting) -> String {
    setting_line(Some(setting))
}

pub fn payout_events_set(feed: &ChatFeed, enabled: bool) -> String {
    let events: Vec<String> = feed.events.iter().map(|e| e.to_string()).collect();
    let tail = if enabled {
        ""
    } else {
        " The feed is off here: <code>/payouts on</code> turns it on."
    };
    format!(
        "This chat hears payouts that are {}, and any stuck one.{tail}",
        events.join(", ")
    )
}

pub fn payouts_need_key() -> String {
    "The payout feed is off: the bot's operator must set OXAPAY_PAYOUT_API_KEY (the payout API \
     key from OxaPay) and restart the bot."
        .to_owned()
}

/// `/tx` for a payout: every field, the address and hash whole.
pub fn payout_record(p: &LedgerPayout, zone: Tz) -> String {
    let (emoji, word) = payout_status_word(&p.status);
    let mut s = format!(
        "{emoji} <b>Payout <code>{}</code></b>: {word} since {}\n{}",
        escape(p.track_id.as_str()),
        zoned(p.status_since, zone),
        payout_body(&p.into(), p.usd, true)
    );
    if let Some(m) = &p.memo {
        s.push_str(&format!("\nMemo: <code>{}</code>", escape(m)));
    }
    if p.internal == Some(true) {
        s.push_str("\nTo another OxaPay account (no blockchain transfer).");
    }
    if let Some(at) = p.created_at {
        s.push_str(&format!("\nCreated: {}", zoned(at, zone)));
    }
    if p.statuses.len() > 1 {
        let steps: Vec<String> = p
            .statuses
            .iter()
            .map(|(st, at)| format!("{} {}", escape(st.as_str()), zoned(*at, zone)))
            .collect();
        s.push_str(&format!("\nSeen: {}", steps.join(" → ")));
    }
    if !p.problems.is_empty() {
        s.push_str(&format!(
            "\n⚠️ Not readable in OxaPay's answer: {}",
            escape(&p.problems.join("; "))
        ));
    }
    s
}

/// `/tx` for a payout the ledger does not hold, as OxaPay answered it now.
pub fn payout_live(p: &Payout) -> String {
    let (emoji, word) = payout_status_word(&p.status);
    format!(
        "{emoji} <b>Payout <code>{}</code></b>: {word}\n{}\n<i>Read from OxaPay now; not in the \
         bot's ledger.</i>",
        escape(p.track_id.as_str()),
        payout_body(&p.into(), None, true)
    )
}

/// A report's payouts section; nothing when no payout moved (the payout key may be there only
/// to read balances through the legacy API).
pub fn report_payouts(o: &Outflow) -> String {
    if o.by_status.is_empty() {
        return String::new();
    }
    let counts: Vec<String> = o
        .by_status
        .iter()
        .map(|(status, n)| {
            let (emoji, word) = payout_status_word(&PayoutStatus::parse(status));
            format!("{emoji} {n} {word}")
        })
        .collect();
    let mut s = format!(
        "\n<b>Payouts since the last report</b>: {}",
        counts.join(", ")
    );
    if !o.sent.is_empty() || o.usd > Usd::ZERO {
        let rows: Vec<(&str, Decimal)> = o.sent.iter().map(|(c, a)| (c.as_str(), *a)).collect();
        s.push_str(&format!("\nSent: <b>${}</b>", o.usd));
        if o.unvalued > 0 {
            s.push_str(&format!(" ({} without a USD value left out)", o.unvalued));
        }
        if !rows.is_empty() {
            s.push('\n');
            s.push_str(&super::amount_table(&rows));
        }
    }
    s
}

/// The admins hear when the payout list cannot be read, and when it can again.
pub fn payout_feed_notice(n: &HealthNotice, now: i64, error: Option<&OxaPayError>) -> String {
    match n {
        HealthNotice::Unreachable {
            since,
            failures,
            error: logged,
        } => format!(
            "⚠️ OxaPay's payout list cannot be read since {} ({failures} polls failed): {}\n\
             Payouts are told once it can be read again; none is lost.",
            time(*since),
            escape(&error.map_or_else(|| logged.clone(), OxaPayError::user_message))
        ),
        HealthNotice::Back { since } => format!(
            "✅ OxaPay's payout list can be read again (it failed from {} to {}).",
            time(*since),
            time(now)
        ),
    }
}

pub const PAYOUTS_USAGE: &str = "use /payouts to see this chat's setting and the last payouts, \
<code>/payouts on</code>, <code>/payouts off</code>, or <code>/payouts events \
confirmed,rejected</code> (statuses: pending, processing, confirming, confirmed, canceled, \
rejected; or all, or default). A stuck payout is told whatever the list.";
