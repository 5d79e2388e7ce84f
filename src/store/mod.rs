//! SQLite store: allowed chats, thresholds with their alert states, the alert outbox, paused
//! chats and the checker's health record. Every multi-row change is one transaction.
//!
//! One file per kind of record; each adds its own `impl Store` block.

mod access;
mod audit;
mod checks;
mod history;
pub mod lock;
mod mutes;
mod outbox;
mod reports;
mod stats;
mod thresholds;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use tokio::sync::{Mutex, OwnedMutexGuard};

pub use access::{Access, AllowedChat, DenyOutcome};
pub use audit::{Actor, AuditEntry};
pub use checks::CheckRecord;
pub use history::StoredSnapshot;
pub use mutes::Mute;
pub use outbox::{MessageKind, OutboxItem, Owed};
pub use reports::{ReportRecord, StoredSchedule};
pub use stats::OutboxCount;
pub use thresholds::BadRow;

#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    /// Writers take turns here before they take a connection. SQLite admits one writer at a time
    /// anyway; waiting in SQLite means holding a pooled connection while its busy handler sleeps
    /// (1, 2, 5, 10 … ms), so a burst of delivered messages could leave a command's read waiting
    /// for a connection. Waiting here wakes the next writer as soon as the last one is done.
    writes: Arc<Mutex<()>>,
}

/// A write transaction holding the writers' turn until it is committed or dropped.
pub(crate) struct Write {
    tx: sqlx::Transaction<'static, sqlx::Sqlite>,
    _turn: OwnedMutexGuard<()>,
}

impl Write {
    pub(crate) async fn commit(self) -> sqlx::Result<()> {
        self.tx.commit().await
    }
}

impl std::ops::Deref for Write {
    type Target = sqlx::SqliteConnection;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for Write {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

impl Store {
    /// Opens (creating if missing) the database and applies the embedded migrations.
    pub async fn open(database_url: &str) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str(database_url)
            .with_context(|| "DATABASE_URL is not a valid SQLite URL".to_string())?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // WAL + NORMAL: a committed change survives a process crash; only a power cut can
            // lose the last moments, and it cannot corrupt the file.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            // A local file needs no liveness ping before each query (it halved query cost).
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .with_context(|| format!("cannot open the database {}", describe(database_url)))?;
        sqlx::migrate!()
            .run(&pool)
            .await
            .with_context(|| format!("cannot prepare the database {}", describe(database_url)))?;
        Ok(Self {
            pool,
            writes: Arc::new(Mutex::new(())),
        })
    }

    /// A write transaction that takes SQLite's write lock at once (`BEGIN IMMEDIATE`). A deferred
    /// one that reads first cannot wait for another writer when it later writes (SQLite answers
    /// "busy" at once to avoid a deadlock), so a change would fail instead of waiting out the busy
    /// timeout.
    async fn write(&self) -> sqlx::Result<Write> {
        let turn = self.writes.clone().lock_owned().await;
        Ok(Write {
            tx: self.pool.begin_with("BEGIN IMMEDIATE").await?,
            _turn: turn,
        })
    }

    /// The writers' turn, for a single statement that writes outside `write()`.
    async fn turn(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.writes.lock().await
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The rows of `thresholds` or `report_schedules` (both have `chat_id` and `owner_id`) that
/// someone still serves: not in a paused chat, and the chat, or the user who set the row, is
/// allowed or an admin (`?1`: the admins as a JSON array). Rows from before owners were recorded
/// have none and stay served.
///
/// The unary `+` keeps SQLite from answering the OR with one index search per branch and a
/// sort of their union: a plain scan checking each row is about twice as fast on 30,000 levels
/// (docs/BENCHMARKS.md, alert cycle).
const SERVED: &str = "chat_id NOT IN (SELECT chat_id FROM paused_chats)
    AND (+owner_id IS NULL
         OR +chat_id IN (SELECT chat_id FROM allowed_chats)
         OR +owner_id IN (SELECT chat_id FROM allowed_chats)
         OR +chat_id IN (SELECT value FROM json_each(?1))
         OR +owner_id IN (SELECT value FROM json_each(?1)))";

fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).expect("plain tuples always serialize")
}

/// The database's location for error messages (a SQLite URL holds no password).
fn describe(url: &str) -> String {
    url.trim_start_matches("sqlite:")
        .trim_start_matches("//")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::alerts::{AlertState, Direction, Transition};
    use crate::rules::oxapay_health::Health;
    use rust_decimal::Decimal;
    use std::collections::BTreeSet;

    async fn store() -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        (Store::open(&url).await.unwrap(), dir)
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
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
    async fn a_check_records_states_and_messages_together() {
        let (s, _dir) = store().await;
        s.set_threshold(1, "BTC", Direction::Below, d("1.50"), &Actor::id_only(1), 0)
            .await
            .unwrap();
        s.set_threshold(2, "BTC", Direction::Below, d("2"), &Actor::id_only(2), 0)
            .await
            .unwrap();
        let transitions = vec![
            Transition {
                chat_id: 1,
                currency: "BTC".into(),
                direction: Direction::Below,
                level: d("1.50"),
                new_state: low(100),
                notice: None,
            },
            // Changed since the check read it (level 3 is no longer stored): left unchecked.
            Transition {
                chat_id: 2,
                currency: "BTC".into(),
                direction: Direction::Below,
                level: d("3"),
                new_state: AlertState::Ok,
                notice: None,
            },
        ];
        let messages = vec![Owed(1, "low & <b>".to_owned(), MessageKind::Alert)];
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
        assert_eq!((out[0].chat_id, out[0].text.as_str()), (1, "low & <b>"));
        assert_eq!(s.checker().await.unwrap().0, Some(100));
    }

    #[tokio::test]
    async fn unreadable_rows_are_reported_not_fatal() {
        let (s, _dir) = store().await;
        s.set_threshold(1, "BTC", Direction::Below, d("1"), &Actor::id_only(1), 0)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO thresholds (chat_id, currency, level, updated_at) VALUES (2, 'ETH', 'abc', 0)",
        )
            .execute(&s.pool)
            .await
            .unwrap();
        let (good, bad) = s.all_thresholds(None).await.unwrap();
        assert_eq!(good.len(), 1);
        assert_eq!((bad[0].chat_id, bad[0].currency.as_str()), (2, "ETH"));
    }

    #[tokio::test]
    async fn paused_chats_are_left_out_and_access_is_one_lookup() {
        let (s, _dir) = store().await;
        s.allow(-5, &Actor::id_only(1), 1, 0).await.unwrap();
        s.set_threshold(-5, "BTC", Direction::Below, d("1"), &Actor::id_only(1), 0)
            .await
            .unwrap();
        s.set_threshold(7, "BTC", Direction::Below, d("1"), &Actor::id_only(7), 0)
            .await
            .unwrap();
        s.pause_chat(7, "blocked", 0).await.unwrap();
        assert_eq!(
            s.all_thresholds(Some(&BTreeSet::new()))
                .await
                .unwrap()
                .0
                .len(),
            1
        );
        assert_eq!(s.all_thresholds(None).await.unwrap().0.len(), 2);
        let a = s.access(Some(7), 7).await.unwrap();
        assert!(!a.allowed && a.paused);
        let a = s.access(Some(99), -5).await.unwrap();
        assert!(a.allowed && !a.paused);
        assert!(s.unpause_chat(7).await.unwrap());
        assert!(!s.access(Some(7), 7).await.unwrap().paused);
    }

    #[tokio::test]
    async fn a_migrated_group_keeps_everything_under_its_new_id() {
        let (s, _dir) = store().await;
        s.allow(-5, &Actor::id_only(1), 1, 0).await.unwrap();
        s.set_threshold(-5, "BTC", Direction::Below, d("1"), &Actor::id_only(1), 0)
            .await
            .unwrap();
        s.migrate_chat(-5, -1005).await.unwrap();
        assert!(s.access(None, -1005).await.unwrap().allowed);
        assert!(!s.access(None, -5).await.unwrap().allowed);
        assert_eq!(s.thresholds_of(-1005).await.unwrap().0.len(), 1);
    }

    #[tokio::test]
    async fn deny_takes_the_levels_only_its_permission_served() {
        let (s, _dir) = store().await;
        let admins = BTreeSet::from([1]);
        const U: i64 = 20;
        s.allow(U, &Actor::id_only(1), 1, 0).await.unwrap();
        s.allow(-7, &Actor::id_only(1), 1, 0).await.unwrap(); // an allowed group
        s.set_threshold(U, "BTC", Direction::Below, d("1"), &Actor::id_only(U), 0)
            .await
            .unwrap(); // U's own chat
        s.set_threshold(-5, "BTC", Direction::Below, d("1"), &Actor::id_only(U), 0)
            .await
            .unwrap(); // a group never allowed
        s.set_threshold(-5, "ETH", Direction::Below, d("1"), &Actor::id_only(U), 0)
            .await
            .unwrap();
        s.set_threshold(-5, "TRX", Direction::Below, d("1"), &Actor::id_only(1), 0)
            .await
            .unwrap(); // the admin's level there
        s.set_threshold(-7, "BTC", Direction::Below, d("1"), &Actor::id_only(U), 0)
            .await
            .unwrap(); // the allowed group's
        s.set_threshold(-9, "BTC", Direction::Below, d("1"), &Actor::id_only(30), 0)
            .await
            .unwrap(); // someone else's
        owe(
            &s,
            &[
                Owed(U, "owed".into(), MessageKind::Alert),
                Owed(-5, "owed".into(), MessageKind::Alert),
            ],
        )
        .await;
        let out = s.deny(U, &admins, &Actor::id_only(1), 1, 0).await.unwrap();
        assert!(out.was_allowed);
        assert_eq!(out.removed_levels, vec![(-5, 2), (U, 1)]);
        // U's own chat is no longer served: its owed message goes. The group keeps the admin's
        // level, so its owed message stays.
        assert_eq!(out.dropped_messages, 1);
        let left: Vec<(i64, String)> = s
            .all_thresholds(None)
            .await
            .unwrap()
            .0
            .into_iter()
            .map(|t| (t.chat_id, t.currency))
            .collect();
        assert_eq!(
            left,
            vec![(-9, "BTC".into()), (-7, "BTC".into()), (-5, "TRX".into())]
        );
        // The checker leaves out what nobody serves any more (30 was never allowed).
        let live = s.all_thresholds(Some(&admins)).await.unwrap().0;
        let live: Vec<i64> = live.iter().map(|t| t.chat_id).collect();
        assert_eq!(live, vec![-7, -5]);
        // Denying again: nothing more to take.
        let again = s.deny(U, &admins, &Actor::id_only(1), 1, 0).await.unwrap();
        assert!(!again.was_allowed && again.removed_levels.is_empty());
    }

    #[tokio::test]
    async fn migrating_twice_moves_once_and_the_new_ids_own_settings_win() {
        let (s, _dir) = store().await;
        s.allow(-5, &Actor::id_only(1), 1, 0).await.unwrap();
        s.set_threshold(-5, "BTC", Direction::Below, d("1"), &Actor::id_only(1), 0)
            .await
            .unwrap();
        s.set_threshold(-5, "ETH", Direction::Below, d("2"), &Actor::id_only(1), 0)
            .await
            .unwrap();
        s.set_threshold(
            -1005,
            "ETH",
            Direction::Below,
            d("3"),
            &Actor::id_only(1),
            0,
        )
        .await
        .unwrap();
        s.pause_chat(-5, "kicked", 0).await.unwrap();
        assert!(s.migrate_chat(-5, -1005).await.unwrap());
        assert!(!s.migrate_chat(-5, -1005).await.unwrap());
        assert!(s.access(None, -1005).await.unwrap().allowed);
        assert!(!s.access(None, -1005).await.unwrap().paused);
        let levels: Vec<(String, String)> = s
            .thresholds_of(-1005)
            .await
            .unwrap()
            .0
            .into_iter()
            .map(|t| (t.currency, t.level.to_string()))
            .collect();
        assert_eq!(
            levels,
            vec![("BTC".into(), "1".into()), ("ETH".into(), "3".into())]
        );
        assert!(s.thresholds_of(-5).await.unwrap().0.is_empty());
    }

    #[tokio::test]
    async fn one_due_message_per_chat_and_a_backing_off_one_does_not_hold_the_next() {
        let (s, _dir) = store().await;
        let owed: Vec<Owed> = [(1, "a1"), (1, "a2"), (2, "b1"), (3, "c1")]
            .into_iter()
            .map(|(c, t)| Owed(c, t.into(), MessageKind::Alert))
            .collect();
        owe(&s, &owed).await;
        let texts = |v: Vec<OutboxItem>| v.into_iter().map(|i| i.text).collect::<Vec<_>>();
        let none = BTreeSet::new();
        assert_eq!(
            texts(s.due_messages(10, &none, 10).await.unwrap()),
            vec!["a1", "b1", "c1"]
        );
        // Chat 3 has a send under way; chat 2 is paused.
        s.pause_chat(2, "blocked", 0).await.unwrap();
        assert_eq!(
            texts(s.due_messages(10, &BTreeSet::from([3]), 10).await.unwrap()),
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
            id: 1,
            name: "@boss".into(),
        };
        let user = Actor {
            id: 20,
            name: "Ann".into(),
        };
        let admins = BTreeSet::from([1]);
        assert!(s.allow(20, &admin, 1, 10).await.unwrap());
        assert!(
            !s.allow(20, &admin, 1, 11).await.unwrap(),
            "no change, no entry"
        );
        s.set_threshold(-5, "BTC", Direction::Below, d("1"), &user, 12)
            .await
            .unwrap();
        s.set_threshold(-5, "BTC", Direction::Below, d("2.5"), &user, 13)
            .await
            .unwrap();
        s.remove_threshold(-5, "BTC", None, &user, 14)
            .await
            .unwrap();
        s.remove_threshold(-5, "BTC", None, &user, 15)
            .await
            .unwrap();
        s.set_report(-5, "09:00 UTC", "UTC", &user, 16)
            .await
            .unwrap();
        s.remove_report(-5, &user, 17).await.unwrap();
        s.deny(20, &admins, &admin, 1, 18).await.unwrap();
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
            s.audit_about(20, 200).await.unwrap().len(),
            7,
            "about Ann, and hers"
        );
        assert_eq!(s.audit_about(-5, 200).await.unwrap().len(), 5);
        assert_eq!(s.audit_recent(3).await.unwrap()[0].at, 18, "newest first");
        assert_eq!(s.prune_audit(13).await.unwrap(), 2);
    }
}
