-- Who a message mentions, one row per person, written with the message and replaced when it is edited or deleted.
-- written is the name as it was typed after @ (what the message highlights); NULL when only @everyone reached them.
CREATE TABLE message_mentions (
    message_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    written TEXT NULL,
    PRIMARY KEY (message_id, user_id),
    CONSTRAINT fk_message_mentions_message FOREIGN KEY (message_id) REFERENCES messages (id) ON DELETE CASCADE,
    CONSTRAINT fk_message_mentions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX ix_message_mentions_user ON message_mentions (user_id, message_id);

-- 1 when the message reached every member through @everyone.
ALTER TABLE messages ADD COLUMN mentions_everyone INTEGER NOT NULL DEFAULT 0;

-- 1 when only the group's owners may use @everyone.
ALTER TABLE conversations ADD COLUMN everyone_owners_only INTEGER NOT NULL DEFAULT 0;

-- 'all', 'mentions' or 'none'; NULL until the member picks one, and then the conversation's kind decides
-- (everything in a direct conversation, mentions in a group).
ALTER TABLE conversation_members ADD COLUMN notification_level TEXT NULL;
