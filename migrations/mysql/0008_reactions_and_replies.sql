-- Reactions: one row per person, message and emoji (or short word). The binary collation keeps apart what people
-- see as different: utf8mb4_unicode_ci weighs every emoji the same, so 👍 and 🎉 would collide in the key.
CREATE TABLE message_reactions (
    message_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    emoji VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (message_id, user_id, emoji),
    KEY ix_message_reactions_user (user_id),
    CONSTRAINT fk_message_reactions_message FOREIGN KEY (message_id) REFERENCES messages (id) ON DELETE CASCADE,
    CONSTRAINT fk_message_reactions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The message a message replies to, in the same conversation. No foreign key: messages only go all at once with
-- their conversation, and a self-referencing SET NULL inside that cascade is refused by InnoDB.
ALTER TABLE messages ADD COLUMN reply_to_id BIGINT NULL;
