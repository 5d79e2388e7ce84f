//! Client for OxaPay's v1 balance endpoint (`GET {base}/v1/general/account/balance`, general key
//! in the `general_api_key` header; see `shared/spec/oxapay-api-notes.md`), and the v1 answer
//! envelope that the prices endpoint shares.
//!
//! Every v1 answer is `{data, message, error: {} | {type, key, message}, status, version}`, where
//! `status` repeats the HTTP status. Both are checked: a 200 whose body says otherwise is an
//! error, and so is a body that is not this envelope (an HTML page from a CDN, a proxy's JSON).

use std::time::Duration;

use reqwest::Url;
use reqwest::header::{HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::{Balances, OxaPayError, data_entries, http, not_json};
use crate::telemetry::preview;

/// The header the general key travels in (named after the key type, not `Authorization`).
const GENERAL_API_KEY: HeaderName = HeaderName::from_static("general_api_key");

/// Reads balances with the general key. `Debug` shows no key.
#[derive(Clone)]
pub struct V1Client {
    http: reqwest::Client,
    endpoint: Url,
    key: SecretString,
    timeout: Duration,
}

impl std::fmt::Debug for V1Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("V1Client")
            .field("endpoint", &self.endpoint.as_str())
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl V1Client {
    /// A client for `{base}/v1/general/account/balance` (the base's path is kept).
    ///
    /// # Errors
    /// The key holds characters an HTTP header cannot carry (the key is not echoed).
    pub fn new(base: &Url, key: SecretString, timeout: Duration) -> anyhow::Result<Self> {
        if HeaderValue::from_str(key.expose_secret()).is_err() {
            anyhow::bail!(
                "OXAPAY_GENERAL_API_KEY holds characters an HTTP header cannot carry: paste the \
                 key exactly as OxaPay shows it"
            );
        }
        Ok(Self {
            http: http::client(timeout)?,
            endpoint: http::endpoint(base, "v1/general/account/balance")?,
            key,
            timeout,
        })
    }

    /// Every wallet's balance, within the configured timeout (one retry included).
    pub async fn balances(&self) -> Result<Balances, OxaPayError> {
        http::with_one_retry(self.timeout, "OxaPay v1 balance read", || self.attempt()).await
    }

    async fn attempt(&self) -> Result<Balances, OxaPayError> {
        let key = self.key.expose_secret();
        let mut header = HeaderValue::from_str(key)
            .map_err(|_| OxaPayError::BadBody("the key cannot be sent as a header".into()))?;
        // Kept out of reqwest's and hyper's debug output, and never indexed by HTTP/2 proxies.
        header.set_sensitive(true);
        let request = self
            .http
            .get(self.endpoint.clone())
            .header(GENERAL_API_KEY, header);
        // An answer that echoes the key must not carry it into logs or chats.
        let answer = http::send(request).await?.without_secret(key);
        parse_v1_balance_response(answer.status, answer.retry_after, &answer.body)
    }
}

/// Turns a v1 balance answer into balances or the reason it is not one. `data` maps symbol →
/// JSON number (read from its literal text) or decimal string.
pub fn parse_v1_balance_response(
    status: u16,
    retry_after: Option<u64>,
    body: &[u8],
) -> Result<Balances, OxaPayError> {
    let data = parse_envelope(status, retry_after, body)?;
    Balances::from_entries(data_entries(data).map_err(OxaPayError::BadBody)?)
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
    #[serde(default)]
    error: Option<Value>,
    #[serde(default)]
    status: Option<Value>,
}

/// The `data` of a successful v1 answer, or why the answer is not one.
pub(super) fn parse_envelope(
    status: u16,
    retry_after: Option<u64>,
    body: &[u8],
) -> Result<&RawValue, OxaPayError> {
    let http_ok = (200..300).contains(&status);
    let envelope: Envelope = match serde_json::from_slice(body) {
        Ok(envelope) => envelope,
        Err(e) if http_ok => return Err(not_json(&e, body)),
        // An HTML error page in front of the API: the HTTP status says enough.
        Err(_) => {
            return Err(OxaPayError::Refused {
                status,
                kind: String::new(),
                message: String::new(),
                retry_after,
            });
        }
    };
    let (kind, message) = error_text(envelope.error.as_ref());
    let refused = |status| OxaPayError::Refused {
        status,
        kind: kind.clone(),
        message: message.clone(),
        retry_after,
    };
    if !http_ok {
        return Err(refused(status));
    }
    match envelope.status.as_ref().map(body_status) {
        None => return Err(OxaPayError::BadBody("no status in the answer".into())),
        Some(None) => return Err(OxaPayError::BadBody("status is not a number".into())),
        Some(Some(200)) if kind.is_empty() && message.is_empty() => {}
        Some(Some(other)) => return Err(refused(other)),
    }
    envelope
        .data
        .ok_or_else(|| OxaPayError::BadBody("no data".into()))
}

/// The body's `status`: a number (or a numeric string) that fits an HTTP status.
fn body_status(value: &Value) -> Option<u16> {
    match value {
        Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `error` as (kind, message): empty for `{}`, `null` or absent; `type` (with `key`, the field
/// it concerns) and `message` otherwise, shortened for logs.
fn error_text(error: Option<&Value>) -> (String, String) {
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) => preview(s.trim()),
        Some(Value::Null) | None => String::new(),
        Some(other) => preview(&other.to_string()),
    };
    match error {
        Some(Value::Object(map)) => {
            let mut kind = text(map.get("type"));
            let key = text(map.get("key"));
            if !key.is_empty() {
                kind = format!("{kind} {key}").trim().to_owned();
            }
            (kind, text(map.get("message")))
        }
        Some(Value::String(s)) if !s.trim().is_empty() => (String::new(), preview(s.trim())),
        _ => (String::new(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oxapay::test_server::{Fake, Reply};

    const KEY: &str = "general-key-0123456789";

    fn envelope(data: &str) -> String {
        format!(
            r#"{{"data":{data},"message":"Operation completed successfully!","error":{{}},"status":200,"version":"1.0.0"}}"#
        )
    }

    fn error_body(status: u16, kind: &str, message: &str) -> String {
        format!(
            r#"{{"data":{{}},"message":"","error":{{"type":"{kind}","key":"general_api_key","message":"{message}"}},"status":{status},"version":"1.0.0"}}"#
        )
    }

    fn ok(data: &str) -> Result<Balances, OxaPayError> {
        parse_v1_balance_response(200, None, envelope(data).as_bytes())
    }

    async fn client(fake: &Fake, timeout: Duration) -> V1Client {
        V1Client::new(&fake.url, SecretString::from(KEY), timeout).unwrap()
    }

    #[test]
    fn numbers_keep_every_digit() {
        let b = ok(
            r#"{"BTC":0.0022866845,"USDT":12345678901234567.89,"ETH":0.000000000000000001,
                "SHIB":123456789.123456789012345678,"TRX":1e-8,"BIG":79228162514264337593543950335,
                "LTC":0,"bnb":0.007404826}"#,
        )
        .unwrap();
        let shown: Vec<(&str, String)> = b
            .amounts
            .iter()
            .map(|(k, v)| (k.as_str(), v.to_string()))
            .collect();
        assert_eq!(
            shown,
            vec![
                ("BIG", "79228162514264337593543950335".into()),
                ("BNB", "0.007404826".into()),
                ("BTC", "0.0022866845".into()),
                ("ETH", "0.000000000000000001".into()),
                ("LTC", "0".into()),
                ("SHIB", "123456789.123456789012345678".into()),
                ("TRX", "0.00000001".into()),
                ("USDT", "12345678901234567.89".into()),
            ]
        );
    }

    #[test]
    fn strings_are_accepted_and_bad_amounts_named() {
        let b = ok(r#"{"USDT":"10.50","BTC":"0.00000001","X":"12,5","Y":null,"Z":1e999}"#).unwrap();
        assert_eq!(b.amounts["USDT"].to_string(), "10.50");
        assert_eq!(b.amounts["BTC"].to_string(), "0.00000001");
        let bad: Vec<&str> = b.unreadable.keys().map(String::as_str).collect();
        assert_eq!(bad, ["X", "Y", "Z"]);
    }

    #[test]
    fn unreadable_answers_are_errors_never_zero() {
        for body in [
            "<!DOCTYPE html><html><title>Just a moment...</title></html>",
            "garbage \u{0}\u{1}",
            "",
            r#"{"data":{"BTC":0.1"#,
            &envelope("{}"),
            &envelope("[]"),
            &envelope("null"),
            &envelope(r#""none""#),
            &envelope(r#"{"BTC":"abc"}"#),
            r#"{"data":{"BTC":1},"error":{}}"#,
            r#"{"data":{"BTC":1},"error":{},"status":"ok"}"#,
            r#"{"result":100,"data":{"BTC":"1"}}"#,
            r#"{"error":{},"status":200}"#,
        ] {
            let r = parse_v1_balance_response(200, None, body.as_bytes());
            assert!(matches!(r, Err(OxaPayError::BadBody(_))), "{body:?}: {r:?}");
        }
    }

    #[test]
    fn the_body_status_and_error_count_even_under_http_200() {
        let e = parse_v1_balance_response(
            200,
            None,
            error_body(401, "invalid_key", "Invalid API key").as_bytes(),
        )
        .unwrap_err();
        assert_eq!(
            e,
            OxaPayError::Refused {
                status: 401,
                kind: "invalid_key general_api_key".into(),
                message: "Invalid API key".into(),
                retry_after: None
            }
        );
        assert!(e.user_message().contains("OXAPAY_GENERAL_API_KEY"));
        // status 200 but an error object: an error, not balances.
        let body = r#"{"data":{"BTC":1},"error":{"type":"x","message":"broken"},"status":200}"#;
        let e = parse_v1_balance_response(200, None, body.as_bytes()).unwrap_err();
        assert!(
            matches!(e, OxaPayError::Refused { status: 200, .. }),
            "{e:?}"
        );
        assert!(e.user_message().contains("reported an error"));
        // Numeric strings and an `error: null` are tolerated.
        let body = r#"{"data":{"BTC":1},"error":null,"status":"200"}"#;
        assert!(parse_v1_balance_response(200, None, body.as_bytes()).is_ok());
    }

    #[test]
    fn every_documented_failure_has_its_own_sentence() {
        let cases: [(u16, Option<u64>, &str); 8] = [
            (400, None, "invalid (HTTP 400)"),
            (
                401,
                None,
                "not a general API key or was revoked — check OXAPAY_GENERAL_API_KEY",
            ),
            (403, None, "refused the request (HTTP 403)"),
            (404, None, "(HTTP 404) — check OXAPAY_API_URL"),
            (429, Some(17), "try again in 17 s"),
            (429, None, "try again in a minute"),
            (500, None, "trouble (HTTP 500)"),
            (503, None, "maintenance (HTTP 503) — try again later"),
        ];
        for (status, retry_after, want) in cases {
            for body in [error_body(status, "t", "m"), "<html>nope</html>".into()] {
                let e =
                    parse_v1_balance_response(status, retry_after, body.as_bytes()).unwrap_err();
                assert!(matches!(e, OxaPayError::Refused { .. }), "{status}: {e:?}");
                assert!(
                    e.user_message().contains(want),
                    "{status}: {}",
                    e.user_message()
                );
                assert_eq!(e.is_retryable(), status >= 500, "{status}");
            }
        }
    }

    #[test]
    fn maintenance_tells_when_to_come_back_if_oxapay_says() {
        let e = parse_v1_balance_response(503, Some(600), b"<html>maintenance</html>").unwrap_err();
        assert!(
            e.user_message()
                .contains("maintenance (HTTP 503) — try again in 600 s")
        );
    }

    #[tokio::test]
    async fn reads_balances_with_the_key_in_its_header() {
        let fake = Fake::start(Reply::json(
            200,
            &envelope(r#"{"USDT":12345678901234567.89,"ETH":0.000000000000000001,"BTC":"0.5"}"#),
        ))
        .await;
        let b = client(&fake, Duration::from_secs(5))
            .await
            .balances()
            .await
            .unwrap();
        assert_eq!(b.amounts["USDT"].to_string(), "12345678901234567.89");
        assert_eq!(b.amounts["ETH"].to_string(), "0.000000000000000001");
        assert_eq!(b.amounts["BTC"].to_string(), "0.5");
        let seen = fake.seen();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].method, "GET");
        assert_eq!(seen[0].path, "/v1/general/account/balance");
        assert_eq!(seen[0].headers["general_api_key"], KEY);
        assert!(seen[0].body.is_empty());
    }

    #[tokio::test]
    async fn http_errors_from_the_server() {
        let fake = Fake::start(Reply::json(200, "{}")).await;
        let c = client(&fake, Duration::from_secs(5)).await;
        let cases = [
            (400, "invalid (HTTP 400)", 1),
            (401, "check OXAPAY_GENERAL_API_KEY", 1),
            (404, "check OXAPAY_API_URL", 1),
            (500, "trouble (HTTP 500)", 2),
            (503, "maintenance (HTTP 503)", 2),
        ];
        for (status, want, calls) in cases {
            fake.set_default(Reply::json(status, &error_body(status, "t", "m")));
            let before = fake.calls();
            let e = c.balances().await.unwrap_err();
            assert!(e.user_message().contains(want), "{status}: {e:?}");
            assert_eq!(fake.calls() - before, calls, "{status}");
        }
        fake.set_default(
            Reply::json(429, &error_body(429, "rate_limit", "slow down"))
                .header("retry-after", "42"),
        );
        let before = fake.calls();
        let e = c.balances().await.unwrap_err();
        assert!(matches!(
            e,
            OxaPayError::Refused {
                status: 429,
                retry_after: Some(42),
                ..
            }
        ));
        assert!(e.user_message().contains("try again in 42 s"));
        assert_eq!(fake.calls() - before, 1, "429 is not retried");
        // A 200 whose body says 401.
        fake.set_default(Reply::json(200, &error_body(401, "invalid_key", "no")));
        let e = c.balances().await.unwrap_err();
        assert!(e.user_message().contains("OXAPAY_GENERAL_API_KEY"), "{e:?}");
        // HTML and garbage.
        fake.set_default(Reply::html(200, "<html>Checking your browser</html>"));
        assert!(matches!(c.balances().await, Err(OxaPayError::BadBody(_))));
        fake.set_default(Reply::html(502, "<html>Bad gateway</html>"));
        let e = c.balances().await.unwrap_err();
        assert!(e.user_message().contains("HTTP 502"), "{e:?}");
        fake.set_default(Reply::json(200, "\u{1}\u{2}garbage"));
        assert!(matches!(c.balances().await, Err(OxaPayError::BadBody(_))));
        fake.set_default(Reply::json(200, &envelope("{}")));
        assert!(matches!(c.balances().await, Err(OxaPayError::BadBody(_))));
    }

    #[tokio::test]
    async fn an_error_text_echoing_the_key_loses_it() {
        let fake = Fake::start(Reply::json(
            401,
            &error_body(401, "invalid_key", &format!("key {KEY} is invalid")),
        ))
        .await;
        let e = client(&fake, Duration::from_secs(5))
            .await
            .balances()
            .await
            .unwrap_err();
        let shown = format!("{e} {e:?} {}", e.user_message());
        assert!(!shown.contains(KEY), "{shown}");
    }

    #[tokio::test]
    async fn a_glitch_is_retried_once_and_a_slow_server_times_out() {
        let good = Reply::json(200, &envelope(r#"{"BTC":1.5}"#));
        let fake = Fake::start(good.clone()).await;
        let c = client(&fake, Duration::from_secs(5)).await;
        fake.push(Reply::broken());
        assert_eq!(
            c.balances().await.unwrap().amounts["BTC"].to_string(),
            "1.5"
        );
        assert_eq!(fake.calls(), 2);

        let c = client(&fake, Duration::from_millis(300)).await;
        fake.set_default(good.delayed(Duration::from_secs(2)));
        let started = std::time::Instant::now();
        let e = c.balances().await.unwrap_err();
        assert!(matches!(e, OxaPayError::Timeout(_)), "{e:?}");
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn debug_shows_no_key() {
        let c = V1Client::new(
            &Url::parse("https://api.oxapay.com").unwrap(),
            SecretString::from(KEY),
            Duration::from_secs(1),
        )
        .unwrap();
        assert!(!format!("{c:?}").contains(KEY));
        assert!(
            V1Client::new(
                &Url::parse("https://api.oxapay.com").unwrap(),
                SecretString::from("bad\nkey-with-newline"),
                Duration::from_secs(1),
            )
            .is_err()
        );
    }
}
