//! The bot in its users' languages: every message of every language file rendered with hostile
//! variables and checked by Telegram's rules; a Persian user's replies and alerts; a group
//! switched to Russian with `/lang`; the command menus registered per language; the stored
//! language carried through a group's migration.

use oxapay_bot::money::Currency;
use oxapay_bot::oxapay::Balances;
use oxapay_bot::texts::l10n::{self, SOURCES, Var};
use oxapay_bot::texts::{self, Lang, MESSAGE_LIMIT, PriceView, split_html};
use rust_decimal::Decimal;
use serde_json::json;

use crate::support::html::{TextKind, check_text};
use crate::support::ids;
use crate::support::{ADMIN, OxaReply, Setup, TestApp};

const LRM: char = '\u{200E}';
const USER: i64 = 3003;
const GROUP: i64 = -5005;
const MEMBER: i64 = 7;

/// The values a variable may take in a test: hostile text, huge figures, every selector key the
/// files use, counts on every CLDR plural boundary.
fn values() -> Vec<Var> {
    let mut v = vec![
        Var::Text("<b>&amp; </i> \u{202E}مرحبا שלום \u{2067}<code>".into()),
        Var::Fig("1234567890123456789012345678901234567890.12345678".into()),
        Var::Fig("−98,765,432,101,234,567,890.123456789012345678 USDT".into()),
        Var::Code("<script>alert(1)</script>&".into()),
        Var::Html("<b>BTC</b>".into()),
        Var::Num(1_234_567_890_123),
    ];
    for n in [
        0, 1, 2, 3, 5, 11, 21, 22, 25, 100, 101, 102, 103, 104, 105, 124,
    ] {
        v.push(Var::Num(n));
    }
    for key in [
        "above",
        "below",
        "both",
        "yes",
        "no",
        "set",
        "telegram",
        "default",
        "general",
        "merchant",
        "payout",
        "timeout",
        "connection",
        "redirect",
        "limited",
        "http",
        "code",
        "key",
        "unreadable",
        "week",
        "month",
        "quarter",
        "year",
        "h",
        "min",
        "s",
    ] {
        v.push(Var::Text(key.into()));
    }
    v
}

/// Every message in every language, each variable given every test value in turn (the others
/// hostile text): Telegram accepts it as HTML, within a message's length; a popup within 200
/// characters, a menu description within 256.
#[test]
fn every_message_in_every_language_is_valid_telegram_html_with_hostile_variables() {
    let english = l10n::inventory(SOURCES[0].1).expect("en.ftl parses");
    let values = values();
    let hostile = &values[0];
    let mut rendered = 0;
    for lang in Lang::ALL {
        for (id, vars) in &english {
            let mut cases: Vec<Vec<(&str, Var)>> = Vec::new();
            cases.push(vars.iter().map(|v| (v.as_str(), hostile.clone())).collect());
            for (i, _) in vars.iter().enumerate() {
                for value in &values {
                    let case = vars
                        .iter()
                        .enumerate()
                        .map(|(j, v)| {
                            let value = if i == j { value } else { hostile };
                            (v.as_str(), value.clone())
                        })
                        .collect();
                    cases.push(case);
                }
            }
            for case in cases {
                let html = l10n::render(lang, id, &case);
                rendered += 1;
                assert!(!html.contains("{ $"), "{lang} {id}: {html}");
                let plain = check_text(&html, Some("HTML"), TextKind::Message)
                    .unwrap_or_else(|why| panic!("{lang} {id}: {why}\n{html}"));
                if id.starts_with("popup-") {
                    // Popups go as plain text; hostile figures included they stay short.
                    let n = texts::plain_text(&html).chars().count();
                    assert!(n <= 200, "{lang} {id}: {n} characters: {plain}");
                }
                if id.starts_with("menu-") {
                    assert!(plain.chars().count() <= 256, "{lang} {id}: {plain}");
                }
            }
        }
    }
    assert!(rendered > 10_000, "{rendered}");
}

/// The longest texts, in the languages that make them longest: `/help` for an admin, a balance
/// list of 600 wallets, split into messages Telegram takes, every row kept once.
#[test]
fn long_texts_in_every_language_split_into_valid_messages() {
    let rows: Vec<(Currency, Decimal)> = (0..600)
        .map(|i| {
            let cur = Currency::parse(&format!("C{i:04}")).unwrap();
            (cur, Decimal::new(123_456_789_012_345_678, 8))
        })
        .collect();
    let read = Balances::new(rows.into_iter().collect());
    for lang in Lang::ALL {
        let help = texts::help(lang, Some(ids::user(ADMIN)), true, "OxaPay v1 API");
        check_text(&help, Some("HTML"), TextKind::Message)
            .unwrap_or_else(|why| panic!("{lang} help: {why}"));
        let why = texts::prices_stale(lang);
        let text = texts::balances(
            lang,
            &read,
            chrono::Utc::now(),
            PriceView::Unavailable(&why),
            false,
        );
        let parts = split_html(&text, MESSAGE_LIMIT);
        assert!(parts.len() > 1, "{lang}");
        let mut rows = 0;
        for p in &parts {
            check_text(p, Some("HTML"), TextKind::Message)
                .unwrap_or_else(|why| panic!("{lang}: {why}"));
            rows += p
                .lines()
                .filter(|l| l.contains("1234567890.12345678"))
                .count();
        }
        assert_eq!(rows, 600, "{lang}: no row lost or repeated");
    }
}

fn account() -> OxaReply {
    OxaReply::balances(&[("BTC", "0.5"), ("USDT", "1500.25")])
}

/// A user whose Telegram app is in Persian reads `/help`, `/balance` and the alert the checker
/// sends later in Persian; every amount, code and time stays left to right between LRM marks,
/// and the alert's buttons are Persian too.
#[tokio::test]
async fn a_persian_user_gets_help_balance_and_alerts_in_persian_with_amounts_kept_ltr() {
    let app = TestApp::spawn(
        account(),
        Setup::default().checking_every_second().no_cache(),
    )
    .await;
    app.oxa
        .set_prices(OxaReply::prices(&[("BTC", "94876.55"), ("USDT", "1")]));
    app.ask(ADMIN, ADMIN, &format!("/allow {USER}")).await;
    app.tg.set_user_language(USER, Some("fa-IR"));

    let help = app.ask(USER, USER, "/help").await;
    assert_eq!(help.lines()[0], "ربات موجودی OxaPay", "{}", help.text());
    assert!(
        help.html()
            .contains(&format!("{LRM}<code>{USER}</code>{LRM}"))
    );
    // A command inside right-to-left text keeps its slash in front of it.
    assert!(
        help.html().contains(&format!("؛ {LRM}/alert off")),
        "{}",
        help.html()
    );

    let balance = app.ask(USER, USER, "/balance").await;
    let text = balance.text();
    assert!(text.starts_with("موجودی\u{200C}های OxaPay"), "{text}");
    assert!(
        text.contains("USDT  1500.25"),
        "the table stays as it is: {text}"
    );
    assert!(
        balance
            .html()
            .contains(&format!("جمع کل: <b>{LRM}$48,938.53{LRM}</b>")),
        "{}",
        balance.html()
    );
    let one = app.ask(USER, USER, "/balance btc").await;
    assert!(
        one.html()
            .contains(&format!("1 {LRM}BTC{LRM} = {LRM}94,876.55{LRM} USD")),
        "{}",
        one.html()
    );

    let set = app.ask(USER, USER, "/alert BTC 1").await;
    assert!(set.text().starts_with("هشدار تنظیم شد"), "{}", set.text());
    assert!(
        set.html().contains(&format!("{LRM}<code>1</code>{LRM}")),
        "{}",
        set.html()
    );
    // The checker writes later, with no update to read a language from: the stored one.
    // What the user sees (tags removed).
    let alerts = app.tg.wait_broadcasts(USER, 1).await;
    let alert = &alerts[0];
    assert!(alert.starts_with("⚠️ موجودی کم: "), "{alert}");
    assert!(
        alert.contains(&format!("{LRM}BTC{LRM} {LRM}0.5{LRM}")),
        "{alert}"
    );
    assert!(
        alert.contains(&format!("آستانهٔ هشدار شما {LRM}1{LRM}")),
        "{alert}"
    );
    let sent = app.tg.sent_to(USER);
    let with_buttons = sent.iter().find(|s| s.plain() == *alert).unwrap();
    let labels = with_buttons.reply_markup.as_ref().unwrap()["inline_keyboard"][0].clone();
    assert_eq!(labels[0]["text"], "🔕 توقف 1 ساعته");
    assert_eq!(labels[1]["text"], "💰 موجودی");
    app.tg.assert_no_refusals();
}

/// `/lang` in a private chat: what it reads and why, set to another language, back to auto.
#[tokio::test]
async fn lang_shows_sets_and_resets_a_private_chats_language() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    app.ask(ADMIN, ADMIN, &format!("/allow {USER}")).await;
    app.tg.set_user_language(USER, Some("ru"));
    let shown = app.ask(USER, USER, "/lang").await;
    assert!(
        shown
            .text()
            .starts_with("Язык этого чата: Русский (ru) — язык вашего приложения Telegram."),
        "{}",
        shown.text()
    );
    let set = app.ask(USER, USER, "/lang es").await;
    assert!(
        set.text()
            .starts_with("Este chat ahora está en Español (es)."),
        "{}",
        set.text()
    );
    assert_eq!(
        app.ask(USER, USER, "/alerts").await.lines()[0],
        "Este chat no tiene alertas. Crea una con /alert CUR AMOUNT o /alert CUR above AMOUNT."
    );
    let bad = app.ask(USER, USER, "/lang klingon").await;
    assert!(
        bad.text()
            .starts_with("“klingon” no es un idioma que hable este bot — usa /lang"),
        "{}",
        bad.text()
    );
    let auto = app.ask(USER, USER, "/lang auto").await;
    assert!(
        auto.text()
            .starts_with("Этот чат снова следует языку Telegram"),
        "{}",
        auto.text()
    );
    app.tg.set_user_language(USER, Some("de"));
    assert_eq!(
        app.ask(USER, USER, "/lang").await.lines()[0],
        "This chat reads English (en): no language was set for this chat. /lang ru sets one."
    );
}

/// A group reads English whatever its members' apps say, until an allowed member sets a
/// language with `/lang`: from then on its replies, its alerts and its reports are in it.
#[tokio::test]
async fn lang_ru_in_a_group_switches_its_replies_alerts_and_reports() {
    let app = TestApp::spawn(
        account(),
        Setup::default().checking_every_second().no_cache(),
    )
    .await;
    app.ask(ADMIN, ADMIN, &format!("/allow {GROUP}")).await;
    app.tg.set_user_language(MEMBER, Some("fa"));
    let before = app.ask(GROUP, MEMBER, "/alerts").await;
    assert!(
        before.text().starts_with("This chat has no alerts."),
        "{}",
        before.text()
    );

    let set = app.ask(GROUP, MEMBER, "/lang ru").await;
    assert!(
        set.text()
            .starts_with("Теперь этот чат на языке: Русский (ru)."),
        "{}",
        set.text()
    );
    let level = app.ask(GROUP, MEMBER, "/alert BTC 1").await;
    assert!(
        level
            .text()
            .starts_with("Порог задан: этот чат получит сообщение, когда BTC опустится ниже 1."),
        "{}",
        level.text()
    );
    let alerts = app.tg.wait_broadcasts(GROUP, 1).await;
    assert_eq!(alerts[0], "⚠️ Низкий баланс: BTC 0.5 — ниже порога 1");
    let sent = app.tg.sent_to(GROUP);
    let alert = sent.iter().find(|s| s.plain() == alerts[0]).unwrap();
    let labels = &alert.reply_markup.as_ref().unwrap()["inline_keyboard"][0];
    assert_eq!(labels[0]["text"], "🔕 Пауза 1 ч");

    let before = app.tg.sent_to(GROUP).len();
    app.tg.send_text(GROUP, MEMBER, "/report now");
    let (_, report) = app
        .tg
        .wait_message(GROUP, before, "the report", |s| {
            s.text.starts_with("📊 <b>")
        })
        .await;
    let report = report.plain();
    assert!(report.starts_with("📊 Отчёт о балансах — "), "{report}");
    assert!(report.contains("Первый отчёт в этом чате"), "{report}");
    assert!(report.contains("Пороги, пересечённые сейчас"), "{report}");
    app.tg.assert_no_refusals();
}

/// `setMyCommands` once per language and scope: Telegram shows each user the menu of their
/// app's language (English for the rest); the admins' own commands stay in English in theirs.
#[tokio::test]
async fn the_command_menu_is_registered_in_every_language() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    let default = json!({ "type": "default" });
    let admin = json!({ "type": "chat", "chat_id": ADMIN });
    for lang in Lang::ALL {
        let code = if lang == Lang::En { "" } else { lang.code() };
        let users = app
            .tg
            .menu_in(&default, code)
            .unwrap_or_else(|| panic!("{lang}"));
        let admins = app
            .tg
            .menu_in(&admin, code)
            .unwrap_or_else(|| panic!("{lang}"));
        assert_eq!(users.len(), 13, "{lang}");
        assert_eq!(admins.len(), 17, "{lang}");
        let balance = &users.iter().find(|(c, _)| c == "balance").unwrap().1;
        assert_eq!(*balance, texts::menu_description(lang, "balance").unwrap());
        let allow = &admins.iter().find(|(c, _)| c == "allow").unwrap().1;
        assert_eq!(allow, "admin: allow a user or group id");
    }
    let ru = app.tg.menu_in(&default, "ru").unwrap();
    assert_eq!(
        ru[0],
        ("start".into(), "что умеет бот и ваш ID пользователя".into())
    );
    assert_eq!(app.tg.menus().len(), 12);
    app.tg.assert_no_refusals();
}

/// A group that became a supergroup keeps the language it set.
#[tokio::test]
async fn a_migrated_group_keeps_its_language() {
    let app = TestApp::spawn(account(), Setup::default()).await;
    let store = app.store().await;
    store
        .set_chat_language(ids::chat(GROUP), Some("tr"))
        .await
        .unwrap();
    assert!(
        store
            .migrate_chat(ids::chat(GROUP), ids::chat(-1_000_000_005_005))
            .await
            .unwrap()
    );
    let moved = store
        .chat_language(ids::chat(-1_000_000_005_005))
        .await
        .unwrap();
    assert_eq!(moved.set.as_deref(), Some("tr"));
    assert_eq!(
        store.chat_language(ids::chat(GROUP)).await.unwrap().set,
        None
    );
}
