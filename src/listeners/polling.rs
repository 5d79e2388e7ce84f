//! Long polling that tells the health check about every `getUpdates` answer, empty ones included.
//!
//! teloxide's `Polling` yields only updates and errors: a long poll that ends empty (nobody wrote
//! for 10 s) leaves no trace, so "updates are being received" could not be told from "polling has
//! hung". This listener is the same loop — `getUpdates` with the last offset, backoff after
//! errors, `retry_after` honoured, a last call on stop that confirms what was handed over — and
//! records each answer in [`Metrics`].

use std::collections::VecDeque;
use std::time::Duration;

use futures::StreamExt;
use futures::stream::BoxStream;
use teloxide::errors::AsResponseParameters;
use teloxide::prelude::*;
use teloxide::requests::HasPayload;
use teloxide::stop::{StopFlag, StopToken, mk_stop_token};
use teloxide::types::AllowedUpdate;
use teloxide::update_listeners::{AsUpdateStream, UpdateListener};
use teloxide::{ApiError, RequestError};

use crate::metrics::Metrics;
use crate::telemetry::Redactor;

/// How long the last call at stop (which confirms the updates already handed over) may take.
const CONFIRM_TIMEOUT: Duration = Duration::from_secs(2);

pub struct WatchedPolling {
    bot: Bot,
    timeout: Duration,
    backoff_cap: Duration,
    allowed_updates: Option<Vec<AllowedUpdate>>,
    metrics: Metrics,
    redactor: Redactor,
    token: StopToken,
    flag: StopFlag,
}

impl WatchedPolling {
    /// A listener polling with `timeout`, pausing 1 s, 2 s, 4 s … `backoff_cap` after failures.
    /// A webhook left set (the bot ran in webhook mode before) is deleted first: Telegram refuses
    /// `getUpdates` while one is set.
    pub async fn start(
        bot: Bot,
        timeout: Duration,
        backoff_cap: Duration,
        metrics: Metrics,
        redactor: Redactor,
    ) -> Self {
        delete_webhook_if_set(&bot).await;
        let (token, flag) = mk_stop_token();
        Self {
            bot,
            timeout,
            backoff_cap,
            allowed_updates: None,
            metrics,
            redactor,
            token,
            flag,
        }
    }
}

async fn delete_webhook_if_set(bot: &Bot) {
    match bot.get_webhook_info().await {
        Ok(info) if info.url.is_some() => match bot.delete_webhook().await {
            Ok(_) => tracing::info!("deleted the webhook left from webhook mode, to poll instead"),
            Err(e) => {
                tracing::error!(error = %e, "cannot delete the webhook; polling will fail until it is gone")
            }
        },
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "cannot ask Telegram whether a webhook is set"),
    }
}

impl UpdateListener for WatchedPolling {
    type Err = RequestError;

    fn stop_token(&mut self) -> StopToken {
        self.token.clone()
    }

    fn hint_allowed_updates(&mut self, hint: &mut dyn Iterator<Item = AllowedUpdate>) {
        self.allowed_updates = Some(hint.collect());
    }
}

impl<'a> AsUpdateStream<'a> for WatchedPolling {
    type StreamErr = RequestError;
    type Stream = BoxStream<'a, Result<Update, RequestError>>;

    fn as_stream(&'a mut self) -> Self::Stream {
        let state = Poll {
            bot: self.bot.clone(),
            timeout_secs: self.timeout.as_secs().clamp(0, u32::MAX as u64) as u32,
            backoff_cap: self.backoff_cap,
            allowed_updates: self.allowed_updates.clone(),
            metrics: self.metrics.clone(),
            redactor: self.redactor.clone(),
            flag: self.flag.clone(),
            offset: 0,
            buffer: VecDeque::new(),
            errors: 0,
            pause: None,
        };
        futures::stream::unfold(state, Poll::next).boxed()
    }
}

struct Poll {
    bot: Bot,
    timeout_secs: u32,
    backoff_cap: Duration,
    allowed_updates: Option<Vec<AllowedUpdate>>,
    metrics: Metrics,
    redactor: Redactor,
    flag: StopFlag,
    /// One above the last update received: asking from here confirms everything before it.
    offset: i32,
    buffer: VecDeque<Update>,
    /// Failures in a row, for the backoff.
    errors: u32,
    /// Wait this long before the next call (after a failure).
    pause: Option<Duration>,
}

impl Poll {
    async fn next(mut self) -> Option<(Result<Update, RequestError>, Self)> {
        loop {
            // Updates already received are handed over even when stopping, as teloxide does.
            if let Some(update) = self.buffer.pop_front() {
                self.metrics.update_received();
                return Some((Ok(update), self));
            }
            if let Some(pause) = self.pause.take() {
                tokio::select! {
                    biased;
                    _ = &mut self.flag => {}
                    _ = tokio::time::sleep(pause) => {}
                }
            }
            if self.flag.is_stopped() {
                self.confirm().await;
                return None;
            }
            let mut request = self.bot.get_updates();
            let payload = request.payload_mut();
            payload.offset = Some(self.offset);
            payload.timeout = Some(self.timeout_secs);
            // Sent with every call, not only the first: a first call that fails would otherwise
            // leave Telegram with the previous setting.
            payload.allowed_updates = self.allowed_updates.clone();
            let answer = tokio::select! {
                biased;
                // Stopping drops the call under way; what it would have brought comes next time.
                _ = &mut self.flag => continue,
                answer = request.send() => answer,
            };
            match answer {
                Ok(updates) => {
                    self.metrics.poll_ok();
                    self.errors = 0;
                    if let Some(last) = updates.last() {
                        self.offset = last.id.as_offset();
                    }
                    self.buffer.extend(updates);
                }
                Err(e) => {
                    self.metrics
                        .poll_failed(&self.redactor.redact(&describe(&e)));
                    self.pause = Some(match e.retry_after() {
                        Some(wait) => wait.duration(),
                        None => {
                            Duration::from_secs(1u64 << self.errors.min(6)).min(self.backoff_cap)
                        }
                    });
                    self.errors = self.errors.saturating_add(1);
                    return Some((Err(e), self));
                }
            }
        }
    }

    /// Tells Telegram the updates handed over are done with, so a restart does not get them again.
    async fn confirm(&self) {
        if self.offset == 0 {
            return;
        }
        let mut request = self.bot.get_updates();
        let payload = request.payload_mut();
        payload.offset = Some(self.offset);
        payload.limit = Some(1);
        payload.timeout = Some(0);
        if let Ok(Err(e)) = tokio::time::timeout(CONFIRM_TIMEOUT, request.send()).await {
            tracing::debug!(error = %e, "the last getUpdates at stop failed");
        }
    }
}

/// A short reason for `/healthz`.
fn describe(e: &RequestError) -> String {
    match e {
        RequestError::Api(ApiError::TerminatedByOtherGetUpdates) => {
            "409 Conflict: another process polls with this bot token".into()
        }
        RequestError::Api(ApiError::InvalidToken) => "Telegram rejects the bot token".into(),
        RequestError::Network(n) if n.is_timeout() => "no answer (timeout)".into(),
        RequestError::Network(_) => "cannot reach Telegram (network error)".into(),
        other => other.to_string(),
    }
}
