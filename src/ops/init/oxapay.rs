//! The OxaPay keys' checks: one balance read through the API the key is for (a general key: v1;
//! a payout key: legacy), and one payment-list read for a merchant key. A refusal of the key is told as OxaPay's reason and the key is asked
//! again; an OxaPay that cannot be reached ends `init`.

use std::time::Duration;

use reqwest::Url;
use secrecy::SecretString;

use super::Failure;
use crate::config::settings::{OXAPAY_GENERAL_API_KEY, OXAPAY_PAYOUT_API_KEY, Setting};
use crate::config::{self, OxaPayConfig};
use crate::oxapay::{ListQuery, OxaPayError, PageSize};

/// The two kinds of key that read balances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    General,
    Payout,
}

impl KeyKind {
    /// `general`/`g`/`1` or `payout`/`p`/`2`, any case; empty is general.
    pub fn parse(answer: &str) -> Option<Self> {
        match answer.trim().to_ascii_lowercase().as_str() {
            "" | "general" | "g" | "1" => Some(KeyKind::General),
            "payout" | "p" | "2" => Some(KeyKind::Payout),
            _ => None,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            KeyKind::General => "general",
            KeyKind::Payout => "payout",
        }
    }

    /// The variable the key is written to.
    pub fn setting(self) -> &'static Setting {
        match self {
            KeyKind::General => &OXAPAY_GENERAL_API_KEY,
            KeyKind::Payout => &OXAPAY_PAYOUT_API_KEY,
        }
    }
}

/// What one balance read with the key found.
pub enum KeyCheck {
    /// Which API, and how many wallets it sees.
    Accepted(String),
    /// OxaPay refused the key: ask again, with this reason.
    Refused(String),
}

/// Reads the balances once with `key` of `kind` at `api_url` (OxaPay's by default), within the
/// default `OXAPAY_TIMEOUT_SECS`.
///
/// # Errors
/// OxaPay cannot be reached or answers with something else than a refusal of the key.
pub async fn check_key(
    kind: KeyKind,
    key: &str,
    api_url: Option<&Url>,
) -> Result<KeyCheck, Failure> {
    let mut oxapay = config::oxapay_defaults().map_err(|e| Failure::Failed(e.to_string()))?;
    if let Some(url) = api_url {
        oxapay.api_url = url.clone();
    }
    let key = Some(SecretString::from(key.to_owned()));
    match kind {
        KeyKind::General => oxapay.general_key = key,
        KeyKind::Payout => oxapay.payout_key = key,
    }
    read_balances(&oxapay).await
}

async fn read_balances(oxapay: &OxaPayConfig) -> Result<KeyCheck, Failure> {
    let api = oxapay
        .balance_api()
        .map_err(|e| Failure::Failed(format!("{e:#}")))?;
    let which = api.describe();
    // The client's own timeout covers the read and its retry; this one only guards a client
    // that would not stop.
    let limit = oxapay.timeout + Duration::from_secs(5);
    match tokio::time::timeout(limit, api.balances()).await {
        Ok(Ok(balances)) => {
            let n = balances.amounts.len() + balances.unreadable.len();
            Ok(KeyCheck::Accepted(format!(
                "{which}: {n} wallet{}",
                if n == 1 { "" } else { "s" }
            )))
        }
        Ok(Err(e)) if refuses_the_key(&e) => Ok(KeyCheck::Refused(e.user_message())),
        Ok(Err(e)) => Err(Failure::Failed(format!(
            "{which}: {} (check the network, or --api-url)",
            e.user_message().trim_end_matches('.')
        ))),
        Err(_) => Err(Failure::Failed(format!(
            "{which}: no answer within {} s: check the network, or --api-url",
            limit.as_secs()
        ))),
    }
}

/// Reads the payment list once with the merchant `key` (the last day's payments, one per page):
/// accepted with how many payments the day had, or refused with OxaPay's reason.
///
/// # Errors
/// OxaPay cannot be reached or answers with something else than a refusal of the key.
pub async fn check_merchant_key(key: &str, api_url: Option<&Url>) -> Result<KeyCheck, Failure> {
    let mut oxapay = config::oxapay_defaults().map_err(|e| Failure::Failed(e.to_string()))?;
    if let Some(url) = api_url {
        oxapay.api_url = url.clone();
    }
    oxapay.merchant_key = Some(SecretString::from(key.to_owned()));
    let client = match oxapay.payments_client() {
        Ok(Some(c)) => c,
        Ok(None) => return Err(Failure::Failed("no merchant key".to_owned())),
        Err(e) => return Err(Failure::Failed(format!("{e:#}"))),
    };
    let query = ListQuery {
        size: PageSize::new(1).unwrap_or(PageSize::MAX),
        ..ListQuery::since(crate::clock::now_unix() - 86_400)
    };
    let limit = oxapay.timeout + Duration::from_secs(5);
    match tokio::time::timeout(limit, client.page(&query, 1)).await {
        Ok(Ok(page)) => {
            let n = page
                .meta
                .and_then(|m| m.total)
                .unwrap_or(page.entries() as u64);
            Ok(KeyCheck::Accepted(format!(
                "payment list: {n} payment{} in the last 24 h",
                if n == 1 { "" } else { "s" }
            )))
        }
        Ok(Err(e)) if refuses_the_key(&e) => Ok(KeyCheck::Refused(e.user_message())),
        Ok(Err(e)) => Err(Failure::Failed(format!(
            "payment list: {} (check the network, or --api-url)",
            e.user_message().trim_end_matches('.')
        ))),
        Err(_) => Err(Failure::Failed(format!(
            "payment list: no answer within {} s: check the network, or --api-url",
            limit.as_secs()
        ))),
    }
}

/// OxaPay's answers that judge the key itself: a wrong key, a key of another kind, an IP the
/// key does not allow.
pub fn refuses_the_key(e: &OxaPayError) -> bool {
    matches!(
        e,
        OxaPayError::Api {
            code: 102..=104,
            ..
        }
    ) || matches!(
        e,
        OxaPayError::Refused { status: 401, .. } | OxaPayError::KeyRefused { .. }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_of_key_is_a_word_a_letter_or_a_number() {
        for (answer, kind) in [
            ("", Some(KeyKind::General)),
            ("General", Some(KeyKind::General)),
            ("g", Some(KeyKind::General)),
            ("2", Some(KeyKind::Payout)),
            ("PAYOUT", Some(KeyKind::Payout)),
            ("merchant", None),
        ] {
            assert_eq!(KeyKind::parse(answer), kind, "{answer}");
        }
    }

    #[test]
    fn wrong_keys_and_ips_are_refusals_of_the_key_and_outages_are_not() {
        let api = |code| OxaPayError::Api {
            code,
            message: String::new(),
        };
        assert!(refuses_the_key(&api(102)));
        assert!(refuses_the_key(&api(103)));
        assert!(refuses_the_key(&api(104)));
        assert!(!refuses_the_key(&api(124)));
        let refused = |status| OxaPayError::Refused {
            status,
            kind: String::new(),
            message: String::new(),
            retry_after: None,
        };
        assert!(refuses_the_key(&refused(401)));
        assert!(!refuses_the_key(&refused(503)));
        assert!(!refuses_the_key(&OxaPayError::Timeout(
            Duration::from_secs(10)
        )));
    }
}
