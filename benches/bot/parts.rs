//! The pieces of a `/balance` reply, timed in this process.

use std::str::FromStr;
use std::time::{Duration, Instant};

use crate::support::ids;
use oxapay_bot::store::Store;

use crate::cycle::timed;
use crate::procfs::cpu_self;
use crate::running::prepare_db;
use crate::{ACCOUNT, USER_BASE, USERS};

/// Per-call cost of the pieces of a `/balance` reply, in this process (wall / CPU each, mean).
#[derive(Debug, Default, Clone, Copy)]
pub struct CommandParts {
    pub calls: u32,
    /// `Store::access`, which every command runs.
    pub store_checks: (Duration, Duration),
    /// What it replaced: an allowed-chat query and a paused-chat query, on a pool like the
    /// Store's that pings the connection before each acquire (sqlx's default) or not; and the
    /// two answers from one query on the non-pinging pool (what `Store::access` does).
    pub raw_ping: (Duration, Duration),
    pub raw_no_ping: (Duration, Duration),
    pub one_query_no_ping: (Duration, Duration),
    pub parse_oxapay: (Duration, Duration),
    pub format: (Duration, Duration),
    pub split: (Duration, Duration),
    pub parse_command: (Duration, Duration),
    pub reply_bytes: usize,
}

pub fn timed_sync<T>(f: impl FnOnce() -> T) -> (T, (Duration, Duration)) {
    let (c0, t0) = (cpu_self(), Instant::now());
    let out = f();
    (out, (t0.elapsed(), cpu_self().saturating_sub(c0)))
}

pub fn per_call(t: (Duration, Duration), n: u32) -> (Duration, Duration) {
    (t.0 / n, t.1 / n)
}

pub async fn command_parts() -> CommandParts {
    use oxapay_bot::telegram::commands::Command;
    use oxapay_bot::texts;
    use teloxide::utils::command::BotCommands;

    const N: u32 = 2_000;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("parts.db").display());
    prepare_db(&url).await;
    let store = Store::open(&url).await.unwrap();
    let uid = |i: u32| USER_BASE + i64::from(i) % USERS;
    let access = |i: u32| (Some(ids::user(uid(i))), ids::chat(uid(i)));
    // Warm the connection and its statement cache, as a running bot has them.
    for i in 0..100 {
        let (user, chat) = access(i);
        let _ = store.access(user, chat).await;
    }
    let (_, store_checks) = timed(async {
        for i in 0..N {
            let (user, chat) = access(i);
            std::hint::black_box(store.access(user, chat).await.unwrap());
        }
    })
    .await;
    store.close().await;

    let pool = |ping: bool| {
        let options = sqlx::sqlite::SqliteConnectOptions::from_str(&url)
            .unwrap()
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(4)
            .test_before_acquire(ping)
            .connect_with(options)
    };
    let two_queries = |pool: sqlx::SqlitePool| async move {
        for i in 0..100 + N {
            let (a, b) = (uid(i), uid(i));
            let allowed: Option<i64> = sqlx::query_scalar(
                "SELECT 1 FROM allowed_chats WHERE chat_id = ?1 OR chat_id = ?2 LIMIT 1",
            )
            .bind(a)
            .bind(b)
            .fetch_optional(&pool)
            .await
            .unwrap();
            let paused: Option<i64> =
                sqlx::query_scalar("SELECT 1 FROM paused_chats WHERE chat_id = ?1")
                    .bind(b)
                    .fetch_optional(&pool)
                    .await
                    .unwrap();
            std::hint::black_box((allowed, paused));
        }
        pool.close().await;
    };
    let (_, raw_ping) = timed(two_queries(pool(true).await.unwrap())).await;
    let (_, raw_no_ping) = timed(two_queries(pool(false).await.unwrap())).await;
    let one = pool(false).await.unwrap();
    let (_, one_query_no_ping) = timed(async {
        for i in 0..100 + N {
            let row: (bool, bool) = sqlx::query_as(
                "SELECT EXISTS (SELECT 1 FROM allowed_chats WHERE chat_id = ?1 OR chat_id = ?2), \
                        EXISTS (SELECT 1 FROM paused_chats WHERE chat_id = ?2)",
            )
            .bind(uid(i))
            .bind(uid(i))
            .fetch_one(&one)
            .await
            .unwrap();
            std::hint::black_box(row);
        }
    })
    .await;
    one.close().await;

    let (_, parse_oxapay) = timed_sync(|| {
        for _ in 0..N {
            std::hint::black_box(
                oxapay_bot::oxapay::parse_balance_response(200, None, ACCOUNT.as_bytes()).unwrap(),
            );
        }
    });
    let balances =
        oxapay_bot::oxapay::parse_balance_response(200, None, ACCOUNT.as_bytes()).unwrap();
    let at = chrono::Utc::now();
    // Every wallet priced, as /balance shows it when OxaPay's prices answer.
    let priced = oxapay_bot::oxapay::Prices {
        usd: balances
            .amounts
            .keys()
            .map(|k| {
                (
                    k.clone(),
                    oxapay_bot::money::Usd::new(rust_decimal::Decimal::new(12_345, 2)),
                )
            })
            .collect(),
        unusable: Default::default(),
    };
    let prices = texts::PriceView::Current(&priced, at);
    let (_, format) = timed_sync(|| {
        for _ in 0..N {
            std::hint::black_box(texts::balances(
                texts::Lang::En,
                &balances,
                at,
                prices,
                false,
            ));
        }
    });
    let text = texts::balances(texts::Lang::En, &balances, at, prices, false);
    let (_, split) = timed_sync(|| {
        for _ in 0..N {
            std::hint::black_box(texts::split_html(&text, texts::MESSAGE_LIMIT));
        }
    });
    let (_, parse_command) = timed_sync(|| {
        for _ in 0..N {
            std::hint::black_box(Command::parse("/balance", "benchbot").unwrap());
        }
    });
    CommandParts {
        calls: N,
        store_checks: per_call(store_checks, N),
        raw_ping: per_call(raw_ping, 100 + N),
        raw_no_ping: per_call(raw_no_ping, 100 + N),
        one_query_no_ping: per_call(one_query_no_ping, 100 + N),
        parse_oxapay: per_call(parse_oxapay, N),
        format: per_call(format, N),
        split: per_call(split, N),
        parse_command: per_call(parse_command, N),
        reply_bytes: text.len(),
    }
}
