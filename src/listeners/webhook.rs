//! Webhook mode: teloxide's own axum listener (`axum_to_router`, which calls `setWebhook` with the
//! secret and deletes the webhook when the listener stops), served on a socket bound at start,
//! behind a check of its own: every request without the right `X-Telegram-Bot-Api-Secret-Token`
//! is answered 403 before teloxide sees it (teloxide's route would answer 401), counted, and
//! logged at most once a minute (a scanner must not flood the log).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use anyhow::Context;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use secrecy::{ExposeSecret, SecretString};
use teloxide::prelude::*;
use teloxide::update_listeners::UpdateListener;
use teloxide::update_listeners::webhooks::{Options, axum_to_router};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::config::WebhookConfig;
use crate::listeners::rejections::RejectionLog;
use crate::metrics::Metrics;
use crate::metrics::liveness::{WEBHOOK_INFO_EVERY, webhook_problem};

const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// Binds `WEBHOOK_LISTEN`.
///
/// # Errors
/// The address is taken or not this machine's: the message names `WEBHOOK_LISTEN`.
pub async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .with_context(|| format!("WEBHOOK_LISTEN: cannot listen on {addr}"))
}

/// A running webhook: the listener for the dispatcher, and the tasks to wait for at shutdown.
pub struct Webhook<L> {
    pub listener: L,
    pub server: JoinHandle<()>,
    pub watch: JoinHandle<()>,
}

/// Sets the webhook at Telegram and serves it on `socket`. The server stops (after teloxide has
/// deleted the webhook) when the dispatcher stops the listener; the watch stops at `shutdown`.
///
/// # Errors
/// Telegram refused `setWebhook` (an unreachable or invalid URL, a bad certificate, …).
pub async fn start(
    bot: Bot,
    config: &WebhookConfig,
    socket: TcpListener,
    metrics: Metrics,
    shutdown: CancellationToken,
) -> anyhow::Result<Webhook<impl UpdateListener<Err = Infallible> + Send + use<>>> {
    let secret = config.secret.expose_secret().to_owned();
    let options = Options::new(config.listen, config.url.clone()).secret_token(secret);
    let (listener, stop, router) = axum_to_router(bot.clone(), options)
        .await
        .map_err(|e| anyhow::anyhow!("Telegram refused to set the webhook: {e}"))?;
    let guard = Arc::new(Guard {
        secret: config.secret.clone(),
        metrics: metrics.clone(),
        last_update_unix: AtomicI64::new(i64::MIN),
        log: RejectionLog::default(),
    });
    let router = router.layer(middleware::from_fn_with_state(
        guard.clone(),
        require_secret,
    ));
    let server = tokio::spawn(async move {
        let served = axum::serve(
            socket,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stop)
        .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "the webhook listener stopped");
        }
    });
    let watch = tokio::spawn(watch_webhook(bot, config.url.to_string(), guard, shutdown));
    Ok(Webhook {
        listener,
        server,
        watch,
    })
}

struct Guard {
    secret: SecretString,
    metrics: Metrics,
    /// When the last update was accepted (Unix seconds), to read `getWebhookInfo`'s errors.
    last_update_unix: AtomicI64,
    log: RejectionLog,
}

async fn require_secret(
    State(guard): State<Arc<Guard>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let given = request.headers().get(SECRET_HEADER);
    let expected = guard.secret.expose_secret().as_bytes();
    if !given.is_some_and(|g| same_secret(g.as_bytes(), expected)) {
        guard.rejected(peer, given.is_some());
        return StatusCode::FORBIDDEN.into_response();
    }
    let response = next.run(request).await;
    if response.status() == StatusCode::OK {
        guard
            .last_update_unix
            .store(crate::clock::now_unix(), Ordering::Relaxed);
        guard.metrics.update_received();
    }
    response
}

impl Guard {
    fn rejected(&self, peer: SocketAddr, had_header: bool) {
        self.metrics.webhook_rejected();
        let Some(unlogged) = self.log.due(Instant::now()) else {
            return;
        };
        tracing::warn!(
            %peer,
            secret = if had_header { "wrong" } else { "missing" },
            more_since_last_log = unlogged,
            "webhook request rejected (403): not from Telegram, or a proxy drops the \
             X-Telegram-Bot-Api-Secret-Token header"
        );
    }
}

/// Compares in time independent of where the first difference is (the length may show).
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Asks Telegram about the webhook every [`WEBHOOK_INFO_EVERY`], for `/healthz`: whether it is
/// still ours, and whether deliveries fail.
async fn watch_webhook(bot: Bot, our_url: String, guard: Arc<Guard>, shutdown: CancellationToken) {
    loop {
        let answer = tokio::select! {
            _ = shutdown.cancelled() => return,
            a = bot.get_webhook_info() => a,
        };
        match answer {
            Ok(info) => {
                let last_update = guard.last_update_unix.load(Ordering::Relaxed);
                let problem = webhook_problem(
                    &our_url,
                    info.url.as_ref().map(|u| u.as_str()),
                    info.pending_update_count,
                    info.last_error_date
                        .map(|d| d.timestamp())
                        .zip(info.last_error_message.as_deref()),
                    (last_update != i64::MIN).then_some(last_update),
                );
                if let Some(p) = &problem {
                    tracing::warn!(problem = %p, "Telegram reports a webhook problem");
                }
                guard.metrics.webhook_info(Ok(problem));
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot ask Telegram about the webhook");
                guard.metrics.webhook_info(Err(e.to_string()));
            }
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(WEBHOOK_INFO_EVERY) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abd", b"abc"));
        assert!(!same_secret(b"ab", b"abc"));
        assert!(!same_secret(b"", b"abc"));
    }
}
