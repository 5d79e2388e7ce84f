-- A count of the changes to what the balance checker reads, so it can keep the levels it read in
-- memory and read them again only when the count moved: a level set, changed or removed, a chat
-- allowed or denied, paused or resumed. The checker's own writes (a level's state, crossed_since
-- and last_alert_at) are not counted: it applies them to the levels it holds.
--
-- Triggers go with their table: a migration that rebuilds one of these tables must create its
-- triggers again.
CREATE TABLE threshold_changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO threshold_changes (id, n) VALUES (1, 0);

CREATE TRIGGER thresholds_insert_counted AFTER INSERT ON thresholds
BEGIN UPDATE threshold_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER thresholds_delete_counted AFTER DELETE ON thresholds
BEGIN UPDATE threshold_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER thresholds_update_counted
AFTER UPDATE OF chat_id, currency, direction, level, updated_at, owner_id ON thresholds
BEGIN UPDATE threshold_changes SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER allowed_chats_insert_counted AFTER INSERT ON allowed_chats
BEGIN UPDATE threshold_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER allowed_chats_delete_counted AFTER DELETE ON allowed_chats
BEGIN UPDATE threshold_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER allowed_chats_update_counted AFTER UPDATE ON allowed_chats
BEGIN UPDATE threshold_changes SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER paused_chats_insert_counted AFTER INSERT ON paused_chats
BEGIN UPDATE threshold_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER paused_chats_delete_counted AFTER DELETE ON paused_chats
BEGIN UPDATE threshold_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER paused_chats_update_counted AFTER UPDATE ON paused_chats
BEGIN UPDATE threshold_changes SET n = n + 1 WHERE id = 1; END;
