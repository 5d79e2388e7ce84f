-- Who changed access, alert levels or report schedules, written in the same transaction as the
-- change (a failed change leaves no entry). Kept at least a year.
CREATE TABLE audit (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         INTEGER NOT NULL, -- Unix seconds
    actor_id   INTEGER NOT NULL, -- the Telegram user who did it
    actor_name TEXT    NOT NULL, -- their @username or first name then
    chat_id    INTEGER NOT NULL, -- where the command was sent
    action     TEXT    NOT NULL, -- allow, deny, alert_set, alert_off, report_set, report_off
    subject    TEXT    NOT NULL, -- the user or chat id, or "CUR below" / "CUR above" / "report"
    about_id   INTEGER NOT NULL, -- the user or chat the change is about (for /audit ID)
    old_value  TEXT,
    new_value  TEXT
);
CREATE INDEX audit_about ON audit (about_id);
CREATE INDEX audit_actor ON audit (actor_id);
CREATE INDEX audit_at ON audit (at);
