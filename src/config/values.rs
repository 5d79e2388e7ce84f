//! Reading one variable: the lookup (empty counts as unset), numbers within the table's range
//! with its default, URLs and listen addresses, and the one-line error naming the variable.

use std::net::SocketAddr;
use std::time::Duration;

use reqwest::Url;

use super::settings::{Range, Setting};

/// A variable that is missing or malformed: one line for the operator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{var}: {problem}")]
pub struct ConfigError {
    pub var: &'static str,
    pub problem: String,
}

pub(super) fn err(var: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        problem: problem.into(),
    }
}

/// The variables as the parser sees them: trimmed, and empty counts as unset.
pub(super) struct Env<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
}

impl<'a> Env<'a> {
    pub(super) fn new(lookup: &'a dyn Fn(&str) -> Option<String>) -> Self {
        Env { lookup }
    }

    /// The value given, if any.
    pub(super) fn get(&self, s: &Setting) -> Option<String> {
        non_empty((self.lookup)(s.name))
    }

    /// The value given, else the table's default.
    pub(super) fn get_or_default(&self, s: &Setting) -> Option<String> {
        self.get(s).or_else(|| s.default_value().map(str::to_owned))
    }

    /// A whole number within the setting's range; its default when unset.
    pub(super) fn number(&self, s: &Setting) -> Result<u64, ConfigError> {
        let Some(value) = self.get_or_default(s) else {
            return Err(err(s.name, "is required"));
        };
        let Range { min, max } = s.range.unwrap_or(Range {
            min: 0,
            max: u64::MAX,
        });
        match value.parse::<u64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(err(
                s.name,
                format!("must be a whole number from {min} to {max}, got {value:?}"),
            )),
        }
    }

    /// [`Env::number`] as seconds.
    pub(super) fn secs(&self, s: &Setting) -> Result<Duration, ConfigError> {
        self.number(s).map(Duration::from_secs)
    }

    /// [`Env::number`] as a count that fits `u32` (every such range does).
    pub(super) fn count(&self, s: &Setting) -> Result<u32, ConfigError> {
        let n = self.number(s)?;
        u32::try_from(n).map_err(|_| err(s.name, format!("is too large: {n}")))
    }

    /// An optional listen address.
    pub(super) fn listen(&self, s: &Setting) -> Result<Option<SocketAddr>, ConfigError> {
        self.get_or_default(s)
            .map(|v| parse_listen(s.name, &v))
            .transpose()
    }
}

pub(super) fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// An http(s) URL with a host. The value is not echoed: it may be a key or token pasted into the
/// wrong variable.
pub(super) fn parse_url(var: &'static str, value: &str) -> Result<Url, ConfigError> {
    match Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(url),
        _ => Err(err(
            var,
            "must be an http(s) URL with a host, such as https://api.example.com (the value is \
             not shown, in case it is a secret)",
        )),
    }
}

/// A socket address to listen on: `IP:PORT`, such as `127.0.0.1:9090` or `[::]:8443`.
pub(super) fn parse_listen(var: &'static str, value: &str) -> Result<SocketAddr, ConfigError> {
    value.parse().map_err(|_| {
        err(
            var,
            format!("must be an IP address and port such as 127.0.0.1:9090 or 0.0.0.0:8443, got {value:?}"),
        )
    })
}
