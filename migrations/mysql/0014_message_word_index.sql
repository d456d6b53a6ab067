-- Message search reads a word index of its own instead of InnoDB FULLTEXT, which hands over every match of a word
-- before the newest can be picked (seconds for a common word over 1,000,000 messages). One row per distinct word
-- of a text message (folded to lower case without accents, 2 to 32 characters), keyed (word, message_id) so the
-- newest matches of a word are read first; conversation_id lets the membership check skip the message row.
-- Sends, edits and deletes keep it in their own transaction; deleting a message row removes its words.
CREATE TABLE message_words (
    word VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    message_id BIGINT NOT NULL,
    conversation_id BIGINT NOT NULL,
    PRIMARY KEY (word, message_id),
    KEY ix_message_words_message (message_id),
    CONSTRAINT fk_message_words_message FOREIGN KEY (message_id) REFERENCES messages (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Word splitting needs the app, so the messages already stored are indexed by the app right after the migrations
-- (and again at each start for any message stored without it). indexed_through: the highest message id it checked.
CREATE TABLE message_words_progress (
    id TINYINT NOT NULL PRIMARY KEY,
    indexed_through BIGINT NOT NULL
) ENGINE=InnoDB;

INSERT INTO message_words_progress (id, indexed_through) VALUES (1, 0);

-- Nothing reads the FULLTEXT index any more; every send would still pay for keeping it.
ALTER TABLE messages DROP INDEX ft_messages_body;
