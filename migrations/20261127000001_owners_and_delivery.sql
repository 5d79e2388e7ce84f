-- Who set each alert level (a Telegram user id). A level set in a chat that is not itself
-- allowed is served through its setter's permission and goes with them on /deny.
-- NULL: set before owners were recorded; in private chats the chat is the setter.
ALTER TABLE thresholds ADD COLUMN owner_id INTEGER;
UPDATE thresholds SET owner_id = chat_id WHERE chat_id > 0;
CREATE INDEX thresholds_owner ON thresholds (owner_id);

-- Delivery state of each owed message, so the delivery worker can back off one message without
-- holding the others: attempts so far, when to try next, the last failure, and when it was
-- given up (parked: kept for the operator, never sent).
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'alert';
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
ALTER TABLE outbox ADD COLUMN parked_at INTEGER;
CREATE INDEX outbox_due ON outbox (chat_id, id) WHERE parked_at IS NULL;
