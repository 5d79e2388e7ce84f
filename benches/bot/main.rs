//! Benchmarks, run by hand (not in CI): `cargo bench --locked --bench bot`.
//!
//! What it measures (`docs/BENCHMARKS.md` has the figures and how to read them):
//!
//! * latency: from the moment a fake Telegram hands an update over (the `getUpdates` answer is
//!   complete and returned) to the moment the matching `sendMessage` request arrives, for the
//!   shipped release binary `oxapay-bot` (`/balance`, `BALANCE_CACHE_SECS` 5 and 0, the fake
//!   OxaPay answering at once) and for the framework floor `examples/echo_floor.rs` (a text);
//! * throughput: replies per second with thousands of updates queued at once from many chats;
//! * footprint: RSS (`VmRSS`, `VmHWM`, anonymous vs file-backed), CPU time, binary sizes, time
//!   from spawn to the first `getUpdates`;
//! * the alert cycle: `Checker::cycle()` in this process, 10,000 chats × 3 thresholds;
//! * a year of balance history (50 currencies): database size, the 1-year series queried and
//!   downsampled, the chart rendered, `/history` through the binary and its RSS after;
//! * a report fan-out to 10,000 chats at Telegram's real limits, with `/balance` latency during
//!   it and after it;
//! * the payment feed: the silent first reading of 10,000 payments, the steady poll with 1,000
//!   open payments, `/balance` while it polls (and without it), a burst of new payments told to
//!   100 chats at Telegram's limits, `/sales 30d` on a year of 100,000 payments;
//! * OxaPay's signed callbacks: posted → message, and 1,000 in one second.
//!
//! The bot and the echo floor run as subprocesses. `cargo bench` itself rebuilds
//! `target/release/oxapay-bot` with the dev-dependencies' features unified in (benches get
//! `CARGO_BIN_EXE_*`), which is not the binary the Dockerfile ships, so this bench first builds
//! the shipped one the Dockerfile's way, `cargo build --release --locked --bin oxapay-bot`, and
//! the echo floor, `cargo build --release --locked --example echo_floor`, both with
//! `--target-dir target/bench-shipped` (`BENCH_SKIP_BUILD=1` skips the builds).
//! The fakes (Telegram Bot API, OxaPay) are axum servers on 127.0.0.1 inside this process;
//! nothing leaves the machine. Every loop is bounded in count and time.
//!
//! The fakes are the tests' (`tests/support`): they record the instant each update is handed
//! over and each `sendMessage` arrives, take thousands of updates at once, and hold long polls as
//! long as the bot asks. They also check every message as Telegram does, which costs the fakes'
//! side (the "bench (fakes) CPU" column) a little, never the bot's.
//!
//! Layout: `running.rs` (a process against its fakes: start-up, latency, throughput, idle),
//! `cycle.rs` (the alert cycle in process), `parts.rs` (the pieces of a reply), `history.rs`,
//! `fanout.rs`, `ledger.rs` (payments for the fakes and the ledger), `feeds.rs` (the payment
//! feed), `burst.rs`, `sales.rs`, `callbacks.rs`, `procfs.rs`, `stats.rs`, `report.rs` and
//! `report_feeds.rs`.
//!
//! Knobs: `BENCH_LATENCY_N` (measured requests per latency run, default 500, after 10 warm-up
//! requests), `BENCH_QUICK=1` (small runs, to check that the bench works),
//! `BENCH_ONLY=inprocess` (only the in-process parts: no build, no subprocesses),
//! `BENCH_ONLY=cycle` (only the alert cycle; `BENCH_CYCLE_UNTIL=open|fresh|steady|moving` stops
//! after that stage and `BENCH_CYCLE_SEED=FILE` keeps the populated database, for instruction
//! counts under callgrind),
//! `BENCH_ONLY=history`, `BENCH_ONLY=fanout` (only that part; `BENCH_FANOUT_CHATS=N`),
//! `BENCH_ONLY=footprint` (sizes, idle memory, `/balance` and echo latency: what a build's
//! profile settings change; `BENCH_SMAPS_TO=FILE` saves the idle bot's `/proc/PID/smaps`),
//! `BENCH_ONLY=feeds` (the payment feed), `BENCH_ONLY=balance` (only `/balance` with the feed
//! polling and without it), `BENCH_ONLY=burst` (only its burst;
//! `BENCH_BURST_PAYMENTS=N`, `BENCH_BURST_CHATS=N`), `BENCH_ONLY=callbacks`,
//! `BENCH_BOT_BIN=PATH`, `BENCH_ECHO_BIN=PATH` (measure other builds, e.g. with other profile
//! settings, in place of the shipped ones).

// The benchmark uses the fakes, not every test helper; `tests/e2e` compiles the same module
// without any allowance, so an unused helper is caught there.
#[expect(dead_code, unused_imports)]
#[path = "../../tests/support/mod.rs"]
mod support;

mod burst;
mod callbacks;
mod cycle;
mod fanout;
mod feeds;
mod history;
mod ledger;
mod parts;
mod procfs;
mod report;
mod report_feeds;
mod running;
mod sales;
mod stats;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use callbacks::callbacks_bench;
use cycle::{Stage, alert_cycle};
use fanout::fanout_bench;
use feeds::{FeedSizes, FeedsReport, feeds_bench};
use history::history_bench;
use parts::command_parts;
use report::{
    Footprint, Report, print_command_parts, print_cycle, print_fanout, print_footprint,
    print_history, print_report,
};
use report_feeds::{print_callbacks, print_feeds};
use running::{
    Bins, Kind, Latency, Running, Throughput, idle, latency, start, startup_probe, throughput,
};

/// Users allowed by an admin (rows in `allowed_chats`): chats `USER_BASE..USER_BASE + USERS`.
pub const USER_BASE: i64 = 10_000_000;
pub const USERS: i64 = 3_000;
/// Chat ranges (offsets from `USER_BASE`) per kind of run, so no chat is reused within a process.
pub const SPACED_AT: i64 = 0;
pub const BACK_TO_BACK_AT: i64 = 1_100;
pub const THROUGHPUT_AT: i64 = 2_200;
pub const WARMUP: usize = 10;
/// Pause after each reply in the spaced runs: requests never overlap, and the process goes idle
/// between them as it does under real, sparse traffic.
pub const SPACING: Duration = Duration::from_millis(50);
/// Throttle's worker sleeps 250 ms after every round in which it released a message; a request
/// spaced further than that from the previous reply is never held by it.
pub const THROTTLE_SPACING: Duration = Duration::from_millis(275);

/// The account the fake OxaPay reports to `/balance` runs.
pub const ACCOUNT: &str = r#"{"result":100,"message":"Successful operation","data":{"BTC":"0.01234567","DOGE":"0","ETH":"1.5","LTC":"12.5","TON":"42.0001","TRX":"0","USDC":"1200","USDT":"98765.4321"}}"#;

/// Builds the binaries exactly as shipped (the Dockerfile's `cargo build --release --locked
/// --bin oxapay-bot`) and the echo floor, in their own target directory: `cargo bench` itself
/// rebuilds `target/release/oxapay-bot` with the dev-dependencies' features unified in (benches
/// get `CARGO_BIN_EXE_*`), which is not the shipped binary.
fn build_binaries(root: &Path, target_dir: &Path) {
    if std::env::var_os("BENCH_SKIP_BUILD").is_some() {
        return;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for what in [["--bin", "oxapay-bot"], ["--example", "echo_floor"]] {
        eprintln!(
            "building: cargo build --release --locked --target-dir {} {} {}",
            target_dir.display(),
            what[0],
            what[1]
        );
        let status = Command::new(&cargo)
            .current_dir(root)
            .args(["build", "--release", "--locked", "--target-dir"])
            .arg(target_dir)
            .args(what)
            .status()
            .expect("cargo runs");
        assert!(status.success(), "the release build failed");
    }
}

fn main() -> ExitCode {
    let quick = std::env::var_os("BENCH_QUICK").is_some();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let alert_chats = if quick { 1_000 } else { 10_000 };
    match std::env::var("BENCH_ONLY").as_deref() {
        Ok("inprocess") => {
            let (parts, cycle) = runtime.block_on(async {
                (
                    command_parts().await,
                    alert_cycle(alert_chats, Stage::All).await,
                )
            });
            print_command_parts(&parts);
            print_cycle(&cycle);
            return ExitCode::SUCCESS;
        }
        Ok("cycle") => {
            print_cycle(&runtime.block_on(alert_cycle(alert_chats, Stage::from_env())));
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    let me = std::env::current_exe().unwrap();
    // <target>/release/deps/bot-… → <target>/bench-shipped
    let target_dir = me.ancestors().nth(3).unwrap().join("bench-shipped");
    build_binaries(Path::new(env!("CARGO_MANIFEST_DIR")), &target_dir);
    let release = target_dir.join("release");
    let bins = Bins {
        // Another build of the bot (e.g. other profile settings) can be measured in its place.
        bot: std::env::var_os("BENCH_BOT_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| release.join("oxapay-bot")),
        echo: std::env::var_os("BENCH_ECHO_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| release.join("examples").join("echo_floor")),
    };
    for p in [&bins.bot, &bins.echo] {
        assert!(
            p.exists(),
            "{} is missing: build it (see build_binaries) or unset BENCH_SKIP_BUILD",
            p.display()
        );
    }
    match std::env::var("BENCH_ONLY").as_deref() {
        Ok("history") => {
            let h = runtime.block_on(history_bench(&bins, if quick { 5 } else { 20 }));
            print_history(&h);
            return ExitCode::SUCCESS;
        }
        Ok("fanout") => {
            let f = runtime.block_on(fanout_bench(&bins, fanout_chats(quick)));
            print_fanout(&f);
            return ExitCode::SUCCESS;
        }
        Ok("feeds") => {
            let f = runtime.block_on(feeds_bench(&bins, &FeedSizes::new(quick)));
            print_feeds(&f);
            return ExitCode::SUCCESS;
        }
        Ok("balance") => {
            let sizes = FeedSizes::new(quick);
            let (on, off) = runtime.block_on(async {
                let (_, on) =
                    feeds::feed_on_run(&bins, sizes.open, sizes.settled, sizes.polls, sizes.probes)
                        .await;
                (on, feeds::feed_off_run(&bins, sizes.probes).await)
            });
            report_feeds::print_balance(&on, &off);
            return ExitCode::SUCCESS;
        }
        Ok("burst") => {
            let sizes = FeedSizes::new(quick);
            let burst = runtime.block_on(burst::burst_bench(
                &bins,
                sizes.burst_payments,
                sizes.burst_chats,
            ));
            report_feeds::print_burst(&burst);
            return ExitCode::SUCCESS;
        }
        Ok("callbacks") => {
            let (n, burst) = callback_sizes(quick);
            let c = runtime.block_on(callbacks_bench(&bins, n, burst));
            print_callbacks(&c);
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    let n: usize = std::env::var("BENCH_LATENCY_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 30 } else { 500 })
        .clamp(10, 1_000);
    if std::env::var("BENCH_ONLY").as_deref() == Ok("footprint") {
        let f = runtime.block_on(footprint(&bins, n));
        print_footprint(&f);
        return ExitCode::SUCCESS;
    }
    runtime.block_on(bench(bins, n, quick));
    ExitCode::SUCCESS
}

/// Callbacks timed one at a time, and callbacks in each one-second burst.
fn callback_sizes(quick: bool) -> (usize, usize) {
    if quick { (30, 200) } else { (200, 1_000) }
}

/// Chats in the report fan-out (`BENCH_FANOUT_CHATS`, default 10,000; 300 when quick).
fn fanout_chats(quick: bool) -> usize {
    std::env::var("BENCH_FANOUT_CHATS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 300 } else { 10_000 })
}

#[derive(Debug, Default, Clone, Copy)]
struct Runs {
    spaced: Latency,
    b2b: Latency,
    tp: Throughput,
}

async fn runs(
    run: &mut Running,
    text: &str,
    n: usize,
    spacing: Duration,
    tp_chats: usize,
    tp_total: usize,
) -> Runs {
    let spaced = latency(run, USER_BASE + SPACED_AT, n, text, spacing).await;
    let b2b = latency(run, USER_BASE + BACK_TO_BACK_AT, n, text, Duration::ZERO).await;
    let tp = throughput(run, USER_BASE + THROUGHPUT_AT, tp_chats, tp_total, text).await;
    Runs { spaced, b2b, tp }
}

/// `BENCH_ONLY=footprint`: what a build's profile settings change, in a few minutes: sizes, idle
/// memory and `/balance` latency (default cache) against the echo floor.
async fn footprint(bins: &Bins, n: usize) -> Footprint {
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let settle = Duration::from_secs(3);
    let mut run = start(Kind::Bot, 5, bins, false).await;
    let bot_idle = idle(&run, settle).await;
    if let Some(to) = std::env::var_os("BENCH_SMAPS_TO") {
        // Which of the bot's pages are resident when idle, mapping by mapping.
        let smaps = std::fs::read(format!("/proc/{}/smaps", run.proc.pid())).unwrap_or_default();
        std::fs::write(to, smaps).expect("BENCH_SMAPS_TO is writable");
    }
    let bot_spaced = latency(&mut run, USER_BASE + SPACED_AT, n, "/balance", SPACING).await;
    let bot_b2b = latency(
        &mut run,
        USER_BASE + BACK_TO_BACK_AT,
        n,
        "/balance",
        Duration::ZERO,
    )
    .await;
    run.stop().await;
    let mut run = start(Kind::Echo, 0, bins, true).await;
    let echo_idle = idle(&run, settle).await;
    let echo_spaced = latency(&mut run, USER_BASE + SPACED_AT, n, "hello", SPACING).await;
    let echo_b2b = latency(
        &mut run,
        USER_BASE + BACK_TO_BACK_AT,
        n,
        "hello",
        Duration::ZERO,
    )
    .await;
    run.stop().await;
    Footprint {
        bot_size: size(&bins.bot),
        echo_size: size(&bins.echo),
        bot_idle,
        echo_idle,
        bot_spaced,
        bot_b2b,
        echo_spaced,
        echo_b2b,
    }
}

async fn bench(bins: Bins, n: usize, quick: bool) {
    let started = Instant::now();
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let (bot_size, echo_size) = (size(&bins.bot), size(&bins.echo));
    let (tp_chats, tp_total) = if quick { (100, 400) } else { (500, 2_000) };
    // Through Throttle everything is paced at 30 messages/s and 250 ms rounds: smaller runs.
    let (th_n, th_chats, th_total) = if quick { (10, 60, 60) } else { (40, 150, 300) };
    let alert_chats = if quick { 1_000 } else { 10_000 };
    let settle = Duration::from_secs(3);

    eprintln!("[1/10] start-up times, idle footprint");
    let probes = [
        startup_probe(Kind::Bot, true, &bins, 5).await,
        startup_probe(Kind::Bot, false, &bins, 5).await,
        startup_probe(Kind::Echo, true, &bins, 5).await,
    ];
    let run = start(Kind::Bot, 5, &bins, true).await;
    let bot_fresh = idle(&run, settle).await;
    run.stop().await;
    let run = start(Kind::Echo, 0, &bins, true).await;
    let echo_fresh = idle(&run, settle).await;
    run.stop().await;

    eprintln!("[2/10] bot, BALANCE_CACHE_SECS=5 (default): latency, throughput");
    let mut run = start(Kind::Bot, 5, &bins, false).await;
    let bot_idle = idle(&run, settle).await;
    let bot5 = runs(&mut run, "/balance", n, SPACING, tp_chats, tp_total).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let bot_after = run.mem();
    run.stop().await;

    eprintln!("[3/10] bot, BALANCE_CACHE_SECS=0: latency, throughput");
    let mut run = start(Kind::Bot, 0, &bins, false).await;
    let bot0 = runs(&mut run, "/balance", n, SPACING, tp_chats, tp_total).await;
    run.stop().await;

    eprintln!("[4/10] echo floor: latency, throughput");
    let mut run = start(Kind::Echo, 0, &bins, true).await;
    let echo_idle = idle(&run, settle).await;
    let echo = runs(&mut run, "hello, floor", n, SPACING, tp_chats, tp_total).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let echo_after = run.mem();
    run.stop().await;

    eprintln!("[5/10] echo floor through Throttle (Telegram's default limits)");
    let mut run = start(Kind::EchoThrottled, 0, &bins, true).await;
    let throttled = runs(
        &mut run,
        "hello, floor",
        th_n,
        THROTTLE_SPACING,
        th_chats,
        th_total,
    )
    .await;
    run.stop().await;

    eprintln!("[6/10] in process: pieces of a /balance reply; alert cycle, {alert_chats} chats");
    let parts = command_parts().await;
    let cycle = alert_cycle(alert_chats, Stage::All).await;

    eprintln!("[7/10] a year of history: size, queries, chart, /history through the binary");
    let history = history_bench(&bins, if quick { 5 } else { 20 }).await;
    let chats = fanout_chats(quick);
    eprintln!(
        "[8/10] report fan-out to {chats} chats, /balance meanwhile (about {} s)",
        chats / 30 + 30
    );
    let fanout = fanout_bench(&bins, chats).await;
    eprintln!("[9/10] the payment feed");
    let feeds: FeedsReport = feeds_bench(&bins, &FeedSizes::new(quick)).await;
    eprintln!("[10/10] OxaPay callbacks");
    let (cb_n, cb_burst) = callback_sizes(quick);
    let callbacks = callbacks_bench(&bins, cb_n, cb_burst).await;

    eprintln!("done in {:.0} s", started.elapsed().as_secs_f64());
    print_report(&Report {
        bot_size,
        echo_size,
        probes,
        bot_fresh,
        echo_fresh,
        bot_idle,
        echo_idle,
        bot5,
        bot0,
        echo,
        throttled,
        bot_after,
        echo_after,
        parts,
        cycle,
    });
    print_history(&history);
    print_fanout(&fanout);
    print_feeds(&feeds);
    print_callbacks(&callbacks);
}
