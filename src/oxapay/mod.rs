//! OxaPay: the account's balances, why a read failed, and the client that reads them
//! (`legacy`: `POST {base}/api/balance`, see `shared/spec`).

mod legacy;

use std::collections::BTreeMap;
use std::time::Duration;

use rust_decimal::Decimal;

pub use legacy::{OxaPayClient, parse_balance_response};

/// Wallet balances by upper-case currency symbol, sorted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Balances(pub BTreeMap<String, Decimal>);

impl Balances {
    /// The balance of `currency`; a currency the account does not list holds nothing.
    pub fn get_or_zero(&self, currency: &str) -> Decimal {
        self.0.get(currency).copied().unwrap_or(Decimal::ZERO)
    }
}

/// Why a balance read failed. Cloneable: one failed read is shared by every waiting caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OxaPayError {
    #[error("no answer within {} s", .0.as_secs())]
    Timeout(Duration),
    #[error("connection failed: {0}")]
    Connection(String),
    #[error("HTTP status {status}")]
    Status {
        status: u16,
        retry_after: Option<u64>,
    },
    #[error("unexpected answer: {0}")]
    BadBody(String),
    #[error("result code {code}: {message}")]
    Api { code: i64, message: String },
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
            OxaPayError::Status {
                status: 429,
                retry_after,
            } => match retry_after {
                Some(s) => format!("OxaPay is limiting requests — try again in {s} s."),
                None => "OxaPay is limiting requests — try again in a minute.".into(),
            },
            OxaPayError::Status { status, .. } if *status >= 500 => {
                format!("OxaPay is having trouble (HTTP {status}) — try again shortly.")
            }
            OxaPayError::Status { status, .. } => {
                format!("OxaPay refused the request (HTTP {status}) — try again later.")
            }
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
        }
    }

    /// Transport failures and server errors may pass; everything else is an answer.
    fn is_retryable(&self) -> bool {
        match self {
            OxaPayError::Connection(_) => true,
            OxaPayError::Status { status, .. } => *status >= 500,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
