//! The metrics and callback groups: two optional listeners, each on a port of its own (neither
//! may share one with the other or with the webhook's).

use std::net::SocketAddr;

use super::settings::{METRICS_LISTEN, OXAPAY_CALLBACK_LISTEN};
use super::values::{ConfigError, Env, err};
use super::webhook::WebhookConfig;

/// `METRICS_LISTEN`: where `/metrics` and `/healthz` are served.
#[derive(Debug, Clone)]
pub struct MetricsConfig {
    pub listen: SocketAddr,
}

/// `OXAPAY_CALLBACK_LISTEN`: where OxaPay's signed callbacks are received.
#[derive(Debug, Clone)]
pub struct CallbackConfig {
    pub listen: SocketAddr,
}

/// The path OxaPay posts callbacks to (give `https://your.host/oxapay/callback` as the callback
/// URL; a reverse proxy forwards it to `OXAPAY_CALLBACK_LISTEN`).
pub const CALLBACK_PATH: &str = "/oxapay/callback";

pub(super) fn metrics(
    env: &Env,
    webhook: Option<&WebhookConfig>,
) -> Result<Option<MetricsConfig>, ConfigError> {
    let Some(listen) = env.listen(&METRICS_LISTEN)? else {
        return Ok(None);
    };
    if let Some(webhook) = webhook
        && same_port(listen, webhook.listen)
    {
        return Err(err(
            METRICS_LISTEN.name,
            format!(
                "uses port {} like WEBHOOK_LISTEN: give each its own port (metrics should not be \
                 on the public webhook port)",
                listen.port()
            ),
        ));
    }
    Ok(Some(MetricsConfig { listen }))
}

pub(super) fn callbacks(
    env: &Env,
    webhook: Option<&WebhookConfig>,
    metrics: Option<&MetricsConfig>,
) -> Result<Option<CallbackConfig>, ConfigError> {
    let Some(listen) = env.listen(&OXAPAY_CALLBACK_LISTEN)? else {
        return Ok(None);
    };
    let others = [
        ("WEBHOOK_LISTEN", webhook.map(|w| w.listen)),
        ("METRICS_LISTEN", metrics.map(|m| m.listen)),
    ];
    for (other, at) in others {
        if let Some(at) = at
            && same_port(listen, at)
        {
            return Err(err(
                OXAPAY_CALLBACK_LISTEN.name,
                format!(
                    "uses port {} like {other}: give each its own port",
                    listen.port()
                ),
            ));
        }
    }
    Ok(Some(CallbackConfig { listen }))
}

/// Port 0 asks the system for a free port: never the same as another's.
fn same_port(a: SocketAddr, b: SocketAddr) -> bool {
    a.port() != 0 && a.port() == b.port()
}
