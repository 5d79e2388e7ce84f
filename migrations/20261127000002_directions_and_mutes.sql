-- Alert levels gain a direction: 'below' (a payout wallet running dry) or 'above' (too much in a
-- hot wallet). A currency may have one level of each. The state 'crossed' is the alerting side
-- of the level (low for below, high for above); 'low' rows become 'crossed' below-levels.
CREATE TABLE thresholds_v2 (
    chat_id       INTEGER NOT NULL,
    currency      TEXT    NOT NULL,
    direction     TEXT    NOT NULL DEFAULT 'below' CHECK (direction IN ('below', 'above')),
    level         TEXT    NOT NULL,
    state         TEXT    NOT NULL DEFAULT 'unchecked' CHECK (state IN ('unchecked', 'ok', 'crossed')),
    crossed_since INTEGER,
    last_alert_at INTEGER,
    updated_at    INTEGER NOT NULL,
    owner_id      INTEGER,
    PRIMARY KEY (chat_id, currency, direction)
) WITHOUT ROWID;
INSERT INTO thresholds_v2
    (chat_id, currency, direction, level, state, crossed_since, last_alert_at, updated_at, owner_id)
SELECT chat_id, currency, 'below', level,
       CASE state WHEN 'low' THEN 'crossed' ELSE state END,
       low_since, last_alert_at, updated_at, owner_id
FROM thresholds;
DROP TABLE thresholds;
ALTER TABLE thresholds_v2 RENAME TO thresholds;
CREATE INDEX thresholds_owner ON thresholds (owner_id);

-- A chat's alerts held until a time (/mute). States keep updating meanwhile; when it ends, the
-- chat gets one summary of what is crossed then, and the row goes.
CREATE TABLE mutes (
    chat_id INTEGER PRIMARY KEY NOT NULL,
    until   INTEGER NOT NULL, -- Unix seconds
    set_by  INTEGER,
    set_at  INTEGER NOT NULL
);
