//! Alert levels as pure rules: the stored states of a chat's levels and one balance read in, the
//! transitions (and what each chat is told) out. The periodic check that applies them is
//! `engine::alert_checker`.

use std::time::Duration;

use rust_decimal::Decimal;

use crate::money::Usd;
use crate::oxapay::{Balances, OxaPayError};
use crate::rules::domain::{ChatId, Subject};

/// Which side of a level alerts: below it (a payout wallet running dry) or above it (too much
/// sitting in a hot wallet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    Below,
    Above,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Below => "below",
            Direction::Above => "above",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "below" => Some(Direction::Below),
            "above" => Some(Direction::Above),
            _ => None,
        }
    }

    /// Whether `balance` is on the alerting side of `level`. Equal to the level never is.
    pub fn crossed(self, balance: Decimal, level: Decimal) -> bool {
        match self {
            Direction::Below => balance < level,
            Direction::Above => balance > level,
        }
    }
}

/// Where one (chat, currency, direction) level stands. Times are Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertState {
    /// Set (or changed) since the last successful check.
    Unchecked,
    Ok,
    /// On the alerting side of the level (low for `Below`, high for `Above`).
    Crossed {
        since: i64,
        last_alert_at: i64,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Threshold {
    pub chat_id: ChatId,
    pub subject: Subject,
    pub direction: Direction,
    pub level: Decimal,
    pub state: AlertState,
}

/// What a chat is told about one level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// The balance crossed the level (fell below it, or rose above it).
    Crossed { balance: Decimal },
    /// Still crossed, told again after `ALERT_REPEAT_SECS`.
    StillCrossed { balance: Decimal, since: i64 },
    /// Back on the right side: at or above a `Below` level, at or below an `Above` one.
    Back { balance: Decimal },
}

/// A level whose stored state changes, with what to tell its chat, if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub chat_id: ChatId,
    pub subject: Subject,
    pub direction: Direction,
    pub level: Decimal,
    pub new_state: AlertState,
    pub notice: Option<Notice>,
}

/// What one check read: the balances and, when a level watches it, the account's total USD value
/// (`None` when it cannot be known this time: prices failed, or a wallet has no price).
#[derive(Debug, Clone, Copy)]
pub struct Reading<'a> {
    pub balances: &'a Balances,
    pub total_usd: Option<Usd>,
}

impl<'a> Reading<'a> {
    /// A reading of balances alone (no level watches the total).
    pub fn balances(balances: &'a Balances) -> Self {
        Self {
            balances,
            total_usd: None,
        }
    }

    /// The value a level watches: a currency's balance (a currency the account does not list is
    /// zero) or the total. `None`: not known this time.
    /// A level on the total is in dollars, one on a coin in that coin: the one place the two
    /// meet.
    pub fn value_of(&self, subject: &Subject) -> Option<Decimal> {
        match subject {
            Subject::Total => self.total_usd.map(Usd::amount),
            Subject::Coin(c) => self.balances.amount(c).ok(),
        }
    }
}

/// Evaluates every level against one reading. A failed read changes nothing: an unreachable
/// OxaPay is not a zero balance, and neither is one currency whose amount could not be read, nor a
/// total whose prices could not be read. Each level is told once per crossing and once when it
/// is back (plus repeats while crossed, if `repeat` is set).
pub fn evaluate(
    thresholds: &[Threshold],
    read: Result<Reading<'_>, &OxaPayError>,
    now: i64,
    repeat: Option<Duration>,
) -> Vec<Transition> {
    let Ok(reading) = read else {
        return Vec::new();
    };
    thresholds
        .iter()
        .filter_map(|t| {
            let balance = reading.value_of(&t.subject)?;
            let crossed = t.direction.crossed(balance, t.level);
            let (new_state, notice) = match (t.state, crossed) {
                (AlertState::Ok, false) => return None,
                (AlertState::Unchecked, false) => (AlertState::Ok, None),
                (AlertState::Crossed { .. }, false) => {
                    (AlertState::Ok, Some(Notice::Back { balance }))
                }
                (AlertState::Unchecked | AlertState::Ok, true) => (
                    AlertState::Crossed {
                        since: now,
                        last_alert_at: now,
                    },
                    Some(Notice::Crossed { balance }),
                ),
                (
                    AlertState::Crossed {
                        since,
                        last_alert_at,
                    },
                    true,
                ) => {
                    let due = repeat
                        .is_some_and(|r| now.saturating_sub(last_alert_at) >= r.as_secs() as i64);
                    if !due {
                        return None;
                    }
                    (
                        AlertState::Crossed {
                            since,
                            last_alert_at: now,
                        },
                        Some(Notice::StillCrossed { balance, since }),
                    )
                }
            };
            Some(Transition {
                chat_id: t.chat_id,
                subject: t.subject.clone(),
                direction: t.direction,
                level: t.level,
                new_state,
                notice,
            })
        })
        .collect()
}

/// Applies a check's transitions to the thresholds it evaluated (as the store just recorded
/// them), so the next check can start from them without reading every level again. The
/// transitions must come in the thresholds' order, as `evaluate` returns them; `false` (and the
/// thresholds partly updated: read them again) when one matches no threshold.
pub fn apply(thresholds: &mut [Threshold], transitions: &[Transition]) -> bool {
    let mut rest = thresholds.iter_mut();
    for tr in transitions {
        let found = rest.find(|t| {
            t.chat_id == tr.chat_id
                && t.direction == tr.direction
                && t.subject == tr.subject
                && t.level == tr.level
        });
        match found {
            Some(t) => t.state = tr.new_state,
            None => return false,
        }
    }
    true
}

/// The levels of one chat that are crossed once `transitions` are applied to `thresholds`: what
/// a chat is told when its mute ends. Sorted by currency, below before above.
pub fn crossed_after<'a>(
    chat_id: ChatId,
    thresholds: &'a [Threshold],
    transitions: &[Transition],
) -> Vec<(&'a Threshold, i64)> {
    let mut out: Vec<(&Threshold, i64)> = thresholds
        .iter()
        .filter(|t| t.chat_id == chat_id)
        .filter_map(|t| {
            let state = transitions
                .iter()
                .find(|tr| {
                    tr.chat_id == t.chat_id
                        && tr.subject == t.subject
                        && tr.direction == t.direction
                })
                .map_or(t.state, |tr| tr.new_state);
            match state {
                AlertState::Crossed { since, .. } => Some((t, since)),
                _ => None,
            }
        })
        .collect();
    out.sort_by(|a, b| (&a.0.subject, a.0.direction).cmp(&(&b.0.subject, b.0.direction)));
    out
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use std::collections::BTreeMap;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn balances(pairs: &[(&str, &str)]) -> Balances {
        Balances::new(
            pairs
                .iter()
                .map(|(k, v)| (Currency::parse(k).unwrap(), d(v)))
                .collect::<BTreeMap<_, _>>(),
        )
    }

    const TOTAL: &str = Subject::TOTAL_KEY;

    fn t(currency: &str, level: &str, state: AlertState) -> Threshold {
        Threshold {
            chat_id: ChatId(7),
            subject: Subject::from_key(currency).unwrap(),
            direction: Direction::Below,
            level: d(level),
            state,
        }
    }

    fn above(currency: &str, level: &str, state: AlertState) -> Threshold {
        Threshold {
            direction: Direction::Above,
            ..t(currency, level, state)
        }
    }

    const NOW: i64 = 1_000_000;
    const LOW: AlertState = AlertState::Crossed {
        since: 900_000,
        last_alert_at: 900_000,
    };

    fn run(th: Threshold, b: &Balances, repeat: Option<Duration>) -> Option<Transition> {
        let mut out = evaluate(&[th], Ok(Reading::balances(b)), NOW, repeat);
        assert!(out.len() <= 1);
        out.pop()
    }

    #[test]
    fn below_alerts_once_from_ok_and_unchecked() {
        let b = balances(&[("BTC", "0.25")]);
        for from in [AlertState::Ok, AlertState::Unchecked] {
            let tr = run(t("BTC", "1", from), &b, None).unwrap();
            assert_eq!(
                tr.new_state,
                AlertState::Crossed {
                    since: NOW,
                    last_alert_at: NOW
                }
            );
            assert_eq!(tr.notice, Some(Notice::Crossed { balance: d("0.25") }));
        }
        // Already low: silent without a repeat interval.
        assert_eq!(run(t("BTC", "1", LOW), &b, None), None);
    }

    #[test]
    fn equal_and_above_are_ok() {
        for amount in ["1", "1.00000000", "2"] {
            let b = balances(&[("BTC", amount)]);
            assert_eq!(
                run(t("BTC", "1", AlertState::Ok), &b, None),
                None,
                "{amount}"
            );
            let tr = run(t("BTC", "1", AlertState::Unchecked), &b, None).unwrap();
            assert_eq!((tr.new_state, tr.notice), (AlertState::Ok, None));
        }
    }

    #[test]
    fn applying_a_checks_transitions_gives_the_states_it_recorded() {
        let b = balances(&[("BTC", "0.5"), ("ETH", "3")]);
        let mut ths = vec![
            t("BTC", "1", AlertState::Unchecked),
            above("BTC", "2", AlertState::Ok),
            t("ETH", "1", LOW),
            t("ETH", "5", AlertState::Ok),
            Threshold {
                chat_id: ChatId(8),
                ..t("BTC", "1", AlertState::Ok)
            },
        ];
        let transitions = evaluate(&ths, Ok(Reading::balances(&b)), NOW, None);
        assert_eq!(transitions.len(), 4, "{transitions:?}");
        assert!(apply(&mut ths, &transitions));
        let crossed_now = AlertState::Crossed {
            since: NOW,
            last_alert_at: NOW,
        };
        let states: Vec<AlertState> = ths.iter().map(|t| t.state).collect();
        assert_eq!(
            states,
            [
                crossed_now,
                AlertState::Ok,
                AlertState::Ok,
                crossed_now,
                crossed_now
            ]
        );
        // Evaluated again against the same balances: nothing changes any more.
        assert!(evaluate(&ths, Ok(Reading::balances(&b)), NOW, None).is_empty());
    }

    #[test]
    fn a_transition_of_no_threshold_held_or_out_of_order_is_refused() {
        let b = balances(&[("BTC", "0.5"), ("ETH", "0.5")]);
        let ths = vec![t("BTC", "1", AlertState::Ok), t("ETH", "1", AlertState::Ok)];
        let transitions = evaluate(&ths, Ok(Reading::balances(&b)), NOW, None);
        // Another level (its level changed since): refused.
        let mut other = vec![t("BTC", "2", AlertState::Ok), t("ETH", "1", AlertState::Ok)];
        assert!(!apply(&mut other, &transitions));
        // Out of order: refused.
        let mut reversed: Vec<Transition> = transitions.clone();
        reversed.reverse();
        let mut held = ths.clone();
        assert!(!apply(&mut held, &reversed));
    }

    #[test]
    fn recovery_is_told_once() {
        let b = balances(&[("BTC", "2")]);
        let tr = run(t("BTC", "1", LOW), &b, None).unwrap();
        assert_eq!(tr.new_state, AlertState::Ok);
        assert_eq!(tr.notice, Some(Notice::Back { balance: d("2") }));
    }

    #[test]
    fn missing_currency_and_zero_count_as_zero() {
        let b = balances(&[("USDT", "5")]);
        let tr = run(t("BTC", "0.1", AlertState::Ok), &b, None).unwrap();
        assert_eq!(
            tr.notice,
            Some(Notice::Crossed {
                balance: Decimal::ZERO
            })
        );
        let b = balances(&[("BTC", "0")]);
        assert!(run(t("BTC", "0.00000001", AlertState::Ok), &b, None).is_some());
    }

    #[test]
    fn exact_decimal_boundaries() {
        let b = balances(&[("BTC", "0.99999999")]);
        assert!(run(t("BTC", "1", AlertState::Ok), &b, None).is_some());
        let b = balances(&[("BTC", "1.00000000")]);
        assert!(run(t("BTC", "1", AlertState::Ok), &b, None).is_none());
        let b = balances(&[("BTC", "0.000000000000000001")]);
        assert!(run(t("BTC", "0.000000000000000002", AlertState::Ok), &b, None).is_some());
        assert!(run(t("BTC", "0.000000000000000001", AlertState::Ok), &b, None).is_none());
    }

    #[test]
    fn read_failure_changes_nothing() {
        let e = OxaPayError::Timeout(Duration::from_secs(10));
        let ths = [
            t("BTC", "1", AlertState::Ok),
            t("BTC", "1", AlertState::Unchecked),
            t("BTC", "1", LOW),
        ];
        assert!(evaluate(&ths, Err(&e), NOW, Some(Duration::from_secs(1))).is_empty());
    }

    #[test]
    fn an_unreadable_currency_changes_nothing_the_others_are_evaluated() {
        let mut b = balances(&[("USDT", "5")]);
        b.unreadable
            .insert("BTC".into(), "1e999 is not an amount".into());
        let ths = [
            t("BTC", "1", AlertState::Ok),
            t("BTC", "1", LOW),
            t("BTC", "1", AlertState::Unchecked),
            t("USDT", "10", AlertState::Ok),
        ];
        let out = evaluate(
            &ths,
            Ok(Reading::balances(&b)),
            NOW,
            Some(Duration::from_secs(1)),
        );
        let names: Vec<_> = out.iter().map(|t| t.subject.key()).collect();
        assert_eq!(names, vec!["USDT"]);
    }

    #[test]
    fn above_levels_alert_once_when_over_and_once_when_back_at_or_below() {
        let high = AlertState::Crossed {
            since: 900_000,
            last_alert_at: 900_000,
        };
        let b = balances(&[("BTC", "2.75")]);
        for from in [AlertState::Ok, AlertState::Unchecked] {
            let tr = run(above("BTC", "2", from), &b, None).unwrap();
            assert_eq!(tr.notice, Some(Notice::Crossed { balance: d("2.75") }));
            assert_eq!(tr.direction, Direction::Above);
        }
        assert_eq!(run(above("BTC", "2", high), &b, None), None);
        // Exactly at the level is not above it: back.
        let b = balances(&[("BTC", "2.00")]);
        let tr = run(above("BTC", "2", high), &b, None).unwrap();
        assert_eq!(
            (tr.new_state, tr.notice),
            (AlertState::Ok, Some(Notice::Back { balance: d("2.00") }))
        );
        assert_eq!(run(above("BTC", "2", AlertState::Ok), &b, None), None);
        // A missing currency is zero: never above a positive level.
        let b = balances(&[("USDT", "5")]);
        assert_eq!(run(above("BTC", "2", AlertState::Ok), &b, None), None);
        let tr = run(above("BTC", "2", AlertState::Unchecked), &b, None).unwrap();
        assert_eq!((tr.new_state, tr.notice), (AlertState::Ok, None));
    }

    #[test]
    fn both_kinds_on_one_currency_are_independent() {
        let ths = [
            t("BTC", "1", AlertState::Ok),
            above("BTC", "2", AlertState::Ok),
        ];
        let names = |b: &Balances| -> Vec<(Direction, Option<Notice>)> {
            evaluate(&ths, Ok(Reading::balances(b)), NOW, None)
                .into_iter()
                .map(|t| (t.direction, t.notice))
                .collect()
        };
        assert_eq!(
            names(&balances(&[("BTC", "0.5")])),
            vec![(
                Direction::Below,
                Some(Notice::Crossed { balance: d("0.5") })
            )]
        );
        assert_eq!(
            names(&balances(&[("BTC", "3")])),
            vec![(Direction::Above, Some(Notice::Crossed { balance: d("3") }))]
        );
        assert!(names(&balances(&[("BTC", "1.5")])).is_empty());
        // A failed read and an unreadable amount change neither.
        let e = OxaPayError::Timeout(Duration::from_secs(1));
        assert!(evaluate(&ths, Err(&e), NOW, None).is_empty());
        let mut b = balances(&[("USDT", "1")]);
        b.unreadable.insert("BTC".into(), "null".into());
        assert!(evaluate(&ths, Ok(Reading::balances(&b)), NOW, None).is_empty());
    }

    #[test]
    fn the_total_is_evaluated_only_when_known() {
        let ths = [
            t(TOTAL, "1000", AlertState::Ok),
            t("BTC", "1", AlertState::Ok),
        ];
        let b = balances(&[("BTC", "2")]);
        let known = Reading {
            balances: &b,
            total_usd: Some(Usd::new(d("999.99"))),
        };
        let out = evaluate(&ths, Ok(known), NOW, None);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].subject, Subject::Total);
        assert_eq!(
            out[0].notice,
            Some(Notice::Crossed {
                balance: d("999.99")
            })
        );
        // Prices failed (or a wallet has none): the total level is left as it was.
        let unknown = Reading::balances(&b);
        assert!(evaluate(&ths, Ok(unknown), NOW, None).is_empty());
        let low_total = [t(TOTAL, "1000", LOW)];
        assert!(evaluate(&low_total, Ok(unknown), NOW, None).is_empty());
        let back = Reading {
            balances: &b,
            total_usd: Some(Usd::new(d("1000"))),
        };
        let out = evaluate(&low_total, Ok(back), NOW, None);
        assert_eq!(out[0].notice, Some(Notice::Back { balance: d("1000") }));
    }

    #[test]
    fn what_is_crossed_once_a_check_is_applied() {
        let ths = [
            t("BTC", "1", LOW),
            above("BTC", "5", AlertState::Ok),
            t("USDT", "10", AlertState::Ok),
            Threshold {
                chat_id: ChatId(8),
                ..t("TRX", "1", LOW)
            },
        ];
        let b = balances(&[("BTC", "6"), ("USDT", "5")]);
        let trs = evaluate(&ths, Ok(Reading::balances(&b)), NOW, None);
        let crossed: Vec<(String, Direction, i64)> = crossed_after(ChatId(7), &ths, &trs)
            .into_iter()
            .map(|(t, since)| (t.subject.key().to_owned(), t.direction, since))
            .collect();
        assert_eq!(
            crossed,
            vec![
                ("BTC".into(), Direction::Above, NOW),
                ("USDT".into(), Direction::Below, NOW)
            ]
        );
        assert!(crossed_after(ChatId(9), &ths, &trs).is_empty());
    }

    #[test]
    fn repeat_interval() {
        let b = balances(&[("BTC", "0.5")]);
        let repeat = Some(Duration::from_secs(3600));
        let recent = AlertState::Crossed {
            since: 900_000,
            last_alert_at: NOW - 3599,
        };
        assert_eq!(run(t("BTC", "1", recent), &b, repeat), None);
        let due = AlertState::Crossed {
            since: 900_000,
            last_alert_at: NOW - 3600,
        };
        let tr = run(t("BTC", "1", due), &b, repeat).unwrap();
        assert_eq!(
            tr.new_state,
            AlertState::Crossed {
                since: 900_000,
                last_alert_at: NOW
            }
        );
        assert_eq!(
            tr.notice,
            Some(Notice::StillCrossed {
                balance: d("0.5"),
                since: 900_000
            })
        );
    }

    #[test]
    fn many_thresholds_only_changes_are_returned() {
        let b = balances(&[("BTC", "0.5"), ("USDT", "100")]);
        let ths = [
            t("BTC", "1", AlertState::Ok),        // → low
            t("USDT", "50", AlertState::Ok),      // unchanged
            t("USDT", "500", LOW),                // still low, silent
            t("TRX", "1", AlertState::Unchecked), // missing → low
        ];
        let out = evaluate(&ths, Ok(Reading::balances(&b)), NOW, None);
        let names: Vec<_> = out.iter().map(|t| t.subject.key()).collect();
        assert_eq!(names, vec!["BTC", "TRX"]);
    }
}
