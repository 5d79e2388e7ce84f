-- The payment and payout feeds: a ledger of what OxaPay listed (or called back), each feed's
-- reading position, what each chat was told, and each chat's feed setting.
-- Amounts are exact decimals as TEXT (NULL when OxaPay's value could not be read: the record's
-- `problems` says why). Times are Unix seconds: created_at, expired_at and tx dates on OxaPay's
-- clock, every other time on ours. `source` is how the row was last written: 'backfill' (the
-- silent first reading), 'poll' or 'callback'.

-- One row per payment.
CREATE TABLE payments (
    track_id      TEXT    PRIMARY KEY NOT NULL,
    kind          TEXT,             -- OxaPay's type: invoice, white_label, static_address, …
    amount        TEXT,
    currency      TEXT,
    status        TEXT    NOT NULL, -- read, lower case: a name of the vendor's table, another
                                    -- name, or '' when OxaPay sent none
    status_text   TEXT    NOT NULL, -- exactly as sent ("Paid")
    status_since  INTEGER NOT NULL, -- when the ledger first saw the current status
    order_id      TEXT,
    description   TEXT,             -- personal data: /tx shows it, the feed never does
    email         TEXT,             -- personal data: /tx shows it, the feed never does
    created_at    INTEGER,
    expired_at    INTEGER,
    problems      TEXT,             -- fields that could not be read, one per line; NULL: none
    first_seen_at INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    source        TEXT    NOT NULL CHECK (source IN ('backfill', 'poll', 'callback'))
);
-- Newest first (/payments), a period (/sales, reports, /history payments).
CREATE INDEX payments_created ON payments (created_at);
-- Open payments to read again; paid ones in a period.
CREATE INDEX payments_status ON payments (status, created_at);

-- When each payment was first seen in each status: a status is told the first time only.
CREATE TABLE payment_statuses (
    track_id      TEXT    NOT NULL REFERENCES payments (track_id) ON DELETE CASCADE,
    status        TEXT    NOT NULL,
    first_seen_at INTEGER NOT NULL,
    source        TEXT    NOT NULL CHECK (source IN ('backfill', 'poll', 'callback')),
    PRIMARY KEY (track_id, status)
) WITHOUT ROWID;

-- Every status change, odd ones included, for /tx and the operator. anomaly: 'backwards',
-- 'unknown' (a name the vendor's table does not have), 'missing' (no status), or NULL.
CREATE TABLE payment_status_changes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    track_id    TEXT    NOT NULL REFERENCES payments (track_id) ON DELETE CASCADE,
    from_status TEXT,               -- NULL: first seen
    to_status   TEXT    NOT NULL,
    anomaly     TEXT    CHECK (anomaly IN ('backwards', 'unknown', 'missing')),
    at          INTEGER NOT NULL,
    source      TEXT    NOT NULL CHECK (source IN ('backfill', 'poll', 'callback'))
);
CREATE INDEX payment_status_changes_payment ON payment_status_changes (track_id, id);

-- The transfers towards each payment (a static address receives many). A tx OxaPay lists without
-- a hash has tx_hash NULL and is replaced at each read; the others are keyed by their hash.
CREATE TABLE payment_txs (
    id            INTEGER PRIMARY KEY,
    track_id      TEXT    NOT NULL REFERENCES payments (track_id) ON DELETE CASCADE,
    tx_hash       TEXT,
    network       TEXT,
    amount        TEXT,
    currency      TEXT,
    confirmations INTEGER,
    address       TEXT,
    status        TEXT,
    date          INTEGER,
    first_seen_at INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX payment_txs_hash ON payment_txs (track_id, tx_hash);

-- One row per payout.
CREATE TABLE payouts (
    track_id      TEXT    PRIMARY KEY NOT NULL,
    address       TEXT,             -- as sent: may hold anything, escaped wherever shown
    currency      TEXT,
    network       TEXT,
    amount        TEXT,
    fee           TEXT,
    status        TEXT    NOT NULL,
    status_text   TEXT    NOT NULL,
    status_since  INTEGER NOT NULL,
    tx_hash       TEXT,
    description   TEXT,
    internal      INTEGER,          -- 1: to another OxaPay account; NULL: not said
    memo          TEXT,
    created_at    INTEGER,
    problems      TEXT,
    open_since    INTEGER,          -- first seen open in its current open stretch; NULL once final
    stuck_noted   INTEGER NOT NULL DEFAULT 0, -- told (or, in the backfill, marked) stuck
    first_seen_at INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    source        TEXT    NOT NULL CHECK (source IN ('backfill', 'poll', 'callback'))
);
CREATE INDEX payouts_created ON payouts (created_at);
CREATE INDEX payouts_status ON payouts (status, created_at);

CREATE TABLE payout_statuses (
    track_id      TEXT    NOT NULL REFERENCES payouts (track_id) ON DELETE CASCADE,
    status        TEXT    NOT NULL,
    first_seen_at INTEGER NOT NULL,
    source        TEXT    NOT NULL CHECK (source IN ('backfill', 'poll', 'callback')),
    PRIMARY KEY (track_id, status)
) WITHOUT ROWID;

CREATE TABLE payout_status_changes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    track_id    TEXT    NOT NULL REFERENCES payouts (track_id) ON DELETE CASCADE,
    from_status TEXT,
    to_status   TEXT    NOT NULL,
    anomaly     TEXT    CHECK (anomaly IN ('backwards', 'unknown', 'missing')),
    at          INTEGER NOT NULL,
    source      TEXT    NOT NULL CHECK (source IN ('backfill', 'poll', 'callback'))
);
CREATE INDEX payout_status_changes_payout ON payout_status_changes (track_id, id);

-- Each feed's reading position and health: one row per feed.
CREATE TABLE feed_cursors (
    feed            TEXT    PRIMARY KEY NOT NULL CHECK (feed IN ('payments', 'payouts')),
    cursor          INTEGER,          -- the newest creation time read (OxaPay's clock); NULL: none yet
    backfill_done   INTEGER NOT NULL DEFAULT 0, -- 1 once the silent backfill read its last page
    polls           INTEGER NOT NULL DEFAULT 0, -- polls completed, for the every-Nth-poll re-reads
    last_success_at INTEGER,
    failures        INTEGER NOT NULL DEFAULT 0, -- failed polls in a row
    failing_since   INTEGER,
    last_error      TEXT,
    updated_at      INTEGER NOT NULL
);
INSERT INTO feed_cursors (feed, updated_at) VALUES ('payments', 0), ('payouts', 0);

-- What each chat was told, once: each row is written in the same transaction as the message's
-- outbox row, so a crash neither loses nor repeats it. what: 'status:<status>' or 'tx:<hash>'
-- (payments), 'status:<status>' or 'stuck' (payouts).
CREATE TABLE payment_told (
    chat_id   INTEGER NOT NULL,
    track_id  TEXT    NOT NULL,
    what      TEXT    NOT NULL,
    told_at   INTEGER NOT NULL,
    PRIMARY KEY (chat_id, track_id, what)
) WITHOUT ROWID;

CREATE TABLE payout_told (
    chat_id   INTEGER NOT NULL,
    track_id  TEXT    NOT NULL,
    what      TEXT    NOT NULL,
    told_at   INTEGER NOT NULL,
    PRIMARY KEY (chat_id, track_id, what)
) WITHOUT ROWID;

-- Each chat's feed setting (/payments, /payouts). The row stays when the feed is turned off, so
-- the event list survives an off and on. events: statuses, comma-separated, the table's order.
CREATE TABLE chat_payment_feeds (
    chat_id INTEGER PRIMARY KEY NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 0,
    min_usd TEXT,                     -- exact decimal; NULL: every payment
    events  TEXT    NOT NULL DEFAULT 'paid,manual_accept,underpaid,refunded',
    set_by  INTEGER,
    set_at  INTEGER NOT NULL
);

CREATE TABLE chat_payout_feeds (
    chat_id INTEGER PRIMARY KEY NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 0,
    events  TEXT    NOT NULL DEFAULT 'confirmed,canceled,rejected',
    set_by  INTEGER,
    set_at  INTEGER NOT NULL
);
