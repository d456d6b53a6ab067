-- Who a message mentions, one row per person, written with the message and replaced when it is edited or deleted.
-- written is the name as it was typed after @ (what the message highlights); NULL when only @everyone reached them.
CREATE TABLE message_mentions (
    message_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    written VARCHAR(100) NULL,
    PRIMARY KEY (message_id, user_id),
    KEY ix_message_mentions_user (user_id, message_id),
    CONSTRAINT fk_message_mentions_message FOREIGN KEY (message_id) REFERENCES messages (id) ON DELETE CASCADE,
    CONSTRAINT fk_message_mentions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- 1 when the message reached every member through @everyone.
ALTER TABLE messages ADD COLUMN mentions_everyone TINYINT NOT NULL DEFAULT 0;

-- 1 when only the group's owners may use @everyone.
ALTER TABLE conversations ADD COLUMN everyone_owners_only TINYINT NOT NULL DEFAULT 0;

-- 'all', 'mentions' or 'none'; NULL until the member picks one, and then the conversation's kind decides
-- (everything in a direct conversation, mentions in a group).
ALTER TABLE conversation_members ADD COLUMN notification_level VARCHAR(8) NULL;
