//! Payment texts: a payment event as the feed tells it, `/payments`, `/tx`, `/sales`, a report's
//! payments section, what a mute held back, and the feed's own failures (to the admins).
//!
//! Everything that came from OxaPay (track ids, order ids, networks, hashes, emails,
//! descriptions) is escaped here; amounts are shown exactly as read. Email and description are
//! personal data: the feed never shows them, `/tx` does.

use chrono_tz::Tz;
use rust_decimal::Decimal;
use teloxide::utils::html::escape;

use super::{time, zoned};
use crate::money::{Currency, Usd};
use crate::oxapay::{OxaPayError, Payment, PaymentStatus, PaymentTx, TrackId};
use crate::rules::explorers::tx_url;
use crate::rules::oxapay_health::HealthNotice;
use crate::rules::payments::{ChatFeed, PaymentEvent};
use crate::rules::sales::{Comparison, Figures, Movement, Period, Span};
use crate::store::{Held, LedgerPayment, PaymentFeedSetting, PaymentRecord};

/// A status's emoji and words.
pub fn status_word(status: &PaymentStatus) -> (&'static str, String) {
    let (emoji, word) = match status {
        PaymentStatus::New => ("🆕", "new"),
        PaymentStatus::Waiting => ("🕒", "waiting for payment"),
        PaymentStatus::Paying => ("⏳", "being paid"),
        PaymentStatus::Paid => ("✅", "paid"),
        PaymentStatus::ManualAccept => ("✅", "accepted by hand"),
        PaymentStatus::Underpaid => ("⚠️", "underpaid"),
        PaymentStatus::Refunding => ("↩️", "being refunded"),
        PaymentStatus::Refunded => ("↩️", "refunded"),
        PaymentStatus::Expired => ("⌛", "expired"),
        PaymentStatus::Unknown(name) => return ("❔", name.clone()),
    };
    (emoji, word.to_owned())
}

/// An amount with its currency, exact: `<code>0.01500000</code> BTC`; `?` where unreadable.
fn amount(amount: Option<Decimal>, currency: Option<&Currency>) -> String {
    let a = amount.map_or_else(|| "?".to_owned(), |a| a.to_string());
    match currency {
        Some(c) => format!("<code>{a}</code> {}", escape(c.as_str())),
        None => format!("<code>{a}</code>"),
    }
}

/// A USD value with the time of the price it was computed at.
fn usd_at(usd: Option<(Usd, i64)>) -> String {
    match usd {
        Some((v, at)) => format!(" ≈ ${v} (at the price of {})", time(at)),
        None => String::new(),
    }
}

/// A hash, shortened, linked to an explorer when the network is known.
fn tx_link(network: Option<&str>, hash: &str, whole: bool) -> String {
    let shown = if whole || hash.chars().count() <= 16 {
        hash.to_owned()
    } else {
        let head: String = hash.chars().take(8).collect();
        let tail: String = hash
            .chars()
            .rev()
            .take(6)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("{head}…{tail}")
    };
    match network.and_then(|n| tx_url(n, hash)) {
        Some(url) => format!("<a href=\"{}\">{}</a>", escape(&url), escape(&shown)),
        None => format!("<code>{}</code>", escape(&shown)),
    }
}

/// The transfer an event is about: the one named, else the payment's last.
fn event_tx<'a>(p: &'a Payment, event: &PaymentEvent) -> Option<&'a PaymentTx> {
    match event {
        PaymentEvent::Received { tx_hash, .. } => {
            p.txs.iter().find(|t| t.tx_hash.as_deref() == Some(tx_hash))
        }
        PaymentEvent::Status(_) => p.txs.last(),
    }
}

/// One payment event, as the feed tells it to a chat.
pub fn payment_event(p: &Payment, event: &PaymentEvent, usd: Option<(Usd, i64)>) -> String {
    let (emoji, word) = status_word(event.status());
    let tx = event_tx(p, event);
    let mut s = match event {
        PaymentEvent::Received { .. } => {
            let (a, c) = tx.map_or((None, None), |t| (t.amount, t.currency.as_ref()));
            format!(
                "💰 <b>Received</b> on a static address: {} (payment {word})",
                amount(a, c)
            )
        }
        PaymentEvent::Status(_) => format!(
            "{emoji} <b>Payment {word}</b>: {}{}",
            amount(p.amount, p.currency.as_ref()),
            usd_at(usd)
        ),
    };
    let order = p
        .order_id
        .as_deref()
        .map(|o| format!("order <code>{}</code> · ", escape(o)))
        .unwrap_or_default();
    s.push_str(&format!(
        "\n{order}track <code>{}</code>",
        escape(p.track_id.as_str())
    ));
    if let Some(t) = tx {
        let network = t.network.as_deref();
        let mut line = network.map(escape).unwrap_or_default();
        if let Some(hash) = t.tx_hash.as_deref() {
            if !line.is_empty() {
                line.push_str(" · ");
            }
            line.push_str(&format!("tx {}", tx_link(network, hash, false)));
        }
        if !line.is_empty() {
            s.push('\n');
            s.push_str(&line);
        }
    }
    s
}

/// The line `/payments` shows of a chat's setting.
fn setting_line(setting: Option<&PaymentFeedSetting>) -> String {
    match setting {
        Some(s) if s.enabled => {
            let events: Vec<String> = s.feed.events.iter().map(|e| e.to_string()).collect();
            let min = s
                .feed
                .min_usd
                .map(|m| format!("; payments worth ${} or more", Usd::new(m)))
                .unwrap_or_default();
            format!(
                "🔔 This chat hears payments: {}{min}. <code>/payments off</code> stops it.",
                events.join(", ")
            )
        }
        _ => "🔕 This chat does not hear payments. <code>/payments on</code> turns it on \
              (<code>/payments on 100</code>: only those worth $100 or more)."
            .to_owned(),
    }
}

/// One payment in a list, newest first.
fn payment_line(p: &LedgerPayment, zone: Tz) -> String {
    let (emoji, word) = status_word(&p.status);
    let when = p
        .created_at
        .map_or_else(|| "?".to_owned(), |at| zoned(at, zone));
    let order = p
        .order_id
        .as_deref()
        .map(|o| format!(" · order <code>{}</code>", escape(o)))
        .unwrap_or_default();
    format!(
        "{emoji} {word} · {} · <code>{}</code>{order} · {when}",
        amount(p.amount, p.currency.as_ref()),
        escape(p.track_id.as_str())
    )
}

/// `/payments`: the chat's setting and the last payments, newest first.
pub fn payments_overview(
    setting: Option<&PaymentFeedSetting>,
    recent: &[LedgerPayment],
    zone: Tz,
) -> String {
    let mut s = setting_line(setting);
    if recent.is_empty() {
        s.push_str("\nNo payments recorded yet.");
    } else {
        s.push_str(&format!("\n<b>Last {} payments</b>", recent.len()));
        for p in recent {
            s.push('\n');
            s.push_str(&payment_line(p, zone));
        }
    }
    s
}

/// `/payments on|off|events …`: what the chat hears now.
pub fn payments_set(setting: &PaymentFeedSetting) -> String {
    setting_line(Some(setting))
}

/// The events a chat hears, when it asked to change them while the feed is off.
pub fn payment_events_set(feed: &ChatFeed, enabled: bool) -> String {
    let events: Vec<String> = feed.events.iter().map(|e| e.to_string()).collect();
    let tail = if enabled {
        ""
    } else {
        " The feed is off here: <code>/payments on</code> turns it on."
    };
    format!(
        "This chat hears payments that are {}.{tail}",
        events.join(", ")
    )
}

/// Without a merchant key there is no payment feed.
pub fn payments_need_key() -> String {
    "The payment feed is off: the bot's operator must set OXAPAY_MERCHANT_API_KEY (the merchant \
     API key from OxaPay) and restart the bot."
        .to_owned()
}

/// `/tx`: a payment's whole record from the ledger.
pub fn payment_record(r: &PaymentRecord, zone: Tz) -> String {
    let p = &r.payment;
    let (emoji, word) = status_word(&p.status);
    let mut s = format!(
        "{emoji} <b>Payment <code>{}</code></b>: {word} since {}",
        escape(p.track_id.as_str()),
        zoned(p.status_since, zone)
    );
    s.push_str(&format!(
        "\nAmount: {}{}",
        amount(p.amount, p.currency.as_ref()),
        usd_at(p.usd)
    ));
    let mut fields: Vec<(&str, String)> = Vec::new();
    if let Some(k) = &p.kind {
        fields.push(("Type", escape(k.as_str())));
    }
    for (name, value) in [
        ("Order", &p.order_id),
        ("Email", &p.email),
        ("Description", &p.description),
    ] {
        if let Some(v) = value {
            fields.push((name, format!("<code>{}</code>", escape(v))));
        }
    }
    if let Some(at) = p.created_at {
        fields.push(("Created", zoned(at, zone)));
    }
    if let Some(at) = p.expired_at {
        fields.push(("Expires", zoned(at, zone)));
    }
    for (name, value) in fields {
        s.push_str(&format!("\n{name}: {value}"));
    }
    for t in &r.txs {
        s.push('\n');
        s.push_str(&tx_line(t, zone));
    }
    if r.statuses.len() > 1 {
        let steps: Vec<String> = r
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

/// One transfer of a payment, whole, with its explorer link and confirmations.
fn tx_line(t: &PaymentTx, zone: Tz) -> String {
    let mut s = format!("• {}", amount(t.amount, t.currency.as_ref()));
    if let Some(n) = &t.network {
        s.push_str(&format!(" on {}", escape(n)));
    }
    if let Some(c) = t.confirmations {
        s.push_str(&format!(", {c} confirmations"));
    }
    if let Some(at) = t.date {
        s.push_str(&format!(", {}", zoned(at, zone)));
    }
    if let Some(h) = &t.tx_hash {
        s.push_str(&format!(
            "\n  tx {}",
            tx_link(t.network.as_deref(), h, true)
        ));
    }
    if let Some(a) = &t.address {
        s.push_str(&format!("\n  to <code>{}</code>", escape(a)));
    }
    s
}

/// `/tx` for a payment the ledger does not hold, as OxaPay answered it now.
pub fn payment_live(p: &Payment, zone: Tz) -> String {
    let record = PaymentRecord {
        payment: LedgerPayment {
            track_id: p.track_id.clone(),
            kind: p.kind.clone(),
            amount: p.amount,
            currency: p.currency.clone(),
            status: p.status.clone(),
            status_since: crate::clock::now_unix(),
            order_id: p.order_id.clone(),
            description: p.description.clone(),
            email: p.email.clone(),
            created_at: p.created_at,
            expired_at: p.expired_at,
            problems: p.problems.clone(),
            usd: None,
            first_seen_at: crate::clock::now_unix(),
        },
        txs: p.txs.clone(),
        statuses: Vec::new(),
    };
    let mut s = payment_record(&record, zone);
    s.push_str("\n<i>Read from OxaPay now; not in the bot's ledger (older than its history).</i>");
    s
}

pub fn payment_unknown(track_id: &TrackId) -> String {
    format!(
        "OxaPay knows no payment or payout with the track id <code>{}</code>.",
        escape(track_id.as_str())
    )
}

/// The received amounts per currency, aligned, and the USD sum.
fn received(f: &Figures) -> String {
    let rows: Vec<(&str, Decimal)> = f.received.iter().map(|(c, a)| (c.as_str(), *a)).collect();
    let mut s = format!("{} paid · <b>${}</b>", f.paid, f.usd);
    if f.unvalued > 0 {
        s.push_str(&format!(" ({} without a USD value left out)", f.unvalued));
    }
    if !rows.is_empty() {
        s.push('\n');
        s.push_str(&super::amount_table(&rows));
    }
    if f.unreadable > 0 {
        s.push_str(&format!(
            "\n{} with an unreadable amount left out of the sums.",
            f.unreadable
        ));
    }
    s
}

/// `/sales`: what was received in the period, the period before, and the change.
pub fn sales(
    period: Period,
    span: Span,
    now: &Figures,
    before: &Figures,
    change: &Comparison,
    zone: Tz,
) -> String {
    let name = match period {
        Period::Today => "today",
        Period::Yesterday => "yesterday",
        Period::Week => "in the last 7 days",
        Period::Month => "in the last 30 days",
    };
    let mut s = format!(
        "💵 <b>Sales {name}</b> (from {})\n{}",
        zoned(span.from, zone),
        received(now)
    );
    let percent = change
        .usd_percent
        .map(|p| format!(" ({}{p} %)", if p.is_sign_negative() { "" } else { "+" }))
        .unwrap_or_default();
    let sign = |d: i64| {
        if d < 0 {
            format!("−{}", -d)
        } else {
            format!("+{d}")
        }
    };
    let usd_sign = if change.usd_delta.is_sign_negative() {
        "−"
    } else {
        "+"
    };
    s.push_str(&format!(
        "\nThe period before: {} paid · ${}. Change: {} paid, {usd_sign}${}{percent}",
        before.paid,
        before.usd,
        sign(change.paid_delta),
        Usd::new(change.usd_delta.abs())
    ));
    s.push_str(&format!(
        "\nUnderpaid: {} · Expired: {}",
        now.underpaid, now.expired
    ));
    s
}

/// A report's payments section.
pub fn report_payments(m: &Movement) -> String {
    if m.by_status.is_empty() {
        return "\n<b>Payments since the last report</b>: none.".to_owned();
    }
    let counts: Vec<String> = m
        .by_status
        .iter()
        .map(|(status, n)| {
            let (emoji, word) = status_word(&PaymentStatus::parse(status));
            format!("{emoji} {n} {word}")
        })
        .collect();
    let mut s = format!(
        "\n<b>Payments since the last report</b>: {}",
        counts.join(", ")
    );
    if m.sales.paid > 0 {
        s.push_str("\nReceived: ");
        s.push_str(&received(&m.sales));
    }
    s
}

/// What a mute held back, for its summary: `12 payments, $3,410.00; 2 payouts`.
pub fn held_line(held: &Held) -> Option<String> {
    let mut parts = Vec::new();
    if held.payments > 0 {
        let unvalued = if held.unvalued > 0 {
            format!(" ({} without a USD value)", held.unvalued)
        } else {
            String::new()
        };
        parts.push(format!(
            "{} payment{}, ${}{unvalued}",
            held.payments,
            if held.payments == 1 { "" } else { "s" },
            held.usd
        ));
    }
    if held.payouts > 0 {
        parts.push(format!(
            "{} payout{}",
            held.payouts,
            if held.payouts == 1 { "" } else { "s" }
        ));
    }
    if parts.is_empty() {
        return None;
    }
    Some(format!(
        "💰 While muted: {} — /payments and /payouts list them.",
        parts.join("; ")
    ))
}

/// The admins hear when the payment list cannot be read, and when it can again. A refused
/// merchant key is said as the sentence that names the variable to fix.
pub fn payment_feed_notice(n: &HealthNotice, now: i64, error: Option<&OxaPayError>) -> String {
    match n {
        HealthNotice::Unreachable {
            since,
            failures,
            error: logged,
        } => format!(
            "⚠️ OxaPay's payment list cannot be read since {} ({failures} polls failed): {}\n\
             Payments are told once it can be read again; none is lost.",
            time(*since),
            escape(&error.map_or_else(|| logged.clone(), OxaPayError::user_message))
        ),
        HealthNotice::Back { since } => format!(
            "✅ OxaPay's payment list can be read again (it failed from {} to {}); payments \
             since then are being told.",
            time(*since),
            time(now)
        ),
    }
}

/// A payment command when OxaPay refused or failed a live read (`/tx` of an unknown payment).
pub fn payment_read_failed(e: &OxaPayError) -> String {
    escape(&e.user_message())
}

pub const PAYMENTS_USAGE: &str = "use /payments to see this chat's setting and the last payments, \
<code>/payments on</code> (or <code>/payments on 100</code>: only payments worth $100 or more), \
<code>/payments off</code>, or <code>/payments events paid,underpaid,expired</code> (statuses: \
new, waiting, paying, paid, manual_accept, underpaid, refunding, refunded, expired; or all, or \
default).";
pub const TX_USAGE: &str = "use <code>/tx TRACK_ID</code> with the payment's track id from \
OxaPay, e.g. <code>/tx 188225613</code>.";
pub const SALES_USAGE: &str = "use /sales (today), <code>/sales yesterday</code>, \
<code>/sales 7d</code> or <code>/sales 30d</code>.";

/// `/history payments` with nothing received in the period.
pub fn payments_chart_empty() -> String {
    "No paid payments in that period, so there is nothing to chart yet.".to_owned()
}

/// A payments chart's caption: the sum and the days.
pub fn payments_chart_caption(days: usize, total: Usd, f: &Figures) -> String {
    let mut s = format!(
        "💵 Received per day, last {days} days: <b>${total}</b> from {} paid payments",
        f.paid
    );
    if f.unvalued > 0 {
        s.push_str(&format!(" ({} without a USD value left out)", f.unvalued));
    }
    s
}

/// A payments chart's title and axis unit (plain text: drawn, not sent as HTML).
pub fn payments_chart_title(days: usize) -> (String, String) {
    (
        format!("Received per day (USD), last {days} days"),
        "USD".to_owned(),
    )
}
