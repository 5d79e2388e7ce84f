-- The same table and the same constraints, written as comparisons instead of IN lists. SQLite
-- checks `state IN ('unchecked', 'ok', 'crossed')` by building a temporary b-tree of the three
-- words for every row an UPDATE writes; the balance check writes a state for every level that
-- changed (all of them on the first check after levels are set in bulk), and that b-tree was
-- two thirds of the cost of each row's update. `a = 'x' OR a = 'y'` accepts and refuses exactly
-- what the IN list did.
CREATE TABLE thresholds_v3 (
    chat_id       INTEGER NOT NULL,
    currency      TEXT    NOT NULL,
    direction     TEXT    NOT NULL DEFAULT 'below'
                  CHECK (direction = 'below' OR direction = 'above'),
    level         TEXT    NOT NULL,
    state         TEXT    NOT NULL DEFAULT 'unchecked'
                  CHECK (state = 'unchecked' OR state = 'ok' OR state = 'crossed'),
    crossed_since INTEGER,
    last_alert_at INTEGER,
    updated_at    INTEGER NOT NULL,
    owner_id      INTEGER,
    PRIMARY KEY (chat_id, currency, direction)
) WITHOUT ROWID;
INSERT INTO thresholds_v3
    (chat_id, currency, direction, level, state, crossed_since, last_alert_at, updated_at, owner_id)
SELECT chat_id, currency, direction, level, state, crossed_since, last_alert_at, updated_at, owner_id
FROM thresholds;
DROP TABLE thresholds;
ALTER TABLE thresholds_v3 RENAME TO thresholds;
CREATE INDEX thresholds_owner ON thresholds (owner_id);
