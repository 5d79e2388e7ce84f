//! The fake OxaPay's payment and payout history: `GET /v1/payment` and `GET /v1/payout` (every
//! documented filter, sorting, paging with `meta`), `GET /v1/payment/{id}` and
//! `GET /v1/payout/{id}`, each behind its own key header, refusing what OxaPay refuses (a wrong
//! key: 401; `size` over 200 or an unknown sort: 400; an unknown track id: 404).
//!
//! The test drives the records (adds payments, changes a status, adds a tx) and the faults: one
//! page failing once, `meta` missing, an absurd `last_page`, the listing shifting while it is
//! paged (a record served twice), OxaPay's clock running ahead. Amounts are kept as the literal
//! JSON text the test gave, so a 40-digit number reaches the client exactly as written.

use hmac::{Hmac, Mac};
use reqwest::Url;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use sha2::Sha512;

use super::{Endpoint, FakeOxaPay, OxaReply, OxaRequest, v1_error_body};

/// Which history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feed {
    Payments,
    Payouts,
}

impl Feed {
    fn index(self) -> usize {
        self as usize
    }
}

/// One transfer towards a fake payment.
#[derive(Clone, Debug)]
pub struct FakeTx {
    pub tx_hash: String,
    /// Literal JSON (a number's digits, or a quoted string).
    pub amount: String,
    pub currency: String,
    pub network: String,
    pub address: String,
    pub status: String,
    pub confirmations: u64,
    pub date: i64,
}

impl FakeTx {
    pub fn new(tx_hash: &str, amount: &str, date: i64) -> Self {
        Self {
            tx_hash: tx_hash.to_owned(),
            amount: amount.to_owned(),
            currency: "USDT".into(),
            network: "Tron Network".into(),
            address: "TAddr".into(),
            status: "confirmed".into(),
            confirmations: 20,
            date,
        }
    }

    fn json(&self) -> String {
        format!(
            r#"{{"tx_hash":{},"amount":{},"currency":{},"network":{},"address":{},"status":{},"confirmations":{},"date":{}}}"#,
            s(&self.tx_hash),
            self.amount,
            s(&self.currency),
            s(&self.network),
            s(&self.address),
            s(&self.status),
            self.confirmations,
            self.date
        )
    }
}

/// One fake payment, rendered as OxaPay lists it.
#[derive(Clone, Debug)]
pub struct FakePayment {
    pub track_id: String,
    pub kind: String,
    /// Literal JSON (a number's digits, or a quoted string).
    pub amount: String,
    pub currency: String,
    pub status: String,
    pub order_id: String,
    pub email: String,
    pub description: String,
    /// Creation time, Unix seconds on OxaPay's clock.
    pub date: i64,
    pub expired_at: i64,
    pub txs: Vec<FakeTx>,
}

impl FakePayment {
    /// A paid invoice of 10 USDT created at `date`.
    pub fn new(track_id: &str, date: i64) -> Self {
        Self {
            track_id: track_id.to_owned(),
            kind: "invoice".into(),
            amount: "10".into(),
            currency: "USDT".into(),
            status: "paid".into(),
            order_id: format!("ORD-{track_id}"),
            email: "buyer@example.com".into(),
            description: "An order".into(),
            date,
            expired_at: date + 3600,
            txs: Vec::new(),
        }
    }

    pub fn status(mut self, status: &str) -> Self {
        self.status = status.to_owned();
        self
    }

    pub fn amount(mut self, literal: &str) -> Self {
        self.amount = literal.to_owned();
        self
    }

    pub fn kind(mut self, kind: &str) -> Self {
        self.kind = kind.to_owned();
        self
    }

    pub fn tx(mut self, tx: FakeTx) -> Self {
        self.txs.push(tx);
        self
    }

    pub fn json(&self) -> String {
        let txs: Vec<String> = self.txs.iter().map(FakeTx::json).collect();
        format!(
            r#"{{"track_id":{},"type":{},"amount":{},"currency":{},"status":{},"mixed_payment":false,"fee_paid_by_payer":0,"under_paid_coverage":0,"lifetime":60,"callback_url":"","return_url":"","email":{},"order_id":{},"description":{},"thanks_message":"","expired_at":{},"date":{},"txs":[{}]}}"#,
            s(&self.track_id),
            s(&self.kind),
            self.amount,
            s(&self.currency),
            s(&self.status),
            s(&self.email),
            s(&self.order_id),
            s(&self.description),
            self.expired_at,
            self.date,
            txs.join(",")
        )
    }

    /// When it was paid, for `sort_by=pay_date`: its newest tx, else its creation.
    fn pay_date(&self) -> i64 {
        self.txs.iter().map(|t| t.date).max().unwrap_or(self.date)
    }
}

/// One fake payout, rendered as OxaPay lists it.
#[derive(Clone, Debug)]
pub struct FakePayout {
    pub track_id: String,
    pub address: String,
    pub currency: String,
    pub network: String,
    /// Literal JSON.
    pub amount: String,
    pub fee: String,
    pub status: String,
    pub tx_hash: String,
    pub description: String,
    pub internal: bool,
    pub memo: String,
    pub date: i64,
}

impl FakePayout {
    /// A confirmed external payout of 5 TRX created at `date`.
    pub fn new(track_id: &str, date: i64) -> Self {
        Self {
            track_id: track_id.to_owned(),
            address: "TDestination".into(),
            currency: "TRX".into(),
            network: "TRC20".into(),
            amount: "5".into(),
            fee: "1".into(),
            status: "confirmed".into(),
            tx_hash: format!("hash-{track_id}"),
            description: String::new(),
            internal: false,
            memo: String::new(),
            date,
        }
    }

    pub fn status(mut self, status: &str) -> Self {
        self.status = status.to_owned();
        self
    }

    pub fn address(mut self, address: &str) -> Self {
        self.address = address.to_owned();
        self
    }

    pub fn json(&self) -> String {
        format!(
            r#"{{"track_id":{},"address":{},"currency":{},"network":{},"amount":{},"fee":{},"status":{},"tx_hash":{},"description":{},"internal":{},"memo":{},"date":{}}}"#,
            s(&self.track_id),
            s(&self.address),
            s(&self.currency),
            s(&self.network),
            self.amount,
            self.fee,
            s(&self.status),
            s(&self.tx_hash),
            s(&self.description),
            self.internal,
            s(&self.memo),
            self.date
        )
    }
}

/// A JSON string.
fn s(text: &str) -> String {
    Value::String(text.to_owned()).to_string()
}

/// A listing that shifts back by `by` records for the pages after `after_page`, as if records
/// were added in front while it was paged; it settles when page 1 is asked again.
#[derive(Clone, Debug)]
struct Shift {
    after_page: u32,
    by: usize,
    used: bool,
}

/// A reply given once, to the first request for `page` of a listing (or, with `page: None`, to
/// the first request for one record).
#[derive(Clone, Debug)]
struct Fault {
    feed: Feed,
    page: Option<u32>,
    reply: OxaReply,
}

/// Per feed: [payments, payouts].
#[derive(Default)]
pub(super) struct History {
    payments: Vec<FakePayment>,
    payouts: Vec<FakePayout>,
    keys: [Option<String>; 2],
    faults: Vec<Fault>,
    omit_meta: [bool; 2],
    claimed_last_page: [Option<u64>; 2],
    shift: [Option<Shift>; 2],
    clock_ahead: i64,
}

const KEY_HEADERS: [&str; 2] = ["merchant_api_key", "payout_api_key"];

impl FakeOxaPay {
    /// Adds a payment to the history.
    pub fn add_payment(&self, payment: FakePayment) {
        self.lock().history.payments.push(payment);
    }

    pub fn add_payout(&self, payout: FakePayout) {
        self.lock().history.payouts.push(payout);
    }

    /// Sets a payment's status, as OxaPay would when it moves.
    pub fn set_payment_status(&self, track_id: &str, status: &str) {
        self.with_payment(track_id, |p| p.status = status.to_owned());
    }

    /// Adds a transfer to a payment (a static address receiving again).
    pub fn add_payment_tx(&self, track_id: &str, tx: FakeTx) {
        self.with_payment(track_id, |p| p.txs.push(tx));
    }

    pub fn set_payout_status(&self, track_id: &str, status: &str) {
        let mut g = self.lock();
        let p = g
            .history
            .payouts
            .iter_mut()
            .find(|p| p.track_id == track_id)
            .unwrap_or_else(|| panic!("no fake payout {track_id}"));
        p.status = status.to_owned();
    }

    fn with_payment(&self, track_id: &str, change: impl FnOnce(&mut FakePayment)) {
        let mut g = self.lock();
        let p = g
            .history
            .payments
            .iter_mut()
            .find(|p| p.track_id == track_id)
            .unwrap_or_else(|| panic!("no fake payment {track_id}"));
        change(p);
    }

    /// The key `feed` answers (by default any non-empty key is taken; a wrong one gets 401).
    pub fn require_history_key(&self, feed: Feed, key: &str) {
        self.lock().history.keys[feed.index()] = Some(key.to_owned());
    }

    /// The first request for `page` of `feed`'s listing gets `reply` instead, once.
    pub fn fail_list_page(&self, feed: Feed, page: u32, reply: OxaReply) {
        self.lock().history.faults.push(Fault {
            feed,
            page: Some(page),
            reply,
        });
    }

    /// The next request for one record of `feed` gets `reply` instead, once.
    pub fn fail_record(&self, feed: Feed, reply: OxaReply) {
        self.lock().history.faults.push(Fault {
            feed,
            page: None,
            reply,
        });
    }

    /// Listings of `feed` come without `meta` (or with it again).
    pub fn omit_meta(&self, feed: Feed, omit: bool) {
        self.lock().history.omit_meta[feed.index()] = omit;
    }

    /// Listings of `feed` claim this `last_page` whatever they hold (`None`: the true one).
    pub fn claim_last_page(&self, feed: Feed, last_page: Option<u64>) {
        self.lock().history.claimed_last_page[feed.index()] = last_page;
    }

    /// The next listing of `feed` shifts back by `by` records after page `after_page`.
    pub fn shift_after_page(&self, feed: Feed, after_page: u32, by: usize) {
        self.lock().history.shift[feed.index()] = Some(Shift {
            after_page,
            by,
            used: false,
        });
    }

    /// OxaPay's clock runs `secs` ahead of ours.
    pub fn set_clock_ahead(&self, secs: i64) {
        self.lock().history.clock_ahead = secs;
    }

    /// Now on OxaPay's clock (Unix seconds).
    pub fn oxapay_now(&self) -> i64 {
        chrono::Utc::now().timestamp() + self.lock().history.clock_ahead
    }

    /// The query of every listing request to `feed`, in order, decoded.
    pub fn list_queries(&self, feed: Feed) -> Vec<Vec<(String, String)>> {
        let endpoint = list_endpoint(feed);
        self.requests()
            .iter()
            .filter(|r| r.endpoint == Some(endpoint))
            .map(|r| query_pairs(r.query.as_deref()))
            .collect()
    }
}

fn list_endpoint(feed: Feed) -> Endpoint {
    match feed {
        Feed::Payments => Endpoint::Payments,
        Feed::Payouts => Endpoint::Payouts,
    }
}

/// Signs a callback body as OxaPay does: lowercase hex HMAC-SHA512 of the raw bytes.
pub fn sign_callback(body: &[u8], key: &str) -> String {
    let mut mac = Hmac::<Sha512>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    let url = Url::parse(&format!("http://fake/?{}", query.unwrap_or(""))).unwrap();
    url.query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// `%XX` escapes of a path segment decoded (anything else kept).
fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn error(status: u16, key: &str, message: &str) -> OxaReply {
    OxaReply::v1_error(status, key, message)
}

fn success(data: &str) -> OxaReply {
    OxaReply::Raw {
        status: 200,
        body: format!(
            r#"{{"data":{data},"message":"Operation completed successfully!","error":{{}},"status":200,"version":"1.0.0"}}"#
        ),
        headers: vec![("content-type".into(), "application/json".into())],
    }
}

/// The filters of a listing, as OxaPay reads them; `Err` is its 400 answer.
struct Filters {
    status: Option<String>,
    from: Option<i64>,
    to: Option<i64>,
    sort_by: String,
    desc: bool,
    page: u32,
    size: usize,
}

fn filters(pairs: &[(String, String)]) -> Result<Filters, OxaReply> {
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let number = |name: &str| -> Result<Option<i64>, OxaReply> {
        get(name)
            .map(|v| {
                v.parse::<i64>()
                    .map_err(|_| error(400, name, &format!("The {name} must be a number.")))
            })
            .transpose()
    };
    let size = number("size")?.unwrap_or(10);
    if !(1..=200).contains(&size) {
        return Err(error(400, "size", "The size must be between 1 and 200."));
    }
    let page = number("page")?.unwrap_or(1);
    if page < 1 {
        return Err(error(400, "page", "The page must be at least 1."));
    }
    let sort_by = get("sort_by").unwrap_or("create_date");
    if !["create_date", "pay_date", "amount"].contains(&sort_by) {
        return Err(error(400, "sort_by", "The selected sort by is invalid."));
    }
    let desc = match get("sort_type").unwrap_or("desc") {
        "asc" => false,
        "desc" => true,
        _ => {
            return Err(error(
                400,
                "sort_type",
                "The selected sort type is invalid.",
            ));
        }
    };
    Ok(Filters {
        status: get("status").map(str::to_owned),
        from: number("from_date")?,
        to: number("to_date")?,
        sort_by: sort_by.to_owned(),
        desc,
        page: u32::try_from(page).unwrap_or(u32::MAX),
        size: size as usize,
    })
}

/// A literal amount as a number for sorting (unreadable ones sort as zero).
fn amount_key(literal: &str) -> Decimal {
    literal.trim_matches('"').parse().unwrap_or(Decimal::ZERO)
}

/// One record as (its index, status, created, pay date, amount) for filtering and sorting; only
/// the records a page holds are rendered (a listing of 10,000 records is paged 50 times).
type Row = (usize, String, i64, i64, Decimal);

fn rows(history: &History, feed: Feed) -> Vec<Row> {
    match feed {
        Feed::Payments => history
            .payments
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    i,
                    p.status.clone(),
                    p.date,
                    p.pay_date(),
                    amount_key(&p.amount),
                )
            })
            .collect(),
        Feed::Payouts => history
            .payouts
            .iter()
            .enumerate()
            .map(|(i, p)| (i, p.status.clone(), p.date, p.date, amount_key(&p.amount)))
            .collect(),
    }
}

/// Record `i` of `feed` as OxaPay lists it.
fn render_record(history: &History, feed: Feed, i: usize) -> String {
    match feed {
        Feed::Payments => history.payments[i].json(),
        Feed::Payouts => history.payouts[i].json(),
    }
}

/// The answer to a request to one of the history endpoints.
pub(super) fn reply(history: &mut History, endpoint: Endpoint, request: &OxaRequest) -> OxaReply {
    let (feed, listing) = match endpoint {
        Endpoint::Payments => (Feed::Payments, true),
        Endpoint::Payment => (Feed::Payments, false),
        Endpoint::Payouts => (Feed::Payouts, true),
        Endpoint::Payout => (Feed::Payouts, false),
        other => panic!("{other:?} is not a history endpoint"),
    };
    let header = KEY_HEADERS[feed.index()];
    let given = request.header(header).unwrap_or("");
    let refused = match &history.keys[feed.index()] {
        Some(key) => given != key,
        None => given.is_empty(),
    };
    if refused {
        return error(401, "invalid_api_key", "Invalid API key");
    }
    if listing {
        list(history, feed, request)
    } else {
        one(history, feed, request)
    }
}

fn take_fault(history: &mut History, feed: Feed, page: Option<u32>) -> Option<OxaReply> {
    let at = history
        .faults
        .iter()
        .position(|f| f.feed == feed && f.page == page)?;
    Some(history.faults.remove(at).reply)
}

fn list(history: &mut History, feed: Feed, request: &OxaRequest) -> OxaReply {
    let f = match filters(&query_pairs(request.query.as_deref())) {
        Ok(f) => f,
        Err(reply) => return reply,
    };
    if let Some(reply) = take_fault(history, feed, Some(f.page)) {
        return reply;
    }
    let mut rows: Vec<Row> = rows(history, feed)
        .into_iter()
        .filter(|r| {
            f.status
                .as_ref()
                .is_none_or(|s| r.1.eq_ignore_ascii_case(s))
        })
        .filter(|r| f.from.is_none_or(|from| r.2 >= from) && f.to.is_none_or(|to| r.2 <= to))
        .collect();
    let key = |r: &Row| match f.sort_by.as_str() {
        "pay_date" => (r.3, Decimal::ZERO),
        "amount" => (0, r.4),
        _ => (r.2, Decimal::ZERO),
    };
    // Stable: records with the same key keep the order they were added in.
    rows.sort_by(|a, b| {
        let o = key(a).cmp(&key(b));
        if f.desc { o.reverse() } else { o }
    });
    let mut offset = (f.page as usize - 1) * f.size;
    let shift = &mut history.shift[feed.index()];
    if let Some(s) = shift {
        if f.page > s.after_page {
            offset = offset.saturating_sub(s.by);
            s.used = true;
        } else if s.used {
            *shift = None;
        }
    }
    let total = rows.len();
    let items: Vec<String> = rows
        .iter()
        .skip(offset)
        .take(f.size)
        .map(|r| render_record(history, feed, r.0))
        .collect();
    let last_page =
        history.claimed_last_page[feed.index()].unwrap_or(total.div_ceil(f.size).max(1) as u64);
    let meta = json!({ "page": f.page, "last_page": last_page, "total": total });
    let data = if history.omit_meta[feed.index()] {
        format!(r#"{{"list":[{}]}}"#, items.join(","))
    } else {
        format!(r#"{{"list":[{}],"meta":{meta}}}"#, items.join(","))
    };
    success(&data)
}

fn one(history: &mut History, feed: Feed, request: &OxaRequest) -> OxaReply {
    if let Some(reply) = take_fault(history, feed, None) {
        return reply;
    }
    let prefix = match feed {
        Feed::Payments => "/v1/payment/",
        Feed::Payouts => "/v1/payout/",
    };
    let segment = request
        .path
        .rsplit_once(prefix)
        .map(|(_, id)| id)
        .unwrap_or("");
    let id = percent_decode(segment);
    let found = match feed {
        Feed::Payments => history
            .payments
            .iter()
            .find(|p| p.track_id == id)
            .map(FakePayment::json),
        Feed::Payouts => history
            .payouts
            .iter()
            .find(|p| p.track_id == id)
            .map(FakePayout::json),
    };
    match found {
        Some(json) => success(&json),
        None => OxaReply::Raw {
            status: 404,
            body: v1_error_body(404, "track_id", "Not found"),
            headers: vec![("content-type".into(), "application/json".into())],
        },
    }
}
