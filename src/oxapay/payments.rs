//! The account's payments: `GET {base}/v1/payment` (a listing, filters and paging in
//! [`ListQuery`]) and `GET {base}/v1/payment/{track_id}`, with the merchant key in the
//! `merchant_api_key` header; and the payment record they share with payment callbacks.
//!
//! A payment is kept with whatever could be read of it: an unreadable amount, time or tx is left
//! out and named in [`Payment::problems`], never read as zero and never a reason to drop the
//! payment. Only a record without a track id cannot be kept (the listing reports it).

use std::time::Duration;

use reqwest::Url;
use rust_decimal::Decimal;
use secrecy::SecretString;
use serde_json::value::RawValue;

use super::fields::Fields;
use super::listing::{History, ListQuery, Listed, Listing, ListingError, Page, TrackId};
use super::{KeyKind, OxaPayError};
use crate::money::Currency;

/// A payment's status, from the vendor's status table. Read case-insensitively (callbacks send
/// `"Paid"`); a name the table does not have is kept as [`PaymentStatus::Unknown`], in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PaymentStatus {
    New,
    Waiting,
    Paying,
    Paid,
    ManualAccept,
    Underpaid,
    Refunding,
    Refunded,
    Expired,
    Unknown(String),
}

impl PaymentStatus {
    /// Every status of the vendor's table, in the order a payment usually goes through them.
    pub const KNOWN: [PaymentStatus; 9] = [
        PaymentStatus::New,
        PaymentStatus::Waiting,
        PaymentStatus::Paying,
        PaymentStatus::Paid,
        PaymentStatus::ManualAccept,
        PaymentStatus::Underpaid,
        PaymentStatus::Refunding,
        PaymentStatus::Refunded,
        PaymentStatus::Expired,
    ];

    /// `text` as a status: case and surrounding spaces ignored, `-` or a space read as `_`.
    pub fn parse(text: &str) -> Self {
        let name = text.trim().to_lowercase().replace(['-', ' '], "_");
        Self::KNOWN
            .into_iter()
            .find(|s| s.as_str() == name)
            .unwrap_or(PaymentStatus::Unknown(name))
    }

    /// The name as OxaPay spells it (and as a listing filters by it).
    pub fn as_str(&self) -> &str {
        match self {
            PaymentStatus::New => "new",
            PaymentStatus::Waiting => "waiting",
            PaymentStatus::Paying => "paying",
            PaymentStatus::Paid => "paid",
            PaymentStatus::ManualAccept => "manual_accept",
            PaymentStatus::Underpaid => "underpaid",
            PaymentStatus::Refunding => "refunding",
            PaymentStatus::Refunded => "refunded",
            PaymentStatus::Expired => "expired",
            PaymentStatus::Unknown(name) => name,
        }
    }
}

impl std::fmt::Display for PaymentStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What created the payment (`type`). Read case-insensitively; other names are kept.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PaymentKind {
    Invoice,
    WhiteLabel,
    /// A static address: one track id that may receive many transfers.
    StaticAddress,
    PaymentLink,
    Donation,
    Other(String),
}

impl PaymentKind {
    pub fn parse(text: &str) -> Self {
        match text.trim().to_lowercase().replace(['-', ' '], "_").as_str() {
            "invoice" => PaymentKind::Invoice,
            "white_label" => PaymentKind::WhiteLabel,
            "static_address" => PaymentKind::StaticAddress,
            "payment_link" => PaymentKind::PaymentLink,
            "donation" => PaymentKind::Donation,
            other => PaymentKind::Other(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            PaymentKind::Invoice => "invoice",
            PaymentKind::WhiteLabel => "white_label",
            PaymentKind::StaticAddress => "static_address",
            PaymentKind::PaymentLink => "payment_link",
            PaymentKind::Donation => "donation",
            PaymentKind::Other(name) => name,
        }
    }
}

/// One transfer towards a payment.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PaymentTx {
    pub tx_hash: Option<String>,
    /// As OxaPay names it ("Ethereum Network", "TRC20"…).
    pub network: Option<String>,
    /// The amount sent (`amount`; in callbacks `sent_amount`, else `received_amount`).
    pub amount: Option<Decimal>,
    pub currency: Option<Currency>,
    pub confirmations: Option<u64>,
    /// The address paid to.
    pub address: Option<String>,
    pub status: Option<String>,
    /// Unix seconds.
    pub date: Option<i64>,
}

/// One payment as OxaPay lists it (or as a payment callback tells it).
#[derive(Clone, PartialEq, Eq)]
pub struct Payment {
    pub track_id: TrackId,
    /// `type`.
    pub kind: Option<PaymentKind>,
    pub amount: Option<Decimal>,
    pub currency: Option<Currency>,
    /// The status read from [`Payment::status_text`]; `Unknown("")` when there was none.
    pub status: PaymentStatus,
    /// The status exactly as OxaPay sent it.
    pub status_text: String,
    pub order_id: Option<String>,
    /// Personal data: never in a log (`Debug` leaves it out).
    pub description: Option<String>,
    /// Personal data: never in a log (`Debug` leaves it out).
    pub email: Option<String>,
    /// When it was created (`date`), Unix seconds on OxaPay's clock.
    pub created_at: Option<i64>,
    pub expired_at: Option<i64>,
    pub txs: Vec<PaymentTx>,
    /// Fields that could not be read, each as `name: why`.
    pub problems: Vec<String>,
}

impl std::fmt::Debug for Payment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hidden = |v: &Option<String>| v.as_ref().map(|_| "<hidden>");
        f.debug_struct("Payment")
            .field("track_id", &self.track_id)
            .field("kind", &self.kind)
            .field("amount", &self.amount)
            .field("currency", &self.currency)
            .field("status", &self.status)
            .field("status_text", &self.status_text)
            .field("order_id", &self.order_id)
            .field("description", &hidden(&self.description))
            .field("email", &hidden(&self.email))
            .field("created_at", &self.created_at)
            .field("expired_at", &self.expired_at)
            .field("txs", &self.txs)
            .field("problems", &self.problems)
            .finish()
    }
}

impl Listed for Payment {
    fn track_id(&self) -> &TrackId {
        &self.track_id
    }

    fn created_at(&self) -> Option<i64> {
        self.created_at
    }
}

/// One payment from its JSON (a listing entry, `GET /v1/payment/{id}`'s data, or a callback
/// body).
///
/// # Errors
/// Not a JSON object, or no usable track id: such a record cannot be kept.
pub fn parse_payment(raw: &RawValue) -> Result<Payment, String> {
    let mut f = Fields::of(raw, "")?;
    let track_id = track_id_of(&mut f)?;
    let status_text = f.text("status").unwrap_or_default();
    let mut payment = Payment {
        track_id,
        kind: f.text("type").map(|t| PaymentKind::parse(&t)),
        amount: f.amount(&["amount"]),
        currency: f.currency("currency"),
        status: PaymentStatus::parse(&status_text),
        status_text,
        order_id: f.text("order_id"),
        description: f.text("description"),
        email: f.text("email"),
        created_at: f.time("date"),
        expired_at: f.time("expired_at"),
        txs: Vec::new(),
        problems: Vec::new(),
    };
    if payment.status_text.is_empty() {
        payment.problems.push("status: missing".into());
    }
    for (at, tx) in f.list("txs").into_iter().enumerate() {
        match parse_tx(tx, at) {
            Ok((tx, problems)) => {
                payment.txs.push(tx);
                f.extend_problems(problems);
            }
            Err(why) => f.extend_problems(vec![format!("txs[{at}]: {why}")]),
        }
    }
    let mut problems = f.into_problems();
    problems.append(&mut payment.problems);
    payment.problems = problems;
    Ok(payment)
}

/// The record's `track_id` (a string, or a number's digits).
pub(crate) fn track_id_of(f: &mut Fields) -> Result<TrackId, String> {
    let text = f.text("track_id").ok_or("no track_id")?;
    TrackId::new(&text).map_err(|e| format!("track_id: {e}"))
}

fn parse_tx(raw: &RawValue, at: usize) -> Result<(PaymentTx, Vec<String>), String> {
    let mut f = Fields::of(raw, &format!("txs[{at}]."))?;
    let tx = PaymentTx {
        tx_hash: f.text("tx_hash"),
        network: f.text("network"),
        amount: f.amount(&["amount", "sent_amount", "received_amount"]),
        currency: f.currency("currency"),
        confirmations: f.count("confirmations"),
        address: f.text("address"),
        status: f.text("status"),
        date: f.time("date"),
    };
    Ok((tx, f.into_problems()))
}

/// Reads payments with the merchant key. `Debug` shows no key.
#[derive(Debug, Clone)]
pub struct PaymentsClient {
    history: History<Payment>,
}

impl PaymentsClient {
    /// A client for `{base}/v1/payment` (the base's path is kept).
    ///
    /// # Errors
    /// The key holds characters an HTTP header cannot carry (the key is not echoed).
    pub fn new(base: &Url, key: SecretString, timeout: Duration) -> anyhow::Result<Self> {
        Ok(Self {
            history: History::new(
                base,
                "v1/payment",
                key,
                KeyKind::Merchant,
                timeout,
                parse_payment,
                "OxaPay payment read",
            )?,
        })
    }

    /// One page (from 1) of the payments `query` selects, within the timeout (one retry
    /// included). A 401 is [`OxaPayError::KeyRefused`] naming `OXAPAY_MERCHANT_API_KEY`.
    pub async fn page(&self, query: &ListQuery, page: u32) -> Result<Page<Payment>, OxaPayError> {
        self.history.page(query, page).await
    }

    /// Every page of `query`, at most `max_items` payments (then [`Listing::cut`] says so).
    ///
    /// # Errors
    /// The first page that could not be read, with every page before it.
    pub async fn list(
        &self,
        query: &ListQuery,
        max_items: usize,
    ) -> Result<Listing<Payment>, ListingError<Payment>> {
        self.history.list(query, max_items).await
    }

    /// One payment; `None` when OxaPay knows no payment with this track id.
    pub async fn payment(&self, track_id: &TrackId) -> Result<Option<Payment>, OxaPayError> {
        self.history.one(track_id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oxapay::test_server::{Fake, Reply};

    const KEY: &str = "merchant-key-0123456789";

    fn raw(json: &str) -> Box<RawValue> {
        RawValue::from_string(json.to_owned()).unwrap()
    }

    fn envelope(data: &str) -> String {
        format!(
            r#"{{"data":{data},"message":"Operation completed successfully!","error":{{}},"status":200,"version":"1.0.0"}}"#
        )
    }

    const SAMPLE: &str = r#"{
        "track_id": "184747701", "type": "invoice", "amount": 12345678901234567.89,
        "currency": "usdt", "status": "Paid", "mixed_payment": true, "fee_paid_by_payer": 1,
        "under_paid_coverage": 2.5, "lifetime": 60, "callback_url": "https://shop/cb",
        "return_url": "", "email": "buyer@example.com", "order_id": "ORD-12",
        "description": "Two hats", "thanks_message": "", "expired_at": 1736503600,
        "date": 1736500000,
        "txs": [{"tx_hash": "0xabc", "amount": "0.000000000000000001", "currency": "ETH",
                 "network": "Ethereum Network", "address": "0xdef", "status": "confirmed",
                 "confirmations": 12, "auto_convert": {"processed": true, "amount": 1,
                 "currency": "USDT"}, "auto_withdrawal": {"processed": false},
                 "date": 1736500100}]
    }"#;

    #[test]
    fn a_whole_payment_is_read_exactly() {
        let p = parse_payment(&raw(SAMPLE)).unwrap();
        assert_eq!(p.track_id.as_str(), "184747701");
        assert_eq!(p.kind, Some(PaymentKind::Invoice));
        assert_eq!(p.amount.unwrap().to_string(), "12345678901234567.89");
        assert_eq!(p.currency.as_ref().map(Currency::as_str), Some("USDT"));
        assert_eq!(p.status, PaymentStatus::Paid);
        assert_eq!(p.status_text, "Paid");
        assert_eq!(p.order_id.as_deref(), Some("ORD-12"));
        assert_eq!(p.email.as_deref(), Some("buyer@example.com"));
        assert_eq!(p.description.as_deref(), Some("Two hats"));
        assert_eq!(p.created_at, Some(1_736_500_000));
        assert_eq!(p.expired_at, Some(1_736_503_600));
        assert_eq!(
            p.txs,
            [PaymentTx {
                tx_hash: Some("0xabc".into()),
                network: Some("Ethereum Network".into()),
                amount: Some("0.000000000000000001".parse().unwrap()),
                currency: crate::money::Currency::from_api("ETH"),
                confirmations: Some(12),
                address: Some("0xdef".into()),
                status: Some("confirmed".into()),
                date: Some(1_736_500_100),
            }]
        );
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let shown = format!("{p:?}");
        assert!(!shown.contains("buyer@example.com") && !shown.contains("Two hats"));
    }

    #[test]
    fn unreadable_fields_are_named_and_the_payment_kept() {
        let p = parse_payment(&raw(
            r#"{"track_id": 99, "amount": 1234567890123456789012345678901234567890,
                "currency": "US DOLLARS", "date": "soon", "txs": [{"amount": "x"}, 5]}"#,
        ))
        .unwrap();
        assert_eq!(p.track_id.as_str(), "99");
        assert_eq!(p.amount, None);
        assert_eq!(p.status, PaymentStatus::Unknown(String::new()));
        assert_eq!(p.txs.len(), 1);
        let names: Vec<&str> = p
            .problems
            .iter()
            .map(|x| x.split(':').next().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "amount",
                "currency",
                "date",
                "txs[0].amount",
                "txs[1]",
                "status"
            ]
        );
        for bad in [r#"{"amount": 1}"#, r#"{"track_id": ""}"#, "[]", r#""x""#] {
            assert!(parse_payment(&raw(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn statuses_are_read_case_insensitively() {
        for s in PaymentStatus::KNOWN {
            assert_eq!(PaymentStatus::parse(s.as_str()), s);
            assert_eq!(PaymentStatus::parse(&s.as_str().to_uppercase()), s);
        }
        assert_eq!(PaymentStatus::parse(" Paid "), PaymentStatus::Paid);
        assert_eq!(
            PaymentStatus::parse("Manual-Accept"),
            PaymentStatus::ManualAccept
        );
        assert_eq!(
            PaymentStatus::parse("Confirming"),
            PaymentStatus::Unknown("confirming".into())
        );
        assert_eq!(
            PaymentKind::parse("Static_Address"),
            PaymentKind::StaticAddress
        );
        assert_eq!(
            PaymentKind::parse("gift"),
            PaymentKind::Other("gift".into())
        );
    }

    fn client(fake: &Fake) -> PaymentsClient {
        PaymentsClient::new(&fake.url, SecretString::from(KEY), Duration::from_secs(5)).unwrap()
    }

    #[tokio::test]
    async fn a_page_is_asked_with_the_key_in_its_header_and_every_filter() {
        let fake = Fake::start(Reply::json(
            200,
            &envelope(&format!(
                r#"{{"list":[{SAMPLE}],"meta":{{"page":2,"last_page":2,"total":201}}}}"#
            )),
        ))
        .await;
        let query = ListQuery {
            to_date: Some(1_736_600_000),
            ..ListQuery::since(1_736_000_000).with_status("paid")
        };
        let page = client(&fake).page(&query, 2).await.unwrap();
        assert_eq!(page.items.len(), 1);
        let seen = fake.seen();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].method, "GET");
        assert_eq!(
            seen[0].path,
            "/v1/payment?status=paid&from_date=1736000000&to_date=1736600000&sort_by=create_date\
             &sort_type=asc&page=2&size=200"
        );
        assert_eq!(seen[0].headers["merchant_api_key"], KEY);
        assert!(!seen[0].headers.contains_key("general_api_key"));
    }

    #[tokio::test]
    async fn one_payment_by_a_track_id_that_holds_anything() {
        let fake = Fake::start(Reply::json(200, &envelope(SAMPLE))).await;
        let c = client(&fake);
        let id = TrackId::new("<b>a/b?c#d</b>").unwrap();
        let p = c.payment(&id).await.unwrap().unwrap();
        assert_eq!(p.track_id.as_str(), "184747701");
        assert_eq!(
            fake.seen()[0].path,
            "/v1/payment/%3Cb%3Ea%2Fb%3Fc%23d%3C%2Fb%3E"
        );
        fake.set_default(Reply::json(
            404,
            r#"{"data":{},"message":"","error":{"type":"not_found","key":"track_id","message":"Not found"},"status":404,"version":"1.0.0"}"#,
        ));
        assert_eq!(c.payment(&id).await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_refused_merchant_key_is_its_own_sentence() {
        let fake = Fake::start(Reply::json(
            401,
            &format!(
                r#"{{"data":{{}},"message":"","error":{{"type":"invalid_api_key","key":"merchant_api_key","message":"Invalid key {KEY}"}},"status":401,"version":"1.0.0"}}"#
            ),
        ))
        .await;
        let e = client(&fake)
            .page(&ListQuery::default(), 1)
            .await
            .unwrap_err();
        assert!(
            matches!(
                e,
                OxaPayError::KeyRefused {
                    key: KeyKind::Merchant,
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!(
            e.user_message(),
            "OxaPay refused the merchant API key (HTTP 401): it is not a merchant API key or was \
             revoked — check OXAPAY_MERCHANT_API_KEY."
        );
        let shown = format!("{e} {e:?} {}", e.user_message());
        assert!(!shown.contains(KEY), "{shown}");
        assert_eq!(fake.calls(), 1, "a refused key is not retried");
    }

    #[test]
    fn debug_shows_no_key() {
        let c = PaymentsClient::new(
            &Url::parse("https://api.oxapay.com").unwrap(),
            SecretString::from(KEY),
            Duration::from_secs(1),
        )
        .unwrap();
        assert!(!format!("{c:?}").contains(KEY));
        let e = PaymentsClient::new(
            &Url::parse("https://api.oxapay.com").unwrap(),
            SecretString::from("bad\nkey"),
            Duration::from_secs(1),
        )
        .unwrap_err();
        assert!(e.to_string().contains("OXAPAY_MERCHANT_API_KEY"));
        assert!(!e.to_string().contains("bad\nkey"));
    }
}
