//! Client for OxaPay's legacy balance endpoint (`POST {base}/api/balance`, see `shared/spec`).
//!
//! The answer is parsed by a pure function so every failure shape is unit-tested. Transport
//! failures and 5xx answers are retried once, with jitter, inside the one configured timeout;
//! OxaPay's result codes are answers, not glitches, and are never retried.

use std::collections::BTreeMap;
use std::time::Duration;

use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::value::RawValue;
use tokio::time::Instant;

use super::{Balances, OxaPayError};
use crate::preview;

/// Talks to OxaPay. `Debug` shows no key.
#[derive(Clone)]
pub struct OxaPayClient {
    http: reqwest::Client,
    endpoint: Url,
    key: SecretString,
    timeout: Duration,
}

impl std::fmt::Debug for OxaPayClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OxaPayClient")
            .field("endpoint", &self.endpoint.as_str())
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

#[derive(serde::Serialize)]
struct BalanceRequest<'a> {
    key: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    currency: Option<&'a str>,
}

impl OxaPayClient {
    pub fn new(base: &Url, key: SecretString, timeout: Duration) -> anyhow::Result<Self> {
        let endpoint = base.join("api/balance").map_err(|e| {
            anyhow::anyhow!("OXAPAY_API_URL cannot be joined with api/balance: {e}")
        })?;
        let http = reqwest::Client::builder()
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .user_agent(concat!("oxapay-bot/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            http,
            endpoint,
            key,
            timeout,
        })
    }

    /// Reads the balances (all currencies, or only `currency`), within the configured timeout.
    pub async fn balances(&self, currency: Option<&str>) -> Result<Balances, OxaPayError> {
        let deadline = Instant::now() + self.timeout;
        let first = self.attempt(currency, deadline).await;
        match first {
            Err(e) if e.is_retryable() => {
                // Jitter keeps many bots that failed together from retrying together.
                let pause = Duration::from_millis(100 + fastrand::u64(0..300));
                if Instant::now() + pause >= deadline {
                    return Err(e);
                }
                tracing::warn!(error = %e, "OxaPay balance read failed, retrying once");
                tokio::time::sleep(pause).await;
                self.attempt(currency, deadline).await
            }
            other => other,
        }
    }

    async fn attempt(
        &self,
        currency: Option<&str>,
        deadline: Instant,
    ) -> Result<Balances, OxaPayError> {
        let body = BalanceRequest {
            key: self.key.expose_secret(),
            currency,
        };
        let exchange = async {
            let response = self
                .http
                .post(self.endpoint.clone())
                .json(&body)
                .send()
                .await
                .map_err(transport_error)?;
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok());
            let bytes = response.bytes().await.map_err(transport_error)?;
            parse_balance_response(status, retry_after, &bytes)
        };
        match tokio::time::timeout_at(deadline, exchange).await {
            Ok(result) => result,
            Err(_) => Err(OxaPayError::Timeout(self.timeout)),
        }
    }
}

fn transport_error(e: reqwest::Error) -> OxaPayError {
    // The chain names the cause (refused, reset, TLS…); the URL holds no secret but adds nothing.
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    OxaPayError::Connection(text)
}

#[derive(Deserialize)]
struct Envelope<'a> {
    result: Option<i64>,
    message: Option<String>,
    #[serde(borrow)]
    data: Option<&'a RawValue>,
}

/// Turns an HTTP answer into balances or the reason it is not one.
pub fn parse_balance_response(
    status: u16,
    retry_after: Option<u64>,
    body: &[u8],
) -> Result<Balances, OxaPayError> {
    if !(200..300).contains(&status) {
        return Err(OxaPayError::Status {
            status,
            retry_after,
        });
    }
    let envelope: Envelope = serde_json::from_slice(body).map_err(|e| {
        let start = String::from_utf8_lossy(&body[..body.len().min(60)]).replace('\n', " ");
        OxaPayError::BadBody(format!("not JSON ({e}), starts with {start:?}"))
    })?;
    let Some(code) = envelope.result else {
        return Err(OxaPayError::BadBody("no result code".into()));
    };
    if code != 100 {
        return Err(OxaPayError::Api {
            code,
            message: envelope.message.unwrap_or_default(),
        });
    }
    let data = envelope
        .data
        .ok_or_else(|| OxaPayError::BadBody("no data".into()))?;
    Balances::from_entries(entries(data).map_err(OxaPayError::BadBody)?)
}

/// `data` is documented as a map of symbol → amount string; also accepted: an array of one-key
/// objects. Each amount is judged on its own by `Balances::from_entries`.
fn entries(data: &RawValue) -> Result<Vec<(String, &RawValue)>, String> {
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
        Err(format!("data is {}, not a list of balances", preview(text)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(body: &str) -> Result<Balances, OxaPayError> {
        parse_balance_response(200, None, body.as_bytes())
    }

    fn amounts(b: &Balances) -> Vec<(String, String)> {
        b.amounts
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect()
    }

    #[test]
    fn string_amounts_are_exact() {
        let b = ok(r#"{"result":100,"message":"Successful operation","data":{"BTC":"0.00000001","USDT":"98765432.12345678","ltc":"0"}}"#).unwrap();
        assert_eq!(
            amounts(&b),
            vec![
                ("BTC".into(), "0.00000001".into()),
                ("LTC".into(), "0".into()),
                ("USDT".into(), "98765432.12345678".into())
            ]
        );
    }

    #[test]
    fn number_amounts_keep_their_digits() {
        let b =
            ok(r#"{"result":100,"data":{"BTC":12345678901234567.89,"ETH":1e-8,"LTC":0}}"#).unwrap();
        assert_eq!(b.amounts["BTC"].to_string(), "12345678901234567.89");
        assert_eq!(b.amounts["ETH"].to_string(), "0.00000001");
        assert_eq!(b.amounts["LTC"].to_string(), "0");
    }

    #[test]
    fn other_data_shapes() {
        let b = ok(r#"{"result":100,"data":[{"BTC":"1.5"},{"TRX":"2"}]}"#).unwrap();
        assert_eq!(b.amounts.len(), 2);
        let b = ok(r#"{"result":100,"data":{"BTC":{"available":"0.25","pending":"1"}}}"#).unwrap();
        assert_eq!(b.amounts["BTC"].to_string(), "0.25");
    }

    #[test]
    fn one_unreadable_amount_leaves_the_others_readable() {
        let forty = "1".repeat(40);
        let body = format!(
            r#"{{"result":100,"data":{{"USDT":"250","A":"{forty}","B":1e999,"C":null,"D":"","E":true,"F":"1,5"}}}}"#
        );
        let b = ok(&body).unwrap();
        assert_eq!(amounts(&b), vec![("USDT".into(), "250".into())]);
        let names: Vec<&str> = b.unreadable.keys().map(String::as_str).collect();
        assert_eq!(names, vec!["A", "B", "C", "D", "E", "F"]);
        assert!(b.amount("B").is_err());
        assert_eq!(b.amount("USDT"), Ok(rust_decimal::Decimal::from(250)));
        assert_eq!(b.amount("TRX"), Ok(rust_decimal::Decimal::ZERO));
    }

    #[test]
    fn failures_are_told_apart() {
        assert!(matches!(
            parse_balance_response(500, None, b"<html>oops</html>"),
            Err(OxaPayError::Status { status: 500, .. })
        ));
        assert!(matches!(
            parse_balance_response(429, Some(30), b""),
            Err(OxaPayError::Status {
                status: 429,
                retry_after: Some(30)
            })
        ));
        for body in [
            "<html><body>Checking your browser</body></html>",
            r#"{"result":100,"data":{"BTC":"1."#,
            "",
            r#"{"result":100}"#,
            r#"{"result":100,"data":null}"#,
            r#"{"result":100,"data":{}}"#,
            r#"{"result":100,"data":[]}"#,
            r#"{"result":100,"data":"nope"}"#,
            r#"{"result":100,"data":{"BTC":"abc"}}"#,
            r#"{"result":100,"data":{"BTC":"1,000"}}"#,
            r#"{"result":100,"data":{"BTC":true}}"#,
            r#"{"result":100,"data":{"BTC":null}}"#,
            r#"{"result":100,"data":{"BTC":"1e999","ETH":""}}"#,
            r#"{"message":"hi"}"#,
        ] {
            assert!(matches!(ok(body), Err(OxaPayError::BadBody(_))), "{body}");
        }
        assert_eq!(
            ok(r#"{"result":103,"message":"Invalid Payout API key","data":{}}"#),
            Err(OxaPayError::Api {
                code: 103,
                message: "Invalid Payout API key".into()
            })
        );
    }
}
