//! HTTP plumbing every OxaPay call shares (legacy balance, v1 balance, prices), written once:
//! the client (no redirects, connect timeout, user agent), endpoint URLs that keep the base's
//! path, the bounded body read, `Retry-After`, the transport error text and the one retry.

use std::future::Future;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use reqwest::header::{HeaderMap, LOCATION, RETRY_AFTER};
use reqwest::{RequestBuilder, Response, Url};
use tokio::time::Instant;

use super::OxaPayError;

/// The largest answer body the bot reads from OxaPay (4 MiB). A real balance or price list is a
/// few kilobytes; a larger answer (a misbehaving server or proxy) is refused as unreadable rather
/// than grown into memory without end.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// Connecting may take at most this long (or the whole timeout, if shorter): public OxaPay
/// clients use about 5 s, and a slow connect should leave time for the one retry.
const CONNECT_TIMEOUT_CAP: Duration = Duration::from_secs(5);

/// An HTTP client for OxaPay. Redirects are never followed: a 307/308 would re-send the key
/// (in the legacy body or the v1 header) to wherever the redirect points.
pub(crate) fn client(timeout: Duration) -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(timeout.min(CONNECT_TIMEOUT_CAP))
        .user_agent(concat!("oxapay-bot/", env!("CARGO_PKG_VERSION")))
        .build()
        .context("cannot build the OxaPay HTTP client")
}

/// `base` + `path`, keeping the base's own path: `https://proxy.example/oxapay` (with or without a
/// trailing slash) and `api/balance` give `https://proxy.example/oxapay/api/balance`, where
/// `Url::join` would replace `oxapay`. The base's query and fragment are dropped: they belong to
/// no OxaPay endpoint.
pub(crate) fn endpoint(base: &Url, path: &str) -> anyhow::Result<Url> {
    let mut url = base.clone();
    url.set_query(None);
    url.set_fragment(None);
    url.path_segments_mut()
        .map_err(|()| anyhow::anyhow!("OXAPAY_API_URL cannot be a base URL"))?
        .pop_if_empty()
        .extend(path.split('/'));
    Ok(url)
}

/// The part of an HTTP answer the parsers need.
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: u16,
    pub retry_after: Option<u64>,
    pub body: Vec<u8>,
}

impl Answer {
    /// The answer with every copy of `secret` in its body replaced, before anything quotes it:
    /// an error text that echoes the key must not carry it into logs or chats.
    pub fn without_secret(mut self, secret: &str) -> Self {
        let secret = secret.as_bytes();
        if secret.is_empty() || !self.body.windows(secret.len()).any(|w| w == secret) {
            return self;
        }
        let mut out = Vec::with_capacity(self.body.len());
        let mut rest = &self.body[..];
        while !rest.is_empty() {
            if rest.starts_with(secret) {
                out.extend_from_slice(b"[REDACTED]");
                rest = &rest[secret.len()..];
            } else {
                out.push(rest[0]);
                rest = &rest[1..];
            }
        }
        self.body = out;
        self
    }
}

/// Sends `request` and reads the answer, its body bounded by [`MAX_BODY_BYTES`]. A redirect is an
/// error, and its target's answer is never requested.
pub(crate) async fn send(request: RequestBuilder) -> Result<Answer, OxaPayError> {
    let response = request.send().await.map_err(transport_error)?;
    let status = response.status();
    if status.is_redirection() {
        return Err(OxaPayError::Redirect {
            status: status.as_u16(),
            location: redirect_target(response.url(), response.headers()),
        });
    }
    let retry_after = retry_after(response.headers(), Utc::now());
    let body = read_capped(response, MAX_BODY_BYTES).await?;
    Ok(Answer {
        status: status.as_u16(),
        retry_after,
        body,
    })
}

/// Where a redirect pointed, for the log: scheme, host and port only (a path or query could
/// carry anything).
fn redirect_target(from: &Url, headers: &HeaderMap) -> String {
    let Some(location) = headers.get(LOCATION).and_then(|v| v.to_str().ok()) else {
        return "no Location".into();
    };
    match from.join(location) {
        Ok(to) => format!(
            "{}://{}{}",
            to.scheme(),
            to.host_str().unwrap_or("?"),
            to.port().map(|p| format!(":{p}")).unwrap_or_default()
        ),
        Err(_) => "an unreadable Location".into(),
    }
}

/// Reads the body chunk by chunk and stops past `cap` bytes: a declared `Content-Length` over the
/// cap is refused before reading, and an undeclared (chunked) one as soon as it passes it.
async fn read_capped(mut response: Response, cap: usize) -> Result<Vec<u8>, OxaPayError> {
    let declared = response.content_length();
    if declared.is_some_and(|len| len > cap as u64) {
        return Err(OxaPayError::TooLarge { limit: cap });
    }
    let mut body = Vec::with_capacity(declared.unwrap_or(0) as usize);
    while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
        if body.len() + chunk.len() > cap {
            return Err(OxaPayError::TooLarge { limit: cap });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// `Retry-After` in seconds: either form HTTP allows (`120`, or an HTTP date, counted from `now`).
pub(crate) fn retry_after(headers: &HeaderMap, now: DateTime<Utc>) -> Option<u64> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(secs);
    }
    let at = DateTime::parse_from_rfc2822(value).ok()?;
    Some(u64::try_from((at.with_timezone(&Utc) - now).num_seconds()).unwrap_or(0))
}

/// A transport failure as one line: the chain names the cause (refused, reset, TLS…). The URL is
/// left out: it holds no secret but adds nothing.
pub(crate) fn transport_error(e: reqwest::Error) -> OxaPayError {
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

/// Runs `attempt` within `timeout` in all, and once more after a short jittered pause if the
/// first failure may pass (transport error, 5xx) and time is left. Answers (codes, 4xx, bodies)
/// are never retried.
pub(crate) async fn with_one_retry<T, Fut>(
    timeout: Duration,
    what: &'static str,
    mut attempt: impl FnMut() -> Fut,
) -> Result<T, OxaPayError>
where
    Fut: Future<Output = Result<T, OxaPayError>>,
{
    let deadline = Instant::now() + timeout;
    let bounded = |fut: Fut| async move {
        tokio::time::timeout_at(deadline, fut)
            .await
            .unwrap_or(Err(OxaPayError::Timeout(timeout)))
    };
    match bounded(attempt()).await {
        Err(e) if e.is_retryable() => {
            // Jitter keeps many bots that failed together from retrying together.
            let pause = Duration::from_millis(100 + fastrand::u64(0..300));
            if Instant::now() + pause >= deadline {
                return Err(e);
            }
            tracing::warn!(error = %e, "{what} failed, retrying once");
            tokio::time::sleep(pause).await;
            bounded(attempt()).await
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn endpoints_keep_the_base_path() {
        let cases = [
            (
                "https://api.oxapay.com",
                "https://api.oxapay.com/api/balance",
            ),
            (
                "https://api.oxapay.com/",
                "https://api.oxapay.com/api/balance",
            ),
            (
                "https://proxy.example/oxapay",
                "https://proxy.example/oxapay/api/balance",
            ),
            (
                "https://proxy.example/oxapay/",
                "https://proxy.example/oxapay/api/balance",
            ),
            (
                "http://127.0.0.1:8080/a/b/?x=1#f",
                "http://127.0.0.1:8080/a/b/api/balance",
            ),
        ];
        for (base, want) in cases {
            assert_eq!(endpoint(&url(base), "api/balance").unwrap().as_str(), want);
        }
        assert_eq!(
            endpoint(
                &url("https://proxy.example/oxapay"),
                "v1/general/account/balance"
            )
            .unwrap()
            .as_str(),
            "https://proxy.example/oxapay/v1/general/account/balance"
        );
        assert_eq!(
            endpoint(&url("https://proxy.example/oxapay/"), "v1/common/prices")
                .unwrap()
                .as_str(),
            "https://proxy.example/oxapay/v1/common/prices"
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let with = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(RETRY_AFTER, HeaderValue::from_static(v));
            retry_after(&h, now)
        };
        assert_eq!(with("30"), Some(30));
        assert_eq!(with(" 7 "), Some(7));
        assert_eq!(with("Wed, 01 Jan 2025 00:01:30 GMT"), Some(90));
        assert_eq!(with("Tue, 31 Dec 2024 23:00:00 GMT"), Some(0));
        assert_eq!(with("soon"), None);
        assert_eq!(with("-5"), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn echoed_secrets_are_masked_in_bodies() {
        let answer = |body: &str| Answer {
            status: 200,
            retry_after: None,
            body: body.as_bytes().to_vec(),
        };
        let masked =
            answer(r#"{"message":"key SECRET-1 or SECRET-1x is bad"}"#).without_secret("SECRET-1");
        assert_eq!(
            String::from_utf8(masked.body).unwrap(),
            r#"{"message":"key [REDACTED] or [REDACTED]x is bad"}"#
        );
        let untouched = answer("nothing here").without_secret("SECRET-1");
        assert_eq!(untouched.body, b"nothing here");
    }

    #[test]
    fn redirect_targets_name_only_the_host() {
        let from = url("https://api.oxapay.com/api/balance");
        let mut h = HeaderMap::new();
        assert_eq!(redirect_target(&from, &h), "no Location");
        h.insert(
            LOCATION,
            HeaderValue::from_static("http://evil.example:8080/steal?x=1"),
        );
        assert_eq!(redirect_target(&from, &h), "http://evil.example:8080");
        h.insert(LOCATION, HeaderValue::from_static("/elsewhere"));
        assert_eq!(redirect_target(&from, &h), "https://api.oxapay.com");
    }
}
