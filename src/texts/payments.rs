//! Payment texts: a payment event as the feed tells it, `/payments`, `/tx`, `/sales`, a report's
//! payments section, what a mute held back, and the feed's own failures (to the admins, in
//! English like every admin text).
//!
//! Everything that came from OxaPay (track ids, order ids, networks, hashes, emails,
//! descriptions) is escaped here; amounts are shown exactly as read. Email and description are
//! personal data: the feed never shows them, `/tx` does.

use chrono_tz::Tz;
use rust_decimal::Decimal;
use teloxide::utils::html::escape;

use super::l10n::{Var, code, fig, html};
use super::{Lang, signed_percent, time, utc_time, zoned};
use crate::money::{Currency, Usd};
use crate::oxapay::{OxaPayError, Payment, PaymentStatus, PaymentTx, TrackId};
use crate::rules::domain::ChatId;
use crate::rules::explorers::tx_url;
use crate::rules::oxapay_health::HealthNotice;
use crate::rules::payments::{ChatFeed, PaymentEvent};
use crate::rules::sales::{Comparison, Figures, Movement, Period, Span};
use crate::store::{Feed, Held, LedgerPayment, PaymentFeedSetting, PaymentRecord};
use crate::t;

/// A status's emoji.
fn status_emoji(status: &PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::New => "🆕",
        PaymentStatus::Waiting => "🕒",
        PaymentStatus::Paying => "⏳",
        PaymentStatus::Paid | PaymentStatus::ManualAccept => "✅",
        PaymentStatus::Underpaid => "⚠️",
        PaymentStatus::Refunding | PaymentStatus::Refunded => "↩️",
        PaymentStatus::Expired => "⌛",
        PaymentStatus::Unknown(_) => "❔",
    }
}

/// A status's emoji and words in `lang` (a status OxaPay added later is shown as it spelt it).
pub fn status_word(lang: Lang, status: &PaymentStatus) -> (&'static str, String) {
    let word = t!(
        lang,
        "payment-status",
        status = status.as_str(),
        name = fig(status.as_str())
    );
    (status_emoji(status), word)
}

/// An amount with its currency, exact: `<code>0.01500000</code> BTC`; one that could not be read
/// exactly (too many digits, not a number) is named as such, never shown rounded.
pub(super) fn amount(lang: Lang, amount: Option<Decimal>, currency: Option<&Currency>) -> String {
    let currency = currency.map_or_else(String::new, |c| fig(c.as_str()).to_html(lang));
    match amount {
        Some(a) if currency.is_empty() => code(a.to_string()).to_html(lang),
        Some(a) => format!("{} {currency}", code(a.to_string()).to_html(lang)),
        None if currency.is_empty() => t!(lang, "payment-amount-unreadable-bare"),
        None => t!(lang, "payment-amount-unreadable", currency = html(currency)),
    }
}

/// A USD amount as a figure: `$1,234.50`.
pub(super) fn dollars(usd: Usd) -> Var {
    fig(format!("${usd}"))
}

/// ` ≈ $12.00 (at the price of …)`: a USD value with the time of its price; empty without one.
pub(super) fn usd_at(lang: Lang, usd: Option<(Usd, i64)>) -> String {
    match usd {
        Some((v, at)) => format!(
            " {}",
            t!(
                lang,
                "payment-usd",
                usd = dollars(v),
                at = utc_time(lang, at)
            )
        ),
        None => String::new(),
    }
}

/// An address or hash shortened to its ends, for the feed.
pub(super) fn short(text: &str) -> String {
    if text.chars().count() <= 16 {
        return text.to_owned();
    }
    let head: String = text.chars().take(8).collect();
    let tail: Vec<char> = text.chars().rev().take(6).collect();
    format!("{head}…{}", tail.into_iter().rev().collect::<String>())
}

/// A hash (shortened unless `whole`), linked to an explorer when the network is known.
pub(super) fn tx_link(lang: Lang, network: Option<&str>, hash: &str, whole: bool) -> String {
    let shown = if whole { hash.to_owned() } else { short(hash) };
    match network.and_then(|n| tx_url(n, hash)) {
        Some(url) => super::l10n::ltr(
            lang,
            &format!("<a href=\"{}\">{}</a>", escape(&url), escape(&shown)),
        ),
        None => code(shown).to_html(lang),
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
pub fn payment_event(
    lang: Lang,
    p: &Payment,
    event: &PaymentEvent,
    usd: Option<(Usd, i64)>,
) -> String {
    let (emoji, word) = status_word(lang, event.status());
    let tx = event_tx(p, event);
    let mut s = match event {
        PaymentEvent::Received { .. } => {
            let (a, c) = tx.map_or((None, None), |t| (t.amount, t.currency.as_ref()));
            t!(
                lang,
                "payment-received",
                amount = html(amount(lang, a, c)),
                status = html(word)
            )
        }
        PaymentEvent::Status(_) => t!(
            lang,
            "payment-event",
            emoji = html(emoji),
            status = html(word),
            amount = html(amount(lang, p.amount, p.currency.as_ref())),
            usd = html(usd_at(lang, usd))
        ),
    };
    s.push('\n');
    s.push_str(&match p.order_id.as_deref() {
        Some(o) => t!(
            lang,
            "payment-order-track",
            order = code(o),
            track = code(p.track_id.as_str())
        ),
        None => t!(lang, "payment-track", track = code(p.track_id.as_str())),
    });
    if let Some(t) = tx {
        let network = t.network.as_deref();
        let mut line = network.map(|n| fig(n).to_html(lang)).unwrap_or_default();
        if let Some(hash) = t.tx_hash.as_deref() {
            if !line.is_empty() {
                line.push_str(" · ");
            }
            let link = tx_link(lang, network, hash, false);
            line.push_str(&t!(lang, "payment-tx", tx = html(link)));
        }
        if !line.is_empty() {
            s.push('\n');
            s.push_str(&line);
        }
    }
    s
}

/// Statuses as the user types them: `paid, underpaid`.
fn event_names<S: std::fmt::Display>(events: impl IntoIterator<Item = S>) -> Var {
    let names: Vec<String> = events.into_iter().map(|e| e.to_string()).collect();
    fig(names.join(", "))
}

/// The line `/payments` shows of a chat's setting.
fn setting_line(lang: Lang, setting: Option<&PaymentFeedSetting>) -> String {
    match setting {
        Some(s) if s.enabled => {
            let events = event_names(&s.feed.events);
            match s.feed.min_usd {
                Some(m) => t!(
                    lang,
                    "payments-on-min",
                    events = events,
                    min = dollars(Usd::new(m))
                ),
                None => t!(lang, "payments-on", events = events),
            }
        }
        _ => t!(lang, "payments-off-setting"),
    }
}

/// One payment in a list, newest first.
fn payment_line(lang: Lang, p: &LedgerPayment, zone: Tz) -> String {
    let (emoji, word) = status_word(lang, &p.status);
    let when = p
        .created_at
        .map_or_else(|| "?".to_owned(), |at| zoned(lang, at, zone));
    let amount = html(amount(lang, p.amount, p.currency.as_ref()));
    let track = code(p.track_id.as_str());
    match p.order_id.as_deref() {
        Some(o) => t!(
            lang,
            "payment-line-order",
            emoji = html(emoji),
            status = html(word),
            amount = amount,
            track = track,
            order = code(o),
            when = html(when)
        ),
        None => t!(
            lang,
            "payment-line",
            emoji = html(emoji),
            status = html(word),
            amount = amount,
            track = track,
            when = html(when)
        ),
    }
}

/// `/payments`: the chat's setting and the last payments, newest first.
pub fn payments_overview(
    lang: Lang,
    setting: Option<&PaymentFeedSetting>,
    recent: &[LedgerPayment],
    zone: Tz,
) -> String {
    let mut s = setting_line(lang, setting);
    s.push('\n');
    if recent.is_empty() {
        s.push_str(&t!(lang, "payments-none"));
    } else {
        s.push_str(&t!(lang, "payments-last", count = recent.len()));
        for p in recent {
            s.push('\n');
            s.push_str(&payment_line(lang, p, zone));
        }
    }
    s
}

/// `/payments on|off`: what the chat hears now.
pub fn payments_set(lang: Lang, setting: &PaymentFeedSetting) -> String {
    setting_line(lang, Some(setting))
}

/// `/payments events …`: the events the chat hears (and that the feed is off, when it is).
pub fn payment_events_set(lang: Lang, feed: &ChatFeed, enabled: bool) -> String {
    t!(
        lang,
        "payments-events-set",
        events = event_names(&feed.events),
        enabled = if enabled { "yes" } else { "no" }
    )
}

/// Without a merchant key there is no payment feed.
pub fn payments_need_key(lang: Lang) -> String {
    t!(lang, "payments-need-key")
}

/// `/payments on` in a chat the feed does not reach (neither allowed nor an admin's own).
pub fn payments_chat_not_allowed(lang: Lang, chat_id: ChatId) -> String {
    t!(lang, "payments-chat-not-allowed", chat = code(chat_id))
}

/// `/tx`: a payment's whole record from the ledger.
pub fn payment_record(lang: Lang, r: &PaymentRecord, zone: Tz) -> String {
    let p = &r.payment;
    let (emoji, word) = status_word(lang, &p.status);
    let mut lines = vec![
        t!(
            lang,
            "tx-payment-heading",
            emoji = html(emoji),
            track = code(p.track_id.as_str()),
            status = html(word),
            since = html(zoned(lang, p.status_since, zone))
        ),
        t!(
            lang,
            "tx-amount",
            amount = html(amount(lang, p.amount, p.currency.as_ref())),
            usd = html(usd_at(lang, p.usd))
        ),
    ];
    if let Some(k) = &p.kind {
        lines.push(field(lang, "type", fig(k.as_str())));
    }
    for (name, value) in [
        ("order", &p.order_id),
        ("email", &p.email),
        ("description", &p.description),
    ] {
        if let Some(v) = value {
            lines.push(field(lang, name, code(v)));
        }
    }
    for (name, at) in [("created", p.created_at), ("expires", p.expired_at)] {
        if let Some(at) = at {
            lines.push(field(lang, name, html(zoned(lang, at, zone))));
        }
    }
    for t in &r.txs {
        lines.push(tx_line(lang, t, zone));
    }
    lines.extend(seen(lang, &r.statuses, zone));
    lines.extend(problems(lang, &p.problems));
    lines.join("\n")
}

/// `Order: <code>A-17</code>`: one field of a `/tx` record.
pub(super) fn field(lang: Lang, name: &str, value: Var) -> String {
    t!(lang, "tx-field", field = name, value = value)
}

/// `Seen: new … → paid …`, when more than one status was seen.
pub(super) fn seen<S: std::fmt::Display>(
    lang: Lang,
    statuses: &[(S, i64)],
    zone: Tz,
) -> Option<String> {
    if statuses.len() < 2 {
        return None;
    }
    let steps: Vec<String> = statuses
        .iter()
        .map(|(st, at)| format!("{} {}", fig(st).to_html(lang), zoned(lang, *at, zone)))
        .collect();
    Some(t!(lang, "tx-seen", steps = html(steps.join(" → "))))
}

/// What OxaPay's answer held that could not be read, when anything.
pub(super) fn problems(lang: Lang, problems: &[String]) -> Option<String> {
    (!problems.is_empty()).then(|| t!(lang, "tx-problems", problems = problems.join("; ")))
}

/// One transfer of a payment, whole, with its explorer link and confirmations.
fn tx_line(lang: Lang, t: &PaymentTx, zone: Tz) -> String {
    let mut s = format!("• {}", amount(lang, t.amount, t.currency.as_ref()));
    if let Some(n) = &t.network {
        s.push(' ');
        s.push_str(&t!(lang, "tx-on-network", network = fig(n)));
    }
    if let Some(c) = t.confirmations {
        s.push_str(&t!(lang, "tx-confirmations", count = c));
    }
    if let Some(at) = t.date {
        s.push_str(", ");
        s.push_str(&zoned(lang, at, zone));
    }
    if let Some(h) = &t.tx_hash {
        let link = tx_link(lang, t.network.as_deref(), h, true);
        s.push_str("\n  ");
        s.push_str(&t!(lang, "payment-tx", tx = html(link)));
    }
    if let Some(a) = &t.address {
        s.push_str("\n  ");
        s.push_str(&t!(lang, "tx-to", address = code(a)));
    }
    s
}

/// `/tx` for a payment the ledger does not hold, as OxaPay answered it now.
pub fn payment_live(lang: Lang, p: &Payment, zone: Tz) -> String {
    let now = crate::clock::now_unix();
    let record = PaymentRecord {
        payment: LedgerPayment {
            track_id: p.track_id.clone(),
            kind: p.kind.clone(),
            amount: p.amount,
            currency: p.currency.clone(),
            status: p.status.clone(),
            status_since: now,
            order_id: p.order_id.clone(),
            description: p.description.clone(),
            email: p.email.clone(),
            created_at: p.created_at,
            expired_at: p.expired_at,
            problems: p.problems.clone(),
            usd: None,
            first_seen_at: now,
        },
        txs: p.txs.clone(),
        statuses: Vec::new(),
    };
    format!(
        "{}\n{}",
        payment_record(lang, &record, zone),
        t!(lang, "tx-payment-live")
    )
}

pub fn payment_unknown(lang: Lang, track_id: &TrackId) -> String {
    t!(lang, "tx-unknown", track = code(track_id.as_str()))
}

/// The received amounts per currency, aligned, and the USD sum.
fn received(lang: Lang, f: &Figures) -> String {
    let rows: Vec<(&str, Decimal)> = f.received.iter().map(|(c, a)| (c.as_str(), *a)).collect();
    let mut s = t!(
        lang,
        "sales-paid",
        paid = f.paid,
        usd = dollars(f.usd),
        unvalued = f.unvalued
    );
    if !rows.is_empty() {
        s.push('\n');
        s.push_str(&super::amount_table(&rows));
    }
    if f.unreadable > 0 {
        s.push('\n');
        s.push_str(&t!(lang, "sales-unreadable", count = f.unreadable));
    }
    s
}

/// `/sales`: what was received in the period, the period before, and the change.
pub fn sales(
    lang: Lang,
    period: Period,
    span: Span,
    now: &Figures,
    before: &Figures,
    change: &Comparison,
    zone: Tz,
) -> String {
    let period = match period {
        Period::Today => "today",
        Period::Yesterday => "yesterday",
        Period::Week => "week",
        Period::Month => "month",
    };
    let heading = t!(
        lang,
        "sales-heading",
        period = period,
        from = html(zoned(lang, span.from, zone))
    );
    let signed = |negative: bool, magnitude: String| {
        fig(format!("{}{magnitude}", if negative { "−" } else { "+" }))
    };
    let percent = change
        .usd_percent
        .map(|p| format!(" {}", fig(format!("({})", signed_percent(p))).to_html(lang)))
        .unwrap_or_default();
    let before_line = t!(
        lang,
        "sales-before",
        paid = before.paid,
        usd = dollars(before.usd),
        paid_change = signed(change.paid_delta < 0, change.paid_delta.abs().to_string()),
        usd_change = signed(
            change.usd_delta.is_sign_negative(),
            format!("${}", Usd::new(change.usd_delta.abs()))
        ),
        percent = html(percent)
    );
    let counts = t!(
        lang,
        "sales-counts",
        underpaid = now.underpaid,
        expired = now.expired
    );
    format!(
        "{heading}\n{}\n{before_line}\n{counts}",
        received(lang, now)
    )
}

/// `✅ 3 paid, ⌛ 1 expired`: how many reached each status.
pub(super) fn status_counts<'a>(
    lang: Lang,
    counts: impl IntoIterator<Item = (&'a String, &'a u64)>,
    word: impl Fn(&str) -> (&'static str, String),
) -> Var {
    let counts: Vec<String> = counts
        .into_iter()
        .map(|(status, n)| {
            let (emoji, word) = word(status);
            t!(
                lang,
                "report-count",
                emoji = html(emoji),
                count = *n,
                status = html(word)
            )
        })
        .collect();
    html(counts.join(", "))
}

/// A report's payments section.
pub fn report_payments(lang: Lang, m: &Movement) -> String {
    if m.by_status.is_empty() {
        return format!("\n{}", t!(lang, "report-payments-none"));
    }
    let counts = status_counts(lang, &m.by_status, |s| {
        status_word(lang, &PaymentStatus::parse(s))
    });
    let mut s = format!("\n{}", t!(lang, "report-payments", counts = counts));
    if m.sales.paid > 0 {
        s.push('\n');
        s.push_str(&t!(
            lang,
            "report-received",
            received = html(received(lang, &m.sales))
        ));
    }
    s
}

/// What a mute held back, for its summary: `12 payments, $3,410.00; 2 payouts`.
pub fn held_line(lang: Lang, held: &Held) -> Option<String> {
    let mut parts = Vec::new();
    if held.payments > 0 {
        parts.push(t!(
            lang,
            "held-payments",
            count = held.payments,
            usd = dollars(held.usd),
            unvalued = held.unvalued
        ));
    }
    if held.payouts > 0 {
        parts.push(t!(lang, "held-payouts", count = held.payouts));
    }
    if parts.is_empty() {
        return None;
    }
    Some(t!(lang, "held-line", parts = html(parts.join("; "))))
}

/// The admins hear when a feed's list cannot be read, and when it can again. A refused key is
/// said as the sentence that names the variable to fix.
pub fn feed_notice(list: Feed, n: &HealthNotice, now: i64, error: Option<&OxaPayError>) -> String {
    let (what, told) = match list {
        Feed::Payments => ("payment", "Payments"),
        Feed::Payouts => ("payout", "Payouts"),
    };
    match n {
        HealthNotice::Unreachable {
            since,
            failures,
            error: logged,
        } => format!(
            "⚠️ OxaPay's {what} list cannot be read since {} ({failures} polls failed): {}\n\
             {told} are told once it can be read again; none is lost.",
            time(*since),
            escape(&error.map_or_else(|| logged.clone(), OxaPayError::user_message))
        ),
        HealthNotice::Back { since } => format!(
            "✅ OxaPay's {what} list can be read again (it failed from {} to {}); {} since then \
             are being told.",
            time(*since),
            time(now),
            told.to_lowercase()
        ),
    }
}

pub fn payments_usage(lang: Lang) -> String {
    t!(lang, "usage-payments")
}

pub fn tx_usage(lang: Lang) -> String {
    t!(lang, "usage-tx")
}

pub fn sales_usage(lang: Lang) -> String {
    t!(lang, "usage-sales")
}

/// `/history payments` with nothing received in the period.
pub fn payments_chart_empty(lang: Lang) -> String {
    t!(lang, "payments-chart-empty")
}

/// A payments chart's caption: the sum and the days.
pub fn payments_chart_caption(lang: Lang, days: usize, f: &Figures) -> String {
    t!(
        lang,
        "payments-chart-caption",
        days = days,
        total = dollars(f.usd),
        paid = f.paid,
        unvalued = f.unvalued
    )
}

/// A payments chart's title and axis unit (plain text: drawn, not sent as HTML).
pub fn payments_chart_title(lang: Lang, days: usize) -> (String, String) {
    let title = t!(lang, "payments-chart-title", days = days);
    (super::plain_text(&title), "USD".to_owned())
}

/// `/history payments` with a period it does not chart.
pub fn payments_span_problem(lang: Lang, given: &str) -> String {
    t!(
        lang,
        "problem-payments-span",
        given = crate::rules::quote::quote(given)
    )
}
