//! The OxaPay group: the base URL, the timeout and the three keys (general or payout for the
//! balances, merchant for the payment feed), and the clients they call for.

use std::time::Duration;

use reqwest::Url;
use secrecy::SecretString;

use super::settings::{
    OXAPAY_API_URL, OXAPAY_GENERAL_API_KEY, OXAPAY_MERCHANT_API_KEY, OXAPAY_PAYOUT_API_KEY,
    OXAPAY_TIMEOUT_SECS, Setting,
};
use super::values::{ConfigError, Env, err, parse_url};
use crate::oxapay::{
    BalanceApi, LegacyClient, PaymentsClient, PayoutsClient, PricesClient, V1Client,
};

/// Where and how the bot talks to OxaPay. At least one balance key is present
/// (`Config::from_lookup` refuses neither); with the general key the bot reads balances through
/// the v1 API, otherwise through the legacy one.
#[derive(Debug, Clone)]
pub struct OxaPayConfig {
    /// The base URL; its path is kept (a proxy prefix such as `https://proxy.example/oxapay`).
    pub api_url: Url,
    /// Total time for one read, its one retry included.
    pub timeout: Duration,
    /// `OXAPAY_GENERAL_API_KEY`, the v1 key.
    pub general_key: Option<SecretString>,
    /// `OXAPAY_PAYOUT_API_KEY`, the legacy key.
    pub payout_key: Option<SecretString>,
    /// `OXAPAY_MERCHANT_API_KEY`, the payment list's key: the payment feed runs when it is set.
    pub merchant_key: Option<SecretString>,
}

impl OxaPayConfig {
    /// The balance API the keys call for: v1 with the general key when it is set (also when both
    /// are), else legacy with the payout key. Logs which one, once, never the key.
    ///
    /// # Errors
    /// The HTTP client cannot be built, or the key cannot travel in a header.
    pub fn balance_api(&self) -> anyhow::Result<BalanceApi> {
        let api = match (&self.general_key, &self.payout_key) {
            (Some(key), _) => {
                BalanceApi::V1(V1Client::new(&self.api_url, key.clone(), self.timeout)?)
            }
            (None, Some(key)) => {
                BalanceApi::Legacy(LegacyClient::new(&self.api_url, key.clone(), self.timeout)?)
            }
            (None, None) => anyhow::bail!("{}", no_key_error()),
        };
        tracing::info!(
            api = api.describe(),
            host = self.api_url.host_str().unwrap_or_default(),
            payout_key_unused = self.general_key.is_some() && self.payout_key.is_some(),
            "OxaPay balances are read through the {}",
            api.describe()
        );
        Ok(api)
    }

    /// The USD price client (v1, no key: works whichever balance API is used).
    ///
    /// # Errors
    /// The HTTP client cannot be built.
    pub fn prices_client(&self) -> anyhow::Result<PricesClient> {
        PricesClient::new(&self.api_url, self.timeout)
    }

    /// The payment list's client, with the merchant key; `None` without one (no payment feed).
    ///
    /// # Errors
    /// The HTTP client cannot be built, or the key cannot travel in a header.
    pub fn payments_client(&self) -> anyhow::Result<Option<PaymentsClient>> {
        self.merchant_key
            .as_ref()
            .map(|key| PaymentsClient::new(&self.api_url, key.clone(), self.timeout))
            .transpose()
    }

    /// The payout list's client, with the payout key; `None` without one (no payout feed).
    ///
    /// # Errors
    /// The HTTP client cannot be built, or the key cannot travel in a header.
    pub fn payouts_client(&self) -> anyhow::Result<Option<PayoutsClient>> {
        self.payout_key
            .as_ref()
            .map(|key| PayoutsClient::new(&self.api_url, key.clone(), self.timeout))
            .transpose()
    }
}

/// The keys, the URL and the timeout, in that order.
pub(super) fn parse(env: &Env) -> Result<OxaPayConfig, ConfigError> {
    let general_key = parse_key(&OXAPAY_GENERAL_API_KEY, "general", env)?;
    let payout_key = parse_key(&OXAPAY_PAYOUT_API_KEY, "payout", env)?;
    if general_key.is_none() && payout_key.is_none() {
        return Err(no_key_error());
    }
    let api_url = parse_oxapay_url(&env.get_or_default(&OXAPAY_API_URL).unwrap_or_default())?;
    let timeout = env.secs(&OXAPAY_TIMEOUT_SECS)?;
    let merchant_key = parse_key(&OXAPAY_MERCHANT_API_KEY, "merchant", env)?;
    Ok(OxaPayConfig {
        api_url,
        timeout,
        general_key,
        payout_key,
        merchant_key,
    })
}

/// The URL and timeout at their defaults, and no key.
pub(super) fn defaults() -> Result<OxaPayConfig, ConfigError> {
    let unset = |_: &str| None;
    let env = Env::new(&unset);
    Ok(OxaPayConfig {
        api_url: parse_oxapay_url(&env.get_or_default(&OXAPAY_API_URL).unwrap_or_default())?,
        timeout: env.secs(&OXAPAY_TIMEOUT_SECS)?,
        general_key: None,
        payout_key: None,
        merchant_key: None,
    })
}

fn no_key_error() -> ConfigError {
    err(
        "OXAPAY_GENERAL_API_KEY or OXAPAY_PAYOUT_API_KEY",
        "one is required: the general API key (read through OxaPay's v1 API) or the payout API \
         key (legacy API), from the OxaPay merchant panel",
    )
}

/// An OxaPay key, if set: whole (logs mask it wherever it appears, so a very short "key" is a
/// mistake that would mask ordinary words) and exactly as OxaPay shows it.
fn parse_key(
    setting: &Setting,
    kind: &str,
    env: &Env,
) -> Result<Option<SecretString>, ConfigError> {
    let Some(value) = env.get(setting) else {
        return Ok(None);
    };
    match key_problem(kind, &value) {
        Some(problem) => Err(err(setting.name, problem)),
        None => Ok(Some(SecretString::from(value))),
    }
}

/// What is wrong with the shape of an OxaPay key of `kind` (general, payout, merchant), if
/// anything. Never quotes the key.
pub fn key_problem(kind: &str, value: &str) -> Option<String> {
    if value.chars().count() < 8 {
        Some(format!(
            "is too short to be an OxaPay key: paste the whole {kind} key"
        ))
    } else if value.chars().any(char::is_whitespace) {
        Some("must not contain spaces: paste the key exactly as OxaPay shows it".into())
    } else if !value.bytes().all(|b| b.is_ascii_graphic()) {
        // The keys travel in HTTP headers; OxaPay's keys are plain ASCII anyway.
        Some(
            "must be plain letters, digits and dashes: paste the key exactly as OxaPay shows it"
                .into(),
        )
    } else {
        None
    }
}

/// `OXAPAY_API_URL`: http(s), a host, any path prefix; no credentials (they would be sent to
/// OxaPay and printed with the URL) and no query (no OxaPay endpoint takes the base's).
pub fn parse_oxapay_url(value: &str) -> Result<Url, ConfigError> {
    let var = OXAPAY_API_URL.name;
    let url = parse_url(var, value)?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(err(var, "must not contain a user name or password"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(err(
            var,
            "must not have a query or fragment (?… or #…): give the base URL, e.g. https://api.oxapay.com",
        ));
    }
    Ok(url)
}
