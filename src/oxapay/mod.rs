//! OxaPay: the account's balances, why a read failed, and the clients that read them. Two balance
//! APIs (`legacy`: `POST {base}/api/balance` with the payout key; `v1`: `GET
//! {base}/v1/general/account/balance` with the general key) sit behind one [`BalanceApi`], so
//! the rest of the bot never knows which one answered; `prices` reads USD prices (v1, no key).
//! `http` is the plumbing they share. See `shared/spec`.
//!
//! The account's history is read with the other two keys: `payments` (`GET /v1/payment`, merchant
//! key) and `payouts` (`GET /v1/payout`, payout key), both paged through `listing` and their
//! records read field by field through `fields`; `callbacks` verifies and reads the signed
//! callbacks OxaPay posts for them.

pub mod callbacks;
mod fields;
mod http;
mod legacy;
pub mod listing;
pub mod payments;
pub mod payouts;
mod prices;
#[cfg(test)]
pub(crate) mod test_server;
mod v1;

use std::collections::BTreeMap;
use std::time::Duration;

use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::money::{Currency, parse_api_amount};
use crate::telemetry::preview;

pub use http::MAX_BODY_BYTES;
pub use legacy::{LegacyClient, parse_balance_response};
pub use listing::{
    ListQuery, Listing, ListingError, MAX_TRACK_ID_CHARS, Page, PageSize, SortBy, SortType,
    TrackId, TrackIdError,
};
pub use payments::{Payment, PaymentKind, PaymentStatus, PaymentTx, PaymentsClient};
pub use payouts::{Payout, PayoutStatus, PayoutsClient};
pub use prices::{PriceError, Prices, PricesClient, parse_prices_response};
pub use v1::{V1Client, parse_v1_balance_response};

/// The balance API the bot reads through, chosen at start by the key the operator has (see
/// `config::OxaPayConfig::balance_api`). An enum rather than `Box<dyn>`: async methods are not
/// object-safe, and two clients need no more.
#[derive(Debug, Clone)]
pub enum BalanceApi {
    Legacy(LegacyClient),
    V1(V1Client),
}

impl BalanceApi {
    /// Every wallet's balance, within the configured timeout (one retry included).
    pub async fn balances(&self) -> Result<Balances, OxaPayError> {
        match self {
            BalanceApi::Legacy(client) => client.balances().await,
            BalanceApi::V1(client) => client.balances().await,
        }
    }

    /// Which API and key this is, for logs and admins (never the key itself).
    pub fn describe(&self) -> &'static str {
        match self {
            BalanceApi::Legacy(_) => "OxaPay legacy API (payout key)",
            BalanceApi::V1(_) => "OxaPay v1 API (general key)",
        }
    }
}

/// One balance read: the wallets' amounts by upper-case currency symbol, and the wallets OxaPay
/// listed with an amount the bot could not read. One unreadable amount does not hide the others;
/// that currency alone counts as a failed read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Balances {
    pub amounts: BTreeMap<Currency, Decimal>,
    /// Symbol (as OxaPay wrote it, shortened) → why its amount could not be read.
    pub unreadable: BTreeMap<String, String>,
}

impl Balances {
    /// Balances from readable amounts only.
    pub fn new(amounts: BTreeMap<Currency, Decimal>) -> Self {
        Self {
            amounts,
            unreadable: BTreeMap::new(),
        }
    }

    /// The balance of `currency`: a currency the account does not list holds nothing; one whose
    /// amount could not be read is an error (with why), never a zero.
    pub fn amount(&self, currency: &Currency) -> Result<Decimal, &str> {
        if let Some(why) = self.unreadable.get(currency.as_str()) {
            return Err(why);
        }
        Ok(self.amounts.get(currency).copied().unwrap_or(Decimal::ZERO))
    }

    /// Builds a read from `(symbol, amount as JSON)` entries, as every OxaPay API sends them: an
    /// amount is a decimal string or a JSON number read from its literal text, never via `f64`.
    ///
    /// # Errors
    /// No entries at all (a real account lists its wallets, and reading an empty list as "all
    /// zero" would fire every alert at once), or not one readable amount.
    pub fn from_entries<'a>(
        entries: impl IntoIterator<Item = (String, &'a RawValue)>,
    ) -> Result<Self, OxaPayError> {
        let mut out = Balances::default();
        for (name, value) in entries {
            let Some(symbol) = Currency::from_api(&name) else {
                let shown = preview(&name.trim().to_ascii_uppercase());
                out.unreadable
                    .insert(shown, "not a currency symbol".to_owned());
                continue;
            };
            match amount_of(value) {
                Ok(amount) => {
                    out.amounts.insert(symbol, amount);
                }
                Err(why) => {
                    out.unreadable.insert(symbol.as_str().to_owned(), why);
                }
            }
        }
        if out.amounts.is_empty() {
            return Err(OxaPayError::BadBody(if out.unreadable.is_empty() {
                "no balances in the answer".into()
            } else {
                format!(
                    "no readable amount in the answer ({})",
                    preview(&format!("{:?}", out.unreadable))
                )
            }));
        }
        Ok(out)
    }
}

/// `data` is documented as a map of symbol → amount; also accepted: an array of one-key objects
/// (the legacy docs call it an "object array"). Each amount is judged on its own later.
fn data_entries(data: &RawValue) -> Result<Vec<(String, &RawValue)>, String> {
    let text = data.get().trim_start();
    if text.starts_with('{') {
        let map: BTreeMap<String, &RawValue> =
            serde_json::from_str(data.get()).map_err(|e| format!("data: {e}"))?;
        Ok(map.into_iter().collect())
    } else if text.starts_with('[') {
        let items: Vec<BTreeMap<String, &RawValue>> =
            serde_json::from_str(data.get()).map_err(|e| format!("data: {e}"))?;
        Ok(items.into_iter().flatten().collect())
    } else {
        Err(format!("data is {}, not a list by currency", preview(text)))
    }
}

/// A body that is not the JSON expected: the parser's reason and how the body starts.
fn not_json(e: &serde_json::Error, body: &[u8]) -> OxaPayError {
    let start = String::from_utf8_lossy(&body[..body.len().min(60)]).replace('\n', " ");
    OxaPayError::BadBody(format!("not JSON ({e}), starts with {start:?}"))
}

/// An amount as OxaPay sends it, exactly: a decimal string, or a JSON number read from its
/// literal text (never via `f64`), or an `{"available": …}` entry holding one.
fn amount_of(value: &RawValue) -> Result<Decimal, String> {
    let raw = value.get().trim();
    match raw.as_bytes().first() {
        Some(b'"') => {
            let s: String = serde_json::from_str(raw).map_err(|e| e.to_string())?;
            parse_api_amount(&s)
        }
        Some(b'{') => {
            // `{"available": …}` entries are seen in other clients.
            #[derive(Deserialize)]
            struct Entry<'a> {
                #[serde(borrow)]
                available: Option<&'a RawValue>,
                #[serde(borrow)]
                balance: Option<&'a RawValue>,
            }
            let entry: Entry = serde_json::from_str(raw).map_err(|e| e.to_string())?;
            let inner = entry
                .available
                .or(entry.balance)
                .ok_or_else(|| "entry has no available amount".to_string())?;
            if inner.get().trim_start().starts_with('{') {
                return Err("nested entry".into());
            }
            amount_of(inner)
        }
        Some(b'-' | b'0'..=b'9') => parse_api_amount(raw),
        _ => Err(format!("{} is not an amount", preview(raw))),
    }
}

/// Which of the account's API keys a call carries. Each travels in a header named after it and
/// is set by its own variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyKind {
    /// Balances (`general_api_key`).
    General,
    /// Payments (`merchant_api_key`); also signs payment callbacks.
    Merchant,
    /// Payouts (`payout_api_key`); also signs payout callbacks.
    Payout,
}

impl KeyKind {
    /// The variable the operator sets it with.
    pub fn env_var(self) -> &'static str {
        match self {
            KeyKind::General => "OXAPAY_GENERAL_API_KEY",
            KeyKind::Merchant => "OXAPAY_MERCHANT_API_KEY",
            KeyKind::Payout => "OXAPAY_PAYOUT_API_KEY",
        }
    }

    /// The request header it travels in.
    pub fn header(self) -> &'static str {
        match self {
            KeyKind::General => "general_api_key",
            KeyKind::Merchant => "merchant_api_key",
            KeyKind::Payout => "payout_api_key",
        }
    }

    /// Its name in a sentence.
    pub fn name(self) -> &'static str {
        match self {
            KeyKind::General => "general API key",
            KeyKind::Merchant => "merchant API key",
            KeyKind::Payout => "payout API key",
        }
    }
}

impl std::fmt::Display for KeyKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a balance (or price) read failed. Cloneable: one failed read is shared by every waiting
/// caller. `Display` is the log line; [`OxaPayError::user_message`] is what a person reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OxaPayError {
    #[error("no answer within {} s", .0.as_secs_f32())]
    Timeout(Duration),
    #[error("connection failed: {0}")]
    Connection(String),
    /// A 3xx answer. Redirects are not followed, so the key never goes to another host and
    /// another host's answer is never shown. `location` is the target's scheme, host and port.
    #[error("redirect (HTTP {status}) to {location}, not followed")]
    Redirect { status: u16, location: String },
    #[error("HTTP status {status}")]
    Status {
        status: u16,
        retry_after: Option<u64>,
    },
    /// The body passed [`MAX_BODY_BYTES`]; it was not read further.
    #[error("answer larger than {limit} bytes, not read")]
    TooLarge { limit: usize },
    #[error("unexpected answer: {0}")]
    BadBody(String),
    /// A legacy result code other than 100.
    #[error("result code {code}: {message}")]
    Api { code: i64, message: String },
    /// A v1 error: the HTTP status, or the body's `status` when HTTP said 200, with the body's
    /// `error {type, message}` when it had one (empty otherwise).
    #[error("HTTP {status} ({kind}): {message}")]
    Refused {
        status: u16,
        kind: String,
        message: String,
        retry_after: Option<u64>,
    },
    /// HTTP 401 (or a body saying 401) to a call made with the merchant or payout key: that key
    /// is wrong, revoked or of another kind. Its own variant because the sentence must name the
    /// variable to fix, and a refused merchant key says nothing about the balance key.
    #[error("the {key} was refused (HTTP 401, {kind}): {message}")]
    KeyRefused {
        key: KeyKind,
        kind: String,
        message: String,
    },
}

impl OxaPayError {
    /// One short sentence for a person in the chat (no internals, no secrets).
    pub fn user_message(&self) -> String {
        match self {
            OxaPayError::Timeout(d) => format!(
                "OxaPay did not answer within {} s — try again shortly.",
                d.as_secs()
            ),
            OxaPayError::Connection(_) => {
                "Could not reach OxaPay (connection failed) — try again shortly.".into()
            }
            OxaPayError::Redirect { status, .. } => format!(
                "OxaPay's address answered with a redirect (HTTP {status}); the bot does not \
                 follow redirects, so the key is not sent elsewhere — check OXAPAY_API_URL."
            ),
            OxaPayError::Status {
                status: 429,
                retry_after,
            }
            | OxaPayError::Refused {
                status: 429,
                retry_after,
                ..
            } => rate_limited(*retry_after),
            OxaPayError::Status { status, .. } if *status >= 500 => server_trouble(*status),
            OxaPayError::Status { status, .. } => refused(*status),
            OxaPayError::TooLarge { limit } => format!(
                "OxaPay sent an answer too large to read (over {} MiB) — try again shortly.",
                limit / (1024 * 1024)
            ),
            OxaPayError::BadBody(_) => {
                "OxaPay sent an answer the bot could not read — try again shortly.".into()
            }
            OxaPayError::Api { code, .. } => match code {
                101 => "OxaPay rejected the request as invalid (code 101).".into(),
                102 => "OxaPay rejected the API key: it is not a payout key (code 102).".into(),
                103 => {
                    "OxaPay rejected the payout key (code 103): check OXAPAY_PAYOUT_API_KEY.".into()
                }
                104 => "OxaPay refused this server's IP (code 104): allow it in the OxaPay panel."
                    .into(),
                105 => "OxaPay does not know that currency (code 105).".into(),
                124 => "OxaPay's request limit is exceeded (code 124) — try again later.".into(),
                code => format!("OxaPay reported an error (code {code}) — try again later."),
            },
            OxaPayError::KeyRefused { key, .. } => format!(
                "OxaPay refused the {key} (HTTP 401): it is not a {key} or was revoked — check {}.",
                key.env_var()
            ),
            OxaPayError::Refused {
                status,
                retry_after,
                ..
            } => match status {
                400 => "OxaPay rejected the request as invalid (HTTP 400).".into(),
                401 => "OxaPay refused the key (HTTP 401): the key is not a general API key or \
                        was revoked — check OXAPAY_GENERAL_API_KEY."
                    .into(),
                404 => {
                    "OxaPay does not know this address (HTTP 404) — check OXAPAY_API_URL.".into()
                }
                503 => match retry_after {
                    Some(s) => {
                        format!("OxaPay is down for maintenance (HTTP 503) — try again in {s} s.")
                    }
                    None => "OxaPay is down for maintenance (HTTP 503) — try again later.".into(),
                },
                200..=299 => "OxaPay reported an error — try again later.".into(),
                s if *s >= 500 => server_trouble(*s),
                s => refused(*s),
            },
        }
    }

    /// Transport failures and server errors may pass; everything else is an answer.
    pub(crate) fn is_retryable(&self) -> bool {
        match self {
            OxaPayError::Connection(_) => true,
            OxaPayError::Status { status, .. } | OxaPayError::Refused { status, .. } => {
                *status >= 500
            }
            _ => false,
        }
    }
}

fn rate_limited(retry_after: Option<u64>) -> String {
    match retry_after {
        Some(s) => format!("OxaPay is limiting requests — try again in {s} s."),
        None => "OxaPay is limiting requests — try again in a minute.".into(),
    }
}

fn server_trouble(status: u16) -> String {
    format!("OxaPay is having trouble (HTTP {status}) — try again shortly.")
}

fn refused(status: u16) -> String {
    format!("OxaPay refused the request (HTTP {status}) — try again later.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Url;
    use secrecy::SecretString;
    use test_server::{Fake, Reply};

    const KEY: &str = "the-key-that-stays-home";
    /// An answer every client accepts: the legacy and v1 envelopes ignore each other's fields.
    const GOOD: &str = r#"{"result":100,"status":200,"error":{},"data":{"BTC":"1.5"}}"#;

    #[derive(Debug, Clone, Copy)]
    enum Which {
        Legacy,
        V1,
        Prices,
    }

    const ALL: [(Which, &str); 3] = [
        (Which::Legacy, "api/balance"),
        (Which::V1, "v1/general/account/balance"),
        (Which::Prices, "v1/common/prices"),
    ];

    async fn read(which: Which, base: &Url) -> Result<(), OxaPayError> {
        let key = || SecretString::from(KEY);
        let timeout = Duration::from_secs(5);
        match which {
            Which::Legacy => LegacyClient::new(base, key(), timeout)
                .unwrap()
                .balances()
                .await
                .map(drop),
            Which::V1 => V1Client::new(base, key(), timeout)
                .unwrap()
                .balances()
                .await
                .map(drop),
            Which::Prices => PricesClient::new(base, timeout)
                .unwrap()
                .prices()
                .await
                .map(drop)
                .map_err(|e| e.0),
        }
    }

    #[tokio::test]
    async fn a_path_prefix_is_kept() {
        let fake = Fake::start(Reply::json(200, GOOD)).await;
        for (which, path) in ALL {
            for prefix in ["/oxapay", "/oxapay/"] {
                let base = fake.url.join(prefix).unwrap();
                read(which, &base).await.unwrap();
                let seen = fake.seen();
                assert_eq!(seen.last().unwrap().path, format!("/oxapay/{path}"));
            }
        }
    }

    #[tokio::test]
    async fn a_redirect_is_an_error_and_the_other_host_hears_nothing() {
        let elsewhere = Fake::start(Reply::json(200, GOOD)).await;
        for (which, path) in ALL {
            for status in [301, 302, 303, 307, 308] {
                let target = elsewhere.url.join(path).unwrap();
                let origin =
                    Fake::start(Reply::json(status, "").header("location", target.as_str())).await;
                let e = read(which, &origin.url).await.unwrap_err();
                assert_eq!(
                    e,
                    OxaPayError::Redirect {
                        status,
                        location: format!("http://127.0.0.1:{}", elsewhere.url.port().unwrap())
                    },
                    "{which:?}"
                );
                assert_eq!(origin.calls(), 1, "{which:?} {status}: not retried");
                let m = e.user_message();
                assert!(m.contains(&format!("redirect (HTTP {status})")), "{m}");
                assert!(m.contains("OXAPAY_API_URL") && m.contains("not sent elsewhere"));
            }
        }
        assert_eq!(elsewhere.calls(), 0, "the redirect target got a request");
    }

    #[tokio::test]
    async fn an_oversized_answer_is_refused_without_reading_it_all() {
        let fake = Fake::start(Reply::endless()).await;
        for (which, _) in ALL {
            // Streamed without end and without a length: only a cap can stop it (without one,
            // this would end in a timeout, or never).
            fake.set_default(Reply::endless());
            let e = read(which, &fake.url).await.unwrap_err();
            assert_eq!(
                e,
                OxaPayError::TooLarge {
                    limit: MAX_BODY_BYTES
                },
                "{which:?}"
            );
            assert!(e.user_message().contains("too large to read (over 4 MiB)"));
            // Declared too long: refused from the header.
            fake.set_default(Reply::endless().header("content-length", "1000000000000"));
            let e = read(which, &fake.url).await.unwrap_err();
            assert_eq!(
                e,
                OxaPayError::TooLarge {
                    limit: MAX_BODY_BYTES
                },
                "{which:?}"
            );
            // One byte over the cap, declared or not.
            let padded = format!("{GOOD}{}", " ".repeat(MAX_BODY_BYTES + 1 - GOOD.len()));
            fake.set_default(Reply::json(200, &padded));
            let e = read(which, &fake.url).await.unwrap_err();
            assert_eq!(
                e,
                OxaPayError::TooLarge {
                    limit: MAX_BODY_BYTES
                },
                "{which:?}"
            );
            // Exactly the cap is still read.
            fake.set_default(Reply::json(200, &padded[..MAX_BODY_BYTES]));
            read(which, &fake.url).await.unwrap();
        }
    }

    #[tokio::test]
    async fn legacy_sends_the_key_in_a_posted_body_and_retries_a_glitch_once() {
        let fake = Fake::start(Reply::json(200, GOOD)).await;
        fake.push(Reply::broken());
        let client =
            LegacyClient::new(&fake.url, SecretString::from(KEY), Duration::from_secs(5)).unwrap();
        assert!(!format!("{client:?}").contains(KEY));
        let api = BalanceApi::Legacy(client);
        assert_eq!(api.describe(), "OxaPay legacy API (payout key)");
        let b = api.balances().await.unwrap();
        assert_eq!(b.amounts["BTC"].to_string(), "1.5");
        let seen = fake.seen();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[1].method, "POST");
        assert_eq!(seen[1].path, "/api/balance");
        let body: serde_json::Value = serde_json::from_slice(&seen[1].body).unwrap();
        assert_eq!(body, serde_json::json!({ "key": KEY }));
        assert!(!seen[1].headers.contains_key("general_api_key"));
    }

    #[tokio::test]
    async fn legacy_error_texts_lose_an_echoed_key() {
        let body = format!(r#"{{"result":103,"message":"Invalid Payout API key {KEY}"}}"#);
        let fake = Fake::start(Reply::json(200, &body)).await;
        let e = read(Which::Legacy, &fake.url).await.unwrap_err();
        assert!(matches!(e, OxaPayError::Api { code: 103, .. }));
        assert!(
            !format!("{e} {e:?} {}", e.user_message()).contains(KEY),
            "{e:?}"
        );
    }

    #[test]
    fn the_v1_client_describes_itself() {
        let api = BalanceApi::V1(
            V1Client::new(
                &Url::parse("https://api.oxapay.com").unwrap(),
                SecretString::from(KEY),
                Duration::from_secs(1),
            )
            .unwrap(),
        );
        assert_eq!(api.describe(), "OxaPay v1 API (general key)");
        assert!(!format!("{api:?}").contains(KEY));
    }

    #[test]
    fn user_messages_are_specific() {
        let m = |e: OxaPayError| e.user_message();
        assert!(m(OxaPayError::Timeout(Duration::from_secs(10))).contains("within 10 s"));
        assert!(
            m(OxaPayError::Api {
                code: 103,
                message: String::new()
            })
            .contains("code 103")
        );
        assert!(
            m(OxaPayError::Api {
                code: 104,
                message: String::new()
            })
            .contains("IP")
        );
        assert!(
            m(OxaPayError::Api {
                code: 101,
                message: String::new()
            })
            .contains("code 101")
        );
        assert!(
            m(OxaPayError::Status {
                status: 502,
                retry_after: None
            })
            .contains("HTTP 502")
        );
        assert!(
            m(OxaPayError::Status {
                status: 429,
                retry_after: Some(7)
            })
            .contains("7 s")
        );
    }
}
