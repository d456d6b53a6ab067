-- Deleting or locking an account ends every session it has: sign-in cookies and bearer tokens issued before
-- this time (ms since the epoch) are refused. NULL: nothing has ended them.
ALTER TABLE users ADD COLUMN sessions_valid_since INTEGER NULL;

-- Refresh tokens are single-use: each refresh stores its successor in the same family, and presenting a token
-- that was already used revokes the whole family. Only a SHA-256 hash of each token is kept. The table of 0001
-- was never used and had no family, so it is replaced.
DROP TABLE api_refresh_tokens;

CREATE TABLE api_refresh_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    token_hash TEXT NOT NULL,
    family TEXT NOT NULL,
    security_stamp TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    -- Set when the token is used (or its family revoked); it is kept until it expires to recognise reuse.
    revoked_at INTEGER NULL,
    CONSTRAINT fk_api_refresh_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX ux_api_refresh_tokens_hash ON api_refresh_tokens (token_hash);
CREATE INDEX ix_api_refresh_tokens_family ON api_refresh_tokens (family);
CREATE INDEX ix_api_refresh_tokens_user ON api_refresh_tokens (user_id, expires_at);
