//! The audit log, end to end: each change of access, alert levels and report
//! schedules writes one entry (who with their name, where, what, old → new) and nothing else
//! does; `/audit`, `/audit N` and `/audit ID` for admins only, newest first; a change the
//! database refuses writes no entry; entries older than 400 days are dropped, younger ones kept.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use oxapay_bot::store::Actor;

use crate::support::ids;
use crate::support::process::SqliteLock;
use crate::support::{ADMIN, OxaReply, Setup, TestApp};

const USER: i64 = 2002;
const GROUP: i64 = -3003;

fn account() -> OxaReply {
    OxaReply::balances(&[("BTC", "1"), ("USDT", "250")])
}

fn now() -> i64 {
    Utc::now().timestamp()
}

fn stamp(unix: i64) -> String {
    DateTime::<Utc>::from_timestamp(unix, 0)
        .unwrap()
        .format("%Y-%m-%d %H:%M:%S UTC")
        .to_string()
}

/// `/audit …` as the admin: the entries as lines without their time, newest first. Every time
/// must lie between `from` and `to`.
async fn audit(app: &TestApp, args: &str, from: i64, to: i64) -> Vec<String> {
    let reply = app.ask(ADMIN, ADMIN, &format!("/audit {args}")).await;
    let lines = reply.lines();
    if lines == ["No audited changes."] {
        return Vec::new();
    }
    assert_eq!(lines[0], "Audit log (newest first)", "{reply}");
    let stamps: BTreeSet<String> = (from..=to).map(stamp).collect();
    lines[1..]
        .iter()
        .map(|l| {
            let (time, rest) = l.split_at(23);
            assert!(stamps.contains(time), "{time:?} not within the test: {l}");
            rest.strip_prefix(' ').unwrap().to_owned()
        })
        .collect()
}

#[tokio::test]
async fn each_audited_change_writes_one_entry_and_nothing_else_does() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    let start = now();
    assert_eq!(
        app.ask(ADMIN, ADMIN, "/audit").await.text(),
        "No audited changes."
    );

    // Access.
    app.ask(ADMIN, ADMIN, &format!("/allow {USER}")).await;
    app.ask(ADMIN, ADMIN, &format!("/allow {USER}")).await; // already allowed: no change
    app.ask(GROUP, ADMIN, &format!("/allow {GROUP}")).await;
    // Alert levels, set by a member in the group.
    for cmd in [
        "/alert BTC 1",
        "/alert BTC 2",
        "/alert btc above 5",
        "/alert total 1000",
        "/alert BTC off",
        "/alert off",
        "/alert off", // nothing left: no change
    ] {
        app.ask(GROUP, USER, cmd).await;
    }
    // Report schedules, in the user's private chat.
    for cmd in [
        "/report 09:00 Europe/Berlin",
        "/report mon 10:00",
        "/report off",
        "/report off", // nothing to stop: no change
    ] {
        app.ask(USER, USER, cmd).await;
    }
    // Commands that change none of these, and refused changes.
    for (chat, user, cmd) in [
        (USER, USER, "/balance"),
        (USER, USER, "/alerts"),
        (USER, USER, "/report"),
        (USER, USER, "/report 25:00"),
        (USER, USER, "/alert BTC -1"),
        (USER, USER, "/history"),
        (ADMIN, ADMIN, "/deny 5555"), // never allowed, nothing it served
        (ADMIN, ADMIN, &format!("/deny {ADMIN}")), // an admin cannot be denied
        (ADMIN, ADMIN, "/users"),
    ] {
        app.ask(chat, user, cmd).await;
    }
    app.ask(ADMIN, ADMIN, &format!("/deny {USER}")).await;
    let end = now();

    let mut entries = audit(&app, "", start, end).await;
    entries[5..7].sort();
    let expected = [
        "@u1001 (1001) in 1001: denied 2002 allowed → denied; 0 alert level(s) and 0 report schedule(s) it served removed",
        "@u2002 (2002) in 2002: stopped report report mon 10:00 Europe/Berlin → (off)",
        "@u2002 (2002) in 2002: set report report 09:00 Europe/Berlin → mon 10:00 Europe/Berlin",
        "@u2002 (2002) in 2002: set report report (none) → 09:00 Europe/Berlin",
        "@u2002 (2002) in -3003: removed alert total below 1000 → (off)",
        // One command, two entries: written in the order SQLite deleted them (unspecified).
        "@u2002 (2002) in -3003: removed alert BTC above 5 → (off)",
        "@u2002 (2002) in -3003: removed alert BTC below 2 → (off)",
        "@u2002 (2002) in -3003: set alert total below (none) → 1000",
        "@u2002 (2002) in -3003: set alert BTC above (none) → 5",
        "@u2002 (2002) in -3003: set alert BTC below 1 → 2",
        "@u2002 (2002) in -3003: set alert BTC below (none) → 1",
        "@u1001 (1001) in -3003: allowed -3003 not allowed → allowed",
        "@u1001 (1001) in 1001: allowed 2002 not allowed → allowed",
    ];
    assert_eq!(entries, expected);

    // A /deny that takes levels and a schedule with it says so.
    app.ask(ADMIN, ADMIN, &format!("/allow {USER}")).await;
    app.ask(USER, USER, "/alert USDT 100").await;
    app.ask(USER, USER, "/report 08:00").await;
    app.ask(ADMIN, ADMIN, &format!("/deny {USER}")).await;
    let newest = audit(&app, "1", start, now()).await;
    assert_eq!(
        newest,
        [
            "@u1001 (1001) in 1001: denied 2002 allowed → denied; 1 alert level(s) and 1 report schedule(s) it served removed"
        ]
    );
}

#[tokio::test]
async fn audit_shows_20_by_default_n_on_request_and_the_entries_about_an_id() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    let start = now();
    // 25 changes of one level, then two entries about someone else.
    for level in 1..=25 {
        app.ask(ADMIN, ADMIN, &format!("/alert BTC {level}")).await;
    }
    app.ask(ADMIN, ADMIN, &format!("/allow {USER}")).await;
    app.ask(USER, USER, "/alert USDT 7").await;
    let end = now();

    let set = |old: u32, new: u32| {
        if old == 0 {
            "@u1001 (1001) in 1001: set alert BTC below (none) → 1".to_owned()
        } else {
            format!("@u1001 (1001) in 1001: set alert BTC below {old} → {new}")
        }
    };
    let all = audit(&app, "", start, end).await;
    assert_eq!(all.len(), 20, "{all:#?}");
    assert_eq!(
        all[0],
        "@u2002 (2002) in 2002: set alert USDT below (none) → 7"
    );
    assert_eq!(
        all[1],
        "@u1001 (1001) in 1001: allowed 2002 not allowed → allowed"
    );
    assert_eq!(all[2], set(24, 25));
    assert_eq!(all[19], set(7, 8), "newest first, the 20 newest");

    let three = audit(&app, "3", start, end).await;
    assert_eq!(three, all[..3]);
    let every = audit(&app, "200", start, end).await;
    assert_eq!(every.len(), 27);
    assert_eq!(every[26], set(0, 1));

    // About one id: what was done to it, by it, or in its chat.
    let about_user = audit(&app, &USER.to_string(), start, end).await;
    assert_eq!(about_user, all[..2]);
    let about_group = audit(&app, &GROUP.to_string(), start, end).await;
    assert_eq!(about_group, Vec::<String>::new());

    for bad in ["0", "abc", "5 6", "-0"] {
        let reply = app.ask(ADMIN, ADMIN, &format!("/audit {bad}")).await;
        assert!(
            reply.text().ends_with(
                "— use /audit for the last 20 changes, /audit 50 for more (at most 200), or /audit ID for those about a user or chat."
            ),
            "/audit {bad}: {reply}"
        );
    }
}

#[tokio::test]
async fn only_admins_read_the_audit_log() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    app.ask(ADMIN, ADMIN, &format!("/allow {USER}")).await;
    for args in ["", "5", "1001"] {
        assert_eq!(
            app.ask(USER, USER, &format!("/audit {args}")).await.text(),
            "Only admins can do that."
        );
    }
    assert_eq!(
        app.ask(-4004, 4004, "/audit").await.text(),
        "You are not authorized to use this bot. Your user id is 4004 (this chat: -4004) — ask an admin to /allow it."
    );
}

/// Another process holds the database's write lock: each change waits out the busy timeout and
/// is refused with "nothing was changed" — and indeed neither the change nor its entry is there
/// once the lock is gone. (The three commands wait side by side, in three chats.)
#[tokio::test]
async fn a_change_the_database_refuses_writes_no_entry() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    let start = now();
    app.ask(ADMIN, ADMIN, &format!("/allow {GROUP}")).await;
    let before = audit(&app, "", start, now()).await;
    assert_eq!(before.len(), 1);

    let lock = SqliteLock::hold(&app.db_path()).await;
    let began = Instant::now();
    app.tg.send_text(ADMIN, ADMIN, &format!("/allow {USER}"));
    app.tg.send_text(GROUP, ADMIN, "/alert BTC 1");
    app.tg.send_text(-5005, ADMIN, "/report 09:00");
    let busy =
        "The bot's database is busy or unavailable — nothing was changed; try again in a moment.";
    for chat in [ADMIN, GROUP, -5005] {
        let (_, reply) = app
            .tg
            .wait_message(chat, 0, "the refusal", |s| s.plain() == busy)
            .await;
        assert_eq!(reply.parse_mode.as_deref(), Some("HTML"));
    }
    assert!(
        began.elapsed() >= Duration::from_secs(4),
        "refused after the busy timeout"
    );
    lock.release().await;

    assert_eq!(audit(&app, "", start, now()).await, before, "no entry");
    assert_eq!(
        app.ask(GROUP, ADMIN, "/alerts").await.text(),
        "This chat has no alerts. Set one with /alert CUR AMOUNT or /alert CUR above AMOUNT."
    );
    assert!(
        app.ask(-5005, ADMIN, "/report")
            .await
            .text()
            .starts_with("This chat has no scheduled report.")
    );
    // Once the lock is gone the same change goes through, with its entry.
    app.ask(ADMIN, ADMIN, &format!("/allow {USER}")).await;
    let after = audit(&app, "", start, now()).await;
    assert_eq!(
        after[0],
        "@u1001 (1001) in 1001: allowed 2002 not allowed → allowed"
    );
    assert_eq!(after[1..], before);
}

/// Entries are kept at least a year: at start (and hourly) those older than 400 days are
/// dropped, a 399-day-old one stays.
#[tokio::test]
async fn audit_entries_are_kept_400_days() {
    let mut app = TestApp::prepare(account(), Setup::default()).await;
    let day = 86_400;
    let old = now() - 401 * day;
    let kept = now() - 399 * day;
    let store = app.store().await;
    let admin = Actor {
        id: ids::chat(ADMIN),
        name: "@root".into(),
    };
    store
        .allow(ids::chat(7007), &admin, ids::chat(ADMIN), old)
        .await
        .unwrap();
    store
        .allow(ids::chat(8008), &admin, ids::chat(ADMIN), kept)
        .await
        .unwrap();
    store.close().await;
    app.start().await;
    let dropped = app
        .logs()
        .wait_for("the pruned audit entries", 1, |e| {
            e.message == "audit entries older than 400 days dropped"
        })
        .await;
    assert_eq!(dropped[0].field("dropped"), Some("1"));
    assert_eq!(
        audit(&app, "", kept, kept).await,
        ["@root (1001) in 1001: allowed 8008 not allowed → allowed"]
    );
}
