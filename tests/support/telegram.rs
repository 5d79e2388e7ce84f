//! A fake Telegram Bot API: a real HTTP server on loopback that speaks the Bot API's JSON and
//! multipart, delivers the updates a test injects through long polling (only the kinds the bot
//! asked for with `allowed_updates`, as Telegram creates only those), records what the bot sends,
//! and refuses what Telegram refuses with Telegram's status and description: text and captions
//! (see `html`), inline keyboards, popups, command menus and their scopes. The rules and wordings
//! follow telegram-bot-api's own parsing where it is public.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Map, Value, json};
use tokio::sync::{Notify, mpsc, watch};
use tokio_util::sync::CancellationToken;

use super::html::{TextKind, check_text, plain_text};
use super::oxapay::Gate;
use super::{ADMIN, BOT_ID, BOT_NAME, TOKEN};

/// How long a helper waits for something the bot should do before the test fails. Generous: it
/// only decides how long a broken test takes to say so, never whether a working one passes.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// A failure the fake serves instead of Telegram's normal answer.
#[derive(Clone, Debug)]
pub enum TgFault {
    /// An HTTP status with a raw body (e.g. 502 with an HTML page from a proxy).
    Status(u16, String),
    /// A Bot API error: `{"ok":false,"error_code":…,"description":…,"parameters":…}`.
    Api(u16, String, Option<Value>),
    /// The connection breaks in the middle of the answer.
    BrokenBody,
}

impl TgFault {
    pub fn blocked() -> Self {
        TgFault::Api(403, "Forbidden: bot was blocked by the user".into(), None)
    }
    pub fn kicked() -> Self {
        TgFault::Api(
            403,
            "Forbidden: bot was kicked from the group chat".into(),
            None,
        )
    }
    pub fn chat_not_found() -> Self {
        TgFault::Api(400, "Bad Request: chat not found".into(), None)
    }
    /// What Telegram answers forever in a group where the bot may not write.
    pub fn not_enough_rights() -> Self {
        TgFault::Api(
            400,
            "Bad Request: not enough rights to send text messages to the chat".into(),
            None,
        )
    }
    pub fn retry_after(secs: u64) -> Self {
        TgFault::Api(
            429,
            format!("Too Many Requests: retry after {secs}"),
            Some(json!({ "retry_after": secs })),
        )
    }
    pub fn conflict() -> Self {
        TgFault::Api(
            409,
            "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running".into(),
            None,
        )
    }
    pub fn migrated(to: i64) -> Self {
        TgFault::Api(
            400,
            "Bad Request: group chat was upgraded to a supergroup chat".into(),
            Some(json!({ "migrate_to_chat_id": to })),
        )
    }
    pub fn server_error() -> Self {
        TgFault::Status(502, "<html><body>502 Bad Gateway</body></html>".into())
    }
    fn describe(&self) -> String {
        match self {
            TgFault::Status(code, _) => format!("HTTP {code}"),
            TgFault::Api(code, description, _) => format!("{code} {description}"),
            TgFault::BrokenBody => "broken body".into(),
        }
    }
}

/// A text message Telegram accepted (`sendMessage`), as sent.
#[derive(Clone, Debug)]
pub struct Sent {
    pub message_id: i64,
    pub chat_id: i64,
    pub text: String,
    pub parse_mode: Option<String>,
    pub reply_markup: Option<Value>,
    pub at: Instant,
}

impl Sent {
    /// What the user sees: HTML tags removed and entities decoded.
    pub fn plain(&self) -> String {
        if is_html(&self.parse_mode) {
            plain_text(&self.text)
        } else {
            self.text.clone()
        }
    }
}

fn is_html(mode: &Option<String>) -> bool {
    mode.as_deref()
        .is_some_and(|m| m.eq_ignore_ascii_case("html"))
}

/// An `editMessageText` Telegram accepted.
#[derive(Clone, Debug)]
pub struct Edit {
    pub chat_id: i64,
    pub message_id: i64,
    pub text: String,
    pub parse_mode: Option<String>,
    pub reply_markup: Option<Value>,
}

/// Where a photo came from: uploaded bytes (multipart), or a file id / URL string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhotoSource {
    Upload {
        bytes: Vec<u8>,
        file_name: Option<String>,
    },
    Reference(String),
}

/// A `sendPhoto` Telegram accepted.
#[derive(Clone, Debug)]
pub struct Photo {
    pub message_id: i64,
    pub chat_id: i64,
    pub source: PhotoSource,
    pub caption: Option<String>,
    pub parse_mode: Option<String>,
    pub reply_markup: Option<Value>,
}

impl Photo {
    /// The uploaded bytes (panics for a file id or URL).
    pub fn bytes(&self) -> &[u8] {
        match &self.source {
            PhotoSource::Upload { bytes, .. } => bytes,
            PhotoSource::Reference(r) => panic!("photo sent by reference {r:?}, not uploaded"),
        }
    }
}

/// An `answerCallbackQuery` Telegram accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallbackAnswer {
    pub callback_query_id: String,
    pub text: Option<String>,
    pub show_alert: bool,
}

/// One command menu as Telegram stores it after `setMyCommands` (the `/` Telegram strips).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandMenu {
    pub scope: Value,
    pub language_code: Option<String>,
    /// (command, description)
    pub commands: Vec<(String, String)>,
}

/// A request the fake refused because Telegram would (bad markup, empty or long text, bad
/// menu…). Injected faults are not refusals.
#[derive(Clone, Debug)]
pub struct Refusal {
    pub method: String,
    pub chat_id: Option<i64>,
    pub description: String,
    pub text: String,
}

/// Every request that could deliver something to a chat, whatever came of it.
#[derive(Clone, Debug)]
pub struct Attempt {
    pub method: String,
    pub chat_id: Option<i64>,
    pub at: Instant,
    /// `None`: accepted; else the status and description served.
    pub failure: Option<String>,
}

/// Ids of an injected update and of the message it carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pushed {
    pub update_id: i64,
    pub message_id: i64,
}

#[derive(Clone, Debug)]
enum Kept {
    Text {
        text: String,
        parse_mode: Option<String>,
        reply_markup: Option<Value>,
    },
    Photo,
}

#[derive(Default)]
struct TgState {
    pending: VecDeque<(i64, Value)>,
    next_update_id: i64,
    next_message_id: i64,
    confirmed: i64,
    handed: HashMap<i64, Instant>,
    first_poll: Option<Instant>,
    sent: Vec<Sent>,
    edits: Vec<Edit>,
    photos: Vec<Photo>,
    kept: HashMap<(i64, i64), Kept>,
    callback_queries: HashMap<String, bool>,
    callback_answers: Vec<CallbackAnswer>,
    menus: BTreeMap<(String, String), CommandMenu>,
    refusals: Vec<Refusal>,
    attempts: Vec<Attempt>,
    calls: HashMap<String, usize>,
    tokens_seen: HashSet<String>,
    get_updates_faults: VecDeque<TgFault>,
    send_faults: VecDeque<TgFault>,
    chat_faults: HashMap<i64, TgFault>,
    /// Sends to these chats wait for the gate before Telegram looks at them (a slow answer).
    holds: HashMap<i64, Gate>,
    /// Chats of the sends waiting at a hold now.
    waiting: Vec<i64>,
    subscribers: Vec<mpsc::UnboundedSender<Sent>>,
    barriers: u64,
    /// The webhook set with `setWebhook` (URL, secret token), as Telegram keeps it until
    /// `deleteWebhook`; while one is set, `getUpdates` is refused with 409, as at Telegram.
    webhook: Option<(String, Option<String>)>,
    /// While set, every `getUpdates` answers this (Telegram unreachable, another poller).
    polls_refused: Option<TgFault>,
    /// While set, `setWebhook` is refused with this description (Telegram cannot reach the URL).
    webhook_refused: Option<String>,
    /// The update kinds the bot asked for (`allowed_updates` of `getUpdates` or `setWebhook`),
    /// kept until it asks again, as Telegram keeps them; `None`: never asked (the default set).
    allowed_updates: Option<Vec<String>>,
    /// Updates a test injected that Telegram would not have created: their kind was not allowed.
    dropped: Vec<Value>,
    /// The `language_code` Telegram sends with each user (their app's language), if any.
    user_languages: HashMap<i64, String>,
}

#[derive(Clone)]
pub struct FakeTelegram {
    state: Arc<Mutex<TgState>>,
    /// Bumped on every request and every injected update: waits re-check on each change.
    version: Arc<watch::Sender<u64>>,
    updates_ready: Arc<Notify>,
    stop: CancellationToken,
    pub url: String,
}

impl FakeTelegram {
    pub async fn start() -> Self {
        Self::start_under("").await
    }

    /// The same, under a path prefix (`/tg` serves `/tg/bot<token>/getMe`), as a self-hosted Bot
    /// API server behind a proxy would be; `url` includes the prefix.
    pub async fn start_under(prefix: &str) -> Self {
        let prefix = prefix.trim_end_matches('/');
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let tg = FakeTelegram {
            state: Arc::new(Mutex::new(TgState {
                next_update_id: 1,
                next_message_id: 1,
                ..TgState::default()
            })),
            version: Arc::new(watch::channel(0).0),
            updates_ready: Arc::new(Notify::new()),
            stop: CancellationToken::new(),
            url: format!("http://{}{prefix}", listener.local_addr().unwrap()),
        };
        let app = Router::new()
            .route(&format!("{prefix}/{{token}}/{{method}}"), post(handle))
            // Photo uploads: Telegram takes up to 10 MB; axum's default limit is 2 MB.
            .layer(DefaultBodyLimit::max(20 << 20))
            .with_state(tg.clone());
        let stop = tg.stop.clone();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move { stop.cancelled().await })
                .await;
        });
        tg
    }

    /// Stops serving (the bot sees connection errors from then on).
    pub fn stop(&self) {
        self.stop.cancel();
    }

    fn lock(&self) -> MutexGuard<'_, TgState> {
        self.state.lock().unwrap()
    }

    fn changed(&self) {
        self.version.send_modify(|v| *v += 1);
    }

    /// Waits until `check` finds what it looks for in the fake's state, re-checking on every
    /// change; fails the test after `PATIENCE`, naming `what`.
    async fn wait_for<T>(
        &self,
        what: impl fmt::Display,
        mut check: impl FnMut(&TgState) -> Option<T>,
    ) -> T {
        let mut rx = self.version.subscribe();
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            rx.borrow_and_update();
            if let Some(found) = check(&self.lock()) {
                return found;
            }
            if tokio::time::timeout_at(deadline, rx.changed())
                .await
                .is_err()
            {
                let sent: Vec<String> = self
                    .lock()
                    .sent
                    .iter()
                    .rev()
                    .take(10)
                    .map(|s| format!("{}: {:?}", s.chat_id, s.text))
                    .collect();
                panic!(
                    "waited {PATIENCE:?} for {what}; the last messages sent, newest first: {sent:#?}"
                );
            }
        }
    }

    // ----- updates the test injects -----------------------------------------------------------

    /// Queues an update for the bot, as Telegram creates one: only if its kind is among the
    /// bot's `allowed_updates` at that moment (an update of another kind is never created, and
    /// changing the list later does not bring it back). Returns its id, or `None` if dropped.
    fn push(&self, kind: &str, payload: Value) -> Option<i64> {
        let id = {
            let mut g = self.lock();
            if !allows(g.allowed_updates.as_deref(), kind) {
                g.dropped.push(json!({ kind: payload }));
                drop(g);
                self.changed();
                return None;
            }
            let id = g.next_update_id;
            g.next_update_id += 1;
            let mut update = Map::new();
            update.insert("update_id".into(), json!(id));
            update.insert(kind.into(), payload);
            g.pending.push_back((id, Value::Object(update)));
            id
        };
        self.updates_ready.notify_waiters();
        self.changed();
        Some(id)
    }

    /// `push` for an update a test needs delivered: fails the test at once, naming the bot's
    /// `allowed_updates`, when Telegram would not deliver it.
    fn push_delivered(&self, kind: &str, payload: Value) -> i64 {
        self.push(kind, payload).unwrap_or_else(|| {
            panic!(
                "Telegram would not deliver this {kind} update: the bot's allowed_updates is {:?}",
                self.allowed_updates()
            )
        })
    }

    fn next_message_id(&self) -> i64 {
        let mut g = self.lock();
        let mid = g.next_message_id;
        g.next_message_id += 1;
        mid
    }

    /// A text message update from `user_id` in `chat_id`, not queued for polling: for a test
    /// that POSTs it to the bot's webhook as Telegram would.
    pub fn text_update(&self, chat_id: i64, user_id: i64, text: &str) -> Value {
        let (_, m) = self.message(chat_id, user_id, json!({ "text": text }));
        let mut g = self.lock();
        let id = g.next_update_id;
        g.next_update_id += 1;
        json!({ "update_id": id, "message": m })
    }

    /// The webhook Telegram would deliver to: its URL and secret token.
    pub fn webhook(&self) -> Option<(String, Option<String>)> {
        self.lock().webhook.clone()
    }

    /// The update kinds the bot last asked for (`allowed_updates`); `None` if it never did.
    pub fn allowed_updates(&self) -> Option<Vec<String>> {
        self.lock().allowed_updates.clone()
    }

    /// Updates a test injected that Telegram would not have created (kind not allowed).
    pub fn dropped_updates(&self) -> Vec<Value> {
        self.lock().dropped.clone()
    }

    /// Waits until a webhook is set; returns its URL and secret token.
    pub async fn wait_webhook(&self) -> (String, Option<String>) {
        self.wait_for("a webhook to be set", |g| g.webhook.clone())
            .await
    }

    /// A webhook left set, as by a bot in webhook mode that was killed before deleting it.
    pub fn leave_webhook(&self, url: &str) {
        self.lock().webhook = Some((url.to_owned(), None));
    }

    /// `setWebhook` is refused with `description` (a 400) until called again with `None`, as
    /// Telegram refuses a URL it cannot reach.
    pub fn refuse_webhook(&self, description: Option<&str>) {
        self.lock().webhook_refused = description.map(str::to_owned);
    }

    /// Every `getUpdates` answers `fault` until called again with `None`.
    pub fn refuse_polls(&self, fault: Option<TgFault>) {
        self.lock().polls_refused = fault;
        // A poll waiting now ends with the fault, as a competing poller's request ends ours.
        self.updates_ready.notify_waiters();
        self.changed();
    }

    /// A message from `user_id` in `chat_id` with the given fields (`text`, `photo`, …).
    fn message(&self, chat_id: i64, user_id: i64, fields: Value) -> (i64, Value) {
        let mid = self.next_message_id();
        let mut m = json!({
            "message_id": mid,
            "date": chrono::Utc::now().timestamp(),
            "chat": chat_json(chat_id),
            "from": self.user_json(user_id),
        });
        for (k, v) in fields.as_object().expect("fields are an object") {
            m[k] = v.clone();
        }
        (mid, m)
    }

    /// An update of any kind, as given (`{"update_id"}` is added); `None` when Telegram would not
    /// create it (its kind is not among the bot's `allowed_updates`).
    pub fn push_update(&self, kind: &str, payload: Value) -> Option<i64> {
        self.push(kind, payload)
    }

    /// `user_id` writes `text` in `chat_id` (a private chat when they are equal; see `chat_json`).
    /// Fire and forget: `ask` waits for the reply.
    pub fn send_text(&self, chat_id: i64, user_id: i64, text: &str) -> Pushed {
        let (message_id, m) = self.message(chat_id, user_id, json!({ "text": text }));
        Pushed {
            update_id: self.push_delivered("message", m),
            message_id,
        }
    }

    /// Many private messages at once (each chat's user is the chat); returns their update ids.
    pub fn send_texts(&self, items: &[(i64, &str)]) -> Vec<i64> {
        items
            .iter()
            .map(|(chat, text)| self.send_text(*chat, *chat, text).update_id)
            .collect()
    }

    /// `user_id` sends a photo (with an optional caption) in `chat_id`.
    pub fn send_user_photo(&self, chat_id: i64, user_id: i64, caption: Option<&str>) -> Pushed {
        let mut fields = json!({ "photo": [
            { "file_id": "AgAD-small", "file_unique_id": "small", "width": 90, "height": 90, "file_size": 1200 },
            { "file_id": "AgAD-large", "file_unique_id": "large", "width": 800, "height": 800, "file_size": 64000 },
        ]});
        if let Some(c) = caption {
            fields["caption"] = json!(c);
        }
        let (message_id, m) = self.message(chat_id, user_id, fields);
        Pushed {
            update_id: self.push_delivered("message", m),
            message_id,
        }
    }

    /// `user_id` edits their earlier message `message_id` to `text` (an `edited_message` update);
    /// `None` when Telegram would not deliver it (the bot did not ask for edits).
    pub fn edit_user_message(
        &self,
        chat_id: i64,
        user_id: i64,
        message_id: i64,
        text: &str,
    ) -> Option<Pushed> {
        let now = chrono::Utc::now().timestamp();
        let m = json!({
            "message_id": message_id,
            "date": now - 5,
            "edit_date": now,
            "chat": chat_json(chat_id),
            "from": self.user_json(user_id),
            "text": text,
        });
        self.push("edited_message", m).map(|update_id| Pushed {
            update_id,
            message_id,
        })
    }

    /// The service message Telegram posts in a group that became a supergroup (old id).
    pub fn migrate_to(&self, old_group: i64, new_supergroup: i64, user_id: i64) -> Pushed {
        let (message_id, m) = self.message(
            old_group,
            user_id,
            json!({ "migrate_to_chat_id": new_supergroup }),
        );
        Pushed {
            update_id: self.push_delivered("message", m),
            message_id,
        }
    }

    /// The service message Telegram posts in the new supergroup, naming the old group.
    pub fn migrate_from(&self, new_supergroup: i64, old_group: i64, user_id: i64) -> Pushed {
        let (message_id, m) = self.message(
            new_supergroup,
            user_id,
            json!({ "migrate_from_chat_id": old_group }),
        );
        Pushed {
            update_id: self.push_delivered("message", m),
            message_id,
        }
    }

    /// A group becomes a supergroup: both service messages, in the order Telegram sends them.
    pub fn migrate(&self, old_group: i64, new_supergroup: i64, user_id: i64) -> (Pushed, Pushed) {
        (
            self.migrate_to(old_group, new_supergroup, user_id),
            self.migrate_from(new_supergroup, old_group, user_id),
        )
    }

    /// `user_id` presses an inline button with `data` under the bot's message `message_id` in
    /// `chat_id`. Returns the callback query id the bot must answer.
    pub fn press_button(&self, chat_id: i64, user_id: i64, message_id: i64, data: &str) -> String {
        let message = {
            let g = self.lock();
            let kept = g
                .kept
                .get(&(chat_id, message_id))
                .cloned()
                .unwrap_or_else(|| {
                    panic!("the bot sent no message {message_id} to chat {chat_id}")
                });
            let mut m = json!({
                "message_id": message_id,
                "date": chrono::Utc::now().timestamp(),
                "chat": chat_json(chat_id),
                "from": bot_json(),
            });
            if let Kept::Text {
                text, reply_markup, ..
            } = kept
            {
                m["text"] = json!(text);
                if let Some(markup) = reply_markup.filter(|r| r.get("inline_keyboard").is_some()) {
                    m["reply_markup"] = markup;
                }
            }
            m
        };
        let id = {
            let mut g = self.lock();
            let id = format!("cbq-{}", g.next_update_id);
            g.callback_queries.insert(id.clone(), false);
            id
        };
        self.push_delivered(
            "callback_query",
            json!({
                "id": id,
                "from": self.user_json(user_id),
                "message": message,
                "chat_instance": format!("ci{chat_id}"),
                "data": data,
            }),
        );
        id
    }

    // ----- what the bot sent -------------------------------------------------------------------

    pub fn sent(&self) -> Vec<Sent> {
        self.lock().sent.clone()
    }

    pub fn sent_to(&self, chat_id: i64) -> Vec<Sent> {
        self.lock()
            .sent
            .iter()
            .filter(|s| s.chat_id == chat_id)
            .cloned()
            .collect()
    }

    /// The messages the bot sent to `chat_id` on its own (alerts, notices), as the user sees them.
    pub fn broadcasts_to(&self, chat_id: i64) -> Vec<String> {
        self.sent_to(chat_id)
            .iter()
            .filter(|s| is_broadcast(&s.text))
            .map(Sent::plain)
            .collect()
    }

    /// A copy of every message as sent, for the benchmark's timing (`at` is the arrival instant).
    pub fn subscribe_sent(&self) -> mpsc::UnboundedReceiver<Sent> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.lock().subscribers.push(tx);
        rx
    }

    pub fn edits(&self) -> Vec<Edit> {
        self.lock().edits.clone()
    }

    pub fn photos(&self) -> Vec<Photo> {
        self.lock().photos.clone()
    }

    pub fn callback_answers(&self) -> Vec<CallbackAnswer> {
        self.lock().callback_answers.clone()
    }

    /// The command menus registered now, one per (scope, language).
    pub fn menus(&self) -> Vec<CommandMenu> {
        self.lock().menus.values().cloned().collect()
    }

    /// The commands registered for `scope` (e.g. `{"type":"default"}`), without language.
    pub fn menu(&self, scope: &Value) -> Option<Vec<(String, String)>> {
        self.menu_in(scope, "")
    }

    /// The commands registered for `scope` and `language_code` (`""`: for every language
    /// without a menu of its own).
    pub fn menu_in(&self, scope: &Value, language_code: &str) -> Option<Vec<(String, String)>> {
        self.lock()
            .menus
            .get(&(scope.to_string(), language_code.to_owned()))
            .map(|m| m.commands.clone())
    }

    /// From now on Telegram sends `user_id`'s app language (`Some("fa")`, `Some("ru-RU")`) with
    /// everything they do, or none.
    pub fn set_user_language(&self, user_id: i64, language_code: Option<&str>) {
        let mut g = self.lock();
        match language_code {
            Some(code) => g.user_languages.insert(user_id, code.to_owned()),
            None => g.user_languages.remove(&user_id),
        };
    }

    /// Telegram's user object, with the user's language when they have one.
    fn user_json(&self, user_id: i64) -> Value {
        let mut user = user_json(user_id);
        if let Some(code) = self.lock().user_languages.get(&user_id) {
            user["language_code"] = json!(code);
        }
        user
    }

    /// Requests refused because Telegram would refuse them.
    pub fn refusals(&self) -> Vec<Refusal> {
        self.lock().refusals.clone()
    }

    pub fn attempts(&self) -> Vec<Attempt> {
        self.lock().attempts.clone()
    }

    pub fn calls(&self, method: &str) -> usize {
        self.lock()
            .calls
            .get(&method.to_ascii_lowercase())
            .copied()
            .unwrap_or(0)
    }

    pub fn tokens_seen(&self) -> HashSet<String> {
        self.lock().tokens_seen.clone()
    }

    /// When an update was first handed to the bot in a `getUpdates` answer.
    pub fn handed_at(&self, update_id: i64) -> Option<Instant> {
        self.lock().handed.get(&update_id).copied()
    }

    pub fn first_poll(&self) -> Option<Instant> {
        self.lock().first_poll
    }

    // ----- faults ------------------------------------------------------------------------------

    /// The next `getUpdates` answers fail this way, the one waiting now first.
    pub fn fail_get_updates(&self, faults: impl IntoIterator<Item = TgFault>) {
        self.lock().get_updates_faults.extend(faults);
        self.updates_ready.notify_waiters();
    }

    /// The next sends (any chat) fail this way, one fault per send.
    pub fn fail_sends(&self, faults: impl IntoIterator<Item = TgFault>) {
        self.lock().send_faults.extend(faults);
    }

    /// Every send to `chat_id` fails this way (until cleared with `None`).
    pub fn set_chat_fault(&self, chat_id: i64, fault: Option<TgFault>) {
        let mut g = self.lock();
        match fault {
            Some(f) => g.chat_faults.insert(chat_id, f),
            None => g.chat_faults.remove(&chat_id),
        };
    }

    /// Every send to `chat_id` waits, unanswered, until `gate` opens (then it is answered as
    /// usual, faults included): Telegram slow to answer for one chat.
    pub fn hold_chat(&self, chat_id: i64, gate: &Gate) {
        self.lock().holds.insert(chat_id, gate.clone());
    }

    // ----- waiting -------------------------------------------------------------------------------

    /// Waits until a send to `chat_id` is being held (see `hold_chat`).
    pub async fn wait_held(&self, chat_id: i64) {
        self.wait_for(format_args!("a send to chat {chat_id} held"), |g| {
            g.waiting.contains(&chat_id).then_some(())
        })
        .await
    }

    /// Whether a send to `chat_id` is waiting at its hold now.
    pub fn is_held(&self, chat_id: i64) -> bool {
        self.held(chat_id) > 0
    }

    /// How many sends to `chat_id` are waiting at its hold now.
    pub fn held(&self, chat_id: i64) -> usize {
        self.lock()
            .waiting
            .iter()
            .filter(|c| **c == chat_id)
            .count()
    }

    /// Waits until `method` has been called `count` times in all.
    pub async fn wait_calls(&self, method: &str, count: usize) {
        let m = method.to_ascii_lowercase();
        self.wait_for(format_args!("{count} calls of {method}"), |g| {
            (g.calls.get(&m).copied().unwrap_or(0) >= count).then_some(())
        })
        .await
    }

    /// Waits until Telegram has accepted `count` messages in all; returns them.
    pub async fn wait_sent(&self, count: usize) -> Vec<Sent> {
        self.wait_for(format_args!("{count} messages sent"), |g| {
            (g.sent.len() >= count).then(|| g.sent.clone())
        })
        .await
    }

    /// Waits until every queued `getUpdates` fault has been served and polling asked again.
    pub async fn wait_get_updates_faults_served(&self) {
        let served_at = self
            .wait_for("the queued getUpdates faults to be served", |g| {
                g.get_updates_faults
                    .is_empty()
                    .then(|| g.calls.get("getupdates").copied().unwrap_or(0))
            })
            .await;
        self.wait_calls("getUpdates", served_at + 1).await;
    }

    /// Waits for the first message to `chat_id`, among those after the first `after`, that
    /// `matches`; returns it and its index among the chat's messages.
    pub async fn wait_message(
        &self,
        chat_id: i64,
        after: usize,
        what: &str,
        matches: impl Fn(&Sent) -> bool,
    ) -> (usize, Sent) {
        self.wait_for(format_args!("{what} in chat {chat_id}"), |g| {
            g.sent
                .iter()
                .filter(|s| s.chat_id == chat_id)
                .enumerate()
                .skip(after)
                .find(|(_, s)| matches(s))
                .map(|(i, s)| (i, s.clone()))
        })
        .await
    }

    /// Waits until chat `chat_id` has received `count` messages the bot sent on its own (alerts,
    /// notices); returns them as the user sees them.
    pub async fn wait_broadcasts(&self, chat_id: i64, count: usize) -> Vec<String> {
        self.wait_for(
            format_args!("{count} alerts or notices in chat {chat_id}"),
            |g| {
                let found: Vec<String> = g
                    .sent
                    .iter()
                    .filter(|s| s.chat_id == chat_id && is_broadcast(&s.text))
                    .map(Sent::plain)
                    .collect();
                (found.len() >= count).then_some(found)
            },
        )
        .await
    }

    /// Waits until the bot has answered the callback query `id` (see `press_button`); returns
    /// the answer.
    pub async fn wait_callback_answer(&self, id: &str) -> CallbackAnswer {
        self.wait_for(format_args!("the answer to callback query {id}"), |g| {
            g.callback_answers
                .iter()
                .find(|a| a.callback_query_id == id)
                .cloned()
        })
        .await
    }

    /// Waits for an attempt to deliver (accepted or not) that `matches`; returns it.
    pub async fn wait_attempt(&self, what: &str, matches: impl Fn(&Attempt) -> bool) -> Attempt {
        self.wait_for(what, |g| g.attempts.iter().find(|a| matches(a)).cloned())
            .await
    }

    /// Waits until `count` attempts of `method` have been made (accepted or not).
    pub async fn wait_attempts(&self, method: &str, count: usize) -> Vec<Attempt> {
        self.wait_for(format_args!("{count} attempts of {method}"), |g| {
            let found: Vec<Attempt> = g
                .attempts
                .iter()
                .filter(|a| a.method.eq_ignore_ascii_case(method))
                .cloned()
                .collect();
            (found.len() >= count).then_some(found)
        })
        .await
    }

    /// A point in `chat_id`'s update sequence. The bot handles one chat's updates one at a time,
    /// in order; the barrier is a command from the admin (`/alerts barrier-N`, which the bot
    /// answers with an error quoting `barrier-N`), so once its reply is here, every earlier
    /// update in that chat has been handled and its reply sent in full. Returns the index of the
    /// barrier's reply among the chat's messages.
    ///
    /// Needs a chat the bot can write to and an admin command the flood limit lets through.
    pub async fn barrier(&self, chat_id: i64) -> usize {
        let token = {
            let mut g = self.lock();
            g.barriers += 1;
            format!("barrier-{}", g.barriers)
        };
        self.send_text(chat_id, ADMIN, &format!("/alerts {token}"));
        let quoted = format!("“{token}”");
        self.wait_message(chat_id, 0, &format!("the reply to barrier {token}"), |s| {
            s.text.contains(&quoted)
        })
        .await
        .0
    }

    /// Sends `text` as `user_id` in `chat_id` and returns the bot's whole reply to it (every
    /// piece of a split reply, and nothing else: no message sent before it, no alert the bot
    /// sent meanwhile). Fails the test if there is no reply.
    pub async fn ask(&self, chat_id: i64, user_id: i64, text: &str) -> Reply {
        let reply = self.exchange(chat_id, user_id, text).await;
        assert!(
            !reply.parts.is_empty(),
            "no reply to {text:?} in chat {chat_id}"
        );
        reply
    }

    /// Sends `text` and proves the bot answers nothing to it: a barrier after it is answered,
    /// and nothing came between.
    pub async fn expect_silence(&self, chat_id: i64, user_id: i64, text: &str) {
        let reply = self.exchange(chat_id, user_id, text).await;
        assert!(
            reply.parts.is_empty(),
            "unexpected reply to {text:?}: {reply}"
        );
    }

    async fn exchange(&self, chat_id: i64, user_id: i64, text: &str) -> Reply {
        let seen = self.sent_to(chat_id).len();
        self.send_text(chat_id, user_id, text);
        let end = self.barrier(chat_id).await;
        Reply {
            parts: self.sent_to(chat_id)[seen..end]
                .iter()
                .filter(|s| !is_broadcast(&s.text))
                .cloned()
                .collect(),
        }
    }

    /// Fails the test if the bot sent anything Telegram refused as malformed.
    pub fn assert_no_refusals(&self) {
        let refusals = self.refusals();
        assert!(
            refusals.is_empty(),
            "Telegram would have refused these requests: {refusals:#?}"
        );
    }
}

/// Whether the bot sent this on its own (an alert, a mute's end summary or an OxaPay notice)
/// rather than as a reply: those messages open with one of these marks.
/// In every language the bot speaks.
pub fn is_broadcast(text: &str) -> bool {
    static OPENINGS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        use oxapay_bot::texts::Lang;
        use oxapay_bot::texts::l10n::{Var, render};
        let mut marks: Vec<String> = ["✅ ", "🔺 ", "🔴 ", "🟢 "].map(String::from).to_vec();
        // A message's words before its first variable.
        let cut = '\u{1}';
        for lang in Lang::ALL {
            for id in ["alert-low", "alert-still-low", "mute-over"] {
                let vars = [
                    ("subject", Var::Html(cut.into())),
                    ("balance", Var::Html(cut.into())),
                    ("level", Var::Html(cut.into())),
                    ("since", Var::Html(cut.into())),
                ];
                let text = render(lang, id, &vars);
                marks.push(text.split(cut).next().unwrap_or_default().to_owned());
            }
        }
        marks
    });
    OPENINGS.iter().any(|mark| text.starts_with(mark.as_str()))
}

/// The bot's whole reply to one message: one part, or several when it was split.
#[derive(Clone, Debug)]
pub struct Reply {
    pub parts: Vec<Sent>,
}

impl Reply {
    /// The parts' HTML, joined by newlines.
    pub fn html(&self) -> String {
        self.parts
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// What the user sees, the parts joined by newlines.
    pub fn text(&self) -> String {
        self.parts
            .iter()
            .map(Sent::plain)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// What the user sees, line by line.
    pub fn lines(&self) -> Vec<String> {
        self.text().lines().map(str::to_owned).collect()
    }

    /// Whether one whole line of what the user sees is exactly `line`.
    pub fn has_line(&self, line: &str) -> bool {
        self.lines().iter().any(|l| l == line)
    }

    /// The first word of each line after the line `heading` (the ids `/users` lists under
    /// "Allowed").
    pub fn first_words_after(&self, heading: &str) -> Vec<String> {
        self.lines()
            .iter()
            .skip_while(|l| *l != heading)
            .skip(1)
            .map(|l| l.split(' ').next().unwrap().to_owned())
            .collect()
    }
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.text())
    }
}

/// Telegram's chat object for an id: a private chat for a positive id, a supergroup for a
/// `-100…` id, a basic group otherwise.
pub fn chat_json(chat_id: i64) -> Value {
    if chat_id > 0 {
        json!({ "id": chat_id, "type": "private", "first_name": "User", "username": format!("u{chat_id}") })
    } else if chat_id < -1_000_000_000_000 {
        json!({ "id": chat_id, "type": "supergroup", "title": "Team" })
    } else {
        json!({ "id": chat_id, "type": "group", "title": "Team" })
    }
}

fn user_json(user_id: i64) -> Value {
    json!({ "id": user_id, "is_bot": false, "first_name": "User", "username": format!("u{user_id}") })
}

/// What Telegram accepts as `setMyCommands`' `language_code`: empty (every language without a
/// menu of its own) or a two-letter ISO 639-1 code.
fn check_language_code(code: &str) -> Result<(), String> {
    if code.is_empty() || (code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase())) {
        Ok(())
    } else {
        Err("Bad Request: invalid language code specified".into())
    }
}

fn bot_json() -> Value {
    json!({ "id": BOT_ID, "is_bot": true, "first_name": "OxaPay Bot", "username": BOT_NAME })
}

fn ok(result: Value) -> Response {
    axum::Json(json!({ "ok": true, "result": result })).into_response()
}

fn api_error(code: u16, description: &str) -> Response {
    fault_response(TgFault::Api(code, description.to_owned(), None))
}

fn fault_response(f: TgFault) -> Response {
    match f {
        TgFault::Status(code, body) => (
            StatusCode::from_u16(code).unwrap(),
            [("content-type", "text/html")],
            body,
        )
            .into_response(),
        TgFault::Api(code, description, parameters) => {
            let mut v = json!({ "ok": false, "error_code": code, "description": description });
            if let Some(p) = parameters {
                v["parameters"] = p;
            }
            (StatusCode::from_u16(code).unwrap(), axum::Json(v)).into_response()
        }
        TgFault::BrokenBody => broken_body(200),
    }
}

/// An answer whose body stream fails midway: the client sees a broken connection.
pub fn broken_body(status: u16) -> Response {
    let stream = futures::stream::iter(vec![
        Ok::<Bytes, std::io::Error>(Bytes::from_static(b"{\"ok\":true,\"res")),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "simulated reset",
        )),
    ]);
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("content-length", "500")
        .body(Body::from_stream(stream))
        .unwrap()
}

/// A request's parameters, from JSON or multipart/form-data, as the Bot API accepts both.
struct Params {
    fields: Map<String, Value>,
    files: HashMap<String, (Vec<u8>, Option<String>)>,
}

impl Params {
    fn parse(headers: &HeaderMap, body: &[u8]) -> Params {
        let content_type = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if let Some(boundary) = content_type
            .strip_prefix("multipart/form-data")
            .and_then(|rest| rest.split("boundary=").nth(1))
        {
            return parse_multipart(body, boundary.trim_matches('"'));
        }
        let fields = match serde_json::from_slice(body) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        };
        Params {
            fields,
            files: HashMap::new(),
        }
    }

    fn int(&self, name: &str) -> Option<i64> {
        match self.fields.get(name)? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    fn string(&self, name: &str) -> Option<String> {
        match self.fields.get(name)? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }

    fn boolean(&self, name: &str) -> bool {
        match self.fields.get(name) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s == "true",
            _ => false,
        }
    }

    /// A JSON-typed parameter (multipart sends it as JSON text).
    fn json(&self, name: &str) -> Option<Value> {
        match self.fields.get(name)? {
            Value::String(s) => serde_json::from_str(s).ok(),
            Value::Null => None,
            other => Some(other.clone()),
        }
    }
}

fn parse_multipart(body: &[u8], boundary: &str) -> Params {
    let mut params = Params {
        fields: Map::new(),
        files: HashMap::new(),
    };
    let delimiter = format!("--{boundary}");
    let d = delimiter.as_bytes();
    let mut rest = body;
    while let Some(start) = find(rest, d) {
        rest = &rest[start + d.len()..];
        if rest.starts_with(b"--") {
            break;
        }
        let rest_part = rest.strip_prefix(b"\r\n").unwrap_or(rest);
        let end = find(rest_part, d).unwrap_or(rest_part.len());
        let part = &rest_part[..end];
        rest = &rest_part[end..];
        let Some(split) = find(part, b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&part[..split]).into_owned();
        let mut content = &part[split + 4..];
        content = content.strip_suffix(b"\r\n").unwrap_or(content);
        let disposition = head
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition"))
            .unwrap_or("");
        let attr = |key: &str| {
            disposition
                .split(';')
                .map(str::trim)
                .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
                .map(|v| v.trim_matches('"').to_owned())
        };
        let Some(name) = attr("name") else { continue };
        match attr("filename") {
            Some(file_name) => {
                params.files.insert(
                    name,
                    (content.to_vec(), Some(file_name).filter(|f| !f.is_empty())),
                );
            }
            None => {
                params.fields.insert(
                    name,
                    Value::String(String::from_utf8_lossy(content).into_owned()),
                );
            }
        }
    }
    params
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The image formats Telegram accepts for `sendPhoto`, by their first bytes.
fn is_image(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n")
        || bytes.starts_with(&[0xff, 0xd8, 0xff])
        || bytes.starts_with(b"GIF8")
        || (bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP")
}

/// Width and height from a PNG header (1×1 for other formats).
fn image_size(bytes: &[u8]) -> (u32, u32) {
    if bytes.starts_with(b"\x89PNG") && bytes.len() >= 24 {
        let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        (be(&bytes[16..20]), be(&bytes[20..24]))
    } else {
        (1, 1)
    }
}

/// Every kind of update the Bot API names (`allowed_updates` takes these, in any case).
const UPDATE_KINDS: &[&str] = &[
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_connection",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
    "message_reaction",
    "message_reaction_count",
    "inline_query",
    "chosen_inline_result",
    "callback_query",
    "shipping_query",
    "pre_checkout_query",
    "purchased_paid_media",
    "poll",
    "poll_answer",
    "my_chat_member",
    "chat_member",
    "chat_join_request",
    "chat_boost",
    "removed_chat_boost",
];

/// The kinds Telegram leaves out unless asked for by name.
const NOT_BY_DEFAULT: &[&str] = &["chat_member", "message_reaction", "message_reaction_count"];

/// Whether Telegram creates an update of `kind` for a bot whose `allowed_updates` is `allowed`
/// (`None`: never set, the default set).
fn allows(allowed: Option<&[String]>, kind: &str) -> bool {
    match allowed {
        Some(list) => list.iter().any(|k| k == kind),
        None => !NOT_BY_DEFAULT.contains(&kind),
    }
}

/// The `allowed_updates` a request sets, as Telegram reads it: absent, or not a list of
/// strings, changes nothing (`None`); names it does not know are ignored; a list with no known
/// name (the empty list included) means the default set.
fn requested_updates(p: &Params) -> Option<Option<Vec<String>>> {
    let Value::Array(items) = p.json("allowed_updates")? else {
        return None;
    };
    let mut kinds = Vec::new();
    for item in items {
        let name = item.as_str()?.to_ascii_lowercase();
        if UPDATE_KINDS.contains(&name.as_str()) && !kinds.contains(&name) {
            kinds.push(name);
        }
    }
    Some((!kinds.is_empty()).then_some(kinds))
}

/// Scopes that name no chat.
const SCOPES: &[&str] = &[
    "default",
    "all_private_chats",
    "all_group_chats",
    "all_chat_administrators",
];

/// Telegram's reading of a command menu's `scope` (telegram-bot-api's `get_bot_command_scope`):
/// absent is the default scope; `chat`, `chat_administrators` and `chat_member` need a
/// non-empty `chat_id`, `chat_member` also a positive `user_id`. Returns the scope as stored.
fn check_scope(p: &Params) -> Result<Value, String> {
    let why = |what: &str| format!("Bad Request: can't parse BotCommandScope: {what}");
    let scope = match p.fields.get("scope") {
        None | Some(Value::Null) => return Ok(json!({ "type": "default" })),
        Some(Value::String(s)) if s.is_empty() => return Ok(json!({ "type": "default" })),
        Some(Value::String(s)) => serde_json::from_str::<Value>(s)
            .map_err(|_| "Bad Request: can't parse BotCommandScope JSON object".to_owned())?,
        Some(other) => other.clone(),
    };
    let Value::Object(object) = &scope else {
        return Err(why("BotCommandScope must be an Object"));
    };
    let kind = match object.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(_) => return Err(why("Field \"type\" must be of type String")),
        None => return Err(why("Can't find field \"type\"")),
    };
    if SCOPES.contains(&kind) {
        return Ok(scope);
    }
    if !["chat", "chat_administrators", "chat_member"].contains(&kind) {
        return Err(why("Unsupported type specified"));
    }
    // A string or a number, as every Bot API chat id.
    let chat_id = match object.get("chat_id") {
        Some(Value::String(c)) => c.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => return Err(why("Field \"chat_id\" must be of type String")),
        None => return Err(why("Can't find field \"chat_id\"")),
    };
    if chat_id.is_empty() {
        return Err(why("Empty chat_id specified"));
    }
    if kind == "chat_member" {
        match object.get("user_id").and_then(Value::as_i64) {
            Some(u) if u > 0 => {}
            Some(_) => return Err(why("Invalid user_id specified")),
            None => return Err(why("Can't find field \"user_id\"")),
        }
    }
    Ok(scope)
}

/// The `scope` parameter as sent, for a refusal's record.
fn scope_text(p: &Params) -> String {
    match p.fields.get("scope") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// Telegram's reading of `reply_markup` (telegram-bot-api's `get_reply_markup`, its errors as the
/// Bot API words them): JSON text or an object; an inline keyboard is an array of rows of buttons,
/// each with a `text` and one action. Returns the markup, `None` when there is none.
fn check_markup(p: &Params) -> Result<Option<Value>, String> {
    let markup = match p.fields.get("reply_markup") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) if s.is_empty() => return Ok(None),
        Some(Value::String(s)) => serde_json::from_str::<Value>(s)
            .map_err(|_| "Bad Request: can't parse reply keyboard markup JSON object".to_owned())?,
        Some(other) => other.clone(),
    };
    let Value::Object(object) = &markup else {
        return Err("Bad Request: object expected as reply markup".into());
    };
    match object.get("inline_keyboard") {
        None => {}
        Some(Value::Array(rows)) => {
            for row in rows {
                let Value::Array(buttons) = row else {
                    return Err(
                        "Bad Request: field \"inline_keyboard\" of the InlineKeyboardMarkup \
                                must be an Array of Arrays"
                            .into(),
                    );
                };
                for button in buttons {
                    check_inline_button(button)?;
                }
            }
        }
        Some(_) => {
            return Err("Bad Request: field \"inline_keyboard\" must be of type Array".into());
        }
    }
    Ok(Some(markup))
}

/// The `reply_markup` parameter as sent, for a refusal's record.
fn markup_text(p: &Params) -> String {
    match p.fields.get("reply_markup") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// One inline keyboard button. Telegram takes the first action present in its order (a non-empty
/// `url`, a non-empty `callback_data`, then the others); a button with none is a "text button".
/// The Bot API says exactly one action must be used: a button with two is refused here, a bug
/// Telegram would hide by dropping the second action.
fn check_inline_button(button: &Value) -> Result<(), String> {
    let why = |what: &str| format!("Bad Request: can't parse inline keyboard button: {what}");
    let Value::Object(b) = button else {
        return Err(why("InlineKeyboardButton must be an Object"));
    };
    let text = match b.get("text") {
        Some(Value::String(t)) => t,
        Some(_) => return Err(why("Field \"text\" must be of type String")),
        None => return Err(why("Can't find field \"text\"")),
    };
    let string = |key: &str| b.get(key).and_then(Value::as_str).filter(|v| !v.is_empty());
    const OTHERS: [&str; 8] = [
        "callback_game",
        "pay",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "login_url",
        "web_app",
        "copy_text",
    ];
    let actions = usize::from(string("url").is_some())
        + usize::from(string("callback_data").is_some())
        + OTHERS.iter().filter(|k| b.contains_key(**k)).count();
    if actions == 0 {
        return Err(why("Text buttons are unallowed in the inline keyboard"));
    }
    if actions > 1 {
        return Err(why(
            "exactly one of the optional fields must be used (the Bot API's rule; Telegram keeps \
             the first and drops the others)",
        ));
    }
    if let Some(url) = string("url") {
        check_button_url(url)?;
    }
    if string("callback_data").is_some_and(|d| d.len() > 64) {
        return Err("Bad Request: BUTTON_DATA_INVALID".into());
    }
    // Passed through from Telegram's servers, which refuse a button without text.
    if text.is_empty() {
        return Err("Bad Request: BUTTON_TEXT_INVALID".into());
    }
    Ok(())
}

/// A URL button's link: http(s), or Telegram's own `tg:` and `ton:` links; a bare host is taken
/// as http, as Telegram does.
fn check_button_url(url: &str) -> Result<(), String> {
    let invalid =
        |why: &str| format!("Bad Request: inline keyboard button URL '{url}' is invalid: {why}");
    match url.split_once(':') {
        Some((scheme, rest))
            if !scheme.is_empty()
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
                && (rest.starts_with("//") || !rest.starts_with(|c: char| c.is_ascii_digit())) =>
        {
            let scheme = scheme.to_ascii_lowercase();
            if !["http", "https", "tg", "ton"].contains(&scheme.as_str()) {
                return Err(invalid("Unsupported URL protocol"));
            }
            if scheme.starts_with("http") && rest.trim_start_matches('/').is_empty() {
                return Err(invalid("URL host is empty"));
            }
            Ok(())
        }
        _ => {
            let host = url.split(['/', '?', '#']).next().unwrap_or("");
            let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
            if host.contains('.') && !host.starts_with('.') && !host.ends_with('.') {
                Ok(())
            } else {
                Err(invalid("Wrong HTTP URL"))
            }
        }
    }
}

/// Telegram's rules for `setMyCommands`: it strips a leading `/`, then a command is 1–32
/// lowercase letters, digits or underscores and a description 1–256 characters; at most 100.
fn check_commands(value: Option<Value>) -> Result<Vec<(String, String)>, String> {
    let Some(Value::Array(items)) = value else {
        return Err("Bad Request: parameter \"commands\" is required".into());
    };
    if items.len() > 100 {
        return Err("Bad Request: BOT_COMMANDS_TOO_MUCH".into());
    }
    let mut out = Vec::new();
    for item in items {
        let command = item["command"].as_str().unwrap_or("").trim();
        let command = command.strip_prefix('/').unwrap_or(command);
        let description = item["description"].as_str().unwrap_or("").trim();
        if command.is_empty()
            || command.chars().count() > 32
            || !command
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err("Bad Request: BOT_COMMAND_INVALID".into());
        }
        if description.is_empty() || description.chars().count() > 256 {
            return Err("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID".into());
        }
        out.push((command.to_owned(), description.to_owned()));
    }
    Ok(out)
}

impl FakeTelegram {
    /// Waits at the chat's hold, if a send to a held chat (see `hold_chat`).
    async fn hold(&self, method: &str, p: &Params) {
        if !["sendmessage", "sendphoto", "editmessagetext"].contains(&method) {
            return;
        }
        let Some(chat_id) = p.int("chat_id") else {
            return;
        };
        let Some(gate) = self.lock().holds.get(&chat_id).cloned() else {
            return;
        };
        self.lock().waiting.push(chat_id);
        self.changed();
        gate.passed().await;
        let mut g = self.lock();
        if let Some(i) = g.waiting.iter().position(|c| *c == chat_id) {
            g.waiting.remove(i);
        }
    }

    /// Records an attempt to deliver to a chat and returns the fault to serve, if any.
    fn attempt(&self, method: &str, chat_id: Option<i64>) -> Option<TgFault> {
        let mut g = self.lock();
        let fault = chat_id
            .and_then(|c| g.chat_faults.get(&c).cloned())
            .or_else(|| g.send_faults.pop_front());
        g.attempts.push(Attempt {
            method: method.to_owned(),
            chat_id,
            at: Instant::now(),
            failure: fault.as_ref().map(TgFault::describe),
        });
        fault
    }

    /// Records a request Telegram's rules refuse and answers 400 with its description.
    fn refuse(
        &self,
        method: &str,
        chat_id: Option<i64>,
        text: &str,
        description: String,
    ) -> Response {
        let mut g = self.lock();
        if let Some(last) = g.attempts.last_mut()
            && last.failure.is_none()
        {
            last.failure = Some(format!("400 {description}"));
        }
        g.refusals.push(Refusal {
            method: method.to_owned(),
            chat_id,
            description: description.clone(),
            text: text.to_owned(),
        });
        drop(g);
        api_error(400, &description)
    }

    fn message_json(&self, chat_id: i64, message_id: i64, fields: Value) -> Value {
        let mut m = json!({
            "message_id": message_id,
            "date": chrono::Utc::now().timestamp(),
            "chat": chat_json(chat_id),
            "from": bot_json(),
        });
        for (k, v) in fields.as_object().unwrap() {
            m[k] = v.clone();
        }
        m
    }

    async fn get_updates(&self, p: &Params) -> Response {
        {
            let mut g = self.lock();
            if let Some(kinds) = requested_updates(p) {
                g.allowed_updates = kinds;
            }
            if g.first_poll.is_none() {
                g.first_poll = Some(Instant::now());
            }
            if g.webhook.is_some() {
                return api_error(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; use \
                     deleteWebhook to delete the webhook first",
                );
            }
            if let Some(f) = g.polls_refused.clone() {
                return fault_response(f);
            }
        }
        // As Telegram does: an offset confirms every earlier update for good.
        let offset = p.int("offset").unwrap_or(0);
        let limit = p.int("limit").unwrap_or(100).clamp(1, 100) as usize;
        let timeout = Duration::from_secs(p.int("timeout").unwrap_or(0).clamp(0, 50) as u64);
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.updates_ready.notified();
            {
                let mut g = self.lock();
                // A fault queued while this poll waits ends it, as a competing poller's request
                // ends ours at Telegram.
                if let Some(f) = g.get_updates_faults.pop_front() {
                    return fault_response(f);
                }
                if let Some(f) = g.polls_refused.clone() {
                    return fault_response(f);
                }
                g.confirmed = g.confirmed.max(offset);
                let confirmed = g.confirmed;
                while g.pending.front().is_some_and(|(id, _)| *id < confirmed) {
                    g.pending.pop_front();
                }
                if !g.pending.is_empty() {
                    let batch: Vec<(i64, Value)> = g.pending.iter().take(limit).cloned().collect();
                    let now = Instant::now();
                    for (id, _) in &batch {
                        g.handed.entry(*id).or_insert(now);
                    }
                    return ok(Value::Array(batch.into_iter().map(|(_, u)| u).collect()));
                }
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return ok(json!([]));
            }
        }
    }

    fn send_message(&self, p: &Params) -> Response {
        let Some(chat_id) = p.int("chat_id") else {
            return api_error(400, "Bad Request: chat_id is empty");
        };
        if let Some(f) = self.attempt("sendMessage", Some(chat_id)) {
            return fault_response(f);
        }
        let text = p.string("text").unwrap_or_default();
        let parse_mode = p.string("parse_mode");
        let plain = match check_text(&text, parse_mode.as_deref(), TextKind::Message) {
            Ok(plain) => plain,
            Err(why) => return self.refuse("sendMessage", Some(chat_id), &text, why),
        };
        let reply_markup = match check_markup(p) {
            Ok(markup) => markup,
            Err(why) => return self.refuse("sendMessage", Some(chat_id), &markup_text(p), why),
        };
        let message_id = self.next_message_id();
        let sent = Sent {
            message_id,
            chat_id,
            text: text.clone(),
            parse_mode: parse_mode.clone(),
            reply_markup: reply_markup.clone(),
            at: Instant::now(),
        };
        {
            let mut g = self.lock();
            g.subscribers.retain(|s| s.send(sent.clone()).is_ok());
            g.sent.push(sent);
            g.kept.insert(
                (chat_id, message_id),
                Kept::Text {
                    text,
                    parse_mode,
                    reply_markup: reply_markup.clone(),
                },
            );
        }
        let mut fields = json!({ "text": plain });
        if let Some(markup) = reply_markup.filter(|r| r.get("inline_keyboard").is_some()) {
            fields["reply_markup"] = markup;
        }
        ok(self.message_json(chat_id, message_id, fields))
    }

    fn edit_message_text(&self, p: &Params) -> Response {
        let text = p.string("text").unwrap_or_default();
        let parse_mode = p.string("parse_mode");
        let chat_id = p.int("chat_id");
        if let Some(f) = self.attempt("editMessageText", chat_id) {
            return fault_response(f);
        }
        let (Some(chat_id), Some(message_id)) = (chat_id, p.int("message_id")) else {
            return api_error(400, "Bad Request: message identifier is not specified");
        };
        let plain = match check_text(&text, parse_mode.as_deref(), TextKind::Message) {
            Ok(plain) => plain,
            Err(why) => return self.refuse("editMessageText", Some(chat_id), &text, why),
        };
        let reply_markup = match check_markup(p) {
            Ok(markup) => markup,
            Err(why) => {
                return self.refuse("editMessageText", Some(chat_id), &markup_text(p), why);
            }
        };
        {
            let mut g = self.lock();
            let refused = match g.kept.get(&(chat_id, message_id)) {
                None => Some("Bad Request: message to edit not found"),
                Some(Kept::Photo) => Some("Bad Request: there is no text in the message to edit"),
                Some(Kept::Text {
                    text: old,
                    parse_mode: old_mode,
                    reply_markup: old_markup,
                }) if *old == text && *old_mode == parse_mode && *old_markup == reply_markup => {
                    Some(
                        "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
                    )
                }
                Some(_) => None,
            };
            if let Some(description) = refused {
                // Telegram's answer, not a malformed request: recorded on the attempt only.
                if let Some(attempt) = g.attempts.iter_mut().rev().find(|a| {
                    a.method == "editMessageText"
                        && a.chat_id == Some(chat_id)
                        && a.failure.is_none()
                }) {
                    attempt.failure = Some(format!("400 {description}"));
                }
                drop(g);
                return api_error(400, description);
            }
            g.kept.insert(
                (chat_id, message_id),
                Kept::Text {
                    text: text.clone(),
                    parse_mode: parse_mode.clone(),
                    reply_markup: reply_markup.clone(),
                },
            );
            g.edits.push(Edit {
                chat_id,
                message_id,
                text,
                parse_mode,
                reply_markup: reply_markup.clone(),
            });
        }
        let mut fields = json!({ "text": plain, "edit_date": chrono::Utc::now().timestamp() });
        if let Some(markup) = reply_markup.filter(|r| r.get("inline_keyboard").is_some()) {
            fields["reply_markup"] = markup;
        }
        ok(self.message_json(chat_id, message_id, fields))
    }

    fn send_photo(&self, mut p: Params) -> Response {
        let Some(chat_id) = p.int("chat_id") else {
            return api_error(400, "Bad Request: chat_id is empty");
        };
        if let Some(f) = self.attempt("sendPhoto", Some(chat_id)) {
            return fault_response(f);
        }
        // teloxide uploads as `photo=attach://<id>` plus a part named `<id>`; a part named
        // `photo` itself is accepted too, as Telegram does.
        let source = match (p.files.remove("photo"), p.string("photo")) {
            (Some((bytes, file_name)), _) => PhotoSource::Upload { bytes, file_name },
            (None, Some(field)) => match field.strip_prefix("attach://") {
                Some(name) => match p.files.remove(name) {
                    Some((bytes, file_name)) => PhotoSource::Upload { bytes, file_name },
                    None => return api_error(400, "Bad Request: wrong HTTP URL specified"),
                },
                None => PhotoSource::Reference(field),
            },
            (None, None) => return api_error(400, "Bad Request: there is no photo in the request"),
        };
        if let PhotoSource::Upload { bytes, .. } = &source {
            if bytes.len() > 10 << 20 {
                return self.refuse(
                    "sendPhoto",
                    Some(chat_id),
                    "",
                    "Bad Request: file is too big".into(),
                );
            }
            if !is_image(bytes) {
                return self.refuse(
                    "sendPhoto",
                    Some(chat_id),
                    "",
                    "Bad Request: IMAGE_PROCESS_FAILED".into(),
                );
            }
        }
        let caption = p.string("caption");
        let parse_mode = p.string("parse_mode");
        let plain_caption = match &caption {
            Some(c) => match check_text(c, parse_mode.as_deref(), TextKind::Caption) {
                Ok(plain) => Some(plain),
                Err(why) => return self.refuse("sendPhoto", Some(chat_id), c, why),
            },
            None => None,
        };
        let reply_markup = match check_markup(&p) {
            Ok(markup) => markup,
            Err(why) => return self.refuse("sendPhoto", Some(chat_id), &markup_text(&p), why),
        };
        let message_id = self.next_message_id();
        let (width, height) = match &source {
            PhotoSource::Upload { bytes, .. } => image_size(bytes),
            PhotoSource::Reference(_) => (1, 1),
        };
        {
            let mut g = self.lock();
            g.photos.push(Photo {
                message_id,
                chat_id,
                source,
                caption,
                parse_mode,
                reply_markup,
            });
            g.kept.insert((chat_id, message_id), Kept::Photo);
        }
        let mut fields = json!({ "photo": [{
            "file_id": format!("photo-{message_id}"),
            "file_unique_id": format!("u{message_id}"),
            "width": width, "height": height,
        }]});
        if let Some(c) = plain_caption {
            fields["caption"] = json!(c);
        }
        ok(self.message_json(chat_id, message_id, fields))
    }

    fn answer_callback_query(&self, p: &Params) -> Response {
        let id = p.string("callback_query_id").unwrap_or_default();
        // The popup's text: 0–200 characters.
        if let Some(text) = p.string("text").filter(|t| t.chars().count() > 200) {
            return self.refuse(
                "answerCallbackQuery",
                None,
                &text,
                "Bad Request: MESSAGE_TOO_LONG".into(),
            );
        }
        let mut g = self.lock();
        match g.callback_queries.get_mut(&id) {
            Some(answered @ false) => {
                *answered = true;
                g.callback_answers.push(CallbackAnswer {
                    callback_query_id: id,
                    text: p.string("text"),
                    show_alert: p.boolean("show_alert"),
                });
                drop(g);
                ok(json!(true))
            }
            _ => {
                drop(g);
                api_error(
                    400,
                    "Bad Request: query is too old and response timeout expired or query ID is invalid",
                )
            }
        }
    }

    fn set_my_commands(&self, p: &Params) -> Response {
        let scope = match check_scope(p) {
            Ok(scope) => scope,
            Err(why) => return self.refuse("setMyCommands", None, &scope_text(p), why),
        };
        let commands = match check_commands(p.json("commands")) {
            Ok(c) => c,
            Err(why) => {
                let text = p.string("commands").unwrap_or_default();
                return self.refuse("setMyCommands", None, &text, why);
            }
        };
        let language_code = p.string("language_code").filter(|l| !l.is_empty());
        if let Err(why) = check_language_code(language_code.as_deref().unwrap_or("")) {
            let text = language_code.clone().unwrap_or_default();
            return self.refuse("setMyCommands", None, &text, why);
        }
        let key = (scope.to_string(), language_code.clone().unwrap_or_default());
        self.lock().menus.insert(
            key,
            CommandMenu {
                scope,
                language_code,
                commands,
            },
        );
        ok(json!(true))
    }

    /// The menu a `deleteMyCommands` or `getMyCommands` names; a scope Telegram cannot read is
    /// refused as `setMyCommands` refuses it.
    fn menu_key(p: &Params) -> Result<(String, String), String> {
        let scope = check_scope(p)?;
        Ok((
            scope.to_string(),
            p.string("language_code").unwrap_or_default(),
        ))
    }
}

async fn handle(
    State(tg): State<FakeTelegram>,
    Path((token, method)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let name = method.to_ascii_lowercase();
    {
        let mut g = tg.lock();
        *g.calls.entry(name.clone()).or_default() += 1;
        g.tokens_seen
            .insert(token.trim_start_matches("bot").to_owned());
    }
    // Waiters for a call (e.g. "polling has begun") must not wait for a long poll's answer.
    tg.changed();
    let response = if token != format!("bot{TOKEN}") {
        api_error(401, "Unauthorized")
    } else {
        let p = Params::parse(&headers, &body);
        tg.hold(&name, &p).await;
        match name.as_str() {
            "getme" => ok(json!({
                "id": BOT_ID, "is_bot": true, "first_name": "OxaPay Bot", "username": BOT_NAME,
                "can_join_groups": true, "can_read_all_group_messages": false,
                "supports_inline_queries": false, "has_main_web_app": false
            })),
            "getwebhookinfo" => {
                let url = tg.webhook().map(|(url, _)| url).unwrap_or_default();
                ok(
                    json!({ "url": url, "has_custom_certificate": false, "pending_update_count": 0 }),
                )
            }
            "setwebhook" => match p.string("url") {
                Some(_) if tg.lock().webhook_refused.is_some() => {
                    let description = tg.lock().webhook_refused.clone().unwrap_or_default();
                    api_error(400, &description)
                }
                Some(url) if url.starts_with("https://") => {
                    let mut g = tg.lock();
                    g.webhook = Some((url, p.string("secret_token")));
                    if let Some(kinds) = requested_updates(&p) {
                        g.allowed_updates = kinds;
                    }
                    drop(g);
                    ok(json!(true))
                }
                _ => api_error(
                    400,
                    "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
                ),
            },
            "deletewebhook" => {
                tg.lock().webhook = None;
                ok(json!(true))
            }
            "getupdates" => tg.get_updates(&p).await,
            "sendmessage" => tg.send_message(&p),
            "editmessagetext" => tg.edit_message_text(&p),
            "sendphoto" => tg.send_photo(p),
            "answercallbackquery" => tg.answer_callback_query(&p),
            "setmycommands" => tg.set_my_commands(&p),
            "deletemycommands" => match FakeTelegram::menu_key(&p) {
                Ok(key) => {
                    tg.lock().menus.remove(&key);
                    ok(json!(true))
                }
                Err(why) => tg.refuse("deleteMyCommands", None, &scope_text(&p), why),
            },
            "getmycommands" => match FakeTelegram::menu_key(&p) {
                Ok(key) => {
                    let commands = tg
                        .lock()
                        .menus
                        .get(&key)
                        .map(|m| m.commands.clone())
                        .unwrap_or_default();
                    ok(Value::Array(
                        commands
                            .into_iter()
                            .map(|(c, d)| json!({ "command": c, "description": d }))
                            .collect(),
                    ))
                }
                Err(why) => tg.refuse("getMyCommands", None, &scope_text(&p), why),
            },
            _ => api_error(404, "Not Found: method not found"),
        }
    };
    tg.changed();
    response
}
