//! OxaPay: the account's balances, why a read failed, and the client that reads them
//! (`legacy`: `POST {base}/api/balance`, see `shared/spec`).

mod legacy;

use std::collections::BTreeMap;
use std::time::Duration;

use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::money::parse_api_amount;
use crate::preview;

pub use legacy::{OxaPayClient, parse_balance_response};

/// One balance read: the wallets' amounts by upper-case currency symbol, and the wallets OxaPay
/// listed with an amount the bot could not read. One unreadable amount does not hide the others;
/// that currency alone counts as a failed read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Balances {
    pub amounts: BTreeMap<String, Decimal>,
    /// Symbol → why its amount could not be read.
    pub unreadable: BTreeMap<String, String>,
}

impl Balances {
    /// Balances from readable amounts only.
    pub fn new(amounts: BTreeMap<String, Decimal>) -> Self {
        Self {
            amounts,
            unreadable: BTreeMap::new(),
        }
    }

    /// The balance of `currency`: a currency the account does not list holds nothing; one whose
    /// amount could not be read is an error (with why), never a zero.
    pub fn amount(&self, currency: &str) -> Result<Decimal, &str> {
        if let Some(why) = self.unreadable.get(currency) {
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
        for (symbol, value) in entries {
            let symbol = symbol.trim().to_ascii_uppercase();
            if symbol.is_empty()
                || symbol.len() > 20
                || !symbol.bytes().all(|b| b.is_ascii_alphanumeric())
            {
                let shown = preview(&symbol);
                out.unreadable
                    .insert(shown, "not a currency symbol".to_owned());
                continue;
            }
            match amount_of(value) {
                Ok(amount) => {
                    out.amounts.insert(symbol, amount);
                }
                Err(why) => {
                    out.unreadable.insert(symbol, why);
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
