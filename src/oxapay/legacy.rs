//! Client for OxaPay's legacy balance endpoint (`POST {base}/api/balance`, payout key in the JSON
//! body; see `shared/spec`).
//!
//! The answer is parsed by a pure function so every failure shape is unit-tested. Transport
//! failures and 5xx answers are retried once, with jitter, inside the one configured timeout;
//! OxaPay's result codes are answers, not glitches, and are never retried.

use std::time::Duration;

use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{Balances, OxaPayError, data_entries, http, not_json};

/// Reads balances with the payout key. `Debug` shows no key.
#[derive(Clone)]
pub struct LegacyClient {
    http: reqwest::Client,
    endpoint: Url,
    key: SecretString,
    timeout: Duration,
}

impl std::fmt::Debug for LegacyClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LegacyClient")
            .field("endpoint", &self.endpoint.as_str())
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

#[derive(serde::Serialize)]
struct BalanceRequest<'a> {
    key: &'a str,
}

impl LegacyClient {
    /// A client for `{base}/api/balance` (the base's path is kept: a proxy prefix works).
    pub fn new(base: &Url, key: SecretString, timeout: Duration) -> anyhow::Result<Self> {
        Ok(Self {
            http: http::client(timeout)?,
            endpoint: http::endpoint(base, "api/balance")?,
            key,
            timeout,
        })
    }

    /// Every wallet's balance, within the configured timeout (one retry included).
    pub async fn balances(&self) -> Result<Balances, OxaPayError> {
        http::with_one_retry(self.timeout, "OxaPay balance read", || self.attempt()).await
    }

    async fn attempt(&self) -> Result<Balances, OxaPayError> {
        let body = BalanceRequest {
            key: self.key.expose_secret(),
        };
        let answer = http::send(self.http.post(self.endpoint.clone()).json(&body))
            .await?
            // An answer that echoes the key must not carry it into logs or chats.
            .without_secret(self.key.expose_secret());
        parse_balance_response(answer.status, answer.retry_after, &answer.body)
    }
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
    let envelope: Envelope = serde_json::from_slice(body).map_err(|e| not_json(&e, body))?;
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
    Balances::from_entries(data_entries(data).map_err(OxaPayError::BadBody)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    fn ok(body: &str) -> Result<Balances, OxaPayError> {
        parse_balance_response(200, None, body.as_bytes())
    }

    fn amounts(b: &Balances) -> Vec<(String, String)> {
        b.amounts
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_string()))
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
        assert!(b.amount(&Currency::from_api("B").unwrap()).is_err());
        assert_eq!(
            b.amount(&Currency::from_api("USDT").unwrap()),
            Ok(rust_decimal::Decimal::from(250))
        );
        assert_eq!(
            b.amount(&Currency::from_api("TRX").unwrap()),
            Ok(rust_decimal::Decimal::ZERO)
        );
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
