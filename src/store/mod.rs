//! The SQLite store, one file per kind of record (access, alert levels, what a check writes, the
//! outbox, mutes, report schedules, history, the audit log, counts for the metrics), each adding
//! its own `impl Store` block to the handle in `pool.rs`. Every multi-row change is one
//! transaction; an audited change writes its audit entry in the same one.

mod access;
mod audit;
mod checks;
mod feeds;
mod history;
mod languages;
pub mod lock;
mod mutes;
mod outbox;
mod payments;
mod payouts;
mod pool;
mod reports;
mod stats;
mod thresholds;

pub use access::{Access, AllowedChat, DenyOutcome};
pub use audit::{Actor, AuditAction, AuditEntry};
pub use checks::CheckRecord;
pub use feeds::{Feed, FeedState, FeedUpdate, Poll, PollWritten, Source, Told};
pub use history::StoredSnapshot;
pub use languages::ChatLanguage;
pub use mutes::Mute;
pub use outbox::{MessageKind, OutboxItem, Owed};
pub use payments::{
    Held, LedgerPayment, PaymentFeedChange, PaymentFeedSetting, PaymentPoll, PaymentRecord, SaleRow,
};
pub use payouts::{LedgerPayout, OpenPayout, PayoutFeedChange, PayoutFeedSetting, PayoutPoll};
pub use pool::Store;
pub use reports::{ReportRecord, StoredSchedule};
pub use stats::OutboxCount;
pub use thresholds::{BadRow, Served};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::{Currency, Usd};
    use crate::oxapay::PaymentStatus;
    use crate::rules::alerts::{AlertState, Direction, Transition};
    use crate::rules::domain::{ChatId, Subject, UserId};
    use crate::rules::oxapay_health::Health;
    use rust_decimal::Decimal;
    use std::collections::BTreeSet;
    use std::str::FromStr;

    async fn store() -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        (Store::open(&url).await.unwrap(), dir)
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn c(id: i64) -> ChatId {
        ChatId(id)
    }

    fn u(id: i64) -> UserId {
        UserId(id as u64)
    }

    fn coin(code: &str) -> Subject {
        Subject::Coin(crate::money::Currency::parse(code).unwrap())
    }

    /// Owed messages, written as a check writes them.
    async fn owe(s: &Store, messages: &[Owed]) {
        s.record_check(&CheckRecord {
            transitions: &[],
            messages,
            health: &Health::default(),
            success_at: None,
            mutes_ended: &[],
            now: 0,
        })
        .await
        .unwrap();
    }

    fn low(at: i64) -> AlertState {
        AlertState::Crossed {
            since: at,
            last_alert_at: at,
        }
    }

    #[tokio::test]
    async fn sales_read_every_payment_of_the_period_exactly_as_stored() {
        let (s, _dir) = store().await;
        let rows = [
            // track, status, currency, amount, usd_value, usd_at, created_at
            (
                "a",
                "paid",
                Some("USDT"),
                Some("125.50"),
                Some("125.5"),
                Some(5),
            ),
            (
                "b",
                "manual_accept",
                Some("BTC"),
                Some("0.000000010000000000000000001"),
                None,
                None,
            ),
            ("c", "paid", None, Some("not a number"), Some("3"), None),
            ("d", "expired", Some("TRX"), None, None, None),
        ];
        for (i, (track, status, currency, amount, usd, usd_at)) in rows.into_iter().enumerate() {
            sqlx::query(
                "INSERT INTO payments (track_id, amount, currency, status, status_text,
                     status_since, created_at, usd_value, usd_at, first_seen_at, updated_at, source)
                 VALUES (?1, ?2, ?3, ?4, ?4, 0, ?5, ?6, ?7, 0, 0, 'poll')",
            )
            .bind(track)
            .bind(amount)
            .bind(currency)
            .bind(status)
            .bind(100 + i as i64)
            .bind(usd)
            .bind(usd_at)
            .execute(&s.pool)
            .await
            .unwrap();
        }
        let mut read = s.sales_between(100, 103).await.unwrap();
        read.sort_by_key(|r| r.created_at);
        let usdt = Currency::from_api("USDT").unwrap();
        let btc = Currency::from_api("BTC").unwrap();
        assert_eq!(
            read,
            [
                SaleRow {
                    status: PaymentStatus::Paid,
                    currency: Some(usdt),
                    amount: Some(d("125.50")),
                    usd: Some(Usd::new(d("125.5"))),
                    created_at: Some(100),
                },
                SaleRow {
                    status: PaymentStatus::ManualAccept,
                    currency: Some(btc),
                    amount: Some(d("0.000000010000000000000000001")),
                    usd: None,
                    created_at: Some(101),
                },
                // An unreadable amount and a value without its price's time: neither counts.
                SaleRow {
                    status: PaymentStatus::Paid,
                    currency: None,
                    amount: None,
                    usd: None,
                    created_at: Some(102),
                },
            ]
        );
        assert!(s.sales_between(0, 100).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_check_records_states_and_messages_together() {
        let (s, _dir) = store().await;
        s.set_threshold(
            c(1),
            &coin("BTC"),
            Direction::Below,
            d("1.50"),
            &Actor::id_only(c(1)),
            0,
        )
        .await
        .unwrap();
        s.set_threshold(
            c(2),
            &coin("BTC"),
            Direction::Below,
            d("2"),
            &Actor::id_only(c(2)),
            0,
        )
        .await
        .unwrap();
        let transitions = vec![
            Transition {
                chat_id: c(1),
                subject: coin("BTC"),
                direction: Direction::Below,
                level: d("1.50"),
                new_state: low(100),
                notice: None,
            },
            // Changed since the check read it (level 3 is no longer stored): left unchecked.
            Transition {
                chat_id: c(2),
                subject: coin("BTC"),
                direction: Direction::Below,
                level: d("3"),
                new_state: AlertState::Ok,
                notice: None,
            },
        ];
        let messages = vec![Owed::new(c(1), "low & <b>".to_owned(), MessageKind::Alert)];
        let health = Health::default();
        s.record_check(&CheckRecord {
            transitions: &transitions,
            messages: &messages,
            health: &health,
            success_at: Some(100),
            mutes_ended: &[],
            now: 100,
        })
        .await
        .unwrap();
        let (all, bad) = s.all_thresholds(None).await.unwrap();
        assert!(bad.is_empty());
        assert_eq!(all[0].state, low(100));
        assert_eq!(all[0].level.to_string(), "1.50", "scale kept");
        assert_eq!(all[1].state, AlertState::Unchecked);
        let out = s.due_messages(100, &BTreeSet::new(), 10).await.unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!((out[0].chat_id, out[0].text.as_str()), (c(1), "low & <b>"));
        assert_eq!(s.checker().await.unwrap().0, Some(100));
    }

    #[tokio::test]
    async fn unreadable_rows_are_reported_not_fatal() {
        let (s, _dir) = store().await;
        s.set_threshold(
            c(1),
            &coin("BTC"),
            Direction::Below,
            d("1"),
            &Actor::id_only(c(1)),
            0,
        )
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO thresholds (chat_id, currency, level, updated_at) VALUES (2, 'ETH', 'abc', 0)",
        )
            .execute(&s.pool)
            .await
            .unwrap();
        // A subject with characters JSON escapes is read, and reported, exactly as stored.
        sqlx::query(
            "INSERT INTO thresholds (chat_id, currency, level, updated_at)
             VALUES (3, 'E\"T\\H', '1', 0)",
        )
        .execute(&s.pool)
        .await
        .unwrap();
        let (good, bad) = s.all_thresholds(None).await.unwrap();
        assert_eq!(good.len(), 1);
        assert_eq!((bad[0].chat_id, bad[0].currency.as_str()), (c(2), "ETH"));
        assert_eq!(
            (bad[1].chat_id, bad[1].currency.as_str()),
            (c(3), "E\"T\\H")
        );
        assert!(bad[1].problem.contains("subject"), "{}", bad[1].problem);
    }

    /// A check that writes nothing but its health: the count it answers with.
    async fn owe_at(s: &Store) -> Option<i64> {
        s.record_check(&CheckRecord {
            transitions: &[],
            messages: &[],
            health: &Health::default(),
            success_at: None,
            mutes_ended: &[],
            now: 0,
        })
        .await
        .unwrap()
    }

    /// Asserts the count of changes moved since `seen`, and moves `seen` on.
    async fn counted(s: &Store, seen: &mut i64, what: &str) {
        let now = s.threshold_changes().await.unwrap().unwrap();
        assert!(now > *seen, "{what} was not counted");
        *seen = now;
    }

    #[tokio::test]
    async fn every_change_to_what_the_checker_reads_is_counted_and_its_own_states_are_not() {
        let (s, _dir) = store().await;
        let admins = BTreeSet::new();
        let by = Actor::id_only(c(1));
        let mut seen = s.threshold_changes().await.unwrap().unwrap();
        s.set_threshold(c(1), &coin("BTC"), Direction::Below, d("1"), &by, 0)
            .await
            .unwrap();
        counted(&s, &mut seen, "a level set").await;
        s.set_threshold(c(1), &coin("BTC"), Direction::Below, d("1"), &by, 0)
            .await
            .unwrap();
        counted(&s, &mut seen, "a level set again").await;
        s.set_threshold(
            c(2),
            &coin("BTC"),
            Direction::Above,
            d("9"),
            &Actor::id_only(c(2)),
            0,
        )
        .await
        .unwrap();
        counted(&s, &mut seen, "another level").await;
        s.allow(c(1), &by, c(1), 0).await.unwrap();
        counted(&s, &mut seen, "a chat allowed").await;
        s.pause_chat(c(1), "blocked", 0).await.unwrap();
        counted(&s, &mut seen, "a chat paused").await;
        s.unpause_chat(c(1)).await.unwrap();
        counted(&s, &mut seen, "a chat resumed").await;
        s.migrate_chat(c(2), c(-1002)).await.unwrap();
        counted(&s, &mut seen, "a chat's new id").await;

        // What the checker read, and its own write: the states are not counted, and the write
        // answers with the count the levels were read at.
        let read = s.served_thresholds(&admins).await.unwrap();
        assert_eq!(read.changes, Some(seen));
        assert_eq!(
            read.thresholds.len(),
            1,
            "only the allowed chat's level is served"
        );
        let transitions = [Transition {
            chat_id: c(1),
            subject: coin("BTC"),
            direction: Direction::Below,
            level: d("1"),
            new_state: low(5),
            notice: None,
        }];
        let at_write = s
            .record_check(&CheckRecord {
                transitions: &transitions,
                messages: &[Owed::new(c(1), "low".into(), MessageKind::Alert)],
                health: &Health::default(),
                success_at: Some(5),
                mutes_ended: &[],
                now: 5,
            })
            .await
            .unwrap();
        assert_eq!(at_write, Some(seen));
        assert_eq!(s.threshold_changes().await.unwrap(), Some(seen));
        assert_eq!(
            s.served_thresholds(&admins).await.unwrap().thresholds[0].state,
            low(5)
        );

        // Without the count's row (removed by hand), nothing is known unchanged.
        sqlx::query("DELETE FROM threshold_changes")
            .execute(&s.pool)
            .await
            .unwrap();
        assert_eq!(s.threshold_changes().await.unwrap(), None);
        assert_eq!(s.served_thresholds(&admins).await.unwrap().changes, None);
        assert_eq!(owe_at(&s).await, None);
        sqlx::query("INSERT INTO threshold_changes (id, n) VALUES (1, ?1)")
            .bind(seen)
            .execute(&s.pool)
            .await
            .unwrap();

        s.remove_threshold(c(1), &coin("BTC"), None, &by, 0)
            .await
            .unwrap();
        counted(&s, &mut seen, "a level removed").await;
        s.deny(c(1), &admins, &by, c(1), 0).await.unwrap();
        counted(&s, &mut seen, "a chat denied").await;
    }

    #[tokio::test]
    async fn a_check_larger_than_one_statement_writes_every_state_and_message_once() {
        let (s, _dir) = store().await;
        // 1,201 levels: more than two statements' worth of rows, the last one partly filled.
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1201)
             INSERT INTO thresholds (chat_id, currency, direction, level, updated_at, owner_id)
             SELECT i, 'BTC', 'below', '1.0', 0, i FROM n",
        )
        .execute(&s.pool)
        .await
        .unwrap();
        let state = |i: i64| match i % 3 {
            0 => AlertState::Ok,
            1 => low(i),
            _ => AlertState::Crossed {
                since: i,
                last_alert_at: i + 7,
            },
        };
        let transitions: Vec<Transition> = (1..=1201)
            .map(|i| Transition {
                chat_id: c(i),
                subject: coin("BTC"),
                direction: Direction::Below,
                // One level changed since the check read it: that row stays unchecked.
                level: d(if i == 600 { "2" } else { "1.0" }),
                new_state: state(i),
                notice: None,
            })
            .collect();
        let kinds = [MessageKind::Alert, MessageKind::Notice];
        let messages: Vec<Owed> = (1..=1001)
            .map(|i| Owed::new(c(i), format!("m{i} <b>&</b>"), kinds[i as usize % 2]))
            .collect();
        s.record_check(&CheckRecord {
            transitions: &transitions,
            messages: &messages,
            health: &Health::default(),
            success_at: Some(5),
            mutes_ended: &[],
            now: 5,
        })
        .await
        .unwrap();
        let (all, bad) = s.all_thresholds(None).await.unwrap();
        assert!(bad.is_empty());
        assert_eq!(all.len(), 1201);
        for t in &all {
            let expected = if t.chat_id == c(600) {
                AlertState::Unchecked
            } else {
                state(t.chat_id.0)
            };
            assert_eq!(t.state, expected, "chat {}", t.chat_id.0);
        }
        let rows: Vec<(i64, String, String, i64)> =
            sqlx::query_as("SELECT chat_id, text, kind, created_at FROM outbox ORDER BY id")
                .fetch_all(&s.pool)
                .await
                .unwrap();
        let expected: Vec<(i64, String, String, i64)> = messages
            .iter()
            .map(|m| (m.chat_id.0, m.text.clone(), m.kind.as_str().to_owned(), 5))
            .collect();
        assert_eq!(rows, expected);
    }

    #[tokio::test]
    async fn paused_chats_are_left_out_and_access_is_one_lookup() {
        let (s, _dir) = store().await;
        s.allow(c(-5), &Actor::id_only(c(1)), c(1), 0)
            .await
            .unwrap();
        s.set_threshold(
            c(-5),
            &coin("BTC"),
            Direction::Below,
            d("1"),
            &Actor::id_only(c(1)),
            0,
        )
        .await
        .unwrap();
        s.set_threshold(
            c(7),
            &coin("BTC"),
            Direction::Below,
            d("1"),
            &Actor::id_only(c(7)),
            0,
        )
        .await
        .unwrap();
        s.pause_chat(c(7), "blocked", 0).await.unwrap();
        assert_eq!(
            s.all_thresholds(Some(&BTreeSet::new()))
                .await
                .unwrap()
                .0
                .len(),
            1
        );
        assert_eq!(s.all_thresholds(None).await.unwrap().0.len(), 2);
        let a = s.access(Some(u(7)), c(7)).await.unwrap();
        assert!(!a.allowed && a.paused);
        let a = s.access(Some(u(99)), c(-5)).await.unwrap();
        assert!(a.allowed && !a.paused);
        assert!(s.unpause_chat(c(7)).await.unwrap());
        assert!(!s.access(Some(u(7)), c(7)).await.unwrap().paused);
    }

    #[tokio::test]
    async fn a_migrated_group_keeps_everything_under_its_new_id() {
        let (s, _dir) = store().await;
        s.allow(c(-5), &Actor::id_only(c(1)), c(1), 0)
            .await
            .unwrap();
        s.set_threshold(
            c(-5),
            &coin("BTC"),
            Direction::Below,
            d("1"),
            &Actor::id_only(c(1)),
            0,
        )
        .await
        .unwrap();
        s.migrate_chat(c(-5), c(-1005)).await.unwrap();
        assert!(s.access(None, c(-1005)).await.unwrap().allowed);
        assert!(!s.access(None, c(-5)).await.unwrap().allowed);
        assert_eq!(s.thresholds_of(c(-1005)).await.unwrap().0.len(), 1);
    }

    #[tokio::test]
    async fn deny_takes_the_levels_only_its_permission_served() {
        let (s, _dir) = store().await;
        let admins = BTreeSet::from([UserId(1)]);
        const U: i64 = 20;
        s.allow(c(U), &Actor::id_only(c(1)), c(1), 0).await.unwrap();
        s.allow(c(-7), &Actor::id_only(c(1)), c(1), 0)
            .await
            .unwrap(); // an allowed group
        s.set_threshold(
            c(U),
            &coin("BTC"),
            Direction::Below,
            d("1"),
            &Actor::id_only(c(U)),
            0,
        )
        .await
        .unwrap(); // U's own chat
        s.set_threshold(
            c(-5),
            &coin("BTC"),
            Direction::Below,
            d("1"),
            &Actor::id_only(c(U)),
            0,
        )
        .await
        .unwrap(); // a group never allowed
        s.set_threshold(
            c(-5),
            &coin("ETH"),
            Direction::Below,
            d("1"),
            &Actor::id_only(c(U)),
            0,
        )
        .await
        .unwrap();
        s.set_threshold(
            c(-5),
            &coin("TRX"),
            Direction::Below,
            d("1"),
            &Actor::id_only(c(1)),
            0,
        )
        .await
        .unwrap(); // the admin's level there
        s.set_threshold(
            c(-7),
            &coin("BTC"),
            Direction::Below,
            d("1"),
            &Actor::id_only(c(U)),
            0,
        )
        .await
        .unwrap(); // the allowed group's
        s.set_threshold(
            c(-9),
            &coin("BTC"),
            Direction::Below,
            d("1"),
            &Actor::id_only(c(30)),
            0,
        )
        .await
        .unwrap(); // someone else's
        owe(
            &s,
            &[
                Owed::new(c(U), "owed".into(), MessageKind::Alert),
                Owed::new(c(-5), "owed".into(), MessageKind::Alert),
            ],
        )
        .await;
        let out = s
            .deny(c(U), &admins, &Actor::id_only(c(1)), c(1), 0)
            .await
            .unwrap();
        assert!(out.was_allowed);
        assert_eq!(out.removed_levels, vec![(c(-5), 2), (c(U), 1)]);
        // U's own chat is no longer served: its owed message goes. The group keeps the admin's
        // level, so its owed message stays.
        assert_eq!(out.dropped_messages, 1);
        let left: Vec<(i64, String)> = s
            .all_thresholds(None)
            .await
            .unwrap()
            .0
            .into_iter()
            .map(|t| (t.chat_id.0, t.subject.key().to_owned()))
            .collect();
        assert_eq!(
            left,
            vec![(-9, "BTC".into()), (-7, "BTC".into()), (-5, "TRX".into())]
        );
        // The checker leaves out what nobody serves any more (30 was never allowed).
        let live = s.all_thresholds(Some(&admins)).await.unwrap().0;
        let live: Vec<i64> = live.iter().map(|t| t.chat_id.0).collect();
        assert_eq!(live, vec![-7, -5]);
        // Denying again: nothing more to take.
        let again = s
            .deny(c(U), &admins, &Actor::id_only(c(1)), c(1), 0)
            .await
            .unwrap();
        assert!(!again.was_allowed && again.removed_levels.is_empty());
    }

    #[tokio::test]
    async fn migrating_twice_moves_once_and_the_new_ids_own_settings_win() {
        let (s, _dir) = store().await;
        s.allow(c(-5), &Actor::id_only(c(1)), c(1), 0)
            .await
            .unwrap();
        s.set_threshold(
            c(-5),
            &coin("BTC"),
            Direction::Below,
            d("1"),
            &Actor::id_only(c(1)),
            0,
        )
        .await
        .unwrap();
        s.set_threshold(
            c(-5),
            &coin("ETH"),
            Direction::Below,
            d("2"),
            &Actor::id_only(c(1)),
            0,
        )
        .await
        .unwrap();
        s.set_threshold(
            c(-1005),
            &coin("ETH"),
            Direction::Below,
            d("3"),
            &Actor::id_only(c(1)),
            0,
        )
        .await
        .unwrap();
        s.pause_chat(c(-5), "kicked", 0).await.unwrap();
        assert!(s.migrate_chat(c(-5), c(-1005)).await.unwrap());
        assert!(!s.migrate_chat(c(-5), c(-1005)).await.unwrap());
        assert!(s.access(None, c(-1005)).await.unwrap().allowed);
        assert!(!s.access(None, c(-1005)).await.unwrap().paused);
        let levels: Vec<(String, String)> = s
            .thresholds_of(c(-1005))
            .await
            .unwrap()
            .0
            .into_iter()
            .map(|t| (t.subject.key().to_owned(), t.level.to_string()))
            .collect();
        assert_eq!(
            levels,
            vec![("BTC".into(), "1".into()), ("ETH".into(), "3".into())]
        );
        assert!(s.thresholds_of(c(-5)).await.unwrap().0.is_empty());
    }

    #[tokio::test]
    async fn one_due_message_per_chat_and_a_backing_off_one_does_not_hold_the_next() {
        let (s, _dir) = store().await;
        let owed: Vec<Owed> = [(1, "a1"), (1, "a2"), (2, "b1"), (3, "c1")]
            .into_iter()
            .map(|(id, t)| Owed::new(c(id), t.into(), MessageKind::Alert))
            .collect();
        owe(&s, &owed).await;
        let texts = |v: Vec<OutboxItem>| v.into_iter().map(|i| i.text).collect::<Vec<_>>();
        let none = BTreeSet::new();
        assert_eq!(
            texts(s.due_messages(10, &none, 10).await.unwrap()),
            vec!["a1", "b1", "c1"]
        );
        // Chat 3 has a send under way; chat 2 is paused.
        s.pause_chat(c(2), "blocked", 0).await.unwrap();
        assert_eq!(
            texts(
                s.due_messages(10, &BTreeSet::from([c(3)]), 10)
                    .await
                    .unwrap()
            ),
            vec!["a1"]
        );
        // a1 backs off: a2 goes meanwhile; once a1 is due again it comes first.
        let a1 = s.due_messages(10, &none, 10).await.unwrap()[0].id;
        s.retry_later(a1, 1, 50, "timeout").await.unwrap();
        assert_eq!(
            texts(s.due_messages(10, &none, 10).await.unwrap()),
            vec!["a2", "c1"]
        );
        assert_eq!(s.next_due_at().await.unwrap(), Some(0));
        assert_eq!(
            texts(s.due_messages(60, &none, 10).await.unwrap()),
            vec!["a1", "c1"]
        );
        // Parked: never due again, no longer owed.
        s.park_message(a1, "too long", 60).await.unwrap();
        assert_eq!(
            texts(s.due_messages(60, &none, 10).await.unwrap()),
            vec!["a2", "c1"]
        );
        assert_eq!(s.owed_count().await.unwrap(), 2);
    }

    #[tokio::test]
    async fn every_audited_change_is_recorded_with_who_where_and_old_to_new() {
        let (s, _dir) = store().await;
        let admin = Actor {
            id: c(1),
            name: "@boss".into(),
        };
        let user = Actor {
            id: c(20),
            name: "Ann".into(),
        };
        let admins = BTreeSet::from([UserId(1)]);
        assert!(s.allow(c(20), &admin, c(1), 10).await.unwrap());
        assert!(
            !s.allow(c(20), &admin, c(1), 11).await.unwrap(),
            "no change, no entry"
        );
        s.set_threshold(c(-5), &coin("BTC"), Direction::Below, d("1"), &user, 12)
            .await
            .unwrap();
        s.set_threshold(c(-5), &coin("BTC"), Direction::Below, d("2.5"), &user, 13)
            .await
            .unwrap();
        s.remove_threshold(c(-5), &coin("BTC"), None, &user, 14)
            .await
            .unwrap();
        s.remove_threshold(c(-5), &coin("BTC"), None, &user, 15)
            .await
            .unwrap();
        s.set_report(c(-5), "09:00 UTC", "UTC", &user, 16)
            .await
            .unwrap();
        s.remove_report(c(-5), &user, 17).await.unwrap();
        s.deny(c(20), &admins, &admin, c(1), 18).await.unwrap();
        let all = s.audit_recent(50).await.unwrap();
        let lines: Vec<String> = all
            .iter()
            .rev()
            .map(|e| {
                format!(
                    "{} {} {} in {}: {} {:?} -> {:?}",
                    e.at, e.actor_name, e.action, e.chat_id, e.subject, e.old_value, e.new_value
                )
            })
            .collect();
        assert_eq!(
            lines,
            vec![
                r#"10 @boss allow in 1: 20 Some("not allowed") -> Some("allowed")"#,
                r#"12 Ann alert_set in -5: BTC below None -> Some("1")"#,
                r#"13 Ann alert_set in -5: BTC below Some("1") -> Some("2.5")"#,
                r#"14 Ann alert_off in -5: BTC below Some("2.5") -> None"#,
                r#"16 Ann report_set in -5: report None -> Some("09:00 UTC")"#,
                r#"17 Ann report_off in -5: report Some("09:00 UTC") -> None"#,
                r#"18 @boss deny in 1: 20 Some("allowed") -> Some("denied; 0 alert level(s) and 0 report schedule(s) it served removed")"#,
            ]
        );
        // About one id: entries about it, by it, or in it.
        assert_eq!(
            s.audit_about(c(20), 200).await.unwrap().len(),
            7,
            "about Ann, and hers"
        );
        assert_eq!(s.audit_about(c(-5), 200).await.unwrap().len(), 5);
        assert_eq!(s.audit_recent(3).await.unwrap()[0].at, 18, "newest first");
        assert_eq!(s.prune_audit(13).await.unwrap(), 2);
    }
}
