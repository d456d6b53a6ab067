-- Bots post into one conversation through a secret webhook URL. A bot is a users row of its own (is_bot = 1, no
-- password, no email), so its messages carry a sender like anyone's and keep its name after it is revoked; the
-- directory and sign-in never offer it. Only the SHA-256 of the webhook key is stored.
ALTER TABLE users ADD COLUMN is_bot TINYINT(1) NOT NULL DEFAULT 0;

CREATE TABLE bots (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    conversation_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    key_hash CHAR(64) NOT NULL,
    created_by BIGINT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT NULL,
    UNIQUE KEY ux_bots_key_hash (key_hash),
    KEY ix_bots_conversation (conversation_id),
    CONSTRAINT fk_bots_conversation FOREIGN KEY (conversation_id) REFERENCES conversations (id) ON DELETE CASCADE,
    CONSTRAINT fk_bots_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_bots_created_by FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
