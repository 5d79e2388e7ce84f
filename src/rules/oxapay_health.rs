//! Whether OxaPay can be read, as the admins hear it: a pure rule folding each balance read's
//! outcome into a stored record, telling the admins once when reads keep failing and once when
//! they work again.

use crate::oxapay::OxaPayError;

/// How the balance reads have been going, as stored between cycles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Health {
    pub failures: u32,
    pub failing_since: Option<i64>,
    pub last_error: Option<String>,
    /// Whether the admins were told that OxaPay is unreachable (so they must hear it is back).
    pub notice_sent: bool,
}

/// What the admins are told about OxaPay itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HealthNotice {
    Unreachable {
        since: i64,
        failures: u32,
        error: String,
    },
    Back {
        since: i64,
    },
}

/// Folds one read's outcome into the health record: after `failures_before_notice` failures in a
/// row the admins hear once; when a read succeeds after that, they hear once more.
pub fn next_health(
    health: &Health,
    outcome: Result<(), &OxaPayError>,
    now: i64,
    failures_before_notice: u32,
) -> (Health, Option<HealthNotice>) {
    match outcome {
        Ok(()) => {
            let notice = match (health.notice_sent, health.failing_since) {
                (true, Some(since)) => Some(HealthNotice::Back { since }),
                _ => None,
            };
            (Health::default(), notice)
        }
        Err(error) => {
            let failures = health.failures.saturating_add(1);
            let since = health.failing_since.unwrap_or(now);
            let error = error.to_string();
            let tell = !health.notice_sent && failures >= failures_before_notice;
            let next = Health {
                failures,
                failing_since: Some(since),
                last_error: Some(error.clone()),
                notice_sent: health.notice_sent || tell,
            };
            let notice = tell.then_some(HealthNotice::Unreachable {
                since,
                failures,
                error,
            });
            (next, notice)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_notices_after_n_failures_and_on_recovery() {
        let e = OxaPayError::Connection("refused".into());
        let mut h = Health::default();
        let mut notices = Vec::new();
        for i in 0..5 {
            let (next, n) = next_health(&h, Err(&e), 100 + i, 3);
            h = next;
            notices.extend(n);
        }
        assert_eq!(
            notices,
            vec![HealthNotice::Unreachable {
                since: 100,
                failures: 3,
                error: "connection failed: refused".into()
            }]
        );
        let (h2, n) = next_health(&h, Ok(()), 200, 3);
        assert_eq!(n, Some(HealthNotice::Back { since: 100 }));
        assert_eq!(h2, Health::default());
        // Failures below the limit, then success: nobody is told anything.
        let (h, _) = next_health(&Health::default(), Err(&e), 1, 3);
        let (_, n) = next_health(&h, Ok(()), 2, 3);
        assert_eq!(n, None);
    }
}
