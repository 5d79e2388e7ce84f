//! The health rule behind `/healthz`: a pure function of what the bot has seen and when, so every
//! case is unit-tested without waiting for real time to pass.
//!
//! Healthy means both:
//! - **updates are being received.** Polling: the last `getUpdates` answered (with updates or
//!   empty, as a long poll does when nobody writes) within 3 × the long-poll timeout. A long poll
//!   ends at its timeout at the latest, so a longer silence means polls are failing or hanging.
//!   Webhook: Telegram pushes updates only when there are some, so silence proves nothing; instead
//!   `getWebhookInfo` (asked every minute) must have answered within 3 minutes, still name this
//!   bot's URL, and not report undelivered updates behind a delivery error newer than the last
//!   update the bot accepted.
//! - **the background loop ran recently.** The balance checker finished a cycle (whatever its
//!   outcome: a failed OxaPay read is OxaPay's problem, reported elsewhere) within 2 × the check
//!   interval plus the OxaPay timeout, a cycle's longest normal length.
//!
//! Until the bot has connected to Telegram it is starting, and not healthy yet.

use std::time::Duration;

use tokio::time::Instant;

/// How often webhook mode asks Telegram about its webhook.
pub const WEBHOOK_INFO_EVERY: Duration = Duration::from_secs(60);

/// How updates arrive, once the bot listens for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Polling,
    Webhook,
}

/// What `/healthz` judges; the bot's parts fill it in as things happen.
#[derive(Debug, Clone)]
pub struct Liveness {
    pub started: Instant,
    /// `None` until the bot listens for updates (it is still connecting to Telegram).
    pub listening: Option<(Mode, Instant)>,
    pub poll_timeout: Duration,
    pub last_poll_ok: Option<Instant>,
    pub last_poll_error: Option<(Instant, String)>,
    pub last_update: Option<Instant>,
    pub webhook: WebhookSeen,
    pub check_window: Duration,
    pub last_check: Option<Instant>,
}

/// What the last `getWebhookInfo` calls said.
#[derive(Debug, Clone, Default)]
pub struct WebhookSeen {
    pub last_info_ok: Option<Instant>,
    pub last_info_error: Option<(Instant, String)>,
    /// Something Telegram reported that means updates do not reach the bot.
    pub problem: Option<String>,
}

impl Liveness {
    pub fn new(started: Instant) -> Self {
        Self {
            started,
            listening: None,
            poll_timeout: Duration::from_secs(10),
            last_poll_ok: None,
            last_poll_error: None,
            last_update: None,
            webhook: WebhookSeen::default(),
            check_window: Duration::from_secs(630),
            last_check: None,
        }
    }

    /// `Ok` when healthy, else the one-line reason.
    pub fn judge(&self, now: Instant) -> Result<(), String> {
        let Some((mode, since)) = self.listening else {
            return Err("starting: not connected to Telegram yet".into());
        };
        match mode {
            Mode::Polling => self.judge_polling(since, now)?,
            Mode::Webhook => self.judge_webhook(since, now)?,
        }
        let last_check = self.last_check.unwrap_or(self.started);
        let quiet = now.saturating_duration_since(last_check);
        if quiet > self.check_window {
            return Err(format!(
                "the balance checker has not finished a cycle for {} s (expected within {} s)",
                quiet.as_secs(),
                self.check_window.as_secs()
            ));
        }
        Ok(())
    }

    fn judge_polling(&self, since: Instant, now: Instant) -> Result<(), String> {
        let window = self.poll_timeout * 3;
        let last_ok = self.last_poll_ok.unwrap_or(since);
        let quiet = now.saturating_duration_since(last_ok);
        if quiet <= window {
            return Ok(());
        }
        Err(match &self.last_poll_error {
            Some((at, error)) if Some(*at) > self.last_poll_ok => format!(
                "no updates from Telegram: getUpdates has failed for {} s ({error})",
                quiet.as_secs()
            ),
            _ => format!(
                "no updates from Telegram: getUpdates has not answered for {} s",
                quiet.as_secs()
            ),
        })
    }

    fn judge_webhook(&self, since: Instant, now: Instant) -> Result<(), String> {
        if let Some(problem) = &self.webhook.problem {
            return Err(problem.clone());
        }
        let window = WEBHOOK_INFO_EVERY * 3;
        let last_ok = self.webhook.last_info_ok.unwrap_or(since);
        let quiet = now.saturating_duration_since(last_ok);
        if quiet <= window {
            return Ok(());
        }
        Err(match &self.webhook.last_info_error {
            Some((_, error)) => format!(
                "cannot ask Telegram about the webhook for {} s ({error})",
                quiet.as_secs()
            ),
            None => format!(
                "Telegram has not answered getWebhookInfo for {} s",
                quiet.as_secs()
            ),
        })
    }
}

/// What one `getWebhookInfo` answer means for the bot at `our_url`, given when (as Unix seconds)
/// it last accepted an update: `None` when updates reach it.
pub fn webhook_problem(
    our_url: &str,
    their_url: Option<&str>,
    pending: u32,
    last_error: Option<(i64, &str)>,
    last_update_unix: Option<i64>,
) -> Option<String> {
    match their_url {
        None | Some("") => {
            return Some(
                "Telegram has no webhook set for this bot (another process deleted it, or is \
                 polling with this token)"
                    .into(),
            );
        }
        Some(url) if url != our_url => {
            return Some(
                "Telegram sends this bot's updates to another URL (another process set its own \
                 webhook with this token)"
                    .into(),
            );
        }
        Some(_) => {}
    }
    match last_error {
        Some((at, message)) if pending > 0 && Some(at) >= last_update_unix.or(Some(i64::MIN)) => {
            Some(format!(
                "Telegram cannot deliver updates to the webhook: {pending} waiting, last error: \
                 {}",
                crate::telemetry::preview(message)
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    fn polling(start: Instant) -> Liveness {
        let mut l = Liveness::new(start);
        l.poll_timeout = 10 * S;
        l.check_window = 100 * S;
        l.listening = Some((Mode::Polling, start));
        l
    }

    #[test]
    fn starting_is_not_healthy_yet() {
        let t0 = Instant::now();
        let l = Liveness::new(t0);
        assert_eq!(
            l.judge(t0).unwrap_err(),
            "starting: not connected to Telegram yet"
        );
    }

    #[test]
    fn polling_is_healthy_while_getupdates_answers_even_empty() {
        let t0 = Instant::now();
        let mut l = polling(t0);
        // The first long poll may take its whole timeout.
        assert!(l.judge(t0 + 29 * S).is_ok());
        l.last_poll_ok = Some(t0 + 10 * S);
        l.last_check = Some(t0);
        assert!(l.judge(t0 + 40 * S).is_ok());
        let e = l.judge(t0 + 41 * S).unwrap_err();
        assert_eq!(
            e,
            "no updates from Telegram: getUpdates has not answered for 31 s"
        );
        // One failure between answers does not flip it; failing on does, with the error.
        l.last_poll_error = Some((t0 + 12 * S, "connection refused".into()));
        assert!(l.judge(t0 + 20 * S).is_ok());
        assert_eq!(
            l.judge(t0 + 45 * S).unwrap_err(),
            "no updates from Telegram: getUpdates has failed for 35 s (connection refused)"
        );
        // Answering again: healthy at once.
        l.last_poll_ok = Some(t0 + 46 * S);
        assert!(l.judge(t0 + 46 * S).is_ok());
    }

    #[test]
    fn the_checker_must_have_finished_a_cycle_recently() {
        let t0 = Instant::now();
        let mut l = polling(t0);
        l.last_poll_ok = Some(t0 + 200 * S);
        // Counted from the start until the first cycle (which runs at once).
        assert_eq!(
            l.judge(t0 + 200 * S).unwrap_err(),
            "the balance checker has not finished a cycle for 200 s (expected within 100 s)"
        );
        l.last_check = Some(t0 + 150 * S);
        assert!(l.judge(t0 + 200 * S).is_ok());
    }

    #[test]
    fn webhook_health_follows_what_telegram_says_about_it() {
        let t0 = Instant::now();
        let mut l = polling(t0);
        l.listening = Some((Mode::Webhook, t0));
        l.last_check = Some(t0);
        // Silence is normal for a webhook: nobody may be writing.
        assert!(l.judge(t0 + 90 * S).is_ok());
        l.check_window = 10_000 * S;
        l.webhook.last_info_ok = Some(t0 + 60 * S);
        assert!(l.judge(t0 + 240 * S).is_ok());
        l.webhook.last_info_error = Some((t0 + 120 * S, "timed out".into()));
        assert_eq!(
            l.judge(t0 + 241 * S).unwrap_err(),
            "cannot ask Telegram about the webhook for 181 s (timed out)"
        );
        l.webhook.last_info_ok = Some(t0 + 240 * S);
        l.webhook.problem = Some("Telegram has no webhook set".into());
        assert_eq!(
            l.judge(t0 + 241 * S).unwrap_err(),
            "Telegram has no webhook set"
        );
    }

    #[test]
    fn what_getwebhookinfo_means() {
        let ours = "https://bot.example.com/hook";
        assert_eq!(webhook_problem(ours, Some(ours), 0, None, None), None);
        assert!(
            webhook_problem(ours, None, 0, None, None)
                .unwrap()
                .contains("no webhook set")
        );
        assert!(
            webhook_problem(ours, Some("https://other.example/x"), 0, None, None)
                .unwrap()
                .contains("another URL")
        );
        // An old error, since followed by updates, or with nothing waiting: fine.
        assert_eq!(
            webhook_problem(ours, Some(ours), 3, Some((100, "timeout")), Some(200)),
            None
        );
        assert_eq!(
            webhook_problem(ours, Some(ours), 0, Some((300, "timeout")), Some(200)),
            None
        );
        assert_eq!(
            webhook_problem(
                ours,
                Some(ours),
                3,
                Some((300, "Connection refused")),
                Some(200)
            )
            .unwrap(),
            "Telegram cannot deliver updates to the webhook: 3 waiting, last error: Connection \
             refused"
        );
        assert!(webhook_problem(ours, Some(ours), 1, Some((300, "x")), None).is_some());
    }
}
