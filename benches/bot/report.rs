//! The report: Markdown tables on stdout, and the targets met or missed.

use std::time::Duration;

use crate::cycle::{CycleReport, CycleRun, median_run};
use crate::parts::CommandParts;
use crate::procfs::Mem;
use crate::running::{Idle, Latency, Throughput};
use crate::stats::{mb, median_pair, ms};
use crate::{Runs, SPACING, THROTTLE_SPACING, USERS, WARMUP};

pub struct Report {
    pub bot_size: u64,
    pub echo_size: u64,
    pub probes: [Vec<Duration>; 3],
    pub bot_fresh: Idle,
    pub echo_fresh: Idle,
    pub bot_idle: Idle,
    pub echo_idle: Idle,
    pub bot5: Runs,
    pub bot0: Runs,
    pub echo: Runs,
    pub throttled: Runs,
    pub bot_after: Mem,
    pub echo_after: Mem,
    pub parts: CommandParts,
    pub cycle: CycleReport,
}

/// `BENCH_ONLY=footprint`: one build's size, idle memory and latency, beside the echo floor's.
pub struct Footprint {
    pub bot_size: u64,
    pub echo_size: u64,
    pub bot_idle: Idle,
    pub echo_idle: Idle,
    pub bot_spaced: Latency,
    pub bot_b2b: Latency,
    pub echo_spaced: Latency,
    pub echo_b2b: Latency,
}

pub fn print_footprint(f: &Footprint) {
    println!();
    println!("## Footprint and latency (BENCH_ONLY=footprint)");
    println!();
    println!("| | bot | echo floor |\n|---|---|---|");
    println!("| binary (bytes) | {} | {} |", f.bot_size, f.echo_size);
    let mem = |i: &Idle| {
        format!(
            "{} ({} anon, {} file, {} executable)",
            mb(i.mem.rss_kb),
            mb(i.mem.anon_kb),
            mb(i.mem.file_kb),
            mb(i.mem.exe_kb)
        )
    };
    println!(
        "| idle VmRSS 3 s after start, MB | {} | {} |",
        mem(&f.bot_idle),
        mem(&f.echo_idle)
    );
    let lat = |l: &Latency| {
        format!(
            "p50 {} / p99 {} / max {} ms (n {}, {} lost, {:.0} µs CPU)",
            ms(l.stats.p50),
            ms(l.stats.p99),
            ms(l.stats.max),
            l.stats.n,
            l.lost,
            l.cpu_per_req.as_secs_f64() * 1e6
        )
    };
    println!(
        "| spaced ({} ms) | {} | {} |",
        SPACING.as_millis(),
        lat(&f.bot_spaced),
        lat(&f.echo_spaced)
    );
    println!(
        "| back to back | {} | {} |",
        lat(&f.bot_b2b),
        lat(&f.echo_b2b)
    );
}

pub fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "MISSED" }
}

pub fn print_report(r: &Report) {
    let lat_row = |name: &str, l: &Latency| {
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} | {:.0} | {} | {} |",
            l.stats.n,
            ms(l.stats.p50),
            ms(l.stats.p90),
            ms(l.stats.p99),
            ms(l.stats.max),
            ms(l.stats.mean),
            l.cpu_per_req.as_secs_f64() * 1e6,
            l.oxapay_calls,
            l.lost
        )
    };
    println!();
    println!("## Latency: update handed over → its reply's sendMessage arrives (ms)");
    println!();
    println!(
        "One request at a time, each from a new chat; spaced: {} ms pause after each reply \
         ({} ms for the Throttle runs); back to back: no pause. {WARMUP} warm-up requests \
         are not counted.",
        SPACING.as_millis(),
        THROTTLE_SPACING.as_millis()
    );
    println!();
    println!(
        "| run | n | p50 | p90 | p99 | max | mean | process CPU µs/req | OxaPay calls | no reply |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    lat_row("bot /balance, cache 5 s (default), spaced", &r.bot5.spaced);
    lat_row("bot /balance, cache 0, spaced", &r.bot0.spaced);
    lat_row("echo floor, spaced", &r.echo.spaced);
    lat_row("bot /balance, cache 5 s, back to back", &r.bot5.b2b);
    lat_row("bot /balance, cache 0, back to back", &r.bot0.b2b);
    lat_row("echo floor, back to back", &r.echo.b2b);
    lat_row("echo floor through Throttle, spaced", &r.throttled.spaced);
    lat_row(
        "echo floor through Throttle, back to back",
        &r.throttled.b2b,
    );

    let tp_row = |name: &str, t: &Throughput| {
        println!(
            "| {name} | {} / {} | {} | {:.2} | {:.0} | {:.0} | {:.0} | {} | {} / {} |",
            t.total,
            t.chats,
            t.replied,
            t.elapsed.as_secs_f64(),
            t.per_sec,
            t.cpu_per_update.as_secs_f64() * 1e6,
            t.bench_cpu_per_update.as_secs_f64() * 1e6,
            t.oxapay_calls,
            mb(t.mem_after.rss_kb),
            mb(t.mem_after.hwm_kb),
        )
    };
    println!();
    println!("## Throughput: all updates queued at once, fetched 100 per getUpdates");
    println!();
    println!(
        "| run | updates / chats | replied | s | replies/s | process CPU µs/update | bench (fakes) CPU µs/update | OxaPay calls | RSS / HWM right after (MB) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    tp_row("bot /balance, cache 5 s", &r.bot5.tp);
    tp_row("bot /balance, cache 0", &r.bot0.tp);
    tp_row("echo floor", &r.echo.tp);
    tp_row("echo floor through Throttle", &r.throttled.tp);

    let ratio = |a: u64, b: u64| a as f64 / b.max(1) as f64;
    println!();
    println!("## Footprint");
    println!();
    println!("| | bot | echo floor | bot / echo |\n|---|---|---|---|");
    println!(
        "| release binary (bytes) | {} | {} | {:.2} |",
        r.bot_size,
        r.echo_size,
        ratio(r.bot_size, r.echo_size)
    );
    let spread = |v: &[Duration]| match v {
        [] => String::new(),
        _ => format!(
            "{} ({}–{})",
            ms(v[v.len() / 2]),
            ms(v[0]),
            ms(v[v.len() - 1])
        ),
    };
    println!(
        "| spawn → first getUpdates, new database file, median of {} (min–max) (ms) | {} | {} | |",
        r.probes[0].len(),
        spread(&r.probes[0]),
        spread(&r.probes[2])
    );
    println!(
        "| spawn → first getUpdates, existing database, {USERS} allowed chats, median of {} (min–max) (ms) | {} | | |",
        r.probes[1].len(),
        spread(&r.probes[1])
    );
    for (name, b, e) in [
        ("fresh database", r.bot_fresh.mem, r.echo_fresh.mem),
        ("before traffic", r.bot_idle.mem, r.echo_idle.mem),
    ] {
        println!(
            "| idle VmRSS 3 s after start, {name} (MB) | {} | {} | {:.2} |",
            mb(b.rss_kb),
            mb(e.rss_kb),
            ratio(b.rss_kb, e.rss_kb)
        );
        println!(
            "| … RssAnon / RssFile (of which the executable's own pages) (MB) | {} / {} ({}) | {} / {} ({}) | |",
            mb(b.anon_kb),
            mb(b.file_kb),
            mb(b.exe_kb),
            mb(e.anon_kb),
            mb(e.file_kb),
            mb(e.exe_kb)
        );
    }
    println!(
        "| idle VmHWM 3 s after start, before traffic (MB) | {} | {} | |",
        mb(r.bot_idle.mem.hwm_kb),
        mb(r.echo_idle.mem.hwm_kb)
    );
    println!(
        "| idle CPU over 3 s (ms per s) | {:.2} | {:.2} | |",
        r.bot_idle.cpu_per_sec.as_secs_f64() * 1e3,
        r.echo_idle.cpu_per_sec.as_secs_f64() * 1e3
    );
    println!(
        "| VmRSS / VmHWM 2 s after all runs (MB) | {} / {} | {} / {} | {:.2} |",
        mb(r.bot_after.rss_kb),
        mb(r.bot_after.hwm_kb),
        mb(r.echo_after.rss_kb),
        mb(r.echo_after.hwm_kb),
        ratio(r.bot_after.rss_kb, r.echo_after.rss_kb)
    );

    print_command_parts(&r.parts);
    print_cycle(&r.cycle);
    let c = &r.cycle;
    let steady = median_run(&c.steady);
    let moving = median_run(&c.moving);

    let p99 = |l: &Latency| l.stats.p99;
    let worst = p99(&r.bot5.spaced)
        .max(p99(&r.bot0.spaced))
        .max(p99(&r.bot5.b2b))
        .max(p99(&r.bot0.b2b));
    // Bot over echo floor at p50 and p99.
    let over = |bot: &Latency, echo: &Latency| {
        let r = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(1e-9);
        (
            r(bot.stats.p50, echo.stats.p50),
            r(bot.stats.p99, echo.stats.p99),
        )
    };
    let lat_rows = [
        (
            "spaced, BALANCE_CACHE_SECS=5 (default)",
            over(&r.bot5.spaced, &r.echo.spaced),
        ),
        (
            "back to back, BALANCE_CACHE_SECS=5 (default)",
            over(&r.bot5.b2b, &r.echo.b2b),
        ),
        (
            "spaced, BALANCE_CACHE_SECS=0 (one OxaPay request per command)",
            over(&r.bot0.spaced, &r.echo.spaced),
        ),
        (
            "back to back, BALANCE_CACHE_SECS=0",
            over(&r.bot0.b2b, &r.echo.b2b),
        ),
    ];
    let mem_ratio = ratio(r.bot_idle.mem.rss_kb, r.echo_idle.mem.rss_kb);
    println!();
    println!("## Targets");
    println!();
    println!("| target | measured | verdict |\n|---|---|---|");
    println!(
        "| p99 overhead < 5 ms | worst p99 of the four bot runs: {} ms | {} |",
        ms(worst),
        verdict(worst < Duration::from_millis(5))
    );
    println!(
        "| alert cycle for 10,000 chats < 50 ms CPU | steady {} ms; 10 % crossing {} ms; first check {} ms | {} |",
        ms(steady.cpu),
        ms(moving.cpu),
        ms(c.fresh.cpu),
        verdict(c.chats >= 10_000 && steady.cpu.max(moving.cpu) < Duration::from_millis(50))
    );
    println!(
        "| idle RSS < 20 MB | {} MB | {} |",
        mb(r.bot_idle.mem.rss_kb),
        verdict(r.bot_idle.mem.rss_kb < 20 * 1024)
    );
    for (name, (p50, p99)) in lat_rows {
        println!(
            "| latency within 1.5× of the echo floor, {name} | p50 {p50:.2}×, p99 {p99:.2}× | {} |",
            verdict(p50.max(p99) <= 1.5)
        );
    }
    println!(
        "| memory within 1.5× of the echo floor (idle RSS) | {mem_ratio:.2}× | {} |",
        verdict(mem_ratio <= 1.5)
    );
}

pub fn print_cycle(c: &CycleReport) {
    let cyc_row = |name: &str, x: &CycleRun| {
        println!(
            "| {name} | {} | {} | {} | {} | {} | {:+.1} / {} |",
            x.thresholds,
            x.transitions,
            x.messages,
            ms(x.cpu),
            ms(x.wall),
            (x.rss_after_kb as f64 - x.rss_before_kb as f64) / 1024.0,
            mb(x.peak_kb),
        )
    };
    println!();
    println!(
        "## Alert cycle: Checker::cycle(), {} chats × 3 thresholds, delivery not included",
        c.chats
    );
    println!();
    println!(
        "Populating the database through Store::allow and Store::set_threshold (each audited) took {:.1} s.",
        c.populate.as_secs_f64()
    );
    println!();
    println!(
        "| cycle | thresholds | transitions | messages queued | CPU ms | wall ms | RSS Δ / peak (MB) |"
    );
    println!("|---|---|---|---|---|---|---|");
    cyc_row("first check (all unchecked)", &c.fresh);
    if !c.steady.is_empty() {
        cyc_row(
            "steady, nothing changes (median of 5)",
            &median_run(&c.steady),
        );
    }
    if !c.moving.is_empty() {
        cyc_row(
            "10 % of thresholds cross (median of 4)",
            &median_run(&c.moving),
        );
    }
    if c.reread.thresholds > 0 {
        cyc_row(
            "after one level changed (every level read again)",
            &c.reread,
        );
    }
    if c.load_rows.is_empty() {
        // BENCH_CYCLE_UNTIL stopped before the parts.
        return;
    }
    let (lw, lc) = median_pair(&c.load_rows);
    let (ew, ec) = median_pair(&c.evaluate);
    let (ow, oc) = median_pair(&c.oxapay_read);
    let q = &c.sql;
    let pair = |p: (Duration, Duration)| format!("{} / {}", ms(p.0), ms(p.1));
    println!();
    println!("Where the time goes (wall / CPU ms; the first three are medians of 3):");
    println!();
    println!("| part | wall / CPU ms |\n|---|---|");
    println!(
        "| Store::all_thresholds, {} rows | {} |",
        c.fresh.thresholds,
        pair((lw, lc))
    );
    println!("| alerts::evaluate | {} |", pair((ew, ec)));
    println!(
        "| one OxaPay read over loopback (client and fake server) | {} |",
        pair((ow, oc))
    );
    println!(
        "| the same SELECT aggregated inside SQLite (no rows returned) | {} |",
        pair(q.engine_scan)
    );
    println!(
        "| the same SELECT fetched row by row by sqlx into tuples, no parsing (all_thresholds before 11e8045) | {} |",
        pair(q.tuples)
    );
    println!(
        "| the same {} rows as one json_group_array value, serde_json and Decimal parsing (the approach all_thresholds takes since 11e8045) | {} |",
        q.one_json_rows,
        pair(q.one_json)
    );
    println!(
        "| {} single-row UPDATEs in one transaction (Store::record_check before 11e8045) | {} |",
        q.updates,
        pair(q.per_statement)
    );
    println!(
        "| the same {} rows in one UPDATE … FROM json_each(?) (since 11e8045; {} rows matched) | {} |",
        q.updates,
        q.batched_rows,
        pair(q.batched)
    );
    println!(
        "| the same {} rows as 500-row VALUES lists (Store::record_check since the proof residue; {} rows matched) | {} |",
        q.updates,
        q.values_rows,
        pair(q.values)
    );
}

pub fn print_command_parts(p: &CommandParts) {
    let us = |d: Duration| format!("{:.2}", d.as_secs_f64() * 1e6);
    let row =
        |name: &str, t: (Duration, Duration)| println!("| {name} | {} / {} |", us(t.0), us(t.1));
    println!();
    println!(
        "## Pieces of a /balance reply, in process (mean of {} calls, wall / CPU µs)",
        p.calls
    );
    println!();
    println!("| piece | wall / CPU µs |\n|---|---|");
    row(
        "Store::access (allowed? paused?), as every command runs it",
        p.store_checks,
    );
    row(
        "before: two queries (allowed, paused), sqlx pool with test_before_acquire(true), the default",
        p.raw_ping,
    );
    row(
        "the same two queries, test_before_acquire(false)",
        p.raw_no_ping,
    );
    row(
        "both answers from one query, test_before_acquire(false) (what Store::access does)",
        p.one_query_no_ping,
    );
    row(
        "oxapay::parse_balance_response, 8 currencies",
        p.parse_oxapay,
    );
    row(
        &format!(
            "messages::balances, 6 non-zero rows ({} bytes)",
            p.reply_bytes
        ),
        p.format,
    );
    row("messages::split_html of that reply", p.split);
    row("Command::parse(\"/balance\")", p.parse_command);
}

pub fn print_history(h: &crate::history::HistoryReport) {
    println!();
    println!(
        "### A year of history: {} currencies, {} snapshots kept ({} rows)",
        crate::history::CURRENCIES,
        h.snapshots,
        h.rows
    );
    println!();
    println!("| what | figure |");
    println!("|---|---|");
    println!(
        "| database file (after close) | {:.1} MB ({} bytes); filled in {:.1} s |",
        h.db_bytes as f64 / 1e6,
        h.db_bytes,
        h.fill.as_secs_f64()
    );
    println!(
        "| 1-year series of one currency, queried + downsampled to {} points | p50 {} ms, p99 {} ms |",
        h.points_currency,
        ms(h.query_currency.p50),
        ms(h.query_currency.p99)
    );
    println!(
        "| 1-year total series, queried + downsampled | p50 {} ms, p99 {} ms |",
        ms(h.query_total.p50),
        ms(h.query_total.p99)
    );
    println!(
        "| chart rendered (1280×720 PNG, {} bytes) | p50 {} ms, p99 {} ms |",
        h.png_bytes,
        ms(h.render.p50),
        ms(h.render.p99)
    );
    println!(
        "| `/history … 1y` through the binary, update handed over → photo received ({} runs) | p50 {} ms, p99 {} ms |",
        h.command.n,
        ms(h.command.p50),
        ms(h.command.p99)
    );
    println!(
        "| bot RSS before / after the charts (peak) | {:.1} MB / {:.1} MB (peak {:.1} MB) |",
        h.mem_before.rss_kb as f64 / 1024.0,
        h.mem_after.rss_kb as f64 / 1024.0,
        h.mem_after.hwm_kb as f64 / 1024.0
    );
}

pub fn print_fanout(f: &crate::fanout::FanoutReport) {
    println!();
    println!(
        "### Report fan-out to {} chats (Telegram's default limits)",
        f.chats
    );
    println!();
    println!("| what | figure |");
    println!("|---|---|");
    println!(
        "| reports delivered (distinct chats) | {} of {} |",
        f.delivered, f.chats
    );
    println!(
        "| bot start → first report / last report | {:.1} s / {:.1} s ({:.1} messages/s) |",
        f.first.as_secs_f64(),
        f.all.as_secs_f64(),
        f.per_sec
    );
    println!(
        "| `/balance` from another chat during the fan-out ({} runs) | p50 {} ms, p99 {} ms, max {} ms |",
        f.during.n,
        ms(f.during.p50),
        ms(f.during.p99),
        ms(f.during.max)
    );
    println!(
        "| the same once it is over ({} runs) | p50 {} ms, p99 {} ms, max {} ms |",
        f.idle.n,
        ms(f.idle.p50),
        ms(f.idle.p99),
        ms(f.idle.max)
    );
    println!(
        "| report sends arriving while a probe waited: the slowest {} probes / the others (mean per probe) | {:.2} / {:.2} |",
        f.overlap.slowest, f.overlap.slowest_mean, f.overlap.rest_mean
    );
    println!(
        "| … arriving in the 25 ms before a probe was handed over: the slowest / the others | {:.2} / {:.2} |",
        f.overlap.slowest_before, f.overlap.rest_before
    );
}
