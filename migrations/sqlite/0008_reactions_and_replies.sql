-- Reactions: one row per person, message and emoji (or short word), compared byte for byte.
CREATE TABLE message_reactions (
    message_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    emoji TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (message_id, user_id, emoji),
    CONSTRAINT fk_message_reactions_message FOREIGN KEY (message_id) REFERENCES messages (id) ON DELETE CASCADE,
    CONSTRAINT fk_message_reactions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX ix_message_reactions_user ON message_reactions (user_id);

-- The message a message replies to, in the same conversation. No foreign key, as in the MySQL schema: messages
-- only go all at once with their conversation.
ALTER TABLE messages ADD COLUMN reply_to_id INTEGER NULL;
