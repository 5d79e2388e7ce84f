-- Chats (users or groups) that admins allowed. Admins from ADMIN_IDS need no row.
CREATE TABLE allowed_chats (
    chat_id  INTEGER PRIMARY KEY NOT NULL,
    added_by INTEGER NOT NULL,
    added_at INTEGER NOT NULL -- Unix seconds
);

-- Low-balance thresholds per (chat, currency) with their alert state.
-- level is TEXT: SQLite has no exact decimal type, and REAL would round amounts.
CREATE TABLE thresholds (
    chat_id       INTEGER NOT NULL,
    currency      TEXT    NOT NULL,
    level         TEXT    NOT NULL,
    state         TEXT    NOT NULL DEFAULT 'unchecked' CHECK (state IN ('unchecked', 'ok', 'low')),
    low_since     INTEGER,
    last_alert_at INTEGER,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (chat_id, currency)
) WITHOUT ROWID;

-- Messages decided but not yet confirmed delivered by Telegram (at-least-once delivery).
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id    INTEGER NOT NULL,
    text       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX outbox_chat ON outbox (chat_id);

-- Chats that blocked or removed the bot: no alerts until they write to the bot again.
CREATE TABLE paused_chats (
    chat_id   INTEGER PRIMARY KEY NOT NULL,
    reason    TEXT    NOT NULL,
    paused_at INTEGER NOT NULL
);

-- The balance checker's own record: one row.
CREATE TABLE checker (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    last_success_at INTEGER,
    failures        INTEGER NOT NULL DEFAULT 0,
    failing_since   INTEGER,
    last_error      TEXT,
    notice_sent     INTEGER NOT NULL DEFAULT 0
);
INSERT INTO checker (id) VALUES (1);
