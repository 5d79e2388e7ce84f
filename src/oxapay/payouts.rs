//! The account's payouts: `GET {base}/v1/payout` (a listing, filters and paging in
//! [`ListQuery`]) and `GET {base}/v1/payout/{track_id}`, with the payout key in the
//! `payout_api_key` header; and the payout record they share with payout callbacks.
//!
//! Like a payment, a payout is kept with whatever could be read of it; what could not is named
//! in [`Payout::problems`].

use std::time::Duration;

use reqwest::Url;
use rust_decimal::Decimal;
use secrecy::SecretString;
use serde_json::value::RawValue;

use super::fields::Fields;
use super::listing::{History, ListQuery, Listed, Listing, ListingError, Page, TrackId};
use super::payments::track_id_of;
use super::{KeyKind, OxaPayError};
use crate::money::Currency;

/// A payout's status, from the vendor's table; read case-insensitively (callbacks send
/// `"Confirmed"`), `cancelled` read as `canceled`; other names kept in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PayoutStatus {
    Pending,
    Processing,
    Confirming,
    Confirmed,
    Canceled,
    Rejected,
    Unknown(String),
}

impl PayoutStatus {
    pub const KNOWN: [PayoutStatus; 6] = [
        PayoutStatus::Pending,
        PayoutStatus::Processing,
        PayoutStatus::Confirming,
        PayoutStatus::Confirmed,
        PayoutStatus::Canceled,
        PayoutStatus::Rejected,
    ];

    pub fn parse(text: &str) -> Self {
        let name = text.trim().to_lowercase().replace(['-', ' '], "_");
        if name == "cancelled" {
            return PayoutStatus::Canceled;
        }
        Self::KNOWN
            .into_iter()
            .find(|s| s.as_str() == name)
            .unwrap_or(PayoutStatus::Unknown(name))
    }

    pub fn as_str(&self) -> &str {
        match self {
            PayoutStatus::Pending => "pending",
            PayoutStatus::Processing => "processing",
            PayoutStatus::Confirming => "confirming",
            PayoutStatus::Confirmed => "confirmed",
            PayoutStatus::Canceled => "canceled",
            PayoutStatus::Rejected => "rejected",
            PayoutStatus::Unknown(name) => name,
        }
    }
}

impl std::fmt::Display for PayoutStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One payout as OxaPay lists it (or as a payout callback tells it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payout {
    pub track_id: TrackId,
    /// The destination address, as sent (it may hold anything: escape it to show it).
    pub address: Option<String>,
    pub currency: Option<Currency>,
    pub network: Option<String>,
    pub amount: Option<Decimal>,
    pub fee: Option<Decimal>,
    pub status: PayoutStatus,
    /// The status exactly as OxaPay sent it.
    pub status_text: String,
    pub tx_hash: Option<String>,
    pub description: Option<String>,
    /// Sent to another OxaPay account (no blockchain transfer).
    pub internal: Option<bool>,
    pub memo: Option<String>,
    /// When it was created (`date`), Unix seconds on OxaPay's clock.
    pub created_at: Option<i64>,
    /// Fields that could not be read, each as `name: why`.
    pub problems: Vec<String>,
}

impl Listed for Payout {
    fn track_id(&self) -> &TrackId {
        &self.track_id
    }

    fn created_at(&self) -> Option<i64> {
        self.created_at
    }
}

/// One payout from its JSON (a listing entry, `GET /v1/payout/{id}`'s data, or a callback body).
///
/// # Errors
/// Not a JSON object, or no usable track id.
pub fn parse_payout(raw: &RawValue) -> Result<Payout, String> {
    let mut f = Fields::of(raw, "")?;
    let track_id = track_id_of(&mut f)?;
    let status_text = f.text("status").unwrap_or_default();
    let payout = Payout {
        track_id,
        address: f.text("address"),
        currency: f.currency("currency"),
        network: f.text("network"),
        amount: f.amount(&["amount"]),
        fee: f.amount(&["fee"]),
        status: PayoutStatus::parse(&status_text),
        tx_hash: f.text("tx_hash"),
        description: f.text("description"),
        internal: f.flag("internal"),
        memo: f.text("memo"),
        created_at: f.time("date"),
        problems: Vec::new(),
        status_text,
    };
    let mut problems = f.into_problems();
    if payout.status_text.is_empty() {
        problems.push("status: missing".into());
    }
    Ok(Payout { problems, ..payout })
}

/// Reads payouts with the payout key. `Debug` shows no key.
#[derive(Debug, Clone)]
pub struct PayoutsClient {
    history: History<Payout>,
}

impl PayoutsClient {
    /// A client for `{base}/v1/payout` (the base's path is kept).
    ///
    /// # Errors
    /// The key holds characters an HTTP header cannot carry (the key is not echoed).
    pub fn new(base: &Url, key: SecretString, timeout: Duration) -> anyhow::Result<Self> {
        Ok(Self {
            history: History::new(
                base,
                "v1/payout",
                key,
                KeyKind::Payout,
                timeout,
                parse_payout,
                "OxaPay payout read",
            )?,
        })
    }

    /// One page (from 1) of the payouts `query` selects. A 401 is [`OxaPayError::KeyRefused`]
    /// naming `OXAPAY_PAYOUT_API_KEY`.
    pub async fn page(&self, query: &ListQuery, page: u32) -> Result<Page<Payout>, OxaPayError> {
        self.history.page(query, page).await
    }

    /// Every page of `query`, at most `max_items` payouts.
    ///
    /// # Errors
    /// The first page that could not be read, with every page before it.
    pub async fn list(
        &self,
        query: &ListQuery,
        max_items: usize,
    ) -> Result<Listing<Payout>, ListingError<Payout>> {
        self.history.list(query, max_items).await
    }

    /// One payout; `None` when OxaPay knows no payout with this track id.
    pub async fn payout(&self, track_id: &TrackId) -> Result<Option<Payout>, OxaPayError> {
        self.history.one(track_id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oxapay::test_server::{Fake, Reply};

    const KEY: &str = "payout-key-0123456789";

    fn raw(json: &str) -> Box<RawValue> {
        RawValue::from_string(json.to_owned()).unwrap()
    }

    const SAMPLE: &str = r#"{"track_id":"2584111","address":"TX<b>&amp;</b>","currency":"trx",
        "network":"TRC20","amount":3.0440897036220003,"fee":"0.5","status":"Confirmed",
        "tx_hash":"abc","description":"rent","internal":false,"memo":"","date":1736500000}"#;

    #[test]
    fn a_payout_is_read_exactly() {
        let p = parse_payout(&raw(SAMPLE)).unwrap();
        assert_eq!(
            p,
            Payout {
                track_id: TrackId::new("2584111").unwrap(),
                address: Some("TX<b>&amp;</b>".into()),
                currency: crate::money::Currency::from_api("TRX"),
                network: Some("TRC20".into()),
                amount: Some("3.0440897036220003".parse().unwrap()),
                fee: Some("0.5".parse().unwrap()),
                status: PayoutStatus::Confirmed,
                status_text: "Confirmed".into(),
                tx_hash: Some("abc".into()),
                description: Some("rent".into()),
                internal: Some(false),
                memo: None,
                created_at: Some(1_736_500_000),
                problems: vec![],
            }
        );
        let p = parse_payout(&raw(r#"{"track_id":"1","fee":"x","internal":"maybe"}"#)).unwrap();
        assert_eq!(p.fee, None);
        assert_eq!(
            p.problems
                .iter()
                .map(|x| x.split(':').next().unwrap())
                .collect::<Vec<_>>(),
            ["fee", "internal", "status"]
        );
        assert!(parse_payout(&raw(r#"{"status":"confirmed"}"#)).is_err());
    }

    #[test]
    fn statuses() {
        for s in PayoutStatus::KNOWN {
            assert_eq!(PayoutStatus::parse(&s.as_str().to_uppercase()), s);
        }
        assert_eq!(PayoutStatus::parse("Cancelled"), PayoutStatus::Canceled);
        assert_eq!(
            PayoutStatus::parse("on hold"),
            PayoutStatus::Unknown("on_hold".into())
        );
    }

    #[tokio::test]
    async fn reads_with_the_payout_key_and_names_it_when_refused() {
        let body = format!(
            r#"{{"data":{{"list":[{SAMPLE}],"meta":{{"page":1,"last_page":1,"total":1}}}},"message":"","error":{{}},"status":200,"version":"1.0.0"}}"#
        );
        let fake = Fake::start(Reply::json(200, &body)).await;
        let c =
            PayoutsClient::new(&fake.url, SecretString::from(KEY), Duration::from_secs(5)).unwrap();
        let listing = c.list(&ListQuery::since(1), 1000).await.unwrap();
        assert_eq!(listing.items.len(), 1);
        let seen = fake.seen();
        assert!(
            seen[0].path.starts_with("/v1/payout?from_date=1&"),
            "{}",
            seen[0].path
        );
        assert_eq!(seen[0].headers["payout_api_key"], KEY);
        fake.set_default(Reply::html(401, "<html>Unauthorized</html>"));
        let e = c.payout(&TrackId::new("1").unwrap()).await.unwrap_err();
        assert!(e.user_message().contains("OXAPAY_PAYOUT_API_KEY"), "{e:?}");
        assert_eq!(fake.seen().last().unwrap().path, "/v1/payout/1");
        assert!(!format!("{c:?}").contains(KEY));
    }
}
