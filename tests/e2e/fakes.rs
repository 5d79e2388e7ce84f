//! The fakes themselves: they must behave like Telegram and OxaPay, or every other test proves
//! less than it claims. Driven with teloxide's own client (as the bot talks to Telegram) and
//! reqwest (as the bot talks to OxaPay).

use std::time::Duration;

use serde_json::{Value, json};
use teloxide::prelude::*;
use teloxide::types::{
    BotCommand, BotCommandScope, CallbackQueryId, InlineKeyboardButton, InlineKeyboardMarkup,
    InputFile, MessageId, ParseMode, Recipient, UpdateKind,
};
use teloxide::{ApiError, RequestError};

use crate::support::html::{TextKind, check_text, parse_html};
use crate::support::oxapay::Gate;
use crate::support::telegram::{PhotoSource, is_broadcast};
use crate::support::{ADMIN, Endpoint, FakeOxaPay, FakeTelegram, KEY, OxaReply, TOKEN, TgFault};

/// Telegram's HTML rules, case by case (descriptions as Telegram words them).
#[test]
fn the_html_rules_are_telegrams() {
    let accepted = [
        (
            "<b>bold</b> <strong>s</strong> <i>i</i> <em>e</em>",
            "bold s i e",
        ),
        (
            "<u>u</u><ins>i</ins><s>s</s><strike>t</strike><del>d</del>",
            "uistd",
        ),
        (
            "<a href=\"https://oxapay.com/?a=1&amp;b=2\">link</a>",
            "link",
        ),
        (
            "<pre><code class=\"language-rust\">let x;</code></pre>",
            "let x;",
        ),
        ("<code>x</code> <pre>p</pre>", "x p"),
        (
            "<span class=\"tg-spoiler\">s</span><tg-spoiler>t</tg-spoiler>",
            "st",
        ),
        (
            "<blockquote>q</blockquote><blockquote expandable>e</blockquote>",
            "qe",
        ),
        (
            "<tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji>",
            "👍",
        ),
        (
            "a &lt; b &amp;&amp; c &gt; d &quot;q&quot; &#65;&#x42;",
            "a < b && c > d \"q\" AB",
        ),
        ("1 > 0, and “quotes”", "1 > 0, and “quotes”"),
        ("<B>upper</b>", "upper"),
        ("<b>nested <i>fine</i></b>", "nested fine"),
    ];
    for (html, plain) in accepted {
        assert_eq!(parse_html(html).as_deref(), Ok(plain), "{html}");
    }
    assert_eq!(
        parse_html("<b>x</>"),
        Ok("x".to_owned()),
        "an empty end tag closes the open one"
    );
    let refused = [
        ("a < b", "Unsupported start tag \"\" at byte offset 2"),
        ("<br>", "Unsupported start tag \"br\" at byte offset 0"),
        (
            "<b>bold",
            "Can't find end tag corresponding to start tag \"b\"",
        ),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        // `</>` closes the open tag; with none open it is an end tag out of place.
        (
            "closing by </> works for <b>x</>",
            "Unexpected end tag at byte offset 11",
        ),
        (
            "<b>x</i>",
            "Unmatched end tag at byte offset 4, expected \"</b>\", found \"</i>\"",
        ),
        (
            "<b>x</B>",
            "Unmatched end tag at byte offset 4, expected \"</b>\", found \"</B>\"",
        ),
        (
            "AT&T",
            "Character \"&\" at byte offset 2 must be escaped as \"&amp;\"",
        ),
        (
            "&nbsp;",
            "Character \"&\" at byte offset 0 must be escaped as \"&amp;\"",
        ),
        (
            "<span>x</span>",
            "Tag \"span\" must have class \"tg-spoiler\" at byte offset 0",
        ),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        (
            "<a href>x</a>",
            "Expected equal sign in declaration of an attribute of the tag \"a\" at byte offset 0",
        ),
        (
            "<tg-emoji>x</tg-emoji>",
            "Invalid custom emoji identifier specified",
        ),
    ];
    for (html, why) in refused {
        assert_eq!(parse_html(html), Err(why.to_owned()), "{html}");
        assert_eq!(
            check_text(html, Some("HTML"), TextKind::Message),
            Err(format!("Bad Request: can't parse entities: {why}"))
        );
    }
    let message = |t: &str| check_text(t, Some("HTML"), TextKind::Message);
    assert_eq!(
        message(""),
        Err("Bad Request: message text is empty".into())
    );
    assert_eq!(
        message(" \n "),
        Err("Bad Request: message text is empty".into())
    );
    assert_eq!(
        message("<b></b>"),
        Err("Bad Request: message text is empty".into())
    );
    // Counted in UTF-16 units of the text after parsing.
    assert!(message(&"x".repeat(4096)).is_ok());
    assert_eq!(
        message(&"x".repeat(4097)),
        Err("Bad Request: message is too long".into())
    );
    assert!(
        message(&"&amp;".repeat(4096)).is_ok(),
        "4096 characters once parsed"
    );
    assert!(message(&format!("<b>{}</b>", "x".repeat(4096))).is_ok());
    assert_eq!(
        message(&"😀".repeat(2049)),
        Err("Bad Request: message is too long".into())
    );
    assert!(message(&"😀".repeat(2048)).is_ok());
    // Without a parse mode the text is taken as it is.
    assert!(check_text("a < b & c", None, TextKind::Message).is_ok());
    // Captions: 1024, and may be empty.
    let caption = |t: &str| check_text(t, Some("HTML"), TextKind::Caption);
    assert!(caption("").is_ok() && caption(&"x".repeat(1024)).is_ok());
    assert_eq!(
        caption(&"x".repeat(1025)),
        Err("Bad Request: message caption is too long".into())
    );
    assert!(!is_broadcast("Alert set: …") && is_broadcast("✅ BTC recovered: 2 (alert level 1)"));
}

fn client(tg: &FakeTelegram) -> Bot {
    Bot::new(TOKEN).set_api_url(reqwest::Url::parse(&tg.url).unwrap())
}

fn api_error(r: Result<impl std::fmt::Debug, RequestError>) -> ApiError {
    match r {
        Err(RequestError::Api(e)) => e,
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// A 2×1 PNG (signature and header are what the fake looks at).
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x01\x08\x02\x00\x00\x00";

#[tokio::test]
async fn the_fake_telegram_takes_messages_as_telegram_does() {
    let tg = FakeTelegram::start().await;
    let bot = client(&tg);
    let chat = ChatId(ADMIN);
    let mut sent_rx = tg.subscribe_sent();

    let m = bot
        .send_message(chat, "<b>Hello</b> &amp; bye")
        .parse_mode(ParseMode::Html)
        .await
        .unwrap();
    assert_eq!(m.text(), Some("Hello & bye"));
    let sent = sent_rx.recv().await.unwrap();
    assert_eq!(
        (sent.text.as_str(), sent.plain()),
        ("<b>Hello</b> &amp; bye", "Hello & bye".to_owned())
    );
    assert_eq!(sent.parse_mode.as_deref(), Some("HTML"));

    let e = api_error(
        bot.send_message(chat, "a <br> b")
            .parse_mode(ParseMode::Html)
            .await,
    );
    assert_eq!(
        e,
        ApiError::CantParseEntities(
            "Bad Request: can't parse entities: Unsupported start tag \"br\" at byte offset 2"
                .into()
        )
    );
    let e = api_error(bot.send_message(chat, "x".repeat(4097)).await);
    assert_eq!(e, ApiError::MessageIsTooLong);
    let e = api_error(bot.send_message(chat, " ").await);
    assert_eq!(e, ApiError::MessageTextIsEmpty);
    let refusals = tg.refusals();
    assert_eq!(refusals.len(), 3);
    assert_eq!(refusals[0].method, "sendMessage");
    assert_eq!(refusals[0].chat_id, Some(ADMIN));
    assert_eq!(refusals[0].text, "a <br> b");
    assert_eq!(refusals[1].description, "Bad Request: message is too long");
    assert_eq!(tg.sent().len(), 1, "refused messages are not sent");

    // Edits: validated the same way, and refused when nothing changes or nothing is there.
    let keyboard =
        InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Refresh", "refresh")]]);
    let m = bot
        .send_message(chat, "v1")
        .reply_markup(keyboard.clone())
        .await
        .unwrap();
    assert!(m.reply_markup().is_some());
    let kept = tg.sent().pop().unwrap().reply_markup.unwrap();
    assert_eq!(kept["inline_keyboard"][0][0]["text"], "Refresh");
    bot.edit_message_text(chat, m.id, "<i>v2</i>")
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard.clone())
        .await
        .unwrap();
    let e = api_error(
        bot.edit_message_text(chat, m.id, "<i>v2</i>")
            .parse_mode(ParseMode::Html)
            .reply_markup(keyboard)
            .await,
    );
    assert!(matches!(e, ApiError::MessageNotModified), "{e:?}");
    let e = api_error(bot.edit_message_text(chat, MessageId(9999), "x").await);
    assert_eq!(e, ApiError::MessageToEditNotFound);
    let e = api_error(
        bot.edit_message_text(chat, m.id, "<b>")
            .parse_mode(ParseMode::Html)
            .await,
    );
    assert!(matches!(e, ApiError::CantParseEntities(_)), "{e:?}");
    let edits = tg.edits();
    assert_eq!(edits.len(), 1);
    assert_eq!(
        (
            edits[0].chat_id,
            edits[0].message_id,
            edits[0].text.as_str()
        ),
        (ADMIN, m.id.0 as i64, "<i>v2</i>")
    );
    assert_eq!(edits[0].parse_mode.as_deref(), Some("HTML"));
    assert_eq!(
        edits[0].reply_markup.as_ref().unwrap()["inline_keyboard"][0][0]["callback_data"],
        "refresh"
    );

    // Photos: multipart uploads recorded byte for byte, captions validated (1024).
    let p = bot
        .send_photo(chat, InputFile::memory(PNG).file_name("chart.png"))
        .caption("<b>BTC</b>, 30 days")
        .parse_mode(ParseMode::Html)
        .await
        .unwrap();
    assert_eq!(p.caption(), Some("BTC, 30 days"));
    assert_eq!(
        (p.photo().unwrap()[0].width, p.photo().unwrap()[0].height),
        (2, 1)
    );
    let photos = tg.photos();
    assert_eq!(photos[0].bytes(), PNG);
    assert_eq!(
        photos[0].source,
        PhotoSource::Upload {
            bytes: PNG.to_vec(),
            file_name: Some("chart.png".into())
        }
    );
    assert_eq!(photos[0].caption.as_deref(), Some("<b>BTC</b>, 30 days"));
    assert_eq!(photos[0].parse_mode.as_deref(), Some("HTML"));
    assert!(photos[0].reply_markup.is_none());
    assert_eq!(
        (photos[0].chat_id, photos[0].message_id),
        (ADMIN, p.id.0 as i64)
    );
    let e = api_error(
        bot.send_photo(chat, InputFile::memory(&b"not an image"[..]))
            .await,
    );
    assert_eq!(e, ApiError::ImageProcessFailed);
    let e = api_error(
        bot.send_photo(chat, InputFile::memory(PNG))
            .caption("x".repeat(1025))
            .await,
    );
    assert_eq!(
        e,
        ApiError::Unknown("Bad Request: message caption is too long".into())
    );
    bot.send_photo(chat, InputFile::file_id("AgAD-known".into()))
        .await
        .unwrap();
    assert_eq!(
        tg.photos()[1].source,
        PhotoSource::Reference("AgAD-known".into())
    );
    let e = api_error(bot.edit_message_text(chat, p.id, "x").await);
    assert!(
        matches!(e, ApiError::Unknown(ref d) if d == "Bad Request: there is no text in the message to edit"),
        "{e:?}"
    );

    let calls = tg.calls("sendMessage");
    assert_eq!(calls, 5);
    assert_eq!(tg.attempts().len(), 14);
    assert!(tg.attempts().iter().all(|a| a.chat_id == Some(ADMIN)));
}

#[tokio::test]
async fn the_fake_telegram_delivers_every_kind_of_update() {
    let tg = FakeTelegram::start().await;
    let bot = client(&tg);
    let asked = tg.send_text(ADMIN, ADMIN, "/help");
    let photo = tg.send_user_photo(-5, 7, Some("look"));
    tg.edit_user_message(ADMIN, ADMIN, asked.message_id, "/start")
        .expect("edits are among the default kinds");
    let (to, from) = tg.migrate(-4004, -1_000_000_004_004, 7);
    tg.push_update("my_chat_member", json!({
        "chat": { "id": -5, "type": "group", "title": "Team" },
        "from": { "id": 7, "is_bot": false, "first_name": "U" },
        "date": 0,
        "old_chat_member": { "user": { "id": 999, "is_bot": true, "first_name": "B" }, "status": "left" },
        "new_chat_member": { "user": { "id": 999, "is_bot": true, "first_name": "B" }, "status": "member" }
    }))
    .expect("my_chat_member is among the default kinds");
    let updates = bot.get_updates().await.unwrap();
    assert!(tg.first_poll().is_some());
    assert_eq!(updates.len(), 6);
    assert!(tg.handed_at(asked.update_id).is_some());
    match &updates[0].kind {
        UpdateKind::Message(m) => assert_eq!(m.text(), Some("/help")),
        other => panic!("{other:?}"),
    }
    match &updates[1].kind {
        UpdateKind::Message(m) => {
            assert_eq!((m.chat.id, m.id.0 as i64), (ChatId(-5), photo.message_id));
            assert_eq!(m.caption(), Some("look"));
            assert_eq!(m.photo().unwrap().len(), 2);
        }
        other => panic!("{other:?}"),
    }
    match &updates[2].kind {
        UpdateKind::EditedMessage(m) => {
            assert_eq!(
                (m.id.0 as i64, m.text()),
                (asked.message_id, Some("/start"))
            );
            assert!(m.edit_date().is_some());
        }
        other => panic!("{other:?}"),
    }
    match (&updates[3].kind, &updates[4].kind) {
        (UpdateKind::Message(old), UpdateKind::Message(new)) => {
            assert_eq!(old.chat.id, ChatId(-4004));
            assert_eq!(old.migrate_to_chat_id(), Some(&ChatId(-1_000_000_004_004)));
            assert_eq!(new.chat.id, ChatId(-1_000_000_004_004));
            assert!(new.chat.is_supergroup());
            assert_eq!(new.migrate_from_chat_id(), Some(&ChatId(-4004)));
            assert_eq!(
                (old.id.0 as i64, new.id.0 as i64),
                (to.message_id, from.message_id)
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(updates[5].kind, UpdateKind::MyChatMember(_)));
    // An offset confirms every earlier update for good.
    let last = updates[5].id.0 as i32;
    let again = bot.get_updates().offset(last + 1).timeout(0).await.unwrap();
    assert!(again.is_empty());

    // A button under the bot's message: the press arrives, the answer is recorded once.
    let keyboard =
        InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Refresh", "refresh")]]);
    let m = bot
        .send_message(ChatId(ADMIN), "balances")
        .reply_markup(keyboard)
        .await
        .unwrap();
    let id = tg.press_button(ADMIN, ADMIN, m.id.0 as i64, "refresh");
    let updates = bot.get_updates().offset(last + 1).await.unwrap();
    match &updates[0].kind {
        UpdateKind::CallbackQuery(q) => {
            assert_eq!(
                (q.id.0.as_str(), q.data.as_deref()),
                (id.as_str(), Some("refresh"))
            );
            assert_eq!(q.from.id, UserId(ADMIN as u64));
            let message = q.regular_message().unwrap();
            assert_eq!((message.id, message.text()), (m.id, Some("balances")));
            assert!(message.reply_markup().is_some());
        }
        other => panic!("{other:?}"),
    }
    bot.answer_callback_query(CallbackQueryId(id.clone()))
        .text("Refreshed")
        .await
        .unwrap();
    let e = api_error(bot.answer_callback_query(CallbackQueryId(id.clone())).await);
    assert!(format!("{e:?}").contains("query is too old"), "{e:?}");
    assert_eq!(tg.callback_answers().len(), 1);
    assert_eq!(tg.callback_answers()[0].text.as_deref(), Some("Refreshed"));
    assert!(!tg.callback_answers()[0].show_alert);
    assert_eq!(tg.callback_answers()[0].callback_query_id, id);
    tg.stop();
    assert!(
        bot.get_me().await.is_err(),
        "a stopped fake answers nothing"
    );
}

#[tokio::test]
async fn the_fake_telegram_checks_command_menus_as_telegram_does() {
    let tg = FakeTelegram::start().await;
    let bot = client(&tg);
    for (command, description, why) in [
        ("Balance", "x", "BOT_COMMAND_INVALID"),
        ("bal-ance", "x", "BOT_COMMAND_INVALID"),
        ("", "x", "BOT_COMMAND_INVALID"),
        (&"a".repeat(33), "x", "BOT_COMMAND_INVALID"),
        ("balance", "", "BOT_COMMAND_DESCRIPTION_INVALID"),
        (
            "balance",
            &"d".repeat(257),
            "BOT_COMMAND_DESCRIPTION_INVALID",
        ),
    ] {
        let e = api_error(
            bot.set_my_commands([BotCommand::new(command, description)])
                .await,
        );
        assert_eq!(
            e,
            ApiError::Unknown(format!("Bad Request: {why}")),
            "{command:?}"
        );
    }
    let many: Vec<BotCommand> = (0..101)
        .map(|i| BotCommand::new(format!("c{i}"), "d"))
        .collect();
    let e = api_error(bot.set_my_commands(many).await);
    assert_eq!(
        e,
        ApiError::Unknown("Bad Request: BOT_COMMANDS_TOO_MUCH".into())
    );
    assert_eq!(tg.refusals().len(), 7);

    bot.set_my_commands([
        BotCommand::new("/balance", "balances"),
        BotCommand::new("a_1", "d"),
    ])
    .await
    .unwrap();
    let scope = BotCommandScope::Chat {
        chat_id: Recipient::Id(ChatId(ADMIN)),
    };
    bot.set_my_commands([BotCommand::new("users", "who")])
        .scope(scope.clone())
        .language_code("de")
        .await
        .unwrap();
    assert_eq!(
        tg.menu(&json!({ "type": "default" })),
        Some(vec![
            ("balance".into(), "balances".into()),
            ("a_1".into(), "d".into())
        ])
    );
    let menus = tg.menus();
    assert_eq!(menus.len(), 2);
    let admin = menus.iter().find(|m| m.language_code.is_some()).unwrap();
    assert_eq!(admin.scope, json!({ "type": "chat", "chat_id": ADMIN }));
    assert_eq!(admin.language_code.as_deref(), Some("de"));
    let got = bot
        .get_my_commands()
        .scope(scope.clone())
        .language_code("de")
        .await
        .unwrap();
    assert_eq!(got, [BotCommand::new("users", "who")]);
    bot.delete_my_commands()
        .scope(scope)
        .language_code("de")
        .await
        .unwrap();
    assert_eq!(tg.menus().len(), 1);
}

#[tokio::test]
async fn the_fake_telegram_serves_faults_as_telegram_words_them() {
    let tg = FakeTelegram::start().await;
    let bot = client(&tg);
    tg.fail_sends([TgFault::retry_after(2)]);
    tg.set_chat_fault(-5, Some(TgFault::not_enough_rights()));
    assert!(matches!(
        bot.send_message(ChatId(1), "x").await,
        Err(RequestError::RetryAfter(s)) if s.seconds() == 2
    ));
    assert_eq!(
        api_error(bot.send_message(ChatId(-5), "x").await),
        ApiError::Unknown(
            "Bad Request: not enough rights to send text messages to the chat".into()
        )
    );
    tg.set_chat_fault(-5, Some(TgFault::migrated(-1_000_000_000_005)));
    assert!(matches!(
        bot.send_message(ChatId(-5), "x").await,
        Err(RequestError::MigrateToChatId(c)) if c == ChatId(-1_000_000_000_005)
    ));
    tg.set_chat_fault(-5, None);
    bot.send_message(ChatId(-5), "x").await.unwrap();
    tg.fail_get_updates([TgFault::conflict()]);
    assert!(matches!(
        bot.get_updates().await,
        Err(RequestError::Api(ApiError::TerminatedByOtherGetUpdates))
    ));
    let attempts = tg.wait_attempts("sendMessage", 4).await;
    let failures: Vec<Option<&str>> = attempts.iter().map(|a| a.failure.as_deref()).collect();
    assert_eq!(
        failures,
        [
            Some("429 Too Many Requests: retry after 2"),
            Some("400 Bad Request: not enough rights to send text messages to the chat"),
            Some("400 Bad Request: group chat was upgraded to a supergroup chat"),
            None,
        ]
    );
    assert_eq!(tg.refusals().len(), 0, "injected faults are not refusals");
    // A held chat: its sends wait, unanswered, until the gate opens; other chats' do not.
    let gate = Gate::new();
    tg.hold_chat(-6, &gate);
    let slow = tokio::spawn({
        let bot = bot.clone();
        async move { bot.send_message(ChatId(-6), "x").await }
    });
    tg.wait_held(-6).await;
    bot.send_message(ChatId(-7), "y").await.unwrap();
    assert!(tg.is_held(-6) && !slow.is_finished());
    gate.open();
    slow.await.unwrap().unwrap();
    assert!(!tg.is_held(-6));
    assert_eq!(tg.sent_to(-6).len(), 1);
    let wrong = Bot::new("42:wrong").set_api_url(reqwest::Url::parse(&tg.url).unwrap());
    assert_eq!(api_error(wrong.get_me().await), ApiError::InvalidToken);
    assert!(tg.tokens_seen().contains("42:wrong"));

    // Under a path prefix, only the prefixed path is the Bot API.
    let proxied = FakeTelegram::start_under("/tg").await;
    assert!(proxied.url.ends_with("/tg"));
    let http = reqwest::Client::new();
    let status = |url: String| {
        let http = http.clone();
        async move {
            http.post(url)
                .json(&json!({}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(
        status(format!("{}/bot{TOKEN}/getMe", proxied.url)).await,
        200
    );
    let bare = proxied.url.trim_end_matches("/tg").to_owned();
    assert_eq!(status(format!("{bare}/bot{TOKEN}/getMe")).await, 404);
}

async fn get(url: &str, headers: &[(&str, &str)]) -> (u16, Option<String>, String) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut req = client.get(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let r = req.send().await.unwrap();
    let location = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    (r.status().as_u16(), location, r.text().await.unwrap())
}

#[tokio::test]
async fn the_fake_oxapay_serves_the_legacy_and_v1_apis() {
    let oxa = FakeOxaPay::start(OxaReply::balances(&[
        ("BTC", "0.00000001"),
        ("USDT", "12345678901234567.89"),
    ]))
    .await;
    let http = reqwest::Client::new();

    // Legacy: POST, key in the body, amounts as strings.
    let body = http
        .post(format!("{}/api/balance", oxa.url()))
        .json(&json!({ "key": KEY, "currency": "BTC" }))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["result"], 100);
    assert_eq!(
        v["data"],
        json!({ "BTC": "0.00000001" }),
        "the currency asked for"
    );

    // v1: GET, key in the general_api_key header, amounts as numbers with every digit.
    let url = format!("{}/v1/general/account/balance", oxa.url());
    let (status, _, body) = get(&url, &[]).await;
    assert_eq!(status, 401);
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (v["status"].as_u64(), v["error"]["key"].as_str()),
        (Some(401), Some("invalid_api_key"))
    );
    let (status, _, body) = get(&url, &[("general_api_key", "general-key-1")]).await;
    assert_eq!(status, 200);
    assert!(
        body.contains(r#""data":{"BTC":0.00000001,"USDT":12345678901234567.89}"#),
        "{body}"
    );
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (v["status"].as_u64(), v["version"].as_str()),
        (Some(200), Some("1.0.0"))
    );
    assert_eq!(v["error"], json!({}));
    let (_, _, body) = get(&format!("{url}?currency=usdt"), &[("general_api_key", "k")]).await;
    assert!(
        body.contains(r#""data":{"USDT":12345678901234567.89}"#),
        "{body}"
    );
    oxa.require_general_key("general-key-1");
    assert_eq!(get(&url, &[("general_api_key", "other")]).await.0, 401);
    assert_eq!(
        get(&url, &[("general_api_key", "general-key-1")]).await.0,
        200
    );

    // Prices: no key, their own script; unavailable until a test sets them.
    let prices = format!("{}/v1/common/prices", oxa.url());
    let (status, _, body) = get(&prices, &[]).await;
    assert_eq!(status, 503, "{body}");
    oxa.set_prices(OxaReply::prices(&[("BTC", "94876.55"), ("USDT", "1")]));
    let (status, _, body) = get(&prices, &[]).await;
    assert_eq!(status, 200);
    assert!(
        body.contains(r#""data":{"BTC":94876.55,"USDT":1}"#),
        "{body}"
    );
    oxa.set_prices(OxaReply::prices(&[("ETH", "3301.45")]));
    oxa.push_prices(OxaReply::v1_error(503, "maintenance", "Under maintenance"));
    assert_eq!(get(&prices, &[]).await.0, 503);
    assert!(
        get(&prices, &[])
            .await
            .2
            .contains(r#""data":{"ETH":3301.45}"#)
    );

    // Every request is recorded with its headers; a path the fake does not serve is a 404.
    assert_eq!(
        get(&format!("{}/v1/general/swap", oxa.url()), &[]).await.0,
        404
    );
    let requests = oxa.requests();
    assert_eq!(requests[0].endpoint, Some(Endpoint::LegacyBalance));
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].json()["key"], KEY);
    assert_eq!(requests[1].header("general_api_key"), None);
    assert_eq!(requests[2].header("GENERAL_API_KEY"), Some("general-key-1"));
    assert_eq!(requests[3].query.as_deref(), Some("currency=usdt"));
    assert_eq!(requests.last().unwrap().endpoint, None);
    assert_eq!(requests.last().unwrap().path, "/v1/general/swap");
    assert_eq!(oxa.calls(), 6, "balance requests, legacy and v1");
    assert_eq!(oxa.calls_to(Endpoint::V1Balance), 5);
    assert_eq!(oxa.calls_to(Endpoint::Prices), 4);
}

#[tokio::test]
async fn the_fake_oxapay_redirects_streams_holds_and_sits_under_a_prefix() {
    let elsewhere = FakeOxaPay::start(OxaReply::balances(&[("BTC", "999")])).await;
    let oxa = FakeOxaPay::start_under("/oxapay", OxaReply::balances(&[("BTC", "1")])).await;
    assert!(oxa.url().ends_with("/oxapay"));
    let url = format!("{}/v1/general/account/balance?currency=BTC", oxa.url());
    let key = [("general_api_key", "k")];
    assert_eq!(get(&url, &key).await.0, 200);
    let bare = format!("http://{}/v1/general/account/balance", oxa.addr);
    assert_eq!(get(&bare, &key).await.0, 404, "the prefix is required");

    // A redirect to the same endpoint on another host.
    oxa.push(OxaReply::redirect_to(&elsewhere, 307));
    let (status, location, _) = get(&url, &key).await;
    assert_eq!(status, 307);
    assert_eq!(
        location.as_deref(),
        Some(
            format!(
                "{}/v1/general/account/balance?currency=BTC",
                elsewhere.url()
            )
            .as_str()
        )
    );
    assert_eq!(elsewhere.calls(), 0);

    // An oversized answer, streamed: the client decides how much of it to read.
    oxa.push(OxaReply::huge(50 << 20, &[("BTC", "1")]));
    let mut r = reqwest::Client::new()
        .get(&url)
        .header("general_api_key", "k")
        .send()
        .await
        .unwrap();
    assert!(r.content_length().is_none(), "no length announced");
    let mut read = 0;
    while let Some(chunk) = r.chunk().await.unwrap() {
        read += chunk.len();
        if read > 1 << 20 {
            break;
        }
    }
    drop(r);
    assert!(
        oxa.streamed_bytes() < 50 << 20,
        "{} bytes streamed",
        oxa.streamed_bytes()
    );
    oxa.push(OxaReply::huge(300 << 10, &[("BTC", "1")]));
    let (_, _, body) = get(&url, &key).await;
    assert_eq!(body.len(), 300 << 10);
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["status"], 200);

    // An answer held until the test lets it go.
    let gate = Gate::new();
    oxa.push(OxaReply::held(&gate, OxaReply::balances(&[("BTC", "2")])));
    let calls = oxa.calls();
    let held_url = url.clone();
    let waiting = tokio::spawn(async move { get(&held_url, &[("general_api_key", "k")]).await });
    oxa.wait_calls(calls + 1).await;
    assert!(!waiting.is_finished(), "held until the gate opens");
    gate.open();
    let (_, _, body) = waiting.await.unwrap();
    assert!(body.contains(r#""data":{"BTC":2}"#), "{body}");
    // And a slow one.
    oxa.push(OxaReply::slow(
        Duration::from_millis(200),
        OxaReply::balances(&[("BTC", "3")]),
    ));
    let started = std::time::Instant::now();
    let (_, _, body) = get(&url, &key).await;
    assert!(body.contains(r#""data":{"BTC":3}"#), "{body}");
    assert!(started.elapsed() >= Duration::from_millis(200));
}

/// A Bot API call with a raw JSON body (for what teloxide's types cannot express); returns the
/// HTTP status and Telegram's `description` (`None` when the call succeeded).
async fn call(tg: &FakeTelegram, method: &str, body: Value) -> (u16, Option<String>) {
    let r = reqwest::Client::new()
        .post(format!("{}/bot{TOKEN}/{method}", tg.url))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["ok"], status == 200, "{v}");
    (status, v["description"].as_str().map(str::to_owned))
}

/// What Telegram answers a call it refuses: 400 and this description.
fn refused(description: &str) -> (u16, Option<String>) {
    (400, Some(description.to_owned()))
}

fn accepted() -> (u16, Option<String>) {
    (200, None)
}

/// Telegram creates only the update kinds the bot asked for (`allowed_updates` of `getUpdates`
/// or `setWebhook`, kept until asked again; by default all but `chat_member` and reactions), and
/// a change does not reach back to updates already created.
#[tokio::test]
async fn the_fake_telegram_creates_only_the_update_kinds_the_bot_asked_for() {
    use teloxide::types::AllowedUpdate;
    let tg = FakeTelegram::start().await;
    let bot = client(&tg);
    let member_update = || {
        json!({
            "chat": { "id": -5, "type": "group", "title": "Team" },
            "from": { "id": 7, "is_bot": false, "first_name": "U" },
            "date": 0,
            "old_chat_member": { "user": { "id": 8, "is_bot": false, "first_name": "V" }, "status": "left" },
            "new_chat_member": { "user": { "id": 8, "is_bot": false, "first_name": "V" }, "status": "member" }
        })
    };
    // The default: no chat_member updates.
    assert_eq!(tg.allowed_updates(), None);
    assert_eq!(tg.push_update("chat_member", member_update()), None);
    let before = tg.send_text(ADMIN, ADMIN, "/help");
    let updates = bot
        .get_updates()
        .allowed_updates([AllowedUpdate::Message])
        .await
        .unwrap();
    assert_eq!(updates.len(), 1, "{updates:?}");
    assert_eq!(updates[0].id.0 as i64, before.update_id);
    assert_eq!(tg.allowed_updates(), Some(vec!["message".to_owned()]));

    // Messages only: a press and an edit are never created, a message is.
    let m = bot
        .send_message(ChatId(ADMIN), "balances")
        .reply_markup(InlineKeyboardMarkup::new([[
            InlineKeyboardButton::callback("Refresh", "refresh"),
        ]]))
        .await
        .unwrap();
    let press = json!({
        "id": "cbq-x", "from": { "id": ADMIN, "is_bot": false, "first_name": "U" },
        "chat_instance": "ci", "data": "refresh",
        "message": { "message_id": m.id.0, "date": 0, "chat": { "id": ADMIN, "type": "private", "first_name": "U" }, "text": "balances" }
    });
    assert_eq!(tg.push_update("callback_query", press.clone()), None);
    assert_eq!(
        tg.edit_user_message(ADMIN, ADMIN, before.message_id, "/x"),
        None
    );
    let after = tg.send_text(ADMIN, ADMIN, "/start");
    assert_eq!(tg.dropped_updates().len(), 3);
    assert_eq!(tg.dropped_updates()[0]["chat_member"]["chat"]["id"], -5);
    // A poll without `allowed_updates` keeps the setting.
    let offset = updates[0].id.as_offset();
    let updates = bot.get_updates().offset(offset).await.unwrap();
    assert_eq!(
        updates.iter().map(|u| u.id.0 as i64).collect::<Vec<_>>(),
        [after.update_id]
    );
    assert_eq!(tg.allowed_updates(), Some(vec!["message".to_owned()]));

    // Asking for presses: they are created from then on; chat_member by name too.
    let offset = updates[0].id.as_offset();
    bot.get_updates()
        .offset(offset)
        .timeout(0)
        .allowed_updates([AllowedUpdate::CallbackQuery, AllowedUpdate::ChatMember])
        .await
        .unwrap();
    assert!(tg.push_update("callback_query", press).is_some());
    assert!(tg.push_update("chat_member", member_update()).is_some());
    let message = json!({ "message_id": 99, "date": 0, "chat": { "id": ADMIN, "type": "private", "first_name": "U" }, "text": "/help" });
    assert_eq!(
        tg.push_update("message", message),
        None,
        "messages are no longer asked for"
    );
    let updates = bot.get_updates().offset(offset).await.unwrap();
    assert!(matches!(updates[0].kind, UpdateKind::CallbackQuery(_)));
    assert!(matches!(updates[1].kind, UpdateKind::ChatMember(_)));
    assert_eq!(updates.len(), 2);

    // An empty list is the default set again; so is a list of names Telegram does not know.
    let offset = updates[1].id.as_offset();
    for list in [json!([]), json!(["reactions", "everything"])] {
        call(
            &tg,
            "getUpdates",
            json!({ "offset": offset, "timeout": 0, "allowed_updates": ["poll"] }),
        )
        .await;
        assert_eq!(tg.allowed_updates(), Some(vec!["poll".to_owned()]));
        let answer = call(
            &tg,
            "getUpdates",
            json!({ "offset": offset, "timeout": 0, "allowed_updates": list }),
        )
        .await;
        assert_eq!(answer, accepted());
        assert_eq!(tg.allowed_updates(), None, "{list}");
    }

    // setWebhook sets the list the same way.
    let hook = json!({ "url": "https://bot.example.com/hook", "allowed_updates": ["message", "Callback_Query"] });
    assert_eq!(call(&tg, "setWebhook", hook).await, accepted());
    assert_eq!(
        tg.allowed_updates(),
        Some(vec!["message".to_owned(), "callback_query".to_owned()])
    );
}

/// `reply_markup` read as Telegram reads it, with its descriptions: JSON, an object, rows of
/// buttons, each with a text and exactly one action; `callback_data` 1–64 bytes; URL buttons with
/// an http(s), `tg:` or `ton:` link. The same for edits and photos; every refusal is recorded.
#[tokio::test]
async fn the_fake_telegram_checks_inline_keyboards_as_telegram_does() {
    let tg = FakeTelegram::start().await;
    let send = |markup: Value| {
        call(
            &tg,
            "sendMessage",
            json!({ "chat_id": ADMIN, "text": "x", "reply_markup": markup }),
        )
    };
    let button = |b: Value| json!({ "inline_keyboard": [[b]] });
    let parse = |why: &str| {
        refused(&format!(
            "Bad Request: can't parse inline keyboard button: {why}"
        ))
    };
    let url = |u: &str, why: &str| {
        refused(&format!(
            "Bad Request: inline keyboard button URL '{u}' is invalid: {why}"
        ))
    };
    let cases = [
        (
            json!("{\"inline_keyboard\": ["),
            refused("Bad Request: can't parse reply keyboard markup JSON object"),
        ),
        (
            json!([]),
            refused("Bad Request: object expected as reply markup"),
        ),
        (
            json!({ "inline_keyboard": "x" }),
            refused("Bad Request: field \"inline_keyboard\" must be of type Array"),
        ),
        (
            json!({ "inline_keyboard": [{ "text": "a", "callback_data": "b" }] }),
            refused(
                "Bad Request: field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays",
            ),
        ),
        (
            json!({ "inline_keyboard": [["a"]] }),
            parse("InlineKeyboardButton must be an Object"),
        ),
        (
            button(json!({ "callback_data": "b" })),
            parse("Can't find field \"text\""),
        ),
        (
            button(json!({ "text": 5, "callback_data": "b" })),
            parse("Field \"text\" must be of type String"),
        ),
        (
            button(json!({ "text": "", "callback_data": "b" })),
            refused("Bad Request: BUTTON_TEXT_INVALID"),
        ),
        (
            button(json!({ "text": "a" })),
            parse("Text buttons are unallowed in the inline keyboard"),
        ),
        (
            button(json!({ "text": "a", "callback_data": "" })),
            parse("Text buttons are unallowed in the inline keyboard"),
        ),
        (
            button(json!({ "text": "a", "callback_data": "x".repeat(65) })),
            refused("Bad Request: BUTTON_DATA_INVALID"),
        ),
        // 33 characters, 66 bytes: the limit is in bytes.
        (
            button(json!({ "text": "a", "callback_data": "é".repeat(33) })),
            refused("Bad Request: BUTTON_DATA_INVALID"),
        ),
        (
            button(json!({ "text": "a", "url": "ftp://example.com" })),
            url("ftp://example.com", "Unsupported URL protocol"),
        ),
        (
            button(json!({ "text": "a", "url": "javascript:alert(1)" })),
            url("javascript:alert(1)", "Unsupported URL protocol"),
        ),
        (
            button(json!({ "text": "a", "url": "not-a-url" })),
            url("not-a-url", "Wrong HTTP URL"),
        ),
        (
            button(json!({ "text": "a", "url": "https://" })),
            url("https://", "URL host is empty"),
        ),
        (
            button(json!({ "text": "a", "url": "https://oxapay.com", "callback_data": "b" })),
            parse(
                "exactly one of the optional fields must be used (the Bot API's rule; Telegram keeps the first and drops the others)",
            ),
        ),
    ];
    for (markup, expected) in &cases {
        assert_eq!(send(markup.clone()).await, *expected, "{markup}");
    }
    assert_eq!(tg.refusals().len(), cases.len());
    assert!(
        tg.refusals()
            .iter()
            .all(|r| r.method == "sendMessage" && r.chat_id == Some(ADMIN))
    );
    assert_eq!(tg.refusals()[0].text, "{\"inline_keyboard\": [");
    assert_eq!(tg.sent().len(), 0, "nothing refused was sent");

    for ok in [
        button(json!({ "text": "a", "callback_data": "x".repeat(64) })),
        button(json!({ "text": "a", "callback_data": "é".repeat(32) })),
        button(json!({ "text": "a", "url": "https://oxapay.com/merchant?x=1" })),
        button(json!({ "text": "a", "url": "http://example.com:8080/a" })),
        button(json!({ "text": "a", "url": "example.com" })),
        button(json!({ "text": "a", "url": "tg://resolve?domain=oxabot" })),
        button(json!({ "text": "a", "switch_inline_query_current_chat": "" })),
        json!({ "inline_keyboard": [] }),
        json!({ "force_reply": true }),
        json!(""),
        Value::Null,
    ] {
        assert_eq!(send(ok.clone()).await, accepted(), "{ok}");
    }
    // As JSON text (multipart sends it so) the same rules hold.
    let as_text =
        json!(button(json!({ "text": "a", "callback_data": "x".repeat(65) })).to_string());
    assert_eq!(
        send(as_text).await,
        refused("Bad Request: BUTTON_DATA_INVALID")
    );

    // Edits and photos are held to the same rules.
    let bot = client(&tg);
    let m = bot.send_message(ChatId(ADMIN), "v1").await.unwrap();
    let long = button(json!({ "text": "a", "callback_data": "x".repeat(65) }));
    let edit =
        json!({ "chat_id": ADMIN, "message_id": m.id.0, "text": "v2", "reply_markup": long });
    assert_eq!(
        call(&tg, "editMessageText", edit).await,
        refused("Bad Request: BUTTON_DATA_INVALID")
    );
    assert_eq!(tg.edits().len(), 0);
    let e = api_error(
        bot.send_photo(ChatId(ADMIN), InputFile::memory(PNG))
            .reply_markup(InlineKeyboardMarkup::new([[
                InlineKeyboardButton::callback("", "b"),
            ]]))
            .await,
    );
    assert_eq!(
        e,
        ApiError::Unknown("Bad Request: BUTTON_TEXT_INVALID".into())
    );
    assert_eq!(tg.photos().len(), 0);
    let methods: Vec<String> = tg
        .refusals()
        .iter()
        .rev()
        .take(2)
        .map(|r| r.method.clone())
        .collect();
    assert_eq!(methods, ["sendPhoto", "editMessageText"]);
}

/// A callback query's popup is 0–200 characters: a longer one is refused and leaves the query
/// unanswered.
#[tokio::test]
async fn the_fake_telegram_refuses_a_popup_over_200_characters() {
    let tg = FakeTelegram::start().await;
    let bot = client(&tg);
    let m = bot
        .send_message(ChatId(ADMIN), "balances")
        .reply_markup(InlineKeyboardMarkup::new([[
            InlineKeyboardButton::callback("Refresh", "refresh"),
        ]]))
        .await
        .unwrap();
    let id = tg.press_button(ADMIN, ADMIN, m.id.0 as i64, "refresh");
    let e = api_error(
        bot.answer_callback_query(CallbackQueryId(id.clone()))
            .text("é".repeat(201))
            .await,
    );
    // (teloxide names Telegram's MESSAGE_TOO_LONG so.)
    assert_eq!(e, ApiError::EditedMessageIsTooLong);
    assert_eq!(
        tg.refusals()[0].description,
        "Bad Request: MESSAGE_TOO_LONG"
    );
    let refusals = tg.refusals();
    assert_eq!(refusals.len(), 1);
    assert_eq!(refusals[0].method, "answerCallbackQuery");
    assert!(tg.callback_answers().is_empty(), "still unanswered");
    bot.answer_callback_query(CallbackQueryId(id.clone()))
        .text("é".repeat(200))
        .show_alert(true)
        .await
        .unwrap();
    assert_eq!(
        tg.callback_answers()[0]
            .text
            .as_deref()
            .map(|t| t.chars().count()),
        Some(200)
    );
}

/// A command menu's scope as Telegram reads it: the scopes that name a chat need its id (and
/// `chat_member` a user's); an unknown type is refused. The same for reading and deleting menus.
#[tokio::test]
async fn the_fake_telegram_checks_command_scopes_as_telegram_does() {
    let tg = FakeTelegram::start().await;
    let commands = json!([{ "command": "balance", "description": "balances" }]);
    let set = |scope: Value| {
        call(
            &tg,
            "setMyCommands",
            json!({ "commands": commands, "scope": scope }),
        )
    };
    let why = |what: &str| refused(&format!("Bad Request: can't parse BotCommandScope: {what}"));
    let cases = [
        (
            json!({ "type": "chat" }),
            why("Can't find field \"chat_id\""),
        ),
        (
            json!({ "type": "chat_administrators" }),
            why("Can't find field \"chat_id\""),
        ),
        (
            json!({ "type": "chat", "chat_id": "" }),
            why("Empty chat_id specified"),
        ),
        (
            json!({ "type": "chat_member", "chat_id": -5 }),
            why("Can't find field \"user_id\""),
        ),
        (
            json!({ "type": "chat_member", "chat_id": -5, "user_id": 0 }),
            why("Invalid user_id specified"),
        ),
        (
            json!({ "type": "planet" }),
            why("Unsupported type specified"),
        ),
        (json!({ "chat_id": 5 }), why("Can't find field \"type\"")),
        (json!([]), why("BotCommandScope must be an Object")),
        (
            json!("{\"type\":"),
            refused("Bad Request: can't parse BotCommandScope JSON object"),
        ),
    ];
    for (scope, expected) in &cases {
        assert_eq!(set(scope.clone()).await, *expected, "{scope}");
    }
    for method in ["getMyCommands", "deleteMyCommands"] {
        let answer = call(&tg, method, json!({ "scope": { "type": "chat" } })).await;
        assert_eq!(answer, why("Can't find field \"chat_id\""), "{method}");
    }
    assert_eq!(tg.refusals().len(), cases.len() + 2);
    assert!(tg.menus().is_empty());
    for scope in [
        json!({ "type": "chat", "chat_id": ADMIN }),
        json!({ "type": "chat_administrators", "chat_id": "@team" }),
        json!({ "type": "chat_member", "chat_id": -5, "user_id": 7 }),
        json!({ "type": "all_group_chats" }),
    ] {
        assert_eq!(set(scope.clone()).await, accepted(), "{scope}");
    }
    assert_eq!(tg.menus().len(), 4);
}
