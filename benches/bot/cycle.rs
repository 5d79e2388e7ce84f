//! The alert cycle in this process: `Checker::cycle()` over 10,000 chats × 3 levels, and where
//! its time goes (the same SQL done by hand, evaluation, the OxaPay read).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use oxapay_bot::engine::alert_checker::Checker;
use oxapay_bot::oxapay::{BalanceApi, LegacyClient, PricesClient};
use oxapay_bot::rules::alerts;
use oxapay_bot::rules::alerts::{Direction, Reading};
use oxapay_bot::sources::balances::BalanceSource;
use oxapay_bot::sources::prices::PriceSource;
use oxapay_bot::store::Store;
use rust_decimal::Decimal;

use crate::procfs::{cpu_self, reset_peak, self_mem};
use crate::support::ids;
use crate::support::{ADMIN, FakeOxaPay, KEY, OxaReply};

#[derive(Debug, Default, Clone, Copy)]
pub struct CycleRun {
    pub wall: Duration,
    pub cpu: Duration,
    pub rss_before_kb: u64,
    pub rss_after_kb: u64,
    pub peak_kb: u64,
    pub thresholds: usize,
    pub transitions: usize,
    pub messages: usize,
}

pub async fn measure_cycle(checker: &Checker) -> CycleRun {
    reset_peak();
    let before = self_mem();
    let (c0, t0) = (cpu_self(), Instant::now());
    let r = checker.cycle().await.expect("cycle");
    let (wall, cpu) = (t0.elapsed(), cpu_self().saturating_sub(c0));
    let after = self_mem();
    CycleRun {
        wall,
        cpu,
        rss_before_kb: before.rss_kb,
        rss_after_kb: after.rss_kb,
        peak_kb: after.hwm_kb,
        thresholds: r.thresholds,
        transitions: r.transitions,
        messages: r.messages,
    }
}

pub struct CycleReport {
    pub chats: i64,
    pub populate: Duration,
    pub fresh: CycleRun,
    pub steady: Vec<CycleRun>,
    pub moving: Vec<CycleRun>,
    /// A cycle after one level changed: every level is read again.
    pub reread: CycleRun,
    pub load_rows: Vec<(Duration, Duration)>,
    pub evaluate: Vec<(Duration, Duration)>,
    pub oxapay_read: Vec<(Duration, Duration)>,
    pub sql: SqlParts,
}

/// The same database work as a cycle, done with plain sqlx on a second connection, to tell
/// SQLite's own cost from the per-row and per-statement cost around it. Wall / CPU each.
#[derive(Debug, Default, Clone, Copy)]
pub struct SqlParts {
    /// SQLite reads every column of every row, returning one number: no rows cross threads.
    pub engine_scan: (Duration, Duration),
    /// The `all_thresholds` query fetched into plain tuples: no `Threshold` parsing.
    pub tuples: (Duration, Duration),
    /// The same rows as one `json_group_array` value, parsed by serde_json, levels into `Decimal`.
    pub one_json: (Duration, Duration),
    pub one_json_rows: usize,
    pub updates: usize,
    /// `updates` single-row UPDATEs in one transaction, as `Store::record_check` does them.
    pub per_statement: (Duration, Duration),
    /// The same rows changed by one UPDATE … FROM json_each(?) statement.
    pub batched: (Duration, Duration),
    pub batched_rows: u64,
    /// The same rows as rows of 500-row VALUES lists, as `Store::record_check` writes them.
    pub values: (Duration, Duration),
    pub values_rows: u64,
}

/// Rows per VALUES list, as `Store::record_check` writes states.
const VALUES_ROWS: usize = 500;

pub async fn timed<T>(f: impl Future<Output = T>) -> (T, (Duration, Duration)) {
    let (c0, t0) = (cpu_self(), Instant::now());
    let out = f.await;
    (out, (t0.elapsed(), cpu_self().saturating_sub(c0)))
}

pub const SELECT_THRESHOLDS: &str = "SELECT chat_id, currency, level, state, crossed_since, last_alert_at \
     FROM thresholds WHERE chat_id NOT IN (SELECT chat_id FROM paused_chats) \
     ORDER BY chat_id, currency";

pub type Row = (i64, String, String, String, Option<i64>, Option<i64>);

pub async fn sql_parts(url: &str, updates: usize) -> SqlParts {
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .unwrap();
    let (_, engine_scan) = timed(
        sqlx::query_scalar::<_, i64>(
            "SELECT sum(chat_id + length(currency) + length(level) + length(state) \
             + coalesce(crossed_since, 0) + coalesce(last_alert_at, 0)) FROM thresholds \
             WHERE chat_id NOT IN (SELECT chat_id FROM paused_chats)",
        )
        .fetch_one(&pool),
    )
    .await;
    let (rows, tuples) = timed(sqlx::query_as::<_, Row>(SELECT_THRESHOLDS).fetch_all(&pool)).await;
    let rows = rows.unwrap();
    let (one_json_rows, one_json) = timed(async {
        let text: String = sqlx::query_scalar(&format!(
            "SELECT json_group_array(json_array(chat_id, currency, level, state, crossed_since, \
             last_alert_at)) FROM ({SELECT_THRESHOLDS})"
        ))
        .fetch_one(&pool)
        .await
        .unwrap();
        let parsed: Vec<Row> = serde_json::from_str(&text).unwrap();
        let levels: Vec<Decimal> = parsed
            .iter()
            .map(|r| r.2.parse::<Decimal>().unwrap())
            .collect();
        std::hint::black_box(&levels);
        parsed.len()
    })
    .await;
    // Every tenth row: spread over the table as real transitions are.
    let picked: Vec<&Row> = rows.iter().step_by(10).take(updates).collect();

    let mut tx = pool.begin().await.unwrap();
    let (_, per_statement) = timed(async {
        for (chat, cur, level, state, since, last) in &picked {
            sqlx::query(
                "UPDATE thresholds SET state = ?1, crossed_since = ?2, last_alert_at = ?3 \
                 WHERE chat_id = ?4 AND currency = ?5 AND direction = 'below' AND level = ?6",
            )
            .bind(state)
            .bind(since)
            .bind(last)
            .bind(chat)
            .bind(cur)
            .bind(level)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    })
    .await;
    tx.rollback().await.unwrap();

    let mut tx = pool.begin().await.unwrap();
    let (batched_rows, batched) = timed(async {
        let json = serde_json::to_string(&picked).unwrap();
        sqlx::query(
            "UPDATE thresholds SET state = json_extract(u.value, '$[3]'), \
                 crossed_since = json_extract(u.value, '$[4]'), \
                 last_alert_at = json_extract(u.value, '$[5]') \
             FROM json_each(?1) AS u \
             WHERE thresholds.chat_id = json_extract(u.value, '$[0]') \
               AND thresholds.currency = json_extract(u.value, '$[1]') \
               AND thresholds.direction = 'below' \
               AND thresholds.level = json_extract(u.value, '$[2]')",
        )
        .bind(json)
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected()
    })
    .await;
    tx.rollback().await.unwrap();

    let mut tx = pool.begin().await.unwrap();
    let list = vec!["(?, ?, ?, ?, ?, ?, ?)"; VALUES_ROWS].join(", ");
    let sql = format!(
        "UPDATE thresholds AS t \
         SET state = u.column5, crossed_since = u.column6, last_alert_at = u.column7 \
         FROM (VALUES {list}) AS u \
         WHERE t.chat_id = u.column1 AND t.currency = u.column2 \
           AND t.direction = u.column3 AND t.level = u.column4"
    );
    let (values_rows, values) = timed(async {
        let mut changed = 0;
        for chunk in picked.chunks(VALUES_ROWS) {
            let mut q = sqlx::query(&sql);
            for (chat, cur, level, state, since, last) in chunk {
                q = q.bind(chat).bind(cur).bind("below").bind(level);
                q = q.bind(state).bind(since).bind(last);
            }
            for _ in chunk.len()..VALUES_ROWS {
                q = q.bind(None::<i64>).bind(None::<&str>).bind(None::<&str>);
                q = q.bind(None::<&str>).bind(None::<&str>);
                q = q.bind(None::<i64>).bind(None::<i64>);
            }
            changed += q.execute(&mut *tx).await.unwrap().rows_affected();
        }
        changed
    })
    .await;
    tx.rollback().await.unwrap();
    pool.close().await;
    SqlParts {
        values,
        values_rows,
        engine_scan,
        tuples,
        one_json,
        one_json_rows,
        updates: picked.len(),
        per_statement,
        batched,
        batched_rows,
    }
}

pub const CURRENCIES: [&str; 3] = ["BTC", "USDT", "LTC"];

/// Levels 1..=100 steps of each currency's unit, spread over the chats differently per currency.
pub fn level(chat: i64, currency: usize) -> Decimal {
    let step = [Decimal::new(1, 2), Decimal::from(10), Decimal::new(1, 1)][currency];
    let k = (chat * [1, 7, 13][currency]) % 100 + 1;
    step * Decimal::from(k)
}

/// Where `BENCH_ONLY=cycle` stops (`BENCH_CYCLE_UNTIL`): instruction counts of one stage are the
/// difference between two runs under `valgrind --tool=callgrind`, say `fresh` minus `open`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// The store opened and the checker built: no cycle.
    Open,
    /// The first check.
    Fresh,
    /// … and the 5 steady cycles.
    Steady,
    /// … and the 4 cycles where 10 % cross.
    Moving,
    /// … and one cycle after a level changed (every level read again).
    Reread,
    /// … and the parts (all_thresholds, evaluate, the OxaPay read, the SQL done by hand).
    All,
}

impl Stage {
    pub fn from_env() -> Self {
        match std::env::var("BENCH_CYCLE_UNTIL").as_deref() {
            Ok("open") => Stage::Open,
            Ok("fresh") => Stage::Fresh,
            Ok("steady") => Stage::Steady,
            Ok("moving") => Stage::Moving,
            Ok("reread") => Stage::Reread,
            _ => Stage::All,
        }
    }
}

/// 10,000 chats allowed, each with 3 levels, through `Store::allow` and `Store::set_threshold` as
/// an admin's `/allow` and the chat's `/alert` leave them. With `BENCH_CYCLE_SEED=FILE` the
/// result is saved to FILE (`VACUUM INTO`) and, on later runs, copied from it instead: populating
/// takes seconds natively and many minutes under valgrind.
async fn populate(url: &str, path: &std::path::Path, chats: i64, now: i64) -> Store {
    let seed = std::env::var_os("BENCH_CYCLE_SEED").map(std::path::PathBuf::from);
    if let Some(seed) = seed.as_ref().filter(|s| s.exists()) {
        std::fs::copy(seed, path).expect("copy the seed database");
        return Store::open(url).await.unwrap();
    }
    let store = Store::open(url).await.unwrap();
    for chat in 0..chats {
        // Each chat is allowed, as an admin's /allow leaves it: the checker only evaluates levels
        // someone serves.
        store
            .allow(
                ids::chat(20_000_000 + chat),
                &ids::actor(ADMIN),
                ids::chat(ADMIN),
                now,
            )
            .await
            .unwrap();
        for (i, cur) in CURRENCIES.iter().enumerate() {
            store
                .set_threshold(
                    ids::chat(20_000_000 + chat),
                    &ids::subject(cur),
                    Direction::Below,
                    level(chat, i),
                    &ids::actor(20_000_000 + chat),
                    now,
                )
                .await
                .unwrap();
        }
    }
    if let Some(seed) = seed {
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect(url)
            .await
            .unwrap();
        sqlx::query("VACUUM INTO ?1")
            .bind(seed.to_string_lossy().into_owned())
            .execute(&pool)
            .await
            .expect("save the seed database");
        pool.close().await;
    }
    store
}

pub async fn alert_cycle(chats: i64, until: Stage) -> CycleReport {
    // Balances A: about half of every currency's thresholds are low.
    let a = OxaReply::balances(&[("BTC", "0.505"), ("USDT", "505"), ("LTC", "5.05")]);
    // Balances B: 15 % of BTC thresholds recover and 15 % of USDT ones go low (10 % of all).
    let b = OxaReply::balances(&[("BTC", "0.655"), ("USDT", "355"), ("LTC", "5.05")]);
    let oxa = FakeOxaPay::start(a.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alerts.db");
    let url = format!("sqlite://{}", path.display());
    let now = chrono::Utc::now().timestamp();
    let t0 = Instant::now();
    let store = populate(&url, &path, chats, now).await;
    let populate = t0.elapsed();

    let base = reqwest::Url::parse(&oxa.url()).unwrap();
    let client = BalanceApi::Legacy(
        LegacyClient::new(
            &base,
            secrecy::SecretString::from(KEY.to_owned()),
            Duration::from_secs(10),
        )
        .unwrap(),
    );
    // No cache: every cycle reads OxaPay, as it does in production (interval ≫ cache).
    let source = Arc::new(BalanceSource::new(client, Duration::ZERO));
    // No level watches the total here, so prices are never read. The checker only writes the
    // outbox (the delivery worker sends it), so no Telegram is needed for the cycle.
    let prices = Arc::new(PriceSource::new(
        PricesClient::new(&base, Duration::from_secs(10)).unwrap(),
        Duration::ZERO,
    ));
    let checker = Checker {
        store: store.clone(),
        source: source.clone(),
        prices,
        admins: BTreeSet::from([ids::user(ADMIN)]),
        interval: Duration::from_secs(300),
        repeat: None,
        failures_before_notice: 3,
        progress: Default::default(),
        metrics: Default::default(),
        wake: Default::default(),
        held: Default::default(),
    };

    let mut fresh = CycleRun::default();
    let mut steady = Vec::new();
    let mut moving = Vec::new();
    if until >= Stage::Fresh {
        fresh = measure_cycle(&checker).await;
    }
    if until >= Stage::Steady {
        for _ in 0..5 {
            steady.push(measure_cycle(&checker).await);
        }
    }
    if until >= Stage::Moving {
        for i in 0..4 {
            oxa.set(if i % 2 == 0 { b.clone() } else { a.clone() });
            moving.push(measure_cycle(&checker).await);
        }
    }
    let mut reread = CycleRun::default();
    if until >= Stage::Reread {
        // One level changes (as a chat's /alert would): the next cycle reads every level again.
        store
            .set_threshold(
                ids::chat(20_000_000),
                &ids::subject(CURRENCIES[0]),
                Direction::Below,
                level(0, 0),
                &ids::actor(20_000_000),
                now,
            )
            .await
            .unwrap();
        reread = measure_cycle(&checker).await;
    }
    if until < Stage::All {
        store.close().await;
        oxa.go_down().await;
        return CycleReport {
            chats,
            populate,
            fresh,
            steady,
            moving,
            reread,
            load_rows: Vec::new(),
            evaluate: Vec::new(),
            oxapay_read: Vec::new(),
            sql: SqlParts::default(),
        };
    }

    // Where a steady cycle's time goes.
    let mut load_rows = Vec::new();
    let mut evaluate = Vec::new();
    let mut oxapay_read = Vec::new();
    for _ in 0..3 {
        let (c0, t0) = (cpu_self(), Instant::now());
        let (rows, _) = store
            .all_thresholds(Some(&BTreeSet::from([ids::user(ADMIN)])))
            .await
            .unwrap();
        load_rows.push((t0.elapsed(), cpu_self().saturating_sub(c0)));
        let snap = source.read().await.unwrap();
        let (c0, t0) = (cpu_self(), Instant::now());
        let tr = alerts::evaluate(&rows, Ok(Reading::balances(&snap.balances)), now, None);
        std::hint::black_box(tr);
        evaluate.push((t0.elapsed(), cpu_self().saturating_sub(c0)));
        let (c0, t0) = (cpu_self(), Instant::now());
        std::hint::black_box(source.read().await.unwrap());
        oxapay_read.push((t0.elapsed(), cpu_self().saturating_sub(c0)));
    }
    let sql = sql_parts(&url, 3_000).await;
    store.close().await;
    oxa.go_down().await;
    CycleReport {
        chats,
        populate,
        fresh,
        steady,
        moving,
        reread,
        load_rows,
        evaluate,
        oxapay_read,
        sql,
    }
}

pub fn median_run(runs: &[CycleRun]) -> CycleRun {
    let mut v = runs.to_vec();
    v.sort_by_key(|r| r.cpu);
    v[v.len() / 2]
}
