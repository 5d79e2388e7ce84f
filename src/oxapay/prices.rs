//! USD prices: `GET {base}/v1/common/prices` (v1, no key needed, so it works whichever balance
//! API the bot uses) → `data: {"BTC": 94876.55, "USDT": 1, …}`, USD per one coin (implied by
//! `USDT: 1`). Each price is read exactly from its literal text, like an amount.
//!
//! A coin whose price is zero, negative or unreadable has no price; the others stay usable. A
//! failed read is a [`PriceError`], its own type so a caller cannot mistake it for a failed
//! balance read: prices failing must never fail `/balance`.

use std::collections::BTreeMap;
use std::time::Duration;

use reqwest::Url;
use rust_decimal::Decimal;

use super::{OxaPayError, amount_of, data_entries, http, v1};
use crate::money::{Currency, Usd};
use crate::telemetry::preview;

/// Reads USD prices. Holds no key.
#[derive(Debug, Clone)]
pub struct PricesClient {
    http: reqwest::Client,
    endpoint: Url,
    timeout: Duration,
}

impl PricesClient {
    /// A client for `{base}/v1/common/prices` (the base's path is kept).
    pub fn new(base: &Url, timeout: Duration) -> anyhow::Result<Self> {
        Ok(Self {
            http: http::client(timeout)?,
            endpoint: http::endpoint(base, "v1/common/prices")?,
            timeout,
        })
    }

    /// The current price list, within the configured timeout (one retry included).
    pub async fn prices(&self) -> Result<Prices, PriceError> {
        http::with_one_retry(self.timeout, "OxaPay price read", || async {
            let answer = http::send(self.http.get(self.endpoint.clone())).await?;
            parse_prices_response(answer.status, answer.retry_after, &answer.body)
        })
        .await
        .map_err(PriceError)
    }
}

/// One price list: USD per one coin, by upper-case symbol.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Prices {
    /// Only prices above zero.
    pub usd: BTreeMap<Currency, Usd>,
    /// Coins listed without a usable price, and why (zero, negative, unreadable).
    pub unusable: BTreeMap<String, String>,
}

impl Prices {
    /// USD per one coin of `currency`; `None` when OxaPay gave no usable price for it ("no
    /// price").
    pub fn usd_per_coin(&self, currency: &Currency) -> Option<Usd> {
        self.usd.get(currency).copied()
    }
}

/// Why the price list could not be read. `Display` is the log line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("price read failed: {0}")]
pub struct PriceError(pub OxaPayError);

impl PriceError {
    /// One short sentence for the chat, telling that values are left out (and why, briefly).
    pub fn user_message(&self) -> String {
        let reason = match &self.0 {
            OxaPayError::Timeout(d) => format!("no answer within {} s", d.as_secs()),
            OxaPayError::Connection(_) => "connection failed".into(),
            OxaPayError::Redirect { status, .. } => {
                format!("a redirect, HTTP {status}, not followed — check OXAPAY_API_URL")
            }
            OxaPayError::Status { status: 429, .. } | OxaPayError::Refused { status: 429, .. } => {
                "OxaPay is limiting requests".into()
            }
            OxaPayError::Status { status, .. } | OxaPayError::Refused { status, .. } => {
                format!("HTTP {status}")
            }
            OxaPayError::TooLarge { .. } | OxaPayError::BadBody(_) => "unreadable answer".into(),
            OxaPayError::Api { code, .. } => format!("code {code}"),
            OxaPayError::KeyRefused { key, .. } => format!("the {key} was refused"),
        };
        format!("USD prices are unavailable right now ({reason}), so no values are shown.")
    }
}

/// Turns a price answer (the v1 envelope) into prices or the reason it is not one.
///
/// # Errors
/// Everything a v1 answer can fail with, and a list without a single usable price.
pub fn parse_prices_response(
    status: u16,
    retry_after: Option<u64>,
    body: &[u8],
) -> Result<Prices, OxaPayError> {
    let data = v1::parse_envelope(status, retry_after, body)?;
    let mut out = Prices::default();
    for (name, value) in data_entries(data).map_err(OxaPayError::BadBody)? {
        let Some(symbol) = Currency::from_api(&name) else {
            let shown = preview(&name.trim().to_ascii_uppercase());
            out.unusable.insert(shown, "not a currency symbol".into());
            continue;
        };
        match amount_of(value) {
            Ok(price) if price > Decimal::ZERO => {
                out.usd.insert(symbol, Usd::new(price));
            }
            Ok(price) => {
                out.unusable.insert(
                    symbol.as_str().to_owned(),
                    format!("price {price} is not above zero"),
                );
            }
            Err(why) => {
                out.unusable.insert(symbol.as_str().to_owned(), why);
            }
        }
    }
    if out.usd.is_empty() {
        return Err(OxaPayError::BadBody(format!(
            "no usable price in the answer ({} listed)",
            out.unusable.len()
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use crate::oxapay::test_server::{Fake, Reply};

    fn envelope(data: &str) -> String {
        format!(r#"{{"data":{data},"message":"ok","error":{{}},"status":200,"version":"1.0.0"}}"#)
    }

    fn parse(data: &str) -> Result<Prices, OxaPayError> {
        parse_prices_response(200, None, envelope(data).as_bytes())
    }

    #[test]
    fn prices_are_exact_and_unusable_ones_are_only_missing() {
        let p = parse(
            r#"{"BTC":94876.55,"ETH":3301.45,"USDT":1,"SHIB":0.00002163,"eth2":"2.5",
                "ZERO":0,"NEG":-1.5,"BAD":"n/a","NUL":null,"HUGE":1e999}"#,
        )
        .unwrap();
        assert_eq!(
            p.usd_per_coin(&Currency::from_api("BTC").unwrap())
                .unwrap()
                .amount()
                .to_string(),
            "94876.55"
        );
        assert_eq!(
            p.usd_per_coin(&Currency::from_api("shib").unwrap())
                .unwrap()
                .amount()
                .to_string(),
            "0.00002163"
        );
        assert_eq!(
            p.usd_per_coin(&Currency::from_api("USDT").unwrap())
                .unwrap()
                .amount()
                .to_string(),
            "1"
        );
        assert_eq!(
            p.usd_per_coin(&Currency::from_api("ETH2").unwrap())
                .unwrap()
                .amount()
                .to_string(),
            "2.5"
        );
        for missing in ["ZERO", "NEG", "BAD", "NUL", "HUGE", "TRX"] {
            assert_eq!(
                p.usd_per_coin(&Currency::from_api(missing).unwrap()),
                None,
                "{missing}"
            );
        }
        let unusable: Vec<&str> = p.unusable.keys().map(String::as_str).collect();
        assert_eq!(unusable, ["BAD", "HUGE", "NEG", "NUL", "ZERO"]);
    }

    #[test]
    fn a_list_without_one_usable_price_is_an_error() {
        for data in ["{}", "[]", "null", r#"{"BTC":0,"ETH":"x"}"#, r#""prices""#] {
            assert!(
                matches!(parse(data), Err(OxaPayError::BadBody(_))),
                "{data}"
            );
        }
        assert!(matches!(
            parse_prices_response(200, None, b"<html>challenge</html>"),
            Err(OxaPayError::BadBody(_))
        ));
        assert!(matches!(
            parse_prices_response(503, None, b"<html>maintenance</html>"),
            Err(OxaPayError::Refused { status: 503, .. })
        ));
    }

    #[test]
    fn failures_read_as_prices_unavailable() {
        let cases = [
            (
                OxaPayError::Timeout(Duration::from_secs(10)),
                "no answer within 10 s",
            ),
            (OxaPayError::BadBody("x".into()), "unreadable answer"),
            (
                OxaPayError::Refused {
                    status: 503,
                    kind: String::new(),
                    message: String::new(),
                    retry_after: None,
                },
                "HTTP 503",
            ),
            (
                OxaPayError::Redirect {
                    status: 308,
                    location: "https://elsewhere".into(),
                },
                "check OXAPAY_API_URL",
            ),
        ];
        for (e, want) in cases {
            let m = PriceError(e).user_message();
            assert!(m.starts_with("USD prices are unavailable"), "{m}");
            assert!(m.contains(want), "{m}");
        }
    }

    #[tokio::test]
    async fn reads_prices_without_a_key() {
        let fake = Fake::start(Reply::json(200, &envelope(r#"{"BTC":94876.55,"USDT":1}"#))).await;
        let c = PricesClient::new(&fake.url, Duration::from_secs(5)).unwrap();
        let p = c.prices().await.unwrap();
        assert_eq!(
            p.usd_per_coin(&Currency::from_api("BTC").unwrap())
                .unwrap()
                .amount()
                .to_string(),
            "94876.55"
        );
        let seen = fake.seen();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].method, "GET");
        assert_eq!(seen[0].path, "/v1/common/prices");
        assert!(!seen[0].headers.contains_key("general_api_key"));

        fake.set_default(Reply::html(500, "<html>down</html>"));
        let e = c.prices().await.unwrap_err();
        assert!(e.user_message().contains("HTTP 500"), "{e}");
        assert_eq!(fake.calls(), 3, "a 5xx is retried once");
    }
}
