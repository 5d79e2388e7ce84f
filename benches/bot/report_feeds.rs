//! The payment feed's and the callback receiver's figures as Markdown tables on stdout.

use std::time::Duration;

use crate::burst::BurstReport;
use crate::callbacks::{BurstRun, CallbackReport};
use crate::feeds::{BalanceReport, FeedsReport, SteadyReport};
use crate::report::verdict;
use crate::sales::SalesReport;
use crate::stats::{Stats, mb, ms, stats};

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn spread(s: &Stats) -> String {
    format!(
        "p50 {} ms, p99 {} ms, max {} ms (n = {})",
        ms(s.p50),
        ms(s.p99),
        ms(s.max),
        s.n
    )
}

pub fn print_feeds(f: &FeedsReport) {
    let b = &f.backfill;
    println!();
    println!(
        "### First start with {} payments of the last month (silent first reading)",
        b.payments
    );
    println!();
    println!("| what | figure |\n|---|---|");
    println!(
        "| bot spawned → first reading committed | {} |",
        secs(b.spawn_to_read)
    );
    println!(
        "| its first listing request → committed | {} |",
        secs(b.listing_to_read)
    );
    println!(
        "| OxaPay requests: listing pages / single payments | {} / {} |",
        b.list_requests, b.record_requests
    );
    println!(
        "| bot CPU until then / the fakes' (bench process) | {} / {} |",
        secs(b.bot_cpu),
        secs(b.fakes_cpu)
    );
    println!(
        "| bot VmRSS / VmHWM then | {} MB / {} MB |",
        mb(b.mem.rss_kb),
        mb(b.mem.hwm_kb)
    );
    println!(
        "| ledger rows / told rows / outbox rows | {} / {} / {} |",
        b.ledger_rows, b.told_rows, b.outbox_rows
    );
    println!(
        "| database + WAL then | {:.1} MB + {:.1} MB |",
        b.db.0 as f64 / 1e6,
        b.db.1 as f64 / 1e6
    );
    println!(
        "| database + WAL after the bot stopped | {:.1} MB + {:.1} MB |",
        b.db_stopped.0 as f64 / 1e6,
        b.db_stopped.1 as f64 / 1e6
    );
    println!(
        "| `sendMessage` by the next poll (100 chats hear payments) | {} |",
        b.sent
    );
    print_steady("nothing to read", &f.empty);
    print_steady("open payments", &f.steady);
    print_balance(&f.balance_on, &f.balance_off);
    print_burst(&f.burst);
    print_sales(&f.sales);
}

fn print_steady(what: &str, s: &SteadyReport) {
    println!();
    println!(
        "### Steady polls, {what}: {} open, {} settled payments (`PAYMENT_POLL_SECS=5`)",
        s.open, s.settled
    );
    println!();
    println!(
        "| poll | wall, first request → committed | CPU in it | CPU, start → next start | requests |"
    );
    println!("|---|---|---|---|---|");
    for (k, p) in s.polls.iter().enumerate() {
        println!(
            "| {} | {} | {} | {} ms | {} |",
            k + 1,
            p.wall().map_or("—".into(), |w| format!("{} ms", ms(w))),
            if p.done.is_some() {
                format!("{} ms", ms(p.cpu_in))
            } else {
                "—".into()
            },
            ms(p.cpu_cycle),
            p.requests
        );
    }
    let walls: Vec<Duration> = s.polls.iter().filter_map(|p| p.wall()).collect();
    let cycles: Vec<Duration> = s.polls.iter().map(|p| p.cpu_cycle).collect();
    let w = stats(&walls);
    let c = stats(&cycles);
    println!();
    println!(
        "Median wall {} ms (max {} ms); median CPU per cycle {} ms (mean {} ms); bot VmRSS {} MB, VmHWM {} MB.",
        ms(w.p50),
        ms(w.max),
        ms(c.p50),
        ms(c.mean),
        mb(s.mem.rss_kb),
        mb(s.mem.hwm_kb)
    );
}

pub fn print_balance(on: &BalanceReport, off: &BalanceReport) {
    println!();
    println!("### `/balance` while the payment feed polls (update handed over → reply)");
    println!();
    println!("| run | all probes | handed over during a poll | outside polls |");
    println!("|---|---|---|---|");
    println!(
        "| feed on, {} polls meanwhile | {} | {} | {} |",
        on.polls,
        spread(&on.all),
        spread(&on.during),
        spread(&on.outside)
    );
    println!(
        "| feed off (no merchant key) | {} | — | — |",
        spread(&off.all)
    );
    let ratio = on.all.p99.as_secs_f64() / off.all.p99.as_secs_f64().max(1e-9);
    println!();
    println!("p99 feed on / feed off: {ratio:.2}.");
}

pub fn print_burst(b: &BurstReport) {
    println!();
    println!(
        "### A burst of {} new payments told to {} chats ({} messages, Telegram's limits)",
        b.payments, b.chats, b.expected
    );
    println!();
    println!("| what | figure |\n|---|---|");
    println!(
        "| messages received / distinct (chat, payment) / naming no burst payment | {} / {} / {} |",
        b.received, b.distinct, b.unknown
    );
    println!(
        "| chats whose messages came out of creation order | {} |",
        b.out_of_order
    );
    println!("| told rows in the database | {} |", b.told_rows);
    println!(
        "| burst in the fake → the poll's listing read it | {} |",
        secs(b.to_read)
    );
    println!(
        "| that listing → first message / last message | {} / {} |",
        secs(b.read_to_first),
        secs(b.read_to_last)
    );
    println!(
        "| burst in the fake → last message | {} |",
        secs(b.added_to_last)
    );
    println!(
        "| floor at Telegram's limits (30/s overall; 1/s and 20/min per chat) | {} |",
        secs(b.floor)
    );
    println!("| messages/s, first → last | {:.1} |", b.per_sec);
    println!(
        "| bot CPU over the burst / VmRSS after / VmHWM | {} / {} MB / {} MB |",
        secs(b.bot_cpu),
        mb(b.mem_after.rss_kb),
        mb(b.mem_after.hwm_kb)
    );
}

fn print_sales(s: &SalesReport) {
    println!();
    println!("### `/sales 30d` on a year of {} payments", s.payments);
    println!();
    println!("| what | figure |\n|---|---|");
    println!(
        "| seeded through `Store::record_payment_poll` (500 a transaction) | {} |",
        secs(s.seed)
    );
    println!(
        "| database file after seeding | {:.1} MB |",
        s.db_bytes as f64 / 1e6
    );
    println!(
        "| ledger rows in the 30 days / the 30 before | {} / {} |",
        s.rows.0, s.rows.1
    );
    println!(
        "| both periods read and summed, in process | {} |",
        spread(&s.query)
    );
    let c = &s.command;
    println!(
        "| `/sales 30d` through the binary, handed over → reply | {}, {} lost, CPU {:.0} µs/request |",
        spread(&c.stats),
        c.lost,
        c.cpu_per_req.as_secs_f64() * 1e6
    );
    println!(
        "| target p99 < 20 ms | {} |",
        verdict(c.stats.n > 0 && c.stats.p99 < Duration::from_millis(20))
    );
    println!("| bot VmRSS after | {} MB |", mb(s.mem_after.rss_kb));
    println!();
    println!("The reply:\n\n```\n{}\n```", s.reply);
}

pub fn print_callbacks(c: &CallbackReport) {
    println!();
    println!("### OxaPay callbacks → Telegram message");
    println!();
    println!("| what | figure |\n|---|---|");
    println!("| posted → `200 ok` | {} |", spread(&c.answered));
    println!(
        "| posted → message at the fake Telegram | {} |",
        spread(&c.told)
    );
    println!("| callbacks without an answer or a message | {} |", c.lost);
    println!(
        "| target p99 < 50 ms | {} |",
        verdict(c.told.n > 0 && c.told.p99 < Duration::from_millis(50))
    );
    println!();
    println!(
        "| burst, one a millisecond | callbacks | sent over | all answered after | 200 ok / refused / no answer | answer time | told rows (distinct) | VmRSS before → peak (VmHWM) |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for b in &c.bursts {
        print_callback_burst(b);
    }
    println!();
    println!(
        "Bot VmRSS idle {} MB; right after the bursts {} MB; 5 s later {} MB.",
        mb(c.mem_idle.rss_kb),
        mb(c.mem_after.rss_kb),
        mb(c.mem_settled.rss_kb)
    );
}

fn print_callback_burst(b: &BurstRun) {
    println!(
        "| {} | {} | {} | {} | {} / {} / {} | {} | {} ({}) | {} → {} MB ({} MB) |",
        b.label,
        b.callbacks,
        secs(b.sending),
        secs(b.all_answered),
        b.ok,
        b.refused,
        b.failed,
        spread(&b.answer),
        b.told_rows,
        b.told_distinct,
        mb(b.mem_before.rss_kb),
        mb(b.rss_peak_kb),
        mb(b.hwm_kb)
    );
}
