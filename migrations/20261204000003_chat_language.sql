-- Each chat's language. lang: the code /lang set ('ru', 'fa', …); NULL follows Telegram: a private
-- chat reads its user's language, a group English. seen: the language_code Telegram last sent
-- with a private chat's user (as sent, e.g. 'ru-RU'), written only when it changes; it words
-- what the bot says later on its own (alerts, reports) when no language was set.
CREATE TABLE chat_languages (
    chat_id INTEGER PRIMARY KEY NOT NULL,
    lang    TEXT,
    seen    TEXT
);
