-- A chat's own settings. tz: the IANA zone its reports, charts and times are shown in (set by
-- /report … TZ); no row: UTC.
CREATE TABLE chat_settings (
    chat_id INTEGER PRIMARY KEY NOT NULL,
    tz      TEXT    NOT NULL
);

-- One report schedule per chat. spec is the /report argument form ("mon 09:00 Europe/Berlin").
-- last_slot is the newest slot handled (sent, or skipped as too late): it is written in the
-- same transaction as the report's outbox row, so no slot is ever sent twice.
CREATE TABLE report_schedules (
    chat_id    INTEGER PRIMARY KEY NOT NULL,
    spec       TEXT    NOT NULL,
    owner_id   INTEGER,
    created_at INTEGER NOT NULL, -- Unix seconds; only slots after it are due
    last_slot  INTEGER
);

-- What each chat's previous report showed (per currency, and '$TOTAL' in USD), for the change
-- since then. Amounts are exact decimals as TEXT.
CREATE TABLE report_baselines (
    chat_id INTEGER NOT NULL,
    subject TEXT    NOT NULL,
    amount  TEXT    NOT NULL,
    at      INTEGER NOT NULL,
    PRIMARY KEY (chat_id, subject)
) WITHOUT ROWID;

-- The balance history: one snapshot per successful read, at most one per HISTORY_INTERVAL_SECS.
-- total_usd: the account's total when every wallet was priced and readable, else NULL.
CREATE TABLE snapshots (
    at        INTEGER PRIMARY KEY NOT NULL, -- Unix seconds
    total_usd TEXT
);
-- Each currency's amount in a snapshot (zero wallets included: a drop to zero is history too).
CREATE TABLE history (
    currency TEXT    NOT NULL,
    at       INTEGER NOT NULL,
    amount   TEXT    NOT NULL,
    PRIMARY KEY (currency, at)
) WITHOUT ROWID;
