-- Bots post into one conversation through a secret webhook URL. A bot is a users row of its own (is_bot = 1, no
-- password, no email), so its messages carry a sender like anyone's and keep its name after it is revoked; the
-- directory and sign-in never offer it. Only the SHA-256 of the webhook key is stored.
ALTER TABLE users ADD COLUMN is_bot INTEGER NOT NULL DEFAULT 0;

CREATE TABLE bots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    key_hash TEXT NOT NULL,
    created_by INTEGER NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER NULL,
    CONSTRAINT fk_bots_conversation FOREIGN KEY (conversation_id) REFERENCES conversations (id) ON DELETE CASCADE,
    CONSTRAINT fk_bots_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_bots_created_by FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX ux_bots_key_hash ON bots (key_hash);
CREATE INDEX ix_bots_conversation ON bots (conversation_id);
